"""Statistical reporting (services/reporting) on both databases: obligations from the plan, entry
with its checks, submit, return, resubmit, approve into the target observations, the audit chain,
permissions by obligation, two reviewers on one submission, notifications."""

from __future__ import annotations

import email
import email.policy
import threading
from datetime import date

import pytest
from engine_events import statements
from sqlalchemy import func, select, update

from carbonpeak.domain.tracking import BarometerRule
from carbonpeak.services import reporting as rep
from carbonpeak.services.demo import DEMO_OPTIONS
from carbonpeak.services.errors import Conflict, Forbidden, InputRejected
from carbonpeak.services.tracking import targets_report
from carbonpeak.services.users import create_user
from carbonpeak.store.models import TargetObservation
from carbonpeak.store.models_reporting import ReportingObligation, ReportingSubmission

PW = "Anhua-report-2031"
TODAY = date(2025, 1, 15)  # the 2024 reports are due on 31 March 2025


@pytest.fixture
def people(demo_platform):
    p = demo_platform
    made = {"admin": create_user(p, "boss", PW, "admin", "test"),
            "tjj": create_user(p, "tjj", PW, "dept_editor", "test", department="县统计局"),
            "nyj": create_user(p, "nyj", PW, "dept_editor", "test", department="县农业农村局"),
            "fgj": create_user(p, "fgj", PW, "dept_editor", "test", department="县发展和改革局"),
            "fgj2": create_user(p, "fgj2", PW, "dept_editor", "test", department="县发展和改革局"),
            "viewer": create_user(p, "look", PW, "viewer", "test")}
    with p.sessions.begin() as s:  # the demo's illustrative obligations set aside: each test starts clean
        s.execute(update(ReportingObligation).values(active=False))
    return p, made


def _obligation(p, who, code="T-T08", subject="T08", dept="县统计局", **kw):
    return rep.create(p, who["admin"], rep.ObligationIn(code, subject, dept, **kw), today=TODAY)


def _count(p, model) -> int:
    with p.sessions() as s:
        return s.scalar(select(func.count()).select_from(model))


def _light(p, target: str, year: int = 2024) -> str:
    rows = targets_report(p, year, DEMO_OPTIONS, BarometerRule()).targets
    return next(r for r in rows if r.id == target).light


def test_defaults_come_from_the_plan_and_a_second_run_adds_nothing(people):
    p, who = people
    with p.sessions.begin() as s:  # the demo's three obligations (T08, T28, T45) out of the way
        s.query(ReportingObligation).delete()
    _obligation(p, who, code="T-T29", subject="T29", dept="县农业农村局")  # a target with an obligation already
    first = rep.generate_defaults(p, who["admin"], today=TODAY)
    assert "OBL-T08" in first.created and "OBL-T45" in first.created and "OBL-T24" not in first.created  # T24: computed
    assert "OBL-T29" not in first.created
    views = {o.code: o for o in rep.list_obligations(p, who["admin"])}
    assert views["OBL-T08"].department == "县统计局" and views["OBL-T45"].department == "县公安局"
    assert views["OBL-T28"].fields[0].unit == "%" and (views["OBL-T28"].fields[0].low, views["OBL-T28"].fields[0].high) == (0, 100)
    assert views["OBL-T08"].first_period == "2024"  # due 2025-03-31, still ahead on TODAY
    again = rep.generate_defaults(p, who["admin"], today=TODAY)
    assert again.created == [] and again.existing == len(first.created) + 1
    assert {o.code for o in rep.list_obligations(p, who["tjj"])} >= {"OBL-T08"}
    assert all(o.department == "县统计局" for o in rep.list_obligations(p, who["tjj"]))


def test_a_new_obligation_with_an_unknown_department_or_a_past_deadline_is_refused(people):
    p, who = people
    with pytest.raises(InputRejected) as e:
        _obligation(p, who, dept="县不存在局")
    assert [i.column for i in e.value.issues] == ["department"] and "不存在" in e.value.messages("zh")[0]
    with pytest.raises(InputRejected) as e:
        _obligation(p, who, first_period="2023")  # due 2024-03-30: before TODAY
    assert [(i.code, i.column) for i in e.value.issues] == [("reporting.past_deadline", "first_period")]
    assert "填报表单" in e.value.messages("zh")[0] and "2024-03-30" in e.value.messages("zh")[0]
    with pytest.raises(InputRejected):
        _obligation(p, who, subject="T99")
    with pytest.raises(Forbidden):
        rep.create(p, who["tjj"], rep.ObligationIn("X", "T08", "县统计局"), today=TODAY)
    assert _count(p, ReportingObligation) == 7  # the demo's (3 targets, 2 units' 205-1 forms, 2 projects), nothing more


def test_the_whole_cycle_reaches_the_barometer_only_when_approved(people):
    p, who = people
    _obligation(p, who)
    assert _light(p, "T08") == "grey"
    kept = _count(p, ReportingSubmission)  # the demo's
    for bad, field, code in (({"value": "十二"}, "value", "input.not_a_number"),
                             ({"value": -5}, "value", "reporting.out_of_range"),
                             ({"value": 120, "size": 3}, "size", "reporting.unknown_field")):
        with pytest.raises(InputRejected) as e:
            rep.save(p, who["tjj"], rep.EntryIn("T-T08", "2024", bad), submit=True)
        assert (e.value.issues[0].code, e.value.issues[0].column) == (code, field)
    with pytest.raises(InputRejected) as e:
        rep.save(p, who["tjj"], rep.EntryIn("T-T08", "2024", {"value": 120}, units={"value": "万元"}))
    assert e.value.issues[0].code == "reporting.wrong_unit" and "亿元" in e.value.messages("zh")[0]
    assert _count(p, ReportingSubmission) == kept  # nothing saved

    draft = rep.save(p, who["tjj"], rep.EntryIn("T-T08", "2024", {"value": 60}))
    assert draft.status == "draft"
    sent = rep.save(p, who["tjj"], rep.EntryIn("T-T08", "2024", {"value": 60}), submit=True)
    again = rep.save(p, who["tjj"], rep.EntryIn("T-T08", "2024", {"value": 60}), submit=True)
    assert (sent.status, again.changed, again.version) == ("submitted", False, sent.version)
    assert _light(p, "T08") == "grey"  # submitted is not approved: the barometer does not see it

    with pytest.raises(InputRejected) as e:
        rep.review(p, who["fgj"], sent.id, sent.version, approve=False)
    assert e.value.issues[0].column == "comment"
    back = rep.review(p, who["fgj"], sent.id, sent.version, approve=False, comment="请核对：与工信局口径不一致")
    assert back.status == "returned"
    resent = rep.save(p, who["tjj"], rep.EntryIn("T-T08", "2024", {"value": 120}, note="已按统计口径修正"), submit=True)
    ok = rep.review(p, who["fgj"], resent.id, resent.version, approve=True)
    assert ok.status == "approved"
    with p.sessions() as s:
        obs = s.scalar(select(TargetObservation).where(TargetObservation.target_code == "T08",
                                                       TargetObservation.year == 2024))
    assert obs.value == 120 and "县统计局" in obs.source and obs.owner == "县统计局"
    assert _light(p, "T08") == "green"
    with pytest.raises(InputRejected):  # approved: the reporter can no longer change it
        rep.save(p, who["tjj"], rep.EntryIn("T-T08", "2024", {"value": 90}), submit=True)
    steps = [(e.action, e.actor, (e.after or {}).get("status")) for e in rep.chain(p, who["admin"], "T-T08", "2024")]
    assert steps == [("draft", "tjj", "draft"), ("submit", "tjj", "submitted"), ("return", "fgj", "returned"),
                     ("submit", "tjj", "submitted"), ("approve", "fgj", "approved")]
    assert [e.action for e in rep.chain(p, who["tjj"], "T-T08", "2024")][-1] == "approve"  # the department sees it


def test_permissions_follow_the_obligation(people):
    p, who = people
    _obligation(p, who)
    with pytest.raises(Forbidden):  # another department's editor
        rep.save(p, who["nyj"], rep.EntryIn("T-T08", "2024", {"value": 1}))
    with pytest.raises(Forbidden):
        rep.save(p, who["viewer"], rep.EntryIn("T-T08", "2024", {"value": 1}))
    sent = rep.save(p, who["tjj"], rep.EntryIn("T-T08", "2024", {"value": 1}), submit=True)
    for outsider in ("tjj", "nyj", "viewer"):  # the reporter itself, another department, a viewer
        with pytest.raises(Forbidden):
            rep.review(p, who[outsider], sent.id, sent.version, approve=True)
    assert rep.review(p, who["admin"], sent.id, sent.version, approve=True).status == "approved"


def test_a_reviewer_may_not_approve_its_own_submission(people):
    p, who = people
    _obligation(p, who, code="T-T16x", subject="T08", dept="县发展和改革局")
    sent = rep.save(p, who["fgj"], rep.EntryIn("T-T16x", "2024", {"value": 5}), submit=True)
    with pytest.raises(Forbidden):
        rep.review(p, who["fgj"], sent.id, sent.version, approve=True)
    assert rep.review(p, who["fgj2"], sent.id, sent.version, approve=True).status == "approved"


def test_two_reviewers_on_one_submission_one_wins_the_other_is_told(people):
    p, who = people
    _obligation(p, who)
    sent = rep.save(p, who["tjj"], rep.EntryIn("T-T08", "2024", {"value": 80}), submit=True)
    results: list = []
    barrier = threading.Barrier(2)

    def act(name: str, approve: bool) -> None:
        barrier.wait()
        try:
            results.append(rep.review(p, who[name], sent.id, sent.version, approve=approve, comment="口径不符"))
        except Conflict as e:
            results.append(e)

    threads = [threading.Thread(target=act, args=("fgj", True)), threading.Thread(target=act, args=("fgj2", False))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    won = [r for r in results if isinstance(r, rep.Saved)]
    told = [r for r in results if isinstance(r, Conflict)]
    assert len(won) == 1 and len(told) == 1 and "已被他人处理" in str(told[0])
    view = rep.one(p, who["admin"], "T-T08", "2024")
    assert view.status == won[0].status and view.version == sent.version + 1
    approvals = [e for e in rep.chain(p, who["admin"], "T-T08", "2024") if e.action in ("approve", "return")]
    assert len(approvals) == 1


def test_the_review_queue_shows_the_previous_period_and_flags_a_jump(people):
    p, who = people
    _obligation(p, who, code="T-T28", subject="T28", dept="县农业农村局")
    with pytest.raises(InputRejected) as e:  # a share: 0–100
        rep.save(p, who["nyj"], rep.EntryIn("T-T28", "2024", {"value": 130}), submit=True)
    assert "[0, 100]" in e.value.messages("zh")[0]
    rep.save(p, who["nyj"], rep.EntryIn("T-T28", "2024", {"value": 20}), submit=True)
    queue = rep.review_queue(p, who["fgj"], today=TODAY)
    row = next(q for q in queue if q.code == "T-T28")
    assert row.previous_period == "2023" and row.previous["value"] > 40 and row.flagged == ["value"]
    with statements(p.engine) as one:
        rep.review_queue(p, who["fgj"], today=TODAY)
    for code in ("T-T28b", "T-T28c"):  # a longer queue: the previous periods are read for all rows at once
        _obligation(p, who, code=code, subject="T28", dept="县农业农村局")
        rep.save(p, who["nyj"], rep.EntryIn(code, "2024", {"value": 45}), submit=True)
    with statements(p.engine) as three:
        queue = rep.review_queue(p, who["fgj"], today=TODAY)
    assert {q.code for q in queue} >= {"T-T28", "T-T28b", "T-T28c"} and len(three) == len(one), (one, three)
    assert all(q.previous == row.previous for q in queue if q.code.startswith("T-T28"))  # 2023 observed, once


def test_notifications_reach_reviewers_and_the_reporter(people):
    p, who = people
    _obligation(p, who)
    sent = rep.save(p, who["tjj"], rep.EntryIn("T-T08", "2024", {"value": 80}), submit=True)
    assert rep.unread(p, who["fgj"]) == 1 and "待审核" in rep.list_for(p, who["fgj"])[0].text
    assert "awaiting review" in rep.list_for(p, who["fgj"], lang="en")[0].text
    rep.review(p, who["fgj"], sent.id, sent.version, approve=False, comment="缺少佐证材料")
    notes = rep.list_for(p, who["tjj"])
    assert len(notes) == 1 and "退回" in notes[0].text and "缺少佐证材料" in notes[0].text
    assert rep.mark_read(p, who["tjj"]) == 1 and rep.unread(p, who["tjj"]) == 0


def test_reporter_periods_show_deadlines_and_overdue(people):
    p, who = people
    _obligation(p, who)
    late = rep.periods(p, who["tjj"], today=date(2025, 4, 2))
    mine = [v for v in late if v.code == "T-T08"]
    assert [(v.period, v.status, v.overdue) for v in mine] == [("2024", "open", True), ("2025", "open", False)]
    soon = next(v for v in rep.periods(p, who["tjj"], today=date(2025, 3, 25)) if v.code == "T-T08")
    assert soon.due_soon and not soon.overdue and soon.due_on == date(2025, 3, 31)
    assert [v for v in rep.periods(p, who["nyj"], today=TODAY) if v.code == "T-T08"] == []


# --- 调度: due soon, overdue, punctuality, reminders by notification and by e-mail ----------------

@pytest.fixture
def smtp_server():
    """A real SMTP server on a free local port (aiosmtpd), collecting what it receives."""
    import socket

    from aiosmtpd.controller import Controller

    class Keep:
        def __init__(self):
            self.mails: list = []

        async def handle_DATA(self, server, session, envelope):
            self.mails.append((envelope.rcpt_tos, envelope.content.decode("utf-8", "replace")))
            return "250 OK"

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    handler = Keep()
    ctl = Controller(handler, hostname="127.0.0.1", port=port)
    ctl.start()
    yield port, handler.mails
    ctl.stop()


def test_dispatch_lists_punctuality_and_the_overdue_workbook(people):
    import io

    from openpyxl import load_workbook

    p, who = people
    _obligation(p, who)
    rep.create(p, who["admin"], rep.ObligationIn("T-T28", "T28", "县农业农村局"))  # from the real today on
    first = rep.list_obligations(p, who["nyj"])[0].first_period
    rep.save(p, who["nyj"], rep.EntryIn("T-T28", first, {"value": 80}), submit=True)  # now: before its deadline
    rep.save(p, who["tjj"], rep.EntryIn("T-T08", "2024", {"value": 80}), submit=True)  # now: after 2025-03-31
    after = date(int(first) + 1, 4, 10)
    d = rep.dispatch(p, who["admin"], today=after)
    assert [(v.code, v.period) for v in d.overdue] == [("T-T08", str(y)) for y in range(2025, int(first) + 1)]
    by = {x.who: x for x in d.punctuality}
    assert (by["县统计局"].due, by["县统计局"].late, by["县统计局"].open) == (int(first) - 2023, 1, int(first) - 2024)
    assert by["县统计局"].rate == 0.0
    assert (by["县农业农村局"].due, by["县农业农村局"].on_time, by["县农业农村局"].rate) == (1, 1, 100.0)
    assert [v.code for v in rep.dispatch(p, who["admin"], today=date(2025, 3, 20)).due_soon] == []  # 2024 submitted
    assert [v.period for v in rep.dispatch(p, who["admin"], today=date(2026, 3, 20)).due_soon] == ["2025"]
    wb = load_workbook(io.BytesIO(rep.overdue_xlsx(p, who["admin"], today=after)))
    rows = list(wb.active.iter_rows(values_only=True))
    assert rows[0][:3] == ("责任单位", "填报任务", "报告期") and rows[1][:3] == ("县统计局", "新型建材产业规模（百亿级）", "2025")
    assert rows[1][4] == (after - date(2026, 3, 31)).days  # days overdue


def test_reminders_notify_once_and_mail_through_a_real_smtp_server(people, smtp_server):
    import dataclasses

    from carbonpeak.settings import Smtp
    from carbonpeak.store.models import User

    p, who = people
    port, mails = smtp_server
    with p.sessions.begin() as s:
        s.scalar(select(User).where(User.username == "tjj")).email = "tjj@anhua.example"
    _obligation(p, who)
    late = date(2025, 4, 10)
    first = rep.remind(p, who["admin"], today=late)  # no SMTP configured: notifications only
    assert (first.notified, first.emailed) == (1, 0) and mails == []
    assert "已逾期" in rep.list_for(p, who["tjj"])[0].text
    p = dataclasses.replace(p, settings=dataclasses.replace(p.settings, smtp=Smtp("127.0.0.1", port, "cp@anhua.example")))
    second = rep.remind(p, who["admin"], today=late)
    assert (second.notified, second.emailed, second.failed) == (0, 1, [])
    assert len(mails) == 1 and mails[0][0] == ["tjj@anhua.example"]
    mail = email.message_from_string(mails[0][1], policy=email.policy.default)
    body = mail.get_content()
    assert "【碳峰】" in mail["Subject"] and "2025-03-31" in body and "已逾期" in body and "overdue" in body
    third = rep.remind(p, who["admin"], today=late)  # nothing new: nothing notified, nothing mailed
    assert (third.notified, third.emailed) == (0, 0) and len(mails) == 1
    with pytest.raises(Forbidden):
        rep.remind(p, who["tjj"], today=late)


def test_the_demo_shows_the_cycle_at_work_all_illustrative(demo_platform):
    from carbonpeak.services.reporting import demo as reporting_demo
    from carbonpeak.services.users import Principal

    p = demo_platform
    viewer = Principal(0, "look", "viewer")
    rows = {(v.code, v.period): v for v in rep.periods(p, viewer)}
    assert rows[("OBL-T28", "2023")].status == "approved" and rows[("OBL-T28", "2024")].status == "submitted"
    assert rows[("OBL-T45", "2024")].status == "returned" and rows[("OBL-T45", "2024")].review_comment
    assert rows[("OBL-T08", "2023")].overdue and rows[("OBL-T08", "2024")].overdue
    assert all(v.illustrative for v in rows.values())
    assert sorted(q.code for q in rep.review_queue(p, viewer)) == ["205-91430923000000001N", "OBL-T28"]  # + a 205-1 form
    with p.sessions() as s:
        t28 = s.scalar(select(TargetObservation).where(TargetObservation.target_code == "T28", TargetObservation.year == 2023))
    assert t28.value == 85.5 and t28.illustrative and "县农业农村局" in t28.source
    assert reporting_demo.load(p, "test") == reporting_demo.DemoReporting(0, 0)  # a second run adds nothing


def test_freeze_a_year_correct_a_value_and_see_the_versions_differ(people):
    p, who = people
    _obligation(p, who)
    sent = rep.save(p, who["tjj"], rep.EntryIn("T-T08", "2024", {"value": 60}), submit=True)
    rep.review(p, who["fgj"], sent.id, sent.version, approve=True)
    first = rep.freeze_year(p, who["admin"], 2024, "2024年度评估封存")
    assert (first.year, first.version) == (2024, 1)
    with pytest.raises(Forbidden):
        rep.freeze_year(p, who["fgj"], 2024)
    back = rep.reopen(p, who["fgj"], sent.id, sent.version + 1, "统计局更正：口径调整")
    again = rep.save(p, who["tjj"], rep.EntryIn("T-T08", "2024", {"value": 120}), submit=True)
    assert back.status == "returned" and again.status == "submitted"
    assert [v.version for v in rep.versions(p, who["viewer"], 2024)] == [1]  # not approved yet: no new version
    rep.review(p, who["fgj2"], again.id, again.version, approve=True)
    got = rep.versions(p, who["viewer"], 2024)
    assert [v.version for v in got] == [1, 2] and "新型建材产业规模" in got[1].reason and "T-T08" not in got[1].reason
    d = rep.diff(p, who["viewer"], 2024, 1, 2)
    changed = {(c.target, c.field): (c.before, c.after) for c in d.changes}
    assert changed[("T08", "actual")] == (60, 120) and changed[("T08", "light")][1] == "green"
    assert changed[("T08", "entered")] == (60, 120)
    assert all(c.target == "T08" for c in d.changes)  # nothing else moved
    assert rep.diff(p, who["viewer"], 2024, 1, 1).changes == []
