"""Running a scenario: the Monte Carlo projection of a spec (a :class:`ScenarioSpec`) with
everything its result shows, and a run of an edited child spec.

The service loads the data (base state, registry projects, plan targets, sink ledger), calls the
domain (domain/projection.py, domain/scenarios.py, domain/peaks.py) and returns a typed
:class:`ScenarioResult`. The parent's central projection (wedges, LMDI gap) is computed once per
data version and parent spec, whichever child or edit asks for it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ...domain import scenarios as model
from ...domain.peaks import summary as peak_summary
from ...domain.projection import BaseState, Levers, Projection, band, peaks, project
from .. import flags, versions
from ..platform import Platform
from .analysis import energy_intensity_change, history_decomposition, net_after_sink, target_checks
from .base import base_state
from .measures import spec_levers
from .results import Decomposition, PeakFigures, ProjectUsed, ScenarioResult
from .specs import ScenarioSpec, edit_spec, read_spec, spec_path


def _parent_projection(platform: Platform, parent: ScenarioSpec, base: BaseState, horizon: int) -> Projection:
    levers, _, _ = spec_levers(platform, parent, base)
    return model.central_projection(base, levers, horizon)


def parent_projection(platform: Platform, spec: ScenarioSpec, base: BaseState) -> Projection | None:
    """The parent's central projection on the child's base state and horizon (None: no parent),
    cached per data version (the registry links the parent's projects too)."""
    if spec.parent is None:
        return None
    parent = spec.parent
    key = ("scenario_parent_central", parent.fingerprint, spec.horizon, spec.perspective, base.year,
           base.population, base.urbanisation, versions.key(platform, versions.SCENARIOS))
    return platform.cached(key, lambda: _parent_projection(platform, parent, base, spec.horizon))


def run_scenario(platform: Platform, spec: ScenarioSpec | Path, draws: int | None = None,
                 seed: int | None = None) -> ScenarioResult:
    """Run ``spec`` (a spec file is read with :func:`read_spec`) with ``draws`` and ``seed``
    (default: the spec's, those of its published run)."""
    if not isinstance(spec, ScenarioSpec):
        spec = read_spec(Path(spec))
    draws, seed = int(draws or spec.draws), int(seed if seed is not None else spec.seed)
    base, meta = base_state(platform, spec.perspective, spec.tables)
    levers, used, _ = spec_levers(platform, spec, base)
    proj = project(base, levers, spec.horizon, draws, seed)
    full = model.central_projection(base, levers, spec.horizon)
    parent = parent_projection(platform, spec, base)
    return _result(platform, spec, base, meta, levers, used, proj, full, parent, draws, seed)


def _result(platform: Platform, spec: ScenarioSpec, base: BaseState, meta: dict[str, Any], levers: Levers,
            used: list[dict], proj: Projection, full: Projection, parent: Projection | None, draws: int,
            seed: int) -> ScenarioResult:
    intensity = energy_intensity_change(proj, meta)
    series = proj.co2_territorial if spec.perspective == "territorial" else proj.co2_with_electricity
    pk = peak_summary(peaks(series, proj.years, spec.plateau_tolerance, base.history, spec.peak_window))
    net, note = net_after_sink(platform, proj)
    illustrative = meta["illustrative"] or spec.illustrative
    fl = flags.scenario_flags(illustrative, meta["proxy_years"], base.year, list(base.history), spec.perspective)
    gap = model.gap_decomposition(parent, full, spec.parent.name) if spec.parent is not None else None
    return ScenarioResult(
        scenario=spec.name, lineage=list(spec.lineage), spec=spec.source, region=meta["region"], base_year=base.year,
        horizon=spec.horizon, draws=draws, seed=seed, perspective=spec.perspective, peak=PeakFigures(**pk),
        years=[int(y) for y in proj.years], co2_territorial_t=band(proj.co2_territorial),
        co2_with_electricity_t=band(proj.co2_with_electricity), energy_tce=band(proj.energy),
        nonfossil_share_pct=band(proj.nonfossil_share), nonfossil_share_convention=model.share_convention(proj),
        energy_intensity_change_vs_2020_pct=band(intensity), net_emissions_t=net, net_note=note,
        renewable_share_local_generation_pct=band(proj.renewable_share),
        target_checks=target_checks(platform, proj, intensity),
        wedges=model.wedges(base, levers, full, parent, spec.horizon, spec.perspective),
        decomposition=Decomposition(history_decomposition(meta), gap),
        history=base.history, projects=[ProjectUsed(**p) for p in used], figures=meta["figures"],
        illustrative=illustrative, proxy_factor=fl["proxy_factor"], proxy_years=fl["proxy_years"], flags=fl["flags"],
        assumptions=spec.assumptions(), lineage_names=spec.lineage_titles,
        perspective_name=model.label(f"scenario.perspective.{spec.perspective}"), spec_toml=spec.toml)


def run_child(platform: Platform, parent: str, overrides: dict[str, Any], draws: int,
              seed: int | None) -> ScenarioResult:
    """Run the editor's child of the bundled scenario ``parent`` with the changed levers
    (services/scenarios/specs.edit_spec): no file is written; the result carries the child spec
    as TOML (``spec_toml``) to save and version."""
    from .. import scenarios as package  # the package attribute, as the API routes call it

    spec = edit_spec(read_spec(spec_path(parent)), overrides)
    return package.run_scenario(platform, spec, draws, seed)  # through the package: patchable
