"""Page orientation in multiples of 90 degrees: Tesseract OSD on a downscaled page, checked by the
direction of the text lines (morphology), which is cheap and never wrong about landscape vs portrait text.

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
