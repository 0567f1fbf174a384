"""The open data sets of carbon dual control (碳排放双控): the figures on each electricity factor basis,
the budget path and its use, the 协同考核 table and the 以电折碳 monthly estimate (every row of it
marked as an estimate, the last official inventory beside it). Flat rows from the services/carbon
results the /carbon page and /api/carbon/* answer with, each with the source of its numbers, the
factor basis and scope, ``illustrative`` and ``proxy_factor`` like every open data set."""

from __future__ import annotations

from typing import Any

from ...domain.messages import render
from .. import carbon
from ..errors import NotFound
from ..platform import Platform

CARBON_DATASETS = {
    "carbon_indicators": ("碳排放总量与强度（逐年，分电力排放因子口径）", "carbon totals and intensity per year and factor basis"),
    "carbon_budget": ("碳排放预算及执行（逐年、逐月，含预警等级）", "carbon budget and its use per year and month, with warnings"),
    "carbon_assessment": ("碳排放协同考核表（分部门、分乡镇）", "carbon assessment table per department and township"),
    "carbon_estimate": ("以电折碳月度估算（估算值，附最近正式清单）", "monthly carbon estimate from electricity (estimate), beside the last inventory"),
}


def carbon_dataset(platform: Platform, name: str, year: int | None, lang: str) -> list[dict[str, Any]]:
    if name not in CARBON_DATASETS:
        raise NotFound(f"no open data set {name!r}")
    ctx = carbon.context(platform)
    proxied = set(ctx.proxy_years)  # the years whose inventory uses a proxy grid factor
    make = {"carbon_indicators": _indicators, "carbon_budget": _budget, "carbon_assessment": _assessment,
            "carbon_estimate": _estimate}[name]
    return make(platform, ctx, year, lang, proxied)


def _scope(lang: str) -> str:
    return render("carbon.text.scope_consumption", {}, lang)


def _indicators(platform, ctx, year, lang, proxied) -> list[dict[str, Any]]:
    f = carbon.carbon_figures(platform, ctx)
    return [{"year": r.year, "basis": r.basis, "basis_name": render(f"carbon.basis.{r.basis}", {}, lang),
             "factor_t_per_mwh": r.factor_t_per_mwh, "factor_source": r.factor_source, "proxy_year": r.proxy_year,
             "co2_direct_t": r.direct_co2_t, "electricity_mwh": r.electricity_mwh,
             "green_certificate_mwh": r.green_certificate_mwh, "electricity_co2_t": r.electricity_co2_t,
             "total_co2_t": r.total_co2_t, "gdp_constant": r.gdp_constant, "price_base_year": r.price_base_year,
             "intensity": r.intensity, "inventory_net_co2_t": r.inventory_net_co2_t, "scope": _scope(lang),
             "source": render("carbon.text.open_indicators", {}, lang), "illustrative": r.illustrative,
             "proxy_factor": r.proxy_year is not None or (r.basis == "average" and r.year in proxied)}
            for r in f.rows if year is None or r.year == year]


def _path_proxy(path: carbon.PathResult, est: carbon.EstimateResult | None, proxied: set[int]) -> bool:
    """Whether the budget rests on a proxy factor: its base year's inventory, or the estimate's calibration year."""
    used = est.calibration_year if path.base_co2_source == "估算" and est is not None else path.base_year
    return used in proxied


def _budget(platform, ctx, year, lang, proxied) -> list[dict[str, Any]]:
    path, tr = carbon.county_path(platform, ctx), carbon.tracking(platform, ctx)
    est = carbon.monthly_estimate(platform, None, ctx) if path.base_co2_source == "估算" else None
    use = {u.period: u for u in (*tr.years, *tr.months)}
    src = render("carbon.text.open_budget", {"base_year": path.base_year,
                                            "base": render(f"carbon.source.{path.base_co2_source}", {}, lang),
                                            "rule": render(f"carbon.text.{path.rule}", {}, lang)}, lang)
    common = {"scope": _scope(lang), "source": src, "illustrative": path.illustrative,
              "proxy_factor": _path_proxy(path, est, proxied)}
    rows = []
    for y, g, i, b in zip(path.years, path.gdp, path.intensity, path.budget_t):
        u = use.get(str(y))
        rows.append({"period": str(y), "gdp_constant": g, "intensity": i, "budget_t": b,
                     "actual_t": u.actual_t if u else None, "ratio": u.ratio if u else None,
                     "level": u.level if u else "", "estimated": bool(u and u.estimated), **common})
    rows += [{"period": u.period, "gdp_constant": None, "intensity": None, "budget_t": u.budget_t, "actual_t": u.actual_t,
              "ratio": u.ratio, "level": u.level, "estimated": u.estimated, **common} for u in tr.months]
    return [r for r in rows if year is None or r["period"].startswith(str(year))]


def _assessment(platform, ctx, year, lang, proxied) -> list[dict[str, Any]]:
    a = carbon.assessment(platform, year, ctx)
    path = carbon.county_path(platform, ctx)
    est = carbon.monthly_estimate(platform, None, ctx) if path.base_co2_source == "估算" else None
    src = render("carbon.text.open_assessment", {"rule": render(f"carbon.rule.{a.rule}", {}, lang),
                                                "weights": "；".join(render(f"carbon.text.{w}", {}, lang)
                                                                    for w in a.weight_basis)}, lang)
    return [{"year": a.year, "name": r.name, "kind": r.kind, "sectors": "、".join(r.sectors), "budget_t": r.budget_t,
             "actual_t": r.actual_t, "ratio": r.ratio, "level": r.level, "remark": render(f"carbon.text.{r.note}", {}, lang),
             "scope": _scope(lang), "source": src, "illustrative": path.illustrative,
             "proxy_factor": _path_proxy(path, est, proxied)} for r in a.rows]


def _estimate(platform, ctx, year, lang, proxied) -> list[dict[str, Any]]:
    e = carbon.monthly_estimate(platform, year, ctx)
    src = render("carbon.text.open_estimate", {"calibration": e.calibration_year}, lang)
    label = render("carbon.source.估算", {}, lang)
    common = {"year": e.year, "calibration_year": e.calibration_year, "band": e.band, "scope": _scope(lang),
              "source": src, "illustrative": e.illustrative, "proxy_factor": e.calibration_year in proxied}
    rows = []
    for m in e.months_list:
        rows += [{"month": m.month, "sector": s, "co2_t": v, "label": label, "estimated": True, **common}
                 for s, v in m.by_sector.items()]
        rows.append({"month": m.month, "sector": render("carbon.text.total", {}, lang), "co2_t": m.co2_t, "label": label,
                     "estimated": True, **common})
    rows.append({**common, "year": e.last_inventory_year, "month": None, "sector": render("carbon.text.total", {}, lang),
                 "co2_t": e.last_inventory_co2_t, "label": render("carbon.text.last_inventory", {}, lang),
                 "estimated": False, "band": None, "source": render("carbon.source.inventory", {}, lang),
                 "proxy_factor": e.last_inventory_year in proxied})
    return rows
