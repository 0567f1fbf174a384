"""The dispatch report as the front ends serve it (page, ``carbonpeak dispatch``, /api/dispatch and
its CSV/XLSX): services/reports/dispatch.py (tasks, projects, rectifications) and, by department,
the reporting punctuality (报送及时率) of the statistical reporting obligations due in the period,
per department and per key unit, taken from the reporting dispatch result (services/reporting: the
same figures as its due and overdue lists, tested equal)."""

from __future__ import annotations

from datetime import date
from typing import Any

from . import reporting, reports
from .platform import Platform

PUNCTUAL_KEYS = ("reports_due", "reports_on_time", "reports_late", "reports_overdue", "reports_on_time_rate")
RULE = ("；报送及时率：截止日期在本期内且已过的统计填报各期中，截止日前报送的比例（逾期：至今未报送）",
        ("; reporting on time: of the reporting periods due in the period (deadline passed), the share "
         "submitted by the deadline (overdue: still not submitted)"))


def dispatch(platform: Platform, start: date, end: date, by: str = "department", lang: str = "zh") -> dict[str, Any]:
    d = reports.dispatch(platform, start, end, by, lang)
    d["punctuality"] = []
    if by == "department":
        d["punctuality"] = _punctuality(platform, d["rows"], start, end, lang)
        d["rule"] += RULE[lang == "en"]
    return d


def _punctuality(platform: Platform, rows: list[dict], start: date, end: date, lang: str) -> list[dict[str, Any]]:
    """Each department's punctuality in its row (a row added for a department without tasks), and
    the list of departments and key units."""
    found = reporting.dispatch(platform, reporting.COUNTY_READER, lang=lang, start=start, end=end).punctuality
    by_name = {r["name"]: r for r in rows}
    out = []
    for p in found:
        figures = dict(zip(PUNCTUAL_KEYS, (p.due, p.on_time, p.late, p.open, p.rate)))
        if p.level == "department":
            if p.who not in by_name:
                by_name[p.who] = {"name": p.who, "assigned": 0, "committed": 0, "done": 0, "missed": 0,
                                  "rectifications_overdue": 0, "items_missed": []}
                rows.append(by_name[p.who])
            by_name[p.who].update(figures)
        out.append({"level": p.level, "who": p.who, "name": p.name, **figures})
    for r in rows:
        for k in PUNCTUAL_KEYS:
            r.setdefault(k, None if k == "reports_on_time_rate" else 0)
    return out


def dispatch_rows(d: dict[str, Any]) -> list[dict[str, Any]]:
    """The rows flat for CSV/XLSX (reports.dispatch_rows), the key units' punctuality after the
    departments (``level`` unit)."""
    rows = [{"level": d["by"], **r} for r in reports.dispatch_rows(d)]
    keys = list(rows[0]) if rows else []
    units = [{**dict.fromkeys(keys), "level": "unit", "name": f"{u['name']}（{u['who']}）",
              **{k: u[k] for k in PUNCTUAL_KEYS}} for u in d.get("punctuality", []) if u["level"] == "unit"]
    return rows + units
