import functools

import numpy as np
import pytest

from extract.tables.lines import Seg, binarize, find_rule_set, find_rules, line_masks, merge_collinear, remove_rules
from tests.tables.synth_forms import plan_page


@functools.lru_cache(maxsize=None)
def page(dpi, **kw):
    return plan_page(dpi, **kw)


@pytest.mark.parametrize("dpi", [150, 300])
def test_one_rule_per_row_edge_and_no_text_rules(dpi):
    p = page(dpi)
    exp = p.tables[0]
    h, v = find_rules(p.gray, dpi)
    ys = sorted(r.y0 for r in h)
    assert len(ys) == len(exp["row_edges"])                       # the double line under the header is one rule
    # the double rule sits between its two strokes; everything else within 2 px
    for y, e in zip(ys, exp["row_edges"]):
        assert abs(y - e) <= (0.03 * dpi if e == exp["row_edges"][3] else 2)
    tol = 0.02 * dpi
    for r in v:                                                   # every vertical lies on a column edge
        assert min(abs(r.x0 - x) for x in exp["col_edges"]) <= tol
    for x in exp["col_edges"]:                                    # every column edge has a rule
        assert min(abs(r.x0 - x) for r in v) <= tol


def test_gaps_are_bridged():
    dpi = 200
    p = page(dpi, gaps=True, stamp=True)
    exp = p.tables[0]
    h, _v = find_rules(p.gray, dpi)
    width = exp["col_edges"][-1] - exp["col_edges"][0]
    for y in exp["row_edges"][3:]:                                # body rules run the full width, gaps and all
        near = [r for r in h if abs(r.y0 - y) < 0.04 * dpi]
        assert len(near) == 1 and near[0].x1 - near[0].x0 >= 0.97 * width


def test_span_gap_not_bridged_but_break_is():
    cross = [Seg(100, 0, 400, 2), Seg(200, 0, 400, 2)]           # two verticals at x=100, x=200
    # a horizontal missing exactly between the verticals: a spanning cell, keep the gap
    kept = merge_collinear([Seg(50, 0, 100, 2), Seg(50, 200, 300, 2)], cross, 100)
    assert len(kept) == 2
    # a break at random places: bridge it
    joined = merge_collinear([Seg(50, 0, 130, 2), Seg(50, 150, 300, 2)], cross, 100)
    assert len(joined) == 1 and joined[0].a0 == 0 and joined[0].a1 == 300
    # double line: two parallel strokes close together
    dbl = merge_collinear([Seg(50, 0, 300, 2), Seg(53, 0, 300, 2)], [], 100)
    assert len(dbl) == 1 and 50 < dbl[0].pos < 53


def test_remove_rules_erases_lines_keeps_text():
    dpi = 200
    p = page(dpi)
    h, v = find_rules(p.gray, dpi)
    clean = remove_rules(p.gray, h, v, dpi)
    before = [m.sum() for m in line_masks(binarize(p.gray, dpi), dpi)]
    after = [m.sum() for m in line_masks(binarize(clean, dpi), dpi)]
    assert after[0] < 0.05 * before[0] and after[1] < 0.05 * before[1]
    ink_before, ink_after = (binarize(p.gray, dpi) > 0).sum(), (binarize(clean, dpi) > 0).sum()
    assert ink_after > 0.3 * ink_before                           # text stays


def test_rule_set_mask_shape():
    p = page(150)
    rs = find_rule_set(p.gray, 150)
    assert rs.mask.shape == p.gray.shape and rs.mask.dtype == np.uint8
