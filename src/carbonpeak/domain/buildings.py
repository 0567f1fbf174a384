"""Public-building energy quotas and the five efficiency grades (专栏18).

Energy use intensity EUI [kWh/(m²·a)] = annual energy [kWh] / floor area [m²], compared with the
constraint value (约束值, the upper limit) and the guide value (引导值, the aim) of GB/T 51161-2016
for the building's type and climate zone. The plan asks for five grades, grade 1 the best, from a
local quota standard that does not exist yet; the default rule here is a stated, configurable
lead:

    grade 1: EUI ≤ guide
    grade 2: EUI ≤ (guide + constraint) / 2
    grade 3: EUI ≤ constraint
    grade 4: EUI ≤ constraint × over_limit (1.2)
    grade 5: above
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class GradeRule:
    over_limit: float = 1.2  # grade 4 ends at this multiple of the constraint value

    def bounds(self, constraint, guide):
        constraint = np.asarray(constraint, float)
        guide = np.asarray(guide, float)
        return guide, (guide + constraint) / 2.0, constraint, constraint * self.over_limit

    def text(self, lang: str = "zh") -> str:
        k = f"{self.over_limit:g}"
        if lang == "en":
            return (f"1: EUI ≤ guide; 2: ≤ (guide + constraint)/2; 3: ≤ constraint; 4: ≤ constraint × {k}; "
                    "5: above (local rule, configurable)")
        return f"一级：≤引导值；二级：≤(引导值+约束值)/2；三级：≤约束值；四级：≤约束值×{k}；五级：更高（地方规则，可调整）"


def eui(energy_kwh, floor_area_m2):
    """Energy use intensity [kWh/(m²·a)]."""
    return np.asarray(energy_kwh, float) / np.asarray(floor_area_m2, float)


def grade(value, constraint, guide, rule: GradeRule = GradeRule()) -> np.ndarray:
    """Grade 1 (best) … 5 per building; a value exactly on a bound belongs to the better grade."""
    v = np.asarray(value, float)
    b1, b2, b3, b4 = rule.bounds(constraint, guide)
    return np.select([v <= b1, v <= b2, v <= b3, v <= b4], [1, 2, 3, 4], default=5)
