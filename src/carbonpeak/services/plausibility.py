"""Year-on-year jumps of an imported file, within the file and against the stored data
(the rule and the factor: domain/plausibility.py). Warnings only: the import goes ahead."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import select

from ..domain.accounting import prepare_stored
from ..domain.findings import Finding
from ..domain.plausibility import jumps
from ..store.models import ActivityRecord, GdpRecord
from .platform import Platform

ACTIVITY_KEY = ["region", "sector", "carrier", "use"]


def _neighbour_years(years) -> list[int]:
    ys = {int(y) for y in years}
    return sorted({y + d for y in ys for d in (-1, 1)} | ys)


def _combined(file_rows: pd.DataFrame, stored: pd.DataFrame) -> pd.DataFrame:
    """The file's rows and the stored rows of the same keys it does not replace."""
    file_rows = file_rows.assign(in_file=True)
    if len(stored):
        mine = set(file_rows["key"])
        replaced = set(zip(file_rows["key"], file_rows["year"]))
        keep = [k in mine and (k, y) not in replaced for k, y in zip(stored["key"], stored["year"])]
        stored = stored[keep].assign(in_file=False, row=0)
        file_rows = pd.concat([file_rows, stored[file_rows.columns]], ignore_index=True)
    return file_rows


USE_TEXT = {"fuel": "燃料", "feedstock": "原料"}


def _activity_key(df: pd.DataFrame) -> pd.Series:
    """region / sector / carrier / use (燃料 or 原料), the text naming the series in a finding."""
    return df[ACTIVITY_KEY].astype(str).assign(use=lambda x: x["use"].map(lambda u: USE_TEXT.get(u, u))) \
        .agg(" / ".join, axis=1)


def activity_jumps(platform: Platform, frame: pd.DataFrame, file: str) -> list[Finding]:
    """Jumps of each region × sector × carrier × use quantity (in the carrier's canonical unit)."""
    if not len(frame):
        return []
    a = ActivityRecord
    with platform.engine.connect() as c:
        rows = c.execute(select(a.year, a.region, a.sector, a.carrier, a.quantity, a.unit, a.use)
                         .where(a.region.in_(sorted(set(frame["region"]))),
                                a.year.in_(_neighbour_years(frame["year"])))).all()
    stored = pd.DataFrame(rows, columns=["year", "region", "sector", "carrier", "quantity", "unit", "use"])
    if len(stored):
        stored, issues = prepare_stored(stored, platform.ref.catalogue)  # typed rows, not re-parsed text
        stored = stored if not issues else stored.iloc[0:0]  # stored rows were checked when imported
    def shape(df: pd.DataFrame) -> pd.DataFrame:
        return pd.DataFrame({"key": _activity_key(df), "year": df["year"].astype(int),
                             "value": df["quantity_canonical"].astype(float), "unit": df["canonical_unit"],
                             "row": df.get("row", 0)})
    both = _combined(shape(frame), shape(stored) if len(stored) else pd.DataFrame())
    return jumps(both, "活动数据 activity", file)


def gdp_jumps(platform: Platform, frame: pd.DataFrame, file: str) -> list[Finding]:
    """Jumps of each region's GDP at current prices [10⁴ yuan]."""
    if not len(frame):
        return []
    g = GdpRecord
    with platform.engine.connect() as c:
        rows = c.execute(select(g.region, g.year, g.gdp_current).where(
            g.region.in_(sorted(set(frame["region"]))), g.year.in_(_neighbour_years(frame["year"])))).all()
    stored = pd.DataFrame(rows, columns=["key", "year", "value"]).assign(unit="万元")
    mine = pd.DataFrame({"key": frame["region"], "year": frame["year"].astype(int),
                         "value": frame["gdp_current"].astype(float), "unit": "万元", "row": frame["row"]})
    return jumps(_combined(mine, stored), "地区生产总值 GDP", file)
