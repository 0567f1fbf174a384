"""Accounting use cases: a file without any database, and the stored inventory of a region."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import func, select

from ..domain.accounting import AccountingOptions, account, inventory, prepare_activity, totals
from ..domain.factors import convention_text, provenance, releases_by_kind
from ..domain.findings import Finding
from ..store.models import ActivityRecord, GdpRecord, PlanRow
from .errors import InputRejected, NotFound
from . import flags, versions
from .platform import Platform, Reference, frame_weight
from .tables import read_activity

LINE_FIELDS = ["row", "year", "region", "sector", "carrier", "use", "quantity", "unit", "energy_tce",
               "co2_direct_t", "co2_electricity_t", "co2_t"]


@dataclass
class AccountReport:
    lines: pd.DataFrame
    findings: list[Finding]
    ref: Reference
    options: AccountingOptions
    source: str
    extra: dict[str, Any] = field(default_factory=dict)

    def factor_index(self) -> dict[str, dict]:
        return {r["factor_id"]: provenance(r) for r in self.ref.factors.table.to_dict("records")}

    def line_records(self) -> list[dict]:
        """One record per line, in input order, each with the factors it used and their sources."""
        index = self.factor_index()
        optional = [c for c in ("illustrative", "source") if c in self.lines.columns]
        frame = self.lines[LINE_FIELDS + optional]
        # plain Python values column by column, factor lists once per distinct combination
        columns = {c: [_plain(v) for v in frame[c].tolist()] if frame[c].dtype == object else frame[c].tolist()
                   for c in frame.columns}
        used = {s: [index[i] for i in str(s).split("|") if i] for s in set(self.lines["factor_ids"])}
        out = []
        for vals, ids, grid in zip(zip(*columns.values()), self.lines["factor_ids"], self.lines["grid"]):
            rec = dict(zip(columns, vals))
            if grid:
                rec["grid"] = grid
            rec["factors"] = used[ids]
            out.append(rec)
        return out

    def as_dict(self, lang: str = "zh", with_lines: bool = True) -> dict[str, Any]:
        d: dict[str, Any] = {
            "source": self.source,
            "convention": {"electricity": self.options.electricity_convention,
                           "text": convention_text(self.ref.factors, self.options.electricity_convention),
                           "feedstock_co2": self.options.feedstock_co2,
                           "releases": releases_by_kind(self.ref.factors),
                           "co2_t": "with electricity (territorial + net electricity import × grid factor)",
                           "default_grid": self.options.default_grid},
            "totals": totals(self.lines),
            "by_sector": _records(inventory(self.lines, ["sector"])),
            "by_carrier": _records(inventory(self.lines, ["carrier"])),
            "factor_releases": self.ref.factors.releases(),
            "findings": [f.as_dict(lang) for f in self.findings],
        }
        d.update(self.extra)
        if with_lines:
            d["lines"] = self.line_records()
        flags.annotate_account(d, self.lines, self.findings, lang)  # 示例数据 and 代用因子 on every row
        return d


def _plain(v: Any) -> Any:
    if hasattr(v, "item"):
        return v.item()
    if v is pd.NA:
        return None
    return v


def _records(df: pd.DataFrame) -> list[dict]:
    return [{k: _plain(v) for k, v in r.items()} for r in df.to_dict("records")]


def _run(activity: pd.DataFrame, ref: Reference, options: AccountingOptions, file: str) -> tuple[pd.DataFrame, list[Finding]]:
    result = account(activity, ref.factors, ref.catalogue, options, file=file)
    if result.issues:
        raise InputRejected(result.issues)
    return result.lines, result.findings


def account_file(path: Path, ref: Reference, options: AccountingOptions) -> AccountReport:
    """Inventory of a CSV/XLSX of activity rows, touching no database."""
    activity = read_activity(path, ref.catalogue)
    lines, findings = _run(activity, ref, options, path.name)
    return AccountReport(lines, findings, ref, options, source=path.name)


def default_region(platform: Platform) -> str:
    with platform.sessions() as s:
        region = s.scalar(select(PlanRow.region).order_by(PlanRow.id))
    if region is None:
        raise NotFound("no plan loaded: run `carbonpeak demo` or `carbonpeak plan load FILE` first")
    return region


ACTIVITY_COLUMNS = ["row", "year", "region", "sector", "carrier", "quantity", "unit", "use", "grid", "source",
                    "illustrative"]
GDP_COLUMNS = ["year", "gdp_current", "index_prev", "source", "illustrative"]
NUMERIC = {"row", "year", "quantity", "gdp_current", "index_prev", "illustrative"}
Accounted = tuple[pd.DataFrame, list[Finding], pd.DataFrame]


def stored_lines(platform: Platform, region: str, options: AccountingOptions, year: int | None = None,
                 by_year: bool = False) -> Accounted:
    """Account the stored activity rows of ``region`` (of one ``year`` if given); also return
    its GDP table. ``by_year``: one line per year, carrier, unit, use, grid and illustrative
    flag, its quantity the sum of the rows' (sector and source dropped): the same yearly
    totals and indicators, from far fewer lines. Cached per data version (activity, factors);
    the caller gets its own copy of the frames."""
    key = ("stored-lines", region, options, year, by_year, versions.key(platform, ("activity", "factors")))
    lines, findings, gdp = platform.cached(key, lambda: _account_stored(platform, region, options, year, by_year),
                                           lambda v: frame_weight(v[0], v[2]))
    return lines.copy(), list(findings), gdp.copy()


def _activity_query(region: str, year: int | None, by_year: bool):
    a = ActivityRecord
    if by_year:
        group = (a.year, a.region, a.carrier, a.unit, a.use, a.grid, a.illustrative)
        first = func.min(a.id)
        q = (select(first, a.year, a.region, first, a.carrier, func.sum(a.quantity), a.unit, a.use, a.grid,
                    first, a.illustrative).group_by(*group).order_by(a.year, first))
    else:
        q = select(a.id, a.year, a.region, a.sector, a.carrier, a.quantity, a.unit, a.use, a.grid, a.source,
                   a.illustrative).order_by(a.year, a.id)
    q = q.where(a.region == region)
    return q if year is None else q.where(a.year == year)


def _account_stored(platform: Platform, region: str, options: AccountingOptions, year: int | None,
                    by_year: bool) -> Accounted:
    g = GdpRecord
    # plain rows (no ORM objects), straight into the frame column by column
    with platform.engine.connect() as c:
        acts = c.execute(_activity_query(region, year, by_year)).all()
        gdps = c.execute(select(g.year, g.gdp_current, g.index_prev, g.source, g.illustrative)
                         .where(g.region == region).order_by(g.year)).all()
    if not acts:
        raise NotFound(f"no activity data stored for region {region!r}" + (f" {year}" if year else ""))
    raw = _frame(acts, ACTIVITY_COLUMNS)
    if by_year:  # each group a distinct "sector" (the natural key stays unique), no source
        raw["sector"] = "rows from " + raw["sector"].astype(str)
        raw["source"] = ""
    ref = platform.ref  # one reference for the whole computation (each read asks the store)
    activity, issues = prepare_activity(raw, "database", ref.catalogue)
    if issues:
        raise InputRejected(issues)
    lines, findings = _run(activity, ref, options, "database")
    return lines, findings, _frame(gdps, GDP_COLUMNS)


def _frame(rows, columns: list[str]) -> pd.DataFrame:
    """Result rows as a frame, built column by column as arrays (no per-row type inference)."""
    cols = list(zip(*rows)) if rows else [()] * len(columns)
    df = pd.DataFrame({c: np.array(v, dtype=float if c in ("quantity", "gdp_current", "index_prev") else
                                   None if c in NUMERIC else object)
                       for c, v in zip(columns, cols)}, columns=columns)
    df["illustrative"] = df["illustrative"].astype(bool)
    return df


def inventory_report(platform: Platform, year: int, options: AccountingOptions, region: str | None = None,
                     lang: str = "zh") -> AccountReport:
    """The inventory of ``year``: its lines in full, its indicators from the one indicator result
    (services/indicators.py) at the plan's price base."""
    from .indicators import indicator_set  # noqa: PLC0415 (it builds on this module)

    region = region or default_region(platform)
    ind = indicator_set(platform, options, region)
    if year not in ind.years:
        raise NotFound(f"no activity data for {region} {year} (years stored: {list(ind.years)})")
    base_year = ind.price_base_year
    _, _, gdp = stored_lines(platform, region, options, by_year=True)
    year_lines, findings, _ = stored_lines(platform, region, options, year=year)
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
        "gdp": _records(gdp[gdp["year"].isin([year, base_year])]) if len(gdp) else [],
        "proxy_years": flags.proxy_years(ind.findings),  # of every year: a change vs base uses two
    }
    return AccountReport(year_lines, year_findings, platform.ref, options, source=f"database:{region}", extra=extra)
