"""The dispatch report (调度通报): per department (tasks) or township (projects), what was
committed, done and missed in a period."""

from __future__ import annotations

from datetime import date
from typing import Any

from ...domain.findings import InputIssue
from ...domain.labels import pick as _pick
from .. import registry, supervision
from ..errors import InputRejected, NotFound
from ..platform import Platform


def _t(zh: str, en: str, lang: str) -> str:
    return _pick(zh, en, lang)


def dispatch(platform: Platform, start: date, end: date, by: str = "department", lang: str = "zh") -> dict[str, Any]:
    """Per department (tasks) or township (projects): what was committed, what was done, what was
    missed in [start, end]. Committed: tasks with a deadline, projects with a year, in the period;
    done: those done/completed; missed: committed ones not done by the end of the period (a task
    past its deadline, a project past its year), or marked delayed."""
    if end < start:
        raise InputRejected([InputIssue("input.bad_value", "query", None, "end",
                                        {"value": end.isoformat(), "reason": "before the start / 早于开始日期"})])
    if by == "department":
        rows = _by_department(platform, start, end)
        _rectifications(platform, rows, min(end, date.today()))
    elif by == "township":
        rows = _by_township(platform, start, end, lang)
    else:
        raise NotFound(f"dispatch by {by!r}: department or township")
    items = sorted(rows.values(), key=lambda r: (-r["missed"], -r["committed"], r["name"]))
    return {"start": start.isoformat(), "end": end.isoformat(), "by": by, "rows": items,
            "rule": _t("承诺：截止日期（任务）或计划年份（项目）在本期内；完成：状态为已完成；未完成：期末已过截止日期/计划年份仍未完成，或标记为滞后",
                       "committed: deadline (task) or planned year (project) in the period; done: marked done/completed; "
                       "missed: past its deadline or year at the end of the period and not done, or marked delayed", lang)
            + (_t("；整改逾期：节能监察发现问题已过整改期限且整改未获认可（未结案）",
                  "; rectifications overdue: supervision findings past their deadline, rectification not accepted (open cases)", lang)
               if by == "department" else "")}


def _row(name: str) -> dict[str, Any]:
    return {"name": name, "assigned": 0, "committed": 0, "done": 0, "missed": 0, "items_missed": []}


def _by_department(platform: Platform, start: date, end: date) -> dict[str, dict]:
    rows: dict[str, dict] = {}
    for t in registry.list_tasks(platform):
        due = date.fromisoformat(t.deadline) if t.deadline else None
        in_period = due is not None and start <= due <= end
        for d in t.departments:
            r = rows.setdefault(d, _row(d))
            r["assigned"] += 1
            if in_period:
                r["committed"] += 1
                if t.status == "done":
                    r["done"] += 1
                elif due < min(end, date.today()) or t.status == "delayed":
                    r["missed"] += 1
                    r["items_missed"].append(f"{t.id} {t.title}")
            elif t.status == "delayed":
                r["missed"] += 1
                r["items_missed"].append(f"{t.id} {t.title}")
    return rows


def _by_township(platform: Platform, start: date, end: date, lang: str) -> dict[str, dict]:
    rows: dict[str, dict] = {}
    for p in registry.list_projects(platform):
        town = p.town or _t("（未指定乡镇）", "(no township)", lang)
        r = rows.setdefault(town, _row(town))
        r["assigned"] += 1
        if p.year and start.year <= p.year <= end.year:
            r["committed"] += 1
            if p.status == "completed":
                r["done"] += 1
            elif p.status == "delayed" or (p.year < end.year and p.status != "cancelled"):
                r["missed"] += 1
                r["items_missed"].append(f"{p.id} {p.name}")
    return rows


def _rectifications(platform: Platform, rows: dict[str, dict], as_of: date) -> None:
    """Each department's supervision rectifications overdue on ``as_of`` (open cases), beside its tasks."""
    for r in rows.values():
        r["rectifications_overdue"] = 0
    for o in supervision.overdue_by_department(platform, as_of):
        r = rows.setdefault(o.department, _row(o.department))
        r["rectifications_overdue"] = o.overdue
        r["items_missed"] = [*r["items_missed"], *o.cases]


def dispatch_rows(d: dict[str, Any]) -> list[dict[str, Any]]:
    """The dispatch report's rows flat for CSV/XLSX: the missed items in one cell."""
    return [{**{k: v for k, v in r.items() if k != "items_missed"}, "items_missed": "; ".join(r["items_missed"])}
            for r in d["rows"]]
