"""JSON for every front end: NaN and infinities become null (a missing value is "not
estimated", never a number), numpy scalars become plain numbers, dates ISO strings."""

from __future__ import annotations

import json
import math
from typing import Any

import msgspec


def clean(obj: Any) -> Any:
    if isinstance(obj, float):
        return None if math.isnan(obj) or math.isinf(obj) else obj
    if isinstance(obj, dict):
        return {k: clean(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [clean(v) for v in obj]
    if hasattr(obj, "item") and not isinstance(obj, (str, bytes)):
        return clean(obj.item())
    return obj


def dumps(obj: Any, indent: int | None = None) -> str:
    return json.dumps(clean(obj), ensure_ascii=False, indent=indent, default=str, allow_nan=False)


def _plain(obj: Any) -> Any:
    if hasattr(obj, "item") and not isinstance(obj, (str, bytes)):
        return obj.item()  # numpy scalars
    return str(obj)


_encoder = msgspec.json.Encoder(enc_hook=_plain)


def encode(obj: Any) -> bytes:
    """UTF-8 JSON bytes, fast (msgspec, in C): the same document as :func:`dumps` for what the
    read models return (NaN and infinities null, numpy scalars plain, dates ISO), except that a
    datetime is written in ISO 8601 with a ``T``. Used for the large cached public reads."""
    return _encoder.encode(obj)
