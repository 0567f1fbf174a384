"""The supervision plan: the units subject to supervision, the yearly batches and the checklist.

A unit is subject when it used 1 000 tce or more in a year by the registry (年综合能耗) or by the
sum of its 205-1 forms of its latest reported year. The checklist is the same for every industry;
its "unit product energy" item is filled, per product the unit reports (unit_outputs), with the
value against the limit standard of that product (the shipped efficiency tables).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from ...domain.monitoring import efficiency_class
from ...domain.supervision import CHECKLIST, SUPERVISION_THRESHOLD_TCE
from ...domain.units import UnitError, conversion_factor
from ...refdata import load_benchmarks
from ...store.models_supervision import SupervisionBatch, SupervisionBatchUnit
from ...store.queries import supervision as q
from .. import audit
from ..errors import Conflict
from ..platform import Platform
from .common import check_order, inspector, issue, once_more_on_clash, raise_if, refuse, row_dict

if TYPE_CHECKING:
    from ...store.queries.supervision import Session
    from ..users import Principal


@dataclass(frozen=True)
class SubjectUnit:
    uscc: str
    name: str
    industry: str
    town: str
    registry_tce: float
    form_year: int | None
    form_tce: float | None
    basis: str  # registry | 205-1: the source that puts the unit at or above the threshold
    batches: list[str]
    illustrative: bool


@dataclass(frozen=True)
class BatchIn:
    code: str
    year: int
    name: str
    department: str | None
    starts_on: date
    ends_on: date
    units: list[str]
    note: str = ""
    illustrative: bool = False


@dataclass(frozen=True)
class BatchView:
    code: str
    year: int
    name: str
    department: str
    starts_on: date
    ends_on: date
    units: list[str]
    unit_names: list[str]
    inspected: int  # units of the batch with an inspection recorded
    note: str
    illustrative: bool
    changed: bool = True  # False: the same batch was already stored (a repeated request)


@dataclass(frozen=True)
class ProductCheck:
    product: str
    year: int
    value_kgce_t: float | None
    limit: float | None  # 3级 / 限定值
    access: float | None  # 2级 / 准入值
    document: str
    level: str  # benchmark | access | baseline | below_baseline | unrated
    over_limit: bool


@dataclass(frozen=True)
class ChecklistRow:
    code: str
    zh: str
    en: str
    legal_basis: str
    products: list[ProductCheck] = field(default_factory=list)


def subject_units(platform: Platform, threshold: float = SUPERVISION_THRESHOLD_TCE) -> list[SubjectUnit]:
    """Registry units at or above ``threshold`` tce by the registry or by their latest 205-1 year."""
    with platform.sessions() as s:
        units = q.units_by_energy(s)
        forms = q.energy_form_rows(s)
        in_batch = q.batch_codes_by_unit(s)
    latest = _latest_form_tce(platform, forms)
    batches: dict[int, list[str]] = {}
    for uid, code in in_batch:
        batches.setdefault(uid, []).append(code)
    out = []
    for u in units:
        fy, ft = latest.get(u.id, (None, None))
        if u.annual_energy_tce >= threshold:
            basis = "registry"
        elif ft is not None and ft >= threshold:
            basis = "205-1"
        else:
            continue
        out.append(SubjectUnit(u.uscc, u.name, u.industry, u.town, u.annual_energy_tce, fy, ft, basis,
                               sorted(batches.get(u.id, [])), u.illustrative))
    return out


def _coefficients(platform: Platform) -> dict[str, tuple[float, str]]:
    """kgce per unit of each carrier (GB/T 2589; electricity at its calorific value, as 综合能耗 counts it)."""
    df = platform.ref.factors.of_kind("standard_coal")
    out: dict[str, tuple[float, str]] = {}
    for r in df.itertuples():
        if r.parameter in ("coefficient", "coefficient_calorific") and r.carrier not in out:
            out[r.carrier] = (float(r.value), str(r.unit).split("/", 1)[1])
    return out


def _latest_form_tce(platform: Platform, forms) -> dict[int, tuple[int, float]]:
    """Per unit, its latest 205-1 year and that year's energy in tce: the form's 折标准煤 where
    given, else the consumption converted with the standard-coal coefficients (rows that cannot
    be converted are left out)."""
    coef = _coefficients(platform)
    totals: dict[tuple[int, int], float] = {}
    for uid, year, carrier, unit, consumption, tce in forms:
        if tce is None:
            k = coef.get(carrier)
            try:
                tce = consumption * conversion_factor(unit, k[1]) * k[0] / 1000 if k else None
            except UnitError:
                tce = None
        if tce is not None:
            totals[(uid, year)] = totals.get((uid, year), 0.0) + float(tce)
    latest: dict[int, tuple[int, float]] = {}
    for (uid, year), tce in totals.items():
        if uid not in latest or year > latest[uid][0]:
            latest[uid] = (year, tce)
    return latest


def checklist(platform: Platform, uscc: str | None = None) -> list[ChecklistRow]:
    """The checklist; with a unit, its products' energy against their limit standards filled in."""
    products: list[ProductCheck] = []
    if uscc:
        products = _product_checks(platform, uscc)
    return [ChecklistRow(i.code, i.zh, i.en, i.legal_basis, products if i.code == "unit_product_energy" else [])
            for i in CHECKLIST]


def _product_checks(platform: Platform, uscc: str) -> list[ProductCheck]:
    marks = {b.product: b for b in load_benchmarks()}
    with platform.sessions() as s:
        rows = q.outputs_of_unit(s, uscc)
    seen: set[str] = set()
    out = []
    for o in rows:  # the latest year of each product
        if o.product in seen:
            continue
        seen.add(o.product)
        value = o.energy_tce * 1000 / o.output_t if o.output_t else None
        b = marks.get(o.product)
        level = efficiency_class(value, b) if (b is not None and value is not None) else "unrated"
        out.append(ProductCheck(o.product, o.year, value, b.level3 if b else None, b.level2 if b else None,
                                b.document if b else "", level, level == "below_baseline"))
    return out


def list_batches(platform: Platform, year: int | None = None) -> list[BatchView]:
    with platform.sessions() as s:
        return [_view(s, b) for b in q.batches(s, year)]


def _view(s: Session, b: SupervisionBatch, changed: bool = True) -> BatchView:
    units = q.batch_members(s, b.id)
    done = q.inspected_in_batch(s, b.id)
    return BatchView(b.code, b.year, b.name, b.department, b.starts_on, b.ends_on, [u.uscc for u in units],
                     [u.name for u in units], sum(1 for u in units if u.id in done), b.note, b.illustrative, changed)


def create_batch(platform: Platform, principal: Principal | None, data: BatchIn) -> BatchView:
    """Store a batch with its units in one transaction, audited. The same request again changes
    nothing; another batch under a code already used is refused (409)."""
    dept = inspector(principal, data.department)
    code = data.code.strip()
    raise_if(None if code else issue("code", "input.empty_value"),
             None if data.name.strip() else issue("name", "input.empty_value"),
             None if data.starts_on.year == data.year else issue("starts_on", "input.sup.not_in_year",
                                                                 value=data.starts_on.isoformat(), year=data.year),
             check_order("ends_on", data.ends_on, data.starts_on, "开始日期", "the start date"),
             None if data.units else issue("units", "input.empty_value"))
    return once_more_on_clash(lambda: _create(platform, principal, dept, code, data))


def _create(platform: Platform, principal: Principal, dept: str, code: str, data: BatchIn) -> BatchView:
    with platform.sessions() as s, s.begin():
        ids = _batch_units(s, data.units)
        old = q.batch_by_code(s, code)
        if old is not None:
            view = _view(s, old, changed=False)
            same = (view.year, view.name, view.department, view.starts_on, view.ends_on, view.units) == (
                data.year, data.name.strip(), dept, data.starts_on, data.ends_on, sorted(set(data.units)))
            if not same:
                raise Conflict(f"批次编号{code}已被另一批次使用 / batch code {code} is already used by another batch")
            return view
        b = SupervisionBatch(code=code, year=data.year, name=data.name.strip(), department=dept,
                             starts_on=data.starts_on, ends_on=data.ends_on, note=data.note,
                             illustrative=data.illustrative)
        s.add(b)
        s.flush()
        s.add_all(SupervisionBatchUnit(batch_id=b.id, unit_id=i) for i in ids)
        after = {**row_dict(b), "units": sorted(set(data.units))}
        audit.record(s, principal.username, SupervisionBatch.__tablename__, code, "create", None, after)
        s.flush()
        return _view(s, b)


def _batch_units(s: Session, usccs: list[str]) -> list[int]:
    found = q.unit_ids_by_uscc(s, usccs)
    missing = [issue(f"units[{i}]", "input.unknown_unit_code", value=u) for i, u in enumerate(usccs) if u not in found]
    if missing:
        raise refuse(*missing)
    return sorted({found[u] for u in usccs})
