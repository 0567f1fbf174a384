"""Message catalogue: every user-facing text, Chinese first, English available.

Codes are stable identifiers used in tests and in the API; texts may be improved freely.
"""

from __future__ import annotations

from typing import Any

_CATALOGUE: dict[str, tuple[str, str]] = {
    # --- input issues -------------------------------------------------------------------------
    "input.file_unreadable": ("文件无法读取（{reason}）", "the file cannot be read ({reason})"),
    "input.file_empty": ("文件没有数据行", "the file has no data rows"),
    "input.missing_column": ("缺少必需列“{column}”（可用中文或英文列名：{accepted}）",
                             "required column '{column}' is missing (accepted headers: {accepted})"),
    "input.unknown_column": ("无法识别的列“{column}”", "unrecognised column '{column}'"),
    "input.empty_value": ("值为空", "value is empty"),
    "input.not_a_number": ("“{value}”不是数字", "'{value}' is not a number"),
    "input.negative": ("数量不能为负（{value}）", "quantity must not be negative ({value})"),
    "input.not_finite": ("数量必须是有限数值（{value}）", "quantity must be a finite number ({value})"),
    "input.bad_year": ("“{value}”不是有效年份（{low}–{high}）", "'{value}' is not a valid year ({low}-{high})"),
    "input.unknown_carrier": ("未知能源品种“{value}”（按 GB/T 2589 中文名称填写，例如：{examples}）",
                              "unknown energy carrier '{value}' (use GB/T 2589 Chinese names, e.g. {examples})"),
    "input.unknown_unit": ("未知单位“{value}”", "unknown unit '{value}'"),
    "input.unit_mismatch": ("单位“{value}”与能源品种“{carrier}”的计量单位（{expected}）量纲不符",
                            "unit '{value}' does not fit carrier '{carrier}' (measured in {expected})"),
    "input.duplicate_row": ("与第{other}行重复（年份、地区、部门、能源品种、用途相同）",
                            "duplicates row {other} (same year, region, sector, carrier and use)"),
    "input.bad_use": ("用途“{value}”无效，应为“燃料”或“原料”", "use '{value}' is invalid: expected 燃料 (fuel) or 原料 (feedstock)"),
    "input.no_factor": ("缺少{what}（{key}）；请通过因子集文件提供", "no {what} for {key}; supply one in a factor set file"),
    "input.bad_factor_row": ("因子行无效：{reason}", "invalid factor row: {reason}"),
    "input.bad_value": ("“{value}”无效：{reason}", "'{value}' is invalid: {reason}"),
    "input.plan_invalid": ("规划文件字段“{path}”无效：{reason}", "plan field '{path}' is invalid: {reason}"),
    "input.not_owner": ("该记录由{owner}维护，本单位不能修改", "this record is maintained by {owner}; your department may not change it"),
    "input.bad_sheet": ("工作表无法读取（{reason}）", "the worksheet cannot be read ({reason})"),
    # --- findings -------------------------------------------------------------------------------
    "factor.electricity.proxy_year": (
        "{year}年无{geography}电网排放因子，按规则使用{proxy_year}年因子（代用值）",
        "no {geography} grid factor for {year}; the {proxy_year} factor is used as a proxy by rule"),
    "factor.unverified": ("使用了未经核实的因子 {factor_id}（{what}）", "an unverified factor {factor_id} ({what}) was used"),
    "indicator.not_estimated": ("{indicator}未估算：{reason}", "{indicator} not estimated: {reason}"),
    "plan.total_mismatch": (
        "“{group}”合计{stated}{unit}，所列子项之和为{summed}{unit}（差{diff}{unit}）",
        "'{group}' states a total of {stated} {unit}, its listed parts sum to {summed} {unit} (difference {diff} {unit})"),
    "plan.column_gap": ("专栏编号不连续：缺少专栏{missing}", "box numbering has a gap: 专栏{missing} is missing"),
    "plan.list_mismatch": ("{where}：正文列出{text_count}项，专栏列出{box_count}项（仅正文：{only_text_s}；仅专栏：{only_box_s}）",
                           "{where}: the text lists {text_count} items, the box {box_count} (text only: {only_text_s}; box only: {only_box_s})"),
    "plan.count_exceeds": ("{where}：“其他{stated}个乡镇”加上已列出的{listed}个，超过全县{total}个乡镇",
                           "{where}: 'the other {stated} townships' plus the {listed} named exceed the county's {total}"),
    "plan.target_no_value": ("目标“{target}”的值待省、市下达后录入", "target '{target}' has no value until the province or city assigns one"),
    "plan.unknown_department": ("任务{task}的责任单位“{department}”不在部门名录中", "task {task} names department '{department}', not in the department list"),
    "plan.duplicate_id": ("编号“{id}”重复", "id '{id}' is used more than once"),
    "plan.capacity_vs_target": (
        "目标“{target}”（{direction}{value}{unit}）：方案所列发电项目装机合计{summed}{unit}，其中抽水蓄能{storage}{unit}；现有电站不在方案项目清单中",
        "target '{target}' ({direction}{value} {unit}): generation projects listed in the plan add up to {summed} {unit}, of which pumped storage {storage} {unit}; existing plants are not in the plan's project list"),
    "target.no_data": ("目标“{target}”在{year}年没有实际值", "target '{target}' has no actual value for {year}"),
    "target.behind": ("目标“{target}”进度落后（{light}）", "target '{target}' is behind ({light})"),
    "target.intensity_rose": ("{indicator}同比上升（一级预警）", "{indicator} rose year on year (level-1 warning)"),
    "import.unchanged": ("文件已导入过，数据无变化", "this file was imported before; nothing changed"),
    # --- monitoring -----------------------------------------------------------------------------
    "input.bad_payload": ("数据包格式错误：{reason}", "malformed batch: {reason}"),
    "input.batch_too_large": ("一批最多{max}条记录，本批{count}条", "a batch holds at most {max} records; this one has {count}"),
    "input.wrong_enterprise": ("enterpriseCode“{value}”与令牌所属单位（{expected}）不符",
                               "enterpriseCode '{value}' does not match the token's unit ({expected})"),
    "input.bad_uscc": ("“{value}”不是有效的统一社会信用代码（{reason}）", "'{value}' is not a valid unified social credit code ({reason})"),
    "input.unknown_unit_code": ("统一社会信用代码“{value}”不在重点用能单位名录中", "'{value}' is not in the registry of key energy-using units"),
    "input.unknown_point": ("计量点“{value}”不属于该单位", "metering point '{value}' is not registered for this unit"),
    "monitoring.incomplete": ("{unit}（{uscc}）{day}实时数据完整率{share}%，低于{min}%",
                              "{unit} ({uscc}) {day}: real-time data {share}% complete, below {min}%"),
    "monitoring.gap": ("{unit} 计量点{point}自{from}至{to}无数据，中断{working_days}个工作日（超过3个）",
                       "{unit} point {point} sent nothing from {from} to {to}: {working_days} working days (more than 3)"),
    "monitoring.calibration_expired": ("{unit} 计量点{point}检定有效期已于{expiry}到期", "{unit} point {point}: calibration expired on {expiry}"),
    "monitoring.calibration_due": ("{unit} 计量点{point}检定有效期将于{expiry}到期", "{unit} point {point}: calibration expires on {expiry}"),
    "monitoring.day_vs_month": ("{unit} 计量点{point} {month}日数据合计{days}与月数据{month_value}相差{diff}%（超过5%）",
                                "{unit} point {point} {month}: daily values sum to {days}, the month value is {month_value} ({diff}% apart, over 5%)"),
    "monitoring.reconcile_205_1": ("{unit} {month}{carrier}在线计量{metered}{measure}，205-1报表{reported}{measure}，相差{diff}%",
                                   "{unit} {month} {carrier}: metered {metered} {measure}, 205-1 form {reported} {measure} ({diff}% apart)"),
    "input.bad_reading": ("读数被拒收：{reason}", "reading refused: {reason}"),
    "reading.accepted": ("已接收", "accepted"),
    "reading.unchanged": ("已存在相同数据，未重复写入", "already stored with the same value; not written again"),
    "reading.unknown_point": ("计量点编码不在本单位名录中", "unknown metering point for this unit"),
    "reading.bad_stat_type": ("统计类型无效（0 实时、1 日、2 月、3 年）", "invalid statType (0 real-time, 1 day, 2 month, 3 year)"),
    "reading.bad_time": ("时间无法解析（ISO 8601，如 2025-12-01T08:15:00+08:00）", "timestamp cannot be parsed (ISO 8601, e.g. 2025-12-01T08:15:00+08:00)"),
    "reading.misaligned": ("时间不是统计周期的起点（实时按采集间隔、日为0时、月为1日0时）",
                           "timestamp is not the start of its period (real-time: the interval; day: 00:00; month: day 1 00:00)"),
    "reading.future": ("统计周期起点晚于当前时间", "the period starts in the future"),
    "reading.not_finite": ("数值不是有限数", "value is not a finite number"),
    "reading.negative": ("数值为负", "value is negative"),
    "reading.impossible": ("数值超过计量点最大速率，不可能出现", "value exceeds the metering point's maximum rate: impossible"),
    "reading.rollback": ("累计值小于前一读数（表计倒走）", "cumulative value is below the previous reading (counter rollback)"),
    "reading.duplicate": ("本批中同一计量点、周期、类型出现不同数值", "same point, period and type repeated in this batch with another value"),
    "reading.conflict": ("与已存数据不一致（已存数据保留；更正请联系管理部门）",
                         "differs from the value already stored (the stored value is kept; corrections go through the county)"),
}


def render(code: str, params: dict[str, Any], lang: str = "zh") -> str:
    try:
        zh, en = _CATALOGUE[code]
    except KeyError:
        return f"{code} {params}"
    template = en if lang == "en" else zh
    try:
        return template.format(**{k: _fmt(v) for k, v in params.items()})
    except (KeyError, IndexError, ValueError):
        return f"{template} {params}"


def known_codes() -> frozenset[str]:
    return frozenset(_CATALOGUE)


def _fmt(v: Any) -> Any:
    """Numbers in messages: no float noise (4.0 → 4, 0.30000000000000004 → 0.3)."""
    if isinstance(v, float):
        return format(v, ".10g")
    return v
