"""Energy budgets with their early-warning lights, and energy efficiency of the units' products
and of the "两高" projects against the national benchmarks."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select

from ...domain.monitoring import BudgetRule, budget_status, efficiency_class, elapsed_share, needs_rectification
from ...refdata import load_benchmarks
from ...store.models import EnergyBudget, KeyUnit, TwoHighProject, UnitOutput
from ..platform import Platform
from .metered import _as_of, series


def budgets(platform: Platform, year: int, as_of: date | None = None, rule: BudgetRule | None = None,
            lang: str = "zh") -> dict[str, Any]:
    rule = rule or BudgetRule()
    s = series(platform, year)
    as_of = as_of or _as_of(s, year)
    m = s["day"]
    used = m[m["at"].dt.date <= as_of].groupby("unit_id")["energy_tce"].sum()
    share = elapsed_share(year, as_of)
    with platform.sessions() as ss:
        rows = ss.execute(select(EnergyBudget, KeyUnit).join(KeyUnit, EnergyBudget.unit_id == KeyUnit.id)
                          .where(EnergyBudget.year == year).order_by(KeyUnit.name)).all()
    items = []
    for b, u in rows:
        st = budget_status(float(used.get(u.id, 0.0)), b.budget_tce, share, rule)
        items.append({"uscc": u.uscc, "name": u.name, **st, "budget_source": b.source,
                      "illustrative": b.illustrative or u.illustrative})
    return {"year": year, "as_of": as_of.isoformat(), "rule": rule.text(lang),
            "rule_params": {"yellow": rule.yellow, "red": rule.red},
            "basis": ("累计用能取日数据（无日数据时取实时读数），按 GB/T 2589-2020 折标" if lang == "zh" else
                      "use to date from the daily series (day statistics, else real-time readings), tce by GB/T 2589-2020"),
            "items": items}


EFFICIENCY_RULE = {
    "zh": "单位产品能耗越低越好：≤1级/标杆为标杆水平；≤2级（新建准入值）为达到准入值；≤3级/基准（限定值）为达到基准；"
          "高于3级为未达基准/超限额。在建、拟建项目须达到准入值（无2级时须达标杆），存量项目须达到基准。",
    "en": "Lower is better: ≤ level 1/标杆 benchmark; ≤ level 2 (access value of new plants) access; ≤ level 3/基准 "
          "(limit) baseline; above: below baseline. 在建/拟建 must reach the access value (the 标杆 where no level 2 "
          "exists); 存量 the baseline."}


def efficiency(platform: Platform, year: int, lang: str = "zh") -> dict[str, Any]:
    marks = {b.product: b for b in load_benchmarks()}
    with platform.sessions() as s:
        outs = s.execute(select(UnitOutput, KeyUnit).join(KeyUnit, UnitOutput.unit_id == KeyUnit.id)
                         .where(UnitOutput.year == year).order_by(KeyUnit.name)).all()
        projects = s.scalars(select(TwoHighProject).order_by(TwoHighProject.status, TwoHighProject.name)).all()
    items = []
    for o, u in outs:
        value = o.energy_tce * 1000 / o.output_t if o.output_t else None
        b = marks.get(o.product)
        cls = efficiency_class(value, b) if (b and value is not None) else "unrated"
        items.append({"uscc": u.uscc, "name": u.name, "product": o.product, "output_t": o.output_t,
                      "energy_tce": o.energy_tce, "value": value, "unit": "kgce/t", "class": cls,
                      "benchmark": _bench(b), "illustrative": o.illustrative or u.illustrative})
    listed = []
    for p in projects:
        b = marks.get(p.product)
        cls = efficiency_class(p.unit_energy, b) if b else "unrated"
        listed.append({"name": p.name, "uscc": p.uscc, "status": p.status, "industry": p.industry, "product": p.product,
                       "capacity": p.capacity, "unit_energy": p.unit_energy, "class": cls,
                       "rectify": needs_rectification(p.status, cls) if b else None, "benchmark": _bench(b),
                       "source": p.source, "illustrative": p.illustrative})
    return {"year": year, "units": items, "two_high": listed,
            "rule": EFFICIENCY_RULE["en" if lang == "en" else "zh"],
            "rectification": [p for p in listed if p["rectify"]]}


def _bench(b) -> dict | None:
    if b is None:
        return None
    return {"id": b.id, "product": b.product, "level1": b.level1, "level2": b.level2, "level3": b.level3,
            "unit": b.unit, "document": b.document, "status": b.status, "note": b.note}
