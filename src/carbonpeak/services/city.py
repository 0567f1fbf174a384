"""The counties of a deployment side by side and summed: what a city's roles see (issue #17).

Each county's figures are that county's own results (its tracking context, services/views.py), so
the city page shows exactly the numbers of each county's own pages. Totals are summed per
emissions perspective and never across them: the territorial (属地, direct) emissions of the
counties add up without double counting, as each plant stands in one county; the with-electricity
figures (含电力: direct emissions adjusted by the county's net electricity import at the grid
factor) add up too, as electricity traded between the city's counties cancels in the sum, which
leaves the city's own net import; but only when every county accounts on the same policy
(electricity convention, feedstock basis, grid-year fallback, grid) in the same units, else the
sum is withheld with the reason. Factor values a county stored over the shipped ones (table
factor_overrides, e.g. its own grid factor) are not compared yet (docs/tenancy.md). A county without data in the year is listed as such and the sums are withheld (a
partial sum would read as the city's total). Intensities are not summed (the counties' GDP may
rest on different price bases); the counties are ranked by their own intensity decline.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..domain.labels import CONVENTIONS, say
from .accounting import accounting_policy
from .city_targets import UpperTargets, upper_targets, withheld
from .errors import NotFound
from .tenancy import Deployment

SUMMED = (("energy_total", "raw"), ("energy_total", "assessment"), ("co2_total", "territorial"),
          ("co2_total", "with_electricity"))
RANKED = ("energy_intensity_change_vs_base", "assessment")  # lower is better (a larger decline)


@dataclass(frozen=True)
class Figure:
    code: str
    basis: str
    value: float | None
    unit: str
    convention: str  # the electricity convention of its energy ("" when none enters)
    grid: str  # the grid whose factor its electricity carries (the county's accounting policy)
    accounting: str  # the county's whole accounting policy in words (zh / en): conventions, bases, fallback


@dataclass(frozen=True)
class CountyRow:
    code: str
    name: str
    year: int | None  # the year shown (None: the county has no data in that year)
    years: tuple[int, ...]
    figures: tuple[Figure, ...]
    intensity_change_pct: float | None
    lights: dict[str, int]  # the county's barometer: green/yellow/red/grey counts
    illustrative: bool
    rank: int | None = None  # by the decline of energy intensity (1 = the largest decline)


@dataclass(frozen=True)
class Total:
    code: str
    basis: str
    value: float | None
    unit: str
    withheld: str = ""  # why there is no sum (zh / en)


@dataclass(frozen=True)
class CityOverview:
    year: int | None
    years: tuple[int, ...]  # years with data in every county
    counties: tuple[CountyRow, ...]
    totals: tuple[Total, ...]
    rule: str  # how the totals are formed, in words
    upper: UpperTargets | None = None  # the city's or province's own targets, rated on the counties


def _county(code: str, name: str, platform, year: int | None, lang: str) -> CountyRow:
    from . import views  # views builds on the tracking context; city sits above it

    try:
        ctx = views.context(platform)
    except NotFound:  # no plan stored yet
        return CountyRow(code, name, None, (), (), None, {}, False)
    years = tuple(ctx.data_years)
    y = year if year in years else None
    figs, change = [], None
    if y is not None and ctx.indicators is not None:
        policy = accounting_policy(platform)
        words = policy.words(lang)
        for c, basis in SUMMED:
            v = ctx.indicators.get(c, y, basis)
            conv = say(CONVENTIONS, str(getattr(v.convention, "value", v.convention)), lang) if v else ""
            figs.append(Figure(c, basis, v.value if v else None, v.unit if v else "", conv, policy.grid, words))
        r = ctx.indicators.get(RANKED[0], y, RANKED[1])
        change = r.value if r else None
    lights = dict(views.barometer(platform, y, lang).counts) if y is not None else {}
    return CountyRow(code, name, y, years, tuple(figs), change, lights, bool(y in ctx.illustrative_years))


def _ranked(rows: list[CountyRow]) -> list[CountyRow]:
    order = sorted((r for r in rows if r.intensity_change_pct is not None), key=lambda r: r.intensity_change_pct)
    rank = {r.code: i + 1 for i, r in enumerate(order)}
    return [CountyRow(**{**r.__dict__, "rank": rank.get(r.code)}) for r in rows]


def _total(rows: list[CountyRow], i: int, lang: str) -> Total:
    code, basis = SUMMED[i]
    figs = [r.figures[i] if r.figures else None for r in rows]
    unit = next((f.unit for f in figs if f is not None and f.unit), "")
    why = withheld([r.name for r, f in zip(rows, figs) if f is None or f.value is None],
                   [("units", "单位", {f.unit for f in figs if f is not None}),
                    ("accounting policies", "核算口径", {f.accounting for f in figs if f is not None})], lang, "不能相加")
    if why:
        return Total(code, basis, None, unit, why)
    return Total(code, basis, sum(f.value for f in figs if f is not None and f.value is not None), unit)


def overview(dep: Deployment, year: int | None = None, lang: str = "zh") -> CityOverview:
    """Every county of ``dep`` in ``year`` (default: the latest year with data in every county)."""
    infos = dep.info()
    firsts = [_county(c.code, c.name, dep.county(c.code), None, lang) for c in infos]
    common = sorted(set.intersection(*(set(r.years) for r in firsts))) if firsts else []
    y = year if year is not None else (common[-1] if common else None)
    rows = _ranked([_county(c.code, c.name, dep.county(c.code), y, lang) for c in infos])
    totals = [_total(rows, i, lang) for i in range(len(SUMMED))]
    zh = lang == "zh"
    rule = ("属地排放与含电力排放分别相加，不跨口径相加；任一县缺数据、单位或核算口径不同时不给合计；强度不相加，"
            "按各县能耗强度较基年下降幅度排名（降幅大者在前）" if zh else
            "territorial and with-electricity emissions are summed separately, never across perspectives; no sum "
            "when a county lacks data or differs in units or accounting policy; intensities are not summed; counties "
            "are ranked by the decline of energy intensity since the base year (largest first)")
    return CityOverview(y, tuple(common), tuple(rows), tuple(totals), rule, upper_targets(dep, y, lang))
