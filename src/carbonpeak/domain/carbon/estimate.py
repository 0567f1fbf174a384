"""以电折碳: a monthly CO2 estimate per sector from monthly electricity, and its back-test.

Model (stated in every result): for each sector, the carbon-to-electricity ratio of the latest full
inventory year before the estimated year (t CO2 per MWh of the sector's electricity consumption,
all carriers' CO2 in the numerator), times that sector's monthly electricity. The seasonality comes
from the monthly electricity itself. Sectors whose calibration year has no electricity get no
estimate (NE), never a zero.

Back-test: every inventory year that has an earlier inventory year is estimated from that earlier
year's ratios and its own monthly electricity; the error per sector and in total is the absolute
percentage error of the annual sum against the inventory. MAPE is their mean; the error band of an
estimate is ± the largest error seen in the back-test (a conservative band, stated as such).

Arrays: ``electricity[year, sector, month]`` (MWh) and ``inventory[year, sector]`` (t CO2, NaN where
a year has no inventory); vectorised over a leading axis of regions (counties) when present.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

MODEL = "ratio_of_latest_inventory"


@dataclass(frozen=True)
class BackTest:
    years: tuple[int, ...]  # the years estimated
    ape: np.ndarray  # [..., years, sectors] absolute percentage error (fraction)
    ape_total: np.ndarray  # [..., years]
    mape: np.ndarray  # [..., sectors]
    mape_total: np.ndarray  # [...]
    band: np.ndarray  # [..., sectors] the largest APE per sector
    band_total: np.ndarray  # [...]


def ratios(electricity_year: np.ndarray, inventory_year: np.ndarray) -> np.ndarray:
    """t CO2 per MWh per sector; NaN where the sector used no electricity."""
    annual = electricity_year.sum(axis=-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(annual > 0, inventory_year / annual, np.nan)


def estimate_months(ratio: np.ndarray, electricity_year: np.ndarray) -> np.ndarray:
    """Monthly CO2 per sector: ratio × monthly electricity."""
    return ratio[..., None] * electricity_year


def latest_inventory_before(inventory: np.ndarray, years: tuple[int, ...], year: int) -> int | None:
    """Index of the latest year before ``year`` whose inventory is complete (no NaN) in every region."""
    best = None
    for i, y in enumerate(years):
        if y < year and not np.isnan(inventory[..., i, :]).any():
            best = i
    return best


def back_test(electricity: np.ndarray, inventory: np.ndarray, years: tuple[int, ...]) -> BackTest:
    """Estimate every inventory year from the one before it, and measure the error."""
    estimated, ape, ape_tot = [], [], []
    for i, y in enumerate(years):
        if np.isnan(inventory[..., i, :]).any():
            continue
        j = latest_inventory_before(inventory, years, y)
        if j is None:
            continue
        est = np.nansum(estimate_months(ratios(electricity[..., j, :, :], inventory[..., j, :]),
                                        electricity[..., i, :, :]), axis=-1)
        actual = inventory[..., i, :]
        with np.errstate(divide="ignore", invalid="ignore"):
            ape.append(np.abs(est - actual) / actual)
            ape_tot.append(np.abs(est.sum(axis=-1) - actual.sum(axis=-1)) / actual.sum(axis=-1))
        estimated.append(y)
    if not estimated:
        raise ValueError("a back-test needs two inventory years")
    a = np.stack(ape, axis=-2)
    t = np.stack(ape_tot, axis=-1)
    return BackTest(tuple(estimated), a, t, np.nanmean(a, axis=-2), t.mean(axis=-1), np.nanmax(a, axis=-2),
                    t.max(axis=-1))


@dataclass(frozen=True)
class MonthlyEstimate:
    year: int
    calibration_year: int
    months: int  # months with electricity data
    monthly_t: np.ndarray  # [sectors, months]
    total_t: float
    band: float  # ± fraction, from the back-test (NaN without one)
    model: str = MODEL


def estimate_year(electricity: np.ndarray, inventory: np.ndarray, years: tuple[int, ...], year: int,
                  months: int, band: float = float("nan")) -> MonthlyEstimate:
    """The estimate of ``year`` (one region) from its first ``months`` months of electricity."""
    if year not in years:
        raise ValueError(f"no electricity for {year}")
    j = latest_inventory_before(inventory, years, year)
    if j is None:
        raise ValueError(f"no full inventory before {year}")
    i = years.index(year)
    r = ratios(electricity[j], inventory[j])
    monthly = estimate_months(r, electricity[i, :, :months])
    return MonthlyEstimate(year, years[j], months, monthly, float(np.nansum(monthly)), band)
