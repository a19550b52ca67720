"""Spanning cells: is each border between two adjacent elementary cells drawn? Merge where it is not.

Works on rule *segments* (from a raster mask or from a PDF alike): a border is present when rules near its
position cover at least ``MIN_COVER`` of its length.  Elementary cells joined across missing borders are
merged with union-find; a merged region that is not a rectangle is split back into maximal rectangles.
"""
from __future__ import annotations

import numpy as np

from extract.tables.lines import Seg, rules_to_segs
from extract.types import BBox, GridCell, Rule

MIN_COVER = 0.55
EDGE_TOL_IN = 0.04        # a rule belongs to an edge if within this (+ half its thickness)
END_MARGIN_IN = 0.02      # ignore this much at each end of a border (the crossing rule's own thickness)


def _coverage(lo: float, hi: float, intervals: list[tuple[float, float]]) -> float:
    if hi <= lo:
        return 1.0
    spans = sorted((max(lo, a), min(hi, b)) for a, b in intervals if b > lo and a < hi)
    covered, cur_a, cur_b = 0.0, None, None
    for a, b in spans:
        if cur_b is None or a > cur_b:
            if cur_b is not None:
                covered += cur_b - cur_a
            cur_a, cur_b = a, b
        else:
            cur_b = max(cur_b, b)
    if cur_b is not None:
        covered += cur_b - cur_a
    return covered / (hi - lo)


def border_coverage(edges_across: list[float], edges_along: list[float], segs: list[Seg], dpi: float) -> np.ndarray:
    """Coverage of every border piece: result[i, j] for the line at ``edges_across[i]`` between
    ``edges_along[j]`` and ``edges_along[j+1]``."""
    out = np.zeros((len(edges_across), max(0, len(edges_along) - 1)))
    tol = EDGE_TOL_IN * dpi
    m = END_MARGIN_IN * dpi
    for i, p in enumerate(edges_across):
        iv = [(s.a0, s.a1) for s in segs if abs(s.pos - p) <= tol + s.thick / 2]
        for j in range(len(edges_along) - 1):
            lo, hi = edges_along[j], edges_along[j + 1]
            mm = min(m, (hi - lo) / 4)
            out[i, j] = _coverage(lo + mm, hi - mm, iv)
    return out


def merge_spans(v_border: np.ndarray, h_border: np.ndarray) -> list[tuple[int, int, int, int]]:
    """Cells (row, col, row_span, col_span) from border presence.

    ``v_border[r, c]`` (shape n_rows x (n_cols-1)): is the border between (r, c) and (r, c+1) drawn?
    ``h_border[r, c]`` (shape (n_rows-1) x n_cols): is the border between (r, c) and (r+1, c) drawn?
    Every elementary position ends up in exactly one rectangle.
    """
    nr, nc = v_border.shape[0], h_border.shape[1]
    parent = list(range(nr * nc))

    def find(a: int) -> int:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    for r in range(nr):
        for c in range(nc - 1):
            if not v_border[r, c]:
                parent[find(r * nc + c)] = find(r * nc + c + 1)
    for r in range(nr - 1):
        for c in range(nc):
            if not h_border[r, c]:
                parent[find(r * nc + c)] = find((r + 1) * nc + c)
    comp = np.array([find(i) for i in range(nr * nc)]).reshape(nr, nc)
    done = np.zeros((nr, nc), bool)
    cells = []
    for r in range(nr):
        for c in range(nc):
            if done[r, c]:
                continue
            k = comp[r, c]
            rows, cols = np.nonzero(comp == k)
            r0, r1, c0, c1 = rows.min(), rows.max(), cols.min(), cols.max()
            if (r, c) == (r0, c0) and len(rows) == (r1 - r0 + 1) * (c1 - c0 + 1) and not done[r0:r1 + 1, c0:c1 + 1].any():
                cells.append((int(r0), int(c0), int(r1 - r0 + 1), int(c1 - c0 + 1)))
                done[r0:r1 + 1, c0:c1 + 1] = True
                continue
            # not a rectangle: grow a maximal rectangle from (r, c) right, then down
            ce = c
            while ce + 1 < nc and comp[r, ce + 1] == k and not done[r, ce + 1] and not v_border[r, ce]:
                ce += 1
            re_ = r
            while (re_ + 1 < nr and (comp[re_ + 1, c:ce + 1] == k).all() and not done[re_ + 1, c:ce + 1].any()
                   and not h_border[re_, c:ce + 1].any()
                   and (ce == c or not v_border[re_ + 1, c:ce].any())):
                re_ += 1
            cells.append((r, c, re_ - r + 1, ce - c + 1))
            done[r:re_ + 1, c:ce + 1] = True
    return cells


def cells_from_spans(spans: list[tuple[int, int, int, int]], row_edges: list[float], col_edges: list[float]) -> list[GridCell]:
    return [GridCell(r, c, rs, cs, BBox(col_edges[c], row_edges[r], col_edges[c + cs], row_edges[r + rs]))
            for r, c, rs, cs in spans]


def grid_to_cells(row_edges: list[float], col_edges: list[float], h: list[Rule] | list[Seg], v: list[Rule] | list[Seg],
                  dpi: float, *, v_border: np.ndarray | None = None, min_cover: float = MIN_COVER) -> list[GridCell]:
    """Cells with spans for a grid whose borders are drawn by ``h``/``v`` rules.

    ``v_border`` overrides the vertical-border decision (used when columns were inferred from text alignment).
    """
    hs = h if (not h or isinstance(h[0], Seg)) else rules_to_segs(h, True)
    vs = v if (not v or isinstance(v[0], Seg)) else rules_to_segs(v, False)
    nr, nc = len(row_edges) - 1, len(col_edges) - 1
    if v_border is None:
        v_border = border_coverage(col_edges[1:-1], row_edges, vs, dpi).T >= min_cover    # (nr, nc-1)
    h_border = border_coverage(row_edges[1:-1], col_edges, hs, dpi) >= min_cover          # (nr-1, nc)
    v_border = np.asarray(v_border, bool).reshape(nr, max(0, nc - 1))
    h_border = h_border.reshape(max(0, nr - 1), nc)
    return cells_from_spans(merge_spans(v_border, h_border), row_edges, col_edges)
