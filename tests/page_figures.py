"""A page as the tests read it: its figures (tests/system/test_one_figure.py, tests/web/test_cockpit_pages.py)
and its visible text (tests/web/test_zh_no_codes.py, tests/services/reports/test_followups_dec.py)."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser


class Figures(HTMLParser):
    """The figures of a page: every <span class="fig"> with its data-* attributes and text."""

    def __init__(self):
        super().__init__()
        self.found: list[tuple[dict, str]] = []
        self._open: dict | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "span" and a.get("class") == "fig":
            self._open, self._text = a, ""

    def handle_data(self, data):
        if self._open is not None:
            self._text += data

    def handle_endtag(self, tag):
        if tag == "span" and self._open is not None:
            self.found.append((self._open, self._text))
            self._open = None


def visible(page: str) -> str:
    page = re.sub(r"(?is)<(script|style)\b[^>]*>.*?</\1>", " ", page)
    page = re.sub(r"(?s)<!--.*?-->", " ", page)
    page = re.sub(r"(?s)<[^>]+>", " ", page)
    return html.unescape(page)
