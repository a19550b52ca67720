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
