"""Units: the project registry, Chinese statistical units, refusals, round trips."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from carbonpeak.domain.units import UnitError, conversion_factor, parse_unit


@pytest.mark.parametrize("src,dst,factor", [
    ("万吨", "t", 1e4), ("吨", "kg", 1e3), ("万kWh", "kWh", 1e4), ("万千瓦时", "kWh", 1e4), ("亿千瓦时", "万kWh", 1e4),
    ("万m³", "m3", 1e4), ("万Nm3", "m3", 1e4), ("亿元", "万元", 1e4), ("tce", "kgce", 1e3),
    # GB/T 2589-2020 §3: 1 kgce = 29 307.6 kJ, so 1 tce = 29.3076 GJ
    ("tce", "GJ", 29.3076), ("万吨标准煤", "tce", 1e4), ("kgce/kg", "kgce/t", 1e3),
    ("GJ/10^4 Nm3", "GJ/m3", 1e-4), ("kgCO2/kWh", "tCO2/kWh", 1e-3), ("%", "1", 0.01), ("tC/TJ", "tC/GJ", 1e-3),
    ("ｔ", "t", 1.0),  # full-width letters are folded
    ("km2", "hectare", 100.0), ("平方公里", "公顷", 100.0), ("km2", "m2", 1e6),  # not a kilo-prefixed "m2"
])
def test_conversion_factors(src, dst, factor):
    assert conversion_factor(src, dst) == pytest.approx(factor, rel=1e-12)


def test_standard_coal_definition_in_kcal():
    # 7 000 kcal (thermochemical calorie, 4.184 J) is 29 288 kJ; GB/T 2589 uses the IT calorie
    # (4.1868 J): 7 000 × 4.1868 = 29 307.6 kJ exactly.
    assert conversion_factor("kgce", "kJ") == pytest.approx(7000 * 4.1868, rel=1e-12)


@pytest.mark.parametrize("src,dst", [("万吨", "m3"), ("tce", "t"), ("kWh", "t"), ("亿元", "t"), ("t", "亿元")])
def test_dimension_mismatch_is_an_error(src, dst):
    with pytest.raises(UnitError, match="cannot be converted"):
        conversion_factor(src, dst)


@pytest.mark.parametrize("bad", ["斤", "", "  ", "2 t", "t**", "桶", "kgcee"])
def test_unknown_units_are_errors_not_guesses(bad):
    with pytest.raises(UnitError):
        parse_unit(bad)


UNITS = ["t", "万吨", "kg", "千克"]


@given(st.floats(min_value=0, max_value=1e12, allow_nan=False), st.sampled_from(UNITS), st.sampled_from(UNITS))
def test_round_trip(x, a, b):
    there = x * conversion_factor(a, b)
    back = there * conversion_factor(b, a)
    assert math.isclose(back, x, rel_tol=1e-12, abs_tol=1e-12)
