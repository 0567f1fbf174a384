"""`carbonpeak reporting remind | overdue | obligations` and the dispatch report's punctuality on the
command line (Typer's runner: no terminal), on both databases, against the reporting service."""

from __future__ import annotations

import json
import socket

import openpyxl
import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from carbonpeak.cli.main import app
from carbonpeak.services import reporting as rep
from carbonpeak.services.users import create_user
from carbonpeak.store.models import User

runner = CliRunner()


@pytest.fixture
def cli(demo_platform, settings, monkeypatch):
    monkeypatch.setenv("CARBONPEAK_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("CARBONPEAK_HOME", str(settings.home))
    monkeypatch.setenv("CARBONPEAK_ACTOR", "cli-test")
    monkeypatch.delenv("CARBONPEAK_LANG", raising=False)

    def run(*args: str) -> str:
        res = runner.invoke(app, list(args), catch_exceptions=False)
        assert res.exit_code == 0, res.output
        return res.stdout
    return demo_platform, run


@pytest.fixture
def smtp_server():
    from aiosmtpd.controller import Controller

    class Keep:
        def __init__(self):
            self.mails: list = []

        async def handle_DATA(self, server, session, envelope):
            self.mails.append(envelope.rcpt_tos)
            return "250 OK"

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    handler = Keep()
    ctl = Controller(handler, hostname="127.0.0.1", port=port)
    ctl.start()
    yield port, handler.mails
    ctl.stop()


def test_obligations_overdue_and_dispatch_agree_with_the_service(cli, tmp_path):
    p, run = cli
    listed = json.loads(run("reporting", "obligations", "--format", "json"))
    assert [o["code"] for o in listed] == [o.code for o in rep.list_obligations(p, rep.COUNTY_READER)]
    assert {o["kind"] for o in listed} == {"target", "form_205_1", "project"} and all(o["illustrative"] for o in listed)
    out = tmp_path / "overdue.xlsx"
    rows = json.loads(run("reporting", "overdue", "--xlsx", str(out), "--format", "json"))
    service = rep.dispatch(p, rep.COUNTY_READER).overdue
    assert sorted((r["code"], r["period"]) for r in rows) == sorted((v.code, v.period) for v in service) and rows
    sheet = list(openpyxl.load_workbook(out).active.iter_rows(values_only=True))
    assert len(sheet) == len(rows) + 1 and sheet[0][0] == "责任单位"
    assert "逾期未报" in run("reporting", "overdue")  # the table, without a terminal
    nowhere = runner.invoke(app, ["reporting", "overdue", "--xlsx", str(tmp_path / "no" / "such" / "x.xlsx")])
    assert nowhere.exit_code == 1 and "--xlsx" in nowhere.stderr and "Traceback" not in nowhere.output
    d = json.loads(run("dispatch", "--start", "2023-01-01", "--end", "2026-06-30", "--format", "json"))
    from datetime import date
    want = rep.dispatch(p, rep.COUNTY_READER, start=date(2023, 1, 1), end=date(2026, 6, 30)).punctuality
    assert [(x["who"], x["reports_due"], x["reports_on_time"], x["reports_late"], x["reports_overdue"])
            for x in d["punctuality"]] == [(x.who, x.due, x.on_time, x.late, x.open) for x in want] and want


def test_remind_notifies_and_mails_once(cli, smtp_server, monkeypatch):
    p, run = cli
    port, mails = smtp_server
    create_user(p, "tjj", "Anhua-report-2031", "dept_editor", "test", department="县统计局")
    with p.sessions.begin() as s:
        s.scalar(select(User).where(User.username == "tjj")).email = "tjj@anhua.example"
    monkeypatch.setenv("CARBONPEAK_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("CARBONPEAK_SMTP_PORT", str(port))
    monkeypatch.setenv("CARBONPEAK_SMTP_FROM", "cp@anhua.example")
    first = run("reporting", "remind")
    notified = int(first.split("notified:")[1].split()[0])
    assert notified >= 1 and "e-mailed: 1" in first and mails == [["tjj@anhua.example"]]
    second = run("reporting", "remind")  # the same day again: nothing new
    assert "notified: 0" in second and "e-mailed: 0" in second and len(mails) == 1
