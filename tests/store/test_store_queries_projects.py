"""The registry's and the county factor values' queries (store/queries/projects.py, factors.py),
on the demo of both databases (read only)."""

from __future__ import annotations

import pytest

from carbonpeak.store.queries import factors, projects


def test_projects_filter_by_the_named_columns_only(demo_ro):
    with demo_ro.sessions() as s:
        every = projects.projects(s)
        pv = projects.projects(s, type="pv")
        assert every and pv and {p.type for p in pv} == {"pv"}
        assert [p.id for p in every] == sorted(p.id for p in every)  # registry order
        assert [p.code for p in pv] == [p.code for p in every if p.type == "pv"]
        with pytest.raises(ValueError):
            projects.projects(s, name="x")  # not a filter: never a column chosen by a caller's text
        assert projects.project_coded(s, every[0].code).id == every[0].id and projects.project_coded(s, "none") is None
        tasks = projects.tasks_with_actions(s)
        assert tasks and projects.task_with_action(s, tasks[0][0].code) == tasks[0]
        assert projects.plan_row(s, None).code == projects.plan_row(s, projects.plan_row(s, None).code).code
        by_code = projects.progress_by_code(s)
        ids = {r.project_id for _, r in by_code}
        assert len(projects.progress_of(s, ids)) == len(by_code) and projects.progress_of(s, []) == []
        assert factors.last_revision(s) >= 0
        assert all(o.kind == "building_quota" for o in factors.overrides(s, "building_quota"))
