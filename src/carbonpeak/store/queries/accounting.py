"""The queries of accounting's use cases (services/accounting.py, services/indicators.py): the place
of the plan a policy follows, the first plan's region, and a region's stored activity rows and GDP
table. Each function takes the caller's session and returns rows or scalars; it never opens a
session or commits.

``Session`` is the type the services annotate a caller's session with (they import no SQLAlchemy).
"""

from __future__ import annotations

from sqlalchemy import Connection, Row, func, select
from sqlalchemy.orm import Session

from ..models import ActivityRecord, GdpRecord, PlanRow

__all__ = ["Session", "activity_rows", "first_plan_region", "gdp_rows", "plan_place"]


def _core(s: Session | Connection) -> Connection:
    """The session's connection: result rows as plain tuples, without ORM result processing."""
    return s.connection() if isinstance(s, Session) else s


def plan_place(s: Session, plan_code: str | None = None) -> Row | None:
    """(region, admin_code) of the stored plan ``plan_code``, else of the first; None without it."""
    q = select(PlanRow.region, PlanRow.admin_code).order_by(PlanRow.id)
    return s.execute(q.where(PlanRow.code == plan_code) if plan_code else q).first()


def first_plan_region(s: Session) -> str | None:
    """The region of the first stored plan (None: no plan stored)."""
    return s.scalar(select(PlanRow.region).order_by(PlanRow.id))


def _activity_query(region: str, year: int | None, by_year: bool):
    a = ActivityRecord
    if by_year:
        group = (a.year, a.region, a.carrier, a.unit, a.use, a.grid, a.illustrative)
        first = func.min(a.id)
        q = (select(first, a.year, a.region, first, a.carrier, func.sum(a.quantity), a.unit, a.use, a.grid,
                    first, a.illustrative).group_by(*group).order_by(a.year, first))
    else:
        q = select(a.id, a.year, a.region, a.sector, a.carrier, a.quantity, a.unit, a.use, a.grid, a.source,
                   a.illustrative).order_by(a.year, a.id)
    q = q.where(a.region == region)
    return q if year is None else q.where(a.year == year)


def activity_rows(s: Session | Connection, region: str, year: int | None = None, by_year: bool = False) -> list[Row]:
    """The activity rows of ``region`` (of one ``year`` if given), by year and id, as (row, year,
    region, sector, carrier, quantity, unit, use, grid, source, illustrative). ``by_year``: one row
    per year, carrier, unit, use, grid and illustrative flag, its quantity the sum of the rows', its
    row, sector and source the first row's id."""
    return list(_core(s).execute(_activity_query(region, year, by_year)).all())


def gdp_rows(s: Session | Connection, region: str) -> list[Row]:
    """The GDP table of ``region`` by year, as (year, gdp_current, index_prev, source, illustrative)."""
    g = GdpRecord
    return list(_core(s).execute(select(g.year, g.gdp_current, g.index_prev, g.source, g.illustrative)
                                 .where(g.region == region).order_by(g.year)).all())
