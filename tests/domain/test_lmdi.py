"""LMDI: hand-worked cases and exactness (the effects sum to the total change)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from carbonpeak.domain.lmdi import additive, kaya, logmean


def test_logmean():
    assert logmean(np.array([2.0]), np.array([2.0]))[0] == 2.0
    assert logmean(np.array([np.e]), np.array([1.0]))[0] == pytest.approx((np.e - 1) / 1.0)


def test_hand_worked_two_factor_case():
    # V = a·b: a 2 → 4, b 10 → 15; V 20 → 60.
    # L(60, 20) = 40 / ln 3 = 36.4095...; effect a = L · ln 2 = 25.2372..., effect b = L · ln 1.5 = 14.7628...
    eff = additive({"a": 2.0, "b": 10.0}, {"a": 4.0, "b": 15.0})
    L = 40 / math.log(3)
    assert eff["a"] == pytest.approx(L * math.log(2), rel=1e-12)
    assert eff["b"] == pytest.approx(L * math.log(1.5), rel=1e-12)
    assert eff["a"] + eff["b"] == pytest.approx(40.0, rel=1e-12)


def test_kaya_sums_to_the_change():
    eff = kaya(1_600_000, 100, 2_400_000, 518_000, 1_440_000, 98, 2_970_000, 512_000)
    assert sum(eff.values()) == pytest.approx(1_440_000 - 1_600_000, rel=1e-10)
    assert eff["affluence"] > 0 and eff["energy_intensity"] < 0


def test_zero_in_one_state_converges():
    # a sector that did not exist at the start: its whole value is attributed, total stays exact
    eff = additive({"activity": np.array([10.0, 0.0]), "intensity": np.array([2.0, 3.0])},
                   {"activity": np.array([12.0, 5.0]), "intensity": np.array([2.0, 3.0])})
    assert sum(eff.values()) == pytest.approx((24 + 15) - 20, rel=1e-9)


pos = st.floats(min_value=1e-3, max_value=1e6, allow_nan=False)


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=1, max_value=6).flatmap(
    lambda n: st.tuples(*[st.lists(pos, min_size=n, max_size=n) for _ in range(6)])))
def test_exact_for_any_positive_data(data):
    a0, b0, c0, a1, b1, c1 = (np.array(x) for x in data)
    eff = additive({"a": a0, "b": b0, "c": c0}, {"a": a1, "b": b1, "c": c1})
    total = float(np.sum(a1 * b1 * c1) - np.sum(a0 * b0 * c0))
    assert sum(eff.values()) == pytest.approx(total, rel=1e-9, abs=1e-6 * max(1.0, np.sum(a0 * b0 * c0)))
