"""One use case, one session (issue #13 item 7): the supervision services read through
store/queries/supervision*.py in the session their use case opened. Counted with SQLAlchemy
events on the platform's sessions and engine, on both databases."""

from __future__ import annotations

from datetime import date

from engine_events import sessions_of as _sessions_of
from supervision_fixtures import ADMIN, CEMENT_CO, NDRC, PDF, _case, _file  # sup_platform: a fixture (conftest plugins)

from carbonpeak.services import supervision
from carbonpeak.services.supervision import DecisionIn


def test_the_public_page_and_report_section_read_in_one_transaction(sup_platform):
    """The page's counts, its published cases and findings and T16/T18/T19: one session, one
    transaction (each indicator opened its own session before)."""
    p = sup_platform
    case = _case(p)
    supervision.decide(p, NDRC, case.code, DecisionIn(date(2025, 4, 10), "责令限期整改"))
    supervision.publish(p, NDRC, case.code, date(2025, 4, 12))
    view = supervision.public_view(p, 2025)
    assert [c.code for c in view.cases] == [case.code] and len(view.indicators) == 3
    assert _sessions_of(p, lambda: supervision.public_view(p, 2025)) == (1, 1)
    assert _sessions_of(p, lambda: supervision.annual_section(p, 2025)) == (1, 1)
    assert _sessions_of(p, lambda: supervision.all_computed(p, 2025)) == (1, 1)


def test_an_enterprise_reads_its_own_records_in_one_session(sup_platform, tmp_path):
    """An enterprise account's unit is looked up in the session of the read (it had a session of
    its own before, and permissions.scope_of a connection of its own)."""
    p = sup_platform
    case = _case(p)
    sent = supervision.submit(p, CEMENT_CO, case.code, 1, _file(tmp_path, "a.pdf", PDF), "a.pdf")
    file_id = sent.findings[0].evidence[0].id
    assert [c.code for c in supervision.list_cases(p, CEMENT_CO)] == [case.code]
    reads = {"list_cases": lambda: supervision.list_cases(p, CEMENT_CO),
             "get_case": lambda: supervision.get_case(p, CEMENT_CO, case.code),
             "list_energy_audits": lambda: supervision.list_energy_audits(p, CEMENT_CO),
             "list_clean_audits": lambda: supervision.list_clean_audits(p, CEMENT_CO),
             "download": lambda: supervision.download(p, CEMENT_CO, file_id),
             "submit": lambda: supervision.submit(p, CEMENT_CO, case.code, 2, _file(tmp_path, "b.pdf", PDF), "b.pdf")}
    # submit: its change, then the case view read after the commit, in the same session
    assert {k: _sessions_of(p, f) for k, f in reads.items()} == {**dict.fromkeys(reads, (1, 1)), "submit": (1, 2)}
    assert _sessions_of(p, lambda: supervision.list_cases(p, ADMIN)) == (1, 1)  # a county role: no lookup at all
