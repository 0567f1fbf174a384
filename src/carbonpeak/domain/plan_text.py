"""The plan's words: every text of a plan with where it stands, a search over them, and the check
that each milestone quotes the plan (a milestone is the plan's own words, not a paraphrase)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .findings import Finding, Severity

if TYPE_CHECKING:
    from .plan import Plan


@dataclass(frozen=True)
class TargetText:
    """A target's name and note in another language (the plan file's ``translations``); empty: not given."""
    name: str = ""
    note: str = ""


def plan_texts(plan: Plan) -> list[tuple[str, str]]:
    """Every text of the plan with where it stands: sections, task texts, boxes, names of projects."""
    out = [(f"section {s.id}", s.title + "\n" + s.text) for s in plan.sections]
    for a in plan.actions:
        out += [(f"task {t.id}", t.title + "\n" + t.text) for t in a.tasks]
    out += [(f"box {b.number}", b.title + "\n" + b.text) for b in plan.box_texts]
    out += [(f"project {p.id}", p.name + "\n" + p.note) for p in plan.projects]
    return out


def find_in_plan(plan: Plan, needle: str) -> list[str]:
    """Where a word (an enterprise, a site, a figure) occurs in the plan's texts."""
    return [where for where, text in plan_texts(plan) if needle in text] if needle else []


def milestone_findings(plan: Plan) -> list[Finding]:
    """A milestone quotes the plan: its words must be in the plan's text; its projects must exist."""
    if not plan.sections and not plan.box_texts and not any(t.text for a in plan.actions for t in a.tasks):
        return []  # a plan file without its texts: nothing to check against
    whole = "\n".join(text for _, text in plan_texts(plan))
    projects = {p.id for p in plan.projects}
    out = []
    for a in plan.actions:
        for t in a.tasks:
            for m in t.milestones:
                if m.text not in whole:
                    out.append(Finding("plan.milestone_not_in_text", Severity.WARNING,
                                       {"id": m.id, "task": t.id, "text": m.text}, rule=m.clause or t.clause))
                out += [Finding("plan.unknown_reference", Severity.WARNING, {"where": m.id, "id": pid})
                        for pid in m.projects if pid not in projects]
    return out
