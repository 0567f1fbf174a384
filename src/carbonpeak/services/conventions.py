"""The conventions the indicators are computed on, from the reference in force: per-year
发电煤耗 coefficients (shipped leads, a factor set or county values over them), the versioned
assessment rules, and the non-fossil fraction of the policy's grid (county values only)."""

from __future__ import annotations

import pandas as pd

from ..domain.conventions import CoalRate, GridMix, IndicatorConventions
from ..domain.factors import FactorSet
from ..domain.policy import AccountingPolicy, GridYearFallback
from ..refdata.rules import load_assessment_rules


def coal_rates(factors: FactorSet) -> dict[int, CoalRate]:
    """The year's national average 火电发电标准煤耗 [kgce/kWh] per year, with its provenance."""
    rows = factors.of_kind("primary_electricity_coal", "coal_rate")
    return {int(r["year"]): CoalRate(int(r["year"]), float(r["canonical"]), r["factor_id"], r["status"],
                                     r["source_document"])
            for r in rows.to_dict("records") if pd.notna(r["year"])}


def grid_mix(factors: FactorSet, grid: str) -> dict[int, GridMix]:
    """The non-fossil fraction of ``grid``'s electricity per published year, with its provenance."""
    rows = factors.of_kind("electricity_mix", "nonfossil_fraction")
    return {int(r["year"]): GridMix(int(r["year"]), float(r["canonical"]), r["factor_id"], r["status"],
                                    r["source_document"])
            for r in rows.to_dict("records") if pd.notna(r["year"]) and r["geography"] == grid}


def indicator_conventions(factors: FactorSet, assessment_year: int | None = None,
                          policy: AccountingPolicy | None = None) -> IndicatorConventions:
    """The conventions in force; with ``policy``, its grid's non-fossil fraction for imports too."""
    mix = grid_mix(factors, policy.grid) if policy is not None and policy.grid else {}
    return IndicatorConventions(coal_rates=coal_rates(factors), rules=load_assessment_rules(),
                                assessment_year=assessment_year, grid_mix=mix,
                                grid_fallback=policy.electricity_fallback if policy else GridYearFallback.STRICT)
