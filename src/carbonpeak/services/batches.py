"""The end of every file import: one batch row when something changed, stamped on the rows it
wrote, then commit, or roll everything back for a dry run. A re-import that changes nothing
leaves no batch row, so repeating an import leaves no trace."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.orm import Session

from ..domain.findings import InputIssue
from ..store.models import ImportBatch
from .errors import InputRejected


def not_owner(file: str, rows: list[int], column: str, refused: Iterable[tuple[int, str | None]]) -> InputRejected:
    """The refusal of rows kept by another department (``refused``: record index, owner)."""
    return InputRejected([InputIssue("input.not_owner", file, rows[i], column, {"owner": o or "县级（管理员）"})
                          for i, o in refused])


def settle(s: Session, kind: str, file_name: str, sha256: str, rows: int, actor: str, counts: dict[str, int],
           touched: Iterable, dry_run: bool = False) -> int | None:
    """Add the batch row (if anything changed), stamp ``touched`` with it, commit or (``dry_run``)
    roll back; the batch id, None when nothing changed or nothing was kept."""
    batch_id = None
    if counts["inserted"] or counts["updated"]:
        batch = ImportBatch(kind=kind, file_name=file_name, sha256=sha256, rows=rows, actor=actor, **counts)
        s.add(batch)
        s.flush()
        batch_id = batch.id
        for obj in touched:
            obj.batch_id = batch_id
    if dry_run:
        s.rollback()
        return None
    s.commit()
    return batch_id
