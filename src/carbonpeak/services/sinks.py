"""The carbon-sink ledger (碳汇资源“一本账”), first increment: forest management inventory files
(小班 parcels) → carbon stock per parcel and by township and species group → annual sink by
stock difference between two inventories. Nothing is stored yet; every figure carries the ids of
the factor rows it used, and the factors are flagged unverified where they are."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pandas as pd

from ..domain.findings import InputIssue
from ..domain.sinks import (
    AREA_LAND_TYPES,
    AREA_PARAMETERS,
    PARAMETERS,
    area_carbon,
    forest_cover,
    parcel_stocks,
    sink_by_difference,
    sink_by_growth,
)
from ..store.queries import sinks as q
from ..store.queries.sinks import Session
from . import versions
from .errors import InputRejected, NotFound
from .platform import Platform, Reference
from .serialize import clean
from .tables import illustrative_flags, no_duplicates, read_text_table

PARCEL_HEADERS: dict[str, tuple[str, ...]] = {
    "year": ("年份", "调查年度"), "township": ("乡镇",), "village": ("村",), "parcel": ("小班号", "小班"),
    "land_type": ("地类",), "forest_type": ("森林类别", "林种"), "species_group": ("优势树种组", "优势树种"),
    "origin": ("起源",), "age_class": ("龄组",), "area_ha": ("面积", "面积(公顷)", "面积（公顷）"),
    "volume_m3_per_ha": ("每公顷蓄积", "每公顷蓄积(立方米)", "每公顷蓄积（立方米）"),
    "source": ("来源", "数据来源"), "illustrative": ("示例数据", "示例"),
}
FOREST_LAND_TYPES = ("乔木林地", "竹林地", "特殊灌木林地", "国家特别规定灌木林地")
REQUIRED = ("year", "township", "parcel", "species_group", "area_ha", "volume_m3_per_ha")
KEY = ["year", "township", "village", "parcel"]


def read_parcels(path: Path, name: str | None = None) -> pd.DataFrame:
    df, name = read_text_table(path, PARCEL_HEADERS, REQUIRED, name)
    issues: list[InputIssue] = []
    df["illustrative"] = illustrative_flags(df, name, issues)
    # bamboo and tea parcels are measured by area: their stem volume may be left empty
    df.loc[df["land_type"].isin(list(AREA_LAND_TYPES)) & (df["volume_m3_per_ha"] == ""), "volume_m3_per_ha"] = "0"
    for col in ("year", "area_ha", "volume_m3_per_ha"):
        v = pd.to_numeric(df[col], errors="coerce")
        for i in df.index[v.isna() | (v < 0)]:
            code = "input.empty_value" if df.at[i, col] == "" else ("input.negative" if not pd.isna(v[i]) else "input.not_a_number")
            issues.append(InputIssue(code, name, int(df.at[i, "row"]), col, {"value": df.at[i, col]}))
        df[col] = v
    for col in ("township", "parcel", "species_group"):
        for i in df.index[df[col] == ""]:
            issues.append(InputIssue("input.empty_value", name, int(df.at[i, "row"]), col, {}))
    no_duplicates(df, KEY, name, "parcel", issues)
    if issues:
        raise InputRejected(sorted(issues, key=lambda x: (x.row or 0, x.column or "")))
    if df["year"].nunique() != 1:
        raise InputRejected([InputIssue("input.bad_value", name, None, "year",
                                        {"value": sorted(df["year"].unique().tolist()), "reason": "one inventory year per file"})])
    return df


def _params(ref: Reference) -> pd.DataFrame:
    t = ref.factors.of_kind("forest_carbon")
    values = t.pivot_table(index="carrier", columns="parameter", values="canonical", aggfunc="first")
    ids = t.pivot_table(index="carrier", columns="parameter", values="factor_id", aggfunc="first")
    complete = values.dropna(subset=list(PARAMETERS)).index
    out = values.loc[complete, list(PARAMETERS)].copy()
    for k in PARAMETERS:
        out[f"{k}_id"] = ids.loc[complete, k]
    return out


def ledger(paths: list[Path], ref: Reference) -> dict[str, Any]:
    """Stock per inventory file by township and species group; with two, the annual sink."""
    if not 1 <= len(paths) <= 2:
        raise ValueError("one or two inventory files")
    return _ledger([read_parcels(p).assign(_file=p.name) for p in paths], ref)


def stored_ledger(platform: Platform, land_area_km2: float | None = None) -> dict[str, Any]:
    """The ledger of every stored inventory; the sink between the last two; forest cover. Computed
    once per version of the parcels and factors (each caller gets its own copy to change)."""
    with platform.sessions() as s:
        return stored_ledger_in(s, platform, land_area_km2)


def stored_ledger_in(s: Session, platform: Platform, land_area_km2: float | None = None) -> dict[str, Any]:
    """:func:`stored_ledger` with the parcels read in the caller's session (a cached ledger reads none)."""
    key = ("sinks-ledger", land_area_km2, versions.key(platform, ("sinks", "factors")))
    return copy.deepcopy(platform.cached(key, lambda: _stored_ledger(s, platform, land_area_km2)))


def _stored_ledger(s: Session, platform: Platform, land_area_km2: float | None) -> dict[str, Any]:
    rows = q.parcels(s)
    if not rows:
        raise NotFound("no forest inventory stored: import a 小班 table (carbonpeak import FILE)")
    df = pd.DataFrame([{c: getattr(r, c) for c in ("year", "township", "village", "parcel", "land_type",
                                                  "species_group", "age_class", "area_ha", "volume_m3_per_ha",
                                                  "illustrative")}
                       | {"row": r.id} for r in rows])
    frames = [g.assign(_file="database") for _, g in df.groupby("year")]
    out = _ledger(frames[-2:], platform.ref, all_years=frames)
    for inv, frame in zip(out["inventories"], frames[-2:], strict=True):
        forest = float(frame.loc[frame["land_type"].isin(FOREST_LAND_TYPES), "area_ha"].sum())
        inv["forest_area_ha"] = forest
        inv["forest_cover_pct"] = forest_cover(forest, land_area_km2) if land_area_km2 and forest else None
        inv["illustrative"] = bool(frame["illustrative"].any())
    return out


def _growth_rates(ref: Reference) -> dict[tuple[str, str], tuple[float, str]]:
    t = ref.factors.of_kind("forest_growth", "volume_growth_rate")
    return {(r.carrier, r.geography or ""): (float(r.canonical), r.factor_id) for r in t.itertuples()}


def _area_params(ref: Reference) -> dict[str, dict[str, tuple[float, str]]]:
    out: dict[str, dict[str, tuple[float, str]]] = {}
    for r in ref.factors.of_kind("area_sink").itertuples():
        out.setdefault(r.carrier, {})[r.parameter] = (float(r.canonical), r.factor_id)
    return out


def _area_classes(area: pd.DataFrame, params: dict) -> list[dict[str, Any]]:
    """Per class (竹林, 茶园): area, stock and net annual removal where parameters exist; what
    is missing is named (not estimated, never zero)."""
    rows = []
    for cls, g in area.groupby("area_class"):
        missing = [k for k in AREA_PARAMETERS if k not in params.get(cls, {})]
        stock = None if g["stock_tco2"].isna().any() else float(g["stock_tco2"].sum())
        net = None if g["net_tco2_per_year"].isna().any() else float(g["net_tco2_per_year"].sum())
        rows.append({"class": cls, "parcels": len(g), "area_ha": float(g["area_ha"].sum()), "stock_tco2": stock,
                     "net_tco2_per_year": net, "missing_parameters": missing,
                     "factor_ids": sorted({i for ids in g["factor_ids"] for i in ids.split("|") if i}),
                     "by_township": g.groupby("township")[["area_ha", "net_tco2_per_year"]].sum(min_count=1)
                     .reset_index().to_dict("records")})
    return rows


def _ledger(frames: list[pd.DataFrame], ref: Reference, all_years: list[pd.DataFrame] | None = None) -> dict[str, Any]:
    params = _params(ref)
    area_params = _area_params(ref)
    inventories, areas = [], []
    for frame in frames:
        by_area = frame["land_type"].isin(list(AREA_LAND_TYPES))
        stocks, issues = parcel_stocks(frame[~by_area], params, str(frame["_file"].iloc[0]))
        if issues:
            raise InputRejected(issues)
        inventories.append(stocks)
        areas.append(area_carbon(frame[by_area], area_params).assign(year=int(frame["year"].iloc[0])))
    order = sorted(range(len(inventories)), key=lambda i: int(inventories[i]["year"].iloc[0]))
    inventories, areas = [inventories[i] for i in order], [areas[i] for i in order]
    used = sorted({i for d in inventories for ids in d["factor_ids"] for i in ids.split("|")})
    t = ref.factors.table
    factors = t[t["factor_id"].isin(used)]
    out: dict[str, Any] = {
        "method": "C = area × V × D × BEF × (1 + R) × CF; CO2 = C × 44/12; sink = Δstock / Δyears",
        "years": sorted(int(f["year"].iloc[0]) for f in (all_years or frames)),
        "inventories": [{
            "year": int(d["year"].iloc[0]), "parcels": len(d), "area_ha": float(d["area_ha"].sum()),
            "stock_tco2": float(d["stock_tco2"].sum()),
            "by_township": d.groupby("township")[["area_ha", "stock_tco2"]].sum().reset_index().to_dict("records"),
            "by_species": d.groupby("species_group")[["area_ha", "stock_tco2"]].sum().reset_index().to_dict("records"),
            "area_classes": _area_classes(a, area_params),
        } for d, a in zip(inventories, areas, strict=True)],
        "factors": [{"id": r.factor_id, "species_group": r.carrier, "parameter": r.parameter, "value": r.value,
                     "unit": r.unit, "source": r.source_document, "status": r.status} for r in factors.itertuples()],
        "unverified_factors": int((factors["status"] == "unverified").sum()),
        "growth": _growth(inventories[-1], ref),
        "area_method": "stock = area × stock/ha × 44/12; net removal = area × (removal − emission)/ha "
                       "(竹林地 → 竹林, 茶园 → 茶园; parameters set by the county: kind area_sink)",
    }
    area_factors = t[t["factor_id"].isin({i for a in areas for ids in a["factor_ids"] for i in ids.split("|") if i})]
    out["factors"] += [{"id": r.factor_id, "species_group": r.carrier, "parameter": r.parameter, "value": r.value,
                        "unit": r.unit, "source": r.source_document, "status": r.status} for r in area_factors.itertuples()]
    if len(inventories) == 2:
        a, b = inventories
        out["sink"] = {
            "from": int(a["year"].iloc[0]), "to": int(b["year"].iloc[0]),
            "total_tco2_per_year": float((b["stock_tco2"].sum() - a["stock_tco2"].sum())
                                         / (int(b["year"].iloc[0]) - int(a["year"].iloc[0]))),
            "by_township": sink_by_difference(a, b, ["township"]).to_dict("records"),
            "by_species": sink_by_difference(a, b, ["species_group"]).to_dict("records"),
        }
        latest = out["inventories"][-1]["area_classes"]
        known = [c["net_tco2_per_year"] for c in latest if c["net_tco2_per_year"] is not None]
        out["sink"]["area_based_tco2_per_year"] = float(sum(known)) if known else None
        out["sink"]["area_not_estimated"] = [c["class"] for c in latest if c["net_tco2_per_year"] is None]
    return clean(out)


def _growth(stocks: pd.DataFrame, ref: Reference) -> dict[str, Any]:
    """The growth-rate (gain) method on the latest inventory, when the county has set rates."""
    rates = _growth_rates(ref)
    if not rates:
        return {"available": False, "reason": "no forest growth rates set (kind forest_growth, parameter "
                                              "volume_growth_rate per species group and age class)"}
    g = sink_by_growth(stocks, rates)
    done = g[g["growth_rate"].notna()]
    ids = sorted(set(done["growth_factor_id"]))
    return {"available": True, "year": int(stocks["year"].iloc[0]),
            "method": "gain = stock × volume growth rate (= area × V × r × D × BEF × (1 + R) × CF × 44/12); "
                      "gross removal: harvest and disturbance losses not subtracted",
            "total_tco2_per_year": float(done["gain_tco2_per_year"].sum()),
            "parcels_without_rate": int(g["growth_rate"].isna().sum()),
            "by_species": done.groupby("species_group")["gain_tco2_per_year"].sum().reset_index().to_dict("records"),
            "by_township": done.groupby("township")["gain_tco2_per_year"].sum().reset_index().to_dict("records"),
            "factor_ids": ids}
