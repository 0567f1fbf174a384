"""Indicators of several counties together: a city's or province's targets rated on its counties.

A ratio of the counties together is pooled, never averaged: their numerators and their denominators
are summed, then divided (the non-fossil share: Σ non-fossil energy / Σ energy × 100; an intensity:
Σ energy or CO2 / Σ GDP at constant prices of one base year). A change against a reference year is
the pooled intensity of the year against the pooled intensity of the reference, on the Hunan rule
of the counties' own figures (ratio rounded to 4 decimals, domain/indicators.hunan_change). A county
without the figure leaves no pooled value (a partial pool would read as the whole's).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .indicators import IndicatorValue, hunan_change


@dataclass(frozen=True)
class Pooling:
    """How an indicator of a target is pooled: the ratio indicator whose inputs are summed."""
    ratio: str  # the county indicator carrying the numerator and denominator in its inputs
    numerator: str
    denominator: str
    scale: float
    change: bool  # the target's indicator is the change of the ratio against a reference year
    formula: tuple[str, str]  # zh, en


POOLED = {
    "nonfossil_share": Pooling("nonfossil_share", "nonfossil_tce", "total_tce", 100.0, False, (
        "Σ各县非化石能源 ÷ Σ各县能源消费 × 100", "Σ counties' non-fossil energy / Σ counties' energy × 100")),
    "energy_intensity_change_vs_base": Pooling("energy_intensity", "numerator", "denominator", 1.0, True, (
        "(Σ能耗 ÷ Σ不变价GDP)当年 ÷ (Σ能耗 ÷ Σ不变价GDP)基年 − 1",
        "(Σ energy / Σ constant-price GDP) of the year / the same of the base year − 1")),
    "co2_intensity_change_vs_base": Pooling("co2_intensity", "numerator", "denominator", 1.0, True, (
        "(ΣCO2 ÷ Σ不变价GDP)当年 ÷ (ΣCO2 ÷ Σ不变价GDP)基年 − 1",
        "(Σ CO2 / Σ constant-price GDP) of the year / the same of the base year − 1")),
}


def pooled_ratio(values: Sequence[IndicatorValue | None], how: Pooling) -> float | None:
    """The counties' ratio together; None when a county has none or the denominator is 0."""
    if not values or any(v is None or v.value is None for v in values):
        return None
    try:
        num = sum(float(v.inputs[how.numerator]) for v in values if v is not None)
        den = sum(float(v.inputs[how.denominator]) for v in values if v is not None)
    except (KeyError, TypeError):
        return None
    return num / den * how.scale if den else None


def pooled_change(now: Sequence[IndicatorValue | None], ref: Sequence[IndicatorValue | None],
                  how: Pooling) -> float | None:
    """The change [%] of the pooled ratio against the reference year's; None where either is
    missing or not positive (a change of a non-positive intensity has no meaning)."""
    cur, base = pooled_ratio(now, how), pooled_ratio(ref, how)
    if cur is None or base is None or cur <= 0 or base <= 0:
        return None
    return hunan_change(cur, base) * 100.0
