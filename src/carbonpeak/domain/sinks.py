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
