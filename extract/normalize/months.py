"""Month names, fiscal-order month headers and the Thai fiscal calendar.

Fiscal position 1 is October (ต.ค.) ... 12 is September (ก.ย.). Fiscal year Y (Buddhist Era) runs from
October of CE year Y-544 to September of CE year Y-543 (FY 2566 = 2022-10 ... 2023-09).

Token similarity (:func:`month_scores`) compares the *letters* of a token with each month's abbreviation
(dots and spaces removed) and with its full name, using a weighted edit distance: inserting or deleting a
combining mark (vowels above/below, tone marks) costs 0.3, substituting one consonant for a visually similar
one costs 0.6, anything else costs 1. The score is ``max(0, 1 - distance / length of the month form)``,
maximised over the abbreviation and the full name.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

__all__ = [
    "MONTH_ABBRS", "MONTH_NAMES", "MonthGuess", "month_scores", "match_month", "decode_month_header",
    "fiscal_to_gregorian", "fiscal_to_calendar", "fiscal_quarter", "calendar_to_fiscal",
]

#: Abbreviations in fiscal order (index 0 = fiscal month 1 = October).
MONTH_ABBRS: tuple[str, ...] = (
    "ต.ค.", "พ.ย.", "ธ.ค.", "ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.",
)
#: Full month names in fiscal order.
MONTH_NAMES: tuple[str, ...] = (
    "ตุลาคม", "พฤศจิกายน", "ธันวาคม", "มกราคม", "กุมภาพันธ์", "มีนาคม",
    "เมษายน", "พฤษภาคม", "มิถุนายน", "กรกฎาคม", "สิงหาคม", "กันยายน",
)

_STRIP = re.compile(r"[\s.\u200b-\u200d\ufeff,:;'`·]+")
_MARKS = set("\u0e31\u0e34\u0e35\u0e36\u0e37\u0e38\u0e39\u0e3a\u0e47\u0e48\u0e49\u0e4a\u0e4b\u0e4c\u0e4d\u0e4e")
# groups of consonants Tesseract confuses with one another in these fonts
_SIMILAR_GROUPS = ("คตดฅถ", "กภถฎฏ", "พฟผฝ", "ยบปษ", "มนหฆ", "ธรฐ", "สลฮ", "ชซ", "ขฃ", "ฒฌญ", "ทฑ", "อฮ")
_SIMILAR: set[tuple[str, str]] = {(a, b) for g in _SIMILAR_GROUPS for a in g for b in g if a != b}


def _key(token: str) -> str:
    """Letters of a token: dots, spaces, zero-width characters and punctuation removed."""
    return _STRIP.sub("", token)


_ABBR_KEYS = tuple(_key(a) for a in MONTH_ABBRS)


def _sub_cost(a: str, b: str) -> float:
    if a == b:
        return 0.0
    if (a, b) in _SIMILAR:
        return 0.6
    if a in _MARKS and b in _MARKS:
        return 0.5
    return 1.0


def _indel_cost(c: str) -> float:
    return 0.3 if c in _MARKS else 1.0


def weighted_distance(a: str, b: str) -> float:
    """Weighted Levenshtein distance (see the module docstring for the costs)."""
    prev = [0.0]
    for ch in b:
        prev.append(prev[-1] + _indel_cost(ch))
    for ca in a:
        cur = [prev[0] + _indel_cost(ca)]
        da = _indel_cost(ca)
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + da, cur[j - 1] + _indel_cost(cb), prev[j - 1] + _sub_cost(ca, cb)))
        prev = cur
    return prev[-1]


@lru_cache(maxsize=4096)
def _scores(key: str) -> tuple[float, ...]:
    if not key or len(key) > 24:
        return (0.0,) * 12
    out = []
    for abbr, name in zip(_ABBR_KEYS, MONTH_NAMES):
        best = 0.0
        for form in (abbr, name):
            if abs(len(form) - len(key)) > len(form):
                continue
            d = weighted_distance(key, form)
            best = max(best, 1.0 - d / len(form))
        out.append(round(best, 6))
    return tuple(out)


def month_scores(token: str) -> list[float]:
    """Similarity (0-1) of an OCR'd token to each of the 12 months, in fiscal order (index 0 = ต.ค.)."""
    return list(_scores(_key(token or "")))


def match_month(token: str, threshold: float = 0.75) -> int | None:
    """The fiscal month (1-12) a single token most likely names, or ``None`` when no month scores at
    least ``threshold`` or two months tie for best."""
    sc = month_scores(token)
    best = max(sc)
    if best < threshold or sc.count(best) > 1:
        return None
    return sc.index(best) + 1


@dataclass(frozen=True)
class MonthGuess:
    """A decoded header cell: the fiscal month (1-12), its canonical abbreviation, a confidence in 0-1,
    and ``inferred`` = the month was decided by the token's position in the header, not by its letters."""

    fiscal_month: int
    text: str
    confidence: float
    inferred: bool


def decode_month_header(tokens: list[str], *, min_letter_score: float = 0.75) -> list[MonthGuess]:
    """Decode a month header as a whole.

    The header is taken to be consecutive months in fiscal order (wrapping after ก.ย.), possibly starting
    mid-year when a form is split across pages. Every start month is tried and the run with the highest
    total letter score wins (ties go to the earlier start, i.e. ต.ค. first). Empty tokens are kept as
    positions (score 0): pass one token per month column.

    A guess is ``inferred`` when its own letters did not single it out (best letter score below
    ``min_letter_score``, a tie, or a different month scoring higher). Its confidence is then the run's
    confidence (how much better the chosen run scored than the runner-up, mapped to 0.5-0.95) scaled
    down a little; otherwise it is the mean of its letter score and the run's confidence.
    """
    n = len(tokens)
    if n == 0:
        return []
    table = [month_scores(t) for t in tokens]
    totals = []
    for start in range(12):
        totals.append(sum(table[i][(start + i) % 12] for i in range(n)))
    order = sorted(range(12), key=lambda s: (-totals[s], s))
    best_start = order[0]
    margin = (totals[best_start] - totals[order[1]]) / n
    run_conf = 0.5 + min(0.45, margin * 1.5)
    out = []
    for i, sc in enumerate(table):
        fm = (best_start + i) % 12 + 1
        own = sc[fm - 1]
        top = max(sc)
        decided_by_letters = own >= min_letter_score and own == top and sc.count(top) == 1
        if decided_by_letters:
            conf = (own + run_conf) / 2
        else:
            conf = run_conf * 0.9
        out.append(MonthGuess(fm, MONTH_ABBRS[fm - 1], round(min(1.0, conf), 4), not decided_by_letters))
    return out


def _check_fm(fiscal_month: int) -> None:
    if not isinstance(fiscal_month, int) or not 1 <= fiscal_month <= 12:
        raise ValueError(f"fiscal month must be 1..12, got {fiscal_month!r}")


def fiscal_to_calendar(fiscal_month: int) -> int:
    """Calendar month (1=January) of a fiscal position (1=October)."""
    _check_fm(fiscal_month)
    return (fiscal_month + 8) % 12 + 1


def fiscal_to_gregorian(fiscal_year_be: int, fiscal_month: int) -> str:
    """``'YYYY-MM'`` of a fiscal month: FY 2566 month 1 -> ``'2022-10'``, month 12 -> ``'2023-09'``."""
    cal = fiscal_to_calendar(fiscal_month)
    year = fiscal_year_be - 543 - (1 if cal >= 10 else 0)
    return f"{year:04d}-{cal:02d}"


def fiscal_quarter(fiscal_month: int) -> int:
    """Fiscal quarter (1-4) of a fiscal month: Oct-Dec = 1 ... Jul-Sep = 4."""
    _check_fm(fiscal_month)
    return (fiscal_month - 1) // 3 + 1


def calendar_to_fiscal(month: int) -> int:
    """Fiscal position (1-12) of a calendar month (1=January): October -> 1, January -> 4, September -> 12."""
    if not isinstance(month, int) or not 1 <= month <= 12:
        raise ValueError(f"calendar month must be 1..12, got {month!r}")
    return (month - 10) % 12 + 1
