"""Hardening of sign-in and HTTP (issue #11, items 7-11), on SQLite and PostgreSQL where a
database is involved: redirects, revocable sessions, atomic throttling, password policy, headers."""

from __future__ import annotations

import json
import re
import threading
from datetime import timedelta
from importlib import resources

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from typer.testing import CliRunner

from carbonpeak.cli.main import app as cli
from carbonpeak.services import login_throttle, users
from carbonpeak.services.errors import AuthenticationFailed, InputRejected, Throttled
from carbonpeak.services.password_policy import password_issues
from carbonpeak.settings import Settings
from carbonpeak.store.models import LoginAttempt, utcnow
from carbonpeak.web.app import create_app
from carbonpeak.web.pages import safe_path

PW = {"admin": "Anhua-peak-2031", "viewer": "tea-hills-4521", "eve": "zijiang-ferry-77"}


@pytest.fixture
def accounts(platform):
    for name, r in (("admin", "admin"), ("viewer", "viewer"), ("eve", "viewer")):
        users.create_user(platform, name, PW[name], r, "test")
    return platform


@pytest.fixture
def web(accounts, settings):
    return create_app(settings, accounts)


def signed_in(app, user: str, password: str | None = None) -> TestClient:
    c = TestClient(app)
    r = c.post("/api/auth/login", json={"username": user, "password": password or PW[user]})
    assert r.status_code == 200, r.text
    c.headers["X-CSRF-Token"] = r.json()["csrf_token"]
    return c


# ---- 7. open redirect ----------------------------------------------------------------------------

EVIL = ["/\\evil.example/x", "/%5Cevil.example/x", "/%09/evil.example", "/%0a/evil.example", "//evil.example",
        "https://evil.example/", "/%20/evil.example", "\\\\evil.example", "/x\\y"]


def test_login_and_language_links_go_nowhere_off_site(web):
    c = TestClient(web)
    for target in EVIL:
        html = c.get(f"/login?next={target}").text
        assert re.search(r'data-next="([^"]*)"', html).group(1) == "/", target
        assert c.get(f"/lang/en?back={target}", follow_redirects=False).headers["location"] == "/", target
    assert 'data-next="/tasks"' in c.get("/login?next=/tasks").text


def test_same_site_paths_are_kept():
    assert [safe_path(p) for p in ("/tasks", "/audit?entity=users&key=a", "/targets#T02")] == \
        ["/tasks", "/audit?entity=users&key=a", "/targets#T02"]
    assert {safe_path(p) for p in ("/\\evil", "/\tx", "/\u3000x", "/a\x7fb", "", "evil")} == {"/"}


def test_the_browser_script_checks_next_too():
    js = resources.files("carbonpeak.web").joinpath("static", "app.js").read_text(encoding="utf-8")
    assert "location.href = safePath(loginForm.dataset.next)" in js
    assert "location.href = loginForm.dataset.next" not in js


# ---- 8. revocable sessions -------------------------------------------------------------------------

def test_logout_ends_the_session_on_the_server(web):
    c = signed_in(web, "viewer")
    copied = c.cookies["carbonpeak_session"]
    assert c.post("/api/auth/logout").status_code == 200
    thief = TestClient(web, cookies={"carbonpeak_session": copied})
    assert thief.get("/api/tasks").status_code == 401
    assert thief.get("/api/auth/me").json()["user"] is None


def test_password_change_ends_the_other_sessions(web, accounts):
    here, there = signed_in(web, "viewer"), signed_in(web, "viewer")
    body = {"current_password": PW["viewer"], "new_password": "anhua-dark-tea-9"}
    assert here.post("/api/auth/password", json=body, headers={"X-CSRF-Token": "x"}).status_code == 403
    wrong = here.post("/api/auth/password", json={**body, "current_password": "not-my-password"})
    assert wrong.status_code == 422 and wrong.json()["detail"][0]["type"] == "input.password_wrong"
    weak = here.post("/api/auth/password", json={**body, "new_password": " " * 12})
    assert weak.status_code == 422 and weak.json()["detail"][0]["type"] == "input.password_blank"
    r = here.post("/api/auth/password", json=body)
    assert r.status_code == 200 and r.json()["other_sessions_ended"] == 1
    assert here.get("/api/tasks").status_code == 200      # this session goes on
    assert there.get("/api/tasks").status_code == 401     # the other one has ended
    with pytest.raises(AuthenticationFailed):
        users.authenticate(accounts, "viewer", PW["viewer"], "10.0.0.9")
    assert users.authenticate(accounts, "viewer", "anhua-dark-tea-9", "10.0.0.9").username == "viewer"


def test_account_page_has_the_password_form(web):
    c = signed_in(web, "viewer")
    html = c.get("/account").text
    assert 'id="password-form"' in html and 'name="current_password"' in html
    assert TestClient(web).get("/account", follow_redirects=False).headers["location"] == "/login?next=/account"


def test_disabling_an_account_ends_its_sessions_and_enabling_lets_it_back(web):
    viewer, admin = signed_in(web, "viewer"), signed_in(web, "admin")
    assert viewer.post("/api/users/viewer/disable").status_code == 403
    r = admin.post("/api/users/viewer/disable")
    assert r.status_code == 200 and r.json()["sessions_ended"] == 1
    assert viewer.get("/api/tasks").status_code == 401
    assert TestClient(web).post("/api/auth/login", json={"username": "viewer", "password": PW["viewer"]}).status_code == 401
    assert admin.post("/api/users/admin/disable").status_code == 409  # not oneself
    assert admin.post("/api/users/viewer/enable").status_code == 200
    assert signed_in(web, "viewer").get("/api/tasks").status_code == 200
    assert {u["username"]: u["active"] for u in admin.get("/api/users").json()["users"]}["viewer"] is True


def test_cli_disables_enables_and_unlocks(accounts, settings, monkeypatch):
    monkeypatch.setenv("CARBONPEAK_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("CARBONPEAK_HOME", str(settings.home))
    run = CliRunner().invoke
    assert run(cli, ["user", "disable", "viewer"]).exit_code == 0
    with pytest.raises(AuthenticationFailed):
        users.authenticate(accounts, "viewer", PW["viewer"], "10.0.0.4")
    assert run(cli, ["user", "enable", "viewer"]).exit_code == 0
    for _ in range(login_throttle.FREE_PER_ACCOUNT):
        with pytest.raises(AuthenticationFailed):
            users.authenticate(accounts, "viewer", "wrong-password", "10.0.0.3")
    with pytest.raises(Throttled):
        users.authenticate(accounts, "viewer", PW["viewer"], "10.0.0.3")
    res = run(cli, ["user", "unlock", "viewer"])
    assert res.exit_code == 0 and json.loads(res.stdout)["counters_released"] == 3  # .3, .4, all clients
    assert users.authenticate(accounts, "viewer", PW["viewer"], "10.0.0.3").username == "viewer"
    assert run(cli, ["user", "disable", "nobody"]).exit_code == 1


# ---- 9. throttling ---------------------------------------------------------------------------------

def _outcome(platform, name, password, client, now=None) -> str:
    try:
        users.authenticate(platform, name, password, client, now=now)
        return "ok"
    except Throttled:
        return "throttled"
    except AuthenticationFailed:
        return "checked"


def test_parallel_guesses_get_no_more_checks_than_allowed(accounts):
    results: list[str] = []
    start, now = threading.Barrier(40), utcnow()

    def guess(i: int) -> None:
        start.wait()
        results.append(_outcome(accounts, "viewer", f"guess-number-{i}", "10.6.6.6", now))

    threads = [threading.Thread(target=guess, args=(i,)) for i in range(40)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 40 and results.count("checked") == login_throttle.FREE_PER_ACCOUNT
    with accounts.sessions() as s:
        assert s.scalar(select(func.count()).select_from(LoginAttempt)) == login_throttle.FREE_PER_ACCOUNT
    assert _outcome(accounts, "viewer", PW["viewer"], "10.6.6.6", now) == "throttled"   # the guessing client waits
    assert _outcome(accounts, "viewer", PW["viewer"], "10.1.1.1", now) == "ok"          # the owner elsewhere does not


def test_delays_grow_and_end(accounts):
    now = utcnow()
    for _ in range(login_throttle.FREE_PER_ACCOUNT):
        assert _outcome(accounts, "eve", "wrong-password", "10.2.2.2", now) == "checked"
    waits = []
    for _ in range(3):
        with pytest.raises(Throttled) as exc:
            users.authenticate(accounts, "eve", PW["eve"], "10.2.2.2", now=now)
        waits.append(exc.value.retry_after)
        now += timedelta(seconds=exc.value.retry_after)
        assert _outcome(accounts, "eve", "wrong-password", "10.2.2.2", now) == "checked"
    assert waits == [2, 4, 8]
    later = now + timedelta(seconds=16)
    assert _outcome(accounts, "eve", PW["eve"], "10.2.2.2", later) == "ok"  # the right password, once it may try
    assert _outcome(accounts, "eve", "wrong-password", "10.2.2.2", later) == "checked"  # a fresh start


def test_many_names_from_one_address_do_not_lock_out_its_regular_users(accounts, web):
    office = "10.3.3.3"
    assert _outcome(accounts, "admin", PW["admin"], office) == "ok"     # admin signs in here every day
    now = utcnow()
    for i in range(login_throttle.FREE_PER_CLIENT):                      # someone sprays random names
        assert _outcome(accounts, f"nobody{i}", "wrong-password", office, now) == "checked"
    assert _outcome(accounts, "nobody-else", "wrong-password", office, now) == "throttled"  # counts attempts, not names
    assert _outcome(accounts, "eve", PW["eve"], office, now) == "throttled"    # unknown here: must wait ...
    assert _outcome(accounts, "admin", PW["admin"], office, now) == "ok"       # ... a known good sign-in need not
    assert _outcome(accounts, "eve", PW["eve"], office, now + timedelta(seconds=3)) == "ok"  # and not forever
    admin = signed_in(web, "admin")
    r = admin.post("/api/users/eve/unlock", json={"client": office})
    assert r.status_code == 200 and r.json()["counters_released"] >= 1
    assert _outcome(accounts, "nobody-else", "wrong-password", office, now) == "checked"
    assert signed_in(web, "viewer").post("/api/users/eve/unlock").status_code == 403


def test_api_answers_429_with_retry_after(web):
    c = TestClient(web)
    for _ in range(login_throttle.FREE_PER_ACCOUNT):
        assert c.post("/api/auth/login", json={"username": "eve", "password": "wrong-password"}).status_code == 401
    r = c.post("/api/auth/login", json={"username": "eve", "password": PW["eve"]})
    assert r.status_code == 429 and 1 <= int(r.headers["Retry-After"]) <= 2


# ---- 10. password policy ---------------------------------------------------------------------------

@pytest.mark.parametrize("password,code", [
    (" " * 10, "input.password_blank"), ("\t \u3000" * 4, "input.password_blank"),
    ("short-pw", "input.password_short"), ("bob-the-builder", "input.password_username"),
    ("password123!", "input.password_common"), ("qwertyuiop", "input.password_common"),
    ("1qaz2wsx3edc", "input.password_common"), ("woaini1314520", "input.password_common"),
    ("zzzzzzzzzzzz", "input.password_trivial"), ("ab12ab12ab12", "input.password_trivial"),
    ("lmnopqrstuvw", "input.password_trivial"),
])
def test_weak_passwords_are_refused(password, code):
    (issue,) = password_issues(password, "bob")
    assert issue.code == code and issue.column == "password"
    assert issue.message("zh") != issue.message("en")


def test_policy_messages_are_chinese_with_english_and_good_ones_pass(platform):
    assert password_issues("Bob-Zijiang-1998", "alice") == []
    with pytest.raises(InputRejected) as exc:
        users.create_user(platform, "bob", " " * 10, "viewer", "test")
    (issue,) = exc.value.issues
    assert "空白" in issue.message("zh") and "whitespace" in issue.message("en")
    with pytest.raises(InputRejected) as exc:
        users.create_user(platform, "bob", "my-name-is-BOB", "viewer", "test")
    assert "用户名" in exc.value.issues[0].message("zh") and "username" in exc.value.issues[0].message("en")


# ---- 11. headers -----------------------------------------------------------------------------------

HEADERS = ("/", "/login", "/api/health", "/static/app.css", "/api/nope", "/docs", "/openapi.json")


def test_every_response_carries_the_security_headers(web):
    c = TestClient(web)
    for path in HEADERS:
        r = c.get(path)
        csp = r.headers["content-security-policy"]
        script = re.search(r"script-src ([^;]*)", csp).group(1)
        assert script.split() == ["'self'"] and "frame-ancestors 'none'" in csp, path
        assert r.headers["x-frame-options"] == "DENY" and r.headers["x-content-type-options"] == "nosniff", path
        assert r.headers["referrer-policy"] == "same-origin", path
        assert "strict-transport-security" not in r.headers, path


def test_production_sends_hsts_and_keeps_the_api_docs_for_accounts(accounts, tmp_path, settings):
    prod = Settings(database_url=settings.database_url, home=tmp_path, env="production", secret_key="k" * 40)
    app = create_app(prod, accounts)
    anon = TestClient(app, base_url="https://testserver")
    assert anon.get("/api/health").headers["strict-transport-security"].startswith("max-age=")
    assert anon.get("/docs", follow_redirects=False).headers["location"] == "/login?next=/docs"
    assert anon.get("/openapi.json").status_code == 401
    signed = TestClient(app, base_url="https://testserver")
    signed.post("/api/auth/login", json={"username": "viewer", "password": PW["viewer"]})
    assert signed.get("/docs").status_code == 200 and signed.get("/openapi.json").json()["openapi"]
    public = TestClient(create_app(Settings(**{**prod.__dict__, "public_docs": True}), accounts))
    assert public.get("/openapi.json").status_code == 200


def test_no_template_has_inline_script_or_handlers():
    root = resources.files("carbonpeak.web").joinpath("templates")
    for f in root.iterdir():
        html = f.read_text(encoding="utf-8")
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), f.name
        assert not re.search(r"\son[a-z]+\s*=", html, re.I), f.name
        assert "javascript:" not in html.lower(), f.name


def test_docs_page_starts_swagger_from_a_file(web):
    html = TestClient(web).get("/docs").text
    assert '<script src="/static/docs.js"></script>' in html and "SwaggerUIBundle(" not in html
    assert TestClient(web).get("/static/docs.js").status_code == 200
