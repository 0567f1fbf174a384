"""The queries of accounts and sign-in sessions (services/users.py, services/auth_sessions.py).
Each function takes the caller's session and returns ORM rows, scalars or small tuples; it never
opens a session or commits. Throttling counters: login_throttle.py.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Row, delete, func, select, update
from sqlalchemy.orm import Session  # also the type the services annotate with (no SQLAlchemy import there)

from ..models import KeyUnit, User
from ..models_auth import AuthSession

# --- accounts ---------------------------------------------------------------------------------

def user_named(s: Session, username: str) -> User | None:
    """The account of exactly ``username`` (active or not)."""
    return s.scalar(select(User).where(User.username == username))


def active_user_named(s: Session, username: str) -> User | None:
    return s.scalar(select(User).where(User.username == username, User.active.is_(True)))


def user_id_named_any_case(s: Session, username: str) -> int | None:
    """The id of the account whose name equals ``username`` ignoring case ("Admin" is "admin")."""
    return s.scalar(select(User.id).where(func.lower(User.username) == username.lower()))


def users(s: Session) -> list[User]:
    """Every account, in the order they were created."""
    return list(s.scalars(select(User).order_by(User.id)).all())


def user_count(s: Session) -> int:
    return s.scalar(select(func.count()).select_from(User))


def unit_choices(s: Session) -> list[tuple[str, str]]:
    """The registry's key units (credit code, name), by name."""
    return [(u, n) for u, n in s.execute(select(KeyUnit.uscc, KeyUnit.name).order_by(KeyUnit.name))]


# --- sign-in sessions -------------------------------------------------------------------------

def drop_expired_sessions(s: Session, now: datetime, most: int = 1000) -> None:
    """Delete at most ``most`` sessions expired before ``now`` (rows another transaction holds are skipped)."""
    expired = select(AuthSession.id).where(AuthSession.expires_at < now).limit(most).with_for_update(skip_locked=True)
    s.execute(delete(AuthSession).where(AuthSession.id.in_(expired)))


def session_of(s: Session, token_hash: str) -> Row | None:
    """The session with ``token_hash`` and its account: (id, expires_at, last_seen_at, User), or None."""
    return s.execute(select(AuthSession.id, AuthSession.expires_at, AuthSession.last_seen_at, User)
                     .join(User, User.id == AuthSession.user_id).where(AuthSession.token_hash == token_hash)).first()


def touch_session(s: Session, session_id: int, now: datetime) -> None:
    s.execute(update(AuthSession).where(AuthSession.id == session_id).values(last_seen_at=now))


def delete_sessions_of(s: Session, user_id: int, except_hash: str | None = None) -> int:
    """Delete the sessions of ``user_id`` (but the one with ``except_hash``); how many were deleted."""
    q = delete(AuthSession).where(AuthSession.user_id == user_id)
    if except_hash:
        q = q.where(AuthSession.token_hash != except_hash)
    return s.execute(q).rowcount


def delete_session(s: Session, token_hash: str) -> int:
    return s.execute(delete(AuthSession).where(AuthSession.token_hash == token_hash)).rowcount
