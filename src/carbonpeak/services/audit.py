"""The audit trail: every change to user data keeps who, when, what, before and after."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..store.models import AuditEntry, IngestBatch
from .platform import Platform


def _jsonable(v: Any) -> Any:
    if isinstance(v, dict):
        return {k: _jsonable(x) for k, x in v.items()}
    if isinstance(v, (date, datetime)):
        return v.isoformat()
    if hasattr(v, "item"):
        return v.item()
    return v


def record(s: Session, actor: str, entity: str, key: str, action: str,
           before: dict | None, after: dict | None) -> None:
    """Add an audit entry to the session's transaction (it commits or rolls back with it)."""
    s.add(AuditEntry(actor=actor, entity=entity, entity_key=key, action=action,
                     before=None if before is None else _jsonable(before),
                     after=None if after is None else _jsonable(after)))


def history(platform: Platform, entity: str | None = None, key: str | None = None,
            limit: int = 200, offset: int = 0) -> list[dict[str, Any]]:
    q = select(AuditEntry).order_by(AuditEntry.id.desc())
    if entity:
        q = q.where(AuditEntry.entity == entity)
    if key:
        q = q.where(AuditEntry.entity_key == key)
    with platform.sessions() as s:
        rows = s.scalars(q.offset(offset).limit(limit)).all()
    return [{"id": r.id, "at": r.at.isoformat(), "actor": r.actor, "entity": r.entity, "key": r.entity_key,
             "action": r.action, "before": r.before, "after": r.after} for r in rows]


def data_version(platform: Platform) -> int:
    """Grows with every audited change and every stored batch of meter readings: a cheap cache
    key for figures computed from user data (the sum of two ids that only grow)."""
    with platform.sessions() as s:
        a = s.scalar(select(func.max(AuditEntry.id))) or 0
        b = s.scalar(select(func.max(IngestBatch.id))) or 0
        return int(a) + int(b)
