"""The 15th-plan carbon targets in the main barometer (总览, 目标, /api/targets, `carbonpeak targets`, the
report and the open data): the rows of services/carbon/assessment.targets, the one rating of these
targets, put in the barometer's row shape (services/tracking.assess_target) and named by their source
(``computed:carbon``), their electricity factor basis and their scope (all electricity consumed in the
county counts, local generation not credited). Nothing here rates anything again.

The tracking context loads the carbon context once (``load``); each barometer year rates the targets
in that year (``rows``). A plan without a ``carbon_control`` section has no carbon rows.
"""

from __future__ import annotations

from dataclasses import dataclass

from ...domain.messages import render
from ...domain.target_sources import module_label
from ...domain.tracking import BarometerRule, baseline, expected_path
from ..errors import CarbonPeakError
from ..platform import Platform
from ..tracking_results import (
    CarbonBarometerRow,
    CarbonSource,
    PathPoint,
    Trajectory,
    TrajectoryPoint,
    TrajectoryTarget,
)
from .assessment import TargetRow, TargetsResult, rated_target, targets
from .budget import county_path
from .figures import Context, context

MODULE = "carbon"
SOURCE = f"computed:{MODULE}"


@dataclass(frozen=True)
class CarbonBarometer:
    """What the barometer needs to rate the carbon targets in any year: the platform and the carbon
    context, loaded once with the tracking context."""
    platform: Platform
    ctx: Context
    ids: frozenset[str]

    def result(self, year: int | None, rule: BarometerRule, lang: str) -> TargetsResult:
        return targets(self.platform, lang, self.ctx, year, rule)


def load(platform: Platform, plan_code: str) -> CarbonBarometer | None:
    """The carbon context of the stored plan; None when the plan has no carbon targets, the barometer
    is of another stored plan than the one services/carbon serves, or the carbon figures cannot be
    computed (the reason is the /carbon page's to show)."""
    try:
        ctx = context(platform)
        if ctx.plan.code != plan_code or ctx.plan.carbon_control is None or not ctx.plan.carbon_control.targets:
            return None
        return CarbonBarometer(platform, ctx, frozenset(t.id for t in ctx.plan.carbon_control.targets))
    except CarbonPeakError:
        return None


def qualifier(res: TargetsResult, lang: str) -> str:
    """The basis and scope stated beside every carbon value: named factor basis, all electricity consumed."""
    return render("carbon.text.barometer_basis", {"basis": render(f"carbon.basis.{res.basis}", {}, lang),
                                                  "scope": render(f"carbon.text.{res.scope}", {}, lang)}, lang)


def source(res: TargetsResult, r: TargetRow, lang: str) -> CarbonSource:
    label = module_label(MODULE, lang)
    return CarbonSource("computed", MODULE, label, qualifier(res, lang), res.basis,
                        render(f"carbon.basis.{res.basis}", {}, lang), res.scope,
                        render(f"carbon.text.{res.scope}", {}, lang), r.year, r.base_source, r.status, None, None,
                        "computed", render("carbon.text.barometer_uses", {}, lang), label, False, r.illustrative)


def row(res: TargetsResult, r: TargetRow, rule: BarometerRule, lang: str) -> CarbonBarometerRow:
    """One carbon target as a barometer row (services/tracking_results.CarbonBarometerRow)."""
    note = r.source or render(f"carbon.status.{r.status}", {}, lang)
    if r.base_source == "估算":  # the base year has no inventory: its CO2 is the 以电折碳 estimate
        note += "；" + render("carbon.text.base_estimated", {"year": r.base_year}, lang)
    return CarbonBarometerRow(
        r.id, r.name, r.indicator, r.rated_value, r.unit, r.direction, r.base_year, r.target_year,
        render("carbon.text.barometer_clause", {}, lang), r.light, r.actual, r.expected, r.progress, r.elapsed,
        r.reason, rule.text(lang), source(res, r, lang), note, r.illustrative, False, SOURCE, r.why, r.ratio,
        r.base_value, "change" if r.indicator == "co2_intensity_reduction" else "plan", False, "", "",
        basis=res.basis, scope=res.scope)


def rows(cb: CarbonBarometer | None, year: int, rule: BarometerRule, lang: str = "zh") -> list[CarbonBarometerRow]:
    """The carbon targets rated in the barometer's ``year`` ([] without carbon targets)."""
    if cb is None:
        return []
    try:
        res = cb.result(year, rule, lang)
    except CarbonPeakError:  # e.g. no base-year CO2 or GDP to rate against: grey, saying so
        return unrated(cb, year, rule, render("carbon.text.not_rated", {}, lang), lang)
    return [row(res, r, rule, lang) for r in res.targets]


def unrated(cb: CarbonBarometer, year: int, rule: BarometerRule, why: str, lang: str) -> list[CarbonBarometerRow]:
    """The carbon targets, grey, when they cannot be rated (the reason shown as the branch)."""
    res = TargetsResult("barometer_rule", [], [], "milestone_rule", year)
    out = []
    for t in cb.ctx.control.targets:
        change = t.indicator == "co2_intensity_reduction"
        r = TargetRow(t.id, t.name, t.indicator, t.value, t.unit, t.base_year, t.target_year, t.status, t.source,
                      year, None, "grey", why, "<=", -t.value if change else t.value, reason="not_rated",
                      illustrative=t.status == "illustrative")
        out.append(row(res, r, rule, lang))
    return out


def trajectory(cb: CarbonBarometer, target_id: str, rule: BarometerRule, lang: str = "zh") -> Trajectory:
    """A carbon target's rated values by year (the base year to the latest inventory) beside the
    barometer's time-elapsed path: the shape of services/tracking.trajectory."""
    c = cb.ctx.control
    t = next(x for x in c.targets if x.id == target_id)
    path = county_path(cb.platform, cb.ctx)
    tgt, _ = rated_target(t, c, path, cb.ctx, None)
    last = max([c.base_year, *cb.ctx.inventory_co2])
    points = []
    for y in range(c.base_year, min(last, c.target_year) + 1):
        r = next(x for x in cb.result(y, rule, lang).targets if x.id == target_id)
        points.append(TrajectoryPoint(y, r.actual, r.expected, r.light, r.illustrative))
    base = baseline(tgt)
    target = TrajectoryTarget(t.id, t.name, t.indicator, tgt.value, t.unit, tgt.direction, t.base_year, t.target_year,
                              render("carbon.text.barometer_clause", {}, lang), base.value, base.source, False, "")
    return Trajectory(target, points, [PathPoint(y, v) for y, v in expected_path(tgt, base)], rule.text(lang))
