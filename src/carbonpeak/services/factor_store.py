"""Reference values the county sets itself (table factor_overrides): building quotas from its own
quota standard, forest growth rates, bamboo and tea-garden parameters, or a corrected factor.

Each value is validated like a factor-set row (known kind and parameter, unit convertible to the
canonical one, status, a source document), replaces the shipped row with the same key or adds a
new one, and every change is audited with before and after. Removing an override restores the
shipped value. The platform's ``ref`` picks the overrides up at once (services/platform.py).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from ..domain.factors import COLUMNS, FactorError, FactorSet
from ..domain.findings import InputIssue
from ..refdata import FactorFileError, read_factor_file
from ..store.models import FactorOverride
from ..store.queries import factors as q
from . import audit
from .errors import InputRejected, NotFound
from .platform import Platform

FIELDS = ("kind", "carrier", "geography", "year", "parameter", "value", "unit", "source_document", "source_table",
          "status", "note", "factor_id")


@dataclass(frozen=True)
class StoredFactor:
    """A county value as stored: the fields of a factor-set row."""
    kind: str
    carrier: str
    geography: str
    year: int
    parameter: str
    value: float
    unit: str
    source_document: str
    source_table: str
    status: str
    note: str
    factor_id: str

    @classmethod
    def of(cls, obj: FactorOverride):
        return cls(**{f.name: getattr(obj, f.name) for f in dataclasses.fields(cls)})

    def as_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclass(frozen=True)
class CountyFactor(StoredFactor):
    """A listed county value: also its revision and who set it last."""
    revision: int
    actor: str


def _key(row: dict[str, Any]) -> tuple:
    return (row["kind"], row.get("carrier") or "", row.get("geography") or "", int(row.get("year") or 0), row["parameter"])


def _validate(platform: Platform, rows: list[dict[str, Any]], source: str) -> list[dict[str, Any]]:
    clean = []
    for r in rows:
        c = {k: r.get(k) for k in FIELDS}
        for k in ("carrier", "geography", "source_table", "note", "factor_id"):
            c[k] = (c[k] or "").strip() if isinstance(c[k], str) or c[k] is None else str(c[k])
        c["status"] = c["status"] or "single_source"
        c["year"] = int(c["year"]) if c["year"] not in (None, "", 0) else 0
        clean.append(c)
    issues = [InputIssue("input.empty_value", source, i + 1, "source_document", {})
              for i, c in enumerate(clean) if not str(c["source_document"] or "").strip()]
    if issues:
        raise InputRejected(issues)
    frame = pd.DataFrame([{**c, "year": c["year"] or None, "release": "county"} for c in clean])
    try:
        FactorSet.from_rows(frame[[k for k in COLUMNS if k in frame.columns]], platform.base_ref.catalogue.units())
    except FactorError as exc:
        raise InputRejected([InputIssue("input.bad_factor_row", source, exc.index + 1, exc.column,
                                        {"reason": exc.reason})]) from exc
    return clean


def set_factors(platform: Platform, rows: list[dict[str, Any]], actor: str, source: str = "request"
                ) -> list[StoredFactor]:
    """Store county values (one transaction); returns them as stored."""
    clean = _validate(platform, rows, source)
    out = []
    with platform.sessions.begin() as s:
        rev = q.last_revision(s)
        existing = {_key(o.__dict__): o for o in q.overrides(s)}
        for c in clean:
            k = _key(c)
            obj = existing.get(k)
            before = None if obj is None else {f: getattr(obj, f) for f in FIELDS}
            if before is not None and all(before[f] == c[f] for f in FIELDS if f != "factor_id" or c[f]):
                out.append(StoredFactor.of(obj))  # the same value again: nothing changes, nothing is audited
                continue
            rev += 1
            if obj is None:
                obj = FactorOverride(**{f: c[f] for f in FIELDS if f != "factor_id"},
                                     factor_id=c["factor_id"] or f"C-{c['kind']}-{rev}")
                s.add(obj)
                existing[k] = obj
            else:
                for f in FIELDS:
                    if f != "factor_id" or c[f]:
                        setattr(obj, f, c[f])
            obj.revision, obj.actor = rev, actor
            after = {f: getattr(obj, f) for f in FIELDS}
            audit.record(s, actor, "factor_overrides", "|".join(map(str, k)), "update" if before else "insert", before, after)
            out.append(StoredFactor.of(obj))
    return out


def remove_factor(platform: Platform, kind: str, carrier: str, geography: str, year: int | None, parameter: str,
                  actor: str) -> StoredFactor:
    k = (kind, carrier or "", geography or "", int(year or 0), parameter)
    with platform.sessions.begin() as s:
        obj = next((o for o in q.overrides(s, kind, parameter) if _key(o.__dict__) == k), None)
        if obj is None:
            raise NotFound("no county value with this key / 无此县级设定值")
        before = {f: getattr(obj, f) for f in FIELDS}
        removed = StoredFactor.of(obj)
        s.delete(obj)
        audit.record(s, actor, "factor_overrides", "|".join(map(str, k)), "delete", before, None)
    return removed


def list_overrides(platform: Platform, kind: str | None = None) -> list[CountyFactor]:
    with platform.sessions() as s:
        return [CountyFactor.of(o) for o in q.overrides(s, kind)]


def store_factor_file(platform: Platform, path: Path, actor: str) -> list[StoredFactor]:
    """A factor-set file (CSV/XLSX, the columns of the shipped tables) stored as county values."""
    return set_factors(platform, _file_rows(platform, path), actor, source=path.name)  # it validates them


def check_factor_file(platform: Platform, path: Path) -> list[dict[str, Any]]:
    """The rows of a factor-set file, read and checked (nothing stored): refused naming row and field."""
    rows = _file_rows(platform, path)
    _validate(platform, rows, path.name)
    return rows


def _file_rows(platform: Platform, path: Path) -> list[dict[str, Any]]:
    try:
        fs = read_factor_file(path, platform.base_ref.catalogue)
    except FactorFileError as exc:
        raise InputRejected(exc.issues) from exc
    rows = fs.table.to_dict("records")
    for r in rows:
        r["year"] = None if pd.isna(r["year"]) else int(r["year"])
        if str(r.get("factor_id", "")).startswith("U-"):
            r["factor_id"] = ""
    return rows
