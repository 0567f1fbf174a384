"""The conventions the indicators are computed on, from the reference in force: per-year
发电煤耗 coefficients (shipped leads, a factor set or county values over them) and the
versioned assessment rules."""

from __future__ import annotations

import pandas as pd

from ..domain.conventions import CoalRate, IndicatorConventions
from ..domain.factors import FactorSet
from ..refdata.rules import load_assessment_rules


def coal_rates(factors: FactorSet) -> dict[int, CoalRate]:
    """The year's national average 火电发电标准煤耗 [kgce/kWh] per year, with its provenance."""
    rows = factors.of_kind("primary_electricity_coal", "coal_rate")
    return {int(r["year"]): CoalRate(int(r["year"]), float(r["canonical"]), r["factor_id"], r["status"],
                                     r["source_document"])
            for r in rows.to_dict("records") if pd.notna(r["year"])}


def indicator_conventions(factors: FactorSet, assessment_year: int | None = None) -> IndicatorConventions:
    return IndicatorConventions(coal_rates=coal_rates(factors), rules=load_assessment_rules(),
                                assessment_year=assessment_year)
