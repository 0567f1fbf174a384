"""Carbon figures of the stored inventory on each electricity factor basis, their change over the
14th (2020→2025) and 15th (2025→2030) plan periods, and the 15th-plan targets with their milestones.

Scope (口径, stated with every figure): direct CO2 of fuels and processes plus the CO2 of the
electricity consumed in the county (终端用电量 × factor); local generation is not credited. The
inventory's own total nets local generation off (services/indicators, ``with_electricity``): a county
that exports hydro power shows a total near zero or below, which cannot carry an intensity budget,
so it is shown beside each figure, never instead of it. Inputs come from the stored inventory
through services/accounting.stored_lines (direct CO2, electricity consumed and its CO2 on the grid
average as accounted) and services/indicators.indicator_set (the inventory's net total); GDP at the constant prices of each period's base year; green certificates
from their table. The other two bases take the MEE/NBS factors of refdata/carbon.basis_factors,
of the year or the nearest published year (said so: ``proxy_year``); none → not estimated (None).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from ...domain.carbon.indicators import Basis, CarbonInputs, carbon_figure
from ...domain.indicators import constant_price_gdp
from ...domain.plan import CarbonControl, Plan
from ...refdata.carbon import basis_factors, rules_for
from .. import flags
from ..accounting import accounting_policy, stored_lines
from ..errors import NotFound
from ..indicators import indicator_set
from ..plans import stored_plan
from ..platform import Platform
from .electricity import ElectricitySeries, stored_certificates, stored_electricity

PERIODS = (("14th", 2020, 2025), ("15th", 2025, 2030))
SCOPE = "scope_consumption"  # carbon.text.scope_consumption


@dataclass(frozen=True)
class Context:
    """Everything the carbon services read, loaded once per call."""
    plan: Plan
    region: str
    lines: pd.DataFrame  # accounted stored lines (year, sector, carrier, ... co2_t)
    gdp: pd.DataFrame
    electricity: ElectricitySeries | None
    certificates: dict[int, tuple[float, bool]]
    inventory_co2: dict[int, float]  # direct + consumed electricity on the grid average (the scope above)
    inventory_net_co2: dict[int, float]  # the inventory's own total, local generation netted (indicator_set)
    illustrative_years: frozenset[int]
    proxy_years: frozenset[int] = frozenset()  # inventory years accounted with another year's grid factor

    @property
    def control(self) -> CarbonControl:
        if self.plan.carbon_control is None:
            raise NotFound("the plan has no carbon_control section: enter the 15th-plan targets first")
        return self.plan.carbon_control

    @property
    def inventory_years(self) -> tuple[int, ...]:
        return tuple(sorted(int(y) for y in self.lines["year"].unique()))


def context(platform: Platform) -> Context:
    plan = stored_plan(platform)
    if plan is None:
        raise NotFound("no plan loaded: run `carbonpeak demo` or `carbonpeak plan load FILE` first")
    policy = accounting_policy(platform)
    lines, _, gdp = stored_lines(platform, plan.region, policy)
    ind = indicator_set(platform, policy, plan.region)
    net = {y: v.value for y in ind.years if (v := ind.get("co2_total", y, "with_electricity")) and v.value is not None}
    consumed = lines[lines["category"] != "generation"].groupby("year")["co2_t"].sum()
    return Context(plan, plan.region, lines, gdp, stored_electricity(platform, plan.region),
                   stored_certificates(platform, plan.region), {int(y): float(v) for y, v in consumed.items()}, net,
                   ind.illustrative_years, frozenset(flags.proxy_years(ind.findings)))


@dataclass(frozen=True)
class BasisFigure:
    year: int
    basis: str
    factor_t_per_mwh: float | None
    factor_source: str
    proxy_year: int | None  # the factor's year when it is not the figure's own
    direct_co2_t: float
    electricity_mwh: float  # consumed in the county (local generation not credited)
    green_certificate_mwh: float
    electricity_co2_t: float | None
    total_co2_t: float | None
    gdp_constant: float | None  # 10⁴ yuan at price_base_year prices
    price_base_year: int
    intensity: float | None
    inventory_net_co2_t: float | None  # the inventory's own total, local generation netted (indicator set)
    illustrative: bool


@dataclass(frozen=True)
class PeriodFigure:
    period: str  # 14th | 15th
    start_year: int
    end_year: int  # the period's end, or the latest year with data (partial)
    partial: bool
    basis: str
    start_intensity: float | None
    end_intensity: float | None
    intensity_change: float | None  # end ÷ start − 1
    total_change: float | None


@dataclass(frozen=True)
class CarbonFigures:
    region: str
    years: tuple[int, ...]
    bases: tuple[str, ...]
    rows: list[BasisFigure]
    periods: list[PeriodFigure]
    rules: dict[int, dict[str, str]]  # year → parameter → value (document in rule_sources)
    rule_sources: dict[str, str] = field(default_factory=dict)
    scope: str = SCOPE


def _year_totals(lines: pd.DataFrame) -> dict[int, tuple[float, float, float]]:
    """Per year: direct CO2, electricity consumed [MWh], its CO2 on the grid average as accounted."""
    out = {}
    for y, g in lines.groupby("year"):
        e = g[g["category"] == "electricity"]
        out[int(y)] = (float(g.loc[g["category"] != "generation", "co2_direct_t"].sum()),
                       float(e["quantity_canonical"].sum()) / 1000.0, float(e["co2_electricity_t"].sum()))
    return out


def basis_factor(basis: str, year: int) -> tuple[float, str, int | None] | None:
    """The national factor of ``basis`` for ``year``: the year's, else the nearest earlier, else the
    nearest later published year (returned as the proxy year)."""
    rows = [f for f in basis_factors() if f.basis == basis and f.geography == "全国"]
    if not rows:
        return None
    exact = [f for f in rows if f.year == year]
    earlier = sorted((f for f in rows if f.year < year), key=lambda f: f.year)
    pick = exact[0] if exact else earlier[-1] if earlier else min(rows, key=lambda f: f.year)
    return pick.t_per_mwh, f"{pick.factor_id} {pick.source_document}", None if pick.year == year else pick.year


def figure_row(ctx: Context, year: int, basis: Basis, base_year: int) -> BasisFigure:
    direct, net, grid_co2 = _year_totals(ctx.lines)[year]
    gdp = constant_price_gdp(ctx.gdp, base_year).get(year) if len(ctx.gdp) else None
    cert, cert_ill = ctx.certificates.get(year, (0.0, False))
    if basis is Basis.AVERAGE:
        e = ctx.lines[(ctx.lines["year"] == year) & (ctx.lines["category"] == "electricity")]
        ids = sorted({i for v in e["factor_ids"] for i in str(v).split("|") if i.startswith("EL")})
        got = (grid_co2 / net if net > 0 else 0.0, " ".join(ids), None)
    else:
        got = basis_factor(str(basis), year)
    cert_used = min(cert, max(net, 0.0))
    if got is None or gdp is None:
        total = elec = intensity = None
    else:
        fig = carbon_figure(CarbonInputs(year, direct, net, cert_used, gdp), basis, got[0])
        total, elec, intensity = fig.total_co2_t, fig.electricity_co2_t, fig.intensity
        if basis is Basis.AVERAGE:  # exactly the inventory's electricity CO2 (no rounding through the ratio)
            elec, total = grid_co2, direct + grid_co2
            intensity = total / gdp
    return BasisFigure(year, str(basis), None if got is None else got[0], "" if got is None else got[1],
                       None if got is None else got[2], direct, net, cert_used, elec, total, gdp, base_year, intensity,
                       ctx.inventory_net_co2.get(year), year in ctx.illustrative_years or cert_ill)


def price_base_of(year: int) -> int:
    """The constant-price base of a year's intensity: the base year of its plan period."""
    return 2020 if year <= 2025 else 2025


def carbon_figures(platform: Platform, ctx: Context | None = None) -> CarbonFigures:
    ctx = ctx or context(platform)
    rows = [figure_row(ctx, y, b, price_base_of(y)) for y in ctx.inventory_years for b in Basis]
    periods = []
    for name, start, end in PERIODS:
        have = [y for y in ctx.inventory_years if start < y <= end]
        if start not in ctx.inventory_years or not have:
            continue
        for b in Basis:
            a, z = figure_row(ctx, start, b, start), figure_row(ctx, have[-1], b, start)
            ok = a.intensity and z.intensity is not None and a.total_co2_t and z.total_co2_t is not None
            periods.append(PeriodFigure(name, start, have[-1], have[-1] < end, str(b), a.intensity, z.intensity,
                                        z.intensity / a.intensity - 1.0 if ok else None,
                                        z.total_co2_t / a.total_co2_t - 1.0 if ok else None))
    years = sorted(set(ctx.inventory_years) | {2026, 2030})
    rules = {y: {k: r.value for k, r in rules_for(y).items()} for y in years}
    sources = {f"{r.rule_id}:{k}": r.source_document for y in years for k, r in rules_for(y).items()}
    return CarbonFigures(ctx.region, ctx.inventory_years, tuple(str(b) for b in Basis), rows, periods, rules, sources)
