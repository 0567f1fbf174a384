"""The files a backup must carry beside the database: what the platform keeps under its home.

Supervision evidence and reporting attachments live content-addressed under the home
(``services/file_store.py``: ``<folder>/<sha[:2]>/<sha>``), and the county's report template at
``report_template/template.docx``. A database restored without them names files that are not
there. ``pack`` writes them to ``<backup>.files.tar`` with its own SHA-256 beside it; ``check``
verifies such an archive before anything is replaced (digest, and every member a regular file at a
name of this layout: no path can leave the home); ``unpack`` puts the files in place after the
database was restored.

Content-addressed files are only added (a file already there is the same content; a file the
backup does not know is left, unreferenced by the restored database). The report template is
set back to the backup's: replaced when the backup has one, removed when it had none.
"""

from __future__ import annotations

import os
import re
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .file_store import digest as _digest

STORED = ("supervision_files", "reporting_files")  # content-addressed folders (file_store.place)
TEMPLATE = "report_template/template.docx"
_MEMBER = re.compile(rf"^(?:(?:{'|'.join(STORED)})/[0-9a-f]{{2}}/[0-9a-f]{{64}}|{re.escape(TEMPLATE)})$")


@dataclass(frozen=True)
class FilesPacked:
    archive: str
    files: int
    bytes: int
    sha256: str


def archive_of(backup: Path) -> Path:
    return backup.with_name(backup.name + ".files.tar")


def _members(home: Path) -> list[tuple[Path, str]]:
    found = [(p, p.relative_to(home).as_posix()) for folder in STORED if (home / folder).is_dir()
             for p in sorted((home / folder).rglob("*")) if p.is_file() and not p.is_symlink()]
    template = home / TEMPLATE
    if template.is_file():
        found.append((template, TEMPLATE))
    return [(p, name) for p, name in found if _MEMBER.match(name)]  # ".part-" leftovers are not files yet


def pack(home: Path, backup: Path) -> FilesPacked:
    """Write ``<backup>.files.tar`` (written aside and renamed: whole or absent) and its digest."""
    out = archive_of(backup)
    fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=".files-")
    os.close(fd)
    try:
        members = _members(home)
        with tarfile.open(tmp, "w", format=tarfile.PAX_FORMAT) as tar:
            for path, name in members:
                tar.add(path, arcname=name, recursive=False)
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    sha = _digest(out)
    out.with_name(out.name + ".sha256").write_text(f"{sha}  {out.name}\n", encoding="ascii")
    return FilesPacked(str(out), len(members), out.stat().st_size, sha)


class FilesRejected(ValueError):
    """The files archive beside a backup failed verification (the reason in English and Chinese)."""

    def __init__(self, zh: str, en: str):
        super().__init__(en)
        self.zh, self.en = zh, en


def check(backup: Path) -> bool | None:
    """Verify the archive beside ``backup``: None when there is none (a backup of the database
    only, as older versions made), True when its digest was checked, False when it has none."""
    archive = archive_of(backup)
    if not archive.is_file():
        return None
    side = archive.with_name(archive.name + ".sha256")
    checked = side.is_file()
    if checked and side.read_text(encoding="ascii", errors="replace").split()[:1] != [_digest(archive)]:
        raise FilesRejected(f"附件归档 {archive.name} 的 SHA-256 与备份时记录的不符",
                            f"the SHA-256 of the files archive {archive.name} differs from the one recorded")
    try:
        with tarfile.open(archive, "r:") as tar:
            for m in tar:
                if not (m.isreg() and _MEMBER.match(m.name)):
                    raise FilesRejected(f"附件归档含有不属于平台的条目：{m.name}",
                                        f"the files archive holds an entry the platform does not make: {m.name}")
    except tarfile.TarError as exc:
        raise FilesRejected(f"附件归档 {archive.name} 无法读取（已损坏）",
                            f"the files archive {archive.name} cannot be read (damaged): {exc}") from exc
    return checked


def unpack(home: Path, backup: Path) -> int:
    """Put the archive's files in place (after ``check``); returns how many were written."""
    archive = archive_of(backup)
    written = 0
    with tarfile.open(archive, "r:") as tar:
        names = set()
        for m in tar:
            names.add(m.name)
            dest = home / m.name
            if m.name != TEMPLATE and dest.is_file():
                continue  # same name, same content (content-addressed)
            dest.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=".part-")
            with os.fdopen(fd, "wb") as out, tar.extractfile(m) as src:  # type: ignore[union-attr]
                for block in iter(lambda: src.read(1 << 20), b""):
                    out.write(block)
            os.replace(tmp, dest)
            written += 1
    if TEMPLATE not in names:
        (home / TEMPLATE).unlink(missing_ok=True)
    return written
