"""Importing user files into the store: one transaction per file, idempotent on natural keys.

A file is validated completely before anything is written; any issue rejects the whole file.
Rows are upserted by natural key: a new key is inserted, a changed value updated (with an audit
entry keeping before and after), an identical row left alone. Importing the same file twice
therefore changes nothing.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain.accounting import account
from ..domain.findings import Finding
from ..domain.policy import AccountingPolicy
from ..store import rollups
from ..store.models import ActivityRecord, ForestParcel, GdpRecord, PlanRow, PublicBuilding, TargetObservation
from . import audit, batches, monitoring, permissions, plausibility, project_progress
from .accounting import completed
from .buildings import read_buildings
from .errors import InputRejected, NotFound
from .platform import Platform
from .sinks import read_parcels
from .tables import detect_kind, read_activity, read_gdp, read_observations, within_limits


@dataclass(frozen=True)
class ImportResult:
    kind: str
    file: str
    rows: int
    inserted: int
    updated: int
    unchanged: int
    batch_id: int | None
    findings: tuple[Finding, ...] = ()  # warnings about accepted rows (proxy grid years, year-on-year jumps)

    def as_dict(self, lang: str = "zh") -> dict[str, Any]:
        d = {k: v for k, v in self.__dict__.items() if k != "findings"}
        d["findings"] = [f.as_dict(lang) for f in self.findings]
        return d


@dataclass
class _Parsed:
    frame: pd.DataFrame
    records: list[dict]
    model: Any
    key: tuple[str, ...]
    column: str
    findings: list[Finding] = field(default_factory=list)


@within_limits
def import_file(platform: Platform, path: Path, actor: str, kind: str | None = None,
                options: AccountingPolicy | None = None, plan_code: str | None = None,
                dry_run: bool = False, display_name: str | None = None,
                department: str | None = None, principal=None) -> ImportResult:
    """Validate and import ``path``. With ``dry_run`` the whole import runs inside a
    transaction that is rolled back: the counts are exact and nothing is written.

    ``department`` set (an import by a department editor): new rows are owned by that
    department, and rows owned by anyone else (another department, or county-level rows with no
    owner) may not be changed; each such row is named and the whole file is refused. Without it
    (administrator, command line) any row may be changed and owners stay as they are.
    ``principal`` set (a signed-in account): permissions.check_import decides whether it may
    import these rows at all and sets ``department``.

    Year-on-year jumps of activity quantities and GDP (services/plausibility.py) come back as
    warning findings in the result; they do not stop the import."""
    name = display_name or path.name
    kind = kind or detect_kind(path, name, lambda cols: project_progress.detect(cols) or monitoring.detect(cols))
    if kind == project_progress.KIND:  # its own writer: the one place project progress is written
        r = project_progress.import_file(platform, path, actor, name, department=department, dry_run=dry_run,
                                         principal=principal)
        return ImportResult(kind, name, r.rows, r.inserted, r.updated, r.unchanged, r.batch_id)
    p = _parse(platform, path, name, kind, options, plan_code)
    with path.open("rb") as f:
        digest = hashlib.file_digest(f, "sha256").hexdigest()
    rows = [int(x) for x in p.frame["row"]]
    if principal is not None:  # a signed-in account: its role, department and sectors decide (permissions.py)
        department = permissions.check_import(platform, principal, kind, p.records, name, rows)
    counts, batch_id = _write(platform, p, kind, name, digest, rows, actor, department, dry_run)
    return ImportResult(kind, name, len(p.records), counts["inserted"], counts["updated"], counts["unchanged"],
                        batch_id, tuple(p.findings))


def _parse(platform: Platform, path: Path, name: str, kind: str, options: AccountingPolicy | None,
           plan_code: str | None) -> _Parsed:
    """Read and validate the file (refused whole on any issue) into the records to upsert."""
    if kind == "activity":
        return _activity(platform, path, name, options)
    if kind == "gdp":
        frame = read_gdp(path, name)
        records = [dict(region=r.region, year=int(r.year), gdp_current=float(r.gdp_current),
                        index_prev=None if pd.isna(r.index_prev) else float(r.index_prev),
                        source=r.source, illustrative=bool(r.illustrative)) for r in frame.itertuples()]
        return _Parsed(frame, records, GdpRecord, ("region", "year"), "year", plausibility.gdp_jumps(platform, frame, name))
    if kind == "observations":
        return _observations(platform, path, name, plan_code)
    if kind == "parcels":
        frame = read_parcels(path, name)
        records = [dict(year=int(r.year), township=r.township, village=r.village, parcel=r.parcel,
                        land_type=r.land_type, forest_type=r.forest_type, species_group=r.species_group,
                        origin=r.origin, age_class=r.age_class, area_ha=float(r.area_ha),
                        volume_m3_per_ha=float(r.volume_m3_per_ha), source=r.source,
                        illustrative=bool(r.illustrative)) for r in frame.itertuples()]
        return _Parsed(frame, records, ForestParcel, ("year", "township", "village", "parcel"), "parcel")
    if kind == "buildings":
        frame = read_buildings(path, name)
        records = [dict(building_id=r.building_id, year=int(r.year), name=r.name, building_class=r.building_class,
                        subtype=r.subtype, climate_zone=r.climate_zone, floor_area_m2=float(r.floor_area_m2),
                        organisation=r.owner, electricity_kwh=float(r.electricity_kwh), gas_m3=float(r.gas_m3),
                        source=r.source, illustrative=bool(r.illustrative)) for r in frame.itertuples()]
        return _Parsed(frame, records, PublicBuilding, ("building_id", "year"), "building_id")
    if kind in monitoring.FILE_KINDS:
        return _Parsed(*monitoring.read_records(platform, kind, path, name))
    raise ValueError(f"unknown import kind {kind!r}")


def _activity(platform: Platform, path: Path, name: str, options: AccountingPolicy | None) -> _Parsed:
    ref = platform.ref  # one reference for the whole file (each read asks the store)
    frame = read_activity(path, ref.catalogue, name)
    # Refuse rows the engine could not account (no factor for the year, carrier ...).
    policy = completed(options, platform)  # the one policy every surface uses (services/accounting.py)
    checked = account(frame, ref.factors, ref.catalogue, policy, file=name)
    if checked.issues:
        raise InputRejected(checked.issues)
    records = [dict(region=r.region, year=int(r.year), sector=r.sector, carrier=r.carrier, use=r.use,
                    quantity=float(r.quantity), unit=r.unit, grid=r.grid, source=r.source,
                    illustrative=bool(r.illustrative)) for r in frame.itertuples()]
    proxies = [f for f in checked.findings if f.code == "factor.electricity.proxy_year"]  # said, not silent
    return _Parsed(frame, records, ActivityRecord, ("region", "year", "sector", "carrier", "use"), "carrier",
                   proxies + plausibility.activity_jumps(platform, frame, name))


def _observations(platform: Platform, path: Path, name: str, plan_code: str | None) -> _Parsed:
    """Entered target values of the plan ``plan_code`` (default: the first stored); a target whose
    value is a share (unit %, not a change) takes values in [0, 100] only."""
    with platform.sessions() as s:
        plan = s.scalars(select(PlanRow).where(PlanRow.code == plan_code) if plan_code
                         else select(PlanRow).order_by(PlanRow.id)).first()
        if plan is None:
            raise NotFound("no plan loaded to attach target values to")
        code, targets = plan.code, {t.code for t in plan.targets}
        shares = frozenset(t.code for t in plan.targets if t.unit == "%" and t.kind != "change")
    frame = read_observations(path, targets, name, shares)
    records = [dict(plan_code=code, target_code=r.target, year=int(r.year), value=float(r.value),
                    source=r.source, illustrative=bool(r.illustrative)) for r in frame.itertuples()]
    return _Parsed(frame, records, TargetObservation, ("plan_code", "target_code", "year"), "target")


def _write(platform: Platform, p: _Parsed, kind: str, name: str, digest: str, rows: list[int], actor: str,
           department: str | None, dry_run: bool) -> tuple[dict[str, int], int | None]:
    """Upsert the records in one transaction (rolled back on refusal or ``dry_run``)."""
    with platform.sessions() as s:
        counts, touched, refused = upsert(s, p.model, p.key, p.records, actor, department)
        if refused:
            s.rollback()
            raise batches.not_owner(name, rows, p.column, refused)
        if kind == "metering_points" and counts["updated"]:  # a changed multiplier or kind: its rollups anew
            s.flush()
            rollups.rebuild(s.connection(), [o.id for o in touched if o.id is not None])
        batch_id = batches.settle(s, kind, name, digest, len(p.records), actor, counts, touched, dry_run)
    return counts, batch_id


def upsert(s: Session, model, key: tuple[str, ...], records: list[dict], actor: str,
           department: str | None = None) -> tuple[dict[str, int], list, list[tuple[int, str | None]]]:
    """Insert new natural keys, update changed rows (audited), leave identical rows alone.
    Returns the counts, the rows written, and (index, owner) of rows the department may not change."""
    existing = {tuple(getattr(o, k) for k in key): o for o in s.scalars(select(model)).all()}
    counts = {"inserted": 0, "updated": 0, "unchanged": 0}
    touched, refused = [], []
    for i, rec in enumerate(records):
        k = tuple(rec[c] for c in key)
        obj = existing.get(k)
        if obj is None:
            obj = model(**rec, owner=department)
            s.add(obj)
            audit.record(s, actor, model.__tablename__, _key_text(k), "insert", None, rec)
            counts["inserted"] += 1
            touched.append(obj)
            continue
        before = {c: getattr(obj, c) for c in rec}
        if all(_same(before[c], rec[c]) for c in rec):
            counts["unchanged"] += 1
            continue
        if department is not None and obj.owner != department:
            refused.append((i, obj.owner))
            continue
        for c, v in rec.items():
            setattr(obj, c, v)
        audit.record(s, actor, model.__tablename__, _key_text(k), "update", before, rec)
        counts["updated"] += 1
        touched.append(obj)
    return counts, touched, refused


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) or isinstance(b, float):
        return a is not None and b is not None and abs(float(a) - float(b)) <= 1e-12 * max(1.0, abs(float(b)))
    return a == b


def _key_text(k: tuple) -> str:
    return "|".join(str(x) for x in k)


