"""The accounting engine: activity data → energy [tce] → CO2 [t], line by line.

Methods (each line records the ids of the factor rows it used):

* Energy [tce] = quantity × standard-coal coefficient [kgce/unit] / 1000 (GB/T 2589 附录A);
  electricity at 当量值 (row ``coefficient_calorific``) or 等价值 (the year's ``coefficient_equivalent``),
  as stated by :func:`factors.convention_text` from the row in force.
* Combustion CO2 [t] = quantity × LCV [GJ/unit] × carbon content [tC/GJ] × oxidation × 44/12, from the
  fuel_co2 release in force (industry guideline / GB/T 32150 附录A; or the provincial guideline).
  Feedstock lines (use 原料) carry no combustion CO2 (feedstock.py).
* Heat (热力) [t] = GJ × heat factor [tCO2/GJ] (0.11 shipped), an indirect term like electricity.
* Electricity: consumption lines carry + kWh × grid factor of the data year [tCO2/kWh];
  local-generation lines carry − kWh × the same factor, so that the sum of the electricity
  column is (consumption − local generation) × factor, the net-import term of the provincial
  inventory guideline. A net exporter gets a negative term.
* Process CO2 [t] = clinker [t] × clinker process factor [tCO2/t].

Two perspectives, side by side: territorial (direct: combustion + process) and with
electricity (territorial + the net-import term).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .carriers import CarrierCatalogue
from .conventions import electricity_coefficients
from .factors import FactorSet
from .feedstock import apply_feedstock_rule
from .findings import Finding, InputIssue, Severity
from .units import UnitError, conversion_factor

C_TO_CO2 = 44.0 / 12.0  # molar mass ratio CO2 / C
YEAR_RANGE = (1990, 2100)
USES = {"燃料": "fuel", "fuel": "fuel", "": "fuel", "原料": "feedstock", "feedstock": "feedstock",
        "原料用能": "feedstock"}
NATURAL_KEY = ["year", "region", "sector", "carrier", "use"]


@dataclass(frozen=True)
class AccountingOptions:
    electricity_convention: str = "calorific"  # 当量值; "equivalent" = 等价值
    default_grid: str = "湖南"
    # "strict": a year without a grid factor is an input error; "nearest": the nearest
    # published year is used and a warning finding says so.
    electricity_fallback: str = "strict"
    # "stored": feedstock (原料) lines carry no combustion CO2 (domain/feedstock.py); "combustion":
    # full combustion CO2 as if burnt (an upper bound, for comparison).
    feedstock_co2: str = "stored"


@dataclass
class AccountResult:
    lines: pd.DataFrame
    issues: list[InputIssue] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.issues


def _factorize_many(*arrays) -> tuple[np.ndarray, list[tuple]]:
    """Codes for the distinct combinations of several columns, and the combinations themselves,
    without materialising a tuple per row (integer codes are combined instead). A column may be
    given already factorized, as (codes, uniques)."""
    n = len(arrays[0][0] if isinstance(arrays[0], tuple) else arrays[0])
    combined = np.zeros(n, dtype=np.int64)
    parts = []
    for a in arrays:
        if isinstance(a, tuple):  # already factorized: (codes, uniques)
            c, u = a
        else:
            c, u = pd.factorize(pd.Series(a, dtype=object) if not isinstance(a, pd.Series) else a,
                                use_na_sentinel=False)
        combined = combined * max(len(u), 1) + c
        parts.append((c, u))
    codes, inverse = np.unique(combined, return_inverse=True)
    reps = np.zeros(len(codes), dtype=np.int64)
    reps[inverse[::-1]] = np.arange(n - 1, -1, -1)  # first row of each combination
    keys = [tuple(u[c[r]] for c, u in parts) for r in reps]
    return inverse.astype(np.int64), keys


class _Text:
    """A text column as integer codes plus its distinct, stripped values."""

    def __init__(self, col: pd.Series):
        codes, uniques = pd.factorize(col, use_na_sentinel=False)
        self.codes = codes
        self.uniques = np.array(["" if (u is None or (isinstance(u, float) and np.isnan(u))) else str(u).strip()
                                 for u in uniques], dtype=object)

    def values(self) -> np.ndarray:
        return self.uniques[self.codes]

    def mask(self, predicate) -> np.ndarray:
        hit = np.array([bool(predicate(u)) for u in self.uniques], dtype=bool)
        return hit[self.codes] if len(hit) else np.zeros(0, dtype=bool)

    def mapped(self, fn) -> tuple[np.ndarray, np.ndarray]:
        """``fn`` applied per distinct value: (values per row, codes of those values)."""
        out = np.array([fn(u) for u in self.uniques], dtype=object)
        if not len(out):
            return out, self.codes
        out_codes, _ = pd.factorize(pd.Series(out, dtype=object), use_na_sentinel=False)
        return out[self.codes], out_codes[self.codes]


def _year_value(v) -> float:
    try:
        y = float(str(v).strip())
    except ValueError:
        return np.nan
    return y if y.is_integer() and YEAR_RANGE[0] <= y <= YEAR_RANGE[1] else np.nan


def _combine(*codes: np.ndarray) -> np.ndarray | None:
    """One int64 code per combination of several code columns (None if it could overflow)."""
    out = np.zeros(len(codes[0]), dtype=np.int64)
    span = 1
    for c in codes:
        n = int(c.max()) + 1 if len(c) else 1
        span *= n
        if span > 2 ** 62:
            return None
        out = out * n + c
    return out


def prepare_activity(raw: pd.DataFrame, file: str, catalogue: CarrierCatalogue
                     ) -> tuple[pd.DataFrame, list[InputIssue]]:
    """Validate activity rows and convert quantities to each carrier's canonical unit.

    ``raw`` has columns year, region, sector, carrier, quantity, unit and optionally use, grid,
    source, and ``row`` (the file row number). Every problem becomes an :class:`InputIssue`
    naming file, row and column; the returned frame holds only when there are no issues.
    Text is parsed once per distinct value, so the per-row cost is numpy work only.
    """
    df = raw.reset_index(drop=True).copy()
    if "row" not in df.columns:
        df["row"] = np.arange(2, len(df) + 2)
    for col in ("use", "grid", "source"):
        if col not in df.columns:
            df[col] = ""
    issues: list[InputIssue] = []
    rows = df["row"].to_numpy()
    original = {c: df[c].to_numpy() for c in ("year", "quantity", "unit", "carrier", "use")}

    def flag(mask, code: str, column: str, params_of) -> None:
        for i in np.flatnonzero(np.asarray(mask, dtype=bool)):
            issues.append(InputIssue(code, file, int(rows[i]), column, params_of(i)))

    text = {c: _Text(df[c]) for c in ("region", "sector", "carrier", "unit", "use", "grid", "source")}
    for col in ("region", "sector", "carrier", "unit"):
        flag(text[col].mask(lambda u: u == ""), "input.empty_value", col, lambda i: {})

    year_t = _Text(df["year"])
    year_num, year_codes = year_t.mapped(_year_value)
    year_num = year_num.astype(float)
    bad_year = np.isnan(year_num)
    flag(bad_year, "input.bad_year", "year",
         lambda i: {"value": original["year"][i], "low": YEAR_RANGE[0], "high": YEAR_RANGE[1]})

    qty = np.array(pd.to_numeric(df["quantity"].astype(object), errors="coerce"), dtype=np.float64)
    blank_q = np.zeros(len(df), dtype=bool)
    for i in np.flatnonzero(np.isnan(qty)):  # only cells that did not parse as they stand
        cell = "" if pd.isna(original["quantity"][i]) else str(original["quantity"][i]).strip().replace(",", "")
        blank_q[i] = cell == ""
        try:
            qty[i] = float(cell) if cell else np.nan
        except ValueError:
            qty[i] = np.nan
    flag(blank_q, "input.empty_value", "quantity", lambda i: {})
    flag(np.isnan(qty) & ~blank_q, "input.not_a_number", "quantity", lambda i: {"value": original["quantity"][i]})
    flag(np.isinf(qty), "input.not_finite", "quantity", lambda i: {"value": original["quantity"][i]})
    flag(qty < 0, "input.negative", "quantity", lambda i: {"value": original["quantity"][i]})

    use, use_codes = text["use"].mapped(lambda u: USES.get(u, USES.get(str(u).lower())))
    flag(pd.isna(use), "input.bad_use", "use", lambda i: {"value": original["use"][i]})

    resolved, carrier_codes = text["carrier"].mapped(lambda n: catalogue.resolve(n) if n else None)
    examples = "、".join(list(catalogue.carriers)[:6])
    flag(pd.isna(resolved) & ~text["carrier"].mask(lambda u: u == ""), "input.unknown_carrier", "carrier",
         lambda i: {"value": original["carrier"][i], "examples": examples})

    # Unit conversion: once per distinct (unit, carrier) pair, never per number.
    canon_unit = _spread(resolved, carrier_codes,
                         lambda n: catalogue.carriers[n].canonical_unit if isinstance(n, str) else None)
    pair = _combine(text["unit"].codes, carrier_codes)
    uniq_pairs, first, inverse = np.unique(pair, return_index=True, return_inverse=True)
    units = text["unit"].values()
    conv_u = np.full(len(uniq_pairs), np.nan)
    status_u = np.zeros(len(uniq_pairs), dtype=np.int8)  # 0 ok/not applicable, 1 unknown, 2 mismatch
    for k, i in enumerate(first):
        u, cu = units[i], canon_unit[i]
        if not u or not isinstance(cu, str):
            continue
        try:
            conv_u[k] = conversion_factor(u, cu)
        except UnitError as exc:
            status_u[k] = 1 if ("unknown unit" in str(exc) or "empty unit" in str(exc)) else 2
    conv, status = conv_u[inverse], status_u[inverse]
    flag(status == 1, "input.unknown_unit", "unit", lambda i: {"value": original["unit"][i]})
    flag(status == 2, "input.unit_mismatch", "unit",
         lambda i: {"value": original["unit"][i], "carrier": resolved[i], "expected": canon_unit[i]})

    for col in ("region", "sector", "unit", "grid", "source"):
        df[col] = text[col].values()
    df["year"] = pd.array(np.where(bad_year, 0, year_num).astype(np.int64), dtype="Int64")
    df.loc[bad_year, "year"] = pd.NA
    df["carrier"] = np.where(pd.isna(resolved), text["carrier"].values(), resolved)
    df["use"] = use
    df["quantity"] = qty
    df["canonical_unit"] = canon_unit
    df["quantity_canonical"] = qty * conv

    # Duplicates on the natural key (year, region, sector, carrier, use), compared on codes.
    key = _combine(year_codes, text["region"].codes, text["sector"].codes, carrier_codes, use_codes)
    keyed = pd.Series(key) if key is not None else pd.DataFrame(
        np.column_stack([year_codes, text["region"].codes, text["sector"].codes, carrier_codes, use_codes]))
    dup = keyed.duplicated(keep="first").to_numpy() & ~bad_year
    if dup.any():
        first_row: dict = {}
        group = keyed.to_numpy() if key is not None else keyed.astype(str).agg("|".join, axis=1).to_numpy()
        for g, r in zip(group, rows):
            first_row.setdefault(g, int(r))
        flag(dup, "input.duplicate_row", "carrier", lambda i: {"other": first_row[group[i]]})

    issues.sort(key=lambda x: (x.row or 0, x.column or ""))
    return df, issues


def _spread(values: np.ndarray, codes: np.ndarray, fn) -> np.ndarray:
    """``fn`` of each row's value, computed once per code."""
    out = np.empty(int(codes.max()) + 1 if len(codes) else 0, dtype=object)
    _, first = np.unique(codes, return_index=True)
    for i in first:
        out[codes[i]] = fn(values[i])
    return out[codes]


def account(activity: pd.DataFrame, factors: FactorSet, catalogue: CarrierCatalogue,
            options: AccountingOptions | None = None, file: str = "") -> AccountResult:
    """Compute energy and CO2 for prepared activity rows (see :func:`prepare_activity`).

    Factors are resolved once per distinct (carrier, year, grid geography) and spread over the
    rows by integer codes; the per-row work is numpy arithmetic only.
    """
    opt = options or AccountingOptions()
    df = activity.reset_index(drop=True).copy()
    geo = _grid_geography(df, factors, opt.default_grid)
    cats = {n: c for n, c in catalogue.carriers.items()}
    # per distinct carrier, then spread by codes (no per-row dictionary lookups)
    car_codes, car_uniques = pd.factorize(df["carrier"], use_na_sentinel=False)
    is_elec = np.array([cats[c].co2_method in ("electricity", "generation") if c in cats else False
                        for c in car_uniques], dtype=bool)
    geo = geo.where(is_elec[car_codes] if len(car_uniques) else np.zeros(len(df), dtype=bool), "")
    codes, keys = _factorize_many((car_codes, car_uniques), df["year"].to_numpy(), geo.to_numpy())
    table, findings, missing = _factor_table(keys, factors, cats, opt)
    rows = df["row"].to_numpy()
    issues = [InputIssue("input.no_factor", file, int(rows[i]), column, params)
              for k, (column, params) in missing.items() for i in np.flatnonzero(codes == k)]
    q = df["quantity_canonical"].to_numpy(dtype=float)
    pick = {c: table[c].to_numpy()[codes] for c in table.columns}
    df["category"] = pick["category"]
    df["fossil"] = pick["fossil"].astype(bool)
    df["energy_tce"] = q * pick["coef"] / 1000.0
    df["co2_direct_t"] = q * pick["ef_direct"]
    df["co2_electricity_t"] = q * pick["ef_indirect"]
    df["co2_t"] = df["co2_direct_t"].to_numpy() + df["co2_electricity_t"].to_numpy()
    df["generation_kwh"] = np.where(pick["category"] == "generation", q, 0.0)
    df["factor_ids"] = pick["factor_ids"]
    df["grid"] = geo.to_numpy()
    findings += apply_feedstock_rule(df, factors, cats, opt.feedstock_co2)
    findings += _unverified_findings(table.iloc[np.unique(codes)] if len(df) else table, factors)
    issues.sort(key=lambda x: (x.row or 0, x.column or ""))
    return AccountResult(df, issues, findings)


def _factor_table(keys, factors: FactorSet, cats: dict, opt: AccountingOptions):
    """One row per distinct (carrier, year, geography): category, coefficient, direct and
    indirect emission factors [t per canonical unit], and the ids of the factor rows used."""
    sc = factors.of_kind("standard_coal", "coefficient").set_index("carrier")
    param, elec_coef = electricity_coefficients(factors, opt.electricity_convention)
    fuel = factors.of_kind("fuel_co2")
    proc = factors.of_kind("process_co2", "process_factor").set_index("carrier")
    heat = factors.of_kind("heat_co2", "factor")
    grid = factors.of_kind("electricity_co2", "grid_average")
    grid_lookup = {(int(y), g): (v, fid) for y, g, v, fid in
                   zip(grid["year"], grid["geography"], grid["canonical"], grid["factor_id"]) if pd.notna(y)}
    fuel_params: dict[str, dict[str, tuple[float, str]]] = {}  # once, not a table filter per key
    for car, par, v, fid in zip(fuel["carrier"], fuel["parameter"], fuel["canonical"], fuel["factor_id"]):
        fuel_params.setdefault(car, {})[par] = (float(v), fid)
    out, findings, missing = [], [], {}
    for k, (carrier, year, geo) in enumerate(keys):
        c = cats[carrier]
        coef, ef_d, ef_i, ids = 0.0, 0.0, 0.0, []
        if c.category == "electricity":
            v, fid = _year_row(elec_coef, year)
            coef, ids = v, ids + [fid] if fid else ids
            if fid is None:
                missing[k] = ("carrier", {"what": "折标准煤系数 standard-coal coefficient", "key": f"{carrier} {param}"})
        elif c.is_consumption:
            if carrier in sc.index:
                coef, ids = float(sc.at[carrier, "canonical"]), ids + [sc.at[carrier, "factor_id"]]
            else:
                missing[k] = ("carrier", {"what": "折标准煤系数 standard-coal coefficient", "key": carrier})
        if c.co2_method == "combustion":
            p = fuel_params.get(carrier, {})
            if {"lcv", "carbon_content", "oxidation_rate"} <= set(p):
                ef_d = float(p["lcv"][0] * p["carbon_content"][0] * p["oxidation_rate"][0] * C_TO_CO2)
                ids += [p[x][1] for x in ("lcv", "carbon_content", "oxidation_rate")]
            else:
                missing[k] = ("carrier", {"what": "燃烧排放因子 combustion CO2 parameters", "key": carrier})
        elif c.co2_method == "process":
            if carrier in proc.index:
                ef_d, ids = float(proc.at[carrier, "canonical"]), ids + [proc.at[carrier, "factor_id"]]
            else:
                missing[k] = ("carrier", {"what": "过程排放因子 process factor", "key": carrier})
        elif c.co2_method == "heat":
            if len(heat):
                ef_i, ids = float(heat["canonical"].iloc[0]), ids + [heat["factor_id"].iloc[0]]
            else:
                missing[k] = ("carrier", {"what": "热力排放因子 heat CO2 factor", "key": carrier})
        elif c.co2_method in ("electricity", "generation"):
            got = _grid_for(grid_lookup, int(year), geo, opt, findings)
            if got is None:
                missing[k] = ("year", {"what": "电网排放因子 grid CO2 factor", "key": f"{geo} {int(year)}"})
            else:
                sign = -1.0 if c.co2_method == "generation" else 1.0
                ef_i, ids = sign * got[0], ids + [got[1]]
        out.append({"category": c.category, "fossil": c.fossil, "coef": coef, "ef_direct": ef_d,
                    "ef_indirect": ef_i, "factor_ids": "|".join(ids)})
    return pd.DataFrame(out, columns=["category", "fossil", "coef", "ef_direct", "ef_indirect", "factor_ids"]), \
        findings, missing


def _year_row(table: pd.DataFrame, year) -> tuple[float, str | None]:
    """A year-specific row where one exists, else the year-less row."""
    specific = table[table["year"] == year] if pd.notna(year) else table.iloc[0:0]
    row = specific if len(specific) else table[table["year"].isna()]
    if not len(row):
        return 0.0, None
    return float(row["canonical"].iloc[0]), row["factor_id"].iloc[0]


def _grid_for(lookup, year: int, geo: str, opt: AccountingOptions, findings: list):
    if (year, geo) in lookup:
        return lookup[(year, geo)]
    years = [y for (y, g) in lookup if g == geo]
    if opt.electricity_fallback != "nearest" or not years:
        return None
    proxy = min(years, key=lambda c: (abs(c - year), -c))
    if any(f.params["year"] == year and f.params["geography"] == geo for f in findings):
        return lookup[(proxy, geo)]  # one finding per year and geography, however many carriers
    findings.append(Finding("factor.electricity.proxy_year", Severity.WARNING,
                            {"year": year, "geography": geo, "proxy_year": proxy, "factor_id": lookup[(proxy, geo)][1]},
                            rule="AccountingOptions.electricity_fallback = nearest"))
    return lookup[(proxy, geo)]


def _grid_geography(df: pd.DataFrame, factors: FactorSet, default: str) -> pd.Series:
    """Grid geography per row: the ``grid`` column, else the region when it names a grid
    geography with factors (全国, 华中, 湖南 ...), else the default (湖南)."""
    known = set(factors.of_kind("electricity_co2")["geography"])
    region_geo = df["region"].where(df["region"].isin(known), default)
    return df["grid"].where(df["grid"] != "", region_geo)


def _unverified_findings(table: pd.DataFrame, factors: FactorSet) -> list[Finding]:
    used = {fid for s in table["factor_ids"] for fid in str(s).split("|") if fid}
    t = factors.table
    bad = t[t["factor_id"].isin(used) & (t["status"] == "unverified")]
    return [Finding("factor.unverified", Severity.WARNING,
                    {"factor_id": r.factor_id, "what": f"{r.kind}/{r.carrier or r.geography}/{r.parameter}"},
                    rule="reference/README.md: unverified values ship only flagged")
            for r in bad.itertuples()]


def inventory(lines: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Sum lines by the given columns: energy [tce], direct, electricity and total CO2 [t]."""
    cols = ["energy_tce", "co2_direct_t", "co2_electricity_t", "co2_t", "generation_kwh"]
    return lines.groupby(by, sort=True, dropna=False)[cols].sum().reset_index()


def totals(lines: pd.DataFrame) -> dict[str, float]:
    """Whole-inventory totals; ``co2_t`` is the with-electricity perspective (sum of lines)."""
    return {
        "energy_tce": float(lines["energy_tce"].sum()),
        "co2_t": float(lines["co2_t"].sum()),
        "co2_territorial_t": float(lines["co2_direct_t"].sum()),
        "co2_with_electricity_t": float(lines["co2_t"].sum()),
        "co2_electricity_net_import_t": float(lines["co2_electricity_t"].sum()),
        "local_generation_kwh": float(lines["generation_kwh"].sum()),
    }
