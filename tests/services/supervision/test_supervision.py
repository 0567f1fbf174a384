"""Energy supervision and clean-production audits (services/supervision), on both databases:
the plan, a case from inspection to closure, evidence, disclosure, T16/T18/T19, roles, bad input."""

from __future__ import annotations

from datetime import date

import pytest
from supervision_fixtures import (  # sup_platform: a fixture (conftest plugins)
    ADMIN,
    CEMENT,
    CEMENT_CO,
    HOUSING,
    NDRC,
    PDF,
    PNG,
    SAMR,
    SMALL,
    TEA,
    TEA_CO,
    VIEWER,
    _batch,
    _case,
    _count,
    _file,
    _findings,
)

from carbonpeak.domain.supervision import EVIDENCE_MAX_BYTES, evidence_type
from carbonpeak.services import audit, supervision
from carbonpeak.services.errors import AuthenticationFailed, Conflict, Forbidden, InputRejected
from carbonpeak.services.supervision import BatchIn, CaseIn, CleanAuditIn, DecisionIn, EnergyAuditIn, FindingIn
from carbonpeak.store.models_supervision import SupervisionCase, SupervisionEvidence, SupervisionFinding


def test_plan_lists_units_over_1000_tce_and_fills_the_checklist(sup_platform):
    units = {u.uscc: u for u in supervision.subject_units(sup_platform)}
    assert set(units) >= {CEMENT, TEA} and all(u.registry_tce >= 1000 or u.form_tce >= 1000 for u in units.values())
    assert units[CEMENT].basis == "registry" and units[CEMENT].form_tce is None
    assert units[SMALL].basis == "205-1" and units[SMALL].form_year == 2024
    assert units[SMALL].form_tce == pytest.approx(1500 * 0.7143)
    assert [u.uscc for u in supervision.subject_units(sup_platform, threshold=5000)] == [CEMENT]
    rows = {r.code: r for r in supervision.checklist(sup_platform, CEMENT)}
    assert set(rows) == {"energy_management", "metering", "unit_product_energy", "eliminated_equipment",
                         "energy_review"}
    assert "GB 17167" in rows["metering"].zh and "第二十七条" in rows["metering"].legal_basis
    clinker = rows["unit_product_energy"].products[0]
    assert clinker.product == "水泥熟料" and clinker.value_kgce_t == pytest.approx(115000 * 1000 / 1100000)
    assert clinker.limit == 117 and clinker.level == "access" and not clinker.over_limit
    assert "GB 16780" in clinker.document


def test_batch_is_idempotent_and_refuses_unknown_units(sup_platform):
    first = _batch(sup_platform)
    assert first.changed and first.units == sorted([CEMENT, TEA]) and first.department == "县发展和改革局"
    again = _batch(sup_platform)
    assert not again.changed and _count(sup_platform, SupervisionCase) == 0
    with pytest.raises(Conflict):
        supervision.create_batch(sup_platform, NDRC, BatchIn("2025-1", 2025, "另一批", None, date(2025, 3, 1),
                                                              date(2025, 6, 30), [CEMENT]))
    with pytest.raises(InputRejected) as e:
        supervision.create_batch(sup_platform, NDRC, BatchIn("2025-2", 2025, "第二批", None, date(2025, 7, 1),
                                                              date(2025, 6, 30), [CEMENT, "914309230000009999"]))
    cols = {i.column for i in e.value.issues}
    assert cols == {"ends_on"}  # the dates are checked before the units are looked up
    with pytest.raises(InputRejected) as e:
        supervision.create_batch(sup_platform, NDRC, BatchIn("2025-2", 2025, "第二批", None, date(2025, 7, 1),
                                                              date(2025, 9, 30), [CEMENT, "914309230000009999"]))
    assert [i.column for i in e.value.issues] == ["units[1]"]
    assert "不在重点用能单位名录中" in e.value.messages("zh")[0]
    assert [b.code for b in supervision.list_batches(sup_platform, 2025)] == ["2025-1"]


def test_a_case_from_inspection_to_closure_moves_t18_t19_and_the_public_list(sup_platform, tmp_path):
    p = sup_platform
    case = _case(p)
    assert case.code == "JC-2025-001" and case.status == "open" and len(case.findings) == 2 and case.violation
    assert case.findings[0].legal_basis.startswith("《中华人民共和国节约能源法》第二十七条")
    assert supervision.computed(p, "T19", 2025).denominator == 1
    assert supervision.computed(p, "T19", 2025).value == 0.0
    assert supervision.computed(p, "T18", 2025).value is None  # nothing decided: no data, not 0 %
    # an undecided case is never published
    with pytest.raises(InputRejected) as e:
        supervision.publish(p, NDRC, case.code, date(2025, 4, 1))
    assert e.value.issues[0].column == "status" and "不能公开" in e.value.messages()[0]
    assert supervision.public_view(p, 2025).cases == [] and supervision.public_view(p, 2025).inspections == 1
    decided = supervision.decide(p, NDRC, case.code, DecisionIn(date(2025, 4, 10), "责令限期整改，罚款", 30000.0, True,
                                                                "differentiated"))
    assert decided.status == "decided" and decided.price_proposal == "differentiated"
    assert supervision.computed(p, "T18", 2025).value == 0.0
    published = supervision.publish(p, NDRC, case.code, date(2025, 4, 12))
    assert published.published_on == date(2025, 4, 12)
    t18 = supervision.computed(p, "T18", 2025)
    assert (t18.value, t18.numerator, t18.denominator, t18.counted) == (100.0, 1, 1, [case.code])
    assert "处理决定" in t18.rule_zh and "decided" in t18.rule_en
    # the enterprise answers with evidence; one accepted, one rejected
    supervision.submit(p, CEMENT_CO, case.code, 1, _file(tmp_path, "计量器具检定证书.pdf", PDF), "计量器具检定证书.pdf")
    after = supervision.submit(p, CEMENT_CO, case.code, 2, _file(tmp_path, "photo.png", PNG), "photo.png")
    assert [f.status for f in after.findings] == ["submitted", "submitted"]
    with pytest.raises(InputRejected) as e:
        supervision.close(p, NDRC, case.code, date(2025, 8, 1), "")
    assert {i.column for i in e.value.issues} == {"findings[1].status", "findings[2].status", "note"}
    supervision.review(p, NDRC, case.code, 1, True, date(2025, 7, 1))
    with pytest.raises(InputRejected) as e:
        supervision.review(p, NDRC, case.code, 2, False, date(2025, 7, 1))
    assert e.value.issues[0].column == "note"
    reviewed = supervision.review(p, NDRC, case.code, 2, False, date(2025, 7, 1), "改造方案未见实施")
    assert [f.status for f in reviewed.findings] == ["accepted", "rejected"]
    closed = supervision.close(p, NDRC, case.code, date(2025, 8, 1), "未整改问题已移送处罚并记入信用档案")
    assert closed.status == "closed" and not supervision.close(p, NDRC, case.code, date(2025, 8, 1)).changed
    t19 = supervision.computed(p, "T19", 2025)
    assert (t19.value, t19.numerator, t19.denominator) == (100.0, 1, 1)
    public = supervision.public_view(p, 2025)
    assert [c.code for c in public.violators] == [case.code] and public.violators[0].closed_on == date(2025, 8, 1)
    assert [f.status_name for f in public.violators[0].findings] == ["整改通过", "整改未通过"]
    keys = {(e.entity, e.action) for e in audit.history(p, limit=50)}
    assert {("supervision_batches", "create"), ("supervision_cases", "create"), ("supervision_cases", "decide"),
            ("supervision_cases", "publish"), ("supervision_findings", "evidence"), ("supervision_findings", "accept"),
            ("supervision_findings", "reject"), ("supervision_cases", "close")} <= keys


def test_bad_case_input_is_refused_naming_the_field_and_writes_nothing(sup_platform):
    p = sup_platform
    _batch(p)
    early = [FindingIn("metering", "x", "general", "整改", date(2025, 3, 1))]
    with pytest.raises(InputRejected) as e:
        supervision.open_case(p, NDRC, CaseIn(CEMENT, date(2025, 3, 12), early))
    assert e.value.issues[0].column == "findings[1].deadline"
    assert "早于检查日期2025-03-12" in e.value.messages("zh")[0] and "before the inspection date" in e.value.messages("en")[0]
    with pytest.raises(InputRejected) as e:
        supervision.open_case(p, NDRC, CaseIn("914309230000009999", date(2025, 3, 12), _findings()))
    assert e.value.issues[0].column == "uscc"
    wrong = [FindingIn("colour", "", "fatal", "整改", date(2025, 4, 1))]
    with pytest.raises(InputRejected) as e:
        supervision.open_case(p, NDRC, CaseIn(CEMENT, date(2025, 3, 12), wrong))
    assert {i.column for i in e.value.issues} == {"findings[1].item", "findings[1].severity",
                                                   "findings[1].description"}
    assert _count(p, SupervisionCase) == 0 and _count(p, SupervisionFinding) == 0
    # a price proposal needs a unit found above the limit value
    case = supervision.open_case(p, NDRC, CaseIn(TEA, date(2025, 3, 20), [_findings()[0]], batch="2025-1"))
    with pytest.raises(InputRejected) as e:
        supervision.decide(p, NDRC, case.code, DecisionIn(date(2025, 4, 1), "罚款", -5.0, False, "punitive"))
    assert {i.column for i in e.value.issues} == {"penalty_yuan", "price_proposal"}
    with pytest.raises(InputRejected) as e:
        supervision.decide(p, NDRC, case.code, DecisionIn(date(2025, 3, 1), "罚款"))
    assert e.value.issues[0].column == "decided_on"
    assert supervision.get_case(p, ADMIN, case.code).status == "open"
    # the same inspection again is the same case; another one on that day is refused
    assert not supervision.open_case(p, NDRC, CaseIn(TEA, date(2025, 3, 20), [_findings()[0]], batch="2025-1")).changed
    with pytest.raises(Conflict):
        supervision.open_case(p, NDRC, CaseIn(TEA, date(2025, 3, 20), _findings(), batch="2025-1"))
    assert _count(p, SupervisionCase) == 1


def test_evidence_type_size_and_who_may_download(sup_platform, tmp_path):
    p = sup_platform
    case = _case(p)
    fake = _file(tmp_path, "report.pdf", b"MZ\x90\x00 not a pdf")
    with pytest.raises(InputRejected) as e:
        supervision.submit(p, CEMENT_CO, case.code, 1, fake, "report.pdf")
    assert e.value.issues[0].column == "file" and "不是 PDF" in e.value.messages()[0]
    with pytest.raises(InputRejected):
        supervision.submit(p, CEMENT_CO, case.code, 1, _file(tmp_path, "a.exe", PDF), "a.exe")
    big = _file(tmp_path, "big.pdf", PDF + b"0" * EVIDENCE_MAX_BYTES)
    with pytest.raises(InputRejected) as e:
        supervision.submit(p, CEMENT_CO, case.code, 1, big, "big.pdf")
    assert "超过上限10 MB" in e.value.messages()[0]
    assert _count(p, SupervisionEvidence) == 0 and not (tmp_path / "supervision_files").exists()
    with pytest.raises(Forbidden):  # another enterprise does not see the case (403, its own unit only)
        supervision.submit(p, TEA_CO, case.code, 1, _file(tmp_path, "x.pdf", PDF), "../../etc/x.pdf")
    view = supervision.submit(p, CEMENT_CO, case.code, 1, _file(tmp_path, "x.pdf", PDF), "../../etc/x.pdf")
    ev = view.findings[0].evidence[0]
    assert ev.file_name == "x.pdf" and ev.content_type == "application/pdf" and ev.size_bytes == len(PDF)
    for who in (ADMIN, NDRC, VIEWER, CEMENT_CO):
        got = supervision.download(p, who, ev.id)
        assert got.path.read_bytes() == PDF and got.path.is_relative_to(tmp_path / "supervision_files")
    with pytest.raises(Forbidden):
        supervision.download(p, TEA_CO, ev.id)
    with pytest.raises(AuthenticationFailed):
        supervision.download(p, None, ev.id)
    assert evidence_type("a.JPG", b"\xff\xd8\xff\xe0") == "image/jpeg" and evidence_type("a.png", PDF) is None


def test_roles_inspectors_enterprises_and_the_public(sup_platform):
    p = sup_platform
    with pytest.raises(Forbidden):  # not a department responsible for supervision
        _batch(p, HOUSING)
    with pytest.raises(Forbidden):
        _batch(p, CEMENT_CO)
    with pytest.raises(InputRejected) as e:  # an administrator names a responsible department
        _batch(p, ADMIN)
    assert e.value.issues[0].column == "department"
    case = _case(p)
    with pytest.raises(Forbidden):  # another department's case
        supervision.decide(p, SAMR, case.code, DecisionIn(date(2025, 4, 1), "罚款"))
    with pytest.raises(Forbidden):
        supervision.decide(p, CEMENT_CO, case.code, DecisionIn(date(2025, 4, 1), "罚款"))
    assert [c.code for c in supervision.list_cases(p, CEMENT_CO)] == [case.code]
    assert supervision.list_cases(p, TEA_CO) == []
    with pytest.raises(Forbidden):
        supervision.get_case(p, TEA_CO, case.code)
    assert [c.code for c in supervision.list_cases(p, VIEWER)] == [case.code]
    with pytest.raises(AuthenticationFailed):
        supervision.list_cases(p, None)
    with pytest.raises(Forbidden):  # the county's viewers read, never answer
        supervision.submit(p, VIEWER, case.code, 1, None, "x.pdf")


def test_clean_production_audits_in_order_and_t16(sup_platform, tmp_path):
    p = sup_platform
    assert supervision.computed(p, "T16", 2025).value is None
    a = supervision.list_clean_audit(p, NDRC, CleanAuditIn(CEMENT, "building_materials", 2024, date(2024, 5, 1)))
    b = supervision.list_clean_audit(p, NDRC, CleanAuditIn(TEA, "food", 2025, date(2025, 2, 1)))
    assert not supervision.list_clean_audit(p, NDRC, CleanAuditIn(TEA, "food", 2025, date(2025, 2, 1))).changed
    with pytest.raises(InputRejected) as e:
        supervision.list_clean_audit(p, NDRC, CleanAuditIn(TEA, "textiles", 2025, date(2024, 2, 1)))
    assert {i.column for i in e.value.issues} == {"industry_group", "listed_on"}
    with pytest.raises(InputRejected) as e:  # stages in order
        supervision.advance_stage(p, NDRC, a.id, "accepted", date(2025, 1, 1))
    assert e.value.issues[0].column == "stage" and "下一阶段" in e.value.messages()[0]
    with pytest.raises(InputRejected) as e:  # dates do not go back
        supervision.advance_stage(p, NDRC, a.id, "started", date(2024, 4, 1))
    assert e.value.issues[0].column == "on"
    for stage, on in (("started", date(2024, 6, 1)), ("report_submitted", date(2024, 10, 1)),
                      ("assessed", date(2025, 3, 1))):
        supervision.advance_stage(p, NDRC, a.id, stage, on)
    done = supervision.advance_stage(p, NDRC, a.id, "accepted", date(2025, 9, 1),
                                     _file(tmp_path, "验收意见.pdf", PDF), "验收意见.pdf")
    assert done.stage == "accepted" and done.stages[-1].on == date(2025, 9, 1) and len(done.evidence) == 1
    t16 = supervision.computed(p, "T16", 2025)
    assert (t16.value, t16.numerator, t16.denominator, t16.counted) == (50.0, 1, 2, [str(a.id)])
    assert supervision.computed(p, "T16", 2024).value == 0.0  # accepted in 2025, listed in 2024
    assert [x.id for x in supervision.list_clean_audits(p, TEA_CO)] == [b.id]


def test_energy_audit_request_and_report(sup_platform, tmp_path):
    p = sup_platform
    case = _case(p)
    with pytest.raises(InputRejected) as e:
        supervision.request_energy_audit(p, SAMR, EnergyAuditIn(CEMENT, date(2025, 4, 1), date(2025, 3, 1)))
    assert e.value.issues[0].column == "due_on"
    req = supervision.request_energy_audit(p, SAMR, EnergyAuditIn(CEMENT, date(2025, 4, 1), date(2025, 9, 30),
                                                                  "单位产品能耗超限额", case.code))
    assert req.case == case.code and req.department == "县市场监督管理局" and req.report_received_on is None
    again = supervision.request_energy_audit(p, SAMR, EnergyAuditIn(CEMENT, date(2025, 4, 1), date(2025, 9, 30)))
    assert again.id == req.id
    with pytest.raises(Forbidden):
        supervision.receive_audit_report(p, TEA_CO, req.id, _file(tmp_path, "r.pdf", PDF), "r.pdf", date(2025, 9, 1))
    got = supervision.receive_audit_report(p, CEMENT_CO, req.id, _file(tmp_path, "r.pdf", PDF), "能源审计报告.pdf",
                                           date(2025, 9, 1))
    assert got.report_received_on == date(2025, 9, 1) and got.reports[0].file_name == "能源审计报告.pdf"
    assert [r.id for r in supervision.list_energy_audits(p, CEMENT_CO)] == [req.id]
    assert supervision.list_energy_audits(p, TEA_CO) == []


def test_a_clash_on_the_case_code_is_retried_and_names_are_cleaned(sup_platform, tmp_path, monkeypatch):
    from carbonpeak.services.supervision import cases

    p = sup_platform
    first = _case(p)
    real, calls = cases._next_code, []

    def taken_once(s, year):  # as if a concurrent request had just taken the next code
        calls.append(year)
        return first.code if len(calls) == 1 else real(s, year)
    monkeypatch.setattr(cases, "_next_code", taken_once)
    second = supervision.open_case(p, NDRC, CaseIn(TEA, date(2025, 3, 20), [_findings()[0]], batch="2025-1"))
    assert second.code == "JC-2025-002" and len(calls) == 2 and _count(p, SupervisionCase) == 2
    assert _count(p, SupervisionFinding) == 3  # the failed attempt left nothing behind
    view = supervision.submit(p, CEMENT_CO, first.code, 1, _file(tmp_path, "x.pdf", PDF), "证明\r\n材料.pdf")
    assert view.findings[0].evidence[0].file_name == "证明材料.pdf"
