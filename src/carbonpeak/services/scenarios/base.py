"""The projection's starting point: the last stored year of the inventory as a base state, with
the earlier years' CO2 and the figures every surface shows."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ...domain.conventions import OFFICIAL_SHARE_CONVENTION
from ...domain.projection import GROUPS, BaseState
from ...domain.scenarios import BASE_YEAR  # noqa: F401  (reference of the intensity targets, re-exported)
from .. import flags
from ..accounting import DEFAULTS, stored_lines
from ..conventions import coal_rates
from ..errors import NotFound
from ..indicators import indicator_set
from ..plans import stored_plan
from ..platform import Platform

CATEGORY_GROUP = {"coal": "coal", "oil": "oil", "gas": "gas", "electricity": "electricity", "heat": "heat"}
GENERATION_TYPE = {"水力发电": "hydro", "风力发电": "wind", "太阳能发电": "pv", "生物质发电": "biomass_power",
                   "火力发电": "thermal"}
CAPACITY_KW = {"万千瓦": 1e4, "MW": 1e3, "kW": 1.0}
OPTIONS = DEFAULTS  # the surfaces' policy (services/accounting.py)
ACCOUNTING = OPTIONS.electricity_convention  # energy totals stay on the accounting's convention
SHARE_CONVENTION = OFFICIAL_SHARE_CONVENTION  # the non-fossil share: as the inventory shows it (发电煤耗计算法)
# The indicator each result series projects, with the electricity convention it is on ("" for
# none): its starting (base) year is that indicator's value in the inventory (result key "figures").
FIGURES = {"energy_tce": ("energy_total", "raw", ACCOUNTING), "co2_territorial_t": ("co2_total", "territorial", ""),
           "co2_with_electricity_t": ("co2_total", "with_electricity", ""),
           "nonfossil_share_pct": ("nonfossil_share", "raw", SHARE_CONVENTION),
           "renewable_share_local_generation_pct": ("renewable_share_local_generation", "", ""),
           "energy_intensity_change_vs_2020_pct": ("energy_intensity_change_vs_base", "assessment", ACCOUNTING)}


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
