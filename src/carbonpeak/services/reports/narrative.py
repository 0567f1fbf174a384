"""The report's narrative, written from the assessment's own fields: overall progress, the targets
behind and why (barometer and LMDI), tasks and key projects, the peak outlook, recommendations from
the red lights. It computes nothing: every number is a field of the Assessment, rounded by labels.num."""

from __future__ import annotations

from ...domain.labels import EFFECTS, LIGHTS, PROJECT_TYPES, TASK_STATES, num, pick, say, wan
from .model import Assessment, Section

LIST_AT_MOST = 5


def narrative(a: Assessment) -> list[Section]:
    return [s for s in (_overall(a), _behind(a), _projects(a), _outlook(a), _recommendations(a)) if s.paragraphs]


def _counts(a: Assessment) -> str:
    c, n = (a.targets.counts if a.targets else {}), len(a.target_rows)
    parts = [pick(f"{say(LIGHTS, k, a.lang)}{c.get(k, 0)}项", f"{c.get(k, 0)} {k}", a.lang) for k in ("green", "yellow", "red")
             if c.get(k)]
    grey = c.get("grey", 0)
    return pick(f"方案{n}项目标中，{'、'.join(parts) or '无亮灯目标'}；{grey}项暂无当年实际值（不计为零）。",
                f"Of the plan's {n} targets: {', '.join(parts) or 'none lit'}; {grey} have no actual value for the year "
                "(not counted as zero).", a.lang)


def _overall(a: Assessment) -> Section:
    p = []
    if a.inventory:
        t = a.inventory["totals"]
        p.append(pick(f"{a.year}年，{a.plan['region']}能源消费总量{wan(t['energy_tce'])}万吨标准煤，属地二氧化碳排放"
                      f"{wan(t['co2_territorial_t'])}万吨，含电力调入调出{wan(t['co2_with_electricity_t'])}万吨"
                      + ("（本地可再生能源发电净调出，按电网排放因子抵扣后为负值）" if t["co2_with_electricity_t"] < 0 else "") + "。",
                      f"In {a.year}, {a.plan['region']} consumed {wan(t['energy_tce'])} × 10⁴ tce; territorial CO2 was "
                      f"{wan(t['co2_territorial_t'])} × 10⁴ t, {wan(t['co2_with_electricity_t'])} × 10⁴ t with electricity.", a.lang))
    p.append(_counts(a))
    tt = a.task_totals
    if tt:
        parts = pick("、", ", ", a.lang).join(pick(f"{say(TASK_STATES, k, a.lang)}{v}项", f"{v} {say(TASK_STATES, k, a.lang)}", a.lang)
                                              for k, v in tt.items())
        p.append(pick(f"重点任务{sum(tt.values())}项：{parts}。", f"{sum(tt.values())} tasks: {parts}.", a.lang))
    return Section(pick("（一）总体进展", "Overall progress", a.lang), p)


def _lmdi(a: Assessment) -> str | None:
    h = a.outlook.history if a.outlook else None
    if not h:
        return None
    eff = h["effects"]
    sep = pick("", " ", a.lang)
    parts = [f"{say(EFFECTS, k, a.lang)}{sep}{'+' if eff[k] >= 0 else '−'}{wan(abs(eff[k]))}{pick('万吨', ' × 10⁴ t', a.lang)}"
             for k in ("activity", "energy_intensity", "carbon_intensity", "not_decomposed") if k in eff and round(eff[k] / 1e4, 2)]
    return pick(f"对数平均迪氏指数（LMDI）分解：{h['from']}—{h['to']}年属地直接二氧化碳排放变化"
                f"{'+' if eff['total'] >= 0 else '−'}{wan(abs(eff['total']))}万吨，其中" + "，".join(parts) + "。",
                f"LMDI decomposition: territorial direct CO2 changed by {wan(eff['total'])} × 10⁴ t from {h['from']} to "
                f"{h['to']}: " + ", ".join(parts) + ".", a.lang)


def _behind(a: Assessment) -> Section:
    p = []
    behind = [t for t in a.target_rows if t.light in ("red", "yellow")]
    for t in behind:
        p.append(pick(f"{t.name}（{t.id}，{say(LIGHTS, t.light, a.lang)}）：{t.why}",
                      f"{t.name} ({t.id}, {say(LIGHTS, t.light, a.lang)}): {t.why}", a.lang))
    if not behind:
        p.append(pick("没有红灯或黄灯目标。", "No target has a red or yellow light.", a.lang))
    lm = _lmdi(a)
    if lm:
        p.append(lm)
    late = a.tasks_late
    if late:
        names = pick("；", "; ", a.lang).join(f"{t.title}（{'、'.join(t.departments)}）" for t in late[:LIST_AT_MOST])
        more = pick(f"等{len(late)}项", f" and {len(late) - LIST_AT_MOST} more", a.lang) if len(late) > LIST_AT_MOST else ""
        p.append(pick(f"滞后任务：{names}{more}。", f"Late tasks: {names}{more}.", a.lang))
    return Section(pick("（二）滞后目标与原因", "Targets behind and why", a.lang), p)


def _projects(a: Assessment) -> Section:
    if not a.projects:  # said, not skipped: the sections keep their numbers (一、二、三、四)
        return Section(pick("（三）重点项目", "Key projects", a.lang),
                       [pick("项目库中没有重点项目（规划文件未列入或尚未载入）。",
                             "The registry holds no key projects (the plan file lists none, or none are loaded yet).",
                             a.lang)])
    total = sum(r.projects for r in a.projects)
    built = sum(r.by_status.get("completed", 0) for r in a.projects)
    building = sum(r.by_status.get("under_construction", 0) for r in a.projects)
    top = pick("、", ", ", a.lang).join(pick(f"{r.name}{r.projects}个", f"{r.projects} {r.name}", a.lang) for r in a.projects[:3])
    p = [pick(f"项目库共{total}个项目（{top}等），已建成{built}个，在建{building}个。",
              f"{total} projects in the registry ({top}…): {built} completed, {building} under construction.", a.lang)]
    due = a.projects_due
    if due:
        names = pick("、", ", ", a.lang).join(pick(f"{d.name}（{say(PROJECT_TYPES, d.type, a.lang)}）",
                                                 f"{d.name} ({say(PROJECT_TYPES, d.type, a.lang)})", a.lang)
                                            for d in due[:LIST_AT_MOST])
        p.append(pick(f"计划年份已到但尚未建成的项目{len(due)}个，包括{names}。",
                      f"{len(due)} projects are due by {a.year} and not completed, among them {names}.", a.lang))
    return Section(pick("（三）重点项目", "Key projects", a.lang), p)


def _outlook(a: Assessment) -> Section:
    o = a.outlook
    if o is None:
        return Section(pick("（四）达峰展望", "Peak outlook", a.lang),
                       [pick("没有可用的方案情景，未作达峰展望。", "No policy scenario is available: no peak outlook.", a.lang)])
    pct = num(o.p_peak_by_2030 * 100, "%")
    head = pick(f"按“{o.scenario}”（以{o.base_year}年为基年，{o.draws:,}次蒙特卡洛抽样），",
                f"Under “{o.scenario}” (base year {o.base_year}, {o.draws:,} Monte Carlo draws) ", a.lang)
    y = o.peak_year
    if y.get("p50") is None:
        when = pick(f"过半抽样至{o.horizon}年二氧化碳排放仍未达峰", f"most draws have not peaked by {o.horizon}", a.lang)
    elif y.get("p10") is not None and y.get("p90") is not None:
        when = pick(f"二氧化碳排放达峰年份中位数为{y['p50']}年（10%—90%分位：{y['p10']}—{y['p90']}年）",
                    f"the median peak year is {y['p50']} (P10–P90: {y['p10']}–{y['p90']})", a.lang)
    else:
        when = pick(f"二氧化碳排放达峰年份中位数为{y['p50']}年", f"the median peak year is {y['p50']}", a.lang)
    text = head + when + pick(f"，2030年前（含）达峰的概率为{pct}%。", f"; P(peak ≤ 2030) = {pct} %.", a.lang)
    p = [text, o.rule]
    if o.illustrative:
        p.append(pick("情景假设为示例假设，结论仅供参考。", "The scenario's assumptions are illustrative.", a.lang))
    return Section(pick("（四）达峰展望", "Peak outlook", a.lang), p)


def _recommendations(a: Assessment) -> Section:
    p = []
    for t in (t for t in a.target_rows if t.light == "red"):
        p.append(pick(f"{t.name}为红灯：建议牵头单位制定专项推进计划，明确年度工作量，按季度调度并在下次评估中复核。",
                      f"{t.name} is red: the lead department should set a catch-up plan with yearly quantities, "
                      "reviewed each quarter.", a.lang))
    red_units = [u["name"] for u in (a.monitoring or {}).get("units", []) if (u.get("budget") or {}).get("light") == "red"]
    if red_units:
        p.append(pick(f"用能预算红灯的重点用能单位（{'、'.join(red_units)}）：建议开展节能监察，落实用能预算管理。",
                      f"Key units over their energy budget ({', '.join(red_units)}): energy-saving supervision.", a.lang))
    by_dept = [r for r in a.tasks if r.late][:LIST_AT_MOST]
    if by_dept:
        p.append(pick("督促" + "、".join(f"{r.department}（滞后{r.late}项）" for r in by_dept) + "加快推进滞后任务。",
                      "Follow up the late tasks of " + ", ".join(f"{r.department} ({r.late})" for r in by_dept) + ".", a.lang))
    if a.missing:
        p.append(pick(f"补齐缺失数据（共{len(a.missing)}项，见“缺失数据”一节），以便对全部目标作出评价。",
                      f"Fill the {len(a.missing)} data gaps (see “Missing data”) so that every target can be assessed.", a.lang))
    return Section(pick("（五）工作建议", "Recommendations", a.lang), p)
