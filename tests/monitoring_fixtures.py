"""What the rollup tests share (tests/services/monitoring/test_monitoring_rollups.py, tests/services/monitoring/test_monitoring_series_sql.py):
two key units and their metering points, sending readings through the ingest service, reading a
table whole. ``rollup_registry`` is a fixture (registered in conftest.py's pytest_plugins)."""

from __future__ import annotations

from datetime import datetime

import pandas as pd
import pytest
from sqlalchemy import select

from carbonpeak.domain.monitoring import CST, PointSpec
from carbonpeak.services import imports, ingest
from carbonpeak.store.models import MeteringPoint

U1 = "91430923000000001N"
U2 = "91430923000000002R"
NOW = int(datetime(2026, 3, 1, tzinfo=CST).timestamp())


@pytest.fixture
def rollup_registry(platform, write_csv):
    """Two units: U1 with a counter (multiplier 10) and an amount point, U2 with a counter."""
    imports.import_file(platform, write_csv("u.csv", "统一社会信用代码,单位名称,行业代码,年综合能耗\n"
                                                     f"{U1},水泥厂,C3011,150000\n{U2},锰厂,C3240,26000\n"), "test")
    imports.import_file(platform, write_csv("p.csv", "统一社会信用代码,计量点编码,能源品种,计量单位,倍率,表计类型\n"
                                                     f"{U1},E1,电力,kWh,10,累计值\n{U1},C1,原煤,t,1,周期量\n"
                                                     f"{U2},E1,电力,kWh,1,累计值\n"), "test")
    return platform


def send(platform, uscc, records, now=NOW):
    env = ingest.Envelope(data=[ingest.Record(*r) for r in records])
    return ingest.ingest(platform, ingest.sender_for(platform, uscc), env, "http", now=now)


def frame(platform, model) -> pd.DataFrame:
    with platform.engine.connect() as c:
        return pd.read_sql(select(model.__table__), c)


def specs(platform) -> dict[int, PointSpec]:
    with platform.sessions() as s:
        return {p.id: PointSpec(p.id, p.code, p.carrier, p.unit, p.multiplier, p.kind, p.interval_min, p.max_rate)
                for p in s.scalars(select(MeteringPoint))}
