"""Project carbon review (固定资产投资项目节能审查 with carbon assessment), as arithmetic.

Inputs are already converted by the caller (energy in tce and CO2 in t per carrier, from the one
factor table); the review compares the project's unit product energy with the benchmark (标杆) and
access/baseline (基准) values of its industry, and its CO2 with the remaining county budget. The
verdict and every reason are values: codes with parameters, rendered from the message catalogue.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Verdict(StrEnum):
    PASS = "pass"  # 通过
    CONDITIONAL = "conditional"  # 有条件通过
    REFUSE = "refuse"  # 不予通过


@dataclass(frozen=True)
class Benchmark:
    product_unit: str  # e.g. kgce/t
    benchmark: float | None  # 标杆水平
    baseline: float | None  # 基准水平 (access value for new projects)
    source: str


@dataclass(frozen=True)
class ProjectInput:
    name: str
    industry: str
    start_year: int
    annual_output: float  # in the product unit's denominator (t, ...)
    energy_tce: float
    co2_t: float
    two_high: bool = False


@dataclass(frozen=True)
class Reason:
    code: str
    params: dict[str, float | str] = field(default_factory=dict)


@dataclass(frozen=True)
class Review:
    project: ProjectInput
    unit_energy: float | None  # kgce per unit of output
    co2_intensity: float | None  # t CO2 per unit of output
    share_of_remaining_budget: float | None
    verdict: Verdict
    reasons: tuple[Reason, ...]


LARGE_SHARE = 0.05  # a project taking more than 5 % of the remaining budget needs offsetting measures


def review(p: ProjectInput, bench: Benchmark | None, remaining_budget_t: float | None) -> Review:
    if p.energy_tce < 0 or p.co2_t < 0 or p.annual_output < 0:
        raise ValueError("energy, CO2 and output must not be negative")
    reasons: list[Reason] = []
    unit = p.energy_tce * 1000.0 / p.annual_output if p.annual_output > 0 else None
    verdict = Verdict.PASS
    if bench is None or unit is None:
        reasons.append(Reason("carbon.review.no_benchmark", {"industry": p.industry}))
        verdict = Verdict.CONDITIONAL
    else:
        verdict = _against_benchmark(unit, bench, reasons)
    share = None
    if remaining_budget_t is not None:
        if remaining_budget_t <= 0:
            reasons.append(Reason("carbon.review.budget_exhausted", {"remaining": remaining_budget_t}))
            verdict = Verdict.REFUSE
        else:
            share = p.co2_t / remaining_budget_t
            if share > 1:
                reasons.append(Reason("carbon.review.exceeds_budget", {"share": share}))
                verdict = Verdict.REFUSE
            elif share > LARGE_SHARE:
                reasons.append(Reason("carbon.review.large_share", {"share": share, "limit": LARGE_SHARE}))
                verdict = max(verdict, Verdict.CONDITIONAL, key=_rank)
    if p.two_high:
        reasons.append(Reason("carbon.review.two_high", {}))
    co2_int = p.co2_t / p.annual_output if p.annual_output > 0 else None
    return Review(p, unit, co2_int, share, verdict, tuple(reasons))


def _rank(v: Verdict) -> int:
    return (Verdict.PASS, Verdict.CONDITIONAL, Verdict.REFUSE).index(v)


def _against_benchmark(unit: float, bench: Benchmark, reasons: list[Reason]) -> Verdict:
    params = {"value": unit, "unit": bench.product_unit}
    if bench.baseline is not None and unit > bench.baseline:
        reasons.append(Reason("carbon.review.above_baseline", {**params, "baseline": bench.baseline}))
        return Verdict.REFUSE
    if bench.benchmark is not None and unit > bench.benchmark:
        reasons.append(Reason("carbon.review.between", {**params, "benchmark": bench.benchmark}))
        return Verdict.CONDITIONAL
    if bench.benchmark is not None:
        reasons.append(Reason("carbon.review.at_benchmark", {**params, "benchmark": bench.benchmark}))
    return Verdict.PASS
