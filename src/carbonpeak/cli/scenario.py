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
    """运行情景：达峰年份 P10/P50/P90、峰值、2030年前达峰概率、未达峰概率及判定规则 / run a scenario."""
    s = _settings(lang)
    res = _run(s, lambda: scen_svc.run_scenario(_platform(s), spec, draws, seed))
    if out is not None:
        _run(s, lambda: scen_svc.export_iamc(res, out))
    if fmt is Fmt.json:
        print(r.to_json(res.to_dict()))
        return
    if fmt is Fmt.csv:
        print(scen_svc.iamc_frame(res).to_csv(index=False), end="")
        return
    con = r.console()
    con.print(f"[bold]{res['scenario']}[/] ({' → '.join(res['lineage'])}) · {res['region']} · {res['draws']} draws, seed {res['seed']}")
    _print_peak(con, res, s.lang)
    rows = [[str(y), res["co2_territorial_t"]["p10"][i], res["co2_territorial_t"]["p50"][i],
             res["co2_territorial_t"]["p90"][i], res["co2_with_electricity_t"]["p50"][i], res["energy_tce"]["p50"][i]]
            for i, y in enumerate(res["years"])]
    con.print(r.table("CO2 t (P10/P50/P90), 含电力 P50, 能耗 tce P50",
                      ["年份", "属地 P10", "属地 P50", "属地 P90", "含电力 P50" + r.marks({"proxy_factor": res["proxy_factor"]}),
                       "能耗 P50"], rows))
    con.print(f"方案项目 / registry projects linked: {len(res['projects'])}")
    if res["illustrative"]:
        con.print("[yellow]示例数据 / illustrative: 情景假设与基年数据为示例[/]")
    if res["proxy_factor"]:  # the base year's grid factor is another year's (services/flags.py): the last note
        con.print(res["flags"]["notes" if s.lang == "zh" else "notes_en"][-1], style="yellow", markup=False)


def _print_peak(con, res: dict, lang: str) -> None:
    """The peak figures with the rule they follow (the same texts as the API and the page)."""
    en = lang == "en"
    py = res["peak_year_text"]["en" if en else "zh"]
    h = res["horizon"]
    value = r.num(res["peak_value_t"], 0) if res["peak_value_t"] is not None else py["p50"]
    rows = [[f"{'peak year' if en else '达峰年份'} {q.upper()}", py[q]] for q in ("p10", "p50", "p90")] + [
        ["peak (P50), t" if en else "峰值（P50）t", value],
        ["P(peak ≤ 2030)" if en else "2030年前达峰概率", f"{res['p_peak_by_2030']:.1%}"],
        [f"P(not peaked by {h})" if en else f"至{h}年未达峰概率", f"{res['p_not_peaked']:.1%}"],
        ["plateau tolerance" if en else "平台容差", f"{res['plateau_tolerance'] * 100:g}%"],
        ["window at the horizon" if en else "末段判定窗口", f"{res['peak_window_years']} {'years' if en else '年'}"]]
    title = f"{'peak' if en else '达峰'} ({res['perspective']})"
    con.print(r.table(title, ["", "value" if en else "结果"], rows))
    con.print(res["peak_rule"]["en" if en else "zh"], style="dim", markup=False)
