"""How pages write numbers, units and times: one set of helpers every template uses.

- ``num``: thousands separators and sensible decimals (≥ 1 000: none; ≥ 10: one; ≥ 1: two; below
  one: three significant digits), or the decimals asked for; None → "—".
- ``unit``: a unit as people write it in the reader's language (吨标准煤, 吨二氧化碳, 吨标准煤/万元).
- ``when``: a stored timestamp (UTC; naive values are UTC) in Asia/Shanghai, to the minute.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from . import labels

CHINA = ZoneInfo("Asia/Shanghai")


def num(v, digits: int | None = None) -> str:
    """``1234567.8`` → ``1,234,568``; ``0.05503`` → ``0.055``; text is returned unchanged."""
    if v is None or v == "":
        return "—"
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        try:
            v = float(v)
        except (TypeError, ValueError):
            return str(v)
    if isinstance(v, float) and not math.isfinite(v):
        return "—"
    if digits is None:
        if isinstance(v, int) or float(v).is_integer():
            return f"{int(v):,}"
        a = abs(v)
        digits = 0 if a >= 1000 else 1 if a >= 10 else 2 if a >= 1 else min(6, 2 - math.floor(math.log10(a)))
    s = f"{v:,.{digits}f}"
    if "." in s and digits > 2:
        s = s.rstrip("0").rstrip(".")
    return "0" if s in ("-0", "-0.0") else s


def unit(u: str | None, lang: str) -> str:
    if not u:
        return ""
    zh, en = labels.UNITS.get(u, (u, u))
    return en if lang == "en" else zh


def when(at, lang: str = "zh") -> str:
    """A timestamp (datetime or ISO text) in Asia/Shanghai: ``2026-12-01 19:10``."""
    if not at:
        return ""
    if isinstance(at, str):
        try:
            at = datetime.fromisoformat(at)
        except ValueError:
            return at
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    return at.astimezone(CHINA).strftime("%Y-%m-%d %H:%M")


def name(table: dict[str, tuple[str, str]], code, lang: str) -> str:
    """The reader's name for ``code`` in ``table``; the code itself when it has none."""
    if code is None:
        return ""
    zh, en = table.get(str(code), (str(code), str(code)))
    return en if lang == "en" else zh


DIRECTIONS = {">=": "≥", "<=": "≤", "~>=": "≈≥", "~<=": "≈≤", "==": "=", ">": ">", "<": "<"}


def direction(d: str | None) -> str:
    """A target's comparison as printed: ``>=`` → ``≥``."""
    return DIRECTIONS.get(d or "", d or "")
