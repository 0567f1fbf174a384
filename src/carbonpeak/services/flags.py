"""The two flags every output carries, row by row and for the whole result.

* ``illustrative`` (示例数据): the figure rests on input marked illustrative (an activity row, a
  GDP figure or an entered target value with 示例数据 = 是), not on statistics.
* ``proxy_factor`` (代用因子): the figure rests on a grid emission factor of another year, used
  because the data year has none (finding ``factor.electricity.proxy_year``; e.g. 2024 accounted
  with the 2023 factor). Only figures that include the electricity term depend on it: lines of
  electricity consumption or local generation, and indicators on the ``with_electricity`` basis.

Every surface (CLI table/json/csv, API, open data, the report, scenarios and their IAMC export)
takes both from here, so that they say the same.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from ..domain.findings import Finding
from ..domain.messages import render

PROXY_CODE = "factor.electricity.proxy_year"
FIELDS = ("illustrative", "proxy_factor")


def _params(f: Finding | dict) -> tuple[str, dict]:
    if isinstance(f, Finding):
        return f.code, f.params
    return f.get("code", ""), f.get("data", f.get("params", {}))


def proxy_pairs(findings: Iterable[Finding | dict]) -> set[tuple[int, str]]:
    """(year, grid geography) of every proxy grid factor the findings name."""
    return {(int(p["year"]), str(p["geography"])) for code, p in map(_params, findings) if code == PROXY_CODE}


def proxy_years(findings: Iterable[Finding | dict]) -> list[int]:
    return sorted({y for y, _ in proxy_pairs(findings)})


def line_proxy(lines: pd.DataFrame, findings: Iterable[Finding | dict]) -> np.ndarray:
    """Per accounted line: whether its grid factor is another year's (its grid geography is set
    only on lines of electricity consumption or generation)."""
    pairs = proxy_pairs(findings)
    if not pairs or "grid" not in lines.columns or not len(lines):
        return np.zeros(len(lines), dtype=bool)
    return np.array([(int(y), str(g)) in pairs for y, g in zip(lines["year"], lines["grid"])], dtype=bool)


def value_proxy(code: str, basis: str, year: int, price_base_year: int | None, years: Iterable[int]) -> bool:
    """Whether an indicator value rests on a proxy grid factor: it includes the electricity
    term, and a year it uses (its own; the reference year of a change vs base; the previous
    year of a year-on-year change) is accounted with a proxy factor."""
    if basis != "with_electricity":
        return False
    used = {int(year)}
    if "vs_base" in code and price_base_year is not None:
        used.add(int(price_base_year))
    if code.endswith("_yoy"):
        used.add(int(year) - 1)
    return bool(used & set(years))


def mark_indicators(rows: list[dict[str, Any]], years: Iterable[int]) -> list[dict[str, Any]]:
    """Indicator records (IndicatorValue.as_dict and more) with ``proxy_factor`` set."""
    years = set(years)
    for r in rows:
        r["proxy_factor"] = value_proxy(r.get("code", ""), r.get("basis", ""), r["year"], r.get("price_base_year"), years)
        r.setdefault("illustrative", False)
    return rows


def group_flags(lines: pd.DataFrame, by: str, proxy: np.ndarray) -> dict[Any, dict[str, bool]]:
    """Per value of ``by``: whether any of its lines is illustrative, or rests on a proxy factor."""
    ill = lines["illustrative"].astype(bool).to_numpy() if "illustrative" in lines.columns else np.zeros(len(lines), bool)
    frame = pd.DataFrame({"g": lines[by].to_numpy(), "illustrative": ill, "proxy_factor": proxy})
    return {g: {"illustrative": bool(x["illustrative"].any()), "proxy_factor": bool(x["proxy_factor"].any())}
            for g, x in frame.groupby("g", sort=False, dropna=False)}


def summary(illustrative: bool, proxy: bool, years: Iterable[int], lang: str = "zh") -> dict[str, Any]:
    """The flags of a whole result, with the notes to print beside it."""
    years = sorted(set(years))
    notes = []
    if illustrative:
        notes.append(render("flag.illustrative", {}, lang))
    if proxy:
        notes.append(render("flag.proxy_factor", {"years": "、".join(map(str, years)) if lang == "zh"
                                                  else ", ".join(map(str, years))}, lang))
    return {"illustrative": bool(illustrative), "proxy_factor": bool(proxy), "proxy_years": years, "notes": notes}


def annotate_account(d: dict[str, Any], lines: pd.DataFrame, findings: Iterable[Finding], lang: str = "zh") -> None:
    """Both flags on an inventory (AccountReport.as_dict): on each line, each sector and carrier
    row, each indicator, and for the whole (``d["flags"]``). Indicators look at the proxy years
    of every year (``d["proxy_years"]``, set by inventory_report), lines at the report's findings."""
    findings = list(findings)
    proxy = line_proxy(lines, findings)
    for part, by in (("by_sector", "sector"), ("by_carrier", "carrier")):
        per = group_flags(lines, by, proxy)
        for row in d.get(part, []):
            row.update(per.get(row[by], {"illustrative": False, "proxy_factor": False}))
    for rec, p in zip(d.get("lines", []), proxy):
        rec["proxy_factor"] = bool(p)
        rec.setdefault("illustrative", False)
    all_years = set(d.get("proxy_years", [])) | set(proxy_years(findings))
    indicators = mark_indicators(d.get("indicators", []), all_years)
    used = set(proxy_years(findings)) if proxy.any() else set()
    for r in indicators:
        if r["proxy_factor"]:
            used |= {y for y in all_years if y in (r["year"], r.get("price_base_year"), r["year"] - 1)}
    ill = bool(lines["illustrative"].astype(bool).any()) if "illustrative" in lines.columns else False
    ill = ill or any(r.get("illustrative") for r in indicators) or any(g.get("illustrative") for g in d.get("gdp", []))
    d["flags"] = summary(ill, bool(proxy.any()) or any(r["proxy_factor"] for r in indicators), used, lang)


def basis_proxy(basis: str, used_years: Iterable[int], findings: Iterable[Finding | dict]) -> bool:
    """Whether a value on ``basis`` computed from ``used_years`` rests on a proxy grid factor."""
    return basis == "with_electricity" and bool(set(used_years) & set(proxy_years(findings)))


def rows_summary(rows: list, year: int, findings: Iterable[Finding | dict], lang: str = "zh") -> dict[str, Any]:
    """The flags of a result of rows for ``year`` (the barometer's rows, services/tracking_results):
    illustrative if any row is; proxy if any row rests on a proxy factor, or the year itself is
    accounted with one (said once for the whole, even where no row's figure includes the electricity term)."""
    years = proxy_years(findings)
    proxied = any(r.proxy_factor for r in rows)
    shown = [y for y in years if y == year or (proxied and y in {year - 1} | {r.base_year for r in rows})]
    return summary(any(r.illustrative for r in rows), proxied or year in years, shown, lang)


def scenario_flags(illustrative: bool, proxied: Iterable[int], base_year: int, history: Iterable[int],
                   perspective: str) -> dict[str, Any]:
    """The flags of a scenario run: the projection starts from the base year's grid factor (every
    with-electricity series), and its history of the with-electricity perspective sums each
    year's electricity term. Notes in Chinese (``flags.notes``) and English (``flags.notes_en``)."""
    proxied = set(proxied)
    used = ({base_year} | (set(history) if perspective == "with_electricity" else set())) & proxied
    zh, en = (summary(illustrative, bool(used), used, lang) for lang in ("zh", "en"))
    return {"proxy_factor": bool(used), "proxy_years": sorted(used), "flags": {**zh, "notes_en": en["notes"]}}
