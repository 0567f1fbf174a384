"""Typed tracking results (issue #13 item 2): the barometer, its rows and sources, and the
trajectories are frozen dataclasses (services/tracking_results.py) that are also the API's
response schemas; the JSON the API writes is their fields, so the dataclass, the schema and the
document cannot drift apart. An assessment frozen before they were typed (its barometer a
mapping) still renders."""

from __future__ import annotations

import dataclasses
import json

import pytest
from fastapi.testclient import TestClient
from pydantic import TypeAdapter, ValidationError

from carbonpeak.services import serialize, views
from carbonpeak.services.tracking_results import (
    Barometer,
    BarometerRow,
    CarbonBarometerRow,
    CarbonSource,
    EnteredSource,
    InventorySource,
    ModuleSource,
    Trajectory,
    TranslatedTrajectoryTarget,
    barometer_of,
)
from carbonpeak.web.app import create_app


def test_barometer_is_typed_and_is_what_the_api_writes(sqlite_demo_ro):
    bar = views.barometer(sqlite_demo_ro, 2024)
    assert isinstance(bar, Barometer) and all(isinstance(r, BarometerRow) for r in bar.targets)
    kinds = {type(r.source) for r in bar.targets if r.source is not None}
    assert {InventorySource, ModuleSource, EnteredSource, CarbonSource} <= kinds  # the demo has every shape
    carbon_rows = [r for r in bar.targets if isinstance(r, CarbonBarometerRow)]
    assert carbon_rows and all(r.data_source == "computed:carbon" and r.basis for r in carbon_rows)
    with pytest.raises(dataclasses.FrozenInstanceError):
        bar.targets[0].light = "green"  # type: ignore[misc]
    api = TestClient(create_app(sqlite_demo_ro.settings, sqlite_demo_ro)).get("/api/targets", params={"year": 2024})
    assert api.status_code == 200
    doc = api.json()
    assert doc == json.loads(serialize.dumps(dataclasses.asdict(bar)))
    # each shape keeps its own keys: a carbon row has basis and scope, an entered value no qualifier
    rows = {r["id"]: r for r in doc["targets"]}
    for r in bar.targets:
        assert set(rows[r.id]) == {f.name for f in dataclasses.fields(r)}
        if r.source is not None:
            assert set(rows[r.id]["source"]) == {f.name for f in dataclasses.fields(r.source)}
    assert {"basis", "scope"} <= set(rows[carbon_rows[0].id]) and "basis" not in rows[bar.targets[0].id]
    # the schema is the document: the answer validates, a key it does not name is refused
    TypeAdapter(Barometer).validate_python(doc)
    doc["targets"][0]["extra"] = 1
    with pytest.raises(ValidationError):
        TypeAdapter(Barometer).validate_python(doc)


def test_a_mapping_barometer_revives_as_the_same_result(sqlite_demo_ro):
    """The document of a barometer (what a frozen assessment kept before the barometer was typed)
    gives back an equal result, each row and source in its own shape."""
    bar = views.barometer(sqlite_demo_ro, 2024, "en")
    back = barometer_of(json.loads(serialize.dumps(bar)))
    assert [type(r) for r in back.targets] == [type(r) for r in bar.targets]
    assert [type(r.source) for r in back.targets] == [type(r.source) for r in bar.targets]
    assert json.loads(serialize.dumps(back)) == json.loads(serialize.dumps(bar))


def test_trajectory_is_typed_and_translated_with_the_plans_note(sqlite_demo_ro):
    zh = views.target_trajectory(sqlite_demo_ro, "T02")
    en = views.target_trajectory(sqlite_demo_ro, "T02", "en")
    assert isinstance(zh, Trajectory) and zh.points and zh.path
    assert isinstance(en.target, TranslatedTrajectoryTarget) and en.target.name != zh.target.name
    assert "note" not in dataclasses.asdict(zh.target) and "note" in dataclasses.asdict(en.target)
    doc = TestClient(create_app(sqlite_demo_ro.settings, sqlite_demo_ro)).get(
        "/api/targets/T02/trajectory", params={"lang": "en"}).json()
    assert doc == json.loads(serialize.dumps(en))
    TypeAdapter(Trajectory).validate_python(doc)
