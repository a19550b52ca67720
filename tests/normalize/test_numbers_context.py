"""Column context for numbers: baht never has three decimals; a satang column that lost its point."""
from decimal import Decimal

from extract.normalize.numbers import parse_number


def test_dot_with_three_digits_is_a_thousands_separator_in_money_and_counts():
    p = parse_number("๘๒.๓๐๐", max_decimals=2)
    assert p.value == Decimal("82300") and "dot_as_comma" in p.flags
    # without context it stays a decimal, flagged as ambiguous
    q = parse_number("๘๒.๓๐๐")
    assert q.value == Decimal("82.300") and "ambiguous_dot" in q.flags
    # a dot after four digits cannot group thousands: kept as a decimal
    assert parse_number("1234.567", max_decimals=2).value == Decimal("1234.567")


def test_lost_decimal_point_restored_only_in_a_satang_column():
    p = parse_number("๖,๙๕๐๐๐", max_decimals=2, decimals=2)
    assert p.value == Decimal("6950.00") and "missing_decimal_point" in p.flags
    assert parse_number("๑๒๖,๙๕๑๕๐", decimals=2).value == Decimal("126951.50")
    assert parse_number("๖,๙๕๐๐๐", max_decimals=2).value == Decimal("695000")
    # well-formed numbers are untouched
    assert parse_number("๖,๙๕๐.๐๐", decimals=2).value == Decimal("6950.00")
    assert parse_number("๑๒,๓๔๕", decimals=2).value == Decimal("12345")


def test_single_comma_before_two_digits_is_the_decimal_point_only_in_a_satang_column():
    p = parse_number("๘๕๐,๕๐", max_decimals=2, decimals=2)
    assert p.value == Decimal("850.50") and "comma_as_decimal" in p.flags and "bad_grouping" not in p.flags
    # without the column's satang it stays a (badly grouped) integer
    q = parse_number("๘๕๐,๕๐", max_decimals=2)
    assert q.value == Decimal("85050") and "bad_grouping" in q.flags
    assert parse_number("๔,๘๐", decimals=0).value == Decimal("480")


def test_dash_before_two_last_digits_is_the_decimal_point_only_in_a_satang_column():
    p = parse_number("๑๘๐,๕๐๒-๐๐", max_decimals=2, decimals=2)
    assert p.value == Decimal("180502.00") and p.flags == ("dash_as_decimal",)
    assert parse_number("๕๐๒-๕๐ บาท", decimals=2).value == Decimal("502.50")
    # anywhere else the text is not one number
    assert parse_number("๑๘๐,๕๐๒-๐๐", max_decimals=2) is None
    assert parse_number("๑,๒๓๔-๕๖", decimals=0) is None
    # not a decimal point: three digits after it, a dot already there, badly grouped thousands
    assert parse_number("๑,๐๐๐-๐๐๐", decimals=2) is None
    assert parse_number("๑,๐๐๐.๕-๐๐", decimals=2) is None
    assert parse_number("๑๒,๕๐-๐๐", decimals=2) is None
    # a dash that is a sign or a stray mark is handled as before
    assert parse_number("-๑๒", decimals=2, unsigned=True).flags == ("stray_dash",)


def test_several_dots_before_four_digits_end_in_a_decimal_point():
    p = parse_number("1.028.9518", free_decimals=True)   # Tesseract's reading of a budget bill's 1,028.9518
    assert p.value == Decimal("1028.9518") and "dot_as_comma" in p.flags
    assert parse_number("1.028.950", free_decimals=True).value == Decimal("1028950")   # three digits: thousands
    assert parse_number("1.028.9518", max_decimals=2).value == Decimal("10289518")    # a column of baht
    assert parse_number("1.028.9518").value == Decimal("10289518")


def test_a_comma_before_four_digits_is_a_decimal_point_only_where_decimals_are_free():
    p = parse_number("๑๐๓,๖๔๖๒", free_decimals=True)    # a budget bill's ๑๐๓.๖๔๖๒ (millions of baht), its point read as a comma
    assert p.value == Decimal("103.6462") and "comma_as_decimal" in p.flags
    assert parse_number("1,028,9518", free_decimals=True).value == Decimal("1028.9518")
    for q in (parse_number("๑๐๓,๖๔๖๒", max_decimals=2), parse_number("๑๐๓,๖๔๖๒")):   # elsewhere: digits kept, doubted
        assert q.value == Decimal("1036462") and "bad_grouping" in q.flags
