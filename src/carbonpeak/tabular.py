"""Reading the tables users already have (CSV in UTF-8 or GB18030, XLSX) into text frames.

Every cell is read as text; typing is the job of the validator that knows the column. Problems
come back as :class:`~carbonpeak.domain.findings.InputIssue` naming the file (and row where
one is known), never as a traceback.
"""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pandas as pd

from .domain.findings import InputIssue

_CSV_ENCODINGS = ("utf-8-sig", "gb18030")


def read_table(path: Path, display_name: str | None = None) -> tuple[pd.DataFrame | None, list[InputIssue]]:
    """Read ``path`` into a frame of strings with a ``row`` column (file row, header = 1)."""
    name = display_name or path.name
    if not path.exists():
        return None, [InputIssue("input.file_unreadable", name, None, None, {"reason": "not found / 文件不存在"})]
    suffix = path.suffix.lower()
    try:
        if suffix in (".xlsx", ".xlsm"):
            df = pd.read_excel(path, dtype=str, keep_default_na=False, engine="openpyxl")
        elif suffix in (".csv", ".txt"):
            df = _read_csv(path)
        else:
            return None, [InputIssue("input.file_unreadable", name, None, None,
                                     {"reason": f"unsupported file type {suffix or '(none)'}; use .csv or .xlsx"})]
    except RaggedRow as exc:
        return None, [InputIssue("input.file_unreadable", name, exc.row, None, {"reason": str(exc)})]
    except csv.Error as exc:
        return None, [InputIssue("input.file_unreadable", name, None, None, {"reason": f"CSV: {exc}"})]
    except (zipfile.BadZipFile, OSError, ValueError, KeyError, UnicodeDecodeError) as exc:
        return None, [InputIssue("input.file_unreadable", name, None, None,
                                 {"reason": f"{type(exc).__name__}: {exc}"})]
    df.columns = [str(c).strip() for c in df.columns]
    # Blank lines at the end of sheets are not data.
    df = df.fillna("")
    blank = (df.astype(str).apply(lambda s: s.str.strip()) == "").all(axis=1)
    df = df.assign(row=range(2, len(df) + 2))[~blank].reset_index(drop=True)
    if df.empty:
        return None, [InputIssue("input.file_empty", name, None, None, {})]
    return df, []


class RaggedRow(ValueError):
    def __init__(self, row: int, fields: int, expected: int):
        super().__init__(f"row {row} has {fields} fields, the header has {expected}")
        self.row = row


def _read_csv(path: Path) -> pd.DataFrame:
    """Read with the csv module so that every malformed row can be named: a row longer than
    the header is an error; a shorter (truncated) row is padded with empty cells, which the
    column validators then name one by one."""
    data = path.read_bytes()
    for enc in _CSV_ENCODINGS:
        try:
            text = data.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise UnicodeDecodeError("utf-8/gb18030", data[:1], 0, 1, "neither UTF-8 nor GB18030")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    if not rows:
        return pd.DataFrame()
    header, body = rows[0], rows[1:]
    n = len(header)
    for i, r in enumerate(body, start=2):
        if len(r) > n and any(x.strip() for x in r[n:]):
            raise RaggedRow(i, len(r), n)
    return pd.DataFrame([(r + [""] * n)[:n] for r in body], columns=header, dtype=str)


def map_headers(df: pd.DataFrame, spec: dict[str, tuple[str, ...]], required: tuple[str, ...],
                name: str) -> tuple[pd.DataFrame | None, list[InputIssue]]:
    """Rename accepted headers (English or Chinese) to canonical names; report missing ones.

    ``spec`` maps a canonical column to its accepted spellings.
    """
    lookup = {}
    for canon, spellings in spec.items():
        for s in (canon, *spellings):
            lookup[s.lower()] = canon
    rename, issues = {}, []
    for col in df.columns:
        if col == "row":
            continue
        canon = lookup.get(col.lower())
        if canon is not None:
            rename[col] = canon
    out = df.rename(columns=rename)
    for col in required:
        if col not in out.columns:
            accepted = "/".join((col, *spec[col]))
            issues.append(InputIssue("input.missing_column", name, 1, col, {"column": col, "accepted": accepted}))
    return (None if issues else out), issues
