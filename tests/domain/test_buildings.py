"""Public-building grading: every band edge, and the quota table from the reference data."""

from __future__ import annotations

import pytest
from paths import DATA

from carbonpeak.domain.buildings import GradeRule, eui, grade

# 党政机关办公建筑 (A类办公), hot-summer-cold-winter: constraint 70, guide 55 kWh/(m²·a) [unverified lead]
C, G = 70.0, 55.0


@pytest.mark.parametrize("value,expected", [
    (0.0, 1), (55.0, 1), (55.0001, 2), (62.5, 2), (62.5001, 3), (70.0, 3), (70.0001, 4), (84.0, 4), (84.0001, 5), (500, 5),
])
def test_every_band_edge(value, expected):
    assert int(grade(value, C, G)) == expected


def test_configurable_limit_and_text():
    assert int(grade(90.0, C, G, GradeRule(over_limit=1.3))) == 4
    assert "约束值×1.3" in GradeRule(1.3).text() and "guide" in GradeRule().text("en")


def test_eui():
    assert float(eui(1_400_000, 20_000)) == pytest.approx(70.0)


def test_quota_table_is_loaded_and_flagged(ref):
    q = ref.factors.of_kind("building_quota")
    row = q[(q["carrier"] == "A类办公/党政机关办公建筑") & (q["parameter"] == "constraint")].iloc[0]
    assert (row["canonical"], row["geography"], row["status"]) == (70.0, "夏热冬冷", "unverified")


def test_grade_file(ref):

    from carbonpeak.services.buildings import grade_file

    res = grade_file(DATA / "buildings.csv", ref)
    b = {x.building_id: x for x in res.buildings}
    assert b["B01"].eui == pytest.approx(50.0) and b["B01"].grade == 1       # guide 55
    gas_kwh = 10000 * 38.931 / 3.6                                                # 389.31 GJ/万m³ → kWh
    assert b["B02"].eui == pytest.approx((900000 + gas_kwh) / 10000)           # ≈ 100.8 vs constraint 85
    assert b["B02"].grade == 4 and b["B02"].over_constraint is True
    assert b["B03"].eui == pytest.approx(125.0) and b["B03"].grade == 4      # 110 < 125 ≤ 110 × 1.2
    assert res.over_constraint == ["B03", "B02"] and "unverified" in res.quota_status


def test_unknown_building_type_is_named(ref, tmp_path):
    from carbonpeak.services.buildings import grade_file
    from carbonpeak.services.errors import InputRejected

    head = "建筑编号,类型,子类型,建筑面积,年份,电力\n"
    bad_area = tmp_path / "area.csv"
    bad_area.write_text(head + "X2,A类办公,商业办公建筑,0,2024,5\n", encoding="utf-8")
    with pytest.raises(InputRejected) as e:
        grade_file(bad_area, ref)
    assert [(i.row, i.column) for i in e.value.issues] == [(2, "floor_area_m2")]
    unknown = tmp_path / "type.csv"
    unknown.write_text(head + "X1,A类办公,寺庙,100,2024,1000\n", encoding="utf-8")
    with pytest.raises(InputRejected) as e:
        grade_file(unknown, ref)
    assert [(i.code, i.row, i.column) for i in e.value.issues] == [("input.no_factor", 2, "subtype")]


def test_stored_buildings_api_and_page(demo_ro):
    from fastapi.testclient import TestClient

    from carbonpeak.web.app import create_app

    c = TestClient(create_app(demo_ro.settings, demo_ro))
    d = c.get("/api/buildings").json()
    assert d["year"] == 2024 and len(d["buildings"]) == 10 and d["illustrative"] is True
    b = {x["building_id"]: x for x in d["buildings"]}
    assert b["B001"]["eui"] == pytest.approx(1_010_000 / 18000) and b["B001"]["grade"] == 2  # 56.1: guide 55 < … ≤ 62.5
    assert sum(d["grades"].values()) + len(d["unrated"]) == 10 and set(d["over_constraint"]) == {x for x, v in b.items() if v["over_constraint"]}
    assert "buildings-table" in c.get("/buildings").text


def test_county_quota_through_the_api_regrades_at_once(demo_platform, settings):
    from fastapi.testclient import TestClient

    from carbonpeak.services.users import create_user
    from carbonpeak.web.app import create_app

    create_user(demo_platform, "admin", "Anhua-peak-2031", "admin", "test")
    create_user(demo_platform, "viewer", "tea-hills-4521", "viewer", "test")
    app = create_app(settings, demo_platform)

    def client(user, pw):
        c = TestClient(app)
        c.headers["X-CSRF-Token"] = c.post("/api/auth/login", json={"username": user, "password": pw}).json()["csrf_token"]
        return c

    kind = {"kind": "building_quota", "carrier": "A类办公/党政机关办公建筑", "geography": "夏热冬冷", "unit": "kWh/m2",
            "source_document": "安化县公共建筑能耗定额（测试）", "status": "confirmed"}
    body = [{**kind, "parameter": "constraint", "value": 50}, {**kind, "parameter": "guide", "value": 40}]
    assert client("viewer", "tea-hills-4521").put("/api/factors/county", json=body).status_code == 403
    admin = client("admin", "Anhua-peak-2031")
    grades = lambda: {x["building_id"]: x for x in TestClient(app).get("/api/buildings").json()["buildings"]}
    assert grades()["B001"]["grade"] == 2
    r = admin.put("/api/factors/county", json=body)
    assert r.status_code == 200, r.text
    b = grades()
    # EUI 56.1 with guide 40, constraint 50: above the constraint, within 1.2 × 50 = 60 → grade 4
    assert b["B001"]["constraint"] == 50 and b["B001"]["grade"] == 4 and b["B001"]["over_constraint"]
    assert "confirmed" in TestClient(app).get("/api/buildings").json()["quota_status"]
    gone = admin.delete("/api/factors/county", params={"kind": "building_quota", "carrier": kind["carrier"],
                                                       "geography": "夏热冬冷", "parameter": "constraint"})
    assert gone.status_code == 200 and grades()["B001"]["constraint"] == 70
    assert admin.get("/api/factors/county").json()["factors"][0]["parameter"] == "guide"


def test_grades_revive_from_their_document(ref):
    """An assessment frozen before the grades were typed kept them as their JSON document: it
    revives to grades equal to the typed ones (services/reporting/frozen.revive)."""
    import json

    from carbonpeak.services import serialize
    from carbonpeak.services.buildings import BuildingGrades, grade_file

    res = grade_file(DATA / "buildings.csv", ref)
    doc = json.loads(serialize.dumps(res))
    doc["grades"] = {int(k): v for k, v in doc["grades"].items()}  # frozen JSON keeps non-text keys
    assert BuildingGrades.of_document(doc) == res
    assert res.buildings and res.grades and sum(res.grades.values()) + len(res.unrated) == len(res.buildings)
