"""A scenario result in the IAMC long format (CSV/XLSX), readable by pyam, with its flags."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from ..tabular import neutralise_frame

IAMC_COLUMNS = ["model", "scenario", "region", "variable", "unit", "year", "value", "illustrative", "proxy_factor"]
IAMC_GRID_BASED = {"co2_with_electricity_t"}  # the series that include the grid factor
IAMC_VARIABLES = {
    "co2_territorial_t": ("Emissions|CO2|Territorial", "Mt CO2/yr", 1e-6),
    "co2_with_electricity_t": ("Emissions|CO2|Including Net Electricity Imports", "Mt CO2/yr", 1e-6),
    "energy_tce": ("Final Energy|Standard Coal Equivalent", "Mt tce/yr", 1e-6),
    "nonfossil_share_pct": ("Share|Non-Fossil Energy", "%", 1.0),
}


def iamc_frame(result: dict[str, Any], model: str = "CarbonPeak") -> pd.DataFrame:
    """The result in the IAMC long format (model, scenario, region, variable, unit, year, value):
    the median and the P10/P90 bands (variables suffixed |P10, |P90), readable by pyam; two meta
    columns after the value (pyam: extra_cols) flag each row: ``illustrative`` (示例数据) and
    ``proxy_factor`` (代用因子: the series includes a grid factor of another year)."""
    rows = []
    for key, (var, unit, scale) in IAMC_VARIABLES.items():
        proxy = bool(result.get("proxy_factor")) and key in IAMC_GRID_BASED
        for q, suffix in (("p50", ""), ("p10", "|P10"), ("p90", "|P90")):
            for year, v in zip(result["years"], result[key][q], strict=True):
                if v is not None:
                    rows.append({"model": model, "scenario": result["scenario"], "region": result["region"],
                                 "variable": var + suffix, "unit": unit, "year": year, "value": v * scale,
                                 "illustrative": bool(result["illustrative"]), "proxy_factor": proxy})
    # An export only (CSV/XLSX): text that a spreadsheet would evaluate is neutralised.
    return neutralise_frame(pd.DataFrame(rows, columns=IAMC_COLUMNS))


def iamc_meta(result: dict[str, Any], model: str = "CarbonPeak") -> pd.DataFrame:
    """The run's flags as the IAMC meta table (one row per model and scenario; pyam's "meta" sheet)."""
    f = result.get("flags", {})
    return neutralise_frame(pd.DataFrame([{
        "model": model, "scenario": result["scenario"], "exclude": False, "illustrative": bool(result["illustrative"]),
        "proxy_factor": bool(result.get("proxy_factor")), "proxy_years": ", ".join(map(str, result.get("proxy_years", []))),
        "note": " ".join(f.get("notes", []) + f.get("notes_en", []))}]))


def export_iamc(result: dict[str, Any], out: Path) -> Path:
    df = iamc_frame(result)
    out.parent.mkdir(parents=True, exist_ok=True)
    if out.suffix.lower() == ".xlsx":
        with pd.ExcelWriter(out) as xw:  # the data, and the run's flags as pyam's meta sheet
            df.to_excel(xw, sheet_name="data", index=False)
            iamc_meta(result).to_excel(xw, sheet_name="meta", index=False)
    else:
        df.to_csv(out, index=False)
    return out
