"""Consistent backup and restore of the whole platform database, while it runs.

SQLite: the online backup API (a consistent copy even with writers active).
PostgreSQL: pg_dump in custom format (one snapshot) and pg_restore --clean.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy.engine import make_url

from .errors import ConfigurationError
from .platform import Platform


def _pg_args(url: str) -> tuple[list[str], dict[str, str], str | None]:
    u = make_url(url)
    args = ["-h", u.host or "127.0.0.1", "-p", str(u.port or 5432), "-U", u.username or "postgres", "-d", u.database]
    env = {"PGPASSWORD": u.password} if u.password else {}
    opts = u.query.get("options", "")
    opts = " ".join(opts) if isinstance(opts, tuple) else opts
    m = re.search(r"-csearch_path=(\S+)", opts)
    return args, env, (m.group(1) if m else None)


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise ConfigurationError(f"{name} not found: install the PostgreSQL client tools")
    return path


def backup(platform: Platform, out: Path) -> dict:
    url = platform.settings.database_url
    out.parent.mkdir(parents=True, exist_ok=True)
    if platform.engine.dialect.name == "sqlite":
        raw = platform.engine.raw_connection()
        try:
            dst = sqlite3.connect(out)
            with dst:
                raw.driver_connection.backup(dst)
            dst.close()
        finally:
            raw.close()
        return {"database": "sqlite", "file": str(out), "bytes": out.stat().st_size}
    args, env, schema = _pg_args(url)
    cmd = [_tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(out), *args]
    if schema:
        cmd += ["--schema", schema]
    subprocess.run(cmd, check=True, env={**os.environ, **env}, capture_output=True)
    return {"database": "postgresql", "file": str(out), "bytes": out.stat().st_size, "schema": schema}


def restore(platform: Platform, src: Path) -> dict:
    if not src.exists():
        raise ConfigurationError(f"backup file {src} not found")
    if platform.engine.dialect.name == "sqlite":
        platform.engine.dispose()
        source = sqlite3.connect(src)
        raw = platform.engine.raw_connection()
        try:
            with source:
                source.backup(raw.driver_connection)
        finally:
            raw.close()
            source.close()
        platform.cache.clear()
        return {"database": "sqlite", "restored_from": str(src)}
    args, env, schema = _pg_args(platform.settings.database_url)
    platform.engine.dispose()
    cmd = [_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--single-transaction", *args, str(src)]
    subprocess.run(cmd, check=True, env={**os.environ, **env}, capture_output=True)
    platform.cache.clear()
    return {"database": "postgresql", "restored_from": str(src), "schema": schema}
