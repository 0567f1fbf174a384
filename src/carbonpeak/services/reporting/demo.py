"""The demo's reporting cycle (illustrative, marked so on every row): three obligations of the
plan's reported targets, some periods approved, one awaiting review, one returned with a comment,
and overdue periods, so that a new user sees the cycle at work. Values are those of the demo's
illustrative target values (data/demo/anhua_target_values.csv), not statistics.
Also (demo_more): two key units' monthly 205-1 forms and two projects' yearly progress, the months
counted back from today (a few approved, one awaiting review, the rest overdue).
A second run adds nothing."""

from __future__ import annotations

from dataclasses import dataclass

from ..platform import Platform
from ..users import Principal
from . import demo_more
from .obligations import ObligationIn, add_illustrative
from .submissions import EntryIn, review, save

NOTE = "示例数据（演示用），非统计数据"
# (obligation, target, department, first period): T08 is left unreported, its periods overdue
OBLIGATIONS = (("OBL-T28", "T28", "县农业农村局", "2022"), ("OBL-T45", "T45", "县公安局", "2023"),
               ("OBL-T08", "T08", "县统计局", "2023"))
# (obligation, period, value, what the reviewer did: "approve" | "return" | None = awaiting review)
ENTRIES = (("OBL-T28", "2022", 84.0, "approve"), ("OBL-T28", "2023", 85.5, "approve"),
           ("OBL-T28", "2024", 86.4, None), ("OBL-T45", "2023", 900.0, "approve"),
           ("OBL-T45", "2024", 1400.0, "return"))


@dataclass(frozen=True)
class DemoReporting:
    obligations: int
    entries: int


def load(platform: Platform, actor: str) -> DemoReporting:
    system = Principal(0, actor, "admin", display_name="演示数据")  # the demo acts as an administrator
    added = sum(add_illustrative(platform, actor, ObligationIn(code, target, dept, note=NOTE), first)
                for code, target, dept, first in OBLIGATIONS)
    more = demo_more.load(platform, system)
    if not added:
        return DemoReporting(more.obligations, more.entries)
    entered = 0
    for code, period, value, outcome in ENTRIES:
        sent = save(platform, system, EntryIn(code, period, {"value": value}, note=NOTE), submit=True)
        entered += 1
        if outcome == "approve":
            review(platform, system, sent.id, sent.version, approve=True)
        elif outcome == "return":
            review(platform, system, sent.id, sent.version, approve=False,
                   comment="请附公安交管部门车辆登记统计表（示例）")
    return DemoReporting(added + more.obligations, entered + more.entries)
