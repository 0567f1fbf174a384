"""The queries of the project registry, the plan's tasks and the projects' yearly progress
(services/registry.py, services/project_progress.py). Each function takes the caller's session and
returns ORM rows; it never opens a session or commits.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session  # also the type the services annotate with (no SQLAlchemy import there)

from ..models import ActionRow, PlanRow, ProjectProgress, ProjectRow, TaskRow

PROJECT_FILTERS = ("type", "town", "status", "year")  # the columns a registry listing may be filtered by


def projects(s: Session, **equal: object) -> list[ProjectRow]:
    """The projects in registry order, those whose columns equal ``equal`` (PROJECT_FILTERS) only."""
    q = select(ProjectRow).order_by(ProjectRow.id)
    for name, value in equal.items():
        if name not in PROJECT_FILTERS:
            raise ValueError(f"not a project filter: {name}")
        q = q.where(getattr(ProjectRow, name) == value)
    return list(s.scalars(q))


def project_coded(s: Session, code: str) -> ProjectRow | None:
    return s.scalar(select(ProjectRow).where(ProjectRow.code == code))


def tasks_with_actions(s: Session) -> list[tuple[TaskRow, ActionRow]]:
    """Every task with its action, in the plan's order."""
    return [tuple(r) for r in s.execute(select(TaskRow, ActionRow).join(ActionRow)
                                        .order_by(ActionRow.number, TaskRow.number)).all()]


def task_with_action(s: Session, code: str) -> tuple[TaskRow, ActionRow] | None:
    row = s.execute(select(TaskRow, ActionRow).join(ActionRow).where(TaskRow.code == code)).first()
    return None if row is None else (row[0], row[1])


def plan_row(s: Session, code: str | None) -> PlanRow | None:
    """The plan of ``code``, else the first stored."""
    return s.scalars(select(PlanRow).where(PlanRow.code == code) if code
                     else select(PlanRow).order_by(PlanRow.id)).first()


def progress_of(s: Session, project_ids: Iterable[int]) -> list[ProjectProgress]:
    """The yearly progress records of the projects ``project_ids``."""
    ids = list(project_ids)
    return list(s.scalars(select(ProjectProgress).where(ProjectProgress.project_id.in_(ids)))) if ids else []


def progress_by_code(s: Session) -> list[tuple[str, ProjectProgress]]:
    """Every progress record with its project's code, by code and year."""
    return [(code, r) for code, r in s.execute(
        select(ProjectRow.code, ProjectProgress).join(ProjectRow, ProjectRow.id == ProjectProgress.project_id)
        .order_by(ProjectRow.code, ProjectProgress.year)).all()]
