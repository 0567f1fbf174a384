"""The accounting engine: activity data → energy [tce] → CO2 [t], line by line.

Methods (each line records the ids of the factor rows it used):

* Energy of a consumption line [tce] = quantity [carrier unit] × standard-coal coefficient
  [kgce/unit] / 1000 (GB/T 2589-2020 附录A). Electricity uses 当量值 0.1229 kgce/kWh by default,
  等价值 on request (the year's row of ``coefficient_equivalent``).
* Combustion CO2 [t] = quantity × low calorific value [GJ/unit] × carbon content [tC/GJ] ×
  oxidation rate × 44/12 (provincial inventory guideline; GB/T 32150-2015 附录A).
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
from .factors import FactorSet
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


@dataclass
class AccountResult:
    lines: pd.DataFrame
    issues: list[InputIssue] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.issues


def prepare_activity(raw: pd.DataFrame, file: str, catalogue: CarrierCatalogue
                     ) -> tuple[pd.DataFrame, list[InputIssue]]:
    """Validate activity rows and convert quantities to each carrier's canonical unit.

    ``raw`` has columns year, region, sector, carrier, quantity, unit and optionally use, grid,
    source, and ``row`` (the file row number). Every problem becomes an :class:`InputIssue`
    naming file, row and column; the returned frame holds only when there are no issues.
    """
    df = raw.copy()
    if "row" not in df.columns:
        df["row"] = np.arange(2, len(df) + 2)
    for col in ("use", "grid", "source"):
        if col not in df.columns:
            df[col] = ""
    issues: list[InputIssue] = []

    def flag(mask: pd.Series, code: str, column: str, params_of) -> None:
        for idx in df.index[mask.to_numpy()]:
            issues.append(InputIssue(code, file, int(df.at[idx, "row"]), column, params_of(idx)))

    text_cols = ["region", "sector", "carrier", "unit", "use", "grid", "source"]
    for col in text_cols:
        df[col] = df[col].astype("string").fillna("").str.strip().astype(object)
    for col in ("region", "sector", "carrier", "unit"):
        flag(df[col] == "", "input.empty_value", col, lambda i: {})

    year_num = pd.to_numeric(df["year"].astype("string").str.strip(), errors="coerce")
    bad_year = year_num.isna() | (year_num % 1 != 0) | (year_num < YEAR_RANGE[0]) | (year_num > YEAR_RANGE[1])
    flag(bad_year, "input.bad_year", "year",
         lambda i: {"value": df.at[i, "year"], "low": YEAR_RANGE[0], "high": YEAR_RANGE[1]})

    qty = pd.to_numeric(df["quantity"].astype("string").str.strip().str.replace(",", "", regex=False),
                        errors="coerce")
    is_blank_q = df["quantity"].astype("string").fillna("").str.strip() == ""
    flag(is_blank_q, "input.empty_value", "quantity", lambda i: {})
    flag(qty.isna() & ~is_blank_q, "input.not_a_number", "quantity", lambda i: {"value": df.at[i, "quantity"]})
    flag(qty.notna() & ~np.isfinite(qty.fillna(0)), "input.not_finite", "quantity", lambda i: {"value": df.at[i, "quantity"]})
    flag(qty < 0, "input.negative", "quantity", lambda i: {"value": df.at[i, "quantity"]})

    use = df["use"].map(lambda u: USES.get(u, USES.get(str(u).lower())))
    flag(use.isna(), "input.bad_use", "use", lambda i: {"value": df.at[i, "use"]})

    resolved = df["carrier"].map(lambda n: catalogue.resolve(n) if n else None)
    examples = "、".join(list(catalogue.carriers)[:6])
    flag(resolved.isna() & (df["carrier"] != ""), "input.unknown_carrier", "carrier",
         lambda i: {"value": df.at[i, "carrier"], "examples": examples})

    # Unit conversion: once per distinct (unit, canonical unit) pair, never per number.
    canon_unit = resolved.map(lambda n: catalogue.carriers[n].canonical_unit if isinstance(n, str) else None)
    pairs = {(u, cu) for u, cu in zip(df["unit"], canon_unit) if u and cu}
    factors: dict[tuple[str, str], float] = {}
    problems: dict[tuple[str, str], str] = {}
    for u, cu in pairs:
        try:
            factors[(u, cu)] = conversion_factor(u, cu)
        except UnitError as exc:
            problems[(u, cu)] = "unknown" if "unknown unit" in str(exc) or "empty unit" in str(exc) else "mismatch"
    keys = list(zip(df["unit"], canon_unit))
    conv = pd.Series([factors.get(k, np.nan) for k in keys], index=df.index)
    unknown = pd.Series([problems.get(k) == "unknown" for k in keys], index=df.index)
    mismatch = pd.Series([problems.get(k) == "mismatch" for k in keys], index=df.index)
    flag(unknown, "input.unknown_unit", "unit", lambda i: {"value": df.at[i, "unit"]})
    flag(mismatch, "input.unit_mismatch", "unit",
         lambda i: {"value": df.at[i, "unit"], "carrier": resolved[i], "expected": canon_unit[i]})

    df["year"] = year_num.where(~bad_year).astype("Int64")
    df["carrier"] = resolved.where(resolved.notna(), df["carrier"])
    df["use"] = use
    df["quantity"] = qty
    df["canonical_unit"] = canon_unit
    df["quantity_canonical"] = qty * conv

    keyed = df[NATURAL_KEY].astype(str)
    dup = keyed.duplicated(keep="first") & ~bad_year
    if dup.any():
        first_row = {}
        for idx, key in zip(df.index, map(tuple, keyed.values)):
            first_row.setdefault(key, int(df.at[idx, "row"]))
        flag(dup, "input.duplicate_row", "carrier",
             lambda i: {"other": first_row[tuple(keyed.loc[i])]})

    issues.sort(key=lambda x: (x.row or 0, x.column or ""))
    return df, issues


def account(activity: pd.DataFrame, factors: FactorSet, catalogue: CarrierCatalogue,
            options: AccountingOptions | None = None, file: str = "") -> AccountResult:
    """Compute energy and CO2 for prepared activity rows (see :func:`prepare_activity`)."""
    opt = options or AccountingOptions()
    df = activity.reset_index(drop=True).copy()
    cat = pd.DataFrame([c.__dict__ for c in catalogue.carriers.values()]).set_index("name")
    df["category"] = df["carrier"].map(cat["category"])
    df["fossil"] = df["carrier"].map(cat["fossil"]).astype(bool)
    method = df["carrier"].map(cat["co2_method"])
    q = df["quantity_canonical"].to_numpy(dtype=float)
    issues: list[InputIssue] = []
    findings: list[Finding] = []
    ids = pd.Series([""] * len(df), index=df.index, dtype=object)

    def need(mask: np.ndarray, column: str, what: str, key_of) -> None:
        for i in np.flatnonzero(mask):
            issues.append(InputIssue("input.no_factor", file, int(df.at[i, "row"]), column,
                                     {"what": what, "key": key_of(i)}))

    # --- energy [tce] -----------------------------------------------------------------------
    consumption = ~df["category"].isin(["generation", "process"]).to_numpy()
    is_elec = (df["category"] == "electricity").to_numpy()
    sc = factors.of_kind("standard_coal", "coefficient").set_index("carrier")
    coef = df["carrier"].map(sc["canonical"]).to_numpy(dtype=float)
    coef_id = df["carrier"].map(sc["factor_id"])
    if is_elec.any():
        param = "coefficient_calorific" if opt.electricity_convention == "calorific" else "coefficient_equivalent"
        e_coef, e_id = _by_year(factors.of_kind("standard_coal", param), df["year"])
        coef = np.where(is_elec, e_coef, coef)
        coef_id = coef_id.where(~is_elec, e_id)
    missing = consumption & np.isnan(coef)
    need(missing, "carrier", "折标准煤系数 standard-coal coefficient", lambda i: df.at[i, "carrier"])
    energy = np.where(consumption, q * np.nan_to_num(coef) / 1000.0, 0.0)
    ids = _join_ids(ids, coef_id.where(consumption, None))

    # --- combustion CO2 ---------------------------------------------------------------------
    fuel = factors.of_kind("fuel_co2").pivot_table(index="carrier", columns="parameter",
                                                     values="canonical", aggfunc="first")
    fuel_ids = factors.of_kind("fuel_co2").groupby("carrier")["factor_id"].agg("|".join)
    ef = pd.Series(np.nan, index=fuel.index, dtype=float)
    if {"lcv", "carbon_content", "oxidation_rate"} <= set(fuel.columns):
        ef = fuel["lcv"] * fuel["carbon_content"] * fuel["oxidation_rate"] * C_TO_CO2
    comb = (method == "combustion").to_numpy()
    ef_row = df["carrier"].map(ef).to_numpy(dtype=float)
    need(comb & np.isnan(ef_row), "carrier", "燃烧排放因子 combustion CO2 parameters", lambda i: df.at[i, "carrier"])
    direct = np.where(comb, q * np.nan_to_num(ef_row), 0.0)
    ids = _join_ids(ids, df["carrier"].map(fuel_ids).where(comb, None))

    # --- process CO2 ------------------------------------------------------------------------
    proc = (method == "process").to_numpy()
    pf = factors.of_kind("process_co2", "process_factor").set_index("carrier")
    pf_row = df["carrier"].map(pf["canonical"]).to_numpy(dtype=float)
    need(proc & np.isnan(pf_row), "carrier", "过程排放因子 process factor", lambda i: df.at[i, "carrier"])
    direct = direct + np.where(proc, q * np.nan_to_num(pf_row), 0.0)
    ids = _join_ids(ids, df["carrier"].map(pf["factor_id"]).where(proc, None))

    # --- heat CO2 (only when a factor set supplies one) ------------------------------------
    heat = (method == "heat").to_numpy()
    hf = factors.of_kind("heat_co2", "factor")
    heat_ef = float(hf["canonical"].iloc[0]) if len(hf) else np.nan
    need(heat & np.isnan(heat_ef), "carrier", "热力排放因子 heat CO2 factor", lambda i: df.at[i, "carrier"])
    indirect = np.where(heat, q * np.nan_to_num(heat_ef), 0.0)
    if len(hf):
        ids = _join_ids(ids, pd.Series(np.where(heat, hf["factor_id"].iloc[0], None), index=df.index))

    # --- electricity: consumption (+) and local generation (−) × grid factor ---------------
    elec_rows = (method.isin(["electricity", "generation"])).to_numpy()
    if elec_rows.any():
        geo = _grid_geography(df, factors, opt.default_grid)
        grid_ef, grid_id, issues_g, finds_g = _grid_factor(df, geo, elec_rows, factors, opt, file)
        issues += issues_g
        findings += finds_g
        sign = np.where((method == "generation").to_numpy(), -1.0, 1.0)
        indirect = indirect + np.where(elec_rows, sign * q * np.nan_to_num(grid_ef), 0.0)
        ids = _join_ids(ids, grid_id.where(elec_rows, None))
        df["grid"] = geo.where(elec_rows, "")

    df["energy_tce"] = energy
    df["co2_direct_t"] = direct
    df["co2_electricity_t"] = indirect
    df["co2_t"] = direct + indirect
    df["generation_kwh"] = np.where((df["category"] == "generation").to_numpy(), q, 0.0)
    df["factor_ids"] = ids
    findings += _unverified_findings(df, factors)
    issues.sort(key=lambda x: (x.row or 0, x.column or ""))
    return AccountResult(df, issues, findings)


def _by_year(table: pd.DataFrame, years: pd.Series) -> tuple[np.ndarray, pd.Series]:
    """Pick a year-specific row where one exists, else the year-less row."""
    generic = table[table["year"].isna()]
    specific = table[table["year"].notna()].set_index("year")
    val = years.map(specific["canonical"]) if len(specific) else pd.Series(np.nan, index=years.index)
    fid = years.map(specific["factor_id"]) if len(specific) else pd.Series(None, index=years.index, dtype=object)
    if len(generic):
        val = val.fillna(float(generic["canonical"].iloc[0]))
        fid = fid.fillna(generic["factor_id"].iloc[0])
    return val.to_numpy(dtype=float), fid


def _grid_geography(df: pd.DataFrame, factors: FactorSet, default: str) -> pd.Series:
    """Grid geography per row: the ``grid`` column, else the region when it names a grid
    geography with factors (全国, 华中, 湖南 ...), else the default (湖南)."""
    known = set(factors.of_kind("electricity_co2")["geography"])
    region_geo = df["region"].where(df["region"].isin(known), default)
    return df["grid"].where(df["grid"] != "", region_geo)


def _grid_factor(df, geo, rows, factors, opt, file):
    table = factors.of_kind("electricity_co2", "grid_average")
    lookup = {(int(y), g): (v, fid) for y, g, v, fid in
              zip(table["year"], table["geography"], table["canonical"], table["factor_id"]) if pd.notna(y)}
    years_by_geo: dict[str, list[int]] = {}
    for (y, g) in lookup:
        years_by_geo.setdefault(g, []).append(y)
    issues, findings, resolved = [], [], {}
    combos = {(int(y), g) for y, g, r in zip(df["year"], geo, rows) if r and pd.notna(y)}
    for y, g in sorted(combos):
        if (y, g) in lookup:
            resolved[(y, g)] = lookup[(y, g)]
        elif opt.electricity_fallback == "nearest" and years_by_geo.get(g):
            proxy = min(years_by_geo[g], key=lambda c: (abs(c - y), -c))
            resolved[(y, g)] = lookup[(proxy, g)]
            findings.append(Finding("factor.electricity.proxy_year", Severity.WARNING,
                                    {"year": y, "geography": g, "proxy_year": proxy,
                                     "factor_id": lookup[(proxy, g)][1]},
                                    rule="AccountingOptions.electricity_fallback = nearest"))
    ef = np.full(len(df), np.nan)
    fid = pd.Series(None, index=df.index, dtype=object)
    for i in np.flatnonzero(rows):
        key = (int(df.at[i, "year"]), geo.iat[i])
        if key in resolved:
            ef[i], fid.iat[i] = resolved[key]
        else:
            issues.append(InputIssue("input.no_factor", file, int(df.at[i, "row"]), "year",
                                     {"what": "电网排放因子 grid CO2 factor", "key": f"{key[1]} {key[0]}"}))
    return ef, fid, issues, findings


def _join_ids(ids: pd.Series, new: pd.Series) -> pd.Series:
    new = new.fillna("").astype(str)
    joined = ids.astype(str) + "|" + new
    return joined.str.strip("|").str.replace("||", "|", regex=False)


def _unverified_findings(lines: pd.DataFrame, factors: FactorSet) -> list[Finding]:
    used = {fid for s in lines["factor_ids"] for fid in str(s).split("|") if fid}
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
