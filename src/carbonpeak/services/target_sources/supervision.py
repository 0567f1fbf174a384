"""T16, T18 and T19 (``computed:supervision``) from the supervision records: services/supervision
computes them (indicators.py) with their rule; this module hands them to the barometer. A year in
which nothing is counted (no case decided, no enterprise listed) has no computed value."""

from __future__ import annotations

from ...domain.plan import Target
from ...domain.supervision import INDICATOR_TARGETS
from .. import supervision
from . import ComputedValue, SourceInput, SourceModule, SourceRecord, register


def _compute(inp: SourceInput, t: Target) -> list[ComputedValue]:
    code = INDICATOR_TARGETS[t.indicator]
    out = []
    for year in sorted(set(inp.years) | inp.once("supervision_years", supervision.record_years_in)):
        with inp.reading() as s:
            v = supervision.computed_one_in(s, code, year)
        if v.value is None:
            continue
        kind = "audit" if code == "T16" else "case"
        records = tuple(SourceRecord(kind, r, r, 1.0, "家" if kind == "audit" else "件", r in v.counted, year)
                        for r in v.records)
        out.append(ComputedValue(t.id, year, v.value, t.unit, "supervision", v.rule_code, {}, records,
                                 {"numerator": float(v.numerator), "denominator": float(v.denominator)},
                                 illustrative=v.illustrative))
    return out


register(SourceModule("supervision", frozenset(INDICATOR_TARGETS), _compute))
