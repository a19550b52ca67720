"""Skew angle from the sharpness of the horizontal ink projection, and the upright working page.

Sign convention: ``estimate_skew`` returns the angle of the page's lines in degrees, counter-clockwise
positive as seen on screen (a line rising to the right is positive).  ``upright`` rotates the content by
the opposite angle, so ``skew_deg`` on the returned page is the skew that was removed.
"""
from __future__ import annotations

import cv2
import numpy as np

from extract.tables.orient import detect_orientation
from extract.types import PageImage

MAX_SKEW = 5.0
WORK_WIDTH = 1600        # pixels across the downscaled image used for the search


def _ink_points(gray: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
    h, w = gray.shape[:2]
    s = min(1.0, WORK_WIDTH / max(w, h))
    small = cv2.resize(gray, (max(1, int(w * s)), max(1, int(h * s))), interpolation=cv2.INTER_AREA) if s < 1 else gray
    bw = cv2.adaptiveThreshold(small, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 31, 15)
    ys, xs = np.nonzero(bw)
    return xs.astype(np.float64), ys.astype(np.float64), s


def _sharpness(xs: np.ndarray, ys: np.ndarray, deg: float, nbins: int) -> float:
    # rows after rotating content by -deg: a line rising to the right (y = c - x*tan) becomes y' = y + x*tan
    t = np.tan(np.radians(deg))
    r = ys + xs * t
    r = r - r.min()
    hist = np.bincount(r.astype(np.int64), minlength=nbins)
    return float(np.dot(hist.astype(np.float64), hist))


def estimate_skew(gray: np.ndarray, max_deg: float = MAX_SKEW) -> float:
    """Skew in degrees (see module doc), from a coarse-to-fine search of the projection's sum of squares."""
    xs, ys, _ = _ink_points(gray)
    if len(xs) < 100:
        return 0.0
    if len(xs) > 400_000:
        idx = np.random.default_rng(0).choice(len(xs), 400_000, replace=False)
        xs, ys = xs[idx], ys[idx]
    x_c = xs - xs.mean()
    nb = int(ys.max() + abs(x_c).max() * 0.1 + 4)
    best = 0.0
    for step, half in ((0.5, max_deg), (0.1, 0.5), (0.02, 0.1)):
        grid = np.arange(best - half, best + half + 1e-9, step)
        scores = [_sharpness(x_c, ys, a, nb) for a in grid]
        i = int(np.argmax(scores))
        best = float(grid[i])
        if 0 < i < len(grid) - 1 and step == 0.02:      # parabolic refinement
            y0, y1, y2 = scores[i - 1], scores[i], scores[i + 1]
            den = y0 - 2 * y1 + y2
            if den < 0:
                best += step * 0.5 * (y0 - y2) / den
    return float(np.clip(best, -max_deg, max_deg))


def _rot90_matrix(k: int, w: int, h: int) -> np.ndarray:
    """3x3 forward map of cv2.rotate by k*90 degrees clockwise on a w x h image."""
    k %= 4
    if k == 0:
        return np.eye(3)
    if k == 1:   # ROTATE_90_CLOCKWISE: (x, y) -> (h-1-y, x)
        return np.array([[0, -1, h - 1], [1, 0, 0], [0, 0, 1]], float)
    if k == 2:
        return np.array([[-1, 0, w - 1], [0, -1, h - 1], [0, 0, 1]], float)
    return np.array([[0, 1, 0], [-1, 0, w - 1], [0, 0, 1]], float)   # ROTATE_90_COUNTERCLOCKWISE


_CV_ROT = {1: cv2.ROTATE_90_CLOCKWISE, 2: cv2.ROTATE_180, 3: cv2.ROTATE_90_COUNTERCLOCKWISE}


def deskew_image(gray: np.ndarray, skew_deg: float) -> tuple[np.ndarray, np.ndarray]:
    """Rotate content by -skew on an enlarged canvas (nothing cropped). Returns image and 3x3 forward map."""
    h, w = gray.shape[:2]
    if abs(skew_deg) < 0.02:
        return gray, np.eye(3)
    M = cv2.getRotationMatrix2D((w / 2, h / 2), -skew_deg, 1.0)
    c, s = abs(M[0, 0]), abs(M[0, 1])
    nw, nh = int(np.ceil(w * c + h * s)), int(np.ceil(w * s + h * c))
    M[0, 2] += nw / 2 - w / 2
    M[1, 2] += nh / 2 - h / 2
    bg = int(np.percentile(gray[::8, ::8], 90))
    out = cv2.warpAffine(gray, M, (nw, nh), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=bg)
    return out, np.vstack([M, [0, 0, 1]])


def upright(page: PageImage, rotation: int | None = None, skew: float | None = None) -> PageImage:
    """Turn the page upright (multiples of 90 degrees, Tesseract OSD) and deskew it.

    ``to_original`` maps working pixels to the pixels of the page as given (composed with any mapping the
    input page already carried).  Pass ``rotation``/``skew`` to skip the estimates.
    """
    gray = page.gray
    rot = detect_orientation(gray) if rotation is None else int(rotation) % 360
    k = rot // 90
    h, w = gray.shape[:2]
    R = _rot90_matrix(k, w, h)
    g1 = cv2.rotate(gray, _CV_ROT[k]) if k else gray
    sk = estimate_skew(g1) if skew is None else float(skew)
    g2, D = deskew_image(g1, sk)
    fwd = D @ R                                           # page-as-given pixels -> working pixels
    prev = np.vstack([page.to_original, [0, 0, 1]])
    to_orig = prev @ np.linalg.inv(fwd)
    return PageImage(provenance=page.provenance, gray=g2, to_original=to_orig[:2].copy(), rotation=rot,
                     skew_deg=sk)
