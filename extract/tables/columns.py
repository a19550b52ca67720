"""Column edges of a table ruled only horizontally, from the alignment of its ink.

Per row (band between two horizontal rules) the x-extents of the ink boxes (text components or words) are
projected; x ranges empty in (almost) all rows are the gutters between columns.  A row whose ink crosses a
gutter (a section title, a header spanning several columns) is a spanning cell there.
"""
from __future__ import annotations

import numpy as np

from extract.types import BBox

MIN_GAP_IN = 0.06        # narrowest gutter taken as a column boundary
PAD_IN = 0.01            # ink boxes are widened by this before projecting
SPAN_PAD_IN = 0.03       # ...and by this when asking whether a row's ink crosses a boundary
MAX_BOX_W_IN, MAX_BOX_H_IN = 1.2, 0.5   # bigger blobs are stamps/signatures, not text
SPECK_IN = 0.025         # smaller blobs are scan noise
CROSS_FRACTION = 0.2     # a gutter may be crossed by at most this share of the inked rows (>= 1 row)


def text_like(boxes: list[BBox], dpi: float) -> list[BBox]:
    """Ink components that can be text (not specks, not stamps); for raster components, not for words."""
    mw, mh, speck = MAX_BOX_W_IN * dpi, MAX_BOX_H_IN * dpi, SPECK_IN * dpi
    return [b for b in boxes if b.width <= mw and b.height <= mh and max(b.width, b.height) >= speck]


def _row_occupancy(row_edges: list[float], x0: float, x1: float, boxes: list[BBox], dpi: float, pad_in: float):
    step = max(dpi / 150.0, 0.25)
    nb = int(np.ceil((x1 - x0) / step)) + 1
    occ = np.zeros((len(row_edges) - 1, nb), bool)
    pad = pad_in * dpi
    ys = np.asarray(row_edges)
    for b in boxes:
        if b.cx < x0 or b.cx > x1:
            continue
        r = int(np.searchsorted(ys, b.cy)) - 1
        if 0 <= r < len(ys) - 1:
            a = max(0, int((b.x0 - pad - x0) / step))
            z = min(nb, int(np.ceil((b.x1 + pad - x0) / step)) + 1)
            occ[r, a:z] = True
    return occ, step


def infer_columns(row_edges: list[float], x0: float, x1: float, boxes: list[BBox], dpi: float,
                  *, min_gap_in: float = MIN_GAP_IN) -> list[float]:
    """Column edges (including the outer two) from gutters empty in almost every inked row."""
    occ, step = _row_occupancy(row_edges, x0, x1, boxes, dpi, PAD_IN)
    inked = occ.any(axis=1)
    n = int(inked.sum())
    if n == 0:
        return [x0, x1]
    allowed = max(1, int(CROSS_FRACTION * n)) if n >= 3 else 0
    free = occ[inked].sum(axis=0) <= allowed
    edges = [x0]
    i, nb = 0, len(free)
    min_bins = max(1, int(min_gap_in * dpi / step))
    while i < nb:
        if not free[i]:
            i += 1
            continue
        j = i
        while j < nb and free[j]:
            j += 1
        if i > 0 and j < nb and j - i >= min_bins:
            # centre of the gutter, measured on rows that respect it
            edges.append(x0 + (i + j) / 2 * step)
        i = j
    edges.append(x1)
    return edges


def ink_crossings(row_edges: list[float], col_edges: list[float], boxes: list[BBox], dpi: float) -> np.ndarray:
    """v_border[r, c]: True when row r has no ink across the boundary between columns c and c+1."""
    x0, x1 = col_edges[0], col_edges[-1]
    occ, step = _row_occupancy(row_edges, x0, x1, boxes, dpi, SPAN_PAD_IN)
    out = np.ones((len(row_edges) - 1, max(0, len(col_edges) - 2)), bool)
    for c, x in enumerate(col_edges[1:-1]):
        k = min(occ.shape[1] - 1, int(round((x - x0) / step)))
        out[:, c] = ~occ[:, k]
    # a row whose only ink is one run across boundaries is a section title: it spans the whole row
    for r in range(out.shape[0]):
        if out[r].all():
            continue
        inked = []
        for c in range(len(col_edges) - 1):
            a = int((col_edges[c] - x0) / step) + 1
            z = int((col_edges[c + 1] - x0) / step)
            inked.append(bool(occ[r, a:max(a + 1, z)].any()))
        cols = [c for c, v in enumerate(inked) if v]
        if len(cols) > 1 and all(not out[r, c] for c in range(cols[0], cols[-1])):
            out[r, :] = False
    return out
