"""Indicator values as one service result, the one every surface shows.

:func:`indicator_set` accounts the stored yearly lines of a region once and computes every
indicator of every year, for each price base the plan needs (its default base year, the one every
surface shows, and the base years of its targets). Each value is an
:class:`~carbonpeak.domain.indicators.IndicatorValue` keyed by all it depends on: code, year,
basis, electricity convention and price base year (``IndicatorValue.key``). The CLI, the API, the
pages, the reports, the open data and the scenario's starting year take their figures from here,
so a figure cannot differ between two surfaces; each names its convention and price base
(:func:`qualifier`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..domain.accounting import AccountingOptions
from ..domain.findings import Finding
from ..domain.indicators import PRICE_BASED, IndicatorValue, compute_indicators, stamped
from ..domain.messages import render
from ..domain.plan import Plan
from ..domain.policy import AccountingPolicy
from ..store.queries.accounting import Session
from . import flags, versions
from .accounting import AccountReport, completed_in, default_region_in, records, stored_lines_in
from .conventions import indicator_conventions
from .errors import NotFound
from .plans import stored_plan
from .platform import Platform

DEFAULT_PRICE_BASE = 2020  # without a plan, or a plan without a default base year


@dataclass(frozen=True)
class IndicatorSet:
    """Every indicator of every year of a region, for each price base computed."""
    region: str
    convention: str  # electricity convention of the energy figures (AccountingOptions)
    price_base_year: int  # the price base every surface shows
    price_bases: tuple[int, ...]
    years: tuple[int, ...]
    illustrative_years: frozenset[int]
    values: dict[tuple, IndicatorValue]  # IndicatorValue.key → value
    # (code, year, basis) → the convention shown where a value is given on several (the last computed)
    shown_conventions: dict[tuple[str, int, str], str]
    findings: tuple[Finding, ...] = ()

    def get(self, code: str, year: int, basis: str, price_base_year: int | None = None,
            convention: str | None = None) -> IndicatorValue | None:
        """The value of ``code`` in ``year`` on ``basis``: one resting on GDP at the given price
        base (default: the shown one), one resting on energy at the given electricity convention
        (default: the shown one)."""
        base = (price_base_year or self.price_base_year) if code in PRICE_BASED else None
        if convention is None:
            convention = self.shown_conventions.get((code, year, basis), "")
        return self.values.get((code, year, basis, convention, base))

    def of_year(self, year: int) -> list[IndicatorValue]:
        """The values of ``year`` at the shown price base, in computation order."""
        return [v for v in self.values.values() if v.year == year
                and v.price_base_year in (None, self.price_base_year)]

    def table(self, price_base_year: int | None = None) -> dict[tuple[str, int, str], float | None]:
        """Every value at one price base (default: the shown one) and the shown conventions, as
        (code, year, basis) → value."""
        out = {}
        for (code, year, basis) in self.shown_conventions:
            v = self.get(code, year, basis, price_base_year)
            out[(code, year, basis)] = v.value if v else None
        return out

    def figure(self, v: IndicatorValue, lang: str = "zh") -> dict[str, Any]:
        """A value as every surface shows it: its fields, what it depends on in words, and
        whether it rests on illustrative inputs."""
        return {**v.as_dict(), "qualifier": qualifier(v, lang), "illustrative": v.year in self.illustrative_years}


def qualifier(v: IndicatorValue, lang: str = "zh") -> str:
    """The convention and price base a value depends on, in words ("" for neither)."""
    parts = []
    if v.convention:
        parts.append(render(f"figure.convention.{v.convention}", {}, lang))
    if v.price_base_year is not None:
        parts.append(render("figure.price_base", {"year": str(v.price_base_year)}, lang))
    return " · ".join(parts)


def display(value: float | None) -> str:
    """A figure as the pages and the Word report print it: 4 decimals below 1, 2 below 100,
    none above; NE (not estimated) for None."""
    if value is None:
        return "NE"
    digits = 4 if abs(value) < 1 else 2 if abs(value) < 100 else 0
    return f"{value:,.{digits}f}"


def price_bases(plan: Plan | None) -> tuple[int, tuple[int, ...]]:
    """The price base shown (the plan's default base year) and every base its targets need."""
    shown = (plan.default_base_year if plan else None) or DEFAULT_PRICE_BASE
    bases = {shown} | {t.base_year for t in (plan.targets if plan else []) if t.base_year}
    return shown, tuple(sorted(bases))


def indicator_set(platform: Platform, options: AccountingOptions, region: str | None = None) -> IndicatorSet:
    """The indicators of ``region`` (default: the plan's), cached per version of what they read.
    Raises NotFound without a plan (and no region) or without activity data."""
    with platform.sessions() as s:
        return indicator_set_in(s, platform, options, region)


def indicator_set_in(s: Session, platform: Platform, options: AccountingOptions,
                     region: str | None = None) -> IndicatorSet:
    """:func:`indicator_set` with the plan's region and the activity read in the caller's session."""
    region = region or default_region_in(s)
    key = ("indicator-set", region, options, versions.key(platform, versions.ACCOUNTING))
    return platform.cached(key, lambda: _compute(s, platform, options, region))


def _compute(s: Session, platform: Platform, options: AccountingOptions, region: str) -> IndicatorSet:
    shown, bases = price_bases(stored_plan(platform))
    lines, findings, gdp = stored_lines_in(s, platform, region, options, by_year=True)  # yearly totals suffice
    values: dict[tuple, IndicatorValue] = {}
    conventions: dict[tuple[str, int, str], str] = {}
    # 发电煤耗 by year, the rule book, the non-fossil fraction of the grid the policy names (the plan's by default)
    conv = indicator_conventions(platform.ref.factors, policy=completed_in(s, options))
    for base in bases:
        for v in stamped(compute_indicators(lines, gdp, base, conventions=conv), base, options.electricity_convention):
            values.setdefault(v.key, v)  # a value independent of the price base: the same for every base
            if base == shown:
                conventions[(v.code, v.year, v.basis)] = v.convention
    return IndicatorSet(region, options.electricity_convention, shown, bases,
                        tuple(sorted(int(y) for y in lines["year"].unique())),
                        frozenset(illustrative_input_years(lines, gdp)), values, conventions,
                        tuple(f for f in findings if f.code == "factor.electricity.proxy_year"))


def illustrative_input_years(lines, gdp) -> set[int]:
    """Years in which any activity line or GDP figure is illustrative (示例数据)."""
    years = set()
    if "illustrative" in lines.columns:
        years |= {int(y) for y in lines.loc[lines["illustrative"].astype(bool), "year"]}
    if len(gdp) and "illustrative" in gdp.columns:
        years |= {int(y) for y in gdp.loc[gdp["illustrative"].astype(bool), "year"]}
    return years


def inventory_report(platform: Platform, year: int, options: AccountingPolicy, region: str | None = None,
                     lang: str = "zh") -> AccountReport:
    """The inventory of ``year``: its lines in full, its indicators from the one indicator result
    at the plan's price base, all read in one session. Here, above services/accounting.py."""
    with platform.sessions() as s:
        region = region or default_region_in(s)
        options = completed_in(s, options)
        ind = indicator_set_in(s, platform, options, region)
        if year not in ind.years:
            raise NotFound(f"no activity data for {region} {year} (years stored: {list(ind.years)})")
        _, _, gdp = stored_lines_in(s, platform, region, options, by_year=True)
        year_lines, findings, _ = stored_lines_in(s, platform, region, options, year=year)
    base_year = ind.price_base_year
    year_lines = year_lines.reset_index(drop=True)
    used = {i for ids in year_lines["factor_ids"] for i in str(ids).split("|")}
    year_findings = [f for f in findings
                     if (f.code == "factor.electricity.proxy_year" and f.params["year"] == year)
                     or (f.code == "factor.unverified" and f.params["factor_id"] in used)
                     or (f.code == "accounting.feedstock_no_combustion" and f.params["year"] == year)]
    extra = {
        "region": region, "year": year, "base_year": base_year, "price_base_year": base_year,
        "indicators": flags.mark_indicators([ind.figure(v, lang) for v in ind.of_year(year)],
                                            flags.proxy_years(ind.findings)),
        "illustrative_lines": int(year_lines["illustrative"].sum()) if "illustrative" in year_lines else 0,
        "gdp": records(gdp[gdp["year"].isin([year, base_year])]) if len(gdp) else [],
        "proxy_years": flags.proxy_years(ind.findings),  # of every year: a change vs base uses two
    }
    return AccountReport(year_lines, year_findings, platform.ref, options, source=f"database:{region}", extra=extra)
