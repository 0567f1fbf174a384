"""The API application: error mapping, sessions, routes. ``create_app(settings)`` is a factory."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from starlette.middleware.sessions import SessionMiddleware

from ..services.errors import CarbonPeakError, InputRejected, Throttled
from ..services.tenancy import Deployment
from ..settings import Settings
from . import accounts, auth, carbon, counties, monitoring, reporting, reports, supervision
from .contract import ERROR_RESPONSES, extend_openapi
from .request_guard import RequestGuard
from .routes import router
from .security import SecurityHeaders
from .versions_scope import VersionsSnapshot

SESSION_MAX_AGE = 8 * 3600  # the cookie's life; the server-side session ends it earlier (services/auth_sessions.py)


def error_response(exc: CarbonPeakError, lang: str = "zh", max_issues: int = 100) -> JSONResponse:
    """The one mapping from the service error tree to HTTP (see services/errors.py). Refused input
    lists its first ``max_issues`` issues, with the total and a note when some are not listed."""
    body: dict = {}
    if isinstance(exc, InputRejected):
        shown, note = exc.first(max_issues, lang)
        # loc as FastAPI's own errors: strings and integers, the parts that are known (no nulls)
        body["detail"] = [{"loc": [x for x in (i.file, i.row, i.column) if x is not None], "type": i.code,
                           "msg": i.message(lang), "file": i.file, "row": i.row, "column": i.column} for i in shown]
        body["issues_total"] = len(exc.issues)
        if note:
            body["issues_note"] = note
    else:
        body["detail"] = str(exc)
    headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, Throttled) else None
    return JSONResponse(body, status_code=exc.http_status, headers=headers)


def install(app: FastAPI, settings: Settings, deployment: Deployment) -> None:
    """Attach the deployment (its counties' platforms), the session middleware, the error handler
    and the API routes. ``app.state.platform`` is the deployment's own platform: on a one-county
    deployment the county itself."""
    app.state.deployment = deployment
    app.state.platform = deployment.home
    app.state.settings = settings
    app.add_middleware(SessionMiddleware, secret_key=settings.session_secret(), session_cookie="carbonpeak_session",
                       max_age=SESSION_MAX_AGE, same_site="lax", https_only=settings.env == "production")
    app.add_middleware(RequestGuard)  # body size (uploads apart) and NUL characters, before any route
    app.add_middleware(VersionsSnapshot)  # a read request reads the data versions once (services/versions.py)
    app.add_middleware(SecurityHeaders, production=settings.env == "production")  # outside: on every answer

    @app.exception_handler(CarbonPeakError)
    async def _handle(request: Request, exc: CarbonPeakError) -> JSONResponse:
        lang = request.query_params.get("lang") or request.cookies.get("lang") or "zh"
        return error_response(exc, "en" if lang == "en" else "zh", settings.import_limits.max_issues)

    for r in (auth.router, router, monitoring.router, reports.router, supervision.router, carbon.router,
              reporting.router, accounts.router, counties.router):  # every operation declares the 422 body
        app.include_router(r, responses=ERROR_RESPONSES)
    extend_openapi(app, monitoring.READINGS_SCHEMAS, {"bearer": monitoring.BEARER})
