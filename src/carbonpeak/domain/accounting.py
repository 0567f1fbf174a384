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

What is not in the data (electricity convention, feedstock basis, grid-year fallback, the grid of
lines that state none) is one :class:`~.policy.AccountingPolicy`.

Two perspectives, side by side: territorial (direct: combustion + process) and with
electricity (territorial + the net-import term).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .activity import USES, YEAR_RANGE, prepare_activity, prepare_stored  # noqa: F401 (the engine's entry points)
from .carriers import CarrierCatalogue
from .conventions import electricity_coefficients
from .factors import FactorSet
from .feedstock import apply_feedstock_rule
from .findings import Finding, InputIssue, Severity
from .policy import FALLBACK_RULE, AccountingPolicy, grid_year
from .units import UnitError, conversion_factor

C_TO_CO2 = 44.0 / 12.0  # molar mass ratio CO2 / C
NATURAL_KEY = ["year", "region", "sector", "carrier", "use"]
AccountingOptions = AccountingPolicy  # the former name, kept for callers


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


def account(activity: pd.DataFrame, factors: FactorSet, catalogue: CarrierCatalogue,
            options: AccountingPolicy | None = None, file: str = "") -> AccountResult:
    """Compute energy and CO2 for prepared activity rows (see :func:`prepare_activity`).

    Factors are resolved once per distinct (carrier, year, grid geography) and spread over the
    rows by integer codes; the per-row work is numpy arithmetic only.
    """
    opt = options or AccountingPolicy()
    df = activity.reset_index(drop=True).copy()
    geo = _grid_geography(df, factors, opt.grid)
    cats = dict(catalogue.carriers)
    # per distinct carrier, then spread by codes (no per-row dictionary lookups)
    car_codes, car_uniques = pd.factorize(df["carrier"], use_na_sentinel=False)
    is_elec = np.array([cats[c].co2_method in ("electricity", "generation") if c in cats else False
                        for c in car_uniques], dtype=bool)
    geo = geo.where(is_elec[car_codes] if len(car_uniques) else np.zeros(len(df), dtype=bool), "")
    codes, keys = _factorize_many((car_codes, car_uniques), df["year"].to_numpy(), geo.to_numpy())
    table, findings, missing = _factor_table(keys, factors, cats, opt)
    rows = df["row"].to_numpy()
    issues = [InputIssue(code, file, int(rows[i]), column, params)
              for k, (code, column, params) in missing.items() for i in np.flatnonzero(codes == k)]
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


@dataclass(frozen=True)
class UnitFactors:
    """Energy [tce] and CO2 [t] of one unit of ``unit`` of a carrier in a year, with the factor
    rows used (ids) and what accounting it said (findings) or why it cannot (issues)."""
    carrier: str
    unit: str
    year: int
    grid: str
    energy_tce: float = float("nan")
    co2_direct_t: float = float("nan")
    co2_electricity_t: float = float("nan")
    factor_ids: tuple[str, ...] = ()
    findings: tuple[Finding, ...] = ()
    issues: tuple[InputIssue, ...] = ()

    @property
    def co2_t(self) -> float:
        return self.co2_direct_t + self.co2_electricity_t


def unit_factors(carrier: str, unit: str, year: int, policy: AccountingPolicy, factors: FactorSet,
                 catalogue: CarrierCatalogue, file: str = "") -> UnitFactors:
    """The per-unit factors of ``carrier`` measured in ``unit`` in ``year`` (fuel use, the
    policy's grid), exactly as :func:`account` applies them to a line of quantity 1."""
    name = catalogue.resolve(str(carrier).strip()) or str(carrier)
    base = UnitFactors(name, unit, int(year), policy.grid)
    if name not in catalogue.carriers:
        examples = "、".join(list(catalogue.carriers)[:6])
        return _refused(base, "input.unknown_carrier", "carrier", {"value": carrier, "examples": examples}, file)
    try:
        per_unit = conversion_factor(unit, catalogue.carriers[name].canonical_unit)
    except UnitError as exc:
        if "unknown unit" in str(exc) or "empty unit" in str(exc):
            return _refused(base, "input.unknown_unit", "unit", {"value": unit}, file)
        return _refused(base, "input.unit_mismatch", "unit",
                        {"value": unit, "carrier": name, "expected": catalogue.carriers[name].canonical_unit}, file)
    c = catalogue.carriers[name]
    geo = policy.grid if c.co2_method in ("electricity", "generation") else ""
    table, findings, missing = _factor_table([(name, int(year), geo)], factors, dict(catalogue.carriers), policy)
    if missing:
        code, column, params = missing[0]
        return _refused(base, code, column, params, file)
    r = table.iloc[0]
    findings += _unverified_findings(table, factors)
    return UnitFactors(name, unit, int(year), geo, per_unit * float(r["coef"]) / 1000.0,
                       per_unit * float(r["ef_direct"]), per_unit * float(r["ef_indirect"]),
                       tuple(i for i in str(r["factor_ids"]).split("|") if i), tuple(findings))


def _refused(base: UnitFactors, code: str, column: str, params: dict, file: str) -> UnitFactors:
    return UnitFactors(base.carrier, base.unit, base.year, base.grid,
                       issues=(InputIssue(code, file, None, column, params),))


@dataclass
class _Lookup:
    """The factor tables in force, indexed once (not a table filter per key)."""
    sc: pd.DataFrame
    param: str
    elec_coef: pd.DataFrame
    fuel: dict[str, dict[str, tuple[float, str]]]
    proc: pd.DataFrame
    heat: pd.DataFrame
    grid: dict[str, dict[int, tuple[float, str]]]

    @classmethod
    def of(cls, factors: FactorSet, opt: AccountingPolicy) -> _Lookup:
        param, elec_coef = electricity_coefficients(factors, opt.electricity_convention)
        fuel: dict[str, dict[str, tuple[float, str]]] = {}
        f = factors.of_kind("fuel_co2")
        for car, par, v, fid in zip(f["carrier"], f["parameter"], f["canonical"], f["factor_id"]):
            fuel.setdefault(car, {})[par] = (float(v), fid)
        grid: dict[str, dict[int, tuple[float, str]]] = {}
        g = factors.of_kind("electricity_co2", "grid_average")
        for y, geo, v, fid in zip(g["year"], g["geography"], g["canonical"], g["factor_id"]):
            if pd.notna(y):
                grid.setdefault(geo, {})[int(y)] = (v, fid)
        return cls(factors.of_kind("standard_coal", "coefficient").set_index("carrier"), param, elec_coef, fuel,
                   factors.of_kind("process_co2", "process_factor").set_index("carrier"),
                   factors.of_kind("heat_co2", "factor"), grid)


_SC = "折标准煤系数 standard-coal coefficient"


def _energy(lk: _Lookup, c, carrier: str, year) -> tuple[float, list[str], tuple | None]:
    """Standard-coal coefficient [kgce per canonical unit], its ids, or what is missing."""
    if c.category == "electricity":
        v, fid = _year_row(lk.elec_coef, year)
        return v, [fid] if fid else [], None if fid else ("carrier", {"what": _SC, "key": f"{carrier} {lk.param}"})
    if not c.is_consumption:
        return 0.0, [], None
    if carrier in lk.sc.index:
        return float(lk.sc.at[carrier, "canonical"]), [lk.sc.at[carrier, "factor_id"]], None
    return 0.0, [], ("carrier", {"what": _SC, "key": carrier})


def _co2(lk: _Lookup, c, carrier: str, year, geo: str, opt: AccountingPolicy, findings: list
         ) -> tuple[float, float, list[str], tuple | None]:
    """Direct and indirect CO2 [t per canonical unit], their ids, or what is missing."""
    if c.co2_method == "combustion":
        p = lk.fuel.get(carrier, {})
        if not {"lcv", "carbon_content", "oxidation_rate"} <= set(p):
            return 0.0, 0.0, [], ("carrier", {"what": "燃烧排放因子 combustion CO2 parameters", "key": carrier})
        ef = float(p["lcv"][0] * p["carbon_content"][0] * p["oxidation_rate"][0] * C_TO_CO2)
        return ef, 0.0, [p[x][1] for x in ("lcv", "carbon_content", "oxidation_rate")], None
    if c.co2_method == "process":
        if carrier not in lk.proc.index:
            return 0.0, 0.0, [], ("carrier", {"what": "过程排放因子 process factor", "key": carrier})
        return float(lk.proc.at[carrier, "canonical"]), 0.0, [lk.proc.at[carrier, "factor_id"]], None
    if c.co2_method == "heat":
        if not len(lk.heat):
            return 0.0, 0.0, [], ("carrier", {"what": "热力排放因子 heat CO2 factor", "key": carrier})
        return 0.0, float(lk.heat["canonical"].iloc[0]), [lk.heat["factor_id"].iloc[0]], None
    if c.co2_method in ("electricity", "generation"):
        if not geo:
            return 0.0, 0.0, [], ("input.no_grid", "grid", {"year": int(year)})
        got = _grid_for(lk.grid.get(geo, {}), int(year), geo, opt, findings)
        if got is None:
            return 0.0, 0.0, [], ("year", {"what": "电网排放因子 grid CO2 factor", "key": f"{geo} {int(year)}"})
        sign = -1.0 if c.co2_method == "generation" else 1.0
        return 0.0, sign * got[0], [got[1]], None
    return 0.0, 0.0, [], None


def _factor_table(keys, factors: FactorSet, cats: dict, opt: AccountingPolicy):
    """One row per distinct (carrier, year, geography): category, coefficient, direct and
    indirect emission factors [t per canonical unit], and the ids of the factor rows used.
    Also the findings, and per key index what is missing as (issue code, column, params)."""
    lk = _Lookup.of(factors, opt)
    out, findings, missing = [], [], {}
    for k, (carrier, year, geo) in enumerate(keys):
        c = cats[carrier]
        coef, ids, gap = _energy(lk, c, carrier, year)
        ef_d, ef_i, co2_ids, co2_gap = _co2(lk, c, carrier, year, geo, opt, findings)
        gap = co2_gap or gap  # the CO2 gap is the one reported when both are missing
        if gap is not None:
            missing[k] = gap if len(gap) == 3 else ("input.no_factor", *gap)
        out.append({"category": c.category, "fossil": c.fossil, "coef": coef, "ef_direct": ef_d,
                    "ef_indirect": ef_i, "factor_ids": "|".join(ids + co2_ids)})
    return pd.DataFrame(out, columns=["category", "fossil", "coef", "ef_direct", "ef_indirect", "factor_ids"]), \
        findings, missing


def _year_row(table: pd.DataFrame, year) -> tuple[float, str | None]:
    """A year-specific row where one exists, else the year-less row."""
    specific = table[table["year"] == year] if pd.notna(year) else table.iloc[0:0]
    row = specific if len(specific) else table[table["year"].isna()]
    if not len(row):
        return 0.0, None
    return float(row["canonical"].iloc[0]), row["factor_id"].iloc[0]


def _grid_for(published: dict[int, tuple[float, str]], year: int, geo: str, opt: AccountingPolicy,
              findings: list) -> tuple[float, str] | None:
    """The grid factor of ``year`` at ``geo``, or of the year the policy's fallback rule names (a
    warning finding, once per year and geography, says which)."""
    used = grid_year(published, year, opt.electricity_fallback)
    if used is None or used == year:
        return None if used is None else published[used]
    if not any(f.params["year"] == year and f.params["geography"] == geo for f in findings):
        findings.append(Finding("factor.electricity.proxy_year", Severity.WARNING,
                                {"year": year, "geography": geo, "proxy_year": used,
                                 "factor_id": published[used][1]},
                                rule=FALLBACK_RULE[opt.electricity_fallback]))
    return published[used]


def _grid_geography(df: pd.DataFrame, factors: FactorSet, default: str) -> pd.Series:
    """Grid geography per row: the ``grid`` column, else the region when it names a grid
    geography with factors (全国, 华中, 湖南 ...), else the policy's grid (the plan's province)."""
    known = set(factors.of_kind("electricity_co2")["geography"])
    region_geo = df["region"].where(df["region"].isin(known), default)
    return df["grid"].where(df["grid"] != "", region_geo)


def _unverified_findings(table: pd.DataFrame, factors: FactorSet) -> list[Finding]:
    used = {fid for s in table["factor_ids"] for fid in str(s).split("|") if fid}
    t = factors.table
    bad = t[t["factor_id"].isin(used) & (t["status"] == "unverified")]
    return [Finding("factor.unverified", Severity.WARNING,
                    {"factor_id": r.factor_id, "what": f"{r.kind}/{r.carrier or r.geography}/{r.parameter}",
                     "name": r.carrier or r.geography},
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
