"""Energy budgets with their early-warning lights, and energy efficiency of the units' products
and of the "两高" projects against the national benchmarks."""

from __future__ import annotations

from datetime import date

from ...domain.monitoring import BudgetRule, budget_status, efficiency_class, elapsed_share, needs_rectification
from ...refdata import load_benchmarks
from ...store.queries import monitoring as q
from ..platform import Platform
from ..scope import COUNTY, Scope
from .frames import MeteredYear
from .metered import as_of_day, fine, series
from .types import BenchmarkRef, BudgetRow, Budgets, Efficiency, EfficiencyRow, TwoHighRow


def budgets(platform: Platform, year: int, as_of: date | None = None, rule: BudgetRule | None = None,
            lang: str = "zh", scope: Scope = COUNTY) -> Budgets:
    """Each budget of ``year`` that ``scope`` sees, with use to date and its early-warning light."""
    rule = rule or BudgetRule()
    s = series(platform, year)
    as_of = as_of or as_of_day(s, year)
    used = _used(platform, s, year, as_of)
    share = elapsed_share(year, as_of)
    with platform.sessions() as ss:
        rows = q.budgets(ss, year, scope.unit if scope.one_unit else None)
    items = [BudgetRow(u.uscc, u.name, **budget_status(float(used.get(u.id, 0.0)), b.budget_tce, share, rule),
                       budget_source=b.source, illustrative=b.illustrative or u.illustrative) for b, u in rows]
    return Budgets(year, as_of.isoformat(), rule.text(lang), {"yellow": rule.yellow, "red": rule.red},
                   ("累计用能取日数据（无日数据时取实时读数），按 GB/T 2589-2020 折标" if lang == "zh" else
                    "use to date from the daily series (day statistics, else real-time readings), tce by GB/T 2589-2020"),
                   items)


def _used(platform: Platform, s: MeteredYear, year: int, as_of: date):
    """Energy used to the end of ``as_of`` per unit (the daily series): the months' sums of the
    daily series, unless ``as_of`` falls before the last day with data (then the days)."""
    if s.last_day is None or as_of >= s.last_day:
        m = s.day_month
    else:
        m = fine(platform, year, "day")
    return m[m["at"].dt.date <= as_of].groupby("unit_id")["energy_tce"].sum()


EFFICIENCY_RULE = {
    "zh": "单位产品能耗越低越好：≤1级/标杆为标杆水平；≤2级（新建准入值）为达到准入值；≤3级/基准（限定值）为达到基准；"
          "高于3级为未达基准/超限额。在建、拟建项目须达到准入值（无2级时须达标杆），存量项目须达到基准。",
    "en": "Lower is better: ≤ level 1/标杆 benchmark; ≤ level 2 (access value of new plants) access; ≤ level 3/基准 "
          "(limit) baseline; above: below baseline. 在建/拟建 must reach the access value (the 标杆 where no level 2 "
          "exists); 存量 the baseline."}


def efficiency(platform: Platform, year: int, lang: str = "zh", scope: Scope = COUNTY) -> Efficiency:
    """Unit product energy use of the units ``scope`` sees, and their "两高" projects, against the
    benchmarks; the projects that must rectify."""
    marks = {b.product: b for b in load_benchmarks()}
    with platform.sessions() as s:
        outs, projects = q.outputs_and_projects(s, year, scope.unit if scope.one_unit else None)
    items = []
    for o, u in outs:
        value = o.energy_tce * 1000 / o.output_t if o.output_t else None
        b = marks.get(o.product)
        cls = efficiency_class(value, b) if (b and value is not None) else "unrated"
        items.append(EfficiencyRow(u.uscc, u.name, o.product, o.output_t, o.energy_tce, value, "kgce/t", cls, _bench(b),
                                   o.illustrative or u.illustrative))
    listed = []
    for p in projects:
        b = marks.get(p.product)
        cls = efficiency_class(p.unit_energy, b) if b else "unrated"
        listed.append(TwoHighRow(p.name, p.uscc, p.status, p.industry, p.product, p.capacity, p.unit_energy, cls,
                                 needs_rectification(p.status, cls) if b else None, _bench(b), p.source, p.illustrative))
    return Efficiency(year, items, listed, EFFICIENCY_RULE["en" if lang == "en" else "zh"],
                      [p for p in listed if p.rectify])


def _bench(b) -> BenchmarkRef | None:
    if b is None:
        return None
    return BenchmarkRef(b.id, b.product, b.level1, b.level2, b.level3, b.unit, b.document, b.status, b.note)
