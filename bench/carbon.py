"""Benchmark: carbon budgets for a province, and the 以电折碳 back-test over its counties.

A synthetic province (illustrative numbers, fixed seed): 122 counties, each with a budget path over
2026–2030 decomposed to 20 sectors (historical share, 5 % reserve) and to 500 key units (intensity
benchmark × output); and 10 years × 122 counties × 20 sectors × 12 months of electricity with yearly
inventories, back-tested year on year. The same decomposition arithmetic runs in polars (group sums
and a join on long frames) and the allocations are checked equal.

Prints:  decompose_s           domain.carbon: 122 budget paths, sectors and units for 5 years (best of --repeat)
         polars_decompose_s    the same arithmetic in polars (best of --repeat)
         backtest_s            domain.carbon.back_test over 10 years × 122 counties × 20 sectors (best of --repeat)
         ratio_vs_polars=R     decompose_s / polars_decompose_s (aims: decompose < 1 s, back-test < 2 s, ratio ≤ 1.5)

Run: .venv/bin/python bench/carbon.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import polars as pl

from carbonpeak.domain.carbon import Rule, back_test, budget_path, decompose, rule_weights
from carbonpeak.domain.carbon.budget import path_arrays

COUNTIES, SECTORS, UNITS, YEARS = 122, 20, 500, 5


def province(seed: int = 11) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    return {
        "co2": rng.uniform(1e6, 8e6, COUNTIES), "gdp": rng.uniform(2e6, 6e6, COUNTIES),
        "growth": rng.uniform(0.03, 0.07, (COUNTIES, YEARS)), "sector_hist": rng.uniform(1e3, 1e5, (COUNTIES, SECTORS)),
        "unit_output": rng.uniform(1e3, 1e6, (COUNTIES, UNITS)), "unit_bench": rng.uniform(0.1, 2.0, (COUNTIES, UNITS)),
    }


def engine(p: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    budget_path(2025, p["co2"][0], p["gdp"][0], p["growth"][0], 0.18)  # the checked path of one county
    _, _, budgets = path_arrays(p["co2"], p["gdp"], p["growth"], 0.18)  # [county, year], all counties
    w_s = rule_weights(Rule.HISTORICAL_SHARE, p["sector_hist"])
    w_u = rule_weights(Rule.INTENSITY_BENCHMARK, p["unit_output"], output=p["unit_output"], benchmark=p["unit_bench"])
    sectors = decompose(budgets, w_s[:, None, :].repeat(YEARS, axis=1), 0.05)  # [county, year, sector]
    units = decompose(budgets, w_u[:, None, :].repeat(YEARS, axis=1), 0.05)  # [county, year, unit]
    return sectors, units


def with_polars(p: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    years = np.arange(1, YEARS + 1)
    factor = (1 - 0.18) ** (1 / YEARS)
    gdp = p["gdp"][:, None] * np.cumprod(1 + p["growth"], axis=1)
    budgets = (p["co2"] / p["gdp"])[:, None] * factor ** years[None, :] * gdp
    b = pl.DataFrame({"county": np.repeat(np.arange(COUNTIES), YEARS), "year": np.tile(years, COUNTIES),
                      "budget": budgets.ravel()})
    s = pl.DataFrame({"county": np.repeat(np.arange(COUNTIES), SECTORS), "w": p["sector_hist"].ravel()})
    u = pl.DataFrame({"county": np.repeat(np.arange(COUNTIES), UNITS),
                      "w": (p["unit_output"] * p["unit_bench"]).ravel()})

    def split(frame: pl.DataFrame) -> pl.DataFrame:
        share = frame.with_columns((pl.col("w") / pl.col("w").sum().over("county")).alias("share"))
        return share.join(b, on="county").with_columns((pl.col("budget") * 0.95 * pl.col("share")).alias("alloc"))

    return split(s)["alloc"].to_numpy(), split(u)["alloc"].to_numpy()


def electricity(seed: int = 5) -> tuple[np.ndarray, np.ndarray, tuple[int, ...]]:
    rng = np.random.default_rng(seed)
    years = tuple(range(2015, 2025))
    elec = rng.uniform(1e3, 1e5, (COUNTIES, len(years), SECTORS, 12))
    ratio = rng.uniform(0.3, 3.0, (COUNTIES, 1, SECTORS)) * (0.97 ** np.arange(len(years)))[None, :, None]
    inv = ratio * elec.sum(axis=-1) * rng.normal(1.0, 0.02, (COUNTIES, len(years), SECTORS))
    return elec, inv, years


def best(fn, repeat: int) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return min(times), out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    a = ap.parse_args()
    p = province()
    t_engine, (sectors, units) = best(lambda: engine(p), a.repeat)
    t_polars, (ps, pu) = best(lambda: with_polars(p), a.repeat)
    # polars rows are (county, entity, year) in join order; compare sorted totals per county-year
    assert np.isclose(sectors.sum(), ps.sum(), rtol=1e-9) and np.isclose(units.sum(), pu.sum(), rtol=1e-9)
    assert np.allclose(np.sort(sectors.ravel()), np.sort(ps), rtol=1e-9)
    elec, inv, years = electricity()
    t_bt, bt = best(lambda: back_test(elec, inv, years), a.repeat)
    print(f"province: {COUNTIES} counties × {SECTORS} sectors × {UNITS} units × {YEARS} years (illustrative, seed 11)")
    print(f"decompose_s          {t_engine:.3f}")
    print(f"polars_decompose_s   {t_polars:.3f}")
    print(f"backtest_s           {t_bt:.3f}   ({len(years)} years × {COUNTIES} counties × {SECTORS} sectors × 12 months;"
          f" median county MAPE {float(np.median(bt.mape_total)) * 100:.2f} %)")
    print(f"ratio_vs_polars={t_engine / t_polars:.2f}")


if __name__ == "__main__":
    main()
