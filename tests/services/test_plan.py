"""The plan as data: the Anhua plan in full, the checker, another county, bad plan files."""

from __future__ import annotations

import pytest
from paths import DATA

from carbonpeak.domain.plan import check_plan
from carbonpeak.services.errors import InputRejected
from carbonpeak.services.plans import bundled_plan_path, plan_document, read_plan


@pytest.fixture(scope="module")
def anhua():
    return read_plan(bundled_plan_path())[0]


def test_anhua_plan_is_complete(anhua):
    assert len(anhua.actions) == 10
    assert [a.number for a in anhua.actions] == list(range(1, 11))
    assert sum(len(a.tasks) for a in anhua.actions) == 38
    assert all(t.departments for a in anhua.actions for t in a.tasks)
    assert len(anhua.projects) == 97
    assert {p.box for p in anhua.projects} == set(range(0, 21)) - {19}
    assert len(anhua.targets) == 67  # 51 of 二、主要目标 and the tasks, 16 more commitments inside the task texts
    assert len(anhua.townships) == 23


def test_headline_targets_are_transcribed(anhua):
    t = {x.id: x for x in anhua.targets}
    assert (t["T01"].value, t["T01"].direction, t["T01"].target_year) == (22, ">=", 2025)
    assert (t["T02"].value, t["T02"].kind, t["T02"].base_year) == (-14.5, "change", 2020)
    assert t["T03"].value is None and t["T03"].value_status == "assigned"
    assert (t["T04"].value, t["T04"].direction) == (25, "~>=")
    assert (t["T12"].value, t["T13"].value, t["T13"].unit) == (90, 400, "万千瓦")
    assert (t["T21"].value, t["T22"].value, t["T23"].value) == (30000, 10000, 20000)


def test_pumped_storage_and_pv_projects(anhua):
    p = {x.id: x for x in anhua.projects}
    assert (p["P04-29"].capacity, p["P04-29"].town, p["P04-29"].type) == (240, "仙溪镇", "pumped_storage")
    assert (p["P04-30"].capacity, p["P04-30"].town) == (120, "田庄乡")
    assert sum(x.capacity for x in anhua.projects if x.group == "G4-PV2") == pytest.approx(112)


def test_checker_finds_the_plans_inconsistencies(anhua):
    found = {(f.code, f.params.get("group") or f.params.get("missing") or f.params.get("where") or f.params.get("id"))
             for f in check_plan(anhua)}
    # 专栏4: 光伏发电项目（一） states 33.2万千瓦, its eight parts sum to 37.2万千瓦
    assert ("plan.total_mismatch", "安化县光伏发电项目（一）") in found
    assert not any(c == "plan.total_mismatch" and g == "安化县光伏发电项目（二）" for c, g in found)  # 112 = 112
    assert ("plan.column_gap", 19) in found
    assert ("plan.count_exceeds", "专栏15 生活垃圾压缩站") in found
    assert ("plan.target_no_value", "T03") in found
    mismatch = next(f for f in check_plan(anhua) if f.code == "plan.total_mismatch")
    assert (mismatch.params["stated"], mismatch.params["summed"], mismatch.params["diff"]) == (33.2, 37.2, 4.0)
    assert "33.2" in mismatch.message("zh") and "37.2" in mismatch.message("en")
    lists = {f.params["where"]: f for f in check_plan(anhua) if f.code == "plan.list_mismatch"}
    assert lists["三（1）3 与 专栏2：低碳景区名单"].params["only_text"] == ["九龙池"]
    assert lists["三（2）1 与 专栏4：风电项目名单"].params["only_box"] == ["梅城镇"]


def test_another_county_loads_the_same_way():
    plan, sha = read_plan(DATA / "other_county.yaml")
    assert plan.region == "示例县" and len(sha) == 64
    codes = {f.code for f in check_plan(plan)}
    assert codes == {"plan.unknown_department"}  # 县城管局 is not in its department list; 6 + 4 = 10 is fine
    doc = plan_document(plan)
    assert doc["summary"] == {"targets": 2, "targets_without_value": 0, "actions": 1, "tasks": 1, "projects": 2,
                              "departments": 2, "milestones": 0}


@pytest.mark.parametrize("mutate,path", [
    (lambda t: t.replace("capacity: 6,", "capcity: 6,"), "projects[0].capcity"),
    (lambda t: t.replace("value: 20,", "value: twenty,"), "targets[0].value"),
    (lambda t: t.replace("format: carbonpeak-plan/1", "format: other"), "format"),
    (lambda t: t.replace("    number: 1\n", ""), "actions[0].number"),
])
def test_bad_plan_files_are_named(tmp_path, mutate, path):
    p = tmp_path / "bad.yaml"
    p.write_text(mutate((DATA / "other_county.yaml").read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(InputRejected) as e:
        read_plan(p)
    assert path in [i.column for i in e.value.issues]
    assert e.value.issues[0].file == "bad.yaml"


def test_yaml_syntax_error_names_the_line(tmp_path):
    p = tmp_path / "broken.yaml"
    p.write_text("format: carbonpeak-plan/1\ncode: [unclosed\nname: x\n", encoding="utf-8")
    with pytest.raises(InputRejected) as e:
        read_plan(p)
    assert e.value.issues[0].code == "input.file_unreadable" and e.value.issues[0].row is not None
