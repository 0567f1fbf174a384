"""Accounts, roles and login with throttling. Passwords are hashed with Argon2id.

Roles: ``admin`` (everything), ``dept_editor`` (its own department's tasks and data uploads),
``enterprise`` (its own enterprise, for the monitoring module), ``viewer`` (read everything).
Anonymous visitors read the public pages only.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select

from ..store.models import LoginAttempt, User, utcnow
from ..domain.findings import InputIssue
from . import audit
from .errors import AuthenticationFailed, Conflict, Forbidden, InputRejected, Throttled
from .platform import Platform

ROLES = ("admin", "dept_editor", "enterprise", "viewer")
WINDOW = timedelta(minutes=15)
MAX_FAILURES_PER_USER = 5
MAX_FAILURES_PER_CLIENT = 20
MIN_PASSWORD = 10
_HASHER = PasswordHasher()  # Argon2id, library defaults (RFC 9106 low-memory profile)


@dataclass(frozen=True)
class Principal:
    id: int
    username: str
    role: str
    department: str | None = None
    enterprise: str | None = None
    display_name: str = ""

    def can(self, *roles: str) -> bool:
        return self.role in roles

    def as_dict(self) -> dict:
        return self.__dict__.copy()


def _principal(u: User) -> Principal:
    return Principal(u.id, u.username, u.role, u.department, u.enterprise, u.display_name)


def _check_new(username: str, password: str, role: str, department: str | None) -> None:
    issues = []
    if not username or len(username) > 64 or not username.replace("_", "").replace("-", "").replace(".", "").isalnum():
        issues.append(InputIssue("input.bad_value", "user", None, "username",
                                 {"value": username, "reason": "letters, digits, . _ - (1-64)"}))
    if len(password) < MIN_PASSWORD:
        issues.append(InputIssue("input.bad_value", "user", None, "password",
                                 {"value": "***", "reason": f"at least {MIN_PASSWORD} characters"}))
    if role not in ROLES:
        issues.append(InputIssue("input.bad_value", "user", None, "role", {"value": role, "reason": f"one of {ROLES}"}))
    if role == "dept_editor" and not department:
        issues.append(InputIssue("input.empty_value", "user", None, "department", {}))
    if issues:
        raise InputRejected(issues)


def create_user(platform: Platform, username: str, password: str, role: str, actor: str,
                department: str | None = None, enterprise: str | None = None, display_name: str = "") -> Principal:
    _check_new(username, password, role, department)
    with platform.sessions.begin() as s:
        if s.scalar(select(User.id).where(User.username == username)) is not None:
            raise Conflict(f"user {username!r} exists")
        u = User(username=username, password_hash=_HASHER.hash(password), role=role, department=department,
                 enterprise=enterprise, display_name=display_name or username)
        s.add(u)
        s.flush()
        audit.record(s, actor, "users", username, "insert", None,
                     {"role": role, "department": department, "enterprise": enterprise})
        return _principal(u)


def list_users(platform: Platform, principal: Principal) -> list[dict]:
    if not principal.can("admin"):
        raise Forbidden("only an administrator may list accounts")
    with platform.sessions() as s:
        return [{"username": u.username, "role": u.role, "department": u.department, "enterprise": u.enterprise,
                 "display_name": u.display_name, "active": u.active} for u in s.scalars(select(User).order_by(User.id))]


def authenticate(platform: Platform, username: str, password: str, client: str) -> Principal:
    """Check a password. Too many recent failures for the user or the client → Throttled."""
    now = utcnow()
    with platform.sessions.begin() as s:
        since = now - WINDOW
        fails_user = s.scalar(select(func.count()).select_from(LoginAttempt).where(
            LoginAttempt.username == username, LoginAttempt.success.is_(False), LoginAttempt.at >= since))
        fails_client = s.scalar(select(func.count()).select_from(LoginAttempt).where(
            LoginAttempt.client == client, LoginAttempt.success.is_(False), LoginAttempt.at >= since))
        if fails_user >= MAX_FAILURES_PER_USER or fails_client >= MAX_FAILURES_PER_CLIENT:
            raise Throttled("too many failed logins; try again later / 登录失败次数过多，请稍后再试",
                            retry_after=int(WINDOW.total_seconds()))
        u = s.scalar(select(User).where(User.username == username, User.active.is_(True)))
        ok = False
        if u is not None:
            try:
                ok = _HASHER.verify(u.password_hash, password)
            except (VerificationError, InvalidHashError):
                ok = False
        else:
            _HASHER.hash(password)  # same cost whether or not the user exists
        s.add(LoginAttempt(username=username[:64], client=client[:64], at=now, success=ok))
        if ok:
            if _HASHER.check_needs_rehash(u.password_hash):
                u.password_hash = _HASHER.hash(password)
            return _principal(u)
    # the failed attempt is committed above, so it counts towards the throttle
    raise AuthenticationFailed("wrong username or password / 用户名或密码错误")


def get_principal(platform: Platform, user_id: int) -> Principal | None:
    with platform.sessions() as s:
        u = s.get(User, user_id)
        return _principal(u) if u is not None and u.active else None


@dataclass(frozen=True)
class FirstAdmin:
    created: bool
    username: str = "admin"
    generated_password: str | None = None  # shown once when we generated it


def ensure_first_admin(platform: Platform, password: str | None = None, username: str = "admin") -> FirstAdmin:
    """Create the first administrator when there is no account at all."""
    with platform.sessions() as s:
        if s.scalar(select(func.count()).select_from(User)):
            return FirstAdmin(created=False)
    generated = None
    if not password:
        generated = password = secrets.token_urlsafe(12)
    create_user(platform, username, password, "admin", actor="system:first-start", display_name="管理员")
    return FirstAdmin(created=True, username=username, generated_password=generated)
