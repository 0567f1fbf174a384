"""Carbon dual control routes (碳排放双控): figures on each factor basis, the 以电折碳 estimate, the
county budget, its decomposition and tracking, the 15th-plan targets, the 协同考核 table, the project
carbon review and the monthly-electricity import. services/carbon decides; every answer is one of its
dataclasses. Reads: the county's roles; changes: administrators and 县发展和改革局 (permissions.py)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field

from ..domain.carbon import Rule
from ..domain.findings import InputIssue
from ..domain.messages import said
from ..services import carbon, permissions
from ..services.errors import InputRejected
from ..services.users import Principal
from .deps import LangDep, PlatformDep, allowed, signed_in
from .uploads import receive_upload

router = APIRouter(prefix="/api/carbon", tags=["carbon"])
Reader = Annotated[Principal, Depends(allowed("carbon.read"))]
Year = Annotated[int | None, Query(ge=2000, le=2100)]
Name = Annotated[str, Field(max_length=200)]


def editor(p: Annotated[Principal, Depends(signed_in)]) -> Principal:
    return permissions.require_carbon_edit(p)


Editor = Annotated[Principal, Depends(editor)]


class DecompositionBody(BaseModel):
    level: Annotated[str, Field(max_length=16)]
    rule: Rule
    year: Annotated[int | None, Field(ge=2000, le=2100)] = None
    reserve: Annotated[float | None, Field(ge=0, lt=1)] = None
    inputs: Annotated[dict[Annotated[str, Field(max_length=16)],
                           Annotated[dict[Name, float], Field(max_length=1000)]], Field(max_length=5)] = {}


class CarrierBody(BaseModel):
    carrier: Annotated[str, Field(max_length=40)]
    quantity: Annotated[float, Field(ge=0)]
    unit: Annotated[str, Field(max_length=32)]


class ReviewBody(BaseModel):
    code: Annotated[str, Field(min_length=1, max_length=40)]
    name: Name
    industry: Annotated[str, Field(max_length=100)]
    start_year: Annotated[int, Field(ge=2000, le=2100)]
    annual_output: Annotated[float, Field(gt=0)]
    energy: Annotated[list[CarrierBody], Field(min_length=1, max_length=20)]
    capacity: Name = ""
    two_high: bool = False
    illustrative: bool = False


@router.get("/figures", response_model=carbon.CarbonFigures)
def figures(p: PlatformDep, who: Reader):
    """CO2 total and intensity per year on each electricity factor basis, and the plan-period changes."""
    return carbon.carbon_figures(p)


@router.get("/estimate", response_model=carbon.EstimateResult)
def estimate(p: PlatformDep, who: Reader, year: Year = None):
    """The 以电折碳 monthly estimate (估算) with its back-test (MAPE per sector and total) and band."""
    return carbon.monthly_estimate(p, year)


@router.get("/budget", response_model=carbon.PathResult)
def budget(p: PlatformDep, who: Reader):
    """The county carbon budget path 2026–2030 and how it was derived."""
    return carbon.county_path(p)


@router.get("/decomposition", response_model=carbon.DecompositionResult)
def decomposition(p: PlatformDep, who: Reader, level: Annotated[str, Query(max_length=16)] = "sector",
                  rule: Rule = Rule.HISTORICAL_SHARE, year: Year = None,
                  reserve: Annotated[float | None, Query(ge=0, lt=1)] = None):
    """One year's budget decomposed by the named rule on the default weights."""
    return carbon.decomposition(p, level, rule, year, reserve)


@router.post("/decomposition", response_model=carbon.DecompositionResult)
def decomposition_with_inputs(body: DecompositionBody, p: PlatformDep, who: Reader):
    """The same with entered inputs (history, output, benchmark, growth, shares per entity); nothing is stored."""
    return carbon.decomposition(p, body.level, body.rule, body.year, body.reserve, body.inputs)


@router.get("/tracking", response_model=carbon.TrackingResult)
def tracking(p: PlatformDep, who: Reader, year: Year = None):
    """Actual (or estimated) CO2 against the budget per year, and per month of ``year`` (default: the
    latest estimated year), with warning levels."""
    return carbon.tracking(p, year=year)


@router.get("/targets", response_model=carbon.TargetsResult)
def targets(p: PlatformDep, who: Reader, lg: LangDep, year: Year = None):
    """The 15th-plan carbon targets on the barometer rule (rated in ``year``, default: the latest
    inventory year after the base year; the main barometer shows the same rows), and their milestones."""
    return carbon.targets(p, lg, year=year)


@router.get("/assessment", response_model=carbon.AssessmentResult)
def assessment(p: PlatformDep, who: Reader, year: Year = None):
    """The 协同考核 table per department and township."""
    return carbon.assessment(p, year)


@router.post("/reviews", response_model=carbon.ReviewResult)
def review(body: ReviewBody, p: PlatformDep, who: Editor, lg: LangDep):
    """Review a project and store the review as its next version (a two-high project enters the 两高 list)."""
    data = body.model_dump()
    data["energy"] = [carbon.CarrierUse(**c) for c in data["energy"]]
    return carbon.review_project(p, carbon.ReviewInput(**data), who.username, lg)


@router.get("/reviews", response_model=list[carbon.HistoryRow])
def reviews(p: PlatformDep, who: Reader, code: Annotated[str | None, Query(max_length=40)] = None):
    """Every stored review version, newest first (of one project code when given)."""
    return carbon.review_history(p, code)


@router.post("/electricity", response_model=carbon.CarbonImport)
async def import_electricity(request: Request, p: PlatformDep, who: Editor):
    """Import monthly electricity by sector (CSV/XLSX; form field ``kind``: monthly_electricity |
    green_certificates); validated whole, idempotent, audited."""
    got = await receive_upload(request, p.settings.import_limits)
    kind = got.fields.get("kind") or "monthly_electricity"
    fn = {"monthly_electricity": carbon.import_electricity, "green_certificates": carbon.import_certificates}.get(kind)
    try:
        if fn is None:
            raise InputRejected([InputIssue("input.bad_value", "form", None, "kind",
                                            {"value": kind[:100], "reason": said("应为 monthly_electricity（逐月用电）或 green_certificates（绿证）", "monthly_electricity | green_certificates")})])
        dept = who.department if who.role == "dept_editor" else None
        return await run_in_threadpool(fn, p, got.path, who.username, got.name, dept)
    finally:
        got.path.unlink(missing_ok=True)
