import datetime as dt

import pytest

from extract.normalize import (
    MONTH_ABBRS, MONTH_NAMES, be_to_ce, calendar_to_fiscal, ce_to_be, decode_month_header, find_dates,
    fiscal_quarter, fiscal_to_calendar, fiscal_to_gregorian, match_month, month_scores, parse_thai_date,
)

HEADER = list(MONTH_ABBRS)


def test_calendar_table():
    assert [fiscal_to_gregorian(2566, m) for m in range(1, 13)] == [
        "2022-10", "2022-11", "2022-12", "2023-01", "2023-02", "2023-03",
        "2023-04", "2023-05", "2023-06", "2023-07", "2023-08", "2023-09",
    ]
    assert [fiscal_quarter(m) for m in range(1, 13)] == [1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4]
    assert [calendar_to_fiscal(m) for m in range(1, 13)] == [4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3]
    for m in range(1, 13):
        assert calendar_to_fiscal(fiscal_to_calendar(m)) == m
    for bad in (0, 13, -1):
        with pytest.raises(ValueError):
            fiscal_quarter(bad)
        with pytest.raises(ValueError):
            calendar_to_fiscal(bad)


@pytest.mark.parametrize("variant", ["{a}", "{a}".replace(".", ""), "{s}", "{d}"])
def test_abbreviation_variants(variant):
    for fm, abbr in enumerate(MONTH_ABBRS, 1):
        s = variant.format(a=abbr, s=abbr.replace(".", ". ").strip(), d=abbr.rstrip("."))
        if variant == "{a}".replace(".", ""):
            s = abbr.replace(".", "")
        assert match_month(s) == fm, s


def test_specific_variants():
    assert match_month("ต.ค.") == match_month("ตค") == match_month("ต.ค") == match_month("ต. ค.") == 1
    assert match_month("ก.ุพ.") == 5
    for fm, name in enumerate(MONTH_NAMES, 1):
        assert match_month(name) == fm
    assert match_month("ค.ค.") is None  # ambiguous on its own: ต.ค.? ก.ค.? พ.ค.?
    assert match_month("") is None and match_month("xyz") is None
    sc = month_scores("ต.ค.")
    assert len(sc) == 12 and sc[0] == 1.0 and all(0 <= x <= 1 for x in sc)


def test_decode_clean_header():
    g = decode_month_header(HEADER)
    assert [x.fiscal_month for x in g] == list(range(1, 13))
    assert not any(x.inferred for x in g)
    assert [x.text for x in g] == HEADER


@pytest.mark.parametrize("first", ["ค.ค.", "ก.ค.", "", "ต.ค", "ด.ค."])
def test_decode_first_month_garbled(first):
    g = decode_month_header([first] + HEADER[1:])
    assert [x.fiscal_month for x in g] == list(range(1, 13))
    assert g[0].text == "ต.ค."
    if first in ("ค.ค.", "ก.ค.", ""):
        assert g[0].inferred
    assert all(not x.inferred for x in g[1:])
    assert 0 < g[0].confidence <= 1


def test_decode_seed_header_with_blanks_removed():
    seed = "ค.ค. พ.ย. ธ.ค. ม.ค. ก.พ. มี.ค. เม.ย. พ.ค. มิ.ย. ก.ค. ส.ค. ก.ย.".split()
    assert [x.fiscal_month for x in decode_month_header(seed)] == list(range(1, 13))


def test_decode_mid_year_run():
    g = decode_month_header(["ม.ค", "ก.ุพ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย."])
    assert [x.fiscal_month for x in g] == [4, 5, 6, 7, 8, 9]
    g = decode_month_header(["ก.ค.", "ส.ค.", "ก.ย."])
    assert [x.fiscal_month for x in g] == [10, 11, 12]
    assert decode_month_header([]) == []


def test_be_ce():
    assert be_to_ce(2566) == 2023 and ce_to_be(2023) == 2566


@pytest.mark.parametrize(
    "s,expected",
    [
        ("๑๑ สิงหาคม ๒๕๖๕", dt.date(2022, 8, 11)),
        ("๑๑ ส.ค. ๖๕", dt.date(2022, 8, 11)),
        ("11/08/2565", dt.date(2022, 8, 11)),
        ("11 ส.ค. 2565", dt.date(2022, 8, 11)),
        ("๑/๑๐/๒๕๖๕", dt.date(2022, 10, 1)),       # month 10 (thai_strptime reads it as January)
        ("15/11/2565", dt.date(2022, 11, 15)),      # month 11
        ("๓๐/๑๑/๒๕๖๖", dt.date(2023, 11, 30)),
        ("1-10-2565", dt.date(2022, 10, 1)),
        ("๓๑ ต.ค.๖๕", dt.date(2022, 10, 31)),
        ("๑๕ ตค ๒๕๖๖", dt.date(2023, 10, 15)),
        ("๑ กพ ๒๕๖๖", dt.date(2023, 2, 1)),
        ("12 พฤศจิกายน พ.ศ. 2565", dt.date(2022, 11, 12)),
        ("5 พ.ย. 2022", dt.date(2022, 11, 5)),
        (" ๑ ตุลาคม ๒๕๖๕ ", dt.date(2022, 10, 1)),
        ("๒๙ กุมภาพันธ์ ๒๕๖๗", dt.date(2024, 2, 29)),
    ],
)
def test_parse_thai_date(s, expected):
    assert parse_thai_date(s) == expected


@pytest.mark.parametrize("s", ["", "31/02/2565", "๒๙ กุมภาพันธ์ ๒๕๖๖", "13/13/2565", "ไม่มีวันที่", "๑๑ สิงหาคม", "วันที่ ๑๑ สิงหาคม ๒๕๖๕", None])
def test_parse_thai_date_none(s):
    assert parse_thai_date(s) is None


def test_find_dates():
    s = "รวมทั้งกลุ่มเป้าหมาย (ข้อมูล ณ ๑๑ สิงหาคม ๒๕๖๕) และ 1/11/2565 ระดับ ๑ และระดับ ๒"
    hits = find_dates(s)
    assert [h.date for h in hits] == [dt.date(2022, 8, 11), dt.date(2022, 11, 1)]
    assert s[hits[0].start:hits[0].end] == "๑๑ สิงหาคม ๒๕๖๕" == hits[0].text
    assert find_dates("") == [] and find_dates("ปี ๒๕๖๕") == []
