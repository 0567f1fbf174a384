"""Consistent backup and restore of the whole platform database, while it runs.

SQLite: the online backup API (a consistent copy even with writers active).
PostgreSQL: pg_dump in custom format (one snapshot) and pg_restore --clean.

Every backup gets a SHA-256 digest beside it (``<file>.sha256``). A restore verifies the file
before it replaces anything, and refuses (:class:`BackupRejected`, exit 1) what is not a backup
of this platform or is damaged: the digest when present (the result says whether it was
checked: an old backup may have none); SQLite: the file header, ``PRAGMA
integrity_check`` on a private copy opened read-only; PostgreSQL: the archive header, ``pg_restore
--list`` and a full read of the archive; both: this platform's tables and an Alembic revision this
code knows (a backup of a newer CarbonPeak is refused). The replacement itself is one transaction
(the SQLite backup API into the live database; ``pg_restore --single-transaction``): when it fails
the previous database is still there. An older backup is migrated to head afterwards. The files
kept under the platform home (evidence, attachments, the report template) travel beside it in
``<backup>.files.tar`` (``services/backup_files.py``), verified before anything is replaced.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
from dataclasses import asdict
from pathlib import Path

from sqlalchemy.engine import make_url

from ..store import partitions
from ..store.migrate import revisions, upgrade
from ..store.models import Base
from . import backup_files
from .errors import CarbonPeakError, ConfigurationError
from .file_store import digest as _digest
from .platform import Platform
from .versions import moves_forward, seen_before_restore

# The tables of the first migration: every backup of this platform, of any version, has them.
BASE_TABLES = frozenset({"audit_log", "import_batches", "plans", "activity_records", "gdp_records", "plan_actions",
                         "plan_project_groups", "plan_projects", "plan_targets", "target_observations", "plan_tasks"})
SQLITE_MAGIC = b"SQLite format 3\x00"
PG_MAGIC = b"PGDMP"
_TOC_TABLE = re.compile(r"^\d+;\s+\d+\s+\d+\s+TABLE\s+(?!DATA\s|ATTACH\s)(\S+)\s+(\S+)\s")


class BackupRejected(CarbonPeakError):
    """A backup file that failed verification: nothing was replaced."""

    http_status = 422
    heading = ("备份文件 {name} 未通过校验，未恢复，当前数据库未改动：",
               "backup file {name} rejected: nothing was restored, the database is unchanged: ")

    def __init__(self, src: Path, zh: str, en: str, detail: str = ""):
        super().__init__(self.heading[1].format(name=src.name) + en + (f" ({detail})" if detail else ""))
        self.src, self.zh, self.en, self.detail = src, zh, en, detail

    def messages(self, lang: str = "zh") -> list[str]:
        """Chinese first, English beside it; the tool's own words (pg_restore stderr) last."""
        en = self.heading[1].format(name=self.src.name) + self.en
        lines = [en] if lang == "en" else [self.heading[0].format(name=self.src.name) + self.zh, en]
        return lines + ([self.detail] if self.detail else [])


class RestoreFailed(BackupRejected):
    """The verified backup could not be applied; the transaction was rolled back."""

    heading = ("从 {name} 恢复失败，已回滚，当前数据库未改动：", "restoring {name} failed and was rolled back, the database is unchanged: ")


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


def digest_file(path: Path) -> Path:
    """Where the SHA-256 of a backup is kept (``sha256sum -c`` reads it too)."""
    return path.with_name(path.name + ".sha256")


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
        info = {"database": "sqlite", "file": str(out), "bytes": out.stat().st_size}
    else:
        args, env, schema = _pg_args(url)
        cmd = [_tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(out), *args]
        if schema:
            cmd += ["--schema", schema]
        res = subprocess.run(cmd, check=False, env={**os.environ, **env}, capture_output=True, text=True)
        if res.returncode != 0:
            raise ConfigurationError(f"pg_dump failed / 备份失败: {res.stderr.strip()}")
        info = {"database": "postgresql", "file": str(out), "bytes": out.stat().st_size, "schema": schema}
    info["sha256"] = _digest(out)
    digest_file(out).write_text(f"{info['sha256']}  {out.name}\n", encoding="ascii")
    info["files"] = asdict(backup_files.pack(Path(platform.settings.home), out))
    return info


# --- verification: nothing below replaces anything --------------------------------------------------

FILES_NOTE = {True: "附件与报告模板：已随数据库恢复 / evidence, attachments and report template restored",
              False: "备份不含附件归档，平台目录下的文件未改动 / the backup has no files archive: files left as they were"}
CHECKSUM_NOTE = {True: "校验和：已核对 / checksum verified",
                 False: "无校验和文件，未核对 / no checksum file: not verified"}


def _check_digest(src: Path) -> bool:
    """Whether the digest beside ``src`` was checked (False: there is none, an old backup may lack it)."""
    side = digest_file(src)
    if not side.is_file():
        return False
    expected = side.read_text(encoding="ascii", errors="replace").split()[:1]
    if expected != [_digest(src)]:
        raise BackupRejected(src, f"SHA-256 与备份时记录的（{side.name}）不符：文件已损坏或被改动",
                             f"its SHA-256 differs from the one recorded at backup time ({side.name}): the file is "
                             "damaged or was changed")
    return True


def _check_schema(src: Path, tables: set[str], versions: list[str] | None) -> str:
    """This platform's tables and one Alembic revision that this code knows; returns it."""
    if versions is None:
        raise BackupRejected(src, "不是碳峰数据库（没有 alembic_version 表）",
                             "not a CarbonPeak database (no alembic_version table)")
    known = revisions()
    if len(versions) != 1:
        raise BackupRejected(src, f"alembic_version 应有一行，实有 {len(versions)} 行",
                             f"alembic_version should hold one row, it holds {len(versions)}")
    if versions[0] not in known:
        raise BackupRejected(src, f"数据库版本 {versions[0]} 不是本程序已知的版本（最新为 {known[-1]}；可能来自更新版本的碳峰）",
                             f"database revision {versions[0]} is unknown to this CarbonPeak (head is {known[-1]}; "
                             "a backup of a newer version?)")
    missing = sorted(BASE_TABLES - tables)
    if missing:
        raise BackupRejected(src, "不是碳峰数据库（缺少表 " + ", ".join(missing) + "）",
                             "not a CarbonPeak database (tables missing: " + ", ".join(missing) + ")")
    return versions[0]


def _verify_sqlite(src: Path, copy: Path) -> str:
    """Check ``src`` on a private copy (``copy``), opened read-only; returns its revision."""
    with src.open("rb") as f:
        head = f.read(100)
    if len(head) < 100 or not head.startswith(SQLITE_MAGIC):
        raise BackupRejected(src, f"不是 SQLite 数据库文件（{len(head)} 字节文件头不符）",
                             "not an SQLite database file (no 'SQLite format 3' header)")
    shutil.copyfile(src, copy)
    try:
        con = sqlite3.connect(f"{copy.resolve().as_uri()}?mode=ro", uri=True)
        try:
            problems = [r[0] for r in con.execute("PRAGMA integrity_check(20)")]
            if problems != ["ok"]:
                raise BackupRejected(src, "SQLite 完整性检查未通过（文件已损坏）", "the SQLite integrity check failed "
                                     "(the file is damaged)", "; ".join(problems)[:1000])
            tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            versions = ([r[0] for r in con.execute("SELECT version_num FROM alembic_version")]
                        if "alembic_version" in tables else None)
        finally:
            con.close()
    except sqlite3.Error as exc:
        raise BackupRejected(src, "SQLite 无法读取该文件（文件已损坏）", "SQLite cannot read the file (it is damaged)",
                             f"{type(exc).__name__}: {exc}") from exc
    return _check_schema(src, tables, versions)


def _pg_restore(src: Path, *options: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([_tool("pg_restore"), *options, str(src)], check=False, capture_output=True, text=True,
                          env={**os.environ, **(env or {})})


def _stderr(res: subprocess.CompletedProcess) -> str:
    return "pg_restore: " + (res.stderr.strip()[-2000:] or f"exit status {res.returncode}")


def _verify_pg(src: Path, schema: str | None) -> tuple[str, set[str]]:
    """Check a pg_dump archive without touching a database; returns its revision and tables."""
    with src.open("rb") as f:
        if f.read(len(PG_MAGIC)) != PG_MAGIC:
            raise BackupRejected(src, "不是 pg_dump 自定义格式的备份文件", "not a pg_dump custom-format archive")
    listing = _pg_restore(src, "--list")
    if listing.returncode != 0:
        raise BackupRejected(src, "pg_restore 无法读取目录（文件已损坏）", "pg_restore cannot read its table of "
                             "contents (the file is damaged)", _stderr(listing))
    found = [m.groups() for m in map(_TOC_TABLE.match, listing.stdout.splitlines()) if m]
    other = sorted({s for s, _ in found if schema and s != schema})
    if other:
        raise BackupRejected(src, f"备份属于模式 {', '.join(other)}，当前数据库使用模式 {schema}",
                             f"the backup holds schema {', '.join(other)}, this database uses schema {schema}")
    tables = {t for _, t in found}
    versions = None
    if "alembic_version" in tables:
        data = _pg_restore(src, "--data-only", "--table=alembic_version", "--file=-")
        if data.returncode != 0:
            raise BackupRejected(src, "无法读取 alembic_version（文件已损坏）", "alembic_version cannot be read "
                                 "(the file is damaged)", _stderr(data))
        versions = _copy_rows(data.stdout, "alembic_version")
    revision = _check_schema(src, tables, versions)
    full = _pg_restore(src, f"--file={os.devnull}")
    if full.returncode != 0:
        raise BackupRejected(src, "备份文件不完整或已损坏（完整读取失败）", "the archive is incomplete or damaged "
                             "(reading it through failed)", _stderr(full))
    return revision, tables


def _copy_rows(sql: str, table: str) -> list[str]:
    """The data lines of ``COPY ... table ... FROM stdin;`` in a pg_restore script."""
    rows, inside = [], False
    for line in sql.splitlines():
        if inside:
            if line == "\\.":
                break
            rows.append(line)
        elif line.startswith("COPY ") and f"{table} " in line and line.endswith("FROM stdin;"):
            inside = True
    return rows


# --- restore ---------------------------------------------------------------------------------------

def _restore_sqlite(platform: Platform, src: Path) -> tuple[dict, dict[str, int]]:
    folder = Path(make_url(platform.settings.database_url).database or ".").resolve().parent
    with tempfile.TemporaryDirectory(prefix="carbonpeak-restore-", dir=folder) as tmp:
        copy = Path(tmp) / "backup.db"
        revision = _verify_sqlite(src, copy)
        seen = seen_before_restore(platform)  # after the verification: writes made during it are seen
        platform.engine.dispose()
        source = sqlite3.connect(f"{copy.resolve().as_uri()}?mode=ro", uri=True)
        raw = platform.engine.raw_connection()
        try:
            with source:
                source.backup(raw.driver_connection)  # one write transaction on the live database
        except sqlite3.Error as exc:
            raise RestoreFailed(src, "SQLite 复制失败", "the SQLite copy failed", f"{type(exc).__name__}: {exc}") from exc
        finally:
            raw.close()
            source.close()
    return {"database": "sqlite", "restored_from": str(src), "revision": revision}, seen


def _restore_pg(platform: Platform, src: Path) -> tuple[dict, dict[str, int]]:
    args, env, schema = _pg_args(platform.settings.database_url)
    revision, tables = _verify_pg(src, schema)
    seen = seen_before_restore(platform)  # after the (minutes-long) verification: writes made during it are seen
    platform.engine.dispose()
    newer = [t.name for t in reversed(Base.metadata.sorted_tables) if t.name not in tables]
    partitioned = any(t.startswith(partitions.PREFIX) for t in tables)  # month partitions (migration 0014)
    if (revision == revisions()[-1] or not newer) and not partitioned:
        res = _pg_restore(src, "--clean", "--if-exists", "--no-owner", "--single-transaction", *args, env=env)
        if res.returncode != 0:
            raise RestoreFailed(src, "pg_restore 出错", "pg_restore reported an error", _stderr(res))
    else:
        _restore_older_pg(src, args, env, schema, newer)
    return {"database": "postgresql", "restored_from": str(src), "schema": schema, "revision": revision}, seen


def _drop_lines(script: Path, pattern: re.Pattern) -> None:
    """Remove the lines matching ``pattern`` from ``script``, a line at a time (a dump of tens of
    millions of readings is never held in memory), written aside and renamed."""
    kept = script.with_name(script.name + ".kept")
    with script.open(encoding="utf-8") as src, kept.open("w", encoding="utf-8") as out:
        for line in src:
            if not pattern.match(line):
                out.write(line)
    kept.replace(script)


_PARTITION_PKEY_DROP = re.compile(
    rf"^ALTER TABLE IF EXISTS ONLY \S+\.\"?{partitions.PREFIX}\d+\"? DROP CONSTRAINT IF EXISTS \"?{partitions.PREFIX}\d+_pkey\"?;$")


def _restore_older_pg(src: Path, args: list[str], env: dict[str, str], schema: str | None, newer: list[str]) -> None:
    """A backup of an older version lacks the tables of later migrations, and those may hold keys
    into the tables it replaces: drop them and restore in one psql transaction (the upgrade after
    the restore recreates them)."""
    prefix = "" if schema is None else '"' + schema.replace('"', '""') + '".'
    drops = "".join(f'DROP TABLE IF EXISTS {prefix}"{name}" CASCADE;\n' for name in newer)
    with tempfile.TemporaryDirectory(prefix="carbonpeak-restore-") as tmp:
        script = Path(tmp) / "restore.sql"
        res = _pg_restore(src, "--clean", "--if-exists", "--no-owner", f"--file={script}")
        if res.returncode != 0:
            raise RestoreFailed(src, "pg_restore 出错", "pg_restore reported an error", _stderr(res))
        # --clean drops each month partition's primary key, which PostgreSQL refuses (it belongs to
        # the parent's); the partitions go with their parent's DROP TABLE anyway
        _drop_lines(script, _PARTITION_PKEY_DROP)
        res = subprocess.run([_tool("psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1", "--single-transaction",
                              *(["-c", drops] if drops else []), "-f", str(script), *args], check=False,
                             capture_output=True, text=True, env={**os.environ, **env})
    if res.returncode != 0:
        raise RestoreFailed(src, "psql 出错", "psql reported an error", "psql: " + res.stderr.strip()[-2000:])


def restore(platform: Platform, src: Path) -> dict:
    """Replace the database with the backup ``src``, after verifying it (see the module docstring);
    then migrate it to head and put every data version past those seen right before the
    replacement (cache keys never reused), the latter even when the migration fails."""
    if not src.is_file():
        raise BackupRejected(src, "文件不存在", "file not found")
    restored = _restore_sqlite if platform.engine.dialect.name == "sqlite" else _restore_pg
    try:
        checked = _check_digest(src)
        files = backup_files.check(src)  # before anything is replaced
        info, seen = restored(platform, src)
    except OSError as exc:  # unreadable file, no room for the private copy: nothing was replaced
        raise BackupRejected(src, "文件无法读取或复制", "the file cannot be read or copied", str(exc)) from exc
    except backup_files.FilesRejected as exc:
        raise BackupRejected(src, exc.zh, exc.en) from exc
    moves_forward(platform, seen, lambda: upgrade(platform.engine))  # an older backup is brought to head
    written = None if files is None else backup_files.unpack(Path(platform.settings.home), src)
    return {**info, "sha256_checked": checked, "checksum": CHECKSUM_NOTE[checked],
            "files_restored": written, "files_note": FILES_NOTE[files is not None]}
