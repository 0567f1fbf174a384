"""The API documentation: Swagger UI 5 (it renders OpenAPI 3.1) from the static files of the
installed fastapi-offline package, started by a static script (no inline script, so the page runs
under the site's Content-Security-Policy), and the OpenAPI document. In production both need a signed-in account unless CARBONPEAK_PUBLIC_DOCS=1."""

from __future__ import annotations

from importlib import resources

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from ..api.deps import principal as principal_of
from ..services.errors import AuthenticationFailed

router = APIRouter(include_in_schema=False)
PAGE = resources.files(__package__).joinpath("templates", "docs.html").read_text(encoding="utf-8")


def docs_open(request: Request) -> bool:
    s = request.app.state.settings
    return s.env != "production" or s.public_docs or principal_of(request) is not None


@router.get("/docs")
def docs(request: Request) -> Response:
    if not docs_open(request):
        return RedirectResponse("/login?next=/docs", status_code=303)
    return HTMLResponse(PAGE)


@router.get("/openapi.json")
def openapi(request: Request) -> JSONResponse:
    if not docs_open(request):
        raise AuthenticationFailed("请先登录 / sign in first")
    return JSONResponse(request.app.openapi())
