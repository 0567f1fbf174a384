"""Scenario projection with Monte Carlo, vectorised over draws (LEAP-style, by sector).

For draw d, year t (t0 = base year), sector s and carrier group k:

    activity   A[d,t,s] = (1 + e_s · g_d)^(t − t0)                    g: GDP growth, e: elasticity
    energy     E[d,t,s] = E0_s · A[d,t,s] · (1 + r_ds)^(t − t0)      r: energy-intensity change
    mix        share[t,s,k]: base mix with fuel switches (from → to, rate per year, tce ratio)
    direct CO2 Σ_s E · Σ_k share · EF_k · m_dk  + process_s · A         m: EF multiplier (lognormal)
    electricity kWh = Σ_s E · share[..elec] / (0.1229 kgce/kWh)   (energy is at the accounting's 当量值)
    generation  G[d,t] = hydro0 · (1 + ε_dt) + other base + Σ additions · hours_d · [t ≥ online]
    grid factor F[d,t] = F0 · (1 + c_d)^(t − t0) · (1 + η_dt)
    with electricity = direct + (kWh − G) · F
    non-fossil share (domain/conventions.share_terms) = kWh · f · c_t / (energy without electricity
        + kWh · c_t), f: non-fossil fraction of consumed electricity, c_t: the share's kgce/kWh in year
        t on its convention (BaseState.share_convention): the year's own coefficient where known,
        else the last known year's (future years hold the last published 发电煤耗); energy totals
        stay at the accounting's convention.

Peak detection (the rule, stated there): domain/peaks.py, re-exported here. Units: energy tce,
CO2 t, generation kWh.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .conventions import CALORIFIC, CALORIFIC_KGCE_PER_KWH, share_terms
from .peaks import PeakStats, peaks  # noqa: F401  (re-exported: the projection's peak statistics)

GROUPS = ("coal", "oil", "gas", "electricity", "heat")
KWH_PER_TCE = 1000.0 / 0.1229  # 当量值, GB/T 2589-2020


@dataclass(frozen=True)
class Dist:
    """A stated distribution: normal (sd), lognormal multiplier (sd of log), or fixed (sd = 0)."""
    mean: float
    sd: float = 0.0
    kind: str = "normal"

    def sample(self, rng: np.random.Generator, shape) -> np.ndarray:
        if self.sd == 0 or self.kind == "fixed":
            return np.full(shape, float(self.mean))
        if self.kind == "lognormal":
            return self.mean * rng.lognormal(mean=-0.5 * self.sd ** 2, sigma=self.sd, size=shape)
        return rng.normal(self.mean, self.sd, size=shape)

    def central(self) -> Dist:
        return Dist(self.mean, 0.0, "fixed")


@dataclass(frozen=True)
class BaseState:
    year: int
    sectors: list[str]
    energy: np.ndarray  # [S, K] tce by sector and carrier group (GROUPS)
    ef: np.ndarray  # [K] direct tCO2 per tce
    process_co2: np.ndarray  # [S] t
    generation: dict[str, float]  # kWh by type at the base year: hydro, wind, pv, biomass_power, thermal
    grid_factor: float  # tCO2/kWh in the base year
    history: dict[int, float] = field(default_factory=dict)  # CO2 of earlier years, same perspective
    population: float = 0.0  # persons in the base year (0: population drivers unused)
    urbanisation: float = 0.0  # urban share of the population in the base year [0-1]
    share_convention: str = CALORIFIC  # electricity convention of the non-fossil share (domain/conventions)
    share_kgce_per_kwh: dict[int, float] = field(default_factory=dict)  # its coefficients by year; empty: 0.1229


@dataclass(frozen=True)
class Switch:
    name: str
    source: str  # carrier group
    target: str
    start: int
    rate: float  # share of the remaining source switched per year
    ratio: float = 1.0  # tce of target per tce of source replaced
    sectors: tuple[str, ...] = ()  # empty: all sectors


@dataclass(frozen=True)
class Addition:
    name: str
    type: str
    capacity_kw: float
    online: int
    hours: Dist


@dataclass(frozen=True)
class Demand:
    """Energy a measure adds to (or, negative, saves from) a carrier group from its online year:
    new boilers, storage losses, retrofit savings. ``cumulative``: the amount adds up each year
    (a programme of so much per year)."""
    name: str
    kind: str  # the registry type or measure it comes from (wedges group by it)
    sector: str
    group: str
    amount: Dist  # tce per year
    online: int
    cumulative: bool = False


@dataclass(frozen=True)
class Levers:
    gdp_growth: Dist
    intensity_change: dict[str, Dist]  # per sector; key "*" is the default
    elasticity: dict[str, float]  # per sector; "*" default
    driver: dict[str, str] = field(default_factory=dict)  # per sector: gdp (default) | urban | rural
    population_growth: Dist = Dist(0.0)  # per year
    urbanisation_change: Dist = Dist(0.0)  # percentage points per year
    ef_uncertainty: float = 0.0  # sd of the log of each group's EF multiplier
    grid_factor_change: Dist = Dist(0.0)
    grid_factor_noise: float = 0.0
    hydro_variability: float = 0.0
    import_nonfossil_fraction: float | None = None
    switches: tuple[Switch, ...] = ()
    additions: tuple[Addition, ...] = ()
    demands: tuple[Demand, ...] = ()
    perspective: str = "territorial"  # which CO2 series the peak is judged on


@dataclass
class Projection:
    years: np.ndarray
    energy: np.ndarray  # [D, T]
    co2_territorial: np.ndarray
    co2_with_electricity: np.ndarray
    electricity_kwh: np.ndarray
    generation_kwh: np.ndarray
    nonfossil_share: np.ndarray  # [D, T] %, NaN when not estimable
    gdp_index: np.ndarray  # [D, T] constant-price GDP relative to the base year
    energy_by_sector: np.ndarray  # [D, T, S] tce
    co2_by_sector: np.ndarray  # [D, T, S] territorial t
    renewable_share: np.ndarray  # [D, T] % of local generation
    nonfossil_energy: np.ndarray  # [D, T] tce at the accounting's convention (energy's), NaN when not estimable
    share_convention: str  # the convention nonfossil_share values electricity at
    share_kgce_per_kwh: np.ndarray  # [T] the coefficient of each year (NaN: none, share NaN)


def _per_sector(d: dict, sectors: list[str]):
    return [d.get(s, d.get("*")) for s in sectors]


def mix(base: BaseState, switches: tuple[Switch, ...], years: np.ndarray) -> np.ndarray:
    """Carrier shares [T, S, K] (per tce of the sector's base mix), fuel switches applied."""
    e = base.energy
    total = e.sum(axis=1, keepdims=True)
    shares0 = np.divide(e, total, out=np.zeros_like(e), where=total > 0)
    out = np.repeat(shares0[None, :, :], len(years), axis=0)
    for sw in switches:
        k_from, k_to = GROUPS.index(sw.source), GROUPS.index(sw.target)
        mask = np.array([not sw.sectors or s in sw.sectors for s in base.sectors])
        # years of switching so far; the base year is data, so switching starts after it at the earliest
        n = np.clip(years - max(sw.start, base.year + 1) + 1, 0, None)
        moved = out[:, :, k_from] * (1.0 - (1.0 - sw.rate) ** n)[:, None] * mask[None, :]
        out[:, :, k_from] -= moved
        out[:, :, k_to] += moved * sw.ratio
    return out


@dataclass(frozen=True)
class _Draws:
    """The random inputs of a run, per draw (the order they are drawn in is part of the results:
    a seed gives the same numbers only in this order)."""
    g: np.ndarray  # [D] GDP growth per year
    r: np.ndarray  # [D, S] energy-intensity change per year
    m: np.ndarray  # [D, K] EF multipliers
    c: np.ndarray  # [D] grid factor change per year
    eta: np.ndarray  # [D, T] grid factor noise
    eps: np.ndarray  # [D, T] hydro variability
    hours: dict[str, np.ndarray]  # [D] full-load hours per addition
    pg: np.ndarray  # [D] population growth per year
    du: np.ndarray  # [D] urbanisation change per year [fraction points]
    amounts: dict[str, np.ndarray]  # [D] tce per year per demand


def _sample(levers: Levers, sectors: list[str], D: int, T: int, seed: int) -> _Draws:
    rng = np.random.default_rng(seed)
    g = levers.gdp_growth.sample(rng, (D,))
    r = np.column_stack([dist.sample(rng, (D,)) for dist in _per_sector(levers.intensity_change, sectors)])
    m = rng.lognormal(-0.5 * levers.ef_uncertainty ** 2, levers.ef_uncertainty, (D, len(GROUPS))) \
        if levers.ef_uncertainty else np.ones((D, len(GROUPS)))
    c = levers.grid_factor_change.sample(rng, (D,))
    eta = rng.normal(0.0, levers.grid_factor_noise, (D, T)) if levers.grid_factor_noise else np.zeros((D, T))
    eps = rng.normal(0.0, levers.hydro_variability, (D, T)) if levers.hydro_variability else np.zeros((D, T))
    eta[:, 0] = eps[:, 0] = 0.0  # the base year is data: no noise (it equals the inventory)
    hours = {a.name: a.hours.sample(rng, (D,)) for a in levers.additions}
    pg = levers.population_growth.sample(rng, (D,))
    du = levers.urbanisation_change.sample(rng, (D,)) / 100.0
    amounts = {dm.name: dm.amount.sample(rng, (D,)) for dm in levers.demands}
    return _Draws(g, r, m, c, eta, eps, hours, pg, du, amounts)


def _activity(base: BaseState, levers: Levers, d: _Draws, e: np.ndarray, dt: np.ndarray) -> np.ndarray:
    """Activity index [D, T, S]: GDP with the sector's elasticity, or the urban, rural or whole
    population (to the elasticity) for sectors driven by it."""
    gdp_activity = (1.0 + d.g[:, None, None] * e[None, None, :]) ** dt[None, :, None]  # [D, T, S]
    drivers = [levers.driver.get(s, levers.driver.get("*", "gdp")) for s in base.sectors]
    if all(x == "gdp" for x in drivers):
        return gdp_activity
    pop = (1.0 + d.pg[:, None]) ** dt[None, :]  # population index [D, T]
    u = np.clip(base.urbanisation + d.du[:, None] * dt[None, :], 0.0, 1.0)
    urban = pop * u / base.urbanisation if base.urbanisation > 0 else pop
    rural = pop * (1.0 - u) / (1.0 - base.urbanisation) if base.urbanisation < 1 else pop
    index = {"urban": urban, "rural": rural, "population": pop}
    activity = gdp_activity.copy()
    for j, x in enumerate(drivers):
        if x != "gdp":
            activity[:, :, j] = index[x] ** e[j]
    return activity


def _combustion(base: BaseState, levers: Levers, d: _Draws, activity: np.ndarray, years: np.ndarray,
                dt: np.ndarray) -> tuple[np.ndarray, ...]:
    """Energy and CO2 of the sectors' own use [D, T, S] with fuel switches: direct CO2 [D, T],
    energy [D, T], electricity [D, T] tce, energy by sector, CO2 by sector."""
    energy_s = base.energy.sum(axis=1)[None, None, :] * activity * (1.0 + d.r[:, None, :]) ** dt[None, :, None]
    shares = mix(base, levers.switches, years)  # [T, S, K]
    m_t = np.where(dt[None, :, None] > 0, d.m[:, None, :], 1.0)  # [D, T, K]: the base year's factors are data
    ef_eff = np.einsum("tsk,dtk->dts", shares, base.ef[None, None, :] * m_t)  # [D, T, S]
    co2_s = energy_s * ef_eff + activity * base.process_co2[None, None, :]
    direct = co2_s.sum(axis=2)
    energy = (energy_s * shares.sum(axis=2)[None, :, :]).sum(axis=2)
    elec_tce = (energy_s * shares[None, :, :, GROUPS.index("electricity")]).sum(axis=2)
    energy_by_sector = energy_s * shares.sum(axis=2)[None, :, :]
    return direct, energy, elec_tce, energy_by_sector, co2_s


def _add_demands(base: BaseState, levers: Levers, d: _Draws, years: np.ndarray, direct: np.ndarray,
                 energy: np.ndarray, elec_tce: np.ndarray, energy_by_sector: np.ndarray,
                 co2_s: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The measures' energy demands (or savings) from their online years: added to direct CO2,
    energy and electricity (returned) and to their sector's energy and CO2 (in place)."""
    k_el = GROUPS.index("electricity")
    for dm in levers.demands:
        k = GROUPS.index(dm.group)
        online = max(dm.online, base.year + 1)  # the base year is data
        steps = np.clip(years - online + 1, 0, None) if dm.cumulative else (years >= online).astype(float)
        tce = d.amounts[dm.name][:, None] * steps[None, :].astype(float)  # [D, T]
        co2 = tce * base.ef[k] * d.m[:, k][:, None]
        direct = direct + co2
        energy = energy + tce
        if k == k_el:
            elec_tce = elec_tce + tce
        if dm.sector in base.sectors:
            j = base.sectors.index(dm.sector)
            energy_by_sector[:, :, j] += tce
            co2_s[:, :, j] += co2
    return direct, energy, elec_tce


def _generation(base: BaseState, levers: Levers, d: _Draws, years: np.ndarray) -> np.ndarray:
    """Local generation [D, T] kWh: hydro with its variability, the other base generation, and
    each addition's capacity × full-load hours from its online year."""
    hydro = base.generation.get("hydro", 0.0) * np.clip(1.0 + d.eps, 0.0, None)
    other = sum(v for k, v in base.generation.items() if k != "hydro")
    added = np.zeros(d.eps.shape)
    for a in levers.additions:
        added += (a.capacity_kw * d.hours[a.name])[:, None] * (years >= a.online)[None, :]
    return hydro + other + added


def project(base: BaseState, levers: Levers, horizon: int, draws: int, seed: int) -> Projection:
    """The Monte Carlo projection from the base year to ``horizon`` (the module's equations), with
    ``draws`` draws from the random stream of ``seed``."""
    years = np.arange(base.year, horizon + 1)
    dt = (years - base.year).astype(float)  # [T]
    d = _sample(levers, base.sectors, draws, len(years), seed)
    e = np.array(_per_sector(levers.elasticity, base.sectors), dtype=float)  # [S]
    activity = _activity(base, levers, d, e, dt)
    direct, energy, elec_tce, energy_by_sector, co2_s = _combustion(base, levers, d, activity, years, dt)
    direct, energy, elec_tce = _add_demands(base, levers, d, years, direct, energy, elec_tce, energy_by_sector, co2_s)
    kwh = elec_tce * KWH_PER_TCE
    gen = _generation(base, levers, d, years)
    grid = base.grid_factor * (1.0 + d.c[:, None]) ** dt[None, :] * (1.0 + d.eta)
    with_el = direct + (kwh - gen) * grid
    nonfossil_gen = gen - base.generation.get("thermal", 0.0)
    frac = nonfossil_fraction(nonfossil_gen, gen, kwh, levers.import_nonfossil_fraction)
    coef = share_coefficients(base, years)
    nf, total = share_terms(0.0, energy - elec_tce, kwh, frac, coef[None, :])
    renewable = 100.0 * np.divide(nonfossil_gen, gen, out=np.full_like(gen, np.nan), where=gen > 0)
    gdp_index = (1.0 + d.g[:, None]) ** dt[None, :]
    return Projection(years, energy, direct, with_el, kwh, gen, 100.0 * nf / total, gdp_index, energy_by_sector,
                      co2_s, renewable, nonfossil_energy=elec_tce * frac, share_convention=base.share_convention,
                      share_kgce_per_kwh=coef)


def nonfossil_fraction(nonfossil_gen: np.ndarray, gen: np.ndarray, kwh: np.ndarray,
                       import_fraction: float | None) -> np.ndarray:
    """Non-fossil fraction of the consumed electricity [D, T]: the local mix for a net exporter,
    local mix plus imports at ``import_fraction`` for a net importer (NaN without one)."""
    return np.where(gen >= kwh, np.divide(nonfossil_gen, gen, out=np.zeros_like(gen), where=gen > 0),
                    np.nan if import_fraction is None else
                    (nonfossil_gen + (kwh - gen) * import_fraction) / np.maximum(kwh, 1e-9))


def share_coefficients(base: BaseState, years: np.ndarray) -> np.ndarray:
    """The kgce/kWh the non-fossil share values each year's electricity at [T]: 0.1229 on 当量值
    without coefficients; else the base year's own coefficient (NaN without one, as the
    inventory's NE) and, for each later year, its own where known, else the last known year's."""
    if not base.share_kgce_per_kwh:
        return np.full(len(years), CALORIFIC_KGCE_PER_KWH if base.share_convention == CALORIFIC else np.nan)
    known = sorted(base.share_kgce_per_kwh.items())
    out = np.full(len(years), np.nan)
    for i, y in enumerate(int(y) for y in years):
        prior = [v for k, v in known if k <= y and (k == y or y > base.year)]
        if prior:
            out[i] = prior[-1]
    return out


def band(x: np.ndarray, qs=(10, 50, 90)) -> dict[str, list[float]]:
    """Percentile bands over draws, per year."""
    with np.errstate(all="ignore"):
        return {f"p{q}": [None if np.isnan(v) else float(v) for v in np.nanpercentile(x, q, axis=0)] for q in qs}
