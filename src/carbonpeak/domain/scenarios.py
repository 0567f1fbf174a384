"""What a scenario run reports beside its bands, computed from projections (pure: no data access).

- the energy intensity change vs 2020 on the assessment basis (:func:`intensity_change`);
- the plan's target checks in their target years (:func:`target_checks`);
- the share convention of the projected non-fossil share (:func:`share_convention`);
- the reductions per measure, "wedges" (:func:`wedges`), on central values (:func:`central`);
- LMDI decompositions by sector of a CO2 change (:func:`sector_lmdi`), of the history
  (:func:`history_decomposition`) and of the gap to the parent scenario (:func:`gap_decomposition`).

Labels of wedges and decompositions come from the message catalogue (domain/messages.py), in
Chinese and English; the wedge keys stay as they were (stable keys of the result).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

from . import lmdi
from .conventions import CONVENTION_TEXT
from .indicators import NONFOSSIL_EXCLUDED_FROM
from .messages import SWITCH_NAMES, group_name, project_type_name, render
from .projection import BaseState, Levers, Projection, project

BASE_YEAR = 2020  # reference of the intensity targets (plan period base)
Label = dict[str, str]  # {"zh": .., "en": ..}


def label(code: str, **params: Any) -> Label:
    return {lang: render(code, params, lang) for lang in ("zh", "en")}


def split_name(name: str) -> Label:
    """A bilingual name as the bundled specs write it ("方案情景 Policy") as {zh, en}: the part
    before the first space followed by ASCII only is Chinese; a name without one is both."""
    head, sep, tail = name.partition(" ")
    if sep and tail.isascii() and not head.isascii():
        return {"zh": head, "en": tail}
    return {"zh": name, "en": name}


# --- energy intensity ---------------------------------------------------------------------------

@dataclass(frozen=True)
class IntensityBasis:
    """What the intensity change is measured against: GDP (constant prices) of the projection's
    base year and of 2020, energy and non-fossil energy of 2020 [tce], and the inventory's
    figure for the base year [%] (None: computed like the later years)."""
    gdp_base: float | None
    gdp_2020: float | None
    energy_2020: float | None
    nonfossil_2020: float | None
    start: float | None = None


def intensity_change(proj: Projection, basis: IntensityBasis) -> np.ndarray:
    """Energy intensity change vs 2020 [%] per draw and year, on the assessment basis: non-fossil
    energy excluded from 2024 on (the 2020 base restated alike); the ratio rounded to 4 decimals
    (the Hunan rule). NaN throughout when an input is missing."""
    b = basis
    if None in (b.gdp_base, b.energy_2020, b.nonfossil_2020, b.gdp_2020):
        return np.full(proj.energy.shape, np.nan)
    excluded = (proj.years >= NONFOSSIL_EXCLUDED_FROM)[None, :]
    energy = np.where(excluded, proj.energy - proj.nonfossil_energy, proj.energy)
    ref = np.where(excluded, b.energy_2020 - b.nonfossil_2020, b.energy_2020) / b.gdp_2020
    change = np.round(energy / (b.gdp_base * proj.gdp_index) / ref - 1.0, 4) * 100.0
    if b.start is not None:
        change[:, 0] = b.start  # the base year is data: the inventory's figure
    return change


# --- target checks ------------------------------------------------------------------------------

CHECKS = {"nonfossil_share": "nonfossil_share", "energy_intensity_change_vs_base": "intensity",
          "renewable_share_local_generation": "renewable_share"}
ABOUT_TOLERANCE = 0.02  # "~" targets (about): met within 2 % of the target value


@dataclass(frozen=True)
class TargetCheck:
    id: str
    name: str
    year: int
    target: float
    direction: str
    unit: str
    median: float  # the projected value's median over draws
    p_met: float  # share of draws that meet the target [0-1]
    convention: str  # the share's electricity convention ("" for other indicators)


def target_checks(targets: Iterable[Any], proj: Projection, intensity: np.ndarray) -> list[TargetCheck]:
    """For each target (domain.plan.Target) the projection computes, in its target year: the
    median projected value and the share of draws that meet it."""
    series = {"nonfossil_share": proj.nonfossil_share, "intensity": intensity, "renewable_share": proj.renewable_share}
    out = []
    for t in targets:
        key = CHECKS.get(t.indicator)
        if key is None or t.value is None or t.target_year not in proj.years:
            continue
        x = series[key][:, list(proj.years).index(t.target_year)]
        if np.isnan(x).all():
            continue
        tol = abs(t.value) * ABOUT_TOLERANCE if t.direction.startswith("~") else 0.0
        met = x <= t.value + tol if t.direction.endswith("<=") else x >= t.value - tol
        out.append(TargetCheck(t.id, t.name, t.target_year, t.value, t.direction, t.unit, float(np.nanmedian(x)),
                               float(np.mean(met & ~np.isnan(x))),
                               proj.share_convention if key == "nonfossil_share" else ""))
    return out


@dataclass(frozen=True)
class ShareConvention:
    """How the projected non-fossil share values electricity: the convention, its name, each
    year's kgce/kWh (None: none) and the rule for future years."""
    convention: str
    name: Label
    kgce_per_kwh: list[float | None]
    rule: Label


def share_convention(proj: Projection) -> ShareConvention:
    zh, en = CONVENTION_TEXT[proj.share_convention]
    return ShareConvention(proj.share_convention, {"zh": zh, "en": en},
                           [None if np.isnan(c) else float(c) for c in proj.share_kgce_per_kwh],
                           label("scenario.share_rule"))


# --- wedges -------------------------------------------------------------------------------------

def central(levers: Levers) -> Levers:
    """The levers at their central values, without any uncertainty."""
    return replace(levers, gdp_growth=levers.gdp_growth.central(),
                   intensity_change={k: v.central() for k, v in levers.intensity_change.items()},
                   ef_uncertainty=0.0, grid_factor_change=levers.grid_factor_change.central(), grid_factor_noise=0.0,
                   hydro_variability=0.0, population_growth=levers.population_growth.central(),
                   urbanisation_change=levers.urbanisation_change.central(),
                   additions=tuple(replace(a, hours=a.hours.central()) for a in levers.additions),
                   demands=tuple(replace(d, amount=d.amount.central()) for d in levers.demands))


def central_projection(base: BaseState, levers: Levers, horizon: int) -> Projection:
    """One draw at the central values (the seed is irrelevant: nothing is sampled)."""
    return project(base, central(levers), horizon, 1, 0)


def co2_series(p: Projection, perspective: str) -> np.ndarray:
    """The first draw's CO2 on the perspective [t per year]."""
    return (p.co2_territorial if perspective == "territorial" else p.co2_with_electricity)[0]


@dataclass(frozen=True)
class Wedges:
    years: list[int]
    perspective: str
    wedges: dict[str, list[float]]  # reduction per measure [tCO2 per year], by key
    central: list[float]  # the scenario's central CO2 [t per year]
    labels: dict[str, Label] = field(default_factory=dict)  # the name of each wedge, zh and en


def _switch_label(name: str) -> Label:
    known = SWITCH_NAMES.get(name)
    return {"zh": known[0], "en": known[1]} if known else {"zh": name, "en": name}


def wedges(base: BaseState, levers: Levers, full: Projection, parent: Projection | None, horizon: int,
           perspective: str) -> Wedges:
    """Reductions per measure (central values, no uncertainty) on the scenario's perspective: each
    fuel switch, the registry's generation and each registry type of demand, each as (scenario
    without it) − (scenario); the rest of the difference to the parent (efficiency, other changes,
    interactions) as one residual wedge. ``full`` and ``parent``: the central projections of the
    scenario and of its parent (None: no parent)."""
    c = central(levers)
    top = co2_series(full, perspective)
    years = list(range(base.year, horizon + 1))
    out: dict[str, np.ndarray] = {}
    labels: dict[str, Label] = {}

    def without(key: str, name: Label, lv: Levers) -> None:
        out[key] = co2_series(project(base, lv, horizon, 1, 0), perspective) - top
        labels[key] = name

    for sw in c.switches:
        without(sw.name, _switch_label(sw.name), replace(c, switches=tuple(x for x in c.switches if x is not sw)))
    if c.additions:
        without("方案发电项目 registry generation", label("scenario.wedge.generation"), replace(c, additions=()))
    for kind in sorted({d.kind for d in c.demands}):
        names = {lang: project_type_name(kind, lang) for lang in ("zh", "en")}
        without(f"方案项目 {kind}", label("scenario.wedge.projects", type_zh=names["zh"], type_en=names["en"]),
                replace(c, demands=tuple(d for d in c.demands if d.kind != kind)))
    if parent is not None:
        gap = co2_series(parent, perspective) - top
        key = "其他（能效等）other incl. efficiency"
        out[key] = gap - np.sum(list(out.values()) or [np.zeros(len(years))], axis=0)
        labels[key] = label("scenario.wedge.other")
    return Wedges(years, perspective, {k: [float(x) for x in v] for k, v in out.items()}, [float(x) for x in top],
                  labels)


def switch_label(source: str, target: str, start: int) -> Label:
    """A fuel switch's lever as the editor names it: from → to, from which year."""
    return {lang: render("scenario.lever.switch", {"from": group_name(source, lang), "to": group_name(target, lang),
                                                   "start": start}, lang) for lang in ("zh", "en")}


# --- LMDI ---------------------------------------------------------------------------------------

def sector_lmdi(gdp0: float, e0: np.ndarray, c0: np.ndarray, gdp1: float, e1: np.ndarray,
                c1: np.ndarray) -> dict[str, float]:
    """CO2 = Σ_s G · (E_s / G) · (C_s / E_s): effects of activity, sectoral energy intensity and
    carbon intensity [tCO2] (additive LMDI-I, domain/lmdi.py), the total change, and the change of
    sectors without energy in either state (not decomposed). GDP in any consistent unit,
    energy [tce] and CO2 [t] per sector."""
    keep = (e0 > 0) & (e1 > 0)
    f0 = {"activity": np.full(keep.sum(), gdp0), "energy_intensity": e0[keep] / gdp0, "carbon_intensity": c0[keep] / e0[keep]}
    f1 = {"activity": np.full(keep.sum(), gdp1), "energy_intensity": e1[keep] / gdp1, "carbon_intensity": c1[keep] / e1[keep]}
    eff = lmdi.additive(f0, f1)
    eff["total"] = float(c1[keep].sum() - c0[keep].sum())
    eff["not_decomposed"] = float((c1[~keep].sum()) - (c0[~keep].sum()))
    return eff


@dataclass(frozen=True)
class HistoryDecomposition:
    from_year: int
    to_year: int
    effects: dict[str, float]
    label: Label
    unit: str = "tCO2"


@dataclass(frozen=True)
class GapDecomposition:
    year: int
    parent: str  # the parent scenario's name
    effects: dict[str, float]
    label: Label
    unit: str = "tCO2"


def history_decomposition(lines: pd.DataFrame, gdp: dict[int, float]) -> HistoryDecomposition | None:
    """Territorial CO2 change between the first and last year of the accounted ``lines`` (columns
    year, sector, energy_tce, co2_direct_t), decomposed by sector; ``gdp``: constant-price GDP by
    year. None without GDP for both years or with one year only."""
    years = sorted(int(y) for y in lines["year"].unique())
    y0, y1 = years[0], years[-1]
    g0, g1 = gdp.get(y0), gdp.get(y1)
    if g0 is None or g1 is None or y0 == y1:
        return None
    sectors = sorted(set(lines["sector"]))
    by = lines.groupby(["year", "sector"])[["energy_tce", "co2_direct_t"]].sum()

    def vec(year: int, col: str) -> np.ndarray:
        return np.array([float(by[col].get((year, s), 0.0)) for s in sectors])

    eff = sector_lmdi(g0, vec(y0, "energy_tce"), vec(y0, "co2_direct_t"), g1, vec(y1, "energy_tce"), vec(y1, "co2_direct_t"))
    return HistoryDecomposition(y0, y1, eff, label("scenario.lmdi.history", **{"from": y0, "to": y1}))


def gap_decomposition(parent: Projection | None, child: Projection, parent_name: str, year: int = 2030
                      ) -> GapDecomposition | None:
    """Territorial CO2 gap between the parent's and the scenario's central projections in ``year``,
    decomposed by sector; ``parent_name``: the parent scenario's name. None without a parent or
    when ``year`` is not a projected year."""
    years = [int(y) for y in child.years]
    if parent is None or year not in years[1:]:
        return None
    i = years.index(year)
    eff = sector_lmdi(parent.gdp_index[0, i], parent.energy_by_sector[0, i], parent.co2_by_sector[0, i],
                      child.gdp_index[0, i], child.energy_by_sector[0, i], child.co2_by_sector[0, i])
    names = split_name(parent_name)
    return GapDecomposition(year, parent_name, eff,
                            label("scenario.lmdi.vs_parent", parent_zh=names["zh"], parent_en=names["en"], year=year))
