"""Entry points: tables of an upright raster page, and tables of a born-digital PDF page."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, NamedTuple, Optional, Sequence

import cv2
import numpy as np

from extract.tables.borderless import find_borderless
from extract.tables.columns import text_like
from extract.tables.grid import rules_to_grid
from extract.tables.lines import RuleSet, Seg, clean_segments, find_rule_set, segs_to_rules
from extract.tables.stamps import Ring, find_rings, off_rings, stamp_labels
from extract.types import BBox, Rule, TableGrid, Word

PDF_DPI = 72.0
# A pen stroke (a signature across the amounts, the ring of a stamp) is a big component with little ink in its
# box; printed glyphs, even Thai words joined by their marks, fill a third or more of theirs.
STROKE_MIN_IN = 0.25    # the longer side of a stroke is at least this
STROKE_MAX_FILL = 0.25  # ...and ink covers less than this share of its box


@dataclass
class Detection:
    grids: list[TableGrid]
    rules: RuleSet
    ink: Callable[[], np.ndarray] = lambda: np.zeros((0, 0), np.uint8)   # the page's ink, rules erased (cached)
    rings: Callable[[], list[Ring]] = lambda: []   # the stamps' rings on the page (`stamps.find_rings`, cached)

    @property
    def h_rules(self) -> list[Rule]:
        return self.rules.h_rules

    @property
    def v_rules(self) -> list[Rule]:
        return self.rules.v_rules


class _Labelled(NamedTuple):
    x0: int            # the crop's place on the page
    y0: int
    n: int             # components + 1 (label 0 is the ground)
    labels: np.ndarray
    stats: np.ndarray  # cv2 stats: x, y, w, h, area per label


def _label(binary: np.ndarray, rule_mask: np.ndarray, box: BBox) -> Optional[_Labelled]:
    """The ink components inside ``box`` once rule pixels are erased (None for an empty box)."""
    H, W = binary.shape
    x0, y0 = max(0, int(box.x0)), max(0, int(box.y0))
    x1, y1 = min(W, int(np.ceil(box.x1)) + 1), min(H, int(np.ceil(box.y1)) + 1)
    if x1 <= x0 or y1 <= y0:
        return None
    crop = binary[y0:y1, x0:x1].copy()
    crop[cv2.dilate(rule_mask[y0:y1, x0:x1], np.ones((3, 3), np.uint8)) > 0] = 0
    n, lab, stats, _c = cv2.connectedComponentsWithStats(crop, connectivity=8)
    return _Labelled(x0, y0, n, lab, stats)


def _boxes_of(lab: Optional[_Labelled]) -> list[tuple[BBox, int]]:
    if lab is None:
        return []
    x0, y0 = lab.x0, lab.y0
    return [(BBox(float(x + x0), float(y + y0), float(x + x0 + w), float(y + y0 + h)), int(a))
            for x, y, w, h, a in lab.stats[1:]]


def _components(binary: np.ndarray, rule_mask: np.ndarray, box: BBox) -> list[tuple[BBox, int]]:
    """(box, ink pixels) of each ink component inside ``box`` once rule pixels are erased."""
    return _boxes_of(_label(binary, rule_mask, box))


def ink_boxes(binary: np.ndarray, rule_mask: np.ndarray, box: BBox) -> list[BBox]:
    """Bounding boxes of the ink components inside ``box`` once rule pixels are erased."""
    return [b for b, _a in _components(binary, rule_mask, box)]


def _is_stroke(w: float, h: float, ink: int, dpi: float) -> bool:
    return max(w, h) >= STROKE_MIN_IN * dpi and ink < STROKE_MAX_FILL * w * h


def pen_strokes(components: list[tuple[BBox, int]], dpi: float, stamp: frozenset[int] = frozenset()) -> list[BBox]:
    """The boxes of the ink components (box, ink pixels) that are pen strokes (see STROKE_MAX_FILL), and of
    those whose 1-based index is in ``stamp`` (a stamp's ring arcs and lettering, `stamps.stamp_labels`)."""
    return [b for i, (b, a) in enumerate(components, 1) if i in stamp or _is_stroke(b.width, b.height, a, dpi)]


STROKE_TILE_IN = 0.05   # a pen stroke's ink in pieces this wide (see stroke_pieces)


def stroke_pieces(lab: Optional[_Labelled], dpi: float, on_rings: frozenset[int] = frozenset(),
                  rings: Sequence[Ring] = ()) -> list[BBox]:
    """The ink of the pen strokes (`pen_strokes`, and the labels in ``on_rings``) among labelled components as
    small boxes: each stroke's pixels cut into STROKE_TILE_IN tiles, one box per tile it inks - where a
    stamp's ring and the digits it touches (one component with it) really are, not the whole box around
    them. Pixels on the ``rings`` found (`stamps.find_rings`) are left out: only what a stroke holds
    besides a ring counts."""
    if lab is None:
        return []
    t = max(2, int(round(STROKE_TILE_IN * dpi)))
    out = []
    for i in range(1, lab.n):
        x, y, w, h, a = (int(v) for v in lab.stats[i])
        if i not in on_rings and not _is_stroke(w, h, a, dpi):
            continue
        m = lab.labels[y:y + h, x:x + w] == i
        ox, oy = lab.x0 + x, lab.y0 + y
        if rings:   # a stamp's ring (an arc of it, or whole): only what it holds besides the ring (digits it touches)
            m = off_rings(m, ox, oy, list(rings))
        for ty in range(0, h, t):
            for tx in range(0, w, t):
                ys, xs = np.nonzero(m[ty:ty + t, tx:tx + t])
                if ys.size:
                    out.append(BBox(float(ox + tx + xs.min()), float(oy + ty + ys.min()),
                                    float(ox + tx + xs.max() + 1), float(oy + ty + ys.max() + 1)))
    return out


def detect(gray: np.ndarray, dpi: float) -> Detection:
    """Tables plus the rules found (for overlays and for erasing rules before OCR)."""
    rs = find_rule_set(gray, dpi)
    labelled = lru_cache(maxsize=4)(lambda box: _label(rs.binary, rs.mask, box))   # one pass per table box
    comps = lru_cache(maxsize=4)(lambda box: _boxes_of(labelled(box)))
    ink = lru_cache(maxsize=1)(lambda: np.where(rs.mask > 0, 0, rs.binary))
    rings = lru_cache(maxsize=1)(lambda: find_rings(ink(), dpi))   # looked for only when asked

    @lru_cache(maxsize=4)
    def stamp_ink(box: BBox) -> tuple[frozenset[int], frozenset[int]]:   # (ring arcs, lettering)
        lab = labelled(box)
        if lab is None:
            return frozenset(), frozenset()
        arcs, letters = stamp_labels(lab.labels, lab.n, lab.x0, lab.y0, rings(), gray)
        return frozenset(arcs), frozenset(letters)

    grids = rules_to_grid(rs.h, rs.v, dpi, words=lambda box: text_like([b for b, _a in comps(box)], dpi),
                          strokes=lambda box: pen_strokes(comps(box), dpi, stamp_ink(box)[0] | stamp_ink(box)[1]),
                          stroke_ink=lambda box: stroke_pieces(labelled(box), dpi, stamp_ink(box)[0], rings()))
    if not grids:   # no ruled table: perhaps one drawn without rules (a vote log, a list)
        page = BBox(0.0, 0.0, float(gray.shape[1]), float(gray.shape[0]))
        grids = find_borderless([b for b, _a in comps(page)], page, dpi)
    return Detection(grids, rs, ink, rings)


def detect_tables(gray: np.ndarray, dpi: float) -> list[TableGrid]:
    """Table grids of an upright, deskewed grayscale page (pixels)."""
    return detect(gray, dpi).grids


def tables_from_pdf(rules: list[Rule], words: list[Word], page_w: float, page_h: float) -> list[TableGrid]:
    """Table grids of a born-digital page from its vector rules (points, top-left origin) and words."""
    tol = 2.0
    hs, vs = [], []
    for r in rules:
        x0, x1 = sorted((max(0.0, min(page_w, r.x0)), max(0.0, min(page_w, r.x1))))
        y0, y1 = sorted((max(0.0, min(page_h, r.y0)), max(0.0, min(page_h, r.y1))))
        if y1 - y0 <= tol and x1 - x0 > tol:
            hs.append(Seg((y0 + y1) / 2, x0, x1, max(0.5, y1 - y0)))
        elif x1 - x0 <= tol and y1 - y0 > tol:
            vs.append(Seg((x0 + x1) / 2, y0, y1, max(0.5, x1 - x0)))
    h, v = clean_segments(hs, vs, PDF_DPI)
    return rules_to_grid(h, v, PDF_DPI, words=[w.box for w in words], ruled_full="pdf")


def pdf_rules_from_plumber(page) -> list[Rule]:
    """Rules of a pdfplumber page: its lines and the edges of its rectangles (thin rects are lines)."""
    out = []
    for e in getattr(page, "edges", []):
        out.append(Rule(float(e["x0"]), float(e["top"]), float(e["x1"]), float(e["bottom"])))
    return out


__all__ = ["detect", "detect_tables", "tables_from_pdf", "pdf_rules_from_plumber", "Detection", "ink_boxes",
           "pen_strokes", "segs_to_rules"]
