"""The tables both report files show, as (headers, rows) of raw values with their units: the Word
file prints them rounded (labels.num), the Excel file keeps the value and rounds by number format."""

from __future__ import annotations

from typing import Any

from ...domain.labels import (
    BASES,
    FACTOR_STATUS,
    INDICATORS,
    LIGHTS,
    PROJECT_STATUSES,
    TASK_STATES,
    UNIT_CATEGORIES,
    UNITS,
    pick,
    say,
)
from .model import Assessment

Table = tuple[list[str], list[list[Any]], list[str]]  # headers, rows, unit of each column ("" for text)


def targets(a: Assessment) -> Table:
    lg = a.lang
    return ([pick("编号", "id", lg), pick("目标", "target", lg), pick("评价", "light", lg), pick("实际值", "actual", lg),
             pick("应达值", "expected", lg), pick("目标值", "target", lg), pick("单位", "unit", lg)],
            [[t.id, t.name, say(LIGHTS, t.light, lg), t.actual, t.expected, t.target_value,
              say(UNITS, t.unit, lg) or t.unit] for t in a.target_rows],
            ["", "", "", "u", "u", "u", ""])


def sectors(a: Assessment) -> Table:
    lg = a.lang
    inv = a.inventory or {"by_sector": [], "totals": {}}
    rows = [[r["sector"], r["energy_tce"], r["co2_direct_t"], r["co2_electricity_t"], r["co2_t"]] for r in inv["by_sector"]]
    t = inv["totals"]
    rows.append([pick("合计", "total", lg), t.get("energy_tce"), t.get("co2_territorial_t"),
                 t.get("co2_electricity_net_import_t"), t.get("co2_with_electricity_t")])
    return ([pick("部门", "sector", lg), pick("能源消费量（吨标准煤）", "energy (tce)", lg),
             pick("直接排放（吨二氧化碳）", "direct CO2 (t)", lg), pick("电力间接排放（吨二氧化碳）", "electricity CO2 (t)", lg),
             pick("合计（吨二氧化碳）", "total CO2 (t)", lg)], rows, ["", "t", "t", "t", "t"])


def indicators(a: Assessment) -> Table:
    lg = a.lang
    return ([pick("指标", "indicator", lg), pick("口径", "basis", lg), pick("数值", "value", lg), pick("单位", "unit", lg),
             pick("计算依据", "convention and prices", lg)],
            [[say(INDICATORS, h["code"], lg), say(BASES, h.get("basis", ""), lg), h["value"],
              say(UNITS, h.get("unit", ""), lg), h.get("qualifier", "") or "—"] for h in a.indicators],
            ["", "", "u", "", ""])


def indicator_codes(a: Assessment) -> list[list[Any]]:
    """The codes behind the indicator rows (Excel only: for programs reading the workbook)."""
    return [[h["code"], h.get("basis", ""), h.get("convention", ""), h.get("price_base_year")] for h in a.indicators]


def factors(a: Assessment) -> Table:
    lg = a.lang
    from ...domain.labels import PARAMETERS
    from .annex import source_text
    return ([pick("编号", "id", lg), pick("能源品种", "carrier", lg), pick("参数", "parameter", lg), pick("数值", "value", lg),
             pick("单位", "unit", lg), pick("来源", "source", lg), pick("状态", "status", lg)],
            [[f["id"], f.get("carrier", ""), say(PARAMETERS, f["parameter"], lg), f["value"], say(UNITS, f["unit"], lg),
              source_text(f["source"], lg), say(FACTOR_STATUS, f["status"], lg)] for f in (a.inventory or {}).get("factors", [])],
            ["", "", "", "f", "", "", ""])


def units(a: Assessment) -> Table:
    lg = a.lang
    return ([pick("单位", "unit", lg), pick("类别", "category", lg), pick("能源消费量（吨标准煤）", "energy (tce)", lg),
             pick("二氧化碳（吨）", "CO2 (t)", lg), pick("用能预算", "budget", lg), pick("数据问题（条）", "data findings", lg)],
            [[u["name"], say(UNIT_CATEGORIES, u["category"], lg), u["energy_tce"], u["co2_t"],
              say(LIGHTS, (u["budget"] or {}).get("light", "grey"), lg), u["findings"]] for u in (a.monitoring or {}).get("units", [])],
            ["", "", "t", "t", "", "n"])


def tasks(a: Assessment) -> Table:
    lg = a.lang
    states = ("done", "in_progress", "not_started", "late")
    return ([pick("责任单位", "department", lg), pick("任务数", "tasks", lg), *[say(TASK_STATES, s, lg) for s in states]],
            [[r.department, r.tasks, r.done, r.in_progress, r.not_started, r.late] for r in a.tasks],
            ["", "n", "n", "n", "n", "n"])


def projects(a: Assessment) -> Table:
    lg = a.lang
    return ([pick("项目类型", "type", lg), pick("项目数", "projects", lg), *[say(PROJECT_STATUSES, s, lg) for s in PROJECT_STATUSES]],
            [[r.name, r.projects, *[r.by_status.get(s, 0) for s in PROJECT_STATUSES]] for r in a.projects],
            ["", "n", *["n"] * len(PROJECT_STATUSES)])


def supervision(a: Assessment) -> Table:
    """The year's supervision in counts and T16/T18/T19 with their rules (the public page's figures)."""
    lg, v = a.lang, a.supervision
    rows: list[list[Any]] = [[pick("检查单位（家次）", "inspections", lg), v.inspections, pick("当年开展检查的案件数", "cases inspected in the year", lg)],
                             [pick("被检查单位（家）", "units inspected", lg), v.units_inspected, ""],
                             [pick("已作出处理决定（件）", "decided", lg), v.decided, ""],
                             [pick("已公开（件）", "published", lg), v.published, pick("只公开已作出决定的案件", "only decided cases are published", lg)]]
    rows += [[f"{c.target} " + pick("（%）", "(%)", lg), c.value, c.rule_zh if a.zh else c.rule_en] for c in v.indicators]
    return ([pick("项目", "item", lg), pick("数值", "value", lg), pick("口径", "rule", lg)], rows, ["", "u", ""])


def violators(a: Assessment) -> Table:
    lg = a.lang
    return ([pick("单位", "unit", lg), pick("行业", "industry", lg), pick("检查日期", "inspected", lg),
             pick("处理决定", "decision", lg), pick("公开日期", "published", lg), pick("状态", "status", lg)],
            [[c.unit_name, c.industry, c.inspected_on.isoformat(), c.decision, c.published_on.isoformat(), c.status_name]
             for c in a.supervision.violators] or [["—"] * 6], ["", "", "", "", "", ""])


def annex(a: Assessment) -> Table:
    lg = a.lang
    return ([pick("内容", "what", lg), pick("状态", "status", lg), pick("依据或来源", "source", lg)],
            [[r.what, r.status, r.source] for r in a.annex] or [["—", "—", "—"]], ["", "", ""])
