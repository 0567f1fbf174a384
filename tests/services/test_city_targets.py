"""A city's or province's targets rated on its counties (services/city_targets.py), on the shared demo.

Two counties with the same data pool to that county's own figure and light: pooling sums numerators
and denominators, so doubling both changes nothing, and the rule is the county's own."""

from __future__ import annotations

from carbonpeak.domain.tracking import BarometerRule
from carbonpeak.services import city_targets, tracking, views
from carbonpeak.services.accounting import accounting_policy
from carbonpeak.services.plans import bundled_plan_path, read_plan


def test_two_counties_with_the_same_data_pool_to_that_countys_own_figure_and_light(sqlite_demo_ro):
    ctx = views.context(sqlite_demo_ro)
    words = accounting_policy(sqlite_demo_ro).words("zh")
    twins = [city_targets._County(code, name, ctx, words) for code, name in (("a", "甲县"), ("b", "乙县"))]
    plan = read_plan(bundled_plan_path("hunan"))[0]
    rule = BarometerRule()
    for year in (2023, 2024):
        for t in plan.targets:
            row = city_targets._target(plan, t, year, twins, rule, "zh")
            own = tracking.assess_target(ctx, city_targets._own(plan, t), year, rule, "zh")
            assert [c.actual for c in row.counties] == [own.actual, own.actual]
            assert row.actual is not None and row.withheld == ""
            assert round(row.actual, 9) == round(own.actual, 9), (t.id, year)
            assert row.light == own.light and row.why == own.why, (t.id, year)
    h03 = city_targets._target(plan, plan.targets[2], 2024, twins, rule, "zh")
    assert h03.light == "green" and h03.actual < -14  # 安化's energy intensity fell more than the province's 14 %


def test_counties_accounting_differently_are_not_pooled(sqlite_demo_ro):
    ctx = views.context(sqlite_demo_ro)
    plan = read_plan(bundled_plan_path("hunan"))[0]
    mixed = [city_targets._County("a", "甲县", ctx, "当量值"), city_targets._County("b", "乙县", ctx, "等价值")]
    row = city_targets._target(plan, plan.targets[0], 2024, mixed, BarometerRule(), "zh")
    assert row.actual is None and row.light == "grey" and row.withheld.startswith("各县核算口径不同")
    assert all(c.actual is not None for c in row.counties)  # each county is still rated on its own


def test_a_county_without_the_figure_withholds_the_pooled_one_naming_it(sqlite_demo_ro):
    ctx = views.context(sqlite_demo_ro)
    words = accounting_policy(sqlite_demo_ro).words("zh")
    plan = read_plan(bundled_plan_path("hunan"))[0]
    counties = [city_targets._County("a", "甲县", ctx, words), city_targets._County("b", "乙县", None, "")]
    row = city_targets._target(plan, plan.targets[0], 2024, counties, BarometerRule(), "zh")
    assert row.actual is None and row.light == "grey" and row.withheld == "缺少数据：乙县"
    assert row.counties[1].light == "grey" and row.counties[1].why == "尚未载入规划"
    early = city_targets._target(plan, plan.targets[2], 2019, counties[:1], BarometerRule(), "en")
    assert early.actual is None and early.withheld == "no data: 甲县"  # 2019: before the demo's data
