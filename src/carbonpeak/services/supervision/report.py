"""What the reports take from supervision: the annual report's section (from the cases) and the
dispatch report's count of overdue rectifications per department."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ...store.queries import supervision_figures as qf
from ..platform import Platform
from .disclosure import PublicView, public_view


@dataclass(frozen=True)
class OverdueRow:
    department: str
    overdue: int  # findings past their deadline whose rectification is not accepted (open cases only)
    cases: list[str]


def overdue_by_department(platform: Platform, as_of: date) -> list[OverdueRow]:
    """Per responsible department, the rectifications overdue on ``as_of`` (closed cases excluded:
    closing settles what was not rectified)."""
    with platform.sessions() as s:
        rows = qf.overdue_rectifications(s, as_of)
    out: dict[str, tuple[int, list[str]]] = {}
    for dept, code in rows:
        n, codes = out.get(dept, (0, []))
        out[dept] = (n + 1, codes if code in codes else [*codes, code])
    return [OverdueRow(d, n, codes) for d, (n, codes) in out.items()]


def annual_section(platform: Platform, year: int, lang: str = "zh") -> PublicView:
    """The annual report's supervision section: the year's counts, the published decided cases,
    the violators list and T16/T18/T19 with their rules (the same figures as the public page)."""
    return public_view(platform, year, lang)
