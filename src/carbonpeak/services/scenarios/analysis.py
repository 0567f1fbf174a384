"""The inputs the scenario mathematics (domain/scenarios.py) needs from the stored data: the
intensity basis from the inventory's indicators, the plan's targets, the accounted history and
the forest sink. The calculations themselves are in the domain."""

from __future__ import annotations

import numpy as np

from ...domain import scenarios as model
from ...domain.projection import Projection, band
from ..errors import NotFound
from ..plans import stored_plan
from ..platform import Platform
from .base import BASE_YEAR


def intensity_basis(proj: Projection, meta: dict) -> model.IntensityBasis:
    """The intensity change's references from the inventory's indicators (``meta`` of base_state);
    all None without GDP."""
    ind, gdp = meta.get("indicators", {}), meta.get("gdp", {})
    if not gdp:
        return model.IntensityBasis(None, None, None, None)
    start = (meta.get("figures", {}).get("energy_intensity_change_vs_2020_pct") or {}).get("value")
    return model.IntensityBasis(ind.get(("gdp_constant", int(proj.years[0]), "")), ind.get(("gdp_constant", BASE_YEAR, "")),
                                ind.get(("energy_total", BASE_YEAR, "raw")), ind.get(("nonfossil_energy", BASE_YEAR, "raw")),
                                start)


def energy_intensity_change(proj: Projection, meta: dict) -> np.ndarray:
    """Energy intensity change vs 2020 [%] per draw and year (domain/scenarios.intensity_change)."""
    return model.intensity_change(proj, intensity_basis(proj, meta))


def target_checks(platform: Platform, proj: Projection, intensity: np.ndarray) -> list[model.TargetCheck]:
    plan = stored_plan(platform)
    return model.target_checks(plan.targets if plan else [], proj, intensity)


def history_decomposition(meta: dict) -> model.HistoryDecomposition | None:
    """The accounted history's territorial CO2 change, decomposed (constant-price GDP by year)."""
    gdp = {y: v for (code, y, basis), v in meta.get("indicators", {}).items() if code == "gdp_constant" and basis == ""}
    return model.history_decomposition(meta["lines"], gdp)


def net_after_sink(platform: Platform, proj: Projection) -> tuple[dict | None, str]:
    """Net territorial emissions after the forest sink when a sink ledger is stored: the annual
    sink of the last two inventories held constant over the horizon (a stated simplification),
    with its note."""
    from ..sinks import stored_ledger

    try:
        ledger = stored_ledger(platform)
    except NotFound:
        return None, "no sink ledger stored"
    if "sink" not in ledger:
        return None, "one forest inventory only: no annual sink"
    sink = ledger["sink"]["total_tco2_per_year"]
    return band(proj.co2_territorial - sink), (f"territorial CO2 − {sink:,.0f} tCO2/a (forest sink "
                                               f"{ledger['sink']['from']}–{ledger['sink']['to']}, held constant)")
