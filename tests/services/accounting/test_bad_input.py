"""Bad input: a clear message naming file, row and column, and nothing written."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from carbonpeak.domain.accounting import AccountingOptions
from carbonpeak.services.accounting import account_file
from carbonpeak.services.errors import InputRejected
from carbonpeak.services.imports import import_file
from carbonpeak.store.models import ActivityRecord, AuditEntry, ImportBatch

HEADER = "year,region,sector,carrier,quantity,unit\n"
GOOD = "2022,安化县,工业,原煤,1000,吨\n2022,安化县,交通,柴油,50,t\n"


def issues_of(exc: InputRejected):
    return [(i.code, i.row, i.column) for i in exc.issues]


@pytest.mark.parametrize("body,expected", [
    ("2022,安化县,工业,煤炭石,10,吨\n", [("input.unknown_carrier", 4, "carrier")]),
    ("2022,安化县,建筑业,原煤,10,斤\n", [("input.unknown_unit", 4, "unit")]),
    ("2022,安化县,建筑业,原煤,10,万m3\n", [("input.unit_mismatch", 4, "unit")]),
    ("2022,安化县,建筑业,原煤,-5,吨\n", [("input.negative", 4, "quantity")]),
    ("2022,安化县,建筑业,原煤,abc,吨\n", [("input.not_a_number", 4, "quantity")]),
    ("2022,安化县,建筑业,原煤,inf,吨\n", [("input.not_finite", 4, "quantity")]),
    ("2022,安化县,建筑业,原煤,,吨\n", [("input.empty_value", 4, "quantity")]),
    ("二〇二二,安化县,建筑业,原煤,1,吨\n", [("input.bad_year", 4, "year")]),
    ("2022.5,安化县,建筑业,原煤,1,吨\n", [("input.bad_year", 4, "year")]),
    ("2022,安化县,工业,原煤,5,吨\n", [("input.duplicate_row", 4, "carrier")]),
    ("2024,安化县,工业,电力,5,万kWh\n", [("input.no_factor", 4, "year")]),
], ids=["carrier", "unit", "unit-dimension", "negative", "non-numeric", "infinite", "empty", "year-text",
        "year-fraction", "duplicate", "year-without-factor"])  # heat without a factor: test_reference_data.py
def test_rejections_name_file_row_column(ref, write_csv, body, expected):
    path = write_csv("bad.csv", HEADER + GOOD + body)
    with pytest.raises(InputRejected) as e:
        account_file(path, ref, AccountingOptions())
    assert issues_of(e.value) == expected
    msg = e.value.messages("zh")[0]
    assert msg.startswith("bad.csv，第4行，列“" + expected[0][2])
    assert e.value.messages("en")[0].startswith(f"bad.csv, row 4, column '{expected[0][2]}'")


def test_all_issues_are_reported_at_once(ref, write_csv):
    path = write_csv("many.csv", HEADER + "2022,安化县,工业,煤炭石,10,吨\n2022,安化县,工业,原煤,x,吨\n")
    with pytest.raises(InputRejected) as e:
        account_file(path, ref, AccountingOptions())
    assert issues_of(e.value) == [("input.unknown_carrier", 2, "carrier"), ("input.not_a_number", 3, "quantity")]


def test_chinese_headers_and_gb18030(ref, write_csv):
    path = write_csv("gbk.csv", "年份,地区,部门,能源品种,数量,单位\n2022,安化县,工业,原煤,1000,吨\n", encoding="gb18030")
    rep = account_file(path, ref, AccountingOptions())
    assert rep.as_dict()["totals"]["energy_tce"] == pytest.approx(714.3)


@pytest.mark.parametrize("content,code", [
    ("year,region,sector,carrier,quantity\n2022,安化县,工业,原煤,1\n", "input.missing_column"),
    ("year,region,sector,carrier,quantity,unit\n", "input.file_empty"),
    ("year,region,sector,carrier,quantity,unit\n2022,安化县,工业,原煤,1,吨,extra,more\n", "input.file_unreadable"),
])
def test_malformed_files(ref, write_csv, content, code):
    path = write_csv("m.csv", content)
    with pytest.raises(InputRejected) as e:
        account_file(path, ref, AccountingOptions())
    assert e.value.issues[0].code == code
    assert e.value.issues[0].file == "m.csv"


def test_truncated_row_is_named(ref, write_csv):
    path = write_csv("t.csv", HEADER + "2022,安化县,工业,原煤\n")
    with pytest.raises(InputRejected) as e:
        account_file(path, ref, AccountingOptions())
    assert ("input.empty_value", 2, "quantity") in issues_of(e.value)
    assert ("input.empty_value", 2, "unit") in issues_of(e.value)


def test_truncated_xlsx(ref, tmp_path):
    import openpyxl

    good = tmp_path / "g.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["year", "region", "sector", "carrier", "quantity", "unit"])
    wb.active.append([2022, "安化县", "工业", "原煤", 1000, "吨"])
    wb.save(good)
    assert account_file(good, ref, AccountingOptions()).as_dict()["totals"]["energy_tce"] == pytest.approx(714.3)
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    with pytest.raises(InputRejected) as e:
        account_file(cut, ref, AccountingOptions())
    assert e.value.issues[0].code == "input.file_unreadable" and e.value.issues[0].file == "cut.xlsx"


def _count(platform, model):
    with platform.sessions() as s:
        return s.scalar(select(func.count()).select_from(model))


def test_rejected_import_writes_nothing(platform, write_csv):
    ok = write_csv("ok.csv", HEADER + GOOD)
    import_file(platform, ok, "test")
    before = [_count(platform, m) for m in (ActivityRecord, AuditEntry, ImportBatch)]
    # a valid new row followed by a bad one: the valid row must not be written either
    bad = write_csv("bad.csv", HEADER + "2023,安化县,工业,原煤,1,吨\n2023,安化县,工业,原煤,-1,吨\n")
    with pytest.raises(InputRejected):
        import_file(platform, bad, "test")
    assert [_count(platform, m) for m in (ActivityRecord, AuditEntry, ImportBatch)] == before
