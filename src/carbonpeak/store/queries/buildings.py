"""The query of the public-building grades (services/buildings.py): the building register. It takes
the caller's session and returns ORM rows; it never opens a session or commits.

``Session`` is the type the services annotate a caller's session with (they import no SQLAlchemy).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import PublicBuilding

__all__ = ["Session", "buildings"]


def buildings(s: Session) -> list[PublicBuilding]:
    """Every stored building-year, by year and building id."""
    return list(s.scalars(select(PublicBuilding).order_by(PublicBuilding.year, PublicBuilding.building_id)).all())
