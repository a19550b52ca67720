"""Round office stamps: their rings, found so that the ink on them is not taken for a table's text.

A stamp pressed over a table ruled only horizontally lays its ring across gutters and cells. The rules cut
the ring into arcs of text size, so no test on one component's shape sees it (`detect.pen_strokes` sees
only a ring left whole); its arcs then fill the gutter between a count and an amount (the edge was put
against the ``1`` of ``1  2,850``) and join cells into false spans (``1 | 2,850`` read as ``12,850``).

A ring is found as a circle (`cv2.HoughCircles`, its ALT method, on the page shrunk to `WORK_DPI`) and kept
only when the page's ink follows it as a thin stroke: inked at most angles around it (`MIN_COVER`) while the
bands just inside and outside it are not (`MAX_SIDE_COVER`); text, dense in every direction, inks those
too. A stamp's inner ring is looked for inside each ring found. The ink components lying mostly on a ring
are the stamp's, and so are those inside it printed as light as its ring (its lettering and its word; a
figure under the stamp can lie among them, but is printed darker): `stamp_labels`, used by `detect` when
placing the columns and spans of tables ruled only horizontally.

Before the cells are read, `erase_stamps` whitens the stamp's ink lighter than the print inside each ring,
sparing the print under it: a reader's threshold is relative to a crop's own ink, so a cell holding only a
stamp's lettering was read as a figure.
"""
from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

WORK_DPI = 50.0           # circles are looked for on the page shrunk to this resolution
MIN_R_IN, MAX_R_IN = 0.3, 1.2   # ring radii looked for (office stamps are 2-4 cm across)
MIN_COVER = 0.6           # share of the angles around a ring with ink on it
MAX_SIDE_COVER = 0.35     # ...and at most this share (and half the ring's) just inside and just outside it
BAND_IN = 0.012           # half-width of the band around a ring's radius its stroke is looked for in
SIDE_IN = 0.04            # distance of the side bands from the ring
HOUGH_PERFECT = 0.8       # cv2.HOUGH_GRADIENT_ALT's circle perfectness (text gives plain HOUGH_GRADIENT many circles)
MAX_CANDIDATES = 20       # circles (the most voted) looked at per page
ON_RING = 0.6             # a component with this share of its ink on a ring is the ring's
N_ANGLES = 360
DARK_PCT = 10             # a component's ink level: this percentile of its gray values
PRINT_SHARE = 0.5         # erasing a stamp spares what lies near ink darker than this share of the way to paper
INNER_SHARE = (0.55, 0.85)  # a stamp's inner ring is this share of its outer ring's radius
_ANGLES = np.linspace(0, 2 * np.pi, N_ANGLES, endpoint=False)
_COS, _SIN = np.cos(_ANGLES), np.sin(_ANGLES)


@dataclass(frozen=True)
class Ring:
    cx: float
    cy: float
    r: float        # radius of the stroke's middle (px)
    half: float     # half-width of the band the stroke lies in (px)


def _cover(ink: np.ndarray, cx: float, cy: float, r: float, half: float) -> float:
    """Share of N_ANGLES directions with ink within ``half`` of radius ``r`` around (cx, cy)."""
    h, w = ink.shape
    rr = r + np.arange(-half, half + 0.5, 1.0)[:, None]
    xs = np.rint(cx + rr * _COS).astype(int)
    ys = np.rint(cy + rr * _SIN).astype(int)
    inside = (xs >= 0) & (xs < w) & (ys >= 0) & (ys < h)
    hit = np.zeros(xs.shape, bool)
    hit[inside] = ink[ys[inside], xs[inside]] > 0
    seen = inside.any(axis=0)
    if seen.sum() < N_ANGLES // 2:   # mostly off the page: no judgement
        return 0.0
    return float(hit.any(axis=0)[seen].mean())


def _refine(ink: np.ndarray, cx: float, cy: float, r: float, dpi: float) -> tuple[float, float, float, float]:
    """The centre and radius near a coarse circle whose band is best inked: (cover, cx, cy, r)."""
    half = max(1.0, BAND_IN * dpi)
    step = max(1.0, dpi / WORK_DPI / 2)
    best = (_cover(ink, cx, cy, r, half), cx, cy, r)
    for _ in range(3):   # coordinate ascent, halving the step
        improved = True
        while improved:
            improved = False
            _, bx, by, br = best
            for dx, dy, dr in ((step, 0, 0), (-step, 0, 0), (0, step, 0), (0, -step, 0), (0, 0, step), (0, 0, -step)):
                c = _cover(ink, bx + dx, by + dy, br + dr, half)
                if c > best[0]:
                    best, improved = (c, bx + dx, by + dy, br + dr), True
        step = max(1.0, step / 2)
    return best


def find_rings(binary: np.ndarray, dpi: float) -> list[Ring]:
    """The stamp rings on a page: ``binary`` its ink (non-zero), rules erased or not."""
    f = WORK_DPI / dpi
    if min(binary.shape[:2]) * f < 2 * MIN_R_IN * WORK_DPI:   # smaller than the smallest stamp
        return []
    small = cv2.resize((binary > 0).astype(np.uint8) * 255, None, fx=f, fy=f, interpolation=cv2.INTER_AREA)
    small = cv2.GaussianBlur(small, (3, 3), 0)
    rmin, rmax = int(MIN_R_IN * WORK_DPI), int(np.ceil(MAX_R_IN * WORK_DPI))
    found = cv2.HoughCircles(small, cv2.HOUGH_GRADIENT_ALT, dp=1.5, minDist=max(4, rmin // 4), param1=100,
                             param2=HOUGH_PERFECT, minRadius=rmin, maxRadius=rmax)
    if found is None:
        return []
    ink = (binary > 0).astype(np.uint8)
    rings: list[Ring] = []
    half = max(1.0, BAND_IN * dpi)
    side = SIDE_IN * dpi

    def thin_stroke(cx: float, cy: float, r: float, band: float) -> bool:
        """Ink at MIN_COVER of the angles within ``band`` of radius ``r``, and little just inside and outside."""
        cover = _cover(ink, cx, cy, r, band)
        inner = _cover(ink, cx, cy, r - side - band + half, half)
        outer = _cover(ink, cx, cy, r + side + band - half, half)
        return cover >= MIN_COVER and max(inner, outer) <= min(MAX_SIDE_COVER, cover / 2)

    for x, y, r in found[0][:MAX_CANDIDATES]:
        # a first look with the band widened by the shrunk page's pixel, then the circle fitted to the stroke
        if not thin_stroke(x / f, y / f, r / f, half + 1 / f):
            continue
        _cover_, cx, cy, rr = _refine(ink, x / f, y / f, r / f, dpi)
        if not thin_stroke(cx, cy, rr, half):
            continue
        for ring in (_fit_stroke(ink, cx, cy, rr, half), _inner_ring(ink, cx, cy, rr, half, thin_stroke)):
            if ring is not None and not any(abs(ring.cx - o.cx) < 2 * half and abs(ring.cy - o.cy) < 2 * half
                                            and abs(ring.r - o.r) < 2 * half for o in rings):
                rings.append(ring)
    return rings


def _inner_ring(ink, cx: float, cy: float, r: float, half: float, thin_stroke) -> Ring | None:
    """A second, thinner ring inside the ring (cx, cy, r) of a stamp (its lettering runs between the two):
    the best inked radius of INNER_SHARE of ``r``, when it is a thin stroke too."""
    lo, hi = int(INNER_SHARE[0] * r), int(INNER_SHARE[1] * r)
    _cover_, rr = max((_cover(ink, cx, cy, rr, half), rr) for rr in range(lo, hi + 1))
    return _fit_stroke(ink, cx, cy, float(rr), half) if thin_stroke(cx, cy, float(rr), half) else None


def _fit_stroke(ink, cx: float, cy: float, r: float, half: float) -> Ring:
    """The ring of the stroke found near radius ``r``: the radii (up to 3 ``half`` off) inked at half as
    many angles as the best one or more are the stroke; its middle is the ring's radius and its half-width
    (plus a pixel of blur) the band's."""
    offs = np.arange(-int(3 * half), int(3 * half) + 1)
    covers = np.array([_cover(ink, cx, cy, r + o, 0.0) for o in offs])
    on = offs[covers >= 0.5 * covers.max()]
    mid, width = (on.min() + on.max()) / 2, on.max() - on.min()
    return Ring(float(cx), float(cy), float(r + mid), float(max(half, width / 2 + 1)))


def _window(ring: Ring, reach: float, x0: int, y0: int, h: int, w: int):
    """The square around ``ring`` (``reach`` from its centre) within an ``h`` x ``w`` array at page offset
    ``x0, y0``: (row slice, column slice, each pixel's distance from the ring's centre), or None when the
    square misses the array."""
    a0, a1 = max(0, int(ring.cx - reach) - x0), min(w, int(np.ceil(ring.cx + reach)) - x0 + 1)
    b0, b1 = max(0, int(ring.cy - reach) - y0), min(h, int(np.ceil(ring.cy + reach)) - y0 + 1)
    if a1 <= a0 or b1 <= b0:
        return None
    ys, xs = np.mgrid[b0:b1, a0:a1]
    return slice(b0, b1), slice(a0, a1), np.hypot(xs + x0 - ring.cx, ys + y0 - ring.cy)


def _darkest(ink: np.ndarray) -> float:
    """The level of the darkest ink (its 2nd percentile; 0 without ink)."""
    return float(np.percentile(ink, 2)) if ink.size else 0.0


def _darkness(labels: np.ndarray, gray: np.ndarray, sel: np.ndarray, n: int) -> np.ndarray:
    """Per label (0..n-1), the DARK_PCT percentile of its gray values under ``sel`` (255 where it has none)."""
    lab, val = labels[sel], gray[sel]
    out = np.full(n, 255.0)
    if lab.size == 0:
        return out
    order = np.lexsort((val, lab))
    lab, val = lab[order], val[order]
    starts = np.flatnonzero(np.r_[True, lab[1:] != lab[:-1]])
    ends = np.r_[starts[1:], lab.size]
    pick = starts + ((ends - starts - 1) * DARK_PCT / 100.0).astype(int)
    out[lab[starts]] = val[pick]
    return out


def stamp_labels(labels: np.ndarray, n: int, x0: int, y0: int, rings: list[Ring],
                 gray: np.ndarray | None = None, darkest: float | None = None) -> tuple[set[int], set[int]]:
    """The labels (of ``n`` components labelled in a crop at page offset ``x0, y0``) that are a stamp's, as
    (arcs, lettering). Arcs have ON_RING of their ink on one of ``rings`` (an arc may hold a digit it
    touches). Lettering, given the page's ``gray``: wholly inside a ring and as light as the ring (a stamp's
    lettering and word, printed in its own ink), i.e. lighter than halfway from the darkest ink (``darkest``,
    by default the crop's) to its paper and than a quarter of the way from the ring's ink to the paper."""
    if not rings or n <= 1:
        return set(), set()
    h, w = labels.shape
    total = np.bincount(labels.ravel(), minlength=n)
    on_n = np.zeros(n, np.int64)
    letters: set[int] = set()
    if gray is not None:
        crop = gray[y0:y0 + h, x0:x0 + w]
        ink = crop[labels > 0]
        if darkest is None:
            darkest = _darkest(ink)
        paper = float(np.median(crop))
    for ring in rings:   # only the ring's own square of the crop is looked at
        win_at = _window(ring, ring.r + ring.half + 1, x0, y0, h, w)
        if win_at is None:
            continue
        rows, cols, d = win_at
        win = labels[rows, cols]
        on = np.abs(d - ring.r) <= ring.half
        on_n += np.bincount(win[on].ravel(), minlength=n)
        if gray is not None:
            g = crop[rows, cols]
            inside = np.bincount(win[d <= ring.r + ring.half].ravel(), minlength=n) == total
            limit = _light_limit(darkest, paper, g[on & (win > 0)])
            if limit is None:
                continue
            light = _darkness(win, g, win > 0, n) > limit
            letters |= {int(i) for i in np.flatnonzero(inside & light) if i and total[i]}
    arcs = {i for i in range(1, n) if total[i] and on_n[i] >= ON_RING * total[i]}
    return arcs, letters - arcs


def off_rings(mask: np.ndarray, x0: int, y0: int, rings: list[Ring]) -> np.ndarray:
    """``mask`` (a window at page offset ``x0, y0``) without the pixels on ``rings`` (twice their band: the
    stroke's blurred fringe too): what a ring's component holds besides the ring (the digit it touches)."""
    h, w = mask.shape
    ys, xs = np.mgrid[0:h, 0:w]
    out = mask.copy()
    for ring in rings:
        out &= np.abs(np.hypot(xs + x0 - ring.cx, ys + y0 - ring.cy) - ring.r) > 2 * ring.half
    return out


def _light_limit(darkest: float, paper: float, ring_ink: np.ndarray) -> float | None:
    """The gray level above which ink near a ring is the stamp's (see `stamp_labels`): lighter than halfway
    from the darkest print to the paper, and than a quarter of the way from the ring's ink (its DARK_PCT
    percentile) to the paper. None without ring ink."""
    if not ring_ink.size:
        return None
    ring_dark = _ink_level(ring_ink)
    return max(darkest + 0.5 * (paper - darkest), ring_dark - 0.25 * (paper - ring_dark))


def _ink_level(values: np.ndarray) -> float:
    """The DARK_PCT percentile of gray values (the level of a stroke's ink, its blurred edges aside)."""
    return float(np.sort(values)[int((values.size - 1) * DARK_PCT / 100)]) if values.size else 255.0


def erase_stamps(image: np.ndarray, gray: np.ndarray, binary: np.ndarray, rings: list[Ring]) -> np.ndarray:
    """``image`` (a page as OCR sees it, the shape of ``gray``) with the stamps' own ink whitened: inside each
    ring (and its stroke's blurred fringe, twice its band), the pixels of ``gray`` lighter than `_light_limit`
    (``binary``: the page's ink with rules erased, for the levels of the print and of the ring) and not
    within a ring's band of the print (darker than PRINT_SHARE of the way from the darkest ink to the
    paper). A figure or dash printed under a stamp keeps its dark pixels and their lighter edges and thin
    strokes (a blurred ๑ lost its head without that margin), even where it touches the stamp's lettering;
    a stamp as dark as the print is left as it is. Left there, a stamp's lighter ink is what a cell crop
    with nothing darker in it gets read from (``๗๓๗๑`` from the lettering in an empty cell): the readers'
    thresholds are relative to each crop's own ink."""
    if not rings:
        return image
    out = image.copy()
    darkest = _darkest(gray[binary > 0])
    white = np.uint8(255) if image.dtype == np.uint8 else image.max()
    for ring in rings:
        win_at = _window(ring, ring.r + 2 * ring.half + 1, 0, 0, *binary.shape)
        if win_at is None:
            continue
        rows, cols, d = win_at
        g = gray[rows, cols]
        paper = float(np.median(g))
        b = binary[rows, cols] > 0
        ring_ink = g[(np.abs(d - ring.r) <= ring.half) & b]
        limit = _light_limit(darkest, paper, ring_ink)
        if limit is None or _ink_level(ring_ink) <= darkest + 0.5 * (paper - darkest):
            continue   # a stamp as dark as the print: nothing tells its ink from the print's
        # the print's blurred edges and thin strokes are light too: spared within a band's width of print
        # (ink, not rules) darker than PRINT_SHARE of the way to the paper
        k = 2 * int(np.ceil(ring.half)) + 1
        seeds = (g < darkest + PRINT_SHARE * (paper - darkest)) & b
        near_print = cv2.dilate(seeds.astype(np.uint8), np.ones((k, k), np.uint8)) > 0
        out[rows, cols][(d <= ring.r + 2 * ring.half) & (g > limit) & ~near_print] = white
    return out
