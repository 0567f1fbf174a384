"""Online monitoring of key energy-using units, on SQLite and PostgreSQL: registry files, every
rejection rule of the ingestion, replays, the HTTP endpoint, MQTT through the real broker, a
server killed in the middle of a batch, and the views (quality, budgets, efficiency, disclosure)."""

from __future__ import annotations

import html
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from datetime import date, datetime

import paho.mqtt.client as mqtt
import pytest
from engine_events import statements
from fastapi.testclient import TestClient
from sqlalchemy import func, select, text

from carbonpeak.domain.monitoring import (
    CST,
    Benchmark,
    BudgetRule,
    budget_status,
    efficiency_class,
    needs_rectification,
    uscc_check_char,
    uscc_problem,
)
from carbonpeak.services import imports, ingest, monitoring, monitoring_demo
from carbonpeak.services.errors import AuthenticationFailed, InputRejected
from carbonpeak.services.mqtt import Subscriber
from carbonpeak.services.users import create_user
from carbonpeak.store import partitions
from carbonpeak.store.models import IngestBatch, MeterReading
from carbonpeak.web.app import create_app

U1 = "91430923000000001N"
U2 = "91430923000000002R"
NOW = int(datetime(2026, 1, 10, tzinfo=CST).timestamp())
GAP_POINT = monitoring_demo.GAP[0]  # the demo's coke scale, without data 10-16 March 2024


def t(day: int, minute: int = 0, month: int = 1, year: int = 2026) -> int:
    return int(datetime(year, month, day, tzinfo=CST).timestamp()) + minute * 60


@pytest.fixture
def registry(platform, write_csv):
    imports.import_file(platform, write_csv("u.csv", "统一社会信用代码,单位名称,行业代码,年综合能耗\n"
                                                     f"{U1},水泥厂,C3011,150000\n{U2},锰厂,C3240,26000\n"), "test")
    imports.import_file(platform, write_csv("p.csv", "统一社会信用代码,计量点编码,能源品种,计量单位,倍率,表计类型,每小时上限\n"
                                                     f"{U1},E1,电力,kWh,10,累计值,3000\n"
                                                     f"{U1},C1,原煤,t,1,周期量,20\n"
                                                     f"{U2},E1,电力,kWh,1,累计值,\n"), "test")
    return platform


def send(platform, uscc, records, now=NOW):
    env = ingest.Envelope(data=[ingest.Record(*r) for r in records])
    return ingest.ingest(platform, ingest.sender_for(platform, uscc), env, "http", now=now)


def count(platform, model=MeterReading):
    with platform.sessions() as s:
        return s.scalar(select(func.count()).select_from(model))


def test_uscc_checksum():
    assert uscc_problem("91350100M000100Y43") is None  # the example of GB 32100-2015
    assert uscc_problem("91350100M000100Y44") == "checksum"
    assert uscc_problem("91350100M000100Y4") == "length"
    assert uscc_problem("91350100M000100YI3") == "character"  # I is not in the alphabet
    assert uscc_check_char("91430923000000001") == "N"


def test_registry_files_refuse_bad_rows_whole(platform, write_csv):
    bad = write_csv("u.csv", "统一社会信用代码,单位名称,行业代码,年综合能耗\n"
                             f"{U1},水泥厂,C3011,150000\n91430923000000001X,坏码,C3011,1\n{U2},锰厂,3X,2\n")
    with pytest.raises(InputRejected) as e:
        imports.import_file(platform, bad, "test")
    got = {(i.row, i.column, i.code) for i in e.value.issues}
    assert got == {(3, "uscc", "input.bad_uscc"), (4, "industry_code", "input.bad_value")}
    assert count(platform, monitoring.KeyUnit) == 0
    pts = write_csv("p.csv", "统一社会信用代码,计量点编码,能源品种,计量单位,表计类型\n"
                             f"{U1},E1,电力,t,累计值\n{U1},E2,月光,kWh,累计值\n{U1},E3,电力,kWh,计次\n")
    with pytest.raises(InputRejected) as e:
        imports.import_file(platform, pts, "test")
    got = {(i.row, i.column, i.code) for i in e.value.issues}
    assert got == {(2, "uscc", "input.unknown_unit_code"), (3, "uscc", "input.unknown_unit_code"),
                   (4, "uscc", "input.unknown_unit_code"), (2, "unit", "input.unit_mismatch"),
                   (3, "carrier", "input.unknown_carrier"), (4, "kind", "input.bad_value")}


def test_every_rejection_is_stored_nowhere(registry):
    p = registry
    # stored: counter E1 at 00:00 = 100 and 01:00 = 200; coal at 00:00 = 5
    first = send(p, U1, [("E1", 100.0, t(5), 0), ("E1", 200.0, t(5, 60), 0), ("C1", 5.0, t(5), 0)])
    assert first.accepted == 3 and first.results == ["accepted"] * 3
    cases = [
        (("NOPE", 1.0, t(5, 15), 0), "unknown_point"),
        (("C1", 1.0, t(5, 15), 7), "bad_stat_type"),
        (("C1", 1.0, "yesterday", 0), "bad_time"),
        (("C1", 1.0, t(5, 7), 0), "misaligned"),
        (("C1", 1.0, t(5, 60), 1), "misaligned"),  # a day value must start at 00:00
        (("C1", 1.0, t(10, 30), 0), "future"),
        (("C1", -1.0, t(5, 30), 0), "negative"),
        (("C1", float("nan"), t(5, 45), 0), "not_finite"),
        (("C1", 6.0, t(5, 75), 0), "impossible"),  # 20 t/h × 0.25 h = 5 t at most
        (("E1", 90.0, t(5, 15), 0), "rollback"),  # below the stored 100 before it
        (("E1", 400.0, t(5, 90), 0), "impossible"),  # +200 × 10 kWh in 30 min > 3000 kWh/h
        (("C1", 4.0, t(5), 0), "conflict"),  # stored 5
        (("E1", 100.0, t(5), 0), "unchanged"),  # stored 100
        (("C1", 2.0, t(5, 105), 0), "accepted"),
        (("C1", 3.0, t(5, 105), 0), "duplicate"),  # same key, other value, same batch
        (("C1", 2.0, t(5, 105), 0), "unchanged"),  # same key, same value, same batch
        (("E1", 150.0, t(5, 30), 0), "accepted"),
        (("E1", 140.0, t(5, 45), 0), "rollback"),  # below the batch's own 150 before it
    ]
    res = send(p, U1, [c for c, _ in cases])
    assert res.results == [want for _, want in cases]
    assert res.accepted == 2 and res.unchanged == 2 and res.rejected == len(cases) - 4
    assert {x.reason for x in res.problems} == {w for _, w in cases} - {"accepted", "unchanged"}
    assert all(x.message for x in res.problems)
    assert count(p) == 5
    with p.sessions() as s:
        stored = {(r.point_id, r.period_start): r.value for r in s.scalars(select(MeterReading))}
    assert sorted(stored.values()) == [2.0, 5.0, 100.0, 150.0, 200.0]
    # a new counter reading above the stored reading after it is refused too
    send(p, U2, [("E1", 100.0, t(5), 0), ("E1", 200.0, t(5, 60), 0)])
    assert send(p, U2, [("E1", 250.0, t(5, 30), 0)]).results == ["rollback"]
    assert count(p) == 7


def test_replayed_batch_changes_nothing(registry):
    recs = [("E1", 100.0 + k, t(6, 15 * k), 0) for k in range(50)] + [("C1", 1.0, t(6), 1)]
    a = send(registry, U1, recs)
    assert a.accepted == 51 and a.batch
    b = send(registry, U1, recs)
    assert b.accepted == 0 and b.unchanged == 51 and b.batch is None
    assert count(registry) == 51 and count(registry, IngestBatch) == 1
    # a unit cannot write another unit's point, even with the same code
    c = send(registry, U2, [("C1", 1.0, t(6), 1)])
    assert c.results == ["unknown_point"]


def test_http_endpoint(registry, settings):
    app = create_app(settings, registry)
    c = TestClient(app)
    body = {"enterpriseCode": U1, "deviceId": "gw-1",
            "data": [{"dataCode": "C1", "dataValue": 1.5, "statType": 0, "statDate": "2026-01-05T08:15:00+08:00"},
                     {"dataCode": "C1", "dataValue": 1.5, "statType": 0, "statDate": "2026-01-05 08:30:00"},
                     {"dataCode": "XX", "dataValue": 1.5, "statType": 0, "statDate": "2026-01-05 08:30:00"}]}
    assert c.post("/api/monitoring/readings", json=body).status_code == 401
    assert c.post("/api/monitoring/readings", json=body, headers={"Authorization": "Bearer nope"}).status_code == 401
    token = ingest.issue_token(registry, U1, "test")
    auth = {"Authorization": f"Bearer {token}"}
    r = c.post("/api/monitoring/readings", json=body, headers=auth)
    assert r.status_code == 200, r.text
    out = r.json()
    assert out["results"] == ["accepted", "accepted", "unknown_point"] and out["problems"][0]["index"] == 2
    assert c.post("/api/monitoring/readings", json=body, headers=auth).json()["unchanged"] == 2
    bad = c.post("/api/monitoring/readings", content=b'{"data": [{"dataCode": "C1", "dataValue": "x"}]}', headers=auth)
    assert bad.status_code == 422 and "$.data[0]" in bad.json()["detail"][0]["msg"]
    other = c.post("/api/monitoring/readings", json={**body, "enterpriseCode": U2}, headers=auth)
    assert other.status_code == 422
    big = {"data": [body["data"][0]] * (ingest.MAX_RECORDS + 1)}
    assert c.post("/api/monitoring/readings", json=big, headers=auth).status_code == 422
    # a new token replaces the old one
    ingest.issue_token(registry, U1, "test")
    with pytest.raises(AuthenticationFailed):
        ingest.authenticate(registry, token)
    assert count(registry) == 2


def test_backfill_file_is_all_or_nothing(registry, write_csv):
    head = "统一社会信用代码,计量点编码,统计类型,时间,数值\n"
    good = f"{U1},C1,1,2025-12-01,12.5\n{U1},C1,1,2025-12-02,13\n{U2},E1,0,2025-12-01 00:00,7\n"
    bad = write_csv("b.csv", head + good + f"{U1},C1,0,2025-12-01 00:05,1\n{U1},ZZ,1,2025-12-01,1\n")
    with pytest.raises(InputRejected) as e:
        ingest.backfill_file(registry, bad, "test", now=NOW)
    assert [(i.row, i.params["code"]) for i in e.value.issues] == [(5, "misaligned"), (6, "unknown_point")]
    assert [i.column for i in e.value.issues] == ["period", "code"]  # the field each reason is about
    first = e.value.issues[0]  # the reason in the reader's language, the English message without Chinese
    assert "时间不是统计周期的起点" in first.message("zh")
    assert "not the start of its period" in first.message("en") and "时间" not in first.message("en")
    assert count(registry) == 0
    ok = write_csv("g.csv", head + good)
    assert ingest.backfill_file(registry, ok, "test", now=NOW).accepted == 3
    assert ingest.backfill_file(registry, ok, "test", now=NOW).unchanged == 3
    assert count(registry) == 3


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_server_killed_mid_batch_leaves_nothing(registry, settings, tmp_path):
    """A real server process, SIGKILLed while its batch transaction is open; then the batch is
    sent again and completes. On PostgreSQL the test holds a row the batch needs, so the kill
    lands exactly between the batch's first writes and its commit; on SQLite the kill lands at
    a random moment of a large batch and the all-or-nothing invariant is checked."""
    p = registry
    token = ingest.issue_token(p, U1, "test")
    n = 10_000
    recs = [{"dataCode": "E1", "dataValue": 1000.0 + k, "statType": 0, "statDate": t(1, 15 * k, 12, 2025)}
            for k in range(n)]
    body = json.dumps({"data": recs}).encode()
    port = _free_port()
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("CARBONPEAK_")},
           "CARBONPEAK_DATABASE_URL": settings.database_url, "CARBONPEAK_HOME": str(tmp_path),
           "CARBONPEAK_SECRET_KEY": "k" * 40}

    def start():
        proc = subprocess.Popen([sys.executable, "-m", "uvicorn", "--factory", "carbonpeak.web.app:app_from_env",
                                 "--port", str(port), "--log-level", "warning"], env=env)
        for _ in range(200):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health", timeout=1)
                return proc
            except OSError:
                time.sleep(0.05)
        raise AssertionError("server did not start")

    def post():
        req = urllib.request.Request(f"http://127.0.0.1:{port}/api/monitoring/readings", data=body, method="POST",
                                     headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
        return json.loads(urllib.request.urlopen(req, timeout=60).read())

    def sent_in_background():
        th = threading.Thread(target=lambda: _swallow(post), daemon=True)
        th.start()
        return th

    proc = start()
    try:
        if p.engine.dialect.name == "postgresql":
            # Hold an uncommitted reading with the key of the batch's last record: the server's
            # insert waits on it after writing its batch row, inside its transaction.
            # the month partitions first (the ingest creates them itself; this insert bypasses it)
            partitions.ensure(p.engine, [r["statDate"] for r in recs])
            blocker = p.engine.connect()
            tx = blocker.begin()
            try:
                with p.sessions() as s:
                    pid = s.scalar(select(monitoring.MeteringPoint.id).where(monitoring.MeteringPoint.code == "E1",
                                                                              monitoring.MeteringPoint.unit_id == 1))
                blocker.execute(text("INSERT INTO ingest_batches (unit_id, channel, device, received_at, records, accepted,"
                                     " unchanged, rejected, simulated) VALUES (1, 'http', 'blocker', now(), 1, 1, 0, 0, false)"))
                bid = blocker.execute(text("SELECT max(id) FROM ingest_batches")).scalar()
                blocker.execute(text("INSERT INTO meter_readings VALUES (:p, 0, :t, 1e9, :b)"),
                                {"p": pid, "t": recs[-1]["statDate"], "b": bid})
                sent_in_background()
                with p.engine.connect() as c:
                    for _ in range(200):
                        waiting = c.execute(text("SELECT count(*) FROM pg_locks WHERE NOT granted "
                                                 "AND locktype = 'transactionid'")).scalar()
                        if waiting:
                            break
                        time.sleep(0.05)
                    assert waiting == 1, "the server's batch never reached its insert"
                proc.send_signal(signal.SIGKILL)
                proc.wait(timeout=10)
            finally:
                if tx.is_active:
                    tx.rollback()
                blocker.close()
        else:
            th = sent_in_background()
            time.sleep(0.15)
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=10)
            th.join(timeout=5)
        stored = count(p)
        assert stored in (0, n), f"a partial batch was stored: {stored} of {n}"
        with p.sessions() as s:
            assert s.scalar(select(func.count()).select_from(IngestBatch)) == (1 if stored else 0)
        proc = start()
        res = post()
        assert res["accepted"] + res["unchanged"] == n and res["rejected"] == 0
        assert count(p) == n
    finally:
        proc.kill()
        proc.wait(timeout=10)


def _swallow(fn):
    try:
        fn()
    except OSError as exc:  # the server was killed: expected
        print("request ended:", exc, getattr(exc, "read", lambda: b"")()[:500])


def test_mqtt_gateway_through_mosquitto(registry):
    token = ingest.issue_token(registry, U1, "test")
    root = f"cp-test-{os.getpid()}-{time.time_ns()}"  # a topic root of its own: parallel runs share the broker
    sub = Subscriber(registry, client_id=root, root=root)
    sub.start()
    assert sub.connected.wait(10), "no MQTT broker on 127.0.0.1:1883"
    acks: list[dict] = []
    got = threading.Event()
    gw = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=f"gw-{time.time_ns()}")

    def on_message(c, u, msg):
        acks.append(json.loads(msg.payload))
        got.set()
    gw.on_message = on_message
    gw.connect("127.0.0.1", 1883)
    gw.subscribe(f"{root}/{U1}/ack", qos=1)
    gw.loop_start()
    try:
        time.sleep(0.3)
        batch = {"token": token, "messageId": "m-1", "deviceId": "gw",
                 "data": [{"dataCode": "C1", "dataValue": 2.0, "statType": 0, "statDate": t(3, 15 * k)} for k in range(4)]
                 + [{"dataCode": "C1", "dataValue": -1.0, "statType": 0, "statDate": t(3, 60)}]}
        for k in (1, 2):  # a gateway that did not see the first ack sends the batch again
            got.clear()
            gw.publish(f"{root}/{U1}/readings", json.dumps(batch), qos=1).wait_for_publish(5)
            assert got.wait(10), "no acknowledgement"
        assert acks[0]["messageId"] == "m-1" and acks[0]["accepted"] == 4 and acks[0]["rejected"] == 1
        assert acks[1]["accepted"] == 0 and acks[1]["unchanged"] == 4
        got.clear()
        gw.publish(f"{root}/{U2}/readings", json.dumps(batch), qos=1).wait_for_publish(5)  # wrong topic
        time.sleep(1.0)
        assert count(registry) == 4
    finally:
        gw.loop_stop()
        gw.disconnect()
        sub.stop()


def test_budget_rule_edges():
    rule = BudgetRule(yellow=1.0, red=1.1)
    assert budget_status(49.9, 100, 0.5, rule)["light"] == "green"
    assert budget_status(50.0, 100, 0.5, rule)["light"] == "yellow"
    assert budget_status(54.9, 100, 0.5, rule)["light"] == "yellow"
    assert budget_status(55.0, 100, 0.5, rule)["light"] == "red"
    assert budget_status(100.0, 100, 1.0, rule)["light"] == "red"  # the budget is used up
    assert budget_status(99.9, 100, 1.0, rule)["light"] == "green"
    assert budget_status(30, 100, 0.25, rule)["projected_tce"] == pytest.approx(120)


def test_efficiency_band_edges():
    b = Benchmark("x", "水泥熟料", "综合能耗", "kgce/t", 100, 107, 117, "GB 16780-2021", "confirmed")
    assert [efficiency_class(v, b) for v in (100, 100.01, 107, 107.01, 117, 117.01)] == [
        "benchmark", "access", "access", "baseline", "baseline", "below_baseline"]
    assert needs_rectification("在建", "baseline") and not needs_rectification("存量", "baseline")
    assert needs_rectification("存量", "below_baseline") and not needs_rectification("拟建", "access")


def test_hourly_energy_worked_by_hand(registry):
    """Counter E1 (×10) read every 15 min: 8 readings 100, 110, ..., 170 on 2025-12-01 00:00–01:45.
    Hour 00: steps 00:00..00:45 = 4 × 10 × 10 kWh = 400 kWh; hour 01: steps 01:00..01:30 = 300 kWh
    (the 01:45 reading has no successor). Energy: 0.1229 kgce/kWh (当量值, GB/T 2589-2020)."""
    send(registry, U1, [("E1", 100.0 + 10 * k, t(1, 15 * k, 12, 2025), 0) for k in range(8)])
    rows = monitoring.aggregate(registry, 2025, "hour", "unit")
    got = {r.at: (r.quantity, r.energy_tce) for r in rows}
    assert got["2025-12-01 00:00"][0] == pytest.approx(400)
    assert got["2025-12-01 01:00"][0] == pytest.approx(300)
    assert got["2025-12-01 00:00"][1] == pytest.approx(400 * 0.1229 / 1000)
    day = monitoring.aggregate(registry, 2025, "day", "unit")
    assert day[0].quantity == pytest.approx(700) and day[0].basis == "real-time"
    assert "SC-" in day[0].factor_ids


def test_demo_quality_budgets_efficiency_and_disclosure(platform, settings):
    out = monitoring_demo.load(platform, "test")
    assert out["readings"]["rejected"] == 0 and out["readings"]["accepted"] > 15000
    again = monitoring_demo.load(platform, "test")
    assert again["readings"]["accepted"] == 0
    found = monitoring.quality(platform, 2024)
    codes = {(f.code, f.params.get("point") or f.params.get("carrier") or f.params.get("day")) for f in found}
    assert ("monitoring.gap", GAP_POINT) in codes
    assert ("monitoring.incomplete", "2024-12-10") in codes
    assert ("monitoring.day_vs_month", "0201020101000300") in codes
    assert ("monitoring.calibration_expired", "0201010101000100") in codes
    assert ("monitoring.reconcile_205_1", "原煤") in codes
    gap = next(f for f in found if f.code == "monitoring.gap")
    assert (gap.params["from"], gap.params["to"]) == ("2024-03-10", "2024-03-16")
    # the findings are kept while no data changes (a second look reads only the data versions) ...
    with statements(platform.engine) as seen:
        assert monitoring.quality(platform, 2024) == found
    assert seen and all("data_versions" in q for q in seen), seen
    # ... and a batch changes them: the day statistic of 13 March splits the gap into two short ones
    day = int(datetime(2024, 3, 13, tzinfo=CST).timestamp())
    assert send(platform, "91430923000000003W", [(GAP_POINT, 23.0, day, 1)]).accepted == 1
    after = monitoring.quality(platform, 2024)
    def march(fs):
        return next(f for f in fs if f.code == "monitoring.day_vs_month" and f.params["point"] == GAP_POINT)
    assert march(after).params["days"] == pytest.approx(march(found).params["days"] + 23.0)  # the day counts
    assert [f for f in after if f.code != "monitoring.day_vs_month"] == \
        [f for f in found if f is not gap and f.code != "monitoring.day_vs_month"], after  # the gap is gone
    b = {i.uscc: i for i in monitoring.budgets(platform, 2024).items}
    assert b[U2].light == "red" and b[U1].light == "green"
    mid = monitoring.budgets(platform, 2024, date(2024, 6, 30), BudgetRule(0.9, 1.2))
    assert mid.as_of == "2024-06-30" and 0.49 < mid.items[0].elapsed_share < 0.5
    eff = monitoring.efficiency(platform, 2024)
    classes = {u.product: u.cls for u in eff.units}
    assert classes == {"水泥熟料": "access", "电解金属锰": "unrated", "锑冶炼(锑精矿-锑锭)": "below_baseline"}
    assert {p.name for p in eff.rectification} == {"锑冶炼技改项目（在建，示例）", "锰硅合金项目（拟建，示例）"}
    # the metered series beside the statistical one; the public disclosure without sign-in
    assert monitoring.metered_totals(platform)[0]["units"] == 5
    app = create_app(settings, platform)
    c = TestClient(app)
    pub = c.get("/api/public/disclosure", params={"year": 2024}).json()
    assert len(pub["units"]) == 5 and any(u["below_limit"] for u in pub["units"])
    assert "token" not in json.dumps(pub)
    assert c.get("/api/monitoring/units", params={"year": 2024}).status_code == 401
    create_user(platform, "firm", "cement-kiln-907", "enterprise", "test", enterprise="益阳海螺水泥")
    r = c.post("/api/auth/login", json={"username": "firm", "password": "cement-kiln-907"})
    c.headers["X-CSRF-Token"] = r.json()["csrf_token"]
    mine = c.get("/api/monitoring/units", params={"year": 2024}).json()
    assert [u["uscc"] for u in mine["units"]] == [U1]
    assert c.get("/api/monitoring/series", params={"year": 2024, "uscc": U2}).status_code == 403


def test_enterprise_without_a_registered_unit_sees_no_unit(platform, settings):
    monitoring_demo.load(platform, "test")
    create_user(platform, "lost", "missing-unit-775", "enterprise", "test", enterprise="不存在的企业")
    c = TestClient(create_app(settings, platform))
    r = c.post("/api/auth/login", json={"username": "lost", "password": "missing-unit-775"})
    c.headers["X-CSRF-Token"] = r.json()["csrf_token"]
    assert c.get("/api/monitoring/units", params={"year": 2024}).json()["units"] == []
    assert c.get("/api/monitoring/series", params={"year": 2024}).json()["rows"] == []
    page = c.get("/monitoring", params={"year": 2024}).text
    chart = json.loads(html.unescape(re.search(r"data-monthly='([^']*)'", page).group(1)))
    assert "益阳海螺水泥" not in page and chart == {"months": [], "units": [], "others": 0, "others_tce": []}
    assert c.get("/reports", follow_redirects=False).headers["location"] == "/monitoring"


def test_out_of_range_stat_type_and_date_are_refused_by_field(registry, settings):
    # statType/statDate from 2^62 up (and dates outside 1970–9998) raised OverflowError/OSError: a 500
    c = TestClient(create_app(settings, registry), raise_server_exceptions=False)
    auth = {"Authorization": f"Bearer {ingest.issue_token(registry, U1, 'test')}"}
    huge = [2**62, 2**63, 2**64 + 1, -2**63 - 1]
    data = [{"dataCode": "C1", "dataValue": 1.0, "statType": v, "statDate": t(5)} for v in huge]
    data += [{"dataCode": "C1", "dataValue": 1.0, "statType": s, "statDate": v} for s in (0, 1) for v in huge]
    data += [{"dataCode": "C1", "dataValue": 1.0, "statType": 1, "statDate": d}
             for d in ("0001-01-01T00:00:00+14:00", "9999-12-31T23:00:00-12:00", "1969-12-31")]
    r = c.post("/api/monitoring/readings", content=json.dumps({"data": data}), headers=auth)
    assert r.status_code == 200, r.text
    out = r.json()
    assert out["results"] == ["bad_stat_type"] * 4 + ["bad_time"] * 11
    assert [(x["index"], x["field"]) for x in out["problems"]] == \
        [(i, "statType") for i in range(4)] + [(i, "statDate") for i in range(4, 15)]
    assert count(registry) == 0


def test_205_1_reports_against_metered_months_worked_by_hand(registry, write_csv):
    """U1's coal point: month statistics 100 t (November) and 200 t (December 2025). Its 205-1
    reports: November 0.0102 万吨 (102 t: 1.96 % off, within 5 %), December 230 吨 (13.0 % off: a
    finding with the metered 200 t), a zero report (skipped); U2 reports coal it has no point for
    (nothing metered: no finding)."""
    assert send(registry, U1, [("C1", 100.0, t(1, 0, 11, 2025), 2), ("C1", 200.0, t(1, 0, 12, 2025), 2)]).accepted == 2
    imports.import_file(registry, write_csv("r.csv", "统一社会信用代码,年份,月份,能源名称,计量单位,消费量合计\n"
                                                     f"{U1},2025,11,原煤,万吨,0.0102\n{U1},2025,12,原煤,吨,230\n"
                                                     f"{U1},2025,10,原煤,吨,0\n{U2},2025,12,原煤,吨,5\n"), "test")
    found = [f for f in monitoring.quality(registry, 2025) if f.code == "monitoring.reconcile_205_1"]
    assert [(f.params["uscc"], f.params["month"], f.params["metered"], f.params["reported"], f.params["measure_zh"],
             f.params["diff"]) for f in found] == [(U1, "2025-12", 200.0, 230.0, "吨", 13.0)]
    assert found[0].params["unit"] == "水泥厂" and found[0].params["carrier"] == "原煤"
