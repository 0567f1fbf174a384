"""What the scenario page's lever editor shows for a bundled spec: each lever with its name in
the page's language (message catalogue), its value as a fraction (what the edit API takes) and
as a percentage with its unit (what users read)."""

from __future__ import annotations

from dataclasses import dataclass

from ...domain.messages import SWITCH_NAMES, render
from ...domain.scenarios import switch_label
from .specs import ScenarioSpec

# (lever, table, field, slider range as fractions per year)
LEVERS = (("gdp_growth", "drivers", "gdp_growth", -0.02, 0.12),
          ("intensity_change", "energy", "intensity_change", -0.08, 0.02),
          ("grid_factor_change", "electricity", "grid_factor_change", -0.08, 0.02))
SWITCH_RANGE = (0.0, 0.5)


@dataclass(frozen=True)
class LeverField:
    name: str  # the form field the edit API takes (a lever, or "switch:<switch name>")
    label: str  # in the page's language
    value: float  # fraction per year (0.055 = 5.5 % a year)
    low: float
    high: float
    step: float
    unit: str  # of the percentage

    @property
    def percent(self) -> str:
        """The value as users read it: 5.5 %/年 (one decimal, no float noise)."""
        return format_percent(self.value, self.unit)


def format_percent(fraction: float, unit: str) -> str:
    return f"{fraction * 100:.1f} {unit}".replace("-0.0 ", "0.0 ")


def _mean(v: object) -> float:
    if isinstance(v, dict):
        return float(v.get("mean", 0.0))
    return float(v) if isinstance(v, (int, float)) else 0.0


def editor_levers(spec: ScenarioSpec, lang: str = "zh") -> list[LeverField]:
    """The levers the editor changes, at the spec's central values."""
    unit = render("scenario.unit.pct_per_year", {}, lang)
    out = [LeverField(key, render(f"scenario.lever.{key}", {}, lang), _mean(spec.tables.get(table, {}).get(field, 0.0)),
                      lo, hi, 0.001, unit) for key, table, field, lo, hi in LEVERS]
    for w in spec.tables.get("measures", {}).get("switching", []):
        known = SWITCH_NAMES.get(w["name"])
        name = (known[1] if lang == "en" else known[0]) if known else w["name"]
        what = switch_label(w["from"], w["to"], int(w["start"]))[lang]
        rate = render("scenario.lever.switch_rate", {}, lang)
        label = f"{name}（{what}）{rate}" if lang != "en" else f"{name} ({what}): {rate}"
        out.append(LeverField(f"switch:{w['name']}", label, float(w["rate"]), *SWITCH_RANGE, 0.01, unit))
    return out
