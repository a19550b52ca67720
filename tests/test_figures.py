"""Tables that are not plan forms, built by hand (no OCR): figures known by content, read as written, and
the totals the table states checked."""
from decimal import Decimal

from extract import figures, plan
from extract.types import BBox, Cell, CellKind, Table
from tests.test_plan import table_of


def generic_table(rows: list[list[str]], conf: float = 0.95) -> Table:
    """A ruled table, one cell per text, roles and values as the pipeline gives them."""
    cells = []
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            box = BBox(c * 10, r * 10, (c + 1) * 10, (r + 1) * 10)
            cells.append(Cell(0, r, c, 1, 1, box, box.scaled(1 / 60, 1 / 120), text_raw=text, confidence=conf))
    return table_of(cells, len(rows), len(rows[0]))


# budget by kind for two activities, a total row and a total column; 0.6667 x 2 = 1.3334 (rounded parts)
ACTIVITIES = [
    ["กิจกรรม", "งบดำเนินงาน", "งบลงทุน", "รวม"],
    ["รวมทั้งสิ้น", "1.3334", "2.0000", "3.3334"],
    ["1. บริการผู้เข้าชม", "0.6667", "1.0000", "1.6667"],
    ["2. พัฒนาพื้นที่", "0.6667", "1.0000", "1.6667"],
]


def at(t: Table) -> dict:
    return {(c.row, c.col): c for c in t.cells}


def test_figures_of_a_table_that_is_not_a_plan_form_are_numbers():
    t = generic_table([
        ["แหล่งเงิน", "งบประมาณ", "", "หมายเหตุ"],
        ["", "ปี 2565", "ปี 2566", ""],
        ["รวมทั้งสิ้น", "103.6462", "109,849,900", "ดูข้อ 7"],
        ["- งบบุคลากร", "-", "(1,250)", "โอนจากข้อ 3"],
        ["- งบดำเนินงาน", "๒๐.๕", "", ""],
        ["- งบลงทุน", "ไม่มี", "12.5%", "-"],
        ["เชิงปริมาณ", "3,900 ( 3,900 )", "5 (-)", ""],
    ])
    assert not t.layout.found
    c = at(t)
    assert c[(2, 1)].kind == CellKind.NUMBER and c[(2, 1)].value == Decimal("103.6462")   # four decimals kept
    assert c[(2, 2)].value == Decimal("109849900")
    assert c[(3, 2)].value == Decimal("-1250")          # brackets: negative, as written
    assert c[(4, 1)].value == Decimal("20.5")           # Thai digits
    assert c[(5, 2)].value == Decimal("12.5")
    assert c[(6, 1)].value == Decimal("3900") and "bracketed_second" in c[(6, 1)].flags   # plan (outturn)
    assert c[(6, 2)].value == Decimal("5")
    assert c[(3, 1)].kind == CellKind.DASH
    assert c[(5, 1)].kind == CellKind.TEXT and "unparsed" in c[(5, 1)].flags   # a word among figures: doubted
    # the year above the figures, the labels and a column of notes stay text
    assert c[(1, 1)].kind == CellKind.TEXT and c[(1, 1)].role == ""
    assert all(c[(r, 0)].kind == CellKind.TEXT for r in range(2, 7))
    assert all(c[(r, 3)].role == "" and c[(r, 3)].value is None for r in (2, 3))


def test_a_title_year_as_tesseract_reads_it_is_no_figure():
    """``ปี 2565`` read ``U 2565`` (Tesseract on a Thai title) looks like a figure by its digits: a Buddhist-Era
    year after a short word, or alone in the top row, is the column's title; a figure 2565 below is a figure."""
    t = generic_table([
        ["รายการ", "2565", "U ๒๕๖๖"],
        ["รวม", "2565", "12.5000"],
        ["- ก", "2000", "10.0000"],
        ["- ข", "565", "2.5000"],
    ])
    c = at(t)
    assert c[(0, 1)].value is None and c[(0, 2)].value is None
    assert [c[(r, 1)].value for r in (1, 2, 3)] == [Decimal("2565"), Decimal("2000"), Decimal("565")]
    assert c[(1, 2)].value == Decimal("12.5000")


def sources_table(total: str = "238.5660") -> Table:
    return generic_table([
        ["ตัวชี้วัด/ แหล่งเงิน", "หน่วยนับ", "ปี 2565", "ปี 2566"],
        ["เชิงคุณภาพ : ค่าใช้จ่ายต่อคน", "ร้อยละ", "5 (-)", "5"],
        ["รวมทั้งสิ้น", "ล้านบาท", total, "278.2326"],
        ["เงินงบประมาณ", "ล้านบาท", "196.5660", "232.2326"],
        ["- งบดำเนินงาน", "ล้านบาท", "-", "-"],
        ["- งบลงทุน", "ล้านบาท", "86.1475", "123.6369"],
        ["- งบเงินอุดหนุน", "ล้านบาท", "110.4185", "108.5957"],
        ["เงินนอกงบประมาณ", "ล้านบาท", "42.0000", "46.0000"],
        ["- เงินรายได้", "ล้านบาท", "42.0000", "46.0000"],
    ])


def test_a_budget_tables_totals_hold_and_confirm_its_figures():
    t = sources_table()
    checks = figures.evaluate_totals(t)
    names = sorted((k.name, k.total) for k in checks)
    # รวมทั้งสิ้น = the two sources (not the bulleted rows, not the indicator above it); each source = its bullets
    assert ("column_total", (2, 2)) in names and ("subtotal", (3, 2)) in names and ("subtotal", (7, 2)) in names
    tot = next(k for k in checks if k.total == (2, 2))
    assert set(tot.parts) == {(3, 2), (7, 2)} and tot.holds
    assert figures.check_totals(t) == []
    c = at(t)
    assert "checked" in c[(5, 2)].flags and c[(5, 2)].confidence == plan.CHECKED_CONF
    assert c[(1, 2)].value == Decimal("5") and "checked" not in c[(1, 2)].flags   # the indicator is in no total


def test_a_total_that_does_not_hold_flags_its_figures():
    t = sources_table(total="283.5660")   # a digit misread in the grand total
    fails = figures.check_totals(t)
    assert [(k.name, k.total) for k in fails] == [("column_total", (2, 2))]
    c = at(t)
    assert "sum_mismatch" in c[(2, 2)].flags and c[(2, 2)].confidence <= plan.SUSPECT_CAP
    assert "checked" in c[(5, 3)].flags   # the other year's figures still hold


def test_a_total_column_and_rounding():
    t = generic_table(ACTIVITIES)
    checks = figures.evaluate_totals(t)
    assert sorted(k.name for k in checks) == ["column_total"] * 3 + ["row_total"] * 3
    assert all(k.holds for k in checks)
    t2 = generic_table([ACTIVITIES[0], ACTIVITIES[2][:3] + ["1.6672"], ACTIVITIES[3]])
    assert [k.total for k in figures.evaluate_totals(t2) if not k.holds] == [(1, 3)]   # 5 units off is not rounding


def test_a_plan_forms_columns_are_not_guessed_by_content():
    from tests.test_plan import body_ok, make_table

    t = make_table(body_ok())
    assert t.layout.found
    assert not any(c.role == plan.ROLE_NUMBER for c in t.cells)
    assert figures.evaluate_totals(t) == []


def test_each_figure_is_a_tidy_row_with_its_labels_and_unit():
    t = sources_table()
    figures.check_totals(t)
    rows = figures.to_figures(t, "bill.pdf", 3)
    assert len(rows) == 14   # 6 rows with values (not the dashes) and the indicator above them, x 2 years
    f = {(x.row, x.col): x for x in rows}
    assert f[(5, 2)].row_label == "- งบลงทุน" and f[(5, 2)].row_group == "เงินงบประมาณ"
    assert f[(8, 3)].row_group == "เงินนอกงบประมาณ" and f[(3, 2)].row_group == ""
    assert f[(5, 2)].column_label == "ปี 2565" and f[(5, 2)].unit == "ล้านบาท"   # from the หน่วยนับ column
    assert f[(1, 2)].unit == "ร้อยละ" and f[(1, 2)].value == Decimal("5")
    assert f[(5, 2)].value == Decimal("86.1475") and "checked" in f[(5, 2)].flags
    assert (f[(5, 2)].document, f[(5, 2)].page, f[(5, 2)].table) == ("bill.pdf", 3, 0)
    assert (4, 2) not in f   # a dash is no figure


def test_row_numbers_and_card_numbers_are_not_figures():
    t = generic_table([
        ["ลำดับที่", "เลขที่บัตร", "ชื่อ-สกุล", "คะแนน"],
        ["1", "028", "นายเกษม ศุภรานนท์", "12"],
        ["2", "030", "นายเกษมสันต์ มีทิพย์", "7"],
        ["3", "031", "นายเกียรติ สิทธีอมร", "15"],
        ["4", "032", "นายโกศล ปัทมะ", "9"],
    ])
    c = at(t)
    assert all(c[(r, 0)].role == "" and c[(r, 1)].role == "" for r in range(1, 5))
    assert [c[(r, 3)].value for r in range(1, 5)] == [Decimal(12), Decimal(7), Decimal(15), Decimal(9)]
    assert figures.parse_figure("028") is None and figures.parse_figure("0.2378").value == Decimal("0.2378")


def test_a_figure_without_a_unit_column_takes_the_pages_unit():
    assert figures.page_unit("แผนงานพื้นฐาน\nหน่วย : ล้านบาท\n") == "ล้านบาท"
    assert figures.page_unit("หน่วย:ล้านบาท") == "ล้านบาท" and figures.page_unit("ราคาต่อหน่วยต่ำกว่า 1 ล้านบาท") == ""
    t = generic_table(ACTIVITIES)
    rows = figures.to_figures(t, "bill.pdf", 3, default_unit="ล้านบาท")
    assert len(rows) == 9 and all(f.unit == "ล้านบาท" and "unit_from_page" in f.flags for f in rows)
    s = sources_table()   # its หน่วยนับ column wins over the page's
    assert all("unit_from_page" not in f.flags for f in figures.to_figures(s, "bill.pdf", 3, default_unit="บาท"))


def test_a_total_that_only_echoes_one_doubted_figure_is_no_firm_confirmation():
    def run(conf: float):
        t = generic_table([["กิจกรรม", "งบประมาณ"], ["รวมทั้งสิ้น", "9,150"], ["1. บริการผู้เข้าชม", "9,150"]], conf)
        for c in t.cells:
            if c.value:
                c.tesseract_text = "9,250"   # Tesseract's 2 where the reader has 1: not a misreading it makes
        assert figures.check_totals(t) == []
        return at(t)

    c = run(0.4)
    assert all("checked" in c[rc].flags and c[rc].confidence == plan.CHOSEN_CONF for rc in ((1, 1), (2, 1)))
    c = run(0.95)   # read surely: the echo confirms as any total does
    assert c[(1, 1)].confidence == plan.CHECKED_CONF
