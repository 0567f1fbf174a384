"""The one barometer rule, branch by branch with literal numbers; assumed bases in the plan file."""

from __future__ import annotations

import dataclasses

import pytest
from paths import DATA

from carbonpeak.domain.plan import Target, check_plan
from carbonpeak.domain.tracking import BarometerRule, assess, baseline, expected_path
from carbonpeak.services.plans import bundled_plan_path, read_plan, store_plan, stored_plan

RULE = BarometerRule()
# 三（7）2 "新能源公共充电桩达到300个": a level target, no base value; base year = the plan's default 2020.
CHARGERS = Target(id="T43", name="充电桩", indicator="public_chargers", value=300, unit="个", direction=">=",
                  target_year=2025, base_year=2020)
# 三（6）2 "公共建筑节能改造5万平方米": base 2022 = 0 is the plan file's assumption.
RETROFIT = Target(id="T36", name="公建改造", indicator="public_building_retrofit_area", value=5, unit="万m2",
                  direction=">=", target_year=2025, base_year=2022, base_value=0, base_assumed=True,
                  base_note="方案未写起算年")
CAP = Target(id="C1", name="能耗总量上限", indicator="energy_total", value=500, unit="万tce", direction="<=",
             target_year=2025, base_year=2020)


def test_level_target_without_base_far_behind_is_red():
    """10 of 300 chargers in 2024: progress 10/300 = 3.3 % against 4/5 = 80 % of the time → ratio 0.042 → red
    (it used to stay yellow until 2025)."""
    st = assess(CHARGERS, 2024, 10, RULE)
    assert st.light == "red" and st.reason == "path"
    assert st.progress == pytest.approx(10 / 300) and st.elapsed == pytest.approx(0.8)
    assert st.ratio == pytest.approx(0.0417, abs=1e-4) and st.expected == pytest.approx(240)
    assert st.base.source == "zero"
    assert "完成进度3.3%" in st.why and "时序进度80.0%" in st.why and st.why.endswith("→ 红")


@pytest.mark.parametrize("actual,light", [
    (240, "green"),     # 240/300 = 80 % = the time elapsed: ratio exactly 1.0
    (239.9, "yellow"),
    (192, "yellow"),    # 192/300 = 64 % = 0.8 × 80 %: exactly on the yellow edge
    (191.9, "red"),
    (300, "green"),     # reached early
])
def test_level_target_without_base_band_edges(actual, light):
    assert assess(CHARGERS, 2024, actual, RULE).light == light


def test_level_target_with_base_zero_in_2022_runs_from_its_base():
    """Base 2022 = 0, target 5 in 2025; in 2024 two thirds of the time is gone: the path is 3.33."""
    st = assess(RETROFIT, 2024, 3.1, RULE)
    assert st.elapsed == pytest.approx(2 / 3) and st.expected == pytest.approx(10 / 3)
    assert st.progress == pytest.approx(0.62) and st.ratio == pytest.approx(0.93) and st.light == "yellow"
    assert assess(RETROFIT, 2024, 10 / 3, RULE).light == "green"   # on the path: ratio 1.0
    assert assess(RETROFIT, 2024, 8 / 3, RULE).light == "yellow"   # ratio exactly 0.8
    assert assess(RETROFIT, 2024, 2.6, RULE).light == "red"        # ratio 0.78
    assert expected_path(RETROFIT, baseline(RETROFIT)) == [
        (2022, 0.0), (2023, pytest.approx(5 / 3)), (2024, pytest.approx(10 / 3)), (2025, 5.0)]


def test_an_assumed_base_is_said_so():
    st = assess(RETROFIT, 2024, 3.1, RULE)
    assert st.base.source == "plan_assumed" and "基期为假设：方案未载明" in st.why
    assert "assumed base: not stated in the plan" in assess(RETROFIT, 2024, 3.1, RULE, lang="en").why
    stated = dataclasses.replace(RETROFIT, base_assumed=False)
    assert assess(stated, 2024, 3.1, RULE).base.source == "plan" and "假设" not in assess(stated, 2024, 3.1, RULE).why


def test_cap_target():
    # over its cap before the target year: with a base that was within the cap, red; with no base
    # at all (the 0 taken for want of one "meets" any cap), nothing can be judged: grey
    assert assess(CAP, 2023, 520, RULE, base_actual=480).light == "red"
    assert assess(CAP, 2023, 520, RULE, base_actual=480).reason == "hold_missed"
    assert assess(CAP, 2023, 520, RULE).light == "grey" and assess(CAP, 2023, 520, RULE).reason == "no_base"
    assert "无法判断进度" in assess(CAP, 2023, 520, RULE).why
    assert assess(CAP, 2023, 500, RULE).light == "green"      # exactly at the cap: not exceeded
    assert assess(CAP, 2023, 480, RULE).reason == "already_met"
    assert assess(CAP, 2025, 501, RULE).light == "red"        # target year: missed
    assert expected_path(CAP, baseline(CAP)) == [(y, 500) for y in range(2020, 2026)]  # flat at the cap


def test_level_target_coming_down_from_a_base_above_it():
    """'≤ 500' from an observed 600 in 2020: in 2023 the path is 540 (3/5 of the way)."""
    assert assess(CAP, 2023, 540, RULE, base_actual=600).light == "green"    # ratio 1.0
    assert assess(CAP, 2023, 552, RULE, base_actual=600).light == "yellow"   # progress 0.48, ratio 0.8
    assert assess(CAP, 2023, 560, RULE, base_actual=600).light == "red"      # ratio 0.667
    assert assess(CAP, 2023, 560, RULE, base_actual=600).base.source == "observed"


def test_share_target_whose_base_already_met_it_then_fell_back_is_red():
    share = Target(id="S", name="非化石占比", indicator="nonfossil_share", value=22, unit="%", direction=">=",
                   target_year=2025, base_year=2020)
    assert assess(share, 2023, 21.0, RULE, base_actual=25.0).light == "red"
    assert assess(share, 2023, 20.4, RULE, base_actual=18.0).light == "green"  # 2.4/4 = 0.6 of the way in 0.6 of the time


def test_change_target_met_early_is_green_and_behind_is_red():
    change = Target(id="T02", name="能耗强度", indicator="energy_intensity_change_vs_base", value=-14.5, unit="%",
                    direction="<=", target_year=2025, base_year=2020, kind="change")
    assert assess(change, 2024, -20.0, RULE).reason == "already_met"
    st = assess(change, 2024, -5.8, RULE)  # 40 % of the way in 80 % of the time
    assert st.light == "red" and st.ratio == pytest.approx(0.5) and st.base.source == "change"


def test_grey_branches():
    assigned = dataclasses.replace(CHARGERS, value=None, value_status="assigned")
    assert (assess(assigned, 2024, 250, RULE).light, assess(assigned, 2024, 250, RULE).reason) == ("grey", "value_not_assigned")
    assert assess(assigned, 2024, 250, RULE).why == "目标值待下达 → 灰"
    st = assess(CHARGERS, 2024, None, RULE)
    assert (st.light, st.reason, st.why) == ("grey", "no_data", "2024年无实际值 → 灰")
    assert assess(RETROFIT, 2022, 1.0, RULE).reason == "base_year"  # nothing due in the base year
    assert assess(CHARGERS, 2019, 50, RULE).light == "grey"          # nor before it
    no_base_year = dataclasses.replace(CHARGERS, base_year=None)
    assert assess(no_base_year, 2024, 10, RULE).reason == "no_base_year"
    assert assess(no_base_year, 2024, 300, RULE).light == "green"


def test_target_year_decides_for_a_level_target_without_base():
    assert assess(CHARGERS, 2025, 299, RULE).light == "red"
    assert assess(CHARGERS, 2026, 300, RULE).reason == "target_year_met"


def test_one_rule_text_names_every_branch_and_the_bands():
    zh, en = RULE.text("zh"), RULE.text("en")
    for word in ("待下达", "无实际值", "强度同比上升", "目标年", "上限", "时序进度×100%", "时序进度×80%", "基期值", "取0"):
        assert word in zh, word
    for word in ("to be assigned", "cap", "100% × time elapsed", "80% × time elapsed", "else 0"):
        assert word in en, word
    assert "90%" in BarometerRule(green_min=0.9).text("zh")
    assert assess(CHARGERS, 2024, 10, RULE).rule == zh  # every light carries the same stated rule


# --- the plan file: assumed bases ----------------------------------------------------------------

@pytest.fixture(scope="module")
def anhua():
    return read_plan(bundled_plan_path())[0]


def test_anhua_bases_the_plan_does_not_state_are_marked(anhua):
    invented = {t.id for t in anhua.targets if t.base_value is not None and t.kind == "level"}
    assumed = {t.id for t in anhua.targets if t.base_assumed}
    assert invented == {"T20", "T21", "T22", "T23", "T36", "T37"}
    # change targets whose base year the plan does not state (三（10）3 "零增长": base 2022 assumed)
    assert assumed == invented | {"T60", "T61"}
    assert all(t.base_note for t in anhua.targets if t.base_assumed)
    found = {f.params["id"] for f in check_plan(anhua) if f.code == "plan.base_assumed"}
    assert found == assumed


def test_a_plan_without_the_fields_loads_and_has_no_assumption():
    plan, _ = read_plan(DATA / "other_county.yaml")
    assert not any(t.base_assumed or t.base_note for t in plan.targets)


def test_assumed_base_survives_the_database(platform):
    plan, sha = read_plan(bundled_plan_path())
    store_plan(platform, plan, sha, "bundled", "a")
    back = {t.id: t for t in stored_plan(platform).targets}
    assert back["T21"].base_assumed is True and "2022" in back["T21"].base_note
    assert back["T01"].base_assumed is False and back["T01"].base_note == ""
