"""One snapshot of the key units for a scope, year and day (registry, metered totals, budgets,
efficiency, findings, the monthly series), computed once per request, and the views built on it:
the units view and the public supervision results."""

from __future__ import annotations

from datetime import date

import pandas as pd

from ...domain.monitoring import BudgetRule
from ..platform import Platform
from ..scope import COUNTY, PUBLIC, Scope
from .checks import finding_dict, quality
from .files import ONLINE_THRESHOLD_TCE, SUPERVISION_THRESHOLD_TCE
from .frames import MeteredYear
from .metered import as_of_day, monthly_energy, scoped, series
from .performance import budgets, efficiency
from .types import (
    Disclosure,
    DisclosureRow,
    MonitoringSnapshot,
    MonthlyEnergy,
    ProductClass,
    Thresholds,
    UnitRow,
    UnitsView,
)


def monitoring_snapshot(platform: Platform, scope: Scope, year: int, as_of: date | None = None,
                        rule: BudgetRule | None = None, lang: str = "zh", monthly: bool = True) -> MonitoringSnapshot:
    """Every figure of the monitoring page for the units ``scope`` sees, each computed once
    (``monthly``: with the monthly energy per unit, which only the page's chart needs)."""
    rule = rule or BudgetRule()
    whole = series(platform, year)
    as_of = as_of or as_of_day(whole, year)
    bud = budgets(platform, year, as_of, rule, lang, scope)
    eff = efficiency(platform, year, lang, scope)
    findings = quality(platform, year, as_of, scope)
    s = scoped(whole, scope)
    units = _unit_rows(s, bud.items, eff.units, findings)
    return MonitoringSnapshot(year, as_of, scope, rule, lang, units, bud, eff, findings, s.factor_findings,
                              monthly_energy(s) if monthly else MonthlyEnergy([], [], 0, []))


def _unit_rows(s: MeteredYear, budget_items: list, efficiency_rows: list, findings: list) -> list[UnitRow]:
    units, points = s.units, s.points
    tot = s.month.groupby("unit_id").agg(energy_tce=("energy_tce", "sum"), co2_t=("co2_t", "sum"))
    bud = {b.uscc: b for b in budget_items}
    eff: dict[str, list] = {}
    for e in efficiency_rows:
        eff.setdefault(e.uscc, []).append(e)
    nf: dict[str, int] = {}
    for f in findings:
        nf[f.params.get("uscc")] = nf.get(f.params.get("uscc"), 0) + 1
    rows = []
    n_points = points["unit_id"].value_counts().to_dict()  # plain dicts: a pandas lookup per unit is slow
    energy, co2 = tot["energy_tce"].to_dict(), tot["co2_t"].to_dict()
    for u in units.sort_values(["category", "annual_energy_tce"], ascending=[True, False]).to_dict("records"):
        rows.append(UnitRow(
            u["uscc"], u["name"], u["industry_code"], u["industry"], u["town"], u["category"], u["annual_energy_tce"],
            int(n_points.get(u["id"], 0)),
            None if pd.isna(u["last_seen_at"]) else pd.Timestamp(u["last_seen_at"]).isoformat(),
            bool(u["token_hint"]) if isinstance(u["token_hint"], str) else False,
            float(energy.get(u["id"], 0.0)), float(co2.get(u["id"], 0.0)),
            bud.get(u["uscc"]), eff.get(u["uscc"], []), nf.get(u["uscc"], 0), bool(u["illustrative"])))
    return rows


def view_of(snap: MonitoringSnapshot) -> UnitsView:
    """The units view (/api/monitoring/units) of a snapshot."""
    return UnitsView(snap.year, snap.as_of.isoformat(), snap.units,
                     Thresholds(ONLINE_THRESHOLD_TCE, SUPERVISION_THRESHOLD_TCE),
                     [finding_dict(f, snap.lang) for f in snap.findings],
                     [f.as_dict(snap.lang) for f in snap.factor_findings])


def units_view(platform: Platform, year: int, as_of: date | None = None, lang: str = "zh",
               scope: Scope = COUNTY) -> UnitsView:
    return view_of(monitoring_snapshot(platform, scope, year, as_of, lang=lang, monthly=False))


def disclosure_of(snap: MonitoringSnapshot) -> Disclosure:
    """The public supervision results (向社会公开节能监察工作情况) of a snapshot: per unit its
    category, whether it is connected, data completeness, budget light, efficiency class and the
    units that must rectify. No meter data is published."""
    rows = [DisclosureRow(u.name, u.uscc, u.industry, u.town, u.category, u.last_seen is not None,
                          round(u.energy_tce, 1), u.budget.light if u.budget else None,
                          [ProductClass(e.product, e.cls) for e in u.efficiency],
                          any(e.cls == "below_baseline" for e in u.efficiency), u.findings, u.illustrative)
            for u in snap.units]
    return Disclosure(snap.year, snap.as_of.isoformat(), rows, snap.efficiency.rectification,
                      "能耗为在线计量值（逐月序列）；能效水平按各基准值的规则判定；示范单位的读数为模拟数据。" if snap.lang == "zh" else
                      "energy figures are metered (monthly series); efficiency classes follow the rule shown with each "
                      "benchmark; the demo units' readings are simulated")


def disclosure(platform: Platform, year: int, lang: str = "zh") -> Disclosure:
    return disclosure_of(monitoring_snapshot(platform, PUBLIC, year, lang=lang, monthly=False))
