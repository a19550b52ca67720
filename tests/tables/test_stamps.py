"""Round stamps over a table ruled only horizontally: their rings are found and their ink is not the
table's text (`extract.tables.stamps`)."""
import json

import cv2
import numpy as np
import pytest

from extract.bench.score import score_cells
from extract.load import iter_pages, open_document
from extract.synth.degrade import Degradation
from extract.synth.document import PageSpec, truth_path, write_document
from extract.tables import deskew, stamps
from extract.tables.detect import detect_tables
from extract.tables.lines import find_rule_set

DPI = 200


def _stamp(gray: np.ndarray, cx: int, cy: int, r: int, level: int = 150) -> None:
    """An office stamp as scanned in gray: outer ring, thin inner ring, light lettering between them and
    a word in the middle (level: the ink's gray)."""
    cv2.circle(gray, (cx, cy), r, level, max(2, r // 28), cv2.LINE_AA)
    cv2.circle(gray, (cx, cy), int(0.7 * r), level, 1, cv2.LINE_AA)
    for k in range(14):   # letter-sized marks along the band between the rings
        a = np.pi * (1.05 + 0.9 * k / 13)
        x, y = int(cx + 0.85 * r * np.cos(a)), int(cy + 0.85 * r * np.sin(a))
        cv2.putText(gray, "S", (x - r // 16, y + r // 16), cv2.FONT_HERSHEY_SIMPLEX, r / 160, level, 2, cv2.LINE_AA)
    cv2.putText(gray, "OK", (cx - r // 3, cy + r // 8), cv2.FONT_HERSHEY_SIMPLEX, r / 90, level, 2, cv2.LINE_AA)


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    path = str(tmp_path_factory.mktemp("stamp") / "p.png")
    write_document(path, [PageSpec(seed=108, font="Loma", ruling="horizontal", degradation=Degradation(dpi=DPI))], "png")
    truth = json.load(open(truth_path(path)))["pages"][0]
    gray = np.array(next(iter(iter_pages(open_document(path)))).gray)
    return path, truth, gray


def _grid_scores(path, gray, truth):
    cv2.imwrite(path, gray)
    pg = deskew.upright(next(iter(iter_pages(open_document(path)))))
    grids = detect_tables(pg.gray, pg.provenance.dpi)
    cells = []
    for g in grids:
        for c in g.cells:
            b = pg.box_to_fraction(c.box)
            cells.append(dict(table=g.index, x0=b.x0, y0=b.y0, x1=b.x1, y1=b.y1, row_span=c.row_span, col_span=c.col_span))
    return grids, score_cells(truth, cells).summary()


def test_the_ring_of_a_stamp_is_found_and_text_is_no_ring(page):
    _path, truth, gray = page
    H, W = gray.shape
    rs = find_rule_set(gray, DPI)
    ink = np.where(rs.mask > 0, 0, rs.binary)
    assert stamps.find_rings(ink, DPI) == []          # a page of text and figures has no ring
    g = gray.copy()
    _stamp(g, W // 2, H // 2, int(0.55 * DPI))
    rs = find_rule_set(g, DPI)
    rings = stamps.find_rings(np.where(rs.mask > 0, 0, rs.binary), DPI)
    assert len(rings) == 2                           # outer and inner ring, one centre
    outer = max(rings, key=lambda r: r.r)
    assert abs(outer.cx - W // 2) <= 3 and abs(outer.cy - H // 2) <= 3 and abs(outer.r - 0.55 * DPI) <= 3


def test_a_stamp_across_a_gutter_neither_moves_column_edges_nor_joins_cells(page):
    """The sample plan-scan-2p-200dpi.pdf's page 2: a stamp's ring crossed the gutter between a month's
    count and its amount in the rows under it. The gutter's emptiest place was beside the amounts, the edge
    went through them and `1 | 2,850` was read as one cell, 12,850."""
    path, truth, gray = page
    H, W = gray.shape
    cells = truth["tables"][0]["cells"]
    body = sorted({c["row"] for c in cells if c["row"] >= 3})
    mid = body[len(body) // 2]
    gutter = next(c["x1"] for c in cells if c["row"] == mid and c["col"] == 3) * W   # month 1: count | amount
    row_y = np.mean([(c["y0"] + c["y1"]) / 2 for c in cells if c["row"] == mid]) * H
    r = int(0.55 * DPI)
    g = gray.copy()
    _stamp(g, int(gutter - 0.97 * r), int(row_y - 0.3 * r), r)
    _, clean = _grid_scores(path, gray, truth)
    grids, stamped = _grid_scores(path, g, truth)
    assert grids and grids[0].ruled == "horizontal" and grids[0].n_cols == 28
    assert stamped["cell_precision"] >= clean["cell_precision"] - 0.005
    assert stamped["cell_recall"] >= clean["cell_recall"] - 0.005


def test_a_figure_under_a_stamp_stays_text_and_the_stamps_own_ink_does_not():
    """Inside the ring, the stamp's lettering (light, its own ink) is the stamp's; a figure printed under it
    (dark) is the table's, though it lies between the same rings."""
    g = np.full((600, 600), 250, np.uint8)
    _stamp(g, 300, 300, 110, level=160)
    cv2.putText(g, "2850", (268, 398), cv2.FONT_HERSHEY_SIMPLEX, 0.5, 20, 2, cv2.LINE_AA)   # between the rings
    binary = (g < 200).astype(np.uint8)
    rings = stamps.find_rings(binary, DPI)
    assert len(rings) == 2
    n, labels, st, _ = cv2.connectedComponentsWithStats(binary, connectivity=8)
    arcs, letters = stamps.stamp_labels(labels, n, 0, 0, rings, g)
    dark = {i for i in range(1, n) if g[labels == i].min() < 60}
    assert len(dark) >= 2                                    # the figure (its glyphs touch in pairs), apart from the rings
    light = set(range(1, n)) - dark
    assert dark and not (dark & (arcs | letters))            # the figure's glyphs are nobody's stamp
    assert len(light - arcs - letters) <= 2                  # nearly all the stamp's ink is recognised


@pytest.mark.parametrize("shape,value", [((5, 5), 0), ((0, 0), 0), ((1200, 900), 1)])
def test_no_ring_on_tiny_empty_or_all_ink_pages(shape, value):
    assert stamps.find_rings(np.full(shape, value, np.uint8), 300) == []


@pytest.mark.parametrize("level", [160, 20])
def test_a_stamp_is_erased_before_ocr_and_the_print_under_it_is_kept(level):
    """A light stamp's ink is whitened, the dark figure across its ring kept whole; a stamp in ink as dark as
    the print is left alone (nothing tells its lettering from the print)."""
    g = np.full((600, 600), 250, np.uint8)
    cv2.putText(g, "2850", (330, 418), cv2.FONT_HERSHEY_SIMPLEX, 1.0, 20, 2, cv2.LINE_AA)   # across the ring
    figure = g < 200
    _stamp(g, 300, 300, 110, level=level)
    binary = (g < 200).astype(np.uint8)
    rings = stamps.find_rings(binary, DPI)
    assert len(rings) == 2
    out = stamps.erase_stamps(g, g, binary, rings)
    if level == 20:
        assert np.array_equal(out, g)
        return
    stamp_ink = (g < 200) & ~cv2.dilate(figure.astype(np.uint8), np.ones((9, 9), np.uint8)).astype(bool)
    assert (out[stamp_ink] >= 250).mean() > 0.99      # the stamp is gone
    assert np.array_equal(out[figure & (g < 60)], g[figure & (g < 60)])   # the figure's dark pixels are kept


def test_a_stamp_over_a_table_leaves_its_figures_as_they_are(page, tmp_path, monkeypatch):
    """The whole pipeline (real Tesseract and numeral recognizer) on the generated page with a light stamp
    pressed over the budget columns of several rows: the stamp's ink is erased before the cells are read, so
    the cells under it read as the page without the stamp does - the empty ones stay empty (the sample's
    lettering in an empty cell was read ๗๓๗๑)."""
    from extract import pipeline
    from extract.pipeline import process_document

    _path, truth, gray = page
    H, W = gray.shape
    cells = truth["tables"][0]["cells"]
    body = sorted({c["row"] for c in cells if c["row"] >= 3})
    mid = body[len(body) // 2]
    cx = int(np.mean([(c["x0"] + c["x1"]) / 2 for c in cells if c["row"] == mid and c["col"] in (6, 7)]) * W)
    cy = int(np.mean([(c["y0"] + c["y1"]) / 2 for c in cells if c["row"] == mid]) * H)
    r = int(0.55 * DPI)
    plain, stamped = tmp_path / "plain.png", tmp_path / "stamped.png"
    cv2.imwrite(str(plain), gray)
    g = gray.copy()
    _stamp(g, cx, cy, r)
    cv2.imwrite(str(stamped), g)

    def under_stamp(path):
        res = process_document(path)
        assert res.status == "ok"
        return {(c.row, c.col): (c.value, c.text) for c in res.cells
                if c.role in ("work", "budget") and np.hypot((c.box.x0 + c.box.x1) / 2 - cx, (c.box.y0 + c.box.y1) / 2 - cy) < r}

    want = under_stamp(plain)
    assert len(want) >= 6
    assert under_stamp(stamped) == want
    monkeypatch.setattr(pipeline, "erase_stamps", lambda image, *a: image)   # the same without the erasing
    assert under_stamp(stamped) != want
