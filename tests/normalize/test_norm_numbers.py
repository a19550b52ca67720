from decimal import Decimal

import pytest

from extract.normalize import (
    ParsedNumber, arabic_to_thai, has_thai_digits, is_blank_or_dash, parse_amounts, parse_number, thai_to_arabic,
)


def test_digits_roundtrip():
    assert thai_to_arabic("๐๑๒๓๔๕๖๗๘๙") == "0123456789"
    assert arabic_to_thai("0123456789") == "๐๑๒๓๔๕๖๗๘๙"
    assert thai_to_arabic("งบ ๕๐,๒๐๐.๐๐ บาท") == "งบ 50,200.00 บาท"
    assert has_thai_digits("ปี ๒๕๖๖") and not has_thai_digits("2566") and not has_thai_digits("")


@pytest.mark.parametrize("s", ["", " ", "-", "–", "—", " - ", ".", "..", "-.", "\u200b", "\t", None, "_"])
def test_blank_or_dash(s):
    assert is_blank_or_dash(s)
    assert parse_number(s) is None


@pytest.mark.parametrize("s", ["๑", "a", "- ๑", "บาท"])
def test_not_blank(s):
    assert not is_blank_or_dash(s)


V = Decimal


@pytest.mark.parametrize(
    "s,value,unit,pct,flags",
    [
        ("๕๐,๒๐๐.๐๐", V("50200.00"), "", False, ()),
        ("๕๐,๒๐๐.๐๐ บาท", V("50200.00"), "บาท", False, ()),
        ("50,200.00บาท", V("50200.00"), "บาท", False, ()),
        ("๑๐ ครั้ง", V(10), "ครั้ง", False, ()),
        ("๑,๗๕๐", V(1750), "", False, ()),
        ("๑๓,๖๕๐", V(13650), "", False, ()),
        ("1,234,567.5", V("1234567.5"), "", False, ()),
        ("๐", V(0), "", False, ()),
        ("ร้อยละ ๖๓", V(63), "", True, ()),
        ("ร้อยละ๑๐๐", V(100), "", True, ()),
        ("รอยละ ๕๑", V(51), "", True, ()),
        ("๖๓%", V(63), "", True, ()),
        ("63 %", V(63), "", True, ()),
        ("ไม่น้อยกว่า ร้อยละ ๖๓", V(63), "", True, ("at_least",)),
        ("ไม่เกิน ๒ วัน", V(2), "วัน", False, ("at_most",)),
        ("(1,234)", V(-1234), "", False, ("paren_negative",)),
        ("(๑,๒๓๔.๕๐)", V("-1234.50"), "", False, ("paren_negative",)),
        ("-50", V(-50), "", False, ("negative",)),
        ("- ๕๐", V(50), "", False, ("leading_dash",)),
        ("๕ ๐,๒๐๐", V(50200), "", False, ("joined_spaces",)),
        ("50.200,00", V("50200.00"), "", False, ("swapped_separators",)),
        ("๕๐,๒๐๐,๐๐", V("50200.00"), "", False, ("comma_as_decimal",)),
        ("1.234.567", V(1234567), "", False, ("dot_as_comma",)),
        ("50.200.00", V("50200.00"), "", False, ("dot_as_comma",)),
        ("๑.๗๕๐", V("1.750"), "", False, ("ambiguous_dot",)),
        ("๔,๘๐", V(480), "", False, ("bad_grouping",)),
        ("12,34,567", V(1234567), "", False, ("bad_grouping",)),
        ("1234,567", V(1234567), "", False, ("bad_grouping",)),
        ("1O0", V(100), "", False, ("ocr_confusion",)),
        ("l,250", V(1250), "", False, ("ocr_confusion",)),
        ("๑ฒ,๕๐๐", V(17500), "", False, ("ocr_confusion",)),
        ("50,200.", V(50200), "", False, ("trailing_separator",)),
        (".50", V("0.50"), "", False, ()),
        ("50,,200", V(50200), "", False, ("repeated_separator",)),
        ("\u200b๑๐\u200b", V(10), "", False, ()),
    ],
)
def test_parse_number(s, value, unit, pct, flags):
    p = parse_number(s)
    assert p is not None, s
    assert p.value == value and isinstance(p.value, Decimal)
    assert p.unit == unit
    assert p.is_percent is pct
    for f in flags:
        assert f in p.flags
    if not flags:
        assert p.flags == ()


def test_decimal_exactness():
    p = parse_number("๐.๑")
    assert p.value == Decimal("0.1") and str(p.value) == "0.1"
    assert parse_number("๕๐,๒๐๐.๐๐").value.as_tuple().exponent == -2


@pytest.mark.parametrize("s,value", [("-๑", 1), ("๑-", 1), ("๓ -", 3), ("-๒,๕๐๐.๐๐", Decimal("2500.00")), ("๑๒–", 12)])
def test_unsigned_column_reads_a_stuck_dash_as_a_mark(s, value):
    # a plan's counts and amounts are never negative: the dash beside the figure is the next cell's "-"
    # or a rule's stub, read with it by the recognizer
    p = parse_number(s, unsigned=True, max_decimals=2)
    assert p is not None and p.value == value and "stray_dash" in p.flags
    signed = parse_number(s)
    assert signed is None or signed.value == -value


def test_unsigned_keeps_blanks_and_bullets():
    assert parse_number("-", unsigned=True) is None
    assert parse_number("--", unsigned=True) is None
    p = parse_number("- ๕๐", unsigned=True)
    assert p.value == 50 and p.flags == ("leading_dash",)
    assert parse_number("๕๐", unsigned=True).flags == ()


@pytest.mark.parametrize("s", ["(๑)", "(1)", "( ๒ )", "(๑๒)"])
def test_paren_code(s):
    assert parse_number(s) is None
    p = parse_number(s, allow_code=True)
    assert p is not None and p.value > 0 and "paren_code" in p.flags


@pytest.mark.parametrize(
    "s",
    ["abc", "สหกรณ์", "(๑) สหกรณ์ภาคการเกษตร", "๕๐ แห่ง/๑ กลุ่ม", "๑ การวางแผนการปฏิบัติงาน", "1 2 a", "๑๐ ครั้ง ๕ ครั้ง",
     "O", "lll", "ฒ", "%", "ร้อยละ", "(", ")", "1" * 200],
)
def test_not_a_number(s):
    assert parse_number(s) is None


def test_parsed_number_frozen():
    p = ParsedNumber(Decimal(1))
    with pytest.raises(Exception):
        p.value = Decimal(2)  # type: ignore[misc]
    assert p.unit == "" and p.is_percent is False and p.flags == ()


def test_parse_amounts():
    a = parse_amounts("๕๐ แห่ง/๑ กลุ่ม")
    assert [(x.value, x.unit) for x in a] == [(50, "แห่ง"), (1, "กลุ่ม")]
    a = parse_amounts("- งบบุคลากร ๕๐,๒๐๐.๐๐ บาท")
    assert [(x.value, x.unit) for x in a] == [(Decimal("50200.00"), "บาท")]
    a = parse_amounts("ไม่น้อยกว่า ร้อยละ ๖๓")
    assert len(a) == 1 and a[0].is_percent and a[0].value == 63 and "at_least" in a[0].flags
    a = parse_amounts("๑๐ ครั้ง, ๒ รุ่น")
    assert [(x.value, x.unit) for x in a] == [(10, "ครั้ง"), (2, "รุ่น")]
    assert parse_amounts("") == [] and parse_amounts("ไม่มี") == []
    assert parse_amounts("(๑) ประชุม") == []
    a = parse_amounts("๓ ฟอง")
    assert a[0].unit == "ฟอง" and "unknown_unit" in a[0].flags


def test_lone_digit_of_the_other_system_is_debris():
    from extract.normalize.digits import drop_foreign_digit

    assert drop_foreign_digit("๑๑,๗๕๐ 1") == ("๑๑,๗๕๐", True)
    assert drop_foreign_digit("8 ๑๔,๖๐๐") == ("๑๔,๖๐๐", True)
    assert drop_foreign_digit("๙ ๑,๑๐๐") == ("๙ ๑,๑๐๐", False)     # same system: may be one number
    assert drop_foreign_digit("12,500 ๑") == ("12,500", True)
    assert drop_foreign_digit("๑ 2") == ("๑ 2", False)               # no number of two digits to keep
    assert drop_foreign_digit("๕๐ บาท") == ("๕๐ บาท", False)
