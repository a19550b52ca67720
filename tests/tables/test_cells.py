import numpy as np

from extract.tables.cells import border_coverage, grid_to_cells, merge_spans
from extract.tables.lines import Seg
from tests.tables.synth_forms import plan_table, render, rules_from_cells


def covered_once(cells, nr, nc):
    cnt = np.zeros((nr, nc), int)
    for r, c, rs, cs in cells:
        cnt[r:r + rs, c:c + cs] += 1
    return (cnt == 1).all()


def test_all_borders_present_gives_elementary_cells():
    v = np.ones((3, 3), bool)
    h = np.ones((2, 4), bool)
    cells = merge_spans(v, h)
    assert sorted(cells) == [(r, c, 1, 1) for r in range(3) for c in range(4)]


def test_rectangular_spans():
    v = np.ones((3, 3), bool)
    h = np.ones((2, 4), bool)
    v[0, 1] = v[1, 1] = False        # (0..1, 1..2) is one cell 2x2
    h[0, 1] = h[0, 2] = False
    v[2, :] = False                  # last row spans all
    cells = merge_spans(v, h)
    assert (0, 1, 2, 2) in cells and (2, 0, 1, 4) in cells
    assert covered_once(cells, 3, 4)


def test_non_rectangular_region_is_split_into_rectangles():
    # L shape: (0,0)-(0,1) joined and (0,0)-(1,0) joined
    v = np.ones((2, 1), bool)
    h = np.ones((1, 2), bool)
    v[0, 0] = False
    h[0, 0] = False
    cells = merge_spans(v, h)
    assert covered_once(cells, 2, 2)
    assert sorted(cells) == [(0, 0, 1, 2), (1, 0, 1, 1), (1, 1, 1, 1)]   # the L is cut into two rectangles


def test_border_coverage_threshold():
    segs = [Seg(10, 0, 60, 1)]                       # covers 60% of the first border piece, nothing of the second
    cov = border_coverage([10], [0, 100, 200], segs, dpi=100)
    assert 0.55 < cov[0, 0] < 0.7 and cov[0, 1] == 0


def test_spans_from_vector_rules_match_plan_form():
    page = render([plan_table(0.37, 1.1)], 100, noise=False, title=False)
    exp = page.tables[0]
    rules = rules_from_cells(exp)
    h = [r for r in rules if r.horizontal]
    v = [r for r in rules if not r.horizontal]
    cells = grid_to_cells(exp["row_edges"], exp["col_edges"], h, v, 100)
    assert sorted((c.row, c.col, c.row_span, c.col_span) for c in cells) == sorted(e[:4] for e in exp["cells"])
