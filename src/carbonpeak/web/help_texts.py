"""Texts of the leaders' cockpit, the year selectors, the task filters, the township schematic and
the help page (帮助), Chinese first; and the glossary of docs/glossary.md read for the help page."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

UI: dict[str, tuple[str, str]] = {
    "cockpit": ("领导驾驶舱", "Leaders' cockpit"), "help": ("帮助", "Help"), "map": ("乡镇分布", "Townships"),
    "cockpit_co2": ("属地二氧化碳排放", "Territorial CO2 emissions"), "cockpit_energy": ("能源消费总量", "Total energy consumption"),
    "cockpit_intensity": ("能耗强度较基年", "Energy intensity vs base year"),
    "cockpit_nonfossil": ("非化石能源消费比重", "Non-fossil share"),
    "cockpit_peak": ("2030年前达峰概率", "P(peak ≤ 2030)"), "cockpit_targets": ("目标亮灯（红灯数）", "Targets by light (red)"),
    "cockpit_tasks": ("逾期任务", "Tasks overdue"),
    "cockpit_light_of": ("灯号依据", "Light from"), "cockpit_no_target": ("无对应考核目标", "no target on it"),
    "cockpit_peak_rule": ("灯号规则（本页展示规则）：≥80% 绿、50%–80% 黄、<50% 红", "Light (this page's rule): ≥ 80 % green, 50–80 % yellow, < 50 % red"),
    "cockpit_peak_median": ("达峰年份中位数", "Median peak year"),
    "cockpit_red_trend": ("历年红灯数", "Red lights by year"), "cockpit_tasks_of": ("共 {total} 项 · 已完成 {done} · 延期 {delayed}",
                                                                          "{total} tasks · {done} done · {delayed} delayed"),
    "cockpit_drill": ("点击卡片查看明细", "Click a card for its detail"), "cockpit_last": ("近年", "Recent years"),
    "cockpit_no_data": ("尚无活动数据：在“数据”页导入后，这里显示主要指标。", "No activity data yet: import it on the Data page to see the indicators here."),
    "all_indicators": ("全部主要指标", "All headline indicators"),
    "year_pick": ("查看年份", "Year"), "show": ("查看", "Show"),
    "year_invalid": ("所选年份无效（应为四位数字的年份），显示最新年份的数据。", "That is not a year (four digits): showing the latest year."),
    "year_no_data": ("{asked}年没有数据（有数据的年份：{years}），显示最新年份的数据。",
                     "No data for {asked} (years with data: {years}): showing the latest year."),
    "filter_invalid": ("筛选条件“{field}”的取值无效，已忽略。", "The value of the filter “{field}” is not valid and was ignored."),
    "department": ("责任单位", "Department"), "overdue_only": ("只看逾期", "Overdue only"),
    "tasks_shown": ("显示 {shown} / {total} 项", "{shown} of {total} shown"),
    "investment": ("投资", "Investment"), "evidence": ("依据", "Evidence"), "responsible": ("责任单位", "Responsible units"),
    "box_n": ("方案专栏{n}", "Plan box {n}"), "box_0": ("方案专栏（未编号）", "Plan box (unnumbered)"),
    "investment_note": ("投资：项目年度进展记录中报送的完成投资之和（方案未列各项目投资额，未报送的显示“—”）；依据：方案中提到该项目的任务和目标，以及各年进展记录的来源。",
                        "Investment: the sum reported in the projects' yearly progress records (the plan lists no amounts; — where none is reported); evidence: the plan's tasks and targets naming the project and each progress record's source."),
    "ev_task": ("任务", "Task"), "ev_target": ("目标", "Target"),
    "units_more": ("等{n}个单位", "and {n} more"),
    "map_title": ("乡镇分布示意图", "Townships (schematic)"),
    "map_schematic": ("示意图：每格一个乡镇，按方案所列顺序排列，不代表地理位置或边界（没有可用的乡镇边界数据包）。",
                      "Schematic: one tile per township in the plan's order; not positions or boundaries (no package provides township boundaries)."),
    "map_projects": ("项目", "Projects"), "map_sink": ("年碳汇", "Annual sink"), "map_units": ("重点用能单位", "Key units"),
    "map_forest": ("林地", "Forest"), "map_countywide": ("全县或未定乡镇的项目", "County-wide or unsited projects"),
    "map_unplaced": ("以下乡镇名称不在方案的乡镇名单中，未上图：", "These township names are not on the plan's list and are not shown:"),
    "map_open": ("打开乡镇分布示意图", "Open the township schematic"),
    "glossary": ("术语表", "Glossary"), "page_help": ("各页面说明", "Help for each page"),
    "glossary_en_note": ("英文对照和说明见英文界面。", "Notes are in English."),
    "glossary_switch": ("切换到英文界面", "English page"),
    "term_zh": ("中文术语", "Chinese term"), "term_en": ("英文对照", "English"), "term_note": ("说明", "Note"),
    "help_this_page": ("本页说明", "About this page"),
}

# one short help text per page (key = the page's ``active`` name), reachable from each page
PAGES: dict[str, tuple[str, str]] = {
    "overview": ("总览：领导驾驶舱列出属地二氧化碳排放、能源消费总量、能耗强度、非化石能源比重、2030年前达峰概率、目标亮灯和逾期任务，每张卡片可点开明细；可选择年份。",
                 "Overview: the cockpit shows CO2, energy, intensity, non-fossil share, P(peak ≤ 2030), target lights and late tasks; each card opens its detail; pick a year."),
    "accounting": ("核算：按部门和能源品种列出能耗与排放，点击任一行查看活动数据、因子及其来源。",
                   "Accounting: energy and CO2 by sector and carrier; click a row for its lines and factor sources."),
    "targets": ("目标：方案每项目标的实际值、时序目标和灯号；点击一行查看目标轨迹，可选择年份。",
                "Targets: each target's actual value, path and light; click a row for its trajectory; pick a year."),
    "scenarios": ("情景：方案情景的排放预测、达峰概率和减排楔形；登录后可调整参数。",
                  "Scenarios: projections, peak probability and wedges; sign in to edit the levers."),
    "sinks": ("碳汇：森林资源调查计算的碳储量和年碳汇，以及碳汇项目。", "Sinks: forest carbon stock and annual sink, and the sink projects."),
    "buildings": ("公共建筑：公共建筑能耗强度与定额对比、节能改造目标。", "Buildings: public buildings against their quotas, retrofit targets."),
    "monitoring": ("在线监测：重点用能单位的计量数据、用能预算和能效水平（需登录）。",
                   "Monitoring: key units' metered energy, budgets and efficiency (sign in)."),
    "disclosure": ("监察公开：向社会公开的节能监察结果。", "Supervision results: what energy supervision publishes."),
    "supervision": ("节能监察：监察批次、案件、整改与清洁生产审核。", "Energy supervision: batches, cases, rectification and audits."),
    "carbon": ("碳排放双控：各口径排放与强度、预算分解和跟踪预警。", "Carbon dual control: figures on each basis, budget and warnings."),
    "projects": ("项目：方案重点项目的类型、乡镇、规模、责任单位和依据，可按类型、乡镇、状态、年份筛选。",
                 "Projects: the plan's projects with type, township, size, responsible units and evidence; filter them."),
    "tasks": ("任务：方案任务的责任单位、状态、截止日期和进展，可按责任单位、状态、是否逾期筛选（需登录）。",
              "Tasks: departments, status, deadline and progress; filter by department, status, overdue (sign in)."),
    "reporting": ("统计填报：各责任单位按填报任务在线或用Excel表报送数据，发展和改革局审核，审核通过的数据才进入核算、晴雨表和报告（需登录）。",
                  "Reporting: departments enter their obligations online or by the Excel form; the reviewer approves; only approved values count (sign in)."),
    "reports": ("报告：生成年度评估报告和调度通报（需登录）。", "Reports: the annual assessment report and the dispatch report (sign in)."),
    "open_data": ("开放数据：可下载的数据集及其来源。", "Open data: downloadable data sets with their sources."),
    "data": ("数据：上传并校验数据文件，查看因子库（需登录）。", "Data: upload and validate files, the factor library (sign in)."),
    "audit": ("审计日志：谁在何时修改了什么（需登录）。", "Audit log: who changed what and when (sign in)."),
    "map": ("乡镇分布：每个乡镇的项目、碳汇和重点用能单位（示意图）。", "Townships: projects, sinks and key units per township (schematic)."),
    "help": ("帮助：术语表和各页面说明。", "Help: the glossary and a note on each page."),
}


def page_help(active: str, lang: str) -> str:
    zh, en = PAGES.get(active, ("", ""))
    return en if lang == "en" else zh


@dataclass(frozen=True)
class GlossaryTable:
    title: str
    header: list[str]
    rows: list[list[str]] = field(default_factory=list)


def _glossary_text() -> str:
    """docs/glossary.md: shipped in the wheel (pyproject force-include), else read from the work tree."""
    packaged = resources.files(__package__).joinpath("help", "glossary.md")
    if packaged.is_file():
        return packaged.read_text(encoding="utf-8")
    return (Path(__file__).resolve().parents[3] / "docs" / "glossary.md").read_text(encoding="utf-8")


def _cells(line: str) -> list[str]:
    return [c.strip().replace("`", "") for c in line.strip().strip("|").split(" | ")]


@lru_cache(maxsize=1)
def glossary() -> list[GlossaryTable]:
    """The glossary's tables: a ``#``/``##`` heading names the table, ``|`` lines are its rows."""
    tables: list[GlossaryTable] = []
    title = ""
    for line in _glossary_text().splitlines():
        if line.startswith("#"):
            title = line.lstrip("#").strip()
        elif line.startswith("|") and not set(line) <= set("|-: "):
            if tables and tables[-1].title == title:
                tables[-1].rows.append(_cells(line))
            else:
                tables.append(GlossaryTable(title, _cells(line)))
    return tables
