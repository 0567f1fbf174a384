"""Scenario specs: read a spec (TOML, with inheritance), its distributions, the bundled specs,
and a derived child spec that stores only the changed levers.

A spec names its ``parent``; the child stores only what it changes (tables are merged key by
key, lists replaced). Distributions are stated in the spec: ``{mean = .., sd = .., kind = ..}``.
"""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

from ...domain.findings import InputIssue
from ...domain.projection import Dist
from ..errors import InputRejected, NotFound


def _merge(parent: dict, child: dict) -> dict:
    out = dict(parent)
    for k, v in child.items():
        out[k] = _merge(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
    return out


def load_spec(path: Path, _seen: tuple[Path, ...] = ()) -> dict[str, Any]:
    """The spec with its parents resolved (a parent path is relative to the child)."""
    path = path.resolve()
    if path in _seen:
        raise InputRejected([InputIssue("input.bad_value", path.name, None, "scenario.parent",
                                        {"value": str(path), "reason": "circular inheritance"})])
    try:
        spec = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise InputRejected([InputIssue("input.file_unreadable", path.name, None, None, {"reason": str(exc)})]) from exc
    parent = spec.get("scenario", {}).get("parent")
    if parent:
        base = load_spec(path.parent / parent, (*_seen, path))
        spec = _merge(base, {**spec, "scenario": {**spec.get("scenario", {})}})
    spec.setdefault("scenario", {})["lineage"] = [*spec["scenario"].get("lineage", []), path.stem] if parent \
        else [path.stem]
    return spec


def _dist(v: Any, where: str, file: str) -> Dist:
    if isinstance(v, (int, float)):
        return Dist(float(v))
    if isinstance(v, dict) and "mean" in v:
        kind = v.get("kind", "normal")
        if kind not in ("normal", "lognormal", "fixed") or float(v.get("sd", 0)) < 0:
            raise InputRejected([InputIssue("input.bad_value", file, None, where, {"value": v, "reason": "kind normal|lognormal|fixed, sd ≥ 0"})])
        return Dist(float(v["mean"]), float(v.get("sd", 0.0)), kind)
    raise InputRejected([InputIssue("input.bad_value", file, None, where,
                                    {"value": v, "reason": "a number or {mean = .., sd = ..}"})])


def scenario_dir() -> Path:
    return Path(str(resources.files("carbonpeak").joinpath("data", "scenarios", "anhua")))


def list_specs() -> list[dict[str, Any]]:
    out = []
    for f in sorted(scenario_dir().glob("*.toml"), key=lambda p: ("baseline", "policy", "enhanced").index(p.stem)
                    if p.stem in ("baseline", "policy", "enhanced") else 9):
        spec = load_spec(f)
        out.append({"id": f.stem, "name": spec["scenario"].get("name", f.stem), "lineage": spec["scenario"]["lineage"]})
    return out


def spec_path(name: str) -> Path:
    path = scenario_dir() / f"{name}.toml"
    if not name.isidentifier() or not path.exists():
        raise NotFound(f"no scenario {name!r}")
    return path


def published_run(path: Path) -> tuple[int, int]:
    """(draws, seed) of a scenario's published run: those its spec states (what run_scenario uses
    when given none)."""
    sc = load_spec(path)["scenario"]
    return int(sc.get("draws", 10000)), int(sc.get("seed", 0))


def _toml_value(v: Any) -> str:
    if isinstance(v, str):
        return '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{k} = {_toml_value(x)}" for k, x in v.items()) + " }"
    if isinstance(v, list):
        return "[" + ", ".join(_toml_value(x) for x in v) + "]"
    return repr(float(v)) if isinstance(v, float) else str(v)


def child_spec(parent: str, overrides: dict[str, Any]) -> str:
    """A child spec (TOML text) of a bundled scenario that changes only the given levers:
    ``gdp_growth``, ``intensity_change``, ``grid_factor_change`` (means; the parent's sd is kept)
    and ``switch_rates`` {name: rate}. Users can save and version it."""
    base = load_spec(spec_path(parent))
    lines = ["# Derived with the CarbonPeak scenario editor: only the changed levers are stored.",
             "[scenario]", f'name = {_toml_value(overrides.get("name") or base["scenario"].get("name", parent) + "（调整）")}',
             f'parent = "{parent}.toml"', ""]
    tables: dict[str, dict[str, Any]] = {}
    for key, table, field_ in (("gdp_growth", "drivers", "gdp_growth"), ("intensity_change", "energy", "intensity_change"),
                               ("grid_factor_change", "electricity", "grid_factor_change")):
        if overrides.get(key) is not None:
            old = base.get(table, {}).get(field_, {})
            sd = old.get("sd", 0.0) if isinstance(old, dict) else 0.0
            tables.setdefault(table, {})[field_] = {"mean": float(overrides[key]), "sd": float(sd)}
    for t, fields in tables.items():
        lines.append(f"[{t}]")
        lines += [f"{k} = {_toml_value(v)}" for k, v in fields.items()]
        lines.append("")
    rates = overrides.get("switch_rates") or {}
    switches = base.get("measures", {}).get("switching", [])
    if rates and switches:
        for w in switches:
            lines.append("[[measures.switching]]")
            merged = {**w, "rate": float(rates.get(w["name"], w["rate"]))}
            lines += [f"{k} = {_toml_value(v)}" for k, v in merged.items()]
            lines.append("")
    return "\n".join(lines)
