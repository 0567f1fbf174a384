"""The query of the sink ledger (services/sinks.py): the stored forest inventories. It takes the
caller's session and returns ORM rows; it never opens a session or commits.

``Session`` is the type the services annotate a caller's session with (they import no SQLAlchemy).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import ForestParcel

__all__ = ["Session", "parcels"]


def parcels(s: Session) -> list[ForestParcel]:
    """Every stored 小班 parcel, by inventory year and id."""
    return list(s.scalars(select(ForestParcel).order_by(ForestParcel.year, ForestParcel.id)).all())
