"""One scope per request (services/scope.py, built by permissions.scope_of) applied in the
monitoring services' queries; one snapshot per monitoring page; typed results with response
schemas; Chinese labels in zh mode. On SQLite and PostgreSQL (the demo's key units)."""

from __future__ import annotations

import csv
import dataclasses
import io
import re

import pytest
from engine_events import statements
from fastapi.testclient import TestClient
from pydantic import TypeAdapter

from carbonpeak.services import monitoring, permissions
from carbonpeak.services.monitoring import metered, overview
from carbonpeak.services.scope import COUNTY, NO_UNIT, PUBLIC, Scope
from carbonpeak.services.users import create_user
from carbonpeak.web.app import create_app

PASSWORD = "Anhua-peak-2031"
U1 = "91430923000000001N"  # 益阳海螺水泥 (demo)
YEAR = 2024
DEMO_UNITS = 5
# the response schemas are the services' results (extra keys forbidden): TypeAdapter validates a document
API = {"units": ("/api/monitoring/units", TypeAdapter(monitoring.UnitsView)),
       "budgets": ("/api/monitoring/budgets", TypeAdapter(monitoring.Budgets)),
       "efficiency": ("/api/monitoring/efficiency", TypeAdapter(monitoring.Efficiency)),
       "quality": ("/api/monitoring/quality", TypeAdapter(monitoring.QualityReport)),
       "series": ("/api/monitoring/series", TypeAdapter(monitoring.Series))}


@pytest.fixture
def app(demo_platform, settings):
    for name, role, extra in (("admin", "admin", {}), ("viewer", "viewer", {}),
                              ("editor", "dept_editor", {"department": "县发展和改革局"}),
                              ("firm", "enterprise", {"enterprise": "益阳海螺水泥"}),
                              ("lost", "enterprise", {"enterprise": "不存在的企业"})):
        create_user(demo_platform, name, PASSWORD, role, "test", **extra)
    return create_app(settings, demo_platform)


def client(app, user: str | None, lang: str = "zh") -> TestClient:
    c = TestClient(app)
    c.cookies.set("lang", lang)
    if user:
        r = c.post("/api/auth/login", json={"username": user, "password": PASSWORD})
        assert r.status_code == 200, r.text
        c.headers["X-CSRF-Token"] = r.json()["csrf_token"]
    return c


def usccs_in(answer: dict) -> set[str]:
    """Every USCC an API answer names, wherever it stands."""
    return set(re.findall(r"9143\d{13}[0-9A-Z]", repr(answer)))


def test_scope_of_each_role(demo_platform):
    p = demo_platform
    users = {role: create_user(p, f"s_{role}", PASSWORD, role, "test",
                               **({"department": "县发展和改革局"} if role == "dept_editor" else
                                  {"enterprise": "益阳海螺水泥"} if role == "enterprise" else {}))
             for role in ("admin", "dept_editor", "viewer", "enterprise")}
    assert permissions.scope_of(p, None) == PUBLIC and not PUBLIC.one_unit
    assert permissions.scope_of(p, users["admin"]) == Scope("admin")
    assert permissions.scope_of(p, users["dept_editor"]) == Scope("dept_editor", "县发展和改革局")
    assert permissions.scope_of(p, users["viewer"]) == Scope("viewer")
    firm = permissions.scope_of(p, users["enterprise"])
    assert firm == Scope("enterprise", None, U1) and firm.one_unit and firm.sees(U1) and not firm.sees("x")
    by_code = create_user(p, "s_code", PASSWORD, "enterprise", "test", enterprise=U1)
    assert permissions.scope_of(p, by_code).unit == U1  # the account may hold the code or the name
    lost = create_user(p, "s_lost", PASSWORD, "enterprise", "test", enterprise="不存在的企业")
    assert permissions.scope_of(p, lost).unit == NO_UNIT
    with pytest.raises(dataclasses.FrozenInstanceError):
        firm.unit = None  # frozen: a service cannot widen the scope it was given


def test_the_chart_sums_the_monthly_rows_of_the_unit_totals(demo_ro):
    """The monthly chart: the largest units a series each, the rest summed as one; every unit's
    year is its total in the units table, every month the aggregate series' month (one figure)."""
    snap = monitoring.monitoring_snapshot(demo_ro, COUNTY, YEAR)
    full = snap.monthly
    assert len(full.units) == DEMO_UNITS <= monitoring.CHART_UNITS and full.others == 0 and full.others_tce == []
    table = {u.uscc: u.energy_tce for u in snap.units}
    assert {u.uscc: sum(u.energy_tce) for u in full.units} == pytest.approx(table, rel=1e-12)
    assert [sum(u.energy_tce) for u in full.units] == sorted((sum(u.energy_tce) for u in full.units), reverse=True)
    by_month: dict[str, float] = {}
    for r in monitoring.aggregate(demo_ro, YEAR, "month", "unit"):
        by_month[r.at] = by_month.get(r.at, 0.0) + r.energy_tce
    assert full.months == sorted(by_month) and len(full.months) == 12
    two = monitoring.monthly_energy(metered.series(demo_ro, YEAR), top=2)
    assert [u.uscc for u in two.units] == [u.uscc for u in full.units[:2]] and two.others == DEMO_UNITS - 2
    month_sums = [a + b + c for a, b, c in zip(two.units[0].energy_tce, two.units[1].energy_tce, two.others_tce)]
    assert month_sums == pytest.approx([by_month[m] for m in two.months], rel=1e-12)
    assert sum(two.others_tce) == pytest.approx(sum(sorted(table.values())[:DEMO_UNITS - 2]), rel=1e-12)


def test_services_apply_the_scope_in_their_queries(demo_ro):
    p, firm = demo_ro, Scope("enterprise", None, U1)
    snap = monitoring.monitoring_snapshot(p, firm, YEAR)
    everyone = monitoring.monitoring_snapshot(p, COUNTY, YEAR)
    assert [u.uscc for u in snap.units] == [U1] and len(everyone.units) == DEMO_UNITS
    assert {b.uscc for b in snap.budgets.items} == {U1} and len(everyone.budgets.items) > 1
    assert {e.uscc for e in snap.efficiency.units} == {U1}
    assert {t.uscc for t in snap.efficiency.two_high} <= {U1} and len(everyone.efficiency.two_high) > 1
    assert {f.params["uscc"] for f in snap.findings} <= {U1}
    assert {f.params["uscc"] for f in everyone.findings} - {U1}  # the others' findings exist, just not shown
    assert [u.uscc for u in snap.monthly.units] == [U1] and len(everyone.monthly.units) == DEMO_UNITS
    assert snap.as_of == everyone.as_of  # the day figures are stated at does not depend on who looks
    nobody = monitoring.monitoring_snapshot(p, Scope("enterprise", None, NO_UNIT), YEAR)
    assert (nobody.units, nobody.budgets.items, nobody.efficiency.units, nobody.efficiency.two_high,
            nobody.findings, nobody.monthly.units, nobody.monthly.others) == ([], [], [], [], [], [], 0)


def test_each_role_sees_what_the_permission_table_says(app):
    """County roles (admin, dept_editor, viewer) read every unit; an enterprise account its own
    unit through the API and the page; one whose unit is not registered sees none; anonymous: 401."""
    for user in ("admin", "editor", "viewer", "firm", "lost"):
        c = client(app, user)
        for name, (path, model) in API.items():
            r = c.get(path, params={"year": YEAR})
            assert r.status_code == 200, (user, path, r.text)
            model.validate_python(r.json())
            seen = usccs_in(r.json())
            want = {U1} if user == "firm" else set() if user == "lost" else None
            if want is None:
                assert len(seen) >= (DEMO_UNITS if name in ("units", "series") else 2), (user, name, seen)
            else:
                assert seen == want, (user, name, seen)
        page = c.get("/monitoring", params={"year": YEAR}).text
        rows = set(re.findall(r'<tr data-uscc="(\w+)"', page))
        chart = set(re.findall(r"9143\d{13}[0-9A-Z]", re.search(r"data-monthly='([^']*)'", page).group(1)))
        if user == "firm":
            assert rows == chart == {U1} and "益阳海螺水泥" in page
        elif user == "lost":
            assert rows == chart == set()
        else:
            assert len(rows) == len(chart) == DEMO_UNITS
    anon = client(app, None)
    for path, _ in API.values():
        assert anon.get(path, params={"year": YEAR}).status_code == 401
    firm = client(app, "firm")
    assert firm.get("/api/monitoring/series", params={"year": YEAR, "uscc": "91430923000000002L"}).status_code == 403
    assert firm.get("/api/monitoring/series", params={"year": YEAR, "by": "town"}).status_code == 403


def test_exports_for_an_enterprise_account(app):
    """The county's assessment report is not for an enterprise account; the supervision results
    are public by the plan (向社会公开), the same for everyone, with no meter data."""
    firm, anon = client(app, "firm"), client(app, None)
    assert firm.post("/api/reports", params={"year": YEAR}).status_code == 403
    mine = firm.get("/api/open/supervision.csv", params={"year": YEAR})
    public = anon.get("/api/open/supervision.csv", params={"year": YEAR})
    assert mine.status_code == public.status_code == 200 and mine.content == public.content
    rows = list(csv.DictReader(io.StringIO(public.content.decode("utf-8-sig"))))
    assert len(rows) == DEMO_UNITS and "token" not in public.text
    disclosed = anon.get("/api/public/disclosure", params={"year": YEAR}).json()
    TypeAdapter(monitoring.Disclosure).validate_python(disclosed)
    assert len(disclosed["units"]) == DEMO_UNITS


def test_the_page_groups_the_findings_per_rule(app, demo_platform):
    """One group per finding code, named and counted, its rule once; a group of more than five
    folded; every finding of the service in exactly one group."""
    page = client(app, "admin").get("/monitoring", params={"year": YEAR}).text
    found = monitoring.quality(demo_platform, YEAR)
    groups = re.findall(r'<details class="finding-group" data-code="([\w.]+)"( open)?>\s*<summary>([^<]+) <small>(\d+)</small>'
                        r'(.*?)</details>', page, re.S)
    assert [g[0] for g in groups] == sorted({f.code for f in found})
    for code, opened, name, n, body in groups:
        assert int(n) == body.count("<li ") == sum(f.code == code for f in found) and (opened == " open") == (int(n) <= 5)
        assert name.strip() and "monitoring" not in name and body.count("GB/T") + body.count("GB ") <= 1, (code, name)


def test_the_page_computes_one_snapshot(app, demo_platform, monkeypatch):
    """Budgets, efficiency and quality run once per page (they ran twice, and the default year
    computed the series of every year); each registry table is read once."""
    calls: dict[str, int] = {}
    for name in ("budgets", "efficiency", "quality", "monthly_energy"):
        real = getattr(overview, name)

        def spy(*a, _real=real, _name=name, **k):
            calls[_name] = calls.get(_name, 0) + 1
            return _real(*a, **k)
        monkeypatch.setattr(overview, name, spy)
    real_snapshot = monitoring.monitoring_snapshot
    monkeypatch.setattr(monitoring, "monitoring_snapshot",
                        lambda *a, **k: calls.__setitem__("snapshots", calls.get("snapshots", 0) + 1) or real_snapshot(*a, **k))
    c = client(app, "admin")
    assert c.get("/monitoring").status_code == 200  # warms the series cache (default year)
    calls.clear()
    with statements(demo_platform.engine) as seen:
        assert c.get("/monitoring").status_code == 200
    assert calls == {"snapshots": 1, "budgets": 1, "efficiency": 1, "quality": 1, "monthly_energy": 1}, calls
    for table in ("energy_budgets", "unit_outputs", "two_high_projects"):
        reads = [s for s in seen if re.search(rf"\bFROM {table}\b", s)]
        assert len(reads) == 1, (table, reads)
    assert not [s for s in seen if re.search(r"\bFROM energy_reports_205_1\b", s)]  # the findings are kept (no new data)
    assert not [s for s in seen if "meter_readings" in s]  # views read the rollups (migration 0014), never readings
    assert len([s for s in seen if "reading_rollups" in s]) == 1  # the latest year only (MIN/MAX), no series


def test_zh_and_en_labels_on_the_monitoring_and_disclosure_pages(app):
    zh = client(app, "admin", "zh").get("/monitoring", params={"year": YEAR}).text
    en = client(app, "admin", "en").get("/monitoring", params={"year": YEAR}).text
    shown_zh = re.sub(r"<[^>]+>", " ", zh.split("<main", 1)[-1])
    for code in ("confirmed", "unverified", "below_baseline", "monitoring.", "completeness ≥", "GB 17167-2006 calibration"):
        assert code not in shown_zh, code
    assert "GB/T 38692-2020 及省级实践" in zh and "待核对" in zh and "在建" in zh
    assert "completeness ≥ 90 %" in en and "under construction" in en and "unverified" in en
    dz = client(app, None, "zh").get("/disclosure", params={"year": YEAR}).text
    de = client(app, None, "en").get("/disclosure", params={"year": YEAR}).text
    assert "<td>是</td>" in dz and "<td>yes</td>" in de and "<td>是</td>" not in de
    assert "拟建" in dz and "planned" in de


def test_api_json_shapes_and_response_schemas(app):
    c = client(app, "admin")
    unit = c.get("/api/monitoring/units", params={"year": YEAR}).json()["units"][0]
    assert set(unit) == {"uscc", "name", "industry_code", "industry", "town", "category", "annual_energy_tce", "points",
                         "last_seen", "token", "energy_tce", "co2_t", "budget", "efficiency", "findings", "illustrative"}
    eff = c.get("/api/monitoring/efficiency", params={"year": YEAR}).json()
    assert "class" in eff["units"][0] and "cls" not in eff["units"][0] and "class" in eff["two_high"][0]
    rows = c.get("/api/monitoring/series", params={"year": YEAR, "by": "town"}).json()["rows"]
    assert rows and set(rows[0]) == {"town", "at", "carrier", "unit", "basis", "quantity", "energy_tce", "co2_t",
                                     "factor_ids"}
    doc = c.get("/openapi.json").json()
    for path in ("/api/monitoring/units", "/api/monitoring/budgets", "/api/monitoring/efficiency",
                 "/api/monitoring/quality", "/api/monitoring/series", "/api/public/disclosure"):
        schema = doc["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
        assert schema.get("$ref", "").startswith("#/components/schemas/"), (path, schema)
    props = doc["components"]["schemas"]["EfficiencyRow"]["properties"]
    assert "class" in props and "cls" not in props


def test_quality_rules_are_pure_domain_functions():
    from datetime import date

    from carbonpeak.domain.monitoring import (
        QUALITY,
        calibration_state,
        day_completeness,
        relative_gap,
        working_days_between,
    )
    assert working_days_between(date(2024, 3, 8), date(2024, 3, 18)) == 5  # Mon 11 – Fri 15
    assert working_days_between(date(2024, 3, 18), date(2024, 3, 8)) == 0
    assert day_completeness(0, 1, 96) == 0.0 and day_completeness(95, 1, 96) == 1.0
    assert day_completeness(60, 1, 96) == pytest.approx(61 / 96) and 61 / 96 < QUALITY["completeness"]
    assert relative_gap(108, 100) == pytest.approx(0.08) and relative_gap(108, 100) > QUALITY["day_vs_month"]
    assert calibration_state(date(2024, 1, 1), date(2024, 1, 2)) == "expired"
    assert calibration_state(date(2024, 1, 31), date(2024, 1, 1)) == "due"
    assert calibration_state(date(2024, 3, 1), date(2024, 1, 1)) is None
