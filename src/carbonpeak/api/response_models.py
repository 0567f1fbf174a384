"""Response schemas of the public reads in api/routes.py and of api/reports.py, whose services
still answer with mappings (the account routes: auth_models.py; data, audit, projects, tasks:
data_models.py): the JSON document each returns, for the OpenAPI document (every
operation has a response schema: tests/api/test_openapi_responses.py, which also validates real
answers against them). Services that return dataclasses are their own schema (registry, carbon,
monitoring, reporting, tracking: the barometer and trajectories); these models go when their
services return typed results.

Every model forbids keys it does not name, so a schema cannot drift from the document."""

from __future__ import annotations

import typing
from dataclasses import fields
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, create_model

from ..domain.plan import Plan
from ..services.buildings import BuildingGrade
from ..services.tracking_results import Barometer
from ..services.views import CO2Perspectives


class Out(BaseModel):
    model_config = ConfigDict(extra="forbid")


Number = int | float  # a figure as computed: JSON keeps whole numbers whole


class FindingOut(Out):
    """A finding (domain/findings.Finding.as_dict): code, severity, message and rule in the reader's language."""
    code: str
    severity: str
    message: str
    rule: str
    data: dict[str, Any]


class FlagsOut(Out):
    """What a result rests on: illustrative inputs, proxy factors (services/flags.py)."""
    illustrative: bool
    proxy_factor: bool
    proxy_years: list[int]
    notes: list[str]


class FigureOut(Out):
    """An indicator value as every surface shows it (services/indicators.IndicatorSet.figure)."""
    code: str
    year: int
    value: Number | None
    unit: str
    basis: str
    convention: str
    price_base_year: int | None
    rule: str | None = Field(default=None, description="absent on derived figures (net emissions)")
    formula: str
    inputs: dict[str, Any]
    note: str
    qualifier: str
    illustrative: bool
    proxy_factor: bool | None = Field(default=None, description="inventory: whether a proxy factor year was used")
    lead: bool | None = Field(default=None, description="overview: the CO2 total shown first")
    label: str | None = None
    explanation: str | None = None


class OverviewOut(Out):
    """Headline figures, the yearly series (columns ``code:basis``) and the barometer; without data
    the year and the optional fields are null and years, series and headline empty."""
    region: str
    plan: str
    year: int | None
    years: list[int]
    co2_perspectives: CO2Perspectives | None = None
    base_year: int | None = None
    price_base_year: int | None = None
    convention: str | None = None
    series: list[dict[str, Number | bool | None]]
    headline: list[FigureOut]
    barometer: Barometer  # services/tracking_results: the barometer's own schema


class FlowOut(Out):
    source: str
    target: str
    value: float


class InventoryOut(Out):
    """The inventory of a year (services/accounting.AccountReport.as_dict) with its energy flows."""
    source: str
    convention: dict[str, Any]
    totals: dict[str, Number | None]
    by_sector: list[dict[str, Any]]
    by_carrier: list[dict[str, Any]]
    factor_releases: list[str]
    findings: list[FindingOut]
    region: str
    year: int
    base_year: int
    price_base_year: int
    indicators: list[FigureOut]
    illustrative_lines: int
    gdp: list[dict[str, Any]]
    proxy_years: list[int]
    lines: list[dict[str, Any]]
    flags: FlagsOut
    flows: list[FlowOut]
    metered_key_units: dict[str, Any] | None = Field(description="the key units' metered energy and CO2 of the year")


class PlanSummaryOut(Out):
    targets: int
    targets_without_value: int
    actions: int
    tasks: int
    projects: int
    departments: int
    milestones: int


# The plan document is the domain's Plan (dataclasses.asdict) with a summary and its findings.
PlanOut = create_model("PlanOut", __config__=ConfigDict(extra="forbid"),
                       **{f.name: (typing.get_type_hints(Plan)[f.name], ...) for f in fields(Plan)},
                       summary=(PlanSummaryOut, ...), findings=(list[FindingOut], ...))


class SinkOut(Out):
    from_: int = Field(alias="from")
    to: int
    total_tco2_per_year: Number
    by_township: list[dict[str, Any]]
    by_species: list[dict[str, Any]]
    area_based_tco2_per_year: Number | None
    area_not_estimated: list[Any]


class SinksOut(Out):
    """The carbon-sink ledger (services/sinks.stored_ledger); ``sink`` needs two inventories."""
    method: str
    years: list[int]
    inventories: list[dict[str, Any]]
    factors: list[dict[str, Any]]
    unverified_factors: int
    growth: dict[str, Any]
    area_method: str
    sink: SinkOut | None = None


class BuildingsOut(Out):
    """Public buildings of a year with grades (services/buildings.stored_grades)."""
    rule: str
    unit: str
    conversion: str
    buildings: list[BuildingGrade]
    over_constraint: list[str]
    grades: dict[str, int]
    unrated: list[str]
    quota_status: list[str]
    year: int
    years: list[int]
    illustrative: bool


class HealthOut(Out):
    status: str
    database: str
    data_version: int


class ReportJobOut(Out):
    job: str


class DatasetOut(Out):
    name: str
    title: str
    formats: list[str]
    url: str


class OpenIndexOut(Out):
    datasets: list[DatasetOut]


class OpenDataOut(Out):
    dataset: str
    rows: list[dict[str, Any]]


class DispatchOut(Out):
    """调度通报 (services/reports/dispatch.py): one row per department or township, worst first."""
    start: str
    end: str
    by: str
    rows: list[dict[str, Any]]
    punctuality: list[dict[str, Any]]
    rule: str
