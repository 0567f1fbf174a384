"""Key energy-using units: registry files, consumption series, data quality, budgets and early
warning, efficiency against benchmarks, the "两高" list and the public disclosure.

Registry-type files (units, metering points, budgets, outputs, 205-1 forms, the "两高" list) are
imported like every other user file (services/imports.py: atomic, idempotent, audited). Meter
readings arrive through services/ingest.py.

Every read takes the caller's :class:`~carbonpeak.services.scope.Scope` (services/permissions.py
builds it from the account) and applies it in its queries. Results are the dataclasses of
``types``; :func:`plain` turns one into its JSON document.

Modules: ``files`` (file schemas, kind detection, registry validation), ``metered`` (reading
series, energy and CO2, aggregates), ``checks`` (data quality), ``performance`` (budgets,
efficiency), ``overview`` (the snapshot of one request, the units view, the disclosure), ``rollups`` (reading
the rollups kept at ingest), ``maintenance`` (partitions and retention),
``frames`` (the metered year and months the modules pass each other), ``types`` (the results). Other modules use this package's names only (an import-linter contract).
"""

from ...domain.monitoring import QUALITY
from ...store.models import KeyUnit, MeteringPoint
from .checks import QUALITY_RULE, finding_dict, quality, quality_report, rule_text
from .files import FILE_KINDS, REGISTRY_MODELS, detect, read_records
from .maintenance import MaintenanceResult, maintain
from .metered import CHART_UNITS, aggregate, latest_year, metered_totals, monthly_energy, series_plain
from .overview import disclosure, disclosure_of, monitoring_snapshot, units_view, view_of
from .performance import budgets, efficiency
from .types import (
                    BenchmarkRef,
                    BudgetRow,
                    Budgets,
                    Disclosure,
                    DisclosureRow,
                    Efficiency,
                    EfficiencyRow,
                    MonitoringSnapshot,
                    MonthlyEnergy,
                    ProductClass,
                    QualityReport,
                    Series,
                    SeriesRow,
                    Thresholds,
                    TwoHighRow,
                    UnitMonths,
                    UnitRow,
                    UnitsView,
                    plain,
)

__all__ = [
    "CHART_UNITS", "FILE_KINDS", "QUALITY", "QUALITY_RULE", "REGISTRY_MODELS", "BenchmarkRef", "BudgetRow", "Budgets", "Disclosure",
    "DisclosureRow", "Efficiency", "EfficiencyRow", "KeyUnit", "MaintenanceResult", "MeteringPoint", "MonitoringSnapshot", "MonthlyEnergy", "ProductClass",
    "QualityReport", "Series", "SeriesRow", "Thresholds", "TwoHighRow", "UnitMonths", "UnitRow", "UnitsView", "aggregate", "budgets", "detect",
    "disclosure", "disclosure_of", "efficiency", "finding_dict", "latest_year", "maintain", "metered_totals", "monitoring_snapshot",
    "monthly_energy", "plain", "quality", "quality_report", "read_records", "rule_text", "series_plain", "units_view", "view_of",
]
