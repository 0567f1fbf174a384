"""Commands that run or administer the platform: serve, backup, restore, accounts."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from ..services import backup as backup_svc
from ..services import demo_county, tenancy
from ..services import plans as plan_svc
from ..services import users as user_svc
from ..services.errors import EXIT_USAGE, CarbonPeakError
from ..settings import SettingsError
from . import render as r
from .common import LangOpt, _platform, _run, _settings, app


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="监听地址 / bind address")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="端口 / port")] = 8000,
    workers: Annotated[int, typer.Option(min=1, max=16, help="进程数 / worker processes")] = 1,
    lang: LangOpt = None,
) -> None:
    """启动平台（网页与 API），首次启动时建库并载入安化示范 / start the web platform."""
    import uvicorn

    from ..web.app import create_app

    s = _settings(lang, whole_deployment=True)
    try:
        s.session_secret()
        dep = tenancy.open_deployment(s)
        for code, platform in [(None, dep.home)] if not dep.multi else dep.counties.items():
            if plan_svc.stored_plan(platform) is None and code in (None, *demo_county.DEMOS):
                where = f"（{code}）" if code else ""
                print(f"首次启动{where}：载入{demo_county.DEMOS.get(code, '安化')}示范数据 / first start: loading the "
                      f"{code or 'anhua'} demo ...", flush=True)
                demo_county.first_start(platform, code, "system:first-start", s.lang)
        if dep.multi and demo_county.first_start_upper(dep.home, tuple(dep.counties), "system:first-start"):
            print("首次启动：载入湖南省碳达峰目标（各县合并评价）/ first start: loading the province's targets", flush=True)
        firsts = [(tier, user_svc.ensure_first_admin(p, s.admin_password))
                  for tier, p in [("", dep.home), *dep.counties.items()]]
    except (CarbonPeakError, SettingsError) as exc:
        print(str(exc), file=sys.stderr)
        raise typer.Exit(1) from exc
    url = f"http://{host}:{port}/"
    print(f"碳峰 CarbonPeak: {url}   API: {url}docs   数据库 / database: {s.database_url}", flush=True)
    for tier, first in firsts:
        _print_first_admin(tier if dep.multi else None, first)
    if workers > 1:
        if dep.home.engine.dialect.name == "sqlite":
            print("提示 / note: several processes share one SQLite file; writes are serialised (WAL)", flush=True)
        for p in (dep.home, *dep.counties.values()):
            p.engine.dispose()
        import os
        os.environ.update({"CARBONPEAK_DATABASE_URL": s.database_url, "CARBONPEAK_HOME": str(s.home),
                           "CARBONPEAK_ENV": s.env, "CARBONPEAK_COUNTIES": ",".join(s.counties)})
        uvicorn.run("carbonpeak.web.app:app_from_env", factory=True, host=host, port=port, workers=workers,
                    log_level="warning")
    else:
        uvicorn.run(create_app(s, deployment=dep), host=host, port=port, log_level="warning")


def _print_first_admin(tier: str | None, first: user_svc.FirstAdmin) -> None:
    where = "" if tier is None else f"[{tier or '市级 city'}] "
    if first.generated_password:
        print(f"{where}首个管理员 / first administrator: {first.username} / {first.generated_password}  (仅显示这一次 / "
              "shown once; set CARBONPEAK_ADMIN_PASSWORD before the first start to choose it)", flush=True)
    elif first.created:
        print(f"{where}首个管理员 / first administrator: {first.username}, 密码取自 CARBONPEAK_ADMIN_PASSWORD", flush=True)
    else:
        county = "" if tier is None else f"--county {tier or 'city'} "
        print(f"{where}账号已存在；新建账号 / accounts exist; add one with: carbonpeak {county}user add NAME --role ROLE",
              flush=True)


@app.command()
def backup(out: Annotated[Path, typer.Argument(help="备份文件 / backup file")], lang: LangOpt = None) -> None:
    """在线一致性备份整个平台数据库 / consistent backup of the whole database while it runs."""
    s = _settings(lang)
    print(r.to_json(_run(s, lambda: backup_svc.backup(_platform(s), out))))


@app.command()
def restore(src: Annotated[Path, typer.Argument(help="备份文件 / backup file")],
            yes: Annotated[bool, typer.Option("--yes", help="确认覆盖当前数据 / confirm replacing current data")] = False,
            lang: LangOpt = None) -> None:
    """从备份恢复（覆盖当前数据）/ restore a backup, replacing the current data."""
    s = _settings(lang)
    if not yes:
        print("恢复将覆盖当前数据库；确认请加 --yes / restoring replaces the database: add --yes", file=sys.stderr)
        raise typer.Exit(EXIT_USAGE)
    print(r.to_json(_run(s, lambda: backup_svc.restore(_platform(s), src))))


user_app = typer.Typer(no_args_is_help=True, help="账号 / accounts")
app.add_typer(user_app, name="user")


@user_app.command("add")
def user_add(
    username: Annotated[str, typer.Argument()],
    role: Annotated[str, typer.Option(help="admin | dept_editor | enterprise | viewer")],
    department: Annotated[str | None, typer.Option(help="部门（dept_editor 必填）")] = None,
    enterprise: Annotated[str | None, typer.Option(help="企业（enterprise 角色）")] = None,
    password: Annotated[str | None, typer.Option(help="密码；不给时从终端输入或从标准输入读一行 / "
                                                    "else typed at the terminal or read as one line of stdin")] = None,
    generate: Annotated[bool, typer.Option("--generate", help="生成临时密码，首次登录须修改 / generate a "
                                                               "temporary password, changed at first sign-in")] = False,
    email: Annotated[str, typer.Option(help="提醒邮件地址 / e-mail for reminders")] = "",
    lang: LangOpt = None,
) -> None:
    """新建账号（无终端时用 --generate 或从标准输入给密码）/ create an account (without a terminal:
    --generate, or the password on stdin)."""
    s = _settings(lang)
    if generate:
        import secrets
        password = secrets.token_urlsafe(12)
    elif password is None:
        password = (typer.prompt("Password", hide_input=True, confirmation_prompt=True) if sys.stdin.isatty()
                    else sys.stdin.readline().rstrip("\r\n"))
    who = _run(s, lambda: user_svc.create_user(_platform(s), username, password, role, s.actor, department, enterprise,
                                               email=email, must_change_password=generate))
    print(r.to_json({**who.as_dict(), **({"temporary_password": password} if generate else {})}))


UserName = Annotated[str, typer.Argument(help="用户名 / username")]


@user_app.command("disable")
def user_disable(username: UserName, lang: LangOpt = None) -> None:
    """停用账号，其所有会话立即失效 / disable an account; its sessions end at once."""
    s = _settings(lang)
    print(r.to_json(_run(s, lambda: user_svc.set_active(_platform(s), username, False, s.actor))))


@user_app.command("enable")
def user_enable(username: UserName, lang: LangOpt = None) -> None:
    """重新启用账号 / enable an account again."""
    s = _settings(lang)
    print(r.to_json(_run(s, lambda: user_svc.set_active(_platform(s), username, True, s.actor))))


@user_app.command("unlock")
def user_unlock(
    username: Annotated[str | None, typer.Argument(help="用户名 / username")] = None,
    client: Annotated[str | None, typer.Option(help="客户端地址 / client address (IP)")] = None,
    lang: LangOpt = None,
) -> None:
    """解除登录限速（账号，或客户端地址）/ release the login throttle of an account or a client."""
    s = _settings(lang)
    # in a county of several, an address's counter is the deployment's (services/login_throttle.py)
    home = _platform(tenancy.selected(_settings(lang, whole_deployment=True), "city")) if s.county else None
    print(r.to_json(_run(s, lambda: user_svc.unlock(_platform(s), s.actor, username, client, clients=home))))


@user_app.command("password")
def user_password(
    username: UserName,
    password: Annotated[str, typer.Option(prompt=True, hide_input=True, confirmation_prompt=True)] = "",
    lang: LangOpt = None,
) -> None:
    """重设账号密码，其所有会话失效 / set an account's password; its sessions end."""
    s = _settings(lang)
    ended = _run(s, lambda: user_svc.set_password(_platform(s), username, password, s.actor))
    print(r.to_json({"username": username, "sessions_ended": ended}))
