"""The report's charts (matplotlib), set in the shipped 黑体 face (fonts.py) so Chinese renders
without missing glyphs; quantities in 万吨 and 万吨标准煤."""

from __future__ import annotations

from pathlib import Path

from ...domain.labels import LIGHTS, pick, say
from .fonts import register_for_charts
from .model import Assessment

LIGHT_COLOURS = {"green": "#2e9d4f", "yellow": "#e0a800", "red": "#d64541", "grey": "#9aa5b1"}


def _plt():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams["font.family"] = [register_for_charts()]
    plt.rcParams["axes.unicode_minus"] = False
    return plt


def charts(a: Assessment, folder: Path) -> dict[str, Path]:
    plt = _plt()
    out = {"barometer": _barometer(plt, a, folder / "barometer.png")}
    series = [s for s in a.series if s.get("energy_total:raw") is not None]
    if series:
        out["trend"] = _trend(plt, a, series, folder / "trend.png")
    if a.inventory:
        out["sectors"] = _sectors(plt, a, folder / "sectors.png")
    return out


def _save(plt, fig, path: Path) -> Path:
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return path


def _barometer(plt, a: Assessment, path: Path) -> Path:
    counts, keys = a.targets.counts, ["green", "yellow", "red", "grey"]
    fig, ax = plt.subplots(figsize=(6, 2.6), dpi=150)
    ax.bar([say(LIGHTS, k, a.lang) for k in keys], [counts.get(k, 0) for k in keys], color=[LIGHT_COLOURS[k] for k in keys])
    ax.set_title(pick(f"{a.year}年目标评价（项）", f"Targets {a.year} (count)", a.lang))
    ax.set_ylabel(pick("项", "count", a.lang))
    for i, k in enumerate(keys):
        ax.annotate(str(counts.get(k, 0)), (i, counts.get(k, 0)), ha="center", va="bottom")
    return _save(plt, fig, path)


def _trend(plt, a: Assessment, series: list[dict], path: Path) -> Path:
    fig, ax = plt.subplots(figsize=(6, 3.0), dpi=150)
    years = [str(s["year"]) + ("*" if s["illustrative"] else "") for s in series]
    ax.bar(years, [s["energy_total:raw"] / 1e4 for s in series], color="#9cc9b9",
           label=pick("能源消费总量", "energy", a.lang))
    ax.set_ylabel(pick("万吨标准煤", "10⁴ tce", a.lang))
    ax2 = ax.twinx()
    ax2.plot(years, [(s.get("co2_total:territorial") or 0) / 1e4 for s in series], color="#0f6e56", marker="o",
             label=pick("属地二氧化碳排放", "territorial CO2", a.lang))
    ax2.set_ylabel(pick("万吨二氧化碳", "10⁴ t CO2", a.lang))
    ax.set_title(pick("能源消费与碳排放（*为示例数据）", "Energy and CO2 (* illustrative)", a.lang))
    fig.legend(loc="lower center", ncol=2, fontsize=8, frameon=False)
    fig.tight_layout(rect=(0, 0.08, 1, 1))
    fig.savefig(path)
    plt.close(fig)
    return path


def _sectors(plt, a: Assessment, path: Path) -> Path:
    rows = sorted(a.inventory["by_sector"], key=lambda r: r["co2_t"])
    fig, ax = plt.subplots(figsize=(6, 3.4), dpi=150)
    ax.barh([r["sector"] for r in rows], [r["co2_t"] / 1e4 for r in rows], color="#0f6e56")
    ax.set_xlabel(pick("二氧化碳排放（含电力，万吨；负值为电力净调出的抵扣）", "CO2 with electricity (10⁴ t; negative: net electricity export credit)", a.lang))
    ax.tick_params(axis="y", labelsize=7)
    return _save(plt, fig, path)
