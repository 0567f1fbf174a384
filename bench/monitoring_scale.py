"""Benchmark: monitoring at scale on PostgreSQL (issue #17, item 2).

1. A schema of its own, migrated to head (meter_readings partitioned by month, rollup tables), a
   registry of --units key units × --points metering points (half 电力 counters, half 原煤 amounts,
   15-minute interval) and each unit's monthly 205-1 form, through the platform's import service.
2. --months months of 15-minute readings of --year for every point (100 × 20 × 12 months ≈ 70 M
   rows), loaded the way a bulk backfill would: per month a staging table filled by one binary
   COPY, its primary key built, attached as the month's partition (foreign keys validated on
   attach); then the rollups built from the readings by SQL (store/rollups.rebuild), and
   VACUUM (ANALYZE) as after any bulk load (else autovacuum does it during the measurements).
3. The monitoring page (/monitoring) and the units API (/api/monitoring/units), in a fresh
   process (FastAPI's TestClient, a signed-in administrator), with all months; then the partitions
   of all months but the first are detached, the rollups rebuilt from the first month's readings
   and the same requests timed again. Two ways each: "after a batch" — before each request a real
   batch (one day statistic of one unit, in the last month with data) goes through the ingest
   service, as when units report, and the series recompute the month it touched; "cold" — before
   each request the process's cache is emptied, so every month is summed again from the rollups.
   p50 and p95 over --requests requests; ratio = p95 (all months) / p95 (first month).
4. HTTP ingest against COPY with rollups on: bench/ingest.py (real uvicorn, 2 workers, batches
   of 1000) in its own schema, --ingest-readings readings; its ratio_vs_copy.

Prints every figure; the schema is dropped at the end (also on failure).
Run: .venv/bin/python bench/monitoring_scale.py [--units 100 --points 20 --months 12 --requests 30]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import datetime
from pathlib import Path

import numpy as np
import psycopg

PG = os.environ.get("CARBONPEAK_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
PASSWORD = "Bench-scale-2031"
HEADER = b"PGCOPY\n\xff\r\n\x00" + (0).to_bytes(4, "big") + (0).to_bytes(4, "big")
ROW = np.dtype([("nf", ">i2"), ("l1", ">i4"), ("p", ">i4"), ("l2", ">i4"), ("s", ">i2"), ("l3", ">i4"),
                ("t", ">i8"), ("l4", ">i4"), ("v", ">f8"), ("l5", ">i4"), ("b", ">i4")])


def uscc(i: int) -> str:
    from carbonpeak.domain.monitoring import uscc_check_char
    first = f"91430923{i:09d}"
    return first + uscc_check_char(first)


def setup(url: str, home: Path, units: int, points: int, year: int = 2025, months: int = 12):
    """The platform on the bench schema, its registry, each unit's monthly 205-1 form (原煤, every
    month of the load: the quality checks reconcile them with the metered months), an
    administrator and the bulk batch row."""
    from carbonpeak.services import imports
    from carbonpeak.services.platform import open_platform
    from carbonpeak.services.users import create_user
    from carbonpeak.settings import Settings

    settings = Settings(database_url=url, home=home, actor="bench", password_hash_profile="fast")
    p = open_platform(settings)
    u = home / "units.csv"
    u.write_text("统一社会信用代码,单位名称,行业代码,年综合能耗\n" +
                 "".join(f"{uscc(i)},规模测试单位{i},C3011,20000\n" for i in range(units)), encoding="utf-8")
    m = home / "points.csv"
    m.write_text("统一社会信用代码,计量点编码,能源品种,计量单位,表计类型\n" + "".join(
        f"{uscc(i)},P{k:02d},{'电力,kWh,累计值' if k % 2 == 0 else '原煤,t,周期量'}\n"
        for i in range(units) for k in range(points)), encoding="utf-8")
    f = home / "form_205_1.csv"
    f.write_text("统一社会信用代码,年份,月份,能源名称,计量单位,消费量合计\n" + "".join(
        f"{uscc(i)},{year},{mo},原煤,吨,{coal_reported(i, year, mo, points)}\n" for i in range(units)
        for mo in range(1, months + 1)), encoding="utf-8")
    for path in (u, m, f):
        imports.import_file(p, path, "bench")
    create_user(p, "admin", PASSWORD, "admin", "bench")
    with p.engine.begin() as c:
        from sqlalchemy import text
        c.execute(text("INSERT INTO ingest_batches (unit_id, channel, device, received_at, records, accepted, "
                       "unchanged, rejected, simulated) SELECT min(id), 'file', 'bench bulk load', now(), 0, 0, 0, 0, "
                       "true FROM key_units"))
    return settings, p


def coal_reported(i: int, year: int, month: int, points: int) -> float:
    """Unit ``i``'s 205-1 coal of a month: what its amount points meter (month_rows: 76.5 t a day
    each), every tenth unit 8 % more (a finding of the 205-1 check, as some units would have)."""
    from calendar import monthrange
    metered = 76.5 * monthrange(year, month)[1] * (points // 2)
    return round(metered * (1.08 if i % 10 == 0 else 1.0), 2)


def month_rows(pids: np.ndarray, kinds: np.ndarray, lo: int, hi: int, base: np.ndarray, batch: int) -> np.ndarray:
    """Binary COPY rows of one month: every point every 15 minutes (counters from ``base`` on)."""
    t = np.arange(lo, hi, 900, dtype=np.int64)
    n = len(pids) * len(t)
    rows = np.empty(n, dtype=ROW)
    rows["nf"], rows["l1"], rows["l2"], rows["l3"], rows["l4"], rows["l5"] = 5, 4, 2, 8, 8, 4
    rows["p"] = np.repeat(pids, len(t))
    rows["s"] = 0
    rows["t"] = np.tile(t, len(pids))
    steps = 20.0 + (np.arange(len(t)) % 96) / 4  # a daily shape, in quarters (exact sums)
    counter = base[:, None] + np.cumsum(np.broadcast_to(steps, (len(pids), len(t))), axis=1) - steps[0]
    amount = np.broadcast_to(steps / 40, (len(pids), len(t)))
    rows["v"] = np.where(kinds[:, None], counter, amount).ravel()
    rows["b"] = batch
    base += np.where(kinds, steps.sum(), 0.0)
    return rows


def load_month(conn, start: int, end: int, rows: np.ndarray) -> float:
    """Stage, COPY, index, attach: one month's partition; returns the seconds taken."""
    from carbonpeak.store.partitions import name_of
    name = name_of(start)
    t0 = time.perf_counter()
    conn.execute(f'CREATE TABLE "{name}" (LIKE meter_readings INCLUDING DEFAULTS)')
    with conn.cursor().copy(f'COPY "{name}" FROM STDIN WITH (FORMAT binary)') as cp:
        cp.write(HEADER)
        step = 1_000_000
        for i in range(0, len(rows), step):
            cp.write(rows[i:i + step].tobytes())
        cp.write((-1).to_bytes(2, "big", signed=True))
    conn.execute(f'ALTER TABLE "{name}" ADD PRIMARY KEY (point_id, stat_type, period_start)')
    conn.execute(f'ALTER TABLE meter_readings ATTACH PARTITION "{name}" FOR VALUES FROM ({start}) TO ({end})')
    conn.execute(f'ANALYZE "{name}"')
    conn.commit()
    return time.perf_counter() - t0


def bulk_load(raw: str, schema: str, year: int, months: range) -> dict[str, float]:
    from carbonpeak.domain.monitoring import CST
    with psycopg.connect(raw, options=f"-csearch_path={schema}") as c:
        pts = c.execute("SELECT id, kind = 'counter' FROM metering_points ORDER BY id").fetchall()
        batch = c.execute("SELECT max(id) FROM ingest_batches").fetchone()[0]
        pids = np.array([r[0] for r in pts], dtype=np.int32)
        kinds = np.array([r[1] for r in pts], dtype=bool)
        base = np.full(len(pids), 1000.0)
        n = copy_s = 0.0
        for mo in months:
            lo = int(datetime(year, mo, 1, tzinfo=CST).timestamp())
            hi = int(datetime(year + mo // 12, mo % 12 + 1, 1, tzinfo=CST).timestamp())
            rows = month_rows(pids, kinds, lo, hi, base, batch)
            copy_s += load_month(c, lo, hi, rows)
            n += len(rows)
            print(f"  month {year}-{mo:02d}: {len(rows):,} readings, {n:,.0f} in all, {copy_s:.0f} s", flush=True)
    return {"rows": n, "copy_s": copy_s}


def rollup_rebuild(url: str) -> float:
    from sqlalchemy import create_engine

    from carbonpeak.store.rollups import rebuild
    eng = create_engine(url)
    t0 = time.perf_counter()
    with eng.begin() as c:
        rebuild(c)
    eng.dispose()
    return time.perf_counter() - t0


def timed_requests(url: str, home: Path, year: int, requests: int, month: int, units: int
                   ) -> dict[str, tuple[float, float]]:
    """p50 and p95 (ms) of the page and the units API, two ways. ``after a batch``: before each
    request a real batch (one day statistic of a unit's 原煤 point on a day of ``month``, the last
    month with data) goes through the ingest service, as when a unit reports: the series recompute
    the month it touched. ``cold``: before each request the process's cache is emptied, so every
    month is summed again from the rollups (a restart, or a change to the registry or factors)."""
    from fastapi.testclient import TestClient

    from carbonpeak.domain.monitoring import CST
    from carbonpeak.services import ingest
    from carbonpeak.services.platform import open_platform
    from carbonpeak.settings import Settings
    from carbonpeak.web.app import create_app
    settings = Settings(database_url=url, home=home, actor="bench", password_hash_profile="fast")
    platform = open_platform(settings)
    c = TestClient(create_app(settings, platform))
    r = c.post("/api/auth/login", json={"username": "admin", "password": PASSWORD})
    c.headers["X-CSRF-Token"] = r.json()["csrf_token"]
    first_day = datetime(year, month, 1, tzinfo=CST)
    sent = 0

    def batch() -> None:  # a new (unit, day) each time: accepted, never a resend
        nonlocal sent
        u, d = sent % units, sent // units
        sent += 1
        at = int(first_day.timestamp()) + 86400 * (d % 28)
        env = ingest.Envelope(data=[ingest.Record("P01", 1.25 + d // 28, at, 1)])
        res = ingest.ingest(platform, ingest.sender_for(platform, uscc(u)), env, "http")
        assert res.accepted == 1, res

    out = {}
    for mode, before in (("after a batch", batch), ("cold", platform.cache.clear)):
        for name, path in (("page", "/monitoring"), ("api_units", "/api/monitoring/units")):
            times = []
            for k in range(requests + 1):
                before()
                t0 = time.perf_counter()
                resp = c.get(path, params={"year": year})
                dt = (time.perf_counter() - t0) * 1000
                assert resp.status_code == 200, (path, resp.status_code, resp.text[:300])
                if k:  # the first request warms the process (imports, templates)
                    times.append(dt)
            times.sort()
            out[f"{name} ({mode})"] = (statistics.median(times), times[min(len(times) - 1, round(0.95 * len(times)) - 1)])
    platform.engine.dispose()
    return out


def measure(url: str, home: Path, year: int, requests: int, month: int, units: int) -> dict[str, tuple[float, float]]:
    """timed_requests in a fresh process (the code as it is now, nothing cached from the load)."""
    res = subprocess.run([sys.executable, __file__, "--measure", url, "--home", str(home), "--year", str(year),
                          "--requests", str(requests), "--month", str(month), "--units", str(units)],
                         check=False, capture_output=True, text=True)
    if res.returncode:  # its traceback, not only its exit status
        sys.exit(f"the measuring process failed:\n{res.stderr[-4000:]}")
    return json.loads(res.stdout.strip().splitlines()[-1])


def keep_first_month(raw: str, schema: str, url: str, year: int) -> float:
    """Detach every month partition but the first (the readings of one month remain) and rebuild
    the rollups from them; returns the rebuild's seconds."""
    from carbonpeak.domain.monitoring import CST
    from carbonpeak.store.partitions import name_of
    first = name_of(int(datetime(year, 1, 1, tzinfo=CST).timestamp()))
    with psycopg.connect(raw, options=f"-csearch_path={schema}") as c:
        names = [r[0] for r in c.execute("SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                                         "WHERE i.inhparent = 'meter_readings'::regclass")]
        for n in names:
            if n != first:
                c.execute(f'ALTER TABLE meter_readings DETACH PARTITION "{n}"')
        c.commit()
    return rollup_rebuild(url)


def ingest_ratio(readings: int) -> str:
    """bench/ingest.py (HTTP with rollups at ingest, against COPY), its last lines."""
    res = subprocess.run([sys.executable, str(Path(__file__).with_name("ingest.py")), "--readings", str(readings)],
                         capture_output=True, text=True, check=False)
    if res.returncode != 0:
        return "ingest bench FAILED: " + res.stderr[-1000:]
    return res.stdout.strip()


def report(label: str, got: dict[str, tuple[float, float]]) -> None:
    for name, (p50, p95) in got.items():
        print(f"{label} {name}: p50={p50:.0f} ms p95={p95:.0f} ms")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--units", type=int, default=100)
    ap.add_argument("--points", type=int, default=20)
    ap.add_argument("--months", type=int, default=12)
    ap.add_argument("--year", type=int, default=2025)
    ap.add_argument("--requests", type=int, default=30)
    ap.add_argument("--ingest-readings", type=int, default=1_000_000)
    ap.add_argument("--measure", help=argparse.SUPPRESS)  # internal: time the requests on this database URL
    ap.add_argument("--home", help=argparse.SUPPRESS)
    ap.add_argument("--month", type=int, default=1, help=argparse.SUPPRESS)  # internal: the month batches go to
    a = ap.parse_args()
    if a.measure:
        print(json.dumps(timed_requests(a.measure, Path(a.home), a.year, a.requests, a.month, a.units)))
        return 0
    schema = f"bench_scale_{uuid.uuid4().hex[:8]}"
    raw = PG.replace("+psycopg", "")
    with psycopg.connect(raw, autocommit=True) as c:
        c.execute(f'CREATE SCHEMA "{schema}"')
    url = f"{PG}?options=-csearch_path%3D{schema}"
    try:
        with tempfile.TemporaryDirectory() as tmp:
            return run(a, raw, schema, url, Path(tmp))
    finally:
        with psycopg.connect(raw, autocommit=True) as c:
            c.execute(f'DROP SCHEMA "{schema}" CASCADE')


def sizes(raw: str, schema: str) -> tuple:
    with psycopg.connect(raw, options=f"-csearch_path={schema}") as c:
        size = c.execute("SELECT sum(pg_total_relation_size(c.oid)), sum(pg_relation_size(c.oid)) FROM pg_inherits i "
                         "JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'meter_readings'::regclass").fetchone()
        rollups = c.execute("SELECT count(*), pg_total_relation_size('reading_rollups') FROM reading_rollups").fetchone()
    return float(size[0]), float(size[1]), rollups


def run(a, raw: str, schema: str, url: str, home: Path) -> int:
    _, platform = setup(url, home, a.units, a.points, a.year, a.months)
    platform.engine.dispose()
    print(f"units={a.units} points_per_unit={a.points} months={a.months} year={a.year} schema={schema}", flush=True)
    load = bulk_load(raw, schema, a.year, range(1, a.months + 1))
    rb = rollup_rebuild(url)
    t0 = time.perf_counter()
    with psycopg.connect(raw, options=f"-csearch_path={schema}", autocommit=True) as c:
        c.execute("VACUUM (ANALYZE) meter_readings, reading_rollups, unit_rollups, metering_points, key_units")  # as after any bulk load
    print(f"vacuum_analyze_s={time.perf_counter() - t0:.0f}", flush=True)
    total, heap, rollups = sizes(raw, schema)
    rows, copy_s = load["rows"], load["copy_s"]
    print(f"readings={rows:,.0f} copy_load_s={copy_s:.0f} copy_readings_per_s={rows / copy_s:,.0f} "
          f"(stage + COPY + primary key + attach)")
    print(f"rollup_rebuild_s={rb:.0f} (SQL, all readings)")
    print(f"readings_bytes={total:,.0f} heap_bytes={heap:,.0f} bytes_per_reading={total / rows:.1f} "
          f"heap_bytes_per_reading={heap / rows:.1f}")
    print(f"rollup_rows={rollups[0]:,} rollup_bytes={rollups[1]:,}", flush=True)
    full = measure(url, home, a.year, a.requests, a.months, a.units)
    report(f"{a.months} months", full)
    rb1 = keep_first_month(raw, schema, url, a.year)
    one = measure(url, home, a.year, a.requests, 1, a.units)
    report(f"1 month (rollups rebuilt in {rb1:.0f} s)", one)
    for name in one:
        print(f"ratio {name}: p95 {a.months} months / 1 month = {full[name][1] / one[name][1]:.2f} "
              f"(p95 {full[name][1]:.0f} ms)")
    if a.ingest_readings:
        print(ingest_ratio(a.ingest_readings), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
