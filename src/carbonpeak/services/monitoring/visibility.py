"""Which key unit an account may see, and a monitoring result cut down to that unit."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from ...store.models import KeyUnit
from ..platform import Platform


def visible_unit(platform: Platform, principal) -> str | None:
    """The one unit an enterprise account may see: its USCC, or "-" (no unit) when its unit is not
    registered; None for county roles, who see every unit."""
    if principal.role != "enterprise":
        return None
    return unit_code(platform, principal.enterprise) or "-"


def only_unit(result: dict[str, Any], uscc: str | None) -> dict[str, Any]:
    """A copy of a monitoring result with only the rows of unit ``uscc`` (all rows for None).
    The rectification list of other parties' projects is left out for a single unit."""
    if uscc is None:
        return result
    out = dict(result)
    for key in ("units", "items", "two_high", "rows"):
        if key in out:
            out[key] = [r for r in out[key] if r.get("uscc") == uscc]
    if "findings" in out:
        out["findings"] = [f for f in out["findings"] if f["data"].get("uscc") == uscc]
    if "rectification" in out:
        out["rectification"] = []
    return out


def unit_code(platform: Platform, text: str | None) -> str | None:
    """The USCC of a unit named by its code or its name (an enterprise account may hold either)."""
    if not text:
        return None
    with platform.engine.connect() as c:
        return c.scalar(select(KeyUnit.uscc).where((KeyUnit.uscc == text) | (KeyUnit.name == text)))
