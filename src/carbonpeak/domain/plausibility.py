"""Plausibility of imported figures: bands that refuse a value, jumps that warn.

Bands (a value outside refuses the file, naming file, row and column):

* GDP 发展速度 (volume index, previous year = 100) in [80, 130]: a county's real growth between
  −20 % and +30 % a year covers every published county figure of the last decades (the deepest
  falls, 2020, and the fastest growth years stay well inside); a value such as 5.0 is a growth
  rate typed where the index belongs, and would make every later constant-price GDP, and so
  every intensity, wrong by a large factor.
* GDP level > 0: intensities divide by it.
* Shares (a target value in %, not a change) in [0, 100].
* Activity quantities ≥ 0 and finite (domain/accounting.prepare_activity).

Jumps (a warning finding; the import still succeeds): a carrier × sector quantity, or a GDP level,
that changes by more than ×3 or less than ÷3 from one year to the next, within the file or
against the stored data. A factor of 3 is far beyond the year-on-year change of a county's
energy use or GDP, and is what a unit slip (吨 for 万吨 is ×10⁴, 亿元 for 万元 likewise) or a
misplaced row produces. Only pairs of consecutive years with both values above zero are
compared (a carrier that appears or stops is not a jump).
"""

from __future__ import annotations

import math

import pandas as pd

from .findings import Finding, InputIssue, Severity

GDP_INDEX_BAND = (80.0, 130.0)
SHARE_BAND = (0.0, 100.0)
JUMP_FACTOR = 3.0
JUMP_RULE = "domain/plausibility.py: year-on-year change beyond ×3 or ÷3"


def band_issues(values: pd.Series, rows: pd.Series, file: str, column: str, band: tuple[float, float],
                reason: str) -> list[InputIssue]:
    """An issue for each value outside ``band`` (NaN is not checked here: empty or not a number)."""
    low, high = band
    bad = values.notna() & ((values < low) | (values > high))
    return [InputIssue("input.out_of_band", file, int(rows[i]), column,
                       {"value": values[i], "low": low, "high": high, "reason": reason})
            for i in values.index[bad]]


def positive_issues(values: pd.Series, rows: pd.Series, file: str, column: str) -> list[InputIssue]:
    """An issue for each value that is zero (negative and non-finite values are refused already)."""
    return [InputIssue("input.not_positive", file, int(rows[i]), column, {"value": values[i]})
            for i in values.index[values == 0]]


def jumps(frame: pd.DataFrame, what: str, file: str, factor: float = JUMP_FACTOR) -> list[Finding]:
    """Warnings for year-on-year jumps beyond ``factor``.

    ``frame``: one row per (key, year) with columns key (text), year, value, unit, in_file (bool)
    and row (the file row, for rows of the file). A pair of consecutive years is compared when
    at least one of its rows comes from the file (a stored row the file replaces is not given)."""
    out: list[Finding] = []
    for key, g in frame.sort_values("year").groupby("key", sort=True):
        recs = g.to_dict("records")
        for a, b in zip(recs, recs[1:]):
            if b["year"] != a["year"] + 1 or not (a["in_file"] or b["in_file"]):
                continue
            if not (a["value"] > 0 and b["value"] > 0) or not math.isfinite(b["value"] / a["value"]):
                continue
            ratio = b["value"] / a["value"]
            if 1 / factor <= ratio <= factor:
                continue
            at = b if b["in_file"] else a
            code = "import.jump" if a["in_file"] and b["in_file"] else "import.jump_stored"
            out.append(Finding(code, Severity.WARNING, {
                "file": file, "row": int(at["row"]), "what": what, "key": key,
                "year_from": int(a["year"]), "value_from": float(a["value"]),
                "year_to": int(b["year"]), "value_to": float(b["value"]), "unit": b["unit"],
                "change": f"×{ratio:.3g}" if ratio > 1 else f"÷{1 / ratio:.3g}", "factor": factor},
                rule=JUMP_RULE))
    return out
