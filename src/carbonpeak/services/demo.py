"""The Anhua demo: the platform's main job on the bundled plan and demo data.

Creates the database on first run, loads the plan and the demo files (idempotently: a second
run changes nothing), and returns the yearly inventory and the target barometer.
"""

from __future__ import annotations

import dataclasses
from importlib import resources
from pathlib import Path
from typing import Any

from ..domain.tracking import BarometerRule
from . import monitoring_demo
from .accounting import DEFAULTS, stored_lines
from .imports import import_file
from .indicators import indicator_set, qualifier
from .plans import bundled_plan_path, read_plan, store_plan
from .platform import Platform
from .tracking import targets_report

# MEE/NBS grid factors exist for 2021-2023 only; the demo years 2020 and 2024 use the nearest
# published year, and every figure that does says so (finding factor.electricity.proxy_year).
DEMO_OPTIONS = DEFAULTS  # the surfaces' policy (services/accounting.py)


def demo_file(name: str) -> Path:
    return Path(str(resources.files("carbonpeak").joinpath("data", "demo", name)))


def run_demo(platform: Platform, actor: str, lang: str = "zh") -> dict[str, Any]:
    plan, sha = read_plan(bundled_plan_path())
    loaded = store_plan(platform, plan, sha, source="carbonpeak/data/plans/anhua.yaml", actor=actor)
    imports = [import_file(platform, demo_file(f), actor, kind=k, options=DEMO_OPTIONS).as_dict() for f, k in
               (("anhua_activity.csv", "activity"), ("anhua_gdp.csv", "gdp"),
                ("anhua_target_values.csv", "observations"), ("anhua_forest_2019.csv", "parcels"),
                ("anhua_forest_2024.csv", "parcels"), ("anhua_buildings_2024.csv", "buildings"),
                ("anhua_project_progress.csv", "project_progress"))]  # illustrative progress of some projects
    monitored = monitoring_demo.load(platform, actor)
    imports += monitored["imports"]
    from .supervision import demo as supervision_demo  # illustrative supervision records, 2024 (late import)
    supervised = supervision_demo.load(platform, actor)
    from . import carbon  # illustrative monthly electricity by sector and green certificates (late: imports demo)
    imports += [dataclasses.asdict(carbon.import_electricity(platform, demo_file("anhua_monthly_electricity.csv"), actor)),
                dataclasses.asdict(carbon.import_certificates(platform, demo_file("anhua_green_certificates.csv"), actor))]
    from .reporting import demo as reporting_demo  # illustrative obligations, entries, reviews (late import)
    reporting = dataclasses.asdict(reporting_demo.load(platform, actor))
    _, findings, _ = stored_lines(platform, plan.region, DEMO_OPTIONS)
    ind = indicator_set(platform, DEMO_OPTIONS, plan.region)  # the figures every surface shows

    columns = {"energy_tce": ("energy_total", "raw"), "energy_assessment_tce": ("energy_total", "assessment"),
               "co2_territorial_t": ("co2_total", "territorial"),
               "co2_with_electricity_t": ("co2_total", "with_electricity"),
               "energy_intensity": ("energy_intensity", "raw"),
               "energy_intensity_change_vs_2020_pct": ("energy_intensity_change_vs_base", "assessment"),
               "nonfossil_share_pct": ("nonfossil_share", "raw"),
               "renewable_share_local_generation_pct": ("renewable_share_local_generation", "")}
    series = []
    for y in ind.years:
        found = {c: ind.get(code, y, basis) for c, (code, basis) in columns.items()}
        series.append({"year": y, "illustrative": y in ind.illustrative_years,
                       **{c: v.value if v else None for c, v in found.items()},
                       "qualifiers": {c: qualifier(v, lang) for c, v in found.items() if v and qualifier(v, lang)}})
    years = list(ind.years)
    barometer = targets_report(platform, years[-1], DEMO_OPTIONS, BarometerRule(), lang=lang)
    return {"database": platform.settings.database_url, "plan": loaded, "imports": imports,
            "monitoring": {"year": monitored["year"], "readings": monitored["readings"], "simulated": True},
            "supervision": supervised,
            "reporting": reporting,
            "series": series, "barometer": barometer,
            "findings": [f.as_dict(lang) for f in findings if f.code == "factor.electricity.proxy_year"]}
