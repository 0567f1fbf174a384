"""A backup carries the files kept under the platform home (evidence, attachments, the report
template) and a restore puts them back; a tampered files archive is refused before anything is
replaced. Both databases."""

from __future__ import annotations

import io
import tarfile

import pytest
from sqlalchemy import select

from carbonpeak.services import file_store
from carbonpeak.services.backup import BackupRejected, backup, restore
from carbonpeak.services.backup_files import archive_of
from carbonpeak.services.reports import template
from carbonpeak.store.models import ActivityRecord

ADMIN = {"role": "admin"}


def _template_bytes() -> bytes:
    from docx import Document

    buf = io.BytesIO()
    Document().save(buf)
    return buf.getvalue()


def _files(platform, tmp_path):
    home = platform.settings.home
    src = tmp_path / "evidence.pdf"
    src.write_bytes(b"%PDF-1.4 evidence of a finding")
    evidence, _, _ = file_store.place(home / "supervision_files", src)
    src.write_bytes(b"%PDF-1.4 an attachment of a submission")
    attachment, _, _ = file_store.place(home / "reporting_files", src)
    return evidence, attachment


def test_files_travel_with_the_backup(platform, tmp_path):
    evidence, attachment = _files(platform, tmp_path)
    from carbonpeak.services.users import Principal

    admin = Principal(1, "admin", "admin")
    template.store(platform, _template_bytes(), admin)
    info = backup(platform, tmp_path / "out" / "cp.backup")
    assert info["files"]["files"] == 3 and archive_of(tmp_path / "out" / "cp.backup").is_file()

    evidence.unlink()
    attachment.unlink()
    template.clear(platform, admin)
    result = restore(platform, tmp_path / "out" / "cp.backup")
    assert result["files_restored"] == 3
    assert evidence.read_bytes() == b"%PDF-1.4 evidence of a finding"
    assert attachment.read_bytes() == b"%PDF-1.4 an attachment of a submission"
    assert template.current(platform) is not None

    # a second restore writes only the template again; content-addressed files are there already
    assert restore(platform, tmp_path / "out" / "cp.backup")["files_restored"] == 1


def test_a_backup_without_a_template_removes_the_one_set_later(platform, tmp_path):
    from carbonpeak.services.users import Principal

    backup(platform, tmp_path / "cp.backup")
    template.store(platform, _template_bytes(), Principal(1, "admin", "admin"))
    restore(platform, tmp_path / "cp.backup")
    assert template.current(platform) is None


def test_an_old_backup_without_files_leaves_files_alone(platform, tmp_path):
    evidence, _ = _files(platform, tmp_path)
    backup(platform, tmp_path / "cp.backup")
    archive_of(tmp_path / "cp.backup").unlink()
    result = restore(platform, tmp_path / "cp.backup")
    assert result["files_restored"] is None and "未改动" in result["files_note"]
    assert evidence.is_file()


@pytest.mark.parametrize("attack", ["digest", "traversal"])
def test_a_tampered_archive_is_refused_and_nothing_is_replaced(platform, tmp_path, write_csv, attack):
    from carbonpeak.services.imports import import_file

    _files(platform, tmp_path)
    out = tmp_path / "cp.backup"
    backup(platform, out)
    import_file(platform, write_csv("x.csv", "年份,地区,部门,能源品种,数量,单位\n2025,安化县,工业,原煤,1,吨\n"), "test")
    archive = archive_of(out)
    if attack == "digest":
        with archive.open("ab") as f:
            f.write(b"\0" * 512)
    else:
        with tarfile.open(archive, "w") as tar:
            data = b"not yours"
            member = tarfile.TarInfo("../../escaped.txt")
            member.size = len(data)
            tar.addfile(member, io.BytesIO(data))
        archive.with_name(archive.name + ".sha256").unlink()
    with pytest.raises(BackupRejected) as err:
        restore(platform, out)
    assert ("SHA-256" if attack == "digest" else "escaped.txt") in err.value.messages("zh")[0]
    assert not (tmp_path.parent / "escaped.txt").exists()
    with platform.sessions() as s:  # the import made after the backup is still there: nothing replaced
        assert s.scalars(select(ActivityRecord).where(ActivityRecord.year == 2025)).first() is not None
