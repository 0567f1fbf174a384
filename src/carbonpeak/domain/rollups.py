"""Rollups of meter readings, as pure functions: the local hour, day and month a period starts in,
and what a batch of new readings adds to each rollup.

A rollup row (point, stat type, resolution, bucket) holds ``n``, the readings starting in the
bucket, and ``quantity``, the consumption of the intervals starting in it (domain.monitoring.
consumption: a counter's step to the next reading times the multiplier, an amount as stated).
A new counter reading between two stored ones splits an interval: the step that started at the
reading before it shrinks and a new one starts at the new reading. So the delta of a batch is the
consumption over the affected span with the new readings minus the same without them; summed, the
deltas equal a recomputation from the stored readings (tests/services/monitoring/test_monitoring_rollups.py).
"""

from __future__ import annotations

import numpy as np
import pandas as pd  # recompute only: the reference for tests and checks

from .monitoring import PointSpec, consumption

RESOLUTIONS = ("h", "d", "m")  # hour, day, month
CST_OFFSET_S = 8 * 3600  # China Standard Time, no daylight saving
COLUMNS = ["point_id", "stat_type", "res", "bucket", "n", "quantity"]


def buckets(periods: np.ndarray, res: str) -> np.ndarray:
    """The epoch second at which the local hour, day or month containing each period start begins."""
    t = np.asarray(periods, dtype=np.int64)
    if res == "h":
        return t - t % 3600  # the offset is whole hours
    if res == "d":
        return t - (t + CST_OFFSET_S) % 86400
    months = (t + CST_OFFSET_S).astype("datetime64[s]").astype("datetime64[M]")
    return months.astype("datetime64[s]").astype(np.int64) - CST_OFFSET_S


def month_start(t: int) -> int:
    return int(buckets(np.array([t]), "m")[0])


def next_month(t: int) -> int:
    """The start of the local month after the one ``t`` is in."""
    return month_start(month_start(t) + 32 * 86400)


def aggregate(pid: np.ndarray, stat: np.ndarray, t: np.ndarray, n: np.ndarray, q: np.ndarray
              ) -> dict[str, np.ndarray]:
    """Counts ``n`` and quantities ``q`` at period starts ``t`` summed per (point, stat type,
    resolution, bucket), as columns (COLUMNS)."""
    out: dict[str, list] = {k: [] for k in COLUMNS}
    for res in RESOLUTIONS:
        b = buckets(t, res)
        order = np.lexsort((b, stat, pid))
        P, S, B = pid[order], stat[order], b[order]
        first = np.ones(len(order), dtype=bool)
        first[1:] = (P[1:] != P[:-1]) | (S[1:] != S[:-1]) | (B[1:] != B[:-1])
        idx = np.flatnonzero(first)
        if not len(idx):
            continue
        for k, v in (("point_id", P[idx]), ("stat_type", S[idx]), ("res", np.full(len(idx), res)), ("bucket", B[idx]),
                     ("n", np.add.reduceat(n[order], idx)), ("quantity", np.add.reduceat(q[order], idx))):
            out[k].append(v)
    return {k: np.concatenate(v) if v else np.array([], dtype=object if k == "res" else float) for k, v in out.items()}


def _intervals(spec: PointSpec, stat: int, new_t: np.ndarray, new_v: np.ndarray,
               stored: list[tuple[int, float]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(period starts, reading counts, quantities) that the accepted readings of one point and stat
    type add. ``stored``: for a counter's real-time readings, every stored reading from the one
    before the first new reading to the one after the last (ingest._stored fetches exactly these)."""
    ones = np.ones(len(new_t), dtype=np.int64)
    if spec.kind != "counter" or stat != 0:
        t, q = consumption(spec.kind, stat, new_t, new_v, spec.multiplier)
        return t, ones, q
    old_t = np.array([x[0] for x in stored], dtype=np.int64)
    old_v = np.array([x[1] for x in stored], dtype=float)
    t1, q1 = consumption("counter", 0, np.concatenate([old_t, new_t]), np.concatenate([old_v, new_v]), spec.multiplier)
    t0, q0 = consumption("counter", 0, old_t, old_v, spec.multiplier) if len(old_t) else (t1[:0], q1[:0])
    return (np.concatenate([t1, t0, new_t]), np.concatenate([np.zeros(len(t1) + len(t0), dtype=np.int64), ones]),
            np.concatenate([q1, -q0, np.zeros(len(new_t))]))


def batch_delta(specs: dict[int, PointSpec], point_ids: np.ndarray, stats: np.ndarray, periods: np.ndarray,
                values: np.ndarray, stored: dict[tuple[int, int], list[tuple[int, float]]]) -> dict[str, np.ndarray]:
    """The rollup deltas of a batch's accepted readings (arrays of equal length), per point,
    stat type, resolution and bucket, as columns."""
    point_ids, stats = np.asarray(point_ids, dtype=np.int64), np.asarray(stats, dtype=np.int64)
    periods, values = np.asarray(periods, dtype=np.int64), np.asarray(values, dtype=float)
    parts = []
    for pid, stat in sorted(set(zip(point_ids.tolist(), stats.tolist()))):
        sel = (point_ids == pid) & (stats == stat)
        t, n, q = _intervals(specs[pid], stat, periods[sel], values[sel], stored.get((pid, stat), []))
        parts.append((np.full(len(t), pid), np.full(len(t), stat), t, n, q))
    if not parts:
        return aggregate(*(np.array([], dtype=np.int64) for _ in range(4)), np.array([], dtype=float))
    return aggregate(*(np.concatenate([x[i] for x in parts]) for i in range(5)))


def recompute(specs: dict[int, PointSpec], readings: pd.DataFrame) -> pd.DataFrame:
    """Every rollup from stored readings (point_id, stat_type, period_start, value): the reference
    the rollups kept at ingest must equal."""
    parts = []
    for (pid, stat), g in readings.groupby(["point_id", "stat_type"], sort=True):
        spec = specs[int(pid)]
        t = g["period_start"].to_numpy(np.int64)
        tq, q = consumption(spec.kind, int(stat), t, g["value"].to_numpy(float), spec.multiplier)
        tt = np.concatenate([tq, t])
        parts.append((np.full(len(tt), int(pid)), np.full(len(tt), int(stat)), tt,
                      np.concatenate([np.zeros(len(tq), np.int64), np.ones(len(t), np.int64)]),
                      np.concatenate([q, np.zeros(len(t))])))
    if not parts:
        return pd.DataFrame(columns=COLUMNS)
    return pd.DataFrame(aggregate(*(np.concatenate([x[i] for x in parts]) for i in range(5))))
