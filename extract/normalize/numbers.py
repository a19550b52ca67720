"""Parse the numbers written in plan-form cells: Thai or Arabic digits, commas, decimals, units, percentages.

All arithmetic is exact (:class:`decimal.Decimal`); no float is ever involved.

Rules (documented decisions, applied in this order)
---------------------------------------------------
* Thai digits are converted to Arabic; zero-width characters are dropped; any whitespace run counts as one
  space.
* An optional qualifier prefix is accepted and reported as a flag: ``ไม่น้อยกว่า``/``ไม่ต่ำกว่า`` ->
  ``at_least``, ``ไม่เกิน``/``ไม่มากกว่า`` -> ``at_most``, ``ประมาณ`` -> ``approx``.
* Percentages: prefix ``ร้อยละ`` (also without its tone mark, ``รอยละ``) or suffix ``%`` -> ``is_percent``.
* A trailing unit is a single run of Thai letters (plus ``.`` and ``/``), at most 15 characters, with no
  digits: ``๕๐,๒๐๐.๐๐ บาท`` -> unit ``บาท``. Anything else after the number (several words, digits)
  means the text is not a number cell and ``parse_number`` returns ``None`` (use :func:`parse_amounts`).
* OCR confusions inside the numeric part, applied only when the part also holds at least one real digit:
  ``O``/``o`` -> 0, ``l``/``I``/``|`` -> 1, and ``ฒ`` (a common misreading of ``๗``) -> 7 when it sits
  between digits or separators. Flag ``ocr_confusion``.
* Spaces inside the numeric part are removed (``๕ ๐,๒๐๐`` -> 50200), flag ``joined_spaces``.
* Separators: runs such as ``,,`` count as their last character (flag ``repeated_separator``); a trailing
  separator is dropped (``trailing_separator``); a leading ``.`` is a decimal point (``.5`` -> 0.5).

  - ``,`` and ``.`` both present: if the last one is ``.`` it is the decimal point and the others group
    thousands (a ``.`` among them adds ``mixed_separators``).  If the last one is ``,`` followed by 1-2
    digits, the writing is continental (``50.200,00`` -> 50200.00, flag ``swapped_separators``);
    otherwise every separator groups thousands (flag ``dot_as_comma``).
  - only ``.``: one dot is a decimal point (a dot followed by exactly three digits, ``1.750``, is kept
    as a decimal but flagged ``ambiguous_dot`` since OCR often reads a comma as a dot); several dots:
    the last is the decimal point if 1-2 digits follow it, or more than three where the column's
    decimals are free (``free_decimals``: ``1.028.9518`` -> 1028.9518), else all group thousands
    (``dot_as_comma``).
  - only ``,``: all group thousands, except that with two or more commas a final comma followed by
    exactly two digits is read as a decimal point (``๕๐,๒๐๐,๐๐`` -> 50200.00, flag
    ``comma_as_decimal``). A single ``,dd`` (``๔,๘๐``) is *not* reinterpreted: 480 with ``bad_grouping``,
    unless the column is written with satang (``decimals=2``, below; there a dash before two last digits,
    ``๑๘๐,๕๐๒-๐๐``, is a decimal point too). Where the column's decimals are free
    (``free_decimals``: a table that is not a plan form), a last comma followed by four digits or more is
    a decimal point (``๑๐๓,๖๔๖๒`` -> 103.6462, flag ``comma_as_decimal``).
  - grouping check: the integer part's first group has 1-3 digits, each later group exactly 3;
    otherwise the flag ``bad_grouping`` is set and the digits are still read in order.
* Signs: ``-`` directly before the digits makes the value negative (``negative``); ``-`` followed by a
  space is a bullet and is ignored (``leading_dash``).  Parentheses around the whole number mean
  negative (``(1,234)`` -> -1234, flag ``paren_negative``) EXCEPT a plain integer of one or two digits
  (``(๑)``), which in these forms is an activity code: ``parse_number`` returns ``None`` for it unless
  ``allow_code=True``, in which case it returns the positive value with flag ``paren_code``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Optional

from .digits import thai_to_arabic

__all__ = ["ParsedNumber", "is_blank_or_dash", "parse_number", "parse_amounts", "KNOWN_UNITS"]

#: Units that occur in the forms (others are accepted too, :func:`parse_amounts` flags them ``unknown_unit``).
KNOWN_UNITS: frozenset[str] = frozenset(
    "บาท ครั้ง แห่ง กลุ่ม คน ราย เดือน เรื่อง วัน หน่วย ชุด เล่ม โครงการ สหกรณ์ ฉบับ แผน รุ่น ระบบ จังหวัด "
    "อำเภอ ตำบล หมู่บ้าน ครัวเรือน ปี ชั่วโมง ไร่ ตัน กิโลกรัม ล้านบาท แปลง ศูนย์ องค์กร กิจกรรม ผลิตภัณฑ์".split()
)


@dataclass(frozen=True)
class ParsedNumber:
    """A number read from a cell. ``value`` is exact; ``flags`` tell what had to be assumed or repaired."""

    value: Decimal
    unit: str = ""
    is_percent: bool = False
    flags: tuple[str, ...] = ()


_ZW = dict.fromkeys(map(ord, "\u200b\u200c\u200d\ufeff\u00ad"), None)
_WS = re.compile(r"\s+")
_DASH_NOISE = set("-–—−‐‑‒―_.·,'`~ ")


def _prep(s: str) -> str:
    return _WS.sub(" ", thai_to_arabic(s).translate(_ZW)).strip()


def is_blank_or_dash(s: Optional[str]) -> bool:
    """True for an empty cell or one holding only a dash (``-``, ``–``, ``—``) or dot/specks noise."""
    if s is None:
        return True
    t = _WS.sub("", s.translate(_ZW))
    return all(ch in _DASH_NOISE for ch in t)


_QUALIFIERS = (
    ("ไม่น้อยกว่า", "at_least"),
    ("ไม่ต่ำกว่า", "at_least"),
    ("ไม่เกิน", "at_most"),
    ("ไม่มากกว่า", "at_most"),
    ("ประมาณ", "approx"),
)
_PERCENT_WORD = re.compile(r"^ร[\u0e48-\u0e4b]?อยละ\s*")
_UNIT_CHARS = r"[\u0e01-\u0e2e\u0e30-\u0e3a\u0e40-\u0e4e./]"
_UNIT_RE = re.compile(r"[\u0e01-\u0e2e\u0e40-\u0e44]" + _UNIT_CHARS + r"{0,14}")
_CONF = r"OoIl|"
_NUM_RE = re.compile(
    r"^(?P<sign>[-−–+](?P<signsp>\s*))?"
    r"(?P<open>\(\s*)?"
    r"(?P<body>[0-9.," + _CONF + r"ฒ][0-9.," + _CONF + r"ฒ\s]*?)"
    r"\s*(?P<close>\))?"
    r"\s*(?P<pct>%)?"
    r"\s*(?P<unit>[\u0e01-\u0e2e\u0e40-\u0e44]" + _UNIT_CHARS + r"*)?$"
)
# a whole number grouped in thousands, a dash, two digits and nothing else but a unit
_DASH_DECIMAL = re.compile(r"^([0-9]{1,3}(?:,[0-9]{3})*)[-–−][0-9]{2}(?![0-9])(?=\s*[\u0e01-\u0e4e]*$)")
_CONF_TABLE = str.maketrans({"O": "0", "o": "0", "I": "1", "l": "1", "|": "1"})
_THAI7 = re.compile(r"(?<=[0-9,.])ฒ|ฒ(?=[0-9,.])")


def _resolve(body: str, flags: list[str], max_decimals: Optional[int] = None,
             decimals: Optional[int] = None, free_decimals: bool = False) -> Optional[Decimal]:
    """Turn a digits-and-separators string into a Decimal following the module rules."""
    if re.search(r"[,.]{2,}", body):
        body = re.sub(r"[,.]{2,}", lambda m: m.group(0)[-1], body)
        flags.append("repeated_separator")
    if body and body[-1] in ",.":
        body = body.rstrip(",.")
        flags.append("trailing_separator")
    if body.startswith(","):
        body = body.lstrip(",")
        flags.append("bad_grouping")
    if not body or not any(c.isdigit() for c in body):
        return None
    if body.startswith("."):
        body = "0" + body
    groups = re.split(r"[,.]", body)
    seps = re.findall(r"[,.]", body)
    dec_index: Optional[int] = None  # index into seps of the decimal separator
    if seps:
        has_dot, has_comma = "." in seps, "," in seps
        last = seps[-1]
        if has_dot and has_comma:
            if last == ".":
                dec_index = len(seps) - 1
                if "." in seps[:-1]:
                    flags.append("mixed_separators")
            elif 1 <= len(groups[-1]) <= 2:
                dec_index = len(seps) - 1
                flags.append("swapped_separators")
            else:
                flags.append("dot_as_comma")
        elif has_dot:
            if len(seps) == 1:
                if len(groups[-1]) == 3 and max_decimals is not None and max_decimals < 3 and 1 <= len(groups[0]) <= 3:
                    flags.append("dot_as_comma")
                else:
                    dec_index = 0
                    if len(groups[-1]) == 3:
                        flags.append("ambiguous_dot")
            else:
                flags.append("dot_as_comma")
                n_last = len(groups[-1])
                if 1 <= n_last <= 2 or (n_last > 3 and free_decimals):
                    dec_index = len(seps) - 1   # four digits or more cannot group thousands: ``1.028.9518``
        else:
            if len(groups[-1]) == 2 and (len(seps) >= 2 or decimals == 2):
                dec_index = len(seps) - 1
                flags.append("comma_as_decimal")
            elif len(groups[-1]) > 3 and free_decimals:
                dec_index = len(seps) - 1   # ``103,6462``: four digits or more cannot group thousands
                flags.append("comma_as_decimal")
    if dec_index is not None:
        int_groups, frac = groups[: dec_index + 1], groups[dec_index + 1]
    else:
        int_groups, frac = groups, ""
        if (decimals and len(int_groups) > 1 and len(int_groups[-1]) == 3 + decimals
                and 1 <= len(int_groups[0]) <= 3 and all(len(g) == 3 for g in int_groups[1:-1])):
            # ``๖,๙๕๐๐๐`` in a column written with satang: the decimal point was lost
            frac = int_groups[-1][3:]
            int_groups = int_groups[:-1] + [int_groups[-1][:3]]
            flags.append("missing_decimal_point")
    if len(int_groups) > 1:
        ok = 1 <= len(int_groups[0]) <= 3 and all(len(g) == 3 for g in int_groups[1:])
        if not ok:
            flags.append("bad_grouping")
    int_part = "".join(int_groups) or "0"
    try:
        return Decimal(int_part + ("." + frac if frac else ""))
    except InvalidOperation:  # pragma: no cover - the regex only lets digits through
        return None


def parse_number(s: Optional[str], *, allow_code: bool = False, max_decimals: Optional[int] = None,
                 decimals: Optional[int] = None, unsigned: bool = False,
                 free_decimals: bool = False) -> Optional[ParsedNumber]:
    """Parse a whole cell as one number (see the module docstring for the rules).

    Returns ``None`` for blanks/dashes, for text that is not a number, and for a parenthesised
    activity code like ``(๑)`` unless ``allow_code`` is true.

    Context from the column, when the caller knows it:

    * ``max_decimals``: the most decimals a value in this column can have (2 for baht, 0 for counts).
      A single dot followed by exactly three digits then groups thousands (``๘๒.๓๐๐`` -> 82300, flag
      ``dot_as_comma``) instead of being an ``ambiguous_dot`` decimal.
    * ``decimals``: the number of decimals the column is written with (2 when its amounts carry satang,
      ``๖,๙๕๐.๐๐``). A comma-grouped number whose last group has 3 + ``decimals`` digits lost its decimal
      point (``๖,๙๕๐๐๐`` -> 6950.00, flag ``missing_decimal_point``); a single comma followed by exactly
      two digits is its decimal point misread (``๘๕๐,๕๐`` -> 850.50, flag ``comma_as_decimal``); so is
      a dash between a whole number grouped in thousands and two last digits (``๑๘๐,๕๐๒-๐๐`` -> 180502.00,
      flag ``dash_as_decimal``).
    * ``free_decimals``: the column may hold any number of decimals (a budget bill's ``103.6462``, in
      millions): a last separator, comma or dot, followed by four digits or more is its decimal point,
      since no thousands group has four digits (flag ``comma_as_decimal`` for a comma).
    * ``unsigned``: the column holds counts or amounts that are never negative (a plan's targets and
      months). A dash stuck to the figure, before or after it (``-๑``, ``๑-``), is then a mark beside it -
      a rule's stub, the ``-`` of the next cell - not a sign: the figure is read without it, flag
      ``stray_dash``.
    """
    if not s or is_blank_or_dash(s):
        return None
    t = _prep(s)
    if len(t) > 120:  # no number cell is this long; also bounds regex work on garbage
        return None
    flags: list[str] = []
    for word, flag in _QUALIFIERS:
        if t.startswith(word):
            t = t[len(word):].lstrip()
            flags.append(flag)
            break
    is_percent = False
    m = _PERCENT_WORD.match(t)
    if m:
        is_percent = True
        t = t[m.end():]
    if unsigned:
        bare = t.rstrip("-−–— ")
        if bare != t and bare[-1:].isdigit():
            t = bare
            flags.append("stray_dash")
    if decimals == 2 and "." not in t and (d := _DASH_DECIMAL.match(t)):
        t = d.group(1) + "." + t[d.end(1) + 1:]   # ``๑๘๐,๕๐๒-๐๐``: the decimal point read as a dash
        flags.append("dash_as_decimal")
    m = _NUM_RE.match(t)
    if not m:
        return None
    body = m.group("body")
    if not any(c.isdigit() for c in body):
        return None
    unit = m.group("unit") or ""
    if unit and not _UNIT_RE.fullmatch(unit):
        return None
    if m.group("pct"):
        is_percent = True
    if "ฒ" in body:
        new = _THAI7.sub("7", body)
        if "ฒ" in new:
            return None
        body = new
        flags.append("ocr_confusion")
    if any(c in _CONF for c in body):
        body = body.translate(_CONF_TABLE)
        flags.append("ocr_confusion")
    if " " in body:
        body = body.replace(" ", "")
        flags.append("joined_spaces")
    opened, closed = bool(m.group("open")), bool(m.group("close"))
    plain_small = re.fullmatch(r"[0-9]{1,2}", body) is not None
    value = _resolve(body, flags, max_decimals, decimals, free_decimals)
    if value is None:
        return None
    negative = False
    if opened and closed:
        if plain_small and not m.group("sign"):
            if not allow_code:
                return None
            flags.append("paren_code")
        else:
            negative = True
            flags.append("paren_negative")
    elif opened or closed:
        flags.append("unbalanced_paren")
    sign = m.group("sign")
    if sign and sign != "+":
        if m.group("signsp"):
            flags.append("leading_dash")
        elif unsigned:
            flags.append("stray_dash")
        else:
            negative = not negative
            flags.append("negative")
    if negative:
        value = -value
    return ParsedNumber(value=value, unit=unit, is_percent=is_percent, flags=tuple(dict.fromkeys(flags)))


_AMOUNT_RE = re.compile(
    r"(?:(?:ไม่น้อยกว่า|ไม่ต่ำกว่า|ไม่เกิน|ไม่มากกว่า|ประมาณ)\s*)?"
    r"(?:ร[\u0e48-\u0e4b]?อยละ\s*)?"
    r"\(?[0-9](?:[0-9]|[,.][0-9])*\)?"
    r"(?:\s*%)?"
    r"(?:\s*[\u0e01-\u0e2e\u0e40-\u0e44][\u0e01-\u0e2e\u0e30-\u0e3a\u0e40-\u0e4e]*)?"
)


def parse_amounts(s: Optional[str]) -> list[ParsedNumber]:
    """Find every number (with its unit or percent sign) in a text such as ``๕๐ แห่ง/๑ กลุ่ม``.

    Numbers are found left to right; spaces never join digits here (two numbers stay two). A unit not
    in :data:`KNOWN_UNITS` gets the flag ``unknown_unit``; parenthesised codes ``(๑)`` are skipped.
    """
    if not s:
        return []
    t = thai_to_arabic(s).translate(_ZW)
    out: list[ParsedNumber] = []
    for m in _AMOUNT_RE.finditer(t):
        p = parse_number(m.group(0))
        if p is None:
            continue
        if p.unit and p.unit not in KNOWN_UNITS:
            p = ParsedNumber(p.value, p.unit, p.is_percent, p.flags + ("unknown_unit",))
        out.append(p)
    return out
