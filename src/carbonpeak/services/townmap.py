"""The townships at a glance: a schematic of the plan's townships with, on each, the registry's
projects, the forest sink of the stored inventories and the key energy-using units.

No boundaries: no package on the registry this project installs from ships 乡镇 boundaries of the
county (the offline geocoders there stop at county level), so the page draws a labelled schematic
(one tile per township, in the plan's order), never a made-up geography. The projects come with
their responsible units and evidence (project_details)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from ..store.models_monitoring import KeyUnit
from . import plans, project_progress, registry, sinks
from .errors import NotFound
from .platform import Platform


@dataclass(frozen=True)
class MapUnit:
    uscc: str
    name: str
    category: str
    energy_tce: float
    illustrative: bool


@dataclass(frozen=True)
class Township:
    name: str
    projects: list[dict[str, Any]] = field(default_factory=list)
    sink_tco2_per_year: float | None = None
    forest_ha: float | None = None
    units: list[MapUnit] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.projects or self.units or self.sink_tco2_per_year or self.forest_ha)


@dataclass(frozen=True)
class TownMap:
    townships: list[Township]
    countywide: list[dict[str, Any]]  # projects without a township (county-wide or not yet sited)
    sink_years: tuple[int, int] | None
    unplaced: list[str]  # townships named by data that are not among the plan's


def _sinks(platform: Platform, land_area_km2: float | None) -> tuple[dict[str, tuple[float | None, float]], tuple | None]:
    try:
        ledger = sinks.stored_ledger(platform, land_area_km2)
    except NotFound:
        return {}, None
    last = ledger["inventories"][-1]
    per = {r["township"]: r.get("sink_tco2_per_year") for r in ledger.get("sink", {}).get("by_township", [])}
    out = {r["township"]: (per.get(r["township"]), float(r["area_ha"])) for r in last["by_township"]}
    years = (ledger["sink"]["from"], ledger["sink"]["to"]) if "sink" in ledger else None
    return out, years


def _units(platform: Platform) -> dict[str, list[MapUnit]]:
    with platform.sessions() as s:
        rows = s.scalars(select(KeyUnit).order_by(KeyUnit.annual_energy_tce.desc(), KeyUnit.id)).all()
        out: dict[str, list[MapUnit]] = {}
        for u in rows:
            out.setdefault(u.town or "", []).append(MapUnit(u.uscc, u.name, u.category, u.annual_energy_tce,
                                                            bool(u.illustrative)))
    return out


def _links(plan) -> tuple[dict[str, list[str]], dict[str, list[dict[str, str]]]]:
    """Per project code: the departments of the tasks whose commitments it delivers, and the
    plan's places that name it (the task's commitment, a target it counts for)."""
    units: dict[str, list[str]] = {}
    evidence: dict[str, list[dict[str, str]]] = {}
    for action in plan.actions:
        for task in action.tasks:
            for m in task.milestones:
                for code in m.projects:
                    units.setdefault(code, [])
                    units[code] += [d for d in task.departments if d not in units[code]]
                    evidence.setdefault(code, []).append({"kind": "task", "id": task.id, "clause": m.clause or task.clause,
                                                          "text": m.text})
    for t in plan.targets:
        for code in t.projects:
            evidence.setdefault(code, []).append({"kind": "target", "id": t.id, "clause": t.clause, "text": t.name})
    return units, evidence


def project_details(platform: Platform, plan=None, projects: list[registry.Project] | None = None) -> list[dict[str, Any]]:
    """The registry's projects with what the plan and the progress records say about each:
    ``units`` (responsible units: the departments of the tasks that name the project),
    ``evidence`` (the task commitments and targets naming it), ``progress`` (the yearly progress
    records with their sources, services/project_progress.py) and ``investment`` (万元: the sum of
    the investment those records report; None when none reports one: the plan lists no amounts)."""
    plan = plan or plans.stored_plan(platform)
    rows = registry.list_projects(platform) if projects is None else projects
    units, evidence = _links(plan) if plan is not None else ({}, {})
    progress = project_progress.stored_progress(platform)
    out = []
    for p in rows:
        recs = progress.get(p.id, [])
        amounts = [r.investment_wan for r in recs if r.investment_wan is not None]
        out.append({**p.as_dict(), "units": units.get(p.id, []), "evidence": evidence.get(p.id, []), "progress": recs,
                    "investment": sum(amounts) if amounts else None})
    return out


def town_map(platform: Platform) -> TownMap | None:
    """The schematic's content, per township of the stored plan (None without a plan)."""
    plan = plans.stored_plan(platform)
    if plan is None:
        return None
    projects = project_details(platform, plan)
    sink_of, years = _sinks(platform, plan.land_area_km2)
    units = _units(platform)
    towns = [Township(name=t, projects=[p for p in projects if p["town"] == t],
                      sink_tco2_per_year=sink_of.get(t, (None, None))[0], forest_ha=sink_of.get(t, (None, None))[1],
                      units=units.get(t, [])) for t in plan.townships]
    known = set(plan.townships)
    named = {p["town"] for p in projects if p["town"]} | set(sink_of) | {k for k in units if k}
    return TownMap(towns, [p for p in projects if not p["town"]], years, sorted(named - known))
