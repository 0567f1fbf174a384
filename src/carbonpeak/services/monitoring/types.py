"""The typed results of the monitoring services. ``plain`` turns one into the JSON document the
API returns (the field ``cls`` is the document's ``class``).

They are also the API's response schemas (api/monitoring.py declares them as ``response_model``):
pydantic reads the field annotations, ``Field`` aliases and descriptions, and the results forbid
keys they do not name, so the OpenAPI document is the document ``plain`` writes."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any

from pydantic import ConfigDict, Field, with_config

from ...domain.findings import Finding, FindingDoc
from ...domain.monitoring import BudgetRule
from ..scope import Scope

_SCHEMA = with_config(ConfigDict(extra="forbid"))  # as a response schema: no key it does not name
Class = Annotated[str, Field(alias="class", description="benchmark | access | baseline | below_baseline | unrated")]


def _renamed(items: list[tuple[str, Any]]) -> dict[str, Any]:
    return {("class" if k == "cls" else k): v for k, v in items}


def plain(result: Any) -> Any:
    """A result (dataclass, or list of them) as plain JSON-ready dicts, in the API's shape."""
    if isinstance(result, list):
        return [plain(r) for r in result]
    return dataclasses.asdict(result, dict_factory=_renamed)


@_SCHEMA
@dataclass(frozen=True)
class BudgetRow:
    uscc: str
    name: str
    used_tce: float
    budget_tce: float
    elapsed_share: float
    prorated_tce: float
    ratio: Annotated[float | None, Field(description="use to date / prorated budget; null when nothing is prorated yet")]
    projected_tce: float | None
    light: Annotated[str, Field(description="green | yellow | red")]
    budget_source: str | None
    illustrative: bool


@_SCHEMA
@dataclass(frozen=True)
class Budgets:
    year: int
    as_of: str
    rule: str
    rule_params: dict[str, float]
    basis: str
    items: list[BudgetRow]


@_SCHEMA
@dataclass(frozen=True)
class BenchmarkRef:
    id: str
    product: str
    level1: float | None
    level2: float | None
    level3: float | None
    unit: str
    document: str
    status: str
    note: str


@_SCHEMA
@dataclass(frozen=True)
class EfficiencyRow:
    uscc: str
    name: str
    product: str
    output_t: float
    energy_tce: float
    value: float | None
    unit: str
    cls: Class
    benchmark: BenchmarkRef | None
    illustrative: bool


@_SCHEMA
@dataclass(frozen=True)
class TwoHighRow:
    name: str
    uscc: str | None
    status: Annotated[str, Field(description="在建 | 拟建 | 存量")]
    industry: str | None
    product: str
    capacity: str | None
    unit_energy: float
    cls: Class
    rectify: bool | None
    benchmark: BenchmarkRef | None
    source: str | None
    illustrative: bool


@_SCHEMA
@dataclass(frozen=True)
class Efficiency:
    year: int
    units: list[EfficiencyRow]
    two_high: list[TwoHighRow]
    rule: str
    rectification: list[TwoHighRow]


@_SCHEMA
@dataclass(frozen=True)
class SeriesRow:
    """Energy and CO2 of one group, period, carrier and basis; the group columns not asked for are None."""
    at: str
    carrier: str
    unit: str
    basis: str
    quantity: float
    energy_tce: float
    co2_t: float
    factor_ids: str
    uscc: str | None = None
    name: str | None = None
    industry_code: str | None = None
    industry: str | None = None
    town: str | None = None


@_SCHEMA
@dataclass(frozen=True)
class Series:
    """The answer of /api/monitoring/series: each row has the group's columns only (unit: uscc,
    name; industry: industry_code, industry; town: town)."""
    year: int
    resolution: str
    by: str
    rows: list[SeriesRow]


@_SCHEMA
@dataclass(frozen=True)
class UnitRow:
    uscc: str
    name: str
    industry_code: str
    industry: str | None
    town: str | None
    category: str
    annual_energy_tce: float
    points: int
    last_seen: str | None
    token: bool
    energy_tce: float
    co2_t: float
    budget: BudgetRow | None
    efficiency: list[EfficiencyRow]
    findings: int
    illustrative: bool


@_SCHEMA
@dataclass(frozen=True)
class Thresholds:
    online_tce: float
    supervision_tce: float


@_SCHEMA
@dataclass(frozen=True)
class UnitsView:
    """The answer of /api/monitoring/units."""
    year: int
    as_of: str
    units: list[UnitRow]
    thresholds: Thresholds
    findings: list[FindingDoc]
    factor_findings: list[FindingDoc]


@_SCHEMA
@dataclass(frozen=True)
class QualityReport:
    year: int
    rule: str
    thresholds: dict[str, float]
    findings: list[FindingDoc]


@dataclass(frozen=True)
class UnitMonths:
    uscc: str
    name: str
    energy_tce: list[float]  # per month of MonthlyEnergy.months


@dataclass(frozen=True)
class MonthlyEnergy:
    """The monitoring page's chart: energy [tce] per month of the units a scope sees, from the
    monthly rows their totals sum; the largest units by the year's energy each a series, the
    ``others`` smaller ones summed as one (``others_tce``)."""
    months: list[str]  # YYYY-MM
    units: list[UnitMonths]
    others: int
    others_tce: list[float]


@dataclass(frozen=True)
class MonitoringSnapshot:
    """Everything the monitoring page shows for one scope, year and day, computed once."""
    year: int
    as_of: date
    scope: Scope
    rule: BudgetRule
    lang: str
    units: list[UnitRow]
    budgets: Budgets
    efficiency: Efficiency
    findings: list[Finding]
    factor_findings: list[Finding]
    monthly: MonthlyEnergy


@_SCHEMA
@dataclass(frozen=True)
class ProductClass:
    product: str
    cls: Class


@_SCHEMA
@dataclass(frozen=True)
class DisclosureRow:
    name: str
    uscc: str
    industry: str | None
    town: str | None
    category: str
    connected: bool
    energy_tce: float
    budget_light: str | None
    efficiency: list[ProductClass]
    below_limit: bool
    data_findings: int
    illustrative: bool


@_SCHEMA
@dataclass(frozen=True)
class Disclosure:
    year: int
    as_of: str
    units: list[DisclosureRow]
    rectification: list[TwoHighRow]
    note: str
