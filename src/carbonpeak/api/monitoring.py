"""Monitoring routes: the readings endpoint for key units' end devices, the county's views, and
the public disclosure of supervision results. The response schemas are the services' own results
(services/monitoring/types.py)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

import msgspec
from fastapi import APIRouter, Depends, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict

from ..domain.findings import InputIssue
from ..domain.messages import said
from ..domain.monitoring import BudgetRule
from ..services import ingest, monitoring, permissions, serialize, versions
from ..services.errors import Forbidden, InputRejected
from ..services.scope import Scope
from ..services.users import Principal
from .contract import IsoDate
from .deps import LangDep, PlatformDep, SignedIn, allowed
from .routes import cached_json

router = APIRouter(prefix="/api")
Year = Annotated[int, Query(ge=1990, le=2100)]
AsOf = Annotated[IsoDate | None, Query(description="last day counted (YYYY-MM-DD); default: the last day with data")]
_encode = msgspec.json.Encoder().encode


# The body and answer schemas of the readings endpoint, in components/schemas (see contract.extend_openapi)
(_ENVELOPE, _ANSWER), READINGS_SCHEMAS = msgspec.json.schema_components(
    [ingest.Envelope, ingest.ReadingsAnswer], ref_template="#/components/schemas/{name}")
READINGS_SCHEMAS["Envelope"]["properties"]["data"]["maxItems"] = ingest.MAX_RECORDS
BEARER = {"type": "http", "scheme": "bearer", "description": "the unit's API token (接口令牌), cpk_…"}


def _json(data: Any) -> Response:
    return Response(_encode(data), media_type="application/json")


def _typed(result: Any) -> Response:
    """A service's dataclass as its JSON document (the route's response_model documents it)."""
    return Response(serialize.encode(monitoring.plain(result)), media_type="application/json")


def scope(p: PlatformDep, who: SignedIn) -> Scope:
    """What the signed-in account sees, built once for the request (services/permissions.py)."""
    return permissions.scope_of(p, who)


ScopeDep = Annotated[Scope, Depends(scope)]


class TokenOut(BaseModel):
    model_config = ConfigDict(extra="forbid")
    uscc: str
    token: str
_ONE_UNIT = "an enterprise account sees its own unit only / 企业账号只能查看本单位"


@router.post("/monitoring/readings", tags=["monitoring"], openapi_extra={
    "requestBody": {"required": True, "content": {"application/json": {"schema": _ENVELOPE}}},
    "responses": {"200": {"description": "every record's result", "content": {"application/json": {"schema": _ANSWER}}}},
    "security": [{"bearer": []}]})
async def post_readings(request: Request, p: PlatformDep, lg: LangDep) -> Response:
    """A batch of readings from a unit's end device (``Authorization: Bearer <unit token>``).

    Fields as in GB/T 37947.1 implementations: ``dataCode`` (metering point), ``dataValue``,
    ``statType`` (0 real-time, 1 day, 2 month, 3 year), ``statDate`` (start of the period; ISO 8601,
    China time when no offset). The answer gives every record's result in order (``results``) and
    the reasons of the refused ones (``problems``). Accepted records are stored together in one
    transaction; resending a batch stores nothing twice."""
    auth = request.headers.get("authorization", "")
    token = auth[7:].strip() if auth[:7].lower() == "bearer " else None
    body = await request.body()

    def work():
        sender = ingest.authenticate(p, token)
        return ingest.ingest(p, sender, ingest.decode(body), "http", lg)
    return _json(await run_in_threadpool(work))


@router.post("/monitoring/units/{uscc}/token", tags=["monitoring"], response_model=TokenOut)
def new_token(p: PlatformDep, uscc: str, who: Annotated[Principal, Depends(allowed("unit.token"))]) -> dict[str, Any]:
    """Issue a new API token for a unit's end device (shown once; the previous one stops working)."""
    return {"uscc": uscc, "token": ingest.issue_token(p, uscc, who.username)}


def _in_year(as_of: date | None, year: int) -> None:
    """The day figures are stated at lies in the year they are of (1677-01-01 for 2024 is a 422)."""
    if as_of is not None and as_of.year != year:
        raise InputRejected([InputIssue("input.date_outside_year", "query", None, "as_of",
                                        {"value": as_of.isoformat(), "year": year})])


@router.get("/monitoring/units", tags=["monitoring"], response_model=monitoring.UnitsView)
def units(p: PlatformDep, lg: LangDep, sc: ScopeDep, year: Year, as_of: AsOf = None) -> Response:
    """Registry with each unit's metered energy and CO2, budget light, efficiency and findings."""
    _in_year(as_of, year)
    return _typed(monitoring.view_of(monitoring.monitoring_snapshot(p, sc, year, as_of, lang=lg, monthly=False)))


@router.get("/monitoring/series", tags=["monitoring"], response_model=monitoring.Series)
def series(p: PlatformDep, sc: ScopeDep, year: Year,
           resolution: Literal["hour", "day", "month"] = "month",
           by: Literal["unit", "industry", "town"] = "unit", uscc: str | None = None) -> Response:
    """Energy [tce] and CO2 [t] by period and carrier, per unit, industry or town, with the
    statistic each value comes from (basis) and the factor ids used."""
    if sc.one_unit and (uscc not in (None, sc.unit) or by != "unit"):
        raise Forbidden(_ONE_UNIT)
    rows = monitoring.aggregate(p, year, resolution, by, sc, uscc)
    return _json({"year": year, "resolution": resolution, "by": by, "rows": monitoring.series_plain(rows, by)})


@router.get("/monitoring/quality", tags=["monitoring"], response_model=monitoring.QualityReport)
def quality(p: PlatformDep, lg: LangDep, sc: ScopeDep, year: Year, as_of: AsOf = None) -> Response:
    """Data-quality findings (completeness, gaps, calibration, day against month, 205-1)."""
    _in_year(as_of, year)
    return _typed(monitoring.quality_report(p, year, as_of, lg, sc))


@router.get("/monitoring/budgets", tags=["monitoring"], response_model=monitoring.Budgets)
def budgets(p: PlatformDep, lg: LangDep, sc: ScopeDep, year: Year, as_of: AsOf = None,
            yellow: Annotated[float, Query(gt=0, le=10)] = 1.0,
            red: Annotated[float, Query(gt=0, le=10)] = 1.1) -> Response:
    """Energy budgets with time-prorated use and the early-warning light (rule configurable)."""
    _in_year(as_of, year)
    if yellow > red:
        raise InputRejected([InputIssue("input.bad_value", "query", None, "yellow",
                                        {"value": yellow, "reason": said("不得大于红色预警阈值", "must not exceed red")})])
    return _typed(monitoring.budgets(p, year, as_of, BudgetRule(yellow, red), lg, sc))


@router.get("/monitoring/efficiency", tags=["monitoring"], response_model=monitoring.Efficiency)
def efficiency(p: PlatformDep, lg: LangDep, sc: ScopeDep, year: Year) -> Response:
    """Unit product energy consumption against benchmarks and limits; the "两高" list."""
    return _typed(monitoring.efficiency(p, year, lg, sc))


@router.get("/public/disclosure", tags=["public"], response_model=monitoring.Disclosure)
def disclosure(p: PlatformDep, lg: LangDep, year: Year) -> Response:
    """Public supervision results (向社会公开节能监察工作情况): no meter data, no credentials."""
    # cached per year, language, day (budgets are prorated to today) and version of the metered data
    return cached_json(p, ("disclosure", year, lg, date.today().isoformat()), lambda: monitoring.plain(monitoring.disclosure(p, year, lg)),
                       versions.METERED)
