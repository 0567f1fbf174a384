"""Registry-type monitoring files (key units, metering points, budgets, outputs, 205-1 forms, the
"两高" list): their column schemas, how a file's kind is recognised, and the checks a file passes
before services/imports.py writes it (atomic, idempotent, audited)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ...domain.findings import InputIssue
from ...domain.messages import said
from ...domain.monitoring import uscc_problem
from ...domain.units import UnitError, conversion_factor
from ...store.models_monitoring import REGISTRY_TABLES
from ...store.queries import monitoring as q
from ..errors import InputRejected
from ..platform import Platform
from ..tables import read_typed

ONLINE_THRESHOLD_TCE = 10_000  # plan: online monitoring of units using ≥ 10 000 tce a year
SUPERVISION_THRESHOLD_TCE = 1_000  # plan: energy supervision of units using ≥ 1 000 tce a year
_USCC = ("统一社会信用代码", "USCC", "enterpriseCode")
_SRC = {"source": (("来源", "数据来源"), "text", False), "illustrative": (("示例数据", "示例"), "text", False)}

FILE_KINDS: dict[str, dict[str, tuple]] = {
    "key_units": {
        "uscc": (_USCC, "text", True), "name": (("单位名称", "企业名称"), "text", True),
        "industry_code": (("行业代码",), "text", True), "industry": (("行业", "行业名称"), "text", False),
        "town": (("乡镇", "所在乡镇"), "text", False),
        "annual_energy_tce": (("年综合能耗", "年综合能耗(吨标准煤)", "年综合能耗（吨标准煤）"), "number", True),
        "category": (("监管类别", "类别"), {"在线监测": "online", "online": "online", "节能监察": "supervision",
                                         "supervision": "supervision"}, False), **_SRC},
    "metering_points": {
        "uscc": (_USCC, "text", True), "code": (("计量点编码", "dataCode", "计量点"), "text", True),
        "carrier": (("能源品种",), "text", True), "unit": (("计量单位", "单位"), "text", True),
        "multiplier": (("倍率",), "number", False),
        "kind": (("表计类型", "类型"), {"累计值": "counter", "累计": "counter", "counter": "counter",
                                    "周期量": "amount", "增量": "amount", "amount": "amount"}, True),
        "interval_min": (("采集间隔", "采集间隔(分钟)", "采集间隔（分钟）"), "int", False),
        "max_rate": (("每小时上限", "最大速率"), "number", False),
        "calibration_expiry": (("检定有效期至", "检定有效期"), "date", False),
        "description": (("说明", "名称"), "text", False), **_SRC},
    "energy_budgets": {
        "uscc": (_USCC, "text", True), "year": (("年份",), "int", True),
        "budget_tce": (("用能预算", "年度用能预算(吨标准煤)", "年度用能预算（吨标准煤）"), "number", True), **_SRC},
    "unit_outputs": {
        "uscc": (_USCC, "text", True), "year": (("年份",), "int", True), "product": (("产品", "产品名称"), "text", True),
        "output_t": (("产量", "产量(吨)", "产量（吨）"), "number", True),
        "energy_tce": (("产品综合能耗", "产品综合能耗(吨标准煤)", "产品综合能耗（吨标准煤）"), "number", True), **_SRC},
    "form_205_1": {
        "uscc": (_USCC, "text", True), "year": (("年份",), "int", True), "month": (("月份",), "int", True),
        "row_code": (("行代码", "代码"), "text", False), "carrier": (("能源名称", "能源品种"), "text", True),
        "unit": (("计量单位",), "text", True), "consumption": (("消费量合计", "消费量"), "number", True),
        "consumption_tce": (("折标准煤", "消费量折标准煤(吨)", "消费量折标准煤（吨）"), "number", False), **_SRC},
    "two_high": {
        "name": (("项目名称",), "text", True), "uscc": (_USCC, "text", False),
        "status": (("项目状态", "状态"), {"在建": "在建", "拟建": "拟建", "存量": "存量"}, True),
        "industry": (("行业",), "text", False), "product": (("产品",), "text", True),
        "capacity": (("产能", "设计产能"), "text", False),
        "unit_energy": (("单位产品能耗", "单位产品综合能耗"), "number", True), **_SRC},
}
FILE_KEYS = {"key_units": ["uscc"], "metering_points": ["uscc", "code"], "energy_budgets": ["uscc", "year"],
             "unit_outputs": ["uscc", "year", "product"], "form_205_1": ["uscc", "year", "month", "carrier"],
             "two_high": ["name"]}
_MODELS = REGISTRY_TABLES  # kind → (table, natural key), store/models_monitoring.py
REGISTRY_MODELS = _MODELS  # imports write them; services/permissions.py reads them from the store
_INDUSTRY = re.compile(r"^[A-T]?\d{2,4}$")


def detect(cols: set[str]) -> str | None:
    """The monitoring file kind a set of (lower-case) headers belongs to, if any."""
    def has(kind, col):
        return any(s.lower() in cols for s in (col, *FILE_KINDS[kind][col][0]))
    if has("two_high", "unit_energy"):
        return "two_high"
    if has("form_205_1", "month") and has("form_205_1", "consumption"):
        return "form_205_1"
    if has("metering_points", "code") and has("metering_points", "kind"):
        return "metering_points"
    if has("energy_budgets", "budget_tce"):
        return "energy_budgets"
    if has("unit_outputs", "output_t"):
        return "unit_outputs"
    if has("key_units", "industry_code"):
        return "key_units"
    return None


def read_records(platform: Platform, kind: str, path: Path, name: str) -> tuple[pd.DataFrame, list[dict], Any, tuple, str]:
    """Validate a monitoring registry file; returns (frame, records, model, natural key, column)."""
    issues: list[InputIssue] = []
    df = read_typed(path, FILE_KINDS[kind], FILE_KEYS[kind], name, issues)
    rows = df["row"].astype(int).tolist()
    with platform.sessions() as s:
        units = q.unit_ids_by_uscc(s)
    _check_uscc(kind, df, rows, units, name, issues)
    if kind == "key_units":
        _check_key_units(df, rows, name, issues)
    if kind in ("metering_points", "form_205_1"):
        _check_carriers(platform, df, rows, name, issues)
    if kind == "metering_points":
        _check_points(df, rows, name, issues)
    if kind == "form_205_1":
        for i, m in zip(rows, df["month"]):
            if not pd.isna(m) and not 1 <= m <= 12:
                issues.append(InputIssue("input.bad_value", name, i, "month", {"value": m, "reason": "1–12"}))
    if issues:
        raise InputRejected(sorted(issues, key=lambda x: (x.row or 0, x.column or "")))
    model, key = _MODELS[kind]
    return df, _records(kind, df, model, units), model, key, FILE_KEYS[kind][-1]


def _check_uscc(kind: str, df: pd.DataFrame, rows: list[int], units: dict, name: str, issues: list[InputIssue]) -> None:
    """Every USCC well-formed and, outside the unit and "两高" files, naming a registered unit."""
    new_units = set(df["uscc"]) if kind == "key_units" else set()
    for i, code in zip(rows, df["uscc"]):
        if not code:
            continue
        why = uscc_problem(code)
        if why:
            issues.append(InputIssue("input.bad_uscc", name, i, "uscc", {"value": code, "reason": why}))
        elif kind not in ("key_units", "two_high") and code not in units and code not in new_units:
            issues.append(InputIssue("input.unknown_unit_code", name, i, "uscc", {"value": code}))


def _check_key_units(df: pd.DataFrame, rows: list[int], name: str, issues: list[InputIssue]) -> None:
    """GB/T 4754 industry codes; the category, when not given, from the annual energy use."""
    for i, code in zip(rows, df["industry_code"]):
        if code and not _INDUSTRY.match(code):
            issues.append(InputIssue("input.bad_value", name, i, "industry_code",
                                     {"value": code, "reason": said("应为 GB/T 4754 行业代码，如 C3011", "GB/T 4754 code such as C3011")}))
    df["category"] = [c if isinstance(c, str) else None if pd.isna(e) else ("online" if e >= ONLINE_THRESHOLD_TCE else "supervision")
                      for c, e in zip(df["category"], df["annual_energy_tce"])]


def _check_carriers(platform: Platform, df: pd.DataFrame, rows: list[int], name: str, issues: list[InputIssue]) -> None:
    """Carriers resolved against the catalogue (in place), each with a unit convertible to its own."""
    cat = platform.ref.catalogue
    resolved = []
    for i, c, u in zip(rows, df["carrier"], df["unit"]):
        canon = cat.resolve(c) if c else None
        resolved.append(canon)
        if not c or not u:
            continue
        if canon is None:
            issues.append(InputIssue("input.unknown_carrier", name, i, "carrier",
                                     {"value": c, "examples": "原煤、天然气、电力"}))
            continue
        try:
            conversion_factor(u, cat.carriers[canon].canonical_unit)
        except UnitError:
            issues.append(InputIssue("input.unit_mismatch", name, i, "unit",
                                     {"value": u, "carrier": canon, "expected": cat.carriers[canon].canonical_unit}))
    df["carrier"] = resolved


def _check_points(df: pd.DataFrame, rows: list[int], name: str, issues: list[InputIssue]) -> None:
    """Metering points: a positive multiplier (default 1) and a usual interval (default 15 min)."""
    df["multiplier"] = df["multiplier"].fillna(1.0)
    df["interval_min"] = df["interval_min"].fillna(15)
    for i, m, iv in zip(rows, df["multiplier"], df["interval_min"]):
        if pd.isna(m) or pd.isna(iv):
            continue
        if m <= 0:
            issues.append(InputIssue("input.bad_value", name, i, "multiplier", {"value": m, "reason": "> 0"}))
        if iv not in (1, 5, 10, 15, 30, 60):
            issues.append(InputIssue("input.bad_value", name, i, "interval_min",
                                     {"value": iv, "reason": said("应为 1、5、10、15、30、60 分钟之一", "one of 1, 5, 10, 15, 30, 60 minutes")}))


def _records(kind: str, df: pd.DataFrame, model: Any, units: dict) -> list[dict]:
    """The rows as the table's records, USCCs replaced by unit ids."""
    columns = set(model.__table__.columns.keys())
    records = []
    for r in df.to_dict("records"):
        rec = {c: _plain(r[c]) for c in FILE_KINDS[kind] if c in columns}
        if "unit_id" in columns:
            rec["unit_id"] = units.get(r["uscc"])
        if "illustrative" in columns:
            rec["illustrative"] = bool(r["illustrative"])
        records.append(rec)
    return records


def _plain(v):
    if isinstance(v, float) and np.isnan(v):
        return None
    if isinstance(v, (np.integer,)):
        return int(v)
    if isinstance(v, (np.floating,)):
        return float(v)
    return v

