"""Importing user files into the store: one transaction per file, idempotent on natural keys.

A file is validated completely before anything is written; any issue rejects the whole file.
Rows are upserted by natural key: a new key is inserted, a changed value updated (with an audit
entry keeping before and after), an identical row left alone. Importing the same file twice
therefore changes nothing.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain.accounting import AccountingOptions, account
from ..store.models import ActivityRecord, AuditEntry, GdpRecord, ImportBatch, PlanRow, TargetObservation
from .errors import InputRejected, NotFound
from .platform import Platform
from .tables import detect_kind, read_activity, read_gdp, read_observations


@dataclass(frozen=True)
class ImportResult:
    kind: str
    file: str
    rows: int
    inserted: int
    updated: int
    unchanged: int
    batch_id: int | None

    def as_dict(self) -> dict[str, Any]:
        return self.__dict__.copy()


def import_file(platform: Platform, path: Path, actor: str, kind: str | None = None,
                options: AccountingOptions | None = None, plan_code: str | None = None) -> ImportResult:
    kind = kind or detect_kind(path)
    if kind == "activity":
        frame = read_activity(path, platform.ref.catalogue)
        # Refuse rows the engine could not account (no factor for the year, carrier ...).
        checked = account(frame, platform.ref.factors, platform.ref.catalogue, options or AccountingOptions(),
                          file=path.name)
        if checked.issues:
            raise InputRejected(checked.issues)
        records = [dict(region=r.region, year=int(r.year), sector=r.sector, carrier=r.carrier, use=r.use,
                        quantity=float(r.quantity), unit=r.unit, grid=r.grid, source=r.source,
                        illustrative=bool(r.illustrative)) for r in frame.itertuples()]
        model, key = ActivityRecord, ("region", "year", "sector", "carrier", "use")
    elif kind == "gdp":
        frame = read_gdp(path)
        records = [dict(region=r.region, year=int(r.year), gdp_current=float(r.gdp_current),
                        index_prev=None if pd.isna(r.index_prev) else float(r.index_prev),
                        source=r.source, illustrative=bool(r.illustrative)) for r in frame.itertuples()]
        model, key = GdpRecord, ("region", "year")
    elif kind == "observations":
        with platform.sessions() as s:
            plan = s.scalars(select(PlanRow).where(PlanRow.code == plan_code) if plan_code
                             else select(PlanRow).order_by(PlanRow.id)).first()
            if plan is None:
                raise NotFound("no plan loaded to attach target values to")
            code, targets = plan.code, {t.code for t in plan.targets}
        frame = read_observations(path, targets)
        records = [dict(plan_code=code, target_code=r.target, year=int(r.year), value=float(r.value),
                        source=r.source, illustrative=bool(r.illustrative)) for r in frame.itertuples()]
        model, key = TargetObservation, ("plan_code", "target_code", "year")
    else:
        raise ValueError(f"unknown import kind {kind!r}")
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    with platform.sessions.begin() as s:
        counts, touched = upsert(s, model, key, records, actor)
        if counts["inserted"] == 0 and counts["updated"] == 0:
            batch_id = None  # nothing changed: no batch row either, so a re-import leaves no trace
        else:
            batch = ImportBatch(kind=kind, file_name=path.name, sha256=digest, rows=len(records), actor=actor, **counts)
            s.add(batch)
            s.flush()
            batch_id = batch.id
            for obj in touched:
                obj.batch_id = batch_id
    return ImportResult(kind, path.name, len(records), counts["inserted"], counts["updated"], counts["unchanged"], batch_id)


def upsert(s: Session, model, key: tuple[str, ...], records: list[dict], actor: str) -> tuple[dict[str, int], list]:
    """Insert new natural keys, update changed rows (audited), leave identical rows alone."""
    existing = {tuple(getattr(o, k) for k in key): o for o in s.scalars(select(model)).all()}
    counts = {"inserted": 0, "updated": 0, "unchanged": 0}
    touched = []
    for rec in records:
        k = tuple(rec[c] for c in key)
        obj = existing.get(k)
        if obj is None:
            obj = model(**rec)
            s.add(obj)
            s.add(AuditEntry(actor=actor, entity=model.__tablename__, entity_key=_key_text(k), action="insert",
                             before=None, after=_jsonable(rec)))
            counts["inserted"] += 1
            touched.append(obj)
            continue
        before = {c: getattr(obj, c) for c in rec}
        if all(_same(before[c], rec[c]) for c in rec):
            counts["unchanged"] += 1
            continue
        for c, v in rec.items():
            setattr(obj, c, v)
        s.add(AuditEntry(actor=actor, entity=model.__tablename__, entity_key=_key_text(k), action="update",
                         before=_jsonable(before), after=_jsonable(rec)))
        counts["updated"] += 1
        touched.append(obj)
    return counts, touched


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) or isinstance(b, float):
        return a is not None and b is not None and abs(float(a) - float(b)) <= 1e-12 * max(1.0, abs(float(b)))
    return a == b


def _key_text(k: tuple) -> str:
    return "|".join(str(x) for x in k)


def _jsonable(d: dict) -> dict:
    return {k: (v.item() if hasattr(v, "item") else v) for k, v in d.items()}
