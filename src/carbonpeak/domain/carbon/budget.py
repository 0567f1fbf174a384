"""Carbon budgets (碳预算): the county path from an intensity target, and its decomposition (分解).

Pure arithmetic on arrays. A budget path for years ``base+1 … target`` follows from the base-year
CO2 and GDP (constant prices), the projected GDP growth and the intensity reduction over the period:
the intensity falls by the same factor each year (geometric path), and the budget of a year is that
year's intensity times its GDP. The decomposition splits one year's budget among entities
(townships, sectors or key units) after setting aside a reserve for new projects, by one of three
named rules; the allocations always sum to the distributable budget exactly.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

import numpy as np


class BudgetError(ValueError):
    """Input that cannot define a budget; ``code`` names the message, ``params`` its values."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(f"{code}: {params}")
        self.code = code
        self.params = params


class Rule(StrEnum):
    HISTORICAL_SHARE = "historical_share"  # 历史排放占比
    INTENSITY_BENCHMARK = "intensity_benchmark"  # 强度标杆 × 产出
    GROWTH_ALLOWANCE = "growth_allowance"  # 历史排放 × (1 + 允许增长率)
    ENTERED_SHARES = "entered_shares"  # 用户给定的份额（合计须为 1）


SHARE_TOLERANCE = 1e-6


@dataclass(frozen=True)
class BudgetPath:
    """The county budget per year (t CO2) with the intensity (t CO2 per 10⁴ yuan) and GDP behind it."""

    base_year: int
    years: tuple[int, ...]
    gdp: tuple[float, ...]  # 10⁴ yuan, constant prices of the base year
    intensity: tuple[float, ...]
    budget_t: tuple[float, ...]
    annual_factor: float  # intensity of a year ÷ that of the year before

    @property
    def total_t(self) -> float:
        return float(sum(self.budget_t))


def budget_path(base_year: int, base_co2_t: float, base_gdp: float, gdp_growth: Sequence[float],
                intensity_reduction: float) -> BudgetPath:
    """The path over ``len(gdp_growth)`` years after ``base_year``; ``intensity_reduction`` is the
    fall of intensity over the whole period as a fraction (0.18 for "−18 % by the period's end")."""
    if base_co2_t <= 0 or base_gdp <= 0:
        raise BudgetError("carbon.base_not_positive", co2=base_co2_t, gdp=base_gdp)
    if not 0 <= intensity_reduction < 1:
        raise BudgetError("carbon.bad_reduction", value=intensity_reduction)
    growth = np.asarray(gdp_growth, dtype=float)
    if growth.ndim != 1 or growth.size == 0 or np.any(growth <= -1) or not np.all(np.isfinite(growth)):
        raise BudgetError("carbon.bad_growth", values=growth.tolist())
    n = growth.size
    factor = (1.0 - intensity_reduction) ** (1.0 / n)
    gdp, intensity, budget = path_arrays(np.asarray(base_co2_t), np.asarray(base_gdp), growth, intensity_reduction)
    return BudgetPath(base_year, tuple(range(base_year + 1, base_year + n + 1)), tuple(gdp.tolist()),
                      tuple(intensity.tolist()), tuple(budget.tolist()), factor)


def path_arrays(base_co2_t: np.ndarray, base_gdp: np.ndarray, growth: np.ndarray,
                intensity_reduction: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """GDP, intensity and budget per year for many regions at once: ``growth[..., year]``, the base
    values broadcast over the leading axes. The same arithmetic as :func:`budget_path`, unchecked."""
    n = growth.shape[-1]
    factor = (1.0 - intensity_reduction) ** (1.0 / n)
    gdp = base_gdp[..., None] * np.cumprod(1.0 + growth, axis=-1)
    intensity = (base_co2_t / base_gdp)[..., None] * factor ** np.arange(1, n + 1)
    return gdp, intensity, intensity * gdp


def rule_weights(rule: Rule, history: np.ndarray, output: np.ndarray | None = None,
                 benchmark: np.ndarray | None = None, growth: np.ndarray | None = None,
                 shares: np.ndarray | None = None) -> np.ndarray:
    """Weights along the last axis (entities) for ``rule``; any leading axes are independent budgets
    (for example counties). ``history``: past emissions per entity (t CO2)."""
    if rule is Rule.HISTORICAL_SHARE:
        w = np.asarray(history, dtype=float)
    elif rule is Rule.INTENSITY_BENCHMARK:
        if output is None or benchmark is None:
            raise BudgetError("carbon.rule_needs", rule=str(rule), fields="output, benchmark")
        w = np.asarray(output, dtype=float) * np.asarray(benchmark, dtype=float)
    elif rule is Rule.GROWTH_ALLOWANCE:
        if growth is None:
            raise BudgetError("carbon.rule_needs", rule=str(rule), fields="growth")
        w = np.asarray(history, dtype=float) * (1.0 + np.asarray(growth, dtype=float))
    else:
        if shares is None:
            raise BudgetError("carbon.rule_needs", rule=str(rule), fields="shares")
        w = np.asarray(shares, dtype=float)
        total = w.sum(axis=-1)
        if np.any(np.abs(total - 1.0) > SHARE_TOLERANCE):
            raise BudgetError("carbon.shares_not_whole", total=float(np.max(np.abs(total))))
    if np.any(w < 0) or not np.all(np.isfinite(w)):
        raise BudgetError("carbon.negative_weight", rule=str(rule))
    if np.any(w.sum(axis=-1) <= 0):
        raise BudgetError("carbon.no_weight", rule=str(rule))
    return w


def decompose(budget_t: np.ndarray | float, weights: np.ndarray, reserve: float = 0.0) -> np.ndarray:
    """Allocations (t CO2) per entity: ``budget × (1 − reserve) × weight ÷ Σ weights``; the reserve
    (a fraction, kept for new projects) is what the allocations leave. Vectorised over leading axes."""
    if not 0 <= reserve < 1:
        raise BudgetError("carbon.bad_reserve", value=reserve)
    w = np.asarray(weights, dtype=float)
    distributable = np.asarray(budget_t, dtype=float) * (1.0 - reserve)
    return w * (distributable / w.sum(axis=-1))[..., None]


@dataclass(frozen=True)
class Allocation:
    entity: str
    weight: float
    share: float
    budget_t: float


@dataclass(frozen=True)
class Decomposition:
    year: int
    rule: Rule
    budget_t: float
    reserve: float
    reserve_t: float
    rows: tuple[Allocation, ...]


def decompose_named(year: int, budget_t: float, entities: Sequence[str], rule: Rule, reserve: float = 0.0,
                    **inputs: Sequence[float]) -> Decomposition:
    """One year's budget split among named entities, with the rule and the reserve in the result."""
    if len(set(entities)) != len(entities):
        raise BudgetError("carbon.duplicate_entity", entities=list(entities))
    arrays = {k: np.asarray(v, dtype=float) for k, v in inputs.items()}
    for name, arr in arrays.items():
        if arr.shape != (len(entities),):
            raise BudgetError("carbon.length_mismatch", field=name, expected=len(entities), got=int(arr.size))
    history = arrays.pop("history", np.ones(len(entities)))
    w = rule_weights(rule, history, **arrays)
    alloc = decompose(budget_t, w, reserve)
    shares = w / w.sum()
    rows = tuple(Allocation(e, float(wi), float(si), float(ai)) for e, wi, si, ai in zip(entities, w, shares, alloc))
    return Decomposition(year, rule, float(budget_t), reserve, float(budget_t) * reserve, rows)
