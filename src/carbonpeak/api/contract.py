"""Shared pieces of the API contract: strict parameter types and the declared error bodies.

Every 422 answer, FastAPI's own validation errors and the platform's ``InputRejected`` alike, has
the shape of ``ValidationErrors``; the OpenAPI document declares it for every operation."""

from __future__ import annotations

import re
import threading
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, Field, Strict

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_date(value: Any) -> date:
    """Only a calendar date written YYYY-MM-DD (pydantic alone would take 0.0 or 1e9 as a time stamp)."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        return date.fromisoformat(value)  # an impossible day (2024-02-30) raises ValueError: a 422
    raise ValueError("a date written YYYY-MM-DD / 日期应写作 YYYY-MM-DD")


IsoDate = Annotated[date, Strict(), BeforeValidator(_iso_date)]


class ErrorItem(BaseModel):
    """One problem: where (``loc``: strings and integers, never null), what (``type``, ``msg``);
    for file input also ``file``, ``row`` (1-based, the header is row 1) and ``column``."""
    loc: list[str | int]
    type: str
    msg: str
    input: Any = None
    ctx: dict[str, Any] | None = None
    file: str | None = None
    row: int | None = None
    column: str | None = None


class ValidationErrors(BaseModel):
    detail: list[ErrorItem] = Field(description="every problem found, in order (a refused file: the first "
                                                "CARBONPEAK_IMPORT_MAX_ISSUES of them)")
    issues_total: int | None = Field(default=None, description="a refused file: how many problems in all")
    issues_note: str | None = Field(default=None, description="a refused file: how many problems are not listed")


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    422: {"model": ValidationErrors, "description": "Input refused: every problem named (field, or file/row/column)"},
}


def extend_openapi(app, schemas: dict[str, Any], security: dict[str, Any]) -> None:
    """Add schemas that FastAPI does not generate itself (the msgspec-decoded readings body) to
    ``components/schemas`` and the security schemes to ``components/securitySchemes``, so that every
    ``$ref`` of the document resolves."""
    generate = app.openapi
    lock = threading.Lock()  # two first requests at once must not both extend the document

    def openapi() -> dict[str, Any]:
        with lock:
            return app.openapi_schema or _extended()

    def _extended() -> dict[str, Any]:
        doc = generate()  # FastAPI keeps it as app.openapi_schema
        components = doc.setdefault("components", {})
        taken = set(components.setdefault("schemas", {})) & set(schemas)
        if taken:
            raise RuntimeError(f"OpenAPI schema names used twice: {sorted(taken)}")
        components["schemas"].update(schemas)
        components.setdefault("securitySchemes", {}).update(security)
        return doc

    app.openapi = openapi
