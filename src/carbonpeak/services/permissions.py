"""Who may see and change what: the one place that decides role × operation × scope.

Roles (services/users.py): ``admin``, ``dept_editor`` (one department), ``enterprise`` (one key
energy-using unit), ``viewer``; no principal is an anonymous visitor.

- Operations: :data:`OPERATIONS` gives, per operation, the roles that may do it at all.
- Scope, per object: a department editor edits the tasks naming its department and imports only
  the data the plan's ``data_departments`` gives its department (activity rows by sector, other
  files by kind; rows another department keeps stay refused by the import itself); an enterprise
  account changes nothing on the platform (its readings come from its device, with the unit's
  token) and reads its own unit only.
- Audit trail: an entry is visible with the scope of the data it describes; accounts, tokens and
  sign-ins are for administrators only (:func:`audit_scope`, a SQL condition built in
  store/queries/permissions.py, as every query of this module).

Routes pass the principal; services call the functions here. docs/web.md shows the resulting
table, which tests/services/test_permissions.py checks request by request on both databases.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..domain.findings import InputIssue
from ..domain.labels import UPLOAD_KINDS
from ..domain.plan import DataDepartments
from ..domain.reporting import REVIEW_DEPARTMENT
from ..store.models import ActivityRecord, ForestParcel, GdpRecord, PublicBuilding, TargetObservation
from ..store.models_monitoring import REGISTRY_TABLES
from ..store.queries import permissions as q
from ..store.queries.permissions import Session
from .errors import AuthenticationFailed, Forbidden
from .platform import Platform
from .scope import NO_UNIT, PUBLIC, Scope

if TYPE_CHECKING:
    from .users import Principal

ROLES = ("admin", "dept_editor", "enterprise", "viewer")
COUNTY = ("admin", "dept_editor", "viewer")  # roles that read the whole county's data
OPERATIONS: dict[str, tuple[str, ...]] = {
    "auth.logout": ROLES,
    "auth.password": ROLES,  # the own password (the current one is required)
    "scenario.edit": ROLES,  # runs a child scenario; stores nothing
    "audit.read": ROLES,  # entries filtered by audit_scope
    "project.edit": ("admin",),
    "task.edit": ("admin", "dept_editor"),  # a department: tasks naming it
    "data.import": ("admin", "dept_editor"),  # a department: its sectors and kinds (check_import)
    "factor.edit": ("admin",),
    "city.view": ("admin", "viewer"),  # a city account: the counties side by side (services/city.py)
    "account.list": ("admin",),
    "account.create": ("admin",),
    "account.activate": ("admin",),  # disable (its sessions end) and enable; never the own account
    "account.unlock": ("admin",),  # release the login throttle of an account or a client address
    "unit.token": ("admin",),
    "report.start": COUNTY,
    "report.read": COUNTY,  # the county-wide assessment: status and files
    "report.template": ("admin",),  # the county's own Word template of the report
    "dispatch.read": COUNTY,
    # energy supervision (services/supervision): inspectors of 县发展和改革局, 县科学技术和工业信息化局
    # and 县市场监督管理局 (checked there) open and decide cases; an enterprise reads and answers its own
    # unit's cases; anonymous visitors read published (decided) cases only, on the public page
    "supervision.edit": ("admin", "dept_editor"),
    "supervision.read": ROLES,  # an enterprise: its own unit's cases, audits and files
    "supervision.answer": ("admin", "enterprise"),  # rectification evidence, energy audit reports
    # carbon dual control (services/carbon): the county's roles read; administrators and editors of
    # 县发展和改革局 (CARBON_DEPARTMENT, checked by require_carbon_edit) import and review projects
    "carbon.read": COUNTY,
    "carbon.edit": ("admin", "dept_editor"),
    # statistical reporting (services/reporting): a department's editor enters its own obligations,
    # an enterprise its own unit's; editors of 县发展和改革局 (domain/reporting.REVIEW_DEPARTMENT, checked
    # by require_review) and administrators approve or return; administrators define obligations
    "reporting.read": ROLES,  # an editor or enterprise: its own obligations; viewers and reviewers: all
    "reporting.submit": ("admin", "dept_editor", "enterprise"),
    "reporting.review": ("admin", "dept_editor"),
    "reporting.manage": ("admin",),
}
CARBON_DEPARTMENT = "县发展和改革局"
BASE_KINDS = ("activity", "gdp", "observations", "parcels", "buildings", "project_progress")
IMPORT_KINDS = (*BASE_KINDS, *REGISTRY_TABLES)  # the monitoring registry files' kinds
# Audit entities and actions about accounts, sessions, tokens and sign-ins: administrators only.
ADMIN_ONLY_ENTITIES = ("users", "auth_sessions", "login_throttle", "login_attempts", "login")
ADMIN_ONLY_ACTIONS = ("token", "login", "logout", "password")
# Tables a department keeps (``owner``) with the natural key services/imports.py writes into the
# audit entry's key ("|"-joined); the registry kinds' from store/models_monitoring.REGISTRY_TABLES.
_OWNED_BASE = ((ActivityRecord, ("region", "year", "sector", "carrier", "use")), (GdpRecord, ("region", "year")),
               (TargetObservation, ("plan_code", "target_code", "year")),
               (ForestParcel, ("year", "township", "village", "parcel")), (PublicBuilding, ("building_id", "year")))


def scope_of(platform: Platform, principal: Principal | None, session: Session | None = None) -> Scope:
    """What ``principal`` may see, as one value for the services' queries (built once per request):
    the county's roles see every unit; an enterprise account its own unit only (its USCC, found by
    the code or the name the account holds, in ``session`` when given, else on a connection of its
    own; :data:`NO_UNIT` when that unit is not registered); no principal is the public."""
    if principal is None:
        return PUBLIC
    unit = None
    if principal.role == "enterprise":
        unit = unit_code(platform, principal.enterprise, session) or NO_UNIT
    return Scope(principal.role, principal.department, unit)


def unit_code(platform: Platform, text: str | None, session: Session | None = None) -> str | None:
    """The USCC of a unit named by its code or its name (an enterprise account may hold either),
    read in ``session`` when given, else on a connection of its own."""
    if not text:
        return None
    if session is not None:
        return q.unit_uscc(session, text)
    with platform.engine.connect() as c:
        return q.unit_uscc(c, text)


def require(principal: Principal | None, operation: str) -> Principal:
    """The principal, when its role may do ``operation`` at all; else 401 (no one signed in) or 403."""
    if principal is None:
        raise AuthenticationFailed("请先登录 / sign in first")
    if principal.role not in OPERATIONS[operation]:
        raise Forbidden(f"当前角色（{principal.role}）无此权限 / role {principal.role} may not do this ({operation})")
    return principal


def require_carbon_edit(principal: Principal | None) -> Principal:
    """Carbon data and project reviews: an administrator, or an editor of 县发展和改革局."""
    require(principal, "carbon.edit")
    if principal.role == "dept_editor" and principal.department != CARBON_DEPARTMENT:
        raise Forbidden(f"仅{CARBON_DEPARTMENT}或管理员可录入碳排放双控数据 / only {CARBON_DEPARTMENT} or an "
                        "administrator may change carbon dual-control data")
    return principal


def require_submit(principal: Principal | None, department: str, unit: str | None) -> Principal:
    """Entering an obligation's data: an administrator, the obligation's department (its editor),
    or, for a unit's own obligation, that unit's enterprise account."""
    require(principal, "reporting.submit")
    ok = (principal.role == "admin" or (principal.role == "dept_editor" and principal.department == department)
          or (principal.role == "enterprise" and unit is not None and principal.enterprise == unit))
    if not ok:
        raise Forbidden("仅责任单位可填报该项数据 / only the reporting department or unit may enter this data")
    return principal


def may_review(principal: Principal | None) -> bool:
    return principal is not None and (principal.role == "admin" or (
        principal.role == "dept_editor" and principal.department == REVIEW_DEPARTMENT))


def require_review(principal: Principal | None, reporter: str) -> Principal:
    """Approving or returning a submission: an administrator or an editor of the reviewing
    department, never the account that submitted it."""
    require(principal, "reporting.review")
    if not may_review(principal):
        raise Forbidden("仅审核部门或管理员可审核 / only the reviewing department or an administrator may review")
    if principal.role != "admin" and principal.username == reporter:
        raise Forbidden("不能审核自己报送的数据 / one may not review one's own submission")
    return principal


def require_task(principal: Principal | None, departments: list[str]) -> Principal:
    """Editing a task: an administrator, or an editor of a department the task names."""
    require(principal, "task.edit")
    if principal.role == "dept_editor" and principal.department not in departments:
        raise Forbidden("仅责任单位或管理员可修改该任务 / only the responsible department or an administrator "
                        "may edit this task")
    return principal


def data_departments(platform: Platform) -> DataDepartments | None:
    """The stored plan's data responsibilities (None: no plan, or the plan names none)."""
    with platform.sessions() as s:
        extras = q.plan_extras(s)
    found = (extras or {}).get("data_departments")
    return DataDepartments(**found) if found else None


def check_import(platform: Platform, principal: Principal | None, kind: str, records: list[dict[str, Any]],
                 file: str, rows: list[int]) -> str | None:
    """May ``principal`` import these rows? Returns the department that keeps new rows (None for
    an administrator); raises Forbidden naming each refused row (file, row, field)."""
    require(principal, "data.import")
    if principal.role == "admin":
        return None
    dept = principal.department
    duties = data_departments(platform) or DataDepartments()
    if kind == "activity":
        issues = [_not_responsible(file, row, "sector", dept, r["sector"], r["sector"], duties.for_sector(r["sector"]))
                  for row, r in zip(rows, records) if dept not in duties.for_sector(r["sector"])]
    elif dept not in duties.for_kind(kind):
        zh, en = UPLOAD_KINDS.get(kind, (kind, kind))
        issues = [_not_responsible(file, None, None, dept, zh, en, duties.for_kind(kind))]
    else:
        issues = []
    if issues:
        raise Forbidden(_issue_text(issues))
    return dept


def _not_responsible(file: str, row: int | None, column: str | None, dept: str | None, what: str, what_en: str,
                     responsible: list[str]) -> InputIssue:
    who = "、".join(responsible) or "管理员 (administrators)"
    return InputIssue("input.not_responsible", file, row, column,
                      {"department": dept, "what": f"“{what}”" if column else what,
                       "what_en": f"'{what_en}'" if column else what_en, "responsible": who})


def _issue_text(issues: list[InputIssue], most: int = 10) -> str:
    def text(lang: str) -> str:
        shown = "；".join(i.message(lang) for i in issues[:most])
        more = len(issues) - most
        return shown + (f"（另有{more}行）" if lang == "zh" else f" (and {more} more rows)") * (more > 0)
    return f"{text('zh')} / {text('en')}"


# --- the audit trail ------------------------------------------------------------------------------

def audit_scope(platform: Platform, principal: Principal | None, session: Session) -> q.Condition:
    """The audit entries ``principal`` may read, as a condition on ``audit_log`` (so that limit
    and offset count visible entries only), looked up in the caller's ``session``. Administrators:
    all. Viewers: every entry about data (they read all data), none about accounts, tokens or
    sign-ins. Enterprise accounts: entries about their own unit's registry rows. Department
    editors: entries about rows their department keeps and about the tasks naming it."""
    require(principal, "audit.read")
    if principal.role == "admin":
        return q.everything()
    about_data = q.about_data(ADMIN_ONLY_ENTITIES, ADMIN_ONLY_ACTIONS)
    if principal.role == "viewer":
        return about_data
    if principal.role == "enterprise":
        return q.all_of(about_data, _unit_entries(platform, principal, session))
    return q.all_of(about_data, _department_entries(session, principal.department))


def _unit_entries(platform: Platform, principal: Principal, s: Session) -> q.Condition:
    uscc = scope_of(platform, principal, s).unit
    uid = q.unit_id(s, uscc)
    if uid is None:
        return q.nothing()
    by_unit = [m.__tablename__ for m, key in REGISTRY_TABLES.values() if key[0] == "unit_id"]
    return q.unit_entries(uscc, uid, by_unit)


def _department_entries(s: Session, department: str | None) -> q.Condition:
    if not department:
        return q.nothing()
    owned = [*_OWNED_BASE, *REGISTRY_TABLES.values()]
    return q.department_entries(department, owned, q.task_codes_naming(s, department))
