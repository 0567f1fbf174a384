"""The second county, 岳阳县 (issue #17): its plan file checks, and its plan and illustrative data
load into a fresh platform (both databases), account, feed the barometer, and reload idempotently.

A database holds one county: two counties on one deployment each get their own
(tests/system/test_tenancy.py, docs/tenancy.md).
"""

from __future__ import annotations

import csv
import json
import shutil
from dataclasses import asdict

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from carbonpeak.cli.main import app
from carbonpeak.domain.tracking import BarometerRule
from carbonpeak.services import demo_county
from carbonpeak.services.accounting import DEFAULTS, account_file, accounting_policy
from carbonpeak.services.errors import InputRejected, NotFound
from carbonpeak.services.indicators import indicator_set
from carbonpeak.services.plans import bundled_plan_path, read_plan
from carbonpeak.services.target_sources import plan_findings
from carbonpeak.services.tracking import targets_report, tracking_context
from carbonpeak.services.views import assess_year
from carbonpeak.store.models import ActivityRecord, GdpRecord, ImportBatch, PlanRow, TargetRow

PLAN = bundled_plan_path("yueyang")
CODE, REGION = "yueyang-2024", "岳阳县"


def _csv_rows(name: str) -> list[dict]:
    with (demo_county.demo_dir() / name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _counts(platform) -> dict[str, int]:
    with platform.sessions() as s:
        return {m.__tablename__: s.scalar(select(func.count()).select_from(m))
                for m in (PlanRow, TargetRow, ActivityRecord, GdpRecord, ImportBatch)}


def test_plan_file_checks_and_marks_its_assumptions():
    plan, _ = read_plan(PLAN)
    assert (plan.code, plan.region, plan.admin_code) == (CODE, REGION, "430621")
    findings = plan_findings(plan)
    assert not [f for f in findings if f.severity.value == "blocking"]
    assert all(t.source for t in plan.targets)
    # The one target the available text states is quoted from it ...
    t01 = next(t for t in plan.targets if t.id == "T01")
    opening = next(x.text for x in plan.sections if x.id == "1")
    assert t01.note in opening and t01.clause == "一、总体要求"
    # ... every other one has no value and carries its assumptions, which `plan check` lists.
    rest = [t for t in plan.targets if t.id != "T01"]
    assert rest and all(t.value is None and t.base_assumed and t.year_assumed and t.year_note for t in rest)
    listed = {f.params["id"] for f in findings if f.code == "plan.year_assumed"}
    assert listed == {t.id for t in rest}
    assert set(plan.translations["en"]) == {t.id for t in plan.targets}


def test_cli_plan_check_exits_0(tmp_path, monkeypatch):
    monkeypatch.setenv("CARBONPEAK_HOME", str(tmp_path))
    monkeypatch.setenv("CARBONPEAK_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    res = CliRunner().invoke(app, ["plan", "check", "--file", str(PLAN), "--format", "json"], catch_exceptions=False)
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["plan"] == CODE


def test_every_demo_row_is_marked_and_of_the_county():
    for name in ("yueyang_activity.csv", "yueyang_gdp.csv"):
        rows = _csv_rows(name)
        assert rows and all(r["地区"] == REGION and r["示例数据"] in ("是", "否") and r["来源"] for r in rows)
        # only a figure with a published source may say 否
        assert all(r["示例数据"] == "是" or "统计公报" in r["来源"] for r in rows)


def test_loads_accounts_and_feeds_the_barometer(platform):
    res = demo_county.load_county_demo(platform, "yueyang", "test")
    assert (res.plan_code, res.region, res.plan_changed) == (CODE, REGION, True)
    n_act, n_gdp = len(_csv_rows("yueyang_activity.csv")), len(_csv_rows("yueyang_gdp.csv"))
    n_mix = len(_csv_rows("yueyang_grid_mix.csv"))  # the grid's non-fossil fraction: county values
    assert [(i.kind, i.rows, i.inserted) for i in res.imports] == [("activity", n_act, n_act), ("gdp", n_gdp, n_gdp),
                                                                 ("factors", n_mix, n_mix)]

    ind = indicator_set(platform, DEFAULTS, REGION)
    assert list(ind.years) == [2020, 2021, 2022, 2023, 2024]
    # The stored inventory is the accounting of the file itself (one computation, two paths).
    lines = account_file(demo_county.demo_dir() / "yueyang_activity.csv", platform.ref,
                         accounting_policy(platform, CODE)).lines
    for y in ind.years:
        of_year = lines[lines["year"] == y]
        assert ind.get("co2_total", y, "territorial").value == pytest.approx(of_year["co2_direct_t"].sum())
        assert ind.get("co2_total", y, "with_electricity").value == pytest.approx(of_year["co2_t"].sum())
        # the magnitude stated in docs/demo-data.md: a light-industry county, 0.15–0.40 tce per 10^4 yuan
        assert 0.15 < ind.get("energy_intensity", y, "raw").value < 0.40

    report = asdict(targets_report(platform, 2024, DEFAULTS, BarometerRule(), plan_code=CODE))  # as the API writes it
    plan, _ = read_plan(PLAN)
    assert report["region"] == REGION
    assert [r["id"] for r in report["targets"]] == [t.id for t in plan.targets]
    by_id = {r["id"]: r for r in report["targets"]}
    assert by_id["T05"]["actual"] == pytest.approx(ind.get("co2_intensity_change_vs_base", 2024, "territorial").value)
    assert by_id["T01"]["source"]["module"] == "scenarios" and by_id["T01"]["light"] in ("green", "yellow", "red")
    # the English barometer names the targets from the plan's translations section
    en = assess_year(tracking_context(platform, DEFAULTS, CODE), 2024, BarometerRule(), "en")
    assert [r.name for r in en.targets] == [plan.translations["en"][t.id].name for t in plan.targets]


def test_reloading_duplicates_nothing(platform):
    demo_county.load_county_demo(platform, "yueyang", "test")
    before = _counts(platform)
    again = demo_county.load_county_demo(platform, "yueyang", "test")
    assert _counts(platform) == before
    assert not again.plan_changed and all(i.inserted == i.updated == 0 for i in again.imports)
    assert before["plans"] == 1 and before["plan_targets"] == len(read_plan(PLAN)[0].targets)


def test_unknown_county_is_not_found(platform):
    with pytest.raises(NotFound, match="yueyang"):
        demo_county.load_county_demo(platform, "nowhere", "test")


def _copy_demo(tmp_path, monkeypatch) -> None:
    for p in demo_county.demo_dir().glob("yueyang_*"):
        shutil.copy(p, tmp_path / p.name)
    monkeypatch.setattr(demo_county, "demo_dir", lambda: tmp_path)


def test_a_row_of_another_region_is_refused_with_nothing_written(platform, tmp_path, monkeypatch):
    _copy_demo(tmp_path, monkeypatch)
    path = tmp_path / "yueyang_gdp.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[3] = lines[3].replace("岳阳县", "安化县", 1)  # data row 3 = file row 4
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    before = _counts(platform)
    with pytest.raises(InputRejected) as exc:
        demo_county.load_county_demo(platform, "yueyang", "test")
    [issue] = exc.value.issues
    assert (issue.code, issue.file, issue.row, issue.column) == ("input.region_mismatch", "yueyang_gdp.csv", 4, "地区")
    assert "安化县" in issue.message("zh") and "岳阳县" in issue.message("zh")
    assert _counts(platform) == before


def test_a_bad_manifest_names_its_field(platform, tmp_path, monkeypatch):
    _copy_demo(tmp_path, monkeypatch)
    m = tmp_path / "yueyang_manifest.yaml"
    m.write_text(m.read_text(encoding="utf-8").replace("kind: gdp", "kind: gpd"), encoding="utf-8")
    with pytest.raises(InputRejected) as exc:
        demo_county.load_county_demo(platform, "yueyang", "test")
    assert exc.value.issues[0].column == "files[1].kind"
    assert _counts(platform)["plans"] == 0
