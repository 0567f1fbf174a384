"""The annual report's supervision section and the dispatch report's overdue rectifications come
from the supervision records, the same figures as the public page (one figure, one computation)."""

from __future__ import annotations

from datetime import date

from docx import Document

from carbonpeak.services import reports, supervision
from carbonpeak.services.report_files import write_report
from carbonpeak.services.reports import tables


def test_report_supervision_section_is_the_public_view(sqlite_demo_ro, tmp_path) -> None:
    p = sqlite_demo_ro
    a = reports.assessment(p, 2024, "zh")
    view = supervision.public_view(p, 2024, "zh")
    assert a.supervision == view and view.inspections > 0
    headers, rows, _ = tables.supervision(a)
    values = {r[0].split(" ")[0]: r[1] for r in rows}
    for c in view.indicators:
        assert values[c.target] == c.value
    names = [r[0] for r in tables.violators(a)[1]]
    assert names == [c.unit_name for c in view.violators]
    docx = write_report(p, 2024, tmp_path, "zh", formats=("docx",))["docx"]
    text = "\n".join(par.text for par in Document(docx).paragraphs)
    assert "六、节能监察" in text and "违法用能单位名单" in text
    cells = {c.text for t in Document(docx).tables for row in t.rows for c in row.cells}
    assert {c.unit_name for c in view.violators} <= cells


def test_dispatch_counts_overdue_rectifications(sqlite_demo_ro) -> None:
    p = sqlite_demo_ro
    as_of = min(date(2024, 12, 31), date.today())
    d = reports.dispatch(p, date(2024, 1, 1), date(2024, 12, 31), "department", "zh")
    overdue = {o.department: o.overdue for o in supervision.overdue_by_department(p, as_of)}
    assert overdue, "the demo has an open violation past its rectification deadline"
    got = {r["name"]: r["rectifications_overdue"] for r in d["rows"]}
    for dept, n in overdue.items():
        assert got[dept] == n
    assert all(got[name] == 0 for name in got if name not in overdue)
    assert "整改逾期" in d["rule"]
    by_town = reports.dispatch(p, date(2024, 1, 1), date(2024, 12, 31), "township", "zh")
    assert all("rectifications_overdue" not in r for r in by_town["rows"])
