"""Scenario use cases: read a scenario spec (TOML, with inheritance), build the base state from the
stored inventory, link the plan's projects from the registry, run the Monte Carlo projection.

A spec names its ``parent``; the child stores only what it changes (tables are merged key by
key, lists replaced). Distributions are stated in the spec: ``{mean = .., sd = .., kind = ..}``.

The modules follow the seams of the work: ``specs`` (reading and deriving specs), ``base`` (the
base state from the inventory), ``measures`` (registry projects and levers), ``analysis`` (targets,
wedges, LMDI, net emissions) and ``run``; services/iamc.py holds the IAMC export. Callers use the
names of this package (``scenarios.run_scenario``, ``scenarios.published_run``), so that patching
them here takes effect where the API calls them.
"""

from __future__ import annotations

from ..iamc import IAMC_VARIABLES, export_iamc, iamc_frame, iamc_meta
from .analysis import _central, energy_intensity_change
from .base import OPTIONS, base_state
from .measures import levers_from_spec, registry_measures
from .run import run_child, run_scenario
from .specs import list_specs, load_spec, published_run, scenario_dir, spec_path

__all__ = ["IAMC_VARIABLES", "OPTIONS", "_central", "base_state", "energy_intensity_change", "export_iamc",
           "iamc_frame", "iamc_meta", "levers_from_spec", "list_specs", "load_spec", "published_run",
           "registry_measures", "run_child", "run_scenario", "scenario_dir", "spec_path"]
