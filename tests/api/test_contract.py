"""The API contract (issue #11): the OpenAPI document resolves and describes our 422 body, path
enums list only what works, dates are dates, and what anonymous and signed-in callers can make the
server compute is capped (published scenario runs cached, others signed in and rate limited)."""

from __future__ import annotations

import inspect
import json
import re
import tempfile

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from carbonpeak.api import limits
from carbonpeak.api import routes as api_routes
from carbonpeak.api.contract import ValidationErrors
from carbonpeak.services import catalogue, imports, ingest, scenarios
from carbonpeak.services.errors import Throttled
from carbonpeak.services.users import create_user
from carbonpeak.web.app import create_app

ADMIN = ("admin", "quarry-lantern-58")


def sign_in(app, user=ADMIN) -> TestClient:
    c = TestClient(app)
    r = c.post("/api/auth/login", json={"username": user[0], "password": user[1]})
    assert r.status_code == 200, r.text
    c.headers["X-CSRF-Token"] = r.json()["csrf_token"]
    return c


@pytest.fixture
def bare(platform, settings):
    """The app on an empty database with an administrator."""
    create_user(platform, *ADMIN, "admin", "test")
    return create_app(settings, platform)


def _refs(node):
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "$ref":
                yield v
            else:
                yield from _refs(v)
    elif isinstance(node, list):
        for v in node:
            yield from _refs(v)


def test_openapi_document_resolves_and_declares_the_422_body(bare):
    doc = TestClient(bare).get("/openapi.json").json()
    schemas = doc["components"]["schemas"]
    refs = set(_refs(doc))
    assert refs and all(re.fullmatch(r"#/components/schemas/[\w.-]+", r) for r in refs), refs
    assert {r.rsplit("/", 1)[1] for r in refs} <= set(schemas)
    readings = doc["paths"]["/api/monitoring/readings"]["post"]
    assert readings["requestBody"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Envelope"}
    assert set(schemas["Envelope"]["properties"]) >= {"data", "enterpriseCode", "deviceId"}
    # the answer is the service's own typed result (services/ingest.ReadingsAnswer), field for field
    answer = readings["responses"]["200"]["content"]["application/json"]["schema"]
    assert answer == {"$ref": "#/components/schemas/ReadingsAnswer"}
    assert list(schemas["ReadingsAnswer"]["properties"]) == list(ingest.ReadingsAnswer.__struct_fields__)
    assert list(schemas["Problem"]["properties"]) == list(ingest.Problem.__struct_fields__)
    assert readings["security"] == [{"bearer": []}] and doc["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    # every operation declares the one 422 body, ours and FastAPI's own validation errors alike
    for path, ops in doc["paths"].items():
        for method, op in ops.items():
            assert op["responses"]["422"]["content"]["application/json"]["schema"] == \
                {"$ref": "#/components/schemas/ValidationErrors"}, (method, path)


def test_422_bodies_have_no_null_locations(bare, registry_unit):
    c = TestClient(bare)
    token = ingest.issue_token(bare.state.platform, registry_unit, "test")
    bad = c.post("/api/monitoring/readings", content=b"{not json", headers={"Authorization": f"Bearer {token}"})
    assert bad.status_code == 422
    (item,) = ValidationErrors.model_validate(bad.json()).detail
    assert item.loc == ["request"] and item.type == "input.bad_payload" and item.file == "request"
    assert None not in bad.json()["detail"][0]["loc"]
    admin = sign_in(bare)
    for r in (admin.get("/api/monitoring/budgets", params={"year": 2024, "yellow": 2, "red": 1}),  # ours
              admin.get("/api/monitoring/budgets", params={"year": "x"})):  # FastAPI's
        assert r.status_code == 422
        assert all(None not in d["loc"] for d in ValidationErrors.model_validate(r.json()).model_dump()["detail"])
    zh = admin.get("/api/monitoring/budgets", params={"year": 2024, "yellow": 2, "red": 1}).json()["detail"][0]["msg"]
    en = admin.get("/api/monitoring/budgets", params={"year": 2024, "yellow": 2, "red": 1, "lang": "en"})
    assert zh.endswith("“2”无效：不得大于红色预警阈值") and "must" not in zh, zh  # the reason in the reader's language
    assert en.json()["detail"][0]["msg"].endswith("'2' is invalid: must not exceed red"), en.text


@pytest.fixture
def registry_unit(platform, write_csv):
    uscc = "91430923000000001N"
    imports.import_file(platform, write_csv("u.csv", f"统一社会信用代码,单位名称,行业代码,年综合能耗\n{uscc},水泥厂,C3011,150000\n"),
                        "test")
    return uscc


def test_template_kinds_are_exactly_the_ones_that_work(bare, monkeypatch, tmp_path):
    c = TestClient(bare)
    doc = c.get("/openapi.json").json()
    (param,) = doc["paths"]["/api/templates/{kind}"]["get"]["parameters"]
    offered = param["schema"]["enum"]
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    for kind in offered:
        r = c.get(f"/api/templates/{kind}")
        assert r.status_code == 200 and r.content[:2] == b"PK", kind
        assert f"carbonpeak-{kind}-template.xlsx" in r.headers["content-disposition"]
    assert list(scratch.iterdir()) == []  # nothing left behind per request
    for kind in ("buildings", "key_units", "two_high"):  # import kinds without a template
        assert kind not in offered and c.get(f"/api/templates/{kind}").status_code == 422
    assert set(offered) == set(catalogue.TEMPLATES)


def test_as_of_accepts_only_iso_dates(bare):
    admin = sign_in(bare)
    for value in ("0.0", "0", "1e9", "1700000000", "2024-06-30T00:00:00", "2024-02-30", "24-06-30"):
        r = admin.get("/api/monitoring/budgets", params={"year": 2024, "as_of": value})
        assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["query", "as_of"], (value, r.text)
    for url in ("/api/monitoring/budgets", "/api/monitoring/units", "/api/monitoring/quality"):
        r = admin.get(url, params={"year": 2024, "as_of": "2024-06-30"})
        assert r.status_code == 200, (url, r.text)
        for day in ("1677-01-01", "2023-12-31", "2025-01-01"):  # a real date, but not of the year asked for
            r = admin.get(url, params={"year": 2024, "as_of": day})
            assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["query", "as_of"], (url, day, r.text)
            assert r.json()["detail"][0]["msg"].endswith(f"日期{day}不在所选的2024年内"), r.text
        assert admin.get(url, params={"year": 2024, "as_of": "2024-06-30", "lang": "en"}).status_code == 200
    page = admin.get("/monitoring", params={"year": 2024, "as_of": "1677-01-01"})  # the page: the year's default day
    assert page.status_code == 200 and "1677" not in page.text and "截至 2024-12-31" in page.text
    assert admin.get("/api/dispatch", params={"start": "0", "end": "2024-12-31"}).status_code == 422


# --- what callers can make the server compute ---------------------------------------------------

def test_run_limit_window_and_concurrency():
    now = [0.0]
    lim = limits.RunLimit(per_window=2, window_s=60, concurrent=2, clock=lambda: now[0])
    assert lim.run("a", lambda: 1) == 1 and lim.run("a", lambda: 2) == 2
    with pytest.raises(Throttled) as e:
        lim.run("a", lambda: 3)
    assert e.value.retry_after == 60
    now[0] = 30.0
    assert lim.run("b", lambda: 4) == 4  # another account has its own window
    now[0] = 60.5
    assert lim.run("a", lambda: 5) == 5  # the oldest run left the window
    # one run at a time per account, and at most `concurrent` over all accounts
    with pytest.raises(Throttled):
        lim.run("c", lambda: lim.run("c", lambda: 0))
    with pytest.raises(Throttled):
        lim.run("d", lambda: lim.run("e", lambda: lim.run("f", lambda: 0)))
    assert lim.run("c", lambda: 6) == 6  # a refused run does not hold the slot


def test_scenario_routes_run_off_the_event_loop():
    runs = [r for r in api_routes.router.routes if isinstance(r, APIRoute) and r.path.startswith("/api/scenarios/")]
    assert len(runs) == 3
    for route in runs:  # plain def: FastAPI runs them in its thread pool
        assert not inspect.iscoroutinefunction(route.endpoint), route.path


def test_anonymous_callers_get_the_published_run_only(demo_platform, settings, monkeypatch):
    create_user(demo_platform, *ADMIN, "admin", "test")
    app = create_app(settings, demo_platform)
    runs = []
    real = scenarios.run_scenario

    def counted(p, path, draws=None, seed=None):
        runs.append((path.stem, draws, seed))
        return real(p, path, draws, seed)

    monkeypatch.setattr(scenarios, "run_scenario", counted)
    monkeypatch.setattr(scenarios, "published_run", lambda path: (200, 7))  # a small published run
    anon = TestClient(app)
    first = anon.get("/api/scenarios/policy")
    assert first.status_code == 200 and (first.json()["draws"], first.json()["seed"]) == (200, 7)
    assert anon.get("/api/scenarios/policy", params={"draws": 200, "seed": 7}).content == first.content
    assert anon.get("/api/scenarios/policy/iamc.csv").text.startswith("model,scenario,region")
    assert runs == [("policy", 200, 7)]  # computed once, cached, shared with the IAMC export
    for params in ({"seed": 8}, {"draws": 20000}, {"draws": 20000, "seed": 123456}):
        assert anon.get("/api/scenarios/policy", params=params).status_code == 401
    assert len(runs) == 1  # an anonymous caller made nothing new be computed
    # signed in: other runs, counted against the account's limit
    app.state.run_limit = limits.RunLimit(per_window=2)
    admin = sign_in(app)
    assert admin.get("/api/scenarios/policy", params={"seed": 8}).json()["seed"] == 8
    assert admin.get("/api/scenarios/policy", params={"seed": 8}).status_code == 200  # cached: not counted
    assert admin.post("/api/scenarios/policy/edit", json={"gdp_growth": 0.05, "draws": 100}).status_code == 200
    over = admin.get("/api/scenarios/policy", params={"seed": 9})
    assert over.status_code == 429 and int(over.headers["Retry-After"]) > 0
    assert admin.post("/api/scenarios/policy/edit", json={"draws": 100}).status_code == 429
    assert admin.get("/api/scenarios/policy").status_code == 200  # the published run is never limited
    assert [r[1:] for r in runs] == [(200, 7), (200, 8), (100, None)]
    assert json.loads(first.content)["lineage"] == ["baseline", "policy"]
