"""Maintenance of the readings store (``carbonpeak monitor maintain``): on PostgreSQL the month
partitions of the coming months are created and those before the retention horizon
(``CARBONPEAK_READINGS_RETENTION_MONTHS``) dropped; the rollups are kept. Nothing on SQLite."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime

from ...domain.monitoring import CST
from ...store import partitions
from ..platform import Platform


@dataclass(frozen=True)
class MaintenanceResult:
    partitioned: bool  # PostgreSQL: readings partitioned by month
    created: list[str]
    dropped: list[str]
    partitions: int  # month partitions after the run
    horizon: str | None  # first month whose readings are kept (YYYY-MM); None: all kept


def maintain(platform: Platform, ahead: int = 3, now: int | None = None) -> MaintenanceResult:
    now = int(time.time()) if now is None else now
    res = partitions.maintain(platform.engine, platform.settings.readings_retention_months, now, ahead)
    edge = None if res.horizon is None else datetime.fromtimestamp(res.horizon, CST).strftime("%Y-%m")
    return MaintenanceResult(platform.engine.dialect.name == "postgresql", res.created, res.dropped, res.kept, edge)
