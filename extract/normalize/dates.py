"""Thai dates: ``๑๑ สิงหาคม ๒๕๖๕``, ``๑๑ ส.ค. ๖๕``, ``11/08/2565``, ``11 ส.ค. 2565``.

Written without :func:`pythainlp.util.thai_strptime` (it reads numeric months 10 and 11 as January, raises
on Thai digits and rejects undotted abbreviations).

Year rules: a 4-digit year >= 2400 is Buddhist Era; a 4-digit year in 1800-2399 is Common Era; a 2-digit
year is the last two digits of a BE year in 25xx (``๖๕`` -> 2565). Returned dates are ``datetime.date``
(CE). Impossible dates (``31/02/2565``) give ``None`` / are skipped.
"""
from __future__ import annotations

import datetime as _dt
import re
from typing import NamedTuple, Optional

from .digits import thai_to_arabic
from .months import MONTH_ABBRS, MONTH_NAMES, fiscal_to_calendar, month_scores

__all__ = ["be_to_ce", "ce_to_be", "parse_thai_date", "find_dates", "DateMatch"]

BE_OFFSET = 543


def be_to_ce(year: int) -> int:
    """Buddhist Era year -> Common Era year (2566 -> 2023)."""
    return year - BE_OFFSET


def ce_to_be(year: int) -> int:
    """Common Era year -> Buddhist Era year (2023 -> 2566)."""
    return year + BE_OFFSET


class DateMatch(NamedTuple):
    """A date found in a text: the date (CE), the span ``[start, end)`` in the text and the matched text."""

    date: _dt.date
    start: int
    end: int
    text: str


def _year(y: str) -> Optional[int]:
    n = int(y)
    if len(y) == 2:
        return be_to_ce(2500 + n)
    if len(y) == 4:
        if n >= 2400:
            return be_to_ce(n)
        if 1800 <= n < 2400:
            return n
    return None


def _make(y: int, m: int, d: int) -> Optional[_dt.date]:
    try:
        return _dt.date(y, m, d)
    except ValueError:
        return None


_THAI_LETTERS = r"\u0e01-\u0e2e\u0e30-\u0e3a\u0e40-\u0e4e"
# month word: Thai letters possibly with dots/single spaces (ต.ค., ต. ค., ตค, ตุลาคม)
_MONTH_WORD = rf"[{_THAI_LETTERS}](?:[{_THAI_LETTERS}]|\.\s?)*"
_TEXT_DATE = re.compile(
    rf"(?<![0-9])(?P<d>[0-9]{{1,2}})\s*(?P<m>{_MONTH_WORD})\s*(?:(?:พ\.\s?ศ\.|ค\.\s?ศ\.)\s*)?(?P<y>[0-9]{{4}}|[0-9]{{2}})(?![0-9])"
)
_NUM_DATE = re.compile(r"(?<![0-9])(?P<d>[0-9]{1,2})\s*(?P<s>[/.\-])\s*(?P<m>[0-9]{1,2})\s*(?P=s)\s*(?P<y>[0-9]{4}|[0-9]{2})(?![0-9])")

_EXACT = {}
for _i, (_a, _n) in enumerate(zip(MONTH_ABBRS, MONTH_NAMES), 1):
    _EXACT[_a.replace(".", "")] = _i
    _EXACT[_n] = _i


def _month_from_word(word: str) -> Optional[int]:
    """Calendar month of a Thai month word (exact, or fuzzy with a unique best score >= 0.8)."""
    key = re.sub(r"[\s.]", "", word)
    fm = _EXACT.get(key)
    if fm is None:
        sc = month_scores(key)
        best = max(sc)
        if best < 0.8 or sc.count(best) > 1:
            return None
        fm = sc.index(best) + 1
    return fiscal_to_calendar(fm)


def _from_match(m: re.Match[str], numeric: bool) -> Optional[_dt.date]:
    year = _year(m.group("y"))
    if year is None:
        return None
    if numeric:
        month: Optional[int] = int(m.group("m"))
    else:
        month = _month_from_word(m.group("m"))
    if not month or not 1 <= month <= 12:
        return None
    return _make(year, month, int(m.group("d")))


def find_dates(s: Optional[str]) -> list[DateMatch]:
    """Every date in a longer text, in order of position (e.g. ``(ข้อมูล ณ ๑๑ สิงหาคม ๒๕๖๕)``)."""
    if not s:
        return []
    t = thai_to_arabic(s)  # one-to-one, so spans are valid in ``s``
    found: list[DateMatch] = []
    taken: list[tuple[int, int]] = []
    for rx, numeric in ((_NUM_DATE, True), (_TEXT_DATE, False)):
        for m in rx.finditer(t):
            if any(m.start() < e and b < m.end() for b, e in taken):
                continue
            d = _from_match(m, numeric)
            if d is not None:
                found.append(DateMatch(d, m.start(), m.end(), s[m.start():m.end()]))
                taken.append((m.start(), m.end()))
    return sorted(found, key=lambda x: x.start)


def parse_thai_date(s: Optional[str]) -> Optional[_dt.date]:
    """Parse a text that *is* a date (surrounding spaces allowed); ``None`` if it is not exactly one date."""
    if not s:
        return None
    t = s.strip()
    hits = find_dates(t)
    if len(hits) == 1 and hits[0].start == 0 and hits[0].end == len(t):
        return hits[0].date
    return None
