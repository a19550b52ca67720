"""Choosing among a cell's readings by the form's arithmetic (`extract.arith`), on hand-built tables."""
from decimal import Decimal

from extract import arith, plan

from test_plan import body_ok, make_table


def _run(t):
    rows = plan.classify_rows(t, t.layout)
    chosen = arith.choose_readings(rows, t.layout)
    fails = plan.apply_checks(rows, t.layout)
    return chosen, fails


def test_a_doubtful_reading_is_replaced_by_the_alternative_both_sums_hold_with():
    body = body_ok()
    body[0][4] = "๑,๒๕๐"   # October budget misread (truth ๑,๗๕๐)
    t = make_table(body)
    bad = t.cell_at(2, 4)
    bad.confidence = 0.6
    bad.alternatives = [("๑,๗๕๐", 0.3), ("๑,๒๕", 0.1)]
    total, other = t.cell_at(4, 4), t.cell_at(2, 6)
    total.confidence = other.confidence = 0.4
    chosen, fails = _run(t)
    assert fails == [] and len(chosen) == 1
    assert bad.value == Decimal(1750) and bad.text == "๑,๗๕๐" and "chosen_by_sum" in bad.flags
    assert bad.confidence <= arith.CHOSEN_CONF and bad.ocr_confidence == 0.6
    assert bad.alternatives[0] == ("๑,๒๕๐", 0.6)     # the reading it replaced, kept
    assert bad.text_raw == "๑,๒๕๐"
    # the October total holds only with the chosen value: confirmed no more than it; November's budget
    # also holds in its own column, without it
    assert total.confidence == plan.CHOSEN_CONF and other.confidence == plan.CHECKED_CONF


def test_a_sure_reading_is_not_second_guessed():
    body = body_ok()
    body[0][4] = "๑,๒๕๐"
    t = make_table(body)
    bad = t.cell_at(2, 4)   # confidence 0.99
    bad.alternatives = [("๑,๗๕๐", 0.3)]
    chosen, fails = _run(t)
    assert chosen == [] and bad.value == Decimal(1250) and fails


def test_two_doubtful_cells_that_could_each_mend_the_sum_are_left_alone():
    body = body_ok()[:2]   # no total row: one equation per row
    body[0][4] = "๑,๒๕๐"   # truth ๑,๗๕๐: row sum short by 500
    t = make_table(body)
    a, b = t.cell_at(2, 4), t.cell_at(2, 6)
    a.confidence, a.alternatives = 0.6, [("๑,๗๕๐", 0.3)]
    b.confidence, b.alternatives = 0.6, [("๒,๒๕๐", 0.3)]   # would also make the row hold
    chosen, _fails = _run(t)
    assert chosen == [] and a.value == Decimal(1250) and b.value == Decimal(1750)


def test_a_count_row_with_two_doubtful_cells_is_not_mended_by_compensation():
    body = body_ok()
    body[0][1] = "๔ ครั้ง"                     # months ๑ ๑ ๒ add up to ๔
    body[0][3], body[0][7] = "๒", "๒"          # October misread ๒ (truth ๑): the row adds up to ๕
    t = make_table(body)
    wrong, right = t.cell_at(2, 3), t.cell_at(2, 7)
    wrong.confidence, wrong.alternatives = 0.6, [("๗", 0.2)]   # its truth not among its readings
    right.confidence, right.alternatives = 0.5, [("๑", 0.3)]   # read right; ๑ would make the row hold
    chosen, _fails = _run(t)
    assert chosen == [] and right.value == Decimal(2)
    # the same row with October read surely: December is the only doubtful count, and is changed
    t = make_table(body)
    right = t.cell_at(2, 7)
    right.confidence, right.alternatives = 0.5, [("๑", 0.3)]
    chosen, _fails = _run(t)
    assert right.value == Decimal(1) and "chosen_by_sum" in right.flags


def test_the_part_of_a_joined_reading_and_tesseracts_reading_are_tried():
    body = body_ok()
    body[0][4] = "๖ ๑,๗๕๐"   # a speck read beside the amount: 61,750
    t = make_table(body)
    bad = t.cell_at(2, 4)
    bad.confidence = 0.5
    chosen, fails = _run(t)
    assert fails == [] and bad.value == Decimal(1750) and "chosen_by_sum" in bad.flags
    body = body_ok()
    body[1][4] = "๕๕๐"   # truth ๕๐๐; the recognizer offers nothing else, Tesseract read it right
    t = make_table(body)
    bad = t.cell_at(3, 4)
    bad.confidence, bad.tesseract_text = 0.5, "๕๐๐"
    chosen, fails = _run(t)
    assert fails == [] and bad.value == Decimal(500)


def test_a_sure_misreading_takes_tesseracts_reading_when_the_count_row_then_holds():
    body = body_ok()
    body[0][3] = "๖"   # October work: a stamp made ๑ a ๖, read surely; Tesseract read ๑
    t = make_table(body)
    bad = t.cell_at(2, 3)
    bad.confidence, bad.tesseract_text = 0.97, "๑"
    chosen, _fails = _run(t)
    assert bad.value == Decimal(1) and "chosen_by_sum" in bad.flags and bad.confidence <= arith.CHOSEN_CONF
    # not when another count of the row is doubtful and Tesseract does not back it
    t = make_table(body)
    bad, other = t.cell_at(2, 3), t.cell_at(2, 5)
    bad.confidence, bad.tesseract_text = 0.97, "๑"
    other.confidence = 0.6
    chosen, _fails = _run(t)
    assert chosen == [] and bad.value == Decimal(6)
    # ... unless Tesseract read that one alike
    t = make_table(body)
    bad, other = t.cell_at(2, 3), t.cell_at(2, 5)
    bad.confidence, bad.tesseract_text = 0.97, "๑"
    other.confidence, other.tesseract_text = 0.6, "1"
    _run(t)
    assert bad.value == Decimal(1)
