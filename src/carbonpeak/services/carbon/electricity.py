"""Monthly electricity by sector (分行业用电量) and green certificates (绿证): reading, validating and
importing the files, and reading the stored series back as arrays.

A file is validated whole before anything is written (file, row and field named in every issue);
rows are upserted by natural key through services/imports.upsert (audited, owner kept), so the
same file imported twice changes nothing. The data version of each table moves with the audit
entries (services/versions.py: an audited table is a topic of its own).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from sqlalchemy import select

from ...domain.findings import InputIssue
from ...store.models_carbon import GreenCertificate, MonthlyElectricity
from .. import batches
from ..errors import InputRejected
from ..imports import upsert
from ..platform import Platform
from ..tables import illustrative_flags, no_duplicates, read_text_table, within_limits

ELECTRICITY_HEADERS: dict[str, tuple[str, ...]] = {
    "year": ("年份",), "month": ("月份", "月"), "region": ("地区",), "sector": ("行业", "部门"),
    "quantity": ("用电量", "电量"), "unit": ("单位", "计量单位"), "source": ("来源", "数据来源"),
    "illustrative": ("示例数据", "示例"),
}
ELECTRICITY_REQUIRED = ("year", "month", "region", "sector", "quantity", "unit")
CERTIFICATE_HEADERS: dict[str, tuple[str, ...]] = {
    "year": ("年份",), "region": ("地区",), "quantity": ("绿证电量", "绿色电力证书电量"), "unit": ("单位", "计量单位"),
    "source": ("来源", "数据来源"), "illustrative": ("示例数据", "示例"),
}
CERTIFICATE_REQUIRED = ("year", "region", "quantity", "unit")
TO_MWH = {"mwh": 1.0, "兆瓦时": 1.0, "万千瓦时": 10.0, "kwh": 0.001, "千瓦时": 0.001, "gwh": 1000.0, "亿千瓦时": 100000.0}
TOPICS = ("carbon_monthly_electricity", "carbon_green_certificates")  # their data-version topics


@dataclass(frozen=True)
class CarbonImport:
    kind: str  # monthly_electricity | green_certificates
    file: str
    rows: int
    inserted: int
    updated: int
    unchanged: int
    batch_id: int | None


def _numbers(df: pd.DataFrame, name: str, issues: list[InputIssue], monthly: bool) -> None:
    for col, low, high in (("year", 1990, 2100), *((("month", 1, 12),) if monthly else ())):
        v = pd.to_numeric(df[col], errors="coerce")
        for i in df.index[v.isna() | (v % 1 != 0) | (v < low) | (v > high)]:
            issues.append(InputIssue("input.bad_value", name, int(df.at[i, "row"]), col,
                                     {"value": df.at[i, col], "reason": f"an integer {low}–{high}"}))
        df[col] = v
    q = pd.to_numeric(df["quantity"].str.replace(",", "", regex=False), errors="coerce")
    for i in df.index[q.isna() | (q < 0) | ~np.isfinite(q.fillna(0))]:
        issues.append(InputIssue("input.empty_value" if df.at[i, "quantity"] == "" else "input.bad_value", name,
                                 int(df.at[i, "row"]), "quantity", {"value": df.at[i, "quantity"], "reason": "a number ≥ 0"}))
    scale = df["unit"].str.lower().map(TO_MWH)
    for i in df.index[scale.isna()]:
        issues.append(InputIssue("input.bad_value", name, int(df.at[i, "row"]), "unit",
                                 {"value": df.at[i, "unit"], "reason": "MWh、万千瓦时、kWh、GWh 或 亿千瓦时"}))
    df["mwh"] = q * scale
    for col in ("region", *(("sector",) if monthly else ())):
        for i in df.index[df[col] == ""]:
            issues.append(InputIssue("input.empty_value", name, int(df.at[i, "row"]), col, {}))


def read_electricity(path: Path, name: str | None = None) -> pd.DataFrame:
    df, name = read_text_table(path, ELECTRICITY_HEADERS, ELECTRICITY_REQUIRED, name)
    issues: list[InputIssue] = []
    df["illustrative"] = illustrative_flags(df, name, issues)
    _numbers(df, name, issues, monthly=True)
    no_duplicates(df, ["region", "year", "month", "sector"], name, "sector", issues)
    if issues:
        raise InputRejected(sorted(issues, key=lambda x: (x.row or 0, x.column or "")))
    return df


def read_certificates(path: Path, name: str | None = None) -> pd.DataFrame:
    df, name = read_text_table(path, CERTIFICATE_HEADERS, CERTIFICATE_REQUIRED, name)
    issues: list[InputIssue] = []
    df["illustrative"] = illustrative_flags(df, name, issues)
    _numbers(df, name, issues, monthly=False)
    no_duplicates(df, ["region", "year"], name, "year", issues)
    if issues:
        raise InputRejected(sorted(issues, key=lambda x: (x.row or 0, x.column or "")))
    return df


@within_limits
def import_electricity(platform: Platform, path: Path, actor: str, display_name: str | None = None,
                       department: str | None = None) -> CarbonImport:
    """Import a file of monthly electricity by sector (年份, 月份, 地区, 行业, 用电量, 单位)."""
    name = display_name or path.name
    df = read_electricity(path, name)
    records = [{"region": r.region, "year": int(r.year), "month": int(r.month), "sector": r.sector, "mwh": float(r.mwh),
                    "source": r.source, "illustrative": bool(r.illustrative)} for r in df.itertuples()]
    return _write(platform, path, name, "monthly_electricity", MonthlyElectricity, ("region", "year", "month", "sector"),
                  records, [int(x) for x in df["row"]], actor, department)


@within_limits
def import_certificates(platform: Platform, path: Path, actor: str, display_name: str | None = None,
                        department: str | None = None) -> CarbonImport:
    """Import a file of green certificates per region and year (年份, 地区, 绿证电量, 单位)."""
    name = display_name or path.name
    df = read_certificates(path, name)
    records = [{"region": r.region, "year": int(r.year), "mwh": float(r.mwh), "source": r.source,
                    "illustrative": bool(r.illustrative)} for r in df.itertuples()]
    return _write(platform, path, name, "green_certificates", GreenCertificate, ("region", "year"), records,
                  [int(x) for x in df["row"]], actor, department)


def _write(platform: Platform, path: Path, name: str, kind: str, model, key: tuple[str, ...], records: list[dict],
           rows: list[int], actor: str, department: str | None) -> CarbonImport:
    with path.open("rb") as f:
        digest = hashlib.file_digest(f, "sha256").hexdigest()
    with platform.sessions() as s:
        counts, touched, refused = upsert(s, model, key, records, actor, department)
        if refused:
            s.rollback()
            raise batches.not_owner(name, rows, key[-1], refused)
        batch_id = batches.settle(s, kind, name, digest, len(records), actor, counts, touched)
    return CarbonImport(kind, name, len(records), counts["inserted"], counts["updated"], counts["unchanged"], batch_id)


@dataclass(frozen=True)
class ElectricitySeries:
    """The stored monthly electricity of a region: ``mwh[year, sector, month]`` (NaN: no data)."""
    region: str
    years: tuple[int, ...]
    sectors: tuple[str, ...]
    mwh: np.ndarray
    illustrative: bool

    def months_reported(self, year: int) -> int:
        """The months of ``year`` reported for every sector, counted from January without a gap."""
        block = self.mwh[self.years.index(year)]
        full = ~np.isnan(block).any(axis=0)
        return int(np.argmin(full)) if not full.all() else 12


def stored_electricity(platform: Platform, region: str) -> ElectricitySeries | None:
    m = MonthlyElectricity
    with platform.engine.connect() as c:
        rows = c.execute(select(m.year, m.sector, m.month, m.mwh, m.illustrative).where(m.region == region)).all()
    if not rows:
        return None
    years = tuple(sorted({r[0] for r in rows}))
    sectors = tuple(sorted({r[1] for r in rows}))
    arr = np.full((len(years), len(sectors), 12), np.nan)
    yi, si = {y: i for i, y in enumerate(years)}, {s: i for i, s in enumerate(sectors)}
    for y, sec, mo, v, _ in rows:
        arr[yi[y], si[sec], mo - 1] = v
    return ElectricitySeries(region, years, sectors, arr, any(r[4] for r in rows))


def stored_certificates(platform: Platform, region: str) -> dict[int, tuple[float, bool]]:
    g = GreenCertificate
    with platform.engine.connect() as c:
        rows = c.execute(select(g.year, g.mwh, g.illustrative).where(g.region == region)).all()
    return {int(y): (float(v), bool(i)) for y, v, i in rows}
