"""Yearly indicators from accounted lines and GDP, on the raw and on the assessment basis.

Every :class:`IndicatorValue` keeps its formula and the inputs it was computed from, so any
figure can be traced down to lines and factors. A value that cannot be computed is ``None``
("not estimated", NE) with the reason, never zero.

Rules implemented:

* Energy intensity [tce/10⁴ yuan] uses GDP at constant prices of the base year, chained from
  the volume index (previous year = 100).
* Change vs base, Hunan formula: change = I_t / I_base − 1, the ratio rounded to 4 decimals
  (docs/methods.md, indicators).
* Assessment basis: versioned rule sets (domain/conventions.py, refdata table assessment_rules):
  feedstock energy (原料用能) deducted from the 2021 assessment on (发改环资〔2022〕803号), non-fossil
  energy excluded too from the 2024 assessment on (发改环资〔2024〕113号). Every year of a series
  is computed on the rule of the series' assessment year, the base year included, so that a
  change compares like with like; each value names its rule (``rule``).
* Non-fossil share: non-fossil energy / total energy, both with consumed electricity at one
  convention, named in ``convention``: officially the coal-equivalent method (发电煤耗计算法, the
  year's 火电发电标准煤耗), alternatively 当量值. The non-fossil part of consumed electricity is
  the local generation mix when the county generates at least what it consumes; otherwise
  imported electricity needs the supplying grid's non-fossil fraction (a parameter, or the
  county's stored ``electricity_mix`` factor, domain/conventions.py), or the share is NE.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

import pandas as pd

from .conventions import (
    CALORIFIC,
    CONVENTION_TEXT,
    EQUIVALENT,
    OFFICIAL_SHARE_CONVENTION,
    AssessmentRule,
    IndicatorConventions,
    share_at,
)

NONFOSSIL_EXCLUDED_FROM = 2024  # 发改环资〔2024〕113号 (rule ASSESS-2024); the rule book is the reference


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
    # What the value also depends on (keying, see ``stamped``): the electricity convention of
    # its energy figures ("" when none enters) and the year whose constant prices its GDP is in
    # (None when no GDP enters; for a change vs base it is also the reference year).
    convention: str = ""
    price_base_year: int | None = None
    rule: str = ""  # the assessment rule id (考核口径) an assessment-basis value was computed on

    @property
    def key(self) -> tuple[str, int, str, str, int | None]:
        """Everything the value depends on: (code, year, basis, convention, price base year)."""
        return (self.code, self.year, self.basis, self.convention, self.price_base_year)

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "year": self.year, "value": self.value, "unit": self.unit,
                "basis": self.basis, "convention": self.convention, "price_base_year": self.price_base_year,
                "rule": self.rule, "formula": self.formula, "inputs": self.inputs, "note": self.note}


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


def nonfossil_fraction(b: YearBalance, import_nonfossil_fraction: float | None,
                       cite: str = "") -> tuple[float | None, str]:
    """Non-fossil fraction of the consumed electricity and the rule used (``cite``: where the
    grid's fraction comes from, named when it is used); ``None`` when unknown."""
    if b.electricity_kwh == 0:
        return 0.0, "no electricity consumption"
    if b.generation_kwh >= b.electricity_kwh and b.generation_kwh > 0:
        return (b.nonfossil_generation_kwh / b.generation_kwh,
                "net exporter: consumed electricity takes the local generation mix")
    if import_nonfossil_fraction is not None:
        imported = b.electricity_kwh - b.generation_kwh
        return ((b.nonfossil_generation_kwh + imported * import_nonfossil_fraction) / b.electricity_kwh,
                "net importer: local mix for local generation, grid fraction for imports" + cite)
    return None, "net importer of electricity and no non-fossil fraction for imported power"


def nonfossil_energy(b: YearBalance, import_nonfossil_fraction: float | None,
                     cite: str = "") -> tuple[float | None, str]:
    """Non-fossil energy [tce] at the accounting's electricity convention and the rule used;
    ``None`` when it cannot be estimated."""
    frac, rule = nonfossil_fraction(b, import_nonfossil_fraction, cite)
    return (None if frac is None else b.nonfossil_direct_tce + b.electricity_tce * frac), rule


def assessment_energy(b: YearBalance, nonfossil_tce: float | None, rule: AssessmentRule | None) -> float | None:
    """Energy on the assessment basis of ``rule`` (None: before any rule, nothing deducted)."""
    if rule is None:
        return b.energy_tce
    e = b.energy_tce - (b.feedstock_tce if rule.deduct_feedstock else 0.0)
    if rule.exclude_nonfossil:
        if nonfossil_tce is None:
            return None
        e -= nonfossil_tce
    return e


def compute_indicators(lines: pd.DataFrame, gdp: pd.DataFrame, base_year: int,
                       import_nonfossil_fraction: float | None = None,
                       conventions: IndicatorConventions | None = None) -> list[IndicatorValue]:
    """All yearly indicators for the years present in ``lines``.

    The assessment basis of every year is computed on the rule of the series' assessment year
    (``conventions.assessment_year``, default the latest data year). With ``conventions`` the
    non-fossil share is given on both electricity conventions, the official one
    (:data:`OFFICIAL_SHARE_CONVENTION`) last; without, only at the accounting's convention."""
    bal = year_balances(lines)
    gdp_const = constant_price_gdp(gdp, base_year) if len(gdp) else {}
    conv = conventions or IndicatorConventions()
    imports = {y: _import_fraction(conv, y, import_nonfossil_fraction) for y in bal}
    nf = {y: nonfossil_energy(b, *imports[y]) for y, b in bal.items()}
    assessed = conv.assessment_year if conv.assessment_year is not None else max(bal, default=base_year)
    rule = conv.rules.for_year(assessed)
    out: list[IndicatorValue] = []
    for y, b in sorted(bal.items()):
        g = gdp_const.get(y)
        out += _year_values(y, b, g, nf[y], base_year)
        if conventions is None:
            out.append(_ratio("nonfossil_share", y, nf[y][0], b.energy_tce, "%", "raw", 100.0,
                              "non-fossil energy / total energy × 100", nf[y][1]))
        else:
            out += _share_values(y, b, nonfossil_fraction(b, *imports[y]), conventions)
        out += _assessment_values(y, b, g, nf[y][0], rule, assessed)
    out += _changes(out, bal, base_year)
    return out


def _import_fraction(conv: IndicatorConventions, year: int, given: float | None) -> tuple[float | None, str]:
    """The grid's non-fossil fraction for the year's imported electricity: ``given``, else the
    conventions' grid mix (its factor and year named), else None."""
    if given is not None:
        return given, ""
    mix = conv.import_mix(year)
    return (None, "") if mix is None else (mix.value, f" ({mix.factor_id}: {mix.value:g} of {mix.year})")


def _year_values(y: int, b: YearBalance, g: float | None, nf: tuple[float | None, str],
                 base_year: int) -> list[IndicatorValue]:
    nf_tce, nf_rule = nf
    out = [
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
        _ratio("renewable_share_local_generation", y,
               b.nonfossil_generation_kwh if b.generation_kwh else None, b.generation_kwh, "%", "", 100.0,
               "non-fossil local generation / all local generation × 100", ""),
    ]
    for basis, c in (("territorial", b.co2_territorial_t), ("with_electricity", b.co2_with_electricity_t)):
        out.append(_ratio("co2_intensity", y, c, g, "tCO2/10^4 yuan", basis, 1.0, "CO2 / GDP at constant prices", ""))
    out.append(_ratio("energy_intensity", y, b.energy_tce, g, "tce/10^4 yuan", "raw", 1.0,
                      "energy / GDP at constant prices", ""))
    return out


def _share_values(y: int, b: YearBalance, frac: tuple[float | None, str],
                  conv: IndicatorConventions) -> list[IndicatorValue]:
    """The non-fossil share on the 当量值 convention, then on the official one (发电煤耗计算法),
    each with its convention named; electricity is revalued from its kWh, whatever convention
    the accounting used."""
    out = []
    other = b.energy_tce - b.electricity_tce
    for convention in (CALORIFIC, OFFICIAL_SHARE_CONVENTION):
        c = conv.kgce_per_kwh(convention, y)
        nf, total, share = share_at(b.nonfossil_direct_tce, other, b.electricity_kwh, frac[0], c)
        rate = conv.coal_rates.get(y) if convention == EQUIVALENT else None
        zh, en = CONVENTION_TEXT[convention]
        note = (f"{zh} / {en}; " + frac[1] if c is not None else
                f"no 发电煤耗 coefficient for {y} (kind primary_electricity_coal): {zh} not estimated")
        if frac[0] is None:
            note = frac[1]
        inputs = {"nonfossil_tce": nf, "total_tce": total, "kgce_per_kwh": c, "electricity_kwh": b.electricity_kwh,
                  "nonfossil_fraction": frac[0], "coefficient_factor_id": rate.factor_id if rate else "",
                  "coefficient_status": rate.status if rate else ("confirmed" if c is not None else "")}
        out.append(IndicatorValue("nonfossil_share", y, share, "%", "raw",
                                  "(non-fossil direct + kWh × non-fossil fraction × c) / "
                                  "(energy without electricity + kWh × c) × 100", inputs, note,
                                  convention=convention))
    return out


def _assessment_values(y: int, b: YearBalance, g: float | None, nf_tce: float | None,
                       rule: AssessmentRule | None, assessed: int) -> list[IndicatorValue]:
    """Energy and intensity on the assessment basis, on the rule of the assessment year."""
    rule_id = rule.rule_id if rule else ""
    text = (rule.text("zh") + " / " + rule.text("en")) if rule else f"no assessment rule for {assessed}"
    ae = assessment_energy(b, nf_tce, rule)
    formula = (rule.formula() if rule else "total") + f" (rule of the {assessed} assessment)"
    return [
        IndicatorValue("energy_total", y, ae, "tce", "assessment", formula,
                       {"energy_tce": b.energy_tce, "feedstock_tce": b.feedstock_tce, "nonfossil_tce": nf_tce,
                        "assessment_year": assessed}, text, rule=rule_id),
        replace(_ratio("energy_intensity", y, ae, g, "tce/10^4 yuan", "assessment", 1.0,
                       "energy on the assessment basis / GDP at constant prices", text), rule=rule_id),
    ]


def _ratio(code, year, num, den, unit, basis, scale, formula, note) -> IndicatorValue:
    ok = num is not None and den not in (None, 0)
    value = num / den * scale if ok else None
    return IndicatorValue(code, year, value, unit, basis, formula, {"numerator": num, "denominator": den},
                          note if ok else (note or "numerator or denominator not available"))


def _changes(values, bal, base_year) -> list[IndicatorValue]:
    """Intensity change vs base year and year on year [%], Hunan 4-decimal rule.

    On the assessment basis both years are already on the rule of the series' assessment year
    (the reference year restated), and the change names that rule. A change of a non-positive
    intensity (possible with electricity for a net exporter) has no meaning and is NE."""
    out = []
    idx = {(v.code, v.year, v.basis): v.value for v in values}
    rules = {v.basis: v.rule for v in values if v.code == "energy_intensity" and v.rule}

    for code in ("energy_intensity", "co2_intensity"):
        bases = ("raw", "assessment") if code == "energy_intensity" else ("territorial", "with_electricity")
        for basis in bases:
            for y in sorted(bal):
                cur = idx.get((code, y, basis))
                for kind, ref_year in (("change_vs_base", base_year), ("change_yoy", y - 1)):
                    if kind == "change_yoy" and ref_year not in bal:
                        continue
                    ref = idx.get((code, ref_year, basis))
                    ok = cur is not None and ref is not None and cur > 0 and ref > 0
                    note = "" if ok else ("intensity not available for one of the years"
                                          if cur is None or ref is None else "not meaningful: non-positive intensity")
                    out.append(IndicatorValue(
                        f"{code}_{kind}", y, hunan_change(cur, ref) * 100.0 if ok else None, "%", basis,
                        f"(I_{y} / I_{ref_year} − 1) × 100, ratio rounded to 4 decimals",
                        {"current": cur, "reference": ref, "reference_year": ref_year}, note,
                        rule=rules.get(basis, "") if code == "energy_intensity" else ""))
    return out


# Keying: which indicators rest on GDP at constant prices, which on energy in tce (and so on the
# electricity convention). Every other indicator depends on neither.
PRICE_BASED = frozenset({"gdp_constant", "energy_intensity", "co2_intensity", "energy_intensity_change_vs_base",
                         "energy_intensity_change_yoy", "co2_intensity_change_vs_base", "co2_intensity_change_yoy"})
CONVENTION_BASED = frozenset({"energy_total", "nonfossil_energy", "nonfossil_share", "energy_intensity",
                              "energy_intensity_change_vs_base", "energy_intensity_change_yoy"})


def stamped(values: list[IndicatorValue], price_base_year: int, convention: str) -> list[IndicatorValue]:
    """The values of :func:`compute_indicators` (run with ``price_base_year``) with the price base
    and the electricity convention they depend on named in each, so that each is keyed by all
    it depends on (:attr:`IndicatorValue.key`)."""
    return [replace(v, price_base_year=price_base_year if v.code in PRICE_BASED else None,
                    convention=v.convention or (convention if v.code in CONVENTION_BASED else ""))
            for v in values]  # a value that names its own convention (the non-fossil share) keeps it
