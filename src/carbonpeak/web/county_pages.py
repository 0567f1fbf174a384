"""Several counties on one deployment: the county chooser (``/county``) and the city's page
(``/city``, the counties side by side and summed, services/city.py) for city accounts."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from ..api.deps import COUNTY_COOKIE, city_principal, tier_principal
from ..api.deps import deployment as deployment_of
from ..api.deps import lang as lang_of
from ..services import city, cockpit
from ..services.errors import AuthenticationFailed, Forbidden, NotFound
from . import i18n
from .pages import _page, safe_path

router = APIRouter(include_in_schema=False)
COOKIE_AGE = 365 * 24 * 3600


@router.get("/county")
def choose_county(request: Request, code: str = "", next: str = "/"):
    """Remember the county a visitor chose (a cookie) and go back to the page. A county's own
    account stays in its county whatever it chooses (services/tenancy.py)."""
    dep = deployment_of(request)
    resp = RedirectResponse(safe_path(next), status_code=303)
    if not dep.multi:  # one county: nothing to choose
        return resp
    if code not in dep.counties:
        raise NotFound(f"没有该县：{code[:40]} / no such county: {code[:40]}")
    resp.set_cookie(COUNTY_COOKIE, code, max_age=COOKIE_AGE, samesite="lax", httponly=True)
    return resp


@router.get("/city", response_class=HTMLResponse)
def city_page(request: Request, year: str = ""):
    """The counties side by side and summed, for the city's accounts; a year without data in
    every county shows the latest that has, and says so."""
    dep = deployment_of(request)
    if not dep.multi:
        return _page(request, "city.html", "city", ov=None)
    try:
        city_principal(request)
    except AuthenticationFailed:
        return RedirectResponse("/login?county=city&next=/city", status_code=303)
    except Forbidden:
        if (who := tier_principal(request)) is not None and who.must_change_password:
            return RedirectResponse("/account", status_code=303)
        raise
    lg = lang_of(request)
    latest = city.overview(dep, None, lg)
    choice = cockpit.choose_year(year, list(latest.years))
    ov = latest if choice.year in (None, latest.year) else city.overview(dep, choice.year, lg)
    data: dict[str, Any] = {"ov": ov, "choice": choice, "county_name": i18n.t("city_tier", lg)}
    return _page(request, "city.html", "city", **data)
