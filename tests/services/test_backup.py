"""Backup and restore round trip on SQLite and PostgreSQL: nothing is lost."""

from __future__ import annotations

from sqlalchemy import select

from carbonpeak.services.backup import backup, restore
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


def test_round_trip(demo_platform, tmp_path, write_csv):
    create_user(demo_platform, "admin", "Anhua-peak-2031", "admin", "test")
    update_project(demo_platform, "P04-01", {"status": "completed"}, ADMIN)
    before = snapshot(demo_platform)
    assert sum(len(v) for v in before.values()) > 400
    info = backup(demo_platform, tmp_path / "cp.backup")
    assert info["bytes"] > 0

    # change things after the backup: an import, an edit
    import_file(demo_platform, write_csv("x.csv", "年份,地区,部门,能源品种,数量,单位\n2025,安化县,工业,原煤,1,吨\n"), "test")
    update_project(demo_platform, "P04-02", {"status": "cancelled"}, ADMIN)
    assert snapshot(demo_platform) != before

    restore(demo_platform, tmp_path / "cp.backup")
    after = snapshot(demo_platform)
    del after["data_versions"], before["data_versions"]  # moved past every version seen (services/versions.py)
    assert after == before
    assert next(p for p in list_projects(demo_platform) if p.id == "P04-02").status == "planned"
    with demo_platform.sessions() as s:
        assert not s.scalars(select(ActivityRecord).where(ActivityRecord.year == 2025)).all()
        assert s.scalars(select(AuditEntry)).first() is not None
