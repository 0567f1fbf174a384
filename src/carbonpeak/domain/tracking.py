"""Target tracking: progress against the time-elapsed path and the barometer (晴雨表) light.

Rule (bands configurable, defaults documented in docs/methods.md):

* elapsed = (year − base_year) / (target_year − base_year), capped to [0, 1];
* progress = (actual − base) / (target − base) for targets with a base value, where a change
  target (e.g. energy intensity −14.5 % vs 2020) has base 0 by construction;
* ratio = progress / elapsed; green when ratio ≥ ``green_min``, yellow when ≥ ``yellow_min``,
  red below. At or after the target year the target itself decides: met → green, else red.
* A level target without a base value (e.g. "≥ 90 %") is judged against its final value.
* NDRC barometer (发改办环资〔2021〕629号): an intensity that rose year on year is level 1;
  with ``intensity_rise_is_red`` (default on) that forces red. The red/yellow/green mapping of
  the NDRC levels is a lead, hence configurable.
* No actual value → grey (无数据); no target value (assigned by the province) → grey (待下达).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .plan import Target


@dataclass(frozen=True)
class BarometerRule:
    green_min: float = 1.0
    yellow_min: float = 0.8
    intensity_rise_is_red: bool = True

    def text(self, lang: str = "zh") -> str:
        g, y = self.green_min, self.yellow_min
        if lang == "en":
            return (f"green: progress ≥ {g:.0%} of time elapsed; yellow: ≥ {y:.0%}; red: below, "
                    "or the intensity rose year on year; at the target year: met = green, else red")
        return (f"绿：完成进度 ≥ 时序进度×{g:.0%}；黄：≥ 时序进度×{y:.0%}；红：低于此，或强度同比上升；"
                "目标年：达标为绿，否则为红")


@dataclass(frozen=True)
class TargetStatus:
    target_id: str
    year: int
    light: str  # green | yellow | red | grey
    actual: float | None
    expected: float | None
    progress: float | None
    elapsed: float | None
    reason: str
    rule: str
    inputs: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return self.__dict__.copy()


APPROX_TOLERANCE = 0.02  # "左右" (about): within 2 % of the target value counts as met


def _met(actual: float, target: float, direction: str) -> bool:
    tol = max(abs(target) * APPROX_TOLERANCE, 1e-9) if direction.startswith("~") else 1e-12
    if direction in ("<=", "~<="):
        return actual <= target + tol
    if direction in (">=", "~>="):
        return actual >= target - tol
    if direction == "~":
        return abs(actual - target) <= tol
    return abs(actual - target) <= tol


def _final_direction(target: Target, base: float | None) -> str:
    """'~' (左右) targets are judged by the side they are approached from: from below as '≥'."""
    if target.direction != "~":
        return target.direction  # includes the explicit "~>=" and "~<="
    return "~<=" if base is not None and target.value is not None and base > target.value else "~>="


def assess(target: Target, year: int, actual: float | None, rule: BarometerRule,
           base_actual: float | None = None, yoy_change: float | None = None, lang: str = "zh") -> TargetStatus:
    """Rate one target for one year. ``base_actual`` is the observed base-year value where the
    plan states none; ``yoy_change`` [%] is the year-on-year change of an intensity indicator."""
    text = rule.text(lang)
    if target.value is None:
        return TargetStatus(target.id, year, "grey", actual, None, None, None, "value_not_assigned", text)
    if actual is None:
        return TargetStatus(target.id, year, "grey", None, None, None, None, "no_data", text)
    inputs = {"target": target.value, "direction": target.direction, "base_year": target.base_year,
              "target_year": target.target_year, "yoy_change": yoy_change}
    if rule.intensity_rise_is_red and yoy_change is not None and yoy_change > 0:
        return TargetStatus(target.id, year, "red", actual, None, None, None, "intensity_rose", text, inputs)
    base = 0.0 if target.kind == "change" else (target.base_value if target.base_value is not None else base_actual)
    if year >= target.target_year:
        ok = _met(actual, target.value, _final_direction(target, base))
        return TargetStatus(target.id, year, "green" if ok else "red", actual, target.value, None, 1.0,
                            "target_year_met" if ok else "target_year_missed", text, inputs)
    # A level target already met is green whatever the path: exceeding "≥ 22 %" early is success.
    if target.kind == "level" and _met(actual, target.value, _final_direction(target, base)):
        return TargetStatus(target.id, year, "green", actual, target.value, None, None, "level_already_met",
                            text, inputs)
    if base is None or target.base_year is None or target.value == base:
        return TargetStatus(target.id, year, "yellow", actual, target.value, None, None, "level_not_yet_met",
                            text, inputs)
    span = target.target_year - target.base_year
    elapsed = min(max((year - target.base_year) / span, 0.0), 1.0)
    progress = (actual - base) / (target.value - base)
    expected = base + (target.value - base) * elapsed
    inputs.update({"base_value": base})
    if elapsed == 0:
        return TargetStatus(target.id, year, "grey", actual, expected, progress, elapsed, "base_year", text, inputs)
    ratio = progress / elapsed
    eps = 1e-9  # a value exactly on a band edge belongs to the better band, despite float rounding
    light = "green" if ratio >= rule.green_min - eps else "yellow" if ratio >= rule.yellow_min - eps else "red"
    return TargetStatus(target.id, year, light, actual, expected, progress, elapsed, f"ratio={ratio:.3f}", text, inputs)
