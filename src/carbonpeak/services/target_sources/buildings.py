"""Targets answered by the building register and the building retrofit projects (T36–T40).

* T36 public-building retrofit area, T37 existing residential retrofit area (old residential
  communities included: 老旧小区属既有居住建筑), T39 renewable-building area (cumulative): the
  retrofit and renewable-building projects in service (the project rule of projects.py);
* T40 old-community retrofit area per year: the projects commissioned in the year;
* T38 energy-efficient share: of the registered buildings' floor area in a register year, the share
  whose energy use intensity is at or below the GB/T 51161-2016 constraint value of its type (the
  grading of services/buildings.py). A stated proxy: the register holds public buildings, the
  target speaks of all existing civil buildings in towns, and "节能建筑" is a design standard;
  the share is shown as what the register can say, beside the reported value.
"""

from __future__ import annotations

from ...domain.plan import Target
from ...store.queries import target_sources as q
from .. import buildings
from ..buildings import BuildingGrades
from . import ComputedValue, SourceInput, SourceModule, SourceRecord, register
from .projects import ProjectRule, rule_values

PROJECT_RULES = {
    "public_building_retrofit_area": ProjectRule(("public_building_retrofit",), ("公共建筑节能改造", "public-building retrofit")),
    "residential_retrofit_area": ProjectRule(("residential_retrofit", "building_retrofit"),
                                             ("既有居住建筑节能改造", "residential retrofit")),
    "renewable_building_area": ProjectRule(("renewable_building",), ("可再生能源建筑应用", "renewable-energy building")),
    "old_community_retrofit_area_per_year": ProjectRule(("building_retrofit",), ("老旧小区节能改造", "old-community retrofit"),
                                                        per_year=True),
}


def _efficient_share(inp: SourceInput, t: Target) -> list[ComputedValue]:
    with inp.reading() as s:
        return [_share(t, year, buildings.stored_grades_in(s, inp.platform, year)) for year in q.building_years(s)]


def _share(t: Target, year: int, g: BuildingGrades) -> ComputedValue:
    """T38 in a register year, from that year's grades ``g``."""
    recs = tuple(SourceRecord("building", b.building_id, b.name or b.building_id, float(b.floor_area_m2),
                              "m2", not b.over_constraint, year, "", b.building_class,
                              note="within_constraint" if not b.over_constraint else "over_constraint",
                              illustrative=g.illustrative)
                 for b in g.buildings)
    area = sum(r.value or 0.0 for r in recs)
    within = sum(r.value or 0.0 for r in recs if r.counted)
    return ComputedValue(t.id, year, within / area * 100.0 if area else None, t.unit, "buildings",
                         "source.rule.building_share", {"year": year, "buildings": len(recs)}, recs,
                         {"within_m2": within, "floor_area_m2": area}, illustrative=g.illustrative)


def _compute(inp: SourceInput, t: Target) -> list[ComputedValue]:
    if t.indicator == "energy_efficient_building_share":
        return _efficient_share(inp, t)
    return rule_values(inp, t, PROJECT_RULES[t.indicator], "buildings")


register(SourceModule("buildings", frozenset({"energy_efficient_building_share", *PROJECT_RULES}), _compute))
