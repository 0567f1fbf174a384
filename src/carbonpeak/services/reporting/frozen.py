"""The frozen assessment report (封存的年度评估报告): when a year is frozen, its whole assessment
(``reports.Assessment``: figures, factor releases, rules and inputs as the report shows them) is
kept in the version's snapshot, in both languages; the report of a frozen year is then rendered
from the latest version, so a later change to the data does not change it. A correction after
freezing makes the next version (freeze.add_version), and the report names the version it is.

The assessment is stored as tagged JSON: each dataclass with its class (only this package's
classes are revived), dates, tuples, non-finite floats and non-text keys marked, so that reviving
it gives back an equal object (checked when the version is written).
"""

from __future__ import annotations

import dataclasses
import enum
import importlib
import io
import math
import re
import zipfile
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from ..buildings import BuildingGrades
from ..platform import Platform
from ..tracking_results import barometer_of

LANGS = ("zh", "en")
_PACKAGE = "carbonpeak."


def encode(obj: Any) -> Any:
    """``obj`` as JSON-able data that :func:`decode` turns back into an equal object."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {"__dc__": f"{type(obj).__module__}:{type(obj).__qualname__}",
                "f": {f.name: encode(getattr(obj, f.name)) for f in dataclasses.fields(obj)}}
    if isinstance(obj, enum.Enum):
        return {"__enum__": f"{type(obj).__module__}:{type(obj).__qualname__}", "v": encode(obj.value)}
    if isinstance(obj, bool) or obj is None or isinstance(obj, (int, str)):
        return obj
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else {"__float__": repr(obj)}
    if isinstance(obj, datetime):
        return {"__datetime__": obj.isoformat()}
    if isinstance(obj, date):
        return {"__date__": obj.isoformat()}
    if isinstance(obj, tuple):
        return {"__tuple__": [encode(v) for v in obj]}
    if isinstance(obj, list):
        return [encode(v) for v in obj]
    if isinstance(obj, dict):
        if all(isinstance(k, str) and not k.startswith("__") for k in obj):
            return {k: encode(v) for k, v in obj.items()}
        return {"__items__": [[encode(k), encode(v)] for k, v in obj.items()]}
    if hasattr(obj, "item"):  # a numpy scalar
        return encode(obj.item())
    raise TypeError(f"cannot keep {type(obj).__name__} in a frozen assessment")


def _class(path: str) -> type:
    module, _, name = path.partition(":")
    if not module.startswith(_PACKAGE):
        raise ValueError(f"not a class of this platform: {path}")
    obj: Any = importlib.import_module(module)
    for part in name.split("."):
        obj = getattr(obj, part)
    return obj


def decode(data: Any) -> Any:
    if isinstance(data, list):
        return [decode(v) for v in data]
    if not isinstance(data, dict):
        return data
    if "__dc__" in data:
        cls = _class(data["__dc__"])
        if not dataclasses.is_dataclass(cls):
            raise ValueError(f"not a dataclass: {data['__dc__']}")
        return cls(**{k: decode(v) for k, v in data["f"].items()})
    if "__enum__" in data:
        return _class(data["__enum__"])(decode(data["v"]))
    for tag, make in (("__float__", float), ("__datetime__", datetime.fromisoformat), ("__date__", date.fromisoformat)):
        if tag in data:
            return make(data[tag])
    if "__tuple__" in data:
        return tuple(decode(v) for v in data["__tuple__"])
    if "__items__" in data:
        return {decode(k): decode(v) for k, v in data["__items__"]}
    return {k: decode(v) for k, v in data.items()}


def capture(platform: Platform, year: int) -> dict[str, Any]:
    """The assessment of ``year`` in each language, encoded (checked to revive equal)."""
    from ..reports import assessment  # the reports package reads the reporting service (dispatch)
    out = {}
    for lang in LANGS:
        a = assessment(platform, year, lang)
        data = encode(a)
        if encode(decode(data)) != data:
            raise RuntimeError("the assessment does not survive being frozen")  # a type encode() does not know
        out[lang] = data
    return out


def revive(snapshot: dict[str, Any], lang: str, version: dict[str, Any], organisation: str | None = None) -> Any | None:
    """The frozen assessment of one version (None: that version kept none), naming the version."""
    data = (snapshot.get("assessment") or {}).get(lang if lang in LANGS else "zh")
    if data is None:
        return None
    a = decode(data)
    if isinstance(a.targets, dict):  # frozen before the barometer was typed: the same document
        a.targets = barometer_of(a.targets)
    if isinstance(a.buildings, dict):  # frozen before the building grades were typed
        a.buildings = BuildingGrades.of_document(a.buildings)
    if organisation:
        a.organisation = organisation
    n, when = version["version"], version["created_at"][:10]
    a.title = f"{a.title}（封存第{n}版）" if a.zh else f"{a.title} (frozen, version {n})"
    note = (f"本报告依据{a.year}年度封存数据第{n}版（{when}封存{'；' + version['reason'] if version['reason'] else ''}）生成，"
            "封存后录入或更改的数据不影响本报告" if a.zh else
            f"This report is generated from version {n} of the frozen {a.year} data ({when}"
            f"{'; ' + version['reason'] if version['reason'] else ''}); data entered or changed after freezing "
            "does not change it")
    a.flags = {**a.flags, "frozen": {"version": n, "frozen_at": version["created_at"], "reason": version["reason"]},
               "notes": [note, *a.flags.get("notes", [])]}
    _annex_row(a, n, when, version["reason"])
    return a


def _annex_row(a: Any, n: int, when: str, reason: str) -> None:
    from ..reports import AnnexRow
    what = f"封存版本：第{n}版" if a.zh else f"frozen version {n}"
    a.annex = [AnnexRow(what, f"{when}封存" if a.zh else f"frozen on {when}", reason or "—"), *a.annex]


_STAMP = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:(?:created|modified)>)")


def settle(path: Path, frozen_at: str) -> Path:
    """Make a written .docx/.xlsx of a frozen version byte-for-byte repeatable: every zip entry and
    the document's created/modified stamps carry the freezing time instead of the writing time."""
    when = datetime.fromisoformat(frozen_at).astimezone(UTC)
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    with zipfile.ZipFile(path) as z:
        entries = [(i.filename, z.read(i.filename)) for i in z.infolist()]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for name, blob in entries:
            if name == "docProps/core.xml":
                blob = _STAMP.sub(rb"\g<1>" + stamp + rb"\g<2>", blob)
            out.writestr(zipfile.ZipInfo(name, date_time=when.timetuple()[:6]), blob, zipfile.ZIP_DEFLATED)
    path.write_bytes(buf.getvalue())
    return path
