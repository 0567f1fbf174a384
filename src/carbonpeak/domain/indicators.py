"""Yearly indicators from accounted lines and GDP, on the raw and on the assessment basis.

Every :class:`IndicatorValue` keeps its formula and the inputs it was computed from, so any
figure can be traced down to lines and factors. A value that cannot be computed is ``None``
("not estimated", NE) with the reason, never zero.

Rules implemented:

* Energy intensity [tce/10⁴ yuan] uses GDP at constant prices of the base year, chained from
  the volume index (previous year = 100).
* Change vs base, Hunan formula: change = I_t / I_base − 1, the ratio rounded to 4 decimals
  (DOMAIN.md §2).
* Assessment basis (发改环资〔2022〕803号): feedstock energy (原料用能) is deducted; from the
  2024 assessment on (发改环资〔2024〕113号) non-fossil energy is excluded too, in the assessed
  year and in the base year alike so that the change stays comparable.
* Non-fossil share: non-fossil energy / total energy, both at the chosen electricity
  convention. The non-fossil part of consumed electricity is the local generation mix when the
  county generates at least what it consumes; otherwise imported electricity needs the
  supplying grid's non-fossil fraction (a parameter), or the share is NE.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

NONFOSSIL_EXCLUDED_FROM = 2024  # 发改环资〔2024〕113号


@dataclass(frozen=True)
class IndicatorValue:
    code: str
    year: int
    value: float | None
    unit: str
    basis: str  # "raw" | "assessment" | "territorial" | "with_electricity" | ""
    formula: str
    inputs: dict[str, Any] = field(default_factory=dict)
    note: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "year": self.year, "value": self.value, "unit": self.unit,
                "basis": self.basis, "formula": self.formula, "inputs": self.inputs, "note": self.note}


def constant_price_gdp(gdp: pd.DataFrame, base_year: int) -> dict[int, float | None]:
    """GDP at constant base-year prices [10⁴ yuan].

    ``gdp`` has columns year, gdp_current [10⁴ yuan] and index_prev [previous year = 100].
    const(base) = current(base); const(t) = const(t−1) × index(t) / 100; backwards likewise.
    A year whose chain is broken (missing index or current value) is ``None``.
    """
    g = gdp.set_index("year").sort_index()
    out: dict[int, float | None] = {}
    if base_year not in g.index or pd.isna(g.at[base_year, "gdp_current"]):
        return {int(y): None for y in g.index}
    out[base_year] = float(g.at[base_year, "gdp_current"])
    years = [int(y) for y in g.index]
    for y in [y for y in years if y > base_year]:
        prev, idx = out.get(y - 1), g.at[y, "index_prev"] if "index_prev" in g.columns else None
        out[y] = None if prev is None or idx is None or pd.isna(idx) else prev * float(idx) / 100.0
    for y in sorted([y for y in years if y < base_year], reverse=True):
        nxt = out.get(y + 1)
        idx = g.at[y + 1, "index_prev"] if (y + 1) in g.index else None
        out[y] = None if nxt is None or idx is None or pd.isna(idx) else nxt / (float(idx) / 100.0)
    return out


def hunan_change(current: float, base: float) -> float:
    """Change of an intensity vs a reference, as a fraction rounded to 4 decimals."""
    return round(current / base - 1.0, 4)


@dataclass(frozen=True)
class YearBalance:
    year: int
    energy_tce: float
    feedstock_tce: float
    electricity_kwh: float
    electricity_tce: float
    nonfossil_direct_tce: float
    generation_kwh: float
    nonfossil_generation_kwh: float
    co2_territorial_t: float
    co2_with_electricity_t: float


def year_balances(lines: pd.DataFrame) -> dict[int, YearBalance]:
    """Aggregate accounted lines (domain.accounting.account) into one balance per year."""
    out = {}
    for year, g in lines.groupby("year"):
        cons = ~g["category"].isin(["generation", "process"])
        elec = g["category"] == "electricity"
        gen = g["category"] == "generation"
        nonfossil_direct = cons & ~g["fossil"] & ~elec & (g["category"] != "heat")
        out[int(year)] = YearBalance(
            year=int(year),
            energy_tce=float(g.loc[cons, "energy_tce"].sum()),
            feedstock_tce=float(g.loc[cons & (g["use"] == "feedstock"), "energy_tce"].sum()),
            electricity_kwh=float(g.loc[elec, "quantity_canonical"].sum()),
            electricity_tce=float(g.loc[elec, "energy_tce"].sum()),
            nonfossil_direct_tce=float(g.loc[nonfossil_direct, "energy_tce"].sum()),
            generation_kwh=float(g.loc[gen, "quantity_canonical"].sum()),
            nonfossil_generation_kwh=float(g.loc[gen & ~g["fossil"], "quantity_canonical"].sum()),
            co2_territorial_t=float(g["co2_direct_t"].sum()),
            co2_with_electricity_t=float(g["co2_t"].sum()),
        )
    return out


def nonfossil_energy(b: YearBalance, import_nonfossil_fraction: float | None) -> tuple[float | None, str]:
    """Non-fossil energy [tce] and the rule used; ``None`` when it cannot be estimated."""
    if b.electricity_kwh == 0:
        return b.nonfossil_direct_tce, "no electricity consumption"
    if b.generation_kwh >= b.electricity_kwh and b.generation_kwh > 0:
        frac = b.nonfossil_generation_kwh / b.generation_kwh
        rule = "net exporter: consumed electricity takes the local generation mix"
    elif import_nonfossil_fraction is not None:
        imported = b.electricity_kwh - b.generation_kwh
        frac = (b.nonfossil_generation_kwh + imported * import_nonfossil_fraction) / b.electricity_kwh
        rule = "net importer: local mix for local generation, grid fraction for imports"
    else:
        return None, "net importer of electricity and no non-fossil fraction for imported power"
    return b.nonfossil_direct_tce + b.electricity_tce * frac, rule


def assessment_energy(b: YearBalance, nonfossil_tce: float | None, assessed_year: int) -> float | None:
    """Energy on the assessment basis of ``assessed_year`` (which fixes the rule set)."""
    e = b.energy_tce - b.feedstock_tce
    if assessed_year >= NONFOSSIL_EXCLUDED_FROM:
        if nonfossil_tce is None:
            return None
        e -= nonfossil_tce
    return e


def compute_indicators(lines: pd.DataFrame, gdp: pd.DataFrame, base_year: int,
                       import_nonfossil_fraction: float | None = None) -> list[IndicatorValue]:
    """All yearly indicators for the years present in ``lines``."""
    bal = year_balances(lines)
    gdp_const = constant_price_gdp(gdp, base_year) if len(gdp) else {}
    nf = {y: nonfossil_energy(b, import_nonfossil_fraction) for y, b in bal.items()}
    out: list[IndicatorValue] = []
    for y, b in sorted(bal.items()):
        g = gdp_const.get(y)
        nf_tce, nf_rule = nf[y]
        out += [
            IndicatorValue("energy_total", y, b.energy_tce, "tce", "raw", "Σ energy of consumption lines",
                           {"lines_year": y}),
            IndicatorValue("co2_total", y, b.co2_territorial_t, "tCO2", "territorial",
                           "Σ direct CO2 (combustion + process)", {"lines_year": y}),
            IndicatorValue("co2_total", y, b.co2_with_electricity_t, "tCO2", "with_electricity",
                           "territorial + (electricity consumption − local generation) × grid factor",
                           {"lines_year": y}),
            IndicatorValue("gdp_constant", y, g, "10^4 yuan", "", f"GDP at constant {base_year} prices",
                           {"base_year": base_year}, "" if g is not None else "GDP or volume index missing"),
            IndicatorValue("nonfossil_energy", y, nf_tce, "tce", "raw", nf_rule,
                           {"electricity_kwh": b.electricity_kwh, "generation_kwh": b.generation_kwh,
                            "nonfossil_generation_kwh": b.nonfossil_generation_kwh,
                            "nonfossil_direct_tce": b.nonfossil_direct_tce}),
            _ratio("nonfossil_share", y, nf_tce, b.energy_tce, "%", "raw", 100.0,
                   "non-fossil energy / total energy × 100", nf_rule),
            _ratio("renewable_share_local_generation", y,
                   b.nonfossil_generation_kwh if b.generation_kwh else None, b.generation_kwh, "%", "", 100.0,
                   "non-fossil local generation / all local generation × 100", ""),
        ]
        ae = assessment_energy(b, nf_tce, y)
        out.append(IndicatorValue("energy_total", y, ae, "tce", "assessment",
                                  "total − feedstock" + (" − non-fossil" if y >= NONFOSSIL_EXCLUDED_FROM else ""),
                                  {"energy_tce": b.energy_tce, "feedstock_tce": b.feedstock_tce,
                                   "nonfossil_tce": nf_tce}))
        for basis, e in (("raw", b.energy_tce), ("assessment", ae)):
            out.append(_ratio("energy_intensity", y, e, g, "tce/10^4 yuan", basis, 1.0,
                              "energy / GDP at constant prices", ""))
        for basis, c in (("territorial", b.co2_territorial_t), ("with_electricity", b.co2_with_electricity_t)):
            out.append(_ratio("co2_intensity", y, c, g, "tCO2/10^4 yuan", basis, 1.0,
                              "CO2 / GDP at constant prices", ""))
    out += _changes(out, bal, nf, gdp_const, base_year)
    return out


def _ratio(code, year, num, den, unit, basis, scale, formula, note) -> IndicatorValue:
    ok = num is not None and den not in (None, 0)
    value = num / den * scale if ok else None
    return IndicatorValue(code, year, value, unit, basis, formula, {"numerator": num, "denominator": den},
                          note if ok else (note or "numerator or denominator not available"))


def _changes(values, bal, nf, gdp_const, base_year) -> list[IndicatorValue]:
    """Intensity change vs base year and year on year [%], Hunan 4-decimal rule.

    On the assessment basis the reference year is restated under the rules of the assessed
    year. A change of a non-positive intensity (possible with electricity for a net exporter)
    has no meaning and is NE."""
    out = []
    idx = {(v.code, v.year, v.basis): v.value for v in values}

    def reference(code: str, basis: str, ref_year: int, assessed: int) -> float | None:
        if code == "energy_intensity" and basis == "assessment":
            if ref_year not in bal or not gdp_const.get(ref_year):
                return None
            e = assessment_energy(bal[ref_year], nf[ref_year][0], assessed)
            return None if e is None else e / gdp_const[ref_year]
        return idx.get((code, ref_year, basis))

    for code in ("energy_intensity", "co2_intensity"):
        bases = ("raw", "assessment") if code == "energy_intensity" else ("territorial", "with_electricity")
        for basis in bases:
            for y in sorted(bal):
                cur = idx.get((code, y, basis))
                for kind, ref_year in (("change_vs_base", base_year), ("change_yoy", y - 1)):
                    if kind == "change_yoy" and ref_year not in bal:
                        continue
                    ref = reference(code, basis, ref_year, y)
                    ok = cur is not None and ref is not None and cur > 0 and ref > 0
                    note = "" if ok else ("intensity not available for one of the years"
                                          if cur is None or ref is None else "not meaningful: non-positive intensity")
                    out.append(IndicatorValue(
                        f"{code}_{kind}", y, hunan_change(cur, ref) * 100.0 if ok else None, "%", basis,
                        f"(I_{y} / I_{ref_year} − 1) × 100, ratio rounded to 4 decimals",
                        {"current": cur, "reference": ref, "reference_year": ref_year}, note))
    return out
