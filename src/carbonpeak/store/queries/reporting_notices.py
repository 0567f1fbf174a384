"""The queries of reporting's notifications (站内通知) and reminder mails, and of the accounts they go
to. Each function takes the caller's session; it never opens a session or commits."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from ..models import User, utcnow
from ..models_reporting import Notification


def has_notice(s: Session, username: str, key: str) -> bool:
    return bool(s.scalar(select(Notification.id).where(Notification.username == username, Notification.key == key)))


def reviewer_accounts(s: Session, review_department: str) -> list[str]:
    """The active administrators and the review department's editors."""
    return list(s.scalars(select(User.username).where(User.active.is_(True), or_(
        User.role == "admin", (User.role == "dept_editor") & (User.department == review_department)))))


def reporter_accounts(s: Session, unit_uscc: str | None, department: str) -> list[str]:
    """The active accounts that enter an obligation: its unit's (``unit_uscc``), else its department's editors."""
    q = select(User.username).where(User.active.is_(True))
    q = q.where(User.enterprise == unit_uscc) if unit_uscc else q.where(
        User.role == "dept_editor", User.department == department)
    return list(s.scalars(q))


def active_account(s: Session, username: str) -> str | None:
    return s.scalar(select(User.username).where(User.username == username, User.active.is_(True)))


def notices_of(s: Session, username: str, limit: int) -> list[Notification]:
    """An account's notifications, newest first."""
    return list(s.scalars(select(Notification).where(Notification.username == username)
                          .order_by(Notification.id.desc()).limit(limit)))


def unread_count(s: Session, username: str) -> int:
    return s.scalar(select(func.count()).select_from(Notification).where(
        Notification.username == username, Notification.read_at.is_(None))) or 0


def mark_read(s: Session, username: str) -> int:
    """Every unread notification of the account marked read; how many there were."""
    done = s.execute(update(Notification).where(Notification.username == username,
                                                Notification.read_at.is_(None)).values(read_at=utcnow()))
    return done.rowcount


def unmailed(s: Session, codes: Collection[str], limit: int) -> list[tuple[Notification, str, str]]:
    """Notifications of ``codes`` not mailed yet to active accounts with an e-mail address:
    (notification, e-mail, username), oldest first."""
    rows = s.execute(select(Notification, User.email, User.username).join(User, User.username == Notification.username)
                     .where(Notification.emailed_at.is_(None), User.email != "", User.active.is_(True),
                            Notification.code.in_(tuple(codes)))
                     .order_by(Notification.id).limit(limit)).all()
    return [(n, email, name) for n, email, name in rows]


def mark_mailed(s: Session, ids: Collection[int]) -> None:
    s.execute(update(Notification).where(Notification.id.in_(list(ids))).values(emailed_at=utcnow()))
