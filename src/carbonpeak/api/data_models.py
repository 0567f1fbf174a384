"""Response schemas of the data, audit, project and task routes (api/routes.py): imports, factors,
the audit trail, the project registry and the task board. Projects, tasks and county factors are
the services' own dataclasses (services/registry.py, services/factor_store.py)."""

from __future__ import annotations

from ..services import audit, registry
from ..services.factor_store import CountyFactor, StoredFactor
from .response_models import FindingOut, Out


class UploadOut(Out):
    """What an import did (or, dry run, would do): services/imports.ImportResult.as_dict."""
    dry_run: bool
    kind: str
    file: str
    rows: int
    inserted: int
    updated: int
    unchanged: int
    batch_id: int | None
    findings: list[FindingOut]


class FactorRowOut(Out):
    factor_id: str
    release: str
    kind: str
    carrier: str
    geography: str
    year: int | None
    parameter: str
    value: float
    unit: str
    source_document: str
    source_table: str
    status: str
    uncertainty: str
    note: str


class FactorsOut(Out):
    factors: list[FactorRowOut]


class AuditOut(Out):
    entries: list[audit.AuditRecord]





class ProjectsOut(Out):
    projects: list[registry.Project]
    capacity: registry.CapacitySummary



class TasksOut(Out):
    tasks: list[registry.Task]
    department: str | None


class CountyFactorsOut(Out):
    factors: list[CountyFactor]


class StoredFactorsOut(Out):
    stored: list[StoredFactor]


class RemovedFactorOut(Out):
    removed: StoredFactor
