"""Accounts in the browser (administrators): the list with last sign-in, and a password reset that
the account must change at its next sign-in. Creating, disabling and enabling: api/auth.py. The
accounts are those of the administrator's own tier: its county's, or the city's."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path

from ..services import users
from ..services.users import Principal
from .deps import TierPlatformDep, allowed_in_tier

router = APIRouter(prefix="/api", tags=["accounts"])
Lister = Annotated[Principal, Depends(allowed_in_tier("account.list"))]
Resetter = Annotated[Principal, Depends(allowed_in_tier("account.create"))]
Username = Annotated[str, Path(min_length=1, max_length=64)]


@router.get("/accounts", response_model=list[users.AccountView])
def accounts(p: TierPlatformDep, who: Lister):
    """Every account: role, department or unit, e-mail, active, last sign-in, password to change."""
    return users.accounts(p, who)


@router.post("/accounts/{username}/password-reset", response_model=users.PasswordReset)
def reset(p: TierPlatformDep, who: Resetter, username: Username):
    """A generated temporary password (shown once); the account's sessions end and it must change
    the password at its next sign-in."""
    return users.reset_password(p, username, who.username)
