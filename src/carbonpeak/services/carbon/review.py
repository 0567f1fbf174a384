"""Project carbon review (固定资产投资项目节能审查 with carbon assessment), stored with its history.

Energy and CO2 per carrier come from domain/accounting.unit_factors (the accounting policy in force:
the same factors as the inventory); the unit product energy is compared with the efficiency
benchmarks of refdata (level 1 = 标杆, level 2 = the access value of new plants); the CO2 with the
remaining reserve for new projects of the start year's county budget: reserve × budget minus the CO2
of the other projects reviewed (their latest version, not refused) starting in or before that year.
Every review is a new version (code, version); a two-high project enters the 两高 list.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace

from sqlalchemy import func, select

from ...domain.accounting import unit_factors
from ...domain.carbon import Benchmark, ProjectInput, review
from ...domain.findings import InputIssue
from ...domain.messages import render
from ...refdata import load_benchmarks
from ...store.models import TwoHighProject
from ...store.models_carbon import ProjectReview
from .. import audit
from ..accounting import accounting_policy
from ..errors import InputRejected, NotFound
from ..platform import Platform
from .budget import county_path
from .figures import context

REMAINING_RULE = "remaining_rule"  # carbon.text.remaining_rule


@dataclass(frozen=True)
class CarrierUse:
    carrier: str
    quantity: float
    unit: str


@dataclass(frozen=True)
class ReviewInput:
    code: str
    name: str
    industry: str  # the benchmark product (水泥熟料, 硅铁, ...)
    start_year: int
    annual_output: float  # in the benchmark unit's denominator (t)
    energy: list[CarrierUse]
    capacity: str = ""
    two_high: bool = False
    illustrative: bool = False


@dataclass(frozen=True)
class ReviewReason:
    code: str
    text: str


@dataclass(frozen=True)
class ReviewResult:
    code: str
    version: int
    name: str
    industry: str
    start_year: int
    energy_tce: float
    co2_t: float
    unit_energy: float | None
    unit: str
    benchmark: float | None
    access: float | None
    benchmark_source: str
    budget_year: int
    year_budget_t: float
    remaining_budget_t: float
    share_of_remaining: float | None
    share_of_year_budget: float
    intensity_added_2030: float | None  # t CO2 per 10⁴ yuan added to the 2030 intensity
    verdict: str
    verdict_text: str
    reasons: list[ReviewReason]
    two_high: bool
    two_high_listed: bool
    remaining_rule: str
    actor: str
    at: str
    factor_ids: list[str] = field(default_factory=list)


def _energy(platform: Platform, p: ReviewInput) -> tuple[float, float, list[str]]:
    if not p.energy:
        raise InputRejected([InputIssue("input.empty_value", "request", None, "energy", {})])
    ref, policy = platform.ref, accounting_policy(platform)
    tce = co2 = 0.0
    ids: list[str] = []
    issues: list[InputIssue] = []
    for i, c in enumerate(p.energy):
        uf = unit_factors(c.carrier, c.unit, p.start_year, policy, ref.factors, ref.catalogue, file="request")
        if uf.issues:
            issues += [InputIssue(x.code, "request", None, f"energy[{i}].{x.column}", x.params) for x in uf.issues]
            continue
        if c.quantity < 0:
            issues.append(InputIssue("input.negative", "request", None, f"energy[{i}].quantity", {"value": c.quantity}))
        tce += c.quantity * uf.energy_tce
        co2 += c.quantity * uf.co2_t
        ids += [x for x in uf.factor_ids if x not in ids]
    if issues:
        raise InputRejected(issues)
    return tce, co2, ids


def _benchmark(industry: str) -> Benchmark | None:
    for b in load_benchmarks():
        if b.product == industry and (b.level1 is not None or b.level2 is not None):
            return Benchmark(b.unit, b.level1, b.level2, f"{b.id} {b.document} ({b.status})")
    return None


def _used(s, code: str, year: int) -> float:
    latest = (select(ProjectReview.code, func.max(ProjectReview.version).label("v"))
              .where(ProjectReview.code != code).group_by(ProjectReview.code).subquery())
    rows = s.scalars(select(ProjectReview).join(latest, (ProjectReview.code == latest.c.code)
                                                & (ProjectReview.version == latest.c.v))).all()
    return float(sum(r.figures.get("co2_t", 0.0) for r in rows if r.verdict != "refuse" and r.start_year <= year))


def review_project(platform: Platform, p: ReviewInput, actor: str, lang: str = "zh") -> ReviewResult:
    """Review ``p`` and store the review as the next version of its code."""
    if p.annual_output <= 0:
        raise InputRejected([InputIssue("input.bad_value", "request", None, "annual_output",
                                        {"value": p.annual_output, "reason": "> 0"})])
    ctx = context(platform)
    path = county_path(platform, ctx)
    tce, co2, ids = _energy(platform, p)
    bench = _benchmark(p.industry)
    year = min(max(p.start_year, path.years[0]), path.years[-1])
    year_budget = path.budget_t[path.years.index(year)]
    with platform.sessions() as s:
        remaining = year_budget * ctx.control.reserve - _used(s, p.code, year)
        r = review(ProjectInput(p.name, p.industry, p.start_year, p.annual_output, tce, co2, p.two_high), bench, remaining)
        version = (s.scalar(select(func.max(ProjectReview.version)).where(ProjectReview.code == p.code)) or 0) + 1
        reasons = [ReviewReason(x.code, render(x.code, _shown(x.params, lang), lang)) for x in r.reasons]
        res = ReviewResult(p.code, version, p.name, p.industry, p.start_year, tce, co2, r.unit_energy,
                           bench.product_unit if bench else "kgce/t", bench.benchmark if bench else None,
                           bench.baseline if bench else None, bench.source if bench else "", year, year_budget, remaining,
                           r.share_of_remaining_budget, co2 / year_budget, co2 / path.gdp[-1] if path.gdp else None,
                           str(r.verdict), render(f"carbon.verdict.{r.verdict}", {}, lang), reasons, p.two_high,
                           False, REMAINING_RULE, actor, "", ids)
        listed = p.two_high and _list_two_high(s, p, r.unit_energy, actor)
        row = ProjectReview(code=p.code, version=version, name=p.name, industry=p.industry, start_year=p.start_year,
                            inputs=asdict(p), figures={"co2_t": co2, "energy_tce": tce, "unit_energy": r.unit_energy,
                                                       "remaining_budget_t": remaining},
                            verdict=str(r.verdict), reasons=[asdict(x) for x in reasons], two_high=p.two_high,
                            illustrative=p.illustrative, actor=actor)
        s.add(row)
        audit.record(s, actor, "carbon_project_reviews", f"{p.code}|{version}", "insert", None,
                     {"verdict": str(r.verdict), "co2_t": co2, "energy_tce": tce})
        s.commit()
        at = row.created_at.isoformat()
    return replace(res, two_high_listed=bool(listed), at=at)


UNIT_ZH = {"kgce/t": "千克标准煤/吨"}


def _shown(params: dict, lang: str) -> dict:
    """Reason parameters as the reader sees them: shares in %, numbers rounded, units in Chinese in zh."""
    out = {k: (f"{v:.1%}" if k in ("share", "limit") else f"{v:,.1f}" if isinstance(v, float) else v)
           for k, v in params.items()}
    if lang != "en" and "unit" in out:
        out["unit"] = UNIT_ZH.get(out["unit"], out["unit"])
    return out


def _list_two_high(s, p: ReviewInput, unit_energy: float | None, actor: str) -> bool:
    """Enter (or refresh) the project on the 两高 list as 拟建; audited."""
    row = s.scalar(select(TwoHighProject).where(TwoHighProject.name == p.name))
    after = {"name": p.name, "status": "拟建", "industry": p.industry, "product": p.industry,
             "capacity": p.capacity, "unit_energy": unit_energy or 0.0, "source": f"项目碳评审 {p.code}",
             "illustrative": p.illustrative}
    if row is None:
        s.add(TwoHighProject(**after))
        audit.record(s, actor, "two_high_projects", p.name, "insert", None, after)
        return True
    before = {k: getattr(row, k) for k in after}
    if before != after:
        for k, v in after.items():
            setattr(row, k, v)
        audit.record(s, actor, "two_high_projects", p.name, "update", before, after)
    return True


@dataclass(frozen=True)
class HistoryRow:
    code: str
    version: int
    name: str
    industry: str
    start_year: int
    verdict: str
    co2_t: float | None
    energy_tce: float | None
    reasons: list[str]
    two_high: bool
    illustrative: bool
    actor: str
    at: str


def review_history(platform: Platform, code: str | None = None) -> list[HistoryRow]:
    """Every stored version (newest first), of one project code or of all."""
    q = select(ProjectReview).order_by(ProjectReview.code, ProjectReview.version.desc())
    if code:
        q = q.where(ProjectReview.code == code)
    with platform.sessions() as s:
        rows = s.scalars(q).all()
        if code and not rows:
            raise NotFound(f"no carbon review of project {code!r}")
        return [HistoryRow(r.code, r.version, r.name, r.industry, r.start_year, r.verdict, r.figures.get("co2_t"),
                           r.figures.get("energy_tce"), [x["text"] for x in r.reasons], r.two_high, r.illustrative,
                           r.actor, r.created_at.isoformat()) for r in rows]
