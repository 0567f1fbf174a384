"""Activity rows before accounting: parse (text → typed columns), validate (every problem an
:class:`InputIssue` naming file, row and column) and convert (quantities to each carrier's
canonical unit, once per distinct unit and carrier).

Text is parsed once per distinct value, so the per-row cost is numpy work only. Stored rows are
already typed (integer year, float quantity): :func:`prepare_stored` starts from them and never
turns them back into text.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .carriers import CarrierCatalogue
from .findings import InputIssue
from .units import UnitError, conversion_factor

YEAR_RANGE = (1990, 2100)
USES = {"燃料": "fuel", "fuel": "fuel", "": "fuel", "原料": "feedstock", "feedstock": "feedstock",
        "原料用能": "feedstock"}
TEXT_COLUMNS = ("region", "sector", "carrier", "unit", "use", "grid", "source")


class _Text:
    """A text column as integer codes plus its distinct, stripped values."""

    def __init__(self, col: pd.Series):
        codes, uniques = pd.factorize(col, use_na_sentinel=False)
        self.codes = codes
        self.uniques = np.array(["" if (u is None or (isinstance(u, float) and np.isnan(u))) else str(u).strip()
                                 for u in uniques], dtype=object)

    def values(self) -> np.ndarray:
        return self.uniques[self.codes]

    def mask(self, predicate) -> np.ndarray:
        hit = np.array([bool(predicate(u)) for u in self.uniques], dtype=bool)
        return hit[self.codes] if len(hit) else np.zeros(0, dtype=bool)

    def mapped(self, fn) -> tuple[np.ndarray, np.ndarray]:
        """``fn`` applied per distinct value: (values per row, codes of those values)."""
        out = np.array([fn(u) for u in self.uniques], dtype=object)
        if not len(out):
            return out, self.codes
        out_codes, _ = pd.factorize(pd.Series(out, dtype=object), use_na_sentinel=False)
        return out[self.codes], out_codes[self.codes]


@dataclass
class ParsedActivity:
    """Activity rows as typed columns: text as codes, year and quantity as floats (NaN = did not
    parse), and what the issues must quote (the original cells)."""
    df: pd.DataFrame
    file: str
    text: dict[str, _Text]
    year: np.ndarray
    year_codes: np.ndarray
    quantity: np.ndarray
    blank_quantity: np.ndarray
    original: dict[str, np.ndarray]
    issues: list[InputIssue] = field(default_factory=list)

    @property
    def rows(self) -> np.ndarray:
        return self.df["row"].to_numpy()

    def flag(self, mask, code: str, column: str, params_of) -> None:
        rows = self.rows
        for i in np.flatnonzero(np.asarray(mask, dtype=bool)):
            self.issues.append(InputIssue(code, self.file, int(rows[i]), column, params_of(i)))


def _year_value(v) -> float:
    try:
        y = float(str(v).strip())
    except ValueError:
        return np.nan
    return y if y.is_integer() and YEAR_RANGE[0] <= y <= YEAR_RANGE[1] else np.nan


def _combine(*codes: np.ndarray) -> np.ndarray | None:
    """One int64 code per combination of several code columns (None if it could overflow)."""
    out = np.zeros(len(codes[0]), dtype=np.int64)
    span = 1
    for c in codes:
        n = int(c.max()) + 1 if len(c) else 1
        span *= n
        if span > 2 ** 62:
            return None
        out = out * n + c
    return out


def _spread(values: np.ndarray, codes: np.ndarray, fn) -> np.ndarray:
    """``fn`` of each row's value, computed once per code."""
    out = np.empty(int(codes.max()) + 1 if len(codes) else 0, dtype=object)
    _, first = np.unique(codes, return_index=True)
    for i in first:
        out[codes[i]] = fn(values[i])
    return out[codes]


def _framed(raw: pd.DataFrame) -> pd.DataFrame:
    df = raw.reset_index(drop=True).copy()
    if "row" not in df.columns:
        df["row"] = np.arange(2, len(df) + 2)
    for col in ("use", "grid", "source"):
        if col not in df.columns:
            df[col] = ""
    return df


def parse_activity(raw: pd.DataFrame, file: str) -> ParsedActivity:
    """Text cells → typed columns (year, quantity); nothing is judged yet except what did not parse."""
    df = _framed(raw)
    original = {c: df[c].to_numpy() for c in ("year", "quantity", "unit", "carrier", "use")}
    year_num, year_codes = _Text(df["year"]).mapped(_year_value)
    qty = np.array(pd.to_numeric(df["quantity"].astype(object), errors="coerce"), dtype=np.float64)
    blank_q = np.zeros(len(df), dtype=bool)
    for i in np.flatnonzero(np.isnan(qty)):  # only cells that did not parse as they stand
        cell = "" if pd.isna(original["quantity"][i]) else str(original["quantity"][i]).strip().replace(",", "")
        blank_q[i] = cell == ""
        try:
            qty[i] = float(cell) if cell else np.nan
        except ValueError:
            qty[i] = np.nan
    return ParsedActivity(df, file, {c: _Text(df[c]) for c in TEXT_COLUMNS}, year_num.astype(float), year_codes,
                          qty, blank_q, original)


def parse_stored(rows: pd.DataFrame, file: str = "database") -> ParsedActivity:
    """Stored rows (integer year, float quantity, stripped text) as typed columns, without text parsing."""
    df = _framed(rows)
    year = pd.to_numeric(df["year"], errors="coerce").to_numpy(dtype=float)
    year = np.where((year >= YEAR_RANGE[0]) & (year <= YEAR_RANGE[1]) & (year % 1 == 0), year, np.nan)
    year_codes, _ = pd.factorize(year, use_na_sentinel=False)
    qty = pd.to_numeric(df["quantity"], errors="coerce").to_numpy(dtype=float)
    original = {c: df[c].to_numpy() for c in ("year", "quantity", "unit", "carrier", "use")}
    return ParsedActivity(df, file, {c: _Text(df[c]) for c in TEXT_COLUMNS}, year, year_codes.astype(np.int64),
                          qty, np.isnan(qty) & pd.isna(df["quantity"]).to_numpy(), original)


def validate_activity(p: ParsedActivity, catalogue: CarrierCatalogue) -> tuple[tuple, tuple]:
    """Flag empty, unparsed and out-of-range cells, unknown uses and carriers. Returns the use
    (fuel/feedstock) per row and the catalogue name of each row's carrier, each with its codes."""
    t, orig = p.text, p.original
    for col in ("region", "sector", "carrier", "unit"):
        p.flag(t[col].mask(lambda u: u == ""), "input.empty_value", col, lambda i: {})
    p.flag(np.isnan(p.year), "input.bad_year", "year",
           lambda i: {"value": orig["year"][i], "low": YEAR_RANGE[0], "high": YEAR_RANGE[1]})
    qty, blank = p.quantity, p.blank_quantity
    p.flag(blank, "input.empty_value", "quantity", lambda i: {})
    p.flag(np.isnan(qty) & ~blank, "input.not_a_number", "quantity", lambda i: {"value": orig["quantity"][i]})
    p.flag(np.isinf(qty), "input.not_finite", "quantity", lambda i: {"value": orig["quantity"][i]})
    p.flag(qty < 0, "input.negative", "quantity", lambda i: {"value": orig["quantity"][i]})
    use = t["use"].mapped(lambda u: USES.get(u, USES.get(str(u).lower())))
    p.flag(pd.isna(use[0]), "input.bad_use", "use", lambda i: {"value": orig["use"][i]})
    carrier = t["carrier"].mapped(lambda n: catalogue.resolve(n) if n else None)
    examples = "、".join(list(catalogue.carriers)[:6])
    p.flag(pd.isna(carrier[0]) & ~t["carrier"].mask(lambda u: u == ""), "input.unknown_carrier", "carrier",
           lambda i: {"value": orig["carrier"][i], "examples": examples})
    return use, carrier


def _unit_conversion(p: ParsedActivity, resolved: np.ndarray, carrier_codes: np.ndarray,
                     catalogue: CarrierCatalogue) -> tuple[np.ndarray, np.ndarray]:
    """Canonical unit and conversion factor per row, once per distinct (unit, carrier) pair."""
    canon_unit = _spread(resolved, carrier_codes,
                         lambda n: catalogue.carriers[n].canonical_unit if isinstance(n, str) else None)
    pair = _combine(p.text["unit"].codes, carrier_codes)
    uniq_pairs, first, inverse = np.unique(pair, return_index=True, return_inverse=True)
    units = p.text["unit"].values()
    conv_u = np.full(len(uniq_pairs), np.nan)
    status_u = np.zeros(len(uniq_pairs), dtype=np.int8)  # 0 ok/not applicable, 1 unknown, 2 mismatch
    for k, i in enumerate(first):
        u, cu = units[i], canon_unit[i]
        if not u or not isinstance(cu, str):
            continue
        try:
            conv_u[k] = conversion_factor(u, cu)
        except UnitError as exc:
            status_u[k] = 1 if ("unknown unit" in str(exc) or "empty unit" in str(exc)) else 2
    status = status_u[inverse]
    unit = p.original["unit"]
    p.flag(status == 1, "input.unknown_unit", "unit", lambda i: {"value": unit[i]})
    p.flag(status == 2, "input.unit_mismatch", "unit",
           lambda i: {"value": unit[i], "carrier": resolved[i], "expected": canon_unit[i]})
    return canon_unit, conv_u[inverse]


def _duplicates(p: ParsedActivity, carrier_codes: np.ndarray, use_codes: np.ndarray) -> None:
    """Duplicates on the natural key (year, region, sector, carrier, use), compared on codes."""
    t = p.text
    parts = [p.year_codes, t["region"].codes, t["sector"].codes, carrier_codes, use_codes]
    key = _combine(*parts)
    keyed = pd.Series(key) if key is not None else pd.DataFrame(np.column_stack(parts))
    dup = keyed.duplicated(keep="first").to_numpy() & ~np.isnan(p.year)
    if not dup.any():
        return
    first_row: dict = {}
    group = keyed.to_numpy() if key is not None else keyed.astype(str).agg("|".join, axis=1).to_numpy()
    for g, r in zip(group, p.rows):
        first_row.setdefault(g, int(r))
    p.flag(dup, "input.duplicate_row", "carrier", lambda i: {"other": first_row[group[i]]})


def convert_activity(p: ParsedActivity, catalogue: CarrierCatalogue, use: tuple, carrier: tuple) -> pd.DataFrame:
    """The prepared frame: stripped text, integer year, the carrier's catalogue name, quantity in
    its canonical unit (unit issues and duplicates are flagged on ``p``). ``use`` and ``carrier``
    are (values, codes) from :func:`validate_activity`."""
    (resolved, carrier_codes), (use_values, use_codes) = carrier, use
    canon_unit, conv = _unit_conversion(p, resolved, carrier_codes, catalogue)
    df, t = p.df, p.text
    for col in ("region", "sector", "unit", "grid", "source"):
        df[col] = t[col].values()
    bad_year = np.isnan(p.year)
    df["year"] = pd.array(np.where(bad_year, 0, p.year).astype(np.int64), dtype="Int64")
    df.loc[bad_year, "year"] = pd.NA
    df["carrier"] = np.where(pd.isna(resolved), t["carrier"].values(), resolved)
    df["use"] = use_values
    df["quantity"] = p.quantity
    df["canonical_unit"] = canon_unit
    df["quantity_canonical"] = p.quantity * conv
    _duplicates(p, carrier_codes, use_codes)
    return df


def _prepared(p: ParsedActivity, catalogue: CarrierCatalogue) -> tuple[pd.DataFrame, list[InputIssue]]:
    use, carrier = validate_activity(p, catalogue)
    df = convert_activity(p, catalogue, use, carrier)
    p.issues.sort(key=lambda x: (x.row or 0, x.column or ""))
    return df, p.issues


def prepare_activity(raw: pd.DataFrame, file: str, catalogue: CarrierCatalogue
                     ) -> tuple[pd.DataFrame, list[InputIssue]]:
    """Parse, validate and convert activity rows read from a file.

    ``raw`` has columns year, region, sector, carrier, quantity, unit and optionally use, grid,
    source, and ``row`` (the file row number). Every problem becomes an :class:`InputIssue`
    naming file, row and column; the returned frame holds only when there are no issues.
    """
    return _prepared(parse_activity(raw, file), catalogue)


def prepare_stored(rows: pd.DataFrame, catalogue: CarrierCatalogue, file: str = "database"
                   ) -> tuple[pd.DataFrame, list[InputIssue]]:
    """:func:`prepare_activity` for stored rows (typed year and quantity): validated and converted
    against the catalogue in force, never turned back into text."""
    return _prepared(parse_stored(rows, file), catalogue)
