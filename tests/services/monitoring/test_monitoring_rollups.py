"""Rollups kept at ingest, on SQLite and PostgreSQL: after random batches (out of order, resent,
conflicting) every rollup equals a recomputation from the stored readings, in Python and in SQL;
the monitoring views read rollups; month partitions on PostgreSQL (created on demand, retention).

Values are multiples of 1/4 below 2^40, so every sum of them is exact in floating point whatever
the order: the comparisons are exact (==), and a reading counted twice or missed would show."""

from __future__ import annotations

import random
from datetime import datetime

import pandas as pd
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from monitoring_fixtures import NOW, U1, U2, frame, send, specs
from sqlalchemy import select, text

from carbonpeak.domain.monitoring import CST
from carbonpeak.domain.rollups import COLUMNS, recompute
from carbonpeak.services import imports, monitoring
from carbonpeak.services.monitoring import rollups
from carbonpeak.store import partitions
from carbonpeak.store.models import Base, MeteringPoint, MeterReading, ReadingRollup, UnitRollup
from carbonpeak.store.rollups import rebuild

START = int(datetime(2025, 12, 30, 22, tzinfo=CST).timestamp())  # a day, a month and a year boundary ahead



def canon(f: pd.DataFrame) -> list[tuple]:
    f = f[COLUMNS].astype({"point_id": int, "stat_type": int, "bucket": int, "n": int, "quantity": float})
    return sorted(f.itertuples(index=False, name=None))


def truth(rng: random.Random) -> list[tuple]:
    """The true readings: two counters (15 min) and an amount point, day statistics for the counter."""
    out, e1, e2 = [], 1000.0, 50.0
    for k in range(4 * 24 * 3):  # three days of 15-minute readings
        at = START + 900 * k
        e1 += rng.randrange(0, 400) / 4
        e2 += rng.randrange(0, 40) / 4
        out += [(U1, "E1", e1, at, 0), (U2, "E1", e2, at, 0), (U1, "C1", rng.randrange(0, 80) / 4, at, 0)]
    for d in range(3):
        day = int(datetime(2025, 12, 31, tzinfo=CST).timestamp()) + 86400 * (d - 1)
        out.append((U1, "E1", rng.randrange(0, 4000) / 4, day, 1))
    return out


def test_rollups_equal_a_recomputation_from_readings(rollup_registry):
    p, rng = rollup_registry, random.Random(17)
    readings = truth(rng)
    rng.shuffle(readings)  # out of order: counters land between stored neighbours
    sent = 0
    while sent < len(readings):
        size = rng.randrange(1, 120)
        batch = readings[sent:sent + size]
        sent += size
        batch += rng.sample(readings[:sent], min(10, sent))  # resent: unchanged, never counted twice
        if rng.random() < 0.3:
            u, code, v, at, st = rng.choice(batch)
            batch.append((u, code, v + 0.25, at, st))  # a conflicting or duplicate value: refused
        for uscc in (U1, U2):
            recs = [(c, v, at, st) for u, c, v, at, st in batch if u == uscc]
            if recs:
                send(p, uscc, recs)
    stored = frame(p, MeterReading)
    assert len(stored) == len(readings)  # every true reading stored once
    kept = frame(p, ReadingRollup)
    expected = recompute(specs(p), stored)
    assert canon(kept) == canon(expected)
    with p.engine.begin() as c:  # the SQL rebuild (migration, bulk backfills) agrees too
        rebuild(c)
    assert canon(frame(p, ReadingRollup)) == canon(expected)
    with p.sessions() as s:
        unit_of = {pt.id: pt.unit_id for pt in s.scalars(select(MeteringPoint))}
    per_unit = expected.assign(unit_id=expected["point_id"].map(unit_of)).groupby(
        ["unit_id", "stat_type", "res", "bucket"], as_index=False)["n"].sum()
    units = frame(p, UnitRollup)
    assert sorted(map(tuple, units[["unit_id", "stat_type", "res", "bucket", "n"]].astype(
        {"bucket": int}).values.tolist())) == sorted(map(tuple, per_unit.values.tolist()))
    with p.engine.connect() as c:  # and the sequence sent per unit: every count in a unit rollup
        assert c.scalar(text("SELECT sum(n) FROM unit_rollups WHERE res = 'm'")) == len(readings)


def test_resending_everything_changes_no_rollup(rollup_registry):
    p = rollup_registry
    recs = [("E1", 100.0 + k, START + 900 * k, 0) for k in range(200)]
    send(p, U1, recs)
    before = canon(frame(p, ReadingRollup))
    again = send(p, U1, recs[::-1])
    assert again.accepted == 0 and again.unchanged == 200
    assert canon(frame(p, ReadingRollup)) == before


def test_a_counter_reading_between_two_stored_ones_splits_their_step(rollup_registry):
    p = rollup_registry
    send(p, U1, [("E1", 100.0, START, 0), ("E1", 200.0, START + 7200, 0)])  # 22:00 and 00:00 next day
    send(p, U1, [("E1", 130.0, START + 3600, 0)])  # 23:00 arrives late
    with p.engine.connect() as c:
        hours = dict(c.execute(text("SELECT bucket, quantity FROM reading_rollups r JOIN metering_points p "
                                    "ON p.id = r.point_id WHERE p.code = 'E1' AND p.unit_id = 1 AND res = 'h'")).all())
    assert hours == {START: 300.0, START + 3600: 700.0, START + 7200: 0.0}  # multiplier 10


def test_views_read_rollups_and_match_the_readings(demo_platform):
    """The metered total of the demo year equals consumption recomputed from the raw readings."""
    p = demo_platform
    year = monitoring.latest_year(p)
    rows = monitoring.aggregate(p, year, "month")
    stored = frame(p, MeterReading)
    assert stored["stat_type"].isin([0, 1, 2]).all()
    rec = recompute(specs(p), stored)
    m = rec[rec["res"] == "m"]
    lo = int(datetime(year, 1, 1, tzinfo=CST).timestamp())
    hi = int(datetime(year + 1, 1, 1, tzinfo=CST).timestamp())
    month_stats = m[(m["stat_type"] == 2) & m["bucket"].between(lo, hi - 1)]
    # the demo sends month statistics for every point and month: the monthly series is those
    assert round(sum(r.quantity for r in rows if r.basis == "month"), 6) == round(float(month_stats["quantity"].sum()), 6)


@pytest.fixture
def pg_registry(rollup_registry):
    if rollup_registry.engine.dialect.name != "postgresql":
        pytest.skip("partitions are PostgreSQL only")
    return rollup_registry


def test_a_month_without_partition_is_created_on_demand(pg_registry):
    p = pg_registry
    far = int(datetime(2023, 7, 1, tzinfo=CST).timestamp())
    res = send(p, U1, [("C1", 2.0, far, 0), ("C1", 3.0, START, 0)])
    assert res.accepted == 2
    with p.engine.connect() as c:
        names = set(partitions.listed(c))
        assert {"meter_readings_p202307", "meter_readings_p202512"} <= names
        assert c.scalar(text("SELECT count(*) FROM meter_readings_p202307")) == 1
        diff = compare_metadata(MigrationContext.configure(c, opts={"include_object": partitions.include_object}),
                                Base.metadata)
    assert diff == []  # the parent matches the model; month partitions are the store's own


def test_maintenance_drops_old_partitions_keeps_rollups_and_refuses_expired(pg_registry):
    from dataclasses import replace

    p = pg_registry
    send(p, U1, [("C1", 2.0, int(datetime(2025, 1, 1, tzinfo=CST).timestamp()), 0), ("C1", 3.0, START, 0)])
    object.__setattr__(p, "settings", replace(p.settings, readings_retention_months=6))
    res = monitoring.maintain(p, ahead=2, now=NOW)
    assert res.horizon == "2025-09" and "meter_readings_p202501" in res.dropped
    assert {"meter_readings_p202603", "meter_readings_p202604", "meter_readings_p202605"} <= set(res.created)
    with p.engine.connect() as c:
        assert c.scalar(text("SELECT count(*) FROM meter_readings")) == 1
        assert c.scalar(text("SELECT sum(n) FROM reading_rollups WHERE res = 'm'")) == 2  # rollups kept
    again = send(p, U1, [("C1", 2.0, int(datetime(2025, 1, 1, tzinfo=CST).timestamp()), 0)])
    assert again.results == ["expired"] and again.problems[0].field == "statDate"
    with p.engine.connect() as c:
        assert c.scalar(text("SELECT sum(n) FROM reading_rollups WHERE res = 'm'")) == 2


def test_cli_monitor_maintain(db_url, tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from carbonpeak.cli.main import app
    monkeypatch.setenv("CARBONPEAK_DATABASE_URL", db_url)
    monkeypatch.setenv("CARBONPEAK_HOME", str(tmp_path))
    monkeypatch.setenv("CARBONPEAK_READINGS_RETENTION_MONTHS", "13")
    res = CliRunner().invoke(app, ["monitor", "maintain", "--ahead", "1"], catch_exceptions=False)
    assert res.exit_code == 0, res.output
    if db_url.startswith("sqlite"):
        assert "SQLite" in res.output
    else:
        now = datetime.now(CST)
        assert partitions.name_of(int(datetime(now.year, now.month, 1, tzinfo=CST).timestamp())) in res.output
        assert "保留自 kept from: " in res.output and "全部" not in res.output
    bad = CliRunner().invoke(app, ["monitor", "maintain"], env={"CARBONPEAK_READINGS_RETENTION_MONTHS": "x"})
    assert bad.exit_code != 0 and "CARBONPEAK_READINGS_RETENTION_MONTHS" in (bad.output + repr(bad.exception))


def test_a_closing_counter_reading_does_not_make_a_year_of_data(demo_ro):
    """The demo's counters close at 2025-01-01 00:00: that reading opens a 2025 month rollup with
    one reading and no consumption; the latest year with data stays 2024 and the metered totals
    beside the inventory have no 2025 row of zeros (the behaviour before the rollups)."""
    jan25 = int(datetime(2025, 1, 1, tzinfo=CST).timestamp())
    with demo_ro.sessions() as s:
        rows = s.execute(select(ReadingRollup.n, ReadingRollup.quantity)
                         .where(ReadingRollup.res == "m", ReadingRollup.bucket >= jan25)).all()
    assert rows and all(n >= 1 and q == 0 for n, q in rows)  # the closing readings are there, as zeros
    assert monitoring.latest_year(demo_ro) == 2024
    assert [t["year"] for t in monitoring.metered_totals(demo_ro)] == [2024]
    assert rollups.years_with_consumption(demo_ro) == [2024]  # no 2025 series is summed to find that out


def test_a_changed_multiplier_rebuilds_that_points_rollups(rollup_registry, write_csv):
    """Rollups are kept at the point's multiplier; a registry import that changes it recomputes the
    point's rollups (and its unit's) in the import's transaction, so they still equal the readings."""
    p = rollup_registry
    send(p, U1, [("E1", 100.0 + 2 * k, START + 900 * k, 0) for k in range(40)])
    send(p, U2, [("E1", 50.0 + k, START + 900 * k, 0) for k in range(40)])
    other = [r for r in canon(frame(p, ReadingRollup)) if r[0] != _point(p, U1, "E1")]
    imports.import_file(p, write_csv("p2.csv", "统一社会信用代码,计量点编码,能源品种,计量单位,倍率,表计类型\n"
                                                f"{U1},E1,电力,kWh,40,累计值\n{U1},C1,原煤,t,1,周期量\n"
                                                f"{U2},E1,电力,kWh,1,累计值\n"), "test")
    assert canon(frame(p, ReadingRollup)) == canon(recompute(specs(p), frame(p, MeterReading)))
    assert [r for r in canon(frame(p, ReadingRollup)) if r[0] != _point(p, U1, "E1")] == other  # others untouched
    with p.engine.connect() as c:
        total = c.scalar(text("SELECT sum(quantity) FROM reading_rollups r JOIN metering_points m ON m.id = r.point_id "
                              "WHERE m.code = 'E1' AND r.res = 'm' AND m.multiplier = 40"))
        assert total == pytest.approx(39 * 2 * 40)  # 39 steps of 2 at the new multiplier
        assert c.scalar(text("SELECT sum(n) FROM unit_rollups WHERE res = 'm'")) == 80


def _point(platform, uscc: str, code: str) -> int:
    from carbonpeak.store.models import KeyUnit

    with platform.sessions() as s:
        return s.scalar(select(MeteringPoint.id).join(KeyUnit, KeyUnit.id == MeteringPoint.unit_id)
                        .where(KeyUnit.uscc == uscc, MeteringPoint.code == code))


def test_periods_before_the_backfill_window_are_refused_and_make_no_partition(rollup_registry):
    """One batch cannot create a partition (PostgreSQL) for every month back to 1970: periods more
    than ``readings_backfill_months`` full months before the current month are ``too_old``, on
    both databases; the month just inside the window is still stored."""
    from dataclasses import replace

    p = rollup_registry
    object.__setattr__(p, "settings", replace(p.settings, readings_backfill_months=12))  # NOW is 2026-03
    at = {ym: int(datetime(*ym, 1, tzinfo=CST).timestamp()) for ym in ((1970, 1), (2025, 2), (2025, 3))}
    before = None
    if p.engine.dialect.name == "postgresql":
        with p.engine.connect() as c:
            before = set(partitions.listed(c))
    res = send(p, U1, [("C1", 1.0, at[(1970, 1)], 0), ("C1", 2.0, at[(2025, 2)], 0), ("C1", 3.0, at[(2025, 3)], 0)])
    assert res.results == ["too_old", "too_old", "accepted"]
    assert [(x.field, x.reason) for x in res.problems] == [("statDate", "too_old")] * 2
    assert "补传时限" in res.problems[0].message
    with p.engine.connect() as c:
        assert c.scalar(text("SELECT count(*) FROM meter_readings")) == 1
        assert c.scalar(text("SELECT sum(n) FROM reading_rollups WHERE res = 'm'")) == 1
        if before is not None:
            assert set(partitions.listed(c)) - before <= {"meter_readings_p202503"}


def test_backfill_window_setting():
    from carbonpeak.settings import Settings, SettingsError
    assert Settings.from_env({}).readings_backfill_months == 120
    assert Settings.from_env({"CARBONPEAK_READINGS_BACKFILL_MONTHS": "36"}).readings_backfill_months == 36
    with pytest.raises(SettingsError, match="CARBONPEAK_READINGS_BACKFILL_MONTHS"):
        Settings.from_env({"CARBONPEAK_READINGS_BACKFILL_MONTHS": "0"})
