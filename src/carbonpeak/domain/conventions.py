"""Indicator conventions: how electricity is valued in a share, and which assessment rule applies.

* **Electricity convention** of the non-fossil share. The official statistics (国家统计局,
  非化石能源消费比重) value primary electricity by the coal-equivalent method (发电煤耗计算法):
  each kWh at the year's national average standard-coal consumption of thermal power
  *generation* (火电发电标准煤耗, kgce/kWh), the convention named ``equivalent`` (等价值,
  GB/T 2589-2020 3.3). The alternative ``calorific`` (当量值) values each kWh at its heat
  content, 0.1229 kgce/kWh. Both apply to all consumed electricity, so a share is
  (non-fossil direct + kWh × non-fossil fraction × c) / (energy without electricity + kWh × c).
* **Assessment rules** (考核口径) are versioned data (refdata table ``assessment_rules``): each
  rule is valid for a range of assessment years and says whether feedstock energy is deducted
  and whether non-fossil energy is excluded. A series assessed in year A is computed on the
  rule of A in every year, the base year included, so that its changes compare like with like.
* **The grid's non-fossil fraction** of electricity a county imports (factor kind
  ``electricity_mix``, parameter ``nonfossil_fraction``, geography = the accounting policy's grid):
  no value ships (none is confirmed); a county stores its grid's published figure with its source
  (factor_overrides). The year is chosen as the grid factor's, by the policy's grid-year fallback.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

from .factors import FactorSet
from .policy import GridYearFallback, grid_year

CALORIFIC = "calorific"  # 当量值
EQUIVALENT = "equivalent"  # 等价值 = 发电煤耗计算法, the official basis of the non-fossil share
OFFICIAL_SHARE_CONVENTION = EQUIVALENT
CALORIFIC_KGCE_PER_KWH = 0.1229  # GB/T 2589-2020 附录A, 3 600 kJ/kWh (factor SC-100)
CONVENTION_TEXT = {
    EQUIVALENT: ("发电煤耗计算法（等价值，官方统计口径）", "coal-equivalent method (等价值, official statistics)"),
    CALORIFIC: ("电热当量计算法（当量值）", "calorific equivalent (当量值)"),
}


@dataclass(frozen=True)
class YearFactor:
    """One year's value of a factor and where it comes from: the national average 火电发电标准煤耗
    [kgce/kWh] (``CoalRate``), a grid's non-fossil fraction of electricity [0–1] (``GridMix``)."""
    year: int
    value: float
    factor_id: str = ""
    status: str = "unverified"
    source: str = ""


CoalRate = GridMix = YearFactor


@dataclass(frozen=True)
class AssessmentRule:
    rule_id: str
    valid_from: int
    valid_to: int | None
    deduct_feedstock: bool
    exclude_nonfossil: bool
    documents: tuple[str, ...] = ()

    def covers(self, year: int) -> bool:
        return self.valid_from <= year and (self.valid_to is None or year <= self.valid_to)

    def formula(self) -> str:
        return "total" + (" − feedstock" if self.deduct_feedstock else "") + \
            (" − non-fossil" if self.exclude_nonfossil else "")

    def text(self, lang: str = "zh") -> str:
        """What the rule deducts, with its rule id, e.g. 考核口径 ASSESS-2024：扣除原料用能、非化石能源."""
        parts_zh = [p for p, on in (("原料用能", self.deduct_feedstock), ("非化石能源", self.exclude_nonfossil)) if on]
        parts_en = [p for p, on in (("feedstock", self.deduct_feedstock), ("non-fossil energy", self.exclude_nonfossil))
                    if on]
        if lang == "en":
            return f"assessment rule {self.rule_id}: " + ("deducts " + " and ".join(parts_en) if parts_en
                                                          else "nothing deducted")
        return f"考核口径 {self.rule_id}：" + ("扣除" + "、".join(parts_zh) if parts_zh else "不扣除")


@dataclass(frozen=True)
class RuleBook:
    rules: tuple[AssessmentRule, ...]

    def for_year(self, year: int) -> AssessmentRule | None:
        """The rule in force for the assessment of ``year`` (None before the first one)."""
        return next((r for r in self.rules if r.covers(year)), None)


# The shipped rule sets (refdata/tables/assessment_rules/NDRC.r1.csv; tests/services/accounting/test_conventions.py
# keeps the two equal). Used when a caller passes no conventions.
BUILTIN_RULES = RuleBook((
    AssessmentRule("ASSESS-13FYP", 2016, 2020, False, False, ("国发〔2016〕74号",)),
    AssessmentRule("ASSESS-14FYP", 2021, 2023, True, False, ("发改环资〔2022〕803号", "发改运行〔2022〕1258号")),
    AssessmentRule("ASSESS-2024", 2024, None, True, True, ("发改环资〔2022〕803号", "发改环资〔2024〕113号")),
))


@dataclass(frozen=True)
class IndicatorConventions:
    """What the indicators need beside the accounted lines: per-year coal rates for the official
    share, the rule book, and the assessment year of the series (None: the latest data year)."""
    coal_rates: Mapping[int, CoalRate] = field(default_factory=dict)
    rules: RuleBook = BUILTIN_RULES
    assessment_year: int | None = None
    calorific_kgce_per_kwh: float = CALORIFIC_KGCE_PER_KWH
    grid_mix: Mapping[int, GridMix] = field(default_factory=dict)  # by published year
    grid_fallback: GridYearFallback = GridYearFallback.STRICT

    def import_mix(self, year: int) -> GridMix | None:
        """The grid's non-fossil fraction for electricity imported in ``year`` (None: none)."""
        used = grid_year(self.grid_mix, year, self.grid_fallback)
        return self.grid_mix.get(used) if used is not None else None

    def kgce_per_kwh(self, convention: str, year: int) -> float | None:
        if convention == CALORIFIC:
            return self.calorific_kgce_per_kwh
        rate = self.coal_rates.get(year)
        return rate.value if rate is not None else None


def share_at(direct_nonfossil_tce: float, other_tce: float, kwh: float, nonfossil_fraction: float | None,
             kgce_per_kwh: float | None) -> tuple[float | None, float | None, float | None]:
    """(non-fossil tce, total tce, share %) with consumed electricity at ``kgce_per_kwh``.

    ``other_tce`` is all energy but electricity; ``nonfossil_fraction`` the non-fossil part of the
    consumed electricity (None: not known, the share is NE)."""
    if kgce_per_kwh is None or (kwh and nonfossil_fraction is None):
        return None, None, None
    nf, total = share_terms(direct_nonfossil_tce, other_tce, kwh, nonfossil_fraction or 0.0, kgce_per_kwh)
    return nf, total, (nf / total * 100.0 if total else None)


def share_terms(direct_nonfossil_tce, other_tce, kwh, nonfossil_fraction, kgce_per_kwh):
    """(non-fossil tce, total tce) of :func:`share_at`, elementwise (numbers or numpy arrays)."""
    elec = kwh * kgce_per_kwh / 1000.0
    return direct_nonfossil_tce + elec * nonfossil_fraction, other_tce + elec


def electricity_coefficients(factors: FactorSet, convention: str) -> tuple[str, pd.DataFrame]:
    """For the accounting engine: the parameter named in messages and the rows it picks a
    year's electricity coefficient from (a year's own row first, else the year-less one).
    等价值: a year's ``coefficient_equivalent`` row (a factor set), else the year's 火电发电标准煤耗
    (kind primary_electricity_coal), else the year-less lead."""
    if convention == CALORIFIC:
        return "coefficient_calorific", factors.of_kind("standard_coal", "coefficient_calorific")
    eq = factors.of_kind("standard_coal", "coefficient_equivalent")
    rates = factors.of_kind("primary_electricity_coal", "coal_rate")
    return "coefficient_equivalent", pd.concat([eq[eq["year"].notna()], rates, eq[eq["year"].isna()]])
