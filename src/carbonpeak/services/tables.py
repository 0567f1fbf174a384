"""Reading and validating the user files the platform accepts: activity, GDP, target values.

Each reader returns a clean frame or raises :class:`InputRejected` with every issue found
(file, row, column), so that an import either writes everything or nothing.
"""

from __future__ import annotations

import functools
from pathlib import Path

import numpy as np
import pandas as pd

from ..domain.accounting import prepare_activity
from ..domain.carriers import CarrierCatalogue
from ..domain.findings import InputIssue
from ..domain.messages import said
from ..domain.plausibility import GDP_INDEX_BAND, SHARE_BAND, band_issues, positive_issues
from ..domain.units import UnitError, conversion_factor
from ..tabular import import_limits, map_headers, read_table
from .errors import InputRejected

ACTIVITY_HEADERS: dict[str, tuple[str, ...]] = {
    "year": ("年份", "年度"), "region": ("地区",), "sector": ("部门", "行业"),
    "carrier": ("能源品种", "品种"), "quantity": ("数量", "实物量"), "unit": ("单位", "计量单位"),
    "use": ("用途",), "grid": ("电网",), "source": ("来源", "数据来源"), "illustrative": ("示例数据", "示例"),
}
ACTIVITY_REQUIRED = ("year", "region", "sector", "carrier", "quantity", "unit")

GDP_HEADERS: dict[str, tuple[str, ...]] = {
    "year": ("年份",), "region": ("地区",), "gdp": ("地区生产总值", "GDP", "gdp_current"),
    "unit": ("单位",), "index_prev": ("发展速度", "上年=100", "指数(上年=100)"),
    "source": ("来源", "数据来源"), "illustrative": ("示例数据", "示例"),
}
GDP_REQUIRED = ("year", "region", "gdp", "unit")

OBS_HEADERS: dict[str, tuple[str, ...]] = {
    "target": ("目标编号", "目标"), "year": ("年份",), "value": ("数值", "实际值"),
    "source": ("来源", "数据来源"), "illustrative": ("示例数据", "示例"),
}
OBS_REQUIRED = ("target", "year", "value", "source")

_TRUE = {"true", "1", "yes", "y", "是", "示例", "示例数据"}
_FALSE = {"false", "0", "no", "n", "否", ""}


def within_limits(fn):
    """Decorate ``fn(platform, path, ...)``: every table it reads is bounded by the import limits
    of ``platform.settings`` (file size, rows, columns, cell length; see tabular.py)."""
    @functools.wraps(fn)
    def bounded(platform, *args, **kwargs):
        with import_limits(platform.settings.import_limits):
            return fn(platform, *args, **kwargs)
    return bounded


def detect_kind(path: Path, name: str | None = None, detect_first=None) -> str:
    """The kind of a user file, from its headers. ``detect_first`` (lower-case headers → kind or
    None; the monitoring registry files, services/monitoring) is asked before the base kinds."""
    name = name or path.name
    df, issues = read_table(path, name)
    if df is None:
        raise InputRejected(issues)
    cols = {c.lower() for c in df.columns}

    def has(spec, key):
        return any(s.lower() in cols for s in (key, *spec[key]))

    first = detect_first(cols) if detect_first else None
    if first:
        return first
    if has(ACTIVITY_HEADERS, "carrier"):
        return "activity"
    if has(GDP_HEADERS, "gdp"):
        return "gdp"
    if has(OBS_HEADERS, "target"):
        return "observations"
    if "小班号" in cols or "parcel" in cols:
        return "parcels"
    if "建筑编号" in cols or "building_id" in cols:
        return "buildings"
    raise InputRejected([InputIssue("input.missing_column", name, 1, "carrier",
                                    {"column": "carrier / gdp / target",
                                     "accepted": "能源品种 (activity) / 地区生产总值 (GDP) / 目标编号 (target values)"})])


def _read(path: Path, spec, required, name: str | None = None) -> tuple[pd.DataFrame, str]:
    name = name or path.name
    df, issues = read_table(path, name)
    if df is None:
        raise InputRejected(issues)
    df, issues = map_headers(df, spec, required, name)
    if df is None:
        raise InputRejected(issues)
    return df, name


def read_text_table(path: Path, spec: dict[str, tuple[str, ...]], required: tuple[str, ...],
                    name: str | None = None) -> tuple[pd.DataFrame, str]:
    """Read and map headers; every column of ``spec`` present (empty when the file has none),
    every cell stripped text."""
    df, name = _read(path, spec, required, name)
    for col in spec:
        if col not in df.columns:
            df[col] = ""
        df[col] = df[col].astype(str).str.strip()
    return df, name


def illustrative_flags(df: pd.DataFrame, name: str, issues: list[InputIssue]) -> pd.Series:
    if "illustrative" not in df.columns:
        return pd.Series(False, index=df.index)
    low = df["illustrative"].astype(str).str.strip().str.lower()
    for i in df.index[~low.isin(_TRUE | _FALSE)]:
        issues.append(InputIssue("input.bad_value", name, int(df.at[i, "row"]), "illustrative",
                                 {"value": df.at[i, "illustrative"], "reason": said("应为“是”或“否”", "expected true/false (是/否)")}))
    return low.isin(_TRUE)


def stripped(df: pd.DataFrame, columns) -> pd.DataFrame:
    """``df`` with the text cells of ``columns`` stripped of surrounding whitespace, so that the
    duplicate check compares what is stored (" 工业" and "工业" are one key, not an IntegrityError)."""
    for col in columns:
        if col in df.columns:
            df[col] = df[col].map(lambda v: v.strip() if isinstance(v, str) else v)
    return df


def read_activity(path: Path, catalogue: CarrierCatalogue, name: str | None = None) -> pd.DataFrame:
    df, name = _read(path, ACTIVITY_HEADERS, ACTIVITY_REQUIRED, name)
    df = stripped(df, ("year", "region", "sector", "carrier", "unit", "use", "grid", "source"))
    issues: list[InputIssue] = []
    illustrative = illustrative_flags(df, name, issues)
    clean, more = prepare_activity(df, name, catalogue)
    issues += more
    if issues:
        raise InputRejected(sorted(issues, key=lambda x: (x.row or 0, x.column or "")))
    clean["illustrative"] = illustrative.to_numpy()
    return clean


def _year_col(df, name, issues) -> pd.Series:
    y = pd.to_numeric(df["year"].astype(str).str.strip(), errors="coerce")
    for i in df.index[y.isna() | (y % 1 != 0)]:
        issues.append(InputIssue("input.bad_year", name, int(df.at[i, "row"]), "year",
                                 {"value": df.at[i, "year"], "low": 1990, "high": 2100}))
    return y


def _num_col(df, col, name, issues, required=True) -> pd.Series:
    raw = df[col].astype(str).str.strip().str.replace(",", "", regex=False)
    v = pd.to_numeric(raw, errors="coerce")
    for i in df.index[v.isna() & ((raw != "") | required)]:
        code = "input.empty_value" if raw[i] == "" else "input.not_a_number"
        issues.append(InputIssue(code, name, int(df.at[i, "row"]), col, {"value": df.at[i, col]}))
    for i in df.index[~np.isfinite(v.fillna(0))]:
        issues.append(InputIssue("input.not_finite", name, int(df.at[i, "row"]), col, {"value": df.at[i, col]}))
    for i in df.index[(v < 0) & np.isfinite(v.fillna(0))]:
        issues.append(InputIssue("input.negative", name, int(df.at[i, "row"]), col, {"value": df.at[i, col]}))
    return v


def no_duplicates(df: pd.DataFrame, key: list[str], name: str, column: str, issues: list[InputIssue]) -> None:
    """An issue for each row whose natural key repeats an earlier row's (naming that row)."""
    first: dict[tuple, int] = {}
    for i, k in zip(df.index, map(tuple, df[key].astype(str).values)):
        if k in first:
            issues.append(InputIssue("input.duplicate_row", name, int(df.at[i, "row"]), column, {"other": first[k]}))
        else:
            first[k] = int(df.at[i, "row"])


def read_gdp(path: Path, name: str | None = None) -> pd.DataFrame:
    """GDP at current prices, converted to 10⁴ yuan, with the volume index (previous year = 100)."""
    df, name = _read(path, GDP_HEADERS, GDP_REQUIRED, name)
    df = stripped(df, ("region", "unit", "source"))
    issues: list[InputIssue] = []
    illustrative = illustrative_flags(df, name, issues)
    year = _year_col(df, name, issues)
    gdp = _num_col(df, "gdp", name, issues)
    idx = _num_col(df, "index_prev", name, issues, required=False) if "index_prev" in df.columns \
        else pd.Series(np.nan, index=df.index)
    conv = {}
    for u in set(df["unit"]):
        try:
            conv[u] = conversion_factor(u, "万元")
        except UnitError:
            conv[u] = None
    for i in df.index[df["unit"].map(conv).isna()]:
        issues.append(InputIssue("input.unknown_unit", name, int(df.at[i, "row"]), "unit", {"value": df.at[i, "unit"]}))
    issues += positive_issues(gdp, df["row"], name, "gdp")
    issues += band_issues(idx, df["row"], name, "index_prev", GDP_INDEX_BAND,
                          "发展速度为上年=100的指数（如增长5%填105）/ the volume index, previous year = 100 (5 % growth is 105)")
    no_duplicates(df.assign(year=year), ["region", "year"], name, "year", issues)
    if issues:
        raise InputRejected(sorted(issues, key=lambda x: (x.row or 0, x.column or "")))
    return pd.DataFrame({
        "row": df["row"], "region": df["region"].str.strip(), "year": year.astype(int),
        "gdp_current": gdp * df["unit"].map(conv).astype(float), "index_prev": idx,
        "source": df.get("source", pd.Series("", index=df.index)), "illustrative": illustrative,
    })


def read_observations(path: Path, known_targets: set[str], name: str | None = None,
                      share_targets: frozenset[str] = frozenset()) -> pd.DataFrame:
    """Entered target values; a value of a target in ``share_targets`` (a share in %) must lie in [0, 100]."""
    df, name = _read(path, OBS_HEADERS, OBS_REQUIRED, name)
    df = stripped(df, ("target", "source"))
    issues: list[InputIssue] = []
    illustrative = illustrative_flags(df, name, issues)
    year = _year_col(df, name, issues)
    value = pd.to_numeric(df["value"].astype(str).str.strip(), errors="coerce")
    for i in df.index[value.isna()]:
        issues.append(InputIssue("input.not_a_number", name, int(df.at[i, "row"]), "value", {"value": df.at[i, "value"]}))
    for i in df.index[~df["target"].str.strip().isin(known_targets)]:
        issues.append(InputIssue("input.bad_value", name, int(df.at[i, "row"]), "target",
                                 {"value": df.at[i, "target"], "reason": said("方案中没有该目标", "no such target in the plan")}))
    for i in df.index[df["source"].str.strip() == ""]:
        issues.append(InputIssue("input.empty_value", name, int(df.at[i, "row"]), "source", {}))
    share = df["target"].str.strip().isin(share_targets)
    issues += band_issues(value[share], df["row"], name, "value", SHARE_BAND, "比重/比率（%）/ a share in %")
    no_duplicates(df.assign(year=year), ["target", "year"], name, "target", issues)
    if issues:
        raise InputRejected(sorted(issues, key=lambda x: (x.row or 0, x.column or "")))
    return pd.DataFrame({"row": df["row"], "target": df["target"].str.strip(), "year": year.astype(int),
                         "value": value, "source": df["source"].str.strip(), "illustrative": illustrative})


def read_typed(path: Path, columns: dict[str, tuple], key: list[str], name: str | None = None,
               issues: list[InputIssue] | None = None) -> pd.DataFrame:
    """Read a table declared column by column: ``columns`` maps a canonical name to
    (accepted spellings, type, required), type being "text", "number" (≥ 0), "int", "date",
    or a dict mapping accepted spellings to canonical values. Every problem names file, row and
    column; rows repeating ``key`` are refused too. With ``issues`` given, problems are added to
    it (the caller goes on checking and refuses the file with all of them) instead of raised."""
    spec = {c: v[0] for c, v in columns.items()}
    required = tuple(c for c, v in columns.items() if v[2])
    df, name = read_text_table(path, spec, required, name)
    collect = issues is not None
    issues = issues if collect else []
    df["illustrative"] = illustrative_flags(df, name, issues)
    for col, (_, kind, req) in columns.items():
        if col == "illustrative":
            continue
        raw = df[col]
        empty = raw == ""
        if req:
            for i in df.index[empty]:
                issues.append(InputIssue("input.empty_value", name, int(df.at[i, "row"]), col, {}))
        if kind == "number":
            df[col] = _num_col(df, col, name, issues, required=False)
        elif kind == "int":
            v = pd.to_numeric(raw, errors="coerce")
            for i in df.index[~empty & (v.isna() | (v % 1 != 0))]:
                issues.append(InputIssue("input.not_a_number", name, int(df.at[i, "row"]), col, {"value": raw[i]}))
            df[col] = v
        elif kind == "date":
            v = pd.to_datetime(raw, errors="coerce", format="mixed")
            for i in df.index[~empty & v.isna()]:
                issues.append(InputIssue("input.bad_value", name, int(df.at[i, "row"]), col,
                                         {"value": raw[i], "reason": said("应为日期，如 2026-06-30", "expected a date such as 2026-06-30")}))
            df[col] = [None if pd.isna(x) else x.date() for x in v]
        elif isinstance(kind, dict):
            mapped = raw.map(kind)
            for i in df.index[~empty & mapped.isna()]:
                issues.append(InputIssue("input.bad_value", name, int(df.at[i, "row"]), col,
                                         {"value": raw[i], "reason": said("应为 " + "/".join(dict.fromkeys(kind)) + " 之一", "expected one of " + "/".join(dict.fromkeys(kind)))}))
            df[col] = mapped
    no_duplicates(df, key, name, key[-1], issues)
    if issues and not collect:
        raise InputRejected(sorted(issues, key=lambda x: (x.row or 0, x.column or "")))
    return df
