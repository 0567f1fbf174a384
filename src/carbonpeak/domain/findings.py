"""Findings and input issues are values, not log lines.

A :class:`Finding` is something the platform noticed about data it accepted (a plan whose
stated total differs from its parts, a target falling behind, a proxy factor used). An
:class:`InputIssue` is a reason to refuse input: it names the file, the row and the column.
Both carry a stable ``code`` and parameters; the user-facing text is rendered from the message
catalogue in Chinese (default) or English.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from typing_extensions import TypedDict

from .messages import column_label, render, source_label


class FindingDoc(TypedDict):
    """A finding as the API shows it (:meth:`Finding.as_dict`): message and rule in the reader's language."""
    code: str
    severity: str
    message: str
    rule: str
    data: dict[str, Any]


class Severity(StrEnum):
    INFO = "info"
    WARNING = "warning"
    BLOCKING = "blocking"


@dataclass(frozen=True)
class Finding:
    code: str
    severity: Severity
    params: dict[str, Any] = field(default_factory=dict)
    rule: str = ""  # the clause or document the rule implements

    def message(self, lang: str = "zh") -> str:
        return render(self.code, self.params, lang)

    def as_dict(self, lang: str = "zh") -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": str(self.severity),
            "message": self.message(lang),
            "rule": self.rule,
            "data": _jsonable(self.params),
        }


@dataclass(frozen=True)
class InputIssue:
    """Why a piece of input was refused. ``row`` is the 1-based row of the file (header = 1)."""

    code: str
    file: str
    row: int | None
    column: str | None
    params: dict[str, Any] = field(default_factory=dict)

    def message(self, lang: str = "zh") -> str:
        where = _where(self.file, self.row, self.column, lang)
        return f"{where}: {render(self.code, self.params, lang)}"

    def as_dict(self, lang: str = "zh") -> dict[str, Any]:
        return {
            "code": self.code,
            "file": self.file,
            "row": self.row,
            "column": self.column,
            "message": self.message(lang),
        }


def _where(file: str, row: int | None, column: str | None, lang: str) -> str:
    label, channel = source_label(file, lang)
    parts = [label]
    if row is not None:
        parts.append(f"第{row}行" if lang == "zh" else f"row {row}")
    if column:
        column = column_label(file, column, lang) if channel else column
        word = ("字段", "field") if channel else ("列", "column")
        parts.append(f"{word[0]}“{column}”" if lang == "zh" else f"{word[1]} '{column}'")
    return ", ".join(parts) if lang != "zh" else "，".join(parts)


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if hasattr(value, "item"):  # numpy scalar
        return value.item()
    return value
