"""Plotly served from the installed package: compressed once, cached for a year under a versioned address."""

from __future__ import annotations

from importlib.metadata import version

from fastapi import FastAPI
from fastapi.testclient import TestClient

from carbonpeak.web import pages
from carbonpeak.web.vendor import LONG_CACHE, url, vendor_file


def _client() -> TestClient:
    app = FastAPI()
    app.include_router(pages.router)
    return TestClient(app)


def test_plotly_is_sent_compressed_with_a_long_cache_and_revalidates():
    c = _client()
    original = vendor_file("plotly.min.js").read_bytes()
    assert url("plotly.min.js") == f"/vendor/plotly.min.js?v={version('plotly')}"
    r = c.get(url("plotly.min.js"), headers={"Accept-Encoding": "gzip"})
    assert r.status_code == 200 and r.headers["content-encoding"] == "gzip"
    assert r.headers["cache-control"] == LONG_CACHE and "immutable" in LONG_CACHE
    assert r.content == original  # httpx decodes the gzip body: the same bytes as the package's file
    sent = int(r.headers["content-length"])
    assert sent < len(original) / 3, sent  # 4.8 MB -> about 1.5 MB on the wire
    again = c.get("/vendor/plotly.min.js", headers={"If-None-Match": r.headers["etag"]})
    assert again.status_code == 304 and again.content == b""
    plain = c.get("/vendor/plotly.min.js", headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers and plain.content == original


def test_only_known_vendor_files():
    c = _client()
    assert c.get("/vendor/echarts.min.js").status_code == 404
    assert c.get("/vendor/..%2Fpages.py").status_code == 404
