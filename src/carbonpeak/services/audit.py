"""The audit trail: every change to user data keeps who, when, what, before and after."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from pydantic import ConfigDict, with_config

from ..store.models import AuditEntry
from ..store.queries import audit as q
from ..store.queries.audit import Session
from . import versions
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
    versions.touch(s, entity)  # the entity's topic version moves on when this transaction commits


SYSTEM = "system"  # the command line and server-side code: every entry


@with_config(ConfigDict(extra="forbid"))  # as a response schema: no key it does not name
@dataclass(frozen=True)
class AuditRecord:
    """One audit entry as it is read: when (ISO 8601), who, what (entity and key), the action, and
    the fields before and after (None: an insert has no before, a delete no after)."""
    id: int
    at: str
    actor: str
    entity: str
    key: str
    action: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


def history(platform: Platform, entity: str | None = None, key: str | None = None,
            limit: int = 200, offset: int = 0, *, principal: Any = SYSTEM) -> list[AuditRecord]:
    """Entries newest first. For a signed-in ``principal`` (None: anonymous → 401) only those it
    may read, filtered in the query so that ``limit``/``offset`` page through visible entries."""
    with platform.sessions() as s:  # the principal's scope is looked up in the session of the read
        visible = None
        if principal is not SYSTEM:
            from . import permissions
            visible = permissions.audit_scope(platform, principal, s)
        rows = q.entries(s, entity, key, limit, offset, visible)
    return [AuditRecord(r.id, r.at.isoformat(), r.actor, r.entity, r.entity_key, r.action, r.before, r.after)
            for r in rows]


@dataclass(frozen=True)
class FieldChange:
    """One field of an audit entry as a reader sees it: its value before and after (None: absent)."""
    field: str
    before: Any
    after: Any


def changes(entry: AuditRecord) -> list[FieldChange]:
    """An entry field by field: for an update the fields whose value changed (a field the update
    names but left as it was is shown too, marked by equal values), for an insert or a delete every
    field, in the order the entry keeps them."""
    before, after = entry.before or {}, entry.after or {}
    names = list(before) + [k for k in after if k not in before]
    if before and after:
        changed = [k for k in names if before.get(k) != after.get(k)]
        names = changed or names
    return [FieldChange(k, before.get(k), after.get(k)) for k in names]


def data_version(platform: Platform) -> int:
    """Grows with every change to user data (audited changes, meter-reading batches) and never
    comes back to an earlier value, even across a restore (the sum of the forward-only topic
    versions, services/versions.py)."""
    return versions.total(platform)
