"""The carbon dual-control page (/carbon, 碳排放双控): figures on each factor basis, the 以电折碳 estimate
(labelled 估算), the county budget and its decomposition by the chosen rule, tracking with warnings,
the 15th-plan targets and the 协同考核 table, project reviews. For the county's signed-in roles."""

from __future__ import annotations

import math
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from ..api.deps import lang as lang_of
from ..api.deps import platform as platform_of
from ..api.deps import principal as principal_of
from ..domain.carbon import Rule
from ..domain.messages import render
from ..services import carbon, permissions
from ..services.carbon import barometer as carbon_barometer
from ..services.errors import CarbonPeakError
from .pages import _page

router = APIRouter(include_in_schema=False)

UI: dict[str, tuple[str, str]] = {
    "title": ("碳排放双控", "Carbon dual control"),
    "lead": (("依据国办发〔2024〕39号：“十五五”时期实行以强度控制为主、总量控制为辅的碳排放双控；每个数值注明电力排放因子口径、"
             "分解规则或估算方法。标 * 的为示例数据。"),
             ("After 国办发〔2024〕39号 the 15th plan period binds carbon intensity with the total beside it; every figure names "
             "its electricity factor basis, decomposition rule or estimate. Values marked * are illustrative.")),
    "figures": ("各口径排放与强度", "CO2 and intensity on each basis"), "year": ("年份", "Year"),
    "basis": ("电力排放因子口径", "Electricity factor basis"), "factor": ("因子（吨二氧化碳/兆瓦时）", "Factor (tCO2/MWh)"),
    "direct": ("直接排放（吨）", "Direct (t)"), "elec_mwh": ("终端用电量（兆瓦时）", "Electricity (MWh)"),
    "green": ("绿证电量（兆瓦时）", "Green certificates (MWh)"), "total": ("排放总量（吨二氧化碳）", "Total (tCO2)"),
    "intensity": ("强度（吨二氧化碳/万元）", "Intensity (tCO2/10⁴ yuan)"), "price_base": ("价格基年", "Price base"),
    "net": ("清单净排放（本地发电抵扣）", "Inventory net total"), "proxy": ("借用年份", "proxy year"),
    "periods": ("规划期强度变化", "Change over the plan periods"), "period": ("时期", "Period"),
    "change": ("强度变化", "Intensity change"), "total_change": ("总量变化", "Total change"), "partial": ("截至最新年份", "to the latest year"),
    "estimate": ("以电折碳月度估算（估算值）", "Monthly estimate from electricity (estimate)"),
    "month": ("月份", "Month"), "calibration": ("校准清单年份", "Calibration year"), "band": ("误差带", "Error band"),
    "last_inventory": ("最近正式清单", "Last official inventory"), "backtest": ("回测（各部门与总量的平均绝对百分比误差）", "Back-test (MAPE per sector and total)"),
    "sector": ("部门", "Sector"), "mape": ("平均绝对百分比误差", "MAPE"), "max_error": ("最大误差", "Largest error"),
    "missing": ("缺少数据的月份", "Months without data"), "not_estimated": ("未估算的部门", "Sectors not estimated"),
    "budget": ("县碳排放预算 2026–2030", "County carbon budget 2026–2030"), "base": ("基准", "Base"),
    "gdp": ("地区生产总值（万元，基准年价）", "GDP (10⁴ yuan, base-year prices)"), "budget_t": ("预算（吨二氧化碳）", "Budget (tCO2)"),
    "decomposition": ("预算分解", "Decomposition"), "level": ("分解对象", "Level"), "rule": ("分解规则", "Rule"),
    "weight_basis": ("权重依据", "Weights"), "reserve": ("新增项目预留", "Reserve for new projects"),
    "entity": ("对象", "Entity"), "share": ("份额", "Share"), "apply": ("分解", "Decompose"),
    "tracking": ("预算执行与预警", "Budget use and warnings"), "actual": ("实际/估算（吨二氧化碳）", "Actual / estimate (tCO2)"),
    "available": ("可用预算（吨二氧化碳）", "Budget so far (tCO2)"), "ratio": ("使用率", "Use"), "level_w": ("预警等级", "Level"),
    "thresholds": ("阈值：预警 ≥ {y}，超预算 > {r}", "Thresholds: warning ≥ {y}, over budget > {r}"),
    "targets": ("“十五五”目标与年度节点", "15th-plan targets and milestones"), "target": ("目标", "Target"),
    "in_barometer": ("目标晴雨表中同列", "also in the target barometer"),
    "value": ("数值", "Value"), "status": ("状态", "Status"), "source": ("来源", "Source"), "light": ("晴雨表", "Barometer"),
    "milestone": ("强度节点（吨二氧化碳/万元）", "Intensity milestone"), "assigned": ("下达年度降幅（%）", "Assigned annual fall (%)"),
    "assessment": ("协同考核表", "Assessment table"), "name": ("名称", "Name"), "sectors": ("所含部门", "Sectors"),
    "note": ("说明", "Note"), "reviews": ("项目碳评审（历史版本）", "Project carbon reviews (history)"),
    "version": ("版本", "Version"), "verdict": ("结论", "Verdict"), "co2": ("年排放（吨二氧化碳/年）", "CO2 (t/a)"),
    "reasons": ("理由", "Reasons"), "actor": ("评审人", "By"), "at": ("时间", "When"), "none": ("暂无", "none"),
    "unavailable": ("暂无法计算", "Not available"), "t_co2": ("吨二氧化碳", "tCO2"), "ton": ("吨", "t"), "review_how": ("新项目评审通过平台接口或命令行提交，每次评审保存为新版本（见使用文档）。",
                                                                  "Review a new project with POST /api/carbon/reviews or `carbonpeak carbon review`."),
}


def _section(fn) -> tuple[Any, str]:
    """A section's result, or the reason it cannot be shown (a refusal or missing data, as text)."""
    try:
        return fn(), ""
    except CarbonPeakError as exc:
        return None, str(exc)


def _num(v: float | None, digits: int = 0) -> str:
    if v is None or (isinstance(v, float) and not math.isfinite(v)):
        return "—"
    return f"{v:,.{digits}f}"


@router.get("/carbon", response_class=HTMLResponse)
def carbon_page(request: Request, level: str = "sector", rule: str = "historical_share", year: int | None = None):
    who = principal_of(request)
    if who is None or who.role not in permissions.OPERATIONS["carbon.read"]:
        return RedirectResponse("/login?next=/carbon", status_code=303)
    p = platform_of(request)
    lg = lang_of(request)
    level = level if level in carbon.LEVELS else "sector"
    rule = rule if rule in {r.value for r in Rule} else "historical_share"
    ctx, why = _section(lambda: carbon.context(p))
    data: dict[str, Any] = {"why": why}
    if ctx is not None:
        for key, fn in (("figures", lambda: carbon.carbon_figures(p, ctx)),
                        ("estimate", lambda: carbon.monthly_estimate(p, None, ctx)),
                        ("path", lambda: carbon.county_path(p, ctx)),
                        ("decomp", lambda: carbon.decomposition(p, level, rule, year, ctx=ctx)),
                        ("tracking", lambda: carbon.tracking(p, ctx)),
                        ("targets", lambda: carbon.targets(p, lg, ctx)),
                        ("assessment", lambda: carbon.assessment(p, None, ctx)),
                        ("reviews", lambda: carbon.review_history(p))):
            data[key], data[f"{key}_why"] = _section(fn)
    data["targets_basis"] = carbon_barometer.qualifier(data["targets"], lg) if data.get("targets") else ""
    return _page(request, "carbon.html", "carbon", st=lambda k: _st(k, lg), ct=lambda kind, code: render(
        f"carbon.{kind}.{code}", {}, lg), n=_num, level=level, rule=rule, levels=carbon.LEVELS,
                 rules=[r.value for r in Rule], **data)


def _st(key: str, lang: str) -> str:
    zh, en = UI.get(key, (key, key))
    return en if lang == "en" else zh
