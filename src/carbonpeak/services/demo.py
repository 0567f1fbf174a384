"""The Anhua demo: the platform's main job on the bundled plan and demo data.

Creates the database on first run, loads the plan and the demo files (idempotently: a second
run changes nothing), and returns the yearly inventory and the target barometer.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

from ..domain.accounting import AccountingOptions
from ..domain.indicators import compute_indicators
from ..domain.tracking import BarometerRule
from .accounting import stored_lines
from .imports import import_file
from .plans import bundled_plan_path, read_plan, store_plan
from .platform import Platform
from .tracking import illustrative_input_years, targets_report

# MEE/NBS grid factors exist for 2021-2023 only; the demo years 2020 and 2024 use the nearest
# published year, and every figure that does says so (finding factor.electricity.proxy_year).
DEMO_OPTIONS = AccountingOptions(electricity_fallback="nearest")


def demo_file(name: str) -> Path:
    return Path(str(resources.files("carbonpeak").joinpath("data", "demo", name)))


def run_demo(platform: Platform, actor: str, lang: str = "zh") -> dict[str, Any]:
    plan, sha = read_plan(bundled_plan_path())
    loaded = store_plan(platform, plan, sha, source="carbonpeak/data/plans/anhua.yaml", actor=actor)
    imports = [import_file(platform, demo_file(f), actor, kind=k, options=DEMO_OPTIONS).as_dict() for f, k in
               (("anhua_activity.csv", "activity"), ("anhua_gdp.csv", "gdp"),
                ("anhua_target_values.csv", "observations"), ("anhua_forest_2019.csv", "parcels"),
                ("anhua_forest_2024.csv", "parcels"), ("anhua_buildings_2024.csv", "buildings"))]
    from . import monitoring_demo  # noqa: PLC0415 (it builds on this module's demo_file)
    monitored = monitoring_demo.load(platform, actor)
    imports += monitored["imports"]
    lines, findings, gdp = stored_lines(platform, plan.region, DEMO_OPTIONS)
    ind = compute_indicators(lines, gdp, base_year=2020)
    pick = {(v.code, v.year, v.basis): v.value for v in ind}
    years = sorted(int(y) for y in lines["year"].unique())
    illustrative = illustrative_input_years(lines, gdp)
    series = [{
        "year": y,
        "illustrative": y in illustrative,
        "energy_tce": pick[("energy_total", y, "raw")],
        "energy_assessment_tce": pick[("energy_total", y, "assessment")],
        "co2_territorial_t": pick[("co2_total", y, "territorial")],
        "co2_with_electricity_t": pick[("co2_total", y, "with_electricity")],
        "energy_intensity": pick[("energy_intensity", y, "raw")],
        "energy_intensity_change_vs_2020_pct": pick[("energy_intensity_change_vs_base", y, "assessment")],
        "nonfossil_share_pct": pick[("nonfossil_share", y, "raw")],
        "renewable_share_local_generation_pct": pick[("renewable_share_local_generation", y, "")],
    } for y in years]
    barometer = targets_report(platform, years[-1], DEMO_OPTIONS, BarometerRule(), lang=lang)
    return {"database": platform.settings.database_url, "plan": loaded, "imports": imports,
            "monitoring": {"year": monitored["year"], "readings": monitored["readings"], "simulated": True},
            "series": series, "barometer": barometer,
            "findings": [f.as_dict(lang) for f in findings if f.code == "factor.electricity.proxy_year"]}
