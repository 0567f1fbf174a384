"""One use case, one session (issue #13 item 7): accounting, the sink ledger, the building grades
and the targets computed from the records (services/target_sources, the drill-down's values) read
through store/queries/{accounting,sinks,buildings,target_sources}.py in the session their use case
opened. Counted with SQLAlchemy events on the platform's sessions and engine, on both databases,
on a copy of the shared demo platform with an empty cache (every figure is computed again), in a
read request's scope whose data versions and reference in force were read beforehand (a request
reads them once: tests/web/test_query_count.py)."""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable

from engine_events import recorded

from carbonpeak.services import accounting, buildings, indicators, sinks, versions
from carbonpeak.services.plans import stored_plan
from carbonpeak.services.platform import LRUCache, Platform
from carbonpeak.services.target_sources import MODULES, SourceInput, compute_values, computed_module

YEARS = set(range(2020, 2026))
# the modules whose records are all read by services/target_sources (monitoring's are read through
# the monitoring package, the policy scenario's run through services/scenarios: sessions of their own)
OWN_READS = ("projects", "sinks", "buildings", "supervision")


def _cold(p: Platform) -> Platform:
    """The platform on the same engine and sessions with an empty cache."""
    return dataclasses.replace(p, cache=LRUCache(), _locks={}, _guard=threading.Lock())


def _opened(p: Platform, use_case: Callable[[Platform], object]) -> tuple[int, int]:
    """The sessions that began a transaction and the connections opened while ``use_case`` ran on a
    cold copy of ``p``, in a read request's scope."""
    cold = _cold(p)
    with versions.snapshot():
        assert cold.ref is not None  # the data versions and the reference in force: once per request
        with recorded(cold.sessions, "after_begin", lambda session, *_: session) as sessions, \
                recorded(cold.engine, "engine_connect") as opened:
            use_case(cold)
    return len({id(s) for s in sessions}), len(opened)


def test_the_lines_of_a_year_and_the_plan_grid_they_need_read_in_one_session(demo_ro):
    """A policy stating no grid takes the plan's: read in the session of the rows and the GDP table
    (a connection each before)."""
    region = stored_plan(demo_ro).region
    got = {}
    assert _opened(demo_ro, lambda c: got.update(lines=accounting.stored_lines(c, region, accounting.DEFAULTS,
                                                                               year=2022))) == (1, 1)
    assert set(got["lines"].lines["year"]) == {2022} and len(got["lines"].gdp)


def test_the_inventory_of_a_year_reads_in_one_session(demo_ro):
    """The plan's region and grid, the yearly lines of the indicators and the year's lines in one
    session; the stored plan (its price bases, services/plans.py) in one of its own (five connections
    before)."""
    got = {}
    assert _opened(demo_ro, lambda c: got.update(report=indicators.inventory_report(c, 2022, accounting.DEFAULTS))) \
        == (2, 2)
    report = got["report"]
    assert report.extra["year"] == 2022 and len(report.lines) and report.extra["indicators"]
    assert _opened(demo_ro, lambda c: indicators.indicator_set(c, accounting.DEFAULTS)) == (2, 2)  # 4 before


def test_the_sink_ledger_and_the_building_grades_read_in_one_session(demo_ro):
    land = stored_plan(demo_ro).land_area_km2
    got = {}
    assert _opened(demo_ro, lambda c: got.update(ledger=sinks.stored_ledger(c, land))) == (1, 1)
    assert _opened(demo_ro, lambda c: got.update(grades=buildings.stored_grades(c))) == (1, 1)
    assert got["ledger"]["sink"]["total_tco2_per_year"] and got["grades"].buildings


def test_the_targets_computed_from_the_records_read_in_one_session(demo_ro):
    """The registry and its progress records, the parcels and the ledger, the building register and
    its grades, the supervision records of every target of those modules in every year: one session
    (one per target, register year and supervision year before: 41), with the values the modules
    compute when each read opens a session of its own."""
    plan = stored_plan(demo_ro)
    own = dataclasses.replace(plan, targets=[t for t in plan.targets if computed_module(t) in OWN_READS])
    got = {}
    assert _opened(demo_ro, lambda c: got.update(computed=compute_values(c, own, YEARS))) == (1, 1)
    values = got["computed"].values
    assert {v.module for v in values.values()} == set(OWN_READS) and not got["computed"].findings
    alone = SourceInput(demo_ro, own, tuple(sorted(YEARS)))  # no session: each module reads in its own
    one_by_one = {(t.id, v.year): v for t in own.targets for v in MODULES[computed_module(t)].compute(alone, t)}
    assert one_by_one == values
