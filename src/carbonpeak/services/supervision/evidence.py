"""Rectification evidence: files an enterprise sends for a finding, and the inspector's review.

A file is a PDF, PNG or JPEG of at most 10 MB, recognised by its first bytes (its name must
agree). It is stored under the platform's home by its SHA-256 (the sent name is kept as a label
only, never used as a path), written before the database row and removed again when the
transaction fails, so nothing is left half-written. Only those who may see the case download it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path, PurePath
from typing import TYPE_CHECKING

from ...domain.supervision import EVIDENCE_MAX_BYTES, evidence_type
from ...store.models_supervision import (
    CleanProductionAudit,
    EnergyAuditRequest,
    SupervisionCase,
    SupervisionEvidence,
    SupervisionFinding,
)
from ...store.queries import supervision as q
from .. import audit, file_store, permissions
from ..errors import Forbidden, NotFound
from ..platform import Platform
from .common import NOT_OWN, case_by_code, issue, may_act_on, own_unit_id, raise_if, refuse, row_dict
from .views import CaseView, case_view

if TYPE_CHECKING:
    from ...store.queries.supervision import Session
    from ..users import Principal

ENTITY = SupervisionFinding.__tablename__
FOLDER = "supervision_files"


@dataclass(frozen=True)
class StoredFile:
    path: Path
    file_name: str
    content_type: str
    size_bytes: int


def file_root(platform: Platform) -> Path:
    return Path(platform.settings.home) / FOLDER


def checked(source: Path, file_name: str, limit: int = EVIDENCE_MAX_BYTES) -> tuple[str, str, int]:
    """The clean name, content type and size of an evidence file, else refused naming the field."""
    clean = "".join(c for c in (file_name or "") if c.isprintable())  # no control characters in a header
    label = PurePath(clean.replace("\\", "/")).name.strip()[:200] or "evidence"
    size = source.stat().st_size
    if size == 0:
        raise refuse(issue("file", "input.file_empty"))
    if size > limit:
        raise refuse(issue("file", "input.sup.evidence_size", size=f"{size / 1048576:.1f} MB",
                           limit=f"{limit / 1048576:.0f} MB"))
    with source.open("rb") as f:
        kind = evidence_type(label, f.read(16))
    if kind is None:
        raise refuse(issue("file", "input.sup.evidence_type", name=label))
    return label, kind, size


def store(platform: Platform, s: Session, source: Path, file_name: str, actor: str, **owner: int) -> SupervisionEvidence:
    """Check and place the file, add its row to the session; the caller's transaction commits it.
    A failure before the commit removes a file this call placed (see :func:`attached`)."""
    label, kind, size = checked(source, file_name)
    dest, sha, new = file_store.place(file_root(platform), source)
    if new:
        s.info.setdefault("supervision_new_files", []).append(dest)
    row = SupervisionEvidence(file_name=label, content_type=kind, size_bytes=size, sha256=sha, uploaded_by=actor, **owner)
    s.add(row)
    s.flush()
    return row


def discard_new_files(s: Session) -> None:
    """After a failed transaction: remove the files it placed (no row refers to them)."""
    for path in s.info.pop("supervision_new_files", []):
        Path(path).unlink(missing_ok=True)


def submit(platform: Platform, principal: Principal | None, code: str, number: int, source: Path, file_name: str,
           lang: str = "zh") -> CaseView:
    """The enterprise sends a file for finding ``number`` of its case: the finding awaits review."""
    who = permissions.require(principal, "supervision.answer")
    with platform.sessions() as s:
        try:
            with s.begin():
                uid = own_unit_id(s, platform, who)
                case = case_by_code(s, code)
                if uid is not None and case.unit_id != uid:
                    raise Forbidden(NOT_OWN)
                finding = _finding(s, case, number)
                if case.status == "closed":
                    raise refuse(issue("status", "input.sup.bad_state", case=case.code, status=case.status,
                                       action="提交整改材料", action_en="take rectification evidence"))
                if finding.status == "accepted":
                    raise refuse(issue(f"findings[{number}].status", "input.sup.already_accepted", number=number))
                before = row_dict(finding)
                row = store(platform, s, source, file_name, who.username, finding_id=finding.id)
                finding.status = "submitted"
                s.flush()
                audit.record(s, who.username, ENTITY, f"{case.code}|{number}", "evidence", before,
                             {**row_dict(finding), "evidence": row_dict(row)})
        except BaseException:
            discard_new_files(s)
            raise
        s.info.pop("supervision_new_files", None)
        return case_view(s, case, lang)


def _finding(s: Session, case: SupervisionCase, number: int) -> SupervisionFinding:
    f = q.finding(s, case.id, number)
    if f is None:
        raise NotFound(f"案件{case.code}没有第{number}项问题 / case {case.code} has no finding {number}")
    return f


def review(platform: Platform, principal: Principal | None, code: str, number: int, accept: bool, reviewed_on: date,
           note: str = "", lang: str = "zh") -> CaseView:
    """The inspector accepts or rejects the rectification of a finding (a rejection says why)."""
    with platform.sessions() as s, s.begin():
        case = case_by_code(s, code)
        who = may_act_on(principal, case)
        finding = _finding(s, case, number)
        wanted = "accepted" if accept else "rejected"
        if finding.status == wanted and finding.reviewed_on == reviewed_on:
            return case_view(s, case, lang, changed=False)
        raise_if(None if finding.status == "submitted" else issue(f"findings[{number}].status",
                                                                  "input.sup.nothing_to_review", number=number),
                 None if accept or note.strip() else issue("note", "input.sup.note_required"),
                 None if reviewed_on >= case.inspected_on else issue("reviewed_on", "input.sup.date_before",
                                                                     value=reviewed_on.isoformat(),
                                                                     other=case.inspected_on.isoformat(),
                                                                     what="检查日期", what_en="the inspection date"))
        before = row_dict(finding)
        finding.status, finding.review_note, finding.reviewed_on = wanted, note.strip(), reviewed_on
        s.flush()
        audit.record(s, who.username, ENTITY, f"{case.code}|{number}", "accept" if accept else "reject", before,
                     row_dict(finding))
        return case_view(s, case, lang)


def download(platform: Platform, principal: Principal | None, evidence_id: int) -> StoredFile:
    """A stored file, for those who may see what it belongs to (the county; the unit itself)."""
    who = permissions.require(principal, "supervision.read")
    with platform.sessions() as s:
        e = s.get(SupervisionEvidence, evidence_id)
        if e is None:
            raise NotFound(f"没有文件 {evidence_id} / no file {evidence_id}")
        unit_id = _owner_unit(s, e)
        mine = own_unit_id(s, platform, who)  # None: the county sees every file
    if mine is not None and mine != unit_id:
        raise Forbidden(NOT_OWN)
    path = file_root(platform) / e.sha256[:2] / e.sha256
    if not path.is_file():
        raise NotFound(f"文件{evidence_id}的内容不在本机存储中 / the stored file {evidence_id} is missing")
    return StoredFile(path, e.file_name, e.content_type, e.size_bytes)


def _owner_unit(s: Session, e: SupervisionEvidence) -> int:
    if e.finding_id is not None:
        f = s.get(SupervisionFinding, e.finding_id)
        return s.get(SupervisionCase, f.case_id).unit_id
    if e.energy_audit_id is not None:
        return s.get(EnergyAuditRequest, e.energy_audit_id).unit_id
    return s.get(CleanProductionAudit, e.clean_audit_id).unit_id
