"""Where a target's value comes from, and the rules that decide between a computed and an entered one.

Each target of a plan names its source (``Target.source``):

* ``computed:<module>``: the platform computes the value from the records of a module (the
  inventory ``accounting``, the project registry ``projects``, the key-unit ``monitoring``, the
  sink ledger ``sinks``, the ``buildings`` register and retrofit projects, the policy
  ``scenarios``), with the rule stated and the records behind it (services/target_sources/);
* ``reported:<department>``: a department reports the value (entered as an observation).

Rules (docs/methods.md, "Targets fed by their records"):

* **Which value the barometer uses.** A computed value where the module's records answer the year,
  because it is the platform's own record and can be drilled into down to each record; else the
  entered observation. Both are shown where both exist.
* **Disagreement.** Computed and entered differ by more than ``AGREEMENT_TOLERANCE`` (5 %) of the
  larger of the two → finding ``target.sources_disagree`` (one of them is not up to date).
* **Peak target (T07).** The light of "peak by Y" comes from P(peak ≤ Y) of the stored policy
  scenario, on the calibrated language of the IPCC (AR5 guidance note on uncertainties):
  green when the peak by Y is *likely* (P ≥ 2/3), yellow when it is *about as likely as not*
  (P ≥ 1/3), red when it is *unlikely* (P < 1/3).

Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .findings import Finding, Severity
from .plan import Plan

SOURCE_KINDS = ("computed", "reported")
AGREEMENT_TOLERANCE = 0.05  # relative, of the larger of the two values


@dataclass(frozen=True)
class TargetSource:
    kind: str  # computed | reported
    name: str  # the module (computed) or the department (reported)

    @property
    def text(self) -> str:
        return f"{self.kind}:{self.name}"


def parse_source(text: str | None) -> TargetSource | None:
    """``computed:<module>`` or ``reported:<department>``; None for anything else (or nothing)."""
    kind, sep, name = (text or "").partition(":")
    if not sep or kind not in SOURCE_KINDS or not name.strip():
        return None
    return TargetSource(kind, name.strip())


def source_problem(text: str) -> str | None:
    """Why a stated source is malformed (None: well formed or not stated)."""
    if not text or parse_source(text) is not None:
        return None
    return "expected computed:<module> or reported:<department>"


def disagrees(computed: float | None, entered: float | None, tolerance: float = AGREEMENT_TOLERANCE) -> bool:
    """Whether two values of one target differ by more than ``tolerance`` of the larger."""
    if computed is None or entered is None:
        return False
    scale = max(abs(computed), abs(entered))
    return abs(computed - entered) > tolerance * scale + 1e-12


@dataclass(frozen=True)
class PeakRule:
    """The light of a peak-by target from P(peak ≤ target year) (IPCC calibrated likelihood)."""
    green_min: float = 2 / 3  # likely
    yellow_min: float = 1 / 3  # about as likely as not

    def light(self, probability: float | None) -> str:
        if probability is None:
            return "grey"
        return "green" if probability >= self.green_min else "yellow" if probability >= self.yellow_min else "red"

    def params(self) -> dict[str, str]:
        return {"green": f"{self.green_min:.0%}", "yellow": f"{self.yellow_min:.0%}"}


def source_findings(plan: Plan, modules: Mapping[str, frozenset[str]]) -> list[Finding]:
    """Targets without a source, naming an unknown module, a module that cannot compute their
    indicator, or a reporting department the plan does not list. ``modules``: module → indicators."""
    out: list[Finding] = []
    departments = set(plan.departments)
    for t in plan.targets:
        src = parse_source(t.source)
        base = {"target": t.name, "id": t.id, "source": t.source or "—"}
        if src is None:
            out.append(Finding("plan.target_no_source", Severity.WARNING, base, rule=t.clause))
        elif src.kind == "computed" and src.name not in modules:
            out.append(Finding("plan.target_unknown_module", Severity.WARNING,
                               {**base, "module": src.name, "modules": "、".join(sorted(modules))}, rule=t.clause))
        elif src.kind == "computed" and t.indicator not in modules[src.name]:
            out.append(Finding("plan.target_module_cannot", Severity.WARNING,
                               {**base, "module": src.name, "indicator": t.indicator}, rule=t.clause))
        elif src.kind == "reported" and departments and src.name not in departments:
            out.append(Finding("plan.target_unknown_department", Severity.WARNING,
                               {**base, "department": src.name}, rule=t.clause))
        known = {p.id for p in plan.projects}
        out += [Finding("plan.unknown_reference", Severity.WARNING, {"where": f"{t.id} projects", "id": p})
                for p in t.projects if p not in known]
    return out


MODULE_NAMES = {"accounting": ("能源与碳排放清单", "the inventory"), "projects": ("项目库", "the project registry"),
                "monitoring": ("重点用能单位在线监测", "key-unit monitoring"), "sinks": ("碳汇一本账", "the sink ledger"),
                "buildings": ("建筑名录与改造项目", "the building register and retrofit projects"),
                "scenarios": ("政策情景", "the policy scenario"), "supervision": ("节能监察", "energy supervision"),
                "carbon": ("碳排放双控", "carbon dual control")}


def module_label(name: str, lang: str = "zh") -> str:
    zh, en = MODULE_NAMES.get(name, (name, name))
    return en if lang == "en" else zh
