"""T17 (万吨标煤以上重点用能单位能耗在线监测系统建成率) from the key-unit registry and the live data.

Rule: the units of the registry using at least 10 000 tce a year (the target's 万吨标煤以上) are
the whole; a unit counts as connected in year Y when its data arrive within the completeness
rule over the last ``WINDOW_DAYS`` days up to the as-of date (the last day with data in Y): on
at most ``QUALITY["gap_working_days"]`` (3, the repair allowance) of those days its data are
missing or below the completeness threshold (``QUALITY["completeness"]``, 90 %, per day, real-time
points). A year without any data has no computed value.

Uses only the public API of services/monitoring: ``aggregate``, ``quality``, ``metered_totals``,
``QUALITY``; the registry's units are read in the computation's session (store/queries/target_sources.py).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from ...domain.plan import Target
from ...store.queries import target_sources as q
from .. import monitoring
from . import ComputedValue, SourceInput, SourceModule, SourceRecord, register

THRESHOLD_TCE = 10_000  # 万吨标煤以上: the plan's online-monitoring threshold
WINDOW_DAYS = 30


def _get(row: Any, name: str) -> Any:
    """A field of a result row, whether the monitoring API returns mappings or typed rows."""
    return row[name] if isinstance(row, dict) else getattr(row, name)


def _day(v: Any) -> date:
    return v if isinstance(v, date) else date.fromisoformat(str(v)[:10])


def _year_value(inp: SourceInput, t: Target, year: int, units: list[Any]) -> ComputedValue | None:
    rows = monitoring.aggregate(inp.platform, year, "day", "unit")
    days: dict[str, set[date]] = {}
    for r in rows:
        days.setdefault(_get(r, "uscc"), set()).add(_day(_get(r, "at")))
    if not days:
        return None
    as_of = min(max(max(d) for d in days.values()), date.today())
    start = max(as_of - timedelta(days=WINDOW_DAYS - 1), date(year, 1, 1))
    window = {start + timedelta(days=i) for i in range((as_of - start).days + 1)}
    incomplete: dict[str, set[date]] = {}
    for f in monitoring.quality(inp.platform, year, as_of):
        if f.code == "monitoring.incomplete":
            incomplete.setdefault(f.params["uscc"], set()).add(_day(f.params["day"]))
    allowance = int(monitoring.QUALITY["gap_working_days"])
    records = []
    for u in units:
        if (u.annual_energy_tce or 0) < THRESHOLD_TCE:
            continue
        ok = (days.get(u.uscc, set()) & window) - incomplete.get(u.uscc, set())
        missing = len(window) - len(ok)
        records.append(SourceRecord("unit", u.uscc, u.name, float(len(ok)), "天", missing <= allowance, year,
                                    u.category or "", u.industry or "", u.town or "",
                                    "connected" if missing <= allowance else "incomplete",
                                    bool(u.illustrative)))
    counted = sum(r.counted for r in records)
    value = counted / len(records) * 100.0 if records else None
    params = {"year": year, "threshold": f"{THRESHOLD_TCE:,}", "window": WINDOW_DAYS, "as_of": as_of.isoformat(),
              "completeness": f"{monitoring.QUALITY['completeness']:.0%}", "allowance": allowance}
    return ComputedValue(t.id, year, value, t.unit, "monitoring", "source.rule.monitoring", params, tuple(records),
                         {"connected": float(counted), "units": float(len(records))},
                         illustrative=any(r.illustrative for r in records))


def _compute(inp: SourceInput, t: Target) -> list[ComputedValue]:
    with inp.reading() as s:
        units = q.key_units(s)
    years = {int(_get(m, "year")) for m in monitoring.metered_totals(inp.platform)}  # the years with data
    return [v for y in sorted(years) if (v := _year_value(inp, t, y, units)) is not None]


register(SourceModule("monitoring", frozenset({"online_monitoring_coverage"}), _compute))
