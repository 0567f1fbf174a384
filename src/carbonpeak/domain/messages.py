"""Message catalogue: every user-facing text, Chinese first, English available.

Codes are stable identifiers used in tests and in the API; texts may be improved freely.
"""

from __future__ import annotations

from typing import Any

from .carbon_texts import MESSAGES as CARBON_MESSAGES
from .reporting_texts import CHANNELS as REPORTING_CHANNELS
from .reporting_texts import COLUMNS as REPORTING_COLUMNS
from .reporting_texts import MESSAGES as REPORTING_MESSAGES
from .supervision_texts import MESSAGES as SUPERVISION_MESSAGES
from .target_source_texts import MESSAGES as TARGET_SOURCE_MESSAGES

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
    "input.no_grid": ("{year}年电力行未指定电网：请在“电网”列填写，或先载入规划（按其所在省份取电网因子）",
                      "electricity row of {year} names no grid: fill the grid column, or load a plan (its province's grid is used)"),
    "input.bad_factor_row": ("因子行无效：{reason}", "invalid factor row: {reason}"),
    "input.bad_value": ("“{value}”无效：{reason}", "'{value}' is invalid: {reason}"),
    "input.out_of_band": ("{value}超出合理范围[{low}, {high}]：{reason}",
                          "{value} is outside the plausible range [{low}, {high}]: {reason}"),
    "input.date_outside_year": ("日期{value}不在所选的{year}年内", "the date {value} is not in the year shown ({year})"),
    "input.not_positive": ("数值必须大于0（{value}）", "the value must be above 0 ({value})"),
    "input.plan_invalid": ("规划文件字段“{path}”无效：{reason}", "plan field '{path}' is invalid: {reason}"),
    "input.region_mismatch": ("地区“{value}”不是规划的地区“{region}”", "region '{value}' is not the plan's region '{region}'"),
    "input.not_responsible": ("{department}不负责{what}的数据（负责部门：{responsible}）",
                              "{department} does not maintain {what_en} data (maintained by: {responsible})"),
    "input.not_owner": ("该记录由{owner}维护，本单位不能修改", "this record is maintained by {owner}; your department may not change it"),
    "input.password_short": ("密码至少需要{min}个字符", "the password needs at least {min} characters"),
    "input.password_blank": ("密码不能全是空白字符", "the password must not be all whitespace"),
    "input.password_username": ("密码不能等于或包含用户名", "the password must not be or contain the username"),
    "input.password_common": ("密码过于常见，容易被猜中，请换一个", "the password is too common and easy to guess: choose another"),
    "input.password_trivial": ("密码过于简单（重复或连续的字符），请换一个",
                               "the password is trivial (repeated or consecutive characters): choose another"),
    "input.password_wrong": ("当前密码不正确", "the current password is wrong"),
    "input.bad_sheet": ("工作表无法读取（{reason}）", "the worksheet cannot be read ({reason})"),
    # limits of an imported file (settings.ImportLimits): each names the limit and its setting
    "input.limit.file_size": ("文件大小{size}，超过上限{limit}（上限可通过设置 {setting} 调整）",
                              "the file is {size}, over the limit of {limit} (change it with the setting {setting})"),
    "input.limit.uncompressed": ("XLSX 解压后为{size}，超过上限{limit}（上限可通过设置 {setting} 调整）",
                                 "the XLSX unpacks to {size}, over the limit of {limit} (change it with the setting {setting})"),
    "input.limit.rows": ("行数超过上限：表头之后最多{limit}行，空行也计入（上限可通过设置 {setting} 调整）",
                         "too many rows: at most {limit} rows after the header, blank rows included (change it with the setting {setting})"),
    "input.limit.columns": ("本行有{count}列，超过上限{limit}列（上限可通过设置 {setting} 调整）",
                            "this row has {count} columns, over the limit of {limit} (change it with the setting {setting})"),
    "input.limit.cell": ("单元格有{length}个字符，超过上限{limit}个（上限可通过设置 {setting} 调整）",
                         "the cell has {length} characters, over the limit of {limit} (change it with the setting {setting})"),
    "input.limit.cells": ("单元格总数超过上限{limit}个（上限可通过设置 {setting} 调整）",
                          "more than {limit} cells in all (change it with the setting {setting})"),
    "input.limit.strings": ("XLSX 的共享字符串表有{count}个以上字符串，远多于工作表的{cells}个单元格，不是可导入的表格",
                            "the XLSX shared-string table holds more than {count} strings, far more than the sheet's {cells} cells: not an importable table"),
    "input.bad_encoding": ("文件编码无法识别：请另存为 UTF-8（或 GBK/GB18030、UTF-16）的 CSV，或 XLSX",
                           "the file's encoding is not recognised: save it as CSV in UTF-8 (or GBK/GB18030, UTF-16), or as XLSX"),
    "input.nul_character": ("含有空字符（NUL，\\0），平台不接受：请删除该字符后重试",
                            "contains a NUL character (\\0), which the platform does not accept: remove it and try again"),
    "input.limit.body": ("请求正文超过上限{limit}（文件请用上传接口）",
                         "the request body is over the limit of {limit} (send files through the upload endpoints)"),
    "input.issues_not_shown": ("共{total}个问题，只列出前{shown}个，其余{rest}个未列出（列出个数可通过设置 {setting} 调整）",
                               "{total} issues in all: the first {shown} are listed, the other {rest} are not (change it with the setting {setting})"),
    # --- findings -------------------------------------------------------------------------------
    "factor.electricity.proxy_year": (
        "{year}年无{geography}电网排放因子，按规则使用{proxy_year}年因子（代用值）",
        "no {geography} grid factor for {year}; the {proxy_year} factor is used as a proxy by rule"),
    "flag.illustrative": ("示例数据：标*的数字由示例数据计算或录入，非统计数据",
                          "illustrative: figures marked * are computed from or entered as illustrative data, not statistics"),
    "flag.proxy_factor": ("代用因子：{years}年无当年电网排放因子，按规则使用此前最近公布年份的因子；标†的数字含该代用值",
                          "proxy factor: no grid factor for {years}; the latest earlier published year's is used by rule; figures marked † include it"),
    "factor.unverified": ("使用了未经核实的因子 {factor_id}（{name}）", "an unverified factor {factor_id} ({what}) was used"),
    "accounting.feedstock_no_combustion": (
        "{year}年{carrier}作原料（非能源利用）{quantity}{unit}：计入能耗，不按燃烧计CO2（碳大部分固定在产品中）；"
        "其工业过程排放须按过程法另行填报",
        "{year}: {quantity} {unit} of {carrier} used as feedstock (non-energy use): counted in energy, no "
        "combustion CO2 (its carbon is largely stored in products); report its process emissions separately"),
    "indicator.not_estimated": ("{indicator}未估算：{reason}", "{indicator} not estimated: {reason}"),
    "plan.total_mismatch": (
        "“{group}”合计{stated}{unit}，所列子项之和为{summed}{unit}（差{diff}{unit}）",
        "'{group}' states a total of {stated} {unit}, its listed parts sum to {summed} {unit} (difference {diff} {unit})"),
    "plan.column_gap": ("专栏编号不连续：缺少专栏{missing}", "box numbering has a gap: 专栏{missing} is missing"),
    "plan.list_mismatch": ("{where}：正文列出{text_count}项，专栏列出{box_count}项（仅正文：{only_text_s}；仅专栏：{only_box_s}）",
                           "{where}: the text lists {text_count} items, the box {box_count} (text only: {only_text_s}; box only: {only_box_s})"),
    "plan.count_exceeds": ("{where}：“其他{stated}个乡镇”加上已列出的{listed}个，超过全县{total}个乡镇"
                           "（所列{listed}个中{townships_named}个为现有乡镇，不在乡镇名录中的：{not_townships_s}；可信度：{confidence_zh}；{note}）",
                           "{where}: 'the other {stated} townships' plus the {listed} named exceed the county's {total}"
                           " ({townships_named} of the {listed} named are current townships; not in the township list: "
                           "{not_townships_s}; confidence: {confidence}; {note})"),
    "plan.year_assumed": ("目标“{target}”的目标年（{year}年）为假设：方案未载明（{note}）",
                          "target '{target}': the target year ({year}) is an assumption, not stated in the plan ({note})"),
    "plan.rate_exceeds_total": (
        "{where}：{rate_id}每年{rate}{unit}，一年即超过{total_id}到{year}年的总量{total}{unit}（{ratio}倍；"
        "按{years}年计共{implied}{unit}；{note}）",
        "{where}: {rate_id} gives {rate} {unit} a year, one year alone exceeds {total_id}'s total of {total} {unit} "
        "by {year} ({ratio}×; over {years} years {implied} {unit}; {note})"),
    "plan.unknown_reference": ("{where}：引用的编号“{id}”不存在", "{where}: refers to '{id}', which does not exist"),
    "plan.milestone_not_in_text": ("任务{task}的节点{id}的文字不在方案原文中：“{text}”",
                                   "milestone {id} of task {task} does not quote the plan's text: '{text}'"),
    "plan.target_no_value": ("目标“{target}”的值待省、市下达后录入", "target '{target}' has no value until the province or city assigns one"),
    "plan.unknown_department": ("任务{task}的责任单位“{department}”不在部门名录中", "task {task} names department '{department}', not in the department list"),
    "plan.unknown_data_department": ("数据责任分工中的部门“{department}”不在部门名录中",
                                     "data_departments names department '{department}', not in the department list"),
    "plan.duplicate_id": ("编号“{id}”重复", "id '{id}' is used more than once"),
    "plan.capacity_vs_target": (
        "目标“{target}”（{direction}{value}{unit}）：方案所列发电项目装机合计{summed}{unit}，其中抽水蓄能{storage}{unit}；现有电站不在方案项目清单中",
        "target '{target}' ({direction}{value} {unit}): generation projects listed in the plan add up to {summed} {unit}, of which pumped storage {storage} {unit}; existing plants are not in the plan's project list"),
    "plan.base_assumed": ("目标“{target}”的基期（{base_year}年，基期值{base_value}）为假设：方案未载明（{note}）",
                          "target '{target}': the base ({base_year}, value {base_value}) is an assumption, not stated in the plan ({note})"),
    # --- overview: the two CO2 perspectives --------------------------------------------------------
    "co2.label.territorial": ("直接排放（属地口径）", "Direct emissions (territorial)"),
    "co2.label.with_electricity": ("含电力调入调出", "Including net electricity imports"),
    "co2.lead": ("县域温室气体清单首先报告直接排放（属地口径）：县域内化石能源燃烧和工业过程的二氧化碳；"
                 "含电力调入调出口径另加净调入电力×电网排放因子，净调出电力按电网排放因子抵扣",
                 "County inventories report direct (territorial) emissions first: CO2 from fossil fuel combustion and "
                 "industrial processes within the county. The with-electricity perspective adds net imported electricity × "
                 "the grid factor and credits net exported electricity at the grid factor"),
    "co2.exporter_negative": ("净调出电力按电网排放因子抵扣：{region}为电力净输出县{source}，抵扣{credit}吨，"
                              "超过直接排放{territorial}吨，含电力口径为负",
                              "Net exported electricity is credited at the grid factor: {region} is a net exporter of "
                              "electricity{source_en}; the credit of {credit} t exceeds the direct emissions of {territorial} t, "
                              "so the with-electricity total is negative"),
    "co2.exporter": ("净调出电力按电网排放因子抵扣{credit}吨：{region}为电力净输出县{source}，含电力口径低于直接排放",
                     "Net exported electricity is credited at the grid factor ({credit} t): {region} is a net exporter "
                     "of electricity{source_en}, so the with-electricity total is below the direct emissions"),
    "co2.importer": ("净调入电力按电网排放因子计入{credit}吨，含电力口径高于直接排放",
                     "Net imported electricity is counted at the grid factor ({credit} t), so the with-electricity "
                     "total is above the direct emissions"),
    "co2.source.renewable": ("（本地发电以可再生能源为主，可再生能源发电占比{share}%）",
                             " (local generation mainly renewable: {share} %)"),
    # --- barometer (晴雨表): the one rule, and which branch of it decided each light -----------------
    "barometer.rule": (
        "晴雨表规则（各类目标通用）：①目标值待下达或无实际值：灰；②强度同比上升：红；③到目标年：达标绿，否则红；"
        "④目标年前已达标（达到目标值或未超上限）：绿；⑤否则按时序进度：完成进度 =（实际值 − 基期值）/（目标值 − 基期值），"
        "时序进度 =（当年 − 基期年）/（目标年 − 基期年），完成进度 ≥ 时序进度×{green} 为绿，≥ 时序进度×{yellow} 为黄，低于为红。"
        "基期值依次取方案所载值、基期年实际值，均无则取0（完成进度 = 实际值/目标值）；下降率目标基期值为0；"
        "方案未写基期年的用方案期起始年。基期值本已达标的（如不得超过的上限）无进度可言，未达标即红；"
        "基期年及以前为灰；无基期年且未达标为灰；无基期值的上限类目标未达标为灰。",
        "Barometer rule (every target kind): (1) target value still to be assigned, or no actual value: grey; "
        "(2) an intensity that rose year on year: red; (3) at or after the target year: met = green, else red; "
        "(4) before it, a target already met (value reached, or cap not exceeded): green; (5) otherwise by time "
        "elapsed: progress = (actual − base)/(target − base), time elapsed = (year − base year)/(target year − base year); "
        "green when progress ≥ {green} × time elapsed, yellow when ≥ {yellow} × time elapsed, red below. "
        "Base value: the plan's, else the value observed in the base year, else 0 (progress = actual/target); "
        "0 for a change target; a target without a base year takes the start of the plan period. A target its base "
        "already met (e.g. a cap not to be exceeded) has no distance to travel: not met = red. In or before the base year: grey; "
        "no base year and not met: grey; a cap-like target with no base value, not met: grey."),
    "barometer.why.value_not_assigned": ("目标值待下达 → 灰", "target value still to be assigned → grey"),
    "barometer.why.no_data": ("{year}年无实际值 → 灰", "no actual value for {year} → grey"),
    "barometer.why.intensity_rose": ("强度同比上升{yoy}% → 红", "intensity rose {yoy}% year on year → red"),
    "barometer.why.target_year_met": ("已到目标年{target_year}：实际{actual}，目标{op}{target}，达标 → 绿",
                                      "target year {target_year} reached: actual {actual}, target {op}{target}, met → green"),
    "barometer.why.target_year_missed": ("已到目标年{target_year}：实际{actual}，目标{op}{target}，未达标 → 红",
                                         "target year {target_year} reached: actual {actual}, target {op}{target}, missed → red"),
    "barometer.why.already_met": ("实际{actual}已达目标{op}{target} → 绿", "actual {actual} already meets {op}{target} → green"),
    "barometer.why.no_base_year": ("实际{actual}未达目标{op}{target}；无基期年，无法计算时序进度 → 灰",
                                   "actual {actual} does not meet {op}{target}; no base year, no time path → grey"),
    "barometer.why.no_base": ("实际{actual}未达目标{op}{target}；方案与数据均无基期值，无法判断进度 → 灰",
                              "actual {actual} does not meet {op}{target}; neither plan nor data give a base value, "
                              "progress cannot be judged → grey"),
    "barometer.why.hold_missed": ("实际{actual}未达目标{op}{target}；{base}本已达标，无进度可言 → 红",
                                  "actual {actual} does not meet {op}{target}; {base} already met it, no distance to travel → red"),
    "barometer.why.base_year": ("{base}；{year}年不晚于基期年，尚无进度要求 → 灰",
                                "{base}; {year} is not after the base year, nothing due yet → grey"),
    "barometer.why.path": ("完成进度{progress}，时序进度{elapsed}，比值{ratio}（绿≥{green}，黄≥{yellow}）；{base} → {light}",
                           "progress {progress}, time elapsed {elapsed}, ratio {ratio} (green ≥ {green}, yellow ≥ {yellow}); {base} → {light}"),
    "barometer.base.plan": ("基期{base_year}年值{base_value}（方案所载）", "base {base_year} = {base_value} (stated in the plan)"),
    "barometer.base.plan_assumed": ("基期{base_year}年值{base_value}（基期为假设：方案未载明）",
                                    "base {base_year} = {base_value} (assumed base: not stated in the plan)"),
    "barometer.base.observed": ("基期{base_year}年值{base_value}（基期年实际值）", "base {base_year} = {base_value} (observed in the base year)"),
    "barometer.base.zero": ("基期{base_year}年值取0（方案与数据均无基期值）", "base {base_year} taken as 0 (neither plan nor data give one)"),
    "barometer.base.change": ("基期{base_year}年，下降率目标基期值为0", "base {base_year}; a change target starts from 0"),
    "barometer.assumed": ("基期为假设：方案未载明", "assumed base: not stated in the plan"),
    "barometer.light.green": ("绿", "green"), "barometer.light.yellow": ("黄", "yellow"),
    "barometer.light.red": ("红", "red"), "barometer.light.grey": ("灰", "grey"),
    "target.no_data": ("目标“{target}”在{year}年没有实际值", "target '{target}' has no actual value for {year}"),
    "target.behind": ("目标“{target}”进度落后（{light}）", "target '{target}' is behind ({light})"),
    "target.intensity_rose": ("{indicator}同比上升（一级预警）", "{indicator} rose year on year (level-1 warning)"),
    "import.jump": ("{file}第{row}行：{what}“{key}”{year_from}年{value_from}→{year_to}年{value_to} {unit}，"
                    "同比{change}，超过{factor}倍（文件内相邻年份）；请核对单位与数值",
                    "{file} row {row}: {what} '{key}' {year_from} {value_from} → {year_to} {value_to} {unit}, "
                    "{change} year on year, beyond a factor of {factor} (within the file); check the unit and value"),
    "import.jump_stored": ("{file}第{row}行：{what}“{key}”{year_from}年{value_from}→{year_to}年{value_to} {unit}，"
                           "同比{change}，超过{factor}倍（与已存数据相比）；请核对单位与数值",
                           "{file} row {row}: {what} '{key}' {year_from} {value_from} → {year_to} {value_to} {unit}, "
                           "{change} year on year, beyond a factor of {factor} (against the stored data); check the unit and value"),
    "import.unchanged": ("文件已导入过，数据无变化", "this file was imported before; nothing changed"),
    # --- scenario peaks (domain/peaks.py) ------------------------------------------------------------
    "peak.rule": (
        "达峰判定：峰值M为历史与预测期（至{horizon}年）的最大值；达峰年为最后一段处于平台区间[M−{tol}×M, M]内的"
        "连续年份的首年；以下情形为未达峰（仍在上升）：该段平台的最高值出现在{horizon}年，或{horizon}年比最后{window}年"
        "（自该最高值起）的最低值高出{tol}×M以上；百分位数中未达峰的抽样按晚于{horizon}年计",
        "Peak rule: the peak M is the maximum over history and projection (to {horizon}); the peak year is the "
        "first year of the last run of years within the plateau band [M − {tol}×M, M]; a draw has not peaked "
        "(still rising) if the highest year of that run is {horizon}, or if {horizon} is more than {tol}×M above "
        "the lowest of the last {window} years (from that highest year on); in the percentiles a not-peaked "
        "draw counts as later than {horizon}"),
    "peak.not_peaked": ("未达峰（至{horizon}年仍上升）", "not peaked (still rising in {horizon})"),
    # --- scenario results and page (domain/scenarios.py, web/pages.py) ---------------------------------
    "scenario.share_rule": ("每年按当年系数折算；无当年系数的未来年份沿用最近已知年份的系数；能源消费总量仍按核算口径",
                            ("each year at its own coefficient; future years without one at the last known "
                             "year's; energy totals stay on the accounting's convention")),
    "scenario.wedge.generation": ("方案发电项目", "plan generation projects"),
    "scenario.wedge.projects": ("方案项目：{type_zh}", "plan projects: {type_en}"),
    "scenario.wedge.other": ("其他（能效等）", "other (incl. efficiency)"),
    "scenario.lmdi.history": ("历史 {from}→{to}年", "history {from}→{to}"),
    "scenario.lmdi.vs_parent": ("相对{parent_zh}（{year}年）", "vs {parent_en} ({year})"),
    "scenario.lever.gdp_growth": ("GDP 年增速", "GDP growth"),
    "scenario.lever.intensity_change": ("能耗强度年变化", "energy intensity change"),
    "scenario.lever.grid_factor_change": ("电网排放因子年变化", "grid emission factor change"),
    "scenario.lever.switch": ("{from}→{to}，自{start}年起", "{from} → {to}, from {start}"),
    "scenario.lever.switch_rate": ("每年转换比例", "share switched per year"),
    "scenario.unit.pct_per_year": ("%/年", "% a year"),
    "scenario.perspective.territorial": ("属地排放", "territorial"),
    "scenario.perspective.with_electricity": ("含电力调入调出的排放", "with electricity"),
    "scenario.edited": ("{name}（调整）", "{name} (edited)"),
    "scenario.page.iamc_csv": ("下载 IAMC 格式数据（CSV）", "IAMC data (CSV)"),
    "scenario.page.api": ("接口文档", "API"),
    "scenario.unit.tco2": ("吨二氧化碳", "tCO2"),
    # --- monitoring -----------------------------------------------------------------------------
    "input.bad_payload": ("数据包格式错误：{reason}", "malformed batch: {reason}"),
    "input.limit.batch_bytes": ("数据包大小{size}，超过上限{limit}", "the batch is {size}, over the limit of {limit}"),
    "input.batch_too_large": ("一批最多{max}条记录，本批{count}条", "a batch holds at most {max} records; this one has {count}"),
    "input.wrong_enterprise": ("“{value}”与令牌所属单位（{expected}）不符",
                               "'{value}' does not match the token's unit ({expected})"),
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
    "monitoring.reconcile_205_1": ("{unit} {month}{carrier}在线计量{metered}{measure_zh}，205-1报表{reported}{measure_zh}，相差{diff}%",
                                   "{unit} {month} {carrier}: metered {metered} {measure}, 205-1 form {reported} {measure} ({diff}% apart)"),
    "monitoring.rule.quality": ("GB/T 38692-2020 及省级实践：数据完整率≥90%，日/月数据偏差≤5%，故障3个工作日内修复",
                                "GB/T 38692-2020 and provincial practice: completeness ≥ 90 %, daily vs monthly within 5 %, "
                                "faults repaired within 3 working days"),
    "monitoring.rule.calibration": ("GB 17167-2006 计量器具检定", "GB 17167-2006 calibration of measuring instruments"),
    "monitoring.rule.form_205_1": ("205-1《能源购进、消费与库存》", "form 205-1 (energy purchase, consumption and stock)"),
    "monitoring.project.在建": ("在建", "under construction"), "monitoring.project.拟建": ("拟建", "planned"),
    "monitoring.project.存量": ("存量", "existing"),
    "monitoring.benchmark.confirmed": ("已核对", "confirmed"), "monitoring.benchmark.unverified": ("待核对", "unverified"),
    "monitoring.benchmark.missing": ("缺失", "missing"),
    "input.bad_reading": ("读数被拒收：{reason}", "reading refused: {reason}"),
    "reading.accepted": ("已接收", "accepted"),
    "reading.unchanged": ("已存在相同数据，未重复写入", "already stored with the same value; not written again"),
    "reading.unknown_point": ("计量点编码不在本单位名录中", "unknown metering point for this unit"),
    "reading.bad_stat_type": ("统计类型无效（0 实时、1 日、2 月、3 年）", "invalid statType (0 real-time, 1 day, 2 month, 3 year)"),
    "reading.bad_time": ("时间无法解析或不在1970–9998年之间（ISO 8601，如 2025-12-01T08:15:00+08:00）",
                         "timestamp cannot be parsed or is outside 1970–9998 (ISO 8601, e.g. 2025-12-01T08:15:00+08:00)"),
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
    "reading.expired": ("早于读数保留期（该月原始读数已归档为汇总值，不再接收）",
                        "before the readings' retention period (that month's readings are kept as rollups only)"),
    "reading.too_old": ("早于可接收的最早月份（超出补传时限）",
                        "before the earliest month accepted (outside the backfill window)"),
    # --- what a figure depends on, named beside it on every surface ---------------------------
    "figure.convention.calorific": ("电力当量值", "electricity at calorific value"),
    "figure.convention.equivalent": ("电力等价值", "electricity at equivalent value"),
    "figure.price_base": ("GDP {year}年不变价", "GDP at constant {year} prices"),
}
_CATALOGUE.update(TARGET_SOURCE_MESSAGES)  # targets fed by their records (domain/target_sources.py)
_CATALOGUE.update(CARBON_MESSAGES)  # carbon dual control (domain/carbon)
_CATALOGUE.update(SUPERVISION_MESSAGES)  # energy supervision (services/supervision)
_CATALOGUE.update(REPORTING_MESSAGES)  # statistical reporting (domain/reporting)


# Input that is not a file (a reading batch by channel, a request body): the name an issue
# carries as its ``file`` (kept as is in API bodies) and how a message names it.
CHANNELS: dict[str, tuple[str, str]] = {
    "http": ("HTTP 数据包", "HTTP batch"), "mqtt": ("MQTT 消息", "MQTT message"),
    "request": ("请求正文", "request body"), "query": ("查询参数", "query parameters"), "path": ("请求路径", "path"),
}
CHANNELS.update(REPORTING_CHANNELS)  # the reporting form (domain/reporting)
CHANNEL_COLUMNS: dict[str, dict[str, tuple[str, str]]] = {"form": REPORTING_COLUMNS}  # a channel's field names


def column_label(file: str, column: str, lang: str = "zh") -> str:
    """How a message names a field of a channel (the field's own name when none is given)."""
    zh, en = CHANNEL_COLUMNS.get(file, {}).get(column, (column, column))
    return en if lang == "en" else zh


# Names of what scenario specs and the project registry call by code (scenario wedges and levers).
CARRIER_GROUPS: dict[str, tuple[str, str]] = {
    "coal": ("煤炭", "coal"), "oil": ("油品", "oil"), "gas": ("天然气", "natural gas"),
    "electricity": ("电力", "electricity"), "heat": ("热力", "heat"),
}
PROJECT_TYPES: dict[str, tuple[str, str]] = {
    "pv": ("光伏发电", "solar PV"), "wind": ("风力发电", "wind power"), "biomass_power": ("生物质发电", "biomass power"),
    "hydro": ("水力发电", "hydropower"), "pumped_storage": ("抽水蓄能", "pumped storage"),
    "storage": ("新型储能", "battery storage"), "central_heating": ("集中供热", "central heating"),
    "building_retrofit": ("建筑节能改造", "building retrofit"),
}
SWITCH_NAMES: dict[str, tuple[str, str]] = {  # the bundled specs' fuel switches
    "煤改气": ("煤改气", "coal to gas"), "煤改电": ("煤改电", "coal to electricity"),
    "新能源汽车": ("新能源汽车", "new-energy vehicles"),
}


def _named(table: dict[str, tuple[str, str]], code: str, lang: str, fallback: tuple[str, str]) -> str:
    zh, en = table.get(code, fallback)
    return en if lang == "en" else zh


def group_name(code: str, lang: str = "zh") -> str:
    """A carrier group's name (domain/projection.GROUPS)."""
    return _named(CARRIER_GROUPS, code, lang, ("其他能源", code))


def project_type_name(code: str, lang: str = "zh") -> str:
    """A registry project type's name; an unknown type is "其他项目" in Chinese, never its code."""
    return _named(PROJECT_TYPES, code, lang, ("其他项目", code))

def source_label(name: str, lang: str = "zh") -> tuple[str, bool]:
    """How a message names the input ``name``, and whether it is a channel (its parts are fields)."""
    known = CHANNELS.get(name)
    return (known[1] if lang == "en" else known[0], True) if known else (name, False)


def said(zh: str, en: str) -> dict[str, str]:
    """A message parameter in both languages (a reason, say): the message shows the reader's."""
    return {"zh": zh, "en": en}


def render(code: str, params: dict[str, Any], lang: str = "zh") -> str:
    try:
        zh, en = _CATALOGUE[code]
    except KeyError:
        return f"{code} {params}"
    template = en if lang == "en" else zh
    try:
        return template.format(**{k: _fmt(v, lang) for k, v in params.items()})
    except (KeyError, IndexError, ValueError):
        return f"{template} {params}"


def known_codes() -> frozenset[str]:
    return frozenset(_CATALOGUE)


def _fmt(v: Any, lang: str = "zh") -> Any:
    """Numbers in messages: no float noise (4.0 → 4, 0.30000000000000004 → 0.3); a parameter
    given in both languages (:func:`said`) in the reader's."""
    if isinstance(v, float):
        return format(v, ".10g")
    if isinstance(v, dict) and set(v) == {"zh", "en"}:
        return v["en" if lang == "en" else "zh"]
    return v
