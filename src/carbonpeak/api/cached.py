"""Cached answers sent as they are stored: the body and, for large ones, its gzip compression made
once when the entry is cached (compressing a multi-megabyte inventory on every request would
cost more than computing it). The gzip middleware leaves a response that is already encoded
alone; smaller bodies are compressed by it as before."""

from __future__ import annotations

import gzip

from starlette.responses import Response
from starlette.types import Receive, Scope, Send

PRECOMPRESS_FROM = 64 * 1024  # bytes


def packed(body: bytes) -> tuple[bytes, bytes | None]:
    """What a cache entry holds: the body, and its gzip form when it is large."""
    return body, (gzip.compress(body, 6) if len(body) >= PRECOMPRESS_FROM else None)


def weight(entry: tuple[bytes, bytes | None]) -> int:
    return len(entry[0]) + len(entry[1] or b"")


def _accepts_gzip(scope: Scope) -> bool:
    for name, value in scope.get("headers", ()):
        if name == b"accept-encoding":
            return b"gzip" in value.lower()
    return False


class Precompressed(Response):
    """Sends the gzip form of a cached entry to clients that accept it, else the body."""

    def __init__(self, entry: tuple[bytes, bytes | None], media_type: str):
        super().__init__(entry[0], media_type=media_type)
        self._gzipped = entry[1]
        if self._gzipped is not None:
            self.headers["vary"] = "Accept-Encoding"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self._gzipped is not None and _accepts_gzip(scope):
            self.body = self._gzipped
            self.headers["content-encoding"] = "gzip"
            self.headers["content-length"] = str(len(self.body))
        await super().__call__(scope, receive, send)
