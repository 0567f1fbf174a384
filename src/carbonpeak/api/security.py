"""Security headers on every response (pure ASGI middleware, so streamed files get them too).

The Content-Security-Policy allows scripts from this origin only: no inline script, no inline
event handler, no eval. Styles: this origin plus inline styles, which Plotly needs (it adds a
<style> element when it loads and positions chart parts with style attributes; tests/web/test_browser.py
shows the violations without it); images also as data: and blob: URIs (Plotly, Swagger UI).
Framing is refused (``frame-ancestors 'none'`` and ``X-Frame-Options: DENY``). HSTS only in
production, where the site is served over HTTPS.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
       "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
       "frame-ancestors 'none'")
HSTS = "max-age=31536000; includeSubDomains"


def header_list(production: bool) -> list[tuple[bytes, bytes]]:
    headers = {"content-security-policy": CSP, "x-frame-options": "DENY", "x-content-type-options": "nosniff",
               "referrer-policy": "same-origin", "cross-origin-opener-policy": "same-origin",
               "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=()"}
    if production:
        headers["strict-transport-security"] = HSTS
    return [(k.encode("latin-1"), v.encode("latin-1")) for k, v in headers.items()]


class SecurityHeaders:
    """Adds the headers a response does not set itself (a page may bring a stricter policy)."""

    def __init__(self, app: ASGIApp, production: bool = False) -> None:
        self.app = app
        self.headers = header_list(production)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in self.headers if k not in present]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, receive, send_with_headers)
