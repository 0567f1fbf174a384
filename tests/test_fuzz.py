"""Schema-driven fuzzing (schemathesis) over the OpenAPI: no input may produce a server error.

Runs signed in as an administrator (session cookie and CSRF token on every request), so the
write endpoints are exercised too; SQLite, with the demo loaded. Every operation of the schema
gets its own Hypothesis run.
"""

from __future__ import annotations

import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings

from carbonpeak.services.demo import run_demo
from carbonpeak.services.platform import open_platform
from carbonpeak.services.users import create_user
from carbonpeak.settings import Settings
from carbonpeak.web.app import create_app

EXAMPLES = 25


def test_no_server_errors(tmp_path):
    s = Settings(database_url=f"sqlite:///{tmp_path / 'fuzz.db'}", home=tmp_path, actor="fuzz")
    platform = open_platform(s)
    run_demo(platform, "fuzz")
    create_user(platform, "admin", "admin-pass-123", "admin", "fuzz")
    app = create_app(s, platform)
    c = TestClient(app)
    r = c.post("/api/auth/login", json={"username": "admin", "password": "admin-pass-123"})
    headers = {"X-CSRF-Token": r.json()["csrf_token"],
               "Cookie": f"carbonpeak_session={c.cookies['carbonpeak_session']}"}
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    failures, operations, statuses = [], 0, {}
    for result in schema.get_all_operations():
        op = result.ok()
        if op.path == "/api/auth/logout":
            continue  # would end the session the other operations run in
        operations += 1

        @given(case=op.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def run(case):
            response = case.call(headers=headers)
            statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
            if response.status_code >= 500:
                failures.append((case.method, case.formatted_path, case.query, case.body, response.text[:300]))

        run()
    assert operations >= 15
    assert sum(statuses.values()) >= operations * 5 and any(200 <= k < 300 for k in statuses), statuses
    print("statuses", statuses)
    assert failures == []
