"""Reference data of carbon dual control: the rules in force per year, and electricity CO2 factors
on the bases MEE and NBS publish besides the average (which lives in ``electricity_co2``).

Rules are data citing their documents (``tables/carbon_rules``); a year's rule set is the rows whose
validity covers it. Nothing here branches on a year in code.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from . import _read_package_csv

CARBON_RULES_RELEASE = "GUOBAN-2024-39.r1"
ELECTRICITY_BASIS_RELEASE = "MEE-NBS-2021-2023.r1"


@dataclass(frozen=True)
class RuleValue:
    rule_id: str
    valid_from: int
    valid_to: int | None
    parameter: str
    value: str
    unit: str
    source_document: str
    source_table: str
    status: str
    note: str

    def covers(self, year: int) -> bool:
        return self.valid_from <= year and (self.valid_to is None or year <= self.valid_to)


@dataclass(frozen=True)
class BasisFactor:
    factor_id: str
    basis: str
    geography: str
    year: int
    t_per_mwh: float  # kgCO2/kWh = tCO2/MWh
    source_document: str
    source_table: str
    status: str
    note: str


@cache
def carbon_rules() -> tuple[RuleValue, ...]:
    df = _read_package_csv("carbon_rules", f"{CARBON_RULES_RELEASE}.csv")
    return tuple(RuleValue(r.rule_id, int(r.valid_from), int(r.valid_to) if r.valid_to else None, r.parameter, r.value,
                           r.unit, r.source_document, r.source_table, r.status, r.note)
                 for r in df.itertuples(index=False))


def rules_for(year: int) -> dict[str, RuleValue]:
    """The rule values in force in ``year``, by parameter (a later row wins where two overlap)."""
    return {r.parameter: r for r in carbon_rules() if r.covers(year)}


@cache
def basis_factors() -> tuple[BasisFactor, ...]:
    df = _read_package_csv("electricity_co2_basis", f"{ELECTRICITY_BASIS_RELEASE}.csv")
    out = []
    for r in df.itertuples(index=False):
        if r.unit != "kgCO2/kWh":
            raise ValueError(f"electricity_co2_basis {r.factor_id}: unit must be kgCO2/kWh, not {r.unit}")
        out.append(BasisFactor(r.factor_id, r.basis, r.geography, int(r.year), float(r.value), r.source_document,
                               r.source_table, r.status, r.note))
    return tuple(out)
