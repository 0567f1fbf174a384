"""Targets fed by the records that hold them: one source module per module of the platform.

A target whose plan entry says ``source: computed:<module>`` is computed by the module registered
under that name, from that module's records, with its rule stated and the records behind the value
(the drill-down). Each module of this package registers itself (:func:`register`) at import; the
package imports every module in it, so adding a source (e.g. ``computed:supervision``) is one file
with one ``register(SourceModule(...))`` call. The inventory (``accounting``) is registered too:
its indicators are computed by services/indicators.py and assessed in services/tracking.py.

Modules: ``projects`` (T13 installed capacity, T20, T25, T26, T43, T44, T51), ``monitoring`` (T17),
``sinks`` (T21–T23, T24), ``buildings`` (T36–T40), ``scenarios`` (T07), ``supervision`` (T16, T18, T19).
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from typing import Any, TypeVar

from ...domain.findings import Finding, Severity
from ...domain.plan import Plan, Target, check_plan
from ...domain.target_sources import module_label, parse_source, source_findings
from ...store.queries.target_sources import Session
from ..errors import InputRejected, NotFound
from ..platform import Platform


@dataclass(frozen=True)
class SourceRecord:
    """One record behind a computed value: a project, an existing plant, a key unit, a group of
    parcels, a building, a scenario run; ``counted`` says whether it enters the value."""
    kind: str  # project | existing | unit | parcels | building | scenario
    id: str
    name: str
    value: float | None  # its contribution in the target's unit (None: nothing to count)
    unit: str
    counted: bool
    year: int | None = None  # commissioning year, inventory year, data year
    status: str = ""
    type: str = ""
    town: str = ""
    note: str = ""  # why it counts as it does: a code of source.note.* (as_planned, no_year, later, ...)
    illustrative: bool = False
    source: str = ""  # where the record's figure comes from, as the record states it


@dataclass(frozen=True)
class ComputedValue:
    """A target's value in one year computed from a module's records, with its rule (a message
    code and its parameters, rendered in the reader's language) and the records behind it."""
    target_id: str
    year: int
    value: float | None
    unit: str
    module: str
    rule_code: str
    rule_params: dict[str, str | float | int | None]
    records: tuple[SourceRecord, ...]
    inputs: dict[str, float | None] = field(default_factory=dict)
    illustrative: bool = False
    probability: float | None = None  # a peak target: P(peak ≤ target year)


T = TypeVar("T")


@dataclass(frozen=True)
class SourceInput:
    """What a source module is asked: the plan, and the years to answer (data years, years with
    entered values, base years); the modules read the records in ``session`` (:func:`compute_values`
    opens one for every module), or each read in a session of its own when there is none."""
    platform: Platform
    plan: Plan
    years: tuple[int, ...]
    session: Session | None = None
    _read: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """The session to read in: the computation's, else a new one for this read."""
        if self.session is not None:
            yield self.session
            return
        with self.platform.sessions() as s:
            yield s

    def once(self, name: str, read: Callable[[Session], T]) -> T:
        """``read(session)``, done once per computation in its session (without one: at every call)."""
        if self.session is None:
            with self.reading() as s:
                return read(s)
        if name not in self._read:
            self._read[name] = read(self.session)
        return self._read[name]


Compute = Callable[[SourceInput, Target], list[ComputedValue]]


@dataclass(frozen=True)
class SourceModule:
    name: str
    indicators: frozenset[str]  # the target indicators it can compute
    compute: Compute | None  # None: computed elsewhere (the inventory)


@dataclass(frozen=True)
class ComputedSet:
    values: dict[tuple[str, int], ComputedValue]
    findings: tuple[Finding, ...] = ()


MODULES: dict[str, SourceModule] = {}


def register(module: SourceModule) -> SourceModule:
    MODULES[module.name] = module
    return module


def module_indicators() -> dict[str, frozenset[str]]:
    return {name: m.indicators for name, m in MODULES.items()}


def plan_source_findings(plan: Plan) -> list[Finding]:
    """``plan check``: targets without a source, with an unknown module or department."""
    return source_findings(plan, module_indicators())


def plan_findings(plan: Plan) -> list[Finding]:
    """``plan check``: the plan's own consistency, and where each target's value comes from (no
    source, an unknown module, a module that cannot compute it, an unknown reporting department).
    Here, not in services/plans.py: the source modules read the stored plan through plans."""
    return check_plan(plan) + plan_source_findings(plan)


def computed_module(t: Target) -> str | None:
    """The module a target is computed by (``computed:<module>``), None when entered or unknown."""
    src = parse_source(t.source)
    return src.name if src is not None and src.kind == "computed" and src.name in MODULES else None


def compute_values(platform: Platform, plan: Plan, years: set[int]) -> ComputedSet:
    """Every module-computed target of ``plan`` in the given years (the inventory's excepted), their
    records read in one session (the modules' own services may read in theirs: monitoring, scenarios)."""
    with platform.sessions() if platform is not None else nullcontext() as s:  # None: modules reading nothing
        return _compute_all(SourceInput(platform, plan, tuple(sorted(years)), s))


def _compute_all(inp: SourceInput) -> ComputedSet:
    values: dict[tuple[str, int], ComputedValue] = {}
    findings: list[Finding] = []
    for t in inp.plan.targets:
        name = computed_module(t)
        module = MODULES.get(name or "")
        if module is None or module.compute is None or t.indicator not in module.indicators:
            continue
        try:
            for v in module.compute(inp, t):
                values[(t.id, v.year)] = v
        except (NotFound, InputRejected):  # the module holds no records at all, or none it can use
            findings.append(Finding("target.source_no_records", Severity.INFO,
                                    {"target": t.name, "id": t.id, "module": name,
                                     "module_zh": module_label(name or "", "zh"),
                                     "module_en": module_label(name or "", "en")}))
    return ComputedSet(values, tuple(findings))


def _load_modules() -> None:
    for info in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{info.name}")


register(SourceModule("accounting", frozenset({"nonfossil_share", "renewable_share_local_generation",
                                               "energy_intensity_change_vs_base", "co2_intensity_change_vs_base"}),
                      None))
_load_modules()

__all__ = ["MODULES", "ComputedSet", "ComputedValue", "SourceInput", "SourceModule", "SourceRecord",
           "compute_values", "computed_module", "module_indicators", "plan_source_findings", "register"]
