"""What a run reports beside the bands: the energy intensity change, the plan's target checks,
the share convention, the reductions per measure (wedges), LMDI decompositions and the net
emissions after the forest sink."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np

from ...domain import lmdi
from ...domain.conventions import CONVENTION_TEXT
from ...domain.indicators import NONFOSSIL_EXCLUDED_FROM
from ...domain.projection import BaseState, Levers, Projection, band, project
from ..errors import NotFound
from ..plans import stored_plan
from ..platform import Platform
from .base import BASE_YEAR


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


def net_after_sink(platform: Platform, proj: Projection) -> dict[str, Any]:
    """Net territorial emissions after the forest sink when a sink ledger is stored: the annual
    sink of the last two inventories held constant over the horizon (a stated simplification)."""
    from ..sinks import stored_ledger

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
