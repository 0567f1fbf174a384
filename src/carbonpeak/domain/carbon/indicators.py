"""Carbon indicators on a named electricity factor basis: total CO2, intensity, the change over a plan period.

The three bases MEE and NBS publish for electricity CO2 factors:

* ``average`` — the grid's average factor, applied to all net purchased electricity;
* ``excl_market_nonfossil`` — the average excluding market-traded non-fossil electricity, applied to
  purchased electricity less the green electricity the region holds certificates (绿证) for, which is
  counted at zero (the certificates are the deduction; they are data, per year);
* ``fossil`` — the fossil-power factor, applied to all net purchased electricity (an upper bound).

Which basis a rule uses is data (the rule tables cite the documents); this module only computes.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Basis(StrEnum):
    AVERAGE = "average"
    EXCL_MARKET_NONFOSSIL = "excl_market_nonfossil"
    FOSSIL = "fossil"


@dataclass(frozen=True)
class CarbonInputs:
    year: int
    direct_co2_t: float  # fuels and processes
    electricity_mwh: float  # net purchased (imports minus exports)
    green_certificate_mwh: float  # green electricity with certificates, consumed in the region
    gdp_constant: float  # 10⁴ yuan at the period's constant prices


@dataclass(frozen=True)
class CarbonFigure:
    year: int
    basis: Basis
    factor_t_per_mwh: float
    electricity_co2_t: float
    total_co2_t: float
    intensity: float  # t CO2 per 10⁴ yuan


def carbon_figure(x: CarbonInputs, basis: Basis, factor_t_per_mwh: float) -> CarbonFigure:
    if x.gdp_constant <= 0:
        raise ValueError(f"GDP of {x.year} must be positive")
    if x.green_certificate_mwh < 0 or x.green_certificate_mwh > max(x.electricity_mwh, 0.0):
        raise ValueError(f"green certificates of {x.year} must lie between 0 and the purchased electricity")
    counted = x.electricity_mwh - (x.green_certificate_mwh if basis is Basis.EXCL_MARKET_NONFOSSIL else 0.0)
    elec = counted * factor_t_per_mwh
    total = x.direct_co2_t + elec
    return CarbonFigure(x.year, basis, factor_t_per_mwh, elec, total, total / x.gdp_constant)


@dataclass(frozen=True)
class PeriodChange:
    start: CarbonFigure
    end: CarbonFigure
    intensity_change: float  # end ÷ start − 1 (−0.18 is an 18 % fall)
    total_change: float


def period_change(start: CarbonFigure, end: CarbonFigure) -> PeriodChange:
    if start.basis is not end.basis:
        raise ValueError("both years of a period must be on the same factor basis")
    return PeriodChange(start, end, end.intensity / start.intensity - 1.0, end.total_co2_t / start.total_co2_t - 1.0)


def milestones(start_year: int, start_value: float, target_year: int, target_value: float) -> dict[int, float]:
    """Annual milestones between a base value and a target by the stated rule: a constant annual
    rate of change (geometric interpolation), so each year asks the same relative effort."""
    if target_year <= start_year or start_value <= 0 or target_value <= 0:
        raise ValueError("milestones need a later target year and positive values")
    n = target_year - start_year
    r = (target_value / start_value) ** (1.0 / n)
    return {start_year + k: start_value * r ** k for k in range(1, n + 1)}
