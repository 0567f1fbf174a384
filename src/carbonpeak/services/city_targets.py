"""The city's or province's own targets, rated on its counties (issue #17).

A several-county deployment's own database may hold the plan of the tier above its counties (a plan
file with ``tier: city`` or ``province`` and targets only, ``carbonpeak --county city plan load``).
Each of its targets is shown two ways:

- **each county's progress on it**: the target rated on the county's own data exactly as the
  county's own targets are (services/tracking.assess_target on the county's tracking context), so
  a county's figure here is its figure on its own pages;
- **the counties together**: a target the inventory computes (non-fossil share, energy or CO2
  intensity change against the base year) rated on the counties' pooled figure (domain/pooled.py:
  numerators and denominators summed, never an average of ratios), on the same barometer rule.
  The pooled figure is withheld, with the reason, when a county has no figure for the year or the
  base, or when the counties account on different policies or electricity conventions (their
  figures would not add up). Other targets (a value the city reports itself) are listed per county
  only: the counties' data does not make the city's figure.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from ..domain.plan import Plan, Target
from ..domain.pooled import POOLED, Pooling, pooled_change, pooled_ratio
from ..domain.tracking import BarometerRule, assess
from . import tracking
from .accounting import accounting_policy
from .errors import NotFound
from .plans import stored_plan
from .tenancy import Deployment
from .tracking import TrackingContext


@dataclass(frozen=True)
class CountyProgress:
    code: str
    name: str
    actual: float | None
    light: str  # green | yellow | red | grey
    why: str  # the branch of the rule with its numbers
    illustrative: bool


@dataclass(frozen=True)
class UpperTarget:
    id: str
    name: str
    indicator: str
    basis: str
    value: float | None
    unit: str
    direction: str
    base_year: int | None
    target_year: int
    clause: str
    note: str
    actual: float | None  # the counties together (None: withheld or not pooled)
    light: str
    why: str
    formula: str  # how the counties' figure is formed ("" when it is not pooled)
    withheld: str  # why there is no pooled figure ("" when there is one, or the target is not pooled)
    illustrative: bool
    counties: tuple[CountyProgress, ...]


@dataclass(frozen=True)
class UpperTargets:
    plan: str  # the plan's name
    region: str
    tier: str  # city | province
    year: int | None
    rule: str  # the barometer rule the lights follow
    targets: tuple[UpperTarget, ...]


@dataclass(frozen=True)
class _County:
    code: str
    name: str
    ctx: TrackingContext | None  # None: no plan stored
    policy: str  # the county's accounting policy in words


def upper_targets(dep: Deployment, year: int | None, lang: str = "zh",
                  rule: BarometerRule | None = None) -> UpperTargets | None:
    """The targets of the plan above the counties in ``year``; None when the deployment holds none."""
    plan = stored_plan(dep.home) if dep.multi else None
    if plan is None or plan.tier == "county":
        return None
    rule = rule or BarometerRule()
    counties = [_county(c.code, c.name, dep, lang) for c in dep.info()]
    rows = () if year is None else tuple(_target(plan, t, year, counties, rule, lang) for t in plan.targets)
    return UpperTargets(plan.name, plan.region, plan.tier, year, rule.text(lang), rows)


def _county(code: str, name: str, dep: Deployment, lang: str) -> _County:
    from . import views  # views builds on the tracking context; this module sits above it, as city.py

    platform = dep.county(code)
    try:
        ctx = views.context(platform)
    except NotFound:
        return _County(code, name, None, "")
    return _County(code, name, ctx, accounting_policy(platform).words(lang))


def _own(plan: Plan, t: Target) -> Target:
    """The target as the counties' trackers take it: its base year stated, its id the plan's own
    (never one of a county's: a county target's entered or module values are not this one's)."""
    base = t.base_year if t.base_year is not None else plan.default_base_year
    return dataclasses.replace(t, id=f"{plan.code}:{t.id}", base_year=base)


def _text(plan: Plan, t: Target, lang: str) -> tuple[str, str]:
    tr = plan.translations.get(lang, {}).get(t.id) if lang != "zh" else None
    return (tr.name or t.name, tr.note or t.note) if tr else (t.name, t.note)


def _target(plan: Plan, t: Target, year: int, counties: list[_County], rule: BarometerRule,
            lang: str) -> UpperTarget:
    own = _own(plan, t)
    per = tuple(_progress(c, own, year, rule, lang) for c in counties)
    pooled, why_not, formula = None, "", ""
    how = POOLED.get(t.indicator) if tracking.from_inventory(t) else None
    if how is not None:
        formula = how.formula[0 if lang == "zh" else 1]
        pooled, why_not = _pooled(own, year, counties, how, lang)
    known = pooled is not None
    st = assess(own, year, pooled, rule, base_actual=_pooled_base(own, counties, how) if known else None,
                yoy_change=_pooled_yoy(own, year, counties, how) if known else None, lang=lang)
    name, note = _text(plan, t, lang)
    basis = t.basis or tracking.COMPUTED.get(t.indicator, "")
    return UpperTarget(t.id, name, t.indicator, basis, t.value, t.unit, t.direction, own.base_year,
                       t.target_year, t.clause, note, pooled, st.light if how else "grey",
                       st.why if how else _not_pooled(lang), formula, why_not,
                       pooled is not None and any(p.illustrative for p in per), per)


def _progress(c: _County, t: Target, year: int, rule: BarometerRule, lang: str) -> CountyProgress:
    if c.ctx is None:
        return CountyProgress(c.code, c.name, None, "grey", "尚未载入规划" if lang == "zh" else "no plan loaded", False)
    r = tracking.assess_target(c.ctx, t, year, rule, lang)
    return CountyProgress(c.code, c.name, r.actual, r.light, r.why, r.illustrative)


def _values(counties: list[_County], t: Target, year: int, how: Pooling) -> list:
    basis = t.basis or tracking.COMPUTED[t.indicator]
    price_base = t.base_year if how.change else None
    return [c.ctx.indicator(how.ratio, year, basis, price_base) if c.ctx else None for c in counties]


def withheld(missing: list[str], differing: list[tuple[str, str, set[str]]], lang: str, verb_zh: str) -> str:
    """Why the counties' figures are not put together ('' when they may be): a county without the
    figure, or something that must agree between them and does not (``differing``: what, in
    English and in Chinese, and the values seen). ``verb_zh``: 不能相加 (a sum), 不能合并 (a pool)."""
    zh = lang == "zh"
    if missing:
        return ("缺少数据：" if zh else "no data: ") + "、".join(missing)
    for what, zh_what, seen in differing:
        if len(seen) > 1:
            return (f"各县{zh_what}不同，{verb_zh}：" if zh else f"the counties' {what} differ: ") + " | ".join(sorted(seen))
    return ""


def _pooled(t: Target, year: int, counties: list[_County], how: Pooling, lang: str) -> tuple[float | None, str]:
    zh = lang == "zh"
    now = _values(counties, t, year, how)
    why = withheld([c.name for c, v in zip(counties, now) if v is None or v.value is None],
                   [("accounting policies", "核算口径", {c.policy for c in counties}),
                    ("electricity conventions", "电力折标口径", {str(v.convention) for v in now if v is not None})],
                   lang, "不能合并")
    if why:
        return None, why
    if not how.change:
        return pooled_ratio(now, how), ""
    ref = _values(counties, t, t.base_year, how)
    if any(v is None or v.value is None for v in ref):
        return None, "基年缺少数据" if zh else "no data in the base year"
    value = pooled_change(now, ref, how)
    return value, "" if value is not None else ("合并强度不为正，变化无意义" if zh else "pooled intensity not positive")


def _pooled_base(t: Target, counties: list[_County], how: Pooling | None) -> float | None:
    """The pooled base-year level of a level target (the path starts there), as a county's."""
    if how is None or how.change or t.base_year is None:
        return None
    return pooled_ratio(_values(counties, t, t.base_year, how), how)


def _pooled_yoy(t: Target, year: int, counties: list[_County], how: Pooling | None) -> float | None:
    """The pooled intensity's change on the year before (a rise is red under the default rule)."""
    if how is None or not how.change:
        return None
    return pooled_change(_values(counties, t, year, how), _values(counties, t, year - 1, how), how)


def _not_pooled(lang: str) -> str:
    return ("此目标不由各县核算数据合成，由上级自行统计" if lang == "zh"
            else "not formed from the counties' accounts: the upper tier reports it")
