"""The layering of DESIGN.md, enforced with import-linter (contracts in pyproject.toml):
front ends -> services -> store | refdata | tabular -> domain; the domain imports no database,
web, CLI, YAML, XLSX or settings code; the CLI never touches the store."""


from importlinter.cli import lint_imports
from paths import ROOT


def test_import_contracts_hold(monkeypatch):
    monkeypatch.chdir(ROOT)
    assert lint_imports(no_cache=True) == 0


def test_the_registry_tables_are_the_monitoring_file_kinds():
    """services/permissions reads the registry files' kinds and tables from the store (not from the
    monitoring package, which would close an import cycle): the same kinds, in the same order."""
    from carbonpeak.services import monitoring, permissions
    from carbonpeak.store.models_monitoring import REGISTRY_TABLES

    assert list(REGISTRY_TABLES) == list(monitoring.FILE_KINDS)
    assert monitoring.REGISTRY_MODELS is REGISTRY_TABLES
    assert permissions.IMPORT_KINDS == (*permissions.BASE_KINDS, *monitoring.FILE_KINDS)
