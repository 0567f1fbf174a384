"""Response schemas of the account routes (api/auth.py): the JSON documents of services/users.py (its
dataclasses Activation, Unlocked and UserRow are declared by the routes as they are)."""

from __future__ import annotations

from ..services.users import UserRow
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


class AccountsOut(Out):
    users: list[UserRow]


class CreatedUserOut(Out):
    user: UserOut
