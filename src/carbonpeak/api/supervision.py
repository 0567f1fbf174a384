"""Energy supervision routes (节能监察, plan 三（三）1 and 专栏7): the plan, cases, evidence,
energy and clean-production audits, and the public disclosure. services/supervision decides."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse
from pydantic import BaseModel, Field

from ..domain.supervision import EVIDENCE_MAX_BYTES
from ..services import supervision as sup
from ..services.errors import InputRejected
from ..services.supervision.common import issue
from ..services.users import Principal
from .contract import IsoDate
from .deps import LangDep, PlatformDep, SignedIn, allowed
from .routes import cached_json
from .uploads import Received, receive_upload

router = APIRouter(prefix="/api", tags=["supervision"])
Year = Annotated[int, Query(ge=1990, le=2100)]
Inspector = Annotated[Principal, Depends(allowed("supervision.edit"))]
Answerer = Annotated[Principal, Depends(allowed("supervision.answer"))]
Text = Annotated[str, Field(max_length=4000)]
Number = Annotated[int, Path(ge=1, le=10_000, description="the finding's number in its case (1, 2, …)")]
RowId = Annotated[int, Path(ge=1, le=2**31 - 1)]
Code = Annotated[str, Path(max_length=32, description="the case code, e.g. JC-2025-001")]
Short = Annotated[str, Field(max_length=200)]


class BatchBody(BaseModel):
    code: Annotated[str, Field(max_length=32)]
    year: Annotated[int, Field(ge=1990, le=2100)]
    name: Short
    department: Short | None = None
    starts_on: IsoDate
    ends_on: IsoDate
    units: Annotated[list[Annotated[str, Field(max_length=18)]], Field(max_length=500)]
    note: Text = ""


class FindingBody(BaseModel):
    item: Annotated[str, Field(max_length=32)]
    description: Text
    severity: Annotated[str, Field(max_length=16)]
    rectification: Text
    deadline: IsoDate
    legal_basis: Text = ""


class CaseBody(BaseModel):
    uscc: Annotated[str, Field(max_length=18)]
    inspected_on: IsoDate
    findings: Annotated[list[FindingBody], Field(max_length=50)] = []
    department: Short | None = None
    batch: Annotated[str | None, Field(max_length=32)] = None
    inspectors: Short = ""
    record: Text = ""


class DecisionBody(BaseModel):
    decided_on: IsoDate
    decision: Text
    penalty_yuan: float | None = None
    credit_record: bool = False
    price_proposal: Annotated[str, Field(max_length=16)] = ""


class PublishBody(BaseModel):
    published_on: IsoDate


class CloseBody(BaseModel):
    closed_on: IsoDate
    note: Text = ""


class ReviewBody(BaseModel):
    accept: bool
    reviewed_on: IsoDate
    note: Text = ""


class EnergyAuditBody(BaseModel):
    uscc: Annotated[str, Field(max_length=18)]
    requested_on: IsoDate
    due_on: IsoDate
    reason: Text = ""
    case: Annotated[str | None, Field(max_length=32)] = None
    department: Short | None = None


class CleanAuditBody(BaseModel):
    uscc: Annotated[str, Field(max_length=18)]
    industry_group: Annotated[str, Field(max_length=24)]
    listed_year: Annotated[int, Field(ge=1990, le=2100)]
    listed_on: IsoDate
    mandatory: bool = True
    note: Text = ""


# --- the plan ---------------------------------------------------------------------------------

@router.get("/supervision/units", response_model=list[sup.SubjectUnit])
def subject_units(p: PlatformDep, who: Annotated[Principal, Depends(allowed("supervision.read"))]):
    """Units subject to supervision (≥ 1 000 tce by the registry or their 205-1 forms)."""
    return sup.subject_units(p)


@router.get("/supervision/checklist", response_model=list[sup.ChecklistRow])
def checklist(p: PlatformDep, who: SignedIn, uscc: Annotated[str | None, Query(max_length=18)] = None):
    """The checklist; with ``uscc`` the unit's product energy against its limit standard filled in."""
    return sup.checklist(p, uscc)


@router.get("/supervision/batches", response_model=list[sup.BatchView])
def batches(p: PlatformDep, who: SignedIn, year: Year | None = None):
    return sup.list_batches(p, year)


@router.post("/supervision/batches", response_model=sup.BatchView)
def create_batch(p: PlatformDep, who: Inspector, body: BatchBody):
    return sup.create_batch(p, who, sup.BatchIn(**body.model_dump()))


# --- cases ------------------------------------------------------------------------------------

@router.get("/supervision/cases", response_model=list[sup.CaseView])
def cases(p: PlatformDep, lg: LangDep, who: SignedIn, year: Year | None = None):
    """The county: every case; an enterprise account: its own unit's."""
    return sup.list_cases(p, who, year, lg)


@router.post("/supervision/cases", response_model=sup.CaseView)
def open_case(p: PlatformDep, lg: LangDep, who: Inspector, body: CaseBody):
    """Record an inspection with its findings (legal basis, severity, rectification, deadline)."""
    data = body.model_dump()
    data["findings"] = [sup.FindingIn(**f) for f in data["findings"]]
    return sup.open_case(p, who, sup.CaseIn(**data), lg)


@router.get("/supervision/cases/{code}", response_model=sup.CaseView)
def case(p: PlatformDep, lg: LangDep, who: SignedIn, code: Code):
    return sup.get_case(p, who, code, lg)


@router.post("/supervision/cases/{code}/decision", response_model=sup.CaseView)
def decide(p: PlatformDep, lg: LangDep, who: Inspector, code: Code, body: DecisionBody):
    return sup.decide(p, who, code, sup.DecisionIn(**body.model_dump()), lg)


@router.post("/supervision/cases/{code}/publish", response_model=sup.CaseView)
def publish(p: PlatformDep, lg: LangDep, who: Inspector, code: Code, body: PublishBody):
    """Publish a decided case; an undecided one is refused."""
    return sup.publish(p, who, code, body.published_on, lg)


@router.post("/supervision/cases/{code}/close", response_model=sup.CaseView)
def close(p: PlatformDep, lg: LangDep, who: Inspector, code: Code, body: CloseBody):
    return sup.close(p, who, code, body.closed_on, body.note, lg)


@router.post("/supervision/cases/{code}/findings/{number}/review", response_model=sup.CaseView)
def review(p: PlatformDep, lg: LangDep, who: Inspector, code: Code, number: Number, body: ReviewBody):
    return sup.review(p, who, code, number, body.accept, body.reviewed_on, body.note, lg)


_FILE_FORM = {"requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
    "type": "object", "required": ["file"],
    "properties": {"file": {"type": "string", "format": "binary",
                            "description": f"PDF, PNG or JPEG, at most {EVIDENCE_MAX_BYTES // 1048576} MB"},
                   "on": {"type": "string", "format": "date"}, "stage": {"type": "string"}}}}}}}


async def _received(request: Request, p) -> Received:
    """The uploaded file, streamed to a temporary file; the stream stops just past the evidence
    limit (the service then names the field and the limit)."""
    limits = dataclasses.replace(p.settings.import_limits,
                                 max_file_bytes=min(p.settings.import_limits.max_file_bytes, EVIDENCE_MAX_BYTES + 1))
    return await receive_upload(request, limits)


def _date_field(got: Received, field: str) -> date:
    text = got.fields.get(field) or date.today().isoformat()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InputRejected([issue(field, "input.bad_value", value=text[:40], reason="YYYY-MM-DD")]) from None


@router.post("/supervision/cases/{code}/findings/{number}/evidence", response_model=sup.CaseView,
             openapi_extra=_FILE_FORM)
async def evidence(request: Request, p: PlatformDep, lg: LangDep, who: Answerer, code: Code, number: Number):
    """The enterprise's rectification evidence for one finding (PDF or image)."""
    got = await _received(request, p)
    try:
        return await run_in_threadpool(sup.submit, p, who, code, number, got.path, got.name, lg)
    finally:
        got.path.unlink(missing_ok=True)


@router.get("/supervision/evidence/{evidence_id}", response_class=FileResponse,
            responses={200: {"content": {"application/pdf": {}, "image/png": {}, "image/jpeg": {}}}})
def download(p: PlatformDep, who: SignedIn, evidence_id: RowId):
    """A stored file, for those who may see its case (the county; the unit itself)."""
    f = sup.download(p, who, evidence_id)
    return FileResponse(f.path, media_type=f.content_type, filename=f.file_name,
                        headers={"Cache-Control": "private, no-store"})


# --- audits -----------------------------------------------------------------------------------

@router.get("/supervision/energy-audits", response_model=list[sup.EnergyAuditView])
def energy_audits(p: PlatformDep, who: SignedIn):
    return sup.list_energy_audits(p, who)


@router.post("/supervision/energy-audits", response_model=sup.EnergyAuditView)
def request_energy_audit(p: PlatformDep, who: Inspector, body: EnergyAuditBody):
    return sup.request_energy_audit(p, who, sup.EnergyAuditIn(**body.model_dump()))


@router.post("/supervision/energy-audits/{request_id}/report", response_model=sup.EnergyAuditView,
             openapi_extra=_FILE_FORM)
async def audit_report(request: Request, p: PlatformDep, who: Answerer, request_id: RowId):
    got = await _received(request, p)
    try:
        return await run_in_threadpool(sup.receive_audit_report, p, who, request_id, got.path, got.name,
                                       _date_field(got, "on"))
    finally:
        got.path.unlink(missing_ok=True)


@router.get("/supervision/clean-audits", response_model=list[sup.CleanAuditView])
def clean_audits(p: PlatformDep, lg: LangDep, who: SignedIn):
    return sup.list_clean_audits(p, who, lg)


@router.post("/supervision/clean-audits", response_model=sup.CleanAuditView)
def list_clean_audit(p: PlatformDep, lg: LangDep, who: Inspector, body: CleanAuditBody):
    return sup.list_clean_audit(p, who, sup.CleanAuditIn(**body.model_dump()), lg)


@router.post("/supervision/clean-audits/{audit_id}/stage", response_model=sup.CleanAuditView,
             openapi_extra=_FILE_FORM)
async def advance_stage(request: Request, p: PlatformDep, lg: LangDep, who: Inspector, audit_id: RowId):
    """The next stage reached, its date (form field ``on``) and its evidence (``file``)."""
    got = await _received(request, p)
    try:
        return await run_in_threadpool(sup.advance_stage, p, who, audit_id, got.fields.get("stage", ""),
                                       _date_field(got, "on"), got.path, got.name, lg)
    finally:
        got.path.unlink(missing_ok=True)


# --- the public disclosure --------------------------------------------------------------------

@router.get("/public/supervision", tags=["public"], response_model=sup.PublicView)
def public(p: PlatformDep, lg: LangDep, year: Year):
    """Published (decided) cases, the violators list, the counts and T16/T18/T19 with their rule.
    An undecided case is never in it."""
    return cached_json(p, ("supervision_public", year, lg), lambda: sup.public_view(p, year, lg), sup.TOPICS)
