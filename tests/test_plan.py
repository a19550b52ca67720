"""Plan-table interpretation on hand-built tables (no OCR): roles, rows, checks, suggestions, records."""
from decimal import Decimal

from extract import plan
from extract.normalize.months import MONTH_ABBRS
from extract.pipeline import _assign_roles, _normalize_cells
from extract.types import BBox, Cell, GridCell, Table, TableGrid

TH = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")


def make_table(body: list[list[str]], month_texts=MONTH_ABBRS) -> Table:
    """28 columns; row 0 = months (each spanning งาน+งบ), row 1 = งาน/งบ, then body rows of 28 texts."""
    n_cols = 28
    cells = []

    def add(r, c, text, rs=1, cs=1, conf=0.99):
        box = BBox(c * 10, r * 10, (c + cs) * 10, (r + rs) * 10)
        cells.append(Cell(0, r, c, rs, cs, box, box.scaled(1 / 280, 1 / 200), text_raw=text, confidence=conf))

    add(0, 0, "กิจกรรม", rs=2)
    add(0, 1, "เป้าหมาย", cs=2)
    for m in range(12):
        add(0, 3 + 2 * m, month_texts[m], cs=2)
    add(0, 27, "ผู้รับผิดชอบ", rs=2)
    add(1, 1, "งาน")
    add(1, 2, "งบ")
    for m in range(12):
        add(1, 3 + 2 * m, "งาน")
        add(1, 4 + 2 * m, "งบ")
    for i, row in enumerate(body):
        for c, text in enumerate(row):
            add(2 + i, c, text)
    return table_of(cells, 2 + len(body), n_cols)


def table_of(cells: list[Cell], n_rows: int, n_cols: int) -> Table:
    """Cells on a grid of 10-unit squares -> a Table with roles and values as the pipeline gives them."""
    grid = TableGrid(0, BBox(0, 0, n_cols * 10, n_rows * 10), [r * 10 for r in range(n_rows + 1)],
                     [c * 10 for c in range(n_cols + 1)], [GridCell(c.row, c.col, c.row_span, c.col_span, c.box) for c in cells])
    t = Table(0, grid, cells)
    _normalize_cells(t)
    layout = plan.find_layout(t)
    _assign_roles(t, layout)
    _normalize_cells(t)
    return t


def item(code_text, target, target_budget, work, budget):
    row = [code_text, target, target_budget]
    for w, b in zip(work, budget):
        row += [w, b]
    return row + ["นวส."]


def body_ok():
    w = ["1"] * 3 + ["-"] * 9
    b = ["1,750"] * 3 + ["-"] * 9
    return [
        item("(1) ประชุมผู้ส่งเสริมสหกรณ์".translate(TH), "3 ครั้ง".translate(TH), "5,250".translate(TH),
             [x.translate(TH) for x in w], [x.translate(TH) for x in b]),
        item("(2) ค่าวัสดุ", "2 ครั้ง", "1,000", ["1", "", "1"] + [""] * 9, ["500", "", "500"] + [""] * 9),
        ["รวมแผนการใช้จ่ายงบประมาณ (บาท)", "", "6,250", "", "2,250", "", "1,750", "", "2,250"] + [""] * 19,
    ]


def test_layout_roles_and_records():
    t = make_table(body_ok())
    layout = t.layout
    assert layout.found and layout.header_rows == 2
    assert layout.roles[1].role == "target" and layout.roles[2].role == "target_budget"
    assert layout.roles[3].role == "work" and layout.roles[4].role == "budget" and layout.roles[3].fiscal_month == 1
    assert layout.roles[26].fiscal_month == 12 and layout.roles[27].role == "responsible"
    rows = plan.classify_rows(t, layout)
    assert [r.kind for r in rows] == ["item", "item", "total"]
    assert rows[0].code == "(1)" and rows[0].unit == "ครั้ง"
    assert plan.run_checks(rows, layout) == []
    recs = plan.to_records(t, layout, rows, document="d", page=1, fiscal_year=2566, agency="", frac_of=None)
    oct_budget = [r for r in recs if r.row == 2 and r.measure == "budget" and r.month == "2022-10"]
    assert len(oct_budget) == 1 and oct_budget[0].value == Decimal(1750) and oct_budget[0].unit == "baht"
    assert {r.quarter for r in recs} == {1}
    # '-' and empty cells give no record: row 1 has 3 work + 3 budget, row 2 has 2 + 2, total 3 budgets
    assert len(recs) == 6 + 4 + 3


def test_month_header_decoded_by_position():
    garbled = ("ค.ค.",) + MONTH_ABBRS[1:4] + ("A.W.",) + MONTH_ABBRS[5:]
    t = make_table(body_ok(), month_texts=garbled)
    assert t.layout.roles[3].fiscal_month == 1 and t.layout.roles[3].month_inferred
    assert t.layout.roles[11].fiscal_month == 5


def test_sum_mismatch_flags_and_single_suggestion():
    body = body_ok()
    body[0][4] = "๑,๒๕๐"   # October budget misread (truth ๑,๗๕๐)
    t = make_table(body)
    bad = t.cell_at(2, 4)
    bad.confidence = 0.6
    bad.alternatives = [("๑,๗๕๐", 0.3)]
    rows = plan.classify_rows(t, t.layout)
    fails = plan.apply_checks(rows, t.layout)
    assert {f.name for f in fails} == {"row_budget_sum", "column_budget_sum"}
    # only the doubtful cell is suspected; the confidently read target budget is not sent to review
    assert "sum_mismatch" in bad.flags and "sum_mismatch" not in t.cell_at(2, 2).flags
    assert bad.suggested_value == Decimal(1750) and bad.value == Decimal(1250)   # the value read is kept
    assert "suggestion" in bad.flags


def test_confident_misreading_gets_the_value_two_sums_agree_on():
    body = body_ok()
    body[0][4] = "๑,๒๕๐"
    t = make_table(body)
    bad = t.cell_at(2, 4)   # confidence stays 0.99 and the recognizer offers nothing else
    rows = plan.classify_rows(t, t.layout)
    plan.apply_checks(rows, t.layout)
    # no doubtful cell: every cell of the failed checks that no passing check confirms is suspected; the
    # target budget passes its column check (6,250 = 5,250 + 1,000), so it is not
    assert "sum_mismatch" in bad.flags and "sum_mismatch" not in t.cell_at(2, 2).flags
    assert bad.confidence <= plan.SUSPECT_CAP and bad.ocr_confidence == 0.99
    # the row (5,250 - 1,750 - 1,750) and the October column (2,250 - 500) both say 1,750
    assert bad.suggested_value == Decimal(1750) and bad.value == Decimal(1250)


def test_no_suggestion_from_one_sum_or_a_different_number():
    body = body_ok()[:2]       # no total row: only the row's own budget sum
    body[0][4] = "๑,๒๕๐"
    t = make_table(body)
    bad = t.cell_at(2, 4)
    bad.alternatives = [("๑,๗๕๐", 0.3)]   # confidence stays 0.99: a confident cell is not second-guessed
    rows = plan.classify_rows(t, t.layout)
    assert {f.name for f in plan.apply_checks(rows, t.layout)} == {"row_budget_sum"}
    assert bad.suggested_value is None and "sum_mismatch" in bad.flags
    # both sums agree on 1,750 but the cell reads 175 (three digits) and 1,750 is not among its readings:
    # a dropped digit is not a misread glyph, so nothing is suggested
    body = body_ok()
    body[0][4] = "๑๗๕"
    t = make_table(body)
    bad = t.cell_at(2, 4)
    bad.confidence = 0.6
    rows = plan.classify_rows(t, t.layout)
    plan.apply_checks(rows, t.layout)
    assert bad.suggested_value is None and "sum_mismatch" in bad.flags
    # ... unless the recognizer read it that way too
    t = make_table(body)
    bad = t.cell_at(2, 4)
    bad.confidence = 0.6
    bad.alternatives = [("๑๗๕๐", 0.2)]
    plan.apply_checks(plan.classify_rows(t, t.layout), t.layout)
    assert bad.suggested_value == Decimal(1750)


def test_arithmetic_confirms_values():
    t = make_table(body_ok())
    weak = t.cell_at(3, 4)           # row (2), October budget 500, read with little confidence
    weak.confidence = 0.4
    rows = plan.classify_rows(t, t.layout)
    assert plan.apply_checks(rows, t.layout) == []
    assert "checked" in weak.flags and weak.confidence == plan.CHECKED_CONF and weak.ocr_confidence == 0.4
    # a value whose checks fail is never confirmed
    body = body_ok()
    body[1][4] = "๖๐๐"
    t2 = make_table(body)
    c = t2.cell_at(3, 4)
    c.confidence = 0.4
    plan.apply_checks(plan.classify_rows(t2, t2.layout), t2.layout)
    assert "checked" not in c.flags and "sum_mismatch" in c.flags and c.confidence == 0.4


def test_work_check_accepts_repeated_targets():
    body = body_ok()
    body[1][1] = "๕๐ แห่ง/๑ กลุ่ม"
    body[1][3], body[1][7] = "๕๑", "๕๑"
    t = make_table(body)
    rows = plan.classify_rows(t, t.layout)
    assert [f.name for f in plan.run_checks(rows, t.layout)] == []
    body[1][7] = "๗"
    t = make_table(body)
    rows = plan.classify_rows(t, t.layout)
    assert [f.name for f in plan.run_checks(rows, t.layout)] == ["row_work_sum"]


def test_money_column_context_repairs_separators():
    """A comma read as a dot (``1.750``) is a thousands separator in a baht column; in a table whose
    amounts carry satang, ``1,75000`` lost its decimal point."""
    body = body_ok()
    body[0][4] = "1.750"
    t = make_table(body)
    c = t.cell_at(2, 4)
    assert c.value == Decimal(1750) and "dot_as_comma" in c.flags
    sat = [[x + ".00" if x[:1].isdigit() and i in (2, 4, 6, 8) else x for i, x in enumerate(r)] for r in body_ok()]
    sat[0][6] = "1,75000"
    t2 = make_table(sat)
    assert t2.money_decimals == 2
    c2 = t2.cell_at(2, 6)
    assert c2.value == Decimal("1750.00") and "missing_decimal_point" in c2.flags
    assert plan.run_checks(plan.classify_rows(t2, t2.layout), t2.layout) == []
    # most amounts lost their point (a blurred 150 dpi scan): still a table written with satang
    lost = [[x + "00" if x[:1].isdigit() and "," in x and i in (2, 4, 6, 8) else x for i, x in enumerate(r)]
            for r in body_ok()]
    lost[0][2] = "5,250.00"
    t3 = make_table(lost)
    assert t3.money_decimals == 2 and t3.cell_at(2, 4).value == Decimal("1750.00")


def test_title_rows_of_a_horizontally_ruled_table_span_the_width():
    from extract.pipeline import merge_title_rows

    body = body_ok()
    body.insert(0, ["แผนการใช้จ่ายงบประมาณ"] + [""] * 27)        # a title row: text in the first cell only
    body.insert(1, ["๑ การวางแผนการปฏิบัติงาน"] + [""] * 27)     # a heading with a code: stays an activity row
    t = make_table(body)
    t.grid.ruled = "horizontal"
    n = len(t.cells)
    merge_title_rows(t, t.layout.header_rows)
    title = [c for c in t.cells if c.row == 2]
    assert len(title) == 1 and title[0].col_span == 28 and title[0].text == "แผนการใช้จ่ายงบประมาณ"
    assert len([c for c in t.cells if c.row == 3]) == 28
    assert len(t.cells) == n - 27 and len(t.grid.cells) == n - 27


def test_table_continued_on_the_next_page_takes_the_previous_columns():
    prev = make_table(body_ok())
    # the next page: the same grid, body rows only (the header is not repeated)
    body = [item("(3) ค่าวัสดุ", "2 ครั้ง", "1,000", ["1", "", "1"] + [""] * 9, ["500", "", "500"] + [""] * 9)]
    full = make_table(body)
    cont_cells = [c for c in full.cells if c.row >= 2]
    for c in cont_cells:
        c.row -= 2
    grid = TableGrid(0, full.grid.box, full.grid.row_edges[2:], full.grid.col_edges,
                     [GridCell(c.row, c.col, c.row_span, c.col_span, c.box) for c in cont_cells])
    t = Table(0, grid, cont_cells)
    _normalize_cells(t)
    assert not plan.find_layout(t).found
    layout = plan.continue_layout(t, prev)
    assert layout is not None and layout.found and layout.header_rows == 0 and layout.continued
    _assign_roles(t, layout)
    _normalize_cells(t)
    rows = plan.classify_rows(t, layout)
    recs = plan.to_records(t, layout, rows, document="d", page=2, fiscal_year=2566, agency="", frac_of=None)
    assert len(recs) == 4 and all("header_from_previous_page" in r.flags for r in recs)
    assert {(r.fiscal_month, r.measure, r.value) for r in recs} >= {(1, "budget", Decimal(500)), (3, "work", Decimal(1))}
    # a table with other columns does not continue it
    other = TableGrid(0, grid.box, grid.row_edges, grid.col_edges[:-2] + [grid.col_edges[-1]], grid.cells)
    assert plan.continue_layout(Table(0, other, cont_cells), prev) is None


def test_a_doubtful_mark_the_sums_hold_without_is_a_stray_mark():
    body = body_ok()
    body[1][6] = "๒"                  # row (2), November budget: a stamp read as ๒ where the form has nothing
    t = make_table(body)
    mark = t.cell_at(3, 6)
    mark.confidence = 0.3
    rows = plan.classify_rows(t, t.layout)
    plan.apply_checks(rows, t.layout)
    assert "stray_mark" in mark.flags and mark.value == Decimal(2)          # kept in the cells
    recs = plan.to_records(t, t.layout, rows, document="d", page=1, fiscal_year=2566, agency="", frac_of=None)
    assert not [r for r in recs if r.row == 3 and r.fiscal_month == 2 and r.measure == "budget"]
    # a confident reading is never taken for a mark
    t2 = make_table(body)
    plan.apply_checks(plan.classify_rows(t2, t2.layout), t2.layout)
    assert "stray_mark" not in t2.cell_at(3, 6).flags


def test_arabic_digits_alone_in_a_thai_table_are_a_mark():
    """A form written in Thai digits: an unsure ``8`` in an empty month (a speck) is a stray mark, left
    out of the records; a sure one, a Thai reading, and anything in a table of Arabic digits are not."""
    body = [[x.translate(TH) for x in row] for row in body_ok()]
    body[1][8] = "8"; body[1][10] = "8"; body[1][12] = "๒"
    t = make_table(body)
    for j in (8, 10, 12):
        t.cell_at(3, j).confidence = 0.4
    t.cell_at(3, 10).confidence = 0.95
    assert plan.mark_other_script(t) == 1
    assert "stray_mark" in t.cell_at(3, 8).flags and not t.cell_at(3, 10).flags and not t.cell_at(3, 12).flags
    rows = plan.classify_rows(t, t.layout)
    recs = plan.to_records(t, t.layout, rows, document="d", page=1, fiscal_year=2566, agency="", frac_of=None)
    assert not [r for r in recs if r.row == 3 and r.col == 8]
    arabic = [[x.translate(str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")) for x in row] for row in body_ok()]
    arabic[1][8] = "8"
    ta = make_table(arabic)
    ta.cell_at(3, 8).confidence = 0.4
    assert plan.mark_other_script(ta) == 0


def test_spilled_numbers_go_to_the_columns_under_their_ink():
    """Without column rules a wide budget figure crosses into the work column to its left: the merged cell is
    re-anchored to the column under the middle of its ink (the budget column), not its left edge; a merged
    cell holding two numbers becomes two cells."""
    import numpy as np

    from extract.pipeline import split_spilled_cells

    def setup():
        t = make_table(body_ok())
        t.grid.ruled = "horizontal"
        left = next(c for c in t.cells if c.row == 3 and c.col == 3)
        for c in [c for c in t.cells if c.row == 3 and c.col in (4, 5)]:
            t.cells.remove(c)
        left.col_span, left.box = 3, BBox(30, 30, 60, 40)   # October work + budget, November work
        crops = [np.full((10, 10), 255, np.uint8) for _ in t.cells]
        crop = np.full((10, 30), 255, np.uint8)
        crops[t.cells.index(left)] = crop
        return t, left, crops, crop

    frac = lambda b: b.scaled(1 / 280, 1 / 200)   # noqa: E731
    t, left, crops, crop = setup()
    crop[3:7, 8:19] = 0            # ink from x=38 to x=49: mostly in column 4
    split_spilled_cells(t, crops, t.layout, 100, 0, frac)
    assert (left.col, left.col_span) == (4, 1) and len(t.cells) == len(crops)
    t, left, crops, crop = setup()
    crop[3:7, 2:9] = 0             # one number in column 3 ...
    crop[3:7, 21:28] = 0           # ... and one in column 5, 12 px apart
    n = len(t.cells)
    split_spilled_cells(t, crops, t.layout, 100, 0, frac)
    assert len(t.cells) == n + 1 == len(crops)
    assert (left.col, left.col_span) == (3, 1) and (t.cells[-1].row, t.cells[-1].col) == (3, 5)
    assert crops[-1].shape[1] < 30 and left.box.x1 <= 45 and t.cells[-1].box.x0 >= 45
    # a blank merged cell is left alone
    t, left, crops, crop = setup()
    split_spilled_cells(t, crops, t.layout, 100, 0, frac)
    assert (left.col, left.col_span) == (3, 3)


def test_month_cell_split_by_a_mark_keeps_both_its_columns():
    """ก.ย. read as `nig.` in the right half of its cell, the left half empty (a mark across the cell split
    it): the two pieces are one month, September, over both its งาน and งบ columns."""
    t = make_table(body_ok())
    sep = next(c for c in t.cells if c.row == 0 and c.col == 25)
    t.cells.remove(sep)
    for col, text in ((25, ""), (26, "nig.")):
        box = BBox(col * 10, 0, (col + 1) * 10, 10)
        t.cells.append(Cell(0, 0, col, 1, 1, box, box.scaled(1 / 280, 1 / 200), text_raw=text, text=text, confidence=0.5))
    layout = plan.find_layout(t)
    assert layout.found
    assert layout.roles[25].role == "work" and layout.roles[25].fiscal_month == 12
    assert layout.roles[26].role == "budget" and layout.roles[26].fiscal_month == 12
    assert layout.roles[27].role == "responsible"


def test_month_cells_cut_in_two_with_text_in_both_halves_are_one_month_each():
    """Two month cells each cut by a false rule between their letters (`ม` | `ค.` for ม.ค., `Fy` | `fl.` for
    an unreadable มิ.ย.), one more misread (`Nw.`): the header is still found, each piece pair is one month
    over its งาน and งบ columns, the unreadable ones placed by their position."""
    t = make_table(body_ok())
    for col, parts in ((9, ("ม", "ค.")), (19, ("Fy", "fl."))):
        whole = next(c for c in t.cells if c.row == 0 and c.col == col)
        t.cells.remove(whole)
        for k, text in enumerate(parts):
            box = BBox((col + k) * 10, 0, (col + k + 1) * 10, 10)
            t.cells.append(Cell(0, 0, col + k, 1, 1, box, box.scaled(1 / 280, 1 / 200), text_raw=text, text=text,
                                confidence=0.5))
    next(c for c in t.cells if c.row == 0 and c.col == 11).text = "Nw."
    layout = plan.find_layout(t)
    assert layout.found
    for col, month in ((9, 4), (10, 4), (11, 5), (12, 5), (19, 9), (20, 9), (21, 10)):
        assert layout.roles[col].fiscal_month == month, col
    assert [layout.roles[j].role for j in (9, 10, 19, 20)] == ["work", "budget", "work", "budget"]
    assert layout.roles[27].role == "responsible"


def _code_rows(spec: list[tuple[str, str, str]]) -> list[plan.Row]:
    """Rows (kind, code, activity) with no cells, their activity cell read as the activity text."""
    return [plan.Row(i, kind, code, act, {}, cell_text=" ".join(x for x in (code, act) if x))
            for i, (kind, code, act) in enumerate(spec)]


def test_codes_repaired_on_a_continuation_page():
    """Seen on a 150 dpi scan: ``๒.๑`` read as Latin junk, heading ``๔`` read as ``๕`` with its items ``๕.๑``
    and ``๕๒`` (dot lost): the sequence gives 2.1, 4, 4.1, 4.2 and the junk leaves the activity text."""
    rows = _code_rows([
        ("section", "2", "การดำเนินงานตามแผน"),
        ("item", "", "bo เจ้าหน้าที่ส่งเสริมเข้าแนะนำ"),
        ("section", "3", "การตรวจสอบ ติดตามและรายงานผล"),
        ("item", "3.1", "สหกรณ์นอกภาคการเกษตร"),
        ("item", "3.2", "เจ้าหน้าที่ส่งเสริมติดตาม"),
        ("section", "5", "การประเมินผล"),
        ("item", "5.1", "รายงานการประเมินมาตรฐาน"),
        ("item", "52", "เข้าร่วมประชุมคณะกรรมการ"),
        ("item", "(1)", "ค่าวัสดุสำนักงาน"),
    ])
    plan._repair_codes(rows)
    assert [r.code for r in rows] == ["2", "2.1", "3", "3.1", "3.2", "4", "4.1", "4.2", "(1)"]
    assert rows[1].activity == "เจ้าหน้าที่ส่งเสริมเข้าแนะนำ" and "code_inferred" in rows[1].flags
    assert rows[7].activity == "เข้าร่วมประชุมคณะกรรมการ"
    # an English word opening an activity is not a code when no code is missing there
    rows = _code_rows([("item", "(1)", "ประชุม"), ("item", "", "ICT ระบบงาน"), ("item", "(2)", "ค่าวัสดุ")])
    plan._repair_codes(rows)
    assert [r.code for r in rows] == ["(1)", "", "(2)"] and rows[1].activity == "ICT ระบบงาน"


def test_code_with_its_first_dot_read_as_a_space():
    """Seen on a 150 dpi scan: ``๔.๓`` and ``๔.๓.๓`` read as ``๕ ๓`` and ``๕ ๓.๓`` (first dot a space, heading
    misread): no code splits off (or ``3.3`` after "debris" ``๕``), yet the sequence under heading 4 makes them
    4.3 and 4.3.3."""
    for split_after_debris in (False, True):
        rows = _code_rows([
            ("section", "4", "การประเมินผล"),
            ("item", "4.1", "กลุ่มเกษตรกร"),
            ("item", "4.2", "เข้าร่วมประชุมคณะกรรมการ"),
            ("item", "", "๕ ๓ ปรับปรุงแก้ไขวิธีการ"),
            ("item", "", "๕ ๓.๓ ยกระดับชั้นความเข้มแข็งสหกรณ์ ๓ แห่ง"),
            ("item", "(1)", "ค่าวัสดุสำนักงาน"),
        ])
        if split_after_debris:
            rows[4].code, rows[4].activity = "3.3", "ยกระดับชั้นความเข้มแข็งสหกรณ์ ๓ แห่ง"
        plan._repair_codes(rows)
        assert [r.code for r in rows] == ["4", "4.1", "4.2", "4.3", "4.3.3", "(1)"]
        assert rows[3].activity == "ปรับปรุงแก้ไขวิธีการ" and "code_inferred" in rows[3].flags
        assert rows[4].activity == "ยกระดับชั้นความเข้มแข็งสหกรณ์ ๓ แห่ง"
    # two numbers opening an activity that no code sequence wants stay text
    rows = _code_rows([("item", "1.1", "ประชุม"), ("item", "", "๑๒ ๓ เรื่องที่"), ("item", "1.2", "ค่าวัสดุ")])
    plan._repair_codes(rows)
    assert [r.code for r in rows] == ["1.1", "", "1.2"] and rows[1].activity == "๑๒ ๓ เรื่องที่"


def test_unreadable_work_budget_subheader_gets_its_word():
    t = make_table(body_ok())
    c = t.cell_at(1, 5)            # November งาน, read as Latin junk at 150 dpi
    c.text_raw = c.text = "nu"
    d = t.cell_at(1, 6)            # November งบ, a longer Thai word is left as read
    d.text_raw = d.text = "งบประมาณ"
    plan.normalize_header_cells(t, plan.find_layout(t))
    assert c.text == "งาน" and c.text_raw == "nu" and "header_inferred" in c.flags
    assert d.text == "งบประมาณ" and "header_inferred" not in d.flags


def test_zero_in_a_month_cell_is_nothing_planned():
    body = body_ok()
    body[1][6] = "๐"            # row (2), November budget: 0 (a speck read as ๐)
    t = make_table(body)
    rows = plan.classify_rows(t, t.layout)
    plan.apply_checks(rows, t.layout)
    zero = t.cell_at(3, 6)
    assert zero.value == 0 and "checked" not in zero.flags   # adding 0 changes no sum: nothing confirms it
    recs = plan.to_records(t, t.layout, rows, document="d", page=1, fiscal_year=2566, agency="", frac_of=None)
    assert not [r for r in recs if r.row == 3 and r.col == 6]


def test_touching_numbers_read_as_one_string_are_cut_by_the_columns_under_them():
    """Overflowing numbers that touch (no blank between their inks) are read as one string over several
    columns; in a table with satang it is cut into amounts over budget columns and counts over work
    columns, placed along the ink by their characters' widths."""
    import numpy as np

    from extract.pipeline import split_joined_numbers

    body = body_ok()
    for row in body:
        for k in range(2, len(row), 2):
            if any(ch.isdigit() for ch in row[k]):   # target budget and monthly budgets: with satang
                row[k] += ".๐๐" if row[k][0] in "๐๑๒๓๔๕๖๗๘๙" else ".00"
    frac = lambda b: b.scaled(1 / 280, 1 / 200)   # noqa: E731

    def cut(body, r, c, text, ink):
        """Cell (r, c) widened over the next two columns (their cells gone), read as ``text``, with ink
        over crop columns ``ink``; returns the table and the split pieces {col: text}."""
        t = make_table(body)
        t.grid.ruled = "horizontal"
        left = t.cell_at(r, c)
        for x in [x for x in t.cells if x.row == r and x.col in (c + 1, c + 2)]:
            t.cells.remove(x)
        left.box, left.text_raw = BBox(c * 10, r * 10, c * 10 + 30, r * 10 + 10), text
        crops = [np.full((10, 10), 255, np.uint8) for _ in t.cells]
        crop = np.full((10, 30), 255, np.uint8)
        crop[3:7, ink] = 0
        crops[t.cells.index(left)] = crop
        split_joined_numbers(t, crops, t.layout, 0, frac)
        assert len(t.cells) == len(crops)
        return t, left, {x.col: x.text_raw for x in t.cells if x.row == r and "split_by_text" in x.flags}

    assert make_table(body).money_decimals == 2
    t, left, got = cut(body, 2, 4, "๑,๗๕๐.๐๐๑๑,๗๕๐.๐๐", slice(0, 30))
    # not ๑,๗๕๐.๐๐ | ๑๑,๗๕๐.๐๐ (two amounts): the middle ๑ sits alone over the work column
    assert got == {4: "๑,๗๕๐.๐๐", 5: "๑", 6: "๑,๗๕๐.๐๐"}
    assert left.box.x1 <= 50 and all(c.col_span == 1 for c in t.cells if c.row == 2)
    # without satang amounts cannot be cut (where one ends is unknown), counts and dashes can: ๑-๑
    t, left, got = cut(body_ok(), 3, 3, "๑-๑", slice(2, 28))
    assert got == {3: "๑", 4: "-", 5: "๑"}


def test_a_total_echoing_one_doubted_figure_does_not_vouch_for_it():
    # November: one item has a budget (1,750), the total row repeats it. When both were read unsure and
    # Tesseract read digits it cannot have made of them (its ๒ where the recognizer read ๗), the pass
    # says only that the same glyphs were read the same way twice (an unseen font's ๒ read ๑ in both):
    # confirmed, but not trusted as a firm sum would be.
    def run(doubt_item: bool, tess: str = "๑,๒๕๐", item_conf: float = 0.6):
        t = make_table(body_ok())
        item_cell, total = t.cell_at(2, 6), t.cell_at(4, 6)
        for c in (total, item_cell) if doubt_item else (total,):
            c.confidence = item_conf if c is item_cell else 0.6
            c.flag("ocr_disagreement")
            c.tesseract_text = tess
        plan.apply_checks(plan.classify_rows(t, t.layout), t.layout)
        return item_cell, total

    item_cell, total = run(doubt_item=True)
    assert "checked" in total.flags and total.confidence == plan.CHOSEN_CONF
    # the item's figure is also confirmed by its row's sum of three months: firm
    assert "checked" in item_cell.flags and item_cell.confidence == plan.CHECKED_CONF
    # an item figure read surely makes the echo firm evidence for the total
    item_cell, total = run(doubt_item=False)
    assert total.confidence == plan.CHECKED_CONF
    # doubt needs Tesseract's digits to contradict ours: not its ๓ for our ๗ (a misreading it makes), nor
    # letters where it lacks the digit, nor a different count of digits; but its ๕ for our ๗ does
    for tess, want in (("๑,๓๕๐", plan.CHECKED_CONF), ("ฒ,ญ๕๐", plan.CHECKED_CONF), ("๑,๗๕", plan.CHECKED_CONF),
                       ("๑,๕๕๐", plan.CHOSEN_CONF)):
        assert run(doubt_item=True, tess=tess)[1].confidence == want, tess
    # an echo of a faint reading (below ECHO_FAINT, the other below ECHO_TRUST) is doubted unless
    # Tesseract read the same digits: letters where it lacks a digit do not vouch for it
    assert run(doubt_item=True, tess="ฒ,ญ๕๐", item_conf=0.4)[1].confidence == plan.CHOSEN_CONF
    assert run(doubt_item=True, tess="๑,๗๕๐", item_conf=0.4)[1].confidence == plan.CHECKED_CONF
    assert run(doubt_item=True, tess="ฒ,ญ๕๐", item_conf=0.55)[1].confidence == plan.CHECKED_CONF
    # a malformed reading (a digit group too short: a digit lost) is doubted without Tesseract's word
    t = make_table(body_ok())
    for c in (t.cell_at(2, 6), t.cell_at(4, 6)):
        c.confidence = 0.6
        c.flag("bad_grouping")
    plan.apply_checks(plan.classify_rows(t, t.layout), t.layout)
    assert t.cell_at(4, 6).confidence == plan.CHOSEN_CONF
