"""Statistical reporting pages: entry (/reporting: my obligations' periods, web form or Excel
form, draft and submit), review (/reporting/review: the previous period beside each submission,
approve or return with a comment) and each account's notifications (/notifications)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from ..api.deps import lang as lang_of
from ..api.deps import platform as platform_of
from ..api.deps import principal as principal_of
from ..domain.reporting import EDITABLE, PERIOD_KINDS, REVIEW_DEPARTMENT
from ..domain.reporting_texts import KIND_NAMES, PERIOD_NAMES, name
from ..services import permissions, plans
from ..services import reporting as rep
from .pages import _page

router = APIRouter(include_in_schema=False)

UI: dict[str, tuple[str, str]] = {
    "title": ("统计填报", "Statistical reporting"), "review_title": ("数据审核", "Review"),
    "notices_title": ("通知", "Notifications"),
    "clause": (("依据实施方案：贯彻落实区域、重点行业、企业碳排放基础统计报表制度，领导小组定期调度。各责任单位按填报任务报送本部门指标，"
                f"{REVIEW_DEPARTMENT}审核；只有审核通过的数据进入核算、晴雨表、报告和开放数据。"),
               ("The county plan: regional, sector and enterprise carbon statistics are reported regularly. Each "
                f"department reports its indicators; {REVIEW_DEPARTMENT} reviews; only approved values reach accounting, "
                "the barometer, reports and open data.")),
    "obligation": ("填报任务", "Obligation"), "department": ("责任单位", "Department"), "period": ("报告期", "Period"),
    "due": ("截止日期", "Due"), "status": ("状态", "Status"), "value": ("数值", "Value"), "unit": ("单位", "Unit"),
    "note": ("说明", "Note"), "save": ("保存草稿", "Save draft"), "submit": ("报送", "Submit"),
    "overdue": ("逾期", "overdue"), "due_soon": ("即将截止", "due soon"), "comment": ("审核意见", "Review comment"),
    "attach": ("上传佐证材料（PDF/PNG/JPEG，≤10 MB）", "Attach evidence (PDF/PNG/JPEG, ≤ 10 MB)"),
    "excel": ("下载Excel填报表", "Excel form"), "upload": ("上传填好的Excel表并报送", "Upload the filled form and submit"),
    "none": ("暂无", "none"), "previous": ("上期", "Previous period"), "flagged": ("变化超过50%，请核实", "changed by more than 50 %: check"),
    "approve": ("审核通过", "Approve"), "return": ("退回", "Return"), "reopen": ("退回更正", "Send back for correction"),
    "reporter": ("填报人", "Reporter"), "queue": ("待审核", "Awaiting review"), "approved": ("已审核通过", "Approved"),
    "history": ("填报记录", "History"), "when": ("时间", "When"), "who": ("操作人", "By"), "action": ("操作", "Action"),
    "defaults": ("按实施方案生成填报任务", "Create obligations from the plan"), "new": ("新建填报任务", "New obligation"),
    "code": ("编号", "Code"), "target": ("目标", "Target"), "first_period": ("首个报告期", "First period"),
    "due_days": ("报告期结束后天数", "Days after the period"), "create": ("新建", "Create"),
    "obligations": ("填报任务", "Obligations"), "kind": ("任务类型", "Kind"), "read_all": ("全部标为已读", "Mark all read"),
    "unread": ("未读", "unread"), "no_review": ("您的账号不能审核（仅审核部门与管理员）", "Your account does not review (reviewers and administrators only)"),
    "illustrative_note": ("标 * 的为示例数据（演示用填报任务与数值），非真实统计数据。",
                          "Rows marked * are illustrative (demo obligations and values), not real statistics."),
    "act_draft": ("保存草稿", "saved a draft"), "act_submit": ("报送", "submitted"), "act_return": ("退回", "returned"),
    "act_approve": ("审核通过", "approved"), "act_evidence": ("上传佐证材料", "attached evidence"),
    "freezes": ("封存的评估年度", "Frozen assessment years"), "freeze": ("封存该年度（新版本）", "Freeze the year (new version)"),
    "year": ("年度", "Year"), "version": ("版本", "Version"), "reason": ("原因", "Reason"),
    "diff": ("版本差异", "What changed"), "no_change": ("两个版本没有差异", "the two versions do not differ"),
    "f_actual": ("实际值", "actual value"), "f_light": ("灯号", "light"),
    "f_entered": ("填报值", "entered value"), "field": ("项目", "Item"), "before": ("原值", "Before"),
    "after": ("新值", "After"),
    "manage": ("管理填报任务", "Manage obligations"), "edit": ("编辑", "Edit"), "period_kind": ("报告周期", "Period kind"),
    "generate": ("按实施方案生成更多填报任务", "More obligations from the plan"),
    "generate_note": (("重点用能单位的205-1能源月报（次月10日前，由各单位报送，县统计局汇总）、方案任务里程碑所列项目的年度进展"
                       "（次年1月31日前）、各项任务的季度进展（季后10日前，由牵头单位报送）。已有的任务保留不变。"),
                      ("The key units' monthly 205-1 energy forms (by the 10th of the next month), yearly progress of the "
                       "projects the plan's milestones name (by 31 January), quarterly progress of each task (by the 10th "
                       "after the quarter, by its lead department). Existing obligations are kept.")),
    "generate_run": ("生成", "Generate"), "all_kinds": ("全部", "all"), "low": ("下限", "Low"), "high": ("上限", "High"),
    "save_changes": ("保存修改", "Save changes"), "saved": ("已保存", "Saved"),
    "edit_note": (("修改记入审计日志（修改前后）。责任单位只能从方案所列单位中选；尚未填报的任务，首个报告期的截止日期不能早于今天；"
                   "已有填报记录的任务不能改变报告周期。未报送的各期按新的截止规则计算。"),
                  ("Changes are audited (before and after). The department must be one the plan lists; an obligation "
                   "not yet reported may not start with a past deadline; once periods were entered the period kind stays. "
                   "Periods not yet submitted take the new deadline rule.")),
}


def st(key: str, lang: str) -> str:
    zh, en = UI.get(key, (key, key))
    return en if lang == "en" else zh


def _can_enter(who, v: rep.PeriodView, obligations: dict[str, rep.ObligationView]) -> bool:
    ob = obligations.get(v.code)
    if ob is None or v.status not in (*EDITABLE, "open"):
        return False
    try:
        permissions.require_submit(who, ob.department, ob.unit_uscc)
    except Exception:  # noqa: BLE001  (Forbidden: no form for this row)
        return False
    return True


def _signed_in(request: Request):
    who = principal_of(request)
    if who is None:
        return None, RedirectResponse(f"/login?next={request.url.path}", status_code=303)
    return who, None


@router.get("/reporting", response_class=HTMLResponse)
def reporting_page(request: Request):
    who, away = _signed_in(request)
    if away:
        return away
    p, lg = platform_of(request), lang_of(request)
    obligations = {o.code: o for o in rep.list_obligations(p, who, lg)}
    rows = rep.periods(p, who, lang=lg)
    plan = plans.stored_plan(p)
    extra: dict[str, Any] = {}
    if who.role == "admin" and plan is not None:
        extra = {"targets": [(t.id, t.name) for t in plan.targets], "departments": plan.departments}
    return _page(request, "reporting.html", "reporting", st=lambda k: st(k, lg), rows=rows, obligations=obligations,
                 can_enter=lambda v: _can_enter(who, v, obligations), **extra)


@router.get("/reporting/review", response_class=HTMLResponse)
def review_page(request: Request):
    who, away = _signed_in(request)
    if away:
        return away
    p, lg = platform_of(request), lang_of(request)
    queue = rep.review_queue(p, who, lang=lg)
    done = rep.review_queue(p, who, lang=lg, status="approved")[-50:]
    chains = {(v.code, v.period): rep.chain(p, who, v.code, v.period) for v in [*queue, *done]}
    return _page(request, "review.html", "reporting", st=lambda k: st(k, lg), queue=queue, done=done, chains=chains,
                 reviewer=permissions.may_review(who))


@router.get("/notifications", response_class=HTMLResponse)
def notifications_page(request: Request):
    who, away = _signed_in(request)
    if away:
        return away
    p, lg = platform_of(request), lang_of(request)
    return _page(request, "notifications.html", "reporting", st=lambda k: st(k, lg), notes=rep.list_for(p, who, lg))


@router.get("/reporting/freezes", response_class=HTMLResponse)
def freezes_page(request: Request, year: int | None = None, a: int | None = None, b: int | None = None):
    """The frozen years and their versions; with two versions, what changed between them."""
    who, away = _signed_in(request)
    if away:
        return away
    p, lg = platform_of(request), lang_of(request)
    every = rep.versions(p, who)
    years = sorted({v.year for v in every})
    y = year if year in years else (years[-1] if years else None)
    mine = [v for v in every if v.year == y]
    diff = None
    if len(mine) >= 2:
        b = b if b in {v.version for v in mine} else mine[-1].version
        a = a if a in {v.version for v in mine} else b - 1 if b > 1 else 1
        diff = rep.diff(p, who, y, a, b)
    return _page(request, "freezes.html", "reporting", st=lambda k: st(k, lg), years=years, y=y, versions=mine,
                 diff=diff, admin=who.role == "admin")


def _kind_name(lang: str):
    return lambda k: name(KIND_NAMES, k, lang)


@router.get("/reporting/obligations", response_class=HTMLResponse)
def obligations_page(request: Request):
    """Administrators: every obligation, each with its edit page; more generated from the plan."""
    who, away = _signed_in(request)
    if away:
        return away
    if who.role != "admin":
        return RedirectResponse("/reporting", status_code=303)
    p, lg = platform_of(request), lang_of(request)
    return _page(request, "obligations.html", "reporting", st=lambda k: st(k, lg), obligations=rep.list_obligations(p, who, lg),
                 kinds=rep.KINDS, kind_name=_kind_name(lg))


@router.get("/reporting/obligations/{code}", response_class=HTMLResponse)
def obligation_edit_page(request: Request, code: str):
    who, away = _signed_in(request)
    if away:
        return away
    if who.role != "admin":
        return RedirectResponse("/reporting", status_code=303)
    p, lg = platform_of(request), lang_of(request)
    found = [o for o in rep.list_obligations(p, who, lg) if o.code == code]
    plan = plans.stored_plan(p)
    if not found or plan is None:
        return RedirectResponse("/reporting/obligations", status_code=303)
    return _page(request, "obligation_edit.html", "reporting", st=lambda k: st(k, lg), o=found[0],
                 departments=plan.departments, kind_name=_kind_name(lg),
                 period_kinds=[(k, name(PERIOD_NAMES, k, lg)) for k in PERIOD_KINDS])
