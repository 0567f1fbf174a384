"""Benchmark: public reads while a writer edits, on SQLite and on PostgreSQL.

For each database: a fresh store (a temp CARBONPEAK_HOME with its SQLite file, or a fresh schema
on the PostgreSQL server at 127.0.0.1:5432, dropped afterwards) with the Anhua demo plus
synthetic activity rows up to --rows (default 30 000). First the uncached cost of the heavy
reads is timed in this process (the cache emptied before each request). Then `carbonpeak serve
--workers 2` is started on a free loopback port and, for --seconds (default 20):

* --readers (default 50) keep-alive HTTP/1.1 connections (a small asyncio client in this
  process, accepting gzip as browsers do) request the public pages and API reads below, one
  after another;
* one writer, signed in as administrator, edits a task every --write-every seconds (0.2), and
  with --import-every N imports a changed activity row every N seconds instead (0 = never).

Prints, per database, the uncached timings, then per endpoint the number of requests and the
50th and 95th latency percentiles in ms, the error count, the writer's edits and errors, and last
``worst_p95_ms``. The run stops by itself; the server is stopped and the store removed.

Run: .venv/bin/python bench/contention.py [--seconds 20] [--readers 50] [--db sqlite --db postgresql]
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path

PG = os.environ.get("CARBONPEAK_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
ADMIN_PASSWORD = "Zijiang-contention-4817"
ENDPOINTS = ["/api/overview", "/accounting", "/api/inventory/2024", "/", "/targets", "/projects",
             "/api/projects", "/api/targets?year=2024"]
UNCACHED = ["/api/overview", "/accounting", "/api/inventory/2024"]
CARRIERS = [("原煤", "吨"), ("电力", "万千瓦时"), ("柴油", "吨"), ("天然气", "万立方米"), ("汽油", "吨"),
            ("液化石油气", "吨")]
HEADER = ["年份", "地区", "部门", "能源品种", "数量", "单位", "用途", "来源", "示例数据"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def synthetic_rows(path: Path, n: int) -> None:
    """``n`` activity rows of synthetic industrial enterprises, 2020–2024 (marked illustrative)."""
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(HEADER)
        k = written = 0
        while written < n:
            for y in range(2020, 2025):
                for c, u in CARRIERS:
                    if written < n:
                        w.writerow([y, "安化县", f"工业-其他（合成{k:04d}）", c, 1 + (k * 7 + y) % 13, u, "燃料",
                                    "bench synthetic", "是"])
                        written += 1
            k += 1


def setup(url: str, home: Path, rows: int) -> dict[str, float]:
    """Demo plus synthetic rows up to ``rows``; returns the uncached timings (ms)."""
    from carbonpeak.domain.accounting import AccountingOptions
    from carbonpeak.services.demo import run_demo
    from carbonpeak.services.imports import import_file
    from carbonpeak.services.platform import open_platform
    from carbonpeak.services.users import ensure_first_admin
    from carbonpeak.settings import Settings

    settings = Settings(database_url=url, home=home, actor="bench")
    p = open_platform(settings)
    run_demo(p, "bench")
    ensure_first_admin(p, ADMIN_PASSWORD)
    with p.engine.connect() as c:
        have = c.exec_driver_sql("SELECT count(*) FROM activity_records").scalar_one()
    synthetic_rows(home / "synthetic.csv", rows - have)
    import_file(p, home / "synthetic.csv", "bench", kind="activity",
                options=AccountingOptions(electricity_fallback="nearest"))
    try:
        return uncached_timings(settings, p)
    finally:
        p.engine.dispose()


def uncached_timings(settings, p) -> dict[str, float]:
    """Each heavy read through the app in this process, the cache emptied before every request
    (best of three, after one warm-up of the imports)."""
    from fastapi.testclient import TestClient

    from carbonpeak.web.app import create_app

    out = {}
    with TestClient(create_app(settings, p)) as client:
        for ep in UNCACHED:
            best = float("inf")
            for _ in range(4):
                p.cache.clear()
                t = time.perf_counter()
                assert client.get(ep).status_code == 200, ep
                best = min(best, time.perf_counter() - t)
            out[ep] = best * 1000
    return out


def start_server(url: str, home: Path, port: int, workers: int) -> subprocess.Popen:
    env = {**os.environ, "CARBONPEAK_HOME": str(home), "CARBONPEAK_ADMIN_PASSWORD": ADMIN_PASSWORD,
           "CARBONPEAK_DATABASE_URL": url}
    exe = Path(sys.executable).with_name("carbonpeak")
    server = subprocess.Popen([str(exe), "serve", "--port", str(port), "--workers", str(workers)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    for _ in range(600):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health", timeout=1).read()
            return server
        except OSError:
            if server.poll() is not None:
                raise RuntimeError("the server stopped while starting")
            time.sleep(0.1)
    server.terminate()
    raise RuntimeError("the server did not start")


async def request(reader, writer, method: str, path: str, headers: dict[str, str] | None = None,
                  body: bytes = b"", gzip: bool = False) -> tuple[int, dict[str, str], bytes]:
    """One HTTP/1.1 keep-alive request; returns status, headers (lower-case names), body (as sent:
    with ``gzip`` the client accepts it, as browsers do, and the body is not decompressed)."""
    head = f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept-Encoding: {'gzip' if gzip else 'identity'}\r\n"
    for k, v in (headers or {}).items():
        head += f"{k}: {v}\r\n"
    writer.write(head.encode() + f"Content-Length: {len(body)}\r\n\r\n".encode() + body)
    raw = await reader.readuntil(b"\r\n\r\n")
    lines = raw.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    hdrs: dict[str, str] = {}
    for line in lines[1:]:
        if ":" in line:
            k, v = line.split(":", 1)
            k = k.strip().lower()
            hdrs[k] = hdrs[k] + "; " + v.strip() if k == "set-cookie" and k in hdrs else v.strip()
    return status, hdrs, await reader.readexactly(int(hdrs.get("content-length", "0")))


async def reader_loop(port: int, k: int, stop: float, lat: dict[str, list[float]], errors: dict[str, int]) -> None:
    r, w = await asyncio.open_connection("127.0.0.1", port)
    i = k
    try:
        while time.perf_counter() < stop:
            ep = ENDPOINTS[i % len(ENDPOINTS)]
            i += 1
            t = time.perf_counter()
            try:
                status, _, _ = await request(r, w, "GET", ep, gzip=True)
            except (OSError, asyncio.IncompleteReadError):
                errors[ep] += 1
                w.close()
                r, w = await asyncio.open_connection("127.0.0.1", port)
                continue
            lat[ep].append(time.perf_counter() - t)
            if status != 200:
                errors[ep] += 1
    finally:
        w.close()


async def sign_in(r, w) -> dict[str, str]:
    body = json.dumps({"username": "admin", "password": ADMIN_PASSWORD}).encode()
    status, hdrs, payload = await request(r, w, "POST", "/api/auth/login", {"Content-Type": "application/json"}, body)
    if status != 200:
        raise RuntimeError(f"login failed: {status} {payload[:200]!r}")
    cookie = hdrs["set-cookie"].split(";", 1)[0]
    return {"Cookie": cookie, "X-CSRF-Token": json.loads(payload)["csrf_token"]}


def import_body(n: int) -> tuple[dict[str, str], bytes]:
    """A multipart upload of one activity row whose quantity changes every time."""
    csv_text = ",".join(HEADER) + f"\n2024,安化县,工业-其他（合成0000）,原煤,{100 + n},吨,燃料,bench writer,是\n"
    b = uuid.uuid4().hex
    body = (f"--{b}\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\nactivity\r\n"
            f"--{b}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"w.csv\"\r\n"
            f"Content-Type: text/csv\r\n\r\n{csv_text}\r\n--{b}--\r\n").encode()
    return {"Content-Type": f"multipart/form-data; boundary={b}"}, body


async def writer_loop(port: int, stop: float, every: float, import_every: float, stats: dict[str, int]) -> None:
    r, w = await asyncio.open_connection("127.0.0.1", port)
    auth = await sign_in(r, w)
    _, _, payload = await request(r, w, "GET", "/api/tasks", auth)
    codes = [t["id"] for t in json.loads(payload)["tasks"]]
    n, last_import = 0, time.perf_counter()
    while time.perf_counter() < stop:
        n += 1
        if import_every and time.perf_counter() - last_import >= import_every:
            last_import = time.perf_counter()
            extra, body = import_body(n)
            status, _, _ = await request(r, w, "POST", "/api/uploads", {**auth, **extra}, body)
            stats["imports"] += 1
        else:
            body = json.dumps({"progress_note": f"bench edit {n}"}).encode()
            status, _, _ = await request(r, w, "PATCH", f"/api/tasks/{codes[n % len(codes)]}",
                                         {**auth, "Content-Type": "application/json"}, body)
            stats["edits"] += 1
        if status != 200:
            stats["errors"] += 1
        await asyncio.sleep(every)
    w.close()


async def load(port: int, a) -> tuple[dict[str, list[float]], dict[str, int], dict[str, int]]:
    lat = {ep: [] for ep in ENDPOINTS}
    errors = {ep: 0 for ep in ENDPOINTS}
    stats = {"edits": 0, "imports": 0, "errors": 0}
    stop = time.perf_counter() + a.seconds
    await asyncio.gather(writer_loop(port, stop, a.write_every, a.import_every, stats),
                         *(reader_loop(port, k, stop, lat, errors) for k in range(a.readers)))
    return lat, errors, stats


def pct(xs: list[float], q: float) -> float:
    if not xs:
        return float("nan")
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(q / 100 * len(xs)))] * 1000


def warm(port: int, workers: int) -> None:
    for ep in ENDPOINTS:
        for _ in range(4 * workers):
            urllib.request.urlopen(f"http://127.0.0.1:{port}{ep}", timeout=120).read()


def report(db: str, uncached: dict[str, float], lat, errors, stats, a) -> float:
    print(f"\n== {db}: {a.rows} activity rows, serve --workers {a.workers}, {a.readers} readers, "
          f"writer every {a.write_every}s (imports every {a.import_every or '-'}s), {a.seconds}s")
    for ep, ms in uncached.items():
        print(f"uncached {ep:28s} {ms:8.1f} ms")
    print(f"{'endpoint':32s} {'requests':>8s} {'p50_ms':>8s} {'p95_ms':>8s} {'errors':>6s}")
    every = [x for xs in lat.values() for x in xs]
    for ep in ENDPOINTS:
        print(f"{ep:32s} {len(lat[ep]):8d} {pct(lat[ep], 50):8.1f} {pct(lat[ep], 95):8.1f} {errors[ep]:6d}")
    print(f"{'all':32s} {len(every):8d} {pct(every, 50):8.1f} {pct(every, 95):8.1f} {sum(errors.values()):6d}")
    print(f"writer: edits={stats['edits']} imports={stats['imports']} errors={stats['errors']}")
    return pct(every, 95)


def run_one(db: str, a) -> float:
    home = Path(tempfile.mkdtemp(prefix="cp-contention-"))
    schema = None
    if db == "sqlite":
        url = f"sqlite:///{home / 'carbonpeak.db'}"
    else:
        import psycopg
        schema = f"bench_contention_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(PG.replace("+psycopg", ""), autocommit=True) as c:
            c.execute(f'CREATE SCHEMA "{schema}"')
        url = f"{PG}{'&' if '?' in PG else '?'}options=-csearch_path%3D{schema}"
    server = None
    try:
        uncached = setup(url, home, a.rows)
        port = free_port()
        server = start_server(url, home, port, a.workers)
        warm(port, a.workers)
        lat, errors, stats = asyncio.run(load(port, a))
        return report(db, uncached, lat, errors, stats, a)
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=20)
        shutil.rmtree(home, ignore_errors=True)
        if schema:
            import psycopg
            with psycopg.connect(PG.replace("+psycopg", ""), autocommit=True) as c:
                c.execute(f'DROP SCHEMA "{schema}" CASCADE')


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=20)
    ap.add_argument("--readers", type=int, default=50)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--rows", type=int, default=30_000)
    ap.add_argument("--write-every", type=float, default=0.2)
    ap.add_argument("--import-every", type=float, default=0.0)
    ap.add_argument("--db", action="append", choices=["sqlite", "postgresql"])
    a = ap.parse_args()
    worst = max(run_one(db, a) for db in (a.db or ["sqlite", "postgresql"]))
    print(f"\nworst_p95_ms={worst:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
