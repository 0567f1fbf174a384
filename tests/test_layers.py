"""The layering of DESIGN.md, enforced with import-linter (contracts in pyproject.toml):
front ends -> services -> store | refdata | tabular -> domain; the domain imports no database,
web, CLI, YAML, XLSX or settings code; the CLI never touches the store."""

from pathlib import Path

from importlinter.cli import lint_imports


def test_import_contracts_hold(monkeypatch):
    monkeypatch.chdir(Path(__file__).resolve().parents[1])
    assert lint_imports(no_cache=True) == 0
