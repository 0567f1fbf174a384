"""The typed result of a scenario run. :meth:`ScenarioResult.to_dict` is the JSON document every
front end shows (the API, the CLI's ``--format json``, the IAMC export); the API's schema of it is
api/scenario_schemas.py. Reading a result by key (``result["years"]``) reads that document."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from functools import cached_property
from typing import Any

from ...domain.scenarios import GapDecomposition, HistoryDecomposition, ShareConvention, TargetCheck, Wedges

Band = dict[str, list[float | None]]  # {"p10": [..], "p50": [..], "p90": [..]} per year


@dataclass(frozen=True)
class ProjectUsed:
    """A registry project the run links as a measure."""
    id: str
    name: str
    type: str
    kind: str  # generation | storage | demand | saving
    capacity: float
    unit: str | None
    online: int
    status: str


@dataclass(frozen=True)
class Decomposition:
    history: HistoryDecomposition | None
    vs_parent: GapDecomposition | None


@dataclass(frozen=True)
class PeakFigures:
    """domain/peaks.summary: the peak year P10/P50/P90 (None: not peaked), its texts, the rule."""
    plateau_tolerance: float
    peak_year: dict[str, int | None]
    peak_year_text: dict[str, dict[str, str]]
    peak_value_t: float | None
    p_peak_by_2030: float
    p_not_peaked: float
    peak_window_years: int
    peak_rule: dict[str, str]


@dataclass(frozen=True, eq=False)
class ScenarioResult:
    scenario: str
    lineage: list[str]
    spec: str  # the spec's file name ("edited" for the editor's child), never a server path
    region: str
    base_year: int
    horizon: int
    draws: int
    seed: int
    perspective: str
    peak: PeakFigures
    years: list[int]
    co2_territorial_t: Band
    co2_with_electricity_t: Band
    energy_tce: Band
    nonfossil_share_pct: Band
    nonfossil_share_convention: ShareConvention
    energy_intensity_change_vs_2020_pct: Band
    net_emissions_t: Band | None
    net_note: str
    renewable_share_local_generation_pct: Band
    target_checks: list[TargetCheck]
    wedges: Wedges
    decomposition: Decomposition
    history: dict[int, float]
    projects: list[ProjectUsed]
    figures: dict[str, dict[str, Any]]  # the inventory's figures of the base year (services/indicators)
    illustrative: bool
    proxy_factor: bool
    proxy_years: list[int]
    flags: dict[str, Any]  # services/flags.scenario_flags
    assumptions: dict[str, Any]
    lineage_names: list[dict[str, str]]  # the lineage's names, {zh, en} each
    perspective_name: dict[str, str]  # {zh, en}
    spec_toml: str | None = None  # the editor's child spec (only in an edited run's document)

    @cached_property
    def document(self) -> dict[str, Any]:
        return _document(self)

    def to_dict(self) -> dict[str, Any]:
        """The JSON document (a new dict each call; nested values are shared)."""
        return dict(self.document)

    def __getitem__(self, key: str) -> Any:
        return self.document[key]

    def get(self, key: str, default: Any = None) -> Any:
        return self.document.get(key, default)

    def __contains__(self, key: str) -> bool:
        return key in self.document


def _decomposition(d: HistoryDecomposition | GapDecomposition | None) -> dict[str, Any] | None:
    if d is None:
        return None
    if isinstance(d, HistoryDecomposition):
        return {"from": d.from_year, "to": d.to_year, "unit": d.unit, "effects": d.effects, "label": d.label}
    return {"year": d.year, "from": d.parent, "unit": d.unit, "effects": d.effects, "label": d.label}


def _document(r: ScenarioResult) -> dict[str, Any]:
    doc = {"scenario": r.scenario, "lineage": r.lineage, "spec": r.spec, "region": r.region,
           "base_year": r.base_year, "horizon": r.horizon, "draws": r.draws, "seed": r.seed,
           "perspective": r.perspective, **asdict(r.peak), "years": r.years,
           "co2_territorial_t": r.co2_territorial_t, "co2_with_electricity_t": r.co2_with_electricity_t,
           "energy_tce": r.energy_tce, "nonfossil_share_pct": r.nonfossil_share_pct,
           "nonfossil_share_convention": asdict(r.nonfossil_share_convention),
           "energy_intensity_change_vs_2020_pct": r.energy_intensity_change_vs_2020_pct,
           "net_emissions_t": r.net_emissions_t, "net_note": r.net_note,
           "renewable_share_local_generation_pct": r.renewable_share_local_generation_pct,
           "target_checks": [asdict(c) for c in r.target_checks], "wedges": asdict(r.wedges),
           "decomposition": {"history": _decomposition(r.decomposition.history),
                             "vs_parent": _decomposition(r.decomposition.vs_parent)},
           "history": r.history, "projects": [asdict(p) for p in r.projects], "figures": r.figures,
           "illustrative": r.illustrative, "proxy_factor": r.proxy_factor, "proxy_years": r.proxy_years,
           "flags": r.flags, "assumptions": r.assumptions, "lineage_names": r.lineage_names,
           "perspective_name": r.perspective_name}
    if r.spec_toml is not None:
        doc["spec_toml"] = r.spec_toml
    return doc
