"""Tests of the synthetic form generator (extract.synth)."""
from __future__ import annotations

import json
import os
from decimal import Decimal

import numpy as np
import pytest

from extract.synth.content import HEADER_ROWS, N_COLS, make_form, month_iso, table_cells
from extract.synth.degrade import Degradation, degrade
from extract.synth.document import (PageSpec, RenderedPage, build_layout, truth_for, truth_path,
                                    write_document)
from extract.synth.layout import join_lines, metrics
from extract.synth.render import render_raster

CASES = [(1, "Laksaman", "thai"), (7, "Garuda", "arabic"), (23, "Norasi", "thai"), (42, "Loma", "thai"),
         (99, "Purisa", "arabic")]


@pytest.fixture(scope="module")
def layouts():
    return [build_layout(PageSpec(seed=s, font=f, digits=d)) for s, f, d in CASES]


def test_form_is_deterministic():
    a, b = make_form(5), make_form(5)
    assert a == b
    assert make_form(6) != a


def test_documents_are_byte_identical(tmp_path):
    spec = [PageSpec(seed=11, degradation=Degradation(dpi=72, rotation_deg=1.0, noise_sigma=3, stamp=True,
                                                      signature=True, jpeg_quality=60, seed=3))]
    for kind, ext in (("png", ".png"), ("pdf-text", ".pdf")):
        p1, p2 = tmp_path / f"a{ext}", tmp_path / f"b{ext}"
        write_document(str(p1), spec, kind)
        write_document(str(p2), spec, kind)
        assert p1.read_bytes() == p2.read_bytes()
        t1 = json.loads(open(truth_path(str(p1)), encoding="utf-8").read())
        t2 = json.loads(open(truth_path(str(p2)), encoding="utf-8").read())
        t1["document"] = t2["document"] = ""
        for r in t1["records"] + t2["records"]:
            r["document"] = ""
        assert t1 == t2


def test_every_grid_cell_exactly_once(layouts):
    for lay in layouts:
        assert lay.n_cols == N_COLS == 28
        seen = np.zeros((lay.n_rows, lay.n_cols), int)
        for c in lay.cells:
            seen[c.row:c.row + c.row_span, c.col:c.col + c.col_span] += 1
        assert (seen == 1).all()
        header = {(c.row, c.col): c for c in lay.cells if c.row < HEADER_ROWS}
        assert header[(0, 0)].row_span == 3 and header[(0, 27)].row_span == 3
        assert (header[(0, 1)].row_span, header[(0, 1)].col_span) == (2, 2)
        assert [header[(0, 3 + 6 * q)].col_span for q in range(4)] == [6] * 4
        assert header[(1, 3)].text == "ต.ค." and header[(1, 25)].text == "ก.ย."
        assert [header[(2, c)].text for c in range(1, 27)] == ["งาน", "งบ"] * 13
        assert 8 <= lay.n_rows - HEADER_ROWS <= 14


def test_boxes_inside_page_and_disjoint(layouts):
    for lay in layouts:
        for c in lay.cells:
            assert 0 <= c.x0 < c.x1 <= lay.width and 0 <= c.y0 < c.y1 <= lay.height
        cs = lay.cells
        for i, a in enumerate(cs):
            for b in cs[i + 1:]:
                w = min(a.x1, b.x1) - max(a.x0, b.x0)
                h = min(a.y1, b.y1) - max(a.y0, b.y0)
                assert not (w > 1e-6 and h > 1e-6), (a, b)


def test_text_fits_in_cells_and_page(layouts):
    for lay in layouts:
        m = metrics(lay.font)
        by = {(c.row, c.col): c for c in lay.cells}
        for r in lay.runs:
            w = m.width(r.text, r.size)
            assert 0 <= r.x and r.x + w <= lay.width + 0.01
            assert r.y - m.asc * r.size >= 0 and r.y + m.desc * r.size <= lay.height
            if r.cell is not None:
                c = by[r.cell]
                assert c.x0 <= r.x + 1e-6 and r.x + w <= c.x1 + 1e-6, (r, c)
                assert c.y0 <= r.y - m.asc * r.size + 1e-6 and r.y + m.desc * r.size <= c.y1 + 1e-6, (r, c)
        for c in lay.cells:
            assert join_lines(c.text, c.lines), (c.text, c.lines)
            if c.role == "activity" and c.row >= HEADER_ROWS:
                assert len(c.lines) <= 3


def _num(v):
    return Decimal(v) if v is not None else Decimal(0)


def test_budgets_add_up(layouts):
    for lay in layouts:
        by = {(c.row, c.col): c for c in lay.cells}
        body = range(HEADER_ROWS, lay.n_rows)
        items = [r for r in body if by[(r, 0)].col_span == 1 and by[(r, 0)].text != lay.form.rows[-1].text]
        total = lay.n_rows - 1
        assert lay.form.rows[-1].kind == "total"
        for r in items:
            if by[(r, 2)].kind == "number":
                assert sum(_num(by[(r, 4 + 2 * m)].value) for m in range(12)) == Decimal(by[(r, 2)].value)
        for m in range(12):
            col = 4 + 2 * m
            s = sum(_num(by[(r, col)].value) for r in items)
            assert _num(by[(total, col)].value) == s
            assert by[(total, 3 + 2 * m)].kind == "empty"
        assert Decimal(by[(total, 2)].value) == sum(_num(by[(r, 2)].value) for r in items)
        n_budget = sum(1 for r in items if by[(r, 2)].kind == "number")
        assert n_budget >= 2


def test_records_and_calendar(layouts):
    assert month_iso(2566, 0) == "2022-10" and month_iso(2566, 2) == "2022-12"
    assert month_iso(2566, 3) == "2023-01" and month_iso(2566, 11) == "2023-09"
    lay = layouts[0]
    rp = RenderedPage(PageSpec(seed=1), lay, None, np.array([[1.0, 0, 0], [0, 1.0, 0]]), [])
    t = truth_for([rp], "x.pdf", "pdf-text")
    n_numbers = sum(1 for c in lay.cells if c.kind == "number" and c.role in ("work", "budget"))
    assert len(t["records"]) == n_numbers > 0
    for r in t["records"]:
        assert r["value"].replace(".", "").isdigit() and "," not in r["value"]
        assert r["unit"] == "baht" if r["measure"] == "budget" else r["unit"] not in ("", "baht")
        assert r["row_kind"] in ("item", "total")
        assert all(ch not in "๐๑๒๓๔๕๖๗๘๙" for ch in r["activity_code"])


def test_born_digital_pdf_text_recoverable(tmp_path):
    import pdfplumber
    specs = [PageSpec(seed=s, font=f, digits=d) for s, f, d in CASES[:2]]
    path = str(tmp_path / "doc.pdf")
    truth = write_document(path, specs, "pdf-text")
    with pdfplumber.open(path) as pdf:
        assert len(pdf.pages) == 2
        for page, pt in zip(pdf.pages, truth["pages"]):
            W, H = float(page.width), float(page.height)
            cells = pt["tables"][0]["cells"]
            got: dict = {}
            for ch in page.chars:   # content-stream order
                cx, cy = (ch["x0"] + ch["x1"]) / 2 / W, (ch["top"] + ch["bottom"]) / 2 / H
                hit = [i for i, c in enumerate(cells) if c["x0"] <= cx <= c["x1"] and c["y0"] <= cy <= c["y1"]]
                if not hit:
                    continue
                assert len(hit) == 1
                lines = got.setdefault(hit[0], [])
                base = round(ch["matrix"][5], 2)
                if not lines or lines[-1][0] != base:
                    lines.append([base, ""])
                lines[-1][1] += ch["text"]
            for i, c in enumerate(cells):
                assert [s for _, s in got.get(i, [])] == c["lines"], c
                assert join_lines(c["text"], c["lines"])


def test_rotation_moves_boxes_with_ink():
    spec = PageSpec(seed=3, font="Waree")
    lay = build_layout(spec)
    dpi = 100
    # a number far from the page centre: the total row's last budget cell
    target = next(c for c in lay.cells if c.row == lay.n_rows - 1 and c.col == 26)
    assert target.kind == "number"
    img = render_raster(lay, dpi, draw_rules=False, run_filter=lambda r: r.cell == (target.row, target.col))
    for deg in (2.3, -2.0):
        d = Degradation(dpi=dpi, rotation_deg=deg)
        out, M, _ = degrade(img, lay, d)
        t = truth_for([RenderedPage(PageSpec(seed=3, degradation=d), lay, out, M, [])], "x.png", "png")
        cell = next(c for c in t["pages"][0]["tables"][0]["cells"] if (c["row"], c["col"]) == (target.row, 26))
        a = np.asarray(out)
        ys, xs = np.nonzero(a < 160)
        assert len(xs) > 10
        W, H = out.size
        assert xs.min() >= cell["x0"] * W - 1 and xs.max() <= cell["x1"] * W + 1
        assert ys.min() >= cell["y0"] * H - 1 and ys.max() <= cell["y1"] * H + 1
        # the truth box moved with the rotation (dy of a point right of centre ~ -dx * sin(angle))
        s = dpi / 72
        cy_expected = (target.y0 + target.y1) / 2 * s - ((target.x0 + target.x1) / 2 * s - W / 2) * np.sin(np.radians(deg))
        assert abs((cell["y0"] + cell["y1"]) / 2 * H - cy_expected) < 2.0
        assert abs((cell["y0"] + cell["y1"]) / 2 * H - (target.y0 + target.y1) / 2 * s) > 10


def test_all_kinds_write(tmp_path):
    spec = [PageSpec(seed=2, degradation=Degradation(dpi=72)),
            PageSpec(seed=3, font="Kinnari", ruling="horizontal", degradation=Degradation(dpi=72, color=True,
                                                                                          stamp=True, seed=1))]
    for kind, ext in (("tiff", ".tiff"), ("pdf-scan", ".pdf")):
        p = str(tmp_path / f"d{ext}")
        t = write_document(p, spec, kind)
        assert os.path.getsize(p) > 0 and len(t["pages"]) == 2 and t["kind"] == kind
        assert t["pages"][1]["ruling"] == "horizontal"
