"""Scenario use cases: read a scenario spec (TOML, with inheritance), build the base state from the
stored inventory, link the plan's projects from the registry, run the Monte Carlo projection.

A spec names its ``parent``; the child stores only what it changes (tables are merged key by
key, lists replaced). Distributions are stated in the spec: ``{mean = .., sd = .., kind = ..}``.

The modules follow the seams of the work: ``specs`` (reading, checking and deriving specs: the
typed :class:`ScenarioSpec`), ``base`` (the base state from the inventory), ``measures`` (registry
projects and levers), ``analysis`` (the stored inputs of the domain's targets, LMDI and net
emissions), ``results`` (the typed :class:`ScenarioResult`) and ``run``; the mathematics is in
domain/scenarios.py; services/iamc.py holds the IAMC export. Callers use the
names of this package (``scenarios.run_scenario``, ``scenarios.published_run``), so that patching
them here takes effect where the API calls them.
"""

from __future__ import annotations

from ...domain.scenarios import central as _central
from ..iamc import IAMC_VARIABLES, export_iamc, iamc_frame, iamc_meta
from .analysis import energy_intensity_change
from .base import OPTIONS, base_state
from .editor import LeverField, editor_levers, format_percent
from .measures import levers_from_spec, registry_measures
from .results import ScenarioResult
from .run import run_child, run_scenario
from .specs import (
    ScenarioSpec,
    edit_spec,
    list_specs,
    load_spec,
    parse_spec,
    published_run,
    read_spec,
    scenario_dir,
    spec_path,
)

__all__ = [
    "IAMC_VARIABLES",
    "OPTIONS",
    "LeverField",
    "ScenarioResult",
    "ScenarioSpec",
    "_central",
    "base_state",
    "edit_spec",
    "editor_levers",
    "energy_intensity_change",
    "export_iamc",
    "format_percent",
    "iamc_frame",
    "iamc_meta",
    "levers_from_spec",
    "list_specs",
    "load_spec",
    "parse_spec",
    "published_run",
    "read_spec",
    "registry_measures",
    "run_child",
    "run_scenario",
    "scenario_dir",
    "spec_path",
]
