"""The annual assessment report (年度评估报告), the dispatch report (调度通报) and the open data sets,
as plain data. Every number comes from the same service call the API answers with, so a report
and the API agree for the same year (tested); the renderers (report_files.py) only lay them out.

A section without data says what is missing instead of printing zeros.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from ..domain.findings import InputIssue
from ..domain.tracking import BarometerRule
from . import buildings, flags, monitoring, plans, registry, sinks, views
from .errors import InputRejected, NotFound
from .platform import Platform

Progress = Callable[[str, int, int], None]  # (step name, step number, steps)

STEPS = ("plan", "targets", "inventory", "monitoring", "projects_tasks", "sinks", "buildings", "annex")
STEP_NAMES = {"plan": ("规划", "plan"), "targets": ("目标晴雨表", "targets"), "inventory": ("能源与碳排放清单", "inventory"),
              "monitoring": ("重点用能单位", "key units"), "projects_tasks": ("项目与任务", "projects and tasks"),
              "sinks": ("碳汇", "sinks"), "buildings": ("公共建筑", "buildings"), "annex": ("数据说明", "annex")}
TASK_STATES = ("done", "on_track", "late")


def _t(zh: str, en: str, lang: str) -> str:
    return en if lang == "en" else zh


def task_state(task: dict[str, Any]) -> str:
    """done: marked done; late: past its deadline and not done, or marked delayed; else on track."""
    if task["status"] == "done":
        return "done"
    if task["overdue"] or task["status"] == "delayed":
        return "late"
    return "on_track"


def assessment(platform: Platform, year: int, lang: str = "zh", rule: BarometerRule | None = None,
               progress: Progress | None = None) -> dict[str, Any]:
    """Everything the annual assessment report of ``year`` shows, section by section."""
    rule = rule or BarometerRule()
    say = progress or (lambda *_: None)
    missing: list[str] = []
    out: dict[str, Any] = {"year": year, "lang": lang, "generated_at": datetime.now().isoformat(timespec="seconds")}

    say("plan", 1, len(STEPS))
    plan = plans.stored_plan(platform)
    if plan is None:
        raise NotFound("no plan loaded: load a plan first (carbonpeak plan load FILE)")
    out["plan"] = {"name": plan.name, "region": plan.region, "code": plan.code}
    out["title"] = _t(f"{plan.region}碳达峰实施方案 {year}年度评估报告", f"{plan.region} carbon-peaking plan: assessment of {year}", lang)

    say("targets", 2, len(STEPS))
    bar = views.barometer(platform, year, lang, rule)
    out["targets"] = bar
    no_value = [t for t in bar["targets"] if t["light"] == "grey"]
    if len(no_value) == len(bar["targets"]):
        missing.append(_t(f"{year}年没有任何目标的实际值：晴雨表全部为灰色（无数据），不是零",
                          f"no target has an actual value for {year}: every light is grey (no data), not zero", lang))
    elif no_value:
        missing.append(_t(f"{len(no_value)}项目标在{year}年没有实际值（灰色）：" + "、".join(t["id"] for t in no_value),
                          f"{len(no_value)} targets have no actual value for {year} (grey): " + ", ".join(t["id"] for t in no_value), lang))

    say("inventory", 3, len(STEPS))
    try:
        inv = views.inventory_view(platform, year, lang=lang)
        ov = views.overview(platform, year, lang)
        out["inventory"] = {k: inv[k] for k in ("totals", "by_sector", "by_carrier", "convention", "factor_releases",
                                                "findings", "illustrative_lines", "metered_key_units", "source", "flags")}
        out["inventory"]["factors"] = _factors_used(inv["lines"])
        out["inventory"]["lines"] = len(inv["lines"])
        out["indicators"] = [h for h in ov["headline"] if h.get("year") == year]
        out["series"] = ov["series"]
    except NotFound as exc:
        out["inventory"] = None
        out["indicators"] = []
        out["series"] = []
        missing.append(_t(f"{year}年没有能源活动数据：能源消费、碳排放与强度指标未估算（{exc}）",
                          f"no activity data for {year}: energy, CO2 and intensities are not estimated ({exc})", lang))

    say("monitoring", 4, len(STEPS))
    units = monitoring.units_view(platform, year, lang=lang)
    metered = [u for u in units["units"] if u["energy_tce"] > 0]
    if not units["units"]:
        out["monitoring"] = None
        missing.append(_t("没有重点用能单位名录", "no key energy-using units registered", lang))
    else:
        out["monitoring"] = units
        if not metered:
            missing.append(_t(f"{year}年没有重点用能单位的在线监测数据", f"no metered data of key units for {year}", lang))

    say("projects_tasks", 5, len(STEPS))
    tasks = registry.list_tasks(platform)
    out["tasks"] = _tasks_by_department(tasks)
    out["tasks_late"] = [t for t in tasks if task_state(t) == "late"]
    projects = registry.list_projects(platform)
    out["projects"] = _projects_by_type(projects)
    out["projects_due"] = [p for p in projects if p["year"] and p["year"] <= year and p["status"] not in ("completed", "cancelled")]

    say("sinks", 6, len(STEPS))
    try:
        out["sinks"] = sinks.stored_ledger(platform, plan.land_area_km2)
    except NotFound:
        out["sinks"] = None
        missing.append(_t("没有森林资源调查（小班）数据：碳汇未估算", "no forest inventory: the sink is not estimated", lang))

    say("buildings", 7, len(STEPS))
    try:
        g = buildings.stored_grades(platform, year, lang=lang)
        out["buildings"] = g if g.get("year") == year else None
    except NotFound:
        out["buildings"] = None
    if out["buildings"] is None:
        missing.append(_t(f"{year}年没有公共建筑能耗数据", f"no public-building energy for {year}", lang))

    say("annex", 8, len(STEPS))
    out["missing"] = missing
    out["flags"] = _flags(out, year, lang)
    out["annex"] = [{"what": n, "status": _t("标注", "flag", lang), "source": "services/flags.py"}
                    for n in out["flags"]["notes"]] + _annex(out, lang)
    return out


def _flags(out: dict[str, Any], year: int, lang: str) -> dict[str, Any]:
    """The report's two flags: illustrative if any figure it shows is, proxy if its inventory or a
    target rests on a proxy grid factor (services/flags.py)."""
    parts = [f for f in ((out.get("inventory") or {}).get("flags"), out["targets"].get("flags")) if f]
    units = (out.get("monitoring") or {}).get("units", [])
    ill = any(f["illustrative"] for f in parts) or any(u.get("illustrative") for u in units) \
        or bool((out.get("buildings") or {}).get("illustrative"))
    years = sorted({y for f in parts if f["proxy_factor"] for y in f["proxy_years"]})
    return flags.summary(ill, any(f["proxy_factor"] for f in parts), years or [year], lang)


def _factors_used(lines: list[dict]) -> list[dict]:
    seen: dict[str, dict] = {}
    for ln in lines:
        for f in ln["factors"]:
            seen.setdefault(f["id"], f)
    return sorted(seen.values(), key=lambda f: f["id"])


def _tasks_by_department(tasks: list[dict]) -> list[dict]:
    rows: dict[str, dict] = {}
    for t in tasks:
        state = task_state(t)
        for d in t["departments"]:
            r = rows.setdefault(d, {"department": d, "tasks": 0, **{s: 0 for s in TASK_STATES}})
            r["tasks"] += 1
            r[state] += 1
    return sorted(rows.values(), key=lambda r: (-r["late"], -r["tasks"], r["department"]))


def _projects_by_type(projects: list[dict]) -> list[dict]:
    rows: dict[str, dict] = {}
    for p in projects:
        r = rows.setdefault(p["type"], {"type": p["type"], "projects": 0, **{s: 0 for s in registry.PROJECT_STATUSES}})
        r["projects"] += 1
        r[p["status"]] += 1
    return sorted(rows.values(), key=lambda r: (-r["projects"], r["type"]))


def _annex(out: dict[str, Any], lang: str) -> list[dict[str, str]]:
    """Inputs a reader must know are illustrative, unverified or proxies."""
    rows = []
    inv = out.get("inventory")
    if inv:
        if inv["illustrative_lines"]:
            rows.append({"what": _t("能源活动数据", "activity data", lang),
                         "status": _t(f"示例数据（{inv['illustrative_lines']}行）", f"illustrative ({inv['illustrative_lines']} rows)", lang),
                         "source": inv["source"] if isinstance(inv["source"], str) else ""})
        for f in inv["factors"]:
            if f["status"] != "confirmed":
                rows.append({"what": f"{f['id']} {f['parameter']} = {f['value']} {f['unit']}",
                             "status": f["status"], "source": f["source"]})
        for f in inv["findings"]:
            rows.append({"what": f["message"], "status": f["severity"], "source": f.get("rule", "")})
    m = out.get("monitoring")
    if m:
        if any(u["illustrative"] for u in m["units"]):
            rows.append({"what": _t("重点用能单位名录与计量数据", "key units and their meter data", lang),
                         "status": _t("示例单位，读数为模拟数据", "illustrative units, simulated readings", lang), "source": "services/monitoring_demo.py"})
        for f in m.get("factor_findings", []):
            rows.append({"what": f["message"], "status": f["severity"], "source": f.get("rule", "")})
    s = out.get("sinks")
    if s:
        for f in s.get("factors", []):
            if f.get("status") != "confirmed":
                rows.append({"what": f"{f['id']} {f.get('species_group', '')} {f['parameter']} = {f['value']} {f['unit']}",
                             "status": f.get("status", ""), "source": f.get("source", "")})
    b = out.get("buildings")
    if b:
        rows.append({"what": _t("公共建筑能耗定额（约束值/引导值）", "public-building quotas (constraint/guide)", lang),
                     "status": ", ".join(b.get("quota_status", [])), "source": "GB/T 51161-2016"})
        if b.get("illustrative"):
            rows.append({"what": _t("公共建筑能耗", "public-building energy", lang), "status": _t("示例数据", "illustrative", lang),
                         "source": ""})
    for t in out["targets"]["targets"]:
        src = t.get("source") or {}
        if src.get("illustrative"):
            rows.append({"what": _t(f"目标{t['id']}的实际值", f"actual value of target {t['id']}", lang),
                         "status": _t("示例数据", "illustrative", lang), "source": str(src.get("source", ""))})
    return rows


# --- dispatch report (调度通报) --------------------------------------------------------------------

def dispatch(platform: Platform, start: date, end: date, by: str = "department", lang: str = "zh") -> dict[str, Any]:
    """Per department (tasks) or township (projects): what was committed, what was done, what was
    missed in [start, end]. Committed: tasks with a deadline, projects with a year, in the period;
    done: those done/completed; missed: committed ones not done by the end of the period (a task
    past its deadline, a project past its year), or marked delayed."""
    if end < start:
        raise InputRejected([InputIssue("input.bad_value", "query", None, "end",
                                        {"value": end.isoformat(), "reason": "before the start / 早于开始日期"})])
    rows: dict[str, dict] = {}
    if by == "department":
        for t in registry.list_tasks(platform):
            due = t["deadline"] if isinstance(t["deadline"], date) or t["deadline"] is None else date.fromisoformat(t["deadline"])
            in_period = due is not None and start <= due <= end
            for d in t["departments"]:
                r = rows.setdefault(d, {"name": d, "assigned": 0, "committed": 0, "done": 0, "missed": 0, "items_missed": []})
                r["assigned"] += 1
                if in_period:
                    r["committed"] += 1
                    if t["status"] == "done":
                        r["done"] += 1
                    elif due < min(end, date.today()) or t["status"] == "delayed":
                        r["missed"] += 1
                        r["items_missed"].append(f"{t['id']} {t['title']}")
                elif t["status"] == "delayed":
                    r["missed"] += 1
                    r["items_missed"].append(f"{t['id']} {t['title']}")
    elif by == "township":
        for p in registry.list_projects(platform):
            town = p["town"] or _t("（未指定乡镇）", "(no township)", lang)
            r = rows.setdefault(town, {"name": town, "assigned": 0, "committed": 0, "done": 0, "missed": 0, "items_missed": []})
            r["assigned"] += 1
            if p["year"] and start.year <= p["year"] <= end.year:
                r["committed"] += 1
                if p["status"] == "completed":
                    r["done"] += 1
                elif p["status"] == "delayed" or (p["year"] < end.year and p["status"] != "cancelled"):
                    r["missed"] += 1
                    r["items_missed"].append(f"{p['id']} {p['name']}")
    else:
        raise NotFound(f"dispatch by {by!r}: department or township")
    items = sorted(rows.values(), key=lambda r: (-r["missed"], -r["committed"], r["name"]))
    return {"start": start.isoformat(), "end": end.isoformat(), "by": by, "rows": items,
            "rule": _t("承诺：截止日期（任务）或计划年份（项目）在本期内；完成：状态为已完成；未完成：期末已过截止日期/计划年份仍未完成，或标记为滞后",
                       "committed: deadline (task) or planned year (project) in the period; done: marked done/completed; "
                       "missed: past its deadline or year at the end of the period and not done, or marked delayed", lang)}


def dispatch_rows(d: dict[str, Any]) -> list[dict[str, Any]]:
    """The dispatch report's rows flat for CSV/XLSX: the missed items in one cell."""
    return [{**{k: v for k, v in r.items() if k != "items_missed"}, "items_missed": "; ".join(r["items_missed"])}
            for r in d["rows"]]


# --- open data ------------------------------------------------------------------------------------

OPEN_DATASETS = {
    "indicators": ("主要指标（逐年，含公式与输入）", "headline indicators per year, with formula and inputs"),
    "inventory": ("能源与碳排放清单明细（含因子及来源）", "inventory lines with factors and their sources"),
    "targets": ("目标晴雨表", "target barometer"),
    "supervision": ("重点用能单位监察结果", "supervision results of key energy-using units"),
}


def open_dataset(platform: Platform, name: str, year: int | None = None, lang: str = "zh") -> list[dict[str, Any]]:
    """One published data set as flat rows, each with the provenance of its figures."""
    if name == "indicators":
        ov = views.overview(platform, year, lang)
        proxied = flags.proxy_years(ov["barometer"]["findings"])  # the proxy findings of every year
        rows = []
        for y in ov["years"]:
            for h in views.overview(platform, y, lang)["headline"]:
                if h.get("year") != y:
                    continue
                rows.append({"year": y, "indicator": h["code"], "basis": h.get("basis", ""), "value": h["value"],
                             "unit": h.get("unit", ""), "convention": h.get("convention", ""),
                             "price_base_year": h.get("price_base_year"), "qualifier": h.get("qualifier", ""),
                             "formula": h.get("formula", ""),
                             "inputs": _flat(h.get("inputs")), "illustrative": h.get("illustrative", False),
                             "proxy_factor": flags.value_proxy(h["code"], h.get("basis", ""), y,
                                                               h.get("price_base_year"), proxied)})
        return rows
    if name == "inventory":
        y = year or (views.overview(platform, None, lang)["year"])
        inv = views.inventory_view(platform, y, lang=lang)
        return [{"year": ln["year"], "region": ln["region"], "sector": ln["sector"], "carrier": ln["carrier"],
                 "use": ln["use"], "quantity": ln["quantity"], "unit": ln["unit"], "energy_tce": ln["energy_tce"],
                 "co2_direct_t": ln["co2_direct_t"], "co2_electricity_t": ln["co2_electricity_t"], "co2_t": ln["co2_t"],
                 "factors": "; ".join(f"{f['id']}={f['value']} {f['unit']} ({f['source']}; {f['status']})" for f in ln["factors"]),
                 "activity_source": ln["source"], "illustrative": ln["illustrative"],
                 "proxy_factor": ln["proxy_factor"]} for ln in inv["lines"]]
    if name == "targets":
        y = year or (views.overview(platform, None, lang)["year"])
        bar = views.barometer(platform, y, lang)
        return [{"year": y, "target": t["id"], "name": t["name"], "light": t["light"], "actual": t["actual"],
                 "expected": t["expected"], "target_value": t["target_value"], "unit": t["unit"], "rule": t["rule"],
                 "why": t["why"], "base_assumed": t["base_assumed"], "base_note": t["base_note"],
                 "source": _flat(t.get("source")), "illustrative": t["illustrative"],
                 "proxy_factor": t["proxy_factor"]} for t in bar["targets"]]
    if name == "supervision":
        metered = monitoring.metered_totals(platform)
        y = year or (metered[-1]["year"] if metered else date.today().year)
        d = monitoring.disclosure(platform, y, lang)
        return [{"year": y, "unit": u["name"], "uscc": u["uscc"], "category": u["category"], "industry": u["industry"],
                 "connected": u["connected"], "energy_tce": u["energy_tce"], "budget_light": u["budget_light"],
                 "efficiency": "; ".join(f"{e['product']}: {e['class']}" for e in u["efficiency"]),
                 "below_limit": u["below_limit"], "data_findings": u["data_findings"],
                 "source": "metered monthly series; efficiency benchmarks refdata/efficiency_benchmark",
                 "illustrative": u["illustrative"],
                 "proxy_factor": False} for u in d["units"]]  # energy and efficiency only: no grid factor
    raise NotFound(f"no open data set {name!r}: " + ", ".join(OPEN_DATASETS))


def _flat(v: Any) -> str:
    if isinstance(v, dict):
        return "; ".join(f"{k}={_flat(x)}" for k, x in v.items())
    if isinstance(v, (list, tuple)):
        return ", ".join(_flat(x) for x in v)
    return "" if v is None else str(v)
