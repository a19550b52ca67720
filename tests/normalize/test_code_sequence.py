"""Activity codes corrected from their order: a misread code is replaced only when the sequence decides."""
import pytest

from extract.normalize.codes import can_follow, repair_code_sequence


@pytest.mark.parametrize("read, garbled, truth", [
    (["1.1", "1.2", "1.3", "1.5", "(1)", "(2)"], None, ["1.1", "1.2", "1.3", "1.4", "(1)", "(2)"]),
    (["1.0", "1.2", "(0)", "(2)", "(3)"], None, ["1.1", "1.2", "(1)", "(2)", "(3)"]),
    (["2.1", "2.2", "2.3", "(1)", "(2)", "(3)", "(1)"], None, ["2.1", "2.2", "2.3", "(1)", "(2)", "(3)", "(4)"]),
    (["2.1", "22", "3.1", "(1)"], None, ["2.1", "2.2", "3.1", "(1)"]),
    (["2.4", "(19)", "(2)", "(3)"], None, ["2.4", "(1)", "(2)", "(3)"]),
    (["3.1", "4.1", "17", "4.3"], None, ["3.1", "4.1", "4.2", "4.3"]),
    (["4.3", "", "(2)", "(3)"], [False, True, False, False], ["4.3", "(1)", "(2)", "(3)"]),
])
def test_misread_codes_repaired(read, garbled, truth):
    assert repair_code_sequence(read, garbled) == truth


@pytest.mark.parametrize("codes", [
    ["1", "1.1", "1.2", "2", "2.1", "(1)", "(2)", "2.2", "(1)", "3", "3.1"],
    ["3.1", "3.1.2", "(1)", "(2)", "(3)", "(4)"],      # a first child need not be numbered 1
    ["2.1", "3.1", "3.2", "4.1", "4.2"],                # headings without records are skipped
    ["", "1.2", "1.3", "", "2.1"],                      # empty codes stay empty
])
def test_valid_sequences_untouched(codes):
    assert repair_code_sequence(codes) == codes


def test_unresolvable_code_is_kept_and_not_used_as_context():
    # "4.2.3" after misread "5.x" codes: nothing decides, so it stays; the digits differ in the first place
    assert repair_code_sequence(["3", "3.1", "4", "5.1", "5.2", "4.2.3", "(1)"])[5] == "4.2.3"
    assert not can_follow(["(3)"], "(1)") and can_follow(["(3)", "2.1"], "(1)")
    assert can_follow(["(3)"], "(5)", slack=1) and not can_follow(["(3)"], "(5)")


def test_code_found_behind_ocr_debris():
    from extract.normalize.codes import split_code_after_debris as split

    assert split("ข ข ส4เ a ส ๓.๒ เจ้าหน้าที่ส่งเสริม") == ("3.2", "เจ้าหน้าที่ส่งเสริม")
    assert split("๑7 เชว y & ๒.๑ ยกระดับชั้น") == ("2.1", "ยกระดับชั้น")
    assert split("การตรวจสอบ ๑.๒ ก") == ("", "การตรวจสอบ ๑.๒ ก")      # words before it: not a code
    assert split("๒ การดำเนินงานตามแผน") == ("2", "การดำเนินงานตามแผน")


def test_unreadable_code_under_its_heading_and_garbled_last_sub_item():
    assert repair_code_sequence(["1", "1.1", "1.2", "2", "17", "3", "3.1"])[4] == "2.1"
    assert repair_code_sequence(["3.1", "3.2", "(1)", "(2)", "(3)", ""], [False] * 5 + [True])[5] == "(4)"


def test_heading_decides_the_first_number_and_the_second_code_checks_the_first():
    assert repair_code_sequence(["3", "3.1", "4", "5.1", "5.2", "4.2.3", "(1)"]) == ["3", "3.1", "4", "4.1", "4.2", "4.2.3", "(1)"]
    assert repair_code_sequence(["3.10", "3.2", "(1)"]) == ["3.1", "3.2", "(1)"]


def test_lost_dot_alternative_and_first_child_only_under_a_heading():
    # ``๒๒`` after item ``2.1`` is ``2.2`` (not a child of 2.1)
    assert repair_code_sequence(["2", "2.1", "22", "3", "3.1"]) == ["2", "2.1", "2.2", "3", "3.1"]
    # ``๔ ๓ …`` read as heading 4 where 4 was already open: its alternative ``4.3`` fits
    read = ["4", "4.1", "4.2", "4", "4"]
    alts = [[], [], [], ["4.3"], ["4.3.3"]]
    assert repair_code_sequence(read, None, alts) == ["4", "4.1", "4.2", "4.3", "4.3.3"]
    assert repair_code_sequence(["3", "4"], None, [[], ["4.1"]]) == ["3", "4"]   # a real heading stays


def test_speck_after_a_code_makes_it_two_digits():
    """``๓.๑`` with a speck after it reads ``3.10``: it can follow heading 3, but 3.2 cannot follow it;
    dropping the extra digit makes both fit. A real 3.10 before 3.11 stays."""
    assert repair_code_sequence(["3", "3.10", "3.2", "(1)"]) == ["3", "3.1", "3.2", "(1)"]
    assert repair_code_sequence(["3.9", "3.10", "3.11"]) == ["3.9", "3.10", "3.11"]
    # a misread next code is no reason to change a right one
    assert repair_code_sequence(["3", "3.1", "3.3", "3.4"])[1] == "3.1"


def test_misread_heading_follows_its_items():
    # the first heading of a page read ``1`` over items ``2.1``, ``2.1.2`` and before heading ``3``: it is ``2``
    assert repair_code_sequence(["1", "2.1", "2.1.2", "3", "3.1", "(1)"]) == ["2", "2.1", "2.1.2", "3", "3.1", "(1)"]
    assert repair_code_sequence(["1", "2.1", "3", "3.1"])[0] == "2"          # one item, and the next heading
    # one item and nothing else to decide: the heading is kept; a heading that follows its history is kept
    assert repair_code_sequence(["1", "2.1"])[0] == "1"
    assert repair_code_sequence(["3", "3.1", "4", "5.1", "5.2"])[2] == "4"


def test_codes_two_readers_agree_on_stay_out_of_order():
    """Forms do number ``3.1.3`` before ``3.1.2``: read alike by Tesseract and the numeral recognizer
    (keep), the code stays; the same code read by one reader only is put in order."""
    seq = ["3", "3.1", "3.1.3", "3.1.2", "(1)", "(2)"]
    assert repair_code_sequence(seq, keep=[False, False, True, True, False, False]) == seq
    assert repair_code_sequence(seq)[3] != "3.1.2"


def test_the_other_readers_code_is_taken_when_the_first_does_not_fit():
    """The recognizer read ``(9)`` where Tesseract read ``(3)``: ``(9)`` cannot follow ``(2)``, the other
    reading can."""
    assert repair_code_sequence(["(1)", "(2)", "(9)", "(4)"], alternatives=[[], [], ["(3)"], []]) == \
        ["(1)", "(2)", "(3)", "(4)"]


def test_tesseract_digit_confusions_allow_the_recognizers_code():
    from extract.pipeline import _may_mean

    assert _may_mean("5.1", "4.1", True)          # ๔ read ๕ by Tesseract
    assert _may_mean("9.9", "1.1", True)          # ๑ written as an Arabic 9
    assert not _may_mean("1.2", "9.2", True)      # Tesseract reads ๑ right; a ๙ it would write ๕ or ๓
    assert not _may_mean("5.1", "4.1", False)     # Arabic digits: Tesseract reads them
