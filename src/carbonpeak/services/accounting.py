"""Accounting use cases: a file without any database, and the stored inventory of a region."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import select

from ..domain.accounting import AccountingOptions, account, inventory, prepare_activity, totals
from ..domain.factors import provenance
from ..domain.findings import Finding
from ..domain.indicators import compute_indicators
from ..store.models import ActivityRecord, GdpRecord, PlanRow
from .errors import InputRejected, NotFound
from .platform import Platform, Reference
from .tables import read_activity

LINE_FIELDS = ["row", "year", "region", "sector", "carrier", "use", "quantity", "unit", "energy_tce",
               "co2_direct_t", "co2_electricity_t", "co2_t"]
CONVENTION_TEXT = {
    "calorific": "电力按当量值 0.1229 kgce/kWh 折标 (GB/T 2589-2020)",
    "equivalent": "电力按等价值（上年火电供电标准煤耗）折标",
}


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
        out = []
        optional = [c for c in ("illustrative", "source") if c in self.lines.columns]
        for rec in self.lines[LINE_FIELDS + optional + ["factor_ids", "grid"]].to_dict("records"):
            ids = [i for i in str(rec.pop("factor_ids")).split("|") if i]
            grid = rec.pop("grid")
            rec = {k: _plain(v) for k, v in rec.items()}
            if grid:
                rec["grid"] = grid
            rec["factors"] = [index[i] for i in ids]
            out.append(rec)
        return out

    def as_dict(self, lang: str = "zh", with_lines: bool = True) -> dict[str, Any]:
        d: dict[str, Any] = {
            "source": self.source,
            "convention": {"electricity": self.options.electricity_convention,
                           "text": CONVENTION_TEXT[self.options.electricity_convention],
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


def stored_lines(platform: Platform, region: str, options: AccountingOptions) -> tuple[pd.DataFrame, list[Finding], pd.DataFrame]:
    """Account every stored activity row of ``region``; also return its GDP table."""
    with platform.sessions() as s:
        acts = s.scalars(select(ActivityRecord).where(ActivityRecord.region == region)
                         .order_by(ActivityRecord.year, ActivityRecord.id)).all()
        gdps = s.scalars(select(GdpRecord).where(GdpRecord.region == region).order_by(GdpRecord.year)).all()
    if not acts:
        raise NotFound(f"no activity data stored for region {region!r}")
    raw = pd.DataFrame([{
        "row": a.id, "year": str(a.year), "region": a.region, "sector": a.sector, "carrier": a.carrier,
        "quantity": repr(a.quantity), "unit": a.unit, "use": a.use, "grid": a.grid, "source": a.source,
        "illustrative": a.illustrative} for a in acts])
    ref = platform.ref  # one reference for the whole computation (each read asks the store)
    activity, issues = prepare_activity(raw, "database", ref.catalogue)
    if issues:
        raise InputRejected(issues)
    lines, findings = _run(activity, ref, options, "database")
    gdp = pd.DataFrame([{"year": g.year, "gdp_current": g.gdp_current, "index_prev": g.index_prev,
                         "source": g.source, "illustrative": g.illustrative} for g in gdps],
                       columns=["year", "gdp_current", "index_prev", "source", "illustrative"])
    return lines, findings, gdp


def inventory_report(platform: Platform, year: int, options: AccountingOptions, region: str | None = None,
                     base_year: int = 2020) -> AccountReport:
    region = region or default_region(platform)
    lines, findings, gdp = stored_lines(platform, region, options)
    years = sorted(int(y) for y in lines["year"].unique())
    if year not in years:
        raise NotFound(f"no activity data for {region} {year} (years stored: {years})")
    indicators = [v for v in compute_indicators(lines, gdp, base_year) if v.year == year]
    year_lines = lines[lines["year"] == year].reset_index(drop=True)
    used = {i for ids in year_lines["factor_ids"] for i in str(ids).split("|")}
    year_findings = [f for f in findings
                     if (f.code == "factor.electricity.proxy_year" and f.params["year"] == year)
                     or (f.code == "factor.unverified" and f.params["factor_id"] in used)]
    extra = {
        "region": region, "year": year, "base_year": base_year,
        "indicators": [v.as_dict() for v in indicators],
        "illustrative_lines": int(year_lines["illustrative"].sum()) if "illustrative" in year_lines else 0,
        "gdp": _records(gdp[gdp["year"].isin([year, base_year])]) if len(gdp) else [],
    }
    return AccountReport(year_lines, year_findings, platform.ref, options, source=f"database:{region}", extra=extra)
