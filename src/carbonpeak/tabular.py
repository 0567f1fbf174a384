"""Reading the tables users already have (CSV in UTF-8, GB18030/GBK or UTF-16, comma- or
tab-separated; XLSX) into text frames.

Every cell is read as text; typing is the job of the validator that knows the column. Problems
come back as :class:`~carbonpeak.domain.findings.InputIssue` naming the file (and row where
one is known), never as a traceback.

Every file is read within the import limits (:class:`~carbonpeak.settings.ImportLimits`: file
size, size once unzipped, rows, columns, characters per cell, cells in all), checked before and
while it is read, never after: the file size and the XLSX members' sizes before anything is
parsed, the XLSX ``<row>``, ``<c>`` and shared-string elements counted in the raw XML, then
rows, columns and cells as they stream in. Reading stops at the first limit passed, so memory and time stay bounded whatever
the file. The limits in force are those of the innermost :func:`import_limits` block (services
set them from the platform's settings), else the defaults.
"""

from __future__ import annotations

import csv
import re
import zipfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

import pandas as pd
from openpyxl.reader.excel import ExcelReader
from openpyxl.styles.stylesheet import apply_stylesheet
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.xml.constants import SHARED_STRINGS

from .domain.findings import InputIssue
from .settings import MB, ImportLimits

_CSV_ENCODINGS = ("utf-8-sig", "gb18030")
_LIMITS: ContextVar[ImportLimits] = ContextVar("carbonpeak_import_limits", default=ImportLimits())
_READ: ContextVar[dict | None] = ContextVar("carbonpeak_tables_read", default=None)


@contextmanager
def import_limits(limits: ImportLimits) -> Iterator[ImportLimits]:
    """Within this block, every :func:`read_table` of this thread (or task) applies ``limits``,
    and a file read twice (its kind told from the headers, then its rows) is parsed once."""
    token, read = _LIMITS.set(limits), _READ.set({})
    try:
        yield limits
    finally:
        _READ.reset(read)
        _LIMITS.reset(token)


class OverLimit(ValueError):
    """A file over one of the import limits; ``issue`` names the file, row, column, limit and setting."""

    def __init__(self, issue: InputIssue):
        super().__init__(issue.code)
        self.issue = issue


class BadText(OverLimit):
    """A file whose text cannot be stored as it is (an encoding not recognised, a NUL character)."""


def over_limit(kind: str, field: str, name: str, limits: ImportLimits, row: int | None = None,
               column: str | None = None, **params) -> OverLimit:
    """The refusal of ``name`` for passing ``limits.<field>`` (code ``input.limit.<kind>``)."""
    limit = getattr(limits, field)
    shown = size_text(limit) if field.endswith("_bytes") else limit
    return OverLimit(InputIssue(f"input.limit.{kind}", name, row, column,
                                {"limit": shown, "setting": ImportLimits.ENV[field], **params}))


def size_text(n: int) -> str:
    return f"{n / MB:.1f} MB" if n >= MB else f"{n / 1024:.1f} KB"


def read_table(path: Path, display_name: str | None = None,
               limits: ImportLimits | None = None) -> tuple[pd.DataFrame | None, list[InputIssue]]:
    """Read ``path`` into a frame of strings with a ``row`` column (file row, header = 1)."""
    name = display_name or path.name
    limits = limits or _LIMITS.get()
    if not path.exists():
        return None, [InputIssue("input.file_unreadable", name, None, None, {"reason": "not found / 文件不存在"})]
    read, stat = _READ.get(), path.stat()
    key = (str(path), name, stat.st_mtime_ns, stat.st_size, limits)
    if read is not None and key in read:
        df, issues = read[key]
        return (None if df is None else df.copy(deep=False)), list(issues)
    df, issues = _read_table(path, name, limits)
    if read is not None:
        read.clear()  # the last file only: memory stays that of one table
        read[key] = (df, issues)
    return (None if df is None else df.copy(deep=False)), list(issues)


def _read_table(path: Path, name: str, limits: ImportLimits) -> tuple[pd.DataFrame | None, list[InputIssue]]:
    suffix = path.suffix.lower()
    try:
        if suffix not in (".xlsx", ".xlsm", ".csv", ".txt"):
            return None, [InputIssue("input.file_unreadable", name, None, None,
                                     {"reason": f"unsupported file type {suffix or '(none)'}; use .csv or .xlsx"})]
        size = path.stat().st_size
        if size > limits.max_file_bytes:
            raise over_limit("file_size", "max_file_bytes", name, limits, size=size_text(size))
        df = _read_xlsx(path, name, limits) if suffix in (".xlsx", ".xlsm") else _read_csv(path, name, limits)
    except OverLimit as exc:
        return None, [exc.issue]
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


def _bounded(rows: Iterable[list[str]], name: str, limits: ImportLimits) -> list[list[str]]:
    """Collect ``rows`` (row 1 = header), refusing at the first row, column or cell over the limits."""
    out: list[list[str]] = []
    total = 0
    for i, cells in enumerate(rows, start=1):
        if i > limits.max_rows + 1:
            raise over_limit("rows", "max_rows", name, limits, row=i)
        header = out[0] if out else cells
        width = len(cells)
        while width and not cells[width - 1]:
            width -= 1  # trailing empty cells (a spreadsheet's "a,b,,,,") are no columns
        if width > limits.max_columns:
            raise over_limit("columns", "max_columns", name, limits, row=i,
                             column=_column(header, limits.max_columns), count=width)
        total += width
        if total > limits.max_cells:
            raise over_limit("cells", "max_cells", name, limits, row=i)
        if "\x00" in "".join(cells):  # no database text holds NUL (PostgreSQL refuses it)
            j = next(j for j, c in enumerate(cells) if "\x00" in c)
            raise BadText(InputIssue("input.nul_character", name, i, _column(header, j), {}))
        if cells and max(map(len, cells)) > limits.max_cell_chars:
            j = next(j for j, c in enumerate(cells) if len(c) > limits.max_cell_chars)
            raise over_limit("cell", "max_cell_chars", name, limits, row=i, column=_column(header, j),
                             length=len(cells[j]))
        out.append(cells)
    return out


def _column(header: list[str], j: int) -> str:
    """How to name column ``j`` (0-based) in a message: its header, else its spreadsheet letter."""
    text = header[j].strip() if j < len(header) else ""
    return text if 0 < len(text) <= 50 else get_column_letter(j + 1)


def _read_csv(path: Path, name: str, limits: ImportLimits) -> pd.DataFrame:
    """Read with the csv module, streaming, so that every malformed row can be named: a row
    longer than the header is an error; a shorter (truncated) row is padded with empty cells,
    which the column validators then name one by one."""
    for enc in _csv_encodings(path):
        try:
            with path.open(encoding=enc, newline="") as f:
                first = f.readline(64 * 1024)
                f.seek(0)  # Excel's "Unicode text" is UTF-16 with tabs between the cells
                delimiter = "\t" if "\t" in first and "," not in first else ","
                rows = _bounded(_csv_rows(csv.reader(f, delimiter=delimiter), name, limits), name, limits)
            break
        except UnicodeError:
            continue
    else:
        raise BadText(InputIssue("input.bad_encoding", name, None, None, {}))
    if not rows:
        return pd.DataFrame()
    header, body = rows[0], rows[1:]
    n = len(header)
    for i, r in enumerate(body, start=2):
        if len(r) > n and any(x.strip() for x in r[n:]):
            raise RaggedRow(i, len(r), n)
    return pd.DataFrame([(r + [""] * n)[:n] for r in body], columns=header, dtype=str)


def _csv_encodings(path: Path) -> tuple[str, ...]:
    """The encodings to try, in order: the one a byte-order mark names; UTF-16 when NUL bytes are
    frequent (a UTF-16 file without a mark); else UTF-8 (with or without a mark), then GB18030
    (which covers GBK and GB2312)."""
    with path.open("rb") as f:
        head = f.read(4096)
    if head.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        return ("utf-32",)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return ("utf-16",)
    if head.count(0) * 8 >= len(head) > 0:
        return ("utf-16-le",) if head[1::2].count(0) >= head[0::2].count(0) else ("utf-16-be",)
    return _CSV_ENCODINGS


def _csv_rows(reader, name: str, limits: ImportLimits) -> Iterator[list[str]]:
    try:
        yield from reader
    except csv.Error as exc:
        if "field larger than field limit" not in str(exc):
            raise
        raise over_limit("cell", "max_cell_chars", name, limits, row=reader.line_num,
                         length=f">{csv.field_size_limit()}") from exc


# An XLSX cell that holds an error value is empty, as pandas reads it.
_XLSX_ERRORS = frozenset(("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA"))
_ROW_TAG = re.compile(rb"<(?:\w+:)?row[\s/>]")
_CELL_TAG = re.compile(rb"<(?:\w+:)?c[\s/>]")
_SI_TAG = re.compile(rb"<(?:\w+:)?si[\s/>]")
_OTHER_SHEETS_STRINGS = 100_000  # shared strings allowed beyond the first sheet's cells (help sheets, lists)


def _read_xlsx(path: Path, name: str, limits: ImportLimits) -> pd.DataFrame:
    """The first worksheet, streamed with openpyxl's read-only mode, within the limits. Only that
    sheet is opened (``load_workbook`` would scan every sheet without a declared dimension)."""
    with zipfile.ZipFile(path) as z:
        unpacked = sum(i.file_size for i in z.infolist())  # zipfile refuses members larger than declared
    if unpacked > limits.max_uncompressed_bytes:
        raise over_limit("uncompressed", "max_uncompressed_bytes", name, limits, size=size_text(unpacked))
    reader = ExcelReader(path, read_only=True, data_only=True, keep_links=False)
    try:
        reader.read_manifest()
        reader.read_workbook()
        sheet = next(((s, rel) for s, rel in reader.parser.find_sheets()
                      if rel.target in reader.valid_files and "chartsheet" not in rel.Type), None)
        if sheet is None:
            raise ValueError("the workbook has no worksheet / 工作簿中没有工作表")
        _check_xlsx(reader, sheet[1].target, name, limits)
        reader.read_strings()
        apply_stylesheet(reader.archive, reader.wb)  # number formats: which numbers are dates
        ws = _Sheet(reader.wb, sheet[0].name, sheet[1].target, reader.shared_strings)
        rows = _bounded((_trimmed([_cell_text(v) for v in r]) for r in ws.iter_rows(values_only=True)), name, limits)
    finally:
        reader.archive.close()
    return _xlsx_frame(rows)


class _Sheet(ReadOnlyWorksheet):
    """A read-only sheet that never looks for its declared dimension: openpyxl would parse the
    whole sheet once more to find none, and a declared one may be wrong. The rows tell."""

    def _get_size(self) -> None:
        self._min_column, self._min_row, self._max_column, self._max_row = 1, 1, None, None


def _check_xlsx(reader: ExcelReader, sheet_path: str, name: str, limits: ImportLimits) -> None:
    """Before any cell is parsed: count the sheet's ``<row>`` and ``<c>`` elements in its raw XML
    (a sheet of a million identical rows zips to almost nothing; this refuses it in well under a
    second), then the shared strings, which openpyxl would load all at once: no more than the
    sheet's cells, plus some for other sheets."""
    with reader.archive.open(sheet_path) as xml:
        counts = _count_tags(xml, {_ROW_TAG: limits.max_rows + 1, _CELL_TAG: limits.max_cells})
    if counts[_ROW_TAG] > limits.max_rows + 1:
        raise over_limit("rows", "max_rows", name, limits, row=limits.max_rows + 2)
    if counts[_CELL_TAG] > limits.max_cells:
        raise over_limit("cells", "max_cells", name, limits)
    strings = reader.package.find(SHARED_STRINGS)
    if strings is not None:
        cap = counts[_CELL_TAG] + _OTHER_SHEETS_STRINGS
        with reader.archive.open(strings.PartName[1:]) as xml:
            if _count_tags(xml, {_SI_TAG: cap})[_SI_TAG] > cap:
                raise OverLimit(InputIssue("input.limit.strings", name, None, None,
                                           {"count": cap, "cells": counts[_CELL_TAG]}))


def _count_tags(xml, caps: dict[re.Pattern, int]) -> dict[re.Pattern, int]:
    """Count the elements each pattern matches in an XML stream read in chunks, stopping as soon
    as one count passes its cap."""
    counts, tail = dict.fromkeys(caps, 0), b""
    while chunk := xml.read(1 << 20):
        data = tail + chunk
        for pattern, cap in caps.items():
            counts[pattern] += len(pattern.findall(data)) - len(pattern.findall(tail))  # the tail was counted before
            if counts[pattern] > cap:
                return counts
        tail = data[-32:]
    return counts


def _cell_text(v) -> str:
    if v is None:
        return ""
    if isinstance(v, str):
        return "" if v in _XLSX_ERRORS else v
    if isinstance(v, float) and v.is_integer():
        return str(int(v))  # 2023.0 is the year 2023, as pandas reads it
    return str(v)


def _trimmed(cells: list[str]) -> list[str]:
    while cells and cells[-1] == "":
        cells.pop()
    return cells


def _xlsx_frame(rows: list[list[str]]) -> pd.DataFrame:
    """A frame as ``pandas.read_excel`` makes one: as wide as the widest row, unnamed header
    cells named ``Unnamed: <i>``, repeated names numbered ``name.1`` ..."""
    if not rows:
        return pd.DataFrame()
    width = max(len(r) for r in rows)
    header, seen = [], {}
    for j, h in enumerate(rows[0] + [""] * (width - len(rows[0]))):
        h = h if h.strip() else f"Unnamed: {j}"
        k = seen.get(h, 0)
        seen[h] = k + 1
        header.append(h if k == 0 else f"{h}.{k}")
    return pd.DataFrame([r + [""] * (width - len(r)) for r in rows[1:]], columns=header, dtype=str)


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


# --- writing: every CSV/XLSX the platform hands to users goes through these ----------------------

# A spreadsheet reads a text cell starting with one of these as a formula (OWASP "CSV injection").
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """A text cell a spreadsheet would evaluate gets a leading single quote, so that ``=HYPERLINK(..)``
    imported as a sector or source shows as text; numbers (negative ones too), booleans, dates and
    None pass unchanged, only text is touched."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def neutralise_row(values) -> list:
    """:func:`neutralise` every cell of a row (any iterable), for ``csv.writer`` / ``ws.append``."""
    return [neutralise(v) for v in values]


def neutralise_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` with every text cell and every column label neutralised (for ``to_csv`` /
    ``to_excel``); numeric columns keep their dtype."""
    out = df.copy()
    for i, dtype in enumerate(out.dtypes):
        if not (pd.api.types.is_numeric_dtype(dtype) or pd.api.types.is_datetime64_any_dtype(dtype)):
            out.isetitem(i, out.iloc[:, i].map(neutralise))
    out.columns = [neutralise(c) for c in out.columns]
    return out
