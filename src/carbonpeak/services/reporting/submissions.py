"""Entering (填报) and reviewing (审核) one period of an obligation.

draft ⇄ draft → submitted → approved, or → returned (with a comment) → submitted again. Every step
is one transaction with an audit entry (who, when, before, after). A change names the version it
was made on: the conditional UPDATE matches no row when another change came first, so of two
reviewers acting on one submission one wins and the other is told. Submitting the same values
twice changes nothing. Only an approval writes the value where accounting, the barometer, reports
and open data read it (``target_observations``), in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from ...domain import reporting as rules
from ...domain.findings import InputIssue
from ...domain.reporting_texts import STATUS_NAMES, name
from ...store.models import TargetObservation, utcnow
from ...store.models_reporting import ReportingObligation, ReportingSubmission
from ...store.queries import reporting as q
from ...store.queries.reporting import Session
from .. import audit, imports, permissions
from ..errors import Conflict, InputRejected, NotFound
from ..platform import Platform
from ..users import Principal
from . import atomic, freeze, notices, publish
from .obligations import fields_of, get

ENTITY = "reporting_submissions"


@dataclass(frozen=True)
class EntryIn:
    code: str  # the obligation
    period: str
    values: dict[str, Any]
    units: dict[str, str] | None = None
    note: str = ""


@dataclass(frozen=True)
class Saved:
    id: int
    code: str
    period: str
    status: str
    version: int
    changed: bool  # False: the same values were already submitted (nothing written)


def _issue(code: str, column: str | None, **params) -> InputIssue:
    return InputIssue(code, rules.FORM, None, column, params)


def _state(sub: ReportingSubmission | None, ob: ReportingObligation) -> dict[str, Any] | None:
    if sub is None:
        return None
    return {"status": sub.status, "version": sub.version, **dict(sub.values or {}), "note": sub.note,
            "review_comment": sub.review_comment, "department": ob.department}  # the fields' values flat, by name


def _changed(s: Session, sub: ReportingSubmission, version: int, allowed: tuple[str, ...], **changes: Any) -> bool:
    """The conditional UPDATE: applied only when the row is still at ``version`` in one of the
    ``allowed`` statuses; True when it was."""
    return q.change_if_at(s, sub.id, version, allowed, **changes)


def _conflict(status: str, by: str) -> Conflict:
    zh, en = STATUS_NAMES.get(status, (status, status))
    who = f"（{by}）" if by else ""
    return Conflict(f"该期数据已被他人处理，当前状态：{zh}{who}，请刷新后查看 / someone else acted first: "
                    f"the submission is now {en}{' (' + by + ')' if by else ''}; reload to see it")


def _checked(ob: ReportingObligation, entry: EntryIn, complete: bool) -> dict[str, float | None]:
    bad = rules.period_issue(ob.period_kind, entry.period)
    if bad is None and entry.period < ob.first_period:
        bad = _issue("reporting.bad_period", "period", value=entry.period, expected=f"≥ {ob.first_period}")
    clean, issues = rules.check_values(fields_of(ob), entry.values, entry.units, complete=complete)
    issues = ([bad] if bad else []) + issues
    if issues:
        raise InputRejected(issues)
    return clean


def save(platform: Platform, who: Principal, entry: EntryIn, submit: bool = False) -> Saved:
    """Save a draft, or submit (``submit``): refused as a whole, naming each field, when a value
    is not a number, outside its range or in another unit; nothing is saved then."""
    with platform.sessions.begin() as s:
        ob = get(s, entry.code)
        permissions.require_submit(who, ob.department, ob.unit_uscc)
        clean = _checked(ob, entry, submit)
        sub = q.submission(s, ob.id, entry.period)
        if sub is None:
            sub = ReportingSubmission(obligation_id=ob.id, period=entry.period, values={}, status="draft", version=1,
                                      due_on=rules.due_on(ob.period_kind, entry.period, ob.due_days),
                                      illustrative=ob.illustrative, reporter=who.username)
            s.add(sub)
            s.flush()
        before = _state(sub, ob)
        if sub.status == "submitted" and submit and sub.values == clean and sub.note == entry.note:
            return Saved(sub.id, ob.code, sub.period, sub.status, sub.version, False)  # submitted twice: nothing
        if sub.status not in rules.EDITABLE:
            raise InputRejected([_issue("reporting.not_editable", None, status=name(STATUS_NAMES, sub.status))])
        status = "submitted" if submit else sub.status
        extra = {"submitted_at": utcnow(), "reporter": who.username} if submit else {}
        if not _changed(s, sub, sub.version, rules.EDITABLE, values=clean, note=entry.note, status=status, **extra):
            raise _conflict(*_now(s, sub.id))
        after = {**before, "status": status, **clean, "note": entry.note, "version": sub.version + 1}
        audit.record(s, who.username, ENTITY, f"{ob.code}|{entry.period}", "submit" if submit else "draft",
                     before, after)
        if submit:
            notices.to_reviewers(s, ob, entry.period, who)
        return Saved(sub.id, ob.code, entry.period, status, sub.version + 1, True)


def _now(s: Session, sub_id: int) -> tuple[str, str]:
    return q.status_of(s, sub_id)


def review(platform: Platform, who: Principal, submission_id: int, version: int, approve: bool,
           comment: str = "") -> Saved:
    """Approve (the value reaches the target observations) or return with a comment. ``version``
    is the one the reviewer saw: a second reviewer acting on the same version is refused. An
    approval, the project progress it records and the next version of a frozen year it corrects
    are one transaction (a project's progress checked first, within it): if any of them fails,
    none is written."""
    if not approve and not comment.strip():
        raise InputRejected([_issue("reporting.comment_needed", "comment")])
    with atomic.one_transaction(platform) as tp:
        if approve:
            publish.precheck(tp, submission_id, who)
        done, later, title, frozen = _decide(tp, who, submission_id, version, approve, comment)
        if later is not None:  # a project's progress: through its one writer
            publish.write_project(tp, later)
        if frozen:  # a correction of a frozen year: its next version
            freeze.add_version(tp, who.username, int(done.period[:4]),
                               f"更正：{title} {done.period}（审核：{who.username}）")
    return done


def _decide(platform: Platform, who: Principal, submission_id: int, version: int, approve: bool,
            comment: str) -> tuple[Saved, publish.ProjectWrite | None, str, bool]:
    """The review's own writes: the status, the published value, the audit entry, the notice; with
    the obligation's title (how a reader is told which one: its code is internal) and whether an
    approval corrects a frozen year."""
    later = None
    with platform.sessions.begin() as s:
        sub = s.get(ReportingSubmission, submission_id)
        if sub is None:
            raise NotFound(f"没有该填报记录 / no submission {submission_id}")
        ob = s.get(ReportingObligation, sub.obligation_id)
        permissions.require_review(who, sub.reporter)
        before = _state(sub, ob)
        status = "approved" if approve else "returned"
        if not _changed(s, sub, version, ("submitted",), status=status, reviewer=who.username,
                        reviewed_at=utcnow(), review_comment=comment):
            now, by = _now(s, sub.id)
            if now == "submitted":  # the version moved on (the reporter changed it): reload
                raise _conflict(now, "")
            raise _conflict(now, by)
        if approve:
            _publish(s, ob, sub, who)
            later = publish.project_write(ob, sub.period, dict(sub.values), who) if ob.kind == "project" else None
        audit.record(s, who.username, ENTITY, f"{ob.code}|{sub.period}", "approve" if approve else "return",
                     before, {**before, "status": status, "review_comment": comment, "version": version + 1})
        notices.to_reporter(s, ob, sub, approve, comment)
        frozen = approve and freeze.is_frozen(s, int(sub.period[:4]))
        return Saved(sub.id, ob.code, sub.period, status, version + 1, True), later, ob.title, frozen


def _publish(s: Session, ob: ReportingObligation, sub: ReportingSubmission, who: Principal) -> None:
    """The approved value into ``target_observations`` (audited by the upsert, owned by the
    obligation's department when new)."""
    if ob.kind != "target":
        publish.in_session(s, ob, sub, who)
        return
    if sub.values.get("value") is None:
        return
    source = f"填报：{ob.department}；审核：{who.display_name or who.username}（{date.today().isoformat()}）"
    rec = {"plan_code": ob.plan_code, "target_code": ob.subject, "year": int(sub.period[:4]),
           "value": float(sub.values["value"]), "source": source, "illustrative": bool(ob.illustrative)}
    _, touched, _ = imports.upsert(s, TargetObservation, ("plan_code", "target_code", "year"), [rec], who.username)
    for row in touched:
        row.owner = row.owner or ob.department


def reopen(platform: Platform, who: Principal, submission_id: int, version: int, comment: str) -> Saved:
    """A correction after approval: the reviewer sends an approved period back to the reporter
    (the value already published stays until the corrected one is approved)."""
    if not comment.strip():
        raise InputRejected([_issue("reporting.comment_needed", "comment")])
    with platform.sessions.begin() as s:
        sub = s.get(ReportingSubmission, submission_id)
        if sub is None:
            raise NotFound(f"没有该填报记录 / no submission {submission_id}")
        ob = s.get(ReportingObligation, sub.obligation_id)
        permissions.require_review(who, "")
        before = _state(sub, ob)
        if not _changed(s, sub, version, ("approved",), status="returned", reviewer=who.username,
                        reviewed_at=utcnow(), review_comment=comment):
            raise _conflict(*_now(s, sub.id))
        audit.record(s, who.username, ENTITY, f"{ob.code}|{sub.period}", "return", before,
                     {**before, "status": "returned", "review_comment": comment, "version": version + 1})
        notices.to_reporter(s, ob, sub, False, comment)
        return Saved(sub.id, ob.code, sub.period, "returned", version + 1, True)
