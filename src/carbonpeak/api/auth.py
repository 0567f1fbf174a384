"""Account routes: sign in and out, the own account, password change; accounts for administrators
(create, list, disable and enable, release the login throttle)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Request
from fastapi import Path as PathParam
from pydantic import BaseModel, ConfigDict, Field

from ..services import users
from . import auth_models as models
from .deps import (
    COUNTY_KEY,
    SESSION_KEY,
    TierPlatformDep,
    TierPrincipalDep,
    allowed_in_tier,
    csrf_token,
    deployment,
    login_tier,
    session_token,
)

router = APIRouter(prefix="/api", tags=["auth"])
# Who may do each operation: services/permissions.py (OPERATIONS), as every other route.
SignedOut = Annotated[users.Principal, Depends(allowed_in_tier("auth.logout"))]
OwnPassword = Annotated[users.Principal, Depends(allowed_in_tier("auth.password"))]
Lister = Annotated[users.Principal, Depends(allowed_in_tier("account.list"))]
Creator = Annotated[users.Principal, Depends(allowed_in_tier("account.create"))]
Activator = Annotated[users.Principal, Depends(allowed_in_tier("account.activate"))]
Unlocker = Annotated[users.Principal, Depends(allowed_in_tier("account.unlock"))]
Username = Annotated[str, PathParam(min_length=1, max_length=64)]


class LoginIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=256)
    # a deployment of several counties: the county's code, or "city" for the city's accounts;
    # none: the county the visitor is looking at
    county: str | None = Field(default=None, min_length=1, max_length=40)


class PasswordChange(BaseModel):
    model_config = ConfigDict(extra="forbid")
    current_password: str = Field(min_length=1, max_length=256)
    new_password: str = Field(min_length=1, max_length=256)  # the policy decides, with its own messages


class UserIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=256)  # the policy decides, with its own messages
    role: Literal[users.ROLES]  # type: ignore[valid-type]
    department: str | None = Field(default=None, max_length=100)
    enterprise: str | None = Field(default=None, max_length=200)
    display_name: str = Field(default="", max_length=100)
    email: str = Field(default="", max_length=200)  # reminder e-mails (services/reporting/reminders.py)


class UnlockIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    client: str | None = Field(default=None, min_length=1, max_length=64)


def client_of(request: Request) -> str:
    return request.client.host if request.client else "unknown"


@router.post("/auth/login", response_model=models.LoginOut)
def login(body: LoginIn, request: Request, old: TierPlatformDep) -> dict[str, Any]:
    tier = login_tier(request, body.county)
    p = deployment(request).platform_of(tier)
    who = users.authenticate(p, body.username, body.password, client_of(request), clients=deployment(request).home)
    users.end_session(old, session_token(request))
    request.session.clear()  # a new session on login: no fixation
    request.session[SESSION_KEY] = users.start_session(p, who, client_of(request))
    if deployment(request).multi:  # a one-county deployment stores none: such a session is never a city's
        request.session[COUNTY_KEY] = tier
    return {"user": who.as_dict(), "csrf_token": csrf_token(request)}


@router.post("/auth/logout", response_model=models.SignedOutOut)
def logout(request: Request, p: TierPlatformDep, who: SignedOut) -> dict[str, Any]:
    """Ends the session on the server: a copy of the cookie no longer works."""
    users.end_session(p, session_token(request))
    request.session.clear()
    return {"signed_out": who.username}


@router.get("/auth/me", response_model=models.MeOut)
def me(request: Request, who: TierPrincipalDep) -> dict[str, Any]:
    return {"user": who.as_dict() if who else None, "csrf_token": csrf_token(request) if who else None}


@router.post("/auth/password", response_model=models.PasswordChangedOut)
def change_password(body: PasswordChange, request: Request, p: TierPlatformDep, who: OwnPassword) -> dict[str, Any]:
    """Change the own password (the current one is required, under the login throttle → 429); the
    account's other sessions end and this one goes on under a new token (new cookie)."""
    done = users.change_password(p, who, body.current_password, body.new_password, session_token(request),
                                 client_of(request), clients=deployment(request).home)
    request.session[SESSION_KEY] = done.token
    return {"changed": True, "other_sessions_ended": done.other_sessions_ended}


@router.get("/users", response_model=models.AccountsOut)
def list_users(p: TierPlatformDep, who: Lister) -> dict[str, Any]:
    return {"users": users.list_users(p, who)}


@router.post("/users", status_code=201, response_model=models.CreatedUserOut)
def create_user(body: UserIn, p: TierPlatformDep, who: Creator) -> dict[str, Any]:
    new = users.create_user(p, body.username, body.password, body.role, who.username, body.department,
                            body.enterprise, body.display_name, email=body.email)
    return {"user": new.as_dict()}


@router.post("/users/{username}/disable", response_model=users.Activation)
def disable_user(username: Username, p: TierPlatformDep, who: Activator) -> users.Activation:
    """Disable an account: its sessions end at once and it can no longer sign in."""
    return users.set_active(p, username, False, who.username)


@router.post("/users/{username}/enable", response_model=users.Activation)
def enable_user(username: Username, p: TierPlatformDep, who: Activator) -> users.Activation:
    return users.set_active(p, username, True, who.username)


@router.post("/users/{username}/unlock", response_model=users.Unlocked)
def unlock_user(username: Username, request: Request, p: TierPlatformDep, who: Unlocker,
                body: UnlockIn | None = None) -> users.Unlocked:
    """Release the login throttle of an account (from every client), and of a client address if given."""
    return users.unlock(p, who.username, username, body.client if body else None, clients=deployment(request).home)
