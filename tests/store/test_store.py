"""The store on SQLite and PostgreSQL: migrations, idempotent imports, audit trail, plans."""

from __future__ import annotations

import dataclasses

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, select

from carbonpeak.services.imports import import_file
from carbonpeak.services.plans import bundled_plan_path, read_plan, store_plan, stored_plan
from carbonpeak.store.models import ActivityRecord, AuditEntry, Base, GdpRecord, ImportBatch, ProjectRow, TaskRow

HEADER = "年份,地区,部门,能源品种,数量,单位,来源\n"


def count(platform, model) -> int:
    with platform.sessions() as s:
        return s.scalar(select(func.count()).select_from(model))


def test_migrations_match_models(platform):
    with platform.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []


def test_import_twice_changes_nothing(platform, write_csv):
    path = write_csv("a.csv", HEADER + "2022,安化县,工业,原煤,1000,吨,统计局\n2022,安化县,交通,柴油,50,t,统计局\n")
    first = import_file(platform, path, "alice")
    assert (first.inserted, first.updated, first.unchanged) == (2, 0, 0)
    snapshot = [count(platform, m) for m in (ActivityRecord, AuditEntry, ImportBatch)]
    second = import_file(platform, path, "alice")
    assert (second.inserted, second.updated, second.unchanged, second.batch_id) == (0, 0, 2, None)
    assert [count(platform, m) for m in (ActivityRecord, AuditEntry, ImportBatch)] == snapshot


def test_changed_value_is_updated_with_before_and_after(platform, write_csv):
    import_file(platform, write_csv("a.csv", HEADER + "2022,安化县,工业,原煤,1000,吨,v1\n"), "alice")
    res = import_file(platform, write_csv("b.csv", HEADER + "2022,安化县,工业,原煤,1200,吨,v2\n"), "bob")
    assert (res.inserted, res.updated) == (0, 1)
    assert count(platform, ActivityRecord) == 1
    with platform.sessions() as s:
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "update")).one()
        rec = s.scalars(select(ActivityRecord)).one()
    assert entry.actor == "bob" and entry.entity == "activity_records"
    assert entry.before["quantity"] == 1000 and entry.after["quantity"] == 1200
    assert entry.before["source"] == "v1" and entry.after["source"] == "v2"
    assert rec.quantity == 1200 and rec.batch_id is not None


def test_same_quantity_in_another_unit_is_a_change_of_record(platform, write_csv):
    # 1 万吨 and 10000 吨 are the same amount but a different record as typed: kept as typed.
    import_file(platform, write_csv("a.csv", HEADER + "2022,安化县,工业,原煤,1,万吨,x\n"), "a")
    res = import_file(platform, write_csv("b.csv", HEADER + "2022,安化县,工业,原煤,10000,吨,x\n"), "a")
    assert res.updated == 1 and count(platform, ActivityRecord) == 1


def test_gdp_import(platform, write_csv):
    path = write_csv("g.csv", "年份,地区,地区生产总值,单位,发展速度,来源\n2020,安化县,240,亿元,,x\n2021,安化县,263.5,亿元,107.5,y\n")
    res = import_file(platform, path, "a")
    assert res.kind == "gdp" and res.inserted == 2
    with platform.sessions() as s:
        rows = s.scalars(select(GdpRecord).order_by(GdpRecord.year)).all()
    assert [r.gdp_current for r in rows] == [2400000.0, 2635000.0]  # 10^4 yuan
    assert rows[0].index_prev is None and rows[1].index_prev == 107.5


def test_plan_store_is_idempotent_and_keeps_user_status(platform):
    plan, sha = read_plan(bundled_plan_path())
    first = store_plan(platform, plan, sha, "bundled", "a")
    assert (first.plan, first.changed, first.created) == (plan.code, True, True)
    again = store_plan(platform, plan, sha, "bundled", "a")
    assert (again.changed, again.created) == (False, False)
    with platform.sessions.begin() as s:
        s.scalars(select(ProjectRow).where(ProjectRow.code == "P04-01")).one().status = "completed"
        s.scalars(select(TaskRow).where(TaskRow.code == "A02.1")).one().status = "in_progress"
    # a new edition of the plan file: renamed project, one project removed
    edited = dataclasses.replace(plan, projects=[dataclasses.replace(p, name=p.name + "（修订）") if p.id == "P04-01" else p
                                                 for p in plan.projects if p.id != "P20-06"])
    edit = store_plan(platform, edited, "f" * 64, "edited", "a")
    assert (edit.changed, edit.created) == (True, False)
    with platform.sessions() as s:
        p = s.scalars(select(ProjectRow).where(ProjectRow.code == "P04-01")).one()
        t = s.scalars(select(TaskRow).where(TaskRow.code == "A02.1")).one()
        assert p.status == "completed" and p.name.endswith("（修订）")
        assert t.status == "in_progress"
        assert s.scalar(select(func.count()).select_from(ProjectRow)) == len(plan.projects) - 1


def test_stored_plan_round_trips(platform):
    plan, sha = read_plan(bundled_plan_path())
    store_plan(platform, plan, sha, "bundled", "a")
    back = stored_plan(platform)
    assert back.targets == plan.targets
    assert back.actions == plan.actions
    assert back.projects == plan.projects
    assert back.groups == plan.groups and back.list_comparisons == plan.list_comparisons
    assert back.default_base_year == 2020
