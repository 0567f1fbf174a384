"""API routes. Each one parses input, calls one service, returns JSON (with provenance)."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi import Path as PathParam
from fastapi.responses import FileResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from ..domain.accounting import AccountingOptions
from ..domain.findings import InputIssue
from ..domain.tracking import BarometerRule
from ..services import (
    audit,
    buildings,
    catalogue,
    factor_store,
    imports,
    plans,
    registry,
    scenarios,
    serialize,
    sinks,
    users,
    views,
)
from ..services.errors import InputRejected, NotFound
from .deps import LangDep, PlatformDep, PrincipalDep, SignedIn, csrf_token, role

router = APIRouter(prefix="/api")
MAX_UPLOAD = 20 * 1024 * 1024
Kind = Literal["activity", "gdp", "observations", "parcels", "buildings", "key_units", "metering_points",
               "energy_budgets", "unit_outputs", "form_205_1", "two_high"]


class LoginIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=256)


class ProjectPatch(BaseModel):
    model_config = ConfigDict(extra="forbid")
    status: Literal[registry.PROJECT_STATUSES] | None = None  # type: ignore[valid-type]
    actual_capacity: float | None = Field(default=None, ge=0, lt=1e9)
    actual_year: int | None = Field(default=None, ge=1990, le=2100)
    note: str | None = Field(default=None, max_length=2000)


class TaskPatch(BaseModel):
    model_config = ConfigDict(extra="forbid")
    status: Literal[registry.TASK_STATUSES] | None = None  # type: ignore[valid-type]
    deadline: date | None = None
    progress_note: str | None = Field(default=None, max_length=4000)


class UserIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=users.MIN_PASSWORD, max_length=256)
    role: Literal[users.ROLES]  # type: ignore[valid-type]
    department: str | None = Field(default=None, max_length=100)
    enterprise: str | None = Field(default=None, max_length=200)
    display_name: str = Field(default="", max_length=100)


def cached_json(p, key: tuple, compute) -> Response:
    """Public reads are served from bytes cached per data version: any audited change makes
    a new version, so a cached answer is never stale."""
    body = p.cached(("json", *key, audit.data_version(p)),
                    lambda: serialize.dumps(compute()).encode("utf-8"))
    return Response(body, media_type="application/json")


def _client(request: Request) -> str:
    return request.client.host if request.client else "unknown"


@router.get("/health", tags=["system"])
def health(p: PlatformDep) -> dict[str, Any]:
    return {"status": "ok", "database": p.engine.dialect.name, "data_version": audit.data_version(p)}


@router.post("/auth/login", tags=["auth"])
def login(body: LoginIn, request: Request, p: PlatformDep) -> dict[str, Any]:
    who = users.authenticate(p, body.username, body.password, _client(request))
    request.session.clear()  # a new session on login: no fixation
    request.session["uid"] = who.id
    return {"user": who.as_dict(), "csrf_token": csrf_token(request)}


@router.post("/auth/logout", tags=["auth"])
def logout(request: Request, who: SignedIn) -> dict[str, Any]:
    request.session.clear()
    return {"signed_out": who.username}


@router.get("/auth/me", tags=["auth"])
def me(request: Request, who: PrincipalDep) -> dict[str, Any]:
    return {"user": who.as_dict() if who else None, "csrf_token": csrf_token(request) if who else None}


@router.get("/overview", tags=["public"])
def overview(p: PlatformDep, lg: LangDep, year: Annotated[int | None, Query(ge=1990, le=2100)] = None) -> dict[str, Any]:
    """Headline indicators, the trend and the barometer of all targets (with the rule)."""
    return cached_json(p, ("overview", year, lg), lambda: views.overview(p, year, lg))


@router.get("/inventory/{year}", tags=["public"])
def inventory(p: PlatformDep, lg: LangDep, year: Annotated[int, PathParam(ge=1990, le=2100)],
              sector: str | None = None, carrier: str | None = None) -> dict[str, Any]:
    """The inventory of a year: totals, by sector and carrier, energy flows, and every line with
    the factors used (value, unit, source document and table, status)."""
    return cached_json(p, ("inventory", year, sector, carrier, lg), lambda: views.inventory_view(p, year, sector, carrier, lg))


@router.get("/targets", tags=["public"])
def targets(p: PlatformDep, lg: LangDep, year: Annotated[int, Query(ge=1990, le=2100)],
            green_min: Annotated[float, Query(gt=0, le=10)] = 1.0,
            yellow_min: Annotated[float, Query(gt=0, le=10)] = 0.8) -> dict[str, Any]:
    """Every target in ``year`` with its light, the rule beside it, and where the actual value
    comes from (computed with its inputs, or entered with its source)."""
    if yellow_min > green_min:
        raise InputRejected([InputIssue("input.bad_value", "query", None, "yellow_min",
                                        {"value": yellow_min, "reason": "must not exceed green_min"})])
    rule = BarometerRule(green_min, yellow_min)
    return cached_json(p, ("targets", year, lg, rule), lambda: views.barometer(p, year, lg, rule))


@router.get("/targets/{target_id}/trajectory", tags=["public"])
def target_trajectory(p: PlatformDep, lg: LangDep, target_id: str) -> dict[str, Any]:
    return cached_json(p, ("trajectory", target_id, lg), lambda: views.target_trajectory(p, target_id, lg))


@router.get("/plan", tags=["public"])
def plan(p: PlatformDep) -> dict[str, Any]:
    stored = plans.stored_plan(p)
    if stored is None:
        raise NotFound("no plan loaded")
    doc = plans.plan_document(stored)
    doc["findings"] = [f.as_dict() for f in plans.plan_findings(stored)]
    return doc


@router.get("/projects", tags=["projects"])
def projects(p: PlatformDep, type: str | None = None, town: str | None = None,
             status: str | None = None, year: Annotated[int | None, Query(ge=1990, le=2100)] = None) -> dict[str, Any]:
    return cached_json(p, ("projects", type, town, status, year),
                       lambda: {"projects": registry.list_projects(p, type, town, status, year),
                                "capacity": registry.capacity_summary(p)})


@router.patch("/projects/{code}", tags=["projects"])
def patch_project(code: str, body: ProjectPatch, p: PlatformDep,
                  who: Annotated[users.Principal, Depends(role("admin"))]) -> dict[str, Any]:
    return registry.update_project(p, code, body.model_dump(exclude_unset=True), who)


@router.get("/tasks", tags=["tasks"])
def tasks(p: PlatformDep, who: SignedIn, department: str | None = None) -> dict[str, Any]:
    return {"tasks": registry.list_tasks(p, who, department), "department": who.department}


@router.patch("/tasks/{code}", tags=["tasks"])
def patch_task(code: str, body: TaskPatch, p: PlatformDep, who: SignedIn) -> dict[str, Any]:
    return registry.update_task(p, code, body.model_dump(exclude_unset=True), who)


async def _saved(upload: UploadFile) -> tuple[Path, str]:
    name = Path(upload.filename or "upload.csv").name
    suffix = Path(name).suffix.lower()
    data = await upload.read(MAX_UPLOAD + 1)
    if len(data) > MAX_UPLOAD:
        raise InputRejected([InputIssue("input.file_unreadable", name, None, None, {"reason": "larger than 20 MB"})])
    tmp = tempfile.NamedTemporaryFile(delete=False, suffix=suffix)
    tmp.write(data)
    tmp.close()
    return Path(tmp.name), name


async def _upload(p, file: UploadFile, kind: str | None, who, dry_run: bool) -> dict[str, Any]:
    path, name = await _saved(file)
    try:
        res = imports.import_file(p, path, who.username, kind=kind, dry_run=dry_run, display_name=name,
                                  options=AccountingOptions(electricity_fallback="nearest"),
                                  department=who.department if who.role == "dept_editor" else None)
    finally:
        path.unlink(missing_ok=True)
    return {"dry_run": dry_run, **res.as_dict()}


@router.post("/uploads/validate", tags=["data"])
async def validate_upload(p: PlatformDep, who: Annotated[users.Principal, Depends(role("admin", "dept_editor"))],
                          file: UploadFile = File(...), kind: Kind | None = Form(None)) -> dict[str, Any]:
    """Validate a CSV/XLSX and report what an import would do; nothing is written."""
    return await _upload(p, file, kind, who, dry_run=True)


@router.post("/uploads", tags=["data"])
async def upload(p: PlatformDep, who: Annotated[users.Principal, Depends(role("admin", "dept_editor"))],
                 file: UploadFile = File(...), kind: Kind | None = Form(None)) -> dict[str, Any]:
    """Import a CSV/XLSX in one transaction (idempotent on natural keys)."""
    return await _upload(p, file, kind, who, dry_run=False)


@router.get("/templates/{kind}", tags=["data"], response_class=FileResponse)
def template(kind: Kind) -> FileResponse:
    out = Path(tempfile.mkdtemp()) / f"carbonpeak-{kind}-template.xlsx"
    catalogue.write_template(out, kind)
    return FileResponse(out, filename=out.name,
                        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


@router.get("/factors", tags=["public"])
def factors(p: PlatformDep, kind: str | None = None) -> dict[str, Any]:
    """The factors in force: shipped tables with the county's own values over them (release
    ``county``), each with value, unit, source document and table, status."""
    return {"factors": catalogue.factor_rows(p.ref, kind)}


class FactorIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: str = Field(min_length=1, max_length=40)
    carrier: str = Field(default="", max_length=80)
    geography: str = Field(default="", max_length=80)
    year: int | None = Field(default=None, ge=1990, le=2100)
    parameter: str = Field(min_length=1, max_length=60)
    value: float = Field(allow_inf_nan=False)
    unit: str = Field(min_length=1, max_length=30)
    source_document: str = Field(default="", max_length=2000)  # required: an empty one is refused by name
    source_table: str = Field(default="", max_length=2000)
    status: Literal["confirmed", "single_source", "unverified"] = "single_source"
    note: str = Field(default="", max_length=2000)


@router.get("/factors/county", tags=["data"])
def county_factors(p: PlatformDep, who: SignedIn, kind: str | None = None) -> dict[str, Any]:
    """Reference values set by the county (building quotas, growth rates, bamboo/tea parameters ...)."""
    return {"factors": factor_store.list_overrides(p, kind)}


@router.put("/factors/county", tags=["data"])
def set_county_factors(p: PlatformDep, rows: list[FactorIn],
                       who: Annotated[Any, Depends(role("admin"))]) -> dict[str, Any]:
    """Set county values (one transaction, audited); each replaces the shipped row with the same
    key (kind, carrier, geography, year, parameter) or adds one."""
    return {"stored": factor_store.set_factors(p, [r.model_dump() for r in rows], who.username)}


@router.delete("/factors/county", tags=["data"])
def remove_county_factor(p: PlatformDep, who: Annotated[Any, Depends(role("admin"))], kind: str, parameter: str,
                         carrier: str = "", geography: str = "",
                         year: Annotated[int | None, Query(ge=1990, le=2100)] = None) -> dict[str, Any]:
    """Remove a county value: the shipped value applies again."""
    return {"removed": factor_store.remove_factor(p, kind, carrier, geography, year, parameter, who.username)}


@router.get("/audit", tags=["audit"])
def audit_log(p: PlatformDep, who: SignedIn, entity: str | None = None, key: str | None = None,
              limit: Annotated[int, Query(ge=1, le=1000)] = 200,
              offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0) -> dict[str, Any]:
    return {"entries": audit.history(p, entity, key, limit, offset)}


@router.get("/users", tags=["auth"])
def list_users(p: PlatformDep, who: Annotated[users.Principal, Depends(role("admin"))]) -> dict[str, Any]:
    return {"users": users.list_users(p, who)}


@router.post("/users", tags=["auth"], status_code=201)
def create_user(body: UserIn, p: PlatformDep, who: Annotated[users.Principal, Depends(role("admin"))]) -> dict[str, Any]:
    new = users.create_user(p, body.username, body.password, body.role, who.username, body.department,
                            body.enterprise, body.display_name)
    return {"user": new.as_dict()}


class ScenarioEdit(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str | None = Field(default=None, max_length=100)
    gdp_growth: float | None = Field(default=None, ge=-0.2, le=0.3)
    intensity_change: float | None = Field(default=None, ge=-0.3, le=0.3)
    grid_factor_change: float | None = Field(default=None, ge=-0.3, le=0.3)
    switch_rates: dict[Annotated[str, Field(max_length=50)], Annotated[float, Field(ge=0, le=1)]] | None = None
    draws: int = Field(default=2000, ge=100, le=20000)
    seed: int | None = Field(default=None, ge=0, le=2**32 - 1)


@router.get("/scenarios", tags=["scenarios"])
def scenarios_list() -> dict[str, Any]:
    return {"scenarios": scenarios.list_specs()}


@router.get("/scenarios/{name}", tags=["scenarios"])
def scenario_run(p: PlatformDep, name: str, draws: Annotated[int, Query(ge=100, le=20000)] = 10000,
                 seed: Annotated[int | None, Query(ge=0, le=2**32 - 1)] = None) -> dict[str, Any]:
    """Run a bundled scenario: peak year P10/P50/P90, peak value, P(peak ≤ 2030), bands, target
    checks, wedges, LMDI; all assumptions returned with the result."""
    path = scenarios.spec_path(name)
    return cached_json(p, ("scenario", name, draws, seed), lambda: scenarios.run_scenario(p, path, draws, seed))


@router.get("/scenarios/{name}/iamc.csv", tags=["scenarios"], response_class=Response)
def scenario_iamc(p: PlatformDep, name: str) -> Response:
    res = scenarios.run_scenario(p, scenarios.spec_path(name), 2000, None)
    return Response(scenarios.iamc_frame(res).to_csv(index=False), media_type="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="carbonpeak-{name}-iamc.csv"'})


@router.post("/scenarios/{name}/edit", tags=["scenarios"])
def scenario_edit(p: PlatformDep, name: str, body: ScenarioEdit, who: SignedIn) -> dict[str, Any]:
    """Run a child of a bundled scenario with changed levers; returns the result and the child
    spec as TOML (to save and version)."""
    overrides = body.model_dump(exclude={"draws", "seed"})
    return scenarios.run_child(p, name, overrides, body.draws, body.seed)


@router.get("/sinks", tags=["sinks"])
def sinks_ledger(p: PlatformDep) -> dict[str, Any]:
    """The carbon-sink ledger from the stored forest inventories: stock by township and species
    group, the annual sink between the last two inventories, forest cover, factors used."""
    def compute() -> dict[str, Any]:
        plan = plans.stored_plan(p)
        return sinks.stored_ledger(p, plan.land_area_km2 if plan else None)
    return cached_json(p, ("sinks",), compute)


@router.get("/buildings", tags=["buildings"])
def public_buildings(p: PlatformDep, lg: LangDep,
                     year: Annotated[int | None, Query(ge=1990, le=2100)] = None) -> dict[str, Any]:
    """Public buildings of a year: energy use intensity, quota values (with their status), grade
    with its rule, rank within the class, buildings over their constraint value (公示)."""
    return cached_json(p, ("buildings", year, lg), lambda: buildings.stored_grades(p, year, lang=lg))
