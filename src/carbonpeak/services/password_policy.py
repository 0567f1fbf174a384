"""Password policy: long enough, not all whitespace, not the username, not common, not trivial.

Common passwords: the 20,000 most common ones shipped with the package
(``carbonpeak/data/passwords/common-passwords.txt.gz``, Django's list by Royce Williams; see the
SOURCE.md beside it). A password is refused when it, or its core without leading and trailing
digits and symbols (``Password2024!`` → ``password``), is on the list.
"""

from __future__ import annotations

import gzip
from functools import lru_cache
from importlib import resources

from ..domain.findings import InputIssue

MIN_LENGTH = 10
_KEYBOARD = ("abcdefghijklmnopqrstuvwxyz", "0123456789", "qwertyuiop", "asdfghjkl", "zxcvbnm",
             "1qaz2wsx3edc4rfv5tgb", "qazwsxedcrfvtgbyhnujm")


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    path = resources.files("carbonpeak").joinpath("data", "passwords", "common-passwords.txt.gz")
    with path.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as f:
        return frozenset(line.strip() for line in f if line.strip())


def _core(password: str) -> str:
    """The password without leading and trailing digits, punctuation and spaces, lower-cased."""
    return password.lower().strip("0123456789 !@#$%^&*()-_=+[]{};:'\",.<>/?\\|`~")


def _is_run(text: str) -> bool:
    """A run along the alphabet, the digits or a keyboard row, either direction (abcdef, 987654)."""
    for row in _KEYBOARD:
        if text in row or text in row[::-1]:
            return True
    return False


def _is_trivial(password: str) -> bool:
    p = password.lower()
    if len(set(p)) <= 2:
        return True
    for n in range(1, len(p) // 2 + 1):  # a short unit repeated: abcabcabca, 12121212
        unit = p[:n]
        if (unit * (len(p) // n + 1))[: len(p)] == p:
            return True
    return _is_run(p)


def _issue(code: str, params: dict | None = None) -> InputIssue:
    return InputIssue(code, "user", None, "password", params or {})


def password_issues(password: str, username: str = "") -> list[InputIssue]:
    """Why ``password`` is refused for ``username`` (empty when it is acceptable)."""
    if not password.strip():
        return [_issue("input.password_blank")]
    if len(password) < MIN_LENGTH:
        return [_issue("input.password_short", {"min": MIN_LENGTH})]
    lower, name = password.lower(), username.lower()
    if name and (lower == name or (len(name) >= 3 and name in lower)):
        return [_issue("input.password_username")]
    if lower.strip() in common_passwords() or _core(password) in common_passwords():
        return [_issue("input.password_common")]
    if _is_trivial(password.strip()) or _is_trivial(_core(password) or password):
        return [_issue("input.password_trivial")]
    return []
