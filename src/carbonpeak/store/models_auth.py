"""Tables of sign-in state: server-side sessions and the login throttle (migration 0009).

Kept apart from models.py (which is long); imported at the end of models.py, so Alembic and every
user of ``Base.metadata`` see these tables.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from .models import Base, utcnow


class AuthSession(Base):
    """A signed-in browser or API client. The cookie carries a random token; only its SHA-256 is
    stored, so a copy of the table cannot be replayed. Deleting the row ends the session."""
    __tablename__ = "auth_sessions"
    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    client: Mapped[str] = mapped_column(String(64), default="")


class LoginThrottle(Base):
    """One counter row per throttle key: an account from one client (``u:<name>|<client>``) or a
    client for all names (``c:<client>``). Updated under a row lock in the transaction that decides."""
    __tablename__ = "login_throttle"
    key: Mapped[str] = mapped_column(String(140), primary_key=True)
    username: Mapped[str] = mapped_column(String(64), default="", index=True)
    client: Mapped[str] = mapped_column(String(64), default="", index=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_failure_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    blocked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_success_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
