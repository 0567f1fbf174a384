"""Carbon dual control as plan data (the plan file's ``carbon_control`` section): the 15th-plan
targets, the annual values assigned, the budget settings. Part of the plan model (domain/plan.py)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class CarbonTarget:
    """A carbon dual-control target of the 15th plan period (十五五), entered as data: the plan's
    2030 value or the value the province and city assign (``status``: stated | assigned | illustrative)."""
    id: str
    name: str
    indicator: str  # co2_intensity_reduction (% fall vs base_year) | co2_total_cap (t CO2 in target_year)
    value: float
    unit: str
    base_year: int
    target_year: int
    status: str = "illustrative"
    source: str = ""


@dataclass(frozen=True)
class CarbonYearValue:
    """A value assigned for one year of the period (an annual intensity fall in %, a total in t CO2)."""
    year: int
    value: float
    source: str = ""
    status: str = "illustrative"


@dataclass(frozen=True)
class CarbonControl:
    """Carbon dual control (碳排放双控) as plan data: the 15th-plan targets, the annual values assigned,
    and the settings of the county budget (GDP growth, reserve, warning thresholds, who answers for
    which sector). Values not read in a document carry ``status: illustrative``."""
    base_year: int
    target_year: int
    targets: list[CarbonTarget]
    gdp_growth: list[float]  # per year after base_year, as fractions
    gdp_growth_source: str = ""
    base_gdp: float | None = None  # 10⁴ yuan, current = constant prices of base_year; None: the stored GDP
    base_co2_t: float | None = None  # None: the inventory, else the 以电折碳 estimate of base_year
    reserve: float = 0.05  # share of each year's budget kept for new projects
    yellow: float = 0.90
    red: float = 1.00
    assigned: list[CarbonYearValue] = field(default_factory=list)  # annual intensity falls assigned (%)
    sector_departments: dict[str, str] = field(default_factory=dict)  # sector (or its prefix) → department
    status: str = "illustrative"
    note: str = ""
