"""What an owner would find next (#11): imports whose rows only differ by surrounding whitespace,
limits and messages the command line and the channels get right, retention of sign-in attempts."""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import shutil
import threading
import time
import types
from datetime import UTC, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from typer.testing import CliRunner

from carbonpeak.api import limits, request_guard
from carbonpeak.cli.main import app as cli_app
from carbonpeak.services import (
    ingest,
    login_throttle,
    monitoring,
    mqtt,
    permissions,
    report_jobs,
    reports,
    tenancy,
    users,
)
from carbonpeak.services.errors import AuthenticationFailed, Conflict, InputRejected, NotFound, Throttled
from carbonpeak.services.imports import import_file
from carbonpeak.services.platform import open_platform
from carbonpeak.services.tables import read_observations
from carbonpeak.settings import ImportLimits, Settings, SettingsError
from carbonpeak.store.models import LoginAttempt, utcnow
from carbonpeak.tabular import read_table
from carbonpeak.web.app import create_app

HEADER = "year,region,sector,carrier,quantity,unit\n"
PASSWORD = "Correct-Horse-Battery-42"


@pytest.fixture
def fast(settings):
    """A platform whose password hashes are cheap (the accounts here protect nothing)."""
    p = open_platform(dataclasses.replace(settings, password_hash_profile="fast"))
    yield p
    p.engine.dispose()


def codes(exc: InputRejected):
    return [(i.code, i.file, i.row, i.column) for i in exc.issues]


@pytest.mark.parametrize("kind,text,column", [
    ("activity", HEADER + "2022,=1,工业,原煤,10,吨\n2022,\t=1,工业,原煤,5,吨\n", "carrier"),
    ("activity", HEADER + "2022,安化县,工业,原煤,10,吨\n2022,安化县, 工业 ,原煤,5,吨\n", "carrier"),
    ("gdp", "year,region,gdp,unit\n2022,安化县,100,亿元\n2022, 安化县,100,亿元\n", "year"),
], ids=["activity-region-tab", "activity-sector-spaces", "gdp-region"])
def test_rows_equal_after_stripping_are_duplicates(platform, write_csv, kind, text, column):
    path = write_csv("dup.csv", text)
    with pytest.raises(InputRejected) as e:
        import_file(platform, path, "test", kind=kind)
    assert ("input.duplicate_row", "dup.csv", 3, column) in codes(e.value)


def test_target_values_equal_after_stripping_are_duplicates(write_csv):
    path = write_csv("obs.csv", "target,year,value,source\nT1,2022,1,统计局\n T1\t,2022,2,统计局\n")
    with pytest.raises(InputRejected) as e:
        read_observations(path, {"T1"})
    assert codes(e.value) == [("input.duplicate_row", "obs.csv", 3, "target")]


# --- the command line reads files under the settings' limits ---------------------------------------

@pytest.mark.parametrize("which", ["account-file", "factors-file"])
def test_cli_account_and_factor_files_obey_the_import_limits(tmp_path, monkeypatch, which):
    monkeypatch.setenv("CARBONPEAK_HOME", str(tmp_path))
    monkeypatch.setenv("CARBONPEAK_DATABASE_URL", f"sqlite:///{tmp_path / 'unused.db'}")
    monkeypatch.setenv("CARBONPEAK_IMPORT_MAX_ROWS", "3")
    activity = tmp_path / "act.csv"
    rows = 5 if which == "account-file" else 1
    activity.write_text(HEADER + "".join(f"{2018 + i},安化县,工业,原煤,10,吨\n" for i in range(rows)), encoding="utf-8")
    args = ["account", str(activity), "--lang", "en"]
    if which == "factors-file":
        factors = tmp_path / "factors.csv"
        factors.write_text("kind,parameter,value,unit,source_document\n"
                           + "fuel,ncv,1,GJ/t,doc\n" * 5, encoding="utf-8")
        args += ["--factors", str(factors)]
    res = CliRunner().invoke(cli_app, args, catch_exceptions=False)
    assert res.exit_code == 1, res.stdout
    assert "CARBONPEAK_IMPORT_MAX_ROWS" in res.stderr
    assert ("factors.csv" if which == "factors-file" else "act.csv") in res.stderr


def test_a_server_factor_file_obeys_the_settings_limits(settings, tmp_path):
    factors = tmp_path / "factors.csv"
    factors.write_text("kind,parameter,value,unit,source_document\n" + "fuel,ncv,1,GJ/t,doc\n" * 5, encoding="utf-8")
    strict = dataclasses.replace(settings, import_limits=ImportLimits(max_rows=3))
    with pytest.raises(InputRejected) as e:
        open_platform(strict, factors)
    assert [i.code for i in e.value.issues] == ["input.limit.rows"]


# --- messages about batches name the channel, not a file ----------------------------------------

@pytest.mark.parametrize("channel,zh,en", [("http", "HTTP 数据包", "HTTP batch"), ("mqtt", "MQTT 消息", "MQTT message")])
def test_wrong_enterprise_reads_well(platform, channel, zh, en):
    env = ingest.Envelope(data=[], enterprise_code="91430923MA4XXXXXX1")
    with pytest.raises(InputRejected) as e:
        ingest.ingest(platform, ingest.Sender(1, "91430923MA4YYYYYY2", 0), env, channel)
    (issue,) = e.value.issues
    assert issue.file == channel  # machine-readable as before (API loc)
    assert issue.message("zh") == (f"{zh}，字段“enterpriseCode”: “91430923MA4XXXXXX1”与令牌所属单位"
                                   "（91430923MA4YYYYYY2）不符")
    assert issue.message("en") == (f"{en}, field 'enterpriseCode': '91430923MA4XXXXXX1' does not match the "
                                   "token's unit (91430923MA4YYYYYY2)")


# --- the sign-in log keeps the retention ---------------------------------------------------------

def test_login_attempts_older_than_the_retention_are_deleted(settings):
    p = open_platform(dataclasses.replace(settings, login_log_days=30, password_hash_profile="fast"))
    users.create_user(p, "alice", PASSWORD, "viewer", "test")
    now = utcnow()
    for days in (100, 45, 20):
        with pytest.raises(AuthenticationFailed):
            users.authenticate(p, "alice", "wrong password!", "10.0.0.1", now=now - timedelta(days=days))
    users.authenticate(p, "alice", PASSWORD, "10.0.0.1", now=now)
    with p.sessions() as s:
        kept = sorted(round((now - a.replace(tzinfo=a.tzinfo or UTC)).total_seconds() / 86400)
                      for a in s.scalars(select(LoginAttempt.at)))
    p.engine.dispose()
    assert kept == [0, 20]


def test_the_retention_setting_is_checked():
    assert Settings.from_env({"CARBONPEAK_LOGIN_LOG_DAYS": "7"}).login_log_days == 7
    for bad in ("0", "-3", "x", "1.5"):
        with pytest.raises(SettingsError):
            Settings.from_env({"CARBONPEAK_LOGIN_LOG_DAYS": bad})


# --- account routes ask services/permissions.py, as every other route --------------------------

def _client(app, user: str) -> TestClient:
    c = TestClient(app)
    r = c.post("/api/auth/login", json={"username": user, "password": PASSWORD})
    assert r.status_code == 200, r.text
    c.headers["X-CSRF-Token"] = r.json()["csrf_token"]
    return c


@pytest.mark.parametrize("operation,call", [
    ("account.list", lambda c: c.get("/api/users")),
    ("account.create", lambda c: c.post("/api/users", json={"username": "new1", "password": PASSWORD, "role": "viewer"})),
    ("account.activate", lambda c: c.post("/api/users/spare/enable")),
    ("account.unlock", lambda c: c.post("/api/users/spare/unlock")),
])
def test_account_routes_follow_the_permission_table(fast, monkeypatch, operation, call):
    for name, role in (("boss", "admin"), ("vera", "viewer"), ("spare", "viewer")):
        users.create_user(fast, name, PASSWORD, role, "test")
    app = create_app(fast.settings, fast)
    viewer = _client(app, "vera")
    assert call(viewer).status_code == 403
    monkeypatch.setitem(permissions.OPERATIONS, operation, ("admin", "viewer"))
    assert call(viewer).status_code in (200, 201)
    monkeypatch.setitem(permissions.OPERATIONS, operation, ())
    assert call(_client(app, "boss")).status_code == 403


# --- request bodies are bounded (attack: a 60 MB JSON body was read whole, and echoed back) --------

@pytest.fixture
def app(fast):
    return create_app(fast.settings, fast)


def test_a_huge_json_body_is_refused_before_it_is_read(app):
    c = TestClient(app)
    big = b'{"note": "' + b"x" * (request_guard.JSON_MAX + 10) + b'"}'
    r = c.patch("/api/projects/P04-01", content=big, headers={"content-type": "application/json"})
    assert r.status_code == 413 and len(r.content) < 2000
    (item,) = r.json()["detail"]
    assert item["type"] == "input.limit.body" and "1.0 MB" in item["msg"]
    assert r.headers["x-content-type-options"] == "nosniff"


def test_a_chunked_body_is_cut_off_at_the_limit(app):
    """No Content-Length (chunked transfer): counted as it arrives; the anonymous readings caller
    got 401 only after the server had buffered all of it."""
    sent = []

    def chunks():
        for _ in range(request_guard.READINGS_MAX // 65536 + 20):
            sent.append(1)
            yield b" " * 65536
    r = TestClient(app).post("/api/monitoring/readings?lang=en", content=chunks(),
                             headers={"content-type": "application/json"})
    assert r.status_code == 413
    assert r.json()["detail"][0]["type"] == "input.limit.body" and "over the limit" in r.json()["detail"][0]["msg"]


def test_a_full_batch_of_readings_fits_the_readings_limit():
    record = {"dataCode": "METER-" + "9" * 26, "dataValue": 123456789.123456, "statDate": "2024-06-30T23:45:00+08:00",
              "statType": 0}
    batch = json.dumps({"enterpriseCode": "91430923000000001N", "deviceId": "gateway-01",
                        "data": [record] * ingest.MAX_RECORDS}, indent=1).encode()
    assert len(batch) < request_guard.READINGS_MAX
    assert request_guard.body_limit("/api/uploads") is None and request_guard.body_limit("/api/uploads/validate") is None


# --- anonymous reads the cache cannot answer ------------------------------------------------------

@pytest.fixture
def demo_app(sqlite_demo_platform):
    return create_app(sqlite_demo_platform.settings, sqlite_demo_platform)


def _json_keys(p, name: str) -> list[tuple]:
    return [k for k in list(p.cache._data) if k[:2] == ("json", name)]


def test_inventory_filters_are_cached_by_known_value(demo_app, sqlite_demo_platform):
    """Any sector string used to bypass the cache (each one computed); now a sector of the year's
    lines is cached as itself and every other string shares one entry."""
    c = TestClient(demo_app)
    whole = c.get("/api/inventory/2022").json()
    sectors = sorted({ln["sector"] for ln in whole["lines"]})[:2]
    for s in [*sectors, *sectors, *(f"无此部门{i}" for i in range(20))]:
        got = c.get("/api/inventory/2022", params={"sector": s}).json()["lines"]
        assert got == [ln for ln in whole["lines"] if ln["sector"] == s]
    assert len(_json_keys(sqlite_demo_platform, "inventory")) == 1 + len(sectors) + 1
    assert c.get("/api/inventory/2022", params={"carrier": "x" * 201}).status_code == 422


def test_anonymous_uncached_reads_are_capped(demo_app, sqlite_demo_platform):
    demo_app.state.public_gate = limits.ComputeGate(0)  # every slot taken
    anonymous = TestClient(demo_app)
    custom = {"year": 2024, "green_min": 1.2}
    r = anonymous.get("/api/targets", params=custom)
    assert r.status_code == 429 and r.headers["retry-after"] == "1"
    assert anonymous.get("/api/projects", params={"town": "无此乡镇"}).status_code == 429
    assert anonymous.get("/api/targets", params={"year": 2024}).status_code == 200  # cached: not gated
    users.create_user(sqlite_demo_platform, "vera", PASSWORD, "viewer", "test")
    assert _client(demo_app, "vera").get("/api/targets", params=custom).status_code == 200


def test_the_gate_refuses_at_once_when_full():
    gate, inside, release = limits.ComputeGate(1), threading.Event(), threading.Event()
    t = threading.Thread(target=gate.run, args=(lambda: (inside.set(), release.wait(5)),))
    t.start()
    assert inside.wait(5)
    with pytest.raises(Throttled):
        gate.run(lambda: None)
    release.set()
    t.join()
    assert gate.run(lambda: 42) == 42


def test_disclosure_and_open_data_are_computed_once_per_version(demo_app, monkeypatch):
    calls = []
    for module, name in ((monitoring, "disclosure"), (reports, "open_dataset")):
        real = getattr(module, name)
        monkeypatch.setattr(module, name, lambda *a, _real=real, _n=name, **k: (calls.append(_n), _real(*a, **k))[1])
    c = TestClient(demo_app)
    first = 0
    for i in range(3):
        assert c.get("/api/public/disclosure", params={"year": 2024}).status_code == 200
        assert c.get("/api/open/supervision.xlsx").status_code == 200
        assert c.get("/api/open/supervision.json").json()["dataset"] == "supervision"
        first = first or len(calls)
    assert "disclosure" in calls and calls.count("open_dataset") == 2 and len(calls) == first  # nothing recomputed
    assert c.get("/api/open/nothing.csv").status_code == 404


def test_anonymous_uncached_pages_are_capped_too(demo_app):
    demo_app.state.public_gate = limits.ComputeGate(0)
    c = TestClient(demo_app)
    assert c.get("/buildings", params={"year": 2101}).status_code == 429  # out of range: never cached
    assert c.get("/buildings").status_code == 200


# --- NUL characters and look-alike account names (attack: a 500 on PostgreSQL for each) ----------

@pytest.mark.parametrize("method,url,kwargs,loc", [
    ("post", "/api/auth/login", {"json": {"username": "boss\u0000", "password": "x"}}, ["body", "username"]),
    ("patch", "/api/projects/P04-01", {"json": {"note": "a\u0000b"}}, ["body", "note"]),
    ("put", "/api/factors/county", {"json": [{"kind": "building_quota", "carrier": "A\u0000", "parameter": "guide",
                                              "value": 1, "unit": "kWh/m2"}]}, ["body", 0, "carrier"]),
    ("get", "/api/audit", {"params": {"entity": "a\x00b"}}, ["query", "entity"]),
    ("get", "/api/projects", {"params": {"town": "a\x00b"}}, ["query", "town"]),
    ("post", "/api/users/bo%00ss/unlock", {}, ["path"]),
], ids=["login", "project-note", "factor", "audit-query", "projects-query", "path"])
def test_nul_characters_are_refused_by_name(fast, method, url, kwargs, loc):
    users.create_user(fast, "boss", PASSWORD, "admin", "test")
    c = _client(create_app(fast.settings, fast), "boss")
    r = getattr(c, method)(url, **kwargs)
    assert r.status_code == 422, r.text
    (item,) = r.json()["detail"]
    assert item["type"] == "input.nul_character" and item["loc"] == loc
    assert c.post("/api/auth/login", json={"username": "boss", "password": PASSWORD}).status_code == 200


def test_an_escaped_backslash_before_u0000_is_not_a_nul():
    assert request_guard.nul_in_body(b'{"note": "C:\\\\u0000dir"}', "zh") == []
    assert request_guard.nul_in_body(b'{"note": "x\\u0000"}', "en")[0]["loc"] == ["body", "note"]
    # three backslashes: an escaped backslash, then the NUL escape; a later hit after an escaped one
    assert request_guard.nul_in_body(b'{"note": "C:\\\\\\u0000"}', "zh")[0]["loc"] == ["body", "note"]
    assert request_guard.escaped_nul(b'"\\\\u0000 and \\u0000"')
    assert not request_guard.escaped_nul(b'"\\\\u0000 and \\\\u0000 and u0000"')


def test_a_nul_in_a_file_cell_is_named(fast, write_csv):
    path = write_csv("nul.csv", HEADER + "2022,安化县,工业,原煤,10,吨\n2022,安化县,工业,柴油,1\x002,吨\n")
    with pytest.raises(InputRejected) as e:
        import_file(fast, path, "test", kind="activity")
    assert codes(e.value) == [("input.nul_character", "nul.csv", 3, "quantity")]


@pytest.mark.parametrize("name", ["аdmin", "ａｄｍｉｎ", "ad min", "ad\u0000min", "admin\n", "x" * 65, ""])
def test_account_names_are_plain_ascii(fast, name):
    with pytest.raises(InputRejected) as e:
        users.create_user(fast, name, PASSWORD, "viewer", "test")
    assert [i.column for i in e.value.issues] == ["username"]


def test_account_names_differing_only_in_case_are_one_account(fast):
    users.create_user(fast, "boss", PASSWORD, "admin", "test")
    with pytest.raises(Conflict):
        users.create_user(fast, "Boss", PASSWORD, "viewer", "test")


# --- encodings: read when they can be told, refused clearly when not ---------------------------------

CN = "年份,地区,部门,能源品种,数量,单位\n2022,安化县,工业,原煤,10,吨\n"


@pytest.mark.parametrize("data", [
    CN.encode("utf-8-sig"), CN.encode("gbk"), CN.encode("utf-16"), CN.encode("utf-16-le"), CN.encode("utf-16-be"),
    CN.replace(",", "\t").encode("utf-16"),  # Excel's "Unicode text" (UTF-16, tab-separated)
    CN.encode("utf-32"),
], ids=["utf-8-bom", "gbk", "utf-16-bom", "utf-16-le", "utf-16-be", "excel-unicode-text", "utf-32"])
def test_csv_encodings_are_read(tmp_path, data):
    path = tmp_path / "enc.csv"
    path.write_bytes(data)
    df, issues = read_table(path)
    assert issues == [] and list(df.columns[:3]) == ["年份", "地区", "部门"] and df.iloc[0]["单位"] == "吨"


def test_an_unknown_encoding_is_refused_clearly(tmp_path):
    path = tmp_path / "enc.csv"
    path.write_bytes(b"year,region\n\xff\xfe\xff,x\n")
    _, (issue,) = read_table(path)
    assert issue.code == "input.bad_encoding" and "UTF-8" in issue.message("zh") and "XLSX" in issue.message("en")


# --- the MQTT subscriber: huge and malformed payloads, and errors nobody expected ---------------------

U1 = "91430923000000001N"  # 益阳海螺水泥 (demo registry)


def _batch(token: str, **extra) -> bytes:
    record = {"dataCode": "0101010101000100", "dataValue": 5, "statDate": "2020-01-01T00:00:00+08:00", "statType": 1}
    return json.dumps({"token": token, "data": [record], **extra}).encode()


def test_mqtt_nul_text_is_refused_not_a_crash(demo_platform):
    token = ingest.issue_token(demo_platform, U1, "test")
    ack, result = mqtt.handle(demo_platform, f"carbonpeak/{U1}/readings", _batch(token, deviceId="gw\u0000"))
    assert ack == f"carbonpeak/{U1}/ack" and result["error"] == "rejected"
    assert result["detail"] == ["MQTT 消息，字段“deviceId”: 含有空字符（NUL，\\0），平台不接受：请删除该字符后重试"]
    assert mqtt.handle(demo_platform, f"carbonpeak/{U1}/readings", _batch(token, deviceId="gw"))[1]["accepted"] == 1


def test_mqtt_huge_payload_is_refused_before_decoding(sqlite_demo_platform):
    huge = b'{"data": [' + b'{"dataCode": "x", "dataValue": 1, "statDate": 0},' * 100_000 + b'{}]}'
    assert len(huge) > ingest.MAX_BYTES
    with pytest.raises(InputRejected) as e:
        ingest.decode(huge, "mqtt")
    assert [i.code for i in e.value.issues] == ["input.limit.batch_bytes"]
    _, result = mqtt.handle(sqlite_demo_platform, f"carbonpeak/{U1}/readings", huge)
    assert result["error"] == "rejected" and "MB" in result["detail"][0]
    _, result = mqtt.handle(sqlite_demo_platform, f"carbonpeak/{U1}/readings", _batch("t", messageId="m" * 129))
    assert result["error"] == "rejected" and result["messageId"] == ""


def test_an_unexpected_error_is_acknowledged_and_the_subscriber_goes_on(sqlite_demo_platform, monkeypatch, caplog):
    token = ingest.issue_token(sqlite_demo_platform, U1, "test")

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")
    monkeypatch.setattr(ingest, "ingest", broken)
    # import-linter, run in-process by tests/system/test_layers.py, disables the loggers existing then
    monkeypatch.setattr(mqtt.log, "disabled", False)
    caplog.set_level(logging.ERROR, logger=mqtt.log.name)
    _, result = mqtt.handle(sqlite_demo_platform, f"carbonpeak/{U1}/readings", _batch(token))
    assert result["error"] == "internal" and "disk full" not in json.dumps(result)
    assert "could not be processed" in caplog.text


# --- report jobs: bounded while running, and old files removed -----------------------------------------

def test_report_jobs_are_bounded(platform, monkeypatch):
    release = threading.Event()

    def slow_report(platform, year, folder, lang, progress=None, formats=("docx", "xlsx")):
        release.wait(10)
        (folder / f"assessment_{year}_{lang}.docx").write_bytes(b"PK")
        return {"docx": folder / f"assessment_{year}_{lang}.docx", "model": {"missing": []}}
    monkeypatch.setattr(report_jobs, "write_report", slow_report)
    who = {n: users.Principal(i, n, "viewer", None, None, n) for i, n in enumerate(("ann", "bob", "cat"), 1)}
    jobs = [report_jobs.start(platform, 2024, "zh", who["ann"])]
    with pytest.raises(Throttled):  # one at a time per account
        report_jobs.start(platform, 2024, "zh", who["ann"])
    jobs.append(report_jobs.start(platform, 2024, "zh", who["bob"]))
    with pytest.raises(Throttled) as e:  # MAX_RUNNING in all
        report_jobs.start(platform, 2024, "zh", who["cat"])
    assert e.value.retry_after > 0 and report_jobs.MAX_RUNNING == 2
    release.set()
    for job in jobs:
        for _ in range(500):
            if report_jobs.status(platform, job, who["ann"]).finished:
                break
            time.sleep(0.01)
    assert report_jobs.start(platform, 2024, "zh", who["cat"])


def test_a_report_job_whose_folder_is_removed_while_it_runs_ends_quietly(platform, monkeypatch):
    """A running job's folder can go (swept as stale after STALE_SECONDS without progress, or the
    county's files replaced): its thread then has no one to report to and ends without an error."""
    release, errors = threading.Event(), []

    def slow_report(platform, year, folder, lang, progress=None, formats=("docx", "xlsx")):
        release.wait(10)
        return {"model": types.SimpleNamespace(missing=[])}
    monkeypatch.setattr(report_jobs, "write_report", slow_report)
    monkeypatch.setattr(threading, "excepthook", lambda args: errors.append(args.exc_value))
    who = users.Principal(1, "ann", "viewer", None, None, "ann")
    job = report_jobs.start(platform, 2024, "zh", who)
    thread = next(t for t in threading.enumerate() if t.name == f"report-{job}")
    shutil.rmtree(platform.settings.home / "reports" / job)
    release.set()
    thread.join(10)
    assert not thread.is_alive() and errors == []
    with pytest.raises(NotFound):
        report_jobs.status(platform, job, who)


def test_report_jobs_are_bounded_over_the_counties_of_a_deployment(tmp_path, monkeypatch):
    """A deployment of several counties shares its cores: MAX_RUNNING jobs over all its counties,
    and MAX_PER_COUNTY of them per county, so no county takes every slot."""
    release = threading.Event()

    def slow_report(platform, year, folder, lang, progress=None, formats=("docx", "xlsx")):
        release.wait(10)
        return {"model": {"missing": []}}
    monkeypatch.setattr(report_jobs, "write_report", slow_report)
    dep = tenancy.open_deployment(Settings(database_url=f"sqlite:///{tmp_path / 'base.db'}", home=tmp_path,
                                           actor="test", counties=("aa", "bb", "cc")))
    who = {n: users.Principal(i, n, "admin", None, None, n) for i, n in enumerate(("ann", "bob", "cat"), 1)}
    first = report_jobs.start(dep.county("aa"), 2024, "zh", who["ann"])
    with pytest.raises(Throttled) as e:  # the county's one slot is taken, by another account
        report_jobs.start(dep.county("aa"), 2024, "zh", who["bob"])
    assert "本县已有1份报告正在生成" in str(e.value) and e.value.retry_after > 0
    second = report_jobs.start(dep.county("bb"), 2024, "zh", who["bob"])
    with pytest.raises(Throttled) as e:  # MAX_RUNNING over the deployment
        report_jobs.start(dep.county("cc"), 2024, "zh", who["cat"])
    assert "已有2份报告正在生成" in str(e.value) and "本县" not in str(e.value)
    assert (report_jobs.MAX_RUNNING, report_jobs.MAX_PER_COUNTY) == (2, 1)
    release.set()
    for county, job in (("aa", first), ("bb", second)):
        for _ in range(500):
            if report_jobs.status(dep.county(county), job, who["ann"]).finished:
                break
            time.sleep(0.01)
    assert report_jobs.start(dep.county("cc"), 2024, "zh", who["cat"])


def test_old_report_files_are_removed_beyond_the_most_recent(platform, monkeypatch):
    monkeypatch.setattr(report_jobs, "write_report", lambda *a, **k: {"model": {"missing": []}})
    root = platform.settings.home / "reports"
    for i in range(report_jobs.KEEP_JOBS + 10):
        d = root / f"old{i:03d}"
        d.mkdir(parents=True)
        (d / "status.json").write_text(json.dumps({"finished": True}), encoding="utf-8")
        (d / "assessment_2024_zh.docx").write_bytes(b"PK" * 1000)
        os.utime(d / "status.json", (time.time() - 3600 + i, time.time() - 3600 + i))
    report_jobs.start(platform, 2024, "zh", users.Principal(1, "ann", "viewer", None, None, "ann"))
    left = sorted(d.name for d in root.iterdir())
    assert len(left) == report_jobs.KEEP_JOBS + 1 and "old000" not in left and "old059" in left


def test_an_address_has_its_free_sign_in_attempts_once_per_deployment(tmp_path):
    """The per-address counter of the login throttle lives in the deployment's own database: guesses
    spread over its counties (and over names, so no account's own limit is reached) exhaust one
    budget, through the service and through the sign-in route; an administrator's unlock of the
    address releases it."""
    dep = tenancy.open_deployment(Settings(database_url=f"sqlite:///{tmp_path / 'base.db'}", home=tmp_path,
                                           actor="test", password_hash_profile="fast", counties=("aa", "bb")))
    now, address = utcnow(), "10.0.0.9"
    for i in range(login_throttle.FREE_PER_CLIENT - 1):
        with pytest.raises(AuthenticationFailed):
            users.authenticate(dep.county(("aa", "bb")[i % 2]), f"guess{i}", "wrong", address, now, clients=dep.home)
    app = create_app(dep.home.settings, deployment=dep)
    with TestClient(app, client=(address, 50000)) as c:
        r = c.post("/api/auth/login", json={"username": "last", "password": "wrong", "county": "bb"})
        assert r.status_code == 401  # the budget's last free attempt, counted in the deployment
        for county in ("aa", "bb"):
            r = c.post("/api/auth/login", json={"username": "another", "password": "wrong", "county": county})
            assert r.status_code == 429 and int(r.headers["retry-after"]) > 0
    with pytest.raises(Throttled):
        users.authenticate(dep.county("aa"), "another", "wrong", address, utcnow(), clients=dep.home)
    env = {"CARBONPEAK_DATABASE_URL": f"sqlite:///{tmp_path / 'base.db'}", "CARBONPEAK_HOME": str(tmp_path),
           "CARBONPEAK_COUNTIES": "aa,bb", "CARBONPEAK_PASSWORD_HASH_PROFILE": "fast"}
    res = CliRunner().invoke(cli_app, ["--county", "aa", "user", "unlock", "--client", address], env=env)
    assert res.exit_code == 0 and json.loads(res.stdout)["counters_released"] >= 1, res.output  # the deployment's counter too
    with pytest.raises(AuthenticationFailed):  # counted again from nothing, not refused
        users.authenticate(dep.county("aa"), "another", "wrong", address, utcnow(), clients=dep.home)
