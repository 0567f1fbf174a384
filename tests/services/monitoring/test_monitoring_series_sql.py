"""The monitoring views' aggregates summed by SQL (store/rollup_series.py), on SQLite and
PostgreSQL, against a reference computed in pandas from the stored readings by the rules of
docs/monitoring.md: the daily series (day statistics, else real-time), the monthly series (month
statistics, else the daily sums; a point-month with both day statistics and real-time readings
summed from its days), and the coverage of the completeness and gap checks (runs of complete
months, short months). Values are multiples of 1/4: every sum is exact, the comparisons are ==."""

from __future__ import annotations

import random
from datetime import datetime

import numpy as np
import pandas as pd
import pytest
from engine_events import statements
from monitoring_fixtures import NOW, U1, U2, frame, send, specs
from sqlalchemy import select, text

from carbonpeak.domain.monitoring import CST
from carbonpeak.domain.rollups import month_start, next_month, recompute
from carbonpeak.services import monitoring
from carbonpeak.services.monitoring import metered
from carbonpeak.store import rollup_series
from carbonpeak.store.models import KeyUnit, MeteringPoint, MeterReading

LO = int(datetime(2025, 1, 1, tzinfo=CST).timestamp())
HI = int(datetime(2026, 1, 1, tzinfo=CST).timestamp())


def at(m: int, d: int, h: int = 0, mi: int = 0, y: int = 2025) -> int:
    return int(datetime(y, m, d, h, mi, tzinfo=CST).timestamp())


def readings(rng: random.Random) -> dict[str, list[tuple]]:
    """Per unit: records (code, value, period, stat type)."""
    u1, u2 = [], []
    e = 1000.0
    for k in range(5 * 24):  # U1 E1: hourly readings on a 15-minute point, 1-5 January (short month)
        e += rng.randrange(0, 400) / 4
        u1.append(("E1", e, at(1, 1) + 3600 * k, 0))
    u1 += [("E1", rng.randrange(0, 4000) / 4, at(1, d), 1) for d in range(3, 9)]  # day statistics: a mixed month
    u1.append(("E1", 20000.0, at(1, 1), 2))  # and a month statistic for it
    # day statistics of the same point in February (day statistics only: not mixed), the first on
    # 1 February 00:00: only January's days enter January's mixed sum
    u1 += [("E1", rng.randrange(0, 4000) / 4, at(2, d), 1) for d in (1, 2, 14)]
    u1 += [("C1", rng.randrange(0, 80) / 4, at(2, 1) + 86400 * d, 1) for d in range(28)]  # every day of February
    u1.append(("C1", 300.25, at(3, 1), 2))  # March: a month statistic only
    u1.append(("C1", 4.5, at(12, 31, 23, 45, y=2024), 0))  # the year before: not in 2025's figures
    e = 50.0
    for k in range(int((at(4, 1) - at(2, 1)) / 900)):  # U2 E1: all of February and March, 15-minute
        e += rng.randrange(0, 40) / 4
        u2.append(("E1", e, at(2, 1) + 900 * k, 0))
    return {U1: u1, U2: u2}


def _pivot(r: pd.DataFrame) -> pd.DataFrame:
    w = r.pivot_table(index=["point_id", "bucket"], columns="stat_type", values=["n", "quantity"], aggfunc="sum",
                      fill_value=0)
    out = pd.DataFrame(index=w.index)
    for s in (0, 1, 2):
        out[f"n{s}"] = w["n"].get(s, 0)
        out[f"q{s}"] = w["quantity"].get(s, 0.0)
    return out.reset_index()


def reference(p) -> tuple[dict, dict]:
    """(monthly rows by kind, coverage rows by kind) from the stored readings, in pandas."""
    rec = recompute(specs(p), frame(p, MeterReading))
    rec = rec[(rec["bucket"] >= LO) & (rec["bucket"] < HI)]
    pts = frame(p, MeteringPoint).set_index("id")
    days = _pivot(rec[rec["res"] == "d"])
    days = days[(days["n0"] > 0) | (days["n1"] > 0)]
    days["q"] = np.where(days["n1"] > 0, days["q1"], days["q0"])
    days["month"] = [month_start(int(b)) for b in days["bucket"]]
    dsum = days.groupby(["point_id", "month"])["q"].sum()
    mon = _pivot(rec[rec["res"] == "m"])
    out: dict[str, list] = {"day_month": [], "month": [], "stated": []}
    for r in mon.itertuples():
        pt = pts.loc[r.point_id]
        key = (int(pt["unit_id"]), pt["carrier"], pt["unit"], int(r.bucket))
        has_days = r.n0 > 0 or r.n1 > 0
        dq = float(dsum.get((r.point_id, r.bucket), 0.0))
        if has_days:
            out["day_month"].append((*key, "daily sum", dq))
        if r.n2 > 0:
            out["month"].append((*key, "month", float(r.q2)))
            if has_days:
                out["stated"].append((int(r.point_id), int(r.bucket), float(r.q2), dq))
        elif has_days:
            out["month"].append((*key, "daily sum", dq))
    return {k: _summed(v) if k != "stated" else sorted(v) for k, v in out.items()}, _coverage(mon, pts)


def _summed(rows: list[tuple]) -> list[tuple]:
    f = pd.DataFrame(rows, columns=["u", "c", "m", "b", "basis", "q"])
    return sorted(f.groupby(["u", "c", "m", "b", "basis"])["q"].sum().reset_index().itertuples(index=False, name=None))


def _coverage(mon: pd.DataFrame, pts: pd.DataFrame) -> dict:
    rt = mon[mon["n0"] > 0].assign(unit=lambda f: f["point_id"].map(pts["unit_id"]))
    units = []
    for u, g in rt.groupby("unit"):
        ids = g["point_id"].unique()
        units.append((int(u), len(ids), float(sum(1440 / pts.at[i, "interval_min"] for i in ids)), int(g["bucket"].min())))
    units.sort()
    unit_months = sorted((int(u), int(b), int(n)) for (u, b), n in rt.groupby(["unit", "bucket"])["n0"].sum().items())
    runs = []
    for s in (0, 1):
        rows = mon[mon[f"n{s}"] > 0]
        for pid, g in rows.groupby("point_id"):
            per_day = 1440 / pts.at[pid, "interval_min"] if s == 0 else 1.0
            island = None
            for b, n in sorted(zip(g["bucket"], g[f"n{s}"])):
                b = int(b)
                if n < (next_month(b) - b) // 86400 * per_day:
                    runs.append((int(pid), s, 0, b, b))
                elif island and next_month(island[1]) == b:
                    island[1] = b
                else:
                    island = [b, b]
                    runs.append((int(pid), s, 1, island))
    runs = [(r[0], r[1], 1, r[3][0], r[3][1]) if r[2] == 1 else r for r in runs]
    return {"units": units, "unit_months": unit_months, "runs": sorted(runs)}


def test_sql_aggregates_equal_the_reference_from_readings(rollup_registry):
    p, rng = rollup_registry, random.Random(23)
    for uscc, recs in readings(rng).items():
        for i in range(0, len(recs), 2000):
            res = send(p, uscc, recs[i:i + 2000], now=NOW)
            assert res.rejected == 0, res.problems[:3]
    want, cover = reference(p)
    assert want["stated"] and want["day_month"] and cover["runs"]  # the data exercises every rule
    assert any(r[2] == 0 for r in cover["runs"]) and any(r[2] == 1 and r[3] != r[4] for r in cover["runs"])
    with p.engine.connect() as c:
        got = rollup_series.monthly(c, LO, HI)  # the store's query over a whole year at once
    for kind in ("day_month", "month"):
        assert sorted((r[1], r[2], r[3], int(r[4]), r[5], float(r[6])) for r in got if r[0] == kind) == want[kind]
    assert sorted((int(r[7]), int(r[4]), float(r[6]), float(r[8])) for r in got if r[0] == "stated") == want["stated"]
    s = metered.series(p, 2025)  # the service's, month by month and combined
    for kind in ("day_month", "month"):
        assert sorted((int(r.unit_id), r.carrier, r.unit, _epoch(r.at), r.basis, float(r.quantity))
                      for r in getattr(s, kind).itertuples()) == want[kind]
    assert sorted((int(r.point_id), _epoch(r.at), float(r.quantity), float(r.days_quantity))
                  for r in s.stated.itertuples()) == want["stated"]
    cov = s.cover
    assert sorted((int(r.unit_id), int(r.points), float(r.per_day), _epoch(r.first))
                  for r in cov.units.itertuples()) == cover["units"]
    assert sorted((int(r.unit_id), _epoch(r.at), int(r.n)) for r in cov.unit_months.itertuples()) == cover["unit_months"]
    assert sorted((int(r.point_id), int(r.stat_type), int(r.complete), _epoch(r.a), _epoch(r.b))
                  for r in cov.runs.itertuples()) == cover["runs"]


def _epoch(local: pd.Timestamp) -> int:
    """A naive local timestamp (services/monitoring/rollups.local_at) back to epoch seconds."""
    return int(pd.Timestamp(local).timestamp()) - 8 * 3600


def test_a_batch_recomputes_only_the_months_it_touched(rollup_registry):
    """Each month of a series is kept until a batch changes one of its rollups (its data
    version): a batch of March readings makes the next series read March's rollups again and
    no other month's; what it returns equals a computation from nothing cached."""
    p, rng = rollup_registry, random.Random(11)
    for uscc, recs in readings(rng).items():
        for i in range(0, len(recs), 2000):
            send(p, uscc, recs[i:i + 2000], now=NOW)
    metered.series(p, 2025)
    with statements(p.engine, with_params=True) as seen:
        assert send(p, U1, [("C1", 7.25, at(3, 9), 0)], now=NOW).accepted == 1
        warm = metered.series(p, 2025)
    windows = [datetime.fromtimestamp(min(v for v in (params.values() if isinstance(params, dict) else params)
                                          if isinstance(v, int)), CST).month
               for sql, params in seen if "reading_rollups" in sql and "res = 'm'" in sql]  # windows [lo, hi) of months
    assert windows and set(windows) == {3}, windows  # March's queries only
    p.cache.clear()
    cold = metered.series(p, 2025)
    for key in ("day_month", "month", "stated"):
        pd.testing.assert_frame_equal(getattr(warm, key), getattr(cold, key))
    for key in ("units", "unit_months", "runs"):
        pd.testing.assert_frame_equal(getattr(warm.cover, key), getattr(cold.cover, key))
    march = warm.month[(warm.month["at"] == pd.Timestamp(2025, 3, 1)) & (warm.month["carrier"] == "原煤")]
    assert float(march["quantity"].sum()) == 300.25  # the month statistic stands; the new reading is in the days
    assert warm.last_day == cold.last_day


def test_a_cold_year_read_at_once_equals_its_months_read_one_by_one(demo_platform, monkeypatch):
    """From a cold cache the months of a year are read in one SQL sum and converted at once
    (metered._months_together), then kept month by month: the same frames, dtypes and factor
    findings as reading each month alone."""
    together = {y: metered.series(demo_platform, y) for y in (2024, 2025)}
    demo_platform.cache.clear()
    monkeypatch.setattr(metered, "_months_together", lambda *a, **k: None)
    for y, a in together.items():
        b = metered.series(demo_platform, y)
        for key in ("day_month", "month", "stated"):
            pd.testing.assert_frame_equal(getattr(a, key), getattr(b, key))
        for key in ("units", "unit_months", "runs"):
            pd.testing.assert_frame_equal(getattr(a.cover, key), getattr(b.cover, key))
        assert a.factor_findings == b.factor_findings and (y != 2024 or a.factor_findings)
    assert len(together[2024].month) > 12  # the demo's units, every month


def test_views_on_the_sql_aggregates(rollup_registry):
    """The series, the day-against-month check and the gap check read those aggregates."""
    p, rng = rollup_registry, random.Random(5)
    for uscc, recs in readings(rng).items():
        for i in range(0, len(recs), 2000):
            send(p, uscc, recs[i:i + 2000], now=NOW)
    want, _ = reference(p)
    rows = monitoring.aggregate(p, 2025, "month")
    assert sorted((r.uscc, r.carrier, r.at, r.basis, r.quantity) for r in rows) == sorted(
        (_uscc(p, u), c, datetime.fromtimestamp(b, CST).strftime("%Y-%m"), basis, q) for u, c, _, b, basis, q in want["month"])
    findings = monitoring.quality(p, 2025)
    codes = {f.code for f in findings}
    assert "monitoring.day_vs_month" in codes  # the January month statistic is far from its days
    gaps = {(f.params["uscc"], f.params["point"], f.params["from"]) for f in findings if f.code == "monitoring.gap"}
    assert {(U1, "E1", "2025-01-06"), (U1, "E1", "2025-01-09"), (U1, "C1", "2025-03-01")} <= gaps
    assert not [g for g in gaps if g[0] == U2]  # U2: complete February and March (a run), to the last day


def _uscc(p, unit_id: int) -> str:
    with p.sessions() as s:
        return s.scalar(select(KeyUnit.uscc).where(KeyUnit.id == unit_id))


def test_a_partition_dropped_meanwhile_is_created_again(rollup_registry):
    """A month partition known to the process but dropped (by maintenance elsewhere): the batch's
    insert fails as an integrity error, the ingest forgets the partitions and stores it again."""
    p = rollup_registry
    if p.engine.dialect.name != "postgresql":
        pytest.skip("partitions are PostgreSQL only")
    assert send(p, U1, [("C1", 2.0, at(6, 1), 0)], now=NOW).accepted == 1
    with p.engine.begin() as c:
        c.execute(text("DROP TABLE meter_readings_p202506"))
    assert send(p, U1, [("C1", 3.0, at(6, 2), 0)], now=NOW).accepted == 1
    with p.engine.connect() as c:
        assert c.scalar(text("SELECT count(*) FROM meter_readings_p202506")) == 1
