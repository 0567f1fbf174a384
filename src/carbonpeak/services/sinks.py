"""The carbon-sink ledger (碳汇资源“一本账”), first increment: forest management inventory files
(小班 parcels) → carbon stock per parcel and by township and species group → annual sink by
stock difference between two inventories. Nothing is stored yet; every figure carries the ids of
the factor rows it used, and the factors are flagged unverified where they are."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import select

from ..domain.findings import InputIssue
from ..domain.sinks import PARAMETERS, forest_cover, parcel_stocks, sink_by_difference
from ..store.models import ForestParcel
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
    """The ledger of every stored inventory; the sink between the last two; forest cover."""
    with platform.sessions() as s:
        rows = s.scalars(select(ForestParcel).order_by(ForestParcel.year, ForestParcel.id)).all()
    if not rows:
        raise NotFound("no forest inventory stored: import a 小班 table (carbonpeak import FILE)")
    df = pd.DataFrame([{c: getattr(r, c) for c in ("year", "township", "village", "parcel", "land_type",
                                                  "species_group", "area_ha", "volume_m3_per_ha", "illustrative")}
                       | {"row": r.id} for r in rows])
    frames = [g.assign(_file="database") for _, g in df.groupby("year")]
    out = _ledger(frames[-2:], platform.ref, all_years=frames)
    for inv, frame in zip(out["inventories"], frames[-2:], strict=True):
        forest = float(frame.loc[frame["land_type"].isin(FOREST_LAND_TYPES), "area_ha"].sum())
        inv["forest_area_ha"] = forest
        inv["forest_cover_pct"] = forest_cover(forest, land_area_km2) if land_area_km2 and forest else None
        inv["illustrative"] = bool(frame["illustrative"].any())
    return out


def _ledger(frames: list[pd.DataFrame], ref: Reference, all_years: list[pd.DataFrame] | None = None) -> dict[str, Any]:
    params = _params(ref)
    inventories = []
    for frame in frames:
        stocks, issues = parcel_stocks(frame, params, str(frame["_file"].iloc[0]))
        if issues:
            raise InputRejected(issues)
        inventories.append(stocks)
    inventories.sort(key=lambda d: int(d["year"].iloc[0]))
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
        } for d in inventories],
        "factors": [{"id": r.factor_id, "species_group": r.carrier, "parameter": r.parameter, "value": r.value,
                     "unit": r.unit, "source": r.source_document, "status": r.status} for r in factors.itertuples()],
        "unverified_factors": int((factors["status"] == "unverified").sum()),
    }
    if len(inventories) == 2:
        a, b = inventories
        out["sink"] = {
            "from": int(a["year"].iloc[0]), "to": int(b["year"].iloc[0]),
            "total_tco2_per_year": float((b["stock_tco2"].sum() - a["stock_tco2"].sum())
                                         / (int(b["year"].iloc[0]) - int(a["year"].iloc[0]))),
            "by_township": sink_by_difference(a, b, ["township"]).to_dict("records"),
            "by_species": sink_by_difference(a, b, ["species_group"]).to_dict("records"),
        }
    return clean(out)
