"""The queries of the audit trail (services/audit.py). Each function takes the caller's session; it
never opens a session or commits.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session  # also the type the service annotates with (no SQLAlchemy import there)

from ..models import AuditEntry


def entries(s: Session, entity: str | None, key: str | None, limit: int, offset: int,
            visible: ColumnElement[bool] | None = None) -> list[AuditEntry]:
    """Entries newest first, of ``entity`` and ``key`` when given, those ``visible`` only (a
    reader's scope, store/queries/permissions.py): filtered in the query, so that ``limit`` and
    ``offset`` page through what the reader may see."""
    q = select(AuditEntry).order_by(AuditEntry.id.desc())
    if entity:
        q = q.where(AuditEntry.entity == entity)
    if key:
        q = q.where(AuditEntry.entity_key == key)
    if visible is not None:
        q = q.where(visible)
    return list(s.scalars(q.offset(offset).limit(limit)))
