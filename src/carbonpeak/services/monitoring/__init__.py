"""Key energy-using units: registry files, consumption series, data quality, budgets and early
warning, efficiency against benchmarks, the "两高" list and the public disclosure.

Registry-type files (units, metering points, budgets, outputs, 205-1 forms, the "两高" list) are
imported like every other user file (services/imports.py: atomic, idempotent, audited). Meter
readings arrive through services/ingest.py.

Modules: ``files`` (file schemas, kind detection, registry validation), ``visibility`` (which unit
an account sees), ``metered`` (reading series, energy and CO2, aggregates), ``checks`` (data
quality), ``performance`` (budgets, efficiency), ``overview`` (the units view, the disclosure).
"""

from ...store.models import KeyUnit, MeteringPoint
from .checks import QUALITY, QUALITY_RULE, quality
from .files import FILE_KINDS, REGISTRY_MODELS, detect, read_records
from .metered import aggregate, metered_totals
from .overview import disclosure, units_view
from .performance import budgets, efficiency
from .visibility import only_unit, visible_unit

__all__ = [
    "FILE_KINDS", "QUALITY", "QUALITY_RULE", "REGISTRY_MODELS", "KeyUnit", "MeteringPoint", "aggregate", "budgets",
    "detect", "disclosure", "efficiency", "metered_totals", "only_unit", "quality", "read_records", "units_view",
    "visible_unit",
]
