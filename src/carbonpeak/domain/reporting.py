"""Statistical reporting (统计报表制度): periods, deadlines, form fields and their checks. Pure.

An obligation says who reports what for which periods and by when; each period is one submission
that goes draft → submitted → approved, or back to the reporter (returned) with the reviewer's
comment. A deadline is a number of days after the period ends (the 10th of the following month is
``10`` for a monthly obligation; 31 March of the following year is ``90`` for a yearly one).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from .findings import InputIssue

PERIOD_KINDS = ("year", "quarter", "month")
STATUSES = ("draft", "submitted", "returned", "approved")
EDITABLE = ("draft", "returned")  # the reporter may change the values
FORM = "form"  # the channel the issues of a web or Excel entry name (domain/reporting_texts.CHANNELS)
JUMP = 0.5  # a value more than 50 % off the previous period's is flagged for the reviewer
REVIEW_DEPARTMENT = "县发展和改革局"  # the plan's leading office: its editors review (审核)
_PATTERNS = {"year": re.compile(r"(\d{4})"), "quarter": re.compile(r"(\d{4})-Q([1-4])"),
             "month": re.compile(r"(\d{4})-(0[1-9]|1[0-2])")}
_EXPECTED = {"year": "YYYY", "quarter": "YYYY-Qn", "month": "YYYY-MM"}


@dataclass(frozen=True)
class FieldSpec:
    """One field of an obligation's form: the unit it is reported in and its allowed range."""
    name: str
    label_zh: str
    label_en: str
    unit: str
    low: float | None = None
    high: float | None = None
    required: bool = True

    def label(self, lang: str = "zh") -> str:
        return self.label_en if lang == "en" else self.label_zh


def aware(t: datetime | None) -> datetime | None:
    """A stored time in UTC with its offset (SQLite gives it back without one)."""
    return t.replace(tzinfo=UTC) if t is not None and t.tzinfo is None else t


def _issue(code: str, column: str | None, **params: Any) -> InputIssue:
    return InputIssue(code, FORM, None, column, params)


def period_issue(kind: str, text: str, column: str = "period") -> InputIssue | None:
    """Why ``text`` is not a period of ``kind`` (None: it is)."""
    m = _PATTERNS.get(kind)
    if m is None or not m.fullmatch(text or "") or not 1990 <= int(text[:4]) <= 2100:
        return _issue("reporting.bad_period", column, value=(text or "")[:20], expected=_EXPECTED.get(kind, "YYYY"))
    return None


def period_end(kind: str, text: str) -> date:
    year = int(text[:4])
    if kind == "year":
        return date(year, 12, 31)
    month = int(text[-1]) * 3 if kind == "quarter" else int(text[5:7])
    first_next = date(year + month // 12, month % 12 + 1, 1)
    return first_next - timedelta(days=1)


def due_on(kind: str, text: str, due_days: int) -> date:
    return period_end(kind, text) + timedelta(days=due_days)


def shift(kind: str, text: str, n: int) -> str:
    """The period ``n`` periods after ``text`` (before, for negative ``n``)."""
    year = int(text[:4])
    if kind == "year":
        return str(year + n)
    per_year = 4 if kind == "quarter" else 12
    index = year * per_year + (int(text[-1]) if kind == "quarter" else int(text[5:7])) - 1 + n
    y, i = divmod(index, per_year)
    return f"{y}-Q{i + 1}" if kind == "quarter" else f"{y}-{i + 1:02d}"


def periods_due(kind: str, first: str, today: date, most: int = 60) -> list[str]:
    """The periods from ``first`` whose end has passed by ``today`` (their report can be due), and
    the current one; at most ``most`` (the latest)."""
    out, p = [], first
    while period_end(kind, p) < today or not out:
        out.append(p)
        p = shift(kind, p, 1)
        if len(out) > 10_000:
            break
    if period_end(kind, out[-1]) < today:
        out.append(p)  # the period under way: its report is not due yet, but it may be drafted
    return out[-most:]


def _number(raw: Any) -> float | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, bool):  # JSON true/false is not a number (float(True) would be 1.0)
        raise TypeError(raw)
    return float(str(raw).strip().replace(",", "")) if isinstance(raw, str) else float(raw)


def check_values(fields: list[FieldSpec], values: dict[str, Any], units: dict[str, str] | None = None,
                 complete: bool = False) -> tuple[dict[str, float | None], list[InputIssue]]:
    """The entered values as numbers, and every issue naming its field: not a number, outside the
    field's range, reported in another unit than the field's, an unknown field; with ``complete``
    (submitting) a required field left empty too."""
    known = {f.name: f for f in fields}
    issues = [_issue("reporting.unknown_field", k, value=str(k)[:40]) for k in values if k not in known]
    issues += [_issue("reporting.wrong_unit", k, value=str(u)[:20], expected=known[k].unit)
               for k, u in (units or {}).items() if k in known and u and str(u).strip() != known[k].unit]
    clean: dict[str, float | None] = {}
    for f in fields:
        try:
            v = _number(values.get(f.name))
        except (TypeError, ValueError):
            issues.append(_issue("input.not_a_number", f.name, value=str(values.get(f.name))[:40]))
            continue
        if v is not None and not math.isfinite(v):
            issues.append(_issue("input.not_finite", f.name, value=str(values.get(f.name))[:40]))
        elif v is not None and ((f.low is not None and v < f.low) or (f.high is not None and v > f.high)):
            issues.append(_issue("reporting.out_of_range", f.name, value=v, unit=f.unit,
                                 low="−∞" if f.low is None else f.low, high="+∞" if f.high is None else f.high))
        elif v is None and complete and f.required:
            issues.append(_issue("input.empty_value", f.name))
        clean[f.name] = v
    return clean, issues


def jumps(fields: list[FieldSpec], values: dict[str, Any], previous: dict[str, Any] | None,
          limit: float = JUMP) -> list[str]:
    """The fields whose value is more than ``limit`` off the previous period's (for the reviewer)."""
    if not previous:
        return []
    out = []
    for f in fields:
        v, p = values.get(f.name), previous.get(f.name)
        if isinstance(v, (int, float)) and isinstance(p, (int, float)) and p != 0 and abs(v - p) / abs(p) > limit:
            out.append(f.name)
    return out
