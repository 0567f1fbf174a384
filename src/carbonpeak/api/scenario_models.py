"""Response schemas of the scenario routes: the JSON document of a scenario run
(services/scenarios/results.ScenarioResult.to_dict) and the list of bundled specs, for the
OpenAPI document and for validating answers in tests."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class _Out(BaseModel):
    model_config = ConfigDict(from_attributes=True, populate_by_name=True, extra="forbid")


class Text(_Out):
    zh: str
    en: str


class BandOut(_Out):
    p10: list[float | None]
    p50: list[float | None]
    p90: list[float | None]


class PeakYearOut(_Out):
    p10: int | None
    p50: int | None
    p90: int | None


class ShareConventionOut(_Out):
    convention: str = Field(description="equivalent (发电煤耗计算法) | calorific (当量值)")
    name: Text
    kgce_per_kwh: list[float | None] = Field(description="each year's coefficient [kgce/kWh]; null: none")
    rule: Text


class TargetCheckOut(_Out):
    id: str
    name: str
    year: int
    target: float
    direction: str
    unit: str
    median: float
    p_met: float = Field(description="share of draws meeting the target [0-1]")
    convention: str


class WedgesOut(_Out):
    years: list[int]
    perspective: str
    wedges: dict[str, list[float]] = Field(description="reduction per measure [tCO2 per year], by key")
    central: list[float]
    labels: dict[str, Text] = Field(description="each wedge's name (same keys as wedges), to show users")


class HistoryDecompositionOut(_Out):
    from_: int = Field(alias="from")
    to: int
    unit: str
    effects: dict[str, float] = Field(description="activity, energy_intensity, carbon_intensity, total, not_decomposed")
    label: Text


class GapDecompositionOut(_Out):
    year: int
    from_: str = Field(alias="from", description="the parent scenario's name")
    unit: str
    effects: dict[str, float]
    label: Text


class DecompositionOut(_Out):
    history: HistoryDecompositionOut | None
    vs_parent: GapDecompositionOut | None


class ProjectUsedOut(_Out):
    id: str
    name: str
    type: str
    kind: str
    capacity: float
    unit: str | None
    online: int
    status: str


class ScenarioResultOut(_Out):
    scenario: str
    lineage: list[str]
    spec: str = Field(description="the spec's file name; 'edited' for an edited child")
    region: str
    base_year: int
    horizon: int
    draws: int
    seed: int
    perspective: str
    plateau_tolerance: float
    peak_year: PeakYearOut
    peak_year_text: dict[str, PeakYearText]
    peak_value_t: float | None
    p_peak_by_2030: float
    p_not_peaked: float
    peak_window_years: int
    peak_rule: Text
    years: list[int]
    co2_territorial_t: BandOut
    co2_with_electricity_t: BandOut
    energy_tce: BandOut
    nonfossil_share_pct: BandOut
    nonfossil_share_convention: ShareConventionOut
    energy_intensity_change_vs_2020_pct: BandOut
    net_emissions_t: BandOut | None
    net_note: str
    renewable_share_local_generation_pct: BandOut
    target_checks: list[TargetCheckOut]
    wedges: WedgesOut
    decomposition: DecompositionOut
    history: dict[int, float]
    projects: list[ProjectUsedOut]
    figures: dict[str, dict[str, Any]]
    illustrative: bool
    proxy_factor: bool
    proxy_years: list[int]
    flags: dict[str, Any]
    assumptions: dict[str, Any]
    lineage_names: list[Text] = Field(description="the names of the lineage's scenarios (same order)")
    perspective_name: Text
    spec_toml: str | None = Field(default=None, description="the edited child spec (edit runs only)")


class PeakYearText(_Out):
    p10: str
    p50: str
    p90: str


class ScenarioItemOut(_Out):
    id: str
    name: str
    lineage: list[str]
    title: Text = Field(description="the name in Chinese and English")


class ScenarioListOut(_Out):
    scenarios: list[ScenarioItemOut]


ScenarioResultOut.model_rebuild()
