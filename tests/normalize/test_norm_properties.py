"""Property-based tests (hypothesis, modest example counts: the machine is shared)."""
import time
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extract.normalize import (
    MONTH_ABBRS, arabic_to_thai, clean_thai, correct_text, decode_month_header, find_dates, is_blank_or_dash,
    month_scores, parse_amounts, parse_number, parse_thai_date, parse_title_block, split_activity_code,
    thai_to_arabic,
)
from extract.normalize.months import _SIMILAR_GROUPS

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
UNITS = ["", "บาท", "ครั้ง", "แห่ง", "กลุ่ม", "คน", "เดือน"]


def _group(int_str: str) -> str:
    out = []
    while len(int_str) > 3:
        out.insert(0, int_str[-3:])
        int_str = int_str[:-3]
    out.insert(0, int_str)
    return ",".join(out)


@st.composite
def formatted_amounts(draw):
    whole = draw(st.integers(min_value=0, max_value=10**12))
    cents = draw(st.one_of(st.none(), st.integers(min_value=0, max_value=99)))
    commas = draw(st.booleans())
    thai = draw(st.booleans())
    unit = draw(st.sampled_from(UNITS))
    space = draw(st.sampled_from([" ", ""]))
    s = _group(str(whole)) if commas else str(whole)
    value = Decimal(whole)
    if cents is not None:
        s += f".{cents:02d}"
        value = Decimal(f"{whole}.{cents:02d}")
    if thai:
        s = arabic_to_thai(s)
    if unit:
        s += space + unit
    return s, value, unit


@SETTINGS
@given(formatted_amounts())
def test_formatted_decimal_roundtrip(case):
    s, value, unit = case
    p = parse_number(s)
    assert p is not None, s
    assert p.value == value and p.unit == unit and not p.is_percent
    assert "bad_grouping" not in p.flags
    amounts = parse_amounts(s)
    assert len(amounts) == 1 and amounts[0].value == value


@SETTINGS
@given(st.integers(min_value=0, max_value=100), st.sampled_from(["ร้อยละ {}", "ร้อยละ{}", "{}%", "{} %"]), st.booleans())
def test_percent_roundtrip(n, fmt, thai):
    s = fmt.format(arabic_to_thai(str(n)) if thai else n)
    p = parse_number(s)
    assert p is not None and p.value == n and p.is_percent


@SETTINGS
@given(st.text(alphabet="0123456789๐๑๒๓๔๕๖๗๘๙abc ก"))
def test_digit_conversion_roundtrip(s):
    assert thai_to_arabic(arabic_to_thai(s)) == thai_to_arabic(s)
    assert len(thai_to_arabic(s)) == len(s)


_SIMILAR = {c: g for g in _SIMILAR_GROUPS for c in g}
_MARKS = ["\u0e38", "\u0e34", "\u0e48", "\u0e31", "\u0e4c"]


@st.composite
def garbled_abbr(draw, abbr):
    """One OCR-like damage: drop/insert a dot, insert a stray combining mark, or swap a look-alike consonant."""
    kind = draw(st.sampled_from(["none", "drop_dot", "add_dot", "mark", "swap", "space"]))
    s = abbr
    if kind == "drop_dot" and "." in s:
        i = draw(st.sampled_from([i for i, c in enumerate(s) if c == "."]))
        s = s[:i] + s[i + 1:]
    elif kind == "add_dot":
        i = draw(st.integers(0, len(s)))
        s = s[:i] + "." + s[i:]
    elif kind == "mark":
        i = draw(st.integers(1, len(s)))
        s = s[:i] + draw(st.sampled_from(_MARKS)) + s[i:]
    elif kind == "space":
        s = s.replace(".", ". ").strip()
    elif kind == "swap":
        idx = [i for i, c in enumerate(s) if c in _SIMILAR]
        if idx:
            i = draw(st.sampled_from(idx))
            others = [c for c in _SIMILAR[s[i]] if c != s[i]]
            s = s[:i] + draw(st.sampled_from(others)) + s[i + 1:]
    return s


@st.composite
def garbled_header(draw):
    start = draw(st.integers(0, 11))
    length = draw(st.integers(6, 12))
    months = [(start + i) % 12 for i in range(length)]
    tokens = [draw(garbled_abbr(MONTH_ABBRS[m])) for m in months]
    # at most a third of the tokens damaged (as on real scans); keep the others clean
    n_bad = sum(t != MONTH_ABBRS[m] for t, m in zip(tokens, months))
    if n_bad > length // 3:
        keep = draw(st.permutations(range(length)))[: n_bad - length // 3]
        for k in keep:
            tokens[k] = MONTH_ABBRS[months[k]]
    return tokens, [m + 1 for m in months]


@SETTINGS
@given(garbled_header())
def test_garbled_header_recovered(case):
    tokens, expected = case
    guesses = decode_month_header(tokens)
    assert [g.fiscal_month for g in guesses] == expected, tokens


@settings(max_examples=200, deadline=None)
@given(st.lists(garbled_abbr(MONTH_ABBRS[0]), min_size=1, max_size=1))
def test_full_year_header_with_any_first_token(first):
    tokens = first + list(MONTH_ABBRS[1:])
    assert [g.fiscal_month for g in decode_month_header(tokens)] == list(range(1, 13))


NORMALIZERS = [
    clean_thai, parse_number, parse_amounts, is_blank_or_dash, month_scores, parse_thai_date, find_dates,
    split_activity_code, parse_title_block, lambda s: correct_text(s), lambda s: decode_month_header(s.split()),
    lambda s: parse_number(s, allow_code=True),
]


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.text(), st.text(alphabet="๐๑๒๓๔๕๖๗๘๙0123456789,.()-%/ กขคงตพยสมาำเแิีุ่้ํ\u200b:บาทครั้ง", max_size=80)))
def test_fuzz_never_raises_or_hangs(s):
    """A hang guard, not a speed claim: a normalizer taking seconds on an 80-character string is stuck in a
    pathological path (typical calls take well under a millisecond; speed is measured by the benchmark)."""
    correct_text("warm up ทั้งสิน")  # builds the lexicon outside the timed part
    for fn in NORMALIZERS:
        t = time.perf_counter()
        fn(s)
        assert time.perf_counter() - t < 2.0, (fn, s)
