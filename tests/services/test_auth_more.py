"""Review fixes of the sign-in hardening, on SQLite and PostgreSQL: a throttle per account across
all clients (many addresses get no more checks in total), the password change under the login
throttle, and a new session token after a password change."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from carbonpeak.services import login_throttle, users
from carbonpeak.services.errors import AuthenticationFailed, Throttled
from carbonpeak.store.models import utcnow
from carbonpeak.web.app import create_app

PW = {"viewer": "tea-hills-4521", "eve": "zijiang-ferry-77"}
COOKIE = "carbonpeak_session"


@pytest.fixture
def accounts(platform):
    for name in PW:
        users.create_user(platform, name, PW[name], "viewer", "test")
    return platform


@pytest.fixture
def web(accounts, settings):
    return create_app(settings, accounts)


def _outcome(platform, name, password, client, now=None) -> str:
    try:
        users.authenticate(platform, name, password, client, now=now)
        return "ok"
    except Throttled:
        return "throttled"
    except AuthenticationFailed:
        return "checked"


def _guess_from_many_addresses(platform, name: str, n: int, now) -> list[str]:
    results: list[str] = []
    start = threading.Barrier(n)

    def guess(i: int) -> None:
        start.wait()
        results.append(_outcome(platform, name, f"guess-number-{i}", f"10.9.{i // 250}.{i % 250}", now))

    threads = [threading.Thread(target=guess, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_many_addresses_get_no_more_checks_in_total_and_the_owner_still_signs_in(accounts):
    home = "10.1.1.1"
    assert _outcome(accounts, "viewer", PW["viewer"], home) == "ok"      # the owner's usual address
    now = utcnow()
    results = _guess_from_many_addresses(accounts, "viewer", 60, now)
    assert len(results) == 60 and results.count("checked") == login_throttle.FREE_PER_ACCOUNT_TOTAL
    assert results.count("throttled") == 60 - login_throttle.FREE_PER_ACCOUNT_TOTAL
    assert _outcome(accounts, "viewer", PW["viewer"], "10.8.8.8", now) == "throttled"  # a new address waits
    assert _outcome(accounts, "viewer", PW["viewer"], home, now) == "ok"                # the owner does not
    assert _outcome(accounts, "eve", PW["eve"], "10.9.0.7", now) == "ok"     # other accounts are not affected
    with pytest.raises(Throttled) as exc:
        users.authenticate(accounts, "viewer", "guess-again", "10.8.8.9", now=now)
    later = now + timedelta(seconds=exc.value.retry_after)                   # not a permanent lock:
    assert _outcome(accounts, "viewer", "guess-again", "10.8.8.9", later) == "checked"
    with pytest.raises(Throttled) as again:                                    # ... and the wait grows
        users.authenticate(accounts, "viewer", "guess-again", "10.8.8.10", now=later)
    assert again.value.retry_after > exc.value.retry_after


def test_unlock_releases_the_account_wide_counter(accounts):
    now = utcnow()
    for i in range(login_throttle.FREE_PER_ACCOUNT_TOTAL):
        assert _outcome(accounts, "eve", "wrong-password", f"10.7.0.{i}", now) == "checked"
    assert _outcome(accounts, "eve", PW["eve"], "10.7.1.1", now) == "throttled"
    users.unlock(accounts, "test", "eve")
    assert _outcome(accounts, "eve", PW["eve"], "10.7.1.1", now) == "ok"


def _signed_in(app, user: str) -> TestClient:
    c = TestClient(app)
    r = c.post("/api/auth/login", json={"username": user, "password": PW[user]})
    assert r.status_code == 200, r.text
    c.headers["X-CSRF-Token"] = r.json()["csrf_token"]
    return c


def test_wrong_current_passwords_are_throttled_like_logins(web):
    c = _signed_in(web, "eve")
    wrong = {"current_password": "not-my-password", "new_password": "anhua-dark-tea-9"}
    for _ in range(login_throttle.FREE_PER_ACCOUNT):
        r = c.post("/api/auth/password", json=wrong)
        assert r.status_code == 422 and r.json()["detail"][0]["type"] == "input.password_wrong"
    r = c.post("/api/auth/password", json={**wrong, "current_password": PW["eve"]})
    assert r.status_code == 429 and int(r.headers["Retry-After"]) >= 1
    assert c.get("/api/tasks").status_code == 200                   # the session itself goes on


def test_a_password_change_gives_the_session_a_new_token(web):
    c = _signed_in(web, "viewer")
    old_cookie = c.cookies[COOKIE]
    body = {"current_password": PW["viewer"], "new_password": "anhua-dark-tea-9"}
    r = c.post("/api/auth/password", json=body)
    assert r.status_code == 200 and COOKIE in r.headers.get("set-cookie", "")
    assert c.cookies[COOKIE] != old_cookie
    assert c.get("/api/tasks").status_code == 200                   # the new cookie works
    copy = TestClient(web, cookies={COOKIE: old_cookie})
    assert copy.get("/api/tasks").status_code == 401                # the old one does not
    assert copy.get("/api/auth/me").json()["user"] is None
