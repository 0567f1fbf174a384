"""Review follow-ups: an upload's every byte and each part's headers are bounded while it streams;
a restore reads the data versions right before the replacement (writes during its verification
are put behind) and moves them forward even when the migration after it fails; the result says
whether the backup's digest was checked."""

from __future__ import annotations

import dataclasses

import pytest
from test_upload_limits import PASSWORD, _asgi_post, signed_in
from typer.testing import CliRunner

from carbonpeak.cli.main import app as cli_app
from carbonpeak.services import backup as backup_svc
from carbonpeak.services import versions
from carbonpeak.services.backup import backup, digest_file, restore
from carbonpeak.services.registry import update_project
from carbonpeak.services.users import Principal, create_user
from carbonpeak.settings import ImportLimits
from carbonpeak.web.app import create_app

ADMIN = Principal(1, "admin", "admin")
LIMIT = 256 * 1024
CHUNK = 64 * 1024
HEAD = b'--XyZ\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n'


# --- uploads: every byte counts, part headers are short -----------------------------------------------

@pytest.fixture
def upload(platform, settings):
    """POST chunks (no Content-Length) to /api/uploads/validate of an app whose file limit is LIMIT."""
    create_user(platform, "admin", PASSWORD, "admin", "test")
    s = dataclasses.replace(settings, import_limits=ImportLimits(max_file_bytes=LIMIT))
    app = create_app(s, dataclasses.replace(platform, settings=s))
    c = signed_in(app)
    headers = {"host": "testserver", "x-csrf-token": c.headers["X-CSRF-Token"],
               "cookie": "; ".join(f"{k}={v}" for k, v in c.cookies.items()),
               "content-type": "multipart/form-data; boundary=XyZ"}
    return lambda chunks: _asgi_post(app, "/api/uploads/validate", headers, chunks)


@pytest.mark.parametrize("headers", ["one endless line", "several long lines"])
def test_long_part_headers_refused_at_once(upload, headers):
    """python-multipart bounds each header line and their number; the headers of a part are
    bounded in all too, and either refusal says what is wrong."""
    if headers == "one endless line":
        offered = [HEAD + b"X-Pad: "] + [b"a" * CHUNK] * 200  # 12 MB of one header
    else:  # three lines of 4000 bytes, each within python-multipart's bound
        offered = [HEAD + b"".join(b"X-Pad-%d: " % i + b"a" * 4000 + b"\r\n" for i in range(3)),
                   b"\r\n2022,x,y,z,1,t\n\r\n--XyZ--\r\n"]
    status, body, pulled = upload(offered)
    assert status == 422 and pulled <= len(offered[0]) + CHUNK
    msg = body["detail"][0]["msg"]
    assert "表单项头部过长" in msg and "headers longer than 8192 bytes" in msg


@pytest.mark.parametrize("where", ["preamble", "epilogue"])
def test_bytes_around_the_parts_count_against_the_limit(upload, where):
    """Blank lines before the first boundary and data after the last one are skipped by the
    parser: without counting every byte they streamed in without end."""
    part = [HEAD + b"\r\n", b"2022,x,y,z,1,t\n", b"\r\n--XyZ--\r\n"]
    offered = [b"\r\n" * (CHUNK // 2)] * 200 + part if where == "preamble" else part + [b"x" * CHUNK] * 200
    status, body, pulled = upload(offered)
    assert status == 413 and body["detail"][0]["type"] == "input.limit.file_size"
    assert "CARBONPEAK_IMPORT_MAX_FILE_MB" in body["detail"][0]["msg"]
    assert pulled <= LIMIT + 64 * 1024 + CHUNK + len(HEAD) + 64  # the limit and the overhead, one chunk more


# --- restore: versions read after the verification; forward even when the migration fails ------------

def _projects_highest(platform) -> None:
    """Real writes until the topic "projects" is above every other topic."""
    status = "completed"
    for _ in range(100):
        v = versions.current(platform)
        if v.get("projects", 0) > max([0, *(n for t, n in v.items() if t != "projects")]):
            return
        update_project(platform, "P04-01", {"status": status}, ADMIN)
        status = "planned" if status == "completed" else "completed"
    raise AssertionError("projects never became the highest topic")


def test_a_write_during_verification_is_put_behind(demo_platform, tmp_path, monkeypatch):
    backup(demo_platform, tmp_path / "cp.backup")
    _projects_highest(demo_platform)
    during = {}
    name = "_verify_sqlite" if demo_platform.engine.dialect.name == "sqlite" else "_verify_pg"
    real = getattr(backup_svc, name)

    def verify_then_write(*args, **kwargs):
        out = real(*args, **kwargs)
        update_project(demo_platform, "P04-03", {"status": "cancelled"}, ADMIN)  # while the restore verifies
        during["version"] = versions.current(demo_platform)["projects"]
        return out

    monkeypatch.setattr(backup_svc, name, verify_then_write)
    restore(demo_platform, tmp_path / "cp.backup")
    after = versions.current(demo_platform)
    assert "version" in during and set(versions.TOPICS) <= set(after)
    assert min(after.values()) > during["version"], (after, during)


def test_a_failed_migration_still_moves_versions_forward_and_clears_the_cache(demo_platform, tmp_path, monkeypatch):
    backup(demo_platform, tmp_path / "cp.backup")
    update_project(demo_platform, "P04-02", {"status": "cancelled"}, ADMIN)
    seen = versions.current(demo_platform)
    demo_platform.cache.put(("figure", 1), "stale")

    def failing(engine):
        raise RuntimeError("migration failed")

    monkeypatch.setattr(backup_svc, "upgrade", failing)
    with pytest.raises(RuntimeError, match="migration failed"):
        restore(demo_platform, tmp_path / "cp.backup")
    assert min(versions.current(demo_platform).values()) > max(seen.values())
    assert len(demo_platform.cache) == 0


# --- restore: the result says whether the digest was checked ------------------------------------------

def test_restore_says_whether_the_digest_was_checked(demo_platform, settings, tmp_path, monkeypatch):
    src = tmp_path / "cp.backup"
    backup(demo_platform, src)
    info = restore(demo_platform, src)
    assert info["sha256_checked"] is True and info["checksum"] == "校验和：已核对 / checksum verified"
    digest_file(src).unlink()  # an old backup, made before digests were written: still restored
    info = restore(demo_platform, src)
    assert info["sha256_checked"] is False and info["checksum"] == "无校验和文件，未核对 / no checksum file: not verified"
    monkeypatch.setenv("CARBONPEAK_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("CARBONPEAK_HOME", str(tmp_path))
    res = CliRunner().invoke(cli_app, ["restore", str(src), "--yes"])
    assert res.exit_code == 0 and "无校验和文件，未核对" in res.stdout and "not verified" in res.stdout
