"""HTML pages. Each renders a template from service results; interactive parts call the API."""

from __future__ import annotations

from datetime import date
from importlib import resources
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from ..api.cached import Precompressed, packed, weight
from ..api.deps import county_code, csrf_token, tier_principal
from ..api.deps import deployment as deployment_of
from ..api.deps import lang as lang_of
from ..api.deps import platform as platform_of
from ..api.deps import principal as principal_of
from ..api.limits import public_gate
from ..domain.labels import UPLOAD_KINDS
from ..domain.messages import known_codes, render
from ..domain.monitoring import BudgetRule
from ..services import (
    audit,
    buildings,
    catalogue,
    cockpit,
    dispatch_report,
    indicators,
    monitoring,
    permissions,
    plans,
    registry,
    reports,
    scenarios,
    serialize,
    sinks,
    target_drilldown,
    townmap,
    versions,
    views,
)
from ..services.errors import NotFound
from ..services.tracking_results import BarometerRow
from . import i18n
from . import vendor as vendor_assets

router = APIRouter(include_in_schema=False)
TEMPLATES = Jinja2Templates(directory=str(resources.files(__package__).joinpath("templates")))
TEMPLATES.env.globals["vendor_url"] = vendor_assets.url  # versioned addresses, cached for a year


LIGHT_ORDER = {"red": 0, "yellow": 1, "green": 2, "grey": 3}
# the county data files of the data page (upload and templates); the registry files have their monitoring page
DATA_PAGE_KINDS = ("activity", "gdp", "observations", "parcels", "project_progress")


def _by_light(rows: list[BarometerRow]) -> list[BarometerRow]:
    """Targets needing attention first: red, yellow, green, then those without data."""
    return sorted(rows, key=lambda r: LIGHT_ORDER[r.light])


def _ctx(request: Request, active: str, **data: Any) -> dict[str, Any]:
    lg = lang_of(request)
    who = principal_of(request)
    dep = deployment_of(request)
    every = dep.info() if dep.multi else []
    code = county_code(request)
    name = next((c.name for c in every if c.code == code), "")
    counties = [] if _county_account(request) else every  # a county's account sees its county only
    tier_who = tier_principal(request)  # a city account: signed in to the city, a visitor here
    return {"request": request, "lang": lg, "user": who, "active": active, "counties": counties, "county": code,
            "county_name": name, "tier_user": tier_who if who is None else None,
            "csrf": csrf_token(request) if who or tier_who else "", "t": lambda k, **f: i18n.t(k, lg, **f),
            "light": lambda k: i18n.t(k, lg, i18n.LIGHTS), "status_name": lambda k: i18n.t(k, lg, i18n.STATUSES),
            "ind_name": lambda k: i18n.t(k, lg, i18n.INDICATORS), "basis_name": lambda k: i18n.t(k, lg, i18n.BASES),
            "tojson": serialize.dumps, "by_light": _by_light, "fig": indicators.display, **i18n.helpers(lg), **data}


def _county_account(request: Request) -> bool:
    """A county's own account: it sees its county only (no chooser)."""
    return principal_of(request) is not None and deployment_of(request).multi


def _page(request: Request, template: str, active: str, **data: Any) -> HTMLResponse:
    who = principal_of(request)
    if who is not None and who.must_change_password and template != "account.html":  # a reset password first
        return RedirectResponse("/account", status_code=303)
    return TEMPLATES.TemplateResponse(request, template, _ctx(request, active, **data))


def _public(request: Request, template: str, active: str, compute, params: tuple = (),
            topics: tuple[str, ...] | None = None, cache: bool = True) -> HTMLResponse:
    """A public page: for anonymous visitors the rendered HTML is cached per page, validated
    parameters ``params`` (never the raw query string), language and version of the data topics
    it shows (services/versions.py; None: every topic). ``cache=False`` when a parameter is
    outside a small known set: rendered each time, nothing cached. Signed-in pages carry the
    user's name and forms, and are rendered each time."""
    if principal_of(request) is not None or tier_principal(request) is not None:  # a city account's name too
        return _page(request, template, active, **compute())
    if not cache:  # anonymous and uncacheable: a few at once (api/limits.py), the rest 429
        return public_gate(request)(lambda: _page(request, template, active, **compute()))
    p = platform_of(request)
    key = ("page", template, str(request.url.path), params, lang_of(request), versions.key(p, topics))

    def render() -> tuple[bytes, bytes | None]:
        return packed(TEMPLATES.get_template(template).render(_ctx(request, active, **compute())).encode("utf-8"))

    return Precompressed(p.cached(key, render, weight), "text/html; charset=utf-8")


def _known_year(p, year: int | None) -> bool:
    """No year, or a year with data: the pages worth caching (any other year shows the latest)."""
    return year is None or year in views.data_years(p)


def _in_range(year: int | None) -> bool:
    return year is None or 1990 <= year <= 2100


def _login_first(request: Request) -> RedirectResponse | None:
    if principal_of(request) is None:
        return RedirectResponse(f"/login?next={quote(str(request.url.path))}", status_code=303)
    return None


@router.get("/", response_class=HTMLResponse)
def overview_page(request: Request, year: str = ""):
    """The leaders' cockpit (services/cockpit.py) over the overview of a year with data (validated)."""
    p, lg, who = platform_of(request), lang_of(request), principal_of(request)
    choice = cockpit.choose_year(year, views.data_years(p))

    def compute() -> dict[str, Any]:
        ov = views.overview(p, choice.year, lg)
        by_year = {y: views.barometer(p, y, lg).counts for y in ov.years}
        tasks = registry.list_tasks(p, who) if who is not None else None  # task counts: signed-in readers only
        return {"ov": ov, "cp": cockpit.cockpit(p, ov, by_year, lg, tasks), "choice": choice}

    return _public(request, "overview.html", "overview", compute, (choice.year,), versions.TRACKING,
                   cache=not choice.error)


@router.get("/accounting", response_class=HTMLResponse)
def accounting_page(request: Request, year: int | None = None):
    p = platform_of(request)

    def compute() -> dict[str, Any]:
        ov = views.overview(p, None, lang_of(request))
        y = year if year in ov.years else (ov.years[-1] if ov.years else None)
        inv = views.inventory_view(p, y, lang=lang_of(request)) if y else None
        return {"years": ov.years, "year": y, "inv": inv}

    return _public(request, "accounting.html", "accounting", compute, (year,), versions.TRACKING + versions.METERED,
                   cache=_known_year(p, year))


@router.get("/targets", response_class=HTMLResponse)
def targets_page(request: Request, year: str = ""):
    p = platform_of(request)
    choice = cockpit.choose_year(year, views.data_years(p), open_without_data=True)  # a year with data, else the latest and why

    def compute() -> dict[str, Any]:  # the barometer, and the records behind each module-computed target
        ov = views.overview(p, choice.year, lang_of(request))
        return {"ov": ov, "sources": target_drilldown.drilldowns(views.context(p), ov.barometer.year,
                                                                 lang_of(request)), "choice": choice}

    return _public(request, "targets.html", "targets", compute, (choice.year,), versions.TRACKING,
                   cache=not choice.error)


@router.get("/projects", response_class=HTMLResponse)
def projects_page(request: Request, type: str = "", town: str = "", status: str = "", year: str = ""):
    p = platform_of(request)

    def compute() -> dict[str, Any]:
        every = registry.list_projects(p)
        year_i = int(year) if year.isdigit() and len(year) <= 4 else None  # a 20-digit year overflows SQL
        shown = registry.list_projects(p, type or None, town or None, status or None, year_i)
        options = {"type": sorted({x.type for x in every}), "town": sorted({x.town for x in every if x.town}),
                   "status": list(registry.PROJECT_STATUSES), "year": sorted({x.year for x in every if x.year})}
        return {"projects": townmap.project_details(p, projects=shown), "options": options, "capacity": registry.capacity_summary(p),
                "filters": {"type": type, "town": town, "status": status, "year": year},
                "statuses": registry.PROJECT_STATUSES}

    return _public(request, "projects.html", "projects", compute, (type, town, status, year), versions.PROJECTS,
                   cache=views.known_project_filter(p, type=type, town=town, status=status,
                                                    year=int(year) if year.isdigit() else year))


@router.get("/scenarios", response_class=HTMLResponse)
def scenarios_page(request: Request, name: str = "policy"):
    specs = scenarios.list_specs()
    if name not in {x.id for x in specs}:
        name = "policy"
    lg = lang_of(request)
    levers = scenarios.editor_levers(scenarios.read_spec(scenarios.spec_path(name)), lg)
    text = {k: render(f"scenario.{code}", {}, lg) for k, code in
            (("iamc", "page.iamc_csv"), ("api", "page.api"), ("tco2", "unit.tco2"))}
    return _page(request, "scenarios.html", "scenarios", specs=specs, name=name, levers=levers, text=text)


@router.get("/sinks", response_class=HTMLResponse)
def sinks_page(request: Request):
    p = platform_of(request)

    def compute() -> dict[str, Any]:
        plan = plans.stored_plan(p)
        programme = views.sink_projects(p, lang_of(request)) if plan else None
        try:
            return {"ledger": sinks.stored_ledger(p, plan.land_area_km2 if plan else None), "programme": programme}
        except NotFound:
            return {"ledger": None, "programme": programme}

    return _public(request, "sinks.html", "sinks", compute)


@router.get("/buildings", response_class=HTMLResponse)
def buildings_page(request: Request, year: int | None = None):
    p = platform_of(request)

    def compute() -> dict[str, Any]:
        programme = views.building_programmes(p, lang_of(request)) if plans.stored_plan(p) else None
        quotas = catalogue.quota_rows(p.ref)
        try:
            return {"grades": buildings.stored_grades(p, year, lang=lang_of(request)), "programme": programme,
                    "quotas": quotas}
        except NotFound:
            return {"grades": None, "programme": programme, "quotas": quotas}

    return _public(request, "buildings.html", "buildings", compute, (year,), cache=_in_range(year))


def _monitoring_year(p, year: int | None) -> int:
    """The requested year (1990–2100), else the latest year with meter data, else the current year."""
    if year and _in_range(year):
        return year
    return monitoring.latest_year(p) or date.today().year


def _monitoring_labels(lg: str) -> dict[str, Any]:
    """Names of the project and benchmark statuses in the page's language (message catalogue)."""
    def label(kind: str, code: str | None) -> str:
        return render(f"monitoring.{kind}.{code}", {}, lg) if f"monitoring.{kind}.{code}" in known_codes() else (code or "")
    return {"project_status": lambda c: label("project", c), "bench_status": lambda c: label("benchmark", c)}


@router.get("/monitoring", response_class=HTMLResponse)
def monitoring_page(request: Request, year: int | None = None, as_of: str = "", yellow: float = 1.0, red: float = 1.1):
    """Key energy-using units: the county sees all, an enterprise account its own unit."""
    if (r := _login_first(request)) is not None:
        return r
    p = platform_of(request)
    lg = lang_of(request)
    try:
        day = date.fromisoformat(as_of) if as_of else None
    except ValueError:
        day = None
    rule = BudgetRule(yellow, red) if 0 < yellow <= red <= 10 else BudgetRule()
    # one scope (an enterprise account: its own unit only, none when its unit is not registered), one snapshot
    yr = _monitoring_year(p, year)
    day = day if day is not None and day.year == yr else None  # a day of another year: the year's default, as a bad date
    snap = monitoring.monitoring_snapshot(p, permissions.scope_of(p, principal_of(request)), yr, day, rule, lg)
    return _page(request, "monitoring.html", "monitoring", snap=snap,
                 findings=[monitoring.finding_dict(f, lg) for f in snap.findings],
                 **_monitoring_labels(lg))


@router.get("/disclosure", response_class=HTMLResponse)
def disclosure_page(request: Request, year: int | None = None):
    p = platform_of(request)
    lg = lang_of(request)
    return _public(request, "disclosure.html", "disclosure",
                   lambda: {"d": monitoring.disclosure(p, _monitoring_year(p, year), lg), **_monitoring_labels(lg)},
                   (year,), cache=_in_range(year))


@router.get("/reports", response_class=HTMLResponse)
def reports_page(request: Request, start: str = "", end: str = "", by: str = "department"):
    """The annual assessment report (generated with a progress bar) and the dispatch report."""
    if (r := _login_first(request)) is not None:
        return r
    if principal_of(request).role == "enterprise":  # county reports: not for enterprise accounts
        return RedirectResponse("/monitoring", status_code=303)
    p = platform_of(request)
    today = date.today()
    try:
        s, e = date.fromisoformat(start or f"{today.year}-01-01"), date.fromisoformat(end or today.isoformat())
    except ValueError:
        s, e = date(today.year, 1, 1), today
    by = by if by in ("department", "township") else "department"
    years = views.overview(p, None, lang_of(request)).years or [today.year]
    d = dispatch_report.dispatch(p, s, e, by, lang_of(request)) if s <= e else None
    return _page(request, "reports.html", "reports", years=years, dispatch=d, start=s.isoformat(), end=e.isoformat(),
                 by=by)


@router.get("/open-data", response_class=HTMLResponse)
def open_data_page(request: Request):
    p = platform_of(request)
    return _public(request, "open_data.html", "open_data",
                   lambda: {"datasets": reports.OPEN_DATASETS, "years": views.overview(p, None, lang_of(request)).years})


@router.get("/tasks", response_class=HTMLResponse)
def tasks_page(request: Request, department: str = "", status: str = "", overdue: str = ""):
    """The task board, filtered by department, status and overdue: each checked against the
    values it can take; an unknown one is ignored and named on the page."""
    if (r := _login_first(request)) is not None:
        return r
    every = registry.list_tasks(platform_of(request), principal_of(request))
    options = {**cockpit.task_options(every), "status": list(registry.TASK_STATUSES)}
    asked = {"department": department, "status": status, "overdue": overdue}
    known = {"department": options["department"], "status": options["status"], "overdue": cockpit.TASK_FILTER_OVERDUE}
    bad = [k for k, v in asked.items() if v and v not in known[k]]  # named by field, the text not echoed
    f = {k: (v if v in known[k] else "") for k, v in asked.items()}
    return _page(request, "tasks.html", "tasks", tasks=cockpit.filter_tasks(every, f["department"], f["status"],
                                                                            f["overdue"]),
                 total=len(every), statuses=registry.TASK_STATUSES, options=options, filters=f, bad_filters=bad)


@router.get("/data", response_class=HTMLResponse)
def data_page(request: Request):
    if (r := _login_first(request)) is not None:
        return r
    return _page(request, "data.html", "data", factors=catalogue.factor_rows(platform_of(request).ref),
                 upload_kinds=[(k, *UPLOAD_KINDS[k]) for k in DATA_PAGE_KINDS])


AUDIT_PAGE = 100  # entries per page of the audit log


@router.get("/audit", response_class=HTMLResponse)
def audit_page(request: Request, entity: str = "", key: str = "", page: str = "1"):
    """The audit log, newest first, a page of :data:`AUDIT_PAGE` visible entries at a time (one
    more is read to know whether a next page exists); a page number that is not one shows page 1."""
    if (r := _login_first(request)) is not None:
        return r
    n = int(page) if page.isdigit() and 1 <= int(page) <= 100_000 else 1
    rows = audit.history(platform_of(request), entity or None, key or None, limit=AUDIT_PAGE + 1,
                         offset=(n - 1) * AUDIT_PAGE, principal=principal_of(request))
    return _page(request, "audit.html", "audit", entries=rows[:AUDIT_PAGE], entity=entity, key=key, page=n,
                 has_next=len(rows) > AUDIT_PAGE)


def safe_path(target: str) -> str:
    """``target`` when it is a path on this site, else "/": one leading slash, no second one, no
    backslash (browsers read ``/\\evil`` as ``//evil``), no whitespace or control character
    (browsers drop tabs and newlines, so ``/\\t/evil`` would become ``//evil``). app.js checks the
    same before it follows ``next``."""
    ok = (target.startswith("/") and not target.startswith("//") and "\\" not in target
          and not any(c.isspace() or ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F for c in target))
    return target if ok else "/"


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, next: str = "/", county: str = ""):
    return _page(request, "login.html", "login", next=safe_path(next), login_city=county == "city")


@router.get("/account", response_class=HTMLResponse)
def account_page(request: Request):
    """The own account, in its own tier (a city account's too)."""
    if tier_principal(request) is None:
        return RedirectResponse(f"/login?next={quote(str(request.url.path))}", status_code=303)
    return _page(request, "account.html", "account", user=tier_principal(request))


@router.get("/lang/{code}")
def switch_language(code: str, request: Request, back: str = "/"):
    target = safe_path(back)
    resp = RedirectResponse(target, status_code=303)
    if code in ("zh", "en"):
        resp.set_cookie("lang", code, max_age=365 * 86400, samesite="lax")
    return resp


@router.get("/vendor/{name}")
def vendor(name: str, request: Request) -> Response:
    """Third-party browser code from installed packages, compressed once and cached (web/vendor.py)."""
    return vendor_assets.response(name, request)
