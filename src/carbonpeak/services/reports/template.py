"""A county's own Word template (styles, letterhead) for the assessment report, stored under the
platform home (``CARBONPEAK_HOME/report_template/template.docx``). An administrator uploads it;
it is checked before it replaces the previous one: a .docx (a Word document package, not a macro
file), at most MAX_BYTES, that python-docx opens. Written atomically (a reader never sees half)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from ...domain.findings import InputIssue
from .. import permissions
from ..errors import InputRejected
from ..platform import Platform

MAX_BYTES = 5 * 1024 * 1024
MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"


def path(platform: Platform) -> Path:
    return platform.settings.home / "report_template" / "template.docx"


def current(platform: Platform) -> Path | None:
    p = path(platform)
    return p if p.exists() else None


def _reject(name: str, reason: str) -> InputRejected:
    return InputRejected([InputIssue("input.bad_value", name, None, "file", {"value": name, "reason": reason})])


def validate(data: bytes, name: str = "template.docx") -> None:
    """Raise InputRejected naming the file and what is wrong with it."""
    if len(data) > MAX_BYTES:
        raise _reject(name, f"larger than {MAX_BYTES // (1024 * 1024)} MB / 超过{MAX_BYTES // (1024 * 1024)} MB")
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise _reject(name, "not a Word .docx file / 不是 Word .docx 文件")
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        names = set(z.namelist())
        if "[Content_Types].xml" not in names or "word/document.xml" not in names:
            raise _reject(name, "not a Word .docx file / 不是 Word .docx 文件")
        if any(n.lower().endswith("vbaproject.bin") for n in names):
            raise _reject(name, "contains macros / 含宏，不接受")
        if sum(i.file_size for i in z.infolist()) > 8 * MAX_BYTES:
            raise _reject(name, "unpacks too large / 解压后过大")
        types = z.read("[Content_Types].xml").decode("utf-8", "replace")
    if MAIN not in types:
        raise _reject(name, "not a Word document (save it as .docx) / 不是 Word 文档（请另存为 .docx）")
    try:
        from docx import Document
        Document(io.BytesIO(data))
    except Exception as exc:
        raise _reject(name, f"Word cannot read it / 无法读取：{type(exc).__name__}") from exc


def store(platform: Platform, data: bytes, principal, name: str = "template.docx") -> Path:
    """Check and store the county's template (administrators only)."""
    permissions.require(principal, "report.template")
    validate(data, name)
    target = path(platform)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".tmp")
    tmp.write_bytes(data)
    tmp.replace(target)
    return target


def clear(platform: Platform, principal) -> None:
    permissions.require(principal, "report.template")
    path(platform).unlink(missing_ok=True)
