"""Page orientation in multiples of 90 degrees. The direction of the text lines (morphology) tells
landscape from portrait text; which way up is told by Thai's own marks: vowels and tone marks above the
letters (ั ิ ี ่ ้ ็ ์ ...) far outnumber those below (ุ ู), so on an upright page most small marks sit just
above a letter, on a turned one just below. Tesseract OSD (a downscaled page) decides only when the marks do
not - on these forms it called upright pages upside down with confidence 0.7.

Convention: the returned angle is how far to rotate the page *clockwise* to make it upright (Tesseract's
``Rotate:``), one of 0, 90, 180, 270.
"""
from __future__ import annotations

import os
import re

import cv2
import numpy as np

OSD_SIDE = 1200          # longest side of the image given to OSD
MIN_OSD_CONF = 0.5       # Tesseract's orientation confidence below this is not trusted
AXIS_RATIO = 1.3         # text-line direction this clear: the marks decide which way up along it
MARK_SIDE = 2400         # longest side of the image the marks are counted on
MIN_MARKS = 30           # fewer marks than this (above + below): no verdict
MARK_RATIO = 2.5         # above/below at least this: upright; at most its inverse: upside down


def line_direction(gray: np.ndarray) -> tuple[str, float]:
    """'horizontal' or 'vertical' text lines (or 'unknown'), with a strength ratio >= 1.

    Text smeared along its lines makes long thin blobs; smeared across, it does not.
    """
    h, w = gray.shape[:2]
    s = min(1.0, 800 / max(h, w))
    small = cv2.resize(gray, (max(1, int(w * s)), max(1, int(h * s))), interpolation=cv2.INTER_AREA)
    bw = cv2.adaptiveThreshold(small, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 25, 15)
    # drop ruling lines: they say nothing about the text direction of a turned table
    long_h = cv2.morphologyEx(bw, cv2.MORPH_OPEN, np.ones((1, 60), np.uint8))
    long_v = cv2.morphologyEx(bw, cv2.MORPH_OPEN, np.ones((60, 1), np.uint8))
    bw = cv2.subtract(bw, cv2.bitwise_or(long_h, long_v))
    score = {}
    for name, k in (("horizontal", (9, 1)), ("vertical", (1, 9))):
        sm = cv2.dilate(bw, np.ones((k[1], k[0]), np.uint8))
        n, _l, st, _c = cv2.connectedComponentsWithStats(sm)
        ww, hh = st[1:, 2].astype(float), st[1:, 3].astype(float)
        along, across = (ww, hh) if name == "horizontal" else (hh, ww)
        ok = (along >= 3 * across) & (across >= 3)
        score[name] = float(along[ok].sum())
    a, b = score["horizontal"], score["vertical"]
    if a + b < 50:
        return "unknown", 1.0
    return ("horizontal", (a + 1) / (b + 1)) if a >= b else ("vertical", (b + 1) / (a + 1))


def mark_balance(gray: np.ndarray) -> tuple[int, int]:
    """(marks just above a letter, marks just below one) on the page as given.

    Dark ink only (adaptive and Otsu thresholds together: show-through from the back of the sheet, often
    upside down, stays out), ruling lines removed. Letters are components about the median glyph height;
    a mark is a component under 0.55 of it, assigned to the nearest letter over it or under it within
    0.6 glyph heights."""
    h, w = gray.shape[:2]
    s = min(1.0, MARK_SIDE / max(h, w))
    if s < 1.0:
        gray = cv2.resize(gray, (max(1, int(w * s)), max(1, int(h * s))), interpolation=cv2.INTER_AREA)
    bw = cv2.adaptiveThreshold(gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 31, 15)
    _t, dark = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    bw = cv2.bitwise_and(bw, dark)
    long_h = cv2.morphologyEx(bw, cv2.MORPH_OPEN, np.ones((1, 60), np.uint8))
    long_v = cv2.morphologyEx(bw, cv2.MORPH_OPEN, np.ones((60, 1), np.uint8))
    bw = cv2.subtract(bw, cv2.bitwise_or(long_h, long_v))
    _n, _lab, st, _c = cv2.connectedComponentsWithStats(bw, connectivity=8)
    x, y, ww, hh, area = (a.astype(float) for a in st[1:].T)
    ok = (area >= 3) & (hh < 80) & (ww < 80)
    glyph_h = hh[ok & (hh >= 6)]
    if glyph_h.size < 50:
        return 0, 0
    H = float(np.median(glyph_h))
    body = ok & (hh >= 0.7 * H) & (hh <= 1.8 * H) & (ww <= 2.5 * H)
    bx0, by0, bx1, by1 = x[body], y[body], x[body] + ww[body], y[body] + hh[body]
    above = below = 0
    for i in np.flatnonzero(ok & (hh < 0.55 * H) & (ww < 1.2 * H)):
        cx = x[i] + ww[i] / 2
        over = (bx0 <= cx) & (cx <= bx1)
        if not over.any():
            continue
        up = by0[over] - (y[i] + hh[i])      # gap from the mark's bottom down to a letter's top
        dn = y[i] - by1[over]                # gap from a letter's bottom down to the mark's top
        ga = up[up >= -0.15 * H].min(initial=np.inf)
        gb = dn[dn >= -0.15 * H].min(initial=np.inf)
        if ga < 0.6 * H and ga < gb:
            above += 1
        elif gb < 0.6 * H and gb < ga:
            below += 1
    return above, below


def marks_verdict(gray: np.ndarray) -> int:
    """+1 when the page as given reads upright by its Thai marks, -1 when upside down, 0 when unsure."""
    a, b = mark_balance(gray)
    if a + b < MIN_MARKS:
        return 0
    r = (a + 1) / (b + 1)
    return 1 if r >= MARK_RATIO else (-1 if r <= 1 / MARK_RATIO else 0)


def _osd(gray: np.ndarray) -> tuple[int, float] | None:
    import pytesseract

    h, w = gray.shape[:2]
    s = min(1.0, OSD_SIDE / max(h, w))
    small = cv2.resize(gray, (max(1, int(w * s)), max(1, int(h * s))), interpolation=cv2.INTER_AREA)
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    try:
        out = pytesseract.image_to_osd(small, config="--psm 0 -c min_characters_to_try=5", timeout=5)
    except Exception:  # OSD fails on sparse pages ("Too few characters")
        return None
    rot = re.search(r"Rotate:\s*(\d+)", out)
    conf = re.search(r"Orientation confidence:\s*([\d.]+)", out)
    if not rot:
        return None
    return int(rot.group(1)) % 360, float(conf.group(1)) if conf else 0.0


def orientation_with_confidence(gray: np.ndarray) -> tuple[int, float]:
    """(clockwise rotation to upright, confidence 0-1). Falls back to (0, low) when unsure."""
    direction, strength = line_direction(gray)
    if direction != "unknown" and strength > AXIS_RATIO:
        base = 0 if direction == "horizontal" else 90
        verdict = marks_verdict(gray if base == 0 else cv2.rotate(gray, cv2.ROTATE_90_CLOCKWISE))
        if verdict:
            return (base if verdict > 0 else base + 180), 0.9
    osd = _osd(gray)
    if osd is None:
        return 0, 0.1
    rot, conf = osd
    turned = rot in (90, 270)
    if direction == "horizontal" and strength > 2 and turned:
        return 0, 0.2                                   # OSD contradicts the text-line direction
    if direction == "vertical" and strength > 2 and not turned:
        return 0, 0.1
    c = min(1.0, conf / 5.0)
    if conf < MIN_OSD_CONF and rot == 180:
        return 0, c
    return rot, c


def detect_orientation(gray: np.ndarray) -> int:
    """Clockwise rotation (0/90/180/270) that makes the page upright."""
    return orientation_with_confidence(gray)[0]
