"""A spec's levers: the plan's projects from the registry as measures, and the drivers, energy,
electricity and switching levers of the spec (and of its parent)."""

from __future__ import annotations

from ...domain.findings import InputIssue
from ...domain.messages import said
from ...domain.projection import GROUPS, KWH_PER_TCE, Addition, BaseState, Demand, Dist, Levers, Switch
from ..errors import InputRejected
from ..platform import Platform
from ..registry import Project, list_projects
from .base import CAPACITY_KW
from .specs import ScenarioSpec, _dist


def _online(p: Project, m: dict, base_year: int) -> int | None:
    """A registry project's online year under the spec's rules; None when cancelled.
    Actual year if recorded, else a per-project override of the spec, else the planned year, else
    ``undated_year``; ``delayed`` without an actual year comes ``delay_years`` later."""
    if p.status == "cancelled":
        return None
    if _programme(p):  # a yearly programme is modelled by its plan: its progress rows do not end it
        return int(m.get("online", {}).get(p.id) or p.year or int(m.get("undated_year", base_year + 3)))
    online = p.actual_year or m.get("online", {}).get(p.id) or p.year or int(m.get("undated_year", base_year + 3))
    if p.status == "delayed" and not p.actual_year:
        online += int(m.get("delay_years", 2))
    return int(online)


def _programme(p: Project) -> bool:
    """A yearly programme (its size per year, e.g. 50万m²/年): progress records count its yearly
    quantities, they do not make it a finished plant."""
    return (p.capacity_unit or "").endswith("/年")


def registry_measures(platform: Platform, spec: dict, base_year: int, file: str = "spec"
                      ) -> tuple[list[Addition], list[Demand], list[dict], dict[str, int | None]]:
    """Projects of the registry as measures, by type as the spec says (``measures.registry``):
    ``generation`` (capacity × full-load hours), ``storage`` (net consumption: capacity × hours ×
    (1/efficiency − 1)), ``demand`` / ``saving`` (per_unit × capacity tce per year, savings
    negative, optionally cumulative). Also returns every project's online year, for switches that
    a project enables (``enabled_by``)."""
    m = spec.get("measures", {}).get("registry", {})
    projects = list_projects(platform)
    onlines = {p.id: _online(p, m, base_year) for p in projects}
    if not m.get("enabled", False):
        return [], [], [], onlines
    types = m.get("types", {})
    additions, demands, used = [], [], []
    for p in projects:
        conf = types.get(p.type)
        online = onlines[p.id]
        if conf is None or online is None or p.capacity is None or online <= base_year:
            continue  # not modelled, cancelled, no size, or already in the base year's data
        cap = p.actual_capacity if p.actual_capacity is not None and not _programme(p) else p.capacity
        kind, where = conf.get("kind"), f"measures.registry.types.{p.type}"
        if kind in ("generation", "storage"):
            factor = CAPACITY_KW.get(p.capacity_unit or "")
            if factor is None:
                continue
            hours = _dist(conf.get("hours"), f"{where}.hours", file)
            if kind == "generation":
                additions.append(Addition(p.id, p.type, cap * factor, online, hours))
            else:
                eta = float(conf.get("efficiency", 0.75))
                loss = cap * factor * (1.0 / eta - 1.0) / KWH_PER_TCE  # tce of electricity per full-load hour
                demands.append(Demand(p.id, p.type, conf.get("sector", "储能"), "electricity",
                                      Dist(hours.mean * loss, hours.sd * loss, hours.kind), online))
        elif kind in ("demand", "saving"):
            per = _dist(conf.get("per_unit"), f"{where}.per_unit", file)
            sign = -1.0 if kind == "saving" else 1.0
            group = conf.get("group", "coal")
            if group not in GROUPS:
                raise InputRejected([InputIssue("input.bad_value", file, None, f"{where}.group",
                                                {"value": group, "reason": f"one of {GROUPS}"})])
            demands.append(Demand(p.id, p.type, conf.get("sector", ""), group,
                                  Dist(sign * per.mean * cap, per.sd * cap, per.kind), online,
                                  bool(conf.get("cumulative", False))))
        else:
            raise InputRejected([InputIssue("input.bad_value", file, None, f"{where}.kind",
                                            {"value": kind, "reason": said("应为 generation（发电）、storage（储能）、demand（需求）或 saving（节能）", "generation | storage | demand | saving")})])
        used.append({"id": p.id, "name": p.name, "type": p.type, "kind": kind, "capacity": cap,
                     "unit": p.capacity_unit, "online": online, "status": p.status})
    return additions, demands, used, onlines


def levers_from_spec(spec: dict, additions: list[Addition], file: str, demands: list[Demand] = (),
                     onlines: dict[str, int | None] | None = None) -> Levers:
    sc, dr, en, el = (spec.get(k, {}) for k in ("scenario", "drivers", "energy", "electricity"))
    sectors = en.get("sectors", {})
    intensity = {"*": _dist(en.get("intensity_change", 0.0), "energy.intensity_change", file)}
    elasticity = {"*": float(en.get("elasticity", 1.0))}
    for s, v in sectors.items():
        if "intensity_change" in v:
            intensity[s] = _dist(v["intensity_change"], f"energy.sectors.{s}.intensity_change", file)
        if "elasticity" in v:
            elasticity[s] = float(v["elasticity"])
    driver = {"*": "gdp"}
    for sname, v in sectors.items():
        if "driver" in v:
            if v["driver"] not in ("gdp", "urban", "rural", "population"):
                raise InputRejected([InputIssue("input.bad_value", file, None, f"energy.sectors.{sname}.driver",
                                                {"value": v["driver"], "reason": said("应为 gdp、urban、rural 或 population", "gdp | urban | rural | population")})])
            driver[sname] = v["driver"]
    switches = []
    for w in spec.get("measures", {}).get("switching", []):
        start = int(w["start"])
        if w.get("enabled_by"):  # a switch that needs a project (e.g. 煤改气 needs the gas pipeline)
            online = (onlines or {}).get(w["enabled_by"])
            if online is None:
                continue  # the enabling project is cancelled (or unknown): no switch
            start = max(start, online)
        switches.append(Switch(w["name"], w["from"], w["to"], start, float(w["rate"]), float(w.get("ratio", 1.0)),
                               tuple(w.get("sectors", ()))))
    switches = tuple(switches)
    for w in switches:
        if w.source not in GROUPS or w.target not in GROUPS or not 0 <= w.rate <= 1:
            raise InputRejected([InputIssue("input.bad_value", file, None, "measures.switching",
                                            {"value": w.name, "reason": f"groups in {GROUPS}, rate in [0, 1]"})])
    return Levers(
        gdp_growth=_dist(dr.get("gdp_growth", 0.0), "drivers.gdp_growth", file), intensity_change=intensity,
        elasticity=elasticity, driver=driver,
        population_growth=_dist(dr.get("population_growth", 0.0), "drivers.population_growth", file),
        urbanisation_change=_dist(dr.get("urbanisation_change", 0.0), "drivers.urbanisation_change", file),
        ef_uncertainty=float(en.get("ef_uncertainty", 0.0)),
        grid_factor_change=_dist(el.get("grid_factor_change", 0.0), "electricity.grid_factor_change", file),
        grid_factor_noise=float(el.get("grid_factor_noise", 0.0)),
        hydro_variability=float(el.get("hydro_variability", 0.0)),
        import_nonfossil_fraction=el.get("import_nonfossil_fraction"), switches=switches,
        additions=tuple(additions), demands=tuple(demands), perspective=sc.get("perspective", "territorial"))


def spec_levers(platform: Platform, spec: ScenarioSpec, base: BaseState
                ) -> tuple[Levers, list[dict], dict[str, int | None]]:
    """A spec's levers with the registry's projects linked (and the projects used, every
    project's online year)."""
    additions, demands, used, onlines = registry_measures(platform, spec.tables, base.year, spec.source)
    return levers_from_spec(spec.tables, additions, spec.source, demands, onlines), used, onlines
