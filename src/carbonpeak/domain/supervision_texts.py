"""Messages of energy supervision (services/supervision), merged into the catalogue (domain/messages.py)."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "supervision.rule.T16": (
        "强制性清洁生产审核落实率 = 截至年末通过验收的强制性审核企业数 ÷ 截至当年列入强制性清洁生产审核"
        "名单的建材、矿产业、食品加工业企业数 × 100%",
        "mandatory clean-production audit rate = enterprises of the mandatory list (building materials, "
        "mining, food) listed by the year whose audit was accepted by 31 December ÷ enterprises so "
        "listed × 100 %"),
    "supervision.rule.T18": (
        "节能监察信息公开率 = 当年作出处理决定的监察案件中已向社会公开的件数 ÷ 当年作出处理决定的监察案"
        "件数 × 100%（未作出处理决定的案件不公开，也不计入）",
        "inspection disclosure rate = cases decided in the year that are published ÷ cases decided in "
        "the year × 100 % (an undecided case is never published and not counted)"),
    "supervision.rule.T19": (
        "违法用能行为查处执行率 = 当年检查查实违法用能行为的案件中已作出处理决定并执行完毕结案的件数 ÷ "
        "当年检查查实违法用能行为的案件数 × 100%（违法：严重程度为“一般违法”或“严重违法”的问题）",
        "violation enforcement rate = cases inspected in the year with a violation found that are "
        "decided and closed ÷ cases inspected in the year with a violation found × 100 % (a violation: a"
        " finding of severity 'violation' or 'serious violation')"),
    "input.sup.choice": ("“{value}”无效，可选：{choices}", "'{value}' is invalid; one of: {choices}"),
    "input.sup.date_before": ("日期{value}早于{what}{other}", "the date {value} is before {what_en} {other}"),
    "input.sup.not_in_year": ("日期{value}不在{year}年内", "the date {value} is not in {year}"),
    "input.sup.unknown_batch": ("没有编号为“{value}”的监察批次", "no supervision batch '{value}'"),
    "input.sup.unit_not_in_batch": ("该单位不在监察批次“{value}”中", "the unit is not in supervision batch '{value}'"),
    "input.sup.bad_state": ("案件{case}当前状态（{status}）不能{action}", "case {case} ({status}) cannot {action_en}"),
    "input.sup.undecided": ("案件{case}尚未作出处理决定，不能公开（未决案件一律不公开）",
                            "case {case} is not decided yet and cannot be published (an undecided case is never public)"),
    "input.sup.price_without_limit": ("只有查实单位产品能耗超过限额（检查项“单位产品能耗”的违法问题）时，才能建议差别电价或惩罚性电价",
                                      "a differentiated or punitive electricity price can be proposed only when the unit "
                                      "was found above the limit value (a violation on 'unit product energy')"),
    "input.sup.awaiting_review": ("第{number}项问题的整改材料尚未审核，不能结案",
                                  "the rectification evidence of finding {number} is not reviewed yet: the case cannot be closed"),
    "input.sup.note_required": ("请填写说明（驳回理由，或未通过整改的问题如何处理）",
                                "a note is required (why it is rejected, or how findings not rectified were dealt with)"),
    "input.sup.nothing_to_review": ("第{number}项问题没有待审核的整改材料", "finding {number} has no evidence awaiting review"),
    "input.sup.already_accepted": ("第{number}项问题的整改已通过，无需再提交", "the rectification of finding {number} is already accepted"),
    "input.sup.evidence_type": ("文件“{name}”不是 PDF、PNG 或 JPEG（按文件名和文件内容判断）",
                                "the file '{name}' is not a PDF, PNG or JPEG (by its name and its content)"),
    "input.sup.evidence_size": ("文件大小{size}，超过上限{limit}", "the file is {size}, over the limit of {limit}"),
    "input.sup.stage_order": ("审核阶段须依次推进：当前为“{stage}”，下一阶段为“{next}”",
                              "stages are recorded in order: the current one is '{stage}', the next '{next}'"),
    "input.sup.not_mandatory_group": ("行业“{value}”不在强制性清洁生产审核行业（建材、矿产业、食品加工业）之列",
                                      "industry '{value}' is not one of the mandatory audit industries (building "
                                      "materials, mining, food)"),
}
