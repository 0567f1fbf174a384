"""The typed results of target tracking (services/tracking.py, services/carbon/barometer.py): the
barometer of a year, its rows and where each row's value comes from, a target's trajectory.

They are frozen dataclasses and the API's response schemas (api/routes.py declares them as
``response_model``; extra keys refused): pydantic reads their field annotations, and the JSON the
API writes (services/serialize.encode) is their fields, as it was the mappings they replace. Each
kind of row and source keeps exactly the keys it had: a carbon row is a barometer row with its factor
basis and scope; a value's source is one of four shapes (computed by the inventory, by a module,
entered, computed by services/carbon). Pages, the CLI and the reports read their named fields; the
properties below (not fields, so not in the JSON) answer what every source is asked
(``qualifier``, ``illustrative``, ``proxy_factor``, ``uses``) where a shape does not carry it."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from pydantic import ConfigDict, TypeAdapter, with_config
from typing_extensions import TypedDict

from ..domain.findings import FindingDoc

_SCHEMA = with_config(ConfigDict(extra="forbid"))  # as a response schema: no key it does not name


class FlagsDoc(TypedDict):
    """What a result rests on (services/flags.summary): illustrative inputs, proxy grid factors."""
    illustrative: bool
    proxy_factor: bool
    proxy_years: list[int]
    notes: list[str]


class IndicatorDoc(TypedDict):
    """An indicator value as the API shows it (domain/indicators.IndicatorValue.as_dict, in its key order)."""
    code: str
    year: int
    value: float | None
    unit: str
    basis: str
    convention: str
    price_base_year: int | None
    rule: str
    formula: str
    inputs: dict[str, Any]
    note: str


@_SCHEMA
@dataclass(frozen=True)
class InventorySource:
    """A value the inventory computes: the indicator value with its convention and price base in words."""
    kind: str  # "computed"
    module: str  # "accounting"
    indicator: IndicatorDoc  # IndicatorValue.as_dict()
    qualifier: str
    illustrative: bool
    proxy_factor: bool

    @property
    def uses(self) -> str:
        return "computed"


@_SCHEMA
@dataclass(frozen=True)
class EnteredValue:
    value: float | None
    source: str | None
    illustrative: bool


@_SCHEMA
@dataclass(frozen=True)
class ModuleValue:
    """A value a module computes from its records (services/target_sources), with its rule in words."""
    value: float | None
    year: int | None
    unit: str | None
    probability: float | None
    rule: str
    records: int
    counted: int
    illustrative: bool


@_SCHEMA
@dataclass(frozen=True)
class ModuleSource:
    """A target a module computes: the module's value, the entered one, which one is used and why."""
    kind: str  # computed | entered | none
    module: str | None
    module_label: str
    qualifier: str
    computed: ModuleValue | None
    entered: EnteredValue | None
    uses: str  # computed | entered | none
    uses_why: str
    source: str | None
    disagree: bool
    tolerance: float
    illustrative: bool

    @property
    def proxy_factor(self) -> bool:
        return False


@_SCHEMA
@dataclass(frozen=True)
class EnteredSource:
    """An entered value (目标观测值) with its source and reporter."""
    kind: str  # "entered"
    source: str | None
    illustrative: bool
    reporter: str

    @property
    def qualifier(self) -> str:
        return ""

    @property
    def proxy_factor(self) -> bool:
        return False

    @property
    def uses(self) -> str:
        return "entered"


@_SCHEMA
@dataclass(frozen=True)
class CarbonSource:
    """A carbon target rated by services/carbon: its electricity factor basis and scope named."""
    kind: str
    module: str
    module_label: str
    qualifier: str
    basis: str
    basis_label: str
    scope: str
    scope_text: str
    year: int | None
    base_co2_source: str | None
    status: str
    computed: None
    entered: None
    uses: str
    uses_why: str
    source: str
    disagree: bool
    illustrative: bool

    @property
    def proxy_factor(self) -> bool:
        return False


Source = InventorySource | ModuleSource | EnteredSource | CarbonSource


@dataclass(frozen=True)
class TargetHead:
    """What names a target, first in its barometer row and in its trajectory (the same keys, in order)."""
    id: str
    name: str
    indicator: str
    target_value: float | None
    unit: str
    direction: str
    base_year: int | None
    target_year: int
    clause: str


@_SCHEMA
@dataclass(frozen=True)
class BarometerRow(TargetHead):
    """One target in the barometer of a year: its light, the numbers behind it, the branch and base."""
    light: str  # green | yellow | red | grey
    actual: float | None
    expected: float | None
    progress: float | None
    elapsed: float | None
    reason: str
    rule: str
    source: Source | None
    note: str
    illustrative: bool
    proxy_factor: bool
    data_source: str | None
    why: str
    ratio: float | None
    base_value: float | None
    base_source: str
    base_assumed: bool
    base_note: str
    assumption: str


@_SCHEMA
@dataclass(frozen=True)
class CarbonBarometerRow(BarometerRow):
    """A 15th-plan carbon target in the barometer (services/carbon/barometer): also its factor basis and scope."""
    basis: str
    scope: str


Row = BarometerRow | CarbonBarometerRow


@_SCHEMA
@dataclass(frozen=True)
class Bands:
    green_min: float
    yellow_min: float
    intensity_rise_is_red: bool


@_SCHEMA
@dataclass(frozen=True)
class Barometer:
    """Every target of the plan (and its carbon targets) in ``year``, the rule beside them."""
    plan: str
    region: str
    year: int
    rule: str
    bands: Bands
    counts: dict[str, int]  # green, yellow, red, grey
    targets: list[Row]
    findings: list[FindingDoc]
    flags: FlagsDoc


@_SCHEMA
@dataclass(frozen=True)
class TrajectoryTarget(TargetHead):
    base_value: float | None
    base_source: str
    base_assumed: bool
    base_note: str


@_SCHEMA
@dataclass(frozen=True)
class TranslatedTrajectoryTarget(TrajectoryTarget):
    """A trajectory's target named in the reader's language, with the plan's note in it."""
    note: str = ""


@_SCHEMA
@dataclass(frozen=True)
class TrajectoryPoint:
    year: int
    actual: float | None
    expected: float | None
    light: str
    illustrative: bool


@_SCHEMA
@dataclass(frozen=True)
class PathPoint:
    year: int
    value: float | None


@_SCHEMA
@dataclass(frozen=True)
class Trajectory:
    """A target's actual values by year beside its time-elapsed path to the target year."""
    target: TrajectoryTarget | TranslatedTrajectoryTarget
    points: list[TrajectoryPoint]
    path: list[PathPoint]
    rule: str


def translated(row: BarometerRow | TrajectoryTarget, name: str | None, note: str | None):
    """``row`` named in the reader's language (``name``, ``note``: the plan's translation, None: keep).
    A trajectory's target takes the note too (it had none)."""
    if isinstance(row, TrajectoryTarget) and not isinstance(row, TranslatedTrajectoryTarget):
        fields = {f.name: getattr(row, f.name) for f in dataclasses.fields(row)}
        return TranslatedTrajectoryTarget(**{**fields, "name": name or row.name, "note": note or ""})
    return dataclasses.replace(row, name=name or row.name, note=note or row.note)


def barometer_of(document: dict[str, Any]) -> Barometer:
    """A barometer from its JSON document: an assessment frozen before the barometer was typed
    (services/reporting/frozen.py) kept it as a mapping."""
    return TypeAdapter(Barometer).validate_python(document)
