"""Request dependencies: the platform, the signed-in principal, permission checks (decided by
services/permissions.py), CSRF, language."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import Depends, Request

from ..services import permissions, tenancy
from ..services.errors import AuthenticationFailed, Forbidden
from ..services.platform import Platform
from ..services.tenancy import Deployment
from ..services.users import Principal, session_principal

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
CSRF_HEADER = "X-CSRF-Token"
PASSWORD_FIRST = {"/api/auth/password", "/api/auth/logout"}  # all a must-change-password account may do


SESSION_KEY = "sid"  # the cookie carries this random token; the session itself is a table row
COUNTY_KEY = "county"  # the session's tier: a county's code, or tenancy.CITY for the city's accounts
COUNTY_COOKIE = "county"  # the county a visitor chose (web/pages.py /county); ?county= for one request


def deployment(request: Request) -> Deployment:
    return request.app.state.deployment


def _session_tier(request: Request) -> str | None:
    """The tier of a signed-in session: on a one-county deployment its only one; on a deployment
    of several, the county (or tenancy.CITY) the sign-in named, if the deployment still holds it.
    None: not signed in, or a session that names no tier the deployment has (one from before the
    deployment held several counties, or of a county since removed), which is not honoured."""
    if not isinstance(request.session.get(SESSION_KEY), str):
        return None
    dep = deployment(request)
    if not dep.multi:
        return tenancy.CITY
    tier = request.session.get(COUNTY_KEY)
    return tier if isinstance(tier, str) and (tier == tenancy.CITY or tier in dep.counties) else None


def platform(request: Request) -> Platform:
    """The platform of the request's county, decided once per request (services/tenancy.py): a
    county account's own county, else the county the visitor chose (``?county=``: an unknown code
    is "not found"; a remembered choice the deployment no longer has is forgotten), else the first."""
    if hasattr(request.state, "platform"):
        return request.state.platform
    dep = deployment(request)
    chosen = request.query_params.get("county")
    chosen = None if chosen == "city" else chosen  # /login?county=city: the city's sign-in, on a county page
    if not chosen:
        remembered = request.cookies.get(COUNTY_COOKIE)
        chosen = remembered if remembered in dep.counties else None
    code, p = dep.resolve(_session_tier(request) or None, chosen)
    request.state.county, request.state.platform = code, p
    return p


def county_code(request: Request) -> str:
    """The code of the request's county ('' on a one-county deployment)."""
    platform(request)
    return request.state.county


def principal(request: Request) -> Principal | None:
    """The account of the request's server-side session, looked up once per request in the
    session's own tier; a city account on a county's page is a visitor there (None). A session
    that has ended (logout, password change, account disabled, expired) clears the cookie."""
    if hasattr(request.state, "principal"):
        return request.state.principal
    token, tier = request.session.get(SESSION_KEY), _session_tier(request)
    home = deployment(request).platform_of(tier) if tier is not None else None
    p = session_principal(home, token) if isinstance(token, str) and home is not None else None
    if p is None and request.session:
        request.session.clear()
    request.state.principal = p if home is platform(request) else None
    request.state.tier_principal = p
    return request.state.principal


def tier_principal(request: Request) -> Principal | None:
    """The signed-in account in its own tier (for the city's pages: a city account)."""
    principal(request)
    return request.state.tier_principal


def session_token(request: Request) -> str | None:
    token = request.session.get(SESSION_KEY)
    return token if isinstance(token, str) else None


def lang(request: Request) -> str:
    q = request.query_params.get("lang")
    if q in ("zh", "en"):
        return q
    c = request.cookies.get("lang")
    return c if c in ("zh", "en") else "zh"


def csrf_token(request: Request) -> str:
    token = request.session.get("csrf")
    if not token:
        token = request.session["csrf"] = secrets.token_urlsafe(32)
    return token


def tier_platform(request: Request) -> Platform:
    """The platform of the signed-in account's own tier (a county's, or the city's own for a city
    account); for a visitor, the request's county. Sign-in, sign-out and the own password use it."""
    tier = _session_tier(request)
    return deployment(request).platform_of(tier) if tier is not None else platform(request)


def signed_in(p: Annotated[Principal | None, Depends(principal)], request: Request) -> Principal:
    """Any signed-in account; unsafe methods must carry the session's CSRF token."""
    return _checked(p, request)


def signed_in_tier(p: Annotated[Principal | None, Depends(tier_principal)], request: Request) -> Principal:
    """Any signed-in account in its own tier (a city account too), checked as :func:`signed_in`."""
    return _checked(p, request)


def _checked(p: Principal | None, request: Request) -> Principal:
    if p is None:
        raise AuthenticationFailed("请先登录 / sign in first")
    if p.must_change_password and request.url.path not in PASSWORD_FIRST:
        raise Forbidden("请先修改密码：管理员重置的密码须在首次登录时修改 / change your password first: a password "
                        "an administrator set must be changed at the first sign-in")
    if request.method not in SAFE_METHODS:
        sent = request.headers.get(CSRF_HEADER, "")
        if not sent or not secrets.compare_digest(sent.encode(), request.session.get("csrf", "").encode()):
            raise Forbidden("页面已过期，请刷新后重试（CSRF 校验失败） / missing or wrong CSRF token")
    return p


def allowed(operation: str):
    """A signed-in principal whose role may do ``operation`` (services/permissions.py decides)."""
    def check(p: Annotated[Principal, Depends(signed_in)]) -> Principal:
        return permissions.require(p, operation)
    return check


def allowed_in_tier(operation: str):
    """As :func:`allowed`, for an account in its own tier (the own session and password)."""
    def check(p: Annotated[Principal, Depends(signed_in_tier)]) -> Principal:
        return permissions.require(p, operation)
    return check


def city_principal(request: Request) -> Principal:
    """A city account (signed in to the deployment's own tier) whose role may see the counties
    side by side; checked as :func:`signed_in` (a password to change first, CSRF)."""
    if not deployment(request).multi or _session_tier(request) != tenancy.CITY:
        raise AuthenticationFailed("请以市级账号登录 / sign in with a city account")
    return permissions.require(_checked(tier_principal(request), request), "city.view")


def login_tier(request: Request, county: str | None) -> str:
    """The tier an account signs in to: ``county`` (a county's code, or ``city`` for the city's
    accounts), else the county the visitor is looking at. Unknown code: NotFound."""
    dep = deployment(request)
    if not dep.multi:
        return tenancy.CITY
    if county == "city":
        return tenancy.CITY
    if county is None:
        return county_code(request)
    dep.county(county)
    return county


PlatformDep = Annotated[Platform, Depends(platform)]
TierPlatformDep = Annotated[Platform, Depends(tier_platform)]
PrincipalDep = Annotated[Principal | None, Depends(principal)]
TierPrincipalDep = Annotated[Principal | None, Depends(tier_principal)]
SignedIn = Annotated[Principal, Depends(signed_in)]
LangDep = Annotated[str, Depends(lang)]
