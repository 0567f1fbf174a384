"""The leaders' cockpit (领导驾驶舱) of the overview, the year choice of the overview and target
pages, and the task filters. Nothing here computes an indicator: every figure is read from the
overview's result (services/views.overview: the one indicator set and the one barometer) or from
the published policy run (services/reports/outlook.policy_run, the run the scenario API and the
report quote), so a card shows the same number as the page it drills down to."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .platform import Platform
from .registry import Task
from .reports.outlook import policy_run
from .tracking_results import Barometer, BarometerRow
from .views import Overview

# P(peak ≤ 2030) → light: a display rule of this page (stated in its help text), not a plan target
PEAK_GREEN, PEAK_YELLOW = 0.8, 0.5
# the headline indicators of the cockpit: (key, code, basis, where a click goes)
INDICATOR_CARDS = (("co2", "co2_total", "territorial", "/accounting?year={year}#by-sector"),
                   ("energy", "energy_total", "raw", "/accounting?year={year}#by-carrier"),
                   ("intensity", "energy_intensity_change_vs_base", "assessment", "/targets?year={year}#{target}"),
                   ("nonfossil", "nonfossil_share", "raw", "/targets?year={year}#{target}"))
# the target whose light a card carries when no target measures the card's indicator itself
LIGHT_FROM = {"co2_total": "co2_peak_year"}
TASK_FILTER_OVERDUE = ("", "1")


@dataclass(frozen=True)
class Spark:
    """A small trend line: the years and values (None where a year has no value)."""
    years: list[int]
    values: list[float | None]

    def points(self, width: int = 120, height: int = 28) -> str:
        """The SVG polyline points of the values scaled into width × height (empty without two values)."""
        known = [(i, v) for i, v in enumerate(self.values) if v is not None]
        if len(known) < 2:
            return ""
        lo, hi = min(v for _, v in known), max(v for _, v in known)
        span, step = (hi - lo) or 1.0, width / max(len(self.values) - 1, 1)
        return " ".join(f"{i * step:.1f},{height - 2 - (v - lo) / span * (height - 4):.1f}" for i, v in known)


@dataclass(frozen=True)
class Card:
    """One cockpit card. ``figure`` is the overview's indicator figure (None for counts and the
    peak probability); ``light`` the barometer light of ``target`` (or of the page's rule)."""
    key: str
    href: str
    light: str
    value: float | None
    unit: str
    figure: dict[str, Any] | None = None
    target: str = ""
    target_name: str = ""
    spark: Spark | None = None
    last: list[tuple[int, float | None]] = field(default_factory=list)  # the last years, as numbers
    counts: dict[str, int] = field(default_factory=dict)
    detail: str = ""
    illustrative: bool = False


@dataclass(frozen=True)
class YearChoice:
    """A requested year, validated against the years with data: ``year`` is what the page shows
    (None: the latest), ``error`` the message code when the request named no such year."""
    year: int | None
    asked: str
    error: str = ""
    years: list[int] = field(default_factory=list)


def choose_year(raw: str, years: list[int], open_without_data: bool = False) -> YearChoice:
    """``raw`` (the query parameter as sent) checked against ``years``: a year with data is
    shown; an unparsable text or a year without data shows the latest and says why. With
    ``open_without_data`` and no stored activity year (the barometer of records kept by other
    modules) any year 1990–2100 is taken, as views._shown_year does."""
    raw = (raw or "").strip()
    if not raw:
        return YearChoice(None, "", "", years)
    if not (raw.isdigit() and len(raw) == 4):
        return YearChoice(None, raw[:20], "year_invalid", years)
    if years and int(raw) not in years or not years and not (open_without_data and 1990 <= int(raw) <= 2100):
        return YearChoice(None, raw, "year_no_data", years)  # without stored years, as views._shown_year
    return YearChoice(int(raw), raw, "", years)


def _target_for(barometer: Barometer, indicator: str) -> BarometerRow | None:
    """The plan's target on ``indicator`` the barometer can judge: the earliest target year with a
    light other than grey, else the earliest at all."""
    rows = sorted((r for r in barometer.targets if r.indicator == indicator), key=lambda r: r.target_year)
    return next((r for r in rows if r.light != "grey"), rows[0] if rows else None)


def _spark(series: list[dict[str, Any]], column: str) -> Spark:
    return Spark([r["year"] for r in series], [r.get(column) for r in series])


def _indicator_card(ov: Overview, key: str, code: str, basis: str, href: str) -> Card | None:
    fig = next((h for h in ov.headline if h.get("code") == code and h.get("basis") == basis), None)
    if fig is None:
        return None
    target = _target_for(ov.barometer, LIGHT_FROM.get(code, code))
    column = f"{code}:{basis}" if basis else code
    spark = _spark(ov.series, column)
    return Card(key=key, href=href.format(year=ov.year, target=target.id if target else ""),
                light=target.light if target else "grey", value=fig["value"], unit=fig["unit"], figure=fig,
                target=target.id if target else "", target_name=target.name if target else "",
                spark=spark, last=list(zip(spark.years, spark.values, strict=True))[-3:],
                illustrative=bool(fig.get("illustrative")))


def peak_light(p: float) -> str:
    return "green" if p >= PEAK_GREEN else "yellow" if p >= PEAK_YELLOW else "red"


def _peak_card(run: dict[str, Any] | None, lang: str) -> Card | None:
    if run is None:
        return None
    p = float(run["p_peak_by_2030"])
    text = run["peak_year_text"]["en" if lang == "en" else "zh"]
    return Card(key="peak", href="/scenarios?name=policy#p-peak", light=peak_light(p), value=p * 100, unit="%",
                detail=text["p50"], illustrative=bool(run.get("illustrative")))


def _targets_card(ov: Overview, by_year: dict[int, dict[str, int]]) -> Card:
    counts = dict(ov.barometer.counts)
    light = "red" if counts.get("red") else "yellow" if counts.get("yellow") else "green" if counts.get("green") else "grey"
    reds = Spark(sorted(by_year), [float(by_year[y].get("red", 0)) for y in sorted(by_year)])
    return Card(key="targets", href=f"/targets?year={ov.barometer.year}", light=light,
                value=float(counts.get("red", 0)), unit="", counts=counts, spark=reds,
                last=list(zip(reds.years, reds.values, strict=True))[-3:])


@dataclass(frozen=True)
class TaskSummary:
    total: int
    done: int
    overdue: int
    delayed: int
    by_status: dict[str, int]


def task_summary(tasks: list[Task]) -> TaskSummary:
    by: dict[str, int] = {}
    for t in tasks:
        by[t.status] = by.get(t.status, 0) + 1
    return TaskSummary(len(tasks), by.get("done", 0), sum(1 for t in tasks if t.overdue), by.get("delayed", 0), by)


def _tasks_card(s: TaskSummary) -> Card:
    """Overdue tasks (deadline passed, not done) as the figure; delayed ones counted beside them."""
    light = "red" if s.overdue else "yellow" if s.delayed else "green"
    return Card(key="tasks", href="/tasks?overdue=1" if s.overdue else "/tasks", light=light, value=float(s.overdue),
                unit="", counts={"total": s.total, "done": s.done, "delayed": s.delayed})


@dataclass(frozen=True)
class Cockpit:
    year: int | None
    cards: list[Card]


def cockpit(platform: Platform, ov: Overview, by_year: dict[int, dict[str, int]], lang: str = "zh",
            tasks: list[Task] | None = None) -> Cockpit:
    """The cards of the overview ``ov`` (the figures it holds), the peak probability of the policy
    run and, for a signed-in reader (``tasks`` given), the task board's late tasks."""
    cards: list[Card | None] = [_indicator_card(ov, *spec) for spec in INDICATOR_CARDS] if ov.year else []
    cards.append(_peak_card(policy_run(platform), lang) if ov.year else None)
    cards.append(_targets_card(ov, by_year))
    if tasks is not None:
        cards.append(_tasks_card(task_summary(tasks)))
    return Cockpit(ov.year, [c for c in cards if c is not None])


def filter_tasks(tasks: list[Task], department: str, status: str, overdue: str) -> list[Task]:
    """The tasks of ``department`` (one of their departments), in ``status``, overdue ("1"):
    each filter empty for all; the caller has validated them (known values only)."""
    return [t for t in tasks if (not department or department in t.departments)
            and (not status or t.status == status) and (overdue != "1" or t.overdue)]


def task_options(tasks: list[Task]) -> dict[str, list[str]]:
    return {"department": sorted({d for t in tasks for d in t.departments})}
