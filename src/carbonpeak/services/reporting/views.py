"""What the reporting pages show: a reporter's periods with their deadlines and status, the
reviewer's queue with the previous period beside each submission (jumps flagged), and the audit
chain of one period."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from ...domain import reporting as rules
from ...domain.reporting_texts import STATUS_NAMES, name
from ...store.models_reporting import ReportingObligation, ReportingSubmission
from ...store.queries import reporting as q
from .. import audit, permissions
from ..errors import NotFound
from ..platform import Platform
from ..users import Principal
from .attachments import AttachmentView, listed
from .obligations import fields_of, own

DUE_SOON_DAYS = 14


@dataclass(frozen=True)
class PeriodView:
    """One period of one obligation as a reporter or reviewer sees it (``id`` None: not started)."""
    code: str
    title: str
    department: str
    period: str
    due_on: date
    status: str
    status_name: str
    overdue: bool
    due_soon: bool
    fields: list[rules.FieldSpec]
    values: dict[str, Any]
    id: int | None = None
    version: int = 0
    note: str = ""
    reporter: str = ""
    submitted_at: datetime | None = None
    reviewer: str = ""
    review_comment: str = ""
    illustrative: bool = False
    unit: str = ""  # the key unit's USCC (its own obligation: the 205-1 form)
    previous_period: str = ""
    previous: dict[str, Any] = field(default_factory=dict)
    flagged: list[str] = field(default_factory=list)
    attachments: list[AttachmentView] = field(default_factory=list)


def _period(ob: ReportingObligation, period: str, sub: ReportingSubmission | None, today: date,
            lang: str, files: dict[int, list[AttachmentView]] | None = None) -> PeriodView:
    due = sub.due_on if sub else rules.due_on(ob.period_kind, period, ob.due_days)
    status = sub.status if sub else "open"
    late = status not in ("submitted", "approved") and due < today
    soon = status not in ("submitted", "approved") and today <= due <= date.fromordinal(today.toordinal() + DUE_SOON_DAYS)
    base = {"code": ob.code, "title": ob.title, "department": ob.department, "period": period, "due_on": due,
            "status": status, "status_name": name(STATUS_NAMES, status, lang), "overdue": late, "due_soon": soon,
            "fields": fields_of(ob), "values": dict(sub.values or {}) if sub else {}, "illustrative": ob.illustrative,
            "unit": ob.unit_uscc or ""}
    if sub is None:
        return PeriodView(**base)
    return PeriodView(**base, id=sub.id, version=sub.version, note=sub.note, reporter=sub.reporter,
                      submitted_at=rules.aware(sub.submitted_at), reviewer=sub.reviewer, review_comment=sub.review_comment,
                      attachments=(files or {}).get(sub.id, []))


def periods(platform: Platform, who: Principal, today: date | None = None, lang: str = "zh",
            most: int = 6, open_only: bool = False) -> list[PeriodView]:
    """The obligations ``who`` reports (reviewers and viewers: all), each with its latest ``most``
    periods (the one under way included), earliest deadline first."""
    permissions.require(who, "reporting.read")
    with platform.sessions() as s:
        return periods_in(s, who, today or date.today(), lang, most, open_only)


def periods_in(s: q.Session, who: Principal, today: date, lang: str = "zh", most: int = 6,
               open_only: bool = False) -> list[PeriodView]:
    """:func:`periods` in the caller's session (``who`` allowed to read)."""
    obs = q.active_obligations(s, own(who))
    subs = {(x.obligation_id, x.period): x for x in q.submissions_of(s, [o.id for o in obs])}
    files = listed(s, [x.id for x in subs.values()])
    out = [_period(o, p, subs.get((o.id, p)), today, lang, files)
           for o in obs for p in rules.periods_due(o.period_kind, o.first_period, today, most)]
    if open_only:
        out = [v for v in out if v.status != "approved"]
    return sorted(out, key=lambda v: (v.due_on, v.code))


def _previous(s: q.Session, periods: list[tuple[ReportingObligation, str]]) -> list[tuple[str, dict[str, Any]]]:
    """Per (obligation, period): the period before and its approved values, else for a yearly
    target the value observed that year, else none. Two queries for a whole queue."""
    prev = [rules.shift(ob.period_kind, period, -1) for ob, period in periods]
    seen = [(ob.plan_code, ob.subject, int(p)) if ob.kind == "target" and ob.period_kind == "year" else None
            for (ob, _), p in zip(periods, prev)]  # where an observation may stand in
    approved = q.approved_values(s, {(ob.id, p) for (ob, _), p in zip(periods, prev)})
    observed = q.observed_values(s, {k for (ob, _), p, k in zip(periods, prev, seen)
                                     if k is not None and (ob.id, p) not in approved})
    out = []
    for (ob, _), p, k in zip(periods, prev, seen):
        if (ob.id, p) in approved:
            out.append((p, approved[(ob.id, p)]))
        elif k in observed:
            out.append((p, {"value": observed[k]}))
        else:
            out.append((p, {}))
    return out


def review_queue(platform: Platform, who: Principal, today: date | None = None, lang: str = "zh",
                 status: str = "submitted") -> list[PeriodView]:
    """The submissions awaiting review (or in ``status``), each with the previous period's approved
    values beside it and the fields that jump by more than half flagged."""
    permissions.require(who, "reporting.read")
    today = today or date.today()
    with platform.sessions() as s:
        rows = q.review_rows(s, status, own(who), limit=500)
        out, files = [], listed(s, [sub.id for sub, _ in rows])
        for (sub, ob), (prev, values) in zip(rows, _previous(s, [(ob, sub.period) for sub, ob in rows])):
            v = _period(ob, sub.period, sub, today, lang, files)
            out.append(PeriodView(**{**v.__dict__, "previous_period": prev, "previous": values,
                                     "flagged": rules.jumps(fields_of(ob), sub.values, values)}))
    return out


def one(platform: Platform, who: Principal, code: str, period: str, today: date | None = None,
        lang: str = "zh") -> PeriodView:
    """One period of one obligation (for those who may see it), with its previous period."""
    permissions.require(who, "reporting.read")
    with platform.sessions() as s:
        ob = q.obligation(s, code, own(who))
        if ob is None:
            raise NotFound(f"没有填报任务{code} / no obligation {code}")
        sub = q.submission(s, ob.id, period)
        v = _period(ob, period, sub, today or date.today(), lang, listed(s, [sub.id] if sub else []))
        [(prev, values)] = _previous(s, [(ob, period)])
    return PeriodView(**{**v.__dict__, "previous_period": prev, "previous": values,
                         "flagged": rules.jumps(v.fields, v.values, values)})


def chain(platform: Platform, who: Principal, code: str, period: str) -> list[audit.AuditRecord]:
    """The audit entries of one period, oldest first: who did what, when, before and after. The
    reviewers see every period's chain (they review them all); others what the audit scope gives."""
    scope = audit.SYSTEM if permissions.may_review(who) else who
    return list(reversed(audit.history(platform, "reporting_submissions", f"{code}|{period}", principal=scope)))
