"""Peak detection (domain/peaks.py): hand-made series with literal expectations, the statistics over
draws, the texts printed beside the figures."""

from __future__ import annotations

import numpy as np
import pytest

from carbonpeak.domain.peaks import peaks, rule_text, summary, year_text

YEARS = np.arange(2030, 2036)  # horizon 2035
NOT = None  # not peaked by the horizon


def peak_of(row, tolerance=0.01, years=YEARS, history=None, window=5):
    pk = peaks(np.array([row], dtype=float), years, tolerance, history, window)
    y = pk.peak_year[0]
    return None if np.isnan(y) else int(y)


@pytest.mark.parametrize(("row", "expected"), [
    ([1.0, 2.0, 3.0, 4.0, 5.0, 6.0], NOT),          # monotone rise
    ([3.0, 2.5, 2.0, 2.5, 3.0, 3.3], NOT),          # dip, then a rise above the earlier maximum to the horizon
    ([3.0, 2.5, 2.0, 2.8, 3.3, 3.1], 2034),         # dip, rise above the earlier maximum, then decline
    ([1.0, 2.0, 3.0, 2.99, 2.985, 2.99], 2032),     # plateau within 1 % of the maximum to the horizon
    ([1.0, 3.0, 3.02, 2.9, 2.8, 2.7], 2031),        # a bump within 1 % does not move the peak
    ([1.0, 2.0, 3.0, 2.99, 3.0, 3.1], NOT),         # plateau that then rises (a new maximum in 2035)
    ([1.0, 3.0, 2.95, 2.9, 2.92, 2.94], NOT),       # plateau band left, climbing back by > 1 % of M in 2035
    ([1.0, 1.5, 1.2, 1.1, 1.0, 1.6], NOT),          # peak in the last year
    ([1.0, 2.0, 3.0, 2.0, 1.0, 3.0], NOT),          # back at the maximum only in the last year
    ([3.0, 2.0, 1.0, 2.0, 2.5, 2.98], NOT),         # back into the band only in the last year
    ([1.0, 3.0, 2.0, 1.5, 1.0, 0.9], 2031),         # clear peak, then decline
    ([3.0, 2.0, 2.98, 2.5, 2.0, 1.9], 2032),        # a return to the peak level moves the peak to the return
    ([3.0, 2.5, 2.4, 2.5, 2.98, 2.99], NOT),        # back into the band and still going up in 2035
    ([2.0, 2.0, 2.0, 2.0, 2.0, 2.0], 2030),         # flat: a plateau from the first year
])
def test_hand_made_series(row, expected):
    assert peak_of(row) == expected


HIST = {2020: 1.600, 2021: 1.635, 2022: 1.519, 2023: 1.482}  # a 2021 high, then a dip
PROJ_YEARS = np.arange(2024, 2036)


@pytest.mark.parametrize(("row", "expected"), [
    # a higher rise in the 2030s to the horizon: the 2021 high is no peak
    (np.linspace(1.44, 1.73, 12), NOT),
    # rising through 2035 but still below 2021: not peaked (climbing back by 3 % of M)
    (np.linspace(1.42, 1.52, 12), NOT),
    # rising into the 1 % band of the 2021 high in 2034 and 2035, still rising: not peaked
    ([1.47, 1.48, 1.48, 1.49, 1.56, 1.57, 1.58, 1.59, 1.60, 1.61, 1.621, 1.633], NOT),
    # a higher rise to 2032, then a decline: the peak is 2032
    ([1.44, 1.47, 1.50, 1.53, 1.56, 1.59, 1.62, 1.66, 1.68, 1.65, 1.62, 1.60], 2032),
    # the dip continues: 2021 stays the peak
    (np.linspace(1.47, 1.30, 12), 2021),
])
def test_a_historical_maximum_then_a_dip(row, expected):
    assert peak_of(row, years=PROJ_YEARS, history=HIST) == expected


STEP_THEN_PLATEAU = [1.44, 1.43, 1.42, 1.41, 1.48, 1.478, 1.479, 1.48, 1.481, 1.48, 1.481, 1.482]


def test_the_last_years_decide_whether_a_draw_still_rises():
    # a step up in 2028 (new boilers), then flat within 0.2 % for five years, below the 2021 high
    assert peak_of(STEP_THEN_PLATEAU, years=PROJ_YEARS, history=HIST) == 2021
    # the same step judged over twelve years: the 2027 low is in the window, 2035 is 4.5 % above it
    assert peak_of(STEP_THEN_PLATEAU, years=PROJ_YEARS, history=HIST, window=12) is NOT
    # a fall, then a rise of 1.8 % of M within the last five years: still rising
    falls_then_rises = [1.44, 1.43, 1.42, 1.41, 1.48, 1.50, 1.49, 1.48, 1.46, 1.47, 1.48, 1.49]
    assert peak_of(falls_then_rises, years=PROJ_YEARS, history=HIST) is NOT
    with pytest.raises(ValueError):
        peaks(np.array([STEP_THEN_PLATEAU]), PROJ_YEARS, 0.01, HIST, window=1)


def test_statistics_over_draws_count_not_peaked_as_later_than_the_horizon():
    rows = np.array([
        [1.0, 3.0, 2.0, 1.5, 1.0, 0.9],     # 2031
        [1.0, 2.0, 3.0, 2.9, 2.8, 2.7],     # 2032
        [1.0, 2.0, 3.0, 4.0, 5.0, 6.0],     # not peaked
        [1.0, 2.0, 3.0, 4.0, 5.0, 7.0],     # not peaked
        [1.0, 2.0, 3.0, 4.0, 5.0, 4.0],     # 2034
    ])
    pk = peaks(rows, YEARS, 0.01)
    assert pk.probability_not_peaked() == pytest.approx(0.4)
    assert pk.probability_by(2032) == pytest.approx(0.4) and pk.probability_by(2030) == 0.0
    assert pk.quantiles((10, 50, 70)) == {"p10": 2031, "p50": 2034, "p70": None}
    assert pk.median_peak_value() == pytest.approx(3.0)   # maxima of the peaked draws: 3, 3, 5
    most_rising = peaks(rows[[0, 2, 3]], YEARS, 0.01)
    assert most_rising.quantiles()["p50"] is None and most_rising.median_peak_value() is None


def test_tolerance_moves_the_plateau():
    row = [1.0, 3.0, 2.95, 2.9, 2.92, 2.935]
    assert peak_of(row, tolerance=0.01) is NOT         # 2035 is 1.2 % of M above the 2033 low
    assert peak_of(row, tolerance=0.05) == 2031        # all within 5 %: a plateau from 2031
    with pytest.raises(ValueError):
        peaks(np.array([row]), YEARS, -0.01)


def test_the_texts_beside_the_figures():
    assert year_text(None, 2035, "zh") == "未达峰（至2035年仍上升）"
    assert year_text(None, 2040, "en") == "not peaked (still rising in 2040)"
    assert year_text(2028, 2035, "zh") == "2028"
    assert "1%" in rule_text(0.01, 2035, "zh") and "2035" in rule_text(0.01, 2035, "zh")
    assert "plateau band" in rule_text(0.005, 2035, "en") and "0.5%" in rule_text(0.005, 2035, "en")
    assert "last 5 years" in rule_text(0.01, 2035, "en") and "最后7年" in rule_text(0.01, 2035, "zh", window=7)
    s = summary(peaks(np.array([[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]]), YEARS, 0.01))
    assert s["peak_year"] == {"p10": None, "p50": None, "p90": None} and s["p_not_peaked"] == 1.0
    assert s["peak_year_text"]["zh"]["p50"] == "未达峰（至2035年仍上升）" and s["p_peak_by_2030"] == 0.0
    assert s["peak_value_t"] is None and s["peak_rule"]["en"].startswith("Peak rule") and s["peak_window_years"] == 5
