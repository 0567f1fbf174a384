"""Scenario use cases: read a scenario spec (TOML, with inheritance), build the base state from the
stored inventory, link the plan's projects from the registry, run the Monte Carlo projection.

A spec names its ``parent``; the child stores only what it changes (tables are merged key by
key, lists replaced). Distributions are stated in the spec: ``{mean = .., sd = .., kind = ..}``.
"""

from __future__ import annotations

import tempfile
import tomllib
from dataclasses import replace
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..domain.accounting import AccountingOptions
from ..domain.conventions import CONVENTION_TEXT, OFFICIAL_SHARE_CONVENTION
from ..domain.findings import InputIssue
from ..domain import lmdi
from ..domain.indicators import NONFOSSIL_EXCLUDED_FROM
from ..domain.peaks import WINDOW as PEAK_WINDOW
from ..domain.peaks import summary as peak_summary
from ..domain.projection import (GROUPS, KWH_PER_TCE, Addition, BaseState, Demand, Dist, Levers, Projection, Switch,
                                 band, peaks, project)
from .accounting import stored_lines
from .conventions import coal_rates
from . import flags
from .errors import InputRejected, NotFound
from .iamc import IAMC_VARIABLES, export_iamc, iamc_frame, iamc_meta  # noqa: F401 (re-exported)
from .indicators import indicator_set
from .platform import Platform
from .plans import stored_plan
from .registry import list_projects

CATEGORY_GROUP = {"coal": "coal", "oil": "oil", "gas": "gas", "electricity": "electricity", "heat": "heat"}
GENERATION_TYPE = {"水力发电": "hydro", "风力发电": "wind", "太阳能发电": "pv", "生物质发电": "biomass_power",
                   "火力发电": "thermal"}
CAPACITY_KW = {"万千瓦": 1e4, "MW": 1e3, "kW": 1.0}
OPTIONS = AccountingOptions(electricity_fallback="nearest")
BASE_YEAR = 2020  # reference of the intensity targets (plan period base)
ACCOUNTING = OPTIONS.electricity_convention  # energy totals stay on the accounting's convention
SHARE_CONVENTION = OFFICIAL_SHARE_CONVENTION  # the non-fossil share: as the inventory shows it (发电煤耗计算法)
# The indicator each result series projects, with the electricity convention it is on ("" for
# none): its starting (base) year is that indicator's value in the inventory (result key "figures").
FIGURES = {"energy_tce": ("energy_total", "raw", ACCOUNTING), "co2_territorial_t": ("co2_total", "territorial", ""),
           "co2_with_electricity_t": ("co2_total", "with_electricity", ""),
           "nonfossil_share_pct": ("nonfossil_share", "raw", SHARE_CONVENTION),
           "renewable_share_local_generation_pct": ("renewable_share_local_generation", "", ""),
           "energy_intensity_change_vs_2020_pct": ("energy_intensity_change_vs_base", "assessment", ACCOUNTING)}


def _merge(parent: dict, child: dict) -> dict:
    out = dict(parent)
    for k, v in child.items():
        out[k] = _merge(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
    return out


def load_spec(path: Path, _seen: tuple[Path, ...] = ()) -> dict[str, Any]:
    """The spec with its parents resolved (a parent path is relative to the child)."""
    path = path.resolve()
    if path in _seen:
        raise InputRejected([InputIssue("input.bad_value", path.name, None, "scenario.parent",
                                        {"value": str(path), "reason": "circular inheritance"})])
    try:
        spec = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise InputRejected([InputIssue("input.file_unreadable", path.name, None, None, {"reason": str(exc)})]) from exc
    parent = spec.get("scenario", {}).get("parent")
    if parent:
        base = load_spec(path.parent / parent, (*_seen, path))
        spec = _merge(base, {**spec, "scenario": {**spec.get("scenario", {})}})
    spec.setdefault("scenario", {})["lineage"] = [*spec["scenario"].get("lineage", []), path.stem] if parent \
        else [path.stem]
    return spec


def _dist(v: Any, where: str, file: str) -> Dist:
    if isinstance(v, (int, float)):
        return Dist(float(v))
    if isinstance(v, dict) and "mean" in v:
        kind = v.get("kind", "normal")
        if kind not in ("normal", "lognormal", "fixed") or float(v.get("sd", 0)) < 0:
            raise InputRejected([InputIssue("input.bad_value", file, None, where, {"value": v, "reason": "kind normal|lognormal|fixed, sd ≥ 0"})])
        return Dist(float(v["mean"]), float(v.get("sd", 0.0)), kind)
    raise InputRejected([InputIssue("input.bad_value", file, None, where,
                                    {"value": v, "reason": "a number or {mean = .., sd = ..}"})])


def base_state(platform: Platform, perspective: str, spec: dict | None = None) -> tuple[BaseState, dict[str, Any]]:
    """The last stored year as the projection's starting point, with the earlier years' CO2."""
    plan = stored_plan(platform)
    if plan is None:
        raise NotFound("no plan loaded")
    lines, found, gdp = stored_lines(platform, plan.region, OPTIONS)
    year = int(lines["year"].max())
    cur = lines[lines["year"] == year]
    cons = cur[cur["category"].isin(CATEGORY_GROUP)]
    sectors = sorted(set(cur["sector"]) - {"电力生产"} | set(cons["sector"]))
    energy = np.zeros((len(sectors), len(GROUPS)))
    direct = np.zeros(len(GROUPS))
    for (s, cat), g in cons.groupby(["sector", "category"]):
        energy[sectors.index(s), GROUPS.index(CATEGORY_GROUP[cat])] += g["energy_tce"].sum()
    for cat, g in cons.groupby("category"):
        direct[GROUPS.index(CATEGORY_GROUP[cat])] += g["co2_direct_t"].sum()
    tot = energy.sum(axis=0)
    ef = np.divide(direct, tot, out=np.zeros_like(tot), where=tot > 0)
    proc = cur[cur["category"] == "process"].groupby("sector")["co2_direct_t"].sum()
    process = np.array([float(proc.get(s, 0.0)) for s in sectors])
    gen = cur[cur["category"] == "generation"].groupby("carrier")["quantity_canonical"].sum()
    generation = {GENERATION_TYPE[c]: float(v) for c, v in gen.items() if c in GENERATION_TYPE}
    el = cur[cur["category"] == "electricity"]
    grid = float(el["co2_electricity_t"].sum() / el["quantity_canonical"].sum()) if el["quantity_canonical"].sum() else 0.0
    column = "co2_direct_t" if perspective == "territorial" else "co2_t"
    history = {int(y): float(v) for y, v in lines.groupby("year")[column].sum().items() if int(y) < year}
    meta = {"region": plan.region, "base_year": year, "sectors": sectors,
            "illustrative": bool(lines.get("illustrative", pd.Series(dtype=bool)).any()),
            "proxy_years": flags.proxy_years(found),  # years accounted with another year's grid factor
            "gdp": {int(r.year): float(r.gdp_current) for r in gdp.itertuples()} if len(gdp) else {}}
    dr = (spec or {}).get("drivers", {})
    iset = indicator_set(platform, OPTIONS, plan.region)  # the figures every surface shows
    meta["indicators"] = iset.table() if len(gdp) else {}
    meta["figures"] = {k: iset.figure(v) for k, (code, basis, conv) in FIGURES.items()
                       if (v := iset.get(code, year, basis, convention=conv)) is not None}
    meta["lines"] = lines  # the accounted history, for its decomposition
    return BaseState(year, sectors, energy, ef, process, generation, grid, history,
                     population=float(dr.get("population_base", 0.0)),
                     urbanisation=float(dr.get("urbanisation_base", 0.0)), share_convention=SHARE_CONVENTION,
                     share_kgce_per_kwh={y: r.value for y, r in coal_rates(platform.ref.factors).items()}), meta


def _online(p: dict, m: dict, base_year: int) -> int | None:
    """A registry project's online year under the spec's rules; None when cancelled.
    Actual year if recorded, else a per-project override of the spec, else the planned year, else
    ``undated_year``; ``delayed`` without an actual year comes ``delay_years`` later."""
    if p["status"] == "cancelled":
        return None
    online = p["actual_year"] or m.get("online", {}).get(p["id"]) or p["year"] or int(m.get("undated_year", base_year + 3))
    if p["status"] == "delayed" and not p["actual_year"]:
        online += int(m.get("delay_years", 2))
    return int(online)


def registry_measures(platform: Platform, spec: dict, base_year: int, file: str = "spec"
                      ) -> tuple[list[Addition], list[Demand], list[dict], dict[str, int | None]]:
    """Projects of the registry as measures, by type as the spec says (``measures.registry``):
    ``generation`` (capacity × full-load hours), ``storage`` (net consumption: capacity × hours ×
    (1/efficiency − 1)), ``demand`` / ``saving`` (per_unit × capacity tce per year, savings
    negative, optionally cumulative). Also returns every project's online year, for switches that
    a project enables (``enabled_by``)."""
    m = spec.get("measures", {}).get("registry", {})
    projects = list_projects(platform)
    onlines = {p["id"]: _online(p, m, base_year) for p in projects}
    if not m.get("enabled", False):
        return [], [], [], onlines
    types = m.get("types", {})
    additions, demands, used = [], [], []
    for p in projects:
        conf = types.get(p["type"])
        online = onlines[p["id"]]
        if conf is None or online is None or p["capacity"] is None or online <= base_year:
            continue  # not modelled, cancelled, no size, or already in the base year's data
        cap = p["actual_capacity"] if p["actual_capacity"] is not None else p["capacity"]
        kind, where = conf.get("kind"), f"measures.registry.types.{p['type']}"
        if kind in ("generation", "storage"):
            factor = CAPACITY_KW.get(p["capacity_unit"] or "")
            if factor is None:
                continue
            hours = _dist(conf.get("hours"), f"{where}.hours", file)
            if kind == "generation":
                additions.append(Addition(p["id"], p["type"], cap * factor, online, hours))
            else:
                eta = float(conf.get("efficiency", 0.75))
                loss = cap * factor * (1.0 / eta - 1.0) / KWH_PER_TCE  # tce of electricity per full-load hour
                demands.append(Demand(p["id"], p["type"], conf.get("sector", "储能"), "electricity",
                                      Dist(hours.mean * loss, hours.sd * loss, hours.kind), online))
        elif kind in ("demand", "saving"):
            per = _dist(conf.get("per_unit"), f"{where}.per_unit", file)
            sign = -1.0 if kind == "saving" else 1.0
            group = conf.get("group", "coal")
            if group not in GROUPS:
                raise InputRejected([InputIssue("input.bad_value", file, None, f"{where}.group",
                                                {"value": group, "reason": f"one of {GROUPS}"})])
            demands.append(Demand(p["id"], p["type"], conf.get("sector", ""), group,
                                  Dist(sign * per.mean * cap, per.sd * cap, per.kind), online,
                                  bool(conf.get("cumulative", False))))
        else:
            raise InputRejected([InputIssue("input.bad_value", file, None, f"{where}.kind",
                                            {"value": kind, "reason": "generation | storage | demand | saving"})])
        used.append({"id": p["id"], "name": p["name"], "type": p["type"], "kind": kind, "capacity": cap,
                     "unit": p["capacity_unit"], "online": online, "status": p["status"]})
    return additions, demands, used, onlines


def levers_from_spec(spec: dict, additions: list[Addition], file: str, demands: list[Demand] = (),
                     onlines: dict[str, int | None] | None = None) -> Levers:
    sc, dr, en, el = (spec.get(k, {}) for k in ("scenario", "drivers", "energy", "electricity"))
    sectors = en.get("sectors", {})
    intensity = {"*": _dist(en.get("intensity_change", 0.0), "energy.intensity_change", file)}
    elasticity = {"*": float(en.get("elasticity", 1.0))}
    for s, v in sectors.items():
        if "intensity_change" in v:
            intensity[s] = _dist(v["intensity_change"], f"energy.sectors.{s}.intensity_change", file)
        if "elasticity" in v:
            elasticity[s] = float(v["elasticity"])
    driver = {"*": "gdp"}
    for sname, v in sectors.items():
        if "driver" in v:
            if v["driver"] not in ("gdp", "urban", "rural", "population"):
                raise InputRejected([InputIssue("input.bad_value", file, None, f"energy.sectors.{sname}.driver",
                                                {"value": v["driver"], "reason": "gdp | urban | rural | population"})])
            driver[sname] = v["driver"]
    switches = []
    for w in spec.get("measures", {}).get("switching", []):
        start = int(w["start"])
        if w.get("enabled_by"):  # a switch that needs a project (e.g. 煤改气 needs the gas pipeline)
            online = (onlines or {}).get(w["enabled_by"])
            if online is None:
                continue  # the enabling project is cancelled (or unknown): no switch
            start = max(start, online)
        switches.append(Switch(w["name"], w["from"], w["to"], start, float(w["rate"]), float(w.get("ratio", 1.0)),
                               tuple(w.get("sectors", ()))))
    switches = tuple(switches)
    for w in switches:
        if w.source not in GROUPS or w.target not in GROUPS or not 0 <= w.rate <= 1:
            raise InputRejected([InputIssue("input.bad_value", file, None, "measures.switching",
                                            {"value": w.name, "reason": f"groups in {GROUPS}, rate in [0, 1]"})])
    return Levers(
        gdp_growth=_dist(dr.get("gdp_growth", 0.0), "drivers.gdp_growth", file), intensity_change=intensity,
        elasticity=elasticity, driver=driver,
        population_growth=_dist(dr.get("population_growth", 0.0), "drivers.population_growth", file),
        urbanisation_change=_dist(dr.get("urbanisation_change", 0.0), "drivers.urbanisation_change", file),
        ef_uncertainty=float(en.get("ef_uncertainty", 0.0)),
        grid_factor_change=_dist(el.get("grid_factor_change", 0.0), "electricity.grid_factor_change", file),
        grid_factor_noise=float(el.get("grid_factor_noise", 0.0)),
        hydro_variability=float(el.get("hydro_variability", 0.0)),
        import_nonfossil_fraction=el.get("import_nonfossil_fraction"), switches=switches,
        additions=tuple(additions), demands=tuple(demands), perspective=sc.get("perspective", "territorial"))


def _run_settings(sc: dict, file: str, draws: int | None, seed: int | None) -> tuple[str, int, int, int, float, int]:
    """The run's settings from ``[scenario]``: perspective, draws, seed, horizon, plateau tolerance
    and peak window (domain/peaks.py), each checked and named when wrong."""
    perspective = sc.get("perspective", "territorial")
    tol, window = float(sc.get("plateau_tolerance", 0.01)), sc.get("peak_window", PEAK_WINDOW)
    for key, bad, reason in (
            ("perspective", perspective not in ("territorial", "with_electricity"), "territorial | with_electricity"),
            ("plateau_tolerance", not 0 <= tol < 0.5, "0 ≤ tolerance < 0.5 (0.01 = 1 %)"),
            ("peak_window", not isinstance(window, int) or window < 2, "whole years ≥ 2")):
        if bad:
            raise InputRejected([InputIssue("input.bad_value", file, None, f"scenario.{key}",
                                            {"value": sc[key], "reason": reason})])
    return (perspective, int(draws or sc.get("draws", 10000)), int(seed if seed is not None else sc.get("seed", 0)),
            int(sc.get("horizon", 2035)), tol, window)


def run_scenario(platform: Platform, spec_path: Path, draws: int | None = None, seed: int | None = None) -> dict[str, Any]:
    spec = load_spec(spec_path)
    sc = spec["scenario"]
    perspective, draws, seed, horizon, tol, window = _run_settings(sc, spec_path.name, draws, seed)
    base, meta = base_state(platform, perspective, spec)
    additions, demands, used, onlines = registry_measures(platform, spec, base.year, spec_path.name)
    levers = levers_from_spec(spec, additions, spec_path.name, demands, onlines)
    proj = project(base, levers, horizon, draws, seed)
    parent = _parent_levers(platform, spec, spec_path, base)
    intensity = energy_intensity_change(proj, meta)
    series = proj.co2_territorial if perspective == "territorial" else proj.co2_with_electricity
    pk = peaks(series, proj.years, tol, base.history, window)
    return {
        "scenario": sc.get("name", spec_path.stem), "lineage": sc.get("lineage"), "spec": str(spec_path),
        "region": meta["region"], "base_year": base.year, "horizon": horizon, "draws": draws, "seed": seed,
        "perspective": perspective, **peak_summary(pk),  # peak year, P(≤ 2030), P(not peaked), the rule
        "years": [int(y) for y in proj.years],
        "co2_territorial_t": band(proj.co2_territorial), "co2_with_electricity_t": band(proj.co2_with_electricity),
        "energy_tce": band(proj.energy), "nonfossil_share_pct": band(proj.nonfossil_share),
        "nonfossil_share_convention": share_convention(proj),
        "energy_intensity_change_vs_2020_pct": band(intensity),
        **net_after_sink(platform, proj),
        "renewable_share_local_generation_pct": band(proj.renewable_share),
        "target_checks": target_checks(platform, proj, intensity),
        "wedges": wedges(base, levers, parent, horizon, perspective),
        "decomposition": {"history": history_lmdi(meta),
                          "vs_parent": gap_lmdi(spec, base, levers, parent, horizon)},
        "history": base.history, "projects": used, "figures": meta["figures"],
        "illustrative": meta["illustrative"] or bool(sc.get("illustrative", True)),
        **flags.scenario_flags(meta["illustrative"] or bool(sc.get("illustrative", True)), meta["proxy_years"],
                               base.year, list(base.history), perspective),
        "assumptions": {k: spec.get(k, {}) for k in ("drivers", "energy", "electricity", "measures")},
    }


def energy_intensity_change(proj: Projection, meta: dict) -> np.ndarray:
    """Energy intensity change vs 2020 [%] on the assessment basis (non-fossil energy excluded
    from 2024 on, the 2020 base restated alike; feedstock is not modelled), per draw and year."""
    ind, gdp = meta.get("indicators", {}), meta.get("gdp", {})
    base_year = int(proj.years[0])
    g_base = ind.get(("gdp_constant", base_year, ""))
    e20, nf20, fs20 = (ind.get((c, BASE_YEAR, b)) for c, b in (("energy_total", "raw"), ("nonfossil_energy", "raw"),
                                                               ("energy_total", "assessment")))
    g20 = ind.get(("gdp_constant", BASE_YEAR, ""))
    if None in (g_base, e20, nf20, g20) or not gdp:
        return np.full(proj.energy.shape, np.nan)
    nonfossil = proj.nonfossil_energy  # at the accounting's convention, as the energy totals
    excluded = (proj.years >= NONFOSSIL_EXCLUDED_FROM)[None, :]
    energy = np.where(excluded, proj.energy - nonfossil, proj.energy)
    ref = np.where(excluded, e20 - nf20, e20) / g20
    change = np.round(energy / (g_base * proj.gdp_index) / ref - 1.0, 4) * 100.0  # the Hunan 4-decimal rule
    start = (meta.get("figures", {}).get("energy_intensity_change_vs_2020_pct") or {}).get("value")
    if start is not None:
        change[:, 0] = start  # the base year is data: the inventory's figure
    return change


CHECKS = {"nonfossil_share": "nonfossil_share", "energy_intensity_change_vs_base": "intensity",
          "renewable_share_local_generation": "renewable_share"}


def target_checks(platform: Platform, proj: Projection, intensity: np.ndarray) -> list[dict[str, Any]]:
    """For each plan target the projection computes, in its target year: the median projected
    value and the share of draws that meet it."""
    plan = stored_plan(platform)
    series = {"nonfossil_share": proj.nonfossil_share, "intensity": intensity, "renewable_share": proj.renewable_share}
    out = []
    for t in plan.targets if plan else []:
        key = CHECKS.get(t.indicator)
        if key is None or t.value is None or t.target_year not in proj.years:
            continue
        x = series[key][:, list(proj.years).index(t.target_year)]
        if np.isnan(x).all():
            continue
        tol = abs(t.value) * 0.02 if t.direction.startswith("~") else 0.0
        met = x <= t.value + tol if t.direction.endswith("<=") else x >= t.value - tol
        out.append({"id": t.id, "name": t.name, "year": t.target_year, "target": t.value, "direction": t.direction,
                    "unit": t.unit, "median": float(np.nanmedian(x)), "p_met": float(np.mean(met & ~np.isnan(x))),
                    "convention": proj.share_convention if key == "nonfossil_share" else ""})
    return out


def share_convention(proj: Projection) -> dict[str, Any]:
    """How the projected non-fossil share values electricity: the convention (as the inventory
    shows the share), each year's kgce/kWh and the rule for future years."""
    zh, en = CONVENTION_TEXT[proj.share_convention]
    return {"convention": proj.share_convention, "name": {"zh": zh, "en": en},
            "kgce_per_kwh": [None if np.isnan(c) else float(c) for c in proj.share_kgce_per_kwh],
            "rule": {"zh": "每年按当年系数折算；无当年系数的未来年份沿用最近已知年份的系数；能源消费总量仍按核算口径",
                     "en": "each year at its own coefficient; future years without one at the last known "
                           "year's; energy totals stay on the accounting's convention"}}


def _central(levers: Levers) -> Levers:
    return replace(levers, gdp_growth=levers.gdp_growth.central(),
                   intensity_change={k: v.central() for k, v in levers.intensity_change.items()},
                   ef_uncertainty=0.0, grid_factor_change=levers.grid_factor_change.central(), grid_factor_noise=0.0,
                   hydro_variability=0.0, population_growth=levers.population_growth.central(),
                   urbanisation_change=levers.urbanisation_change.central(),
                   additions=tuple(replace(a, hours=a.hours.central()) for a in levers.additions),
                   demands=tuple(replace(d, amount=d.amount.central()) for d in levers.demands))


def _series(p: Projection, perspective: str) -> np.ndarray:
    return (p.co2_territorial if perspective == "territorial" else p.co2_with_electricity)[0]


def _parent_levers(platform: Platform, spec: dict, spec_path: Path, base: BaseState) -> Levers | None:
    parent = spec["scenario"].get("parent")
    if not parent:
        return None
    pspec = load_spec(spec_path.parent / parent)
    adds, dems, _, onl = registry_measures(platform, pspec, base.year, parent)
    return levers_from_spec(pspec, adds, parent, dems, onl)


def wedges(base: BaseState, levers: Levers, parent: Levers | None, horizon: int,
           perspective: str) -> dict[str, Any]:
    """Reductions per measure (central values, no uncertainty), on the scenario's perspective:
    each fuel switch and the registry's generation, each as (scenario without it) − (scenario);
    the rest of the difference to the parent scenario (efficiency and other changes, and
    interactions) as one residual wedge."""
    c = _central(levers)
    full = _series(project(base, c, horizon, 1, 0), perspective)
    years = list(range(base.year, horizon + 1))
    out: dict[str, list[float]] = {}
    for sw in c.switches:
        without = replace(c, switches=tuple(x for x in c.switches if x is not sw))
        out[sw.name] = list(_series(project(base, without, horizon, 1, 0), perspective) - full)
    if c.additions:
        out["方案发电项目 registry generation"] = list(
            _series(project(base, replace(c, additions=()), horizon, 1, 0), perspective) - full)
    for kind in sorted({d.kind for d in c.demands}):
        without = replace(c, demands=tuple(d for d in c.demands if d.kind != kind))
        out[f"方案项目 {kind}"] = list(_series(project(base, without, horizon, 1, 0), perspective) - full)
    if parent is not None:
        gap = _series(project(base, _central(parent), horizon, 1, 0), perspective) - full
        out["其他（能效等）other incl. efficiency"] = list(gap - np.sum(list(out.values()) or [np.zeros(len(years))], axis=0))
    return {"years": years, "perspective": perspective, "wedges": {k: [float(x) for x in v] for k, v in out.items()},
            "central": [float(x) for x in full]}


def _lmdi_sectors(gdp0, e0, c0, gdp1, e1, c1) -> dict[str, float]:
    """CO2 = Σ_s G · (E_s / G) · (C_s / E_s): activity, sectoral energy intensity, carbon intensity."""
    keep = (e0 > 0) & (e1 > 0)
    f0 = {"activity": np.full(keep.sum(), gdp0), "energy_intensity": e0[keep] / gdp0, "carbon_intensity": c0[keep] / e0[keep]}
    f1 = {"activity": np.full(keep.sum(), gdp1), "energy_intensity": e1[keep] / gdp1, "carbon_intensity": c1[keep] / e1[keep]}
    eff = lmdi.additive(f0, f1)
    eff["total"] = float(c1[keep].sum() - c0[keep].sum())
    eff["not_decomposed"] = float((c1[~keep].sum()) - (c0[~keep].sum()))  # sectors without energy in a year
    return eff


def history_lmdi(meta: dict) -> dict[str, Any] | None:
    """Territorial CO2 change between the first and last stored year, decomposed (LMDI)."""
    ind = meta.get("indicators", {})
    lines = meta["lines"]
    years = sorted(int(y) for y in lines["year"].unique())
    y0, y1 = years[0], years[-1]
    g0, g1 = ind.get(("gdp_constant", y0, "")), ind.get(("gdp_constant", y1, ""))
    if g0 is None or g1 is None or y0 == y1:
        return None
    sectors = sorted(set(lines["sector"]))
    by = lines.groupby(["year", "sector"])[["energy_tce", "co2_direct_t"]].sum()

    def vec(year, col):
        return np.array([float(by[col].get((year, s), 0.0)) for s in sectors])

    eff = _lmdi_sectors(g0, vec(y0, "energy_tce"), vec(y0, "co2_direct_t"), g1, vec(y1, "energy_tce"), vec(y1, "co2_direct_t"))
    return {"from": y0, "to": y1, "unit": "tCO2", "effects": eff}


def gap_lmdi(spec: dict, base: BaseState, levers: Levers, parent: Levers | None, horizon: int,
             year: int = 2030) -> dict[str, Any] | None:
    """Territorial CO2 gap between the parent scenario and this one in ``year`` (central values)."""
    if parent is None or not base.year < year <= horizon:
        return None
    i = year - base.year
    a = project(base, _central(parent), horizon, 1, 0)
    b = project(base, _central(levers), horizon, 1, 0)
    eff = _lmdi_sectors(a.gdp_index[0, i], a.energy_by_sector[0, i], a.co2_by_sector[0, i],
                        b.gdp_index[0, i], b.energy_by_sector[0, i], b.co2_by_sector[0, i])
    return {"year": year, "from": spec["scenario"].get("parent"), "unit": "tCO2", "effects": eff}


def scenario_dir() -> Path:
    return Path(str(resources.files("carbonpeak").joinpath("data", "scenarios", "anhua")))


def list_specs() -> list[dict[str, Any]]:
    out = []
    for f in sorted(scenario_dir().glob("*.toml"), key=lambda p: ("baseline", "policy", "enhanced").index(p.stem)
                    if p.stem in ("baseline", "policy", "enhanced") else 9):
        spec = load_spec(f)
        out.append({"id": f.stem, "name": spec["scenario"].get("name", f.stem), "lineage": spec["scenario"]["lineage"]})
    return out


def spec_path(name: str) -> Path:
    path = scenario_dir() / f"{name}.toml"
    if not name.isidentifier() or not path.exists():
        raise NotFound(f"no scenario {name!r}")
    return path


def published_run(path: Path) -> tuple[int, int]:
    """(draws, seed) of a scenario's published run: those its spec states (what run_scenario uses
    when given none)."""
    sc = load_spec(path)["scenario"]
    return int(sc.get("draws", 10000)), int(sc.get("seed", 0))


def _toml_value(v: Any) -> str:
    if isinstance(v, str):
        return '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{k} = {_toml_value(x)}" for k, x in v.items()) + " }"
    if isinstance(v, list):
        return "[" + ", ".join(_toml_value(x) for x in v) + "]"
    return repr(float(v)) if isinstance(v, float) else str(v)


def child_spec(parent: str, overrides: dict[str, Any]) -> str:
    """A child spec (TOML text) of a bundled scenario that changes only the given levers:
    ``gdp_growth``, ``intensity_change``, ``grid_factor_change`` (means; the parent's sd is kept)
    and ``switch_rates`` {name: rate}. Users can save and version it."""
    base = load_spec(spec_path(parent))
    lines = ["# Derived with the CarbonPeak scenario editor: only the changed levers are stored.",
             "[scenario]", f'name = {_toml_value(overrides.get("name") or base["scenario"].get("name", parent) + "（调整）")}',
             f'parent = "{parent}.toml"', ""]
    tables: dict[str, dict[str, Any]] = {}
    for key, table, field_ in (("gdp_growth", "drivers", "gdp_growth"), ("intensity_change", "energy", "intensity_change"),
                               ("grid_factor_change", "electricity", "grid_factor_change")):
        if overrides.get(key) is not None:
            old = base.get(table, {}).get(field_, {})
            sd = old.get("sd", 0.0) if isinstance(old, dict) else 0.0
            tables.setdefault(table, {})[field_] = {"mean": float(overrides[key]), "sd": float(sd)}
    for t, fields in tables.items():
        lines.append(f"[{t}]")
        lines += [f"{k} = {_toml_value(v)}" for k, v in fields.items()]
        lines.append("")
    rates = overrides.get("switch_rates") or {}
    switches = base.get("measures", {}).get("switching", [])
    if rates and switches:
        for w in switches:
            lines.append("[[measures.switching]]")
            merged = {**w, "rate": float(rates.get(w["name"], w["rate"]))}
            lines += [f"{k} = {_toml_value(v)}" for k, v in merged.items()]
            lines.append("")
    return "\n".join(lines)


def run_child(platform: Platform, parent: str, overrides: dict[str, Any], draws: int, seed: int | None) -> dict[str, Any]:
    text = child_spec(parent, overrides)
    runnable = text.replace(f'parent = "{parent}.toml"', f'parent = "{spec_path(parent).as_posix()}"')
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d) / "edited.toml"
        tmp.write_text(runnable, encoding="utf-8")
        result = run_scenario(platform, tmp, draws, seed)
    result["spec"] = "edited"
    result["spec_toml"] = text
    result["lineage"] = [*result["lineage"][:-1], "edited"]
    return result


def net_after_sink(platform: Platform, proj: Projection) -> dict[str, Any]:
    """Net territorial emissions after the forest sink when a sink ledger is stored: the annual
    sink of the last two inventories held constant over the horizon (a stated simplification)."""
    from .sinks import stored_ledger

    try:
        ledger = stored_ledger(platform)
    except NotFound:
        return {"net_emissions_t": None, "net_note": "no sink ledger stored"}
    if "sink" not in ledger:
        return {"net_emissions_t": None, "net_note": "one forest inventory only: no annual sink"}
    sink = ledger["sink"]["total_tco2_per_year"]
    return {"net_emissions_t": band(proj.co2_territorial - sink),
            "net_note": f"territorial CO2 − {sink:,.0f} tCO2/a (forest sink {ledger['sink']['from']}–"
                        f"{ledger['sink']['to']}, held constant)"}
