"""Forest carbon stock and sink (the carbon-sink ledger's calculation core).

Stock of a parcel (小班) by the volume–biomass method, per species group:

    C [t C] = area [ha] × V [m³/ha] × D [t/m³] × BEF × (1 + R) × CF
    CO2 [t] = C × 44/12

(IPCC 2006 Vol. 4 Eq. 2.8 and 2.10 in the form of the provincial inventory guideline; D wood
density, BEF biomass expansion factor, R root–shoot ratio, CF carbon fraction of dry matter.)
Annual sink by stock difference between two inventories: (stock_2 − stock_1) / (year_2 − year_1),
positive = removal from the atmosphere. Forest cover: forest area / land area.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .findings import InputIssue

C_TO_CO2 = 44.0 / 12.0
PARAMETERS = ("wood_density", "bef", "root_shoot", "carbon_fraction")


def stock_tc(area_ha, volume_m3_per_ha, density, bef, root_shoot, carbon_fraction):
    """Carbon stock [t C], element-wise."""
    return (np.asarray(area_ha, float) * np.asarray(volume_m3_per_ha, float) * np.asarray(density, float)
            * np.asarray(bef, float) * (1.0 + np.asarray(root_shoot, float)) * np.asarray(carbon_fraction, float))


def parcel_stocks(parcels: pd.DataFrame, params: pd.DataFrame, file: str = "") -> tuple[pd.DataFrame, list[InputIssue]]:
    """Carbon stock per parcel. ``parcels`` has species_group, area_ha, volume_m3_per_ha and a
    ``row``; ``params`` has, per species group (index), the four parameters and their factor ids
    (columns ``<parameter>_id``). A species group without parameters is an input issue."""
    issues = []
    known = set(params.index)
    for i in parcels.index[~parcels["species_group"].isin(known)]:
        issues.append(InputIssue("input.no_factor", file, int(parcels.at[i, "row"]), "species_group",
                                 {"what": "森林碳参数 forest carbon parameters", "key": parcels.at[i, "species_group"]}))
    if issues:
        return parcels, issues
    p = params.loc[parcels["species_group"]].reset_index(drop=True)
    out = parcels.reset_index(drop=True).copy()
    out["stock_tc"] = stock_tc(out["area_ha"], out["volume_m3_per_ha"], *(p[k] for k in PARAMETERS))
    out["stock_tco2"] = out["stock_tc"] * C_TO_CO2
    out["factor_ids"] = ["|".join(ids) for ids in zip(*(p[f"{k}_id"] for k in PARAMETERS), strict=True)]
    return out, []


def sink_by_difference(first: pd.DataFrame, second: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Annual sink [t CO2/a] by group between two inventories (stock-difference method).

    Both frames carry ``year`` (one each) and ``stock_tco2``; a group present in one inventory
    only counts as stock 0 in the other (afforestation or loss)."""
    y1, y2 = int(first["year"].iloc[0]), int(second["year"].iloc[0])
    if y2 <= y1:
        raise ValueError("the second inventory must be later than the first")
    a = first.groupby(by)["stock_tco2"].sum().rename("stock_1")
    b = second.groupby(by)["stock_tco2"].sum().rename("stock_2")
    t = pd.concat([a, b], axis=1).fillna(0.0)
    t["sink_tco2_per_year"] = (t["stock_2"] - t["stock_1"]) / (y2 - y1)
    return t.reset_index()


def forest_cover(forest_area_ha: float, land_area_km2: float) -> float:
    """Forest cover [%] = forest area / land area (1 km² = 100 ha)."""
    return 100.0 * forest_area_ha / (land_area_km2 * 100.0)


# --- growth-rate (gain) method ---------------------------------------------------------------------

def sink_by_growth(stocks: pd.DataFrame, rates: dict[tuple[str, str], tuple[float, str]]) -> pd.DataFrame:
    """Annual removal [t CO2/a] per parcel by the growth-rate method.

    The stem volume of a parcel grows by ``r`` × V a year, so its carbon grows by
    area × V × r × D × BEF × (1 + R) × CF = stock × r. ``rates`` maps (species group, age class)
    to (r, factor id), with age class "" for every age class of a species group. Gross removal:
    harvest and disturbance losses are not subtracted. A parcel without a rate is not estimated
    (``gain_tco2_per_year`` NaN), never zero."""
    out = stocks.copy()
    age = out["age_class"] if "age_class" in out.columns else pd.Series("", index=out.index)
    found = [rates.get((s, a)) or rates.get((s, "")) for s, a in zip(out["species_group"], age.fillna(""), strict=True)]
    out["growth_rate"] = [f[0] if f else np.nan for f in found]
    out["growth_factor_id"] = [f[1] if f else "" for f in found]
    out["gain_tco2_per_year"] = out["stock_tco2"] * out["growth_rate"]
    return out


# --- area-based carbon (bamboo, tea gardens) ------------------------------------------------------

AREA_LAND_TYPES = {"竹林地": "竹林", "茶园": "茶园"}  # land type of the parcel → area-sink class
AREA_PARAMETERS = ("stock_tc_per_ha", "removal_tco2_per_ha", "emission_tco2_per_ha")


def area_carbon(parcels: pd.DataFrame, params: dict[str, dict[str, tuple[float, str]]]) -> pd.DataFrame:
    """Stock and net annual flux of parcels measured by area only.

    stock [t CO2] = area × stock per ha [t C/ha] × 44/12; net removal [t CO2/a] = area ×
    (removal − emission) per ha. ``params`` maps a class (竹林, 茶园) to its parameters as
    (value, factor id). What lacks a parameter is not estimated (NaN), never zero; a negative net
    removal is a source (a tea garden before it turns into a sink)."""
    out = parcels.copy()
    cls = out["land_type"].map(AREA_LAND_TYPES)
    out["area_class"] = cls

    def pick(name: str) -> tuple[np.ndarray, list[str]]:
        got = [params.get(c, {}).get(name) for c in cls]
        return np.array([g[0] if g else np.nan for g in got], float), [g[1] if g else "" for g in got]

    stock, stock_id = pick("stock_tc_per_ha")
    removal, removal_id = pick("removal_tco2_per_ha")
    emission, emission_id = pick("emission_tco2_per_ha")
    area = out["area_ha"].to_numpy(float)
    out["stock_tco2"] = area * stock * C_TO_CO2
    out["net_tco2_per_year"] = area * (removal - emission)
    out["factor_ids"] = ["|".join(x for x in ids if x) for ids in zip(stock_id, removal_id, emission_id, strict=True)]
    return out
