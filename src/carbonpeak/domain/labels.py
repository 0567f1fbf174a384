"""The reader's words for the report: names of indicators, bases, units, statuses, project types
and factor parameters in Chinese (and English), and numbers rounded the way statistics print them.

Nothing here computes a figure: it only says and rounds what the services found. The reports
(services/reports), the monitoring findings and the target-source rule texts share it; it lives in
the domain, below all of them, so that none needs another capability's module for a word.
"""

from __future__ import annotations

from typing import Any

Pair = tuple[str, str]

INDICATORS: dict[str, Pair] = {
    "energy_total": ("能源消费总量", "Total energy consumption"), "co2_total": ("二氧化碳排放量", "CO2 emissions"),
    "energy_intensity": ("单位地区生产总值能耗", "Energy intensity"),
    "energy_intensity_change_vs_base": ("单位地区生产总值能耗较基期变化", "Energy intensity vs base year"),
    "nonfossil_share": ("非化石能源消费比重", "Non-fossil share of energy"),
    "net_emissions": ("净排放量（扣除森林碳汇）", "Net emissions (after forest sink)"),
    "renewable_share_local_generation": ("可再生能源发电占比", "Renewable share of local generation"),
    "gdp_constant": ("地区生产总值（不变价）", "GDP at constant prices"),
    "nonfossil_energy": ("非化石能源消费量", "Non-fossil energy"),
    "co2_intensity": ("单位地区生产总值二氧化碳排放", "CO2 intensity"),
    "co2_intensity_change_vs_base": ("单位地区生产总值二氧化碳排放较基期变化", "CO2 intensity vs base year"),
    "energy_intensity_change_yoy": ("单位地区生产总值能耗较上年变化", "Energy intensity vs previous year"),
    "co2_intensity_change_yoy": ("单位地区生产总值二氧化碳排放较上年变化", "CO2 intensity vs previous year"),
}
BASES: dict[str, Pair] = {"raw": ("统计口径", "statistical"), "assessment": ("考核口径", "assessment basis"),
                          "territorial": ("属地口径", "territorial"), "with_electricity": ("含电力调入调出", "with electricity"),
                          "": ("—", "—")}
CONVENTIONS: dict[str, Pair] = {"calorific": ("当量值", "calorific"), "equivalent": ("等价值", "coal equivalent"), "": ("—", "—")}
UNITS: dict[str, Pair] = {
    "tce": ("吨标准煤", "tce"), "tCO2": ("吨二氧化碳", "tCO2"), "t": ("吨", "t"), "tCO2/yr": ("吨二氧化碳/年", "tCO2/yr"),
    "tce/10^4 yuan": ("吨标准煤/万元", "tce per 10⁴ yuan"), "tCO2/10^4 yuan": ("吨二氧化碳/万元", "tCO2 per 10⁴ yuan"),
    "%": ("%", "%"), "10^4 yuan": ("万元", "10⁴ yuan"), "GJ/t": ("吉焦/吨", "GJ/t"), "GJ/10^4 Nm3": ("吉焦/万立方米", "GJ/10⁴ Nm³"),
    "tC/GJ": ("吨碳/吉焦", "tC/GJ"), "1": ("", ""), "kgce/kWh": ("千克标准煤/千瓦时", "kgce/kWh"),
    "kgce/kg": ("千克标准煤/千克", "kgce/kg"), "kgce/m3": ("千克标准煤/立方米", "kgce/m³"),
    "tCO2/t": ("吨二氧化碳/吨", "tCO2/t"), "kgCO2/kWh": ("千克二氧化碳/千瓦时", "kgCO2/kWh"), "t/m3": ("吨/立方米", "t/m³"),
    "ha": ("公顷", "ha"), "km2": ("平方千米", "km²"), "km": ("千米", "km"), "年": ("年", "year"), "万m2": ("万平方米", "10⁴ m²"), "kWh/(m²·a)": ("千瓦时/(平方米·年)", "kWh/(m²·a)"),
    "kgce/t": ("千克标准煤/吨", "kgce/t"),
}
PARAMETERS: dict[str, Pair] = {
    "lcv": ("低位发热量", "net calorific value"), "carbon_content": ("单位热值含碳量", "carbon content per GJ"),
    "oxidation_rate": ("碳氧化率", "oxidation rate"), "coefficient": ("折标准煤系数", "standard-coal coefficient"),
    "coefficient_calorific": ("电力折标系数（当量值）", "electricity coefficient (calorific)"),
    "grid_average": ("电网平均排放因子", "grid average emission factor"), "process_factor": ("工业过程排放因子", "process emission factor"),
    "wood_density": ("基本木材密度", "basic wood density"), "bef": ("生物量扩展因子", "biomass expansion factor"),
    "root_shoot": ("根茎比", "root-to-shoot ratio"), "carbon_fraction": ("含碳率", "carbon fraction"),
}
FACTOR_STATUS: dict[str, Pair] = {"confirmed": ("已核实", "confirmed"), "single_source": ("单一来源，待复核", "single source"),
                                  "unverified": ("未经核实", "unverified")}
SEVERITY: dict[str, Pair] = {"warning": ("提示", "warning"), "error": ("错误", "error"), "info": ("说明", "note")}
LIGHTS: dict[str, Pair] = {"green": ("绿灯", "green"), "yellow": ("黄灯", "yellow"), "red": ("红灯", "red"),
                           "grey": ("无数据", "no data")}
TASK_STATES: dict[str, Pair] = {"done": ("已完成", "done"), "in_progress": ("推进中", "in progress"),
                                "not_started": ("未开始", "not started"), "late": ("滞后", "late")}
PROJECT_STATUSES: dict[str, Pair] = {"planned": ("计划", "planned"), "under_construction": ("在建", "under construction"),
                                     "completed": ("已建成", "completed"), "delayed": ("延期", "delayed"),
                                     "cancelled": ("取消", "cancelled")}
PROJECT_TYPES: dict[str, Pair] = {
    "aviation": ("通用航空", "aviation"), "biomass_power": ("生物质发电", "biomass power"), "building": ("建筑", "buildings"),
    "building_management": ("建筑能耗管理", "building energy management"), "building_retrofit": ("建筑节能改造", "building retrofit"),
    "carbon_sink": ("碳汇", "carbon sinks"), "central_heating": ("集中供热", "central heating"), "charging": ("充电设施", "charging"),
    "clean_production": ("清洁生产", "cleaner production"), "digital": ("数字化", "digital"),
    "ecological_protection": ("生态保护", "ecological protection"), "ecological_restoration": ("生态修复", "ecological restoration"),
    "energy_efficiency": ("节能增效", "energy efficiency"), "forestry": ("林业", "forestry"), "gas_network": ("燃气管网", "gas network"),
    "gas_pipeline": ("天然气管道", "gas pipeline"), "greening": ("国土绿化", "greening"), "grid": ("电网", "grid"),
    "industrial_upgrade": ("产业升级", "industrial upgrade"), "logistics": ("物流", "logistics"), "monitoring": ("监测能力", "monitoring"),
    "new_materials": ("新材料", "new materials"), "pollution_control": ("污染治理", "pollution control"),
    "pumped_storage": ("抽水蓄能", "pumped storage"), "pv": ("光伏发电", "solar PV"), "road": ("道路", "roads"),
    "smart_transport": ("智慧交通", "smart transport"), "solid_waste": ("固体废物利用", "solid waste"), "storage": ("储能", "storage"),
    "tea_low_carbon": ("低碳茶产业", "low-carbon tea"), "tourism_low_carbon": ("低碳旅游", "low-carbon tourism"),
    "waste": ("废弃物处理", "waste"), "wind": ("风力发电", "wind power"),
}
UNIT_CATEGORIES: dict[str, Pair] = {"online": ("在线监测", "online metering"), "supervision": ("重点监察", "supervision"),
                                    "reporting": ("报表报送", "reporting")}
UPLOAD_KINDS: dict[str, Pair] = {  # the data files the county imports (services/imports), by their form code
    "activity": ("活动数据", "activity data"), "gdp": ("地区生产总值", "GDP"), "observations": ("目标实际值", "target value"),
    "parcels": ("森林资源小班", "forest parcel"), "buildings": ("公共建筑能耗", "public building"),
    "key_units": ("重点用能单位名录", "key unit registry"), "metering_points": ("计量点", "metering point"),
    "energy_budgets": ("用能预算", "energy budget"), "unit_outputs": ("产品产量与能耗", "unit output"),
    "form_205_1": ("205-1报表", "205-1 form"), "two_high": ("“两高”项目", "two-high project"),
    "project_progress": ("项目进展", "project progress")}
EFFECTS: dict[str, Pair] = {"activity": ("经济增长", "economic growth"),
                            "energy_intensity": ("分部门能耗强度变化", "sectoral energy intensity"),
                            "carbon_intensity": ("用能结构（单位能耗碳排放）变化", "energy mix (CO2 per unit of energy)"),
                            "not_decomposed": ("无法分解部分（个别年份无能耗的部门）", "not decomposed (sectors without energy in a year)")}


def say(table: dict[str, Pair], key: Any, lang: str) -> str:
    """The reader's word for ``key``; a key without one is shown as it is (names, ids)."""
    pair = table.get(key if isinstance(key, str) else str(key))
    if pair is None:
        return "" if key is None else str(key)
    return pair[1] if lang == "en" else pair[0]


def pick(zh: str, en: str, lang: str) -> str:
    return en if lang == "en" else zh


def decimals(value: float, unit: str = "") -> int:
    """Statistical rounding: whole units for quantities of tonnes and above, one decimal for
    percentages, four significant decimals for intensities and coefficients."""
    a = abs(value)
    if unit == "%":
        return 1
    if a >= 100:
        return 0
    if a >= 1:
        return 2
    return 4 if a else 0


def num(value: Any, unit: str = "", places: int | None = None) -> str:
    """A figure as the report prints it: separators, rounded (see :func:`decimals`); — for none."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    if unit == "年":
        return f"{value:.0f}"  # a year, not a quantity: no separator
    d = decimals(float(value), unit) if places is None else places
    return f"{value:,.{d}f}".replace("-", "−")


def wan(value: float | None, places: int = 2) -> str:
    """A quantity in 万 (10⁴), as Chinese statistics print tonnes and tonnes of standard coal."""
    return "—" if value is None else f"{value / 1e4:,.{places}f}".replace("-", "−")


def excel_format(value: Any, unit: str = "") -> str | None:
    """The Excel number format that prints ``value`` as :func:`num` does (the cell keeps the value)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    d = decimals(float(value), unit)
    return "#,##0" + ("." + "0" * d if d else "")
