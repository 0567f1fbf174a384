"""Accounts, roles, sign-in and sessions. Passwords are hashed with Argon2id.

Roles: ``admin`` (everything), ``dept_editor`` (its own department's tasks and data uploads),
``enterprise`` (its own enterprise, for the monitoring module), ``viewer`` (read everything).
Anonymous visitors read the public pages only. Throttling: services/login_throttle.py; sessions:
services/auth_sessions.py; password rules: services/password_policy.py.
"""

from __future__ import annotations

import re
import secrets
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from ..domain.findings import InputIssue
from ..domain.reporting import aware
from ..store.models import LoginAttempt, User, utcnow
from ..store.queries import permissions as qp
from ..store.queries import users as q
from ..store.queries.users import Session
from . import audit, auth_sessions, login_throttle, permissions
from .errors import AuthenticationFailed, Conflict, InputRejected, NotFound
from .password_policy import MIN_LENGTH as MIN_PASSWORD
from .password_policy import password_issues
from .platform import Platform

ROLES = permissions.ROLES  # the role list is defined once, where roles are given their rights
USERNAME = re.compile(r"[A-Za-z0-9._-]{1,64}")
# Argon2id: the library defaults (RFC 9106 low-memory profile); "fast" is for the test suite only
# (Settings.password_hash_profile, refused in production). Verifying reads the parameters from the
# stored hash, so either hasher verifies any hash; a hash made with other parameters than the
# profile in force is replaced at the next sign-in.
_HASHERS = {"standard": PasswordHasher(), "fast": PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)}
_HASHER = _HASHERS["standard"]
__all__ = ["MIN_PASSWORD", "ROLES", "Principal", "authenticate", "create_user"]


def _hasher(platform: Platform) -> PasswordHasher:
    return _HASHERS[platform.settings.password_hash_profile]


@dataclass(frozen=True)
class Principal:
    id: int
    username: str
    role: str
    department: str | None = None
    enterprise: str | None = None
    display_name: str = ""
    must_change_password: bool = False  # a password an administrator set: changed before anything else

    def can(self, *roles: str) -> bool:
        return self.role in roles

    def as_dict(self) -> dict:
        return self.__dict__.copy()


def _principal(u: User) -> Principal:
    return Principal(u.id, u.username, u.role, u.department, u.enterprise, u.display_name,
                     bool(u.must_change_password))


def _check_new(username: str, password: str, role: str, department: str | None) -> None:
    issues = []
    if not USERNAME.fullmatch(username):  # ASCII only: no look-alike (Cyrillic "аdmin", full-width "ａｄｍｉｎ")
        issues.append(InputIssue("input.bad_value", "user", None, "username",
                                 {"value": username[:64].replace("\x00", "\\0"),
                                  "reason": "ASCII letters, digits, . _ - (1-64); 中文姓名请填显示名 display_name"}))
    issues += password_issues(password, username)
    if role not in ROLES:
        issues.append(InputIssue("input.bad_value", "user", None, "role", {"value": role, "reason": f"one of {ROLES}"}))
    if role == "dept_editor" and not department:
        issues.append(InputIssue("input.empty_value", "user", None, "department", {}))
    if issues:
        raise InputRejected(issues)


def create_user(platform: Platform, username: str, password: str, role: str, actor: str,
                department: str | None = None, enterprise: str | None = None, display_name: str = "",
                email: str = "", must_change_password: bool = False) -> Principal:
    """A new account, its department checked against the stored plan in the same transaction."""
    _check_new(username, password, role, department)
    _check_email(email)
    with platform.sessions.begin() as s:
        return _add(s, platform, actor, User(username=username, role=role, department=department, enterprise=enterprise,
                                             display_name=display_name or username, email=email,
                                             must_change_password=must_change_password), password)


def _add(s: Session, platform: Platform, actor: str, u: User, password: str) -> Principal:
    """Add the checked account ``u`` (hashing ``password``) in the caller's transaction."""
    _check_department(s, u.department)
    if q.user_id_named_any_case(s, u.username) is not None:  # "Admin" is not another account than "admin"
        raise Conflict(f"user {u.username!r} exists (names differing only in case are one account) / 账号已存在")
    u.password_hash = _hasher(platform).hash(password)
    s.add(u)
    s.flush()
    audit.record(s, actor, "users", u.username, "insert", None,
                 {"role": u.role, "department": u.department, "enterprise": u.enterprise})
    return _principal(u)


EMAIL = re.compile(r"[^@\s]{1,64}@[^@\s]{1,190}\.[^@\s]{1,20}")


def _check_email(email: str) -> None:
    """Empty (no reminder e-mails) or one plausible address."""
    if email and not EMAIL.fullmatch(email):
        raise InputRejected([InputIssue("input.bad_value", "user", None, "email",
                                        {"value": email[:64], "reason": "name@example.org"})])


def _check_department(s: Session, department: str | None) -> None:
    """A department must be one the stored plan lists (no plan loaded yet: any name)."""
    if not department:
        return
    departments = list((qp.plan_extras(s) or {}).get("departments", []))  # as plans.plan_from_row reads them
    if departments and department not in departments:
        raise InputRejected([InputIssue("input.bad_value", "user", None, "department",
                                        {"value": department[:100], "reason": "方案所列责任单位之一 / one of the plan's "
                                                                               "departments: " + "、".join(departments)})])


@dataclass(frozen=True)
class AccountView:
    username: str
    display_name: str
    role: str
    department: str | None
    enterprise: str | None
    email: str
    active: bool
    must_change_password: bool
    last_login_at: datetime | None
    created_at: datetime


def accounts(platform: Platform, principal: Principal) -> list[AccountView]:
    """Every account with its last sign-in (administrators)."""
    permissions.require(principal, "account.list")
    with platform.sessions() as s:
        return [AccountView(u.username, u.display_name, u.role, u.department, u.enterprise, u.email or "", u.active,
                            bool(u.must_change_password), aware(u.last_login_at), aware(u.created_at))
                for u in q.users(s)]


@dataclass(frozen=True)
class PasswordReset:
    username: str
    temporary_password: str  # shown once; the account must change it at its next sign-in
    sessions_ended: int


def reset_password(platform: Platform, username: str, actor: str) -> PasswordReset:
    """An administrator resets a password: a generated one, changed at the next sign-in."""
    temporary = secrets.token_urlsafe(12)
    ended = set_password(platform, username, temporary, actor, force_change=True)
    return PasswordReset(username, temporary, ended)


def unit_choices(platform: Platform) -> list[tuple[str, str]]:
    """The registry's key units (credit code, name), for an enterprise account's unit."""
    with platform.sessions() as s:
        return q.unit_choices(s)


@dataclass(frozen=True)
class UserRow:
    """An account as the account list shows it (its sign-in details: :class:`AccountView`)."""
    username: str
    role: str
    department: str | None
    enterprise: str | None
    display_name: str
    active: bool


def list_users(platform: Platform, principal: Principal) -> list[UserRow]:
    permissions.require(principal, "account.list")
    with platform.sessions() as s:
        return [UserRow(u.username, u.role, u.department, u.enterprise, u.display_name, u.active) for u in q.users(s)]


def _verify(stored_hash: str, password: str) -> bool:
    try:
        return _HASHER.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def _check_password(platform: Platform, u: User | None, password: str) -> User | None:
    """The active account ``u`` when the password is right; the same cost whether or not it exists."""
    if u is None:
        _hasher(platform).hash(password)
        return None
    return u if _verify(u.password_hash, password) else None


def _clients(platform: Platform, clients: Platform | None) -> AbstractContextManager[Session | None]:
    """A transaction of the deployment counting attempts per client for its counties; None: ``platform``'s."""
    return nullcontext() if clients is None or clients is platform else clients.sessions.begin()


def authenticate(platform: Platform, username: str, password: str, client: str,
                 now: datetime | None = None, clients: Platform | None = None) -> Principal:
    """Check a password; the attempt is counted first, atomically (see login_throttle) → Throttled.
    Two transactions: the attempt counted (and the account read), committed before the password
    is checked; then the outcome. ``clients``: see :func:`_clients`."""
    now = now or utcnow()
    with platform.sessions.begin() as s, _clients(platform, clients) as cs:
        ticket = login_throttle.reserve(s, username, client, now, cs)
        found = q.active_user_named(s, username)
    u = _check_password(platform, found, password)
    with platform.sessions.begin() as s, _clients(platform, clients) as cs:
        s.add(LoginAttempt(username=username[:64], client=client[:64], at=now, success=u is not None))
        login_throttle.forget_old_attempts(s, now - timedelta(days=platform.settings.login_log_days))
        if u is not None:
            login_throttle.succeeded(s, ticket, now, cs)
            s.get(User, u.id).last_login_at = now
            if _hasher(platform).check_needs_rehash(u.password_hash):
                s.get(User, u.id).password_hash = _hasher(platform).hash(password)
            for counters in (s,) if cs is None else (s, cs):
                login_throttle.forget_stale(counters, now)
    if u is None:
        raise AuthenticationFailed("用户名或密码错误 / wrong username or password")
    return _principal(u)


def get_principal(platform: Platform, user_id: int) -> Principal | None:
    with platform.sessions() as s:
        u = s.get(User, user_id)
        return _principal(u) if u is not None and u.active else None


def start_session(platform: Platform, who: Principal, client: str = "") -> str:
    """A new server-side session for a signed-in account: the token for the cookie."""
    return auth_sessions.start(platform, who.id, client)


def session_principal(platform: Platform, token: str | None) -> Principal | None:
    """Who a session token belongs to, or None when the session has ended."""
    if not token:
        return None
    u = auth_sessions.resolve(platform, token)
    return _principal(u) if u is not None else None


def end_session(platform: Platform, token: str | None) -> None:
    if token:
        auth_sessions.end(platform, token)


def _found(u: User | None, username: str) -> User:
    if u is None:
        raise NotFound(f"no account {username!r} / 账号不存在")
    return u


def _account(s: Session, username: str) -> User:
    return _found(q.user_named(s, username), username)


def _refuse(password: str, username: str) -> None:
    issues = password_issues(password, username)
    if issues:
        raise InputRejected(issues)


@dataclass(frozen=True)
class PasswordChanged:
    other_sessions_ended: int
    token: str  # the session that changed the password goes on under this new token


def _check_current(platform: Platform, who: Principal, current: str, client: str,
                   clients: Platform | None) -> tuple[login_throttle.Ticket, datetime]:
    """The current password, checked under the login throttle (→ Throttled, as a sign-in): the
    attempt counted and committed first (an unknown account or a wrong password leave it counted);
    the ticket to settle and the time it was counted at."""
    now = utcnow()
    with platform.sessions.begin() as s, _clients(platform, clients) as cs:
        ticket = login_throttle.reserve(s, who.username, client, now, cs)
        stored = q.user_named(s, who.username)
    if not _verify(_found(stored, who.username).password_hash, current):
        raise InputRejected([InputIssue("input.password_wrong", "user", None, "current_password", {})])
    return ticket, now


def change_password(platform: Platform, who: Principal, current: str, new: str, keep_token: str | None,
                    client: str = "", clients: Platform | None = None) -> PasswordChanged:
    """The account changes its own password (the current one is required, checked under the login
    throttle of the account from ``client``); every other session of the account ends and the
    session ``keep_token`` is replaced by a new one (a copy of its old cookie stops working). The
    right current password is refunded to the throttle even when the new one is refused."""
    ticket, now = _check_current(platform, who, current, client, clients)
    refused = password_issues(new, who.username)
    with platform.sessions.begin() as s, _clients(platform, clients) as cs:
        login_throttle.succeeded(s, ticket, now, cs)
        u = None if refused else q.user_named(s, who.username)
        changed = None if u is None else _replace_password(s, platform, u, new, keep_token, client)
    if refused:
        raise InputRejected(refused)
    _found(u, who.username)  # the account was removed meanwhile: its attempt refunded all the same
    return changed


def _replace_password(s: Session, platform: Platform, u: User, new: str, keep_token: str | None,
                      client: str) -> PasswordChanged:
    u.password_hash = _hasher(platform).hash(new)
    u.must_change_password = False
    ended = auth_sessions.revoke_user(s, u.id, keep_token)
    if keep_token:
        auth_sessions.revoke_token(s, keep_token)
    token = auth_sessions.add(s, u.id, client, utcnow())
    audit.record(s, u.username, "users", u.username, "update", None, {"password": "changed"})
    return PasswordChanged(ended, token)


def set_password(platform: Platform, username: str, new: str, actor: str, force_change: bool = False) -> int:
    """An administrator sets an account's password: every session of the account ends; with
    ``force_change`` the account must change it at its next sign-in."""
    _refuse(new, username)
    with platform.sessions.begin() as s:
        u = _account(s, username)
        u.password_hash = _hasher(platform).hash(new)
        u.must_change_password = force_change
        ended = auth_sessions.revoke_user(s, u.id)
        audit.record(s, actor, "users", username, "update", None, {"password": "reset"})
    return ended


@dataclass(frozen=True)
class Activation:
    username: str
    active: bool
    sessions_ended: int  # the account's sessions a disabling ended


def set_active(platform: Platform, username: str, active: bool, actor: str) -> Activation:
    """Disable (every session ends at once) or enable an account. Nobody disables themselves."""
    if not active and actor == username:
        raise Conflict("an administrator may not disable their own account / 不能停用自己的账号")
    with platform.sessions.begin() as s:
        u = _account(s, username)
        before, ended = u.active, 0
        u.active = active
        if not active:
            ended = auth_sessions.revoke_user(s, u.id)
        if before != active:
            audit.record(s, actor, "users", username, "update", {"active": before}, {"active": active})
    return Activation(username, active, ended)


@dataclass(frozen=True)
class Unlocked:
    username: str | None
    client: str | None
    counters_released: int  # login throttle counters cleared


def unlock(platform: Platform, actor: str, username: str | None = None, client: str | None = None,
           clients: Platform | None = None) -> Unlocked:
    """Release the login throttle of an account (all its clients) and/or of a client address."""
    if not username and not client:
        raise InputRejected([InputIssue("input.empty_value", "unlock", None, "username", {})])
    with platform.sessions.begin() as s, _clients(platform, clients) as cs:
        if username:
            _account(s, username)
        n = login_throttle.clear(s, username, client) + (login_throttle.clear(cs, None, client) if cs is not None else 0)
        audit.record(s, actor, "login_throttle", username or client or "", "update", None,
                     {"unlocked": {"username": username, "client": client}, "counters": n})
    return Unlocked(username, client, n)


@dataclass(frozen=True)
class FirstAdmin:
    created: bool
    username: str = "admin"
    generated_password: str | None = None  # shown once when we generated it


def ensure_first_admin(platform: Platform, password: str | None = None, username: str = "admin") -> FirstAdmin:
    """Create the first administrator when there is no account at all (counted and created in one
    transaction)."""
    with platform.sessions.begin() as s:
        if q.user_count(s):
            return FirstAdmin(created=False)
        generated = None
        if not password:
            generated = password = secrets.token_urlsafe(12)
        _check_new(username, password, "admin", None)
        _add(s, platform, "system:first-start", User(username=username, role="admin", display_name="管理员", email="",
                                                     must_change_password=False), password)
    return FirstAdmin(created=True, username=username, generated_password=generated)
