"""Pure text/number normalizers for OCR'd Thai plan forms (no I/O except the bundled lexicon)."""
from .codes import code_depth, parent_code, split_activity_code
from .dates import be_to_ce, ce_to_be, find_dates, parse_thai_date
from .digits import arabic_to_thai, has_thai_digits, thai_to_arabic
from .header import parse_title_block
from .months import (
    MONTH_ABBRS,
    MONTH_NAMES,
    MonthGuess,
    calendar_to_fiscal,
    decode_month_header,
    fiscal_quarter,
    fiscal_to_calendar,
    fiscal_to_gregorian,
    match_month,
    month_scores,
)
from .numbers import ParsedNumber, is_blank_or_dash, parse_amounts, parse_number
from .text import Lexicon, clean_thai, correct_text, default_lexicon

__all__ = [
    "thai_to_arabic", "arabic_to_thai", "has_thai_digits",
    "ParsedNumber", "is_blank_or_dash", "parse_number", "parse_amounts",
    "MONTH_ABBRS", "MONTH_NAMES", "MonthGuess", "month_scores", "match_month", "decode_month_header",
    "fiscal_to_gregorian", "fiscal_to_calendar", "fiscal_quarter", "calendar_to_fiscal",
    "parse_thai_date", "find_dates", "be_to_ce", "ce_to_be",
    "split_activity_code", "parent_code", "code_depth",
    "clean_thai", "Lexicon", "default_lexicon", "correct_text",
    "parse_title_block",
]
