"""Uploaded files kept under the platform home by content address (SHA-256): supervision evidence,
reporting attachments. One copy per content; written to a temporary file and renamed, so a file
is either whole or absent. The database row that names the file is the caller's."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

CHUNK = 1 << 20


def digest(source: Path) -> str:
    h = hashlib.sha256()
    with source.open("rb") as f:
        for chunk in iter(lambda: f.read(CHUNK), b""):
            h.update(chunk)
    return h.hexdigest()


def place(root: Path, source: Path, sha: str | None = None) -> tuple[Path, str, bool]:
    """Copy ``source`` to ``root/<sha[:2]>/<sha>``: (path, sha, True when it was not there before)."""
    sha = sha or digest(source)
    dest = root / sha[:2] / sha
    if dest.exists():
        return dest, sha, False
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=".part-")
    try:
        with os.fdopen(fd, "wb") as out, source.open("rb") as src:
            for chunk in iter(lambda: src.read(CHUNK), b""):
                out.write(chunk)
        os.replace(tmp, dest)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return dest, sha, True
