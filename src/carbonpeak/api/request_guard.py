"""Checks on every request before a route sees it (pure ASGI middleware).

- **Body size.** Starlette reads a JSON body whole into memory before anything checks it, and the
  readings endpoint reads its body before it looks at the token: without a bound, one anonymous
  request of a few hundred megabytes fills the server's memory. A body longer than its limit is
  refused with HTTP 413 before it is read when the client declares its length, else as soon as the
  bytes received pass the limit (chunked transfer). File uploads have their own configurable limit
  while they stream to disk (api/uploads.py) and are not counted here.
- **NUL characters.** No text column holds NUL (PostgreSQL refuses it, so a ``\\u0000`` in a note,
  a user name or a query value was a 500): a path, query value or JSON string with one is refused
  with 422 naming the parameter or field.

Answers have the shape of every refused input (api/contract.py): each issue names where it is.
"""

from __future__ import annotations

import json
from urllib.parse import parse_qsl

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..domain.findings import InputIssue
from ..services import ingest
from ..tabular import size_text

JSON_MAX = 1024 * 1024  # a PATCH or PUT body: a project note, a thousand county factor values ...
READINGS_MAX = ingest.MAX_BYTES  # a full batch of readings (MQTT payloads are bounded the same, in ingest.decode)
UPLOADS = ("/api/uploads", "/api/uploads/validate")  # streamed to disk within the import limits
READINGS = "/api/monitoring/readings"
_NUL_ESCAPE = b"\\u0000"


def body_limit(path: str) -> int | None:
    """The most bytes a request body to ``path`` may have (None: not counted here)."""
    if path in UPLOADS:
        return None
    return READINGS_MAX if path == READINGS else JSON_MAX


def _item(issue: InputIssue, lang: str, loc: list) -> dict:
    return {"loc": loc, "type": issue.code, "msg": issue.message(lang), "file": issue.file, "row": None,
            "column": issue.column}


def _nul_path(value, at: tuple = ()) -> tuple | None:
    """Where in a decoded JSON document a string (or key) holds NUL, else None."""
    if isinstance(value, str):
        return at if "\x00" in value else None
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for k, v in items:
        if isinstance(k, str) and "\x00" in k:
            return (*at, k)
        found = _nul_path(v, (*at, k))
        if found is not None:
            return found
    return None


def nul_in_query(scope: Scope, lang: str) -> list[dict]:
    if "\x00" in scope["path"]:
        return [_item(InputIssue("input.nul_character", "path", None, None, {}), lang, ["path"])]
    query = scope.get("query_string", b"").decode("latin-1")
    if "%00" not in query and "\x00" not in query:
        return []
    bad = [k for k, v in parse_qsl(query, keep_blank_values=True) if "\x00" in k or "\x00" in v]
    return [_item(InputIssue("input.nul_character", "query", None, k.replace("\x00", "\\0")[:100], {}), lang,
                  ["query", k.replace("\x00", "\\0")[:100]]) for k in bad[:1]]


def escaped_nul(body: bytes) -> bool:
    """Whether ``body`` holds the JSON escape \\u0000 (not \\\\u0000: an escaped backslash, then
    text). Found by ``bytes.find``, then the backslashes before each hit counted: linear in the
    body, on the event loop (a regular expression with a look-behind took 0.3 s on a 4 MB body)."""
    at = body.find(_NUL_ESCAPE)
    while at != -1:
        start = at
        while start > 0 and body[start - 1] == 0x5C:
            start -= 1
        if (at - start) % 2 == 0:
            return True
        at = body.find(_NUL_ESCAPE, at + 1)
    return False


def nul_in_body(body: bytes, lang: str) -> list[dict]:
    if not escaped_nul(body):
        return []
    try:
        where = _nul_path(json.loads(body))
    except ValueError:
        return []  # not JSON after all: the route's own parser answers
    if where is None:
        return []
    field = ".".join(map(str, where)).replace("\x00", "\\0")[:100] or None
    return [_item(InputIssue("input.nul_character", "request", None, field, {}), lang, ["body", *where][:20])]


def _lang(scope: Scope) -> str:
    request = Request(scope)  # the query and the cookies only: the body is not touched
    return "en" if (request.query_params.get("lang") or request.cookies.get("lang")) == "en" else "zh"


class RequestGuard:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        refused = nul_in_query(scope, _lang(scope))
        if refused:
            await _answer(send, 422, refused)
            return
        limit = body_limit(scope["path"])
        if limit is None:
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers", [])).get(b"content-length", b"")
        body = None if declared.isdigit() and int(declared) > limit else await _read(receive, limit)
        if body is None:
            await _answer(send, 413, [_item(InputIssue("input.limit.body", "request", None, None,
                                                       {"limit": size_text(limit)}), _lang(scope), ["request"])])
            return
        refused = nul_in_body(body, _lang(scope))
        if refused:
            await _answer(send, 422, refused)
            return
        await self.app(scope, _replay(body, receive), send)


async def _read(receive: Receive, limit: int) -> bytes | None:
    """The whole body, or None once it passes ``limit`` bytes (the rest is not read)."""
    chunks, size = [], 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return b"".join(chunks)  # the client went away: the route sees an empty body
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()  # after the body: the disconnect, when it comes
    return replay


async def _answer(send: Send, status: int, detail: list[dict]) -> None:
    body = json.dumps({"detail": detail, "issues_total": len(detail)}, ensure_ascii=False).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
