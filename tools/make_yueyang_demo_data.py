"""Writes the Yueyang County (岳阳县) demo dataset: src/carbonpeak/data/demo/yueyang_*.csv.

Nearly every number is ILLUSTRATIVE: a plausible county energy balance for 岳阳县 built from the
county's published economic structure and the assumptions stated below, so that a second county's
plan can be shown loading and accounting beside Anhua. Each row says so (示例数据 = 是) and names its
basis. The one published figure used (GDP 2023, 420.19亿元, +6.5 %; 岳阳县统计局《2023年国民经济和
社会发展统计公报》, 2024-03) is marked 否. docs/demo-data.md states the basis of the magnitudes.

Basis of the magnitudes (2020): about 0.6 M residents; GDP ≈ 340亿元 (illustrative, between the
published 260.86亿元 of 2015 and 420.19亿元 of 2023); three-sector structure about 17:39:44 (2023
bulletin); industry led by chemical pharmaceuticals (化学药制剂), chemicals, non-metallic mineral
products and agri-food processing; no clinker line, refinery or large fossil power plant assumed.
Energy ≈ 0.83 Mtce (≈ 0.25 tce/万元, a light-industry county below the Hunan average), electricity use
≈ 1.8 TWh (≈ 3 000 kWh per resident). Local generation: PV growing fast, small hydro, and a biomass
CHP from 2023 (the city plan names a 岳阳县 biomass CHP project; size and start are illustrative).

Run: python tools/make_yueyang_demo_data.py   (deterministic; no randomness)
"""

from __future__ import annotations

from pathlib import Path

from make_demo_data import write_activity, write_gdp  # the same writers as Anhua's (run from tools/)

OUT = Path(__file__).resolve().parents[1] / "src" / "carbonpeak" / "data" / "demo"
REGION = "岳阳县"
ILL = "示例数据：按岳阳县公开的经济结构与下列假设编制，非统计数据"

# (sector, carrier, unit, 2020 quantity, yearly growth factors 2021..2024, assumption)
ROWS = [
    ("工业-医药制造业", "电力", "万千瓦时", 18000, (1.09, 1.08, 1.08, 1.07), "化学原料药与制剂"),
    ("工业-医药制造业", "天然气", "万立方米", 3000, (1.08, 1.06, 1.08, 1.06), "工艺蒸汽，燃气锅炉"),
    ("工业-医药制造业", "原煤", "吨", 40000, (0.97, 0.95, 0.93, 0.92), "燃煤锅炉逐年改气"),
    ("工业-化学原料和化学制品制造业", "电力", "万千瓦时", 22000, (1.06, 1.05, 1.06, 1.05), ""),
    ("工业-化学原料和化学制品制造业", "原煤", "吨", 120000, (1.04, 1.01, 1.02, 1.01), "自备锅炉"),
    ("工业-化学原料和化学制品制造业", "天然气", "万立方米", 2000, (1.05, 1.05, 1.06, 1.05), ""),
    ("工业-非金属矿物制品业", "电力", "万千瓦时", 15000, (1.05, 0.98, 1.0, 1.0), "砖瓦、混凝土制品，无熟料线"),
    ("工业-非金属矿物制品业", "原煤", "吨", 100000, (1.03, 0.96, 0.99, 0.98), ""),
    ("工业-非金属矿物制品业", "柴油", "吨", 3000, (1.0, 0.95, 0.97, 0.97), "厂内运输"),
    ("工业-农副食品加工业", "电力", "万千瓦时", 10000, (1.05, 1.04, 1.05, 1.04), "粮油、水产品加工"),
    ("工业-农副食品加工业", "原煤", "吨", 30000, (0.95, 0.93, 0.92, 0.92), "烘干燃煤逐年替代"),
    ("工业-农副食品加工业", "液化石油气", "吨", 1000, (1.02, 1.0, 1.0, 1.0), ""),
    ("工业-其他", "电力", "万千瓦时", 25000, (1.08, 1.07, 1.08, 1.07), ""),
    ("工业-其他", "原煤", "吨", 40000, (0.98, 0.96, 0.96, 0.95), ""),
    ("工业-其他", "柴油", "吨", 4000, (1.0, 0.98, 0.98, 0.97), ""),
    ("工业-其他", "天然气", "万立方米", 1000, (1.1, 1.15, 1.2, 1.15), ""),
    ("农林牧渔业", "柴油", "吨", 15000, (0.99, 0.98, 0.98, 0.97), "农机与渔船（洞庭湖区水产）"),
    ("农林牧渔业", "电力", "万千瓦时", 6000, (1.04, 1.04, 1.04, 1.04), "排灌与养殖增氧"),
    ("建筑业", "柴油", "吨", 8000, (1.02, 0.95, 0.97, 0.96), ""),
    ("建筑业", "汽油", "吨", 1000, (1.0, 0.98, 0.98, 0.98), ""),
    ("建筑业", "电力", "万千瓦时", 2500, (1.03, 1.0, 1.02, 1.02), ""),
    ("交通运输、仓储和邮政业", "柴油", "吨", 60000, (0.99, 0.97, 0.97, 0.96), "公路与内河货运"),
    ("交通运输、仓储和邮政业", "汽油", "吨", 20000, (1.03, 1.02, 1.02, 1.01), ""),
    ("交通运输、仓储和邮政业", "液化天然气", "吨", 2000, (1.1, 1.15, 1.15, 1.12), "LNG 货车"),
    ("交通运输、仓储和邮政业", "电力", "万千瓦时", 800, (1.4, 1.4, 1.35, 1.3), "新能源公交与充电"),
    ("批发零售业和住宿餐饮业", "电力", "万千瓦时", 12000, (1.06, 1.04, 1.07, 1.05), ""),
    ("批发零售业和住宿餐饮业", "液化石油气", "吨", 4000, (1.0, 0.97, 0.95, 0.94), ""),
    ("批发零售业和住宿餐饮业", "天然气", "万立方米", 600, (1.1, 1.12, 1.15, 1.12), ""),
    ("其他服务业", "电力", "万千瓦时", 15000, (1.06, 1.05, 1.06, 1.05), "含公共机构"),
    ("其他服务业", "柴油", "吨", 1500, (1.0, 0.98, 0.97, 0.96), ""),
    ("其他服务业", "汽油", "吨", 3000, (1.03, 1.01, 1.02, 1.01), ""),
    ("城镇居民生活", "电力", "万千瓦时", 25000, (1.05, 1.07, 1.05, 1.05), ""),
    ("城镇居民生活", "液化石油气", "吨", 6000, (0.98, 0.96, 0.95, 0.94), "管道气替代"),
    ("城镇居民生活", "天然气", "万立方米", 2000, (1.1, 1.1, 1.1, 1.08), ""),
    ("城镇居民生活", "汽油", "吨", 20000, (1.04, 1.02, 1.03, 1.02), "私人汽车"),
    ("乡村居民生活", "电力", "万千瓦时", 28000, (1.05, 1.06, 1.05, 1.05), ""),
    ("乡村居民生活", "原煤", "吨", 40000, (0.92, 0.9, 0.9, 0.9), "散煤替代"),
    ("乡村居民生活", "液化石油气", "吨", 8000, (1.0, 0.99, 0.98, 0.98), ""),
]
# Local generation (output), 万千瓦时 per year; a year without output has no row.
GENERATION = {
    "太阳能发电": ((8000, 12000, 18000, 28000, 40000), "示例：集中式与分布式光伏逐年并网"),
    "水力发电": ((3000, 3200, 2600, 2500, 3100), "示例：小水电，2022、2023年为枯水年"),
    "生物质发电": ((0, 0, 0, 8000, 15000), "示例：岳阳市方案所列岳阳县生物质热电联产项目，规模与投产年为假设"),
}
# GDP at current prices [亿元], volume index [previous year = 100], illustrative?, source.
GDP = {
    2020: (340.0, None, True, "示例数据"),
    2021: (368.0, 107.0, True, "示例数据"),
    2022: (393.0, 104.8, True, "示例数据"),
    2023: (420.19, 106.5, False, "岳阳县统计局《岳阳县2023年国民经济和社会发展统计公报》（2024年3月）：初步核算420.19亿元，按可比价增长6.5%"),
    2024: (444.0, 105.6, True, "示例数据"),
}


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    write_activity(OUT / "yueyang_activity.csv", REGION, ROWS, GENERATION, ILL)
    write_gdp(OUT / "yueyang_gdp.csv", REGION, GDP)


if __name__ == "__main__":
    main()
