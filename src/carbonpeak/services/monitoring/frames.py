"""The frames the monitoring services pass each other: one month of the metered series as it is
kept (:class:`MeteredMonth`, with its :class:`MonthCoverage`), and a year of them joined
(:class:`MeteredYear`, with the :class:`Coverage` the checks read). Internal values, not API
results (those are in ``types``); their columns are named beside each field."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from ...domain.findings import Finding


@dataclass(frozen=True, eq=False)
class MonthCoverage:
    """One month's coverage as SQL sums it (store/rollup_series.coverage), each row with its month (``at``)."""
    unit_months: pd.DataFrame  # unit_id, at, n: real-time readings per unit
    complete: pd.DataFrame  # point_id, stat_type, at, complete (1/0): whether the month has every reading
    # (its rows of stat type 0 are the real-time points with readings)

    def frames(self) -> list[pd.DataFrame]:
        return [self.unit_months, self.complete]


@dataclass(frozen=True, eq=False)
class Coverage:
    """The months' coverage as the completeness and gap checks read it (services/monitoring/coverage.py)."""
    units: pd.DataFrame  # unit_id, points, per_day, first: real-time points with readings, readings a day, first month
    unit_months: pd.DataFrame  # unit_id, at, n
    runs: pd.DataFrame  # point_id, stat_type, complete, a, b: complete months merged into runs, short months alone

    def frames(self) -> list[pd.DataFrame]:
        return [self.units, self.unit_months, self.runs]


@dataclass(frozen=True, eq=False)
class MeteredMonth:
    """One month of the series with tce and CO2, as it is kept until a batch changes the month."""
    day_month: pd.DataFrame  # the daily series summed per unit, carrier and month (basis: the daily statistic used)
    month: pd.DataFrame  # the monthly series per unit, carrier and basis (month statistics, else daily sum)
    stated: pd.DataFrame  # unit_id, point_id, at, quantity, days_quantity: month statistics beside their daily sums
    cover: MonthCoverage
    factor_findings: list[Finding] = field(default_factory=list)  # of the factors its rows took, once each

    def frames(self) -> list[pd.DataFrame]:
        """Every frame it holds (what its memory is estimated from)."""
        return [self.day_month, self.month, self.stated, *self.cover.frames()]


@dataclass(frozen=True, eq=False)
class MeteredYear:
    """A year of the metered series (metered.series), and the registry it was computed with."""
    units: pd.DataFrame  # the key units of the registry (id, uscc, name, industry, town, category, ...)
    points: pd.DataFrame  # their metering points (id, unit_id, code, carrier, unit, interval_min, ...)
    day_month: pd.DataFrame
    month: pd.DataFrame
    stated: pd.DataFrame
    cover: Coverage
    last_day: date | None  # the last local day with a reading
    factor_findings: list[Finding]

    def frames(self) -> list[pd.DataFrame]:
        """Every frame it holds (what its memory is estimated from)."""
        return [self.units, self.points, self.day_month, self.month, self.stated, *self.cover.frames()]
