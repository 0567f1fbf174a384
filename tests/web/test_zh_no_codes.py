"""In Chinese, no internal code or English reaches a reader: every page of the app (the GET
routes that render HTML) on the demo, signed out, as an administrator and as an enterprise
account, in zh. Visible text only (tags, scripts, styles and comments removed). A token with a
lowercase Latin letter or an underscore fails unless it is on the allowlist below: units as
written in data, proper nouns, user names, web addresses. Codes in capitals and digits (USCC,
T01, FC-001, GB/T 2589-2020, factor releases) are allowed by construction."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from page_figures import visible

from carbonpeak.services.users import create_user
from carbonpeak.web.app import create_app

PASSWORD = "Xq7-anhua-black-tea"
USERS = {"admin": ("zh_admin", "admin", {}), "enterprise": ("zh_firm", "enterprise", {"enterprise": "益阳海螺水泥"})}
# units as they stand in the plan's and the demo's own text (万千瓦 is written, MW/200MWh quoted)
UNITS = {"kWh", "MWh", "MW", "kW", "kgce", "kgce/t", "kWh/t", "t/h", "t/d", "t/a", "m2", "m3", "kgce/kWh",
         "MW/200MWh", "kWh/m2", "GJ/t", "tC/GJ", "kgce/kg", "t/m3", "kgCO2/kWh", "kgce/m3", "tCO2/t", "kgce/MJ",
         "tCO2/GJ", "GJ/10^4", "Nm3", "tCO2/kWh", "ha", "kJ/kWh", "m²", "m³", "kWh/m²", "km²"}
PROPER = {"CarbonPeak", "English", "Excel", "Word", "LMDI", "IPCC"}
TOKEN = re.compile(r"[A-Za-z_][A-Za-z0-9_./^%²³⁴·()-]*[A-Za-z0-9_²³⁴)]|[A-Za-z]")
RELEASE = re.compile(r"^[A-Z0-9][A-Z0-9-]*\.r\d+$")  # a factor release, e.g. GBT2589-2020.r2
URLISH = re.compile(r"\S*(?:https?://|www\.|\.com|\.cn|\.md|\.html|\?[a-z]+=)\S*")
FILE_NAME = re.compile(r"\S+\.(?:pdf|png|jpe?g|docx|xlsx|csv)(?![A-Za-z])")  # a file's own name is data (整改材料.pdf)


def offending(text: str, allowed: set[str]) -> list[str]:
    """Tokens with a lowercase Latin letter or an underscore that are not allowed."""
    text = FILE_NAME.sub(" ", URLISH.sub(" ", text))
    bad = []
    for tok in TOKEN.findall(text):
        tok = tok.strip("./-")
        if not tok or not re.search(r"[a-z_]", tok) or tok in allowed or RELEASE.match(tok):
            continue
        bad.append(tok)
    return bad


def test_scanner_catches_codes_and_english():
    """The scan itself: codes and English words fail, units, capital codes and names pass."""
    text = visible("<p>类型 industrial_upgrade · 参数 lcv · 状态 confirmed <b>T01</b> FC-001 "
                   "GB/T 2589-2020 91430923000000001N 120 kWh <script>var x_y = 1</script> admin</p>")
    assert offending(text, UNITS | {"admin"}) == ["industrial_upgrade", "lcv", "confirmed"]


def _routes(routes):
    for r in routes:
        inner = getattr(r, "original_router", None)  # an included router (FastAPI ≥ 0.165)
        yield from _routes(inner.routes) if inner is not None else (r,)


def html_routes(app) -> list[str]:
    """Every GET page the app serves (not the API, static files, vendor code or redirects)."""
    out = []
    for r in _routes(app.routes):
        path = getattr(r, "path", "")
        if "GET" not in (getattr(r, "methods", None) or ()) or "{" in path:
            continue
        if path.startswith(("/api", "/static", "/vendor", "/docs-assets", "/lang", "/openapi")):
            continue
        out.append(path)
    return sorted(set(out))


@pytest.fixture(scope="module")
def pages(tmp_path_factory, db_templates):
    """Every page in zh for each visitor, rendered once for the module (the demo on SQLite)."""
    from conftest import TEST_HASHING

    from carbonpeak.services.platform import open_platform
    from carbonpeak.settings import Settings

    home = tmp_path_factory.mktemp("zh")
    url = db_templates.copy_sqlite("demo", home / "demo.db")
    p = open_platform(Settings(database_url=url, home=home, actor="test", password_hash_profile=TEST_HASHING))
    for name, role, kw in USERS.values():
        create_user(p, name, PASSWORD, role, "test", **kw)
    app = create_app(p.settings, p)
    routes = html_routes(app)
    out: dict[tuple[str, str], str] = {}
    for who in ("anonymous", *USERS):
        c = TestClient(app)
        c.cookies.set("lang", "zh")
        if who != "anonymous":
            assert c.post("/api/auth/login", json={"username": USERS[who][0], "password": PASSWORD}).status_code == 200
        for path in routes:
            r = c.get(path)
            assert r.status_code == 200, (who, path, r.status_code)
            out[(who, path)] = r.text
    yield routes, out
    p.engine.dispose()


def test_every_page_is_scanned(pages):
    routes, _ = pages
    for must in ("/", "/accounting", "/targets", "/projects", "/sinks", "/buildings", "/data", "/audit", "/tasks",
                 "/open-data", "/login", "/account", "/reports", "/monitoring", "/disclosure", "/scenarios"):
        assert must in routes, must


@pytest.mark.parametrize("who", ["anonymous", "admin", "enterprise"])
def test_no_codes_or_english_in_zh(pages, who):
    routes, out = pages
    allowed = UNITS | PROPER | {u[0] for u in USERS.values()} | {"test", "anhua-2023"}  # user names, the plan code
    found: dict[str, list[str]] = {}
    for path in routes:
        page = out[(who, path)]
        bad = offending(visible(page), allowed)
        if bad:
            found[path] = sorted(set(bad))[:40]
    assert not found, found  # every page, whoever built it


def test_timestamps_in_china_time_and_readable_audit(pages):
    """The audit log: times in Asia/Shanghai (to the minute), tables and fields by name, no JSON."""
    _, out = pages
    text = visible(out[("admin", "/audit")])
    assert re.search(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", text)
    assert "T" not in re.findall(r"\d{4}-\d{2}-\d{2}(T)\d{2}", text)
    assert "公共建筑能耗" in text and "新增" in text and "{\"" not in text


def test_units_and_numbers_as_people_write_them(pages):
    _, out = pages
    acc = visible(out[("anonymous", "/accounting")])
    assert "吨标准煤/万元" in acc and "吨二氧化碳" in acc and "tce/10^4" not in acc
    assert re.search(r"\d{1,3}(,\d{3})+", acc)  # thousands separators
    proj = visible(out[("anonymous", "/projects")])
    assert "光伏" in proj and "产业升级" in proj


def test_open_data_offers_chinese_headers(pages, db_templates, tmp_path):
    from conftest import TEST_HASHING

    from carbonpeak.services.platform import open_platform
    from carbonpeak.settings import Settings

    url = db_templates.copy_sqlite("demo", tmp_path / "demo.db")
    p = open_platform(Settings(database_url=url, home=tmp_path, actor="test", password_hash_profile=TEST_HASHING))
    try:
        c = TestClient(create_app(p.settings, p))
        zh = c.get("/api/open/targets.csv", params={"headers": "zh"}).content.decode("utf-8-sig").splitlines()[0]
        codes = c.get("/api/open/targets.csv").content.decode("utf-8-sig").splitlines()[0]
        assert zh.startswith("年份,目标编号,名称") and not re.search(r"[a-z_]{3,}", zh)
        assert codes.startswith("year,target,name")
        assert "headers=zh" in out_of(pages, "/open-data")
    finally:
        p.engine.dispose()


def out_of(pages, path: str) -> str:
    return pages[1][("anonymous", path)]


def test_english_mode_translates_target_names(sqlite_demo_ro):
    c = TestClient(create_app(sqlite_demo_ro.settings, sqlite_demo_ro))
    c.cookies.set("lang", "en")
    text = visible(c.get("/targets").text)
    assert "Non-fossil share of energy consumption (2025)" in text and "非化石能源消费比重" not in text


def test_hospital_is_not_graded_as_an_office(ref, tmp_path):
    """县人民医院门诊楼 is a medical building: listed, not graded against office quotas (the quota
    table has none for it) until the county enters its own; an unknown type is still rejected."""
    from carbonpeak.services.buildings import grade_file
    from carbonpeak.services.errors import InputRejected

    head = "建筑编号,名称,类型,子类型,建筑面积,年份,电力\n"
    f = tmp_path / "b.csv"
    f.write_text(head + "B1,县人民医院门诊楼,医疗卫生建筑,门诊楼,22000,2024,2150000\n"
                 "B2,县政府办公楼,A类办公,党政机关办公建筑,18000,2024,1010000\n", encoding="utf-8")
    res = grade_file(f, ref)
    b = {x.building_id: x for x in res.buildings}
    assert b["B1"].grade is None and b["B1"].constraint is None and res.unrated == ["B1"]
    assert b["B2"].grade == 2 and sum(res.grades.values()) == 1
    bad = tmp_path / "x.csv"
    bad.write_text(head + "X1,某寺,A类办公,寺庙,100,2024,1000\n", encoding="utf-8")
    with pytest.raises(InputRejected):
        grade_file(bad, ref)


def test_demo_hospital_and_sink_guidance(pages):
    _, out = pages
    text = visible(out[("anonymous", "/buildings")])
    row = re.search(r"B003.{0,80}", text, re.DOTALL).group(0)
    assert "医疗卫生建筑" in row and "办公" not in row and "未评级" in visible(out[("anonymous", "/buildings")])
    sinks = out[("anonymous", "/sinks")]
    rules = re.findall(r'<tr data-rule="(SP-\d+)"><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td><td[^>]*>(.*?)</td></tr>',
                       sinks, re.DOTALL)
    assert [r[0] for r in rules] == ["SP-01", "SP-02", "SP-03", "SP-04"]
    for _, kind, fact, status, source in rules:
        assert kind and fact.startswith(("现行", "旧方法学", "重启前")) and source.strip()
        shown = visible(status)
        assert "as above" not in source and "unverified" not in shown and ("未核实" in shown or "单一来源" in shown)


def test_factor_library_grouped_and_citations_explicit(pages):
    _, out = pages
    page = out[("admin", "/data")]
    kinds = re.findall(r'<details class="factor-kind" data-kind="([a-z_0-9]+)">', page)
    assert len(kinds) >= 8 and len(kinds) == len(set(kinds))
    assert "numbering from memory" not in page and "表号未核实" in page
