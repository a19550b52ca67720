"""Tables drawn without any rule (a vote log, a list of names and figures): rows from the page's text lines,
columns from the gutters those lines share.

Tried only on a page where no ruled table was found (`detect.detect`). A run of at least MIN_ROWS consecutive
text lines, each with ink in at least MIN_SEGMENTS places separated by gaps wider than a word space
(TAB_GAP_IN), evenly spaced, is a table: its row edges lie halfway between the lines, and its columns come
from `columns.infer_columns`, as for a table ruled only horizontally. Prose, titles and footers (one run of
words per line) never qualify.
"""
from __future__ import annotations

import numpy as np

from extract.tables.columns import text_like, x_runs
from extract.tables.grid import RuleGroup, build_grid
from extract.tables.lines import Seg
from extract.types import BBox, TableGrid

TAB_GAP_IN = 0.2          # a gap this wide between inks on a line separates columns (word spaces are narrower)
MIN_SEGMENTS = 3          # a table row has ink in at least this many columns
MIN_ROWS = 5              # a borderless table has at least this many such lines in a run
MAX_PITCH_RATIO = 1.8     # the lines of a run are at most this many typical line pitches apart
CORE_HEIGHT_SHARE = 0.65  # glyphs at least this share of the typical glyph height define a line (not marks)
EDGE_IN = 0.1             # ink this close to the page's edge is the scan's border, not text
EDGE_COL_ROWS = 0.3       # an outer column with ink in fewer than this share of the rows is margin ink


def _lines(boxes: list[BBox]) -> list[tuple[float, float, list[BBox]]]:
    """Text lines (y0, y1, boxes), top to bottom: the vertical extents of the full-height glyphs, merged where
    they overlap; every other box (a tone mark, a vowel above or below, a comma) joins the nearest line."""
    if not boxes:
        return []
    hs = sorted(b.height for b in boxes)
    upper = hs[len(hs) // 2:]   # marks and dots are half the components: the glyphs are the taller half
    typical = upper[len(upper) // 2]
    cores = sorted((b.y0, b.y1) for b in boxes if b.height >= CORE_HEIGHT_SHARE * typical)
    bands: list[list[float]] = []
    for y0, y1 in cores:
        if bands and y0 < bands[-1][1] - 0.25 * typical:
            bands[-1][1] = max(bands[-1][1], y1)
        else:
            bands.append([y0, y1])
    bands = [b for b in bands if b[1] - b[0] >= CORE_HEIGHT_SHARE * typical] or bands   # not a row of marks
    members: list[list[BBox]] = [[] for _ in bands]
    mids = np.array([(a + b) / 2 for a, b in bands])
    for b in boxes:
        members[int(np.argmin(np.abs(mids - b.cy)))].append(b)
    out = []
    for (y0, y1), ms in zip(bands, members):
        out.append((min([y0] + [m.y0 for m in ms]), max([y1] + [m.y1 for m in ms]), ms))
    return out


def _grid(rows: list[float], x0: float, x1: float, ink: list[BBox], dpi: float, index: int) -> TableGrid:
    """The grid of a table without rules: its row edges drawn as if ruled, so that no cell spans rows;
    columns from the ink's gutters (`columns.infer_columns`)."""
    group = RuleGroup([Seg(y, x0, x1) for y in rows], [], rows, [x0, x1], needs_columns=True)
    g = build_grid(group, dpi, index, ink=ink)
    g.ruled = "none"
    return g


def _row_of(rows: list[float], y: float) -> int:
    return int(np.searchsorted(rows, y)) - 1


def find_borderless(ink: list[BBox], page: BBox, dpi: float, start_index: int = 0) -> list[TableGrid]:
    """Tables without rules on a page: ``ink`` the boxes of its ink components once rules are erased
    (`detect.ink_boxes`), ``page`` its extent."""
    edge = EDGE_IN * dpi   # the scanner's dark border and specks along it are no part of any table
    boxes = text_like([b for b in ink if b.x0 > page.x0 + edge and b.y0 > page.y0 + edge
                       and b.x1 < page.x1 - edge and b.y1 < page.y1 - edge], dpi)
    lines = _lines(boxes)
    tabular = [len(x_runs(ms, TAB_GAP_IN * dpi)) >= MIN_SEGMENTS for _y0, _y1, ms in lines]
    runs: list[list[int]] = []
    for i, t in enumerate(tabular):
        if not t:
            continue
        if runs and runs[-1][-1] == i - 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    grids: list[TableGrid] = []
    for run in runs:
        if len(run) < MIN_ROWS:
            continue
        mids = [(lines[i][0] + lines[i][1]) / 2 for i in run]
        pitch = float(np.median(np.diff(mids)))
        # split the run where lines stand apart (two tables, or a table and a block of aligned text)
        parts, cur = [], [run[0]]
        for a, b, m0, m1 in zip(run, run[1:], mids, mids[1:]):
            if m1 - m0 > MAX_PITCH_RATIO * pitch:
                parts.append(cur)
                cur = []
            cur.append(b)
        parts.append(cur)
        for part in parts:
            if len(part) < MIN_ROWS:
                continue
            ls = [lines[i] for i in part]
            pad = 0.25 * pitch
            rows = [ls[0][0] - pad] + [(a[1] + b[0]) / 2 for a, b in zip(ls, ls[1:])] + [ls[-1][1] + pad]
            mine = [b for _y0, _y1, ms in ls for b in ms]
            x0 = min(b.x0 for b in mine) - pad
            x1 = max(b.x1 for b in mine) + pad
            g = _grid(rows, x0, x1, mine, dpi, start_index + len(grids))
            # an outer column inked in few rows is margin ink (a hole punch's shadow, a note): left out
            for side in (0, -1):
                if len(g.col_edges) - 1 <= MIN_SEGMENTS:
                    break
                a, b = (g.col_edges[0], g.col_edges[1]) if side == 0 else (g.col_edges[-2], g.col_edges[-1])
                inked = {_row_of(rows, m.cy) for m in mine if a <= m.cx < b}
                if len(inked) < EDGE_COL_ROWS * (len(rows) - 1):
                    mine = [m for m in mine if not a <= m.cx < b]
                    x0, x1 = (g.col_edges[1], x1) if side == 0 else (x0, g.col_edges[-2])
                    g = _grid(rows, x0, x1, mine, dpi, start_index + len(grids))
            if len(g.col_edges) - 1 >= MIN_SEGMENTS:
                grids.append(g)
    return grids


__all__ = ["find_borderless"]
