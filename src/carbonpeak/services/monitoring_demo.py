"""Simulated meter data for the demo's key energy-using units (clearly marked as simulated).

The registry files (units, metering points, budgets, outputs, the "两高" list) are bundled CSVs;
the readings and the 205-1 forms are simulated here, deterministically (seeded by point code), and
go through the same ingestion and import paths as real data. Every batch is stored with
``simulated = true``; every file row is marked 示例数据.

Planted so that the quality checks have something to find: a gap of a week, one incomplete day,
one month whose month value is 8 % above its days, one 205-1 row 6 % below the metered total, one
meter past its calibration date (in the registry file).
"""

from __future__ import annotations

import calendar
import csv
import tempfile
import zlib
from datetime import date, datetime, timedelta
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from ..domain.monitoring import CST
from . import ingest
from .imports import import_file
from .platform import Platform

YEAR = 2024
# Annual consumption per point, in the point's unit (after the multiplier): illustrative.
ANNUAL = {"0101010101000100": 70e6, "0101020101000200": 150_000, "0201010101000100": 185e6,
          "0201020101000300": 1.5e6, "0301010101000100": 25e6, "0301020101000400": 8_500,
          "0401010101000100": 36e6, "0501010101000100": 11e6}
MULTIPLIER = {"0101010101000100": 100, "0201010101000100": 1000, "0301010101000100": 10,
              "0401010101000100": 10, "0501010101000100": 1}  # counter register = kWh / multiplier
REALTIME_MONTH = 12  # real-time (15-min) counters are simulated for December
GAP = ("0301020101000400", date(YEAR, 3, 10), date(YEAR, 3, 16))  # no data: 5 working days
THIN_DAY = ("0401010101000100", date(YEAR, 12, 10), 60)  # 60 of 96 readings
MONTH_OFF = ("0201020101000300", 6, 1.08)  # month value 8 % above the days
FORM_OFF = ("91430923000000001N", "原煤", 9, 0.94)  # 205-1 row 6 % below the metered total
REGISTRY = ("key_units.csv", "metering_points.csv", "energy_budgets.csv", "unit_outputs.csv", "two_high.csv")


def demo_file(name: str) -> Path:
    """A bundled demo file (services/demo.py reads the same folder)."""
    return Path(str(resources.files("carbonpeak").joinpath("data", "demo", name)))


def _rng(code: str) -> np.random.Generator:
    return np.random.default_rng(zlib.crc32(code.encode()))


def _epoch(d: date, minute: int = 0) -> int:
    return int(datetime(d.year, d.month, d.day, tzinfo=CST).timestamp()) + minute * 60


def _days() -> list[date]:
    return [date(YEAR, 1, 1) + timedelta(days=i) for i in range(366 if calendar.isleap(YEAR) else 365)]


def simulate_point(code: str) -> tuple[list[ingest.Record], dict[int, float]]:
    """Readings of one point for the demo year, and its true monthly totals."""
    rng = _rng(code)
    days = _days()
    doy = np.arange(len(days))
    shape = 1 + 0.12 * np.cos(2 * np.pi * (doy - 15) / 365) + rng.normal(0, 0.05, len(days))
    weekday = np.array([0.85 if d.weekday() == 6 else 1.0 for d in days])
    daily = shape * weekday
    daily = daily / daily.sum() * ANNUAL[code]
    out: list[ingest.Record] = []
    mult = MULTIPLIER.get(code)
    if mult is not None:  # December in 15-minute counter readings; day values from the same steps
        register = float(rng.uniform(1e5, 9e5))
        profile = 1 + 0.25 * np.sin(np.linspace(0, 2 * np.pi, 96, endpoint=False) - np.pi / 2)
        for i, d in enumerate(days):
            if d.month != REALTIME_MONTH:
                continue
            steps = profile / profile.sum() * daily[i] * rng.uniform(0.97, 1.03, 96)
            steps = steps / steps.sum() * daily[i]
            for k in range(96):
                if not (THIN_DAY[0] == code and THIN_DAY[1] == d and k >= THIN_DAY[2]):
                    out.append(ingest.Record(code, round(register, 3), _epoch(d, 15 * k), 0))
                register += steps[k] / mult
        out.append(ingest.Record(code, round(register, 3), _epoch(days[-1] + timedelta(days=1)), 0))
    monthly: dict[int, float] = {}
    for i, d in enumerate(days):
        monthly[d.month] = monthly.get(d.month, 0.0) + float(daily[i])
        if GAP[0] == code and GAP[1] <= d <= GAP[2]:
            continue
        out.append(ingest.Record(code, round(float(daily[i]), 3), _epoch(d), 1))
    for m, v in monthly.items():
        factor = MONTH_OFF[2] if (MONTH_OFF[0] == code and MONTH_OFF[1] == m) else 1.0
        out.append(ingest.Record(code, round(v * factor, 3), _epoch(date(YEAR, m, 1)), 2))
    return out, monthly


def load(platform: Platform, actor: str) -> dict[str, Any]:
    """Import the registry files, send the simulated readings, import the 205-1 forms. Idempotent."""
    imports = [import_file(platform, demo_file(f"monitoring/{f}"), actor).as_dict() for f in REGISTRY]
    with demo_file("monitoring/metering_points.csv").open(encoding="utf-8") as f:
        points = [(r["统一社会信用代码"], r["计量点编码"], r["能源品种"], r["计量单位"]) for r in csv.DictReader(f)]
    sent = {"records": 0, "accepted": 0, "unchanged": 0, "rejected": 0}
    form_rows = []
    for uscc, code, carrier, unit in points:
        records, monthly = simulate_point(code)
        sender = ingest.sender_for(platform, uscc)
        for i in range(0, len(records), ingest.MAX_RECORDS):
            env = ingest.Envelope(data=records[i:i + ingest.MAX_RECORDS], enterprise_code=uscc, device_id="demo-simulator")
            r = ingest.ingest(platform, sender, env, "file", simulated=True)
            for k in sent:
                sent[k] += getattr(r, k)
        for m, v in monthly.items():
            off = FORM_OFF[3] if (FORM_OFF[0] == uscc and FORM_OFF[1] == carrier and FORM_OFF[2] == m) else 1.0
            form_rows.append([uscc, YEAR, m, carrier, unit, round(v * off, 1), "示例数据：模拟报表", "是"])
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"anhua_205_1_{YEAR}.csv"
        with path.open("w", encoding="utf-8", newline="") as f:
            w = csv.writer(f)
            w.writerow(["统一社会信用代码", "年份", "月份", "能源名称", "计量单位", "消费量合计", "来源", "示例数据"])
            w.writerows(form_rows)
        imports.append(import_file(platform, path, actor, kind="form_205_1",
                                   display_name=f"anhua_205_1_{YEAR}.csv（模拟）").as_dict())
    return {"imports": imports, "readings": sent, "year": YEAR}
