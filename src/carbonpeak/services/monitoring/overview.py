"""The overview of the key units (registry, metered totals, budget, efficiency, findings) and the
public supervision results built on it."""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd

from ..platform import Platform
from .checks import quality
from .files import ONLINE_THRESHOLD_TCE, SUPERVISION_THRESHOLD_TCE
from .metered import _as_of, series
from .performance import budgets, efficiency


def units_view(platform: Platform, year: int, as_of: date | None = None, lang: str = "zh") -> dict[str, Any]:
    s = series(platform, year)
    units, points = s["units"], s["points"]
    as_of = as_of or _as_of(s, year)
    m = s["month"]
    tot = m.groupby("unit_id").agg(energy_tce=("energy_tce", "sum"), co2_t=("co2_t", "sum"))
    bud = {b["uscc"]: b for b in budgets(platform, year, as_of, lang=lang)["items"]}
    eff: dict[str, list] = {}
    for e in efficiency(platform, year, lang)["units"]:
        eff.setdefault(e["uscc"], []).append(e)
    findings = quality(platform, year, as_of)
    nf: dict[str, int] = {}
    for f in findings:
        nf[f.params.get("uscc")] = nf.get(f.params.get("uscc"), 0) + 1
    items = []
    for _, u in units.sort_values(["category", "annual_energy_tce"], ascending=[True, False]).iterrows():
        items.append({"uscc": u["uscc"], "name": u["name"], "industry_code": u["industry_code"], "industry": u["industry"],
                      "town": u["town"], "category": u["category"], "annual_energy_tce": u["annual_energy_tce"],
                      "points": int((points["unit_id"] == u["id"]).sum()),
                      "last_seen": None if pd.isna(u["last_seen_at"]) else pd.Timestamp(u["last_seen_at"]).isoformat(),
                      "token": bool(u["token_hint"]) if isinstance(u["token_hint"], str) else False,
                      "energy_tce": float(tot["energy_tce"].get(u["id"], 0.0)),
                      "co2_t": float(tot["co2_t"].get(u["id"], 0.0)),
                      "budget": bud.get(u["uscc"]), "efficiency": eff.get(u["uscc"], []),
                      "findings": nf.get(u["uscc"], 0), "illustrative": bool(u["illustrative"])})
    return {"year": year, "as_of": as_of.isoformat(), "units": items,
            "thresholds": {"online_tce": ONLINE_THRESHOLD_TCE, "supervision_tce": SUPERVISION_THRESHOLD_TCE},
            "findings": [f.as_dict(lang) for f in findings],
            "factor_findings": [f.as_dict(lang) for f in s["factor_findings"]]}


def disclosure(platform: Platform, year: int, lang: str = "zh") -> dict[str, Any]:
    """The public supervision results (向社会公开节能监察工作情况): per unit its category, whether it
    is connected, data completeness, budget light, efficiency class and the units that must
    rectify. No meter data is published."""
    v = units_view(platform, year, lang=lang)
    eff = efficiency(platform, year, lang)
    rows = []
    for u in v["units"]:
        worst = None
        for e in u["efficiency"]:
            if e["class"] == "below_baseline":
                worst = e
        rows.append({"name": u["name"], "uscc": u["uscc"], "industry": u["industry"], "town": u["town"],
                     "category": u["category"], "connected": u["last_seen"] is not None,
                     "energy_tce": round(u["energy_tce"], 1),
                     "budget_light": (u["budget"] or {}).get("light"),
                     "efficiency": [{"product": e["product"], "class": e["class"]} for e in u["efficiency"]],
                     "below_limit": worst is not None, "data_findings": u["findings"],
                     "illustrative": u["illustrative"]})
    return {"year": year, "as_of": v["as_of"], "units": rows, "rectification": eff["rectification"],
            "note": ("能耗为在线计量值（逐月序列）；能效水平按各基准值的规则判定；示范单位的读数为模拟数据。" if lang == "zh" else
                     "energy figures are metered (monthly series); efficiency classes follow the rule shown with each "
                     "benchmark; the demo units' readings are simulated")}
