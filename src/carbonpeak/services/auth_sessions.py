"""Server-side sign-in sessions: revocable, unlike a cookie that is valid until it expires.

The session cookie (signed by Starlette) carries only a random token; the table keeps its
SHA-256, the account, and when the session started, was last seen and expires. A session ends
at logout, after 8 hours, after 2 hours without a request, when the account changes its password
(its other sessions; the session that changed it goes on under a new token, so a copy of its old
cookie stops working) or is disabled (all of them): deleting the row is enough, every request
looks the token up.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from ..store.models import User, utcnow
from ..store.models_auth import AuthSession
from ..store.queries import users as q
from ..store.queries.users import Session
from .platform import Platform

LIFETIME = timedelta(hours=8)
IDLE = timedelta(hours=2)
TOUCH_EVERY = timedelta(minutes=1)  # last_seen is written at most this often per session


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _aware(t: datetime) -> datetime:
    return t.replace(tzinfo=UTC) if t.tzinfo is None else t


def start(platform: Platform, user_id: int, client: str = "", now: datetime | None = None) -> str:
    """A new session for ``user_id``; returns the token for the cookie (shown nowhere else)."""
    now = now or utcnow()
    with platform.sessions.begin() as s:
        q.drop_expired_sessions(s, now)
        return add(s, user_id, client, now)


def add(s: Session, user_id: int, client: str, now: datetime) -> str:
    """A new session row in the caller's transaction; returns its token."""
    token = secrets.token_urlsafe(32)
    s.add(AuthSession(token_hash=digest(token), user_id=user_id, created_at=now, last_seen_at=now,
                      expires_at=now + LIFETIME, client=client[:64]))
    return token


def resolve(platform: Platform, token: str, now: datetime | None = None) -> User | None:
    """The active account of a live session, or None (unknown, ended, expired, idle, disabled): read,
    and ended or touched, in one transaction."""
    now = now or utcnow()
    with platform.sessions.begin() as s:
        row = q.session_of(s, digest(token))
        if row is None or not row.User.active:
            return None
        if _aware(row.expires_at) <= now or now - _aware(row.last_seen_at) > IDLE:
            revoke_token(s, token)
            return None
        if now - _aware(row.last_seen_at) >= TOUCH_EVERY:
            q.touch_session(s, row.id, now)
        return row.User


def end(platform: Platform, token: str) -> None:
    with platform.sessions.begin() as s:
        revoke_token(s, token)


def revoke_user(s: Session, user_id: int, keep_token: str | None = None) -> int:
    """End every session of ``user_id`` (but ``keep_token``'s) in the caller's transaction."""
    return q.delete_sessions_of(s, user_id, digest(keep_token) if keep_token else None)


def revoke_token(s: Session, token: str) -> int:
    """End the session ``token`` in the caller's transaction."""
    return q.delete_session(s, digest(token))
