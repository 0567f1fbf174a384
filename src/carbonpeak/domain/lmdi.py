"""Additive LMDI decomposition (LMDI-I, Ang 2004; zero handling after Ang & Liu 2007).

For an aggregate V = Σ_i Π_k x_{k,i} (sub-categories i, factors k), the change between a
reference state 0 and a state T splits exactly into one effect per factor:

    ΔV_k = Σ_i L(V_i^T, V_i^0) · ln(x_{k,i}^T / x_{k,i}^0),   L(a, b) = (a − b) / (ln a − ln b), L(a, a) = a

and Σ_k ΔV_k = V^T − V^0 with no residual. Kaya: CO2 = P · (G/P) · (E/G) · (C/E).
Zeros are replaced by a small positive δ (1e-20), the convergent treatment of Ang & Liu (2007).
"""

from __future__ import annotations

import numpy as np

DELTA = 1e-20


def logmean(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Logarithmic mean L(a, b) of positive numbers, element-wise; L(a, a) = a."""
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = (a - b) / (np.log(a) - np.log(b))
    return np.where(np.isclose(a, b, rtol=1e-12, atol=0.0), a, out)


def additive(factors_0: dict[str, np.ndarray], factors_t: dict[str, np.ndarray]) -> dict[str, float]:
    """Effects of each factor on the change of V = Σ_i Π_k x_{k,i} [unit of V].

    ``factors_0`` and ``factors_t`` map factor names to arrays over the same sub-categories
    (scalars for a single category). Factors must be non-negative.
    """
    if set(factors_0) != set(factors_t):
        raise ValueError("both states need the same factors")
    names = list(factors_0)
    x0 = {k: np.atleast_1d(np.asarray(factors_0[k], dtype=float)) for k in names}
    xt = {k: np.atleast_1d(np.asarray(factors_t[k], dtype=float)) for k in names}
    if any((x0[k] < 0).any() or (xt[k] < 0).any() for k in names):
        raise ValueError("LMDI factors must be non-negative")
    x0 = {k: np.where(v == 0, DELTA, v) for k, v in x0.items()}
    xt = {k: np.where(v == 0, DELTA, v) for k, v in xt.items()}
    v0 = np.prod(np.vstack(np.broadcast_arrays(*x0.values())), axis=0)
    vt = np.prod(np.vstack(np.broadcast_arrays(*xt.values())), axis=0)
    w = logmean(vt, v0)
    return {k: float(np.sum(w * np.log(xt[k] / x0[k]))) for k in names}


def kaya(co2_0: float, pop_0: float, gdp_0: float, energy_0: float,
         co2_t: float, pop_t: float, gdp_t: float, energy_t: float) -> dict[str, float]:
    """Kaya identity CO2 = P · (G/P) · (E/G) · (C/E): effects of population, affluence, energy
    intensity and carbon intensity of energy [t CO2]. Needs positive values."""
    f0 = {"population": pop_0, "affluence": gdp_0 / pop_0, "energy_intensity": energy_0 / gdp_0,
          "carbon_intensity": co2_0 / energy_0}
    ft = {"population": pop_t, "affluence": gdp_t / pop_t, "energy_intensity": energy_t / gdp_t,
          "carbon_intensity": co2_t / energy_t}
    return additive(f0, ft)
