"""The peak outlook of the report: the published run of the plan's policy scenario (the spec's
draws and seed), taken from the platform's cache under the key the scenario API uses, so the report
and /api/scenarios/policy quote one computation."""

from __future__ import annotations

import re
from typing import Any

from .. import scenarios, versions
from ..errors import CarbonPeakError
from ..platform import Platform
from .model import PeakOutlook

SCENARIO = "policy"


def policy_run(platform: Platform) -> dict[str, Any] | None:
    """The published policy run (None: no such scenario for this county, or it cannot run)."""
    try:
        path = scenarios.spec_path(SCENARIO)
        draws, seed = scenarios.published_run(path)
        key = ("scenario_run", SCENARIO, draws, seed, versions.key(platform, versions.SCENARIOS))
        return platform.cached(key, lambda: scenarios.run_scenario(platform, path, draws, seed))
    except (CarbonPeakError, FileNotFoundError):
        return None


def _name(name: str, lang: str) -> str:
    """A bilingual scenario name (方案情景 Policy) in the reader's language."""
    zh = re.sub(r"\s+[A-Za-z][A-Za-z ()-]*$", "", name)
    return zh if lang != "en" else (name[len(zh):].strip() or name)


def peak_outlook(platform: Platform, lang: str) -> PeakOutlook | None:
    run = policy_run(platform)
    if run is None:
        return None
    text = run["peak_year_text"]["en" if lang == "en" else "zh"]
    return PeakOutlook(
        scenario=_name(run["scenario"], lang), draws=run["draws"], p_peak_by_2030=float(run["p_peak_by_2030"]),
        peak_year=dict(run["peak_year"]), peak_year_text=text["p50"], horizon=int(run["horizon"]),
        peak_value_t=run.get("peak_value_t"), base_year=run["base_year"], illustrative=bool(run["illustrative"]),
        rule=run["peak_rule"]["en" if lang == "en" else "zh"], history=(run.get("decomposition") or {}).get("history"))
