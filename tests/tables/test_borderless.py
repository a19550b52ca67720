"""Tables drawn without rules (a vote log): found from text lines and shared gutters on real renderings."""
import subprocess
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from extract.tables import detect_tables

NAMES = ["นายกนก ลิ้มตระกูล", "นางกรณิศ งามสุคนธ์", "นายกฤษฎา ตันเทอด", "นายกวิน ตาคีย์", "นางสาวขวัญ พานิช",
         "นายเขตรัฐ เหล่าธรรม", "นายโกศล ปัทมะ"]
PARTIES = ["พรรคเพื่อไทย", "พรรคประชาธิปัตย์", "พรรคภูมิใจไทย", "พรรคอนาคตใหม่", "พรรคเพื่อไทย", "พรรคพลังประชารัฐ",
           "พรรคเพื่อไทย"]


def _font(size: int):
    return ImageFont.truetype(subprocess.check_output(["fc-match", "-f", "%{file}", "Laksaman"]).decode(), size)


def vote_log_page(dpi: int = 200, prose_after: bool = True) -> np.ndarray:
    """A title line, a header and 7 rows in 4 columns with no rule at all, then a paragraph of prose."""
    s = dpi / 200
    im = Image.new("L", (int(1654 * s), int(2339 * s)), 255)
    d = ImageDraw.Draw(im)
    f = _font(int(40 * s))
    d.text((int(500 * s), int(150 * s)), "บันทึกการออกเสียงลงคะแนน ครั้งที่ ๑", font=f, fill=0)
    xs = [int(x * s) for x in (150, 400, 850, 1250)]
    rows = [["ลำดับ", "ชื่อ-สกุล", "สังกัด", "ผลการลงคะแนน"]] + [
        [str(i + 1), n, p, "เห็นด้วย" if i % 3 else "งดออกเสียง"] for i, (n, p) in enumerate(zip(NAMES, PARTIES))]
    y = int(300 * s)
    for row in rows:
        for x, t in zip(xs, row):
            d.text((x, y), t, font=f, fill=0)
        y += int(75 * s)
    if prose_after:
        for line in ["ที่ประชุมพิจารณาแล้วมีมติเห็นด้วยกับร่างพระราชบัญญัติดังกล่าวตามที่คณะกรรมาธิการเสนอ",
                     "โดยมีผู้เห็นด้วยเป็นเสียงข้างมาก จึงประกาศผลการลงคะแนนให้ที่ประชุมทราบต่อไป"]:
            y += int(75 * s)
            d.text((int(180 * s), y), line, font=f, fill=0)
    return np.array(im)


@pytest.mark.parametrize("dpi", [200, 300])
def test_a_table_without_rules_is_found_with_its_rows_and_columns(dpi):
    grids = detect_tables(vote_log_page(dpi), dpi)
    assert len(grids) == 1
    g = grids[0]
    assert g.ruled == "none"
    assert g.n_rows == 8 and len(g.col_edges) - 1 == 4   # header + 7 rows; the title and the prose left out
    s = dpi / 200
    for x, (a, b) in zip((150, 400, 850, 1250), zip(g.col_edges, g.col_edges[1:])):
        assert a < x * s + 5 < b   # each column's text starts inside its column
    assert all(c.row_span == 1 for c in g.cells)


def test_prose_and_titles_are_no_table():
    page = vote_log_page(200)
    page[250:900] = 255   # the table erased: a title and a paragraph are left
    assert detect_tables(page, 200) == []


def test_a_vote_log_page_end_to_end(tmp_path):
    from extract.pipeline import process_document

    p = tmp_path / "votes.png"
    Image.fromarray(vote_log_page(300)).save(p, dpi=(300, 300))
    res = process_document(p)
    assert res.status == "ok" and res.records == []
    got = {(c.row, c.col): c.text for c in res.cells}
    assert "สกุล" in got[(0, 1)]
    names = [got[(r, 1)] for r in range(1, 8)]
    assert sum(n == e for n, e in zip(names, NAMES)) >= 5, names        # Tesseract on clean Laksaman
    assert [got[(r, 3)] for r in range(1, 8)].count("เห็นด้วย") >= 4
    assert res.figures == []   # row numbers are not figures


def test_ink_in_the_margin_of_a_few_rows_is_no_column():
    page = vote_log_page(200)
    for y in (385, 535):   # two pen marks left of the table, beside rows 2 and 4
        page[y:y + 12, 60:72] = 0
    (g,) = detect_tables(page, 200)
    assert len(g.col_edges) - 1 == 4 and g.n_rows == 8
