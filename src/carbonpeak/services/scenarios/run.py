"""Running a scenario: the Monte Carlo projection of a spec with everything its result shows,
and a run of an edited child spec."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from ...domain.findings import InputIssue
from ...domain.peaks import WINDOW as PEAK_WINDOW
from ...domain.peaks import summary as peak_summary
from ...domain.projection import band, peaks, project
from .. import flags
from ..errors import InputRejected
from ..platform import Platform
from .analysis import (energy_intensity_change, gap_lmdi, history_lmdi, net_after_sink, share_convention,
                       target_checks, wedges)
from .base import base_state
from .measures import _parent_levers, levers_from_spec, registry_measures
from .specs import child_spec, load_spec, spec_path


def _run_settings(sc: dict, file: str, draws: int | None, seed: int | None) -> tuple[str, int, int, int, float, int]:
    """The run's settings from ``[scenario]``: perspective, draws, seed, horizon, plateau tolerance
    and peak window (domain/peaks.py), each checked and named when wrong."""
    perspective = sc.get("perspective", "territorial")
    tol, window = float(sc.get("plateau_tolerance", 0.01)), sc.get("peak_window", PEAK_WINDOW)
    for key, bad, reason in (
            ("perspective", perspective not in ("territorial", "with_electricity"), "territorial | with_electricity"),
            ("plateau_tolerance", not 0 <= tol < 0.5, "0 ≤ tolerance < 0.5 (0.01 = 1 %)"),
            ("peak_window", not isinstance(window, int) or window < 2, "whole years ≥ 2")):
        if bad:
            raise InputRejected([InputIssue("input.bad_value", file, None, f"scenario.{key}",
                                            {"value": sc[key], "reason": reason})])
    return (perspective, int(draws or sc.get("draws", 10000)), int(seed if seed is not None else sc.get("seed", 0)),
            int(sc.get("horizon", 2035)), tol, window)


def run_scenario(platform: Platform, spec_path: Path, draws: int | None = None, seed: int | None = None) -> dict[str, Any]:
    spec = load_spec(spec_path)
    sc = spec["scenario"]
    perspective, draws, seed, horizon, tol, window = _run_settings(sc, spec_path.name, draws, seed)
    base, meta = base_state(platform, perspective, spec)
    additions, demands, used, onlines = registry_measures(platform, spec, base.year, spec_path.name)
    levers = levers_from_spec(spec, additions, spec_path.name, demands, onlines)
    proj = project(base, levers, horizon, draws, seed)
    parent = _parent_levers(platform, spec, spec_path, base)
    intensity = energy_intensity_change(proj, meta)
    series = proj.co2_territorial if perspective == "territorial" else proj.co2_with_electricity
    pk = peaks(series, proj.years, tol, base.history, window)
    return {
        "scenario": sc.get("name", spec_path.stem), "lineage": sc.get("lineage"), "spec": str(spec_path),
        "region": meta["region"], "base_year": base.year, "horizon": horizon, "draws": draws, "seed": seed,
        "perspective": perspective, **peak_summary(pk),  # peak year, P(≤ 2030), P(not peaked), the rule
        "years": [int(y) for y in proj.years],
        "co2_territorial_t": band(proj.co2_territorial), "co2_with_electricity_t": band(proj.co2_with_electricity),
        "energy_tce": band(proj.energy), "nonfossil_share_pct": band(proj.nonfossil_share),
        "nonfossil_share_convention": share_convention(proj),
        "energy_intensity_change_vs_2020_pct": band(intensity),
        **net_after_sink(platform, proj),
        "renewable_share_local_generation_pct": band(proj.renewable_share),
        "target_checks": target_checks(platform, proj, intensity),
        "wedges": wedges(base, levers, parent, horizon, perspective),
        "decomposition": {"history": history_lmdi(meta),
                          "vs_parent": gap_lmdi(spec, base, levers, parent, horizon)},
        "history": base.history, "projects": used, "figures": meta["figures"],
        "illustrative": meta["illustrative"] or bool(sc.get("illustrative", True)),
        **flags.scenario_flags(meta["illustrative"] or bool(sc.get("illustrative", True)), meta["proxy_years"],
                               base.year, list(base.history), perspective),
        "assumptions": {k: spec.get(k, {}) for k in ("drivers", "energy", "electricity", "measures")},
    }


def run_child(platform: Platform, parent: str, overrides: dict[str, Any], draws: int, seed: int | None) -> dict[str, Any]:
    from .. import scenarios as package  # the package attribute, as the API routes call it

    text = child_spec(parent, overrides)
    runnable = text.replace(f'parent = "{parent}.toml"', f'parent = "{spec_path(parent).as_posix()}"')
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d) / "edited.toml"
        tmp.write_text(runnable, encoding="utf-8")
        result = package.run_scenario(platform, tmp, draws, seed)  # through the package: patchable
    result["spec"] = "edited"
    result["spec_toml"] = text
    result["lineage"] = [*result["lineage"][:-1], "edited"]
    return result
