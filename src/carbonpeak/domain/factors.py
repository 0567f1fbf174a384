"""Factor sets: reference values in one long table, with provenance on every row.

A factor row is keyed by ``(kind, carrier, geography, year, parameter)``; ``year`` and
``geography`` are empty where a value does not depend on them. Each row keeps its id, release,
source document and table, status (confirmed / single_source / unverified) and uncertainty.
A user set overrides the defaults key by key (:meth:`FactorSet.overridden_by`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import pandas as pd

from .units import UnitError, conversion_factor

COLUMNS = [
    "factor_id", "release", "kind", "carrier", "geography", "year", "parameter", "value", "unit",
    "source_document", "source_table", "status", "uncertainty", "note",
]
KEY = ["kind", "carrier", "geography", "year", "parameter"]
STATUSES = ("confirmed", "single_source", "unverified")

# Canonical unit of each (kind, parameter); ``{unit}`` is the carrier's canonical unit.
CANONICAL = {
    ("standard_coal", "coefficient"): "kgce/{unit}",
    ("standard_coal", "coefficient_calorific"): "kgce/kWh",
    ("standard_coal", "coefficient_equivalent"): "kgce/kWh",
    # 等价值 / 发电煤耗计算法: the year's national average 火电发电标准煤耗 (carrier 电力, geography 全国)
    ("primary_electricity_coal", "coal_rate"): "kgce/kWh",
    ("fuel_co2", "lcv"): "GJ/{unit}",
    ("fuel_co2", "carbon_content"): "tC/GJ",
    ("fuel_co2", "oxidation_rate"): "1",
    ("electricity_co2", "grid_average"): "tCO2/kWh",
    ("electricity_mix", "nonfossil_fraction"): "1",  # of a grid's electricity (imports' share, domain/conventions)
    ("process_co2", "process_factor"): "tCO2/{unit}",
    ("heat_co2", "factor"): "tCO2/GJ",
    ("gwp", "gwp100"): "1",
    ("forest_carbon", "wood_density"): "t/m3",  # t dry matter per m³ of stem volume
    ("forest_carbon", "bef"): "1",  # biomass expansion factor, above-ground / stem
    ("forest_carbon", "root_shoot"): "1",
    ("forest_carbon", "carbon_fraction"): "1",  # t C per t dry matter
    # Growth-rate (gain) method: annual stem-volume growth as a share of the standing volume, per
    # species group (carrier) and age class (geography; empty = every age class). No shipped values.
    ("forest_growth", "volume_growth_rate"): "1",
    # Area-based carbon of a land use without stem volume (carrier: 竹林 bamboo, 茶园 tea garden):
    # stock per ha, annual removal and annual emission per ha. No shipped values.
    ("area_sink", "stock_tc_per_ha"): "tC/ha",
    ("area_sink", "removal_tco2_per_ha"): "tCO2/ha",
    ("area_sink", "emission_tco2_per_ha"): "tCO2/ha",
    ("building_quota", "constraint"): "kWh/m2",  # per m² of floor area and year (约束值)
    ("building_quota", "guide"): "kWh/m2",  # 引导值
}


class FactorError(ValueError):
    """A factor row is malformed; ``index`` is its position in the table it came from."""

    def __init__(self, index: int, column: str, reason: str):
        super().__init__(f"row {index}: {column}: {reason}")
        self.index, self.column, self.reason = index, column, reason


@dataclass(frozen=True)
class FactorSet:
    """An immutable table of factor rows with canonical values in column ``canonical``."""

    table: pd.DataFrame

    @classmethod
    def from_rows(cls, rows: pd.DataFrame, carrier_units: dict[str, str]) -> FactorSet:
        """Validate rows and convert each value to its canonical unit (once per distinct unit).

        Raises :class:`FactorError` naming the first bad row and column.
        """
        df = rows.copy()
        for col in COLUMNS:
            if col not in df.columns:
                df[col] = ""
        df = df[COLUMNS].reset_index(drop=True)
        for col in ("carrier", "geography", "parameter", "kind", "unit", "status", "release"):
            df[col] = df[col].fillna("").astype(str).str.strip()
        df["year"] = pd.array([_year(v, i) for i, v in enumerate(df["year"])], dtype="Int64")
        values = pd.to_numeric(df["value"], errors="coerce")
        canonical = []
        for i, row in df.iterrows():
            if pd.isna(values[i]):
                raise FactorError(i, "value", f"not a number: {row['value']!r}")
            if row["status"] not in STATUSES:
                raise FactorError(i, "status", f"{row['status']!r} not one of {STATUSES}")
            template = CANONICAL.get((row["kind"], row["parameter"]))
            if template is None:
                raise FactorError(i, "parameter", f"unknown kind/parameter {row['kind']}/{row['parameter']}")
            target = template
            if "{unit}" in template:
                unit = carrier_units.get(row["carrier"])
                if unit is None:
                    raise FactorError(i, "carrier", f"unknown carrier {row['carrier']!r}")
                target = template.format(unit=unit)
            try:
                canonical.append(float(values[i]) * conversion_factor(row["unit"], target))
            except UnitError as exc:
                raise FactorError(i, "unit", str(exc)) from exc
        df["value"] = values.astype(float)
        df["canonical"] = canonical
        dup = df.duplicated(KEY, keep=False)
        if dup.any():
            i = int(dup.idxmax())
            raise FactorError(i, "factor_id", "duplicate key " + "/".join(str(df.loc[i, k]) for k in KEY))
        return cls(df)

    def overridden_by(self, other: FactorSet) -> FactorSet:
        """Rows of ``other`` replace rows of ``self`` with the same key; new keys are added."""
        keys_other = set(map(tuple, other.table[KEY].astype(str).values))
        keep = [tuple(r) not in keys_other for r in self.table[KEY].astype(str).values]
        merged = pd.concat([self.table[keep], other.table], ignore_index=True)
        return FactorSet(merged)

    @cached_property
    def _kinds(self) -> dict[str, pd.DataFrame]:
        """The rows of each kind, split once (the set is immutable; every accounting run asks)."""
        return {str(k): g for k, g in self.table.groupby("kind", sort=False)}

    def of_kind(self, kind: str, parameter: str | None = None) -> pd.DataFrame:
        t = self._kinds.get(kind)
        if t is None:
            t = self.table.iloc[0:0]
        if parameter is not None:
            t = t[t["parameter"] == parameter]
        return t

    def releases(self) -> list[str]:
        return sorted(set(self.table["release"]))


def _year(value: object, index: int) -> int | None:
    if value is None or (isinstance(value, float) and pd.isna(value)) or str(value).strip() == "":
        return None
    try:
        return int(str(value).strip())
    except ValueError as exc:
        raise FactorError(index, "year", f"not a year: {value!r}") from exc


def provenance(row: pd.Series | dict) -> dict:
    """The provenance record of one factor row, as returned with every computed figure."""
    return {
        "id": row["factor_id"],
        "release": row["release"],
        "parameter": row["parameter"],
        "value": float(row["value"]),
        "unit": row["unit"],
        "source": row["source_document"],
        "table": row["source_table"],
        "status": row["status"],
    }


def _fmt(v: float) -> str:
    return format(float(v), ".6g")


def convention_text(factors: FactorSet, convention: str) -> str:
    """How electricity is converted to standard coal, stated from the row in force (a factor set
    or county value that overrides 0.1229 is named with its value, id and source)."""
    if convention == "calorific":
        rows = factors.of_kind("standard_coal", "coefficient_calorific")
        row = rows[rows["year"].isna()]
        if not len(row):
            return "电力按当量值折标：无因子 / calorific equivalent: no factor in force"
        r = row.iloc[0]
        return (f"电力按当量值 {_fmt(r['value'])} {r['unit']} 折标（{r['factor_id']}，{r['source_document']}，"
                f"{r['release']}）")
    # a year's own coefficient_equivalent row, else the year's 火电发电标准煤耗 (primary_electricity_coal),
    # else the year-less lead (domain/conventions.py: electricity_coefficients)
    rows = pd.concat([factors.of_kind("standard_coal", "coefficient_equivalent"),
                      factors.of_kind("primary_electricity_coal", "coal_rate")]).sort_values("year", na_position="first")
    parts = [("" if pd.isna(y) else f"{int(y)}年 ") + f"{_fmt(v)} {u}（{fid}，{st}）"
             for y, v, u, fid, st in zip(rows["year"], rows["value"], rows["unit"], rows["factor_id"], rows["status"])]
    return "电力按等价值（当年全国火电发电标准煤耗，发电煤耗计算法）折标：" + ("；".join(parts) if parts else "无因子")


def releases_by_kind(factors: FactorSet) -> dict[str, list[str]]:
    """The releases in force per kind of factor (e.g. fuel_co2: the industry guideline, with the
    provincial guideline over it when selected)."""
    t = factors.table
    return {k: sorted(set(g)) for k, g in t.groupby("kind", sort=True)["release"]}
