"""Title block of a plan form: fiscal year, office and the ``label : value`` lines.

Labels are matched fuzzily (Levenshtein similarity >= 0.75 before a colon, >= 0.84 as a line's first
word; label text with spaces removed) so OCR
damage such as ``แนบงานพื้นฐาน`` still finds ``แผนงานพื้นฐาน``. A label is recognised either before a colon
(``กิจกรรมหลัก : …``) or, without a colon, as the first word of the line (``งาน/โครงการ ส่งเสริม…``),
including when OCR glued the value to it. Each field takes its first occurrence. The office (``agency``) is
the first line beginning with ``สำนักงาน`` (fuzzy) that is not a labelled line. Lines following
``ผู้ปฏิบัติ`` that carry no label are appended to it (the list of workers wraps). Values are passed
through :func:`~extract.normalize.text.clean_thai`; missing fields are ``None``.
"""
from __future__ import annotations

import re
from typing import Optional, Union

from .digits import thai_to_arabic
from .text import clean_thai, levenshtein

__all__ = ["parse_title_block", "TITLE_FIELDS", "find_fiscal_year"]

#: field -> accepted label spellings (first is canonical)
LABELS: dict[str, tuple[str, ...]] = {
    "project": ("งาน/โครงการ",),
    "plan": ("แผนงานพื้นฐาน", "แผนงาน"),
    "output": ("ผลผลิต/โครงการ", "ผลผลิต"),
    "main_activity": ("กิจกรรมหลัก",),
    "sub_activity": ("กิจกรรมรอง",),
    "objective": ("วัตถุประสงค์",),
    "responsible_unit": ("หน่วยงานที่รับผิดชอบ", "หน่วยงานรับผิดชอบ"),
    "responsible_person": ("ผู้รับผิดชอบ",),
    "operators": ("ผู้ปฏิบัติ",),
}
TITLE_FIELDS: tuple[str, ...] = ("fiscal_year", "agency") + tuple(LABELS)
_MIN_SCORE = 0.75          # label before a colon
_MIN_PREFIX_SCORE = 0.84   # label as the first word of a line without a colon (less evidence)
_YEAR_RE = re.compile(r"(?:พ\s*\.?\s*ศ\s*\.?|ปีงบประมาณ)\s*([0-9]{4})(?![0-9])")
_LEAD_JUNK = re.compile(r"^[\s\-–—•*·:.,]+")


def find_fiscal_year(text: str) -> Optional[int]:
    """First BE year written after ``พ.ศ.`` or ``ปีงบประมาณ`` (2400-2700), Thai or Arabic digits."""
    for m in _YEAR_RE.finditer(thai_to_arabic(text or "")):
        y = int(m.group(1))
        if 2400 <= y <= 2700:
            return y
    return None


def _sim(a: str, b: str) -> float:
    if not b:
        return 0.0
    return 1.0 - levenshtein(a, b, limit=len(b)) / len(b)


def _best_prefix(s: str, label: str) -> tuple[float, int]:
    """Best similarity of a prefix of ``s`` to ``label`` and the prefix length."""
    best, cut = 0.0, 0
    for k in range(max(1, len(label) - 2), min(len(s), len(label) + 2) + 1):
        sc = _sim(s[:k], label)
        if sc > best or (sc == best and k > cut):
            best, cut = sc, k
    return best, cut


def _match_label(line: str) -> Optional[tuple[str, str]]:
    """(field, value) when the line starts with a known label, else None."""
    if ":" in line:
        head, value = line.split(":", 1)
        head_c = head.replace(" ", "")
        scored = [
            (_sim(head_c, lab), len(lab), field) for field, labs in LABELS.items() for lab in labs if head_c
        ]
        if scored:
            sc, _, field = max(scored)
            if sc >= _MIN_SCORE:
                return field, value
    first, _, rest = line.partition(" ")
    best: tuple[float, int, str, int] = (0.0, 0, "", 0)
    for field, labs in LABELS.items():
        for lab in labs:
            sc, cut = _best_prefix(first, lab)
            if (sc, len(lab)) > best[:2]:
                best = (sc, len(lab), field, cut)
    sc, _, field, cut = best
    if sc >= _MIN_PREFIX_SCORE:
        value = first[cut:] + " " + rest
        return field, value
    return None


_ORDER = ("project", "plan", "output", "main_activity", "sub_activity", "objective", "responsible_unit",
          "responsible_person")


def _next_by_position(line: str, last_field: Optional[str], out: dict) -> Optional[tuple[str, str]]:
    """A ``label : value`` line whose label is misread beyond recognition (``กบรสงย์ :`` for วัตถุประสงค์),
    right after a recognised field: it is the field that comes next on the form, if that is still empty and
    the misread label is about as long as the real one."""
    if last_field not in _ORDER or ":" not in line:
        return None
    k = _ORDER.index(last_field) + 1
    if k >= len(_ORDER) or out.get(_ORDER[k]) is not None:
        return None
    head, value = line.split(":", 1)
    head = head.replace(" ", "")
    lab = LABELS[_ORDER[k]][0]
    if not head or not 0.5 * len(lab) <= len(head) <= 1.5 * len(lab) or not value.strip():
        return None
    return _ORDER[k], value


def parse_title_block(text: str) -> dict[str, Union[str, int, None]]:
    """Parse the title block text of a page into the fields of :data:`TITLE_FIELDS` (None when absent)."""
    out: dict[str, Union[str, int, None]] = {k: None for k in TITLE_FIELDS}
    if not text:
        return out
    out["fiscal_year"] = find_fiscal_year(text)
    last_field: Optional[str] = None
    for raw in text.splitlines():
        line = _LEAD_JUNK.sub("", clean_thai(raw.replace("\t", " ")))
        if not line:
            continue
        hit = _match_label(line) or _next_by_position(line, last_field, out)
        if hit is not None:
            field, value = hit
            value = _LEAD_JUNK.sub("", clean_thai(value))
            last_field = field
            if out[field] is None and value:
                out[field] = value
            continue
        if out["agency"] is None:
            sc, _ = _best_prefix(line.replace(" ", ""), "สำนักงาน")
            if sc >= 0.85:
                out["agency"] = line
                last_field = None
                continue
        if last_field == "operators" and out["operators"] and not re.search(r"[0-9๐-๙]{2,}\s*$", line):
            out["operators"] = f"{out['operators']} {line}"
            continue
        last_field = None
    return out
