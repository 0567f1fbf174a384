"""`carbonpeak scenario`: the peak projection."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..services import scenarios as scen_svc
from . import render as r
from .common import Fmt, FormatOpt, LangOpt, _platform, _run, _settings, app

scenario_app = typer.Typer(no_args_is_help=True, help="情景预测 / scenario projection")
app.add_typer(scenario_app, name="scenario")


@scenario_app.command("run")
def scenario_run(
    spec: Annotated[Path, typer.Argument(help="情景文件 TOML，如 src/carbonpeak/data/scenarios/anhua/policy.toml")],
    draws: Annotated[int | None, typer.Option(min=1, max=1_000_000, help="蒙特卡洛次数（默认取自情景文件，10000）")] = None,
    seed: Annotated[int | None, typer.Option(help="随机种子（默认取自情景文件）")] = None,
    out: Annotated[Path | None, typer.Option(help="另存为 IAMC 格式 CSV/XLSX")] = None,
    fmt: FormatOpt = Fmt.table, lang: LangOpt = None,
) -> None:
    """运行情景：达峰年份 P10/P50/P90、峰值、2030年前达峰概率 / run a scenario."""
    s = _settings(lang)
    res = _run(s, lambda: scen_svc.run_scenario(_platform(s), spec, draws, seed))
    if out is not None:
        _run(s, lambda: scen_svc.export_iamc(res, out))
    if fmt is Fmt.json:
        print(r.to_json(res))
        return
    if fmt is Fmt.csv:
        print(scen_svc.iamc_frame(res).to_csv(index=False), end="")
        return
    con = r.console()
    py = res["peak_year"]
    show = lambda y: str(y) if y is not None else f">{res['horizon']}"  # noqa: E731
    con.print(f"[bold]{res['scenario']}[/] ({' → '.join(res['lineage'])}) · {res['region']} · {res['draws']} draws, seed {res['seed']}")
    con.print(f"达峰年份 peak year P10/P50/P90: {show(py['p10'])} / {show(py['p50'])} / {show(py['p90'])}  ·  "
              f"峰值 peak (P50): {r.num(res['peak_value_t'], 0)} t  ·  2030年前达峰概率 P(peak ≤ 2030): "
              f"{res['p_peak_by_2030']:.1%}  ·  口径 {res['perspective']}, 平台容差 {res['plateau_tolerance']:.0%}")
    rows = [[str(y), res["co2_territorial_t"]["p10"][i], res["co2_territorial_t"]["p50"][i],
             res["co2_territorial_t"]["p90"][i], res["co2_with_electricity_t"]["p50"][i], res["energy_tce"]["p50"][i]]
            for i, y in enumerate(res["years"])]
    con.print(r.table("CO2 t (P10/P50/P90), 含电力 P50, 能耗 tce P50",
                      ["年份", "属地 P10", "属地 P50", "属地 P90", "含电力 P50", "能耗 P50"], rows))
    con.print(f"方案项目 / registry projects linked: {len(res['projects'])}")
    if res["illustrative"]:
        con.print("[yellow]示例数据 / illustrative: 情景假设与基年数据为示例[/]")
