"""Accounting use cases: a file without any database, and the stored inventory of a region."""

from __future__ import annotations

import contextlib
import dataclasses
import functools
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import pandas as pd
import yaml

from ..domain.accounting import account, inventory, prepare_stored, totals
from ..domain.factors import convention_text, provenance, releases_by_kind
from ..domain.findings import Finding
from ..domain.policy import AccountingPolicy, ElectricityConvention, FactorBasis, GridYearFallback, province_of
from ..store.queries import accounting as q
from ..store.queries.accounting import Session
from . import flags, versions
from .errors import InputRejected, NotFound
from .platform import Platform, Reference, frame_weight
from .tables import read_activity

LINE_FIELDS = ["row", "year", "region", "sector", "carrier", "use", "quantity", "unit", "energy_tce",
               "co2_direct_t", "co2_electricity_t", "co2_t"]


@dataclass
class AccountReport:
    lines: pd.DataFrame
    findings: list[Finding]
    ref: Reference
    options: AccountingPolicy
    source: str
    extra: dict[str, Any] = field(default_factory=dict)

    def factor_index(self) -> dict[str, dict]:
        return {r["factor_id"]: provenance(r) for r in self.ref.factors.table.to_dict("records")}

    def line_records(self) -> list[dict]:
        """One record per line, in input order, each with the factors it used and their sources."""
        index = self.factor_index()
        optional = [c for c in ("illustrative", "source") if c in self.lines.columns]
        frame = self.lines[LINE_FIELDS + optional]
        # plain Python values column by column, factor lists once per distinct combination
        columns = {c: [_plain(v) for v in frame[c].tolist()] if frame[c].dtype == object else frame[c].tolist()
                   for c in frame.columns}
        used = {s: [index[i] for i in str(s).split("|") if i] for s in set(self.lines["factor_ids"])}
        out = []
        for vals, ids, grid in zip(zip(*columns.values()), self.lines["factor_ids"], self.lines["grid"]):
            rec = dict(zip(columns, vals))
            if grid:
                rec["grid"] = grid
            rec["factors"] = used[ids]
            out.append(rec)
        return out

    def as_dict(self, lang: str = "zh", with_lines: bool = True) -> dict[str, Any]:
        o = self.options
        d: dict[str, Any] = {
            "source": self.source,
            "convention": {"electricity": o.electricity_convention.value,
                           "text": convention_text(self.ref.factors, o.electricity_convention),
                           "feedstock_co2": o.feedstock_co2.value,
                           "releases": releases_by_kind(self.ref.factors),
                           "co2_t": "with electricity (territorial + net electricity import × grid factor)",
                           "default_grid": o.grid, "grid_source": o.grid_source,
                           "grid_year_fallback": o.electricity_fallback.value},
            "totals": totals(self.lines),
            "by_sector": records(inventory(self.lines, ["sector"])),
            "by_carrier": records(inventory(self.lines, ["carrier"])),
            "factor_releases": self.ref.factors.releases(),
            "findings": [f.as_dict(lang) for f in self.findings],
        }
        d.update(self.extra)
        if with_lines:
            d["lines"] = self.line_records()
        flags.annotate_account(d, self.lines, self.findings, lang)  # 示例数据 and 代用因子 on every row
        return d


def _plain(v: Any) -> Any:
    if hasattr(v, "item"):
        return v.item()
    if v is pd.NA:
        return None
    return v


def records(df: pd.DataFrame) -> list[dict]:
    """A frame as JSON-ready rows (numpy scalars plain)."""
    return [{k: _plain(v) for k, v in r.items()} for r in df.to_dict("records")]


def _run(activity: pd.DataFrame, ref: Reference, options: AccountingPolicy, file: str) -> tuple[pd.DataFrame, list[Finding]]:
    result = account(activity, ref.factors, ref.catalogue, options, file=file)
    if result.issues:
        raise InputRejected(result.issues)
    return result.lines, result.findings


def account_file(path: Path, ref: Reference, options: AccountingPolicy) -> AccountReport:
    """Inventory of a CSV/XLSX of activity rows, touching no database."""
    activity = read_activity(path, ref.catalogue)
    options = completed(options)  # no database: the bundled plan's province where no grid is stated
    lines, findings = _run(activity, ref, options, path.name)
    return AccountReport(lines, findings, ref, options, source=path.name)


DEFAULTS = AccountingPolicy(electricity_fallback=GridYearFallback.NEAREST_EARLIER)  # every surface's default


def accounting_policy(platform: Platform | None = None, plan_code: str | None = None, *,
                      electricity_convention: ElectricityConvention | str | None = None,
                      electricity_fallback: GridYearFallback | str | None = None,
                      feedstock_co2: FactorBasis | str | None = None,
                      grid: str | None = None) -> AccountingPolicy:
    """THE accounting policy of a caller: the product defaults (当量值, feedstock carbon stored, a
    year without a grid factor takes the nearest earlier published year), the grid of the plan's
    province, and the caller's explicit overrides (None = not stated). The plan is the stored one
    (``plan_code``, else the first); without a platform or a stored plan, the bundled plan. Every
    surface (CLI, API, pages, reports, imports) asks here, so one file accounts alike everywhere."""
    with _session(platform) as s:
        place = _plan_place(s, plan_code)
    return _stated(place, electricity_convention, electricity_fallback, feedstock_co2, grid)


def _stated(place: tuple[str, str, str], electricity_convention: ElectricityConvention | str | None = None,
            electricity_fallback: GridYearFallback | str | None = None, feedstock_co2: FactorBasis | str | None = None,
            grid: str | None = None) -> AccountingPolicy:
    """The policy of the plan at ``place`` (:func:`_plan_place`) with the caller's overrides."""
    region, admin_code, where = place
    province = province_of(admin_code)
    given = (grid or "").strip()
    return AccountingPolicy(
        electricity_convention=electricity_convention or DEFAULTS.electricity_convention,
        feedstock_co2=feedstock_co2 or DEFAULTS.feedstock_co2,
        electricity_fallback=electricity_fallback or DEFAULTS.electricity_fallback,
        grid=given or province or "",
        grid_source="stated" if given else (f"{where} {region} {admin_code}" if province else ""))


def completed(policy: AccountingPolicy | None, platform: Platform | None = None) -> AccountingPolicy:
    """``policy`` as a caller gave it, with the plan's grid where it states none (None: the
    surface default, :func:`accounting_policy`). Every service entry point passes its policy here."""
    with _session(platform) as s:
        return completed_in(s, policy)


def completed_in(s: Session | None, policy: AccountingPolicy | None) -> AccountingPolicy:
    """:func:`completed` with the stored plan read in the caller's session (None: no database, the
    bundled plan); a policy stating its grid reads nothing."""
    if policy is not None and policy.grid:
        return policy
    base = _stated(_plan_place(s, None))
    return base if policy is None else dataclasses.replace(policy, grid=base.grid, grid_source=base.grid_source)


def _session(platform: Platform | None) -> contextlib.AbstractContextManager[Session | None]:
    """A session of the platform's store (it connects on its first read); None without a platform."""
    return platform.sessions() if platform is not None else contextlib.nullcontext()


def _plan_place(s: Session | None, plan_code: str | None) -> tuple[str, str, str]:
    """(region, administrative code, "plan" | "bundled plan") of the plan the policy follows, read
    in ``s`` (None: no database, the bundled plan)."""
    if s is not None:
        row = q.plan_place(s, plan_code)
        if row is None and plan_code:
            raise NotFound(f"no stored plan {plan_code!r}")
        if row is not None:
            return row[0], row[1], "plan"
    return (*_bundled_place(), "bundled plan")


@functools.cache
def _bundled_place() -> tuple[str, str]:
    """Region and administrative code of the bundled plan: only these two fields are read (the
    plan's full validation is `plan check`'s job, not a precondition of accounting a file)."""
    path = resources.files("carbonpeak").joinpath("data", "plans", "anhua.yaml")  # plans.bundled_plan_path()
    doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return str(doc.get("region", "")), str(doc.get("admin_code", ""))


def default_region(platform: Platform) -> str:
    with platform.sessions() as s:
        return default_region_in(s)


def default_region_in(s: Session) -> str:
    """The first stored plan's region, read in the caller's session; NotFound without a plan."""
    region = q.first_plan_region(s)
    if region is None:
        raise NotFound("no plan loaded: run `carbonpeak demo` or `carbonpeak plan load FILE` first")
    return region


ACTIVITY_COLUMNS = ["row", "year", "region", "sector", "carrier", "quantity", "unit", "use", "grid", "source",
                    "illustrative"]
GDP_COLUMNS = ["year", "gdp_current", "index_prev", "source", "illustrative"]
NUMERIC = {"row", "year", "quantity", "gdp_current", "index_prev", "illustrative"}


class Accounted(NamedTuple):
    """Accounted stored lines, their findings and the region's GDP table."""
    lines: pd.DataFrame
    findings: list[Finding]
    gdp: pd.DataFrame


def stored_lines(platform: Platform, region: str, options: AccountingPolicy, year: int | None = None,
                 by_year: bool = False) -> Accounted:
    """Account the stored activity rows of ``region`` (of one ``year`` if given); also return
    its GDP table. ``by_year``: one line per year, carrier, unit, use, grid and illustrative
    flag, its quantity the sum of the rows' (sector and source dropped): the same yearly
    totals and indicators, from far fewer lines. Cached per data version (activity, factors);
    the caller gets its own copy of the frames."""
    with platform.sessions() as s:
        return stored_lines_in(s, platform, region, options, year, by_year)


def stored_lines_in(s: Session, platform: Platform, region: str, options: AccountingPolicy, year: int | None = None,
                    by_year: bool = False) -> Accounted:
    """:func:`stored_lines` read in the caller's session (the plan's grid where ``options`` states
    none, the activity rows and the GDP table); a cached result reads no rows."""
    options = completed_in(s, options)
    key = ("stored-lines", region, options, year, by_year, versions.key(platform, ("activity", "factors")))
    lines, findings, gdp = platform.cached(key, lambda: _account_stored(s, platform, region, options, year, by_year),
                                           lambda v: frame_weight(v[0], v[2]))
    return Accounted(lines.copy(), list(findings), gdp.copy())


def _account_stored(s: Session, platform: Platform, region: str, options: AccountingPolicy, year: int | None,
                    by_year: bool) -> Accounted:
    # plain rows (no ORM objects), straight into the frame column by column
    acts = q.activity_rows(s, region, year, by_year)
    gdps = q.gdp_rows(s, region)
    if not acts:
        raise NotFound(f"no activity data stored for region {region!r}" + (f" {year}" if year else ""))
    raw = _frame(acts, ACTIVITY_COLUMNS)
    if by_year:  # each group a distinct "sector" (the natural key stays unique), no source
        raw["sector"] = "rows from " + raw["sector"].astype(str)
        raw["source"] = ""
    ref = platform.ref  # one reference for the whole computation (each read asks the store)
    activity, issues = prepare_stored(raw, ref.catalogue)  # typed rows, never re-parsed as text
    if issues:
        raise InputRejected(issues)
    lines, findings = _run(activity, ref, options, "database")
    return Accounted(lines, findings, _frame(gdps, GDP_COLUMNS))


def _frame(rows, columns: list[str]) -> pd.DataFrame:
    """Result rows as a frame, built column by column as arrays (no per-row type inference)."""
    cols = list(zip(*rows)) if rows else [()] * len(columns)
    df = pd.DataFrame({c: np.array(v, dtype=float if c in ("quantity", "gdp_current", "index_prev") else
                                   None if c in NUMERIC else object)
                       for c, v in zip(columns, cols)}, columns=columns)
    df["illustrative"] = df["illustrative"].astype(bool)
    return df
