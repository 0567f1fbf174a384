"""Reporting's queries live in the store (store/queries/reporting*.py) and one use case reads in one
session: the dispatch lists and the overdue workbook (periods and unit names) use one database
connection, and an approval of a project's progress (its check, the approval, the progress row)
one connection in one transaction. Connections are counted with an engine event."""

from __future__ import annotations

from datetime import date

import pytest
from engine_events import recorded
from sqlalchemy import delete

from carbonpeak.services import reporting as rep
from carbonpeak.services.users import create_user
from carbonpeak.store.models_reporting import ReportingObligation

PW = "Anhua-queries-2031"


def test_the_dispatch_lists_and_the_overdue_workbook_read_in_one_session(demo_ro):
    p = demo_ro
    with recorded(p.engine, "engine_connect") as opened:
        d = rep.dispatch(p, rep.COUNTY_READER)
    assert len(opened) == 1
    assert d.overdue and any(x.level == "unit" and x.name != x.who for x in d.punctuality)  # unit names were read
    with recorded(p.engine, "engine_connect") as opened:
        book = rep.overdue_xlsx(p, rep.COUNTY_READER)
    assert len(opened) == 1 and book[:2] == b"PK"


@pytest.fixture
def reviewers(demo_platform):
    p = demo_platform
    made = {"admin": create_user(p, "boss", PW, "admin", "test"),
            "fgj": create_user(p, "fgj", PW, "dept_editor", "test", department="县发展和改革局")}
    with p.sessions.begin() as s:  # the demo's obligations out of the way (its PRJ-P04-27 starts later)
        s.execute(delete(ReportingObligation))
    return p, made


def test_a_project_approval_is_checked_and_written_on_one_connection(reviewers):
    p, who = reviewers
    rep.generate_kinds(p, who["admin"], ("project",), today=date(2025, 1, 15))
    sent = rep.save(p, who["fgj"], rep.EntryIn("PRJ-P04-27", "2024", {"investment_wan": 5000, "completion_pct": 40}),
                    submit=True)
    with recorded(p.engine, "engine_connect") as opened:
        done = rep.review(p, who["admin"], sent.id, sent.version, approve=True)
    assert done.status == "approved" and len(opened) == 1
