"""The counties of a deployment (services/tenancy.py): which there are, and which one a request reads."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel

from ..services import city
from ..services.users import Principal
from .deps import LangDep, city_principal, county_code, deployment

router = APIRouter(prefix="/api", tags=["counties"])


class CountyOut(BaseModel):
    code: str
    name: str


class CountiesOut(BaseModel):
    """``counties`` is empty on a one-county deployment; ``current`` is the county this request
    reads (a county account's own; a visitor's choice, ``?county=<code>``; else the first)."""
    counties: list[CountyOut]
    current: str


@router.get("/counties", response_model=CountiesOut)
def counties(request: Request) -> CountiesOut:
    dep = deployment(request)
    return CountiesOut(counties=[CountyOut(code=c.code, name=c.name) for c in dep.info()] if dep.multi else [],
                       current=county_code(request))


@router.get("/city", response_model=city.CityOverview)
def city_overview(request: Request, lg: LangDep, who: Annotated[Principal, Depends(city_principal)],
                  year: int | None = Query(default=None, ge=1990, le=2100)) -> city.CityOverview:
    """The counties side by side and summed by perspective (services/city.py), for the city's
    accounts: the figures of the /city page."""
    return city.overview(deployment(request), year, lg)
