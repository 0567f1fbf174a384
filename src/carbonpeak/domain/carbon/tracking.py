"""Actual emissions against a budget (预警): per year, and per month against the budget to date.

The warning level compares use with the budget available so far. For a year: actual ÷ budget. For
a month: cumulative actual ÷ (annual budget × the share of the year's budget due by that month);
the share is the seasonal profile of the calibration year when one is given, else months elapsed ÷ 12.
Thresholds are data (``Thresholds``) and stated in every result.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

import numpy as np


class Level(StrEnum):
    GREEN = "green"  # 正常
    YELLOW = "yellow"  # 预警
    RED = "red"  # 超预算


@dataclass(frozen=True)
class Thresholds:
    yellow: float = 0.90  # use ≥ 90 % of the budget available so far
    red: float = 1.00  # use above the budget available so far

    def level(self, ratio: float) -> Level:
        if ratio > self.red:
            return Level.RED
        return Level.YELLOW if ratio >= self.yellow else Level.GREEN


@dataclass(frozen=True)
class BudgetUse:
    period: str  # "2026" or "2026-03"
    actual_t: float
    budget_t: float  # available so far
    ratio: float
    level: Level


def year_use(year: int, actual_t: float, budget_t: float, thresholds: Thresholds = Thresholds()) -> BudgetUse:
    ratio = actual_t / budget_t if budget_t > 0 else float("inf")
    return BudgetUse(str(year), actual_t, budget_t, ratio, thresholds.level(ratio))


def month_use(year: int, monthly_actual_t: Sequence[float], annual_budget_t: float,
              profile: Sequence[float] | None = None, thresholds: Thresholds = Thresholds()) -> list[BudgetUse]:
    """One row per month with data (``monthly_actual_t`` holds January … the last month reported)."""
    actual = np.asarray(monthly_actual_t, dtype=float)
    if actual.size == 0 or actual.size > 12:
        raise ValueError("monthly_actual_t must hold 1 to 12 months")
    if profile is None:
        due = np.arange(1, 13) / 12.0
    else:
        p = np.asarray(profile, dtype=float)
        if p.shape != (12,) or np.any(p < 0) or p.sum() <= 0:
            raise ValueError("profile must hold 12 non-negative monthly weights")
        due = np.cumsum(p) / p.sum()
    cum = np.cumsum(actual)
    rows = []
    for m in range(actual.size):
        available = annual_budget_t * due[m]
        ratio = cum[m] / available if available > 0 else float("inf")
        rows.append(BudgetUse(f"{year}-{m + 1:02d}", float(cum[m]), float(available), float(ratio),
                              thresholds.level(float(ratio))))
    return rows
