"""Statistical reporting routes (统计报表制度): obligations, entry (web form or the Excel form),
review, the audit chain of a period, and each account's notifications. services/reporting decides."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, Response
from pydantic import BaseModel, Field

from ..domain.supervision import EVIDENCE_MAX_BYTES
from ..services import audit, permissions
from ..services import reporting as rep
from ..services.reporting.forms import form_xlsx, read_form
from ..services.reporting.obligations import fields_of, get
from ..services.users import Principal
from .contract import IsoDate
from .deps import LangDep, PlatformDep, SignedIn, allowed
from .uploads import receive_upload

router = APIRouter(prefix="/api", tags=["reporting"])
Manager = Annotated[Principal, Depends(allowed("reporting.manage"))]
Reporter = Annotated[Principal, Depends(allowed("reporting.submit"))]
Reviewer = Annotated[Principal, Depends(allowed("reporting.review"))]
Reader = Annotated[Principal, Depends(allowed("reporting.read"))]
Code = Annotated[str, Path(max_length=40, description="the obligation's code, e.g. OBL-T08")]
Period = Annotated[str, Path(max_length=8, description="YYYY, YYYY-Qn or YYYY-MM")]
RowId = Annotated[int, Path(ge=1, le=2**31 - 1)]
Text = Annotated[str, Field(max_length=2000)]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ObligationBody(BaseModel):
    code: Annotated[str, Field(max_length=40)]
    subject: Annotated[str, Field(max_length=64, description="the target's code")]
    department: Annotated[str, Field(max_length=100)]
    first_period: Annotated[str | None, Field(max_length=8)] = None
    due_days: Annotated[int, Field(ge=0, le=366)] = 90
    title: Annotated[str, Field(max_length=200)] = ""
    unit_uscc: Annotated[str | None, Field(max_length=18)] = None
    low: float | None = None
    high: float | None = None
    note: Text = ""


class EntryBody(BaseModel):
    values: Annotated[dict[Annotated[str, Field(max_length=40)], float | str | None], Field(max_length=50)]
    units: Annotated[dict[Annotated[str, Field(max_length=40)], Annotated[str, Field(max_length=20)]],
                     Field(max_length=50)] = {}
    note: Text = ""
    submit: bool = False


class ReviewBody(BaseModel):
    version: Annotated[int, Field(ge=1, le=2**31 - 1)]
    approve: bool
    comment: Text = ""


class ReopenBody(BaseModel):
    version: Annotated[int, Field(ge=1, le=2**31 - 1)]
    comment: Text


class ReadOut(BaseModel):
    marked: int


# --- obligations ------------------------------------------------------------------------------

@router.get("/reporting/obligations", response_model=list[rep.ObligationView])
def obligations(p: PlatformDep, lg: LangDep, who: Reader):
    """A department's editor or an enterprise: its own obligations; reviewers and viewers: all."""
    return rep.list_obligations(p, who, lg)


@router.post("/reporting/obligations", response_model=rep.ObligationView)
def create_obligation(p: PlatformDep, lg: LangDep, who: Manager, body: ObligationBody):
    """A new obligation; an unknown department or a first deadline already past is refused."""
    return rep.create(p, who, rep.ObligationIn(**body.model_dump()), lang=lg)


@router.post("/reporting/obligations/defaults", response_model=rep.DefaultsResult)
def default_obligations(p: PlatformDep, who: Manager):
    """One yearly obligation per target the plan has reported by a department (kept if present)."""
    return rep.generate_defaults(p, who)


class GenerateBody(BaseModel):
    kind: Literal["all", "form_205_1", "project", "task"] = "all"


class Range(BaseModel):
    """A field's bounds: finite numbers or none (NaN and ±∞ are refused, naming the field)."""
    low: Annotated[float | None, Field(allow_inf_nan=False)] = None
    high: Annotated[float | None, Field(allow_inf_nan=False)] = None


class EditBody(BaseModel):
    due_days: Annotated[int | None, Field(ge=0, le=366)] = None
    period_kind: Literal["year", "quarter", "month"] | None = None
    first_period: Annotated[str | None, Field(max_length=8)] = None
    department: Annotated[str | None, Field(max_length=100)] = None
    title: Annotated[str | None, Field(max_length=200)] = None
    ranges: Annotated[dict[Annotated[str, Field(max_length=40)], Range], Field(max_length=60)] = {}


@router.post("/reporting/obligations/generate", response_model=rep.Generated)
def generate_obligations(p: PlatformDep, who: Manager, body: GenerateBody):
    """The key units' monthly 205-1 forms, project progress and task progress obligations from the
    plan and the registries (``kind``: all or one of them); those present are kept."""
    return rep.generate_kinds(p, who, rep.KINDS if body.kind == "all" else (body.kind,))


@router.patch("/reporting/obligations/{code}", response_model=rep.ObligationView)
def edit_obligation(p: PlatformDep, lg: LangDep, who: Manager, code: Code, body: EditBody):
    """Change the deadline rule, period, owner department, title or field ranges (administrators;
    audited). An unknown department, or a past first deadline of an obligation not yet reported, is refused."""
    change = rep.ObligationChange(body.due_days, body.period_kind, body.first_period, body.department, body.title,
                                  {k: (r.low, r.high) for k, r in body.ranges.items()} or None)
    return rep.edit_obligation(p, who, code, change, lang=lg)


# --- entry ------------------------------------------------------------------------------------

@router.get("/reporting/periods", response_model=list[rep.PeriodView])
def periods(p: PlatformDep, lg: LangDep, who: Reader, open_only: Annotated[bool, Query()] = False):
    """The periods of my obligations with their deadlines and status, earliest deadline first."""
    return rep.periods(p, who, lang=lg, open_only=open_only)


@router.get("/reporting/obligations/{code}/{period}", response_model=rep.PeriodView)
def period(p: PlatformDep, lg: LangDep, who: Reader, code: Code, period: Period):
    return rep.one(p, who, code, period, lang=lg)


@router.post("/reporting/obligations/{code}/{period}", response_model=rep.Saved)
def enter(p: PlatformDep, who: Reporter, code: Code, period: Period, body: EntryBody):
    """Save a draft, or submit (``submit``). A refused value names its field; nothing is saved."""
    return rep.save(p, who, rep.EntryIn(code, period, body.values, body.units, body.note), submit=body.submit)


@router.get("/reporting/obligations/{code}/{period}/form.xlsx", response_class=Response,
            responses={200: {"content": {XLSX: {}}}})
def form(p: PlatformDep, who: Reader, code: Code, period: Period):
    """The period's Excel form (the values entered so far filled in)."""
    v = rep.one(p, who, code, period)
    return Response(form_xlsx(code, period, v.fields, v.values), media_type=XLSX,
                    headers={"Content-Disposition": f'attachment; filename="{code}_{period}.xlsx"',
                             "Cache-Control": "private, no-store"})


_FORM_UPLOAD = {"requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
    "type": "object", "required": ["file"],
    "properties": {"file": {"type": "string", "format": "binary", "description": "the filled Excel form"},
                   "submit": {"type": "string", "enum": ["true", "false"]}}}}}}}


def _from_file(p, who: Principal, code: str, period: str, path, name: str, submit: bool) -> rep.Saved:
    with p.sessions() as s:
        ob = get(s, code)
        permissions.require_submit(who, ob.department, ob.unit_uscc)  # before the file is read
        fields = fields_of(ob)
    values, units = read_form(path, name, code, period, fields)
    return rep.save(p, who, rep.EntryIn(code, period, values, units), submit=submit)


@router.post("/reporting/obligations/{code}/{period}/upload", response_model=rep.Saved, openapi_extra=_FORM_UPLOAD)
async def upload(request: Request, p: PlatformDep, who: Reporter, code: Code, period: Period):
    """The same entry from the filled Excel form (form field ``submit``: "true" to submit)."""
    got = await receive_upload(request, p.settings.import_limits)
    try:
        return await run_in_threadpool(_from_file, p, who, code, period, got.path, got.name,
                                       got.fields.get("submit") == "true")
    finally:
        got.path.unlink(missing_ok=True)


_EVIDENCE_FORM = {"requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
    "type": "object", "required": ["file"],
    "properties": {"file": {"type": "string", "format": "binary",
                            "description": f"PDF, PNG or JPEG, at most {EVIDENCE_MAX_BYTES // 1048576} MB"}}}}}}}


@router.post("/reporting/obligations/{code}/{period}/attachments", response_model=rep.AttachmentView,
             openapi_extra=_EVIDENCE_FORM)
async def attach(request: Request, p: PlatformDep, who: Reporter, code: Code, period: Period):
    """An evidence file for the period (PDF or image; a wrong type or size is refused, naming the file)."""
    limits = dataclasses.replace(p.settings.import_limits,
                                 max_file_bytes=min(p.settings.import_limits.max_file_bytes, EVIDENCE_MAX_BYTES + 1))
    got = await receive_upload(request, limits)
    try:
        return await run_in_threadpool(rep.attach, p, who, code, period, got.path, got.name)
    finally:
        got.path.unlink(missing_ok=True)


@router.get("/reporting/attachments/{attachment_id}", response_class=FileResponse,
            responses={200: {"content": {"application/pdf": {}, "image/png": {}, "image/jpeg": {}}}})
def attachment(p: PlatformDep, who: Reader, attachment_id: RowId):
    """A stored evidence file, for those who may see the obligation's data."""
    f = rep.download(p, who, attachment_id)
    return FileResponse(f.path, media_type=f.content_type, filename=f.file_name,
                        headers={"Cache-Control": "private, no-store"})


@router.get("/reporting/obligations/{code}/{period}/history", response_model=list[audit.AuditRecord])
def history(p: PlatformDep, who: Reader, code: Code, period: Period):
    """The audit chain of one period, oldest first (who, when, before and after)."""
    return rep.chain(p, who, code, period)


# --- review -----------------------------------------------------------------------------------

@router.get("/reporting/review", response_model=list[rep.PeriodView])
def review_queue(p: PlatformDep, lg: LangDep, who: Reader):
    """Submissions awaiting review, the previous period beside each and jumps flagged."""
    return rep.review_queue(p, who, lang=lg)


@router.post("/reporting/submissions/{submission_id}/review", response_model=rep.Saved)
def review(p: PlatformDep, who: Reviewer, submission_id: RowId, body: ReviewBody):
    """Approve, or return with a comment. ``version`` is the one you saw: if another reviewer
    acted first the answer is 409 and nothing changes."""
    return rep.review(p, who, submission_id, body.version, body.approve, body.comment)


@router.post("/reporting/submissions/{submission_id}/reopen", response_model=rep.Saved)
def reopen(p: PlatformDep, who: Reviewer, submission_id: RowId, body: ReopenBody):
    """Send an approved period back for correction (its published value stays until re-approved)."""
    return rep.reopen(p, who, submission_id, body.version, body.comment)


# --- dispatch (调度) ----------------------------------------------------------------------------

@router.get("/reporting/dispatch", response_model=rep.Dispatch)
def dispatch(p: PlatformDep, lg: LangDep, who: Reader, start: IsoDate | None = None, end: IsoDate | None = None):
    """Periods due within 14 days, overdue periods, and each department's and key unit's
    punctuality (of the periods due in [start, end] when given; the dispatch report's figures)."""
    return rep.dispatch(p, who, lang=lg, start=start, end=end)


@router.get("/reporting/overdue.xlsx", response_class=Response, responses={200: {"content": {XLSX: {}}}})
def overdue(p: PlatformDep, lg: LangDep, who: Reader):
    """The overdue list by department, as a workbook for the leading group's meeting."""
    return Response(rep.overdue_xlsx(p, who, lang=lg), media_type=XLSX,
                    headers={"Content-Disposition": 'attachment; filename="overdue.xlsx"',
                             "Cache-Control": "private, no-store"})


@router.post("/reporting/reminders", response_model=rep.ReminderRun)
def reminders(p: PlatformDep, who: Manager):
    """Notify every reporting account of its periods due soon or overdue (once per period and
    kind), and e-mail them when an SMTP server is configured."""
    return rep.remind(p, who)


# --- frozen assessment years (封存) ---------------------------------------------------------------

Year = Annotated[int, Query(ge=1990, le=2100)]


class FreezeBody(BaseModel):
    year: Annotated[int, Field(ge=1990, le=2100)]
    reason: Text = ""


@router.post("/reporting/freezes", response_model=rep.FreezeView)
def freeze(p: PlatformDep, who: Manager, body: FreezeBody):
    """Freeze an assessment year (or add its next version): figures, rule and entered values kept."""
    return rep.freeze_year(p, who, body.year, body.reason)


@router.get("/reporting/freezes", response_model=list[rep.FreezeView])
def freezes(p: PlatformDep, who: Reader, year: Year | None = None):
    return rep.versions(p, who, year)


@router.get("/reporting/freezes/{year}/diff", response_model=rep.FreezeDiff)
def freeze_diff(p: PlatformDep, who: Reader, year: Annotated[int, Path(ge=1990, le=2100)],
                a: Annotated[int, Query(ge=1, le=100_000)], b: Annotated[int, Query(ge=1, le=100_000)]):
    """What changed, target by target, between versions ``a`` and ``b`` of a frozen year."""
    return rep.diff(p, who, year, a, b)


# --- notifications ----------------------------------------------------------------------------

class NoticeOut(BaseModel):
    id: int
    text: str
    link: str
    created_at: datetime
    read: bool


@router.get("/notifications", response_model=list[NoticeOut])
def notifications(p: PlatformDep, lg: LangDep, who: SignedIn):
    """My notifications, newest first."""
    return rep.list_for(p, who, lg)


@router.post("/notifications/read", response_model=ReadOut)
def read_all(p: PlatformDep, who: SignedIn):
    return ReadOut(marked=rep.mark_read(p, who))
