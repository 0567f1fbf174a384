"""Scenario specs: read a spec (TOML, with inheritance), its distributions, the bundled specs,
and a derived child spec that stores only the changed levers.

A spec names its ``parent``; the child stores only what it changes (tables are merged key by
key, lists replaced). Distributions are stated in the spec: ``{mean = .., sd = .., kind = ..}``.
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from ...domain.findings import InputIssue
from ...domain.messages import render, said
from ...domain.peaks import WINDOW as PEAK_WINDOW
from ...domain.projection import Dist
from ...domain.scenarios import Label, split_name
from ..errors import InputRejected, NotFound


def _merge(parent: dict, child: dict) -> dict:
    out = dict(parent)
    for k, v in child.items():
        out[k] = _merge(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
    return out


def _read(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise InputRejected([InputIssue("input.file_unreadable", path.name, None, None, {"reason": str(exc)})]) from exc


def load_spec(path: Path, _seen: tuple[Path, ...] = ()) -> dict[str, Any]:
    """The spec with its parents resolved (a parent path is relative to the child)."""
    path = path.resolve()
    if path in _seen:
        raise InputRejected([InputIssue("input.bad_value", path.name, None, "scenario.parent",
                                        {"value": path.name, "reason": said("继承关系循环", "circular inheritance")})])
    spec = _read(path)
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
            raise InputRejected([InputIssue("input.bad_value", file, None, where, {"value": v, "reason": said("分布应为 normal、lognormal 或 fixed，标准差不小于0", "kind normal|lognormal|fixed, sd ≥ 0")})])
        return Dist(float(v["mean"]), float(v.get("sd", 0.0)), kind)
    raise InputRejected([InputIssue("input.bad_value", file, None, where,
                                    {"value": v, "reason": "a number or {mean = .., sd = ..}"})])


@dataclass(frozen=True)
class ScenarioSpec:
    """A scenario spec read and checked once, from a TOML file (:func:`read_spec`) or from the
    editor's fields (:func:`edit_spec`): the run settings of ``[scenario]``, the merged tables
    (parents resolved) and the parent spec, whose central projection the wedges and the LMDI
    gap compare against."""
    id: str  # the file's stem; "edited" for the editor's child
    source: str  # what errors name: the file name, or "edited"
    name: str
    lineage: tuple[str, ...]
    perspective: str  # territorial | with_electricity
    draws: int  # the published run's (used when a run gives none)
    seed: int
    horizon: int
    plateau_tolerance: float
    peak_window: int
    illustrative: bool
    tables: Mapping[str, Any]  # the merged spec: scenario, drivers, energy, electricity, measures
    parent: ScenarioSpec | None = None
    toml: str | None = None  # the child spec's text (editor): what users save and version
    title: Label | None = None  # the name in Chinese and English (None: split from ``name``)

    def __post_init__(self) -> None:
        if self.title is None:
            object.__setattr__(self, "title", split_name(self.name))

    @property
    def stem(self) -> str:
        return self.id

    @property
    def lineage_titles(self) -> list[Label]:
        """The names of the lineage, root first."""
        return [*(self.parent.lineage_titles if self.parent else []), self.title]

    @property
    def fingerprint(self) -> str:
        """Changes whenever anything of the spec does (a cache-key part)."""
        text = json.dumps(self.tables, sort_keys=True, ensure_ascii=False, default=str)
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    def assumptions(self) -> dict[str, Any]:
        return {k: self.tables.get(k, {}) for k in ("drivers", "energy", "electricity", "measures")}


def _bad(source: str, key: str, value: Any, reason: str) -> InputRejected:
    return InputRejected([InputIssue("input.bad_value", source, None, f"scenario.{key}",
                                     {"value": value, "reason": reason})])


def _whole(sc: dict, key: str, default: int, lo: int, hi: int, source: str) -> int:
    v = sc.get(key, default)
    if isinstance(v, bool) or not isinstance(v, int) or not lo <= v <= hi:
        raise _bad(source, key, v, f"a whole number in [{lo}, {hi}]")
    return v


def parse_spec(tables: dict[str, Any], id: str, source: str, parent: ScenarioSpec | None = None,
               toml: str | None = None, title: Label | None = None) -> ScenarioSpec:
    """Check a merged spec once: the run settings of ``[scenario]`` (perspective, draws, seed,
    horizon, plateau tolerance, peak window of domain/peaks.py) and the levers, each named when
    wrong (file and field)."""
    sc = tables.setdefault("scenario", {})
    perspective, tol, window = sc.get("perspective", "territorial"), sc.get("plateau_tolerance", 0.01), \
        sc.get("peak_window", PEAK_WINDOW)
    if perspective not in ("territorial", "with_electricity"):
        raise _bad(source, "perspective", perspective, "territorial | with_electricity")
    if isinstance(tol, bool) or not isinstance(tol, (int, float)) or not 0 <= tol < 0.5:
        raise _bad(source, "plateau_tolerance", tol, "0 ≤ tolerance < 0.5 (0.01 = 1 %)")
    if isinstance(window, bool) or not isinstance(window, int) or window < 2:
        raise _bad(source, "peak_window", window, "whole years ≥ 2")
    spec = ScenarioSpec(id, source, str(sc.get("name", id)), tuple(sc.get("lineage") or (id,)), perspective,
                        _whole(sc, "draws", 10000, 1, 1_000_000, source), _whole(sc, "seed", 0, 0, 2**32 - 1, source),
                        _whole(sc, "horizon", 2035, 2000, 2100, source), float(tol), window,
                        bool(sc.get("illustrative", True)), tables, parent, toml, title)
    from .measures import levers_from_spec  # the levers' own checks (measures imports this module)

    levers_from_spec(tables, [], source, (), {})  # registry projects are checked when linked, in a run
    return spec


def read_spec(path: Path) -> ScenarioSpec:
    """A spec file with its parents (each a :class:`ScenarioSpec`, relative to its child)."""
    tables = load_spec(path)  # resolves and checks the whole chain first (unreadable, circular)
    ref = tables["scenario"].get("parent")
    parent = read_spec(path.resolve().parent / ref) if ref else None
    return parse_spec(tables, path.stem, path.name, parent)


def edit_spec(parent: ScenarioSpec, overrides: dict[str, Any]) -> ScenarioSpec:
    """The editor's child of ``parent``: only the changed levers (:func:`child_spec`), merged on
    the parent's tables as a file child would be."""
    text = child_spec_text(parent, overrides)
    child = tomllib.loads(text)
    tables = _merge(dict(parent.tables), {**child, "scenario": {**child["scenario"]}})
    tables["scenario"]["lineage"] = [*parent.lineage, "edited"]
    title = {"zh": overrides["name"], "en": overrides["name"]} if overrides.get("name") else \
        {lang: render("scenario.edited", {"name": parent.title[lang]}, lang) for lang in ("zh", "en")}
    return parse_spec(tables, "edited", "edited", parent, text, title)


def scenario_dir() -> Path:
    return Path(str(resources.files("carbonpeak").joinpath("data", "scenarios", "anhua")))


@dataclass(frozen=True)
class SpecItem:
    """A bundled spec as the scenario list shows it."""
    id: str
    name: str
    lineage: list[str]
    title: Label  # the name in Chinese and English


def list_specs() -> list[SpecItem]:
    out = []
    for f in sorted(scenario_dir().glob("*.toml"), key=lambda p: ("baseline", "policy", "enhanced").index(p.stem)
                    if p.stem in ("baseline", "policy", "enhanced") else 9):
        spec = load_spec(f)
        name = spec["scenario"].get("name", f.stem)
        out.append(SpecItem(f.stem, name, spec["scenario"]["lineage"], split_name(name)))
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
    """A child spec (TOML text) of the bundled scenario ``parent`` (:func:`child_spec_text`)."""
    return child_spec_text(read_spec(spec_path(parent)), overrides)


def child_spec_text(parent: ScenarioSpec, overrides: dict[str, Any]) -> str:
    """A child spec (TOML text) of ``parent`` that changes only the given levers: ``gdp_growth``,
    ``intensity_change``, ``grid_factor_change`` (means; the parent's sd is kept) and
    ``switch_rates`` {name: rate}. Users can save and version it."""
    base = parent.tables
    lines = ["# Derived with the CarbonPeak scenario editor: only the changed levers are stored.",
             "[scenario]", f'name = {_toml_value(overrides.get("name") or parent.name + "（调整）")}',
             f'parent = "{parent.id}.toml"', ""]
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
