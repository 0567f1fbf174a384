"""One use case, one session (issue #13 item 7): accounts, sign-in sessions and permissions read
and write through store/queries/users.py and permissions.py in the session their use case opened.
A sign-in and a password change take two transactions: the attempt is counted and committed before
the password is checked (services/login_throttle.py). Counted with SQLAlchemy events on the
platform's sessions and engine, on both databases."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from engine_events import sessions_of as _sessions_of
from supervision_fixtures import CEMENT, CEMENT_CO, _case  # sup_platform: a fixture (conftest plugins)

from carbonpeak.services import audit, auth_sessions, login_throttle, permissions, supervision, users
from carbonpeak.services.errors import AuthenticationFailed, Conflict, InputRejected, NotFound
from carbonpeak.services.scope import Scope
from carbonpeak.store.models import utcnow
from carbonpeak.store.models_auth import LoginThrottle

PW = "Anhua-peak-2031"
NEW = "zijiang-ferry-77"


def _failing(use_case: Callable[[], object], error: type[Exception]) -> Callable[[], None]:
    def run():
        with pytest.raises(error):
            use_case()
    return run


def test_creating_and_managing_accounts_take_one_transaction_each(platform):
    p = platform
    admin = users.create_user(p, "root", PW, "admin", "test")
    changes = {"create_user": lambda: users.create_user(p, "tea", PW, "viewer", "root", email="tea@example.org"),
               "create_user (taken)": _failing(lambda: users.create_user(p, "TEA", PW, "viewer", "root"), Conflict),
               "list_users": lambda: users.list_users(p, admin),
               "accounts": lambda: users.accounts(p, admin),
               "unit_choices": lambda: users.unit_choices(p),
               "get_principal": lambda: users.get_principal(p, admin.id),
               "set_password": lambda: users.set_password(p, "tea", NEW, "root"),
               "reset_password": lambda: users.reset_password(p, "tea", "root"),
               "set_active": lambda: users.set_active(p, "tea", False, "root"),
               "set_active (unknown)": _failing(lambda: users.set_active(p, "nobody", True, "root"), NotFound),
               "unlock": lambda: users.unlock(p, "root", username="tea"),
               "ensure_first_admin (accounts exist)": lambda: users.ensure_first_admin(p)}
    assert {k: _sessions_of(p, f) for k, f in changes.items()} == dict.fromkeys(changes, (1, 1))
    assert [u.username for u in users.list_users(p, admin)] == ["root", "tea"]


def test_the_first_administrator_is_counted_for_and_created_in_one_transaction(platform):
    """It took a session to count the accounts and another to create the administrator."""
    made = []
    assert _sessions_of(platform, lambda: made.append(users.ensure_first_admin(platform))) == (1, 1)
    assert made[0].created and made[0].generated_password
    assert users.authenticate(platform, "admin", made[0].generated_password, "1.2.3.4").role == "admin"


def test_an_editor_account_is_checked_against_the_plan_in_its_own_transaction(demo_platform):
    """The department is checked against the stored plan in the session that creates the account
    (the plan was read on a connection and a session of its own)."""
    p = demo_platform
    assert _sessions_of(p, lambda: users.create_user(p, "fgj", PW, "dept_editor", "test",
                                                      department="县发展和改革局")) == (1, 1)
    with pytest.raises(InputRejected) as refused:
        users.create_user(p, "nowhere", PW, "dept_editor", "test", department="县不存在局")
    assert refused.value.issues[0].column == "department" and "县发展和改革局" in refused.value.issues[0].params["reason"]


def test_a_sign_in_takes_two_transactions(platform):
    """The attempt counted first (committed before the password is checked), then the outcome:
    a sign-in took four (the account read in a session of its own, the stale counters dropped in a
    transaction of their own), a wrong password three."""
    p = platform
    users.create_user(p, "root", PW, "admin", "test")
    assert _sessions_of(p, lambda: users.authenticate(p, "root", PW, "1.2.3.4")) == (2, 2)
    wrong = _failing(lambda: users.authenticate(p, "root", "wrong-password-1", "1.2.3.4"), AuthenticationFailed)
    assert _sessions_of(p, wrong) == (2, 2)
    unknown = _failing(lambda: users.authenticate(p, "nobody", PW, "1.2.3.4"), AuthenticationFailed)
    assert _sessions_of(p, unknown) == (2, 2)
    assert users.authenticate(p, "root", PW, "1.2.3.4").username == "root"


def test_a_password_change_takes_two_transactions(platform):
    """The current password counted and checked under the throttle, then the change: it took four
    (the account read in a session of its own, the attempt refunded in a transaction of its own)."""
    p = platform
    who = users.create_user(p, "root", PW, "admin", "test")
    token = users.start_session(p, who)
    done = []
    assert _sessions_of(p, lambda: done.append(users.change_password(p, who, PW, NEW, token))) == (2, 2)
    assert users.session_principal(p, token) is None and users.session_principal(p, done[0].token) == who

    def failures() -> int:  # the account's counter from this client
        with p.sessions() as s:
            return s.get(LoginThrottle, login_throttle.keys("root", "")[0]).failures
    weak = _failing(lambda: users.change_password(p, who, NEW, "short", done[0].token), InputRejected)
    assert _sessions_of(p, weak) == (2, 2) and failures() == 0  # the right current password: refunded
    wrong = _failing(lambda: users.change_password(p, who, "wrong-password-1", PW, done[0].token), InputRejected)
    assert _sessions_of(p, wrong) == (1, 1) and failures() == 1
    assert users.authenticate(p, "root", NEW, "1.2.3.4") == who


def test_a_sign_in_session_is_resolved_in_one_transaction(platform):
    """Resolving a token that is due a touch, or that has gone idle, took a session to read and a
    transaction to write."""
    p = platform
    who = users.create_user(p, "root", PW, "admin", "test")
    token = []
    assert _sessions_of(p, lambda: token.append(users.start_session(p, who, "1.2.3.4"))) == (1, 1)
    assert _sessions_of(p, lambda: users.session_principal(p, token[0])) == (1, 1)
    later = utcnow() + timedelta(minutes=5)
    assert _sessions_of(p, lambda: auth_sessions.resolve(p, token[0], later)) == (1, 1)  # last seen moves on
    assert auth_sessions.resolve(p, token[0], later + timedelta(minutes=30)).id == who.id
    idle = later + timedelta(hours=3)
    assert _sessions_of(p, lambda: auth_sessions.resolve(p, token[0], idle)) == (1, 1)  # ended
    assert users.session_principal(p, token[0]) is None
    assert _sessions_of(p, lambda: users.end_session(p, token[0])) == (1, 1)


def test_an_enterprise_accounts_unit_is_found_in_the_callers_session(sup_platform):
    """permissions.scope_of resolves an enterprise account's unit on the session it is given (a
    connection of its own without one); supervision's reads of an enterprise took a transaction more."""
    p = sup_platform
    case = _case(p)
    with p.sessions() as s:
        assert _sessions_of(p, lambda: permissions.scope_of(p, CEMENT_CO, s)) == (1, 1)
        assert permissions.scope_of(p, CEMENT_CO, s) == Scope("enterprise", None, CEMENT)
    assert _sessions_of(p, lambda: permissions.scope_of(p, CEMENT_CO)) == (0, 1)
    assert _sessions_of(p, lambda: supervision.list_cases(p, CEMENT_CO)) == (1, 1)
    assert [c.code for c in supervision.list_cases(p, CEMENT_CO)] == [case.code]


def test_the_audit_trail_is_read_with_its_scope_in_one_session(sup_platform):
    """An enterprise's or a department's scope is looked up in the session of the read (it took a
    connection and a session more for an enterprise, a session more for a department)."""
    p = sup_platform
    case = _case(p)
    editor = users.create_user(p, "fgj", PW, "dept_editor", "test", department="县发展和改革局")
    admin = users.create_user(p, "root", PW, "admin", "test")
    reads = {who.role: lambda who=who: audit.history(p, principal=who) for who in (CEMENT_CO, editor, admin)}
    assert {k: _sessions_of(p, f) for k, f in reads.items()} == dict.fromkeys(reads, (1, 1))
    assert any(e.key == case.code for e in audit.history(p, principal=admin))
