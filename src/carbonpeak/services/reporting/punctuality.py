"""Reporting punctuality (报送及时率): per department and per key unit, the periods whose deadline
has passed in a window: due, submitted on time, submitted late, still overdue, and the on-time rate.

One computation: the reporting dispatch lists (reminders.dispatch, /api/reporting/dispatch) and the
dispatch report (services/reports/dispatch.py: page, ``carbonpeak dispatch``, CSV/XLSX) both call
:func:`tally` on the same :func:`views.periods` result.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from ...store.queries import reporting as q
from ..users import Principal
from .views import PeriodView

COUNTY_READER = Principal(0, "dispatch", "viewer")  # the dispatch report is county-wide (dispatch.read)
MOST = 60  # periods per obligation looked at for a window (five years of a monthly form)


@dataclass(frozen=True)
class Punctuality:
    """One department's (``level`` department) or key unit's (``level`` unit, ``who`` its USCC)
    periods whose deadline has passed: on time, late, still open (overdue)."""
    who: str
    due: int
    on_time: int
    late: int
    open: int
    rate: float | None  # % of due periods submitted on time
    level: str = "department"
    name: str = ""  # the department, or the unit's name


def on_time(v: PeriodView) -> bool:
    return v.submitted_at is not None and v.status in ("submitted", "approved") and v.submitted_at.date() <= v.due_on


def _counted(v: PeriodView, today: date, start: date | None, end: date | None) -> bool:
    return v.due_on < today and (start is None or v.due_on >= start) and (end is None or v.due_on <= end)


def tally(rows: list[PeriodView], today: date, start: date | None = None, end: date | None = None,
          unit_names: dict[str, str] | None = None) -> list[Punctuality]:
    """The departments first (by name), then the key units: due, on time, late, still overdue."""
    counts: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for v in rows:
        if not _counted(v, today, start, end):
            continue
        kind = 1 if on_time(v) else 3 if v.overdue else 2
        for key in (("department", v.department), *((("unit", v.unit),) if v.unit else ())):
            c = counts[key]
            c[0] += 1
            c[kind] += 1
    names = unit_names or {}
    out = []
    for (level, who), (due, ok, late, still) in sorted(counts.items()):
        rate = round(100.0 * ok / due, 1) if due else None
        out.append(Punctuality(who, due, ok, late, still, rate, level, names.get(who, who) if level == "unit" else who))
    return out


def unit_names(s: q.Session) -> dict[str, str]:
    """Each key unit's name by its USCC (in the caller's session)."""
    return q.unit_names(s)

