"""Thai <-> Arabic digit conversion.

Both conversions are character-for-character (one code point in, one code point out), so string
indices computed on the converted text are valid in the original text.
"""
from __future__ import annotations

THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙"
ARABIC_DIGITS = "0123456789"

_TO_ARABIC = str.maketrans(THAI_DIGITS, ARABIC_DIGITS)
_TO_THAI = str.maketrans(ARABIC_DIGITS, THAI_DIGITS)


def thai_to_arabic(s: str) -> str:
    """Replace every Thai digit (๐-๙) with its Arabic digit; everything else is unchanged."""
    return s.translate(_TO_ARABIC)


def arabic_to_thai(s: str) -> str:
    """Replace every Arabic digit (0-9) with its Thai digit; everything else is unchanged."""
    return s.translate(_TO_THAI)


def has_thai_digits(s: str) -> bool:
    """True when ``s`` contains at least one Thai digit."""
    return any(ch in THAI_DIGITS for ch in s)


def digit_counts(texts) -> tuple[int, int]:
    """(Thai digits, Arabic digits) over the texts."""
    thai = sum(1 for t in texts for ch in t if ch in THAI_DIGITS)
    arabic = sum(1 for t in texts for ch in t if ch in ARABIC_DIGITS)
    return thai, arabic


def drop_foreign_digit(s: str) -> tuple[str, bool]:
    """Drop a lone digit of the other digit system set apart by a space beside a number: ``๑๑,๗๕๐ 1``
    -> ``๑๑,๗๕๐`` (a speck or a stroke read as a digit; a form never writes one figure in two systems).
    The number must have at least two digits, all of one system. Returns (text, whether one was dropped)."""
    toks = s.split()
    if len(toks) < 2:
        return s, False
    main = max(toks, key=lambda t: sum(ch in THAI_DIGITS or ch in ARABIC_DIGITS for ch in t))
    thai, arabic = has_thai_digits(main), any(ch in ARABIC_DIGITS for ch in main)
    if thai == arabic or sum(ch in THAI_DIGITS or ch in ARABIC_DIGITS for ch in main) < 2:
        return s, False   # no digits, or both systems in the number itself
    foreign = ARABIC_DIGITS if thai else THAI_DIGITS
    keep = [t for t in toks if t is main or not (len(t) == 1 and t in foreign)]
    return (" ".join(keep), True) if len(keep) < len(toks) else (s, False)
