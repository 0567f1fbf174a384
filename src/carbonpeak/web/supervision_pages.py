"""Energy supervision pages: the inspectors' and enterprises' workbench (/supervision) and the
public page (/supervision/public: inspections done, decided findings, the violators list)."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from ..api.deps import lang as lang_of
from ..api.deps import platform as platform_of
from ..api.deps import principal as principal_of
from ..domain import supervision as rules
from ..services import supervision as sup
from .pages import _page, _public

router = APIRouter(include_in_schema=False)

# UI strings of these pages, Chinese first (the shared catalogue is web/i18n.py)
UI: dict[str, tuple[str, str]] = {
    "title": ("节能监察", "Energy supervision"), "public_title": ("节能监察公开", "Energy supervision: public results"),
    "plan_clause": (("依据实施方案三（三）1、专栏7：对年能耗1000吨标煤以上用能企业分批开展节能监察，根据需要开展能源审计，"
                     "向社会公开节能监察工作情况，依法公布违规企业名单。"),
                    ("The county plan (三（三）1, box 7): units using 1 000 tce a year or more are inspected in batches, "
                     "energy audits are ordered where needed, supervision work and the violators list are published.")),
    "indicators": ("计算指标", "Computed targets"), "subject": ("监察对象（年综合能耗≥1000吨标煤）", "Units subject (≥ 1 000 tce a year)"),
    "batches": ("监察批次", "Batches"), "cases": ("监察案件", "Cases"), "new_batch": ("新建批次", "New batch"),
    "new_case": ("录入检查", "Record an inspection"), "unit": ("单位", "Unit"), "department": ("监察部门", "Department"),
    "inspected_on": ("检查日期", "Inspected"), "status": ("状态", "Status"), "findings": ("检查发现的问题", "Findings"),
    "item": ("检查项", "Checklist item"), "legal_basis": ("法律依据", "Legal basis"), "severity": ("严重程度", "Severity"),
    "rectification": ("整改要求", "Rectification demanded"), "deadline": ("整改期限", "Deadline"),
    "decision": ("处理决定", "Decision"), "decide": ("作出决定", "Decide"), "penalty": ("罚款（元）", "Penalty (yuan)"),
    "credit": ("记入信用记录", "Credit record"), "price": ("电价建议", "Electricity price"),
    "publish": ("向社会公开", "Publish"), "close": ("结案", "Close"), "note": ("说明", "Note"),
    "evidence": ("整改材料", "Evidence"), "upload": ("上传整改材料（PDF/PNG/JPEG，≤10 MB）", "Upload evidence (PDF/PNG/JPEG, ≤ 10 MB)"),
    "accept": ("整改通过", "Accept"), "reject": ("整改未通过", "Reject"), "date": ("日期", "Date"),
    "code": ("编号", "Code"), "name": ("名称", "Name"), "from": ("开始", "From"), "to": ("结束", "To"),
    "units": ("单位（统一社会信用代码，逗号分隔）", "Units (credit codes, comma-separated)"), "save": ("保存", "Save"),
    "description": ("问题描述", "Description"), "inspectors": ("检查人员", "Inspectors"), "record": ("检查记录", "Record"),
    "batch": ("批次", "Batch"), "basis": ("依据", "Basis"), "registry": ("名录", "registry"),
    "energy_audits": ("能源审计", "Energy audits"), "clean_audits": ("清洁生产审核", "Clean-production audits"),
    "due": ("报告期限", "Report due"), "received": ("报告收到", "Report received"), "stage": ("阶段", "Stage"),
    "group": ("行业", "Industry"), "mandatory": ("强制性", "Mandatory"), "inspections": ("检查单位次", "Inspections"),
    "units_inspected": ("检查单位数", "Units inspected"), "decided": ("已作出处理决定", "Decided"),
    "published": ("已公开", "Published"), "violators": ("违规企业名单", "Violators list"),
    "decided_cases": ("已决定并公开的案件", "Decided and published cases"), "value": ("数值", "Value"),
    "rule": ("规则", "Rule"), "counted": ("计入", "Counted"), "no_cases": ("暂无", "none"),
    "never_public": ("未作出处理决定的案件不公开；不公开检查记录、检查人员和整改材料。",
                     "Undecided cases are never published; inspection records, inspectors and evidence files are not published."),
    "staff_page": ("监察工作台（需登录）", "Workbench (sign in)"), "public_page": ("公开页面", "Public page"),
    "measures": ("处理措施", "Measures"), "closed_on": ("结案日期", "Closed"), "year": ("年份", "Year"),
    "overdue": ("逾期", "overdue"), "reason": ("原因", "Reason"), "case": ("案件编号", "Case"),
    "order_audit": ("要求开展能源审计", "Order an energy audit"), "list_audit": ("列入审核名单", "Put on the audit list"), "illustrative_note": ("标 * 的为示例数据（虚构单位与案件），非真实监察记录。",
                                                         "Records marked * are illustrative (fictitious units and cases), not real supervision records."),
}


def st(key: str, lang: str) -> str:
    zh, en = UI.get(key, (key, key))
    return en if lang == "en" else zh


def _names(lang: str) -> dict[str, Any]:
    return {"st": lambda k: st(k, lang), "checklist_items": [(i.code, i.en if lang == "en" else i.zh) for i in rules.CHECKLIST],
            "severities": [(k, rules.name(rules.SEVERITIES, k, lang)) for k in rules.SEVERITIES],
            "prices": [(k, rules.name(rules.PRICE_PROPOSALS, k, lang)) for k in rules.PRICE_PROPOSALS],
            "departments": rules.SUPERVISION_DEPARTMENTS, "next_stage": rules.next_stage,
            "stage_name": lambda k: rules.name(rules.AUDIT_STAGE_NAMES, k, lang),
            "groups": [(k, rules.name(rules.INDUSTRY_GROUPS, k, lang)) for k in rules.INDUSTRY_GROUPS]}


def _year(p, year: int | None) -> int:
    """The requested year (1990–2100), else the latest year the records speak of, else this year."""
    if year is not None and 1990 <= year <= 2100:
        return year
    return max((y for y in sup.record_years(p) if y <= date.today().year), default=date.today().year)


@router.get("/supervision", response_class=HTMLResponse)
def supervision_page(request: Request, year: int | None = None):
    """Inspectors open and decide cases; an enterprise sees and answers its own; anonymous
    visitors are sent to the public page."""
    who = principal_of(request)
    if who is None:
        return RedirectResponse("/supervision/public", status_code=303)
    p = platform_of(request)
    lg = lang_of(request)
    y = _year(p, year)
    county = who.role != "enterprise"
    inspector = who.role == "admin" or (who.role == "dept_editor" and who.department in rules.SUPERVISION_DEPARTMENTS)
    clean_inspector = who.role == "admin" or (who.role == "dept_editor" and who.department in rules.CLEAN_AUDIT_DEPARTMENTS)
    return _page(request, "supervision.html", "supervision", y=y, county=county, inspector=inspector,
                 clean_inspector=clean_inspector,
                 units=sup.subject_units(p) if county else [], batches=sup.list_batches(p) if county else [],
                 cases=sup.list_cases(p, who, None, lg), energy_audits=sup.list_energy_audits(p, who),
                 clean_audits=sup.list_clean_audits(p, who, lg), indicators=sup.all_computed(p, y), **_names(lg))


@router.get("/supervision/public", response_class=HTMLResponse)
def supervision_public_page(request: Request, year: int | None = None):
    p = platform_of(request)
    lg = lang_of(request)
    y = _year(p, year)
    return _public(request, "supervision_public.html", "supervision",
                   lambda: {"v": sup.public_view(p, y, lg), "y": y, **_names(lg)}, (y,), sup.TOPICS,
                   cache=year is None or y == year)
