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
SPAN_PAD_IN = 0.0        # ...and by this when asking whether a row's ink crosses a boundary
TITLE_PAD_IN = 0.03      # ...and by this when asking whether a row is one run of text (word spaces bridged)
MAX_BOX_W_IN, MAX_BOX_H_IN = 1.2, 0.5   # bigger blobs are stamps/signatures, not text
SPECK_IN = 0.025         # smaller blobs are scan noise
CROSS_FRACTION = 0.2     # a gutter may be crossed by at most this share of the inked rows (>= 1 row)
WORD_GAP_IN = 0.1        # ink boxes closer than this are one word (sub-header words are far apart)
SUBHEAD_SCAN_ROWS = 5    # the sub-header row is among the first rows...
SUBHEAD_MIN_WORDS = 10   # ...has at least this many words...
SUBHEAD_MAX_W_IN = 0.6   # ...nearly all of them short
BODY_CROSS_FRACTION = 0.1  # body rows whose ink may cross a boundary between sub-header words
MIN_COL_IN = 0.08        # narrower columns are artefacts
MIN_RUN_STEPS = 3        # an emptiest x range narrower than this many profile steps is a sliver
UNASSIGNED_COST_IN = 0.02  # header titles: an empty header cell left alone costs as much as this much off-centre
TITLE_GAP_IN, TITLE_MIN_W_IN = 0.15, 1.0   # a row of one run (gaps below the first) wider than the second is a title


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
    """Column edges (including the outer two).

    When a header row holds one short word per column (a sub-header such as งาน/งบ under every month), each
    word is one column there and the boundary between neighbouring words is put in the x range the body rows
    leave emptiest; outside that row's extent (and without such a row) columns come from gutters empty in
    almost every inked row."""
    occ, step = _row_occupancy(row_edges, x0, x1, boxes, dpi, PAD_IN)
    sub = find_subheader(row_edges, x0, x1, boxes, dpi)
    gut = _gutter_edges(occ, step, x0, x1, dpi, min_gap_in)
    if sub is None:
        return _drop_narrow(gut, dpi)
    r, words = sub
    body = occ[r + 1:]
    cnt = body.sum(axis=0)
    nbody = int(body.any(axis=1).sum())
    tol = max(0, int(BODY_CROSS_FRACTION * nbody))
    lo_x, hi_x = words[0][0], words[-1][1]
    margin = PAD_IN * dpi
    edges = [e for e in gut if e < lo_x - margin]
    # the sub-header's first and last columns end half a typical word gap outside its words, even where
    # long activity text or names leave no empty gutter there
    gaps = sorted(b0 - a1 for (_a0, a1), (b0, _b1) in zip(words, words[1:]))
    half_gap = gaps[len(gaps) // 2] / 2 if gaps else margin
    pitch = sorted(b0 - a0 for (a0, _a1), (b0, _b1) in zip(words, words[1:]))
    col_w = pitch[len(pitch) // 2] if pitch else 4 * margin
    if not any(lo_x - col_w <= e < lo_x - margin for e in edges) and lo_x - half_gap > x0 + margin:
        edges.append(lo_x - half_gap)
    for (_a0, a1), (b0, _b1) in zip(words, words[1:]):
        i, j = int(np.ceil((a1 - x0) / step)), int((b0 - x0) / step)
        if j <= i:
            edges.append((a1 + b0) / 2)
            continue
        seg = cnt[i:j + 1]
        # the emptiest x range: where fewest body rows have ink; only when that is a sliver, the longest
        # range within `tol` rows of it (a gutter crossed by a few wide numbers or a stamp)
        n, k0, k1 = _longest_run(seg <= seg.min())
        if n < MIN_RUN_STEPS:
            n, k0, k1 = _longest_run(seg <= seg.min() + tol)
        edges.append(x0 + (i + (k0 + k1 - 1) / 2) * step)
    right = [e for e in gut if e > hi_x + margin]
    if not any(e <= hi_x + col_w for e in right) and hi_x + half_gap < x1 - margin:
        right.insert(0, hi_x + half_gap)
    edges += right
    return _drop_narrow(sorted(edges), dpi)


def _longest_run(free: np.ndarray) -> tuple[int, int, int]:
    """(length, start, end) of the longest run of True in ``free``."""
    best, k = (0, 0, 0), 0
    while k < len(free):
        if free[k]:
            z = k
            while z < len(free) and free[z]:
                z += 1
            if z - k > best[0]:
                best = (z - k, k, z)
            k = z
        else:
            k += 1
    return best


def _drop_narrow(edges: list[float], dpi: float) -> list[float]:
    """Merge columns narrower than MIN_COL_IN into a single boundary (the outer edges stay)."""
    out = list(edges)
    lim = MIN_COL_IN * dpi
    k = 1
    while k < len(out) and len(out) > 2:
        if out[k] - out[k - 1] < lim:
            if k - 1 == 0:
                del out[k]
            elif k == len(out) - 1:
                del out[k - 1]
            else:
                out[k - 1:k + 1] = [(out[k - 1] + out[k]) / 2]
            continue
        k += 1
    return out


def _rows_boxes(row_edges: list[float], x0: float, x1: float, boxes: list[BBox]) -> list[list[BBox]]:
    ys = np.asarray(row_edges)
    out: list[list[BBox]] = [[] for _ in range(len(row_edges) - 1)]
    for b in boxes:
        if b.cx < x0 or b.cx > x1:
            continue
        r = int(np.searchsorted(ys, b.cy)) - 1
        if 0 <= r < len(out):
            out[r].append(b)
    return out


def x_runs(bs: list[BBox], gap: float) -> list[tuple[float, float]]:
    """The x ranges of the boxes' ink, boxes closer than ``gap`` joined (words; a table row's columns)."""
    out: list[list[float]] = []
    for b in sorted(bs, key=lambda b: b.x0):
        if out and b.x0 - out[-1][1] <= gap:
            out[-1][1] = max(out[-1][1], b.x1)
        else:
            out.append([b.x0, b.x1])
    return [(a, z) for a, z in out]


WORD_JOIN_IN = 0.03   # glyphs closer than this are one word (a figure such as ๑๐,๘๕๐.๐๐) when counting cuts


def words_cut(row_edges: list[float], col_edges: list[float], boxes: list[BBox], dpi: float) -> int:
    """How many words of the body rows (below the first) the inner column edges cut through."""
    n = 0
    for bs in _rows_boxes(row_edges, col_edges[0], col_edges[-1], boxes)[1:]:
        for a, z in x_runs(bs, WORD_JOIN_IN * dpi):
            n += sum(1 for x in col_edges[1:-1] if a < x < z)
    return n


def find_subheader(row_edges: list[float], x0: float, x1: float, boxes: list[BBox], dpi: float):
    """(row, word extents) of the header row made of one short word per column, or None."""
    rows = _rows_boxes(row_edges, x0, x1, boxes)
    best = None
    for r in range(min(SUBHEAD_SCAN_ROWS, len(rows) - 1)):
        cl = x_runs(rows[r], WORD_GAP_IN * dpi)
        if len(cl) < SUBHEAD_MIN_WORDS:
            continue
        short = sum(1 for a, z in cl if z - a <= SUBHEAD_MAX_W_IN * dpi)
        if short < 0.9 * len(cl):
            continue
        if best is None or len(cl) > len(best[1]):
            best = (r, cl)
    return best


def _title_rows(occ: np.ndarray, step: float, dpi: float) -> np.ndarray:
    """Rows whose ink is one long run (section titles, spanning headers): no evidence about gutters."""
    out = np.zeros(occ.shape[0], bool)
    for r in range(occ.shape[0]):
        row = occ[r]
        if not row.any():
            continue
        d = np.diff(np.concatenate([[0], row.astype(np.int8), [0]]))
        starts, ends = np.nonzero(d == 1)[0], np.nonzero(d == -1)[0]
        gaps = starts[1:] - ends[:-1]
        big = gaps * step > TITLE_GAP_IN * dpi
        n_runs = 1 + int(big.sum())
        out[r] = n_runs == 1 and (ends[-1] - starts[0]) * step > TITLE_MIN_W_IN * dpi
    return out


def _gutter_edges(occ: np.ndarray, step: float, x0: float, x1: float, dpi: float, min_gap_in: float) -> list[float]:
    inked = occ.any(axis=1) & ~_title_rows(occ, step, dpi)
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


def ink_crossings(row_edges: list[float], col_edges: list[float], boxes: list[BBox], dpi: float,
                  h_border: np.ndarray | None = None) -> np.ndarray:
    """v_border[r, c]: True when row r has no ink across the boundary between columns c and c+1.

    With ``h_border`` (is the rule between rows r and r+1 drawn over column c?), header rows above the sub-header
    row also get the spans their centred titles imply: an empty cell ruled above and below joins the
    neighbouring titled cell when that centres the title in its span (a quarter over its months)."""
    x0, x1 = col_edges[0], col_edges[-1]
    occ, step = _row_occupancy(row_edges, x0, x1, boxes, dpi, SPAN_PAD_IN)
    out = np.ones((len(row_edges) - 1, max(0, len(col_edges) - 2)), bool)
    for c, x in enumerate(col_edges[1:-1]):
        k = min(occ.shape[1] - 1, int(round((x - x0) / step)))
        out[:, c] = ~occ[:, k]
    # a row whose only ink is one run across boundaries is a section title: it spans the whole row
    occ, step = _row_occupancy(row_edges, x0, x1, boxes, dpi, TITLE_PAD_IN)
    crossed = np.ones_like(out)
    for c, x in enumerate(col_edges[1:-1]):
        crossed[:, c] = ~occ[:, min(occ.shape[1] - 1, int(round((x - x0) / step)))]
    for r in range(out.shape[0]):
        if out[r].all():
            continue
        inked = []
        for c in range(len(col_edges) - 1):
            a = int((col_edges[c] - x0) / step) + 1
            z = int((col_edges[c + 1] - x0) / step)
            inked.append(bool(occ[r, a:max(a + 1, z)].any()))
        cols = [c for c, v in enumerate(inked) if v]
        if len(cols) > 1 and all(not crossed[r, c] for c in range(cols[0], cols[-1])):
            out[r, :] = False
    if h_border is not None and out.shape[1] > 0:
        sub = find_subheader(row_edges, x0, x1, boxes, dpi)
        if sub is not None:
            rows = _rows_boxes(row_edges, x0, x1, boxes)
            r, words = sub
            for c, x in enumerate(col_edges[1:-1]):
                out[r, c] = not any(a < x < z for a, z in words)
            for r in range(sub[0]):
                _centre_titles(r, out, rows[r], col_edges, np.asarray(h_border, bool), dpi)
    return out


def _centre_titles(r: int, out: np.ndarray, bs: list[BBox], col_edges: list[float], h_border: np.ndarray,
                   dpi: float) -> None:
    """Give header row r's empty, ruled-above-and-below cells to the neighbouring titles so that each title is
    centred in its span (offsets in inches, plus UNASSIGNED_COST_IN per cell left alone); dynamic programming
    over the titles from left to right."""
    nr, nc = out.shape[0], len(col_edges) - 1
    groups, c0 = [], 0
    for c in range(nc):
        if c == nc - 1 or out[r, c]:
            groups.append((c0, c))
            c0 = c + 1
    centres = []
    for a, z in groups:
        lo, hi = col_edges[a], col_edges[z + 1]
        xs = [(b.x0, b.x1) for b in bs if lo <= b.cx <= hi]
        centres.append(None if not xs else (min(x for x, _ in xs) + max(x for _, x in xs)) / 2)
    eligible = [a == z and centres[g] is None and (r == 0 or h_border[r - 1, a]) and (r == nr - 1 or h_border[r, a])
                for g, (a, z) in enumerate(groups)]
    titles = [g for g in range(len(groups)) if centres[g] is not None]
    if not titles:
        return

    def run(g: int, d: int) -> tuple[int, int]:          # (eligible groups next to g in direction d, stopper)
        k, n = g + d, 0
        while 0 <= k < len(groups) and eligible[k]:
            k += d
            n += 1
        return n, k

    lam = UNASSIGNED_COST_IN

    def off(g: int, left: int, right: int) -> float:
        a, z = groups[g]
        return abs(centres[g] - (col_edges[a - left] + col_edges[z + right + 1]) / 2) / dpi

    nl, _ = run(titles[0], -1)
    states = {l: (lam * (nl - l), []) for l in range(nl + 1)}   # l: cells taken from the left run
    for ti, g in enumerate(titles):
        nr_, stop = run(g, +1)
        nxt = titles[ti + 1] if ti + 1 < len(titles) else None
        new: dict[int, tuple[float, list]] = {}
        for l, (cost, ch) in states.items():
            for i in range(nr_ + 1):
                base = cost + off(g, l, i)
                if nxt is not None and stop == nxt:       # shared run: cells i..j-1 unassigned, j.. to the next title
                    for j in range(i, nr_ + 1):
                        c, nl2 = base + lam * (j - i), nr_ - j
                        if nl2 not in new or c < new[nl2][0]:
                            new[nl2] = (c, ch + [(g, l, i)])
                else:
                    c = base + lam * (nr_ - i)
                    if nxt is None:
                        if -1 not in new or c < new[-1][0]:
                            new[-1] = (c, ch + [(g, l, i)])
                    else:
                        nl2max, _ = run(nxt, -1)
                        for nl2 in range(nl2max + 1):
                            c2 = c + lam * (nl2max - nl2)
                            if nl2 not in new or c2 < new[nl2][0]:
                                new[nl2] = (c2, ch + [(g, l, i)])
        states = new
    _cost, choice = min(states.values(), key=lambda v: v[0])
    for g, left, right in choice:
        a, z = groups[g]
        out[r, a - left:a] = False
        out[r, z:z + right] = False
