#!/usr/bin/env python3
"""Bootstrap and run CarbonPeak with nothing but Python ≥ 3.11 and the package registries.

    python3 dev.py serve    create .venv from requirements.lock (first run), then `carbonpeak serve`
                            (the web platform on http://127.0.0.1:8000, Anhua demo loaded on first start)
    python3 dev.py demo     the Anhua demo on the command line (`carbonpeak demo`)
    python3 dev.py test     the whole test suite (pytest, one worker per core), SQLite always, PostgreSQL when reachable
    python3 dev.py bench    the benchmarks (accounting engine; Monte Carlo; web latency under load; ingestion vs COPY)
    python3 dev.py cli ...  any `carbonpeak` command, e.g. `python3 dev.py cli targets --year 2024`

The virtual environment is rebuilt when requirements.lock changes (a stamp file records its
hash). Installs are hash-checked (--require-hashes). Standard library only.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
LOCK = ROOT / "requirements.lock"
STAMP = VENV / ".carbonpeak-lock-sha256"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")


def _run(*cmd: str | Path) -> None:
    subprocess.run([str(c) for c in cmd], check=True, cwd=ROOT)


def ensure_env() -> None:
    if sys.version_info < (3, 11):
        sys.exit(f"CarbonPeak needs Python 3.11 or newer (this is {sys.version.split()[0]})")
    wanted = hashlib.sha256(LOCK.read_bytes() + (ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text().strip() == wanted:
        return
    if not (BIN / "python").exists():
        print("creating .venv ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    py = BIN / "python"
    print("installing locked dependencies ...", flush=True)
    _run(py, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--require-hashes", "-r", LOCK)
    _run(py, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-deps", "-e", ROOT)
    STAMP.write_text(wanted)


def main(argv: list[str]) -> int:
    if not argv or argv[0] in ("-h", "--help"):
        print(__doc__)
        return 0 if argv else 2
    cmd, rest = argv[0], argv[1:]
    ensure_env()
    py = str(BIN / "python")
    if cmd in ("serve", "demo"):
        return subprocess.call([str(BIN / "carbonpeak"), cmd, *rest], cwd=ROOT)
    if cmd == "test":
        # one worker per core (pytest-xdist) unless the caller chose: every test owns its database
        workers = [] if any(a.startswith(("-n", "--numprocesses")) for a in rest) else ["-n", "auto"]
        # bytecode is kept (__pycache__, git-ignored) even where PYTHONDONTWRITEBYTECODE is set: else
        # every worker, and every process a test starts, compiles the package and the tests again
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        subprocess.call([py, "-m", "compileall", "-q", "src"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
        # the 25 slowest tests are listed at the end of every run: where the suite's time goes
        durations = [] if any(a.startswith("--durations") for a in rest) else ["--durations=25"]
        return subprocess.call([py, "-m", "pytest", *workers, *durations, *rest], cwd=ROOT, env=env)
    if cmd == "bench":
        rc = 0
        for script in ("account_bench.py", "montecarlo.py", "load_bench.py", "ingest.py"):
            rc = rc or subprocess.call([py, str(ROOT / "bench" / script)], cwd=ROOT)
        return rc
    if cmd == "cli":
        return subprocess.call([str(BIN / "carbonpeak"), *rest], cwd=ROOT)
    print(f"unknown command {cmd!r}\n{__doc__}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
