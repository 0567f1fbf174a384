"""JSON for every front end: NaN and infinities become null (a missing value is "not
estimated", never a number), numpy scalars become plain numbers, dates ISO strings."""

from __future__ import annotations

import dataclasses
import json
import math
from typing import Any

import msgspec


def clean(obj: Any) -> Any:
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):  # a service's typed result
        return clean(dataclasses.asdict(obj))
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


# Column headers of the open data sets in Chinese, for people (``?headers=zh``); the codes stay the
# machine-readable default. A column without a name here keeps its code.
OPEN_HEADERS_ZH: dict[str, str] = {
    "year": "年份", "indicator": "指标", "basis": "口径", "value": "数值", "unit": "单位", "convention": "电力折标方法",
    "price_base_year": "价格基年", "qualifier": "说明", "formula": "公式", "inputs": "输入", "illustrative": "示例数据",
    "proxy_factor": "使用代用因子", "region": "地区", "sector": "部门", "carrier": "能源品种", "use": "用途",
    "quantity": "数量", "energy_tce": "能耗（吨标准煤）", "co2_direct_t": "直接排放（吨二氧化碳）",
    "co2_electricity_t": "电力净调入排放（吨二氧化碳）", "co2_t": "合计排放（吨二氧化碳）", "factors": "因子及来源",
    "activity_source": "活动数据来源", "target": "目标编号", "name": "名称", "light": "灯", "actual": "实际值",
    "expected": "时序目标值", "target_value": "目标值", "rule": "判定规则", "why": "原因", "base_assumed": "基期为假设",
    "base_note": "基期说明", "source": "来源", "uscc": "统一社会信用代码", "category": "类别", "industry": "行业",
    "connected": "已接入", "budget_light": "用能预算灯", "efficiency": "能效水平", "below_limit": "未达限额",
    "data_findings": "数据质量提示",
    # carbon dual control (services/reports/open_data_carbon.py)
    "basis_name": "电力排放因子口径", "factor_t_per_mwh": "电力排放因子（吨二氧化碳/兆瓦时）", "factor_source": "因子来源",
    "proxy_year": "借用因子年份", "electricity_mwh": "终端用电量（兆瓦时）", "green_certificate_mwh": "绿证电量（兆瓦时）",
    "electricity_co2_t": "用电排放（吨二氧化碳）", "total_co2_t": "排放总量（吨二氧化碳）",
    "gdp_constant": "地区生产总值（万元，不变价）", "intensity": "强度（吨二氧化碳/万元）",
    "inventory_net_co2_t": "清单净排放（吨二氧化碳）", "scope": "统计范围", "period": "期间", "budget_t": "预算（吨二氧化碳）",
    "actual_t": "实际或估算（吨二氧化碳）", "ratio": "使用率", "level": "预警等级", "estimated": "估算值", "kind": "类别",
    "sectors": "所含行业", "remark": "备注", "month": "月份", "calibration_year": "校准清单年份", "band": "误差带（±比例）",
    "label": "性质",
}


def with_headers(rows: list[dict[str, Any]], headers: str) -> list[dict[str, Any]]:
    """``rows`` with Chinese column headers (``headers="zh"``) or as they are (the codes)."""
    if headers != "zh":
        return rows
    return [{OPEN_HEADERS_ZH.get(k, k): v for k, v in r.items()} for r in rows]
