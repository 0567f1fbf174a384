"""Evidence files of a period (佐证材料): a PDF, PNG or JPEG of at most 10 MB, recognised by its
first bytes (its name must agree), as supervision evidence is (services/supervision/evidence.py).
Stored under the platform's home by its SHA-256 (the sent name is a label only, never a path),
written before the row and removed again when the transaction fails. Only those who may see the
obligation's data download it: its department or unit, the reviewers, viewers and administrators."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from ...domain import reporting as rules
from ...domain.findings import InputIssue
from ...domain.reporting_texts import STATUS_NAMES, name
from ...store.models_reporting import ReportingAttachment, ReportingSubmission
from ...store.queries import reporting as q
from .. import audit, file_store, permissions
from ..errors import InputRejected, NotFound
from ..platform import Platform
from ..supervision.evidence import checked
from ..users import Principal
from .obligations import get, own

FOLDER = "reporting_files"


@dataclass(frozen=True)
class AttachmentView:
    id: int
    file_name: str
    content_type: str
    size_bytes: int
    uploaded_by: str
    uploaded_at: datetime


@dataclass(frozen=True)
class StoredFile:
    path: Path
    file_name: str
    content_type: str


def _view(r: ReportingAttachment) -> AttachmentView:
    return AttachmentView(r.id, r.file_name, r.content_type, r.size_bytes, r.uploaded_by, rules.aware(r.uploaded_at))


def attach(platform: Platform, who: Principal, code: str, period: str, source: Path, file_name: str) -> AttachmentView:
    """A file for one period of one obligation (its draft is opened when there is none yet)."""
    label, kind, size = checked(source, file_name)
    with platform.sessions.begin() as s:
        ob = get(s, code)
        permissions.require_submit(who, ob.department, ob.unit_uscc)
        if (bad := rules.period_issue(ob.period_kind, period)) is not None:
            raise InputRejected([bad])
        sub = q.submission(s, ob.id, period)
        if sub is None:
            sub = ReportingSubmission(obligation_id=ob.id, period=period, values={}, status="draft", version=1,
                                      due_on=rules.due_on(ob.period_kind, period, ob.due_days),
                                      illustrative=ob.illustrative, reporter=who.username)
            s.add(sub)
            s.flush()
        if sub.status not in rules.EDITABLE:
            raise InputRejected([InputIssue("reporting.not_editable", rules.FORM, None, "file",
                                                  {"status": name(STATUS_NAMES, sub.status)})])
        dest, sha, new = file_store.place(Path(platform.settings.home) / FOLDER, source)
        try:
            row = ReportingAttachment(submission_id=sub.id, file_name=label, content_type=kind, size_bytes=size,
                                      sha256=sha, uploaded_by=who.username)
            s.add(row)
            s.flush()
            audit.record(s, who.username, "reporting_submissions", f"{code}|{period}", "evidence", None,
                         {"file_name": label, "size_bytes": size, "sha256": sha, "department": ob.department})
            return _view(row)
        except BaseException:
            if new:
                dest.unlink(missing_ok=True)
            raise


def listed(s: q.Session, submission_ids: list[int]) -> dict[int, list[AttachmentView]]:
    out: dict[int, list[AttachmentView]] = {}
    for r in q.attachments_of(s, submission_ids):
        out.setdefault(r.submission_id, []).append(_view(r))
    return out


def download(platform: Platform, who: Principal, attachment_id: int) -> StoredFile:
    """The stored file, for those who may see the obligation (else 404: its existence is not told)."""
    permissions.require(who, "reporting.read")
    with platform.sessions() as s:
        row = q.attachment(s, attachment_id, own(who))
    if row is None:
        raise NotFound(f"没有该附件 / no attachment {attachment_id}")
    path = Path(platform.settings.home) / FOLDER / row.sha256[:2] / row.sha256
    if not path.is_file():
        raise NotFound(f"附件文件缺失 / the stored file of attachment {attachment_id} is missing")
    return StoredFile(path, row.file_name, row.content_type)
