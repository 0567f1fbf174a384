"""Accounts in the browser and the command line, on both databases: a department from the plan's
list only (the CLI too), a reset password changed at the next sign-in before anything else, the last
sign-in shown, ``carbonpeak user add`` without a terminal."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from carbonpeak.cli.main import app as cli
from carbonpeak.services import users
from carbonpeak.services.errors import InputRejected
from carbonpeak.web.app import create_app

PW = "Anhua-accounts-2031"


def _client(app, user: str | None = None, password: str = PW):
    from fastapi.testclient import TestClient

    c = TestClient(app)
    if user:
        r = c.post("/api/auth/login", json={"username": user, "password": password})
        assert r.status_code == 200, r.text
        c.headers["X-CSRF-Token"] = r.json()["csrf_token"]
    return c


def test_an_unknown_department_is_refused_and_a_listed_one_accepted(demo_platform):
    with pytest.raises(InputRejected) as e:
        users.create_user(demo_platform, "x1", PW, "dept_editor", "test", department="县宇宙局")
    assert e.value.issues[0].column == "department" and "县统计局" in e.value.messages("zh")[0]
    with pytest.raises(InputRejected) as e:
        users.create_user(demo_platform, "x2", PW, "viewer", "test", email="not-an-address")
    assert e.value.issues[0].column == "email"
    ok = users.create_user(demo_platform, "x3", PW, "dept_editor", "test", department="县统计局", email="x3@anhua.example")
    assert ok.department == "县统计局"


def test_cli_user_add_refuses_an_unknown_department_and_works_without_a_terminal(demo_platform, settings, monkeypatch):
    monkeypatch.setenv("CARBONPEAK_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("CARBONPEAK_HOME", str(settings.home))
    runner = CliRunner()
    bad = runner.invoke(cli, ["user", "add", "c1", "--role", "dept_editor", "--department", "县宇宙局"], input=PW + "\n")
    assert bad.exit_code == 1 and "department" in (bad.output + str(bad.stderr if bad.stderr_bytes else ""))
    piped = runner.invoke(cli, ["user", "add", "c2", "--role", "viewer"], input=PW + "\n")
    assert piped.exit_code == 0, piped.output
    assert users.authenticate(demo_platform, "c2", PW, "test").username == "c2"
    made = runner.invoke(cli, ["user", "add", "c3", "--role", "dept_editor", "--department", "县统计局", "--generate"])
    assert made.exit_code == 0, made.output
    temporary = json.loads(made.output[made.output.index("{"):])["temporary_password"]
    assert users.authenticate(demo_platform, "c3", temporary, "test").must_change_password


def test_reset_password_forces_a_change_and_the_page_shows_the_last_sign_in(demo_platform, settings):
    p = demo_platform
    users.create_user(p, "boss", PW, "admin", "test")
    users.create_user(p, "tjj", PW, "dept_editor", "test", department="县统计局")
    app = create_app(settings, p)
    boss = _client(app, "boss")
    page = boss.get("/admin/accounts").text
    assert 'data-username="tjj"' in page and "从未登录" in page
    assert _client(app, "tjj").get("/admin/accounts", follow_redirects=False).headers["location"] == "/account"
    assert _client(app, "tjj").get("/api/accounts").status_code == 403
    reset = boss.post("/api/accounts/tjj/password-reset")
    assert reset.status_code == 200
    temporary = reset.json()["temporary_password"]
    tjj = _client(app, "tjj", temporary)
    assert tjj.get("/api/reporting/periods").status_code == 403  # anything else waits for the new password
    assert tjj.get("/reporting", follow_redirects=False).headers["location"] == "/account"
    assert 'id="must-change"' in tjj.get("/account").text
    done = tjj.post("/api/auth/password", json={"current_password": temporary, "new_password": "Anhua-new-pass-2032"})
    assert done.status_code == 200, done.text
    assert tjj.get("/api/reporting/periods").status_code == 200
    listed = {a["username"]: a for a in boss.get("/api/accounts").json()}
    assert listed["tjj"]["last_login_at"] and not listed["tjj"]["must_change_password"]
    assert "从未登录" not in boss.get("/admin/accounts").text.split('data-username="tjj"')[1].split("</tr>")[0]
    made = boss.post("/api/users", json={"username": "nyj", "password": PW, "role": "dept_editor",
                                         "department": "县宇宙局"})
    assert made.status_code == 422 and made.json()["detail"][0]["column"] == "department"
