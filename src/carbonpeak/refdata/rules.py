"""Versioned assessment rule sets (考核口径), shipped as data with the documents they cite.

``tables/assessment_rules/<release>.csv``: one row per (rule, parameter) with valid_from,
valid_to (empty: open), parameter (deduct_feedstock, exclude_nonfossil), value (1/0), unit
(flag), source_document, source_table, status and note, like every reference table.
"""

from __future__ import annotations

from functools import cache

from ..domain.conventions import AssessmentRule, RuleBook
from . import _read_package_csv

ASSESSMENT_RULES_RELEASE = "NDRC.r1"
RULE_PARAMETERS = ("deduct_feedstock", "exclude_nonfossil")


def assessment_rule_rows() -> list[dict[str, str]]:
    """The rows of the shipped rule table, with their documents and status."""
    return _read_package_csv("assessment_rules", f"{ASSESSMENT_RULES_RELEASE}.csv").to_dict("records")


@cache
def load_assessment_rules() -> RuleBook:
    rows = assessment_rule_rows()
    rules = []
    for rule_id in dict.fromkeys(r["rule_id"] for r in rows):
        mine = [r for r in rows if r["rule_id"] == rule_id]
        flags = {r["parameter"]: r["value"].strip() == "1" for r in mine}
        missing = [p for p in RULE_PARAMETERS if p not in flags]
        if missing:
            raise ValueError(f"assessment rule {rule_id}: no row for {', '.join(missing)}")
        docs = tuple(dict.fromkeys(r["source_document"].split("《")[0].strip() for r in mine))
        to = mine[0]["valid_to"].strip()
        rules.append(AssessmentRule(rule_id, int(mine[0]["valid_from"]), int(to) if to else None,
                                    flags["deduct_feedstock"], flags["exclude_nonfossil"], docs))
    return RuleBook(tuple(sorted(rules, key=lambda r: r.valid_from)))
