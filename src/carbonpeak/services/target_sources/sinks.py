"""Targets answered by the sink ledger (碳汇一本账) and the carbon-sink projects.

* T24 forest cover: the forest land (乔木林地, 竹林地, 特殊灌木林地, 国家特别规定灌木林地) of each stored
  forest inventory over the county's land area (plan data ``land_area_km2`` with its
  ``land_area_source``), × 100; one value per inventory year, drill-down by township and land type.
* T21–T23 carbon-sink project area: the registry's carbon-sink projects in service (the project
  rule of services/target_sources/projects.py) in ha; T22 counts the bamboo projects
  (type ``carbon_sink_bamboo``), T23 the arbor ones (``carbon_sink_arbor``), T21 both and the
  projects typed only ``carbon_sink``. A project whose progress states its annual removal (tCO2/a)
  instead of its area counts ``removal ÷ the ledger's net sink per hectare`` ha: for arbor the
  stock-difference sink of the last two inventories per hectare of their stock-based parcels, for
  bamboo the 竹林 area class's net removal per hectare, for a project typed only ``carbon_sink`` the
  ledger's whole sink per hectare; without two inventories (or the class's parameters) it is not
  converted and not counted (said in the drill-down).
"""

from __future__ import annotations

from ...domain.plan import Target
from ...domain.sinks import forest_cover
from ...store.queries import target_sources as q
from .. import project_progress
from ..errors import InputRejected, NotFound
from ..registry import Project
from ..sinks import FOREST_LAND_TYPES, stored_ledger_in
from . import ComputedValue, SourceInput, SourceModule, SourceRecord, register
from .projects import ProjectRule, rule_values

SINK_PROJECTS = {
    "carbon_sink_project_area": ProjectRule(("carbon_sink", "carbon_sink_bamboo", "carbon_sink_arbor"),
                                            ("林业碳汇", "forest carbon-sink")),
    "carbon_sink_project_area_bamboo": ProjectRule(("carbon_sink_bamboo",), ("竹林碳汇", "bamboo carbon-sink")),
    "carbon_sink_project_area_arbor": ProjectRule(("carbon_sink_arbor",), ("乔木林碳汇", "arbor carbon-sink")),
}


def _forest_cover(inp: SourceInput, t: Target) -> list[ComputedValue]:
    land = inp.plan.land_area_km2
    with inp.reading() as s:
        rows = q.parcel_areas(s)
    if not rows:
        raise NotFound("no forest inventory stored")
    out = []
    for year in sorted({r[0] for r in rows}):
        recs = tuple(SourceRecord("parcels", f"{r[1]}/{r[2] or '—'}", f"{r[1]} {r[2] or '—'}（{r[4]}个小班）",
                                  float(r[3] or 0.0), "ha", r[2] in FOREST_LAND_TYPES, year, type=r[2] or "",
                                  town=r[1], illustrative=bool(r[5])) for r in rows if r[0] == year)
        forest = sum(r.value or 0.0 for r in recs if r.counted)
        value = forest_cover(forest, land) if land else None
        params = {"year": year, "land": f"{land:g}" if land else "—", "land_source": inp.plan.land_area_source or "—",
                  "land_types": "、".join(FOREST_LAND_TYPES)}
        out.append(ComputedValue(t.id, year, value, t.unit, "sinks",
                                 "source.rule.forest_cover" if land else "source.rule.no_land_area", params, recs,
                                 {"forest_area_ha": forest, "land_area_km2": land},
                                 illustrative=any(r.illustrative for r in recs)))
    return out


def sink_per_ha(inp: SourceInput) -> tuple[dict[str, float], str]:
    """The ledger's net annual sink per hectare [tCO2/(ha·a)] by carbon-sink project type, and the
    inventories it comes from ("" when the ledger holds fewer than two)."""
    try:
        with inp.reading() as s:
            led = stored_ledger_in(s, inp.platform, inp.plan.land_area_km2)
    except (NotFound, InputRejected):
        return {}, ""
    sink = led.get("sink")
    if not sink:
        return {}, ""
    latest = led["inventories"][-1]
    out, stocked = {}, latest["area_ha"]
    if stocked and sink.get("total_tco2_per_year") is not None:
        out["carbon_sink_arbor"] = sink["total_tco2_per_year"] / stocked
    classes = [c for c in latest.get("area_classes", []) if c["net_tco2_per_year"] is not None and c["area_ha"]]
    bamboo = next((c for c in classes if c["class"] == "竹林"), None)
    if bamboo:
        out["carbon_sink_bamboo"] = bamboo["net_tco2_per_year"] / bamboo["area_ha"]
    area = stocked + sum(c["area_ha"] for c in classes)
    if area and sink.get("total_tco2_per_year") is not None:
        out["carbon_sink"] = (sink["total_tco2_per_year"] + sum(c["net_tco2_per_year"] for c in classes)) / area
    return out, f"{sink['from']}–{sink['to']}"


def _rates_text(rates: dict[str, float], span: str) -> tuple[str, str]:
    if not rates:
        return "—（碳汇一本账不足两期调查，不能折算）", "— (the ledger holds fewer than two inventories: not converted)"
    names = {"carbon_sink_arbor": ("乔木林", "arbor"), "carbon_sink_bamboo": ("竹林", "bamboo"),
             "carbon_sink": ("全部林地", "all forest land")}
    zh = "、".join(f"{names[k][0]} {v:.3g}" for k, v in rates.items())
    en = ", ".join(f"{names[k][1]} {v:.3g}" for k, v in rates.items())
    return f"{zh} 吨二氧化碳/（公顷·年）（{span}年两期调查）", f"{en} tCO2/(ha·a) ({span} inventories)"


def _project_area(inp: SourceInput, t: Target) -> list[ComputedValue]:
    """T21–T23: the project rule in ha; removals stated in tCO2/a converted by the ledger's sink per ha."""
    progress = inp.once("progress", project_progress.stored_progress_in)
    stated = any(project_progress.is_sink_unit(r.unit) for rows in progress.values() for r in rows)
    rates, span = sink_per_ha(inp) if stated else ({}, "")

    def convert(quantity: float, unit: str, p: Project) -> tuple[float, str] | None:
        rate = rates.get(p.type) or rates.get("carbon_sink")
        if not project_progress.is_sink_unit(unit) or not rate or rate <= 0:
            return None
        return quantity / rate, "sink_converted"
    zh, en = _rates_text(rates, span)
    out = rule_values(inp, t, SINK_PROJECTS[t.indicator], "sinks", convert, "source.rule.sink_projects",
                      {"rates_zh": zh, "rates_en": en})
    for v in out:
        v.inputs.update({f"sink_tco2_per_ha:{k}": r for k, r in rates.items()})
    return out


def _compute(inp: SourceInput, t: Target) -> list[ComputedValue]:
    if t.indicator == "forest_cover":
        return _forest_cover(inp, t)
    return _project_area(inp, t)


register(SourceModule("sinks", frozenset({"forest_cover", *SINK_PROJECTS}), _compute))
