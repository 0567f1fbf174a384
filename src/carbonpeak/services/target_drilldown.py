"""The drill-down of a target's value: where it comes from (the plan's ``source``), the module's rule
and every record behind the computed value, the entered value beside it, which one the barometer
uses and why, and whether the two disagree beyond the stated tolerance (domain/target_sources.py).

Read from the one tracking context (services/tracking.py): the barometer, the report, the open data
and this drill-down show the same values.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..domain.messages import render
from ..domain.target_source_texts import TYPE_NAMES
from ..domain.target_sources import AGREEMENT_TOLERANCE, disagrees, module_label, parse_source
from .errors import NotFound
from .target_sources import ComputedValue, SourceRecord
from .tracking import TrackingContext, _answers


@dataclass(frozen=True)
class RecordView:
    kind: str
    id: str
    name: str
    value: float | None
    unit: str
    counted: bool
    year: int | None
    status: str
    type: str
    type_label: str  # the project type in words ("" for other records, whose type is data)
    town: str
    note: str  # why it counts as it does, in the reader's language
    source: str
    illustrative: bool


@dataclass(frozen=True)
class EnteredView:
    value: float
    source: str
    illustrative: bool


@dataclass(frozen=True)
class TargetSourceView:
    target_id: str
    name: str
    year: int
    unit: str
    source: str  # as the plan states it: computed:<module> | reported:<department> | ""
    kind: str  # computed | reported | none
    module: str
    module_label: str
    department: str
    rule: str  # the module's rule in words ("" when reported)
    value: float | None  # the computed value (None: the records do not answer the year)
    probability: float | None
    inputs: dict[str, float | None]
    counted: int
    records: list[RecordView]
    entered: EnteredView | None
    uses: str  # computed | entered | none: the value the barometer uses
    uses_why: str
    disagree: bool
    tolerance: float
    illustrative: bool


def _record(r: SourceRecord, lang: str) -> RecordView:
    note = render(f"source.note.{r.note}", {}, lang) if r.note else ""
    label = TYPE_NAMES.get(r.type, ("其他项目", r.type)) if r.kind in ("project", "existing") else None
    return RecordView(r.kind, r.id, r.name, r.value, r.unit, r.counted, r.year, r.status, r.type,
                      (label[1] if lang == "en" else label[0]) if label else "", r.town, note, r.source, r.illustrative)


def _uses(cv: ComputedValue | None, entered: EnteredView | None, label: str, reporter: str, lang: str) -> tuple[str, str]:
    if _answers(cv):
        return "computed", render("target.uses.computed", {}, lang)
    if entered is not None:
        why = render("target.uses.reported", {"department": reporter}, lang) if reporter else \
            render("target.uses.entered", {"module": label}, lang)
        return "entered", why
    return "none", render("target.uses.reported", {"department": reporter}, lang) if reporter else \
        render("target.uses.none", {}, lang) if not label else render("target.uses.entered", {"module": label}, lang)


def target_source(ctx: TrackingContext, target_id: str, year: int | None = None, lang: str = "zh") -> TargetSourceView:
    """Where ``target_id``'s value in ``year`` (default: the latest data year) comes from, with the
    records behind it."""
    t = next((x for x in ctx.plan.targets if x.id == target_id), None)
    if t is None:
        raise NotFound(f"no target {target_id!r}")
    if year is None:  # the year the barometer shows: the latest data year
        own = sorted(y for (tid, y) in ctx.computed if tid == target_id)
        year = ctx.data_years[-1] if ctx.data_years else own[-1] if own else date.today().year
    src = parse_source(t.source)
    module = src.name if src and src.kind == "computed" else ""
    reporter = src.name if src and src.kind == "reported" else ""
    cv, o = ctx.computed.get((t.id, year)), ctx.observations.get((t.id, year))
    entered = EnteredView(o.value, o.source, bool(o.illustrative)) if o is not None else None
    label = module_label(module, lang) if module else ""
    uses, why = _uses(cv, entered, label, reporter, lang)
    return TargetSourceView(
        t.id, t.name, year, t.unit, t.source, src.kind if src else "none", module, label, reporter,
        render(cv.rule_code, cv.rule_params, lang) if cv else "", cv.value if cv else None,
        cv.probability if cv else None, dict(cv.inputs) if cv else {}, sum(r.counted for r in cv.records) if cv else 0,
        [_record(r, lang) for r in cv.records] if cv else [], entered, uses, why,
        disagrees(cv.value if cv else None, entered.value if entered else None), AGREEMENT_TOLERANCE,
        bool(cv.illustrative) if uses == "computed" and cv else bool(entered and entered.illustrative))


def drilldowns(ctx: TrackingContext, year: int, lang: str = "zh") -> dict[str, TargetSourceView]:
    """The drill-down of every module-computed target in ``year`` (the targets page)."""
    out = {}
    for t in ctx.plan.targets:
        src = parse_source(t.source)
        if src and src.kind == "computed" and src.name != "accounting":
            out[t.id] = target_source(ctx, t.id, year, lang)
    return out
