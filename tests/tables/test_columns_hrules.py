"""Horizontal-only plan table from the project generator: 28 columns, 3-row header, wide budget figures
(e.g. ๑๓,๘๕๐) that nearly close the gutters between a month's งาน and งบ columns."""
import json

from extract.bench.score import score_cells
from extract.load import iter_pages, open_document
from extract.synth.degrade import Degradation
from extract.synth.document import PageSpec, truth_path, write_document
from extract.tables import deskew
from extract.tables.detect import detect_tables


def test_horizontal_only_plan_page_200dpi(tmp_path):
    path = str(tmp_path / "p.png")
    write_document(path, [PageSpec(seed=108, font="Loma", ruling="horizontal", degradation=Degradation(dpi=200))], "png")
    truth = json.load(open(truth_path(path)))["pages"][0]
    page = deskew.upright(next(iter(iter_pages(open_document(path)))))
    grids = detect_tables(page.gray, page.provenance.dpi)
    assert grids and grids[0].ruled == "horizontal" and grids[0].n_cols == 28
    cells = []
    for g in grids:
        for c in g.cells:
            b = page.box_to_fraction(c.box)
            cells.append(dict(table=g.index, x0=b.x0, y0=b.y0, x1=b.x1, y1=b.y1, row_span=c.row_span, col_span=c.col_span))
    s = score_cells(truth, cells).summary()
    assert s["cell_precision"] >= 0.97 and s["cell_recall"] >= 0.97
    assert s["header_spans_correct"] >= 0.97
    spans = {(c.row, c.col): (c.row_span, c.col_span) for c in grids[0].cells if c.row < 3}
    assert spans[(0, 1)] == (2, 2)                                      # เป้าหมาย
    assert all(spans[(0, 3 + 6 * q)] == (1, 6) for q in range(4))       # ไตรมาส ๑..๔
    assert all(spans[(1, 3 + 2 * m)] == (1, 2) for m in range(12))      # months


def test_a_stamp_over_a_horizontal_only_table_does_not_move_its_column_edges(tmp_path):
    """The benchmark's page (tiff-200-2p, page 2: Umpush, 200 dpi, a stamp and a signature over a table ruled
    only horizontally) where the stamp's ring, taken for text as one box, filled a gutter: the edge was put
    0.012 of the page width off, through ๑๐,๘๕๐.๐๐, which was read as ๑๐ | ๘๕๐.๐๐ in two cells. The column
    edges are now inferred without the pen strokes too, and those that cut through fewer words (the strokes'
    ink counted in pieces, `stroke_pieces`) are taken: every edge within 0.005 of the truth
    (after the page's own shift and scale)."""
    import numpy as np

    from extract.bench.sets import full_set

    spec = next(s for s in full_set(2566) if s.name == "tiff-200-2p")
    path = str(tmp_path / "p.tiff")
    truth = write_document(path, spec.pages, "tiff")["pages"][1]
    assert spec.pages[1].degradation.stamp and spec.pages[1].ruling == "horizontal"
    page = deskew.upright(list(iter_pages(open_document(path)))[1])
    grid = detect_tables(page.gray, page.provenance.dpi)[0]
    W = page.gray.shape[1]
    got = np.array([x / W for x in grid.col_edges])
    want = np.array(sorted({c["x0"] for c in truth["tables"][0]["cells"] if c["row"] == 13} | {truth["tables"][0]["cells"][-1]["x1"]}))
    assert len(got) == len(want)
    dev = got - np.polyval(np.polyfit(want, got, 1), want)   # the page's deskew moves all edges alike
    assert np.abs(dev).max() < 0.005, np.round(dev, 4)
