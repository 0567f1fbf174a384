"""Input plausibility (issue #12 item 6): values outside a plausible band refuse the file with
file, row and column; year-on-year jumps beyond ×3 / ÷3 are warnings in the import result.

Every expected number below is worked by hand from the rows of the test."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from carbonpeak.domain.findings import Severity
from carbonpeak.domain.plausibility import GDP_INDEX_BAND, JUMP_FACTOR
from carbonpeak.services.errors import InputRejected
from carbonpeak.services.imports import import_file
from carbonpeak.services.tables import read_gdp, read_observations
from carbonpeak.store.models import ActivityRecord, GdpRecord

GDP_HEAD = "年份,地区,地区生产总值,单位,发展速度\n"
ACT_HEAD = "年份,地区,部门,能源品种,数量,单位\n"


def issues_of(exc: InputRejected):
    return [(i.file, i.row, i.column, i.code) for i in exc.issues]


def test_the_stated_bands():
    assert GDP_INDEX_BAND == (80.0, 130.0) and JUMP_FACTOR == 3.0


@pytest.mark.parametrize("index,ok", [("5.0", False), ("79.9", False), ("80", True), ("105", True),
                                      ("130", True), ("130.1", False), ("", True)])
def test_gdp_index_band(write_csv, index, ok):
    """发展速度 5.0 (a growth rate typed where the index belongs) is refused; 80 and 130 are the edges."""
    path = write_csv("gdp.csv", GDP_HEAD + "2023,安化县,300,亿元,104.8\n" + f"2024,安化县,318,亿元,{index}\n")
    if ok:
        assert len(read_gdp(path)) == 2
        return
    with pytest.raises(InputRejected) as e:
        read_gdp(path)
    assert issues_of(e.value) == [("gdp.csv", 3, "index_prev", "input.out_of_band")]
    assert e.value.messages("zh")[0].startswith(f"gdp.csv，第3行，列“index_prev”: {float(index):g}超出合理范围[80, 130]")
    assert "[80, 130]" in e.value.messages("en")[0] and "previous year = 100" in e.value.messages("en")[0]


@pytest.mark.parametrize("gdp,code", [("0", "input.not_positive"), ("-3", "input.negative"),
                                      ("inf", "input.not_finite")])
def test_gdp_level_must_be_positive_and_finite(write_csv, gdp, code):
    path = write_csv("gdp.csv", GDP_HEAD + "2023,安化县,300,亿元,104.8\n" + f"2024,安化县,{gdp},亿元,104.6\n")
    with pytest.raises(InputRejected) as e:
        read_gdp(path)
    assert issues_of(e.value) == [("gdp.csv", 3, "gdp", code)]


def test_share_targets_take_values_in_0_100(write_csv):
    path = write_csv("obs.csv", "目标编号,年份,数值,来源\nT24,2024,76.9,x\nT24,2023,101,x\nT43,2024,240,x\nT42,2024,-1,x\n")
    with pytest.raises(InputRejected) as e:
        read_observations(path, {"T24", "T42", "T43"}, share_targets=frozenset({"T24", "T42"}))
    # T43 (a count of chargers, 240) is not a share; T24 101 % and T42 −1 % are out of [0, 100]
    assert issues_of(e.value) == [("obs.csv", 3, "value", "input.out_of_band"), ("obs.csv", 5, "value", "input.out_of_band")]


def test_activity_quantity_nonnegative_and_finite(write_csv, ref):
    from carbonpeak.domain.accounting import AccountingOptions
    from carbonpeak.services.accounting import account_file

    path = write_csv("a.csv", ACT_HEAD + "2022,安化县,工业,原煤,-1,吨\n2022,安化县,交通,柴油,inf,吨\n")
    with pytest.raises(InputRejected) as e:
        account_file(path, ref, AccountingOptions())
    assert issues_of(e.value) == [("a.csv", 2, "quantity", "input.negative"), ("a.csv", 3, "quantity", "input.not_finite")]


def test_refused_gdp_writes_nothing(platform, write_csv):
    path = write_csv("gdp.csv", GDP_HEAD + "2023,安化县,300,亿元,104.8\n2024,安化县,318,亿元,5.0\n")
    with pytest.raises(InputRejected):
        import_file(platform, path, "test")
    with platform.sessions() as s:
        assert s.scalar(select(func.count()).select_from(GdpRecord)) == 0


def test_jump_within_the_file_is_a_warning_and_the_import_succeeds(platform, write_csv):
    # 原煤 in 工业: 2021 1000 t → 2022 1000 t (×1) → 2023 4000 t (×4 > 3): one warning, at row 4.
    # 柴油 in 交通: 2021 600 t → 2022 200 t (÷3 exactly: not beyond the factor): none.
    path = write_csv("a.csv", ACT_HEAD + "2021,安化县,工业,原煤,1000,吨\n2022,安化县,工业,原煤,1000,吨\n"
                     "2023,安化县,工业,原煤,4000,吨\n2021,安化县,交通,柴油,600,吨\n2022,安化县,交通,柴油,200,吨\n")
    res = import_file(platform, path, "test")
    assert res.inserted == 5
    assert [(f.code, f.severity, f.params["row"], f.params["year_from"], f.params["year_to"], f.params["change"])
            for f in res.findings] == [("import.jump", Severity.WARNING, 4, 2022, 2023, "×4")]
    f = res.as_dict("zh")["findings"][0]
    assert f["message"].startswith("a.csv第4行：活动数据 activity“安化县 / 工业 / 原煤 / 燃料”2022年1000→2023年4000 t，同比×4")
    assert "超过3倍" in f["message"]
    assert "beyond a factor of 3" in res.as_dict("en")["findings"][0]["message"]
    with platform.sessions() as s:
        assert s.scalar(select(func.count()).select_from(ActivityRecord)) == 5


def test_jump_against_stored_data_in_canonical_units(platform, write_csv):
    """Stored 2023: 2 万吨 of 原煤 (= 20000 t). A file of 2024 with 5000 t is ÷4 against it; 2025
    with 6000 t is ×1.2 against the file's own 2024: one warning, naming the stored comparison."""
    import_file(platform, write_csv("old.csv", ACT_HEAD + "2023,安化县,工业,原煤,2,万吨\n"), "test")
    path = write_csv("new.csv", ACT_HEAD + "2024,安化县,工业,原煤,5000,吨\n2025,安化县,工业,原煤,6000,吨\n")
    res = import_file(platform, path, "test", dry_run=True)
    assert [(f.code, f.params["row"], f.params["value_from"], f.params["value_to"], f.params["change"])
            for f in res.findings] == [("import.jump_stored", 2, 20000.0, 5000.0, "÷4")]
    assert "与已存数据相比" in res.as_dict()["findings"][0]["message"]


def test_a_row_the_file_replaces_is_not_compared(platform, write_csv):
    """Stored 2023 = 100 t; the file restates 2023 as 1000 t and gives 2024 = 1100 t: compared with
    the restated value (×1.1), the series does not jump."""
    import_file(platform, write_csv("old.csv", ACT_HEAD + "2023,安化县,工业,原煤,100,吨\n"), "test")
    res = import_file(platform, write_csv("new.csv", ACT_HEAD + "2023,安化县,工业,原煤,1000,吨\n"
                                          "2024,安化县,工业,原煤,1100,吨\n"), "test")
    assert res.updated == 1 and res.inserted == 1 and res.findings == ()


def test_gdp_jump_against_stored(platform, write_csv):
    # stored 2023: 300 亿元 = 3 000 000 万元; file 2024: 1000 亿元 (×3.33 > 3) → a warning
    import_file(platform, write_csv("g1.csv", GDP_HEAD + "2023,安化县,300,亿元,104.8\n"), "test")
    res = import_file(platform, write_csv("g2.csv", GDP_HEAD + "2024,安化县,1000,亿元,104.6\n"), "test")
    assert res.inserted == 1
    assert [(f.code, f.params["key"], f.params["value_from"], f.params["value_to"], f.params["unit"])
            for f in res.findings] == [("import.jump_stored", "安化县", 3_000_000.0, 10_000_000.0, "万元")]


def test_cli_import_shows_the_warnings(platform, settings, write_csv, monkeypatch):
    from typer.testing import CliRunner

    from carbonpeak.cli.main import app

    monkeypatch.setenv("CARBONPEAK_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("CARBONPEAK_HOME", str(settings.home))
    path = write_csv("a.csv", ACT_HEAD + "2022,安化县,工业,原煤,10,吨\n2023,安化县,工业,原煤,100,吨\n")
    res = CliRunner().invoke(app, ["import", str(path), "--format", "json"])
    assert res.exit_code == 0, res.output
    d = json.loads(res.stdout)
    assert d["inserted"] == 2 and [f["code"] for f in d["findings"]] == ["import.jump"]
    assert d["findings"][0]["data"]["change"] == "×10"
    table = CliRunner().invoke(app, ["import", str(path)])  # again: unchanged, the warning still shown
    assert table.exit_code == 0 and "未变 2" in table.stdout and "同比×10" in table.stdout


def test_api_upload_returns_the_warnings(demo_platform, settings):
    from fastapi.testclient import TestClient

    from carbonpeak.services.users import create_user
    from carbonpeak.web.app import create_app

    create_user(demo_platform, "admin", "Anhua-peak-2031", "admin", "test")
    client = TestClient(create_app(settings, demo_platform))
    r = client.post("/api/auth/login", json={"username": "admin", "password": "Anhua-peak-2031"})
    client.headers["X-CSRF-Token"] = r.json()["csrf_token"]
    # the demo stores 2024 GDP 318 亿元; 2025 at 3180 亿元 is ×10
    body = GDP_HEAD + "2025,安化县,3180,亿元,105\n"
    r = client.post("/api/uploads/validate?lang=en", files={"file": ("g.csv", body.encode(), "text/csv")})
    assert r.status_code == 200, r.text
    d = r.json()
    assert d["inserted"] == 1 and [f["code"] for f in d["findings"]] == ["import.jump_stored"]
    assert d["findings"][0]["data"]["change"] == "×10" and "against the stored data" in d["findings"][0]["message"]
