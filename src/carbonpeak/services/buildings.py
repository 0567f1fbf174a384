"""Public buildings, first increment: a file of buildings with their yearly energy → energy use
intensity, the GB/T 51161 constraint and guide values of each building's type and climate zone,
the five-grade rating with its rule, rankings and the buildings over their constraint value.

Energy counted: electricity [kWh] plus natural gas converted at its low calorific value
(1 kWh = 3.6 MJ). GB/T 51161 states its own conversion for non-electric energy, which we have not
verified, so every result that converts gas says so."""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..domain.buildings import GradeRule, eui, grade
from ..domain.findings import InputIssue
from ..domain.messages import said
from ..store.queries import buildings as q
from ..store.queries.buildings import Session
from .errors import InputRejected, NotFound
from .platform import Platform, Reference
from .serialize import clean
from .tables import illustrative_flags, no_duplicates, read_text_table

HEADERS: dict[str, tuple[str, ...]] = {
    "building_id": ("建筑编号", "编号"), "name": ("名称", "建筑名称"), "building_class": ("类型", "建筑类型"),
    "subtype": ("子类型", "建筑子类型"), "climate_zone": ("气候区",), "floor_area_m2": ("建筑面积", "建筑面积(m2)"),
    "owner": ("单位", "业主"), "year": ("年份",), "electricity_kwh": ("电力", "用电量", "电力(kWh)"),
    "gas_m3": ("天然气", "用气量", "天然气(m3)"),
    "source": ("来源", "数据来源"), "illustrative": ("示例数据", "示例"),
}
REQUIRED = ("building_id", "building_class", "subtype", "floor_area_m2", "year", "electricity_kwh")
KWH_PER_GJ = 1000.0 / 3.6
DEFAULT_RULE = GradeRule()


def read_buildings(path: Path, name: str | None = None) -> pd.DataFrame:
    df, name = read_text_table(path, HEADERS, REQUIRED, name)
    df["climate_zone"] = df["climate_zone"].replace("", "夏热冬冷")
    issues: list[InputIssue] = []
    df["illustrative"] = illustrative_flags(df, name, issues)
    for col, required in (("floor_area_m2", True), ("year", True), ("electricity_kwh", True), ("gas_m3", False)):
        raw = df[col]
        v = pd.to_numeric(raw.replace("", np.nan if not required else ""), errors="coerce")
        bad = (v.isna() & ((raw != "") | required)) | (v < 0) | ((col == "floor_area_m2") & (v == 0))
        for i in df.index[bad]:
            code = "input.empty_value" if raw[i] == "" else "input.bad_value"
            issues.append(InputIssue(code, name, int(df.at[i, "row"]), col,
                                     {"value": raw[i], "reason": said("应为不小于0的数（建筑面积须大于0）", "a number ≥ 0 (floor area > 0)")}))
        df[col] = v.fillna(0.0) if not required else v
    no_duplicates(df, ["building_id", "year"], name, "building_id", issues)
    if issues:
        raise InputRejected(sorted(issues, key=lambda x: (x.row or 0, x.column or "")))
    return df


@dataclass(frozen=True)
class BuildingGrade:
    """One building of a year, graded: energy use intensity [kWh/(m²·a)] against its type's
    constraint and guide values (GB/T 51161-2016, their factor ids), its grade and rank."""
    building_id: str
    name: str | None
    building_class: str
    subtype: str
    climate_zone: str
    owner: str | None
    year: int
    floor_area_m2: float
    electricity_kwh: float
    gas_m3: float
    energy_kwh: float
    eui: float | None
    constraint: float | None  # None: a type without a quota (not graded)
    guide: float | None
    grade: int | None
    over_constraint: bool
    rank_in_type: int
    factor_ids: str


@dataclass(frozen=True)
class BuildingGrades:
    """The grades of a file's or a year's buildings, highest intensity first, with the rule, the
    unit and the conversion of gas; ``year``, ``years`` and ``illustrative`` for stored buildings."""
    rule: str
    unit: str
    conversion: str
    buildings: list[BuildingGrade]
    over_constraint: list[str]  # building ids
    grades: dict[int, int]  # grade 1..5 → buildings
    unrated: list[str]  # building ids without a quota for their type
    quota_status: list[str]  # the reference status of the quota values (unverified, ...)
    year: int | None = None
    years: list[int] = field(default_factory=list)
    illustrative: bool = False

    @classmethod
    def of_document(cls, doc: dict[str, Any]) -> BuildingGrades:
        """From its JSON document (an assessment frozen before the grades were typed)."""
        names = {f.name for f in fields(BuildingGrade)}
        rows = [BuildingGrade(**{k: v for k, v in b.items() if k in names}) for b in doc.get("buildings", [])]
        return cls(**{k: v for k, v in doc.items() if k in {f.name for f in fields(cls)} - {"buildings"}},
                   buildings=rows)


def grade_file(path: Path, ref: Reference, rule: GradeRule = DEFAULT_RULE, lang: str = "zh") -> BuildingGrades:
    return grade_frame(read_buildings(path), ref, rule, lang, path.name)


def stored_grades(platform: Platform, year: int | None = None, rule: GradeRule = DEFAULT_RULE,
                  lang: str = "zh") -> BuildingGrades:
    """Grades of the stored buildings for ``year`` (default: the latest year with data)."""
    with platform.sessions() as s:
        return stored_grades_in(s, platform, year, rule, lang)


def stored_grades_in(s: Session, platform: Platform, year: int | None = None, rule: GradeRule = DEFAULT_RULE,
                     lang: str = "zh") -> BuildingGrades:
    """:func:`stored_grades` with the buildings read in the caller's session."""
    rows = q.buildings(s)
    if not rows:
        raise NotFound("no public-building energy stored: import a building file (carbonpeak import FILE)")
    years = sorted({r.year for r in rows})
    y = year if year in years else years[-1]
    cols = ("building_id", "name", "building_class", "subtype", "climate_zone", "floor_area_m2", "organisation",
            "year", "electricity_kwh", "gas_m3", "illustrative")
    df = pd.DataFrame([{c: getattr(r, c) for c in cols} | {"row": r.id} for r in rows if r.year == y])
    df = df.rename(columns={"organisation": "owner"})
    return replace(grade_frame(df, platform.ref, rule, lang, "database"), year=y, years=years,
                   illustrative=bool(df["illustrative"].any()))


# Public-building types the platform knows but for which the quota table (GB/T 51161 leads:
# office, hotel and shopping buildings) holds no constraint or guide value: listed, not graded,
# until the county enters its own quota for the type (factor_overrides, kind building_quota).
UNRATED_CLASSES = ("医疗卫生建筑", "教育建筑", "文化建筑", "体育建筑", "交通建筑", "其他公共建筑")


def grade_frame(df: pd.DataFrame, ref: Reference, rule: GradeRule, lang: str, name: str) -> BuildingGrades:
    quota = ref.factors.of_kind("building_quota")
    key = df["building_class"] + "/" + df["subtype"]
    quotas = quota.pivot_table(index=["carrier", "geography"], columns="parameter", values="canonical", aggfunc="first")
    ids = quota.pivot_table(index=["carrier", "geography"], columns="parameter", values="factor_id", aggfunc="first")
    has_quota = pd.Series([(key[i], df.at[i, "climate_zone"]) in quotas.index for i in df.index], index=df.index)
    unrated = ~has_quota & df["building_class"].isin(UNRATED_CLASSES)
    issues = [InputIssue("input.no_factor", name, int(df.at[i, "row"]), "subtype",
                         {"what": "能耗约束值/引导值 quota", "key": f"{key[i]} {df.at[i, 'climate_zone']}"})
              for i in df.index if not has_quota[i] and not unrated[i]]
    if issues:
        raise InputRejected(issues)
    gas = ref.factors.of_kind("fuel_co2", "lcv").set_index("carrier")["canonical"].get("天然气")  # GJ per m³
    df["energy_kwh"] = df["electricity_kwh"] + df["gas_m3"] * (gas or 0.0) * KWH_PER_GJ
    df["eui"] = eui(df["energy_kwh"], df["floor_area_m2"])
    idx = list(zip(key, df["climate_zone"], strict=True))
    df["constraint"] = [quotas.loc[k, "constraint"] if ok else np.nan for k, ok in zip(idx, has_quota, strict=True)]
    df["guide"] = [quotas.loc[k, "guide"] if ok else np.nan for k, ok in zip(idx, has_quota, strict=True)]
    df["grade"] = pd.Series(grade(df["eui"], df["constraint"], df["guide"], rule), index=df.index).where(has_quota)
    df["over_constraint"] = has_quota & (df["eui"] > df["constraint"])
    df["factor_ids"] = [f"{ids.loc[k, 'constraint']}|{ids.loc[k, 'guide']}" if ok else ""
                        for k, ok in zip(idx, has_quota, strict=True)]
    df["rank_in_type"] = df.groupby("building_class")["eui"].rank(method="min").astype(int)
    cols = ["building_id", "name", "building_class", "subtype", "climate_zone", "owner", "year", "floor_area_m2",
            "electricity_kwh", "gas_m3", "energy_kwh", "eui", "constraint", "guide", "grade", "over_constraint",
            "rank_in_type", "factor_ids"]
    rows = [_graded(clean(r)) for r in df.sort_values("eui", ascending=False)[cols].to_dict("records")]
    return BuildingGrades(rule.text(lang), "kWh/(m²·a)", _conversion(bool((df["gas_m3"] > 0).any()), lang), rows,
                          [r.building_id for r in rows if r.over_constraint],
                          {g: int((df["grade"] == g).sum()) for g in range(1, 6)},
                          [r.building_id for r in rows if r.grade is None], sorted(set(quota["status"])))


def _graded(r: dict[str, Any]) -> BuildingGrade:
    """A cleaned record as a row, its grade (a float column with gaps) an integer or None."""
    return BuildingGrade(**r | {"grade": None if r["grade"] is None else int(r["grade"])})


def _conversion(gas: bool, lang: str) -> str:
    if not gas:
        return "仅电力" if lang != "en" else "electricity only"
    return ("天然气按低位发热量折算（未采用 GB/T 51161 自身的折算方法：未核实）" if lang != "en" else
            "natural gas at its low calorific value (GB/T 51161's own conversion not applied: unverified)")
