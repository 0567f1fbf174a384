"""A restore verifies the backup before it replaces anything (issue #11, item 14).

Every kind of bad file is refused with a message that names it, the database keeps every row of
every table, and `carbonpeak restore` exits 1 without a traceback. A good backup of an older
version is restored and migrated to head.
"""

from __future__ import annotations

import random
import shutil
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text
from test_backup import snapshot  # every row of every table
from typer.testing import CliRunner

from carbonpeak.cli.main import app as cli_app
from carbonpeak.services.backup import BackupRejected, RestoreFailed, backup, digest_file, restore
from carbonpeak.services.registry import update_project
from carbonpeak.services.users import Principal
from carbonpeak.store.migrate import downgrade, revisions, upgrade

ADMIN = Principal(1, "admin", "admin")


@pytest.fixture
def filled(demo_platform, tmp_path):
    """The demo database, and a good backup of it (with its digest) in tmp_path/good.backup."""
    update_project(demo_platform, "P04-01", {"status": "completed"}, ADMIN)
    backup(demo_platform, tmp_path / "good.backup")
    update_project(demo_platform, "P04-02", {"status": "cancelled"}, ADMIN)  # the database differs from the backup
    return demo_platform


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _other_sqlite(path: Path) -> Path:
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    con.executemany("INSERT INTO notes (body) VALUES (?)", [("a",), ("b",)])
    con.commit()
    con.close()
    return path


def _flipped(good: Path, out: Path, at: int, bit: int = 3, with_digest: bool = False) -> Path:
    data = bytearray(good.read_bytes())
    data[at] ^= 1 << bit
    _write(out, bytes(data))
    if with_digest:  # the digest of the good file beside the damaged copy
        shutil.copyfile(digest_file(good), digest_file(out))
    return out


def _newer(platform, tmp_path: Path) -> Path:
    """A backup whose alembic_version names a revision this code does not know."""
    out = tmp_path / "newer.backup"
    if platform.engine.dialect.name == "sqlite":
        shutil.copyfile(tmp_path / "good.backup", out)
        con = sqlite3.connect(out)
        con.execute("UPDATE alembic_version SET version_num = '9999_future'")
        con.commit()
        con.close()
        return out
    with platform.engine.begin() as c:
        head = c.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
        c.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
    backup(platform, out)
    with platform.engine.begin() as c:
        c.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": head})
    return out


def bad_files(platform, tmp_path: Path) -> dict[str, Path]:
    good = tmp_path / "good.backup"
    size = good.stat().st_size
    files = {
        "empty": _write(tmp_path / "empty.backup", b""),
        "random": _write(tmp_path / "random.backup", random.Random(7).randbytes(64 * 1024)),
        "other application's SQLite": _other_sqlite(tmp_path / "other.db"),
        "bit flipped, digest kept": _flipped(good, tmp_path / "flipped.backup", size // 3, with_digest=True),
        "truncated": _write(tmp_path / "truncated.backup", good.read_bytes()[: size // 2]),
        "newer revision": _newer(platform, tmp_path),
    }
    if platform.engine.dialect.name == "sqlite":
        # the page-type byte of page 2: only the structure check can see it (no digest)
        files["bit flipped b-tree page"] = _flipped(good, tmp_path / "btree.backup", 4096)
    else:
        files["not an archive"] = _write(tmp_path / "dump.sql", b"-- plain SQL\nDROP TABLE plans;\n")
        files["bit flipped data block"] = _flipped(good, tmp_path / "data.backup", size * 3 // 4)
    return files


def test_bad_backups_are_refused_and_the_database_is_intact(filled, tmp_path):
    before = snapshot(filled)
    for name, path in bad_files(filled, tmp_path).items():
        with pytest.raises(BackupRejected) as e:
            restore(filled, path)
        msgs = e.value.messages("zh")
        assert path.name in msgs[0] and "未恢复" in msgs[0] and "nothing was restored" in msgs[1], (name, msgs)
        assert snapshot(filled) == before, name


def test_refusal_messages_say_why(filled, tmp_path):
    files = bad_files(filled, tmp_path)
    reasons = {name: " ".join(_refusal(filled, p).messages("en")) for name, p in files.items()}
    assert "9999_future is unknown" in reasons["newer revision"]
    assert "SHA-256 differs" in reasons["bit flipped, digest kept"]
    sqlite = filled.engine.dialect.name == "sqlite"
    header = "SQLite format 3" if sqlite else "pg_dump custom-format"
    assert header in reasons["empty"] and header in reasons["random"]
    assert ("no alembic_version table" if sqlite else header) in reasons["other application's SQLite"]
    if filled.engine.dialect.name != "sqlite":
        assert "pg_restore: " in reasons["truncated"]  # the tool's own reason


def _refusal(platform, path: Path) -> BackupRejected:
    try:
        restore(platform, path)
    except BackupRejected as exc:
        return exc
    raise AssertionError(f"{path.name} was restored")


def test_pg_restore_error_rolls_back_and_shows_its_reason(filled, tmp_path):
    """An archive that reads through but whose SQL fails: pg_restore's stderr in the error, rolled back."""
    if filled.engine.dialect.name == "sqlite":
        pytest.skip("pg_restore only")
    data = (tmp_path / "good.backup").read_bytes()
    assert b"CREATE TABLE" in data
    bad = _write(tmp_path / "ddl.backup", data.replace(b"CREATE TABLE", b"CREATE TABLX", 1))
    before = snapshot(filled)
    with pytest.raises(RestoreFailed) as e:
        restore(filled, bad)
    # an archive with month partitions (migration 0014) is restored through psql (services/backup.py)
    assert "TABLX" in e.value.detail and e.value.detail.startswith(("pg_restore: ", "psql: "))
    assert "已回滚" in e.value.messages("zh")[0]
    assert snapshot(filled) == before


def test_cli_restore_refuses_with_exit_1_and_no_traceback(filled, settings, tmp_path, monkeypatch):
    monkeypatch.setenv("CARBONPEAK_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("CARBONPEAK_HOME", str(tmp_path))
    monkeypatch.delenv("CARBONPEAK_LANG", raising=False)
    before = snapshot(filled)
    runner = CliRunner()
    for name, path in bad_files(filled, tmp_path).items():
        res = runner.invoke(cli_app, ["restore", str(path), "--yes"])
        assert res.exit_code == 1, (name, res.output)
        assert isinstance(res.exception, SystemExit), (name, res.exception)
        assert "Traceback" not in res.output
        assert "未通过校验" in res.stderr and "rejected" in res.stderr, (name, res.stderr)
        assert snapshot(filled) == before, name
    good = runner.invoke(cli_app, ["restore", str(tmp_path / "good.backup"), "--yes"])
    assert good.exit_code == 0, good.output
    assert snapshot(filled) != before


def test_an_older_backup_is_restored_and_migrated_to_head(demo_platform, tmp_path):
    head, previous = revisions()[-1], revisions()[-2]
    downgrade(demo_platform.engine, previous)
    backup(demo_platform, tmp_path / "old.backup")
    upgrade(demo_platform.engine)
    before = snapshot(demo_platform)
    update_project(demo_platform, "P04-02", {"status": "cancelled"}, ADMIN)
    info = restore(demo_platform, tmp_path / "old.backup")
    assert info["revision"] == previous
    with demo_platform.engine.connect() as c:
        assert c.execute(text("SELECT version_num FROM alembic_version")).scalar_one() == head
    after = snapshot(demo_platform)
    del after["data_versions"], before["data_versions"]  # moved past every version seen (services/versions.py)
    assert after == before
