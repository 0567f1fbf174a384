"""The queries of permissions (services/permissions.py): an enterprise account's unit, the plan's
data responsibilities, the tasks naming a department, and the audit trail's visibility as SQL
conditions on ``audit_log``. Each function takes the caller's session or connection (the
conditions take none: they are applied in the caller's query); none opens a session or commits.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from sqlalchemy import Connection, String, and_, cast, exists, false, literal, or_, select, true
from sqlalchemy.orm import Session  # also the type the services annotate with (no SQLAlchemy import there)
from sqlalchemy.sql.elements import ColumnElement

from ..models import AuditEntry, KeyUnit, PlanRow, TaskRow

Condition = ColumnElement[bool]  # a condition on audit_log, the type the services annotate with


def unit_uscc(s: Session | Connection, text: str) -> str | None:
    """The credit code of the unit whose code or name is ``text``."""
    return s.scalar(select(KeyUnit.uscc).where((KeyUnit.uscc == text) | (KeyUnit.name == text)))


def unit_id(s: Session, uscc: str | None) -> int | None:
    return s.scalar(select(KeyUnit.id).where(KeyUnit.uscc == uscc))


def plan_extras(s: Session) -> dict[str, Any] | None:
    """The extras of the stored plan (the first one; None: no plan)."""
    return s.scalars(select(PlanRow.extras).order_by(PlanRow.id)).first()


def task_codes_naming(s: Session, department: str) -> list[str]:
    """The codes of the plan's tasks that name ``department``."""
    return [code for code, depts in s.execute(select(TaskRow.code, TaskRow.departments)) if department in depts]


# --- the audit trail's visibility -------------------------------------------------------------

def everything() -> Condition:
    return true()


def nothing() -> Condition:
    return false()


def all_of(*conditions: Condition) -> Condition:
    return and_(*conditions)


def about_data(entities: Collection[str], actions: Collection[str]) -> Condition:
    """Entries about none of ``entities`` with none of ``actions``."""
    return and_(AuditEntry.entity.not_in(entities), AuditEntry.action.not_in(actions))


def unit_entries(uscc: str, unit_id: int, by_unit_id: Collection[str]) -> Condition:
    """Entries about a unit: its registry row, the rows of tables ``by_unit_id`` keyed by its id
    first, and the two-high projects naming its credit code before or after the change."""
    return or_(and_(AuditEntry.entity == KeyUnit.__tablename__, AuditEntry.entity_key == uscc),
               and_(AuditEntry.entity.in_(by_unit_id), AuditEntry.entity_key.like(f"{int(unit_id)}|%")),
               and_(AuditEntry.entity == "two_high_projects",
                    or_(AuditEntry.after["uscc"].as_string() == uscc, AuditEntry.before["uscc"].as_string() == uscc)))


def _key_text(model, key: tuple[str, ...]) -> ColumnElement[str]:
    """The audit key of a row in SQL: its natural key columns as text, joined by "|"."""
    parts = [getattr(model, c) for c in key]
    out = cast(parts[0], String)
    for p in parts[1:]:
        out = out + literal("|") + cast(p, String)
    return out


def department_entries(department: str, owned: Sequence[tuple[Any, tuple[str, ...]]],
                       task_codes: Collection[str]) -> Condition:
    """Entries about the rows ``department`` keeps (``owned``: models with the natural key of their
    audit entries), about the tasks ``task_codes`` and about its own reporting submissions."""
    rows = [and_(AuditEntry.entity == m.__tablename__,
                 exists().where(m.owner == department, _key_text(m, key) == AuditEntry.entity_key)) for m, key in owned]
    reports = and_(AuditEntry.entity == "reporting_submissions",
                   or_(AuditEntry.after["department"].as_string() == department,
                       AuditEntry.before["department"].as_string() == department))
    return or_(*rows, and_(AuditEntry.entity == TaskRow.__tablename__, AuditEntry.entity_key.in_(task_codes)), reports)
