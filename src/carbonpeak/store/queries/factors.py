"""The queries of the county's own factor values (table factor_overrides, services/factor_store.py).
Each function takes the caller's session; it never opens a session or commits.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session  # also the type the service annotates with (no SQLAlchemy import there)

from ..models import FactorOverride


def last_revision(s: Session) -> int:
    """The highest revision stored (0: none)."""
    return int(s.scalar(select(func.coalesce(func.max(FactorOverride.revision), 0))) or 0)


def overrides(s: Session, kind: str | None = None, parameter: str | None = None) -> list[FactorOverride]:
    """The county values, of ``kind`` (and ``parameter``) only when given, by kind, carrier and parameter."""
    q = select(FactorOverride).order_by(FactorOverride.kind, FactorOverride.carrier, FactorOverride.parameter)
    if kind:
        q = q.where(FactorOverride.kind == kind)
    if parameter:
        q = q.where(FactorOverride.parameter == parameter)
    return list(s.scalars(q))
