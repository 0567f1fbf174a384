"""Scenario use cases: read a scenario spec (TOML, with inheritance), build the base state from the
stored inventory, link the plan's projects from the registry, run the Monte Carlo projection.

A spec names its ``parent``; the child stores only what it changes (tables are merged key by
key, lists replaced). Distributions are stated in the spec: ``{mean = .., sd = .., kind = ..}``.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..domain.accounting import AccountingOptions
from ..domain.findings import InputIssue
from ..domain.projection import GROUPS, Addition, BaseState, Dist, Levers, Switch, band, peaks, project
from .accounting import stored_lines
from .errors import InputRejected, NotFound
from .platform import Platform
from .plans import stored_plan
from .registry import list_projects

CATEGORY_GROUP = {"coal": "coal", "oil": "oil", "gas": "gas", "electricity": "electricity", "heat": "heat"}
GENERATION_TYPE = {"水力发电": "hydro", "风力发电": "wind", "太阳能发电": "pv", "生物质发电": "biomass_power",
                   "火力发电": "thermal"}
CAPACITY_KW = {"万千瓦": 1e4, "MW": 1e3, "kW": 1.0}
OPTIONS = AccountingOptions(electricity_fallback="nearest")


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


def base_state(platform: Platform, perspective: str) -> tuple[BaseState, dict[str, Any]]:
    """The last stored year as the projection's starting point, with the earlier years' CO2."""
    plan = stored_plan(platform)
    if plan is None:
        raise NotFound("no plan loaded")
    lines, _, gdp = stored_lines(platform, plan.region, OPTIONS)
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
            "gdp": {int(r.year): float(r.gdp_current) for r in gdp.itertuples()} if len(gdp) else {}}
    return BaseState(year, sectors, energy, ef, process, generation, grid, history), meta


def registry_additions(platform: Platform, spec: dict, base_year: int) -> tuple[list[Addition], list[dict]]:
    """Generation projects of the registry that come online after the base year.

    Online year: the actual year if recorded, else the planned year, else ``undated_year``;
    ``delayed`` projects come ``delay_years`` later; ``cancelled`` ones not at all."""
    m = spec.get("measures", {}).get("registry_generation", {})
    if not m.get("enabled", False):
        return [], []
    types = m.get("types", ["pv", "wind", "biomass_power"])
    hours = {t: _dist(m.get("full_load_hours", {}).get(t), f"measures.registry_generation.full_load_hours.{t}",
                      "spec") for t in types}
    out, used = [], []
    for p in list_projects(platform):
        if p["type"] not in types or p["status"] == "cancelled" or p["capacity"] is None:
            continue
        factor = CAPACITY_KW.get(p["capacity_unit"] or "")
        if factor is None:
            continue
        online = p["actual_year"] or p["year"] or int(m.get("undated_year", base_year + 3))
        if p["status"] == "delayed" and not p["actual_year"]:
            online += int(m.get("delay_years", 2))
        if online <= base_year:
            continue  # already in the base year's generation
        cap = (p["actual_capacity"] if p["actual_capacity"] is not None else p["capacity"]) * factor
        out.append(Addition(p["id"], p["type"], cap, online, hours[p["type"]]))
        used.append({"id": p["id"], "name": p["name"], "type": p["type"], "capacity_kw": cap, "online": online,
                     "status": p["status"]})
    return out, used


def levers_from_spec(spec: dict, additions: list[Addition], file: str) -> Levers:
    sc, dr, en, el = (spec.get(k, {}) for k in ("scenario", "drivers", "energy", "electricity"))
    sectors = en.get("sectors", {})
    intensity = {"*": _dist(en.get("intensity_change", 0.0), "energy.intensity_change", file)}
    elasticity = {"*": float(en.get("elasticity", 1.0))}
    for s, v in sectors.items():
        if "intensity_change" in v:
            intensity[s] = _dist(v["intensity_change"], f"energy.sectors.{s}.intensity_change", file)
        if "elasticity" in v:
            elasticity[s] = float(v["elasticity"])
    switches = tuple(Switch(w["name"], w["from"], w["to"], int(w["start"]), float(w["rate"]), float(w.get("ratio", 1.0)),
                            tuple(w.get("sectors", ()))) for w in spec.get("measures", {}).get("switching", []))
    for w in switches:
        if w.source not in GROUPS or w.target not in GROUPS or not 0 <= w.rate <= 1:
            raise InputRejected([InputIssue("input.bad_value", file, None, "measures.switching",
                                            {"value": w.name, "reason": f"groups in {GROUPS}, rate in [0, 1]"})])
    return Levers(
        gdp_growth=_dist(dr.get("gdp_growth", 0.0), "drivers.gdp_growth", file), intensity_change=intensity,
        elasticity=elasticity, ef_uncertainty=float(en.get("ef_uncertainty", 0.0)),
        grid_factor_change=_dist(el.get("grid_factor_change", 0.0), "electricity.grid_factor_change", file),
        grid_factor_noise=float(el.get("grid_factor_noise", 0.0)),
        hydro_variability=float(el.get("hydro_variability", 0.0)),
        import_nonfossil_fraction=el.get("import_nonfossil_fraction"), switches=switches,
        additions=tuple(additions), perspective=sc.get("perspective", "territorial"))


def run_scenario(platform: Platform, spec_path: Path, draws: int | None = None, seed: int | None = None) -> dict[str, Any]:
    spec = load_spec(spec_path)
    sc = spec["scenario"]
    perspective = sc.get("perspective", "territorial")
    if perspective not in ("territorial", "with_electricity"):
        raise InputRejected([InputIssue("input.bad_value", spec_path.name, None, "scenario.perspective",
                                        {"value": perspective, "reason": "territorial | with_electricity"})])
    draws = int(draws or sc.get("draws", 10000))
    seed = int(seed if seed is not None else sc.get("seed", 0))
    horizon = int(sc.get("horizon", 2035))
    tol = float(sc.get("plateau_tolerance", 0.01))
    base, meta = base_state(platform, perspective)
    additions, used = registry_additions(platform, spec, base.year)
    levers = levers_from_spec(spec, additions, spec_path.name)
    proj = project(base, levers, horizon, draws, seed)
    series = proj.co2_territorial if perspective == "territorial" else proj.co2_with_electricity
    pk = peaks(series, proj.years, tol, base.history)
    return {
        "scenario": sc.get("name", spec_path.stem), "lineage": sc.get("lineage"), "spec": str(spec_path),
        "region": meta["region"], "base_year": base.year, "horizon": horizon, "draws": draws, "seed": seed,
        "perspective": perspective, "plateau_tolerance": tol,
        "peak_year": pk.quantiles(), "peak_value_t": float(np.median(pk.peak_value)),
        "p_peak_by_2030": pk.probability_by(2030),
        "years": [int(y) for y in proj.years],
        "co2_territorial_t": band(proj.co2_territorial), "co2_with_electricity_t": band(proj.co2_with_electricity),
        "energy_tce": band(proj.energy), "nonfossil_share_pct": band(proj.nonfossil_share),
        "history": base.history, "projects": used,
        "illustrative": meta["illustrative"] or bool(sc.get("illustrative", True)),
        "assumptions": {k: spec.get(k, {}) for k in ("drivers", "energy", "electricity", "measures")},
    }


IAMC_VARIABLES = {
    "co2_territorial_t": ("Emissions|CO2|Territorial", "Mt CO2/yr", 1e-6),
    "co2_with_electricity_t": ("Emissions|CO2|Including Net Electricity Imports", "Mt CO2/yr", 1e-6),
    "energy_tce": ("Final Energy|Standard Coal Equivalent", "Mt tce/yr", 1e-6),
    "nonfossil_share_pct": ("Share|Non-Fossil Energy", "%", 1.0),
}


def iamc_frame(result: dict[str, Any], model: str = "CarbonPeak") -> pd.DataFrame:
    """The result in the IAMC long format (model, scenario, region, variable, unit, year, value):
    the median and the P10/P90 bands (variables suffixed |P10, |P90), readable by pyam."""
    rows = []
    for key, (var, unit, scale) in IAMC_VARIABLES.items():
        for q, suffix in (("p50", ""), ("p10", "|P10"), ("p90", "|P90")):
            for year, v in zip(result["years"], result[key][q], strict=True):
                if v is not None:
                    rows.append({"model": model, "scenario": result["scenario"], "region": result["region"],
                                 "variable": var + suffix, "unit": unit, "year": year, "value": v * scale})
    return pd.DataFrame(rows, columns=["model", "scenario", "region", "variable", "unit", "year", "value"])


def export_iamc(result: dict[str, Any], out: Path) -> Path:
    df = iamc_frame(result)
    out.parent.mkdir(parents=True, exist_ok=True)
    if out.suffix.lower() == ".xlsx":
        df.to_excel(out, sheet_name="data", index=False)
    else:
        df.to_csv(out, index=False)
    return out
