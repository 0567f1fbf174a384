"""Response schemas of the monitoring routes: the JSON documents of the services' dataclasses
(services/monitoring/types.py), for the OpenAPI document and for validating answers in tests."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class _Out(BaseModel):
    model_config = ConfigDict(from_attributes=True, populate_by_name=True, extra="forbid")


class BenchmarkOut(_Out):
    id: str
    product: str
    level1: float | None
    level2: float | None
    level3: float | None
    unit: str
    document: str
    status: str
    note: str


class BudgetRowOut(_Out):
    uscc: str
    name: str
    used_tce: float
    budget_tce: float
    elapsed_share: float
    prorated_tce: float
    ratio: float | None = Field(description="use to date / prorated budget; null when nothing is prorated yet")
    projected_tce: float | None
    light: str = Field(description="green | yellow | red")
    budget_source: str | None
    illustrative: bool


class BudgetsOut(_Out):
    year: int
    as_of: str
    rule: str
    rule_params: dict[str, float]
    basis: str
    items: list[BudgetRowOut]


class EfficiencyRowOut(_Out):
    uscc: str
    name: str
    product: str
    output_t: float
    energy_tce: float
    value: float | None
    unit: str
    cls: str = Field(alias="class", description="benchmark | access | baseline | below_baseline | unrated")
    benchmark: BenchmarkOut | None
    illustrative: bool


class TwoHighOut(_Out):
    name: str
    uscc: str | None
    status: str = Field(description="在建 | 拟建 | 存量")
    industry: str | None
    product: str
    capacity: str | None
    unit_energy: float
    cls: str = Field(alias="class")
    rectify: bool | None
    benchmark: BenchmarkOut | None
    source: str | None
    illustrative: bool


class EfficiencyOut(_Out):
    year: int
    units: list[EfficiencyRowOut]
    two_high: list[TwoHighOut]
    rule: str
    rectification: list[TwoHighOut]


class FindingOut(_Out):
    code: str
    severity: str
    message: str
    rule: str
    data: dict[str, Any]


class UnitOut(_Out):
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
    budget: BudgetRowOut | None
    efficiency: list[EfficiencyRowOut]
    findings: int
    illustrative: bool


class ThresholdsOut(_Out):
    online_tce: float
    supervision_tce: float


class UnitsOut(_Out):
    year: int
    as_of: str
    units: list[UnitOut]
    thresholds: ThresholdsOut
    findings: list[FindingOut]
    factor_findings: list[FindingOut]


class SeriesRowOut(_Out):
    """One group, period, carrier and basis; the group's columns only (unit: uscc, name;
    industry: industry_code, industry; town: town)."""
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


class SeriesOut(_Out):
    year: int
    resolution: str
    by: str
    rows: list[SeriesRowOut]


class QualityOut(_Out):
    year: int
    rule: str
    thresholds: dict[str, float]
    findings: list[FindingOut]


class ProductClassOut(_Out):
    product: str
    cls: str = Field(alias="class")


class DisclosureRowOut(_Out):
    name: str
    uscc: str
    industry: str | None
    town: str | None
    category: str
    connected: bool
    energy_tce: float
    budget_light: str | None
    efficiency: list[ProductClassOut]
    below_limit: bool
    data_findings: int
    illustrative: bool


class DisclosureOut(_Out):
    year: int
    as_of: str
    units: list[DisclosureRowOut]
    rectification: list[TwoHighOut]
    note: str


class TokenOut(_Out):
    uscc: str
    token: str
