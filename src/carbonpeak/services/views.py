"""Read models for the web pages and the API: overview, inventory drill-down, trajectories.

Results are cached per platform and keyed by the versions of the data topics they depend on
(services/versions.py): an activity import starts a new inventory, a task edit does not. The
tracking context (plan, indicators of every year, entered values) is computed once per version and
shared by the overview, the barometer and the target pages.

Typed results: the barometer and trajectories (services/tracking_results.py), the overview, the
sink and building programmes and the overview's CO2 perspectives (here). The overview's headline
figures (IndicatorSet.figure's) and the inventory view are still mappings.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import ConfigDict, with_config

from ..domain.messages import render
from ..domain.tracking import BarometerRule
from ..domain.units import UnitError, conversion_factor
from ..refdata import load_sink_project_rules
from . import monitoring, registry, sinks
from .accounting import DEFAULTS, AccountReport
from .indicators import inventory_report
from . import versions
from .errors import NotFound
from .platform import Platform
from .tracking import TrackingContext, tracking_context, trajectory
from .tracking import assess_year as _assess_year
from . import tracking_results
from .tracking_results import Barometer, BarometerRow, Trajectory

T = TypeVar("T")

REPORT_OPTIONS = DEFAULTS  # the surfaces' policy; the services add the plan's grid (accounting.completed)
LINE_WEIGHT = 1500  # bytes an inventory line takes in memory as a record (for the cache's budget)
HEADLINE = [("energy_total", "raw"), ("energy_total", "assessment"), ("co2_total", "territorial"),
            ("co2_total", "with_electricity"), ("energy_intensity", "raw"),
            ("energy_intensity_change_vs_base", "assessment"), ("nonfossil_share", "raw"),
            ("renewable_share_local_generation", "")]


def _key(platform: Platform, topics: tuple[str, ...] | None, *parts) -> tuple:
    return (*parts, versions.key(platform, topics))


def context(platform: Platform, version: tuple | None = None) -> TrackingContext:
    """The tracking context of the stored plan, computed once per version of what it reads
    (``version``: the caller's snapshot of ``versions.key(platform, TRACKING)``, so that what it
    caches under that version was computed from data no older than it)."""
    version = versions.key(platform, versions.TRACKING) if version is None else version
    return platform.cached(("tracking-context", REPORT_OPTIONS, version),
                           lambda: tracking_context(platform, REPORT_OPTIONS))


def data_years(platform: Platform) -> list[int]:
    """The years with stored activity data ([] without a plan or data)."""
    try:
        return list(context(platform).data_years)
    except NotFound:
        return []


def _shown_year(ctx: TrackingContext, year: int | None) -> int | None:
    """The year a request names, or None for "the latest": with data, any year without data shows
    the latest (one cache entry for all of them); without data, a year outside 1990–2100 too."""
    if ctx.data_years:
        return year if year in ctx.data_years else None
    return year if year is not None and 1990 <= year <= 2100 else None


def translated(plan, row: T, lang: str) -> T:
    """A target row (or a trajectory's target) with its name and note in ``lang`` where the plan
    gives them (its ``translations``)."""
    text = plan.translations.get(lang, {}).get(row.id) if lang != "zh" else None
    if text is None:
        return row
    return tracking_results.translated(row, text.name, text.note)


def assess_year(ctx: TrackingContext, year: int, rule: BarometerRule, lang: str = "zh") -> Barometer:
    """The barometer of ``year`` (services/tracking.py), targets named in the reader's language."""
    res = _assess_year(ctx, year, rule, lang)
    if lang == "zh" or not ctx.plan.translations.get(lang):
        return res
    return dataclasses.replace(res, targets=[translated(ctx.plan, r, lang) for r in res.targets])


@dataclass(frozen=True)
class Overview:
    """The overview (总览) of a year: headline figures (each with its convention and inputs), the
    yearly series of the headline indicators (columns ``code:basis``) and the barometer; without
    data only region, plan, the years (none), the series and the barometer of the plan's targets."""
    region: str
    plan: str
    year: int | None
    years: list[int]
    series: list[dict[str, Any]]
    headline: list[dict[str, Any]]
    barometer: Barometer
    co2_perspectives: CO2Perspectives | None = None
    base_year: int | None = None  # the price base year, under its first name in the API document
    price_base_year: int | None = None
    convention: str | None = None


def overview(platform: Platform, year: int | None = None, lang: str = "zh", rule: BarometerRule | None = None) -> Overview:
    """The overview of ``year`` (default: the last year with data), kept per tracking version."""
    rule = rule or BarometerRule()
    version = versions.key(platform, versions.TRACKING)  # read once: the overview is keyed by its context's
    ctx = context(platform, version)
    year = _shown_year(ctx, year)

    def compute():
        if not ctx.data_years:
            return Overview(ctx.plan.region, ctx.plan.name, None, [], [], [], assess_year(ctx, year or 2025, rule, lang))
        y = year if year in ctx.data_years else ctx.data_years[-1]
        ind = ctx.indicators
        headline = [ind.figure(v, lang) for code, basis in HEADLINE if (v := ind.get(code, y, basis)) is not None]
        net = net_emissions(platform, ctx, y)
        if net is not None:
            headline.append(net)
        headline, co2 = co2_perspectives(headline, ctx.plan.region, lang)
        return Overview(ctx.plan.region, ctx.plan.name, y, ctx.data_years, indicator_series(ctx), headline,
                        assess_year(ctx, y, rule, lang), co2, ind.price_base_year, ind.price_base_year, ind.convention)

    return platform.cached(("overview", year, lang, rule, version), compute)


CO2_LEAD = "territorial"  # county inventories report direct (territorial) emissions first


@with_config(ConfigDict(extra="forbid"))  # the overview's response schema names it (api/response_models.py)
@dataclass(frozen=True)
class CO2Perspectives:
    """The two CO2 totals of the overview: which leads, why the with-electricity one differs."""
    lead: str
    note: str
    explanation: str
    territorial_t: float | None
    with_electricity_t: float | None


def co2_perspectives(headline: list[dict[str, Any]], region: str,
                     lang: str = "zh") -> tuple[list[dict[str, Any]], CO2Perspectives | None]:
    """Put the two CO2 totals first, the direct (territorial) one leading, each with its label, and
    explain the with-electricity one beside it: why it differs from the direct total and, when it is
    negative, why (net exported electricity credited at the grid factor)."""
    by = {h["basis"]: h for h in headline if h.get("code") == "co2_total"}
    terr, elec = by.get("territorial"), by.get("with_electricity")
    if terr is None:
        return headline, None
    share = next((h["value"] for h in headline if h.get("code") == "renewable_share_local_generation"), None)
    explanation = ""
    if elec is not None and terr["value"] is not None and elec["value"] is not None:
        explanation = _electricity_explanation(terr["value"], elec["value"], region, share, lang)
    lead = {**terr, "lead": True, "label": render("co2.label.territorial", {}, lang), "explanation": ""}
    pair = [lead]
    if elec is not None:
        pair.append({**elec, "lead": False, "label": render("co2.label.with_electricity", {}, lang),
                     "explanation": explanation})
    rest = [h for h in headline if h is not terr and h is not elec]
    return pair + rest, CO2Perspectives(CO2_LEAD, render("co2.lead", {}, lang), explanation, terr["value"],
                                        elec["value"] if elec else None)


def _electricity_explanation(territorial: float, with_electricity: float, region: str, share: float | None,
                             lang: str) -> str:
    """Why the with-electricity total differs from the direct one (net export credited / import counted)."""
    credit = territorial - with_electricity
    if abs(credit) < 0.5:
        return ""
    if credit < 0:
        return render("co2.importer", {"credit": f"{-credit:,.0f}"}, lang)
    source = render("co2.source.renewable", {"share": f"{share:.1f}"}, lang) if share is not None and share >= 50 else ""
    params = {"region": region, "credit": f"{credit:,.0f}", "territorial": f"{territorial:,.0f}",
              "source": source, "source_en": source}
    return render("co2.exporter_negative" if with_electricity < 0 else "co2.exporter", params, lang)


def series_column(code: str, basis: str) -> str:
    """The column of an indicator in the overview's series (and the demo's): code:basis."""
    return f"{code}:{basis}" if basis else code


def indicator_series(ctx: TrackingContext) -> list[dict[str, Any]]:
    """The headline indicators year by year, from the one indicator result."""
    ind = ctx.indicators
    rows = []
    for yy in ctx.data_years:
        row: dict[str, Any] = {"year": yy, "illustrative": yy in ctx.illustrative_years}
        for code, basis in HEADLINE:
            v = ind.get(code, yy, basis)
            row[series_column(code, basis)] = v.value if v else None
        rows.append(row)
    return rows


def net_emissions(platform: Platform, ctx, year: int) -> dict[str, Any] | None:
    """Territorial CO2 minus the forest sink of the ledger (the annual sink between the last two
    stored inventories, applied to the year shown); None without a ledger."""
    try:
        ledger = sinks.stored_ledger(platform, ctx.plan.land_area_km2)
    except NotFound:
        return None
    co2 = ctx.indicator("co2_total", year, "territorial")
    if "sink" not in ledger or co2 is None or co2.value is None:
        return None
    forest = ledger["sink"]["total_tco2_per_year"]
    area = ledger["sink"].get("area_based_tco2_per_year")
    sink = forest + (area or 0.0)
    return {"code": "net_emissions", "year": year, "value": co2.value - sink, "unit": "tCO2", "basis": "territorial",
            "convention": "", "price_base_year": None, "qualifier": "",
            "formula": "territorial CO2 − annual forest sink (stock difference)"
                       + (" − bamboo/tea net removal (area method)" if area is not None else ""),
            "inputs": {"co2_territorial_t": co2.value, "sink_tco2_per_year": forest,
                       **({"area_based_tco2_per_year": area} if area is not None else {}),
                       "sink_period": [ledger["sink"]["from"], ledger["sink"]["to"]]},
            "note": f"sink of {ledger['sink']['from']}–{ledger['sink']['to']} applied to {year}",
            "illustrative": year in ctx.illustrative_years or ledger["inventories"][-1].get("illustrative", False)}


def inventory_view(platform: Platform, year: int, sector: str | None = None, carrier: str | None = None,
                   lang: str = "zh") -> dict[str, Any]:
    """The inventory of a year with energy flows (carrier → sector) for the Sankey chart, and the
    lines (activity × factor, each factor's source and status), optionally filtered."""
    def compute():
        report: AccountReport = inventory_report(platform, year, REPORT_OPTIONS, lang=lang)
        d = report.as_dict(lang)
        flows = (report.lines[report.lines["energy_tce"] > 0].groupby(["carrier", "sector"])["energy_tce"].sum()
                 .reset_index())
        d["flows"] = [{"source": c, "target": s, "value": float(v)} for c, s, v in flows.itertuples(index=False)]
        return d

    d = dict(platform.cached(_key(platform, versions.ACCOUNTING, "inventory", year, lang), compute,
                             lambda v: LINE_WEIGHT * (len(v["lines"]) + len(v["by_sector"]))))
    # the key energy-using units' metered energy and CO2 of the year, beside the statistical series
    metered = next((m for m in monitoring.metered_totals(platform) if m["year"] == year), None)
    if metered is not None:  # the statistical industry: sectors named 工业 / 工业-<division>
        metered = {**metered, "statistical_industry_tce": sum(r["energy_tce"] for r in d["by_sector"]
                                                             if str(r["sector"]).startswith("工业"))}
    d["metered_key_units"] = metered
    if sector or carrier:
        d["lines"] = [ln for ln in d["lines"] if (not sector or ln["sector"] == sector)
                      and (not carrier or ln["carrier"] == carrier)]
    return d


def barometer(platform: Platform, year: int, lang: str = "zh", rule: BarometerRule | None = None) -> Barometer:
    rule = rule or BarometerRule()
    if rule != BarometerRule():  # any other rule: computed each time (rules are unbounded), from the cached context
        return assess_year(context(platform), year, rule, lang)
    return platform.cached(_key(platform, versions.TRACKING, "barometer", year, lang),
                           lambda: assess_year(context(platform), year, rule, lang))


def target_trajectory(platform: Platform, target_id: str, lang: str = "zh") -> Trajectory:
    def compute() -> Trajectory:
        res = trajectory(platform, target_id, REPORT_OPTIONS, BarometerRule(), lang)
        if lang == "zh":
            return res
        return dataclasses.replace(res, target=translated(context(platform).plan, res.target, lang))
    return platform.cached(_key(platform, versions.TRACKING, "trajectory", target_id, lang), compute)


SINK_TARGETS = ("carbon_sink_project_area", "carbon_sink_project_area_bamboo", "carbon_sink_project_area_arbor")
BUILDING_TARGETS = ("public_building_retrofit_area", "residential_retrofit_area", "renewable_building_area",
                    "old_community_retrofit_area_per_year", "energy_efficient_building_share")


def _target_rows(platform: Platform, indicators: tuple[str, ...], lang: str) -> list[BarometerRow]:
    rows = overview(platform, None, lang).barometer.targets  # the latest data year, default rule
    return [r for r in rows if r.indicator in indicators]


@dataclass(frozen=True)
class SinkProject(registry.Project):
    """A carbon-sink project of the registry with its area in ha and the sink expected of it."""
    area_ha: float | None
    expected_sink_tco2_per_year: float | None


@dataclass(frozen=True)
class SinkProgramme:
    """The /sinks page's programme: the plan's sink-area targets beside the registry's sink projects."""
    targets: list[BarometerRow]
    projects: list[SinkProject]
    sink_per_ha: float | None  # the ledger's average annual sink per ha of forest (tCO2/ha/a)
    method: str
    developer_rules: list[dict[str, str]]  # refdata sink_project_rules, as the file has them


@dataclass(frozen=True)
class BuildingProgramme:
    """The /buildings page's programme: retrofit and green-building targets, the building projects."""
    targets: list[BarometerRow]
    projects: list[registry.Project]


def sink_projects(platform: Platform, lang: str = "zh") -> SinkProgramme:
    """Carbon-sink projects: the plan's area targets with their progress, the registry's sink
    projects with their area in ha, and the sink expected of that area at the ledger's average
    annual sink per ha of forest (a stated approximation)."""
    per_ha = None
    try:
        ledger = sinks.stored_ledger(platform)
        if "sink" in ledger and ledger["inventories"][-1]["area_ha"]:
            per_ha = ledger["sink"]["total_tco2_per_year"] / ledger["inventories"][-1]["area_ha"]
    except NotFound:
        pass
    projects = []
    for p in registry.list_projects(platform, type="carbon_sink"):
        ha = None
        if p.capacity is not None and p.capacity_unit:
            try:
                ha = p.capacity * conversion_factor(p.capacity_unit, "hectare")
            except UnitError:
                ha = None
        projects.append(SinkProject(**{f.name: getattr(p, f.name) for f in dataclasses.fields(p)}, area_ha=ha,
                                    expected_sink_tco2_per_year=ha * per_ha if ha and per_ha else None))
    method = ("expected sink = project area × the ledger's average annual sink per ha of forest land"
              if lang == "en" else "预计碳汇 = 项目面积 × 碳汇账本中林地每公顷平均年碳汇")
    return SinkProgramme(_target_rows(platform, SINK_TARGETS, lang), projects, per_ha, method, load_sink_project_rules())


def building_programmes(platform: Platform, lang: str = "zh") -> BuildingProgramme:
    """Retrofit and renewable-building targets with their progress, and the registry's building projects."""
    projects = [p for p in registry.list_projects(platform) if p.type in ("building", "building_retrofit",
                                                                         "building_management")]
    return BuildingProgramme(_target_rows(platform, BUILDING_TARGETS, lang), projects)


def project_filters(platform: Platform) -> dict[str, set]:
    """The values the project filters can take (type, town, status, year), per registry version."""
    def compute() -> dict[str, set]:
        every = registry.list_projects(platform)
        return {"type": {x.type for x in every}, "town": {x.town for x in every if x.town},
                "status": set(registry.PROJECT_STATUSES), "year": {x.year for x in every if x.year}}
    return platform.cached(_key(platform, versions.PROJECTS, "project-filters"), compute)


def known_project_filter(platform: Platform, **filters) -> bool:
    """Whether every filter given is empty or one of the registry's values: only such answers
    are cached (free text would let anyone fill the cache with one-off entries)."""
    known = project_filters(platform)
    return all(v in (None, "") or v in known[k] for k, v in filters.items())
