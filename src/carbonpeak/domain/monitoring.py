"""Online energy monitoring of key energy-using units: the rules, as pure functions.

* Unified social credit code (统一社会信用代码, GB 32100-2015): 18 characters from a 31-character
  alphabet; the last is a check character (weights 3^i mod 31).
* Readings follow the public implementations of GB/T 37947.1 end devices (docs/monitoring.md):
  ``statType`` 0 real-time (every 15 min by default), 1 day, 2 month, 3 year; the timestamp marks
  the **start** of the period, in China Standard Time when it carries no offset. Timestamps are
  held as integer epoch seconds.
* A metering point is a ``counter`` (real-time values are a cumulative register) or an ``amount``
  (real-time values are the consumption in the period). Real-time values are instrument readings,
  scaled by the point's multiplier (CT/PT ratio); day, month and year statistics are computed by
  the end device and sent as consumption in the point's unit, no multiplier.
* A record is refused, with a reason, when its point is unknown, its type or timestamp is
  invalid or not aligned to its period, its period starts in the future, its value is not finite
  or negative, it is impossible (more than the point's maximum rate over the period), a counter
  runs backwards, it repeats a key of the same batch with another value, or it differs from the
  value already stored for its key. A record equal to the stored one is ``unchanged``.
"""

from __future__ import annotations

import calendar
import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

import numpy as np

CST = timezone(timedelta(hours=8), "CST")  # China Standard Time, no daylight saving
STAT_TYPES = {0: "real-time", 1: "day", 2: "month", 3: "year"}
STAT_NAMES_ZH = {0: "实时", 1: "日", 2: "月", 3: "年"}
POINT_KINDS = ("counter", "amount")
FUTURE_SKEW_S = 300  # device clocks may run up to five minutes ahead
# Timestamps a reading may carry: from 1970 (no meter reads earlier) to before 9999 (local calendar
# arithmetic must stay inside the years datetime can hold); others are refused as bad_time.
EPOCH_RANGE = (int(datetime(1970, 1, 1, tzinfo=CST).timestamp()), int(datetime(9999, 1, 1, tzinfo=CST).timestamp()))

_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = [pow(3, i, 31) for i in range(17)]

# Record status codes (the API returns them per record; messages in messages.py under "reading.")
ACCEPTED, UNCHANGED = "accepted", "unchanged"
EXPIRED = "expired"  # before the retention horizon (PostgreSQL with a retention setting; services/ingest.py)
TOO_OLD = "too_old"  # before the earliest month accepted (the backfill window; services/ingest.py)
REJECTIONS = ("unknown_point", "bad_stat_type", "bad_time", "misaligned", "future", "not_finite", "negative",
              "impossible", "rollback", "duplicate", "conflict", EXPIRED, TOO_OLD)
# The record field each rejection is about (the API names it with the reason)
REJECTION_FIELD = {"unknown_point": "dataCode", "bad_stat_type": "statType"} | {
    r: "statDate" for r in ("bad_time", "misaligned", "future", EXPIRED, TOO_OLD)} | {
    r: "dataValue" for r in ("not_finite", "negative", "impossible", "rollback", "duplicate", "conflict")}


def uscc_check_char(first17: str) -> str:
    total = sum(_USCC_ALPHABET.index(c) * w for c, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return _USCC_ALPHABET[(31 - total % 31) % 31]


def uscc_problem(code: str) -> str | None:
    """None when ``code`` is a well-formed unified social credit code, else the reason."""
    if len(code) != 18:
        return "length"
    bad = [c for c in code if c not in _USCC_ALPHABET]
    if bad:
        return "character"
    if uscc_check_char(code[:17]) != code[17]:
        return "checksum"
    return None


@dataclass(frozen=True)
class PointSpec:
    id: int
    code: str
    carrier: str
    unit: str
    multiplier: float
    kind: str  # counter | amount
    interval_min: int
    max_rate: float | None  # per hour, in the point's unit after the multiplier; None: no limit


def parse_time(text: str | float) -> int | None:
    """Epoch seconds of an ISO 8601 timestamp (local China time when no offset), or None when it
    does not parse or falls outside ``EPOCH_RANGE``."""
    if isinstance(text, bool):
        return None
    if isinstance(text, int):
        t = text
    elif isinstance(text, float):
        t = int(text) if math.isfinite(text) and text.is_integer() else None
    else:
        try:
            dt = datetime.fromisoformat(str(text).strip())
        except ValueError:
            return None
        if dt.tzinfo is None:
            dt = dt.replace(tzinfo=CST)
        t = int(dt.timestamp())
    return t if t is not None and EPOCH_RANGE[0] <= t < EPOCH_RANGE[1] else None


def local(epoch: int) -> datetime:
    return datetime.fromtimestamp(epoch, CST)


def period_end(stat: int, start: int, interval_min: int) -> int:
    if stat == 0:
        return start + interval_min * 60
    if stat == 1:
        return start + 86400
    d = local(start)
    if stat == 2:
        return start + calendar.monthrange(d.year, d.month)[1] * 86400
    return start + (366 if calendar.isleap(d.year) else 365) * 86400


def aligned(stat: int, start: int, interval_min: int) -> bool:
    if stat == 0:
        return start % (interval_min * 60) == 0
    d = local(start)
    if (d.hour, d.minute, d.second) != (0, 0, 0):
        return False
    return stat == 1 or (d.day == 1 and (stat == 2 or d.month == 1))


@dataclass(frozen=True)
class Checked:
    status: list[str]  # per record: accepted | unchanged | a rejection code
    point_ids: np.ndarray
    stats: np.ndarray
    periods: np.ndarray
    values: np.ndarray
    specs: list[PointSpec | None]

    def accepted(self) -> np.ndarray:
        return np.fromiter((s == ACCEPTED for s in self.status), dtype=bool, count=len(self.status))


def prepare_batch(codes: list[str], stats: list[int], times: list, values: list[float],
                  points: dict[str, PointSpec], now: int) -> Checked:
    """The checks each record passes on its own: known point, statistic type, timestamp that
    parses, is aligned to its period and not in the future, finite non-negative value."""
    n = len(codes)
    specs = [points.get(c) for c in codes]
    pid = np.fromiter((p.id if p is not None else 0 for p in specs), dtype=np.int64, count=n)
    interval = np.fromiter((p.interval_min if p is not None else 15 for p in specs), dtype=np.int64, count=n)
    # unknown types become -1 before any fixed-width array holds them (senders may send any integer)
    st = np.fromiter((s if s in STAT_TYPES else -1 for s in stats), dtype=np.int64, count=n)
    lo, hi = EPOCH_RANGE
    parsed = [t if type(t) is int and lo <= t < hi else parse_time(t) for t in times]
    bad_time = np.fromiter((t is None for t in parsed), dtype=bool, count=n)
    per = np.fromiter((t if t is not None else 0 for t in parsed), dtype=np.int64, count=n)
    val = np.asarray(values, dtype=float)
    known_stat = st >= 0
    ok_align = np.where(st == 0, per % (interval * 60) == 0, True)
    for i in np.flatnonzero((st != 0) & known_stat & ~bad_time):
        ok_align[i] = aligned(int(st[i]), int(per[i]), int(interval[i]))
    with np.errstate(invalid="ignore"):
        finite, negative = np.isfinite(val), val < 0
    # first failing rule wins, in this order
    checks = [(pid == 0, "unknown_point"), (~known_stat, "bad_stat_type"), (bad_time, "bad_time"),
              (~ok_align, "misaligned"), (per > now + FUTURE_SKEW_S, "future"), (~finite, "not_finite"),
              (finite & negative, "negative")]
    code = np.zeros(n, dtype=np.int64)
    for k, (mask, _) in reversed(list(enumerate(checks, start=1))):
        code[mask] = k
    names = [ACCEPTED] + [c for _, c in checks]
    status = [names[c] for c in code.tolist()] if code.any() else [ACCEPTED] * n
    return Checked(status, pid, st.astype(np.int16), per, val, specs)


def judge_batch(pre: Checked, stored: dict[tuple[int, int], list[tuple[int, float]]]) -> Checked:
    """The checks that need the rest of the batch and the stored readings.

    ``stored`` holds, per (point id, stat type) present in the batch, the stored readings
    (period, value) the rules need: those inside the batch's time range, and for counters the
    nearest one before and after it. Records are judged in period order per point so a counter
    is checked against its true neighbours, stored or in the same batch."""
    status = list(pre.status)
    pers, vals = pre.periods.tolist(), pre.values.tolist()
    for (p_id, s), idx in _batch_groups(pre, status, vals).items():
        spec = pre.specs[idx[0]]
        known = dict(stored.get((p_id, s), ()))
        for i in idx:
            old = known.get(pers[i])
            if old is not None:
                status[i] = UNCHANGED if old == vals[i] else "conflict"
        idx = [i for i in idx if status[i] == ACCEPTED]
        if not idx:
            continue
        if spec.kind == "counter" and s == 0:
            _judge_counter(spec, known, idx, pers, vals, status)
        elif spec.max_rate is not None:
            mult = spec.multiplier if s == 0 else 1.0
            for i in idx:
                hours = (period_end(s, pers[i], spec.interval_min) - pers[i]) / 3600
                if vals[i] * mult > spec.max_rate * hours * (1 + 1e-9):
                    status[i] = "impossible"
    return Checked(status, pre.point_ids, pre.stats, pre.periods, pre.values, pre.specs)


def _batch_groups(pre: Checked, status: list[str], vals: list[float]) -> dict[tuple[int, int], list[int]]:
    """The records still accepted, per (point, stat type). Keys repeated inside the batch:
    identical repeats are one record (``unchanged``), different values refused (``duplicate``)."""
    live_idx = [i for i, s in enumerate(status) if s == ACCEPTED]
    keys = list(zip(pre.point_ids[live_idx].tolist(), pre.stats[live_idx].tolist(), pre.periods[live_idx].tolist()))
    if len(set(keys)) != len(keys):
        first: dict[tuple[int, int, int], int] = {}
        for i, k in zip(live_idx, keys):
            j = first.setdefault(k, i)
            if j != i:
                status[i] = UNCHANGED if vals[j] == vals[i] else "duplicate"
    groups: dict[tuple[int, int], list[int]] = {}
    for i, k in zip(live_idx, keys):
        if status[i] == ACCEPTED:
            groups.setdefault(k[:2], []).append(i)
    return groups


def _judge_counter(spec: PointSpec, known: dict[int, float], idx: list[int], pers: list[int], vals: list[float],
                   status: list[str]) -> None:
    """Counter readings: merge stored and new ones and walk in time order. A new reading below its
    predecessor is a rollback; one above a stored successor is refused as the rollback's cause."""
    seq = sorted([(t, v, -1) for t, v in known.items()] + [(pers[i], vals[i], i) for i in idx])
    limit, mult = spec.max_rate, spec.multiplier
    prev = None
    for t, v, i in seq:
        if prev is not None:
            pt, pv, pi = prev
            if v < pv:
                if i >= 0:
                    status[i] = "rollback"
                    continue
                if pi >= 0:
                    status[pi] = "rollback"
            elif limit is not None and (v - pv) * mult > limit * (t - pt) / 3600 * (1 + 1e-9) and i >= 0:
                status[i] = "impossible"
                continue
        prev = (t, v, i)


# --- data quality of the metered series (GB/T 38692-2020 and provincial practice) ----------------

QUALITY = {"completeness": 0.90, "day_vs_month": 0.05, "reconcile_205_1": 0.05, "gap_working_days": 3,
           "calibration_warn_days": 30}
# The rule each quality finding applies (its text in the message catalogue, "monitoring.rule.<key>")
QUALITY_RULE_OF = {"monitoring.incomplete": "quality", "monitoring.gap": "quality", "monitoring.day_vs_month": "quality",
                   "monitoring.calibration_expired": "calibration", "monitoring.calibration_due": "calibration",
                   "monitoring.reconcile_205_1": "form_205_1"}


def working_days_between(a: date, b: date) -> int:
    """Working days (Mon–Fri; public holidays are not modelled) strictly between a and b."""
    if b <= a:
        return 0
    return int(np.busday_count(a + timedelta(days=1), b))


def day_completeness(readings: int, points: int, expected_per_day: float) -> float:
    """Share of the expected real-time readings of a day that arrived (a counter's last reading of
    a day opens the next step: readings are counted, not steps)."""
    return min(1.0, (readings + points) / expected_per_day) if readings else 0.0


def relative_gap(value: float, reference: float) -> float:
    """|value − reference| / reference (reference > 0)."""
    return abs(value - reference) / reference


def calibration_state(expiry: date, as_of: date) -> str | None:
    """"expired", "due" (within the warning window) or None."""
    if expiry < as_of:
        return "expired"
    if expiry <= as_of + timedelta(days=QUALITY["calibration_warn_days"]):
        return "due"
    return None


# --- consumption from readings -------------------------------------------------------------------

def consumption(kind: str, stat: int, periods: np.ndarray, values: np.ndarray, multiplier: float
                ) -> tuple[np.ndarray, np.ndarray]:
    """(period starts, consumption) of one point and stat type, periods sorted.

    Amounts are the values times the multiplier. A counter's consumption in the interval that
    starts at a reading is the difference to the next reading; the last reading has none. The
    multiplier scales real-time readings only (statistics arrive in the point's unit)."""
    order = np.argsort(periods, kind="stable")
    p, v = periods[order], values[order] * (multiplier if stat == 0 else 1.0)
    if kind == "counter" and stat == 0:
        return p[:-1], np.diff(v)
    return p, v


# --- energy budgets and early warning ------------------------------------------------------------

@dataclass(frozen=True)
class BudgetRule:
    """Early warning on an annual energy budget, by time-prorated cumulative use.

    ``ratio`` = cumulative use so far / (budget × elapsed fraction of the year). Yellow from
    ``yellow`` on, red from ``red`` on, and red whenever the whole budget is used up."""
    yellow: float = 1.0
    red: float = 1.1

    def text(self, lang: str = "zh") -> str:
        if lang == "en":
            return (f"ratio = use to date / (budget × share of the year elapsed); yellow ≥ {self.yellow:.0%}, "
                    f"red ≥ {self.red:.0%} or the annual budget used up")
        return f"比值 = 累计用能 / (年度预算 × 已过时间占比)；≥{self.yellow:.0%} 黄色预警，≥{self.red:.0%} 或年度预算用尽 红色预警"


def budget_status(used_tce: float, budget_tce: float, elapsed_share: float, rule: BudgetRule) -> dict:
    prorated = budget_tce * elapsed_share
    ratio = used_tce / prorated if prorated > 0 else float("inf")
    if used_tce >= budget_tce or ratio >= rule.red:
        light = "red"
    elif ratio >= rule.yellow:
        light = "yellow"
    else:
        light = "green"
    projected = used_tce / elapsed_share if elapsed_share > 0 else None
    return {"used_tce": used_tce, "budget_tce": budget_tce, "elapsed_share": elapsed_share,
            "prorated_tce": prorated, "ratio": ratio, "projected_tce": projected, "light": light}


def elapsed_share(year: int, as_of: date) -> float:
    """Share of ``year`` elapsed at the end of day ``as_of`` (1 for a past year)."""
    days = 366 if calendar.isleap(year) else 365
    if as_of.year > year:
        return 1.0
    if as_of.year < year:
        return 0.0
    return (as_of.timetuple().tm_yday) / days


# --- energy efficiency against benchmarks and limits ----------------------------------------------

@dataclass(frozen=True)
class Benchmark:
    id: str
    product: str
    indicator: str
    unit: str
    level1: float | None  # 标杆 / 1级
    level2: float | None  # 2级 (the access value, 准入值, of new plants in GB limit standards)
    level3: float | None  # 基准 / 3级 (the limit, 限定值, of existing plants)
    document: str
    status: str
    note: str = ""


def efficiency_class(value: float, b: Benchmark) -> str:
    """Lower is better. benchmark: at or below level 1; access: at or below level 2; baseline: at
    or below level 3; below_baseline: above level 3 (must be rectified)."""
    if b.level1 is not None and value <= b.level1:
        return "benchmark"
    if b.level2 is not None and value <= b.level2:
        return "access"
    if b.level3 is not None and value <= b.level3:
        return "baseline"
    return "below_baseline" if b.level3 is not None else "unrated"


def needs_rectification(project_status: str, cls: str) -> bool:
    """"两高" list: projects under construction or planned must reach the access value (level 2,
    or level 1 where the document has no level 2); existing ones the baseline/limit (level 3)."""
    if project_status in ("在建", "拟建"):
        return cls not in ("benchmark", "access")
    return cls == "below_baseline"
