"""Benchmark: meter readings through the real HTTP endpoint into PostgreSQL, against COPY.

1. A fresh PostgreSQL schema with the platform's tables (migrations, primary key and foreign keys
   in place), a registry of --units key units with 10 metering points each (half counters, half
   amounts, every record judged by the full rule set), one API token per unit.
2. The server: uvicorn with --workers processes (default 2) on a free loopback port, the
   platform's own app factory.
3. --readings readings (default 1 000 000) in batches of 1000 (one unit, 10 points × 100
   fifteen-minute periods), JSON bodies encoded beforehand, sent over --connections keep-alive
   HTTP/1.1 connections by a small asyncio client in this process; every response is checked
   (status 200, all 1000 accepted).
4. The same rows (read back from meter_readings) are COPYed into an identical table (same
   columns, primary key and foreign keys), in batches of 1000 committed one by one, over one
   connection and again over --connections parallel connections (the COPY text is prepared before
   the clock starts, so only the database's work is timed); then once as one single COPY, for
   reference. The baseline is the faster batched COPY.

Prints the rates and, last, ``ratio_vs_copy=R`` (HTTP rate / the faster batched COPY rate).
Run: .venv/bin/python bench/ingest.py [--readings 1000000] [--connections 8] [--workers 2]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime

import msgspec
import psycopg

PG = os.environ.get("CARBONPEAK_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
T0 = int(datetime(2025, 1, 1).timestamp()) // 900 * 900
BATCH = 1000
POINTS = 10


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def uscc(i: int) -> str:
    from carbonpeak.domain.monitoring import uscc_check_char
    first = f"91430923{i:09d}"
    return first + uscc_check_char(first)


def setup(url: str, units: int) -> dict[str, str]:
    """Registry and tokens through the platform's own services; returns uscc -> token."""
    import tempfile
    from pathlib import Path

    from carbonpeak.services import imports, ingest
    from carbonpeak.services.platform import open_platform
    from carbonpeak.settings import Settings

    with tempfile.TemporaryDirectory() as tmp:
        p = open_platform(Settings(database_url=url, home=Path(tmp), actor="bench"))
        u = Path(tmp) / "units.csv"
        u.write_text("统一社会信用代码,单位名称,行业代码,年综合能耗\n" +
                     "".join(f"{uscc(i)},bench unit {i},C3011,20000\n" for i in range(units)), encoding="utf-8")
        m = Path(tmp) / "points.csv"
        m.write_text("统一社会信用代码,计量点编码,能源品种,计量单位,表计类型\n" + "".join(
            f"{uscc(i)},P{k:02d},电力,kWh,{'累计值' if k % 2 == 0 else '周期量'}\n"
            for i in range(units) for k in range(POINTS)), encoding="utf-8")
        imports.import_file(p, u, "bench")
        imports.import_file(p, m, "bench")
        tokens = {uscc(i): ingest.issue_token(p, uscc(i), "bench") for i in range(units)}
        p.engine.dispose()
    return tokens


def bodies(tokens: dict[str, str], readings: int) -> list[tuple[str, bytes]]:
    """Batches of 1000: one unit, 10 points × 100 consecutive 15-minute periods."""
    enc = msgspec.json.Encoder()
    codes = list(tokens)
    per_unit_step = {c: 0 for c in codes}
    out = []
    for b in range(readings // BATCH):
        unit = codes[b % len(codes)]
        step = per_unit_step[unit]
        per_unit_step[unit] += 100
        data = []
        for k in range(POINTS):
            for j in range(100):
                t = T0 + (step + j) * 900
                v = 1000.0 + (step + j) * 2.5 if k % 2 == 0 else 2.5
                data.append({"dataCode": f"P{k:02d}", "dataValue": v, "statType": 0, "statDate": t})
        out.append((tokens[unit], enc.encode({"enterpriseCode": unit, "deviceId": "bench", "data": data})))
    return out


async def send_all(port: int, work: list[tuple[str, bytes]], connections: int) -> tuple[int, int]:
    queue = list(reversed(work))
    accepted = 0
    errors = 0
    dec = msgspec.json.Decoder()

    async def worker():
        nonlocal accepted, errors
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        while queue:
            token, body = queue.pop()
            writer.write(b"POST /api/monitoring/readings HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                         b"Authorization: Bearer " + token.encode() + b"\r\nContent-Type: application/json\r\n"
                         b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head.split(b" ", 2)[1])
            length = 0
            for line in head.split(b"\r\n"):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            payload = await reader.readexactly(length)
            if status != 200:
                errors += 1
                print(payload[:300], file=sys.stderr)
                continue
            accepted += dec.decode(payload)["accepted"]
        writer.close()

    await asyncio.gather(*(worker() for _ in range(connections)))
    return accepted, errors


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--readings", type=int, default=1_000_000)
    ap.add_argument("--connections", type=int, default=8)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--units", type=int, default=20)
    a = ap.parse_args()
    schema = f"bench_ingest_{uuid.uuid4().hex[:8]}"
    raw = PG.replace("+psycopg", "")
    with psycopg.connect(raw, autocommit=True) as c:
        c.execute(f'CREATE SCHEMA "{schema}"')
    url = f"{PG}?options=-csearch_path%3D{schema}"
    server = None
    try:
        tokens = setup(url, a.units)
        work = bodies(tokens, a.readings)
        port = free_port()
        env = {**os.environ, "CARBONPEAK_DATABASE_URL": url, "CARBONPEAK_SECRET_KEY": "b" * 40,
               "CARBONPEAK_HOME": f"/tmp/{schema}"}
        server = subprocess.Popen([sys.executable, "-m", "uvicorn", "--factory", "carbonpeak.web.app:app_from_env",
                                   "--host", "127.0.0.1", "--port", str(port), "--workers", str(a.workers),
                                   "--log-level", "warning", "--no-access-log"], env=env)
        for _ in range(1200):  # up to 2 minutes: two workers start slowly on a loaded machine
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        n = len(work) * BATCH
        t = time.perf_counter()
        accepted, errors = asyncio.run(send_all(port, work, a.connections))
        http_s = time.perf_counter() - t
        if errors or accepted != n:
            print(f"FAILED: accepted {accepted} of {n}, {errors} error responses", file=sys.stderr)
            return 1
        with psycopg.connect(url.replace("+psycopg", "").replace("?options=-csearch_path%3D", "?options=-csearch_path%3D")) as c:
            c.execute(f'SET search_path TO "{schema}"')
            rows = c.execute("SELECT point_id, stat_type, period_start, value, batch_id FROM meter_readings").fetchall()
            assert len(rows) == n, (len(rows), n)
            c.execute("CREATE TABLE copy_target (LIKE meter_readings INCLUDING ALL)")
            c.execute("ALTER TABLE copy_target ADD FOREIGN KEY (point_id) REFERENCES metering_points(id) ON DELETE CASCADE")
            c.execute("ALTER TABLE copy_target ADD FOREIGN KEY (batch_id) REFERENCES ingest_batches(id)")
            c.commit()
            # COPY text prepared before the clock starts: only the database's work is timed
            chunks = ["".join(f"{a}\t{b}\t{t_}\t{v!r}\t{bid}\n" for a, b, t_, v, bid in rows[i:i + BATCH]).encode()
                      for i in range(0, n, BATCH)]
            sql = "COPY copy_target (point_id, stat_type, period_start, value, batch_id) FROM STDIN"
            t = time.perf_counter()
            for chunk in chunks:
                with c.cursor().copy(sql) as cp:
                    cp.write(chunk)
                c.commit()
            copy_s = time.perf_counter() - t
            c.execute("TRUNCATE copy_target")
            c.commit()
            # the same batches over --connections parallel connections, as the HTTP clients send them
            conns = [psycopg.connect(raw, options=f"-csearch_path={schema}") for _ in range(a.connections)]

            def copier(k: int) -> None:
                cc = conns[k]
                for chunk in chunks[k::a.connections]:
                    with cc.cursor().copy(sql) as cp:
                        cp.write(chunk)
                    cc.commit()
            t = time.perf_counter()
            with ThreadPoolExecutor(a.connections) as ex:
                list(ex.map(copier, range(a.connections)))
            parallel_s = time.perf_counter() - t
            for cc in conns:
                cc.close()
            assert c.execute("SELECT count(*) FROM copy_target").fetchone()[0] == n
            c.execute("TRUNCATE copy_target")
            c.commit()
            t = time.perf_counter()
            with c.cursor().copy(sql) as cp:
                for chunk in chunks:
                    cp.write(chunk)
            c.commit()
            single_s = time.perf_counter() - t
            assert c.execute("SELECT count(*) FROM copy_target").fetchone()[0] == n
        http_rate, serial_rate, parallel_rate, single_rate = n / http_s, n / copy_s, n / parallel_s, n / single_s
        copy_rate = max(serial_rate, parallel_rate)  # the stronger COPY baseline
        print(f"readings={n} batch={BATCH} connections={a.connections} workers={a.workers} units={a.units}")
        print(f"http_seconds={http_s:.2f} http_readings_per_s={http_rate:,.0f}")
        print(f"copy_batched_1conn_seconds={copy_s:.2f} readings_per_s={serial_rate:,.0f}")
        print(f"copy_batched_{a.connections}conn_seconds={parallel_s:.2f} readings_per_s={parallel_rate:,.0f}")
        print(f"copy_single_seconds={single_s:.2f} readings_per_s={single_rate:,.0f} (one COPY of everything, reference)")
        print(f"copy_baseline_readings_per_s={copy_rate:,.0f} (best batched COPY)")
        print(f"ratio_vs_copy={http_rate / copy_rate:.3f}")
        return 0
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=20)
        with psycopg.connect(raw, autocommit=True) as c:
            c.execute(f'DROP SCHEMA "{schema}" CASCADE')


if __name__ == "__main__":
    sys.exit(main())
