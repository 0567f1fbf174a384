"""Response schemas of the account routes (api/auth.py): the JSON documents of services/users.py."""

from __future__ import annotations

from .response_models import Out


class UserOut(Out):
    id: int
    username: str
    role: str
    department: str | None
    enterprise: str | None
    display_name: str
    must_change_password: bool


class LoginOut(Out):
    user: UserOut
    csrf_token: str


class MeOut(Out):
    user: UserOut | None
    csrf_token: str | None


class SignedOutOut(Out):
    signed_out: str


class PasswordChangedOut(Out):
    changed: bool
    other_sessions_ended: int


class AccountRowOut(Out):
    username: str
    role: str
    department: str | None
    enterprise: str | None
    display_name: str
    active: bool


class AccountsOut(Out):
    users: list[AccountRowOut]


class CreatedUserOut(Out):
    user: UserOut


class ActiveOut(Out):
    username: str
    active: bool
    sessions_ended: int


class UnlockedOut(Out):
    username: str
    client: str | None
    counters_released: int
