"""Target tracking: progress against the time-elapsed path and the barometer (晴雨表) light.

One rule covers every kind of target (its text: ``BarometerRule.text``, message ``barometer.rule``;
bands configurable, defaults documented in docs/methods.md). In order:

1. no target value (to be assigned by the province) or no actual value → grey;
2. NDRC barometer (发改办环资〔2021〕629号): an intensity that rose year on year is level 1;
   with ``intensity_rise_is_red`` (default on) that forces red;
3. at or after the target year the target itself decides: met → green, else red;
4. before it, a target already met (a level reached early, a cap not exceeded) → green;
5. otherwise the time-elapsed path from the base:
   elapsed = (year − base_year) / (target_year − base_year), capped to [0, 1];
   progress = (actual − base) / (target − base);
   ratio = progress / elapsed: green when ≥ ``green_min``, yellow when ≥ ``yellow_min``, red below.

The base value is the plan's, else the value observed in the base year, else 0 (progress is then
the share of the target value reached, e.g. 10 of 300 chargers = 3.3 %); a change target
(e.g. energy intensity −14.5 % vs 2020) has base 0 by construction. A target its base already
met (a cap not to be exceeded, or a level the county had reached) has no distance to travel: not
met → red. In the base year → grey (nothing due yet); no base year and not met → grey.

``explain`` says, with the numbers, which branch decided a light; it is printed beside each light.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from .messages import render
from .plan import Target
from .target_sources import PeakRule


@dataclass(frozen=True)
class BarometerRule:
    green_min: float = 1.0
    yellow_min: float = 0.8
    intensity_rise_is_red: bool = True

    def text(self, lang: str = "zh") -> str:
        """The one stated rule, for every target kind (the same text on every surface)."""
        return render("barometer.rule", {"green": f"{self.green_min:.0%}", "yellow": f"{self.yellow_min:.0%}"}, lang)


@dataclass(frozen=True)
class Baseline:
    value: float | None
    source: str  # change | plan | plan_assumed | observed | zero


@dataclass(frozen=True)
class TargetStatus:
    target_id: str
    year: int
    light: str  # green | yellow | red | grey
    actual: float | None
    expected: float | None
    progress: float | None
    elapsed: float | None
    reason: str  # the branch of the rule: see explain()
    rule: str
    inputs: dict[str, Any] = field(default_factory=dict)
    ratio: float | None = None
    base: Baseline | None = None
    why: str = ""  # the branch with its numbers, in the requested language

    def as_dict(self) -> dict[str, Any]:
        return self.__dict__.copy()


APPROX_TOLERANCE = 0.02  # "左右" (about): within 2 % of the target value counts as met
EPS = 1e-9  # a value exactly on a band edge belongs to the better band, despite float rounding


def _met(actual: float, target: float, direction: str) -> bool:
    tol = max(abs(target) * APPROX_TOLERANCE, 1e-9) if direction.startswith("~") else 1e-12
    if direction in ("<=", "~<="):
        return actual <= target + tol
    if direction in (">=", "~>="):
        return actual >= target - tol
    return abs(actual - target) <= tol


def _final_direction(target: Target, base: float | None) -> str:
    """'~' (左右) targets are judged by the side they are approached from: from below as '≥'."""
    if target.direction != "~":
        return target.direction  # includes the explicit "~>=" and "~<="
    return "~<=" if base is not None and target.value is not None and base > target.value else "~>="


def baseline(target: Target, base_actual: float | None = None) -> Baseline:
    """The base the path starts from: the plan's, else the observed base-year value, else 0."""
    if target.kind == "change":
        return Baseline(0.0, "change")
    if target.base_value is not None:
        return Baseline(target.base_value, "plan_assumed" if target.base_assumed else "plan")
    if base_actual is not None:
        return Baseline(base_actual, "observed")
    return Baseline(0.0, "zero")


def elapsed_share(target: Target, year: int) -> float | None:
    if target.base_year is None or target.target_year <= target.base_year:
        return None
    return min(max((year - target.base_year) / (target.target_year - target.base_year), 0.0), 1.0)


def expected_path(target: Target, base: Baseline) -> list[tuple[int, float]]:
    """The time-elapsed path year by year; flat at the target when the base already meets it."""
    if target.value is None or target.base_year is None or base.value is None or target.target_year <= target.base_year:
        return []
    flat = _met(base.value, target.value, _final_direction(target, base.value))
    return [(y, target.value if flat else base.value + (target.value - base.value) * elapsed_share(target, y))
            for y in range(target.base_year, target.target_year + 1)]


def assess(target: Target, year: int, actual: float | None, rule: BarometerRule,
           base_actual: float | None = None, yoy_change: float | None = None, lang: str = "zh") -> TargetStatus:
    """Rate one target for one year. ``base_actual`` is the observed base-year value where the
    plan states none; ``yoy_change`` [%] is the year-on-year change of an intensity indicator."""
    st = _decide(target, year, actual, rule, base_actual, yoy_change)
    return _with_text(st, target, rule, lang)


def _decide(target: Target, year: int, actual: float | None, rule: BarometerRule,
            base_actual: float | None, yoy_change: float | None) -> TargetStatus:
    def status(light: str, reason: str, expected: float | None = None, **kw: Any) -> TargetStatus:
        return TargetStatus(target.id, year, light, actual, expected, reason=reason, rule="", inputs=inputs,
                            base=base, **{"progress": None, "elapsed": None, **kw})

    inputs: dict[str, Any] = {"target": target.value, "direction": target.direction, "base_year": target.base_year,
                              "target_year": target.target_year, "yoy_change": yoy_change}
    base = baseline(target, base_actual)
    if target.value is None:
        return status("grey", "value_not_assigned")
    if actual is None:
        return status("grey", "no_data")
    if rule.intensity_rise_is_red and yoy_change is not None and yoy_change > 0:
        return status("red", "intensity_rose")
    inputs["base_value"] = base.value
    direction = _final_direction(target, base.value)
    if year >= target.target_year:
        ok = _met(actual, target.value, direction)
        return status("green" if ok else "red", "target_year_met" if ok else "target_year_missed", target.value,
                      elapsed=1.0)
    if _met(actual, target.value, direction):
        return status("green", "already_met", target.value)
    elapsed = elapsed_share(target, year)
    if elapsed is None:
        return status("grey", "no_base_year")
    if _met(base.value, target.value, direction):
        if base.source == "zero":  # a 0 taken for want of a base "meets" a cap: that says nothing
            return status("grey", "no_base", target.value, elapsed=elapsed)
        return status("red", "hold_missed", target.value, elapsed=elapsed)
    progress = (actual - base.value) / (target.value - base.value)
    expected = base.value + (target.value - base.value) * elapsed
    if elapsed == 0:
        return status("grey", "base_year", expected, progress=progress, elapsed=elapsed)
    ratio = progress / elapsed
    light = "green" if ratio >= rule.green_min - EPS else "yellow" if ratio >= rule.yellow_min - EPS else "red"
    return status(light, "path", expected, progress=progress, elapsed=elapsed, ratio=ratio)


_OPS = {"zh": {">=": "≥", "<=": "≤", "=": "=", "~": "约", "~>=": "约≥", "~<=": "约≤"},
        "en": {">=": "≥ ", "<=": "≤ ", "=": "= ", "~": "about ", "~>=": "≥ about ", "~<=": "≤ about "}}


def _num(v: float | None) -> str:
    if v is None:
        return "—"
    s = f"{v:,.2f}"
    return s.rstrip("0").rstrip(".")


def _with_text(st: TargetStatus, target: Target, rule: BarometerRule, lang: str) -> TargetStatus:
    return replace(st, rule=rule.text(lang), why=explain(st, target, rule, lang))


def explain(st: TargetStatus, target: Target, rule: BarometerRule, lang: str = "zh") -> str:
    """Which branch of the rule decided the light, with its numbers."""
    b = st.base or Baseline(None, "zero")
    base = render(f"barometer.base.{b.source}", {"base_year": target.base_year if target.base_year is not None else "—",
                                                 "base_value": _num(b.value)}, lang)
    params = {"year": st.year, "yoy": _num(st.inputs.get("yoy_change")), "target_year": target.target_year,
              "actual": _num(st.actual), "target": _num(target.value), "base": base,
              "op": _OPS["en" if lang == "en" else "zh"].get(target.direction, target.direction),
              "progress": _pct(st.progress), "elapsed": _pct(st.elapsed),
              "ratio": "—" if st.ratio is None else f"{st.ratio:.3f}",
              "green": f"{rule.green_min:g}", "yellow": f"{rule.yellow_min:g}",
              "light": render(f"barometer.light.{st.light}", {}, lang)}
    return render(f"barometer.why.{st.reason}", params, lang)


PEAK_RULE = PeakRule()


def assess_peak(target: Target, year: int, peak_year: float | None, probability: float | None,
                rule: PeakRule = PEAK_RULE, lang: str = "zh") -> TargetStatus:
    """Rate a peak-by target from P(peak ≤ target year) of a scenario (domain/target_sources.PeakRule);
    the actual shown is the scenario's median peak year (None: not peaked by its horizon)."""
    light = rule.light(probability)
    reason = "peak_probability" if probability is not None else "peak_no_run"
    params = {"year": target.target_year, "p": _pct(probability), **rule.params(),
              "light": render(f"barometer.light.{light}", {}, lang)}
    return TargetStatus(target.id, year, light, peak_year, target.value, None, None, reason,
                        render("barometer.peak_rule", rule.params(), lang),
                        {"probability": probability, "target": target.value}, why=render(f"barometer.why.{reason}", params, lang))


def _pct(v: float | None) -> str:
    return "—" if v is None else f"{v:.1%}"


def assumption_marker(target: Target, lang: str = "zh") -> str:
    """The marker shown beside a light whose base the plan does not state ('' when it does)."""
    return render("barometer.assumed", {}, lang) if target.base_assumed else ""


def barometer_fields(st: TargetStatus, target: Target, lang: str = "zh") -> dict[str, Any]:
    """What every surface shows beside a light besides the numbers: the branch, the base, the marker."""
    b = st.base or Baseline(None, "zero")
    return {"why": st.why, "ratio": st.ratio, "base_value": b.value if target.value is not None else None,
            "base_source": b.source, "base_assumed": target.base_assumed, "base_note": target.base_note,
            "assumption": assumption_marker(target, lang)}
