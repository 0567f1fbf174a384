"""Each account's notifications (站内通知): a submission to review, a return or an approval, a
deadline coming or passed. Texts are rendered from the catalogue in the reader's language; the
``key`` keeps one notification per account and event (a reminder run twice adds nothing)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from ...domain.messages import render
from ...domain.reporting import REVIEW_DEPARTMENT, aware
from ...store.models import User, utcnow
from ...store.models_reporting import Notification, ReportingObligation, ReportingSubmission
from ..platform import Platform
from ..users import Principal

LINK_ENTRY, LINK_REVIEW = "/reporting", "/reporting/review"


@dataclass(frozen=True)
class NoticeView:
    id: int
    text: str
    link: str
    created_at: datetime
    read: bool


def add(s: Session, username: str, key: str, code: str, params: dict, link: str) -> bool:
    """One notification, unless the account already has the one with this ``key``."""
    if s.scalar(select(Notification.id).where(Notification.username == username, Notification.key == key)):
        return False
    s.add(Notification(username=username, key=key[:160], code=code, params=params, link=link))
    return True


def reviewers(s: Session) -> list[str]:
    return list(s.scalars(select(User.username).where(User.active.is_(True), or_(
        User.role == "admin", (User.role == "dept_editor") & (User.department == REVIEW_DEPARTMENT)))))


def reporters(s: Session, ob: ReportingObligation) -> list[str]:
    """The accounts that enter an obligation: its department's editors, or its unit's account."""
    q = select(User.username).where(User.active.is_(True))
    q = q.where(User.enterprise == ob.unit_uscc) if ob.unit_uscc else q.where(
        User.role == "dept_editor", User.department == ob.department)
    return list(s.scalars(q))


def _params(ob: ReportingObligation, period: str, **more) -> dict:
    return {"title": ob.title, "period": period, "department": ob.department, **more}


def to_reviewers(s: Session, ob: ReportingObligation, period: str, who: Principal) -> None:
    stamp = utcnow().isoformat(timespec="seconds")
    for name in reviewers(s):
        if name != who.username:
            add(s, name, f"submitted|{ob.code}|{period}|{stamp}", "reporting.notice.submitted",
                _params(ob, period), LINK_REVIEW)


def to_reporter(s: Session, ob: ReportingObligation, sub: ReportingSubmission, approved: bool, comment: str) -> None:
    code = "reporting.notice.approved" if approved else "reporting.notice.returned"
    stamp = utcnow().isoformat(timespec="seconds")
    account = s.scalar(select(User.username).where(User.username == sub.reporter, User.active.is_(True)))
    for name in {account, *reporters(s, ob)} - {None, ""}:
        add(s, name, f"{code}|{ob.code}|{sub.period}|{stamp}", code, _params(ob, sub.period, comment=comment),
            LINK_ENTRY)


def list_for(platform: Platform, who: Principal, lang: str = "zh", limit: int = 100) -> list[NoticeView]:
    with platform.sessions() as s:
        rows = s.scalars(select(Notification).where(Notification.username == who.username)
                         .order_by(Notification.id.desc()).limit(limit)).all()
    return [NoticeView(r.id, render(r.code, r.params, lang), r.link, aware(r.created_at), r.read_at is not None) for r in rows]


def unread(platform: Platform, who: Principal) -> int:
    with platform.sessions() as s:
        return s.scalar(select(func.count()).select_from(Notification).where(
            Notification.username == who.username, Notification.read_at.is_(None))) or 0


def mark_read(platform: Platform, who: Principal) -> int:
    """Every notification of the account marked read; returns how many were unread."""
    with platform.sessions.begin() as s:
        done = s.execute(update(Notification).where(Notification.username == who.username,
                                                    Notification.read_at.is_(None)).values(read_at=utcnow()))
        return done.rowcount
