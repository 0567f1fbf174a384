"""Targets T16, T18 and T19 computed from the supervision records, with the rule and the records
counted (never typed in). Each function returns a :class:`ComputedValue`, read in the session it
is given (:func:`computed` and :func:`all_computed` open one for all they compute).

- T16 强制性清洁生产审核落实率: :func:`clean_production_audit_rate`
- T18 节能监察信息公开率: :func:`inspection_disclosure_rate`
- T19 违法用能行为查处执行率: :func:`violation_enforcement_rate`

With nothing to count the value is None (no data), never 0 % or 100 %.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from ...domain.messages import render
from ...domain.supervision import MANDATORY_GROUPS, RULE_CODES, VIOLATIONS, rate
from ...store.models_supervision import CleanProductionAudit, SupervisionCase
from ...store.queries import supervision_figures as qf
from ..platform import Platform

if TYPE_CHECKING:
    from ...store.queries.supervision import Session


@dataclass(frozen=True)
class ComputedValue:
    target: str  # the plan's target code
    year: int
    value: float | None  # percent; None: nothing to count
    unit: str
    numerator: int
    denominator: int
    rule_code: str  # message code of the rule (domain/messages.py)
    rule_zh: str
    rule_en: str
    records: list[str]  # the records counted in the denominator (case codes, audit ids)
    counted: list[str]  # those counted in the numerator
    illustrative: bool  # some counted record is illustrative

    def rule(self, lang: str = "zh") -> str:
        return self.rule_en if lang == "en" else self.rule_zh


def _value(target: str, year: int, records: list[str], counted: list[str], illustrative: bool) -> ComputedValue:
    code = RULE_CODES[target]
    return ComputedValue(target, year, rate(len(counted), len(records)), "%", len(counted), len(records), code,
                         render(code, {}, "zh"), render(code, {}, "en"), records, counted, illustrative)


def clean_production_audit_rate(s: Session, year: int) -> ComputedValue:
    """T16: mandatory-list enterprises (building materials, mining, food) listed by ``year`` whose
    audit was accepted by 31 December of ``year``, over those listed."""
    end = date(year, 12, 31)
    found = qf.mandatory_clean_audits(s, year, MANDATORY_GROUPS)
    rows = [r for r, _ in found]
    shown = {r.id: r.illustrative or ill for r, ill in found}
    latest: dict[int, CleanProductionAudit] = {}
    for r in rows:  # an enterprise listed in several years counts once, by its latest listing
        if r.unit_id not in latest or r.listed_year > latest[r.unit_id].listed_year:
            latest[r.unit_id] = r
    chosen = sorted(latest.values(), key=lambda r: r.id)
    done = [str(r.id) for r in chosen if r.accepted_on is not None and r.accepted_on <= end]
    return _value("T16", year, [str(r.id) for r in chosen], done, any(shown[r.id] for r in chosen))


def _flagged(rows: list[tuple[SupervisionCase, bool]]) -> tuple[list[SupervisionCase], bool]:
    """The cases, and whether any of them (or its unit) is illustrative."""
    return [c for c, _ in rows], any(c.illustrative or ill for c, ill in rows)


def inspection_disclosure_rate(s: Session, year: int) -> ComputedValue:
    """T18: cases decided in ``year`` that are published, over the cases decided in ``year``."""
    cases, ill = _flagged(qf.cases_decided_in(s, year))
    published = [c.code for c in cases if c.published_on is not None]
    return _value("T18", year, [c.code for c in cases], published, ill)


def violation_enforcement_rate(s: Session, year: int) -> ComputedValue:
    """T19: cases inspected in ``year`` with a violation found that are decided and closed, over
    the cases inspected in ``year`` with a violation found."""
    cases, ill = _flagged(qf.cases_inspected_with(s, year, VIOLATIONS))
    closed = [c.code for c in cases if c.status == "closed"]
    return _value("T19", year, [c.code for c in cases], closed, ill)


COMPUTED: dict[str, Callable[[Session, int], ComputedValue]] = {
    "T16": clean_production_audit_rate, "T18": inspection_disclosure_rate, "T19": violation_enforcement_rate}


def computed(platform: Platform, target: str, year: int) -> ComputedValue:
    """The computed value of ``target`` (one of :data:`COMPUTED`) for ``year``."""
    with platform.sessions() as s:
        return computed_one_in(s, target, year)


def computed_one_in(s: Session, target: str, year: int) -> ComputedValue:
    """:func:`computed`, read in the caller's session."""
    return COMPUTED[target](s, year)


def record_years(platform: Platform) -> set[int]:
    """The years the supervision records speak of (inspections, decisions, listings, acceptances)."""
    with platform.sessions() as s:
        return record_years_in(s)


def record_years_in(s: Session) -> set[int]:
    """:func:`record_years`, read in the caller's session."""
    return {d.year for pair in qf.record_dates(s) for d in pair if d is not None}


def all_computed(platform: Platform, year: int) -> list[ComputedValue]:
    with platform.sessions() as s:
        return computed_in(s, year)


def computed_in(s: Session, year: int) -> list[ComputedValue]:
    """T16, T18 and T19 of ``year``, read in the caller's session."""
    return [f(s, year) for f in COMPUTED.values()]
