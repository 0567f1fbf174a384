"""Writes the Anhua demo dataset (src/carbonpeak/data/demo/*.csv).

Nearly every number here is ILLUSTRATIVE: a plausible county energy balance built from the
plan's description of Anhua's industries (cement, electrolytic manganese, antimony, tungsten,
ferrochrome, tea) and stated assumptions below, so that the platform can be shown working. Each
row says so (column 示例数据 = 是) and names its basis. Real published figures are used where we
have them, with their source (the county's public profile; docs/demo-data.md), and marked 否.

Run: python tools/make_demo_data.py   (deterministic; no randomness)
"""

from __future__ import annotations

import csv
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "src" / "carbonpeak" / "data" / "demo"
YEARS = [2020, 2021, 2022, 2023, 2024]
ILL = "示例数据：按方案所述产业结构与下列假设编制，非统计数据"

# (sector, carrier, unit, 2020 quantity, yearly growth factors 2021..2024, assumption)
ROWS = [
    ("工业-非金属矿物制品业", "原煤", "吨", 190000, (1.03, 0.90, 0.97, 0.97), "熟料线燃煤，约100 kgce/t熟料"),
    ("工业-非金属矿物制品业", "电力", "万千瓦时", 8400, (1.03, 0.92, 0.98, 0.98), "约60 kWh/t熟料"),
    ("工业-非金属矿物制品业", "柴油", "吨", 2000, (1.0, 0.95, 0.97, 0.97), "厂内运输"),
    ("工业-非金属矿物制品业", "水泥熟料", "万吨", 135, (1.037, 0.914, 0.977, 0.976), "熟料产量（过程排放）"),
    ("工业-有色金属冶炼和压延加工业", "电力", "万千瓦时", 25000, (1.04, 0.95, 1.02, 1.01), "电解锰、锑、钨冶炼"),
    ("工业-有色金属冶炼和压延加工业", "原煤", "吨", 20000, (1.0, 0.95, 0.92, 0.90), ""),
    ("工业-有色金属冶炼和压延加工业", "焦炭", "吨", 8000, (1.02, 0.97, 0.98, 0.97), "锑冶炼还原剂"),
    ("工业-有色金属冶炼和压延加工业", "柴油", "吨", 1500, (1.0, 0.98, 0.97, 0.96), ""),
    ("工业-黑色金属冶炼和压延加工业", "电力", "万千瓦时", 9000, (1.05, 0.96, 1.01, 1.0), "高碳铬铁，约3 200 kWh/t"),
    ("工业-黑色金属冶炼和压延加工业", "焦炭", "吨", 15000, (1.05, 0.96, 1.0, 0.99), "还原剂"),
    ("工业-食品制造业", "电力", "万千瓦时", 3000, (1.08, 1.09, 1.08, 1.08), "黑茶加工，电能替代"),
    ("工业-食品制造业", "原煤", "吨", 6000, (0.8, 0.78, 0.75, 0.7), "茶叶烘干燃煤逐年替代"),
    ("工业-食品制造业", "液化石油气", "吨", 500, (1.02, 1.02, 1.0, 1.0), ""),
    ("工业-其他", "电力", "万千瓦时", 12000, (1.06, 1.04, 1.05, 1.05), ""),
    ("工业-其他", "原煤", "吨", 15000, (0.95, 0.9, 0.9, 0.88), ""),
    ("工业-其他", "柴油", "吨", 3000, (1.0, 0.98, 0.98, 0.97), ""),
    ("工业-其他", "天然气", "万立方米", 200, (1.1, 1.25, 1.3, 1.3), "天然气管网延伸"),
    ("农林牧渔业", "柴油", "吨", 6000, (0.99, 0.98, 0.98, 0.97), "农机"),
    ("农林牧渔业", "电力", "万千瓦时", 2000, (1.04, 1.04, 1.04, 1.04), ""),
    ("建筑业", "柴油", "吨", 5000, (1.02, 0.95, 0.97, 0.96), ""),
    ("建筑业", "汽油", "吨", 800, (1.0, 0.98, 0.98, 0.98), ""),
    ("建筑业", "电力", "万千瓦时", 1500, (1.03, 1.0, 1.02, 1.02), ""),
    ("交通运输、仓储和邮政业", "柴油", "吨", 35000, (0.99, 0.97, 0.97, 0.96), "公路货运为主"),
    ("交通运输、仓储和邮政业", "汽油", "吨", 12000, (1.03, 1.02, 1.02, 1.01), ""),
    ("交通运输、仓储和邮政业", "液化天然气", "吨", 1000, (1.1, 1.15, 1.15, 1.15), "LNG 商用车"),
    ("交通运输、仓储和邮政业", "电力", "万千瓦时", 500, (1.4, 1.4, 1.35, 1.3), "新能源公交与充电"),
    ("批发零售业和住宿餐饮业", "电力", "万千瓦时", 9000, (1.06, 1.04, 1.07, 1.05), ""),
    ("批发零售业和住宿餐饮业", "液化石油气", "吨", 3000, (1.0, 0.97, 0.95, 0.94), ""),
    ("批发零售业和住宿餐饮业", "天然气", "万立方米", 300, (1.1, 1.15, 1.2, 1.2), ""),
    ("其他服务业", "电力", "万千瓦时", 10000, (1.06, 1.05, 1.06, 1.05), "含公共机构"),
    ("其他服务业", "柴油", "吨", 1000, (1.0, 0.98, 0.97, 0.96), ""),
    ("其他服务业", "汽油", "吨", 2000, (1.03, 1.01, 1.02, 1.01), ""),
    ("城镇居民生活", "电力", "万千瓦时", 18000, (1.05, 1.07, 1.05, 1.05), ""),
    ("城镇居民生活", "液化石油气", "吨", 6000, (0.98, 0.96, 0.95, 0.94), "管道气替代"),
    ("城镇居民生活", "天然气", "万立方米", 800, (1.12, 1.12, 1.12, 1.1), ""),
    ("城镇居民生活", "汽油", "吨", 15000, (1.04, 1.02, 1.03, 1.02), "私人汽车"),
    ("乡村居民生活", "电力", "万千瓦时", 20000, (1.05, 1.06, 1.05, 1.05), ""),
    ("乡村居民生活", "原煤", "吨", 30000, (0.88, 0.86, 0.85, 0.85), "散煤清零整治"),
    ("乡村居民生活", "液化石油气", "吨", 4000, (1.0, 0.99, 0.98, 0.98), ""),
]
# Local generation (output), 万千瓦时 per year. Hydro follows inflow (2022 and 2023 were dry
# years in Hunan); PV jumps when the 28万千瓦 of 2023 projects (专栏4) come online.
GENERATION = {
    "水力发电": ((420000, 380000, 350000, 330000, 410000), "柘溪等水电，装机约125万千瓦（县情资料），年发电量为示例"),
    "风力发电": ((15000, 18000, 22000, 25000, 30000), "示例"),
    "太阳能发电": ((2000, 3000, 5000, 12000, 45000), "示例：2023年乐安、田庄、大福项目陆续并网"),
    "生物质发电": ((5000, 5000, 5200, 5200, 5500), "安化乳酸厂生物质热电联产一期，示例"),
}
# GDP at current prices [亿元] and volume index [previous year = 100].
GDP = {
    2020: (240.0, None, True, "示例数据"),
    2021: (263.5, 107.5, True, "GDP 263.5亿元 见县人大2021年报告（预计数，http://ahjw.anhua.gov.cn/1375/content_1475808.html）；发展速度为示例"),
    2022: (281.0, 105.0, True, "示例数据"),
    2023: (300.0, 104.8, True, "示例数据"),
    2024: (318.0, 104.6, True, "示例数据"),
}
# Values entered for targets that are not computed from the inventory. T28 2022–2023 and T45 2023
# are not here: the reporting demo (services/reporting/demo.py) enters them as approved submissions
# (the 填报 cycle writes them to the target values); T28 2024 and T45 2024 stay here (their
# submissions are awaiting review or returned, so nothing approved replaces them).
OBSERVATIONS = [
    ("T24", 2019, 76.17, False, "县情介绍：森林覆盖率76.17%（约2019年，安化县公开县情资料；见 docs/demo-data.md）"),
    ("T24", 2024, 76.9, True, ILL),
    ("T43", 2021, 60, True, ILL), ("T43", 2022, 120, True, ILL), ("T43", 2023, 190, True, ILL), ("T43", 2024, 240, True, ILL),
    ("T45", 2022, 600, True, ILL), ("T45", 2024, 1400, True, ILL),
    ("T28", 2024, 86.4, True, ILL),
    ("T13", 2020, 140, True, "示例：水电约125万千瓦（县情资料）加风电、生物质发电"),
    ("T13", 2024, 176, True, ILL),
    ("T21", 2023, 5000, True, ILL), ("T21", 2024, 12000, True, ILL),
    ("T36", 2023, 1.8, True, ILL), ("T36", 2024, 3.1, True, ILL),
    ("T37", 2023, 3.5, True, ILL), ("T37", 2024, 6.2, True, ILL),
]


# Forest inventory strata (小班 aggregated by township and species group), two inventories.
# Calibrated to the county profile's totals c. 2019 (forest land 604万亩 ≈ 402 667 ha, growing stock
# 1 695万 m³; the county's public profile, docs/demo-data.md); the split by township and species
# and the 2024 growth are ILLUSTRATIVE.
TOWNSHIPS = ["东坪镇", "梅城镇", "仙溪镇", "大福镇", "小淹镇", "江南镇", "冷市镇", "龙塘镇", "烟溪镇", "渠江镇", "平口镇",
             "柘溪镇", "马路镇", "奎溪镇", "乐安镇", "滔溪镇", "羊角塘镇", "清塘铺镇", "长塘镇", "高明乡", "田庄乡", "南金乡",
             "古楼乡"]
SPECIES = [("杉木", "乔木林地", 0.40, 48.0), ("马尾松", "乔木林地", 0.25, 40.0), ("阔叶混", "乔木林地", 0.20, 45.0),
           ("针阔混", "乔木林地", 0.10, 42.0)]
FOREST_HA, OTHER_WOODLAND_HA = 381_150.0, 21_517.0  # forest (cover ≈ 77 %) + other forest land


def forest_rows(year: int, growth: float) -> list[list]:
    rows = []
    weights = [1.0 + 0.5 * ((i * 7) % 5) / 4 for i in range(len(TOWNSHIPS))]  # uneven, deterministic
    total_w = sum(weights)
    for i, (town, w) in enumerate(zip(TOWNSHIPS, weights, strict=True)):
        for j, (species, land, share, vol) in enumerate(SPECIES):
            area = FOREST_HA * w / total_w * share / sum(s[2] for s in SPECIES)
            rows.append([year, town, "", f"{i + 1:02d}{j + 1:02d}", land, species, "", "", round(area, 1),
                         round(vol * (1 + growth), 2), "示例数据：按县情资料总量（林地604万亩、蓄积1695万m³）校准的分层汇总", "是"])
        rows.append([year, town, "", f"{i + 1:02d}99", "其他林地", "杉木", "", "", round(OTHER_WOODLAND_HA * w / total_w, 1),
                     0.0, "示例数据", "是"])
    return rows


# Public buildings with their 2024 energy: ILLUSTRATIVE (names are generic, figures invented to
# show the grading; GB/T 51161 types and subtypes as in the reference table).
BUILDINGS = [
    ("B001", "县政府办公楼", "A类办公", "党政机关办公建筑", 18000, "县机关事务服务中心", 1_010_000, 0),
    ("B002", "县发展和改革局办公楼", "A类办公", "党政机关办公建筑", 6000, "县发展和改革局", 380_000, 0),
    ("B003", "县人民医院门诊楼", "医疗卫生建筑", "门诊楼", 22000, "县人民医院", 2_150_000, 30_000),
    ("B004", "经开区管委会办公楼", "A类办公", "党政机关办公建筑", 9000, "安化经济开发区管理委员会", 700_000, 0),
    ("B005", "某商业写字楼", "A类办公", "商业办公建筑", 12000, "某置业公司", 1_150_000, 8_000),
    ("B006", "某三星级宾馆", "A类旅馆", "三星级及以下", 8000, "某宾馆", 860_000, 20_000),
    ("B007", "某四星级酒店", "B类旅馆", "四星级", 15000, "某酒店", 2_400_000, 60_000),
    ("B008", "某百货商场", "A类商场", "一般百货店", 10000, "某商贸公司", 1_240_000, 0),
    ("B009", "某超市", "A类商场", "一般超市", 6000, "某超市", 1_020_000, 0),
    ("B010", "某购物中心", "B类商场", "大型购物中心", 30000, "某商业管理公司", 7_200_000, 40_000),
]


def series(q0: float, growth: tuple[float, ...]) -> list[float]:
    out = [q0]
    for g in growth:
        out.append(out[-1] * g)
    return out


def write_activity(path: Path, region: str, rows: list, generation: dict, illustrative: str) -> None:
    """The activity file: each row's fuel use by year from its base and growth factors, then the
    local generation (a year without output has no row). Shared with tools/make_yueyang_demo_data.py."""
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["年份", "地区", "部门", "能源品种", "数量", "单位", "用途", "来源", "示例数据"])
        for year_i, year in enumerate(YEARS):
            for sector, carrier, unit, q0, growth, note in rows:
                q = series(q0, growth)[year_i]
                w.writerow([year, region, sector, carrier, f"{q:.4g}" if q < 1000 else round(q), unit,
                            "" if carrier == "水泥熟料" else "燃料",
                            f"{illustrative}；{note}" if note else illustrative, "是"])
            for carrier, (values, note) in generation.items():
                if values[year_i]:
                    w.writerow([year, region, "电力生产", carrier, values[year_i], "万千瓦时", "", note, "是"])


def write_gdp(path: Path, region: str, gdp: dict) -> None:
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["年份", "地区", "地区生产总值", "单位", "发展速度", "来源", "示例数据"])
        for year, (value, idx, ill, src) in gdp.items():
            w.writerow([year, region, value, "亿元", "" if idx is None else idx, src, "是" if ill else "否"])


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    write_activity(OUT / "anhua_activity.csv", "安化县", ROWS, GENERATION, ILL)
    write_gdp(OUT / "anhua_gdp.csv", "安化县", GDP)
    for year, growth in ((2019, 0.0), (2024, 0.12)):
        with open(OUT / f"anhua_forest_{year}.csv", "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(["年份", "乡镇", "村", "小班号", "地类", "优势树种组", "起源", "龄组", "面积", "每公顷蓄积", "来源", "示例数据"])
            w.writerows(forest_rows(year, growth))
    with open(OUT / "anhua_buildings_2024.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["建筑编号", "名称", "类型", "子类型", "气候区", "建筑面积", "单位", "年份", "电力", "天然气", "来源", "示例数据"])
        for bid, name, cls, sub, area, org, kwh, gas in BUILDINGS:
            w.writerow([bid, name, cls, sub, "夏热冬冷", area, org, 2024, kwh, gas or "", "示例数据：虚构建筑与能耗，用于展示评级", "是"])
    with open(OUT / "anhua_target_values.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["目标编号", "年份", "数值", "来源", "示例数据"])
        for code, year, value, ill, src in OBSERVATIONS:
            w.writerow([code, year, value, src, "是" if ill else "否"])


if __name__ == "__main__":
    main()
