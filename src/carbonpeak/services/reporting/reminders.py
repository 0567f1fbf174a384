"""调度: due-soon and overdue periods per department and unit, punctuality, the reminders (an
in-app notification to each reporting account, and an e-mail when an SMTP server is configured),
and the overdue list as XLSX for the leading group's meeting.

A reminder is kept once per account, period and kind (due soon, overdue): running the reminders
again notifies and mails nothing new. E-mails go out at most ``MAX_MAILS`` per run, in the
caller's thread (routes run it in the thread pool); a mail the server refuses stays unsent and is
tried again at the next run.
"""

from __future__ import annotations

import io
import smtplib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from email.message import EmailMessage

from ...domain.messages import render
from ...store.models_reporting import Notification, ReportingObligation
from ...store.queries import reporting as q
from ...store.queries import reporting_notices as nq
from ...store.queries.reporting import Session
from ...tabular import neutralise_row
from .. import permissions
from ..platform import Platform
from ..users import Principal
from . import notices
from .punctuality import MOST, Punctuality, tally, unit_names
from .views import PeriodView, periods_in

MAX_MAILS = 200
SUBJECT = ("【碳峰】统计填报提醒", "[CarbonPeak] reporting reminder")


@dataclass(frozen=True)
class Dispatch:
    as_of: date
    due_soon: list[PeriodView]
    overdue: list[PeriodView]
    punctuality: list[Punctuality] = field(default_factory=list)


@dataclass(frozen=True)
class ReminderRun:
    notified: int
    emailed: int
    failed: list[str] = field(default_factory=list)  # accounts whose mail the server refused


def dispatch(platform: Platform, who: Principal, today: date | None = None, lang: str = "zh",
             start: date | None = None, end: date | None = None) -> Dispatch:
    """The lists of the dispatch meeting, for the obligations ``who`` may see; punctuality of the
    periods due in [start, end] (default: the latest twelve periods of each obligation)."""
    permissions.require(who, "reporting.read")
    with platform.sessions() as s:
        return _dispatch(s, who, today or date.today(), lang, start, end)


def _dispatch(s: Session, who: Principal, today: date, lang: str = "zh", start: date | None = None,
              end: date | None = None) -> Dispatch:
    rows = periods_in(s, who, today, lang, most=MOST if start or end else 12)
    punctual = tally(rows, today, start, end, unit_names(s))
    return Dispatch(today, [v for v in rows if v.due_soon], [v for v in rows if v.overdue], punctual)


def _remind(s: Session, v: PeriodView, ob: ReportingObligation, kind: str) -> int:
    code = f"reporting.notice.{kind}"
    params = {"title": v.title, "period": v.period, "department": v.department, "due": v.due_on.isoformat()}
    return sum(notices.add(s, name, f"{kind}|{v.code}|{v.period}", code, params, notices.LINK_ENTRY)
               for name in notices.reporters(s, ob))


def remind(platform: Platform, who: Principal, today: date | None = None) -> ReminderRun:
    """Notify the reporting accounts of every period due soon or overdue, then mail what is unsent."""
    permissions.require(who, "reporting.manage")
    permissions.require(who, "reporting.read")
    added = 0
    with platform.sessions.begin() as s:  # the lists and the notifications: one transaction
        found = _dispatch(s, who, today or date.today())
        obs = {o.code: o for o in q.obligations(s)}
        for kind, rows in (("due_soon", found.due_soon), ("overdue", found.overdue)):
            added += sum(_remind(s, v, obs[v.code], kind) for v in rows)
    sent, failed = send_mails(platform) if platform.settings.smtp else (0, [])
    return ReminderRun(added, sent, failed)


def send_mails(platform: Platform) -> tuple[int, list[str]]:
    """Mail the unsent reminders of accounts with an e-mail address, one message per account; each
    account's reminders are marked mailed (committed) as soon as its message is sent."""
    smtp = platform.settings.smtp
    with platform.sessions() as s:
        rows = nq.unmailed(s, ("reporting.notice.due_soon", "reporting.notice.overdue"), MAX_MAILS)
        s.commit()  # no transaction stays open while the server is talked to
        return _send(smtp, s, rows)


def _send(smtp, s: Session, rows: list[tuple[Notification, str, str]]) -> tuple[int, list[str]]:
    by_account: dict[tuple[str, str], list[Notification]] = defaultdict(list)
    for n, email, name in rows:
        by_account[(name, email)].append(n)
    sent, failed = 0, []
    with smtplib.SMTP(smtp.host, smtp.port, timeout=20) as server:
        if smtp.starttls:
            server.starttls()
        if smtp.user:
            server.login(smtp.user, smtp.password or "")
        for (name, email), notes in by_account.items():
            try:
                server.send_message(_message(smtp.sender, email, notes))
            except smtplib.SMTPException:
                failed.append(name)
                continue
            nq.mark_mailed(s, [n.id for n in notes])
            s.commit()
            sent += 1
    return sent, failed


def _message(sender: str, to: str, notes: list[Notification]) -> EmailMessage:
    m = EmailMessage()
    m["From"], m["To"], m["Subject"] = sender, to, f"{SUBJECT[0]} {SUBJECT[1]}"
    lines = [render(n.code, n.params, "zh") for n in notes] + [""] + [render(n.code, n.params, "en") for n in notes]
    m.set_content("\n".join(lines) + "\n\n请登录平台“统计填报”页面报送。 / Sign in and open Reporting to submit.\n")
    return m


OVERDUE_HEADERS = (("责任单位", "department"), ("填报任务", "obligation"), ("报告期", "period"),
                   ("截止日期", "due"), ("逾期天数", "days overdue"), ("状态", "status"))


def overdue_xlsx(platform: Platform, who: Principal, today: date | None = None, lang: str = "zh") -> bytes:
    """The overdue list, by department, as a workbook for the leading group's meeting."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    found = dispatch(platform, who, today, lang)
    wb = Workbook()
    ws = wb.active
    ws.title = "逾期未报" if lang != "en" else "Overdue"
    ws.append([h[1] if lang == "en" else h[0] for h in OVERDUE_HEADERS])
    for c in ws[1]:
        c.font = Font(bold=True)
    for v in sorted(found.overdue, key=lambda x: (x.department, x.due_on)):
        ws.append(neutralise_row([v.department, v.title, v.period, v.due_on.isoformat(),
                                  (found.as_of - v.due_on).days, v.status_name]))
    for col, width in zip("ABCDEF", (28, 40, 10, 12, 10, 16)):
        ws.column_dimensions[col].width = width
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
