"""A year (2024) of illustrative supervision records for the demo, marked as such (示例数据).

Fictitious batches, cases, decisions, evidence, an energy audit and clean-production audits on the
demo's registry units; they go through the same services as real records (checked, audited).
Running it again changes nothing. Planted: an undecided case (never public), a decided case not
yet published (T18 below 100 %), a violation not yet closed (T19 below 100 %), a rejected
rectification, an energy-audit report received, audits at different stages.
"""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path
from typing import Any

from ...domain.supervision import AUDIT_STAGES
from ..platform import Platform
from ..users import Principal
from . import audits, cases, evidence, plan
from .audits import CleanAuditIn, EnergyAuditIn
from .cases import CaseIn, DecisionIn, FindingIn

CEMENT, MANGANESE, ANTIMONY, MATERIALS, TEA = ("91430923000000001N", "91430923000000002R", "91430923000000003W",
                                               "914309230000000040", "914309230000000053")
NOTE = "示例数据：虚构的监察记录，仅用于演示"
PDF = "%PDF-1.4\n% 示例数据：虚构的整改材料\n%%EOF\n".encode()
BATCHES = (("2024-1", "2024年第一批节能监察（示例）", "县发展和改革局", date(2024, 3, 1), date(2024, 6, 30),
            [CEMENT, MANGANESE, ANTIMONY]),
           ("2024-2", "2024年第二批节能监察（示例）", "县市场监督管理局", date(2024, 8, 1), date(2024, 11, 30), [MATERIALS, TEA]))


def _f(item: str, severity: str, text: str, fix: str, deadline: date) -> FindingIn:
    return FindingIn(item, text, severity, fix, deadline)


# case: (uscc, batch, department, inspected, findings, decision, published, reviews, closed)
CASES: tuple[tuple, ...] = (
    (CEMENT, "2024-1", "县发展和改革局", date(2024, 3, 18),
     [_f("metering", "general", "部分主要用能设备未按 GB 17167 配备二级计量器具", "配齐并检定计量器具", date(2024, 6, 30))],
     DecisionIn(date(2024, 4, 8), "责令限期改正（示例）", None, False), date(2024, 4, 10), [True], date(2024, 7, 15)),
    (MANGANESE, "2024-1", "县发展和改革局", date(2024, 4, 9),
     [_f("unit_product_energy", "serious", "电解金属锰单位产品综合能耗超过限额限定值", "实施节能改造并报送能源审计报告",
         date(2024, 12, 31)),
      _f("energy_management", "general", "未按规定设立能源管理岗位", "设立能源管理岗位并报备", date(2024, 6, 30))],
     DecisionIn(date(2024, 5, 6), "责令限期整改，罚款并记入信用记录（示例）", 50000.0, True, "differentiated"),
     date(2024, 5, 8), [True, False], None),
    (ANTIMONY, "2024-1", "县发展和改革局", date(2024, 5, 21),
     [_f("energy_management", "advice", "能源统计台账不够完整", "完善能源统计台账", date(2024, 8, 31))],
     DecisionIn(date(2024, 6, 3), "提出改进建议，无违法行为（示例）", None, False), date(2024, 6, 5), [True],
     date(2024, 9, 10)),
    (MATERIALS, "2024-2", "县市场监督管理局", date(2024, 9, 12),
     [_f("eliminated_equipment", "general", "仍在使用国家明令淘汰的电机", "停止使用并更换高效电机", date(2025, 3, 31))],
     None, None, [], None),
    (TEA, "2024-2", "县市场监督管理局", date(2024, 10, 15),
     [_f("metering", "advice", "计量器具检定标识不清", "补贴检定标识", date(2024, 12, 31))],
     DecisionIn(date(2024, 12, 20), "无违法行为，提出改进建议（示例）", None, False), None, [], None),
)
# clean-production audits: (uscc, group, listed year, listed on, stages reached with dates)
CLEAN = ((CEMENT, "building_materials", 2023, date(2023, 4, 1),
          [date(2023, 6, 1), date(2023, 12, 1), date(2024, 5, 20), date(2024, 10, 18)]),
         (MATERIALS, "building_materials", 2024, date(2024, 3, 15), [date(2024, 6, 1), date(2024, 12, 10)]),
         (MANGANESE, "mining", 2024, date(2024, 3, 15), [date(2024, 7, 1)]),
         (ANTIMONY, "mining", 2024, date(2024, 3, 15), [date(2024, 5, 1), date(2024, 9, 1), date(2024, 12, 5)]),
         (TEA, "food", 2024, date(2024, 3, 15), []))


def load(platform: Platform, actor: str) -> dict[str, Any]:
    """Store the illustrative records through the services (idempotent)."""
    who = Principal(0, actor, "admin")
    with tempfile.TemporaryDirectory() as tmp:
        proof = Path(tmp) / "整改材料（示例）.pdf"
        proof.write_bytes(PDF)
        for code, name, dept, start, end, units in BATCHES:
            plan.create_batch(platform, who, plan.BatchIn(code, 2024, name, dept, start, end, units, NOTE, True))
        codes = [_case(platform, who, proof, c) for c in CASES]
        req = audits.request_energy_audit(platform, who, EnergyAuditIn(
            MANGANESE, date(2024, 5, 6), date(2024, 11, 30), "单位产品能耗超限额，要求开展能源审计（示例）", codes[1],
            "县发展和改革局", True))
        if req.report_received_on is None:
            audits.receive_audit_report(platform, who, req.id, proof, "能源审计报告（示例）.pdf", date(2024, 11, 20))
        for uscc, group, year, listed_on, reached in CLEAN:
            a = audits.list_clean_audit(platform, who, CleanAuditIn(uscc, group, year, listed_on, True, NOTE, True))
            done = AUDIT_STAGES.index(a.stage)
            for i, on in enumerate(reached, start=1):
                if i > done:
                    audits.advance_stage(platform, who, a.id, AUDIT_STAGES[i], on,
                                         proof if i == len(AUDIT_STAGES) - 1 else None, "验收意见（示例）.pdf")
    return {"batches": len(BATCHES), "cases": codes, "clean_audits": len(CLEAN), "illustrative": True}


def _case(platform: Platform, who: Principal, proof: Path, spec: tuple) -> str:
    uscc, batch, dept, inspected, findings, decision, published, reviews, closed = spec
    c = cases.open_case(platform, who, CaseIn(uscc, inspected, findings, dept, batch, "示例检查组", NOTE, True))
    if decision is not None:
        c = cases.decide(platform, who, c.code, decision)
    if published is not None:
        c = cases.publish(platform, who, c.code, published)
    for n, accept in enumerate(reviews, start=1):
        if c.findings[n - 1].status == "demanded":
            c = evidence.submit(platform, who, c.code, n, proof, "整改材料（示例）.pdf")
        if c.findings[n - 1].status == "submitted":
            c = evidence.review(platform, who, c.code, n, accept, decision.decided_on,
                                "" if accept else "整改材料不能证明已完成改造（示例）")
    if closed is not None:
        c = cases.close(platform, who, c.code, closed, "" if all(reviews) else "未整改问题已移送处罚（示例）")
    return c.code
