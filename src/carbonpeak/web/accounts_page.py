"""Accounts in the browser (/admin/accounts, administrators): create with role and department or
unit from the plan's and the registry's lists, disable and enable, reset a password (changed at
the next sign-in), and each account's last sign-in."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from ..api.deps import lang as lang_of
from ..api.deps import tier_platform, tier_principal
from ..services import permissions, plans, users
from .pages import _page

router = APIRouter(include_in_schema=False)

UI: dict[str, tuple[str, str]] = {
    "title": ("账号管理", "Accounts"), "username": ("用户名", "Username"), "display_name": ("姓名", "Name"),
    "role": ("角色", "Role"), "department": ("部门", "Department"), "enterprise": ("单位", "Unit"),
    "email": ("电子邮箱", "E-mail"), "active": ("状态", "Status"), "on": ("启用", "active"), "off": ("已停用", "disabled"),
    "last_login": ("最近登录", "Last sign-in"), "never": ("从未登录", "never"), "must_change": ("待修改密码", "must change password"),
    "create": ("新建账号", "Create account"), "password": ("初始密码", "Initial password"),
    "disable": ("停用", "Disable"), "enable": ("启用", "Enable"), "reset": ("重置密码", "Reset password"),
    "temporary": ("临时密码（只显示一次，首次登录须修改）：", "Temporary password (shown once, to be changed at first sign-in): "),
    "none": ("—", "—"),
}


def st(key: str, lang: str) -> str:
    zh, en = UI.get(key, (key, key))
    return en if lang == "en" else zh


@router.get("/admin/accounts", response_class=HTMLResponse)
def accounts_page(request: Request):
    who = tier_principal(request)  # accounts belong to the account's own tier: its county, or the city
    if who is None:
        return RedirectResponse(f"/login?next={request.url.path}", status_code=303)
    if who.role not in permissions.OPERATIONS["account.list"]:  # not an administrator: the own account
        return RedirectResponse("/account", status_code=303)
    p, lg = tier_platform(request), lang_of(request)
    plan = plans.stored_plan(p)
    units = users.unit_choices(p)
    return _page(request, "accounts.html", "account", st=lambda k: st(k, lg), accounts=users.accounts(p, who),
                 roles=users.ROLES, departments=plan.departments if plan else [], units=units, me=who.username)
