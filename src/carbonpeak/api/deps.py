"""Request dependencies: the platform, the signed-in principal, permission checks (decided by
services/permissions.py), CSRF, language."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import Depends, Request

from ..services import permissions
from ..services.errors import AuthenticationFailed, Forbidden
from ..services.platform import Platform
from ..services.users import Principal, session_principal

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
CSRF_HEADER = "X-CSRF-Token"
PASSWORD_FIRST = {"/api/auth/password", "/api/auth/logout"}  # all a must-change-password account may do


def platform(request: Request) -> Platform:
    return request.app.state.platform


SESSION_KEY = "sid"  # the cookie carries this random token; the session itself is a table row


def principal(request: Request) -> Principal | None:
    """The account of the request's server-side session, looked up once per request; a session
    that has ended (logout, password change, account disabled, expired) clears the cookie."""
    if hasattr(request.state, "principal"):
        return request.state.principal
    token = request.session.get(SESSION_KEY)
    p = session_principal(request.app.state.platform, token) if isinstance(token, str) else None
    if p is None and request.session:
        request.session.clear()
    request.state.principal = p
    return p


def session_token(request: Request) -> str | None:
    token = request.session.get(SESSION_KEY)
    return token if isinstance(token, str) else None


def lang(request: Request) -> str:
    q = request.query_params.get("lang")
    if q in ("zh", "en"):
        return q
    c = request.cookies.get("lang")
    return c if c in ("zh", "en") else "zh"


def csrf_token(request: Request) -> str:
    token = request.session.get("csrf")
    if not token:
        token = request.session["csrf"] = secrets.token_urlsafe(32)
    return token


def signed_in(p: Annotated[Principal | None, Depends(principal)], request: Request) -> Principal:
    """Any signed-in account; unsafe methods must carry the session's CSRF token."""
    if p is None:
        raise AuthenticationFailed("请先登录 / sign in first")
    if p.must_change_password and request.url.path not in PASSWORD_FIRST:
        raise Forbidden("请先修改密码：管理员重置的密码须在首次登录时修改 / change your password first: a password "
                        "an administrator set must be changed at the first sign-in")
    if request.method not in SAFE_METHODS:
        sent = request.headers.get(CSRF_HEADER, "")
        if not sent or not secrets.compare_digest(sent.encode(), request.session.get("csrf", "").encode()):
            raise Forbidden("页面已过期，请刷新后重试（CSRF 校验失败） / missing or wrong CSRF token")
    return p


def allowed(operation: str):
    """A signed-in principal whose role may do ``operation`` (services/permissions.py decides)."""
    def check(p: Annotated[Principal, Depends(signed_in)]) -> Principal:
        return permissions.require(p, operation)
    return check


PlatformDep = Annotated[Platform, Depends(platform)]
PrincipalDep = Annotated[Principal | None, Depends(principal)]
SignedIn = Annotated[Principal, Depends(signed_in)]
LangDep = Annotated[str, Depends(lang)]
