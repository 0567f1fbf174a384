"""Benchmark: 10 000 Monte Carlo draws of the Policy scenario, and a bare numpy kernel doing the
same arithmetic on the same inputs in the same run (same random stream, results checked equal).

Prints:  full_run_s        run_scenario: spec, stored inventory, registry, projection, peaks, bands
         engine_s          domain.projection.project for the prepared inputs (best of --repeat)
         numpy_kernel_s    one flat numpy function, same arithmetic and random draws (best of --repeat)
         ratio_vs_numpy=R  engine_s / numpy_kernel_s (last line)

Run: .venv/bin/python bench/montecarlo.py [--draws 10000] [--repeat 5]
(a temporary SQLite database with the Anhua demo is created for the run)
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np

from carbonpeak.domain.projection import GROUPS, KWH_PER_TCE, mix, project, share_coefficients
from carbonpeak.services.demo import run_demo
from carbonpeak.services.platform import open_platform
from carbonpeak.services.scenarios import base_state, levers_from_spec, load_spec, registry_measures, run_scenario
from carbonpeak.settings import Settings

SPEC = Path(__file__).resolve().parents[1] / "src" / "carbonpeak" / "data" / "scenarios" / "anhua" / "policy.toml"


def kernel(energy, ef, process, gen0_hydro, gen0_other, thermal, grid0, base_year, horizon, D, seed,
           g_mean, g_sd, e, r_mean, r_sd, ef_sd, c_mean, c_sd, eta_sd, eps_sd, caps, onlines, h_mean, h_sd,
           shares, imp, drivers, pg_mean, pg_sd, du_mean, du_sd, u0, demands, sectors, coef):
    rng = np.random.default_rng(seed)
    years = np.arange(base_year, horizon + 1)
    T = len(years)
    dt = (years - base_year).astype(float)
    g = rng.normal(g_mean, g_sd, D) if g_sd else np.full(D, g_mean)
    r = np.column_stack([rng.normal(m, s, D) if s else np.full(D, m) for m, s in zip(r_mean, r_sd, strict=True)])
    m = rng.lognormal(-0.5 * ef_sd ** 2, ef_sd, (D, len(ef)))
    c = rng.normal(c_mean, c_sd, D) if c_sd else np.full(D, c_mean)
    eta = rng.normal(0.0, eta_sd, (D, T))
    eps = rng.normal(0.0, eps_sd, (D, T))
    eta[:, 0] = eps[:, 0] = 0.0  # the base year is data
    hours = [rng.normal(hm, hs, D) if hs else np.full(D, hm) for hm, hs in zip(h_mean, h_sd, strict=True)]
    pg = rng.normal(pg_mean, pg_sd, D) if pg_sd else np.full(D, pg_mean)
    du = (rng.normal(du_mean, du_sd, D) if du_sd else np.full(D, du_mean)) / 100.0
    amounts = [rng.normal(dm[3], dm[4], D) if dm[4] else np.full(D, dm[3]) for dm in demands]
    act = (1.0 + g[:, None, None] * e[None, None, :]) ** dt[None, :, None]
    pop = (1.0 + pg[:, None]) ** dt[None, :]
    u = np.clip(u0 + du[:, None] * dt[None, :], 0.0, 1.0)
    for j, drv in enumerate(drivers):
        if drv == "urban":
            act[:, :, j] = (pop * u / u0) ** e[j]
        elif drv == "rural":
            act[:, :, j] = (pop * (1.0 - u) / (1.0 - u0)) ** e[j]
        elif drv == "population":
            act[:, :, j] = pop ** e[j]
    es = energy.sum(axis=1)[None, None, :] * act * (1.0 + r[:, None, :]) ** dt[None, :, None]
    m_t = np.where(dt[None, :, None] > 0, m[:, None, :], 1.0)  # the base year's factors are data
    co2_s = es * np.einsum("tsk,dtk->dts", shares, ef[None, None, :] * m_t) + act * process
    direct = co2_s.sum(axis=2)
    total = (es * shares.sum(axis=2)[None]).sum(axis=2)
    elec = (es * shares[None, :, :, 3]).sum(axis=2)
    by_sector_energy = es * shares.sum(axis=2)[None]
    for (sector, k, online, _, _, cumulative), amt in zip(demands, amounts, strict=True):
        on = max(online, base_year + 1)
        steps = np.clip(years - on + 1, 0, None) if cumulative else (years >= on).astype(float)
        tce = amt[:, None] * steps[None, :]
        co2 = tce * ef[k] * m[:, k][:, None]
        direct = direct + co2
        total = total + tce
        if k == 3:
            elec = elec + tce
        if sector in sectors:
            by_sector_energy[:, :, sectors.index(sector)] += tce
            co2_s[:, :, sectors.index(sector)] += co2
    kwh = elec * KWH_PER_TCE
    gen = gen0_hydro * np.clip(1.0 + eps, 0.0, None) + gen0_other
    for cap, on, h in zip(caps, onlines, hours, strict=True):
        gen += (cap * h)[:, None] * (years >= on)[None, :]
    grid = grid0 * (1.0 + c[:, None]) ** dt[None, :] * (1.0 + eta)
    with_el = direct + (kwh - gen) * grid
    elec_tce = kwh / KWH_PER_TCE
    nf = gen - thermal
    frac = np.where(gen >= kwh, np.divide(nf, gen, out=np.zeros_like(gen), where=gen > 0),
                    (nf + (kwh - gen) * imp) / np.maximum(kwh, 1e-9))
    # the engine's further outputs: by-sector energy and CO2, renewable share, GDP index
    by_sector_co2 = co2_s
    renewable = 100.0 * np.divide(nf, gen, out=np.full_like(gen, np.nan), where=gen > 0)
    gdp_index = (1.0 + g[:, None]) ** dt[None, :]
    # the non-fossil share on the share's convention: each year's electricity at coef[t] kgce/kWh
    share_elec = kwh * coef[None, :] / 1000.0
    share = 100.0 * share_elec * frac / (total - elec_tce + share_elec)
    return direct, with_el, total, share, by_sector_energy, by_sector_co2, renewable, gdp_index


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--draws", type=int, default=10_000)
    ap.add_argument("--repeat", type=int, default=5)
    a = ap.parse_args()
    home = Path(tempfile.mkdtemp(prefix="cp-mc-"))
    settings = Settings(database_url=f"sqlite:///{home / 'mc.db'}", home=home, actor="bench")
    platform = open_platform(settings)
    run_demo(platform, "bench")

    t0 = time.perf_counter()
    res = run_scenario(platform, SPEC, draws=a.draws)
    full = time.perf_counter() - t0

    spec = load_spec(SPEC)
    base, _ = base_state(platform, "territorial", spec)
    adds, dems, _, onl = registry_measures(platform, spec, base.year)
    lv = levers_from_spec(spec, adds, SPEC.name, dems, onl)
    horizon, seed = int(spec["scenario"]["horizon"]), int(spec["scenario"]["seed"])
    per = [lv.intensity_change.get(s, lv.intensity_change["*"]) for s in base.sectors]
    e = np.array([lv.elasticity.get(s, lv.elasticity["*"]) for s in base.sectors])
    years = np.arange(base.year, horizon + 1)
    shares = mix(base, lv.switches, years)
    args = (base.energy, base.ef, base.process_co2, base.generation.get("hydro", 0.0),
            sum(v for k, v in base.generation.items() if k != "hydro"), base.generation.get("thermal", 0.0),
            base.grid_factor, base.year, horizon, a.draws, seed, lv.gdp_growth.mean, lv.gdp_growth.sd, e,
            [d.mean for d in per], [d.sd for d in per], lv.ef_uncertainty, lv.grid_factor_change.mean,
            lv.grid_factor_change.sd, lv.grid_factor_noise, lv.hydro_variability,
            [x.capacity_kw for x in adds], [x.online for x in adds], [x.hours.mean for x in adds],
            [x.hours.sd for x in adds], shares, lv.import_nonfossil_fraction or 0.0,
            [lv.driver.get(s, lv.driver.get("*", "gdp")) for s in base.sectors], lv.population_growth.mean,
            lv.population_growth.sd, lv.urbanisation_change.mean, lv.urbanisation_change.sd, base.urbanisation,
            [(d.sector, GROUPS.index(d.group), d.online, d.amount.mean, d.amount.sd, d.cumulative) for d in dems],
            base.sectors, share_coefficients(base, years))
    best_engine = best_kernel = float("inf")
    for _ in range(a.repeat):
        t0 = time.perf_counter()
        p = project(base, lv, horizon, a.draws, seed)
        best_engine = min(best_engine, time.perf_counter() - t0)
        t0 = time.perf_counter()
        k = kernel(*args)
        best_kernel = min(best_kernel, time.perf_counter() - t0)
    assert np.allclose(p.co2_territorial, k[0], rtol=1e-12) and np.allclose(p.co2_with_electricity, k[1], rtol=1e-12)
    assert np.allclose(p.energy, k[2], rtol=1e-12) and np.allclose(p.co2_by_sector, k[5], rtol=1e-12)
    assert np.allclose(p.nonfossil_share, k[3], rtol=1e-12, equal_nan=True)
    print(f"draws={a.draws} years={len(years)} sectors={len(base.sectors)} generation_projects={len(adds)} "
          f"other_project_measures={len(dems)} switches={len(lv.switches)} results_agree=yes")
    print(f"peak_year={res['peak_year']} p_peak_by_2030={res['p_peak_by_2030']:.3f}")
    print(f"full_run_s={full:.3f}")
    print(f"engine_s={best_engine:.3f}")
    print(f"numpy_kernel_s={best_kernel:.3f}")
    print(f"ratio_vs_numpy={best_engine / best_kernel:.2f}")


if __name__ == "__main__":
    main()
