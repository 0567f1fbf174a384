"""Third-party browser code, served from installed packages (never a CDN, never committed to the repo).

Plotly's bundle is 4.8 MB. It is compressed once per process (gzip, level 9: about 1.5 MB) instead
of by the gzip middleware on every request, and sent with a year-long, immutable cache lifetime: the
page links it as ``/vendor/plotly.min.js?v=<package version>`` (``url``), so an upgrade of the package
changes the address and browsers fetch the new file. An ETag answers revalidations with 304.
"""

from __future__ import annotations

import gzip
import hashlib
from dataclasses import dataclass
from functools import cache
from importlib.metadata import version
from pathlib import Path

from fastapi import Request
from fastapi.responses import Response

from ..services.errors import NotFound

LONG_CACHE = "public, max-age=31536000, immutable"
PACKAGES = {"plotly.min.js": "plotly"}  # file name -> the installed package that ships it


@dataclass(frozen=True)
class Asset:
    body: bytes
    gzipped: bytes
    etag: str


def vendor_file(name: str) -> Path:
    """The file inside its installed package."""
    if name == "plotly.min.js":
        import plotly
        return Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    raise NotFound(name)


def url(name: str) -> str:
    """The address a page links: versioned by the package's version, so it can be cached for a year."""
    return f"/vendor/{name}?v={version(PACKAGES[name])}"


@cache
def _asset(name: str) -> Asset:
    body = vendor_file(name).read_bytes()
    return Asset(body, gzip.compress(body, 9), '"' + hashlib.sha256(body).hexdigest()[:32] + '"')


def _accepts_gzip(request: Request) -> bool:
    return "gzip" in request.headers.get("accept-encoding", "").lower()


def response(name: str, request: Request) -> Response:
    """The file, gzip-compressed when the browser accepts it, 304 when its copy is current."""
    if name not in PACKAGES:
        return Response(status_code=404)
    a = _asset(name)
    headers = {"Cache-Control": LONG_CACHE, "ETag": a.etag, "Vary": "Accept-Encoding"}
    if request.headers.get("if-none-match") == a.etag:
        return Response(status_code=304, headers=headers)
    if _accepts_gzip(request):
        headers["Content-Encoding"] = "gzip"
        return Response(a.gzipped, media_type="text/javascript", headers=headers)
    return Response(a.body, media_type="text/javascript", headers=headers)
