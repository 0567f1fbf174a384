"""The queries of the targets computed from the platform's records (services/target_sources): the
register years of the buildings (T38), the parcel areas of the forest inventories (T24), the key
units (T17). Each function takes the caller's session and returns rows or scalars; it never opens
a session or commits. The ledger and the grades they build on: sinks.py, buildings.py.

``Session`` is the type the services annotate a caller's session with (they import no SQLAlchemy).
"""

from __future__ import annotations

from sqlalchemy import Integer, Row, cast, func, select
from sqlalchemy.orm import Session

from ..models import ForestParcel, KeyUnit, PublicBuilding

__all__ = ["Session", "building_years", "key_units", "parcel_areas"]


def building_years(s: Session) -> list[int]:
    """The years of the building register, in order."""
    return sorted(set(s.scalars(select(PublicBuilding.year).distinct()).all()))


def parcel_areas(s: Session) -> list[Row]:
    """The stored parcels grouped by inventory year, township and land type, in that order, as
    (year, township, land_type, area_ha summed, parcels, illustrative: 1 when any parcel is)."""
    P = ForestParcel
    return list(s.execute(select(P.year, P.township, P.land_type, func.sum(P.area_ha), func.count(P.id),
                                 func.max(cast(P.illustrative, Integer)))  # max(boolean): not on PostgreSQL
                          .group_by(P.year, P.township, P.land_type).order_by(P.year, P.township, P.land_type)).all())


def key_units(s: Session) -> list[KeyUnit]:
    """The key units of the registry, by credit code."""
    return list(s.scalars(select(KeyUnit).order_by(KeyUnit.uscc)).all())
