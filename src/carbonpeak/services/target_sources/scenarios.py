"""T07 (2030年前实现碳达峰) from the stored policy scenario: its published run (the spec's draws and
seed), the same run the scenario page and API show, cached under the same key.

The value is the run's median peak year (P50; none when fewer than half of the draws have peaked);
the light comes from P(peak ≤ target year) by the stated rule (domain/target_sources.PeakRule). The
run starts from the latest inventory year: the value belongs to that year.
"""

from __future__ import annotations

from typing import Any

from ...domain.plan import Target
from .. import scenarios, versions
from ..errors import InputRejected, NotFound
from ..platform import Platform
from . import ComputedValue, SourceInput, SourceModule, SourceRecord, register

SCENARIO = "policy"


def published(platform: Platform, name: str = SCENARIO) -> dict[str, Any]:
    """The published run of a bundled scenario, cached under the key the scenario API uses."""
    path = scenarios.spec_path(name)
    draws, seed = scenarios.published_run(path)
    key = ("scenario_run", name, draws, seed, versions.key(platform, versions.SCENARIOS))
    return platform.cached(key, lambda: scenarios.run_scenario(platform, path, draws, seed))


def _compute(inp: SourceInput, t: Target) -> list[ComputedValue]:
    try:
        run = published(inp.platform)
    except (NotFound, InputRejected) as exc:
        raise NotFound(f"the {SCENARIO} scenario cannot run: {exc}") from exc
    by = t.target_year
    p = run.get(f"p_peak_by_{by}")
    p50 = run["peak_year"].get("p50")
    names = run["lineage_names"][-1] if run.get("lineage_names") else {"zh": str(run["scenario"]), "en": str(run["scenario"])}
    rec = SourceRecord("scenario", SCENARIO, names["zh"], float(p50) if p50 is not None else None, t.unit,
                       True, int(run["base_year"]), note="peaked" if p50 is not None else "not_peaked",
                       illustrative=bool(run.get("illustrative")))
    params = {"year": by, "draws": run["draws"], "seed": run["seed"], "horizon": run["horizon"],
              "p": "—" if p is None else f"{p:.1%}"}
    return [ComputedValue(t.id, int(run["base_year"]), float(p50) if p50 is not None else None, t.unit, "scenarios",
                          "source.rule.peak", params, (rec,),
                          {"p_peak_by": p, "p_not_peaked": run.get("p_not_peaked"),
                           "p10": run["peak_year"].get("p10"), "p90": run["peak_year"].get("p90")},
                          illustrative=bool(run.get("illustrative")), probability=p)]


register(SourceModule("scenarios", frozenset({"co2_peak_year"}), _compute))
