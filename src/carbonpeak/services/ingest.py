"""Receiving meter readings from key energy-using units (HTTP, MQTT, file backfill).

One batch is one transaction: its accepted readings and its ``ingest_batches`` row are committed
together or not at all (a server killed mid-batch leaves nothing; resending completes it).
Records are judged one by one (domain.monitoring.prepare_batch, judge_batch): refused records are stored
nowhere and come back with their reason; a record already stored with the same value is
``unchanged``, so resending a batch is harmless.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from dataclasses import dataclass
from typing import Annotated, Literal

import msgspec

from ..domain.findings import InputIssue
from ..domain.messages import render, said
from ..domain.monitoring import (
    ACCEPTED,
    EXPIRED,
    REJECTION_FIELD,
    REJECTIONS,
    TOO_OLD,
    UNCHANGED,
    Checked,
    PointSpec,
    judge_batch,
    prepare_batch,
)
from ..domain.rollups import batch_delta
from ..store import partitions
from ..store.models import utcnow
from ..store.queries import ingest as q
from ..store.readings import insert_readings
from ..store.rollups import accumulate
from ..tabular import size_text
from . import audit, versions
from .errors import AuthenticationFailed, InputRejected, NotFound
from .platform import Platform
from .tables import read_typed, within_limits

MAX_RECORDS = 10_000
MAX_BYTES = MAX_RECORDS * 400  # a full batch with room for long codes and spacing; refused before decoding
TOKEN_PREFIX = "cpk_"


class Record(msgspec.Struct, rename="camel"):
    data_code: Annotated[str, msgspec.Meta(description="metering point code (计量点编码)")]
    data_value: Annotated[float, msgspec.Meta(description="reading, or the period's consumption")]
    stat_date: Annotated[str | int, msgspec.Meta(
        description="start of the period: ISO 8601 (China time when no offset) or epoch seconds, 1970–9998")]
    stat_type: Annotated[int, msgspec.Meta(description="0 real-time, 1 day, 2 month, 3 year; others: bad_stat_type")] = 0


class Envelope(msgspec.Struct, rename="camel"):
    data: list[Record]
    enterprise_code: str = ""
    device_id: str = ""
    token: Annotated[str, msgspec.Meta(max_length=200)] = ""  # MQTT only: brokers carry no per-unit HTTP header
    message_id: Annotated[str, msgspec.Meta(max_length=128)] = ""  # MQTT only: echoed in the acknowledgement


_decoder = msgspec.json.Decoder(Envelope)
Result = Literal[(ACCEPTED, UNCHANGED, *REJECTIONS)]  # type: ignore[valid-type]


class Problem(msgspec.Struct):
    """A refused record: its place in the batch, the field at fault, the reason, in words."""
    index: int
    dataCode: str  # the wire name (GB/T 37947.1 implementations)
    field: Literal[("dataCode", "statType", "statDate", "dataValue")]  # type: ignore[valid-type]
    reason: Result
    message: str


class ReadingsAnswer(msgspec.Struct):
    """The answer to a batch: every record's result in order, the refused ones with field and reason."""
    batch: int | None  # the stored batch (None: nothing new was accepted)
    records: int
    accepted: int
    unchanged: int
    rejected: int
    results: list[Result]
    problems: list[Problem]


@dataclass(frozen=True)
class BackfillResult:
    """A readings file stored: its counts, and the batches it made (one per unit with new readings)."""
    file: str
    records: int
    accepted: int
    unchanged: int
    rejected: int
    batches: tuple[int, ...]


def decode(body: bytes, source: str = "request") -> Envelope:
    """The batch in ``body``, or InputRejected: over MAX_BYTES (before decoding: an MQTT payload
    may be hundreds of megabytes), malformed, over MAX_RECORDS, or text holding NUL."""
    if len(body) > MAX_BYTES:
        raise InputRejected([InputIssue("input.limit.batch_bytes", source, None, None,
                                        {"size": size_text(len(body)), "limit": size_text(MAX_BYTES)})])
    try:
        env = _decoder.decode(body)
    except msgspec.ValidationError as exc:
        raise InputRejected([InputIssue("input.bad_payload", source, None, None, {"reason": str(exc)})]) from exc
    except msgspec.DecodeError as exc:
        raise InputRejected([InputIssue("input.bad_payload", source, None, None, {"reason": str(exc)})]) from exc
    if len(env.data) > MAX_RECORDS:
        raise InputRejected([InputIssue("input.batch_too_large", source, None, "data",
                                        {"count": len(env.data), "max": MAX_RECORDS})])
    if b"\\u0000" in body:  # no database text holds NUL: name the first field with one
        field = _nul_field(env)
        if field:
            raise InputRejected([InputIssue("input.nul_character", source, None, field, {})])
    return env


def _nul_field(env: Envelope) -> str | None:
    for name, label in (("enterprise_code", "enterpriseCode"), ("device_id", "deviceId"), ("token", "token"),
                        ("message_id", "messageId")):
        if "\x00" in getattr(env, name):
            return label
    for i, r in enumerate(env.data):
        if "\x00" in r.data_code:
            return f"data[{i}].dataCode"
        if isinstance(r.stat_date, str) and "\x00" in r.stat_date:
            return f"data[{i}].statDate"
    return None


# --- credentials --------------------------------------------------------------------------------

def token_hash(token: str) -> str:
    # API tokens are 32 random bytes: a fast hash is enough (no dictionary to guess from).
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(platform: Platform, uscc: str, actor: str) -> str:
    """A new API token for the unit (the old one stops working). Shown once; only its hash is kept."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with platform.sessions() as s:
        unit = q.unit_row(s, uscc)
        if unit is None:
            raise NotFound(f"no key energy-using unit {uscc} / 无此重点用能单位")
        unit.token_hash, unit.token_hint = token_hash(token), token[:8]
        audit.record(s, actor, "key_units", uscc, "token", None, {"token_hint": unit.token_hint})
        s.commit()
    return token


@dataclass(frozen=True)
class Sender:
    unit_id: int
    uscc: str
    version: int  # data version when looked up: keys the cached metering-point map


_REGISTRY = versions.topic_of("metering_points")  # its version keys the cached metering-point map


def authenticate(platform: Platform, token: str | None) -> Sender:
    if not token:
        raise AuthenticationFailed("missing API token / 缺少接口令牌")
    with platform.engine.connect() as c:
        row = q.unit_by_token(c, token_hash(token), _REGISTRY)
    if row is None:
        raise AuthenticationFailed("unknown API token / 接口令牌无效")
    return Sender(*row)


def sender_for(platform: Platform, uscc: str) -> Sender:
    with platform.engine.connect() as c:
        row = q.unit_by_uscc(c, uscc, _REGISTRY)
    if row is None:
        raise NotFound(f"no key energy-using unit {uscc} / 无此重点用能单位")
    return Sender(*row)


def _points(platform: Platform, sender: Sender) -> dict[str, PointSpec]:
    def load():
        with platform.engine.connect() as c:
            return {r.code: PointSpec(*r) for r in q.unit_points(c, sender.unit_id)}
    return platform.cached(("points", sender.unit_id, sender.version), load)


# --- ingestion ----------------------------------------------------------------------------------

def _stored(conn, checked_ids, stats, periods, points: dict[str, PointSpec]) -> dict:
    """Stored readings the rules need: within the batch's range per stat type, and each counter's
    neighbours just before and after it."""
    wanted = {int(x) for x in checked_ids if x}
    if not wanted:
        return {}
    ranges = []
    for s in sorted({int(x) for x in stats}):
        sel = [p for st, p in zip(stats, periods) if st == s]
        ranges.append((s, min(sel), max(sel)))
    out: dict[tuple[int, int], list[tuple[int, float]]] = {}
    for pid, st, t, v in q.readings_within(conn, sorted(wanted), ranges):
        out.setdefault((pid, st), []).append((t, v))
    counters = [p.id for p in points.values() if p.kind == "counter" and p.id in wanted]
    rt = [r for r in ranges if r[0] == 0]
    if counters and rt:
        _, lo, hi = rt[0]
        for pid, pt, pv, nt, nv in q.counter_neighbours(conn, counters, lo, hi):
            for t, v in ((pt, pv), (nt, nv)):
                if t is not None:
                    out.setdefault((pid, 0), []).append((t, v))
    return out


def ingest(platform: Platform, sender: Sender, env: Envelope, channel: str, lang: str = "zh",
           now: int | None = None, simulated: bool = False) -> ReadingsAnswer:
    """Judge and store one batch; returns per-record results (same order as ``env.data``)."""
    if env.enterprise_code and env.enterprise_code != sender.uscc:
        raise InputRejected([InputIssue("input.wrong_enterprise", channel, None, "enterpriseCode",
                                        {"value": env.enterprise_code, "expected": sender.uscc})])
    points = _points(platform, sender)
    now = int(time.time()) if now is None else now
    pre = _prepare(platform, env.data, points, now)
    for attempt in (1, 2):
        partitions.ensure(platform.engine, pre.periods[pre.accepted()])  # before the batch's transaction
        try:
            return _ingest_once(platform, sender, env, channel, lang, pre, simulated, points)
        except q.IntegrityError:
            # A concurrent batch stored some of the same keys first (judge again against them),
            # or a month partition was dropped meanwhile (create it again).
            partitions.forget(platform.engine)
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _prepare(platform: Platform, records: list[Record], points: dict[str, PointSpec], now: int) -> Checked:
    """Every record's own checks; periods before the backfill window are refused as ``too_old``
    (both databases: this bounds the month partitions one batch can create); on PostgreSQL with a
    retention setting, periods before the retention horizon (their partitions dropped, their rollups
    final) as ``expired``."""
    pre = prepare_batch([r.data_code for r in records], [r.stat_type for r in records],
                        [r.stat_date for r in records], [r.data_value for r in records], points, now)
    floor = partitions.horizon(platform.settings.readings_backfill_months, now)
    edge = partitions.horizon(platform.settings.readings_retention_months, now)
    if platform.engine.dialect.name != "postgresql":
        edge = None
    for status, before in ((TOO_OLD, floor), (EXPIRED, edge)):
        if before is not None:
            for i in (pre.accepted() & (pre.periods < before)).nonzero()[0]:
                pre.status[i] = status
    return pre


def _judge(conn, pre: Checked, points: dict[str, PointSpec]) -> tuple[Checked, dict]:
    """Every record's status: its own checks (``pre``), then against the batch and the stored
    readings; with the stored readings the rules used (the rollups need the same neighbours)."""
    ok = pre.accepted()
    stored = _stored(conn, pre.point_ids[ok], pre.stats[ok].tolist(), pre.periods[ok].tolist(), points)
    return judge_batch(pre, stored), stored


def _ingest_once(platform, sender, env, channel, lang, pre, simulated, points):
    with platform.engine.begin() as conn:
        # First a write on the unit's row: batches of one unit are judged one after the other
        # (a counter cannot be checked against a neighbour that another batch is writing).
        q.lock_unit(conn, sender.unit_id, utcnow())
        checked, stored = _judge(conn, pre, points)
        status = checked.status
        acc = checked.accepted()
        n_acc = int(acc.sum())
        n_unch = status.count(UNCHANGED)
        n_rej = len(status) - n_acc - n_unch
        batch_id = None
        if n_acc:
            batch_id = q.new_batch(conn, unit_id=sender.unit_id, channel=channel, device=env.device_id[:64],
                                   records=len(status), accepted=n_acc, unchanged=n_unch, rejected=n_rej,
                                   simulated=simulated, received_at=utcnow())
            months = _store(conn, sender, checked, acc, stored, points, batch_id)
            versions.bump(conn, [versions.READINGS, *months])  # last: the version rows are locked until the commit
    problems = [Problem(i, env.data[i].data_code, REJECTION_FIELD[s], s, render("reading." + s, {}, lang))
                for i, s in enumerate(status) if s != ACCEPTED and s != UNCHANGED]
    return ReadingsAnswer(batch_id, len(status), n_acc, n_unch, n_rej, status, problems)


def _store(conn, sender: Sender, checked: Checked, acc, stored: dict, points: dict[str, PointSpec],
           batch_id: int) -> list[str]:
    """The accepted readings and their rollups (store/rollups.py), in the caller's transaction;
    returns the topics of the months whose rollups changed (versions.month_topics)."""
    pids, stats = checked.point_ids[acc], checked.stats[acc]
    periods, values = checked.periods[acc], checked.values[acc]
    insert_readings(conn, pids.tolist(), stats.tolist(), periods.tolist(), values.tolist(), batch_id)
    specs = {p.id: p for p in points.values()}
    delta = batch_delta(specs, pids, stats, periods, values, stored)
    accumulate(conn, sender.unit_id, delta)
    return versions.month_topics(delta["bucket"][delta["res"] == "m"])


# --- file backfill ------------------------------------------------------------------------------

READING_COLUMNS = {
    "uscc": (("统一社会信用代码", "USCC", "enterpriseCode"), "text", True),
    "code": (("计量点编码", "dataCode"), "text", True),
    "stat_type": (("统计类型", "statType"), "int", True),
    "period": (("时间", "统计时间", "statDate"), "text", True),
    "value": (("数值", "dataValue"), "text", True),
}


FILE_COLUMN = {"dataCode": "code", "statType": "stat_type", "statDate": "period", "dataValue": "value"}


@within_limits
def backfill_file(platform: Platform, path, actor: str, name: str | None = None,
                  now: int | None = None) -> BackfillResult:
    """Readings from a CSV/XLSX file (a device's backlog, or a vendor's export). The whole file is
    judged first: any refused record refuses the file, naming its row and reason, and nothing is
    written; otherwise each unit's readings are stored as one batch. A file sent twice adds nothing."""
    name = name or path.name
    df = read_typed(path, READING_COLUMNS, ["uscc", "code", "stat_type", "period"], name)
    issues: list[InputIssue] = []
    values = []
    for r, v in zip(df["row"], df["value"]):
        try:
            values.append(float(v.replace(",", "")))
        except ValueError:
            values.append(float("nan"))
            issues.append(InputIssue("input.not_a_number", name, int(r), "value", {"value": v}))
    df["value"] = values
    now = int(time.time()) if now is None else now
    plans = []
    for uscc, g in df.groupby("uscc", sort=True):
        try:
            sender = sender_for(platform, uscc)
        except NotFound:
            issues += [InputIssue("input.unknown_unit_code", name, int(r), "uscc", {"value": uscc}) for r in g["row"]]
            continue
        recs = [Record(c, v, t, int(s)) for c, v, t, s in zip(g["code"], g["value"], g["period"], g["stat_type"])]
        pts = _points(platform, sender)
        with platform.engine.connect() as conn:
            checked, _ = _judge(conn, _prepare(platform, recs, pts, now), pts)
        for r, st in zip(g["row"], checked.status):
            if st not in (ACCEPTED, UNCHANGED):
                issues.append(InputIssue("input.bad_reading", name, int(r), FILE_COLUMN[REJECTION_FIELD[st]],
                                         {"reason": said(render("reading." + st, {}, "zh"),
                                                         render("reading." + st, {}, "en")), "code": st}))
        plans.append((sender, recs))
    if issues:
        raise InputRejected(sorted(issues, key=lambda x: (x.row or 0, x.column or "")))
    results = [ingest(platform, sender, Envelope(data=recs, device_id=f"file:{name}"[:64]), "file", now=now)
               for sender, recs in plans]
    return BackfillResult(name, sum(r.records for r in results), sum(r.accepted for r in results),
                          sum(r.unchanged for r in results), sum(r.rejected for r in results),
                          tuple(r.batch for r in results if r.batch))
