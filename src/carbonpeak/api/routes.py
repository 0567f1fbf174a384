"""API routes. Each one parses input, calls one service, returns JSON (with provenance)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated, Any, Literal, get_args

from fastapi import APIRouter, Depends, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from ..domain.findings import InputIssue
from ..domain.labels import UPLOAD_KINDS
from ..domain.messages import said
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
    target_drilldown,
    users,
    versions,
    views,
)
from ..services.errors import AuthenticationFailed, InputRejected, NotFound
from ..services.target_sources import plan_findings
from ..services.tracking_results import Barometer, Trajectory
from . import data_models as data
from . import response_models as models
from .cached import Precompressed, packed, weight
from .contract import IsoDate, ValidationErrors
from .deps import LangDep, PlatformDep, PrincipalDep, SignedIn, allowed
from .limits import RunLimit, public_gate, run_limit
from .scenario_models import ScenarioListOut, ScenarioResultOut
from .uploads import receive_upload

router = APIRouter(prefix="/api")
Kind = Literal["activity", "gdp", "observations", "parcels", "buildings", "key_units", "metering_points",
               "energy_budgets", "unit_outputs", "form_205_1", "two_high", "project_progress"]


class ProjectPatch(BaseModel):
    model_config = ConfigDict(extra="forbid")
    status: Literal[registry.PROJECT_STATUSES] | None = None  # type: ignore[valid-type]
    actual_capacity: float | None = Field(default=None, ge=0, lt=1e9)
    actual_year: int | None = Field(default=None, ge=1990, le=2100)
    note: str | None = Field(default=None, max_length=2000)


class TaskPatch(BaseModel):
    model_config = ConfigDict(extra="forbid")
    status: Literal[registry.TASK_STATUSES] | None = None  # type: ignore[valid-type]
    deadline: IsoDate | None = None
    progress_note: str | None = Field(default=None, max_length=4000)


def cached_json(p, key: tuple, compute, topics: tuple[str, ...] | None = None, cache: bool = True,
                guard=None) -> Response:
    """Public reads are served from JSON bytes cached per version of the data topics they depend
    on (services/versions.py; None: every topic): a change to any of them makes a new key, so a
    cached answer is never stale. ``key`` holds validated parameters only; with ``cache=False``
    (parameters outside a small known set: free text, custom rules) the answer is computed
    each time and nothing is cached, through ``guard`` when given (limits.public_gate: a few
    anonymous ones at once)."""
    if not cache:
        return Response(serialize.encode((guard or (lambda f: f()))(compute)), media_type="application/json")
    entry = p.cached(("json", *key, versions.key(p, topics)), lambda: packed(serialize.encode(compute())), weight)
    return Precompressed(entry, "application/json")


@router.get("/health", tags=["system"], response_model=models.HealthOut)
def health(p: PlatformDep) -> dict[str, Any]:
    return {"status": "ok", "database": p.engine.dialect.name, "data_version": audit.data_version(p)}


@router.get("/overview", tags=["public"], response_model=models.OverviewOut)
def overview(p: PlatformDep, lg: LangDep, year: Annotated[int | None, Query(ge=1990, le=2100)] = None) -> dict[str, Any]:
    """Headline indicators, the trend and the barometer of all targets (with the rule)."""
    return cached_json(p, ("overview", year, lg), lambda: views.overview(p, year, lg), versions.TRACKING)


@router.get("/inventory/{year}", tags=["public"], response_model=models.InventoryOut)
def inventory(p: PlatformDep, lg: LangDep, year: Annotated[int, PathParam(ge=1990, le=2100)],
              sector: Annotated[str | None, Query(max_length=200)] = None,
              carrier: Annotated[str | None, Query(max_length=200)] = None) -> dict[str, Any]:
    """The inventory of a year: totals, by sector and carrier, energy flows, and every line with
    the factors used (value, unit, source document and table, status)."""
    key = ("inventory", year, lg, *_line_filter(p, year, lg, sector, carrier))
    return cached_json(p, key, lambda: views.inventory_view(p, year, sector, carrier, lg),
                       versions.ACCOUNTING + versions.METERED)


def _line_filter(p, year: int, lg: str, sector: str | None, carrier: str | None) -> tuple:
    """The filters as a cache key: a sector or carrier of the year's lines as itself, any other
    value as one marker (it selects no line, so every such answer is the same): the cache holds
    at most one entry per real filter, whatever strings callers send."""
    if not (sector or carrier):
        return ()
    lines = views.inventory_view(p, year, lang=lg)["lines"]  # the cached whole inventory
    known = {ln["sector"] for ln in lines}, {ln["carrier"] for ln in lines}
    return tuple(v if not v or v in seen else _NO_LINE for v, seen in zip((sector, carrier), known))


_NO_LINE = ("a value no line has",)  # not a string: no query value can equal it


@router.get("/targets", tags=["public"], response_model=Barometer)
def targets(p: PlatformDep, lg: LangDep, year: Annotated[int, Query(ge=1990, le=2100)],
            guard: Annotated[Any, Depends(public_gate)],
            green_min: Annotated[float, Query(gt=0, le=10)] = 1.0,
            yellow_min: Annotated[float, Query(gt=0, le=10)] = 0.8) -> dict[str, Any]:
    """Every target in ``year`` with its light, the rule beside it, and where the actual value
    comes from (computed with its inputs, or entered with its source)."""
    if yellow_min > green_min:
        raise InputRejected([InputIssue("input.bad_value", "query", None, "yellow_min",
                                        {"value": yellow_min, "reason": said("不得大于绿灯下限", "must not exceed green_min")})])
    rule = BarometerRule(green_min, yellow_min)
    return cached_json(p, ("targets", year, lg, rule), lambda: views.barometer(p, year, lg, rule), versions.TRACKING,
                       cache=rule == BarometerRule(), guard=guard)


@router.get("/targets/{target_id}/trajectory", tags=["public"], response_model=Trajectory)
def target_trajectory(p: PlatformDep, lg: LangDep, target_id: str) -> dict[str, Any]:
    return cached_json(p, ("trajectory", target_id, lg), lambda: views.target_trajectory(p, target_id, lg),
                       versions.TRACKING)


@router.get("/targets/{target_id}/sources", tags=["public"], response_model=target_drilldown.TargetSourceView)
def target_sources(p: PlatformDep, lg: LangDep, target_id: Annotated[str, PathParam(pattern=r"^[A-Za-z0-9_.-]{1,32}$")],
                   year: Annotated[int | None, Query(ge=1990, le=2100)] = None) -> Response:
    """Where a target's value comes from: the plan's source, the module's rule and every record
    behind the computed value, the entered value beside it, which one the barometer uses and why,
    and whether they disagree beyond the stated tolerance."""
    return cached_json(p, ("target-sources", target_id, year, lg),
                       lambda: target_drilldown.target_source(views.context(p), target_id, year, lg), versions.TRACKING)


@router.get("/plan", tags=["public"], response_model=models.PlanOut)
def plan(p: PlatformDep) -> dict[str, Any]:
    stored = plans.stored_plan(p)
    if stored is None:
        raise NotFound("no plan loaded")
    doc = plans.plan_document(stored)
    doc["findings"] = [f.as_dict() for f in plan_findings(stored)]
    return doc


@router.get("/projects", tags=["projects"], response_model=data.ProjectsOut)
def projects(p: PlatformDep, guard: Annotated[Any, Depends(public_gate)], type: str | None = None,
             town: str | None = None, status: str | None = None,
             year: Annotated[int | None, Query(ge=1990, le=2100)] = None) -> dict[str, Any]:
    return cached_json(p, ("projects", type, town, status, year),
                       lambda: {"projects": registry.list_projects(p, type, town, status, year),
                                "capacity": registry.capacity_summary(p)}, versions.PROJECTS,
                       cache=views.known_project_filter(p, type=type, town=town, status=status, year=year),
                       guard=guard)


@router.patch("/projects/{code}", tags=["projects"], response_model=registry.Project)
def patch_project(code: str, body: ProjectPatch, p: PlatformDep, who: SignedIn) -> dict[str, Any]:
    return registry.update_project(p, code, body.model_dump(exclude_unset=True), who)


@router.get("/tasks", tags=["tasks"], response_model=data.TasksOut)
def tasks(p: PlatformDep, who: SignedIn, department: str | None = None) -> dict[str, Any]:
    return {"tasks": registry.list_tasks(p, who, department), "department": who.department}


@router.patch("/tasks/{code}", tags=["tasks"], response_model=registry.Task)
def patch_task(code: str, body: TaskPatch, p: PlatformDep, who: SignedIn) -> dict[str, Any]:
    return registry.update_task(p, code, body.model_dump(exclude_unset=True), who)


async def _saved(request: Request, p) -> tuple[Path, str, str | None]:
    """The uploaded file, streamed to a temporary file within the import limits (api/uploads.py),
    and the ``kind`` form field."""
    got = await receive_upload(request, p.settings.import_limits)
    kind = got.fields.get("kind") or None
    if kind is not None and kind not in get_args(Kind):
        got.path.unlink(missing_ok=True)
        raise InputRejected([InputIssue("input.bad_value", "form", None, "kind", {"value": kind[:100], "reason": said(
            "应为以下数据类型之一（代码见接口文档）：" + "、".join(UPLOAD_KINDS[k][0] for k in get_args(Kind)),
            "expected " + " | ".join(get_args(Kind)))})])
    return got.path, got.name, kind


async def _upload(request: Request, p, who, dry_run: bool, lg: str = "zh") -> dict[str, Any]:
    path, name, kind = await _saved(request, p)
    try:  # the import is synchronous and may take seconds: in the thread pool, never on the event loop
        res = await run_in_threadpool(imports.import_file, p, path, who.username, kind=kind, dry_run=dry_run,
                                      display_name=name,  # policy: services/accounting.accounting_policy
                                      principal=who)
    finally:
        path.unlink(missing_ok=True)
    return {"dry_run": dry_run, **res.as_dict(lg)}  # with its warnings (findings: year-on-year jumps)


_UPLOAD_FORM = {"requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
    "type": "object", "required": ["file"],
    "properties": {"file": {"type": "string", "format": "binary", "description": "CSV or XLSX, within the import limits"},
                   "kind": {"type": "string", "enum": list(get_args(Kind)), "description": "default: from the headers"}}}}}}}
_TOO_LARGE = {413: {"model": ValidationErrors, "description": "the file is over an import limit (size, rows, columns, "
                                                              "cell length); the issue names the limit and its setting"}}


@router.post("/uploads/validate", tags=["data"], openapi_extra=_UPLOAD_FORM, responses=_TOO_LARGE,
             response_model=data.UploadOut)
async def validate_upload(request: Request, p: PlatformDep, lg: LangDep,
                          who: Annotated[users.Principal, Depends(allowed("data.import"))]) -> dict[str, Any]:
    """Validate a CSV/XLSX and report what an import would do; nothing is written."""
    return await _upload(request, p, who, dry_run=True, lg=lg)


@router.post("/uploads", tags=["data"], openapi_extra=_UPLOAD_FORM, responses=_TOO_LARGE, response_model=data.UploadOut)
async def upload(request: Request, p: PlatformDep, lg: LangDep,
                 who: Annotated[users.Principal, Depends(allowed("data.import"))]) -> dict[str, Any]:
    """Import a CSV/XLSX in one transaction (idempotent on natural keys)."""
    return await _upload(request, p, who, dry_run=False, lg=lg)


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TemplateKind = Literal[tuple(catalogue.TEMPLATES)]  # type: ignore[valid-type]  # exactly the kinds with a template


@router.get("/templates/{kind}", tags=["data"], response_class=Response,
            responses={200: {"content": {XLSX: {}}, "description": "the empty template with a help sheet"}})
def template(kind: TemplateKind) -> Response:
    name = f"carbonpeak-{kind}-template.xlsx"
    with tempfile.TemporaryDirectory() as d:  # written, read, removed: nothing is left behind per request
        body = catalogue.write_template(Path(d) / name, kind).read_bytes()
    return Response(body, media_type=XLSX, headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.get("/factors", tags=["public"], response_model=data.FactorsOut)
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


@router.get("/factors/county", tags=["data"], response_model=data.CountyFactorsOut)
def county_factors(p: PlatformDep, who: SignedIn, kind: str | None = None) -> dict[str, Any]:
    """Reference values set by the county (building quotas, growth rates, bamboo/tea parameters ...)."""
    return {"factors": factor_store.list_overrides(p, kind)}


@router.put("/factors/county", tags=["data"], response_model=data.StoredFactorsOut)
def set_county_factors(p: PlatformDep, rows: list[FactorIn],
                       who: Annotated[Any, Depends(allowed("factor.edit"))]) -> dict[str, Any]:
    """Set county values (one transaction, audited); each replaces the shipped row with the same
    key (kind, carrier, geography, year, parameter) or adds one."""
    return {"stored": factor_store.set_factors(p, [r.model_dump() for r in rows], who.username)}


@router.delete("/factors/county", tags=["data"], response_model=data.RemovedFactorOut)
def remove_county_factor(p: PlatformDep, who: Annotated[Any, Depends(allowed("factor.edit"))], kind: str,
                         parameter: str, carrier: str = "", geography: str = "",
                         year: Annotated[int | None, Query(ge=1990, le=2100)] = None) -> dict[str, Any]:
    """Remove a county value: the shipped value applies again."""
    return {"removed": factor_store.remove_factor(p, kind, carrier, geography, year, parameter, who.username)}


@router.get("/audit", tags=["audit"], response_model=data.AuditOut)
def audit_log(p: PlatformDep, who: SignedIn, entity: str | None = None, key: str | None = None,
              limit: Annotated[int, Query(ge=1, le=1000)] = 200,
              offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0) -> dict[str, Any]:
    """The audit trail as far as the account may read it (services/permissions.py, audit_scope)."""
    return {"entries": audit.history(p, entity, key, limit, offset, principal=who)}


class ScenarioEdit(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str | None = Field(default=None, max_length=100)
    gdp_growth: float | None = Field(default=None, ge=-0.2, le=0.3)
    intensity_change: float | None = Field(default=None, ge=-0.3, le=0.3)
    grid_factor_change: float | None = Field(default=None, ge=-0.3, le=0.3)
    switch_rates: dict[Annotated[str, Field(max_length=50)], Annotated[float, Field(ge=0, le=1)]] | None = None
    draws: int = Field(default=2000, ge=100, le=20000)
    seed: int | None = Field(default=None, ge=0, le=2**32 - 1)


@router.get("/scenarios", tags=["scenarios"], response_model=ScenarioListOut)
def scenarios_list() -> dict[str, Any]:
    return {"scenarios": scenarios.list_specs()}


def _published(p, name: str) -> tuple[scenarios.ScenarioResult, int, int]:
    """The published run of a bundled scenario (its spec's draws and seed): computed once per
    data version, whoever asks."""
    path = scenarios.spec_path(name)
    draws, seed = scenarios.published_run(path)
    key = ("scenario_run", name, draws, seed, versions.key(p, versions.SCENARIOS))  # not meter readings
    return p.cached(key, lambda: scenarios.run_scenario(p, path, draws, seed)), draws, seed


# Scenario runs are CPU-bound (about 1.2 s for 20 000 draws): the routes are plain ``def`` so they
# run in the thread pool, never on the event loop.
@router.get("/scenarios/{name}", tags=["scenarios"], response_model=ScenarioResultOut)
def scenario_run(p: PlatformDep, name: str, who: PrincipalDep, limit: Annotated[RunLimit, Depends(run_limit)],
                 draws: Annotated[int | None, Query(ge=100, le=20000, description="default: the published run's")] = None,
                 seed: Annotated[int | None, Query(ge=0, le=2**32 - 1, description="default: the published run's")] = None
                 ) -> Response:
    """Run a bundled scenario: peak year P10/P50/P90, peak value, P(peak ≤ 2030), bands, target
    checks, wedges, LMDI; all assumptions returned with the result. Anyone gets the published run
    (the spec's draws and seed, cached); other draws or seeds need sign-in and count against the
    account's run limit (429 with Retry-After when exceeded)."""
    path = scenarios.spec_path(name)
    pub_draws, pub_seed = scenarios.published_run(path)
    draws, seed = pub_draws if draws is None else draws, pub_seed if seed is None else seed
    if (draws, seed) == (pub_draws, pub_seed):
        return cached_json(p, ("scenario", name, draws, seed), lambda: _published(p, name)[0].to_dict(), versions.SCENARIOS)
    if who is None:
        raise AuthenticationFailed("匿名访问只提供发布的情景运行结果，其他抽样次数或随机种子请先登录 / anonymous callers get "
                                   "the published run only; sign in for other draws or seeds")
    return cached_json(p, ("scenario", name, draws, seed),
                       lambda: limit.run((p.settings.county, who.id),  # account ids are per county
                                         lambda: scenarios.run_scenario(p, path, draws, seed)).to_dict(),
                       versions.SCENARIOS)


@router.get("/scenarios/{name}/iamc.csv", tags=["scenarios"], response_class=Response,
            responses={200: {"content": {"text/csv": {}}, "description": "the published run in IAMC format"}})
def scenario_iamc(p: PlatformDep, name: str) -> Response:
    res = _published(p, name)[0]
    return Response(scenarios.iamc_frame(res).to_csv(index=False), media_type="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="carbonpeak-{name}-iamc.csv"'})


@router.post("/scenarios/{name}/edit", tags=["scenarios"], response_model=ScenarioResultOut)
def scenario_edit(p: PlatformDep, name: str, body: ScenarioEdit, who: SignedIn,
                  limit: Annotated[RunLimit, Depends(run_limit)]) -> Response:
    """Run a child of a bundled scenario with changed levers; returns the result and the child
    spec as TOML (to save and version). Counts against the account's run limit."""
    scenarios.spec_path(name)  # an unknown scenario is 404 without using the limit
    overrides = body.model_dump(exclude={"draws", "seed"})
    res = limit.run((p.settings.county, who.id), lambda: scenarios.run_child(p, name, overrides, body.draws, body.seed))
    return Response(serialize.encode(res.to_dict()), media_type="application/json")


@router.get("/sinks", tags=["sinks"], response_model=models.SinksOut)
def sinks_ledger(p: PlatformDep) -> dict[str, Any]:
    """The carbon-sink ledger from the stored forest inventories: stock by township and species
    group, the annual sink between the last two inventories, forest cover, factors used."""
    def compute() -> dict[str, Any]:
        plan = plans.stored_plan(p)
        return sinks.stored_ledger(p, plan.land_area_km2 if plan else None)
    return cached_json(p, ("sinks",), compute)


@router.get("/buildings", tags=["buildings"], response_model=models.BuildingsOut)
def public_buildings(p: PlatformDep, lg: LangDep,
                     year: Annotated[int | None, Query(ge=1990, le=2100)] = None) -> dict[str, Any]:
    """Public buildings of a year: energy use intensity, quota values (with their status), grade
    with its rule, rank within the class, buildings over their constraint value (公示)."""
    return cached_json(p, ("buildings", year, lg), lambda: buildings.stored_grades(p, year, lang=lg))
