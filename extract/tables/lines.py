"""Ruling lines: binarize -> open with long kernels -> segments -> bridge gaps -> merge doubles -> drop strokes.

All lengths are given in inches and scaled by ``dpi`` so the same code serves 150-300 dpi scans and
born-digital pages in points (``dpi=72``).  Segments are kept internally as ``Seg`` (a line's position
across, its extent along, its thickness) and returned as ``Rule``.
"""
from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from extract.types import Rule

# Tunables, in inches (scaled by dpi).
H_KERNEL_IN = 0.40        # shortest horizontal ink run taken as a rule piece (text strokes are shorter)
V_KERNEL_IN = 0.15        # shortest vertical ink run taken as a rule piece (Thai glyph stems are shorter)
MAX_GAP_IN = 0.30         # broken-line gaps bridged (~2% of an A4-landscape table width)
DOUBLE_IN = 0.06          # parallel lines closer than this are one (double/thick rule)
TOUCH_IN = 0.03           # an end "touches" a crossing rule within this (+ thickness)
LONG_H_IN = 1.0           # a horizontal this long stands on its own; shorter ones must touch verticals at both ends
LONG_V_IN = 0.6           # same for verticals


@dataclass
class Seg:
    """A rule in along/across coordinates: ``pos`` across (y for horizontal), ``a0..a1`` along."""

    pos: float
    a0: float
    a1: float
    thick: float = 1.0

    @property
    def length(self) -> float:
        return self.a1 - self.a0


def binarize(gray: np.ndarray, dpi: float) -> np.ndarray:
    """Adaptive mean threshold; ink = 255. Local block ~0.2 in copes with uneven scan illumination."""
    if gray.ndim == 3:
        gray = cv2.cvtColor(gray, cv2.COLOR_BGR2GRAY)
    block = max(15, int(dpi * 0.2)) | 1
    return cv2.adaptiveThreshold(gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, block, 12)


def line_masks(binary: np.ndarray, dpi: float) -> tuple[np.ndarray, np.ndarray]:
    """Morphological opening with long thin kernels: what survives is ruling-line ink."""
    lh = max(15, int(round(H_KERNEL_IN * dpi)))
    lv = max(9, int(round(V_KERNEL_IN * dpi)))
    hmask = cv2.morphologyEx(binary, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (lh, 1)))
    vmask = cv2.morphologyEx(binary, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, lv)))
    return hmask, vmask


def _mask_segments(mask: np.ndarray, horizontal: bool) -> list[Seg]:
    n, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    out: list[Seg] = []
    for x, y, w, h, _area in stats[1:]:
        if horizontal:
            out.append(Seg(y + h / 2.0, float(x), float(x + w), float(h)))
        else:
            out.append(Seg(x + w / 2.0, float(y), float(y + h), float(w)))
    return out


def _touches(pos: float, at: float, others: list[Seg], tol: float) -> bool:
    """Is there a crossing segment at along-coordinate ``pos`` that passes through across-coordinate ``at``?"""
    for o in others:
        if abs(o.pos - pos) <= tol + o.thick / 2 and o.a0 - tol <= at <= o.a1 + tol:
            return True
    return False


def merge_collinear(segs: list[Seg], crossing: list[Seg], dpi: float, *, max_gap_in: float = MAX_GAP_IN) -> list[Seg]:
    """Join pieces of one line: parallel within DOUBLE_IN (double/thick lines) and gaps up to max_gap.

    A gap is *not* bridged when both of its ends sit on crossing rules (that is a spanning cell, not a break),
    nor when one end does and the piece beyond is short (a stamp arc or stroke lined up with the rule).
    Pieces that are not collinear merge only when they run side by side for most of their length.
    """
    if not segs:
        return []
    dbl = DOUBLE_IN * dpi
    max_gap = max_gap_in * dpi
    cross_tol = max(2.0, TOUCH_IN * dpi)
    align = max(1.5, 0.012 * dpi)      # pieces of one broken line are collinear within this
    segs = sorted(segs, key=lambda s: s.pos)
    # chain-cluster by position across
    groups: list[list[Seg]] = [[segs[0]]]
    for s in segs[1:]:
        if s.pos - groups[-1][-1].pos <= dbl:
            groups[-1].append(s)
        else:
            groups.append([s])
    out: list[Seg] = []
    long_piece = 0.5 * dpi
    for g in groups:
        g.sort(key=lambda s: s.a0)
        runs: list[list] = []        # [parts, a1, pos of the last part]
        for s in g:
            for run in runs:
                parts, a1 = run[0], run[1]
                last = parts[-1]
                gap = s.a0 - a1
                aligned = abs(s.pos - last.pos) <= align + (s.thick + last.thick) / 4
                if aligned and gap <= 2:
                    ok = True
                elif aligned and gap <= max_gap:
                    t0 = _touches(a1, last.pos, crossing, cross_tol)
                    t1 = _touches(s.a0, s.pos, crossing, cross_tol)
                    run_len = a1 - min(p.a0 for p in parts)
                    ok = not (t0 and t1) and (not (t0 or t1) or (s.length if t0 else run_len) >= long_piece)
                else:
                    # a parallel neighbour (double or thick line) overlaps for most of the shorter one
                    ov = min(a1, s.a1) - s.a0
                    ok = ov >= 0.5 * min(s.length, a1 - min(p.a0 for p in parts))
                if ok:
                    parts.append(s)
                    run[1] = max(a1, s.a1)
                    break
            else:
                runs.append([[s], s.a1])
        out.extend(_fuse(r[0]) for r in runs)
    return out


def _fuse(parts: list[Seg]) -> Seg:
    w = np.array([max(p.length, 1.0) for p in parts])
    pos = float(np.average([p.pos for p in parts], weights=w))
    lo = min(p.pos - p.thick / 2 for p in parts)
    hi = max(p.pos + p.thick / 2 for p in parts)
    return Seg(pos, min(p.a0 for p in parts), max(p.a1 for p in parts), max(1.0, hi - lo))


def drop_strokes(segs: list[Seg], crossing: list[Seg], dpi: float, long_in: float) -> list[Seg]:
    """Keep long segments, and short ones only when both ends touch a crossing rule (a real cell border)."""
    tol = TOUCH_IN * dpi
    keep = []
    for s in segs:
        t = tol + s.thick / 2
        if s.length >= long_in * dpi or (_touches(s.a0, s.pos, crossing, t) and _touches(s.a1, s.pos, crossing, t)):
            keep.append(s)
    return keep


def clean_segments(hs: list[Seg], vs: list[Seg], dpi: float) -> tuple[list[Seg], list[Seg]]:
    """Bridge, merge and filter raw pieces (from a mask or from a PDF) into rules."""
    hm = merge_collinear(hs, vs, dpi)
    vm = merge_collinear(vs, hs, dpi)
    h2 = drop_strokes(hm, vm, dpi, LONG_H_IN)
    v2 = drop_strokes(vm, hm, dpi, LONG_V_IN)
    # a second pass lets pieces re-join once strokes are gone
    return merge_collinear(h2, v2, dpi), merge_collinear(v2, h2, dpi)


def segs_to_rules(segs: list[Seg], horizontal: bool) -> list[Rule]:
    if horizontal:
        return [Rule(s.a0, s.pos, s.a1, s.pos) for s in segs]
    return [Rule(s.pos, s.a0, s.pos, s.a1) for s in segs]


def rules_to_segs(rules: list[Rule], horizontal: bool, thick: float = 1.0) -> list[Seg]:
    out = []
    for r in rules:
        if horizontal:
            out.append(Seg((r.y0 + r.y1) / 2, min(r.x0, r.x1), max(r.x0, r.x1), max(thick, abs(r.y1 - r.y0))))
        else:
            out.append(Seg((r.x0 + r.x1) / 2, min(r.y0, r.y1), max(r.y0, r.y1), max(thick, abs(r.x1 - r.x0))))
    return out


@dataclass
class RuleSet:
    """Everything ``find_rules`` learned about a page; ``mask`` is the union of rule ink (255)."""

    h: list[Seg]
    v: list[Seg]
    binary: np.ndarray
    mask: np.ndarray

    @property
    def h_rules(self) -> list[Rule]:
        return segs_to_rules(self.h, True)

    @property
    def v_rules(self) -> list[Rule]:
        return segs_to_rules(self.v, False)


def find_rule_set(gray: np.ndarray, dpi: float, binary: np.ndarray | None = None) -> RuleSet:
    bw = binarize(gray, dpi) if binary is None else binary
    hmask, vmask = line_masks(bw, dpi)
    h, v = clean_segments(_mask_segments(hmask, True), _mask_segments(vmask, False), dpi)
    return RuleSet(h, v, bw, cv2.bitwise_or(hmask, vmask))


def find_rules(gray: np.ndarray, dpi: float) -> tuple[list[Rule], list[Rule]]:
    """Horizontal and vertical ruling lines of an upright page, in pixels."""
    rs = find_rule_set(gray, dpi)
    return rs.h_rules, rs.v_rules


def line_mask(shape: tuple[int, ...], h: list[Rule], v: list[Rule], thickness: int = 3) -> np.ndarray:
    """Rasterize rules into a 0/255 mask (for erasing them before OCR)."""
    m = np.zeros(shape[:2], np.uint8)
    for r in list(h) + list(v):
        cv2.line(m, (int(round(r.x0)), int(round(r.y0))), (int(round(r.x1)), int(round(r.y1))), 255, thickness)
    return m


def remove_rules(gray: np.ndarray, h: list[Rule], v: list[Rule], dpi: float = 300.0) -> np.ndarray:
    """Paint ruling lines (and a pixel or two around them) with the local background, leaving text.

    Only the pixels that are both dark and on a rule are repainted, so glyphs touching a line keep their ink
    away from the line itself.
    """
    thick = max(3, int(round(dpi / 60)))
    m = line_mask(gray.shape, h, v, thick)
    bw = binarize(gray, dpi)
    # restrict to line-like ink: opening along each direction, dilated slightly
    hm, vm = line_masks(bw, dpi)
    lines = cv2.dilate(cv2.bitwise_or(hm, vm), np.ones((3, 3), np.uint8))
    kill = cv2.bitwise_and(cv2.dilate(m, np.ones((3, 3), np.uint8)), lines)
    out = gray.copy()
    bg = int(np.percentile(gray[::8, ::8], 90)) if gray.size else 255
    out[kill > 0] = bg
    return out
