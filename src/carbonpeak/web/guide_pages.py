"""The help page (帮助: the glossary and a note on each page) and the township schematic (乡镇分布)."""

from __future__ import annotations

import re
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from ..api.deps import lang as lang_of
from ..api.deps import platform as platform_of
from ..services import townmap, versions
from . import help_texts
from .pages import _public

router = APIRouter(include_in_schema=False)
CJK = re.compile(r"[\u3400-\u9fff].*$")
LATIN_NOTE = re.compile(r"\s*\([^)]*[a-z][^)]*\)")  # "标准煤 (tce, kgce)": the English abbreviations


def _title(title: str, lang: str) -> str:
    """A bilingual heading ("Glossary 术语表") in the reader's language."""
    m = CJK.search(title)
    if m is None:
        return title
    return title[:m.start()].strip() or title if lang == "en" else m.group(0).strip()


def _glossary(lang: str) -> list[dict[str, Any]]:
    """The glossary's tables for the reader: the whole table on the English page; on the Chinese
    page the Chinese column only (the English equivalents and notes of docs/glossary.md are
    English: no English reaches a Chinese reader), with a link to the English page."""
    out = []
    for i, table in enumerate(help_texts.glossary()):
        rows = table.rows if lang == "en" else [[LATIN_NOTE.sub("", r[0])] for r in table.rows]
        out.append({"title": _title(table.title, lang), "header": table.header if lang == "en" else None,
                    "rows": rows, "terms": i == 0})
    return out


@router.get("/help", response_class=HTMLResponse)
def help_page(request: Request):
    lg = lang_of(request)
    pages = [(k, help_texts.page_help(k, lg)) for k in help_texts.PAGES]
    return _public(request, "help.html", "help", lambda: {"glossary": _glossary(lg), "pages": pages}, (), ())


@router.get("/map", response_class=HTMLResponse)
def map_page(request: Request):
    p = platform_of(request)
    return _public(request, "map.html", "map", lambda: {"tm": townmap.town_map(p)}, (),
                   versions.TRACKING + versions.METERED)
