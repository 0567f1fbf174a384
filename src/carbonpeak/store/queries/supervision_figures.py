"""The queries behind supervision's figures: T16/T18/T19 (services/supervision/indicators.py), the
public page (disclosure.py) and the reports (report.py). Each function takes the caller's session
and returns ORM rows, scalars or tuples; it never opens a session or commits."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..models import KeyUnit
from ..models_supervision import CleanProductionAudit, SupervisionCase, SupervisionFinding


def _in_year(column, year: int):
    return column.between(date(year, 1, 1), date(year, 12, 31))


def mandatory_clean_audits(s: Session, until_year: int,
                           groups: Collection[str]) -> list[tuple[CleanProductionAudit, bool]]:
    """Mandatory clean-production audits of ``groups`` listed by ``until_year``, by id, each with
    whether its unit is illustrative."""
    rows = s.execute(select(CleanProductionAudit, KeyUnit.illustrative)
                     .join(KeyUnit, KeyUnit.id == CleanProductionAudit.unit_id).where(
        CleanProductionAudit.mandatory.is_(True), CleanProductionAudit.industry_group.in_(tuple(groups)),
        CleanProductionAudit.listed_year <= until_year).order_by(CleanProductionAudit.id)).all()
    return [(a, ill) for a, ill in rows]


def _cases_with_unit_flag(s: Session, *where) -> list[tuple[SupervisionCase, bool]]:
    rows = s.execute(select(SupervisionCase, KeyUnit.illustrative).join(KeyUnit, KeyUnit.id == SupervisionCase.unit_id)
                     .where(*where).order_by(SupervisionCase.code)).all()
    return [(c, ill) for c, ill in rows]


def cases_decided_in(s: Session, year: int) -> list[tuple[SupervisionCase, bool]]:
    """Cases decided in ``year``, by code, each with whether its unit is illustrative."""
    return _cases_with_unit_flag(s, SupervisionCase.status != "open", _in_year(SupervisionCase.decided_on, year))


def cases_inspected_with(s: Session, year: int, severities: Collection[str]) -> list[tuple[SupervisionCase, bool]]:
    """Cases inspected in ``year`` with a finding of one of ``severities``, by code, each with
    whether its unit is illustrative."""
    violating = select(SupervisionFinding.case_id).where(SupervisionFinding.severity.in_(tuple(severities)))
    return _cases_with_unit_flag(s, _in_year(SupervisionCase.inspected_on, year), SupervisionCase.id.in_(violating))


def record_dates(s: Session) -> list[tuple[date | None, date | None]]:
    """The dates the records speak of: (inspected, decided) of each case, (listed, accepted) of
    each clean-production audit."""
    return [*((a, b) for a, b in s.execute(select(SupervisionCase.inspected_on, SupervisionCase.decided_on)).all()),
            *((a, b) for a, b in s.execute(select(CleanProductionAudit.listed_on,
                                                  CleanProductionAudit.accepted_on)).all())]


def inspection_counts(s: Session, year: int) -> tuple[int, int]:
    """The cases inspected in ``year`` and the units they inspected."""
    n, units = s.execute(select(func.count(SupervisionCase.id), func.count(SupervisionCase.unit_id.distinct()))
                         .where(_in_year(SupervisionCase.inspected_on, year))).one()
    return n, units


def decided_count(s: Session, year: int) -> int:
    """The cases decided in ``year``."""
    return s.scalar(select(func.count(SupervisionCase.id)).where(
        SupervisionCase.status != "open", _in_year(SupervisionCase.decided_on, year))) or 0


def published_cases(s: Session, year: int) -> list[tuple[SupervisionCase, KeyUnit]]:
    """The decided cases of ``year`` that are published, with their units, the latest decision first."""
    rows = s.execute(select(SupervisionCase, KeyUnit).join(KeyUnit, KeyUnit.id == SupervisionCase.unit_id).where(
        SupervisionCase.status != "open", SupervisionCase.published_on.is_not(None),
        _in_year(SupervisionCase.decided_on, year))
        .order_by(SupervisionCase.decided_on.desc(), SupervisionCase.code)).all()
    return [(c, u) for c, u in rows]


def overdue_rectifications(s: Session, as_of: date) -> list[tuple[str, str]]:
    """(department, case code) for each finding of a case not closed whose deadline is before
    ``as_of`` and whose rectification is not accepted, by department and code."""
    rows = s.execute(select(SupervisionCase.department, SupervisionCase.code)
                     .join(SupervisionFinding, SupervisionFinding.case_id == SupervisionCase.id)
                     .where(SupervisionCase.status != "closed", SupervisionFinding.deadline < as_of,
                            SupervisionFinding.status != "accepted")
                     .order_by(SupervisionCase.department, SupervisionCase.code)).all()
    return [(d, c) for d, c in rows]
