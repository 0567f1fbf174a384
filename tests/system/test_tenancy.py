"""Several counties on one deployment (issue #17, services/tenancy.py), on both databases.

A deployment of two counties: 安化县 (``anhua``, the demo) and 岳阳县 (``yueyang``, its bundled
plan and illustrative data, plus a key unit and an account of its own). As a user of 安化县:
every operation of the OpenAPI document and every page, asked with 岳阳县's codes and ids and
``?county=yueyang``, answers with 安化县's data or "not found", never with a word of 岳阳县; no
write changes 岳阳县's database. Visitors choose a county; a city account sees both, summed.
"""

from __future__ import annotations

import io
import re
import shutil
import uuid
import zipfile

import pytest
import schemathesis
from conftest import TEST_HASHING, _admin, _require_pg, _schema_url
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from shared_demo import fingerprint

from carbonpeak.services import audit, city, demo_county, factor_store, tenancy, users, views
from carbonpeak.services.errors import ConfigurationError, InputRejected
from carbonpeak.services.imports import import_file
from carbonpeak.services.plans import bundled_plan_path, read_plan, store_plan
from carbonpeak.services.reports import narrative
from carbonpeak.services.reports.assessment import assessment
from carbonpeak.settings import Settings, SettingsError
from carbonpeak.store.db import county_url, search_path
from carbonpeak.web import accounts_page, carbon_pages, docs, guide_pages, reporting_pages, supervision_pages
from carbonpeak.web import pages as web_pages
from carbonpeak.web.app import create_app

PASSWORD = "Tenancy-Check-2026!"
B_MARK = re.compile("岳阳|430621")  # county B's name and administrative code (in its units' codes too)
B_UNIT = "914306210000000093"
B_UNITS_CSV = ("统一社会信用代码,单位名称,行业代码,行业,乡镇,年综合能耗,监管类别,来源,示例数据\n"
               f"{B_UNIT},岳阳县示例化工有限公司,C2611,基础化学原料制造,荣家湾镇,15000,在线监测,示例数据,是\n")


def _deployment(backend: str, templates, folder):
    """Settings and an open deployment: anhua = a copy of the demo, yueyang = its bundled demo."""
    if backend == "sqlite":
        base = f"sqlite:///{folder / 'base.db'}"
        templates.copy_sqlite("demo", folder / "base-anhua.db")
    else:
        _require_pg()
        templates.sweep()
        schema = templates.name("t" + uuid.uuid4().hex[:8])
        _admin(f'CREATE SCHEMA "{schema}"')
        base = _schema_url(schema)
        templates.postgres("demo").copy(f"{schema}_anhua")
    s = Settings(database_url=base, home=folder, actor="test", password_hash_profile=TEST_HASHING,
                 counties=("anhua", "yueyang"))
    dep = tenancy.open_deployment(s)
    b = dep.county("yueyang")
    demo_county.load_county_demo(b, "yueyang", "test")
    units = folder / "yy_units.csv"
    units.write_text(B_UNITS_CSV, encoding="utf-8")
    import_file(b, units, "test")
    for tier, p, who in (("", dep.home, "city_viewer"), ("anhua", dep.county("anhua"), "ah_admin"),
                         ("yueyang", b, "yy_admin")):
        users.create_user(p, who, PASSWORD, "viewer" if tier == "" else "admin", "test",
                          display_name="岳阳县管理员" if tier == "yueyang" else who)
    users.create_user(b, "yy_ent", PASSWORD, "enterprise", "test", enterprise=B_UNIT)
    assert demo_county.first_start_upper(dep.home, tuple(dep.counties), "test")  # as `serve` does: the province's plan
    return s, dep


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def two(request, db_templates, tmp_path_factory):
    folder = tmp_path_factory.mktemp("tenancy")
    s, dep = _deployment(request.param, db_templates, folder)
    app = create_app(s, deployment=dep)
    yield s, dep, app
    for p in (dep.home, *dep.counties.values()):
        p.engine.dispose()
    if request.param == "postgres":
        base = search_path(s.database_url)
        for schema in (base, f"{base}_anhua", f"{base}_yueyang"):
            _admin(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
    shutil.rmtree(folder, ignore_errors=True)


def _client(app, username: str | None = None, county: str | None = None) -> TestClient:
    c = TestClient(app)
    if username:
        r = c.post("/api/auth/login", json={"username": username, "password": PASSWORD, "county": county})
        assert r.status_code == 200, r.text
        c.headers["X-CSRF-Token"] = r.json()["csrf_token"]
    return c


# --- settings and addresses --------------------------------------------------------------------

def test_county_codes_are_checked():
    assert Settings.from_env({"CARBONPEAK_COUNTIES": "anhua, yueyang"}).counties == ("anhua", "yueyang")
    for bad in ("Anhua", "a", "anhua,anhua", "city", "an-hua", "1x"):
        with pytest.raises(SettingsError):
            Settings.from_env({"CARBONPEAK_COUNTIES": bad})


def test_county_databases_are_derived_from_the_deployment_database():
    assert county_url("sqlite:////srv/cp/carbonpeak.db", "yueyang") == "sqlite:////srv/cp/carbonpeak-yueyang.db"
    pg = "postgresql+psycopg://cp@db:5432/cp"
    assert county_url(pg, "yueyang").endswith("options=-csearch_path%3Dcounty_yueyang")
    assert county_url(pg + "?options=-csearch_path%3Dcity", "anhua").endswith("-csearch_path%3Dcity_anhua")


def test_a_command_must_name_its_county(tmp_path):
    s = Settings(database_url=f"sqlite:///{tmp_path}/x.db", home=tmp_path, counties=("anhua", "yueyang"))
    with pytest.raises(ConfigurationError, match="--county"):
        tenancy.selected(s, None)
    with pytest.raises(ConfigurationError, match="没有该县"):
        tenancy.selected(s, "nowhere")
    assert tenancy.selected(s, "yueyang").database_url.endswith("x-yueyang.db")
    assert tenancy.selected(s, "yueyang").home == tmp_path / "counties" / "yueyang"
    assert tenancy.selected(s, "city") == s
    one = Settings(database_url=f"sqlite:///{tmp_path}/y.db", home=tmp_path)
    assert tenancy.selected(one, None) == one
    with pytest.raises(ConfigurationError):
        tenancy.selected(one, "anhua")


def test_one_database_holds_one_county(demo_platform):
    plan, sha = read_plan(bundled_plan_path("yueyang"))
    with pytest.raises(InputRejected) as exc:
        store_plan(demo_platform, plan, sha, "test", "test")
    assert exc.value.issues[0].column == "admin_code"
    assert "CARBONPEAK_COUNTIES" in exc.value.issues[0].message("zh")


# --- isolation ---------------------------------------------------------------------------------

B_VALUES = {"code": ["yueyang-2024", "T01", B_UNIT], "uscc": [B_UNIT], "username": ["yy_admin", "yy_ent"],
            "target_id": ["T01"], "name": ["yueyang_activity.csv"], "year": ["2024"], "period": ["2024-01"],
            "kind": ["activity"], "fmt": ["json"]}
QUERY = {"year": "2024", "kind": "activity", "parameter": "x", "start": "2024-01-01", "end": "2024-12-31",
         "a": "baseline", "b": "baseline"}


def _text(body: bytes) -> str:
    """An answer as text: an XLSX or ZIP export by its members (shared strings, sheets), else UTF-8."""
    if body[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(body)) as z:
            return "\n".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())
    return body.decode("utf-8", "replace")


def _leak(url: str, body: bytes | str) -> str | None:
    """County B's words in an answer, leaving out the values the request itself named (a "not
    found" may repeat them)."""
    text = _text(body) if isinstance(body, bytes) else body
    for v in (v for vs in B_VALUES.values() for v in vs):
        if v in url:
            text = text.replace(v, "")
    m = B_MARK.search(text)
    return m.group(0) if m else None


PUBLIC_LIST = "/api/counties"  # the deployment's counties by name: public (the chooser shows them)


def _operations(app, methods: set[str]):
    for path, ops in app.openapi()["paths"].items():
        for method, op in ops.items():
            if method in methods and path != PUBLIC_LIST:
                yield path, method, op


def _urls(path: str, op: dict) -> list[str]:
    names = [p["name"] for p in op.get("parameters", []) if p["in"] == "path"]
    query = {p["name"]: QUERY[p["name"]] for p in op.get("parameters", [])
             if p["in"] == "query" and p.get("required") and p["name"] in QUERY}
    query["county"] = "yueyang"  # a county account asking for another county
    qs = "&".join(f"{k}={v}" for k, v in query.items())
    urls = [path]
    for n in names:
        urls = [u.replace("{" + n + "}", v) for u in urls for v in B_VALUES.get(n, ["1"])]
    return [f"{u}?{qs}" for u in urls]


def test_every_read_of_a_county_user_stays_in_its_county(two):
    _, _, app = two
    c = _client(app, "ah_admin", "anhua")
    seen = 0
    for path, _, op in _operations(app, {"get"}):
        for url in _urls(path, op):
            r = c.get(url)
            assert r.status_code < 500, (url, r.status_code, r.text[:300])
            assert _leak(url, r.content) is None, (url, _leak(url, r.content), r.content[:300])
            seen += 1
    assert seen > 60


def test_every_page_of_a_county_user_stays_in_its_county(two):
    _, _, app = two
    c = _client(app, "ah_admin", "anhua")
    routers = (web_pages, supervision_pages, carbon_pages, reporting_pages, accounts_page, guide_pages, docs)
    pages = [r.path for m in routers for r in m.router.routes
             if "GET" in getattr(r, "methods", ()) and "{" not in r.path]
    assert len(pages) > 20
    for page in pages:
        r = c.get(page + "?county=yueyang")
        assert r.status_code < 500, (page, r.status_code)
        assert _leak(page, r.content) is None, (page, _leak(page, r.content))


def test_no_write_of_a_county_user_reaches_another_county(two):
    _, dep, app = two
    b = dep.county("yueyang")
    before = fingerprint(b)
    c = _client(app, "ah_admin", "anhua")
    for path, method, op in _operations(app, {"post", "put", "patch", "delete"}):
        if path.startswith("/api/auth/"):
            continue
        for url in _urls(path, op):
            r = c.request(method.upper(), url, json={})
            assert r.status_code < 500, (method, url, r.status_code, r.text[:300])
            assert _leak(url, r.content) is None, (method, url, r.content[:300])
    r = c.post("/api/users?county=yueyang", json={"username": "made_by_a", "password": PASSWORD, "role": "viewer"})
    assert r.status_code == 201, r.text
    assert fingerprint(b) == before
    names = {u.username for u in users.list_users(dep.county("anhua"), users.Principal(0, "t", "admin"))}
    assert "made_by_a" in names


def test_an_enterprise_of_one_county_cannot_sign_in_to_another(two):
    _, _, app = two
    r = TestClient(app).post("/api/auth/login", json={"username": "yy_ent", "password": PASSWORD, "county": "anhua"})
    assert r.status_code == 401
    c = _client(app, "yy_ent", "yueyang")
    r = c.get("/api/monitoring/units?county=anhua&year=2024")
    assert r.status_code == 200
    assert "安化" not in r.text and "91430923" not in r.text


# --- visitors and the city ---------------------------------------------------------------------

def test_a_visitor_chooses_a_county(two):
    _, _, app = two
    c = TestClient(app)
    assert "<h1>安化县" in c.get("/").text  # the first county by default
    r = c.get("/county?code=yueyang&next=/targets", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/targets"
    assert "岳阳县" in c.get("/").text and "<h1>岳阳县" in c.get("/").text  # the cookie keeps the choice
    assert c.get("/county?code=nowhere").status_code == 404
    assert c.get("/?county=nowhere").status_code == 404
    assert c.get("/county?code=yueyang&next=//evil.example", follow_redirects=False).headers["location"] == "/"
    listed = TestClient(app).get("/api/counties").json()
    assert listed == {"counties": [{"code": "anhua", "name": "安化县"}, {"code": "yueyang", "name": "岳阳县"}],
                      "current": "anhua"}
    assert _client(app, "ah_admin", "anhua").get("/api/counties?county=yueyang").json()["current"] == "anhua"


def test_a_city_account_sees_the_counties_side_by_side(two):
    _, dep, app = two
    assert _client(app).get("/city", follow_redirects=False).status_code == 303  # visitors sign in first
    c = _client(app, "city_viewer", "city")
    assert c.get("/api/auth/me").json()["user"]["username"] == "city_viewer"
    assert c.get("/api/tasks").status_code == 401  # a city account is a visitor on a county's data
    assert "city_viewer" in c.get("/sinks").text  # its name in the header, so the page is not cached...
    assert "city_viewer" not in TestClient(app).get("/sinks").text  # ...for the visitors after it
    ov = city.overview(dep, lang="zh")
    assert [r.name for r in ov.counties] == ["安化县", "岳阳县"]
    html = c.get("/city").text
    for r in ov.counties:
        assert r.name in html
        for f in r.figures:
            if f.value is not None:
                assert f"{f.value:,.0f}" in html
    api = c.get("/api/city").json()  # one computation: the page and the API show the same figures
    assert [[f["value"] for f in r["figures"]] for r in api["counties"]] == [[f.value for f in r.figures]
                                                                            for r in ov.counties]
    assert [t["value"] for t in api["totals"]] == [t.value for t in ov.totals]
    assert _client(app, "ah_admin", "anhua").get("/api/city").status_code == 401  # a county account is not the city
    by = {(t.code, t.basis): t for t in ov.totals}
    terr = by[("co2_total", "territorial")]
    assert terr.value == pytest.approx(sum(r.figures[2].value for r in ov.counties))
    assert f"{terr.value:,.0f}" in html
    if any(r.figures[1].value is None for r in ov.counties):  # a county without the assessment basis
        assert by[("energy_total", "assessment")].value is None and "缺少数据" in by[("energy_total", "assessment")].withheld


def test_the_province_targets_are_rated_on_each_county_and_on_the_counties_together(two):
    """Each county's figure is its own (its inventory's indicator); the counties together are pooled
    from other indicators than the ones the service pools (CO2 and GDP totals), so the check is not
    the code again (a county without the figure withholds the pooled one: tests/services/test_city_targets.py)."""
    _, dep, app = two
    ov = city.overview(dep, lang="zh")
    up = ov.upper
    assert (up.region, up.tier, up.year) == ("湖南省", "province", ov.year) and ov.year is not None
    by = {t.id: t for t in up.targets}
    assert list(by) == ["H01", "H02", "H03", "H04"]
    ctxs = {c: views.context(dep.county(c)) for c in ("anhua", "yueyang")}
    y = ov.year
    for tid, (code, basis) in {"H01": ("nonfossil_share", "raw"), "H03": ("energy_intensity_change_vs_base", "assessment"),
                               "H04": ("co2_intensity_change_vs_base", "territorial")}.items():
        for c in by[tid].counties:
            own = ctxs[c.code].indicator(code, y, basis, 2020 if "vs_base" in code else None)
            assert c.actual == (own.value if own else None), (tid, c.code)
    share = [ctxs[c].indicator("nonfossil_share", y, "raw") for c in ctxs]  # weighted by each county's energy
    assert by["H01"].actual == pytest.approx(sum(v.value * v.inputs["total_tce"] for v in share)
                                             / sum(v.inputs["total_tce"] for v in share))
    assert by["H01"].withheld == "" and by["H01"].light == "green"

    def together(code, basis, year):
        num = [ctxs[c].indicator(code, year, basis).value for c in ctxs]
        gdp = [ctxs[c].indicator("gdp_constant", year, "", 2020).value for c in ctxs]
        return sum(num) / sum(gdp)
    h3 = by["H03"]
    assert h3.actual == pytest.approx(round(together("energy_total", "assessment", y)
                                            / together("energy_total", "assessment", 2020) - 1, 4) * 100)
    for t in (by["H01"], h3):
        assert min(c.actual for c in t.counties) <= t.actual <= max(c.actual for c in t.counties)
    h4 = by["H04"]
    assert h4.actual == pytest.approx(round(together("co2_total", "territorial", y)
                                            / together("co2_total", "territorial", 2020) - 1, 4) * 100)
    assert min(c.actual for c in h4.counties) <= h4.actual <= max(c.actual for c in h4.counties)
    assert h4.light == "grey" and h4.value is None and "待下达" in h4.why  # the province's value is not assigned
    c = _client(app, "city_viewer", "city")
    api = c.get("/api/city").json()["upper"]  # one computation: API and page show the service's figures
    assert [(t["id"], t["actual"], [x["actual"] for x in t["counties"]]) for t in api["targets"]] == \
        [(t.id, t.actual, [x.actual for x in t.counties]) for t in up.targets]
    html = c.get("/city").text
    assert "湖南省目标：各县进展与合并评价" in html and f'data-value="{h4.actual}"' in html
    assert "hunan" not in html.split('id="upper-targets"')[1]  # no internal code on the page
    en = c.get("/api/city?lang=en").json()["upper"]["targets"][0]
    assert en["name"] == "Non-fossil share of energy consumption (2025)" and en["actual"] == by["H01"].actual


def test_a_county_importing_power_takes_its_grids_non_fossil_fraction_from_its_stored_factor(two):
    """岳阳县 imports electricity: its non-fossil share needs the grid's fraction, here the demo's
    illustrative county factor (0.40, data/demo/yueyang_grid_mix.csv). The share follows the
    formula, names the factor, and is NE again once the factor is removed; storing the same file
    again changes and audits nothing."""
    _, dep, _ = two
    b = dep.county("yueyang")
    nf = views.context(b).indicator("nonfossil_energy", 2024, "raw")
    i = nf.inputs
    frac = (i["nonfossil_generation_kwh"] + (i["electricity_kwh"] - i["generation_kwh"]) * 0.40) / i["electricity_kwh"]
    assert i["generation_kwh"] < i["electricity_kwh"]  # a net importer
    assert nf.value == pytest.approx(i["nonfossil_direct_tce"] + i["electricity_kwh"] * 0.1229e-3 * frac)
    assert "C-electricity_mix-" in nf.formula and "0.4 of 2024" in nf.formula
    grid_file = demo_county.demo_dir() / "yueyang_grid_mix.csv"
    audited = len(audit.history(b, "factor_overrides"))
    factor_store.store_factor_file(b, grid_file, "test")
    assert len(audit.history(b, "factor_overrides")) == audited
    try:
        for year in range(2020, 2025):
            factor_store.remove_factor(b, "electricity_mix", "电力", "湖南", year, "nonfossil_fraction", "test")
        share = views.context(b).indicator("nonfossil_share", 2024, "raw")
        assert share.value is None and "no non-fossil fraction" in share.note
    finally:
        factor_store.store_factor_file(b, grid_file, "test")
    assert views.context(b).indicator("nonfossil_energy", 2024, "raw").value == pytest.approx(nf.value)


def test_a_plan_is_stored_only_in_its_own_tier(two):
    _, dep, _ = two
    province, sha = read_plan(bundled_plan_path("hunan"))
    county, csha = read_plan(bundled_plan_path("anhua"))
    for platform, plan, digest in ((dep.county("anhua"), province, sha), (dep.home, county, csha)):
        with pytest.raises(InputRejected) as e:
            store_plan(platform, plan, digest, "test", "test")
        assert e.value.issues[0].column == "tier" and "tier" in e.value.messages("zh")[0]
    assert store_plan(dep.home, province, sha, "test", "test").changed is False  # stored once, by the fixture


def test_each_county_rates_its_targets_on_its_own_data(two):
    """The peak-year target reads the scenario run of its own county's inventory (with two plans in
    one database both read the first plan's run)."""
    _, _, app = two
    c = TestClient(app)
    yy = c.get("/api/targets?year=2024&county=yueyang").json()
    ah = c.get("/api/targets?year=2024&county=anhua").json()
    assert yy["region"] == "岳阳县" and ah["region"] == "安化县"
    p_yy = next(t for t in yy["targets"] if t["id"] == "T01")["source"]["computed"]["probability"]
    p_ah = next(t for t in ah["targets"] if t["id"] == "T07")["source"]["computed"]["probability"]
    assert p_yy is not None and p_ah is not None and p_yy != p_ah


FUZZ_EXAMPLES = 1  # per read operation and backend: generated values on top of the table above


def test_generated_reads_of_a_county_user_stay_in_its_county(two):
    """schemathesis draws every read operation's parameters from the OpenAPI document; as a user of
    安化县 asking with ``county=yueyang``, no answer is a server error or carries 岳阳县's data."""
    _, _, app = two
    c = _client(app, "ah_admin", "anhua")
    headers = {"X-CSRF-Token": c.headers["X-CSRF-Token"],
               "Cookie": "; ".join(f"{k}={v}" for k, v in c.cookies.items())}
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    leaks, ops = [], 0
    for result in schema.get_all_operations():
        op = result.ok()
        if op.method.upper() != "GET" or op.path == PUBLIC_LIST:
            continue
        ops += 1

        @given(case=op.as_strategy())
        @hsettings(max_examples=FUZZ_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def run(case):
            case.query = {**(case.query or {}), "county": "yueyang"}
            r = case.call(headers=dict(headers))
            if r.status_code >= 500 or _leak(case.formatted_path + str(case.query), r.content):
                leaks.append((case.formatted_path, case.query, r.status_code, r.content[:200]))

        run()
    assert ops > 50
    assert leaks == [], "\n".join(map(repr, leaks))


def test_the_second_county_report_is_in_chinese_and_numbered(two):
    """岳阳县's report: its own region throughout, every summary section present in order (a county
    without key projects says so instead of skipping 三), and no word of 安化县."""
    _, dep, _ = two
    a = assessment(dep.county("yueyang"), 2024, "zh")
    heads = [s.title for s in narrative.narrative(a)]
    assert heads[:4] == ["（一）总体进展", "（二）滞后目标与原因", "（三）重点项目", "（四）达峰展望"], heads
    text = "".join(p for s in narrative.narrative(a) for p in s.paragraphs)
    assert "岳阳县" in text and "安化" not in text
    assert "项目库中没有重点项目" in text


def _row(code: str, energy: float | None, accounting: str = "当量值", unit: str = "tce") -> city.CountyRow:
    figs = tuple(city.Figure(c, b, energy, unit if c == "energy_total" else "tCO2", "当量值", "湖南", accounting)
                 for c, b in city.SUMMED)
    return city.CountyRow(code, code + "县", 2024, (2024,), figs, None, {}, False)


def test_city_totals_are_withheld_when_counties_cannot_be_added():
    same = [_row("a", 10.0), _row("b", 5.0)]
    assert city._total(same, 0, "zh").value == 15.0 and city._total(same, 0, "zh").withheld == ""
    missing = city._total([_row("a", 10.0), _row("b", None)], 0, "zh")
    assert missing.value is None and "b县" in missing.withheld
    policy = city._total([_row("a", 10.0), _row("b", 5.0, accounting="等价值")], 0, "zh")
    assert policy.value is None and "核算口径" in policy.withheld and "等价值" in policy.withheld
    units = city._total([_row("a", 10.0), _row("b", 5.0, unit="万tce")], 0, "en")
    assert units.value is None and "units" in units.withheld


def test_stale_choices_and_sessions_are_forgotten_not_fatal(two):
    """A remembered county the deployment no longer holds, a session of a removed county and a
    session from before the deployment held several counties: each is a visitor, never a 404 or a
    city account."""
    s, dep, app = two
    assert "<h1>安化县" in TestClient(app, cookies={"county": "gone"}).get("/").text
    yy = _client(app, "yy_admin", "yueyang")
    fewer = create_app(s, deployment=tenancy.Deployment(s, dep.home, {"anhua": dep.county("anhua")}))
    c = TestClient(fewer, cookies=yy.cookies)
    assert c.get("/").status_code == 200 and c.get("/api/auth/me").json()["user"] is None
    single = create_app(s, deployment=tenancy.Deployment(s, dep.home, {}))
    old = _client(single, "city_viewer")  # signed in while the deployment held one county
    later = TestClient(app, cookies=old.cookies)
    assert later.get("/api/auth/me").json()["user"] is None
    assert later.get("/api/city").status_code == 401


def test_only_city_readers_with_a_settled_password_see_the_city(two):
    _, dep, app = two
    users.create_user(dep.home, "city_ent", PASSWORD, "enterprise", "test", enterprise="某单位")
    assert _client(app, "city_ent", "city").get("/api/city").status_code == 403
    users.create_user(dep.home, "city_new", PASSWORD, "viewer", "test", must_change_password=True)
    c = _client(app, "city_new", "city")
    assert c.get("/api/city").status_code == 403
    assert c.get("/city", follow_redirects=False).headers["location"] == "/account"


def test_generated_writes_of_a_county_user_never_reach_another_county(two):
    """Every write operation with a body schemathesis draws from the schema (valid, so it reaches
    the handler), sent by 安化县's administrator with ``county=yueyang``: 岳阳县's database keeps
    every row and data version."""
    _, dep, app = two
    b = dep.county("yueyang")
    before = fingerprint(b)
    c = _client(app, "ah_admin", "anhua")
    headers = {"X-CSRF-Token": c.headers["X-CSRF-Token"],
               "Cookie": "; ".join(f"{k}={v}" for k, v in c.cookies.items())}
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    statuses: dict[int, int] = {}
    for result in schema.get_all_operations():
        op = result.ok()
        if op.method.upper() == "GET" or op.path.startswith("/api/auth/"):
            continue

        @given(case=op.as_strategy())
        @hsettings(max_examples=1, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def run(case):
            case.query = {**(case.query or {}), "county": "yueyang"}
            r = case.call(headers=dict(headers), timeout=300)  # a freeze computes a whole assessment
            statuses[r.status_code] = statuses.get(r.status_code, 0) + 1
            assert r.status_code < 500, (case.method, case.formatted_path, r.content[:300])

        run()
    assert sum(n for k, n in statuses.items() if k < 300) >= 5, statuses  # some writes went through
    assert fingerprint(b) == before
