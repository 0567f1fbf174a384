"""Feedstock (原料, non-energy use) lines: their energy counts, their carbon is not burnt.

Rule (:data:`FEEDSTOCK_RULE`): a fossil carrier used as raw material (use = feedstock) keeps its
standard-coal energy (the assessment basis deducts it, indicators.py), but carries no combustion
CO2. The carbon of a feedstock ends largely in products (fertiliser, methanol, plastics, asphalt
...); what is emitted in the process is industrial-process CO2, reported by the process method
(a process line, or the enterprise's mass balance) and not as fuel combustion:

* IPCC 2006 Guidelines Vol. 2 ch. 1 §1.2 and Vol. 3 ch. 1: non-energy use of fuels is excluded
  from the energy sector; emissions from feedstock and reductant use are reported under IPPU.
* 省级温室气体清单编制指南: fossil fuel combustion covers fuel burnt for energy; non-energy use
  is not part of it (the industrial-process chapter covers process emissions).
* The Chinese enterprise guidelines (GB/T 32151 series; 化工、钢铁 等行业核算指南) count feedstock
  carbon by mass balance (carbon in − carbon in products) and deduct the CO2 implied by
  carbon-fixing products (固碳产品隐含的排放) instead of applying combustion factors.

Each feedstock carrier and year gets a finding ``accounting.feedstock_no_combustion`` with the
quantity, so that process emissions are not forgotten. ``AccountingOptions.feedstock_co2 =
"combustion"`` restores full combustion CO2 (an upper bound, for comparison).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .factors import FactorSet
from .findings import Finding, Severity

FEEDSTOCK_RULE = ("IPCC 2006 Vol.2 ch.1 §1.2 / Vol.3 ch.1 (non-energy use → IPPU); 省级温室气体清单编制指南 "
                  "能源活动 (combustion only); GB/T 32151 mass balance and 固碳产品")
FEEDSTOCK_MODES = ("stored", "combustion")


def apply_feedstock_rule(lines: pd.DataFrame, factors: FactorSet, carriers: dict, mode: str) -> list[Finding]:
    """Zero the combustion CO2 of feedstock lines of combustion carriers (in place) and drop the
    combustion factor ids (LCV, carbon content, oxidation) from their ``factor_ids``; one finding
    per carrier and year. ``carriers``: name → Carrier (the catalogue's)."""
    if mode not in FEEDSTOCK_MODES:
        raise ValueError(f"feedstock_co2 must be one of {FEEDSTOCK_MODES}, not {mode!r}")
    burnt = {n for n, c in carriers.items() if c.co2_method == "combustion"}
    hit = (lines["use"].to_numpy() == "feedstock") & lines["carrier"].isin(burnt).to_numpy()
    if mode == "combustion" or not hit.any():
        return []
    combustion_ids = set(factors.of_kind("fuel_co2")["factor_id"])  # a line holds its own carrier's only
    idx = np.flatnonzero(hit)
    lines.loc[idx, "co2_direct_t"] = 0.0
    lines.loc[idx, "co2_t"] = lines.loc[idx, "co2_electricity_t"]
    # rewrite each distinct id list once, not each line (a province has 10^5 feedstock lines)
    codes, distinct = pd.factorize(lines.loc[idx, "factor_ids"].astype(str).to_numpy())
    cleaned = np.array(["|".join(i for i in ids.split("|") if i not in combustion_ids) for ids in distinct],
                       dtype=object)
    lines.loc[idx, "factor_ids"] = cleaned[codes]
    sub = lines.iloc[idx]
    groups = sub.groupby(["carrier", "year", "canonical_unit"], sort=True)["quantity_canonical"].sum()
    return [Finding("accounting.feedstock_no_combustion", Severity.INFO,
                    {"carrier": car, "year": int(year), "quantity": float(q), "unit": unit},
                    rule=FEEDSTOCK_RULE)
            for (car, year, unit), q in groups.items()]
