"""The open data sets (开放数据) as flat rows, each with the provenance of its figures."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

from .. import flags, monitoring, views
from ..errors import NotFound
from ..platform import Platform
from .open_data_carbon import CARBON_DATASETS, carbon_dataset

OPEN_DATASETS = {
    "indicators": ("主要指标（逐年，含公式与输入）", "headline indicators per year, with formula and inputs"),
    "inventory": ("能源与碳排放清单明细（含因子及来源）", "inventory lines with factors and their sources"),
    "targets": ("目标晴雨表", "target barometer"),
    "supervision": ("重点用能单位监察结果", "supervision results of key energy-using units"),
    **CARBON_DATASETS,  # 碳排放双控 (open_data_carbon.py)
}


def open_dataset(platform: Platform, name: str, year: int | None = None, lang: str = "zh") -> list[dict[str, Any]]:
    """One published data set as flat rows, each with the provenance of its figures."""
    if name == "indicators":
        ov = views.overview(platform, year, lang)
        proxied = flags.proxy_years(ov.barometer.findings)  # the proxy findings of every year
        rows = []
        for y in ov.years:
            for h in views.overview(platform, y, lang).headline:
                if h.get("year") != y:
                    continue
                rows.append({"year": y, "indicator": h["code"], "basis": h.get("basis", ""), "value": h["value"],
                             "unit": h.get("unit", ""), "convention": h.get("convention", ""),
                             "price_base_year": h.get("price_base_year"), "qualifier": h.get("qualifier", ""),
                             "formula": h.get("formula", ""),
                             "inputs": _flat(h.get("inputs")), "illustrative": h.get("illustrative", False),
                             "proxy_factor": flags.value_proxy(h["code"], h.get("basis", ""), y,
                                                               h.get("price_base_year"), proxied)})
        return rows
    if name == "inventory":
        y = year or (views.overview(platform, None, lang).year)
        inv = views.inventory_view(platform, y, lang=lang)
        return [{"year": ln["year"], "region": ln["region"], "sector": ln["sector"], "carrier": ln["carrier"],
                 "use": ln["use"], "quantity": ln["quantity"], "unit": ln["unit"], "energy_tce": ln["energy_tce"],
                 "co2_direct_t": ln["co2_direct_t"], "co2_electricity_t": ln["co2_electricity_t"], "co2_t": ln["co2_t"],
                 "factors": "; ".join(f"{f['id']}={f['value']} {f['unit']} ({f['source']}; {f['status']})" for f in ln["factors"]),
                 "activity_source": ln["source"], "illustrative": ln["illustrative"],
                 "proxy_factor": ln["proxy_factor"]} for ln in inv["lines"]]
    if name == "targets":
        y = year or (views.overview(platform, None, lang).year)
        bar = views.barometer(platform, y, lang)
        return [{"year": y, "target": t.id, "name": t.name, "light": t.light, "actual": t.actual,
                 "expected": t.expected, "target_value": t.target_value, "unit": t.unit, "rule": t.rule,
                 "why": t.why, "base_assumed": t.base_assumed, "base_note": t.base_note,
                 "source": _flat(t.source), "illustrative": t.illustrative,
                 "proxy_factor": t.proxy_factor} for t in bar.targets]
    if name == "supervision":
        metered = monitoring.metered_totals(platform)
        y = year or (metered[-1]["year"] if metered else date.today().year)
        d = monitoring.plain(monitoring.disclosure(platform, y, lang))
        return [{"year": y, "unit": u["name"], "uscc": u["uscc"], "category": u["category"], "industry": u["industry"],
                 "connected": u["connected"], "energy_tce": u["energy_tce"], "budget_light": u["budget_light"],
                 "efficiency": "; ".join(f"{e['product']}: {e['class']}" for e in u["efficiency"]),
                 "below_limit": u["below_limit"], "data_findings": u["data_findings"],
                 "source": "metered monthly series; efficiency benchmarks refdata/efficiency_benchmark",
                 "illustrative": u["illustrative"],
                 "proxy_factor": False} for u in d["units"]]  # energy and efficiency only: no grid factor
    if name in CARBON_DATASETS:
        return carbon_dataset(platform, name, year, lang)
    raise NotFound(f"no open data set {name!r}: " + ", ".join(OPEN_DATASETS))


def _flat(v: Any) -> str:
    if dataclasses.is_dataclass(v) and not isinstance(v, type):  # a typed result: its fields, in order
        v = {f.name: getattr(v, f.name) for f in dataclasses.fields(v)}
    if isinstance(v, dict):
        return "; ".join(f"{k}={_flat(x)}" for k, x in v.items())
    if isinstance(v, (list, tuple)):
        return ", ".join(_flat(x) for x in v)
    return "" if v is None else str(v)
