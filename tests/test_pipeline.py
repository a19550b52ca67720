"""End to end with the real Tesseract: a page image, a born-digital PDF, a multi-page TIFF, bad input."""
import json
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

from extract.batch import run_batch
from extract.bench.score import record_key
from extract.config import Settings
from extract.pipeline import process_document



def _keys(records):
    return sorted(record_key(r) + (r["page"],) for r in records)


def test_born_digital_pdf_equals_truth(docs, truth_of):
    from extract.export import record_rows

    res = process_document(docs["digital"])
    assert res.status == "ok", res.issues
    assert {p.provenance.source.value for p in res.page_results} == {"pdf-text"}   # no OCR
    truth = truth_of(docs["digital"])
    got = record_rows(res)
    assert _keys(got) == _keys(truth["records"])
    # units and row kinds too
    t_units = sorted((r["measure"], r["unit"]) for r in truth["records"])
    assert sorted((r["measure"], r["unit"]) for r in got) == t_units
    assert res.header["fiscal_year"] == truth["pages"][0]["header"]["fiscal_year"]


def test_page_image_to_records(docs, truth_of):
    from extract.export import record_rows

    res = process_document(docs["png"])
    truth = truth_of(docs["png"])
    assert res.status == "ok", res.issues
    got = record_rows(res)
    assert got, "no records from a clean 300-dpi page"
    fy = truth["pages"][0]["header"]["fiscal_year"]
    assert {r["fiscal_year"] for r in got} == {fy}
    # every truth record's (code, month, measure) slot is produced, and most values are exact
    slots = lambda rs: {(r["activity_code"], r["month"], r["measure"]) for r in rs}
    assert len(slots(truth["records"]) & slots(got)) >= 0.9 * len(slots(truth["records"]))
    exact = set(_keys(got)) & set(_keys(truth["records"]))
    assert len(exact) >= 0.8 * len(truth["records"])
    # provenance: fractions of the page, inside it
    assert all(0 <= r["x0"] < r["x1"] <= 1 and 0 <= r["y0"] < r["y1"] <= 1 for r in got)


def test_multipage_tiff(docs):
    res = process_document(docs["tiff"])
    assert res.pages == 2
    assert [p.provenance.page for p in res.page_results] == [1, 2]
    pages_with_records = {r.page for r in res.records}
    assert pages_with_records == {1, 2}


def test_batch_with_bad_inputs_keeps_good_results(docs, tmp_path):
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "empty.png").write_bytes(b"")
    (bad / "notes.pdf").write_text("just text, not a PDF")
    (bad / "corrupt.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100)
    out = tmp_path / "out"
    summary = run_batch([docs["digital"], bad], out, Settings(), workers=1, progress=False)
    assert summary.failed == 3
    docs_df = pd.read_csv(out / "documents.csv")
    status = dict(zip(docs_df.file.map(lambda f: Path(f).name), docs_df.status))
    assert status == {"digital-2p.pdf": "ok", "empty.png": "failed", "notes.pdf": "failed", "corrupt.png": "failed"}
    errors = dict(zip(docs_df.file.map(lambda f: Path(f).name), docs_df.error))
    assert "empty" in errors["empty.png"] and "not a PDF" in errors["notes.pdf"] and "decoded" in errors["corrupt.png"]
    rec = pd.read_parquet(out / "records.parquet")
    assert len(rec) > 0 and set(rec.document) == {"digital-2p.pdf"}
    assert isinstance(rec.value.iloc[0], Decimal)
    for name in ("cells", "records", "documents", "issues"):
        assert (out / f"{name}.csv").exists() and (out / f"{name}.parquet").exists()
    # a rerun resumes from saved state and writes the same tables
    again = run_batch([docs["digital"], bad], out, Settings(), workers=1, progress=False)
    assert again.resumed == 4
    assert len(pd.read_parquet(out / "records.parquet")) == len(rec)


def test_cli_exit_code_and_summary(docs, tmp_path, capsys):
    from extract.cli import main

    bad = tmp_path / "x.pdf"
    bad.write_text("nope")
    code = main(["run", str(docs["digital"]), str(bad), "--out", str(tmp_path / "o"), "--quiet", "--workers", "1"])
    out = capsys.readouterr().out
    assert code == 1
    assert "1 failed" in out and "FAILED" in out and "records:" in out


def test_review_report_and_corrections(docs, tmp_path):
    from extract.review import apply_corrections

    out = tmp_path / "o"
    run_batch([docs["digital"]], out, Settings(), workers=1, progress=False)
    assert (out / "report.html").exists() and (out / "corrections.csv").exists()
    rec = pd.read_parquet(out / "records.parquet")
    r0 = rec.iloc[0]
    corr = pd.DataFrame([{"document": r0.document, "page": r0.page, "table": r0.table, "row": r0.row, "col": r0.col,
                          "corrected_value": "12345"}])
    corr.to_csv(out / "fix.csv", index=False)
    assert apply_corrections(out, out / "fix.csv") == 1
    rec2 = pd.read_parquet(out / "records.parquet")
    fixed = rec2[(rec2.row == r0.row) & (rec2.col == r0.col) & (rec2.page == r0.page)].iloc[0]
    assert fixed["value"] == Decimal("12345") and "corrected" in fixed["flags"]
    assert len(rec2) == len(rec)


def test_upside_down_page_is_turned(docs, truth_of, tmp_path):
    import cv2

    from extract.export import record_rows

    img = cv2.imread(str(docs["png"]), cv2.IMREAD_GRAYSCALE)
    p = tmp_path / "upside-down.png"
    cv2.imwrite(str(p), cv2.rotate(img, cv2.ROTATE_180))
    res = process_document(p)
    assert res.page_results[0].tables, res.issues
    got = record_rows(res)
    truth = truth_of(docs["png"])
    exact = set(_keys(got)) & set(_keys(truth["records"]))
    assert len(exact) >= 0.8 * len(truth["records"])
    # boxes are reported on the page as given (turned): they match the truth boxes turned by 180 degrees
    from extract.bench.score import score_cells
    from extract.export import cell_rows

    page = truth["pages"][0]
    turned = {"tables": [{"cells": [dict(c, x0=1 - c["x1"], x1=1 - c["x0"], y0=1 - c["y1"], y1=1 - c["y0"])
                                    for c in tb["cells"]]} for tb in page["tables"]]}
    summary = score_cells(turned, cell_rows(res)).summary()
    assert summary["cell_precision"] >= 0.95 and summary["cell_recall"] >= 0.95


def test_blank_page_is_a_warning_not_a_failure(tmp_path):
    import numpy as np
    import cv2

    p = tmp_path / "blank.png"
    cv2.imwrite(str(p), np.full((1240, 1754), 255, np.uint8))
    res = process_document(p)
    assert res.status == "ok" and res.records == []
    assert any("no table" in i.message for i in res.issues)


def test_unit_word_taken_from_tesseract_where_the_numeral_reader_cannot_have_it():
    from extract.pipeline import fuse_unit

    assert fuse_unit("๑๐ ๖", "๑๐ ครั้ง") == "๑๐ ครั้ง"          # the word read as a digit
    assert fuse_unit("๑๐", "๕๐ ครั้ง") == "๑๐ ครั้ง"            # dropped; digits stay the reader's
    assert fuse_unit("๓ กลุ่ม", "๓ เรื่อง") == "๓ เรื่อง"         # not in the reader's vocabulary
    assert fuse_unit("๑๐ กลุ่ม", "๑๐ แห่ง") is None             # both words it knows: its reading stands
    assert fuse_unit("๑๐ ครั้ง", "๑๐ ครั้ง") is None
    assert fuse_unit("๑๐ ๖", "๑๐ xx") is None                   # no known unit from Tesseract
    assert fuse_unit("๕๐ แห่ง/๑ กลุ่ม", "๕๐ แห่ง/๑ เรื่อง") is None   # lists are left alone
    assert fuse_unit("๑๒๓", "๑๒๓ บาท") is None


def test_code_with_a_letter_stuck_to_it_takes_the_recognizers_code():
    """Tesseract reads ``๓.๑ ร่วมกับ...`` as ``๓.ด ร่วมกับ...`` (๑ as ด): the code would be ๓ and the
    activity's records keyed to the wrong code. The recognizer's ``๓.๑`` of the code's image is taken."""
    import numpy as np
    from PIL import Image, ImageDraw, ImageFont

    from extract import plan
    from extract.ocr.digits import get_reader
    from extract.pipeline import _reread_codes
    from extract.types import BBox, Cell, Table

    font = Path("/usr/share/fonts/truetype/tlwg/Laksaman.ttf")
    f = ImageFont.truetype(str(font), 42, layout_engine=ImageFont.Layout.RAQM)
    im = Image.new("L", (700, 80), 255)
    ImageDraw.Draw(im).text((10, 10), "๓.๑ ร่วมกับกลุ่มงานวิชาการ", fill=0, font=f)
    box = BBox(0, 0, 700, 80)

    def cell(text):
        c = Cell(0, 3, 0, 1, 1, box, box, text_raw=text, text=text)
        c.role = plan.ROLE_ACTIVITY
        return c

    glued, clean = cell("๓.ด ร่วมกับกลุ่มงานวิชาการ"), cell("๓.๑ ร่วมกับกลุ่มงานวิชาการ")
    table = Table(0, None, [glued, clean])
    _reread_codes(table, [np.asarray(im)] * 2, get_reader())
    assert glued.text == "๓.๑ ร่วมกับกลุ่มงานวิชาการ" and "code_reread" in glued.flags
    assert clean.text == "๓.๑ ร่วมกับกลุ่มงานวิชาการ" and "code_confirmed" in clean.flags


def _ruled_table_png(path: Path, rows: list[list[str]]) -> None:
    """A page with one ruled table that is not a plan form, drawn at 200 dpi in Laksaman 16 pt."""
    import subprocess

    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(subprocess.check_output(["fc-match", "-f", "%{file}", "Laksaman"]).decode(), 44)
    widths, h, x0, y0 = [420, 300, 300], 70, 120, 200
    im = Image.new("L", (1654, 1100), 255)
    d = ImageDraw.Draw(im)
    for r, row in enumerate(rows):
        x = x0
        for w, text in zip(widths, row):
            d.rectangle([x, y0 + r * h, x + w, y0 + (r + 1) * h], outline=0, width=3)
            d.text((x + 16, y0 + r * h + 8), text, font=font, fill=0)
            x += w
    im.save(path, dpi=(200, 200))


@pytest.mark.parametrize("thai", [False, True])
def test_figures_of_a_table_that_is_not_a_plan_form_are_read_as_numbers(tmp_path, thai):
    to = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙") if thai else {}
    figures = [["103.6462", "109.8499"], ["27.5390", "4.4000"], ["1,028.9518", "353.9958"], ["60.2000", "0.7855"]]
    rows = [["รายการ", "ปี 2565", "ปี 2566"]] + [[label] + [f.translate(to) for f in fs] for label, fs in
                                                 zip(["รวมทั้งสิ้น", "งบบุคลากร", "งบดำเนินงาน", "งบลงทุน"], figures)]
    p = tmp_path / "bill.png"
    _ruled_table_png(p, rows)
    res = process_document(p)
    assert res.status == "ok" and res.records == []   # not a plan form: figures in the cells, no records
    got = {(c.row, c.col): c for c in res.cells}
    for r, fs in enumerate(figures, start=1):
        for j, f in enumerate(fs, start=1):
            c = got[(r, j)]
            assert c.role == "number" and c.value == Decimal(f.replace(",", "")), (r, j, c.text_raw)
    assert all(got[(r, 0)].value is None and got[(r, 0)].role == "" for r in range(5))   # the labels stay text
    figs = {(f.row, f.col): f for f in res.figures}
    assert len(figs) == 8
    assert figs[(2, 1)].row_label.startswith("งบบ") and figs[(2, 1)].value == Decimal("27.5390")
    # the years over the figures stay text (Tesseract reads the Thai table's ปี 2565 as U 2565)
    assert got[(0, 1)].value is None and got[(0, 2)].value is None


def test_a_run_writes_the_figures_of_tables_that_are_not_plan_forms(tmp_path):
    _ruled_table_png(tmp_path / "bill.png", [["รายการ", "ปี 2565", "ปี 2566"], ["รวมทั้งสิ้น", "3.5000", "4.2500"],
                                             ["- งบบุคลากร", "1.2500", "2.0000"], ["- งบลงทุน", "2.2500", "2.2500"]])
    out = tmp_path / "out"
    summary = run_batch([tmp_path / "bill.png"], out, Settings(), progress=False)
    assert summary.figures == 6 and summary.records == 0 and summary.checks_failed == 0
    f = pd.read_parquet(out / "figures.parquet")
    assert sorted(f["value"].map(str)) == sorted(["3.5000", "4.2500", "1.2500", "2.0000", "2.2500", "2.2500"])
    assert f["flags"].str.contains("checked").all()   # the total row holds in both years
    assert "figures" in [r["name"] for r in json.loads((out / "datapackage.json").read_text())["resources"]]
