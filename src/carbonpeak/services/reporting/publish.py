"""What an approved submission writes, by the obligation's kind (the one place approved values
leave the reporting tables; nothing is written before approval):

- ``target``: the target observation (submissions._publish);
- ``form_205_1``: the unit's 205-1 rows (``energy_reports_205_1``, the table the 205-1 import
  writes and the monitoring checks and energy supervision read), one per carrier, upserted on
  unit, year, month and carrier and audited, in the approval's transaction;
- ``task``: the task's status and progress note (``plan_tasks``, what the task board, the dispatch
  report and the assessment read), audited, in the approval's transaction;
- ``project``: a project progress row through services/project_progress.record_progress (its one
  writer), checked before the approval (a dry run) and written right after it commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from ...store.models import EnergyReport
from ...store.models_reporting import ReportingObligation, ReportingSubmission
from ...store.queries import reporting as q
from ...store.queries.reporting import Session
from .. import audit, imports
from ..platform import Platform
from ..project_progress import ProgressEntry, record_progress
from ..users import Principal


def source(ob: ReportingObligation, who: Principal) -> str:
    return f"填报：{ob.department}；审核：{who.display_name or who.username}（{date.today().isoformat()}）"


def in_session(s: Session, ob: ReportingObligation, sub: ReportingSubmission, who: Principal) -> None:
    """The writes of the approval's own transaction (205-1 rows, task progress)."""
    if ob.kind == "form_205_1":
        _energy_report(s, ob, sub, who)
    elif ob.kind == "task":
        _task(s, ob, sub, who)


def _energy_report(s: Session, ob: ReportingObligation, sub: ReportingSubmission, who: Principal) -> None:
    unit_id = q.unit_id(s, ob.unit_uscc)
    if unit_id is None:
        return  # the unit left the registry: nothing to write it to (the values stay in the submission)
    year, month = int(sub.period[:4]), int(sub.period[5:7])
    units = {f["name"]: f["unit"] for f in ob.fields}
    recs = [{"unit_id": unit_id, "year": year, "month": month, "carrier": name, "unit": units[name],
             "consumption": float(v), "source": source(ob, who),
             "illustrative": bool(ob.illustrative)} for name, v in (sub.values or {}).items() if v is not None]
    _, touched, _ = imports.upsert(s, EnergyReport, ("unit_id", "year", "month", "carrier"), recs, who.username)
    for row in touched:
        row.owner = row.owner or ob.department


def task_progress(ob: ReportingObligation, values: dict[str, Any]) -> tuple[str, int, int]:
    """The task's status from a period's report: done when every milestone is or completion is 100 %."""
    milestones = [f["name"] for f in ob.fields if f["unit"] == "是/否"]
    done = sum(1 for m in milestones if (values.get(m) or 0) >= 1)
    pct = values.get("completion_pct") or 0
    if (milestones and done == len(milestones)) or pct >= 100:
        return "done", done, len(milestones)
    return ("in_progress" if done or pct > 0 else "not_started"), done, len(milestones)


def _task(s: Session, ob: ReportingObligation, sub: ReportingSubmission, who: Principal) -> None:
    t = q.task(s, ob.subject)
    if t is None:
        return
    status, done, n = task_progress(ob, sub.values or {})
    pct = sub.values.get("completion_pct")
    note = (f"{sub.period}：里程碑完成{done}/{n}" + (f"，完成进度{pct:g}%" if pct is not None else "")
            + f"（{source(ob, who)}）")
    after = {"status": status, "progress_note": note}
    before = {k: getattr(t, k) for k in after}
    if before != after:
        for k, v in after.items():
            setattr(t, k, v)
        audit.record(s, who.username, "plan_tasks", t.code, "update", before, after)


def progress_entry(ob: ReportingObligation, period: str, values: dict[str, Any]) -> ProgressEntry:
    pct = values.get("completion_pct") or 0
    status = "completed" if pct >= 100 else "under_construction" if pct > 0 else "planned"
    unit = next((f["unit"] for f in ob.fields if f["name"] == "quantity"), "")
    return ProgressEntry(ob.subject, int(period[:4]), values.get("quantity"), unit if values.get("quantity") is not None
                         else "", values.get("investment_wan"), status, f"填报：{ob.department}",
                         f"完成进度{pct:g}%", bool(ob.illustrative))


@dataclass(frozen=True)
class ProjectWrite:
    """A project progress row to write once the approval has committed (record_progress's own transaction)."""
    entry: ProgressEntry
    file: str
    plan_code: str
    actor: str


def project_write(ob: ReportingObligation, period: str, values: dict[str, Any], who: Principal) -> ProjectWrite:
    entry = progress_entry(ob, period, values)
    return ProjectWrite(ProgressEntry(**{**entry.__dict__, "source": source(ob, who)}), f"{ob.code} {period}",
                        ob.plan_code, who.username)


def check_project(platform: Platform, w: ProjectWrite) -> None:
    """Refuse (InputRejected, naming the field) what record_progress would refuse, before approving."""
    record_progress(platform, [w.entry], w.actor, w.file, dry_run=True, plan_code=w.plan_code)


def write_project(platform: Platform, w: ProjectWrite) -> None:
    record_progress(platform, [w.entry], w.actor, w.file, plan_code=w.plan_code)


def precheck(platform: Platform, submission_id: int, who: Principal) -> None:
    """Before approving: a project's progress is checked as its writer would (nothing written)."""
    with platform.sessions() as s:
        sub = s.get(ReportingSubmission, submission_id)
        ob = s.get(ReportingObligation, sub.obligation_id) if sub is not None else None
        w = project_write(ob, sub.period, dict(sub.values or {}), who) if ob is not None and ob.kind == "project" else None
    if w is not None:
        check_project(platform, w)
