"""Benchmark: account a province-sized dataset and compare with polars doing the same arithmetic.

Dataset (synthetic, generated in memory, seeded): 120 counties × 10 years (2021-2030) × 40
carrier columns × 15 sectors = 720 000 activity rows. The 40 carrier columns are the 20
consumption and generation carriers of the catalogue that have factors, each in two units (the
canonical one and a 万-prefixed or other unit), so unit conversion is exercised too. Years
without a published grid factor use the nearest one (the ``nearest`` rule).

Printed, each the best of ``--repeat`` runs (wall clock, this machine):
  engine_prepare_s   validation and unit conversion of the text table (prepare_activity)
  engine_account_s   energy, CO2, provenance ids per line (account)
  engine_total_s     both
  polars_s           polars: unit factor join, coefficient/EF joins, grid factor join by year,
                     energy and CO2 columns, no validation and no provenance strings
  ratio_account_vs_polars, ratio_total_vs_polars

Run: .venv/bin/python bench/account_bench.py [--counties 120] [--repeat 3]
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

from carbonpeak.domain.accounting import account, prepare_activity
from carbonpeak.domain.policy import GridYearFallback, grid_year
from carbonpeak.domain.units import conversion_factor
from carbonpeak.services.accounting import accounting_policy
from carbonpeak.services.platform import reference

UNITS = {"t": "万吨", "m3": "万m3", "kWh": "万kWh"}


def dataset(counties: int, years: int, sectors: int, ref, seed: int = 7) -> pd.DataFrame:
    carriers = [c for c in ref.catalogue.carriers.values() if c.name not in ("热力",)]
    combos = []
    for c in carriers:
        combos += [(c.name, c.canonical_unit), (c.name, UNITS.get(c.canonical_unit, c.canonical_unit))]
    combos = combos[:40]
    rng = np.random.default_rng(seed)
    n = counties * years * len(combos) * sectors
    county = np.repeat(np.arange(counties), years * len(combos) * sectors)
    year = np.tile(np.repeat(np.arange(2021, 2021 + years), len(combos) * sectors), counties)
    combo = np.tile(np.repeat(np.arange(len(combos)), sectors), counties * years)
    sector = np.tile(np.arange(sectors), counties * years * len(combos))
    carrier = np.array([c for c, _ in combos], dtype=object)[combo]
    unit = np.array([u for _, u in combos], dtype=object)[combo]
    # distinct (sector, carrier) per row: the two unit variants of a carrier go to different uses
    use = np.where(combo % 2 == 0, "燃料", "原料")
    q = rng.uniform(0, 1000, n)
    return pd.DataFrame({
        "row": np.arange(2, n + 2), "year": year.astype(str), "region": pd.Series(county).map(lambda i: f"县{i:03d}"),
        "sector": pd.Series(sector).map(lambda i: f"部门{i:02d}"), "carrier": carrier, "quantity": q.astype(str),
        "unit": unit, "use": use,
    })


def polars_same_arithmetic(df: pd.DataFrame, ref, geography: str) -> float:
    import polars as pl

    f = ref.factors.table
    cat = ref.catalogue
    sc = f[(f.kind == "standard_coal") & (f.parameter == "coefficient")].set_index("carrier")["canonical"]
    fuel = f[f.kind == "fuel_co2"].pivot_table(index="carrier", columns="parameter", values="canonical")
    ef = fuel["lcv"] * fuel["carbon_content"] * fuel["oxidation_rate"] * 44 / 12
    proc = f[f.kind == "process_co2"].set_index("carrier")["canonical"]
    elec_coef = float(f[(f.kind == "standard_coal") & (f.parameter == "coefficient_calorific")]["canonical"].iloc[0])
    grid = f[(f.kind == "electricity_co2") & (f.geography == geography)]
    grid_by_year = {int(y): v for y, v in zip(grid.year, grid.canonical)}
    years = range(2021, 2031)
    gy = pl.DataFrame({"year": list(years), "grid": [grid_by_year[grid_year(grid_by_year, y, GridYearFallback.NEAREST_EARLIER)]
                                                 for y in years]})
    carriers = pl.DataFrame({
        "carrier": list(cat.carriers),
        "canon": [c.canonical_unit for c in cat.carriers.values()],
        "coef": [elec_coef if c.category == "electricity" else float(sc.get(n, np.nan)) if c.is_consumption else 0.0
                 for n, c in cat.carriers.items()],
        "ef": [float(ef.get(n, np.nan)) if c.co2_method == "combustion" else float(proc.get(n, np.nan))
               if c.co2_method == "process" else 0.0 for n, c in cat.carriers.items()],
        "elec_sign": [1.0 if c.co2_method == "electricity" else -1.0 if c.co2_method == "generation" else 0.0
                      for c in cat.carriers.values()],
    })
    units = df[["unit"]].drop_duplicates().merge(pd.DataFrame({"carrier": list(cat.carriers)}), how="cross")
    units["canon"] = units["carrier"].map(lambda n: cat.carriers[n].canonical_unit)
    conv = []
    for u, c in zip(units["unit"], units["canon"]):
        try:
            conv.append(conversion_factor(u, c))
        except Exception:  # noqa: BLE001 - incompatible pairs simply do not occur in the data
            conv.append(None)
    unit_tab = pl.DataFrame({"unit": units["unit"].tolist(), "carrier": units["carrier"].tolist(), "conv": conv})
    src = pl.DataFrame({c: df[c].astype(str).tolist() for c in ("year", "region", "sector", "carrier", "quantity", "unit", "use")})
    t0 = time.perf_counter()
    out = (
        src.with_columns(pl.col("year").cast(pl.Int64), pl.col("quantity").cast(pl.Float64))
        .join(unit_tab, on=["unit", "carrier"], how="left")
        .join(carriers, on="carrier", how="left")
        .join(gy, on="year", how="left")
        .with_columns((pl.col("quantity") * pl.col("conv")).alias("q"))
        .with_columns((pl.col("q") * pl.col("coef") / 1000).alias("energy_tce"),
                      # feedstock (原料) keeps its energy but has no combustion CO2 (domain/feedstock.py)
                      (pl.col("q") * pl.col("ef") * (pl.col("use") != "原料").cast(pl.Float64)).alias("co2_direct_t"),
                      (pl.col("q") * pl.col("grid") * pl.col("elec_sign")).alias("co2_electricity_t"))
        .group_by(["region", "year", "sector", "carrier"])
        .agg(pl.col("energy_tce").sum(), pl.col("co2_direct_t").sum(), pl.col("co2_electricity_t").sum())
    )
    elapsed = time.perf_counter() - t0
    assert out.height > 0
    return elapsed, out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--counties", type=int, default=120)
    ap.add_argument("--years", type=int, default=10)
    ap.add_argument("--sectors", type=int, default=15)
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args()
    ref = reference()
    df = dataset(a.counties, a.years, a.sectors, ref)
    print(f"rows={len(df)} counties={a.counties} years={a.years} carrier_columns=40 sectors={a.sectors}")
    opts = accounting_policy()  # the surfaces' policy: nearest earlier grid year, the plan's province
    best = {"prepare": 1e9, "account": 1e9, "polars": 1e9}
    for _ in range(a.repeat):
        t0 = time.perf_counter()
        prepared, issues = prepare_activity(df, "bench", ref.catalogue)
        t1 = time.perf_counter()
        res = account(prepared, ref.factors, ref.catalogue, opts)
        t2 = time.perf_counter()
        assert not issues and not res.issues, (issues[:3], res.issues[:3])
        best["prepare"] = min(best["prepare"], t1 - t0)
        best["account"] = min(best["account"], t2 - t1)
        pl_s, pl_out = polars_same_arithmetic(df, ref, opts.grid)
        best["polars"] = min(best["polars"], pl_s)
    # the two engines must agree on the totals they both compute
    ours = res.lines[["energy_tce", "co2_direct_t", "co2_electricity_t"]].sum()
    theirs = pl_out.select(["energy_tce", "co2_direct_t", "co2_electricity_t"]).sum().to_dicts()[0]
    for col in ours.index:
        assert abs(ours[col] - theirs[col]) <= 1e-6 * max(1.0, abs(theirs[col])), (col, ours[col], theirs[col])
    total = best["prepare"] + best["account"]
    print(f"engine_prepare_s={best['prepare']:.3f}")
    print(f"engine_account_s={best['account']:.3f}")
    print(f"engine_total_s={total:.3f}")
    print(f"polars_s={best['polars']:.3f}")
    print(f"totals_agree=yes energy_tce={ours['energy_tce']:.1f} co2_direct_t={ours['co2_direct_t']:.1f}")
    print(f"ratio_account_vs_polars={best['account'] / best['polars']:.2f}")
    print(f"ratio_total_vs_polars={total / best['polars']:.2f}")


if __name__ == "__main__":
    main()
