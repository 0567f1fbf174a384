"""Limits of imported files (settings.ImportLimits): hostile files are refused before or while they
are read, quickly and with a bounded answer; an upload is refused while it streams in; the import
runs off the event loop; the command line applies the same limits. The hostile files are built
here, kept small by lowering the limits."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import re
import threading
import time
import zipfile
from pathlib import Path
from typing import get_args

import httpx
import openpyxl
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from typer.testing import CliRunner

from carbonpeak.api import routes
from carbonpeak.cli.main import app as cli_app
from carbonpeak.domain.labels import UPLOAD_KINDS
from carbonpeak.services import imports
from carbonpeak.services.platform import open_platform
from carbonpeak.services.users import create_user
from carbonpeak.settings import ImportLimits, Settings, SettingsError
from carbonpeak.store.models import ActivityRecord, ImportBatch
from carbonpeak.tabular import import_limits, read_table
from carbonpeak.web.app import create_app

PASSWORD = "Anhua-peak-2031"
HEAD = ["年份", "地区", "部门", "能源品种", "数量", "单位"]
ROW = ["2022", "安化县", "工业", "原煤", "100", "吨"]


def csv_text(rows: list[list[str]]) -> str:
    return "\n".join(",".join(r) for r in [HEAD, *rows]) + "\n"


def write_xlsx(path: Path, rows: list[list]) -> Path:
    wb = openpyxl.Workbook()
    for r in [HEAD, *rows]:
        wb.active.append(r)
    wb.save(path)
    return path


def bomb_xlsx(path: Path, rows: int) -> Path:
    """A sheet of ``rows`` identical rows, written as raw XML: it zips to a few kilobytes per 10 000 rows."""
    sst = HEAD + ["安化县", "工业", "原煤", "吨"]
    cells = lambda vals: "<row>" + "".join(f"<c><v>{v}</v></c>" if v.isdigit() else f'<c t="s"><v>{sst.index(v)}</v></c>'
                                           for v in vals) + "</row>"
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                   '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                   '<Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" '
                   'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
                   '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
                   'officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" '
                   'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
        z.writestr("_rels/.rels", f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        z.writestr("xl/workbook.xml", f'<workbook {ns} xmlns:r="{rel}"><sheets><sheet name="S" sheetId="1" r:id="rId1"/>'
                   '</sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels", f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
                   f'relationships"><Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
                   f'<Relationship Id="rId2" Type="{rel}/sharedStrings" Target="sharedStrings.xml"/></Relationships>')
        z.writestr("xl/sharedStrings.xml", f"<sst {ns}>" + "".join(f"<si><t>{s}</t></si>" for s in sst) + "</sst>")
        z.writestr("xl/worksheets/sheet1.xml", f"<worksheet {ns}><sheetData>" + cells(HEAD) + cells(ROW) * rows
                   + "</sheetData></worksheet>")
    return path


# --- reading: each limit names file, row, column, limit and setting ----------------------------------

def _read(path: Path, **limits):
    with import_limits(ImportLimits(**limits)):
        df, issues = read_table(path)
    assert df is None and len(issues) == 1
    return issues[0]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("case", ["rows", "columns", "cell"])
def test_each_limit_names_file_row_and_column(tmp_path, fmt, case):
    rows = [list(ROW) for _ in range(5)]
    limits = {"rows": {"max_rows": 3}, "columns": {"max_columns": 6}, "cell": {"max_cell_chars": 10}}[case]
    if case == "columns":
        rows[1] += ["", "x"]  # row 3 has 8 columns; the trailing empty cells of others do not count
    if case == "cell":
        rows[2][1] = "安" * 11  # row 4, column 地区
    path = tmp_path / f"活动.{fmt}"
    if fmt == "csv":
        path.write_text(csv_text(rows), encoding="utf-8")
    else:
        write_xlsx(path, rows)
    issue = _read(path, **limits)
    expected = {"rows": (5, None), "columns": (3, "G"), "cell": (4, "地区")}[case]
    assert (issue.code, issue.file, issue.row, issue.column) == (f"input.limit.{case}", "活动." + fmt, *expected)
    setting = {"rows": "CARBONPEAK_IMPORT_MAX_ROWS", "columns": "CARBONPEAK_IMPORT_MAX_COLUMNS",
               "cell": "CARBONPEAK_IMPORT_MAX_CELL_CHARS"}[case]
    for lang in ("zh", "en"):
        msg = issue.message(lang)
        assert msg.startswith("活动." + fmt) and setting in msg and str(next(iter(limits.values()))) in msg


def test_file_size_and_unpacked_size_refused_before_parsing(tmp_path):
    path = tmp_path / "big.csv"
    path.write_text(csv_text([ROW] * 200), encoding="utf-8")
    issue = _read(path, max_file_bytes=1024)
    assert issue.code == "input.limit.file_size" and "CARBONPEAK_IMPORT_MAX_FILE_MB" in issue.message("en")
    assert "1.0 KB" in issue.message("zh")
    issue = _read(bomb_xlsx(tmp_path / "bomb.xlsx", 20_000), max_uncompressed_bytes=100_000)
    assert issue.code == "input.limit.uncompressed" and "CARBONPEAK_IMPORT_MAX_UNCOMPRESSED_MB" in issue.message("zh")


def test_cells_in_all_bounded_and_shared_strings_no_more_than_the_cells(tmp_path):
    path = tmp_path / "宽.csv"
    path.write_text(csv_text([ROW] * 9), encoding="utf-8")
    issue = _read(path, max_cells=30)  # 6 cells a row: the sixth row passes 30
    assert (issue.code, issue.row) == ("input.limit.cells", 6) and "CARBONPEAK_IMPORT_MAX_CELLS" in issue.message("zh")
    issue = _read(write_xlsx(tmp_path / "宽.xlsx", [ROW] * 9), max_cells=30)  # counted in the XML, before parsing
    assert (issue.code, issue.file) == ("input.limit.cells", "宽.xlsx")
    # a tiny sheet with a huge shared-string table (openpyxl would load it whole: minutes, gigabytes)
    small = bomb_xlsx(tmp_path / "s.xlsx", 3)
    with zipfile.ZipFile(small) as src, zipfile.ZipFile(tmp_path / "sst.xlsx", "w", zipfile.ZIP_DEFLATED) as z:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/sharedStrings.xml":
                data = data.replace(b"</sst>", b"".join(b"<si><t>%d</t></si>" % i for i in range(120_000)) + b"</sst>")
            z.writestr(item, data)
    t = time.perf_counter()
    issue = _read(tmp_path / "sst.xlsx")
    assert issue.code == "input.limit.strings" and time.perf_counter() - t < 2


def test_xlsx_reader_reads_cells_as_pandas_did(tmp_path):
    """Streaming the sheet keeps the text every validator saw before: 2023.0 is "2023", unnamed and
    repeated headers as pandas names them, a cell far to the right within the limits."""
    path = write_xlsx(tmp_path / "t.xlsx", [[2023.0, "安化县", None, None, 1.5, "吨"], [], [2024, "x", "", "", 2, "t", "extra"]])
    df, issues = read_table(path)
    assert issues == [] and list(df.columns) == [*HEAD, "Unnamed: 6", "row"]
    assert df.iloc[0].tolist() == ["2023", "安化县", "", "", "1.5", "吨", "", 2]
    assert df.iloc[1].tolist()[-2:] == ["extra", 4]  # the blank row 3 is dropped, rows keep their file numbers


# --- the web upload -------------------------------------------------------------------------------

@pytest.fixture
def make_app(platform, settings):
    create_user(platform, "admin", PASSWORD, "admin", "test")

    def make(**limits):
        s = dataclasses.replace(settings, import_limits=ImportLimits(**limits))
        return create_app(s, dataclasses.replace(platform, settings=s))
    return make


def signed_in(app) -> TestClient:
    c = TestClient(app)
    r = c.post("/api/auth/login", json={"username": "admin", "password": PASSWORD})
    assert r.status_code == 200, r.text
    c.headers["X-CSRF-Token"] = r.json()["csrf_token"]
    return c


def test_xlsx_of_identical_rows_refused_quickly_with_a_small_answer(make_app, tmp_path):
    path = bomb_xlsx(tmp_path / "bomb.xlsx", 100_000)  # a few hundred KB, 100 000 rows
    c = signed_in(make_app(max_rows=1000))
    t = time.perf_counter()
    r = c.post("/api/uploads/validate", files={"file": ("bomb.xlsx", path.read_bytes())})
    assert time.perf_counter() - t < 5
    assert r.status_code == 413 and len(r.content) < 3000
    body = r.json()
    assert body["issues_total"] == 1 and body["detail"][0]["type"] == "input.limit.rows"
    assert body["detail"][0]["file"] == "bomb.xlsx" and body["detail"][0]["row"] == 1002
    assert "1000" in body["detail"][0]["msg"] and "CARBONPEAK_IMPORT_MAX_ROWS" in body["detail"][0]["msg"]


def test_error_answer_lists_the_first_issues_and_the_total(make_app):
    bad = csv_text([["2022", f"乡镇{i}", "工业", "原煤", "many", "吨"] for i in range(30)])  # one issue a row
    c = signed_in(make_app(max_issues=5))
    r = c.post("/api/uploads/validate", files={"file": ("坏.csv", bad.encode())})
    assert r.status_code == 422
    body = r.json()
    assert len(body["detail"]) == 5 and body["issues_total"] == 30
    assert [d["row"] for d in body["detail"]] == [2, 3, 4, 5, 6]
    assert "25" in body["issues_note"] and "CARBONPEAK_IMPORT_MAX_ISSUES" in body["issues_note"]
    en = c.post("/api/uploads/validate?lang=en", files={"file": ("坏.csv", bad.encode())}).json()
    assert en["issues_note"].startswith("30 issues in all")


def _asgi_post(app, path: str, headers: dict[str, str], chunks) -> tuple[int, dict, int]:
    """POST ``chunks`` to the ASGI ``app`` one receive() at a time; returns the status, the JSON
    answer and how many bytes the app pulled before answering."""
    pulled, sent = 0, []
    source = iter(chunks)

    async def receive():
        nonlocal pulled
        chunk = next(source, None)
        if chunk is None:
            return {"type": "http.request", "body": b"", "more_body": False}
        pulled += len(chunk)
        return {"type": "http.request", "body": chunk, "more_body": True}

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST", "scheme": "http",
             "path": path, "raw_path": path.encode(), "query_string": b"", "root_path": "",
             "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
             "client": ("127.0.0.1", 50000), "server": ("testserver", 80)}
    asyncio.run(app(scope, receive, send))
    status = next(m["status"] for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return status, json.loads(body), pulled


def test_oversized_upload_refused_while_it_streams(make_app):
    app = make_app(max_file_bytes=256 * 1024)
    c = signed_in(app)
    headers = {"host": "testserver", "x-csrf-token": c.headers["X-CSRF-Token"],
               "cookie": "; ".join(f"{k}={v}" for k, v in c.cookies.items()),
               "content-type": "multipart/form-data; boundary=XyZ"}
    head = b'--XyZ\r\nContent-Disposition: form-data; name="file"; filename="huge.csv"\r\n\r\n'
    offered = [head] + [b"2022,x,y,z,1,t\n" * 4096] * 200  # about 12 MB, sent without a length
    status, body, pulled = _asgi_post(app, "/api/uploads/validate", headers, offered)
    assert status == 413 and body["detail"][0]["type"] == "input.limit.file_size"
    assert body["detail"][0]["file"] == "huge.csv" and "CARBONPEAK_IMPORT_MAX_FILE_MB" in body["detail"][0]["msg"]
    assert pulled < 256 * 1024 + 2 * len(offered[1])  # stopped at the limit, not at the end of the body
    # a declared length over the limit: refused before a byte of the body is read
    status, body, pulled = _asgi_post(app, "/api/uploads", {**headers, "content-length": str(50 * 1024 * 1024)}, offered)
    assert status == 413 and pulled == 0 and body["detail"][0]["type"] == "input.limit.file_size"


def test_upload_form_is_checked(make_app):
    c = signed_in(make_app())
    r = c.post("/api/uploads/validate", files={"file": ("a.csv", csv_text([ROW]).encode())}, data={"kind": "nope"})
    assert r.status_code == 422 and r.json()["detail"][0]["column"] == "kind"
    msg = r.json()["detail"][0]["msg"]  # in Chinese the kinds are named, not listed by their form codes
    assert "活动数据" in msg and "“两高”项目" in msg and not {"activity", "two_high", "form_205_1"} & set(re.findall(r"\w+", msg))
    assert set(get_args(routes.Kind)) <= set(UPLOAD_KINDS)  # every kind the form takes has its name
    assert c.post("/api/uploads/validate", data={"kind": "gdp"}).status_code == 422  # no file
    ok = c.post("/api/uploads/validate", files={"file": ("a.csv", csv_text([ROW]).encode())}, data={"kind": "activity"})
    assert ok.status_code == 200 and ok.json()["inserted"] == 1 and ok.json()["file"] == "a.csv"


def test_health_answers_while_an_import_runs(make_app, monkeypatch):
    """The import is held until /api/health has answered: on the event loop it would hold the
    loop itself, and health could only answer after the hold timed out."""
    started, release, outcome = threading.Event(), threading.Event(), {}
    real = imports.import_file

    def held(*args, **kwargs):
        started.set()
        outcome["released_by_health"] = release.wait(timeout=5)
        return real(*args, **kwargs)

    monkeypatch.setattr(imports, "import_file", held)
    app = make_app()

    async def scenario():
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as c:
            login = await c.post("/api/auth/login", json={"username": "admin", "password": PASSWORD})
            c.headers["X-CSRF-Token"] = login.json()["csrf_token"]
            upload = asyncio.create_task(c.post("/api/uploads/validate", files={"file": ("a.csv", csv_text([ROW]).encode())}))
            assert await asyncio.to_thread(started.wait, 10)
            health = await c.get("/api/health")
            release.set()
            return health, await upload

    health, upload = asyncio.run(scenario())
    assert health.status_code == 200 and health.json()["status"] == "ok"
    assert outcome["released_by_health"] is True
    assert upload.status_code == 200 and upload.json()["inserted"] == 1


# --- the command line -------------------------------------------------------------------------------

def test_cli_import_refuses_files_over_the_limits_and_writes_nothing(db_url, tmp_path, monkeypatch):
    monkeypatch.setenv("CARBONPEAK_DATABASE_URL", db_url)
    monkeypatch.setenv("CARBONPEAK_HOME", str(tmp_path))
    monkeypatch.delenv("CARBONPEAK_LANG", raising=False)
    monkeypatch.setenv("CARBONPEAK_IMPORT_MAX_ROWS", "3")
    monkeypatch.setenv("CARBONPEAK_IMPORT_MAX_ISSUES", "2")
    runner = CliRunner()
    many = tmp_path / "多.csv"
    many.write_text(csv_text([ROW] * 5), encoding="utf-8")
    res = runner.invoke(cli_app, ["import", str(many)], catch_exceptions=False)
    assert res.exit_code == 1 and "多.csv" in res.stderr and "CARBONPEAK_IMPORT_MAX_ROWS" in res.stderr
    bad = tmp_path / "坏.csv"
    bad.write_text(csv_text([[str(y), "安化县", "工业", "原煤", "x", "吨"] for y in (2020, 2021, 2022)]), encoding="utf-8")
    res = runner.invoke(cli_app, ["import", str(bad)], catch_exceptions=False)
    lines = res.stderr.strip().splitlines()
    assert res.exit_code == 1 and len(lines) == 4 and "共3个问题" in lines[2] and lines[3] == "未写入任何数据。"
    monkeypatch.setenv("CARBONPEAK_IMPORT_MAX_FILE_MB", "0.0001")  # 104 bytes
    res = runner.invoke(cli_app, ["import", str(many), "--lang", "en"], catch_exceptions=False)
    assert res.exit_code == 1 and "CARBONPEAK_IMPORT_MAX_FILE_MB" in res.stderr and "Nothing was written." in res.stderr
    p = open_platform(Settings.from_env())
    with p.sessions() as s:
        assert s.scalar(select(func.count()).select_from(ActivityRecord)) == 0
        assert s.scalar(select(func.count()).select_from(ImportBatch)) == 0
    p.engine.dispose()


def test_limits_come_from_the_environment():
    lim = Settings.from_env({"CARBONPEAK_IMPORT_MAX_FILE_MB": "1.5", "CARBONPEAK_IMPORT_MAX_ROWS": "10"}).import_limits
    assert lim.max_file_bytes == 1_572_864 and lim.max_rows == 10 and lim.max_columns == 100
    assert Settings.from_env({}).import_limits == ImportLimits()
    for bad in ("0", "-1", "many", "nan", "inf"):
        with pytest.raises(SettingsError, match="CARBONPEAK_IMPORT_MAX_COLUMNS"):
            Settings.from_env({"CARBONPEAK_IMPORT_MAX_COLUMNS": bad})
