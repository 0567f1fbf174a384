"""One snapshot of the data versions per read request (pure ASGI middleware).

A GET or HEAD request reads the ``data_versions`` table at most once, however many cached figures
it keys (services/versions.py, :func:`~carbonpeak.services.versions.snapshot`); the snapshot ends
with the request. Other methods write, so they read the versions fresh each time (and a change
committed inside a snapshot scope drops the snapshot anyway).
"""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send

from ..services import versions

READS = ("GET", "HEAD")


class VersionsSnapshot:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") not in READS:
            await self.app(scope, receive, send)
            return
        with versions.snapshot():
            await self.app(scope, receive, send)
