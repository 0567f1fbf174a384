"""Ratios of several counties together (domain/pooled.py): pooled, never averaged."""

from __future__ import annotations

import pytest

from carbonpeak.domain.indicators import IndicatorValue
from carbonpeak.domain.pooled import POOLED, pooled_change, pooled_ratio


def _share(nf: float, total: float) -> IndicatorValue:
    return IndicatorValue("nonfossil_share", 2024, nf / total * 100, "%", "raw", "", {"nonfossil_tce": nf, "total_tce": total})


def _intensity(year: int, energy: float, gdp: float) -> IndicatorValue:
    return IndicatorValue("energy_intensity", year, energy / gdp, "tce/10^4 yuan", "assessment", "",
                          {"numerator": energy, "denominator": gdp})


def test_a_share_of_counties_is_their_summed_parts_not_the_mean_of_their_shares():
    # 10 of 100 and 90 of 100 000: 0.1 % apart from 10 %; the mean of the shares would say 5.05 %
    got = pooled_ratio([_share(10, 100), _share(90, 100_000)], POOLED["nonfossil_share"])
    assert got == pytest.approx(100 / 100_100 * 100)
    assert pooled_ratio([_share(10, 100), None], POOLED["nonfossil_share"]) is None  # a county missing: no pool
    assert pooled_ratio([], POOLED["nonfossil_share"]) is None


def test_an_intensity_change_of_counties_pools_each_year_then_takes_the_hunan_rounding():
    how = POOLED["energy_intensity_change_vs_base"]
    now = [_intensity(2024, 80, 200), _intensity(2024, 300, 1000)]
    base = [_intensity(2020, 90, 150), _intensity(2020, 310, 800)]
    # (380 / 1200) / (400 / 950) − 1 = −0.24792 → −0.2479 → −24.79 %
    assert pooled_change(now, base, how) == pytest.approx(-24.79)
    assert pooled_change(now, [_intensity(2020, 0, 150), _intensity(2020, 0, 800)], how) is None  # not positive
    assert pooled_change(now, [None, base[1]], how) is None
