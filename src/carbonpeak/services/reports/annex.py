"""The report's flags and its provenance annex (数据质量与来源说明), in the reader's language:
what is illustrative, unverified or a proxy, each said once, with the document it comes from,
never a file, module or setting of the platform."""

from __future__ import annotations

import re
from typing import Any

from ...domain.labels import FACTOR_STATUS, PARAMETERS, UNITS, num, pick, say
from .. import flags
from .model import AnnexRow, Assessment

_ENGLISH_NOTE = re.compile(r"\s*[(（][^()（）]*[A-Za-z]{3,}[^()（）]*[)）]")


def report_flags(a: Assessment) -> dict[str, Any]:
    """Illustrative if any figure shown is; proxy if the inventory or a target rests on a proxy
    grid factor."""
    parts = [f for f in ((a.inventory or {}).get("flags"), a.targets.flags if a.targets else None) if f]
    units = (a.monitoring or {}).get("units", [])
    ill = any(f["illustrative"] for f in parts) or any(u.get("illustrative") for u in units) \
        or bool(a.buildings and a.buildings.illustrative)
    years = sorted({y for f in parts if f["proxy_factor"] for y in f["proxy_years"]})
    return flags.summary(ill, any(f["proxy_factor"] for f in parts), years or [a.year], a.lang)


def source_text(source: Any, lang: str) -> str:
    """A source as a reader cites it: the document; English working notes dropped in Chinese."""
    text = "" if source is None else str(source)
    if text.startswith("database:"):
        return pick(f"平台录入数据（{text.split(':', 1)[1]}）", f"entered on the platform ({text.split(':', 1)[1]})", lang)
    if lang != "en":
        text = _ENGLISH_NOTE.sub("", text).replace(" defaults", "缺省值")
    return text.strip() or "—"


def _factor_what(f: dict[str, Any], lang: str) -> str:
    who = f.get("carrier") or f.get("species_group") or ""
    unit = say(UNITS, f["unit"], lang)
    return f"{who}{say(PARAMETERS, f['parameter'], lang)} {num(f['value'], places=_places(f['value']))}{(' ' + unit) if unit else ''}"


def _places(v: float) -> int:
    """A coefficient as published: its own decimals (no trailing noise), at most 6."""
    text = f"{v:.6f}".rstrip("0")
    return len(text.split(".")[1]) if "." in text else 0


def _factor_rows(factors: list[dict], lang: str) -> list[AnnexRow]:
    return [AnnexRow(f"{pick('因子', 'factor', lang)} {f['id']}：{_factor_what(f, lang)}",
                     say(FACTOR_STATUS, f.get("status", ""), lang), source_text(f.get("source"), lang))
            for f in factors if f.get("status") != "confirmed"]


def _finding_rows(findings: list[dict], lang: str) -> list[AnnexRow]:
    """Findings of the accounting said once; those about an unverified factor are the factor rows."""
    rows = []
    for f in findings:
        if f.get("code") == "factor.unverified":
            continue
        if f.get("code") == "factor.electricity.proxy_year":
            rows.append(AnnexRow(f["message"], pick("代用值", "proxy", lang),
                                 pick("核算规则：缺当年电网因子时取此前最近一个公布年份的因子（早于首次公布的年份取首个公布年份）", "accounting rule: the latest grid factor published before the year (years before the first publication take the first)", lang)))
        else:
            rows.append(AnnexRow(f["message"], pick("提示", "note", lang), pick("平台数据检查", "platform data check", lang)))
    return rows


def _data_rows(a: Assessment) -> list[AnnexRow]:
    lang, rows = a.lang, []
    inv = a.inventory
    if inv and inv["illustrative_lines"]:
        rows.append(AnnexRow(pick("能源活动数据", "activity data", lang),
                             pick(f"示例数据（{inv['illustrative_lines']}行）", f"illustrative ({inv['illustrative_lines']} rows)", lang),
                             source_text(inv["source"] if isinstance(inv["source"], str) else "", lang)))
    if a.monitoring and any(u["illustrative"] for u in a.monitoring["units"]):
        rows.append(AnnexRow(pick("重点用能单位名录与计量数据", "key units and their meter data", lang),
                             pick("示例单位，读数为模拟数据", "illustrative units, simulated readings", lang),
                             pick("平台演示数据", "platform demonstration data", lang)))
    b = a.buildings
    if b:
        status = "、".join(say(FACTOR_STATUS, s, lang) for s in b.quota_status) or "—"
        rows.append(AnnexRow(pick("公共建筑能耗定额（约束值、引导值）", "public-building quotas (constraint, guide)", lang),
                             status, "GB/T 51161-2016"))
        if b.illustrative:
            rows.append(AnnexRow(pick("公共建筑能耗", "public-building energy", lang), pick("示例数据", "illustrative", lang), "—"))
    ill = [t.id for t in a.target_rows if t.source is not None and t.source.illustrative]
    if ill:
        rows.append(AnnexRow(pick(f"目标实际值（{'、'.join(ill)}）", f"actual values of targets ({', '.join(ill)})", lang),
                             pick("示例数据", "illustrative", lang), "—"))
    return rows


def _flag_rows(a: Assessment) -> list[AnnexRow]:
    """The two flags in the words every surface prints beside its figures (services/flags.py)."""
    lang, rows = a.lang, []
    notes = list(a.flags.get("notes", []))
    if a.flags.get("illustrative"):
        rows.append(AnnexRow(notes.pop(0), pick("示例数据", "illustrative", lang), "—"))
    if a.flags.get("proxy_factor"):
        rows.append(AnnexRow(notes.pop(0), pick("代用因子", "proxy factor", lang),
                             pick("核算规则：缺当年电网因子时取此前最近一个公布年份的因子（早于首次公布的年份取首个公布年份）",
                                  "accounting rule: the latest grid factor published before the year (years before the "
                                  "first publication take the first)", lang)))
    return rows


def annex(a: Assessment) -> list[AnnexRow]:
    """Every row once, in the order: flags, data, factors, findings."""
    lang = a.lang
    rows = _flag_rows(a)
    rows += _data_rows(a)
    rows += _factor_rows((a.inventory or {}).get("factors", []), lang)
    rows += _factor_rows((a.sinks or {}).get("factors", []), lang)
    rows += _finding_rows((a.inventory or {}).get("findings", []) + (a.monitoring or {}).get("factor_findings", []), lang)
    seen: set[tuple[str, str]] = set()
    out = []
    for r in rows:
        if (r.what, r.status) not in seen:
            seen.add((r.what, r.status))
            out.append(r)
    return out
