"""Rendering service results as table (rich), JSON or CSV. No business logic here."""

from __future__ import annotations

import csv
import io
import math
from typing import Any

from rich.console import Console
from rich.table import Table

from ..services.serialize import dumps
from ..tabular import neutralise

LIGHTS = {"green": "[green]● 绿[/]", "yellow": "[yellow]● 黄[/]", "red": "[red]● 红[/]", "grey": "[dim]○ 无[/]"}
LIGHTS_EN = {"green": "[green]● green[/]", "yellow": "[yellow]● yellow[/]", "red": "[red]● red[/]",
             "grey": "[dim]○ n/a[/]"}


def to_json(obj: Any) -> str:
    return dumps(obj, indent=2)


def to_csv(rows: list[dict], columns: list[str]) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, columns, extrasaction="ignore", lineterminator="\n")
    w.writerow({c: neutralise(c) for c in columns})
    for r in rows:
        w.writerow({c: neutralise(r.get(c)) for c in columns})
    return buf.getvalue()


def num(v: Any, digits: int = 2) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "—"
    if isinstance(v, (int, float)):
        return f"{v:,.{digits}f}"
    return str(v)


def table(title: str, columns: list[str], rows: list[list[Any]]) -> Table:
    t = Table(title=title, title_justify="left", show_lines=False)
    for c in columns:
        t.add_column(c, overflow="fold")
    for r in rows:
        t.add_row(*[x if isinstance(x, str) else num(x) for x in r])
    return t


def console() -> Console:
    return Console(soft_wrap=False, width=160)


def print_findings(con: Console, findings: list[dict], lang: str) -> None:
    if not findings:
        return
    con.print("提示与警告：" if lang == "zh" else "Findings:")
    for f in findings:
        color = {"info": "cyan", "warning": "yellow", "blocking": "red"}.get(f["severity"], "white")
        con.print(f"  [{color}]{f['severity']}[/] {f['message']}")


# An indicator value in CSV: the figure and all it depends on (services/indicators.py).
INDICATOR_COLUMNS = ["code", "year", "basis", "convention", "price_base_year", "value", "unit", "qualifier", "formula",
                     "note", "illustrative", "proxy_factor"]
# The two flags every output carries (services/flags.py): 示例数据 and 代用因子, in every CSV.
FLAG_COLUMNS = ["illustrative", "proxy_factor"]

ILLUSTRATIVE_NOTE = "[yellow]* 示例数据 / illustrative: 由示例数据计算或录入，非统计数据[/]"


def marks(row: dict) -> str:
    """" *" when a figure rests on illustrative data, " †" when on a proxy grid factor."""
    return (" *" if row.get("illustrative") else "") + (" †" if row.get("proxy_factor") else "")


def actual(t: dict) -> str:
    """The actual value of a target row, marked when it rests on illustrative data or a proxy factor."""
    return num(t["actual"]) + marks(t)


def print_flags(con: Console, flags: dict) -> None:
    """The notes of a result's flags (services/flags.py), one line each, or nothing."""
    for note in flags.get("notes", []):
        con.print(note, style="yellow", markup=False)
