"""封存: an administrator freezes an assessment year. The version keeps the barometer of that year
(each target's actual value, light and reason), the rule, and every entered target value of the
plan up to that year, as they stood. Approving a value of a frozen year afterwards (a correction)
adds the next version; :func:`diff` says what changed between two versions, target by target.
Each version also keeps the year's whole assessment (frozen.py): the report of a frozen year is
rendered from its latest version (:func:`report_model`). Versions are only ever added."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ...domain.reporting import aware
from ...domain.tracking import BarometerRule
from ...store.models_reporting import AssessmentFreeze
from ...store.queries import reporting_freeze as q
from ...store.queries.reporting import Session
from .. import audit, permissions
from ..accounting import DEFAULTS
from ..errors import NotFound
from ..platform import Platform
from ..tracking import targets_report
from ..users import Principal
from . import frozen


@dataclass(frozen=True)
class FreezeView:
    year: int
    version: int
    reason: str
    created_by: str
    created_at: datetime
    targets: int


@dataclass(frozen=True)
class TargetChange:
    target: str
    name: str
    field: str  # actual | light | entered (a value entered for ``year``)
    before: Any
    after: Any
    year: int | None = None


@dataclass(frozen=True)
class FreezeDiff:
    year: int
    before: int
    after: int
    changes: list[TargetChange] = field(default_factory=list)


def _snapshot(s: Session, platform: Platform, year: int) -> dict[str, Any]:
    """What a version keeps; the figures first (their own sessions), then the entered values in ``s``."""
    report = targets_report(platform, year, DEFAULTS, BarometerRule())
    assessment = frozen.capture(platform, year)
    entered = {f"{o.target_code}|{o.year}": {"value": o.value, "source": o.source} for o in q.observations_to(s, year)}
    targets = {r.id: {"name": r.name, "actual": r.actual, "light": r.light, "reason": r.reason,
                      "data_source": r.data_source} for r in report.targets}
    return {"rule": report.rule, "counts": report.counts, "targets": targets, "entered": entered,
            "assessment": assessment}


def _view(r: AssessmentFreeze) -> FreezeView:
    return FreezeView(r.year, r.version, r.reason, r.created_by, aware(r.created_at), len(r.snapshot.get("targets", {})))


def freeze(platform: Platform, who: Principal, year: int, reason: str = "") -> FreezeView:
    """The next version of ``year`` (the first one freezes the year)."""
    permissions.require(who, "reporting.manage")
    return add_version(platform, who.username, year, reason)


def add_version(platform: Platform, actor: str, year: int, reason: str) -> FreezeView:
    """The next version of ``year`` (also after an approved correction of a frozen year)."""
    with platform.sessions.begin() as s:
        snap = _snapshot(s, platform, year)
        version = q.last_version(s, year) + 1
        row = AssessmentFreeze(year=year, version=version, reason=reason[:2000], snapshot=snap,
                               created_by=actor)
        s.add(row)
        s.flush()
        audit.record(s, actor, "assessment_freezes", f"{year}|{version}", "insert", None,
                     {"year": year, "version": version, "reason": reason[:2000]})
        return _view(row)


def report_model(platform: Platform, year: int, lang: str, organisation: str | None = None):
    """The assessment of a frozen year from its latest version, naming the version (None: the
    year is not frozen, or its versions predate kept assessments: the report is computed live)."""
    with platform.sessions() as s:
        row = q.latest(s, year)
        if row is None:
            return None
        v = _view(row)
        snap = row.snapshot
    return frozen.revive(snap, lang, {"version": v.version, "created_at": v.created_at.isoformat(), "reason": v.reason},
                         organisation)


def is_frozen(s: Session, year: int) -> bool:
    """Whether ``year`` has a version (in the caller's session)."""
    return q.is_frozen(s, year)


def versions(platform: Platform, who: Principal, year: int | None = None) -> list[FreezeView]:
    permissions.require(who, "reporting.read")
    with platform.sessions() as s:
        return [_view(r) for r in q.versions(s, year)]


def _kept(s: Session, year: int, version: int) -> dict[str, Any]:
    row = q.version(s, year, version)
    if row is None:
        raise NotFound(f"{year}年没有第{version}版封存 / no frozen version {version} of {year}")
    return row.snapshot


def snapshot(platform: Platform, who: Principal, year: int, version: int) -> dict[str, Any]:
    """What a version kept (the report of that year is regenerated from it)."""
    permissions.require(who, "reporting.read")
    with platform.sessions() as s:
        return _kept(s, year, version)


def diff(platform: Platform, who: Principal, year: int, before: int, after: int) -> FreezeDiff:
    """Target by target, what differs between two versions of a frozen year."""
    permissions.require(who, "reporting.read")
    with platform.sessions() as s:
        a, b = _kept(s, year, before), _kept(s, year, after)
    changes = []
    for tid in sorted(set(a["targets"]) | set(b["targets"])):
        x, y = a["targets"].get(tid, {}), b["targets"].get(tid, {})
        label = y.get("name") or x.get("name") or tid
        changes += [TargetChange(tid, label, k, x.get(k), y.get(k)) for k in ("actual", "light")
                    if x.get(k) != y.get(k)]
    for key in sorted(set(a["entered"]) | set(b["entered"])):
        x, y = a["entered"].get(key, {}).get("value"), b["entered"].get(key, {}).get("value")
        if x != y:
            tid = key.split("|")[0]
            name = b["targets"].get(tid, {}).get("name", tid)
            changes.append(TargetChange(tid, name, "entered", x, y, int(key.split("|")[1])))
    return FreezeDiff(year, before, after, changes)
