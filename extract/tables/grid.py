"""From rules to table grids: group rules into tables, cluster row/column edges, then cells.

1. Rules that cross or touch are one table (union-find over horizontal x vertical pairs).
2. Horizontal rules that belong to no such table but stack with a common x-extent form a
   horizontally-ruled table (its columns are inferred from ink, see ``columns.py``).
3. Edge positions are clusters of rule positions; cells and spans come from ``cells.py``.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Optional, Sequence

import numpy as np

from extract.tables.cells import MIN_COVER, border_coverage, grid_to_cells
from extract.tables.columns import infer_columns, ink_crossings, words_cut
from extract.tables.lines import Seg, rules_to_segs
from extract.types import BBox, Rule, TableGrid

JOIN_TOL_IN = 0.05       # a rule end within this of a crossing rule touches it
EDGE_TOL_IN = 0.05       # rule positions closer than this are one edge
MIN_TABLE_IN = 0.5       # a table is at least this wide and high
HSTACK_GAP_IN = 2.0      # horizontal-only tables: rules at most this far apart (a tall wrapped row)
HSTACK_OVERLAP = 0.7     # ...sharing this share of the shorter rule's extent
HSTACK_MIN_LEN_IN = 2.0  # ...and each at least this long

InkSource = Optional[Callable[[BBox], Sequence[BBox]] | Sequence[BBox]]


@dataclass
class RuleGroup:
    h: list[Seg]
    v: list[Seg]
    row_edges: list[float]
    col_edges: list[float]
    needs_columns: bool      # no inner vertical rules: columns must come from ink

    @property
    def box(self) -> BBox:
        return BBox(self.col_edges[0], self.row_edges[0], self.col_edges[-1], self.row_edges[-1])


def cluster_positions(pos: Sequence[float], weights: Sequence[float], tol: float) -> list[float]:
    """1-D clustering (chain within ``tol``), weighted mean of each cluster."""
    if len(pos) == 0:
        return []
    order = np.argsort(pos)
    p = np.asarray(pos, float)[order]
    w = np.asarray(weights, float)[order]
    out, start = [], 0
    for i in range(1, len(p) + 1):
        if i == len(p) or p[i] - p[i - 1] > tol:
            out.append(float(np.average(p[start:i], weights=w[start:i])))
            start = i
    return out


def _touch_matrix(h: list[Seg], v: list[Seg], tol: float) -> np.ndarray:
    if not h or not v:
        return np.zeros((len(h), len(v)), bool)
    hp = np.array([[s.pos, s.a0, s.a1, s.thick] for s in h])
    vp = np.array([[s.pos, s.a0, s.a1, s.thick] for s in v])
    x_ok = (vp[None, :, 0] >= hp[:, None, 1] - tol) & (vp[None, :, 0] <= hp[:, None, 2] + tol)
    y_ok = (hp[:, None, 0] >= vp[None, :, 1] - tol) & (hp[:, None, 0] <= vp[None, :, 2] + tol)
    return x_ok & y_ok


def group_rules(h: list[Seg], v: list[Seg], dpi: float) -> list[RuleGroup]:
    tol = JOIN_TOL_IN * dpi
    etol = EDGE_TOL_IN * dpi
    nh, nv = len(h), len(v)
    parent = list(range(nh + nv))

    def find(a: int) -> int:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    for i, j in zip(*np.nonzero(_touch_matrix(h, v, tol))):
        parent[find(i)] = find(nh + j)
    comps: dict[int, tuple[list[Seg], list[Seg]]] = {}
    for i in range(nh + nv):
        comps.setdefault(find(i), ([], []))[0 if i < nh else 1].append(h[i] if i < nh else v[i - nh])
    groups: list[RuleGroup] = []
    used_h: set[int] = set()
    for hs, vs in comps.values():
        if not hs or not vs:
            continue
        rows = cluster_positions([s.pos for s in hs], [s.length for s in hs], etol)
        cols = cluster_positions([s.pos for s in vs], [s.length for s in vs], etol)
        if len(rows) < 2 or len(cols) < 2:
            continue
        if rows[-1] - rows[0] < MIN_TABLE_IN * dpi or cols[-1] - cols[0] < MIN_TABLE_IN * dpi:
            continue
        if len(rows) == 2 and len(cols) == 2:
            continue                        # a frame, not a table
        groups.append(RuleGroup(hs, vs, rows, cols, needs_columns=len(cols) == 2))
        used_h.update(id(s) for s in hs)
    groups += _stack_free_horizontals([s for s in h if id(s) not in used_h], groups, dpi)
    groups.sort(key=lambda g: (g.row_edges[0], g.col_edges[0]))
    return groups


def _stack_free_horizontals(free: list[Seg], taken: list[RuleGroup], dpi: float) -> list[RuleGroup]:
    free = sorted((s for s in free if s.length >= HSTACK_MIN_LEN_IN * dpi), key=lambda s: s.pos)
    boxes = [g.box for g in taken]
    stacks: list[list[Seg]] = []
    for s in free:
        placed = False
        for st in reversed(stacks):
            last = st[-1]
            ov = min(last.a1, s.a1) - max(last.a0, s.a0)
            if (0 < s.pos - last.pos <= HSTACK_GAP_IN * dpi and ov >= HSTACK_OVERLAP * min(last.length, s.length)
                    and not any(b.y0 > last.pos and b.y1 < s.pos and min(b.x1, s.a1) > max(b.x0, s.a0) for b in boxes)):
                st.append(s)
                placed = True
                break
        if not placed:
            stacks.append([s])
    out = []
    for st in stacks:
        rows = cluster_positions([s.pos for s in st], [s.length for s in st], EDGE_TOL_IN * dpi)
        if len(rows) < 3:
            continue
        x0 = float(np.median([s.a0 for s in st]))
        x1 = float(np.median([s.a1 for s in st]))
        out.append(RuleGroup(st, [], rows, [x0, x1], needs_columns=True))
    return out


STRAY_MIN_ROWS = 8        # tables with at least this many rows...
STRAY_MAX_SHARE = 0.15    # ...drop an inner column edge drawn in no more than this share of their rows


def drop_stray_columns(rows: list[float], cols: list[float], v: list[Seg], dpi: float) -> list[float]:
    """Inner column edges drawn in only a row or two of a long table are not rules of the form but
    strokes of a stamp or a signature across it: dropped, so they split no column (every real
    column rule runs through most rows: from its header row to the bottom)."""
    n_rows = len(rows) - 1
    if n_rows < STRAY_MIN_ROWS or len(cols) <= 2:
        return list(cols)
    drawn = border_coverage(cols[1:-1], rows, v, dpi) >= MIN_COVER     # (inner edges, rows)
    keep = [cols[0]] + [x for x, d in zip(cols[1:-1], drawn) if d.sum() > max(1, STRAY_MAX_SHARE * n_rows)] + [cols[-1]]
    return keep


def build_grid(group: RuleGroup, dpi: float, index: int = 0, ink: InkSource = None, ruled_full: str = "full",
               strokes: InkSource = None, stroke_ink: InkSource = None) -> TableGrid:
    """Edges, cells and spans of one group of rules. ``ink`` (boxes, or a function of the table box returning
    boxes) is needed only when columns must be inferred; ``strokes``, the pen strokes among it (a signature, a
    stamp's ring), are left out when asking which cells a row's ink spans: a signature across the amounts of a
    row would join them into one cell. Columns are inferred with the strokes and without them: a stamp's ring,
    one box, fills the gutters inside it (an edge was put through a ๑๐,๘๕๐.๐๐), but the digits it touches
    are one component with it and leave with it. The edges that cut through fewer words win, the strokes'
    ink counted as ``stroke_ink`` (their pixels in small pieces, `detect.stroke_pieces`): benchmark +3 cells,
    the second set and 30 rings drawn over generated tables unchanged."""
    rows, cols = group.row_edges, drop_stray_columns(group.row_edges, group.col_edges, group.v, dpi)
    ruled = ruled_full
    v_border = None
    if group.needs_columns and ink is not None:
        boxes = list(ink(group.box) if callable(ink) else ink)
        pen = set(strokes(group.box) if callable(strokes) else strokes or ())
        text = [b for b in boxes if b not in pen]
        cols = infer_columns(rows, cols[0], cols[-1], boxes, dpi)
        if pen:   # without the strokes too; the edges that cut through fewer words win
            alt = infer_columns(rows, cols[0], cols[-1], text, dpi)
            seen = text + list(stroke_ink(group.box) if callable(stroke_ink) else stroke_ink or ())
            if alt != cols and words_cut(rows, alt, seen, dpi) < words_cut(rows, cols, seen, dpi):
                cols = alt
        h_border = border_coverage(rows[1:-1], cols, group.h, dpi) >= MIN_COVER
        v_border = ink_crossings(rows, cols, text, dpi, h_border=h_border)
        ruled = "horizontal"
    cells = grid_to_cells(rows, cols, group.h, group.v, dpi, v_border=v_border)
    return TableGrid(index=index, box=BBox(cols[0], rows[0], cols[-1], rows[-1]), row_edges=list(rows),
                     col_edges=list(cols), cells=cells, ruled=ruled)


def rules_to_grid(h: list[Rule] | list[Seg], v: list[Rule] | list[Seg], dpi: float,
                  words: InkSource = None, *, ruled_full: str = "full", strokes: InkSource = None,
                  stroke_ink: InkSource = None) -> list[TableGrid]:
    """Tables (several per page) from cleaned rules. ``words``: text boxes (or a callable giving the boxes inside
    a table box) used to infer columns of tables ruled only horizontally; ``strokes``: the pen strokes among
    them (see build_grid)."""
    hs = h if (not h or isinstance(h[0], Seg)) else rules_to_segs(h, True)
    vs = v if (not v or isinstance(v[0], Seg)) else rules_to_segs(v, False)
    return [build_grid(g, dpi, i, words, ruled_full, strokes, stroke_ink) for i, g in enumerate(group_rules(hs, vs, dpi))]
