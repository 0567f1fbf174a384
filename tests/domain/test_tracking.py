"""Barometer rule: every band edge, level and change targets, NDRC intensity rule, no data."""

from __future__ import annotations

import pytest

from carbonpeak.domain.plan import Target
from carbonpeak.domain.tracking import BarometerRule, assess

CHANGE = Target(id="T02", name="能耗强度下降", indicator="energy_intensity_change_vs_base", value=-14.5, unit="%",
                direction="<=", target_year=2025, base_year=2020, kind="change")
LEVEL = Target(id="T01", name="非化石占比", indicator="nonfossil_share", value=22.0, unit="%", direction=">=",
               target_year=2025, base_year=2020)
RULE = BarometerRule()


@pytest.mark.parametrize("actual,light", [
    (-11.6, "green"),     # exactly on the 2024 path (4/5 of −14.5): ratio 1.0
    (-11.599, "yellow"),  # just behind the path
    (-9.28, "yellow"),    # ratio exactly 0.8
    (-9.279, "red"),      # just below 0.8
    (-20.0, "green"),
])
def test_change_target_band_edges(actual, light):
    assert assess(CHANGE, 2024, actual, RULE).light == light


def test_expected_value_is_the_time_elapsed_path():
    st = assess(CHANGE, 2023, -9.0, RULE)
    assert st.expected == pytest.approx(-14.5 * 3 / 5) and st.elapsed == pytest.approx(0.6)


def test_intensity_rise_forces_red_ndrc_level_1():
    assert assess(CHANGE, 2024, -20.0, RULE, yoy_change=0.5).light == "red"
    assert assess(CHANGE, 2024, -20.0, BarometerRule(intensity_rise_is_red=False), yoy_change=0.5).light == "green"


def test_level_target_with_observed_base():
    # base 18 % in 2020, target 22 % in 2025; in 2023 the path is 20.4 %
    assert assess(LEVEL, 2023, 20.4, RULE, base_actual=18.0).light == "green"
    assert assess(LEVEL, 2023, 20.0, RULE, base_actual=18.0).light == "yellow"  # ratio 2/2.4 = 0.833
    assert assess(LEVEL, 2023, 19.0, RULE, base_actual=18.0).light == "red"


def test_level_already_met_is_green_even_above_a_high_base():
    assert assess(LEVEL, 2022, 30.0, RULE, base_actual=28.0).light == "green"


def test_target_year_decides():
    assert assess(LEVEL, 2025, 22.0, RULE, base_actual=18.0).light == "green"
    assert assess(LEVEL, 2025, 21.9, RULE, base_actual=18.0).light == "red"


def test_about_targets_have_a_tolerance():
    about = Target(id="T04", name="约25%", indicator="nonfossil_share", value=25.0, unit="%", direction="~>=",
                   target_year=2030, base_year=2020)
    assert assess(about, 2030, 24.6, RULE).light == "green"   # within 2 % of 25
    assert assess(about, 2030, 24.4, RULE).light == "red"


def test_grey_when_no_value_or_no_data():
    assigned = Target(id="T03", name="碳强度", indicator="co2_intensity_change_vs_base", value=None, unit="%",
                      direction="<=", target_year=2025, base_year=2020, kind="change", value_status="assigned")
    assert assess(assigned, 2024, -10.0, RULE).reason == "value_not_assigned"
    assert assess(LEVEL, 2024, None, RULE).light == "grey"


def test_configurable_bands_and_rule_text():
    lenient = BarometerRule(green_min=0.9, yellow_min=0.5)
    assert assess(CHANGE, 2024, -10.5, lenient).light == "green"   # ratio 0.905
    assert "90%" in lenient.text("zh") and "50%" in lenient.text("en")
