"""The annual assessment as typed data: what services/reports/assessment.py computes and every
renderer (Word, Excel, the job status, the CLI) reads. One figure, one computation: the narrative
quotes these fields, the tables lay out the same fields."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..buildings import BuildingGrades
from ..registry import Project, Task
from ..tracking_results import Barometer, BarometerRow


@dataclass(frozen=True)
class TaskCount:
    """Tasks of one responsible department by their real status (a task of several departments
    counts for each)."""
    department: str
    tasks: int
    done: int
    in_progress: int
    not_started: int
    late: int


@dataclass(frozen=True)
class ProjectCount:
    type: str
    name: str  # the type in the reader's language
    projects: int
    by_status: dict[str, int]


@dataclass(frozen=True)
class AnnexRow:
    """One line of the provenance annex, in the reader's language (never a file or module)."""
    what: str
    status: str
    source: str


@dataclass(frozen=True)
class PeakOutlook:
    """The peak outlook of the plan's policy scenario (its published run, the one the API serves)."""
    scenario: str
    draws: int
    p_peak_by_2030: float
    peak_year: dict[str, int | None]  # p10, p50, p90 (None: not peaked by the horizon)
    peak_year_text: str  # the median peak year as the reader reads it (或“未达峰”)
    horizon: int
    peak_value_t: float | None
    base_year: int
    illustrative: bool
    rule: str
    history: dict[str, Any] | None  # LMDI of the stored years: {"from", "to", "effects"}


@dataclass(frozen=True)
class Section:
    """A titled part of the narrative: paragraphs of plain text."""
    title: str
    paragraphs: list[str]


@dataclass
class Assessment:
    year: int
    lang: str
    generated_at: str
    plan: dict[str, Any]
    title: str
    organisation: str  # 编制单位
    targets: Barometer | None  # the barometer, as /api/targets answers (None until the targets step)
    inventory: dict[str, Any] | None = None
    indicators: list[dict[str, Any]] = field(default_factory=list)
    series: list[dict[str, Any]] = field(default_factory=list)
    monitoring: dict[str, Any] | None = None
    tasks: list[TaskCount] = field(default_factory=list)
    task_totals: dict[str, int] = field(default_factory=dict)  # every task once, by real status
    tasks_late: list[Task] = field(default_factory=list)
    projects: list[ProjectCount] = field(default_factory=list)
    projects_due: list[Project] = field(default_factory=list)
    sinks: dict[str, Any] | None = None
    buildings: BuildingGrades | None = None
    supervision: Any | None = None  # services.supervision PublicView: the year's cases as the public page shows them
    outlook: PeakOutlook | None = None
    carbon: Any | None = None  # carbon_section.CarbonSection: the services/carbon results of the year (碳排放双控)
    missing: list[str] = field(default_factory=list)
    flags: dict[str, Any] = field(default_factory=dict)
    annex: list[AnnexRow] = field(default_factory=list)
    narrative: list[Section] = field(default_factory=list)

    @property
    def target_rows(self) -> list[BarometerRow]:
        """The barometer's rows ([] before the targets step)."""
        return self.targets.targets if self.targets else []

    @property
    def zh(self) -> bool:
        return self.lang != "en"
