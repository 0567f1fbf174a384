"""The tables of the report's section 碳排放双控, as (headers, rows, kinds) like tables.py: raw values
of the services/carbon results kept in the Assessment (carbon_section.py); the Word file prints
them rounded, the Excel file keeps them exact. Kinds: "" text, "t" a quantity, "p" a percentage
(the value in %), "u" by the row's unit. Years are text (never "2,026")."""

from __future__ import annotations

from typing import Any

from ...domain.labels import LIGHTS, UNITS, pick, say
from ...domain.messages import render
from .model import Assessment
from .tables import Table


def _c(kind: str, code: str, lang: str) -> str:
    return render(f"carbon.{kind}.{code}", {}, lang)


def _pct(v: float | None) -> float | None:
    return None if v is None else v * 100.0


def figures(a: Assessment) -> Table:
    """Per inventory year and factor basis: the factor, the total (direct + all electricity consumed) and
    the intensity at the plan period's constant prices; the inventory's net total in the note."""
    lg, f = a.lang, a.carbon.figures
    rows = []
    for r in f.rows:
        note = [pick(f"{r.price_base_year}年价", f"{r.price_base_year} prices", lg)]
        note += [pick(f"借用{r.proxy_year}年因子", f"factor of {r.proxy_year}", lg)] if r.proxy_year else []
        note += [pick("示例", "illustrative", lg)] if r.illustrative else []
        rows.append([str(r.year), _c("basis_short", r.basis, lg), r.factor_t_per_mwh, r.total_co2_t, r.intensity,
                     r.inventory_net_co2_t, pick("；", "; ", lg).join(note)])
    return ([pick("年份", "year", lg), pick("电力排放因子口径", "factor basis", lg),
             pick("因子（吨二氧化碳/兆瓦时）", "factor (tCO2/MWh)", lg), pick("排放总量（吨二氧化碳）", "total (tCO2)", lg),
             pick("强度（吨二氧化碳/万元）", "intensity (tCO2/10⁴ yuan)", lg),
             pick("清单净排放（吨二氧化碳）", "inventory net (tCO2)", lg), pick("说明", "note", lg)],
            rows, ["", "", "f", "t", "t", "t", ""])


def periods(a: Assessment) -> Table:
    lg = a.lang
    rows = [[_c("period", p.period, lg), _c("basis_short", p.basis, lg),
             f"{p.start_year}—{p.end_year}" + (pick("（截至最新年份）", " (to the latest year)", lg) if p.partial else ""),
             p.start_intensity, p.end_intensity, _pct(p.intensity_change), _pct(p.total_change)]
            for p in a.carbon.figures.periods] or [[pick("暂无", "none", lg)] + ["—"] * 6]
    return ([pick("时期", "period", lg), pick("电力排放因子口径", "factor basis", lg), pick("年份", "years", lg),
             pick("期初强度（吨二氧化碳/万元）", "start intensity", lg), pick("期末强度（吨二氧化碳/万元）", "end intensity", lg),
             pick("强度变化（%）", "intensity change (%)", lg), pick("总量变化（%）", "total change (%)", lg)],
            rows, ["", "", "", "t", "t", "p", "p"])


def targets(a: Assessment) -> Table:
    """The targets as the barometer rates them in the report's year (the factor basis is named with
    the table: carbon_section._targets); the value rated is the change vs the base year or the cap."""
    lg, t = a.lang, a.carbon.targets
    rows = [[r.id, f"{r.name}（{_c('status', r.status, lg)}）" if lg != "en" else f"{r.name} ({_c('status', r.status, lg)})",
             r.rated_value, r.actual, say(UNITS, r.unit, lg) or r.unit, say(LIGHTS, r.light, lg), r.why] for r in t.targets]
    return ([pick("编号", "id", lg), pick("目标", "target", lg), pick("目标值", "target value", lg), pick("实际值", "actual", lg),
             pick("单位", "unit", lg), pick("评价", "light", lg), pick("判定", "why", lg)],
            rows, ["", "", "u", "u", "", "", ""])


def milestones(a: Assessment) -> Table:
    lg = a.lang
    rows = [[str(m.year), m.intensity, m.assigned_pct, _c("status", m.assigned_status, lg)] for m in a.carbon.targets.milestones]
    base = a.carbon.path.base_year if a.carbon.path else ""
    return ([pick("年份", "year", lg), pick(f"强度节点（吨二氧化碳/万元，{base}年价）", f"intensity milestone ({base} prices)", lg),
             pick("下达年度降幅（%）", "assigned annual fall (%)", lg), pick("状态", "status", lg)],
            rows, ["", "t", "p", ""])


def _use(a: Assessment) -> dict[str, Any]:
    tr = a.carbon.tracking
    return {u.period: u for u in tr.years} if tr else {}


def budget(a: Assessment) -> Table:
    lg, p, use = a.lang, a.carbon.path, _use(a)
    rows = []
    for y, g, i, b in zip(p.years, p.gdp, p.intensity, p.budget_t):
        u = use.get(str(y))
        src = "" if u is None else _c("source", "估算" if u.estimated else "inventory", lg)
        rows.append([str(y), g, i, b, u.actual_t if u else None, _pct(u.ratio) if u else None,
                     _c("light", u.level, lg) if u else pick("尚无数据", "no data yet", lg), src or "—"])
    return ([pick("年份", "year", lg), pick(f"地区生产总值（万元，{p.base_year}年价）", f"GDP (10⁴ yuan, {p.base_year} prices)", lg),
             pick("强度（吨二氧化碳/万元）", "intensity (tCO2/10⁴ yuan)", lg), pick("预算（吨二氧化碳）", "budget (tCO2)", lg),
             pick("实际或估算（吨二氧化碳）", "actual or estimate (tCO2)", lg), pick("使用率（%）", "use (%)", lg),
             pick("预警等级", "level", lg), pick("来源", "source", lg)],
            rows, ["", "t", "t", "t", "t", "p", "", ""])


def months(a: Assessment) -> Table:
    lg = a.lang
    rows = [[u.period, u.actual_t, u.budget_t, _pct(u.ratio), _c("light", u.level, lg),
             _c("source", "估算" if u.estimated else "inventory", lg)] for u in a.carbon.tracking.months]
    return ([pick("月份", "month", lg), pick("累计排放（吨二氧化碳）", "cumulative CO2 (t)", lg),
             pick("截至当月预算（吨二氧化碳）", "budget due (tCO2)", lg), pick("使用率（%）", "use (%)", lg),
             pick("预警等级", "level", lg), pick("来源", "source", lg)], rows, ["", "t", "t", "p", "", ""])


def assessment(a: Assessment) -> Table:
    """协同考核, departments: their sectors' budget against the sectors' CO2 in the year's inventory."""
    lg = a.lang
    rows = [[r.name, "、".join(r.sectors) or "—", r.budget_t, r.actual_t, _pct(r.ratio), _c("light", r.level, lg)]
            for r in a.carbon.assessment.rows if r.kind == "department"]
    return ([pick("责任部门", "department", lg), pick("所含行业", "sectors", lg), pick("预算（吨二氧化碳）", "budget (tCO2)", lg),
             pick("实际排放（吨二氧化碳）", "actual (tCO2)", lg), pick("使用率（%）", "use (%)", lg), pick("等级", "level", lg)],
            rows, ["", "", "t", "t", "p", ""])


def townships(a: Assessment) -> Table:
    """协同考核, townships: their budget (no township inventory: no actual claimed)."""
    lg = a.lang
    rows = [[r.name, r.budget_t] for r in a.carbon.assessment.rows if r.kind == "township"]
    return ([pick("乡镇", "township", lg), pick("预算（吨二氧化碳）", "budget (tCO2)", lg)], rows, ["", "t"])


def legend(a: Assessment) -> str:
    """The short names of the factor bases in the tables, with their full names."""
    colon, semi = pick("：", ": ", a.lang), pick("；", "; ", a.lang)
    return semi.join(f"{_c('basis_short', b, a.lang)}{colon}{_c('basis', b, a.lang)}" for b in a.carbon.figures.bases)


def notes(a: Assessment, kind: str) -> list[str]:
    """The notes of the assessment rows of ``kind``, each once, in the reader's words."""
    got = [r.note for r in a.carbon.assessment.rows if r.kind == kind and r.note]
    return [_c("text", n, a.lang) for n in dict.fromkeys(got)]


def joined(a: Assessment, parts: list[str]) -> str:
    return pick("；", "; ", a.lang).join(parts)


def estimate(a: Assessment) -> Table:
    lg, e = a.lang, a.carbon.estimate
    est = _c("source", "估算", lg)
    rows: list[list[Any]] = [[f"{e.year}-{m.month:02d}", m.co2_t, est, "—"] for m in e.months_list]
    band = "—" if e.low_t is None else f"{e.low_t:,.0f}—{e.high_t:,.0f}"
    rows.append([pick(f"{e.year}年1—{e.months}月合计", f"{e.year} months 1–{e.months}", lg), e.total_t, est, band])
    rows.append([pick(f"最近正式清单（{e.last_inventory_year}年全年）", f"last inventory ({e.last_inventory_year}, full year)", lg),
                 e.last_inventory_co2_t, pick("正式清单", "inventory", lg), "—"])
    return ([pick("期间", "period", lg), pick("排放（吨二氧化碳）", "CO2 (t)", lg), pick("性质", "kind", lg),
             pick("误差带（吨二氧化碳）", "error band (tCO2)", lg)], rows, ["", "t", "", ""])


def backtest(a: Assessment) -> Table:
    lg, b = a.lang, a.carbon.estimate.back_test
    rows = [[s.sector, _pct(s.mape), _pct(s.band)] for s in b.sectors]
    rows.append([pick("合计", "total", lg), _pct(b.mape_total), _pct(b.band_total)])
    years = "、".join(str(y) for y in b.years)
    return ([pick("部门", "sector", lg), pick(f"平均绝对百分比误差（%，回测{years}年）", f"mean abs. % error (back-test {years})", lg),
             pick("最大误差（%）", "largest error (%)", lg)], rows, ["", "p", "p"])
