"""The size rules of the code base (docs/architecture.md): modules under 400 lines, functions under 50.

Migrations are generated schema scripts (one ``upgrade`` per revision) and are left out.
"""

from __future__ import annotations

import ast
from pathlib import Path

from paths import SRC

MAX_MODULE, MAX_FUNCTION = 400, 50


def _modules() -> list[Path]:
    return [p for p in SRC.rglob("*.py") if "migrations" not in p.parts]


def test_modules_under_400_lines() -> None:
    long = {str(p.relative_to(SRC)): n for p in _modules() if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_MODULE}
    assert not long, f"modules over {MAX_MODULE} lines: {long}"


def test_functions_under_50_lines() -> None:
    long = {}
    for p in _modules():
        for node in ast.walk(ast.parse(p.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                n = node.end_lineno - node.lineno + 1
                if n > MAX_FUNCTION:
                    long[f"{p.relative_to(SRC)}::{node.name}"] = n
    assert not long, f"functions over {MAX_FUNCTION} lines: {long}"
