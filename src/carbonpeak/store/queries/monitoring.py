"""The queries of the monitoring views (services/monitoring): the registry as frames, the point
and unit rollups, the budgets, outputs and "两高" projects, the 205-1 forms. Each takes the
caller's connection or session and never opens one or commits; the aggregates of the monthly
series and the coverage are in store/rollup_series.py.

Frames are read with ``pd.read_sql_query`` (``pd.read_sql`` first asks the database whether its
argument names a table: one more round trip per read). ``Connection`` and ``Session`` are the
types the services annotate a caller's connection and session with (they import no SQLAlchemy).
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Connection, func, select
from sqlalchemy.orm import Session

from ..models import (
    EnergyBudget,
    EnergyReport,
    KeyUnit,
    MeteringPoint,
    ReadingRollup,
    TwoHighProject,
    UnitOutput,
    UnitRollup,
)

__all__ = ["Connection", "Session", "budgets", "energy_reports", "last_day_bucket", "month_buckets_with_quantity",
           "outputs_and_projects", "point_rollups", "registry", "unit_ids_by_uscc", "unit_rollup_counts"]

_R = ReadingRollup.__table__
_U = UnitRollup.__table__


def registry(c: Connection) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The key units (the columns the views show) and every metering point."""
    units = pd.read_sql_query(select(KeyUnit.id, KeyUnit.uscc, KeyUnit.name, KeyUnit.industry_code, KeyUnit.industry,
                                     KeyUnit.town, KeyUnit.annual_energy_tce, KeyUnit.category, KeyUnit.illustrative,
                                     KeyUnit.last_seen_at, KeyUnit.token_hint), c)
    return units, pd.read_sql_query(select(MeteringPoint.__table__), c)


def unit_ids_by_uscc(s: Session) -> dict[str, int]:
    return dict(s.execute(select(KeyUnit.uscc, KeyUnit.id)).all())


def point_rollups(c: Connection, res: str, lo: int, hi: int, stats: tuple[int, ...] | None = None,
                  point_ids: list[int] | None = None) -> pd.DataFrame:
    """Point rollups at ``res`` (h, d, m) with buckets in [lo, hi): point_id, stat_type, bucket, n, quantity."""
    q = select(_R.c.point_id, _R.c.stat_type, _R.c.bucket, _R.c.n, _R.c.quantity).where(
        _R.c.res == res, _R.c.bucket >= lo, _R.c.bucket < hi)
    if stats is not None:
        q = q.where(_R.c.stat_type.in_(stats))
    if point_ids is not None:
        q = q.where(_R.c.point_id.in_(point_ids))
    return pd.read_sql_query(q, c)


def unit_rollup_counts(c: Connection, res: str, lo: int, hi: int, unit_ids: list[int] | None = None) -> pd.DataFrame:
    """Real-time readings per unit and bucket at ``res`` in [lo, hi): unit_id, bucket, n."""
    q = select(_U.c.unit_id, _U.c.bucket, _U.c.n).where(_U.c.res == res, _U.c.stat_type == 0,
                                                        _U.c.bucket >= lo, _U.c.bucket < hi)
    if unit_ids is not None:
        q = q.where(_U.c.unit_id.in_(unit_ids))
    return pd.read_sql_query(q, c)


def last_day_bucket(c: Connection, lo: int, hi: int) -> int | None:
    """The start of the last day rollup in [lo, hi), or None."""
    return c.scalar(select(func.max(_R.c.bucket)).where(_R.c.res == "d", _R.c.bucket >= lo, _R.c.bucket < hi))


def month_buckets_with_quantity(c: Connection) -> list[int]:
    """The month rollup buckets holding a non-zero quantity (distinct)."""
    return list(c.scalars(select(_R.c.bucket).where(_R.c.res == "m", _R.c.quantity != 0).distinct()).all())


def budgets(s: Session, year: int, uscc: str | None = None) -> list[tuple[EnergyBudget, KeyUnit]]:
    """The budgets of ``year`` with their units, by unit name (of the unit ``uscc`` only, when given)."""
    q = (select(EnergyBudget, KeyUnit).join(KeyUnit, EnergyBudget.unit_id == KeyUnit.id)
         .where(EnergyBudget.year == year).order_by(KeyUnit.name))
    if uscc is not None:
        q = q.where(KeyUnit.uscc == uscc)
    return [tuple(r) for r in s.execute(q).all()]


def outputs_and_projects(s: Session, year: int, uscc: str | None = None
                         ) -> tuple[list[tuple[UnitOutput, KeyUnit]], list[TwoHighProject]]:
    """The product outputs of ``year`` with their units (by unit name) and the "两高" projects (by
    status and name); of the unit ``uscc`` only, when given."""
    outs = (select(UnitOutput, KeyUnit).join(KeyUnit, UnitOutput.unit_id == KeyUnit.id)
            .where(UnitOutput.year == year).order_by(KeyUnit.name))
    projects = select(TwoHighProject).order_by(TwoHighProject.status, TwoHighProject.name)
    if uscc is not None:
        outs, projects = outs.where(KeyUnit.uscc == uscc), projects.where(TwoHighProject.uscc == uscc)
    return [tuple(r) for r in s.execute(outs).all()], list(s.scalars(projects).all())


def energy_reports(c: Connection, year: int, unit_ids: list[int] | None = None) -> pd.DataFrame:
    """The 205-1 forms of ``year`` (of the units ``unit_ids``; None: all): unit_id, month,
    carrier, unit, consumption."""
    q = select(EnergyReport.unit_id, EnergyReport.month, EnergyReport.carrier, EnergyReport.unit,
               EnergyReport.consumption).where(EnergyReport.year == year)
    if unit_ids is not None:
        q = q.where(EnergyReport.unit_id.in_(unit_ids))
    return pd.read_sql_query(q, c)
