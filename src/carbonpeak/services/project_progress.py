"""Project progress (项目进展): what each registry project put into service, and invested, in a year.

The one writer of project progress. A file (CSV/XLSX: 项目编号, 年份, 本年投运规模, 单位, 本年完成投资,
状态, 来源, 备注, 示例数据) comes in through :func:`import_progress` (``carbonpeak import``, the web
upload: services/imports.py hands the kind ``project_progress`` here); any other service (the
statistical reporting obligations) calls :func:`record_progress` with :class:`ProgressEntry` rows.
Both validate everything first (an issue names file, row and field; nothing is half-written), then
upsert in one transaction on the natural key project + year (a re-import changes nothing), with an
audit entry for every change (which moves the ``projects`` data version on).

One row per project and year: a plant commissioned in 2024 has one row; a yearly programme
(P17-03 老旧小区改造, 50万m²/年) one per year. ``quantity`` is what the year put into service
(not a running total), in ``unit`` (default: the project's own unit, without "/年").

After writing, each touched project's as-built fields are summarised from all its rows:
``actual_year`` = the first year with something in service (a quantity > 0, or status 已建成),
``actual_capacity`` = the sum of the quantities in the project's unit (None when none converts),
``status`` = the latest stated status, ``illustrative`` = any row illustrative.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..domain.findings import InputIssue
from ..domain.units import UnitError, conversion_factor
from ..store.models import ProjectProgress, ProjectRow
from ..store.queries import projects as q
from ..store.queries.projects import Session
from . import audit, batches, permissions
from .errors import InputRejected
from .platform import Platform
from .tables import read_typed, within_limits

KIND = "project_progress"
STATUS_WORDS = {
    "planned": "planned", "计划": "planned", "未开工": "planned",
    "under_construction": "under_construction", "在建": "under_construction", "建设中": "under_construction",
    "completed": "completed", "建成": "completed", "已建成": "completed", "投运": "completed", "已投运": "completed",
    "delayed": "delayed", "延期": "delayed", "滞后": "delayed",
    "cancelled": "cancelled", "取消": "cancelled", "已取消": "cancelled",
}
COLUMNS: dict[str, tuple] = {
    "project": (("项目编号", "项目"), "text", True),
    "year": (("年份", "年度"), "int", True),
    "quantity_in_service": (("本年投运规模", "投运规模", "投运数量", "本年投运数量"), "number", False),
    "unit": (("单位", "计量单位"), "text", False),
    "investment_wan": (("本年完成投资", "完成投资", "完成投资（万元）", "完成投资(万元)", "本年完成投资（万元）"),
                       "number", False),
    "status": (("状态", "项目状态"), STATUS_WORDS, False),
    "source": (("来源", "数据来源"), "text", True),
    "note": (("备注",), "text", False),
    "illustrative": (("示例数据", "示例"), "text", False),
}
FIELDS = ("quantity", "unit", "investment_wan", "status", "source", "note", "illustrative")
FIRST_YEAR = 1990
SINK_UNIT_PREFIX = "tco2"  # a carbon-sink project may state its annual removal (tCO2/a) instead of its area


@dataclass(frozen=True)
class ProgressEntry:
    """One project's progress in one year, as a caller states it (``row``: where in its file)."""
    project: str
    year: int
    quantity: float | None
    unit: str
    investment_wan: float | None
    status: str
    source: str
    note: str = ""
    illustrative: bool = False
    row: int | None = None


@dataclass(frozen=True)
class ProgressRecord:
    """A stored progress row, as the target sources and the drill-down read it."""
    project: str
    year: int
    quantity: float | None
    unit: str
    investment_wan: float | None
    status: str
    source: str
    note: str
    illustrative: bool


@dataclass(frozen=True)
class ProgressImport:
    kind: str
    file: str
    rows: int
    inserted: int
    updated: int
    unchanged: int
    batch_id: int | None
    projects_updated: int


def base_unit(unit: str | None) -> str:
    """A project's unit without its "/年" (a yearly programme's quantities are per year already)."""
    return (unit or "").removesuffix("/年").strip()


def unit_factor(unit: str | None, to: str | None) -> float | None:
    """``unit`` → ``to`` (the same spelling: 1); None when they do not convert."""
    a, b = base_unit(unit), base_unit(to)
    if not a or not b:
        return None
    if a == b:
        return 1.0
    try:
        return conversion_factor(a, b)
    except UnitError:
        return None


def is_sink_unit(unit: str | None) -> bool:
    return base_unit(unit).lower().startswith(SINK_UNIT_PREFIX)


def _issue(code: str, file: str, e: ProgressEntry, column: str, **params) -> InputIssue:
    return InputIssue(code, file, e.row, column, params)


def _entry_issues(e: ProgressEntry, p: ProjectRow | None, file: str, this_year: int) -> list[InputIssue]:
    if p is None:
        return [_issue("input.progress_unknown_project", file, e, "project", value=e.project)]
    out = []
    if not FIRST_YEAR <= e.year <= this_year:
        out.append(_issue("input.bad_year", file, e, "year", value=e.year, low=FIRST_YEAR, high=this_year))
    if e.quantity is None and e.investment_wan is None and not e.status:
        out.append(_issue("input.progress_nothing", file, e, "quantity_in_service"))
    if not e.source.strip():
        out.append(_issue("input.empty_value", file, e, "source"))
    if e.status and e.status not in STATUS_WORDS:
        out.append(_issue("input.bad_value", file, e, "status", value=e.status, reason="/".join(dict.fromkeys(STATUS_WORDS))))
    for col, v in (("quantity_in_service", e.quantity), ("investment_wan", e.investment_wan)):
        if v is not None and not 0 <= v < 1e12:
            out.append(_issue("input.negative", file, e, col, value=v))
    if e.quantity is not None:
        unit = e.unit or base_unit(p.capacity_unit)
        sink_ok = is_sink_unit(unit) and p.type.startswith("carbon_sink")
        if not unit:
            out.append(_issue("input.empty_value", file, e, "unit"))
        elif p.capacity_unit and not sink_ok and unit_factor(unit, p.capacity_unit) is None:
            out.append(_issue("input.progress_unit", file, e, "unit", value=unit, project_unit=p.capacity_unit))
        if STATUS_WORDS.get(e.status) == "cancelled" and e.quantity > 0:
            out.append(_issue("input.progress_cancelled", file, e, "status", value=e.quantity))
    return out


def _checked(s: Session, entries: list[ProgressEntry], file: str, plan_code: str | None) -> dict[str, ProjectRow]:
    """The plan's projects by code; raises InputRejected with every issue of ``entries``."""
    plan = q.plan_row(s, plan_code)
    projects = {p.code: p for p in plan.projects} if plan is not None else {}
    issues, seen = [], {}
    this_year = date.today().year
    for e in entries:
        issues += _entry_issues(e, projects.get(e.project), file, this_year)
        key = (e.project, e.year)
        if key in seen:
            issues.append(_issue("input.duplicate_row", file, e, "year", other=seen[key]))
        seen.setdefault(key, e.row)
    if issues:
        raise InputRejected(sorted(issues, key=lambda x: (x.row or 0, x.column or "")))
    return projects


def _values(e: ProgressEntry, p: ProjectRow) -> dict:
    unit = (e.unit.strip() or base_unit(p.capacity_unit)) if e.quantity is not None else e.unit.strip()
    return {"quantity": e.quantity, "unit": unit, "investment_wan": e.investment_wan,
            "status": STATUS_WORDS.get(e.status, e.status), "source": e.source.strip(),
            "note": e.note.strip(), "illustrative": bool(e.illustrative)}


def _upsert(s: Session, entries: list[ProgressEntry], projects: dict[str, ProjectRow], actor: str,
            department: str | None, file: str) -> tuple[dict[str, int], list[ProjectProgress], set[int]]:
    ids = {projects[e.project].id for e in entries}
    existing = {(r.project_id, r.year): r for r in q.progress_of(s, ids)}
    counts = {"inserted": 0, "updated": 0, "unchanged": 0}
    touched, refused, changed = [], [], set()
    for e in entries:
        p = projects[e.project]
        rec, key = _values(e, p), f"{p.code}|{e.year}"
        obj = existing.get((p.id, e.year))
        if obj is None:
            obj = ProjectProgress(project_id=p.id, year=e.year, owner=department, **rec)
            s.add(obj)
            audit.record(s, actor, ProjectProgress.__tablename__, key, "insert", None, rec)
            counts["inserted"] += 1
        else:
            before = {k: getattr(obj, k) for k in rec}
            if before == rec:
                counts["unchanged"] += 1
                continue
            if department is not None and obj.owner != department:
                refused.append(_issue("input.not_owner", file, e, "year", owner=obj.owner or "县级（管理员）"))
                continue
            for k, v in rec.items():
                setattr(obj, k, v)
            audit.record(s, actor, ProjectProgress.__tablename__, key, "update", before, rec)
            counts["updated"] += 1
        touched.append(obj)
        changed.add(p.id)
    if refused:
        raise InputRejected(refused)
    return counts, touched, changed


def _summary(p: ProjectRow, rows: list[ProjectProgress]) -> dict:
    """The project's as-built fields from all its progress rows (module docstring)."""
    rows = sorted(rows, key=lambda r: r.year)
    in_service = [r for r in rows if (r.quantity or 0) > 0 or r.status == "completed"]
    sized = [r for r in rows if r.quantity is not None]
    unit = base_unit(p.capacity_unit) or (sized[0].unit if sized else "")
    factors = [unit_factor(r.unit, unit) for r in sized]
    total = sum(r.quantity * f for r, f in zip(sized, factors)) if sized and None not in factors else None
    stated = [r.status for r in rows if r.status]
    return {"actual_year": in_service[0].year if in_service else None, "actual_capacity": total,
            "status": stated[-1] if stated else p.status, "illustrative": any(r.illustrative for r in rows)}


def _summarise(s: Session, projects: list[ProjectRow], actor: str) -> int:
    n = 0
    for p in projects:
        rows = q.progress_of(s, [p.id])
        after = _summary(p, rows)
        before = {k: getattr(p, k) for k in after}
        if before != after:
            for k, v in after.items():
                setattr(p, k, v)
            audit.record(s, actor, ProjectRow.__tablename__, p.code, "update", before, after)
            n += 1
    return n


def record_progress(platform: Platform, entries: list[ProgressEntry], actor: str, file: str = "request", *,
                    digest: str = "", department: str | None = None, dry_run: bool = False,
                    plan_code: str | None = None) -> ProgressImport:
    """Validate and write ``entries`` in one transaction (rolled back on refusal or ``dry_run``).
    ``department`` set: new rows are owned by it and rows owned by anyone else are not changed
    (each named, the whole batch refused)."""
    with platform.sessions() as s:
        projects = _checked(s, entries, file, plan_code)
        try:
            counts, touched, changed = _upsert(s, entries, projects, actor, department, file)
        except InputRejected:
            s.rollback()
            raise
        s.flush()
        summarised = _summarise(s, [p for p in projects.values() if p.id in changed], actor)
        batch_id = batches.settle(s, KIND, file, digest or "-", len(entries), actor, counts, touched, dry_run)
    return ProgressImport(KIND, file, len(entries), counts["inserted"], counts["updated"], counts["unchanged"],
                          batch_id, summarised)


def read_progress(path: Path, name: str | None = None) -> list[ProgressEntry]:
    """The rows of a progress file (refused whole, naming file, row and field, on any issue)."""
    df = read_typed(path, COLUMNS, ["project", "year"], name)

    def num(v) -> float | None:
        return None if v is None or math.isnan(v) else float(v)  # NaN: the cell was empty
    return [ProgressEntry(str(r.project), int(r.year), num(r.quantity_in_service), str(r.unit), num(r.investment_wan),
                          str(r.status) if isinstance(r.status, str) else "", str(r.source), str(r.note),
                          bool(r.illustrative), int(r.row)) for r in df.itertuples()]


def detect(cols: set[str]) -> str | None:
    """``project_progress`` when the (lower-case) headers name a project and its progress."""
    def has(col: str) -> bool:
        return any(x.lower() in cols for x in (col, *COLUMNS[col][0]))
    return KIND if has("project") and (has("quantity_in_service") or has("investment_wan")) else None


def import_file(platform: Platform, path: Path, actor: str, name: str, *, department: str | None = None,
                dry_run: bool = False, principal=None) -> ProgressImport:
    """A progress file (within the import limits of the caller, services/imports.py)."""
    entries = read_progress(path, name)
    if principal is not None:  # a signed-in account: its role and department decide (permissions.py)
        rows = [e.row or 0 for e in entries]
        department = permissions.check_import(platform, principal, KIND, [e.__dict__ for e in entries], name, rows)
    with path.open("rb") as f:
        digest = hashlib.file_digest(f, "sha256").hexdigest()
    return record_progress(platform, entries, actor, name, digest=digest, department=department, dry_run=dry_run)


@within_limits
def import_progress(platform: Platform, path: Path, actor: str, display_name: str | None = None, **kw) -> ProgressImport:
    """Import a progress file on its own (bounded by the import limits)."""
    return import_file(platform, path, actor, display_name or path.name, **kw)


def stored_progress(platform: Platform) -> dict[str, list[ProgressRecord]]:
    """Every stored progress row by project code, in year order."""
    with platform.sessions() as s:
        return stored_progress_in(s)


def stored_progress_in(s: Session) -> dict[str, list[ProgressRecord]]:
    """:func:`stored_progress` read in the caller's session."""
    out: dict[str, list[ProgressRecord]] = {}
    for code, r in q.progress_by_code(s):
        out.setdefault(code, []).append(ProgressRecord(code, r.year, r.quantity, r.unit, r.investment_wan, r.status,
                                                       r.source, r.note, r.illustrative))
    return out
