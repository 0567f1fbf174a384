"""Report routes: the annual assessment (a job with progress, then downloads), the dispatch
report, and the open data sets (public CSV/XLSX/JSON with provenance)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, Response
from pydantic import BaseModel

from ..services import dispatch_report, report_files, report_jobs, reports, serialize, versions
from ..services.reports import template as report_template
from ..services.users import Principal
from . import response_models as models
from .contract import IsoDate
from .deps import LangDep, PlatformDep, SignedIn, allowed

router = APIRouter(prefix="/api")
Year = Annotated[int, Query(ge=1990, le=2100)]
MEDIA = {"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
         "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "csv": "text/csv; charset=utf-8"}


@router.post("/reports", tags=["reports"], response_model=models.ReportJobOut)
def start_report(p: PlatformDep, lg: LangDep, who: SignedIn, year: Year) -> dict[str, Any]:
    """Start writing the annual assessment report of ``year`` (Word and Excel); poll the job."""
    return {"job": report_jobs.start(p, year, lg, who)}


@router.get("/reports/{job}", tags=["reports"], response_model=report_jobs.ReportJobStatus)
def report_status(p: PlatformDep, job: str, who: SignedIn) -> report_jobs.ReportJobStatus:
    """Progress of a report job: step, done/total, finished, files, what is missing."""
    return report_jobs.status(p, job, who)


@router.get("/reports/{job}/{fmt}", tags=["reports"], response_class=FileResponse,
            responses={200: {"content": {MEDIA["docx"]: {}, MEDIA["xlsx"]: {}}, "description": "the report file"}})
def report_file(p: PlatformDep, job: str, fmt: Literal["docx", "xlsx"], who: SignedIn) -> FileResponse:
    path = report_jobs.file(p, job, fmt, who)
    return FileResponse(path, media_type=MEDIA[fmt], filename=path.name)


class TemplateOut(BaseModel):
    stored: bool
    bytes: int


@router.put("/reports/template", tags=["reports"], response_model=TemplateOut)
async def put_report_template(request: Request, p: PlatformDep,
                              who: Annotated[Principal, Depends(allowed("report.template"))]) -> dict[str, Any]:
    """The county's own Word template (.docx, at most 5 MB, no macros) as the request body: the
    assessment report then uses its styles, headers and footers (letterhead). Administrators only."""
    body = await request.body()  # bounded by the request guard and again by the template check
    await run_in_threadpool(lambda: report_template.store(p, body, who))
    return {"stored": True, "bytes": len(body)}


@router.get("/dispatch", tags=["reports"], response_model=models.DispatchOut, responses={200: {"content": {
    "text/csv": {}, MEDIA["xlsx"]: {}}, "description": "JSON, or the rows as CSV or XLSX (``format``)"}})
def dispatch(p: PlatformDep, lg: LangDep, who: Annotated[Principal, Depends(allowed("dispatch.read"))],
             start: IsoDate, end: IsoDate,
             by: Literal["department", "township"] = "department",
             format: Literal["json", "csv", "xlsx"] = "json") -> Any:
    """调度通报: what each department (tasks) or township (projects) committed, did and missed in
    the period, worst first."""
    d = dispatch_report.dispatch(p, start, end, by, lg)
    if format == "json":
        return d
    rows = dispatch_report.dispatch_rows(d)
    name = f"dispatch_{by}_{start}_{end}.{format}"
    body = report_files.rows_to_csv(rows) if format == "csv" else report_files.rows_to_xlsx(rows, "调度通报")
    return Response(body, media_type=MEDIA[format], headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.get("/open", tags=["public"], response_model=models.OpenIndexOut)
def open_index(lg: LangDep) -> dict[str, Any]:
    """The published data sets."""
    return {"datasets": [{"name": k, "title": v[lg == "en"], "formats": ["csv", "xlsx", "json"],
                          "url": f"/api/open/{k}.csv"} for k, v in reports.OPEN_DATASETS.items()]}


@router.get("/open/{name}.{fmt}", tags=["public"], response_model=models.OpenDataOut, responses={200: {"content": {
    "text/csv": {}, MEDIA["xlsx"]: {}}, "description": "the data set as JSON, CSV or XLSX (``fmt``)"}})
def open_data(p: PlatformDep, lg: LangDep, name: str, fmt: Literal["csv", "xlsx", "json"],
              year: Annotated[int | None, Query(ge=1990, le=2100)] = None,
              headers: Literal["codes", "zh"] = "codes") -> Any:
    """One data set as CSV (UTF-8 with BOM), XLSX or JSON; every row carries the provenance of
    its figures (formula and inputs, factors and sources, or the rule). ``headers=zh``: Chinese
    column headers for people (CSV, XLSX); the default keeps the machine-readable codes."""
    def write() -> bytes:
        rows = reports.open_dataset(p, name, year, lg)
        if fmt == "json":
            return serialize.encode({"dataset": name, "rows": rows})
        rows = serialize.with_headers(rows, headers)
        return report_files.rows_to_csv(rows) if fmt == "csv" else report_files.rows_to_xlsx(rows, name)
    # cached per validated parameters, day (dates in the rows) and data version: anyone may ask
    body = p.cached(("open", name, fmt, year, headers, lg, date.today().isoformat(), versions.key(p, None)), write)
    if fmt == "json":
        return Response(body, media_type="application/json")
    return Response(body, media_type=MEDIA[fmt],
                    headers={"Content-Disposition": f'attachment; filename="{name}{"_" + str(year) if year else ""}.{fmt}"'})
