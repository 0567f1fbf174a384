"""Peak detection per Monte Carlo draw, vectorised over draws (no per-draw Python loop).

The rule (plateau tolerance τ, e.g. 0.01; series x over the stored history and the projection,
years y_0 < … < y_N, y_N = the horizon H):

    M  = max_t x_t                       the draw's maximum, history included
    L  = M − τ·|M|                       the plateau band is [L, M]
    p  = the first year of the LAST run of consecutive years with x_t ≥ L: the peak year
         (a bump within the band does not move the peak; a return into the band after leaving
         it moves the peak to the return: the county is back at its peak level)
    q  = the year of the highest value within that last run (the first, if tied)
    peaked by H  ⇔  (a) q < H: the top of the last plateau is not the final year (so a maximum in
                        H, or a climb back into the band that is still going up in H, is no peak), and
                    (b) the last years show a plateau or a decline, not a rise:
                        x_H ≤ min{x_t : t ≥ q, t > H − w} + τ·|M|   (w = the window, 5 years by
                        default: the final year is at most τ·|M| above the lowest of the last w
                        years after the top; a rise of less than τ·|M| within w years is a plateau)

A draw that has not peaked by H has no peak year (NaN): it is still rising at the horizon, either
to a new maximum in H or back up from its low since an earlier maximum (e.g. a 2021 high, a dip,
and a rise through the 2030s that stays below 2021). The peak value is M.

Statistics over draws: a not-peaked draw counts as peaking later than any year ("> H"), so the
percentile P_q of the peak year is "not peaked" when more than (100 − q) % of the draws have not
peaked, and P(peak ≤ Y) = share of draws that have peaked (under the rule, judged up to H) with
p ≤ Y; P(peak ≤ Y) and the percentiles come from the same distribution. The peak value (P50) is
the median maximum among the peaked draws, given only when at least half of the draws have peaked.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .messages import render

WINDOW = 5  # years at the end of the horizon that must show a plateau or a decline


@dataclass(frozen=True)
class PeakStats:
    peak_year: np.ndarray  # [D] float, NaN = not peaked by the horizon
    peak_value: np.ndarray  # [D] the draw's maximum M (history included)
    horizon: int = 0
    tolerance: float = 0.0
    window: int = 0

    @property
    def peaked(self) -> np.ndarray:
        return ~np.isnan(self.peak_year)

    def quantiles(self, qs=(10, 50, 90)) -> dict[str, int | None]:
        """Percentiles of the peak year, not-peaked draws counted as later than any year
        (None: the percentile falls among the not-peaked draws)."""
        y = np.where(self.peaked, self.peak_year, np.inf)
        out: dict[str, int | None] = {}
        for q in qs:
            v = float(np.percentile(y, q, method="inverted_cdf"))
            out[f"p{q}"] = None if np.isinf(v) else int(v)
        return out

    def probability_by(self, year: int) -> float:
        """Share of draws that have peaked under the rule with a peak year ≤ ``year``."""
        return float(np.mean(self.peaked & (np.nan_to_num(self.peak_year, nan=np.inf) <= year)))

    def probability_not_peaked(self) -> float:
        return float(np.mean(~self.peaked))

    def median_peak_value(self) -> float | None:
        """Median of the maximum among the draws that have peaked, reported only when the P50 of
        the peak year is a year (at least half of the draws have peaked); else None (not peaked)."""
        v = self.peak_value[self.peaked]
        return float(np.median(v)) if v.size and 2 * v.size >= self.peaked.size else None


def _with_history(series: np.ndarray, years: np.ndarray,
                  history: dict[int, float] | None) -> tuple[np.ndarray, np.ndarray]:
    hist_years = sorted(y for y in (history or {}) if y < years[0])
    if not hist_years:
        return series, years
    h = np.array([history[y] for y in hist_years], dtype=float)
    return (np.hstack([np.repeat(h[None, :], series.shape[0], axis=0), series]),
            np.concatenate([np.array(hist_years), years]))


def peaks(series: np.ndarray, years: np.ndarray, tolerance: float,
          history: dict[int, float] | None = None, window: int = WINDOW) -> PeakStats:
    """Peak year and value per draw under the rule of this module (``series`` [D, T] over
    ``years``; ``history`` {year: value} of earlier years, the same for every draw)."""
    if not 0 <= tolerance < 1 or window < 2:
        raise ValueError(f"plateau tolerance {tolerance} outside [0, 1) or window {window} < 2 years")
    x, yrs = _with_history(np.asarray(series, dtype=float), np.asarray(years), history)
    n = x.shape[1]
    idx = np.arange(n)[None, :]
    top = x.max(axis=1)
    slack = tolerance * np.abs(top)
    in_band = x >= (top - slack)[:, None]
    last_in = n - 1 - in_band[:, ::-1].argmax(axis=1)  # last year in the band (there is one: M)
    gap = ~in_band & (idx <= last_in[:, None])
    start = np.where(gap, idx, -1).max(axis=1) + 1  # first year of the last run in the band
    top_year = np.where(idx >= start[:, None], x, -np.inf).argmax(axis=1)  # q: the top of the last run
    recent = idx >= np.maximum(top_year, n - window)[:, None]  # the last ``window`` years, from q on
    low = np.where(recent, x, np.inf).min(axis=1)
    peaked = (top_year < n - 1) & (x[:, -1] <= low + slack)
    peak_year = np.where(peaked, yrs[start].astype(float), np.nan)
    return PeakStats(peak_year, top, int(yrs[-1]), float(tolerance), int(window))


def rule_text(tolerance: float, horizon: int, lang: str = "zh", window: int = WINDOW) -> str:
    """The rule in words, to print beside every peak figure."""
    return render("peak.rule", {"tol": f"{tolerance * 100:g}%", "horizon": horizon, "window": window}, lang)


def year_text(year: int | None, horizon: int, lang: str = "zh") -> str:
    """A peak year, or 未达峰（至2035年仍上升） / not peaked (still rising in 2035)."""
    return str(year) if year is not None else render("peak.not_peaked", {"horizon": horizon}, lang)


def summary(pk: PeakStats, by_year: int = 2030) -> dict:
    """The peak figures every surface shows (CLI table and JSON, API, page), with the rule beside them."""
    qs = pk.quantiles()
    return {
        "plateau_tolerance": pk.tolerance,
        "peak_year": qs,
        "peak_year_text": {lang: {k: year_text(v, pk.horizon, lang) for k, v in qs.items()} for lang in ("zh", "en")},
        "peak_value_t": pk.median_peak_value(),
        f"p_peak_by_{by_year}": pk.probability_by(by_year),
        "p_not_peaked": pk.probability_not_peaked(),
        "peak_window_years": pk.window,
        "peak_rule": {lang: rule_text(pk.tolerance, pk.horizon, lang, pk.window) for lang in ("zh", "en")},
    }
