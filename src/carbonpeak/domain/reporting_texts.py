"""Messages of statistical reporting (domain/reporting), merged into the catalogue (domain/messages.py)."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "reporting.bad_period": ("“{value}”不是有效的报告期（应为 {expected}）", "'{value}' is not a valid period ({expected})"),
    "reporting.out_of_range": ("{value}超出允许范围[{low}, {high}]（单位：{unit}）",
                               "{value} is outside the allowed range [{low}, {high}] (unit: {unit})"),
    "reporting.wrong_unit": ("单位“{value}”不符：本项以“{expected}”填报", "unit '{value}' is wrong: this field is reported in '{expected}'"),
    "reporting.unknown_field": ("表单中没有“{value}”这一项", "the form has no field '{value}'"),
    "reporting.past_deadline": ("首个报告期{period}的截止日期{due}已过：新建填报任务的截止日期不能早于今天（{today}）",
                                ("the first period {period} would be due on {due}, already past: a new obligation may "
                                 "not start with a deadline before today ({today})")),
    "reporting.unknown_department": ("“{value}”不是方案所列的责任单位", "'{value}' is not a department the plan lists"),
    "reporting.unknown_subject": ("方案中没有目标“{value}”", "the plan has no target '{value}'"),
    "reporting.not_editable": ("该期数据{status}，不能再修改", "this period's data is {status}: it can no longer be changed"),
    "reporting.not_submitted": ("该期数据{status}，不在待审核状态", "this period's data is {status}, not awaiting review"),
    "reporting.comment_needed": ("退回时请说明原因", "say why when returning a submission"),
    # notifications (the in-app list of each account, and the reminder e-mails)
    "reporting.notice.submitted": ("{department}报送了“{title}”{period}的数据，待审核",
                                   "{department} submitted '{title}' for {period}: awaiting review"),
    "reporting.notice.returned": ("“{title}”{period}的数据被退回：{comment}", "'{title}' for {period} was returned: {comment}"),
    "reporting.notice.approved": ("“{title}”{period}的数据已审核通过", "'{title}' for {period} was approved"),
    "reporting.notice.due_soon": ("“{title}”{period}的数据将于{due}截止报送", "'{title}' for {period} is due on {due}"),
    "reporting.notice.overdue": ("“{title}”{period}的数据已逾期（截止{due}）", "'{title}' for {period} is overdue (due {due})"),
}
CHANNELS: dict[str, tuple[str, str]] = {"form": ("填报表单", "reporting form")}
# how a message names the form's fields (the API answer keeps the field's own name in ``column``)
COLUMNS: dict[str, tuple[str, str]] = {
    "value": ("数值", "value"), "period": ("报告期", "period"), "first_period": ("首个报告期", "first period"),
    "department": ("责任单位", "department"), "subject": ("目标", "target"), "code": ("编号", "code"),
    "due_days": ("截止天数", "days after the period"), "comment": ("审核意见", "review comment"),
    "period_kind": ("报告周期", "period kind"), "investment_wan": ("本年完成投资", "investment"),
    "completion_pct": ("完成进度", "completion"), "quantity": ("本年投运规模", "put into service"),
}
STATUS_NAMES: dict[str, tuple[str, str]] = {
    "open": ("未填报", "not started"), "draft": ("草稿", "draft"), "submitted": ("已报送，待审核", "submitted, awaiting review"),
    "returned": ("已退回", "returned"), "approved": ("已审核通过", "approved"),
}
KIND_NAMES: dict[str, tuple[str, str]] = {
    "target": ("目标指标", "target indicator"), "form_205_1": ("205-1能源报表（月报）", "205-1 energy form (monthly)"),
    "project": ("项目进展", "project progress"), "task": ("任务进展", "task progress"),
}
PERIOD_NAMES: dict[str, tuple[str, str]] = {"year": ("年报", "yearly"), "quarter": ("季报", "quarterly"),
                                            "month": ("月报", "monthly")}


def name(table: dict[str, tuple[str, str]], key: str, lang: str = "zh") -> str:
    zh, en = table.get(key, ("—", key))
    return en if lang == "en" else zh
