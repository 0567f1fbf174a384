"""The whole web application: API + pages + static files. ``create_app(settings)`` is a factory."""

from __future__ import annotations

from importlib import resources

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.middleware.gzip import GZipMiddleware

from .. import __version__
from ..api.app import install
from ..services.platform import Platform
from ..services.tenancy import Deployment, open_deployment
from ..settings import Settings
from .carbon_pages import router as carbon_pages
from .county_pages import router as county_pages
from .docs import router as docs
from .guide_pages import router as guide_pages
from .pages import router as pages
from .accounts_page import router as accounts_page
from .reporting_pages import router as reporting_pages
from .supervision_pages import router as supervision_pages


def create_app(settings: Settings, platform: Platform | None = None, deployment: Deployment | None = None) -> FastAPI:
    """The application of ``deployment`` (default: opened from ``settings``; with ``platform``
    given, a one-county deployment of that platform)."""
    # /docs is served with Swagger UI 5 from the installed fastapi-offline package (its static
    # files only): nothing is loaded from a CDN (FastAPI's default) and no third-party asset is
    # committed (see docs.py).
    app = FastAPI(title="CarbonPeak 碳峰 API", version=__version__, docs_url=None, redoc_url=None, openapi_url=None,
                  description="县域碳达峰平台 API：核算、目标、项目、任务、数据、审计。Responses carry provenance "
                              "(factor ids, releases, sources) with every computed figure. 多县部署 / several counties: "
                              "`?county=<code>` chooses a county for a visitor (`/api/counties` lists them); a "
                              "county account always reads its own county.")
    if deployment is None:
        deployment = Deployment(settings, platform) if platform is not None else open_deployment(settings)
    install(app, settings, deployment)
    app.add_middleware(GZipMiddleware, minimum_size=1024)
    app.mount("/static", StaticFiles(directory=str(resources.files(__package__).joinpath("static"))), name="static")
    app.mount("/docs-assets", StaticFiles(directory=str(resources.files("fastapi_offline").joinpath("static"))),
              name="docs-assets")
    app.include_router(docs)
    app.include_router(pages)
    app.include_router(supervision_pages)
    app.include_router(carbon_pages)
    app.include_router(reporting_pages)
    app.include_router(accounts_page)
    app.include_router(guide_pages)
    app.include_router(county_pages)
    return app


def app_from_env() -> FastAPI:
    """Factory for `uvicorn --factory` and multi-process serving: settings from the environment,
    one deployment (each county's engine and caches) per process; caches stay coherent through the data version."""
    return create_app(Settings.from_env())
