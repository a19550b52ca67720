"""Activity codes at the start of activity cells: ``๒.๓.๑``, ``(๑)``, ``๑)``, ``๑``.

Codes are returned in Arabic digits. Dotted codes have at most 3 levels of 1-2 digit numbers; a bare
integer code (``๑ การวางแผน…``) must be followed by whitespace and must not be followed by a unit word
(``๑๐ ครั้ง``), a percent sign, or more digits; 3+ digit numbers (``๒๕๖๖ …``) are never codes.
"""
from __future__ import annotations

import re
from typing import Iterable

from .digits import thai_to_arabic
from .numbers import KNOWN_UNITS

__all__ = ["split_activity_code", "parent_code", "code_depth", "is_sub_item_code"]

_N = r"[0-9]{1,2}"
_PAREN = re.compile(rf"^\s*\(\s*({_N})\s*\)\s*")
_CLOSE = re.compile(rf"^\s*({_N})\s*\)\s*")
_DOTTED = re.compile(rf"^\s*({_N}(?:\s?\.\s?{_N}){{1,2}})(?!\s?\.\s?[0-9])\s?\.?(?![0-9])\s*")
_BARE = re.compile(rf"^\s*({_N})(?:\s*\.(?![0-9])\s*|\s+)")
_UNIT_WORDS = KNOWN_UNITS - {"โครงการ", "สหกรณ์", "แผน", "กิจกรรม", "กลุ่ม"}


def split_activity_code(text: str) -> tuple[str, str]:
    """Split an activity cell into ``(code, rest)``; code in Arabic digits, ``""`` when there is none.

    ``๒.๓.๑ วิทยากร…`` -> ``("2.3.1", "วิทยากร…")``; ``(๑) สหกรณ์…`` -> ``("(1)", "สหกรณ์…")``;
    ``๑) …`` -> ``("1)", "…")``; ``๑ การวางแผน…`` / ``๑. การวางแผน…`` -> ``("1", "การวางแผน…")``.
    The rest keeps its original digits (Thai stays Thai).
    """
    if not text:
        return "", text or ""
    t = thai_to_arabic(text)  # one-to-one: indices valid in ``text``
    m = _PAREN.match(t)
    if m:
        return f"({int(m.group(1))})", text[m.end():].strip()
    m = _CLOSE.match(t)
    if m:
        return f"{int(m.group(1))})", text[m.end():].strip()
    m = _DOTTED.match(t)
    if m:
        parts = re.split(r"\s?\.\s?", m.group(1))
        return ".".join(str(int(p)) for p in parts), text[m.end():].strip()
    m = _BARE.match(t)
    if m:
        rest = text[m.end():].strip()
        first = re.split(r"[\s/]", rest, maxsplit=1)[0] if rest else ""
        if not rest or first in _UNIT_WORDS or rest[0] in "%,/" or rest[0].isdigit():
            return "", text.strip()
        if any(first.startswith(u) and len(first) <= len(u) + 1 for u in _UNIT_WORDS):
            return "", text.strip()
        return str(int(m.group(1))), rest
    return "", text.strip()


def is_sub_item_code(code: str) -> bool:
    """True for ``(1)`` / ``1)`` style codes (sub-items numbered inside a dotted item)."""
    return code.endswith(")")


def parent_code(code: str, previous_codes: Iterable[str] = ()) -> str:
    """The parent of a code: ``2.3.1`` -> ``2.3``; ``2`` -> ``""``; ``(1)``/``1)`` -> the closest
    preceding dotted or bare code in ``previous_codes`` (in document order), ``""`` if none."""
    if not code:
        return ""
    if is_sub_item_code(code):
        for prev in reversed(list(previous_codes)):
            if prev and not is_sub_item_code(prev):
                return prev
        return ""
    return code.rsplit(".", 1)[0] if "." in code else ""


def code_depth(code: str, parent: str = "") -> int:
    """Nesting depth: ``""`` -> 0, ``1`` -> 1, ``2.3`` -> 2, ``2.3.1`` -> 3. A sub-item code
    (``(1)``, ``1)``) is one deeper than ``parent`` when given, else 4 (below the deepest dotted level)."""
    if not code:
        return 0
    if is_sub_item_code(code):
        return code_depth(parent) + 1 if parent else 4
    return code.count(".") + 1
