"""A further county's bundled plan and illustrative data, loaded beside the Anhua demo (issue #17).

``load_county_demo(platform, "yueyang")`` reads ``data/demo/<county>_manifest.yaml`` (the plan file
and the data files with their kinds, in load order), stores the plan and imports the files into
that plan. It is idempotent: a second load changes nothing. ``run_demo`` (services/demo.py) is not
touched: the Anhua demo stays what it is.

Before anything is written the manifest, the plan and every data file are checked (the data files
by a dry-run import, and every row's 地区 against the plan's region, so that a file of one county
can never join another county's inventory); a bad manifest or file is refused naming file, row and
field, with nothing stored.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import yaml

from ..domain.findings import InputIssue
from ..domain.policy import province_of
from .accounting import accounting_policy
from .errors import InputRejected, NotFound
from .factor_store import check_factor_file, list_overrides, store_factor_file
from .imports import import_file
from .plans import bundled_plan_path, read_plan, store_plan, stored_plan
from .platform import Platform

MANIFEST_KEYS = frozenset({"county", "plan", "illustrative", "files"})
FILE_KEYS = frozenset({"file", "kind"})
# The upload kinds a county demo may carry (observations go to the manifest's plan).
KINDS = frozenset({"activity", "gdp", "observations", "parcels", "buildings", "factors"})  # factors: county values
REGION_COLUMN = "地区"  # the region column of activity and GDP files
REGION_KINDS = frozenset({"activity", "gdp"})


@dataclass(frozen=True)
class ManifestFile:
    file: str
    kind: str


@dataclass(frozen=True)
class Manifest:
    county: str
    plan: str
    illustrative: bool
    files: tuple[ManifestFile, ...]


@dataclass(frozen=True)
class CountyImport:
    file: str
    kind: str
    rows: int
    inserted: int
    updated: int
    unchanged: int


@dataclass(frozen=True)
class CountyDemoResult:
    county: str
    plan_code: str
    region: str
    plan_changed: bool
    illustrative: bool
    imports: tuple[CountyImport, ...]


def demo_dir() -> Path:
    return Path(str(resources.files("carbonpeak").joinpath("data", "demo")))


def bundled_counties() -> list[str]:
    """The counties with a demo manifest (``<county>_manifest.yaml``)."""
    return sorted(p.name.removesuffix("_manifest.yaml") for p in demo_dir().glob("*_manifest.yaml"))


def _bad(name: str, field: str, value: object, reason: str) -> InputRejected:
    return InputRejected([InputIssue("input.bad_value", name, None, field, {"value": value, "reason": reason})])


def read_manifest(path: Path) -> Manifest:
    """Parse a county manifest; unknown fields, unknown kinds and missing files are errors naming the field."""
    name = path.name
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise InputRejected([InputIssue("input.file_unreadable", name, None, None,
                                        {"reason": f"{type(exc).__name__}: {exc}"})]) from exc
    if not isinstance(doc, dict) or set(doc) - MANIFEST_KEYS or not {"county", "plan", "files"} <= set(doc):
        keys = sorted(set(doc) - MANIFEST_KEYS) if isinstance(doc, dict) else "(root)"
        raise _bad(name, "(root)", keys, f"expected the fields {sorted(MANIFEST_KEYS)}")
    if not isinstance(doc["files"], list):
        raise _bad(name, "files", doc["files"], "not a list")
    files = []
    for i, entry in enumerate(doc["files"]):
        where = f"files[{i}]"
        if not isinstance(entry, dict) or set(entry) != FILE_KEYS:
            raise _bad(name, where, entry, f"expected exactly the fields {sorted(FILE_KEYS)}")
        if entry["kind"] not in KINDS:
            raise _bad(name, f"{where}.kind", entry["kind"], f"not one of {sorted(KINDS)}")
        if not (demo_dir() / str(entry["file"])).is_file():
            raise _bad(name, f"{where}.file", entry["file"], "no such file in data/demo")
        files.append(ManifestFile(str(entry["file"]), str(entry["kind"])))
    return Manifest(str(doc["county"]), str(doc["plan"]), bool(doc.get("illustrative", True)), tuple(files))


def _check_regions(path: Path, region: str) -> None:
    """Every row's 地区 is the plan's region (a row of another county would join that county's inventory)."""
    with path.open(encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        if REGION_COLUMN not in (reader.fieldnames or []):
            raise InputRejected([InputIssue("input.missing_column", path.name, 1, REGION_COLUMN,
                                            {"column": REGION_COLUMN, "accepted": REGION_COLUMN})])
        bad = [InputIssue("input.region_mismatch", path.name, row_no, REGION_COLUMN,
                          {"value": row[REGION_COLUMN], "region": region})
               for row_no, row in enumerate(reader, start=2) if (row[REGION_COLUMN] or "").strip() != region]
    if bad:
        raise InputRejected(bad)


def load_county_demo(platform: Platform, county: str, actor: str = "demo") -> CountyDemoResult:
    """Store ``county``'s bundled plan and import its demo files into that plan (idempotent)."""
    path = demo_dir() / f"{county}_manifest.yaml"
    if not path.is_file():
        raise NotFound(f"no demo for county {county!r} (bundled: {', '.join(bundled_counties())})")
    manifest = read_manifest(path)
    plan_file = bundled_plan_path(manifest.plan.removesuffix(".yaml"))
    plan, sha = read_plan(plan_file)
    # The county's own grid (its province, from its administrative code), not the first stored plan's.
    policy = accounting_policy(platform, grid=province_of(plan.admin_code))
    for f in manifest.files:  # check everything first: nothing is written unless every file is good
        if f.kind in REGION_KINDS:
            _check_regions(demo_dir() / f.file, plan.region)
        if f.kind == "factors":
            check_factor_file(platform, demo_dir() / f.file)
        elif f.kind != "observations":  # observations need the stored plan: checked by their import below
            import_file(platform, demo_dir() / f.file, actor, kind=f.kind, options=policy, dry_run=True)
    stored = store_plan(platform, plan, sha, source=f"carbonpeak/data/plans/{plan_file.name}", actor=actor)
    results = []
    for f in manifest.files:
        if f.kind == "factors":
            results.append(_store_factors(platform, f.file, actor))
            continue
        r = import_file(platform, demo_dir() / f.file, actor, kind=f.kind, options=policy, plan_code=plan.code)
        results.append(CountyImport(f.file, f.kind, r.rows, r.inserted, r.updated, r.unchanged))
    return CountyDemoResult(manifest.county, plan.code, plan.region, stored.changed,
                            manifest.illustrative, tuple(results))


def _store_factors(platform: Platform, file: str, actor: str) -> CountyImport:
    """A demo's county values, counted as an import: new, changed and unchanged rows."""
    def revisions() -> dict[tuple, int]:
        return {(c.kind, c.carrier, c.geography, c.year, c.parameter): c.revision for c in list_overrides(platform)}
    before = revisions()
    stored = store_factor_file(platform, demo_dir() / file, actor)
    after = revisions()
    keys = {(r.kind, r.carrier, r.geography, r.year, r.parameter) for r in stored}
    new = sum(k not in before for k in keys)
    changed = sum(k in before and after[k] != before[k] for k in keys)
    return CountyImport(file, "factors", len(stored), new, changed, len(keys) - new - changed)


ANHUA = "anhua"  # the county of the full demo (services/demo.py run_demo)
DEMOS = {ANHUA: "安化", "yueyang": "岳阳"}  # the counties with a bundled demo, by code, with their short names
UPPER_DEMO = "hunan"  # the plan of the tier above the demo counties (安化 of 益阳市, 岳阳 of 岳阳市): the province's


def first_start_upper(home: Platform, counties: tuple[str, ...], actor: str) -> bool:
    """On a several-county deployment's first start, when every county has a bundled demo and the
    deployment holds no plan yet, load the province's plan above them (data/plans/hunan.yaml):
    its targets are rated on the counties (services/city_targets.py). Otherwise the city's
    administrators load their own (``carbonpeak --county city plan load FILE``)."""
    if not counties or not set(counties) <= set(DEMOS) or stored_plan(home) is not None:
        return False
    plan, sha = read_plan(bundled_plan_path(UPPER_DEMO))
    store_plan(home, plan, sha, source=f"carbonpeak/data/plans/{UPPER_DEMO}.yaml", actor=actor)
    return True


def first_start(platform: Platform, county: str | None, actor: str, lang: str = "zh") -> str | None:
    """On a county's first start (no plan stored), load its bundled demo: the Anhua demo for a
    one-county deployment or the county ``anhua``, the county's manifest for a further bundled
    county. Returns the county whose demo was loaded, None when nothing was (a plan is stored,
    or no demo is bundled for ``county``: its users load their own plan)."""
    from .demo import run_demo  # demo builds on the modules this one imports

    if stored_plan(platform) is not None:
        return None
    if county in (None, ANHUA):
        run_demo(platform, actor, lang=lang)
        return ANHUA
    if county in DEMOS:
        load_county_demo(platform, county, actor)
        return county
    return None
