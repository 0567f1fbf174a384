"""Each account's notifications (站内通知): a submission to review, a return or an approval, a
deadline coming or passed. Texts are rendered from the catalogue in the reader's language; the
``key`` keeps one notification per account and event (a reminder run twice adds nothing)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ...domain.messages import render
from ...domain.reporting import REVIEW_DEPARTMENT, aware
from ...store.models import utcnow
from ...store.models_reporting import Notification, ReportingObligation, ReportingSubmission
from ...store.queries import reporting_notices as q
from ...store.queries.reporting import Session
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
    if q.has_notice(s, username, key):
        return False
    s.add(Notification(username=username, key=key[:160], code=code, params=params, link=link))
    return True


def reviewers(s: Session) -> list[str]:
    return q.reviewer_accounts(s, REVIEW_DEPARTMENT)


def reporters(s: Session, ob: ReportingObligation) -> list[str]:
    """The accounts that enter an obligation: its department's editors, or its unit's account."""
    return q.reporter_accounts(s, ob.unit_uscc, ob.department)


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
    account = q.active_account(s, sub.reporter)
    for name in {account, *reporters(s, ob)} - {None, ""}:
        add(s, name, f"{code}|{ob.code}|{sub.period}|{stamp}", code, _params(ob, sub.period, comment=comment),
            LINK_ENTRY)


def list_for(platform: Platform, who: Principal, lang: str = "zh", limit: int = 100) -> list[NoticeView]:
    with platform.sessions() as s:
        rows = q.notices_of(s, who.username, limit)
    return [NoticeView(r.id, render(r.code, r.params, lang), r.link, aware(r.created_at), r.read_at is not None) for r in rows]


def unread(platform: Platform, who: Principal) -> int:
    with platform.sessions() as s:
        return q.unread_count(s, who.username)


def mark_read(platform: Platform, who: Principal) -> int:
    """Every notification of the account marked read; returns how many were unread."""
    with platform.sessions.begin() as s:
        return q.mark_read(s, who.username)
