"""Benchmark: p50/p95 latency of the main pages and API calls under 50 concurrent connections.

Starts the real server (`carbonpeak serve`, SQLite, the Anhua demo) in its own process on a free
port and loads it with wrk (Debian package `wrk`; `apt-get install wrk`), 2 threads, 50
connections, for --seconds per endpoint, one endpoint after another, loopback only. Prints, per
endpoint, requests/s and the 50th, 95th and 99th latency percentiles in ms, then the worst p95.

Run: .venv/bin/python bench/load_bench.py [--seconds 10] [--connections 50]
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ENDPOINTS = ["/", "/accounting", "/targets", "/projects", "/api/overview", "/api/inventory/2023",
             "/api/targets?year=2024", "/api/projects", "/api/targets/T02/trajectory"]
LUA = """
done = function(summary, latency, requests)
  io.write(string.format("RESULT %d %.3f %.3f %.3f %.3f %d\\n", summary.requests, summary.duration / 1e6,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.timeout))
end
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=int, default=10)
    ap.add_argument("--connections", type=int, default=50)
    ap.add_argument("--workers", type=int, default=2)
    a = ap.parse_args()
    wrk = shutil.which("wrk")
    if wrk is None:
        print("wrk not found: apt-get install wrk", file=sys.stderr)
        return 2
    home = Path(tempfile.mkdtemp(prefix="cp-load-"))
    port = free_port()
    env = {**os.environ, "CARBONPEAK_HOME": str(home), "CARBONPEAK_ADMIN_PASSWORD": "Load-Bench-Secret-2026"}  # the password rule refuses one containing the user name
    env.pop("CARBONPEAK_DATABASE_URL", None)
    exe = Path(sys.executable).with_name("carbonpeak")
    server = subprocess.Popen([str(exe), "serve", "--port", str(port), "--workers", str(a.workers)], env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(1200):
            try:
                urllib.request.urlopen(base + "/api/health", timeout=1).read()
                break
            except OSError:
                time.sleep(0.1)
        else:
            print(server.stdout.read() if server.stdout else "", file=sys.stderr)
            return 1
        script = home / "report.lua"
        script.write_text(LUA)
        print(f"server=carbonpeak serve (uvicorn, {a.workers} process(es), SQLite) wrk threads=2 connections={a.connections} "
              f"seconds={a.seconds} per endpoint")
        print(f"{'endpoint':32s} {'req/s':>8s} {'p50_ms':>8s} {'p95_ms':>8s} {'p99_ms':>8s} {'errors':>6s}")
        worst = 0.0
        for ep in ENDPOINTS:
            for _ in range(4 * a.workers):  # warm the caches of every worker process
                urllib.request.urlopen(base + ep, timeout=30).read()
            out = subprocess.run([wrk, "-t2", f"-c{a.connections}", f"-d{a.seconds}s", "-s", str(script), base + ep],
                                 capture_output=True, text=True, check=True).stdout
            line = next(x for x in out.splitlines() if x.startswith("RESULT"))
            _, n, dur, p50, p95, p99, errors = line.split()
            rps = int(n) / float(dur)
            worst = max(worst, float(p95))
            print(f"{ep:32s} {rps:8.0f} {float(p50):8.1f} {float(p95):8.1f} {float(p99):8.1f} {errors:>6s}")
        print(f"worst_p95_ms={worst:.1f}")
        return 0
    finally:
        server.terminate()
        server.wait(timeout=10)
        shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
