"""Every API operation declares what it answers (issue #13): a JSON response schema naming its
fields, or, for file downloads, the media types it sends. And the schemas are the documents:
real answers on the demo validate against their route's response model (the models forbid keys
they do not name)."""

from __future__ import annotations

import re

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from pydantic import TypeAdapter

from carbonpeak.services.users import create_user
from carbonpeak.web.app import create_app

ADMIN = ("admin", "quarry-lantern-58")


def _named(schema: dict, components: dict) -> bool:
    """Whether a schema names what the document holds: a component that does, an array of such
    items, an object with properties, or a choice among such (null allowed)."""
    if "$ref" in schema:
        return _named(components[schema["$ref"].rsplit("/", 1)[1]], components)
    choice = schema.get("anyOf") or schema.get("oneOf")
    if choice:
        return all(s.get("type") == "null" or _named(s, components) for s in choice)
    if schema.get("type") == "array":
        return _named(schema.get("items", {}), components)
    return schema.get("type") == "object" and bool(schema.get("properties"))


def unnamed_operations(doc: dict) -> list[tuple[str, str]]:
    """The operations whose success answer has no named JSON schema and declares no other media type."""
    components = doc.get("components", {}).get("schemas", {})
    out = []
    for path, ops in doc["paths"].items():
        for method, op in ops.items():
            content = {mt: body for code, r in op["responses"].items() if code.startswith("2")
                       for mt, body in r.get("content", {}).items()}
            json_ok = "application/json" in content and _named(content["application/json"].get("schema", {}), components)
            others = [mt for mt in content if mt != "application/json"]
            if not (json_ok or (others and "application/json" not in content)):
                out.append((method.upper(), path))
    return out


@pytest.fixture
def app(sqlite_demo_platform):
    create_user(sqlite_demo_platform, *ADMIN, "admin", "test")
    return create_app(sqlite_demo_platform.settings, sqlite_demo_platform)


def test_every_operation_declares_its_answer(app):
    doc = TestClient(app).get("/openapi.json").json()
    assert len(doc["paths"]) > 50
    assert unnamed_operations(doc) == []
    # downloads declare their media types beside (or instead of) JSON
    report = doc["paths"]["/api/reports/{job}/{fmt}"]["get"]["responses"]["200"]["content"]
    assert set(report) == {"application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                           "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
    assert "text/csv" in doc["paths"]["/api/open/{name}.{fmt}"]["get"]["responses"]["200"]["content"]


def test_the_check_finds_an_operation_without_a_schema():
    bare = FastAPI()

    @bare.get("/loose")
    def loose() -> dict:
        return {}

    @bare.get("/anything")
    def anything():
        return 1

    assert unnamed_operations(bare.openapi()) == [("GET", "/loose"), ("GET", "/anything")]


def _api_routes(routes) -> list[APIRoute]:
    """The operations of an app, through included routers (FastAPI keeps them nested)."""
    out = []
    for r in routes:
        if isinstance(r, APIRoute):
            out.append(r)
        elif hasattr(r, "original_router"):
            out += _api_routes(r.original_router.routes)
    return out


def _route(app, method: str, path: str) -> APIRoute:
    """The operation that answers ``method path`` (a concrete path: the route's pattern matches it)."""
    (route,) = [r for r in _api_routes(app.routes) if method in r.methods and re.fullmatch(r.path_regex, path)]
    return route


def _sign_in(app) -> TestClient:
    c = TestClient(app)
    r = c.post("/api/auth/login", json={"username": ADMIN[0], "password": ADMIN[1]})
    assert r.status_code == 200, r.text
    c.headers["X-CSRF-Token"] = r.json()["csrf_token"]
    return c


READS = ["/api/health", "/api/overview", "/api/overview?lang=en&year=2022", "/api/inventory/2023",
         "/api/targets?year=2023", "/api/targets/T01/trajectory", "/api/plan", "/api/projects", "/api/tasks",
         "/api/factors", "/api/factors/county", "/api/audit?limit=50", "/api/sinks", "/api/buildings", "/api/auth/me",
         "/api/users", "/api/open", "/api/open/indicators.json", "/api/dispatch?start=2024-01-01&end=2024-12-31",
         "/api/monitoring/units?year=2024", "/api/monitoring/budgets?year=2024", "/api/monitoring/efficiency?year=2024",
         "/api/monitoring/quality?year=2024", "/api/monitoring/series?year=2024", "/api/public/disclosure?year=2024"]


def test_answers_are_what_their_schemas_say(app):
    c = _sign_in(app)
    for url in READS:
        r = c.get(url)
        assert r.status_code == 200, (url, r.text[:300])
        route = _route(app, "GET", url.split("?")[0])
        TypeAdapter(route.response_model).validate_json(r.content)  # raises, naming the field, if not
    project = c.get("/api/projects").json()["projects"][0]["id"]
    task = c.get("/api/tasks").json()["tasks"][0]["id"]
    for url, body in ((f"/api/projects/{project}", {"note": "检查"}), (f"/api/tasks/{task}", {"progress_note": "检查"})):
        r = c.patch(url, json=body)
        assert r.status_code == 200, r.text
        TypeAdapter(_route(app, "PATCH", url).response_model).validate_json(r.content)


def test_a_document_with_an_undeclared_key_is_refused(app):
    """The schemas forbid keys they do not name: a drifted document fails the check above."""
    c = _sign_in(app)
    doc = c.get("/api/health").json()
    model = TypeAdapter(_route(app, "GET", "/api/health").response_model)
    model.validate_python(doc)
    with pytest.raises(ValueError, match="extra"):
        model.validate_python({**doc, "surprise": 1})
