"""Backup and restore round trip on SQLite and PostgreSQL: nothing is lost."""

from __future__ import annotations

from sqlalchemy import select

from carbonpeak.services.backup import backup, restore
from carbonpeak.services.demo import run_demo
from carbonpeak.services.imports import import_file
from carbonpeak.services.registry import list_projects, update_project
from carbonpeak.services.users import Principal, create_user
from carbonpeak.store.models import ActivityRecord, AuditEntry, Base

ADMIN = Principal(1, "admin", "admin")


def snapshot(platform) -> dict:
    """Every row of every table, as plain tuples, ordered by primary key."""
    out = {}
    with platform.sessions() as s:
        for table in Base.metadata.sorted_tables:
            rows = s.execute(select(table).order_by(*table.primary_key.columns)).all()
            out[table.name] = [tuple(r) for r in rows]
    return out


def test_round_trip(platform, tmp_path, write_csv):
    run_demo(platform, "test")
    create_user(platform, "admin", "Anhua-peak-2031", "admin", "test")
    update_project(platform, "P04-01", {"status": "completed"}, ADMIN)
    before = snapshot(platform)
    assert sum(len(v) for v in before.values()) > 400
    info = backup(platform, tmp_path / "cp.backup")
    assert info["bytes"] > 0

    # change things after the backup: an import, an edit
    import_file(platform, write_csv("x.csv", "年份,地区,部门,能源品种,数量,单位\n2025,安化县,工业,原煤,1,吨\n"), "test")
    update_project(platform, "P04-02", {"status": "cancelled"}, ADMIN)
    assert snapshot(platform) != before

    restore(platform, tmp_path / "cp.backup")
    after = snapshot(platform)
    del after["data_versions"], before["data_versions"]  # moved past every version seen (services/versions.py)
    assert after == before
    assert next(p for p in list_projects(platform) if p["id"] == "P04-02")["status"] == "planned"
    with platform.sessions() as s:
        assert not s.scalars(select(ActivityRecord).where(ActivityRecord.year == 2025)).all()
        assert s.scalars(select(AuditEntry)).first() is not None
