"""The API application: error mapping, sessions, routes. ``create_app(settings)`` is a factory."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from starlette.middleware.sessions import SessionMiddleware

from ..services.errors import CarbonPeakError, InputRejected, Throttled
from ..services.platform import Platform
from ..settings import Settings
from . import monitoring, reports
from .routes import router

SESSION_MAX_AGE = 8 * 3600


def error_response(exc: CarbonPeakError, lang: str = "zh") -> JSONResponse:
    """The one mapping from the service error tree to HTTP (see services/errors.py)."""
    if isinstance(exc, InputRejected):
        detail = [{"loc": [i.file, i.row, i.column], "type": i.code, "msg": i.message(lang),
                   "file": i.file, "row": i.row, "column": i.column} for i in exc.issues]
    else:
        detail = str(exc)
    headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, Throttled) else None
    return JSONResponse({"detail": detail}, status_code=exc.http_status, headers=headers)


def install(app: FastAPI, settings: Settings, platform: Platform) -> None:
    """Attach the platform, the session middleware, the error handler and the API routes."""
    app.state.platform = platform
    app.state.settings = settings
    app.add_middleware(SessionMiddleware, secret_key=settings.session_secret(), session_cookie="carbonpeak_session",
                       max_age=SESSION_MAX_AGE, same_site="lax", https_only=settings.env == "production")

    @app.exception_handler(CarbonPeakError)
    async def _handle(request: Request, exc: CarbonPeakError) -> JSONResponse:
        lang = request.query_params.get("lang") or request.cookies.get("lang") or "zh"
        return error_response(exc, "en" if lang == "en" else "zh")

    app.include_router(router)
    app.include_router(monitoring.router)
    app.include_router(reports.router)
