"""Versioned reference tables shipped with the package, and user-supplied factor sets.

Layout: ``tables/carriers.csv`` and ``tables/<kind>/<release>.csv``. A published release file is
never edited: a new edition is a new file, and :data:`DEFAULT_RELEASES` names what is used.
:data:`ALTERNATIVE_RELEASES` are shipped alternatives laid over the defaults key by key when
named where a factor file is accepted (``--factors CN-PROVINCIAL-GUIDE.r1``, ``CARBONPEAK_FACTORS``).
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from io import StringIO
from pathlib import Path

import pandas as pd

from ..domain.carriers import CarrierCatalogue
from ..domain.factors import COLUMNS, FactorError, FactorSet
from ..domain.findings import InputIssue
from ..domain.monitoring import Benchmark
from ..tabular import map_headers, read_table

DEFAULT_RELEASES = {
    "standard_coal": "GBT2589-2020.r2",
    "fuel_co2": "CN-INDUSTRY-GUIDE.r1",
    "electricity_co2": "MEE-NBS-2021-2023.r1",
    "process_co2": "MEE-CEMENT.r2",
    "heat_co2": "GBT32150-INDUSTRY.r1",
    "gwp": "IPCC.r1",
    "forest_carbon": "LEADS-UNVERIFIED.r1",
    "building_quota": "GBT51161-2016-LEADS.r1",
    "primary_electricity_coal": "NBS-LEADS.r1",  # per-year 发电煤耗 (等价值), leads
}


def _read_package_csv(*parts: str) -> pd.DataFrame:
    text = resources.files(__package__).joinpath("tables", *parts).read_text(encoding="utf-8")
    return pd.read_csv(StringIO(text), dtype=str, keep_default_na=False)


def load_catalogue() -> CarrierCatalogue:
    return CarrierCatalogue.from_frame(_read_package_csv("carriers.csv"))


# Shipped alternatives (release -> kind): each overrides the defaults of its kind key by key.
ALTERNATIVE_RELEASES = {
    "CN-PROVINCIAL-GUIDE.r1": "fuel_co2",  # carbon contents of the provincial inventory guideline
    "GBT2589-2008-GASFIELD.r1": "standard_coal",  # 天然气 at the gas-field value 1.2143 kgce/m³
}


def _release_frame(kind: str, release: str) -> pd.DataFrame:
    df = _read_package_csv(kind, f"{release}.csv")
    df["release"] = release
    return df


def load_default_factors(catalogue: CarrierCatalogue) -> FactorSet:
    frames = [_release_frame(kind, release) for kind, release in DEFAULT_RELEASES.items()]
    return FactorSet.from_rows(pd.concat(frames, ignore_index=True), catalogue.units())


def load_release(release: str, catalogue: CarrierCatalogue) -> FactorSet:
    """A shipped alternative release (one of :data:`ALTERNATIVE_RELEASES`) as a factor set."""
    return FactorSet.from_rows(_release_frame(ALTERNATIVE_RELEASES[release], release), catalogue.units())


def release_names(spec: str | Path | None) -> list[str] | None:
    """The shipped alternative releases named by ``spec`` (comma-separated), or None when
    ``spec`` is not such a name (then it is a path to a factor file)."""
    if spec is None:
        return None
    names = [n.strip() for n in str(spec).split(",") if n.strip()]
    return names if names and all(n in ALTERNATIVE_RELEASES for n in names) else None


def read_factor_source(spec: str | Path, catalogue: CarrierCatalogue) -> FactorSet:
    """What a ``--factors`` value names: shipped alternative releases (``CN-PROVINCIAL-GUIDE.r1``,
    several separated by commas, applied in order) or a user factor file (CSV/XLSX)."""
    names = release_names(spec)
    if names is None:
        return read_factor_file(Path(spec), catalogue)
    out = load_release(names[0], catalogue)
    for name in names[1:]:
        out = out.overridden_by(load_release(name, catalogue))
    return out


BENCHMARK_RELEASE = "NDRC-GB-LEADS.r1"


@cache
def load_benchmarks() -> tuple[Benchmark, ...]:
    """Unit-product energy benchmarks and limits (lower is better), with document and status."""
    df = _read_package_csv("efficiency_benchmark", f"{BENCHMARK_RELEASE}.csv")

    def num(v: str) -> float | None:
        return float(v) if v.strip() else None

    return tuple(Benchmark(r.benchmark_id, r.product, r.indicator, r.unit, num(r.level1), num(r.level2),
                           num(r.level3), r.document, r.status, r.note) for r in df.itertuples())


SINK_RULES_RELEASE = "LEADS.r1"


def load_sink_project_rules() -> list[dict[str, str]]:
    """What a carbon-sink project developer must check (methodology, land eligibility), each fact
    with its source and status: leads until the methodology text itself is obtained."""
    return _read_package_csv("sink_project_rules", f"{SINK_RULES_RELEASE}.csv").to_dict("records")


class FactorFileError(Exception):
    def __init__(self, issues: list[InputIssue]):
        super().__init__("; ".join(i.message("en") for i in issues))
        self.issues = issues


_FACTOR_HEADERS = {
    "factor_id": ("编号", "因子编号"), "kind": ("类别",), "carrier": ("能源品种",), "geography": ("电网", "地区"),
    "year": ("年份",), "parameter": ("参数",), "value": ("数值", "值"), "unit": ("单位",),
    "source_document": ("来源", "来源文件", "source"), "source_table": ("来源表",), "status": ("状态",),
    "uncertainty": ("不确定性",), "note": ("备注",), "release": ("版本",),
}


def read_factor_file(path: Path, catalogue: CarrierCatalogue) -> FactorSet:
    """Read a user factor set (CSV/XLSX, same columns as the package tables)."""
    df, issues = read_table(path)
    if df is None:
        raise FactorFileError(issues)
    df, issues = map_headers(df, _FACTOR_HEADERS, ("kind", "parameter", "value", "unit", "source_document"), path.name)
    if df is None:
        raise FactorFileError(issues)
    rows = df["row"].tolist()
    if "release" not in df.columns or (df["release"] == "").all():
        df["release"] = f"user:{path.name}"
    if "factor_id" not in df.columns:
        df["factor_id"] = ""
    df["factor_id"] = [fid or f"U-{r}" for fid, r in zip(df["factor_id"], rows)]
    if "status" not in df.columns:
        df["status"] = "single_source"
    df["status"] = df["status"].replace("", "single_source")
    for needed in ("source_document",):
        blank = df[needed].str.strip() == ""
        if blank.any():
            r = rows[int(blank.to_numpy().nonzero()[0][0])]
            raise FactorFileError([InputIssue("input.empty_value", path.name, r, needed, {})])
    try:
        return FactorSet.from_rows(df[[c for c in COLUMNS if c in df.columns]], catalogue.units())
    except FactorError as exc:
        raise FactorFileError([InputIssue("input.bad_factor_row", path.name, rows[exc.index], exc.column,
                                          {"reason": exc.reason})]) from exc
