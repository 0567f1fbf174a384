"""The accounting policy: every choice the engine makes that is not in the data, as one value.

* electricity convention: 当量值 (calorific, 0.1229 kgce/kWh) or 等价值 (equivalent, the year's
  火电发电标准煤耗), GB/T 2589-2020;
* factor basis of feedstock (原料) lines: their carbon stays in the product (no combustion CO2), or
  the upper bound as if burnt (domain/feedstock.py);
* grid-year fallback: a data year without a published grid CO2 factor is refused (strict), or takes
  the nearest earlier published year (a year before the first publication takes the first one), and
  a warning finding names the year used;
* grid: the grid geography of electricity lines that state none (their ``grid`` column, or a region
  that is itself a grid geography, wins). Taken from the plan's province (its administrative code,
  GB/T 2260), never a literal.

Services decide the policy in one place (services/accounting.accounting_policy); the domain only
reads it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from .labels import CONVENTIONS, say


class ElectricityConvention(StrEnum):
    CALORIFIC = "calorific"  # 当量值
    EQUIVALENT = "equivalent"  # 等价值


class FactorBasis(StrEnum):
    """Which emission-factor basis feedstock (原料) lines take."""
    STORED = "stored"  # carbon stored in the product: no combustion CO2
    COMBUSTION = "combustion"  # full combustion CO2 as if burnt (an upper bound, for comparison)


class GridYearFallback(StrEnum):
    STRICT = "strict"  # a year without a grid factor is an input error
    NEAREST_EARLIER = "nearest_earlier"  # the latest published year before it (else the first published)


_LEGACY_FALLBACK = {"nearest": GridYearFallback.NEAREST_EARLIER}

# GB/T 2260 province-level codes (first two digits of an administrative code) → the short name the
# grid-factor tables use (生态环境部 国家统计局 电力二氧化碳排放因子 公告: 省级).
PROVINCES = {
    "11": "北京", "12": "天津", "13": "河北", "14": "山西", "15": "内蒙古", "21": "辽宁", "22": "吉林",
    "23": "黑龙江", "31": "上海", "32": "江苏", "33": "浙江", "34": "安徽", "35": "福建", "36": "江西",
    "37": "山东", "41": "河南", "42": "湖北", "43": "湖南", "44": "广东", "45": "广西", "46": "海南",
    "50": "重庆", "51": "四川", "52": "贵州", "53": "云南", "54": "西藏", "61": "陕西", "62": "甘肃",
    "63": "青海", "64": "宁夏", "65": "新疆",
}


def province_of(admin_code: str | None) -> str | None:
    """The province (short name) of a GB/T 2260 administrative code, None if it names none."""
    code = (admin_code or "").strip()
    return PROVINCES.get(code[:2]) if len(code) >= 2 and code[:2].isdigit() else None


@dataclass(frozen=True)
class AccountingPolicy:
    """How activity data is accounted. Strings are accepted and turned into the enums (so that
    ``AccountingPolicy(electricity_fallback="nearest")`` keeps working); an unknown one is a
    ValueError. ``grid`` "" = none stated: electricity lines must name their grid."""

    electricity_convention: ElectricityConvention = ElectricityConvention.CALORIFIC
    feedstock_co2: FactorBasis = FactorBasis.STORED
    electricity_fallback: GridYearFallback = GridYearFallback.STRICT
    grid: str = ""
    grid_source: str = ""  # where ``grid`` came from (e.g. "plan 安化县 430923"), for provenance

    def __post_init__(self) -> None:
        fallback = _LEGACY_FALLBACK.get(self.electricity_fallback, self.electricity_fallback)
        object.__setattr__(self, "electricity_convention", ElectricityConvention(self.electricity_convention))
        object.__setattr__(self, "feedstock_co2", FactorBasis(self.feedstock_co2))
        object.__setattr__(self, "electricity_fallback", GridYearFallback(fallback))
        object.__setattr__(self, "grid", (self.grid or "").strip())

    @property
    def default_grid(self) -> str:  # the former option's name
        return self.grid

    def words(self, lang: str = "zh") -> str:
        """Everything of the policy that changes a figure (its source apart), in words: what must
        agree before two counties' figures may be added (services/city.py)."""
        zh = lang == "zh"
        parts = [say(CONVENTIONS, self.electricity_convention.value, lang),
                 ("原料用能按碳储存" if zh else "feedstock carbon stored") if self.feedstock_co2 is FactorBasis.STORED
                 else ("原料用能按燃烧计" if zh else "feedstock as if burnt"),
                 ("缺年电网因子取最近较早年份" if zh else "missing grid year: nearest earlier")
                 if self.electricity_fallback is GridYearFallback.NEAREST_EARLIER
                 else ("电网因子须为当年" if zh else "grid year strict"),
                 (f"电网：{self.grid}" if zh else f"grid: {self.grid}") if self.grid else ""]
        return ("，" if zh else ", ").join(p for p in parts if p)

    def describe(self) -> dict[str, str]:
        """The policy as plain values, for outputs and provenance."""
        return {"electricity_convention": self.electricity_convention.value,
                "feedstock_co2": self.feedstock_co2.value,
                "grid_year_fallback": self.electricity_fallback.value,
                "grid": self.grid, "grid_source": self.grid_source}


def grid_year(published: Iterable[int], year: int, fallback: GridYearFallback) -> int | None:
    """The grid-factor year used for data ``year``: the year itself when published; under
    NEAREST_EARLIER the latest published year before it, or (a year before the first publication)
    the first published year; None when refused or nothing is published."""
    years = sorted(set(published))
    if year in years:
        return year
    if fallback is not GridYearFallback.NEAREST_EARLIER or not years:
        return None
    earlier = [y for y in years if y < year]
    return earlier[-1] if earlier else years[0]


FALLBACK_RULE = {
    GridYearFallback.NEAREST_EARLIER: "AccountingPolicy.electricity_fallback = nearest_earlier "
                                      "(latest published year before the data year; before the first, the first)",
}
