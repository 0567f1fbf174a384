"""以电折碳: the monthly CO2 estimate (估算) per sector from the stored monthly electricity, calibrated
on the stored inventory (domain/carbon/estimate.py states the model), with its back-test.

Sectors are matched by name between the electricity file and the inventory. A sector of the
electricity file without inventory lines, or of the inventory without electricity, is named and
not estimated; a month missing for some sector is named and the estimate stops before it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ...domain.carbon.estimate import MODEL, back_test, estimate_year
from ..errors import NotFound
from ..platform import Platform
from .figures import Context, context

LABEL = "估算"  # every estimate carries it


@dataclass(frozen=True)
class SectorError:
    sector: str
    mape: float | None
    band: float | None


@dataclass(frozen=True)
class BackTestResult:
    years: tuple[int, ...]
    sectors: list[SectorError]
    mape_total: float
    band_total: float
    per_year_total: dict[int, float]  # year → absolute percentage error of the total


@dataclass(frozen=True)
class EstimateMonth:
    month: int
    co2_t: float
    by_sector: dict[str, float]


@dataclass(frozen=True)
class EstimateResult:
    label: str
    model: str
    region: str
    year: int
    calibration_year: int
    months: int  # January … this month estimated
    months_list: list[EstimateMonth]
    total_t: float  # year to date
    band: float | None  # ± fraction (the back-test's largest error of the total)
    low_t: float | None
    high_t: float | None
    last_inventory_year: int
    last_inventory_co2_t: float | None
    back_test: BackTestResult | None
    sectors: tuple[str, ...]
    not_estimated: list[str]  # sectors named, not estimated
    missing_months: list[str]  # "sector YYYY-MM" without data
    illustrative: bool


def arrays(ctx: Context) -> tuple[tuple[int, ...], tuple[str, ...], np.ndarray, np.ndarray, list[str]]:
    """(years, sectors, electricity[year, sector, month], inventory[year, sector], not estimated)."""
    e = ctx.electricity
    if e is None:
        raise NotFound("no monthly electricity stored: import 分行业用电量 (carbonpeak carbon import FILE)")
    inv_sectors = set(ctx.lines.loc[ctx.lines["category"] != "generation", "sector"])
    sectors = tuple(s for s in e.sectors if s in inv_sectors)
    skipped = [s for s in e.sectors if s not in inv_sectors] + sorted(inv_sectors - set(e.sectors))
    if not sectors:
        raise NotFound("no sector of the monthly electricity matches an inventory sector")
    idx = [e.sectors.index(s) for s in sectors]
    elec = e.mwh[:, idx, :]
    inv = np.full((len(e.years), len(sectors)), np.nan)
    by = ctx.lines.groupby(["year", "sector"])["co2_t"].sum()
    for i, y in enumerate(e.years):
        if y in ctx.inventory_years:
            inv[i] = [float(by.get((y, s), 0.0)) for s in sectors]
    return e.years, sectors, elec, inv, skipped


def _back_test(years, sectors, elec, inv) -> BackTestResult | None:
    full = [i for i, y in enumerate(years) if not np.isnan(inv[i]).any() and not np.isnan(elec[i]).any()]
    if len(full) < 2:
        return None
    ys = tuple(years[i] for i in full)
    bt = back_test(elec[full], inv[full], ys)

    def num(v) -> float | None:
        return None if not np.isfinite(v) else float(v)

    rows = [SectorError(s, num(bt.mape[k]), num(bt.band[k])) for k, s in enumerate(sectors)]
    return BackTestResult(bt.years, rows, float(bt.mape_total), float(bt.band_total),
                          {y: float(v) for y, v in zip(bt.years, bt.ape_total)})


def monthly_estimate(platform: Platform, year: int | None = None, ctx: Context | None = None) -> EstimateResult:
    """The estimate of ``year`` (default: the latest year of electricity data after the last inventory)."""
    ctx = ctx or context(platform)
    years, sectors, elec, inv, skipped = arrays(ctx)
    last_inv = max(ctx.inventory_years)
    year = year or max(years)
    if year not in years:
        raise NotFound(f"no monthly electricity for {year} (years stored: {list(years)})")
    block = elec[years.index(year)]
    missing = [f"{sectors[s]} {year}-{m + 1:02d}" for m in range(12) for s in range(len(sectors))
               if np.isnan(block[s, m]) and not np.isnan(block[:, m:]).all()]
    full = ~np.isnan(block).any(axis=0)
    months = 12 if full.all() else int(np.argmin(full))
    if months == 0:
        raise NotFound(f"no complete month of electricity in {year}: " + "、".join(missing[:12] or [f"{year}-01"]))
    calib = [i for i, y in enumerate(years) if y < year and not np.isnan(inv[i]).any() and not np.isnan(elec[i]).any()]
    if not calib:
        raise NotFound(f"no inventory year with a full year of electricity before {year}")
    bt = _back_test(years, sectors, elec, inv)
    band = bt.band_total if bt else float("nan")
    clean = np.where(np.isnan(elec), 0.0, elec)
    mask_inv = inv.copy()
    for i in range(len(years)):
        if i not in calib:
            mask_inv[i] = np.nan
    est = estimate_year(clean, mask_inv, years, year, months, band)
    per_month = [EstimateMonth(m + 1, float(np.nansum(est.monthly_t[:, m])),
                               {s: float(est.monthly_t[k, m]) for k, s in enumerate(sectors)
                                if np.isfinite(est.monthly_t[k, m])}) for m in range(months)]
    ok = np.isfinite(band)
    return EstimateResult(LABEL, MODEL, ctx.region, year, est.calibration_year, months, per_month, est.total_t,
                          float(band) if ok else None, est.total_t * (1 - band) if ok else None,
                          est.total_t * (1 + band) if ok else None, last_inv, ctx.inventory_co2.get(last_inv), bt,
                          sectors, skipped, missing, bool(ctx.electricity and ctx.electricity.illustrative))
