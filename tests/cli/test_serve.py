"""`carbonpeak serve`, `backup` and `restore` as a user runs them (real processes, real ports)."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

EXE = str(Path(sys.executable).with_name("carbonpeak"))


def _env(home: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CARBONPEAK_")}
    env.update({"CARBONPEAK_HOME": str(home), **extra})
    return env


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_first_start_loads_demo_and_prints_credentials(tmp_path):
    port = _port()
    proc = subprocess.Popen([EXE, "serve", "--port", str(port)], env=_env(tmp_path), stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    try:
        lines = []
        while not any("first administrator" in x for x in lines):
            line = proc.stdout.readline()
            assert line, "".join(lines)
            lines.append(line)
        text = "".join(lines)
        assert f"http://127.0.0.1:{port}/" in text and "安化示范" in text
        password = re.search(r"first administrator: admin / (\S+)", text).group(1)
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                health = json.loads(urllib.request.urlopen(base + "/api/health", timeout=1).read())
                break
            except OSError:
                time.sleep(0.1)
        assert health["status"] == "ok"
        req = urllib.request.Request(base + "/api/auth/login", method="POST", headers={"Content-Type": "application/json"},
                                     data=json.dumps({"username": "admin", "password": password}).encode())
        assert json.loads(urllib.request.urlopen(req).read())["user"]["role"] == "admin"
        assert oct((tmp_path / "secret_key").stat().st_mode & 0o777) == "0o600"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_production_refuses_to_start_without_a_secret(tmp_path):
    res = subprocess.run([EXE, "serve", "--port", str(_port())], env=_env(tmp_path, CARBONPEAK_ENV="production"),
                         capture_output=True, text=True, timeout=60)
    assert res.returncode == 1 and "CARBONPEAK_SECRET_KEY" in res.stderr
    assert not (tmp_path / "secret_key").exists()


def test_backup_and_restore_commands(tmp_path):
    env = _env(tmp_path)
    assert subprocess.run([EXE, "demo", "--format", "json"], env=env, capture_output=True, timeout=120).returncode == 0
    out = tmp_path / "b.sqlite"
    res = subprocess.run([EXE, "backup", str(out)], env=env, capture_output=True, text=True, timeout=60)
    assert res.returncode == 0 and json.loads(res.stdout)["bytes"] > 0
    refused = subprocess.run([EXE, "restore", str(out)], env=env, capture_output=True, text=True, timeout=60)
    assert refused.returncode == 2 and "--yes" in refused.stderr
    ok = subprocess.run([EXE, "restore", str(out), "--yes"], env=env, capture_output=True, text=True, timeout=60)
    assert ok.returncode == 0, ok.stderr
    inv = subprocess.run([EXE, "inventory", "--year", "2023", "--format", "json"], env=env, capture_output=True,
                         text=True, timeout=60)
    assert len(json.loads(inv.stdout)["lines"]) == 43


@pytest.mark.parametrize("bad", ["short"])
def test_user_add_rejects_weak_password(tmp_path, bad):
    res = subprocess.run([EXE, "user", "add", "bob", "--role", "viewer", "--password", bad], env=_env(tmp_path),
                         capture_output=True, text=True, timeout=60)
    assert res.returncode == 1 and "password" in res.stderr


def test_a_deployment_of_several_counties_starts_with_an_administrator_each(tmp_path):
    """Counties without a bundled demo: nothing is loaded; the city and each county get a first
    administrator, printed with its tier, and each signs in to its own county only."""
    port = _port()
    proc = subprocess.Popen([EXE, "serve", "--port", str(port)], env=_env(tmp_path, CARBONPEAK_COUNTIES="xa,xb"),
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        lines = []
        while sum("first administrator" in x for x in lines) < 3:
            line = proc.stdout.readline()
            assert line, "".join(lines)
            lines.append(line)
        text = "".join(lines)
        assert "示范" not in text  # no bundled demo for xa, xb
        found = dict(re.findall(r"\[(\S+?)[ \]].*?first administrator: admin / (\S+)", text))
        assert set(found) == {"市级", "xa", "xb"}, text
        assert (tmp_path / "carbonpeak-xa.db").exists() and (tmp_path / "carbonpeak-xb.db").exists()
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/api/health", timeout=1)
                break
            except OSError:
                time.sleep(0.1)

        def login(county: str, password: str) -> int:
            req = urllib.request.Request(base + "/api/auth/login", method="POST",
                                         headers={"Content-Type": "application/json"},
                                         data=json.dumps({"username": "admin", "password": password,
                                                          "county": county}).encode())
            try:
                return urllib.request.urlopen(req).status
            except urllib.error.HTTPError as exc:
                return exc.code

        assert login("xa", found["xa"]) == 200 and login("city", found["市级"]) == 200
        assert login("xb", found["xa"]) == 401  # xa's password is not xb's administrator's
    finally:
        proc.terminate()
        proc.wait(timeout=10)
