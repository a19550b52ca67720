"""Dedicated recognizer for the text of a numeric table cell.

Tesseract's Thai model cannot read Thai digits (๐-๙) reliably, so numeric
cells are read by a small CTC line recognizer (CNN + 1-D conv head) trained on
synthetic renderings and on number cells cut from generated form pages (see
``scripts/train_digits.py``).  At inference the
ONNX model is run with onnxruntime (or OpenCV's ``cv2.dnn`` where onnxruntime is
not installed) -- no torch needed.

Alphabet: Thai digits, Arabic digits, ``, . - / % ( )``, space, and the unit
words ครั้ง แห่ง กลุ่ม ราย คน บาท ร้อยละ เดือน (each word is ONE class token, so
stacked Thai marks never have to be aligned frame by frame).

Confidence
----------
``Reading.confidence`` is the MINIMUM, over all time steps of the greedy
(best-path) CTC decode, of the winning class probability of
softmax(logits / T) -- blank frames included, so an uncertain "is there a
character here or not" decision lowers the confidence just like an uncertain
character does.  T (``temperature`` in digits.json) is fitted at training time
so that readings with confidence >= 0.9 are >= 99.9% exact on a calibration
draw (see digits-report.md); the text itself does not depend on T.  ``alternatives`` are
produced by replacing the winner at one of the least-confident time steps
with its runner-up and re-decoding; their score is the same min-over-path
statistic computed with that substitution.
"""

from __future__ import annotations

import json
import math
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import cv2
import numpy as np

MODEL_DIR = Path(__file__).resolve().parent / "models"
MODEL_FILE = "digits.onnx"
META_FILE = "digits.json"

INPUT_HEIGHT = 24
TARGET_INK_HEIGHT = 20  # ink band height (px) after scaling, for normal text
MIN_INK_HEIGHT = 9  # never upscale a line whose ink is shorter than this as if it were text
PAD_X = 4
WIDTH_STEP = 16  # width buckets (pixels, after scaling)
MAX_WIDTH = 1024

THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙"
ARABIC_DIGITS = "0123456789"
PUNCT = ",.-/%()"
WORDS = ("ครั้ง", "แห่ง", "กลุ่ม", "ราย", "คน", "บาท", "ร้อยละ", "เดือน")
# class 0 is the CTC blank; tokens are single chars or whole unit words.
TOKENS: tuple[str, ...] = tuple(THAI_DIGITS) + tuple(ARABIC_DIGITS) + tuple(PUNCT) + (" ",) + WORDS


_INDEX = {t: k + 1 for k, t in enumerate(TOKENS)}


@lru_cache(maxsize=8192)
def _token_ids(text: str) -> tuple[int, ...]:
    ids: list[int] = []
    i = 0
    while i < len(text):
        for w in WORDS:
            if text.startswith(w, i):
                ids.append(_INDEX[w])
                i += len(w)
                break
        else:
            ids.append(_INDEX[text[i]])
            i += 1
    return tuple(ids)


def tokenize(text: str) -> list[int]:
    """Text -> list of class ids (1-based; 0 is blank). Raises KeyError on unknown text."""
    return list(_token_ids(text))


def canonical(text: str) -> str:
    """Collapse whitespace runs; a canonical cell text as produced by the reader."""
    return " ".join(text.split())


@dataclass(frozen=True)
class Reading:
    text: str  # decoded text, e.g. "๑๓,๖๕๐"
    confidence: float  # 0-1, min over the best CTC path of the winning probability (see module doc)
    alternatives: tuple[tuple[str, float], ...] = ()  # next-best readings, best first, up to 3
    fused: bool = False  # chosen with Tesseract's reading of the cell (see fuse)


# ---------------------------------------------------------------------------
# preprocessing (shared with training: scripts/train_digits.py imports these)
# ---------------------------------------------------------------------------


def _pct(a: np.ndarray, q: float) -> float:
    """np.percentile(a, q) (linear interpolation) for uint8 data, via a histogram (much faster)."""
    n = a.size
    cum = np.cumsum(np.bincount(a.ravel(), minlength=256))
    pos = q / 100.0 * (n - 1)
    lo = int(np.floor(pos))
    frac = pos - lo
    v0 = int(np.searchsorted(cum, lo + 1))
    v1 = int(np.searchsorted(cum, min(lo + 2, n)))
    return float(v0 + frac * (v1 - v0))


def _ink_mask(g: np.ndarray) -> tuple[np.ndarray, float] | None:
    """Binary ink mask and background level, or None for a blank crop."""
    bg = _pct(g, 60)
    lo = float(g.min())
    if bg - lo < 40:
        return None
    gs = cv2.GaussianBlur(g, (3, 3), 0)  # tames scanner noise; commas/periods survive
    lo = float(gs.min())
    if bg - lo < 30:
        return None
    thr = bg - 0.45 * (bg - lo)
    return (gs <= thr).astype(np.uint8), bg


def _erase(g: np.ndarray, kept: np.ndarray, sel: np.ndarray, bg: float) -> None:
    """Remove the ink under boolean ``sel`` (views allowed): off the kept mask, whitened to the background."""
    kept[sel] = 0
    g[sel] = np.maximum(g[sel], np.uint8(min(255, bg)))


def _clean_components(g: np.ndarray, mask: np.ndarray, bg: float) -> tuple[np.ndarray, np.ndarray, list[int]]:
    """Remove specks and ruling-line pieces; returns (gray with removed ink whitened, kept-ink mask, heights
    of the kept components of 6 px or more - the glyphs a page's text height is measured on)."""
    h, w = mask.shape
    g = g.copy()
    # long straight ruling lines (continuous runs), wherever they are
    lines = np.zeros_like(mask)
    if w >= 16 and mask.sum(axis=1).max() >= max(15, int(0.6 * w)):
        kh = cv2.getStructuringElement(cv2.MORPH_RECT, (max(15, int(0.6 * w)), 1))
        hl = cv2.morphologyEx(mask, cv2.MORPH_OPEN, kh)
        # a dash ("-", the usual zero) in a narrow cell looks like a rule piece: keep horizontal runs that sit
        # in the middle band of the crop and do not span it
        n, lab, st, _ = cv2.connectedComponentsWithStats(hl, connectivity=8)
        for i in range(1, n):
            x, y, cw, ch, _a = st[i]
            cy = y + ch / 2
            if 0.25 * h < cy < 0.75 * h and cw < 0.95 * w and ch <= 0.2 * h + 2:
                hl[lab == i] = 0
        lines |= hl
    if h >= 16 and mask.sum(axis=0).max() >= max(15, int(0.7 * h)):
        kv = cv2.getStructuringElement(cv2.MORPH_RECT, (1, max(15, int(0.7 * h))))
        lines |= cv2.morphologyEx(mask, cv2.MORPH_OPEN, kv)
    if lines.any():
        lines = cv2.dilate(lines, np.ones((3, 3), np.uint8))
        mask[lines > 0] = 0
        g[lines > 0] = np.uint8(min(255, bg))
    n, lab, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    keep = np.zeros(n, dtype=bool)
    for i in range(1, n):
        x, y, cw, ch, area = stats[i]
        if area < 3:
            continue
        touches = x <= 2 or y <= 2 or x + cw >= w - 2 or y + ch >= h - 2
        thin = min(cw, ch)
        if touches and thin <= 5 and max(cw, ch) >= 3 * max(thin, 1):
            continue  # stub of a ruling line at the crop edge
        if touches and (ch >= 0.9 * h and cw <= 0.1 * w + 2) and h >= 12:
            continue  # vertical border fragment spanning the crop
        if touches and (cw >= 0.9 * w and ch <= 0.1 * h + 2) and w >= 12:
            continue  # horizontal border fragment spanning the crop
        keep[i] = True
    # drop the rejected components inside their bounding boxes only (they are small or thin)
    kept = mask
    for i in np.flatnonzero(~keep[1:]) + 1:
        x, y, cw, ch = stats[i, :4]
        _erase(g[y : y + ch, x : x + cw], kept[y : y + ch, x : x + cw], lab[y : y + ch, x : x + cw] == i, bg)
    heights = [int(stats[i, 3]) for i in np.flatnonzero(keep) if stats[i, 4] >= 6]
    return g, kept, heights


def _trim_pen_strokes(g: np.ndarray, kept: np.ndarray, bg: float, text_h: float) -> None:
    """Cut pen strokes (a signature or a stamp's ring crossing the cell) down to the text's rows, in place.

    Such a stroke is one component far taller than the page's glyphs (``text_h``, the median glyph height
    over all the page's numeric cells), or, where it enters or leaves through the cell's edge, taller than
    any glyph. Left whole it joins the text's line band, and the text shrinks to a few pixels when the line
    is scaled to the model's height; alone in an empty cell it is read as ``1`` or ``๖``. The text rows are
    those of the crop's glyph-sized components; the stroke's ink outside them (plus a quarter of a glyph
    height) is erased, and so are the loose pieces of ink lying wholly outside every line of text (half a
    glyph height around a run of two or more glyphs, or the text line). In a cell without glyph-sized ink,
    the strokes that reach its edge are erased whole."""
    h, w = kept.shape
    n, lab, st, _ = cv2.connectedComponentsWithStats(kept, connectivity=8)
    if n < 2:
        return

    def at_edge(i: int) -> bool:
        x, y, cw, ch = st[i, :4]
        return x <= 1 or y <= 1 or x + cw >= w - 1 or y + ch >= h - 1

    tall = [i for i in range(1, n) if st[i, 4] >= 6
            and (st[i, 3] > 2.2 * text_h or (st[i, 3] > 1.6 * text_h and at_edge(i)))]
    if not tall:
        return
    glyphs = [i for i in range(1, n) if 0.6 * text_h <= st[i, 3] <= 1.6 * text_h and st[i, 4] >= 6
              and i not in tall]
    if not glyphs:
        for i in tall:
            if at_edge(i):
                _erase(g, kept, lab == i, bg)
        return
    # the text line: the run of glyph centres (gaps <= 1.2 glyph heights) holding the most glyph ink; stray
    # stroke pieces of glyph size elsewhere in the cell do not widen it
    glyphs.sort(key=lambda i: st[i, 1] + st[i, 3] / 2)
    runs, cur = [], [glyphs[0]]
    for i in glyphs[1:]:
        if st[i, 1] + st[i, 3] / 2 - (st[cur[-1], 1] + st[cur[-1], 3] / 2) <= 1.2 * text_h:
            cur.append(i)
        else:
            runs.append(cur)
            cur = [i]
    runs.append(cur)
    line = max(runs, key=lambda r: sum(int(st[i, 4]) for i in r))
    m = max(1, int(round(0.25 * text_h)))
    y0 = max(0, min(int(st[i, 1]) for i in line) - m)
    y1 = min(h, max(int(st[i, 1] + st[i, 3]) for i in line) + m)
    for i in tall:
        sel = lab == i
        sel[y0:y1] = False
        _erase(g, kept, sel, bg)
    # the stroke's loose pieces (cut off by cleaning) far above or below every line of text: without them the
    # line band is the text's rows, not the crop's (a signature's arc over ๒,๗๐๐ made it a square band)
    zones = [(min(int(st[i, 1]) for i in r) - 2 * m, max(int(st[i, 1] + st[i, 3]) for i in r) + 2 * m)
             for r in runs if r is line or len(r) >= 2]
    for i in range(1, n):
        top, bottom = int(st[i, 1]), int(st[i, 1] + st[i, 3])
        if i not in tall and not any(bottom > a and top < z for a, z in zones):
            x, y, cw, ch = st[i, :4]
            _erase(g[y:y + ch, x:x + cw], kept[y:y + ch, x:x + cw], lab[y:y + ch, x:x + cw] == i, bg)


def _line_bands(kept: np.ndarray) -> list[tuple[int, int]]:
    """Split into text lines on horizontal ink gaps; small bands (marks, dots) join a neighbour."""
    prof = kept.any(axis=1)
    bands: list[list[int]] = []
    y = 0
    h = len(prof)
    while y < h:
        if prof[y]:
            y0 = y
            while y < h and prof[y]:
                y += 1
            bands.append([y0, y])
        else:
            y += 1
    if not bands:
        return []
    cols_any = [kept[a:b].any(axis=0) for a, b in bands]
    for b, c in zip(bands, cols_any):
        xs = np.nonzero(c)[0]
        b.append(int(xs[-1] - xs[0] + 1))  # ink width of the band
    changed = True
    while changed and len(bands) > 1:
        changed = False
        hmax = max(b[1] - b[0] for b in bands)
        wmax = max(b[2] for b in bands)
        for i, b in enumerate(bands):
            bh = b[1] - b[0]
            gap_up = b[0] - bands[i - 1][1] if i > 0 else 1 << 30
            gap_dn = bands[i + 1][0] - b[1] if i + 1 < len(bands) else 1 << 30
            marks = bh < 0.95 * hmax and b[2] < 0.35 * wmax   # e.g. stacked Thai marks above a word
            if marks or bh < 0.5 * hmax or min(gap_up, gap_dn) <= max(2, 0.12 * hmax):
                j = i - 1 if gap_up <= gap_dn else i + 1       # merge with the nearer neighbour
                lo, hi = min(i, j), max(i, j)
                bands[lo] = [bands[lo][0], bands[hi][1], max(bands[lo][2], bands[hi][2])]
                del bands[hi]
                changed = True
                break
    return [(b[0], b[1]) for b in bands]


def _normalize_line(g: np.ndarray, band: np.ndarray, top: int, bg: float) -> np.ndarray:
    """Ink-trimmed line (kept-ink mask ``band`` of rows top..) -> float32 [INPUT_HEIGHT, W], ink=1, background=0."""
    ys = np.flatnonzero(band.any(axis=1))
    xs = np.flatnonzero(band.any(axis=0))
    by0, by1, x0, x1 = ys[0], ys[-1] + 1, xs[0], xs[-1] + 1
    y0, y1 = top + by0, top + by1
    gsub = g[y0:y1, x0:x1]
    inkv = _pct(gsub[band[by0:by1, x0:x1] > 0], 10)
    sub = gsub.astype(np.float32)
    den = max(bg - inkv, 1.0)
    sub = np.clip((bg - sub) / den, 0.0, 1.0)
    ih, iw = sub.shape
    s = TARGET_INK_HEIGHT / max(ih, MIN_INK_HEIGHT)
    nh = max(1, min(INPUT_HEIGHT, int(round(ih * s))))
    nw = max(1, int(round(iw * s)))
    nw = min(nw, MAX_WIDTH - 2 * PAD_X)
    interp = cv2.INTER_AREA if s < 1 else cv2.INTER_LINEAR
    sub = cv2.resize(sub, (nw, nh), interpolation=interp)
    out = np.zeros((INPUT_HEIGHT, nw + 2 * PAD_X), np.float32)
    top = (INPUT_HEIGHT - nh) // 2
    out[top : top + nh, PAD_X : PAD_X + nw] = sub
    return out


class Cleaned(NamedTuple):
    gray: np.ndarray  # the crop, removed ink whitened
    kept: np.ndarray  # kept-ink mask
    bg: float  # background level
    heights: list[int]  # heights of its glyph-sized components (for the page's text height)


def clean(crop: np.ndarray) -> Cleaned | None:
    """Cell-interior crop (uint8 gray, dark on light) -> its kept ink, or None for a crop without ink."""
    if crop is None or crop.size == 0 or min(crop.shape[:2]) < 2:
        return None
    g = crop
    if g.ndim == 3:
        g = cv2.cvtColor(g, cv2.COLOR_BGR2GRAY)
    if g.dtype != np.uint8:
        g = np.clip(g, 0, 255).astype(np.uint8)
    # a second look when everything was rule residue or specks: faint text may hide behind a darker rule
    # piece that set the threshold, and the first pass removed that ink
    for _attempt in range(2):
        r = _ink_mask(g)
        if r is None:
            return None
        mask, bg = r
        g, kept, heights = _clean_components(g, mask, bg)
        if kept.any():
            return Cleaned(g, kept, bg, heights)
    return None


def lines_of(cleaned: Cleaned | None, text_h: float | None = None) -> list[np.ndarray]:
    """A cleaned crop -> its normalized line images (INPUT_HEIGHT x W float32); with ``text_h`` (the page's
    glyph height) pen strokes far taller than the text are first cut to the text's rows."""
    if cleaned is None:
        return []
    g, kept, bg, heights = cleaned
    if text_h and heights and max(heights) > 1.6 * text_h:   # only then can a component be a stroke
        _trim_pen_strokes(g, kept, bg, text_h)
    return [_normalize_line(g, kept[a:b], a, bg) for a, b in _line_bands(kept)]


def preprocess(crop: np.ndarray, text_h: float | None = None) -> list[np.ndarray]:
    """Cell-interior crop (uint8 gray, dark on light) -> list of normalized line images (INPUT_HEIGHT x W float32)."""
    return lines_of(clean(crop), text_h)


def page_text_height(cleaned: list[Cleaned | None]) -> float | None:
    """Median glyph height over a page's cleaned numeric crops (None with fewer than 20 glyphs)."""
    hs = [x for c in cleaned if c is not None for x in c.heights]
    return float(np.median(hs)) if len(hs) >= 20 else None


# ---------------------------------------------------------------------------
# decoding
# ---------------------------------------------------------------------------


def _softmax(logits: np.ndarray) -> np.ndarray:
    z = logits - logits.max(axis=0, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=0, keepdims=True)


def _collapse(path) -> str:
    """Best-path CTC collapse: drop repeats, then blanks (``path``: class ids, a sequence of ints)."""
    out, prev = [], 0
    for c in path:
        if c != prev and c:
            out.append(TOKENS[c - 1])
        prev = c
    return "".join(out)


N_ALT = 3          # alternatives kept per reading (5, with 6 readings tried by arith: nothing more mended; nor
                   # trying the 3 next likeliest classes at each weak frame instead of the runner-up)


def decode(probs: np.ndarray, n_alt: int | None = None) -> Reading:
    """probs: [C, T] softmax output for one line -> Reading (text not yet canonicalized)."""
    n_alt = N_ALT if n_alt is None else n_alt
    if not probs.shape[1]:
        return Reading("", 1.0, ())
    path_a = probs.argmax(axis=0)
    best = probs.max(axis=0)
    path = path_a.tolist()
    text = _collapse(path)
    conf = float(best.min())
    alts: dict[str, float] = {}
    order = np.argsort(best, kind="stable")[: max(6, n_alt * 2)].tolist()
    cols = probs[:, order].copy()
    cols[path_a[order], np.arange(len(order))] = -1.0
    runner = cols.argmax(axis=0).tolist()
    for t, r in zip(order, runner):
        p2 = path.copy()
        p2[t] = r
        alt = _collapse(p2)
        if alt == text:
            continue
        b2 = best.copy()
        b2[t] = probs[r, t]
        sc = float(b2.min())
        if sc > alts.get(alt, -1.0):
            alts[alt] = sc
    ranked = sorted(alts.items(), key=lambda kv: -kv[1])[:n_alt]
    return Reading(text, conf, tuple(ranked))


def _join(readings: list[Reading]) -> Reading:
    if not readings:
        return Reading("", 1.0, ())
    if len(readings) == 1:
        r = readings[0]
        alts = tuple((canonical(t), s) for t, s in r.alternatives if canonical(t) != canonical(r.text))
        return Reading(canonical(r.text), r.confidence, alts)
    text = canonical(" ".join(r.text for r in readings))
    conf = min(r.confidence for r in readings)
    alts: dict[str, float] = {}
    for i, r in enumerate(readings):
        for t, s in r.alternatives:
            parts = [x.text for x in readings]
            parts[i] = t
            at = canonical(" ".join(parts))
            if at != text:
                sc = min(s, *(x.confidence for j, x in enumerate(readings) if j != i))
                alts[at] = max(alts.get(at, -1.0), sc)
    ranked = sorted(alts.items(), key=lambda kv: -kv[1])[:N_ALT]
    return Reading(text, conf, tuple(ranked))


def ctc_log_prob(probs: np.ndarray, text: str) -> float:
    """log P(text | line) under the CTC model (forward algorithm over all alignments); probs [C, T].
    -inf when ``text`` has a character outside the alphabet or cannot fit in T frames."""
    return ctc_log_probs(probs, [text])[0]


_RESCALE_EVERY = 8


def ctc_log_probs(probs: np.ndarray, texts: list[str]) -> list[float]:
    """`ctc_log_prob` of several texts over one line (`ctc_log_probs_many` of that one line)."""
    return ctc_log_probs_many([(probs, texts)])[0]


_CTC_CHUNK = 4_000_000   # most frame x row x label cells in one forward pass (float64: 32 MB)


def ctc_log_probs_many(jobs: list[tuple[np.ndarray, list[str]]]) -> list[list[float]]:
    """`ctc_log_prob` of each text of each (line probs [C, T], texts) job, in as few forward passes as
    memory allows (`_ctc_pass`; lines of similar length together): one pass over a page's unsure cells
    instead of one per cell - numpy's per-call overhead, not arithmetic, was the cost of scoring them cell
    by cell (digits-report.md, Speed)."""
    out: list[list[float]] = [[] for _ in jobs]
    chunk: list[int] = []
    n_rows = width = 0
    for j in sorted(range(len(jobs)), key=lambda j: jobs[j][0].shape[1]):   # frames ascending
        probs, texts = jobs[j]
        w = 2 * max([len(t) for t in texts] + [0]) + 1   # labels of its longest text, blanks between
        if chunk and (n_rows + len(texts)) * probs.shape[1] * max(width, w) > _CTC_CHUNK:
            for i, r in zip(chunk, _ctc_pass([jobs[i] for i in chunk])):
                out[i] = r
            chunk, n_rows, width = [], 0, 0
        chunk.append(j)
        n_rows, width = n_rows + len(texts), max(width, w)
    for i, r in zip(chunk, _ctc_pass([jobs[i] for i in chunk]) if chunk else []):
        out[i] = r
    return out


def _ctc_pass(jobs: list[tuple[np.ndarray, list[str]]]) -> list[list[float]]:
    """One forward pass over all texts of all jobs: every text of every line is a row, its label sequence
    padded with blanks (a label only ever feeds the ones after it, so padding never reaches a result) and
    its line's frames padded at the end (a row stands still once its line has ended)."""
    rows: list[tuple[int, int, tuple[int, ...]]] = []   # (job, text index, label ids)
    out: list[list[float]] = [[float("-inf")] * len(texts) for _, texts in jobs]
    for j, (_, texts) in enumerate(jobs):
        for k, t in enumerate(texts):
            try:
                rows.append((j, k, _token_ids(t)))
            except KeyError:
                pass   # a character outside the alphabet: -inf
    if not rows:
        return out
    n = len(rows)
    L = 2 * max(len(q) for _, _, q in rows) + 1
    T = max(jobs[j][0].shape[1] for j, _, _ in rows)
    ext = np.zeros((n, L), np.int64)
    for r, (_, _, q) in enumerate(rows):
        ext[r, 1:2 * len(q) + 1:2] = q
    # pt[t, r, s]: probability at frame t of row r's s-th extended label; 1 past the row's last frame
    pt = np.ones((T, n, L))
    tlen = np.empty(n, np.int64)
    start = 0
    while start < n:   # the rows of one job are consecutive: gather them with one index
        j = rows[start][0]
        stop = start
        while stop < n and rows[stop][0] == j:
            stop += 1
        probs = jobs[j][0]
        pt[:probs.shape[1], start:stop] = np.maximum(probs, 1e-30)[ext[start:stop]].transpose(2, 0, 1)
        tlen[start:stop] = probs.shape[1]
        start = stop
    # The forward pass in probabilities: a label is reached from itself, the one before, or the one before
    # its blank (unless it repeats it); each row rescaled every _RESCALE_EVERY frames, its log kept aside
    # (probabilities are at least 1e-30, so 8 frames cannot underflow): as exact as adding in log space.
    skip = np.zeros((n, L))
    skip[:, 3::2] = (ext[:, 3::2] != ext[:, 1:-2:2]) & (ext[:, 3::2] != 0)
    skip = skip[:, 2:]
    alpha = np.zeros((n, L))
    alpha[:, 0] = pt[0, :, 0]
    if L > 1:
        alpha[:, 1] = pt[0, :, 1]
    log_scale = np.zeros(n)
    short = tlen < T
    for t in range(1, T):
        nxt = alpha.copy()
        nxt[:, 1:] += alpha[:, :-1]
        nxt[:, 2:] += skip * alpha[:, :-2]
        nxt *= pt[t]
        if short.any():
            done = tlen <= t   # past its line's end: stays as it was
            nxt[done] = alpha[done]
        alpha = nxt
        if t % _RESCALE_EVERY == 0 or t == T - 1:
            tot = alpha.sum(axis=1)
            tot[tot <= 0] = 1.0   # nothing left: the text cannot fit (its result is -inf)
            alpha /= tot[:, None]
            log_scale += np.log(tot)
    with np.errstate(divide="ignore"):
        for r, (j, k, q) in enumerate(rows):
            end = 2 * len(q)   # index of the last blank
            out[j][k] = float(np.log(alpha[r, end] + alpha[r, end - 1] if end else alpha[r, 0]) + log_scale[r])
    return out


# Thai digits as Tesseract's ``tha`` model writes them (in Arabic form; its Arabic-digit output included),
# and the Thai digits each may stand for: every confusion of at least 2% of a digit's occurrences in its
# readings of the number cells of a generated set (seed 2567, not the benchmark's). ๔ ๘ -> ๕, ๖ -> ๒ ๐ ๑,
# ๗ -> ๓ ๑ ๕, ๙ -> ๕ ๓; it reads ๐ ๑ ๒ ๓ ๕ right 95-99% of the time. Its ๕ no longer counts for ๐: in
# the number cells of that set where it read as many digits as the truth has (session 8's pipeline), it
# wrote 5 for 0.3% of the ๐s but for 85% of the ๔s, 81% of the ๘s and 58% of the ๙s. Nor does its ๒
# (session 11's pipeline, 2273 such cells): it wrote ๒ for none of 2227 ๐s, and a ๘,๒๐๐ that the
# recognizer read ๘,๐๐๐ on an unseen font had kept that reading against Tesseract's ๒. (Re-deriving the
# whole table from those cells was tried: it lets Tesseract's ๕ stand for ๗ too, 2.2% of the ๗s, and that
# turned four ๒,๘๐๐ into ๒,๗๐๐ on one page, one of them confirmed by a sum at 0.99; not taken.)
TESS_MAY_MEAN = {"0": "015679", "1": "167", "2": "256", "3": "379", "5": "4589", "4": "14", "6": "6",
                 "7": "47", "8": "8", "9": "169"}
_TO_ARABIC = str.maketrans(THAI_DIGITS, ARABIC_DIGITS)


def tesseract_may_mean(tess: str, text: str) -> bool:
    """Whether Tesseract's reading ``tess`` of a cell can be its misreading of ``text``: the same number of
    digits, each of Tesseract's one it makes of the other's digit (any script)."""
    a = [ch for ch in tess.translate(_TO_ARABIC) if ch.isdigit()]
    b = [ch for ch in text.translate(_TO_ARABIC) if ch.isdigit()]
    return bool(a) and len(a) == len(b) and all(x == y or y in TESS_MAY_MEAN.get(x, x) for x, y in zip(a, b))


def same_digits(tess: str, text: str) -> bool:
    """Whether Tesseract's reading ``tess`` has the same digits as ``text``, in order (either script)."""
    a = [ch for ch in (tess or "").translate(_TO_ARABIC) if ch in ARABIC_DIGITS]
    return bool(a) and a == [ch for ch in text.translate(_TO_ARABIC) if ch in ARABIC_DIGITS]


def tesseract_contradicts(tess: str, text: str) -> bool:
    """Whether Tesseract's reading ``tess`` of a number cell contradicts ``text``: as many digit places (a
    Thai letter counting as some digit its model lacks, not as any one digit: in the number cells of both
    generated sets where its places matched the truth's, read by the shipped pipeline, its ฒ stood for
    ๗ 100 times and ๙ 24, ญ for ๗ 20 of 21, ต for ๙ 15 of 19, ซ for ๗ 21, ๔ 12, ๘ 11, ๙ 4 of 52) and at
    one of them a digit it cannot have made of the text's (its ๒ where the text has ๑). A cell with words
    in it, or another count of places, neither agrees nor contradicts: False."""
    def letter(ch: str) -> bool:
        return "\u0e01" <= ch <= "\u0e2e"

    if any(map(letter, text)):
        return False
    a = ["?" if letter(ch) else ch for ch in tess.translate(_TO_ARABIC) if ch in ARABIC_DIGITS or letter(ch)]
    b = [ch for ch in text.translate(_TO_ARABIC) if ch in ARABIC_DIGITS]
    return bool(b) and len(a) == len(b) and any(x != "?" and y not in TESS_MAY_MEAN.get(x, x) for x, y in zip(a, b))


FUSE_BELOW = 0.9     # only a reading less sure than this is weighed against Tesseract's
FUSE_BONUS = 4.0     # log-odds a reading Tesseract's could be a misreading of gets (tuned on seed 2567: 1, 2.5, 4, 6)
KEEP_FUSED_ALTS = True   # the candidates `fuse_pick` did not take stay on offer as alternatives
FUSED_CONF = 0.6     # confidence of a reading chosen with Tesseract's help: never trusted on its own


def _tesseract_sources(text: str, tess: str, limit: int = 2) -> list[str]:
    """``text`` made to fit Tesseract's reading: where ``tess`` has as many digits, each of the text's
    digits (at most ``limit``) that Tesseract's digit there cannot be a misreading of is replaced by each
    digit it can be (`TESS_MAY_MEAN`): Tesseract's ``๒,๕๐๐`` makes ``๒,๑๐๐`` into ``๒,๘๐๐``, ``๒,๔๐๐``...
    (it writes ๕ for ๔ ๘ ๙). Nothing when more digits disagree or the counts differ."""
    a = [ch for ch in tess.translate(_TO_ARABIC) if ch.isdigit()]
    pos = [i for i, ch in enumerate(text) if ch in THAI_DIGITS or ch in ARABIC_DIGITS]
    if not a or len(a) != len(pos):
        return []
    bad = [(i, TESS_MAY_MEAN.get(x, x)) for i, x in zip(pos, a) if text[i].translate(_TO_ARABIC) not in TESS_MAY_MEAN.get(x, x)]
    if not bad or len(bad) > limit:
        return []
    out = [list(text)]
    for i, options in bad:
        digits = THAI_DIGITS if text[i] in THAI_DIGITS else ARABIC_DIGITS
        out = [t[:i] + [digits[int(d)]] + t[i + 1:] for t in out for d in options]
    return ["".join(t) for t in out]


def _tesseract_candidates(tess: str, thai: bool) -> list[str]:
    """Tesseract's reading as texts of the recognizer's alphabet: as read, and with a point before three
    digits made a thousands comma (``๑๑.๒๕๐``); its Arabic digits made Thai when the cell is in Thai."""
    t = canonical("".join(ch for ch in tess if ch.isdigit() or ch in PUNCT or ch == " "))
    if not t:
        return []
    if thai:
        t = t.translate(str.maketrans(ARABIC_DIGITS, THAI_DIGITS))
    out = [t]
    grouped = re.sub(r"\.(?=[0-9\u0e50-\u0e59]{3}(?:[,.]|$))", ",", t)
    if grouped != t:
        out.append(grouped)
    return out


def fuse(probs: np.ndarray | list[np.ndarray], reading: Reading, tess: str) -> Reading:
    """Weigh the recognizer's readings of one line, unsure (below FUSE_BELOW), against each other and
    against Tesseract's. ``probs`` is the line's softmax output, or a list of them: the line as read and
    its views (`VIEWS`, the line stretched and squeezed). The candidates are the reading and its
    alternatives, each view's reading and alternatives, Tesseract's text, and the reading with the digits
    Tesseract's cannot be a misreading of replaced by those it can (`_tesseract_sources`); each is scored
    by its CTC log-probability averaged over the views, plus FUSE_BONUS when Tesseract's reading could be a misreading
    of it (`tesseract_may_mean`). A different winner is returned with confidence at most FUSED_CONF, the
    recognizer's own first reading kept as an alternative; ``fused`` when Tesseract's reading tipped it."""
    views = probs if isinstance(probs, list) else [probs]
    cands = fuse_candidates(views, reading, tess)
    if not cands:
        return reading
    return fuse_pick(reading, cands, ctc_log_probs_many([(v, cands) for v in views]), tess)


def fuse_candidates(views: list[np.ndarray], reading: Reading, tess: str) -> list[str]:
    """The texts `fuse` weighs for one line (none when the reading stands as it is)."""
    tess = (tess or "").strip()
    if reading.confidence >= FUSE_BELOW or (not tess and len(views) < 2):
        return []
    thai = any(ch in THAI_DIGITS for ch in reading.text) or not any(ch in ARABIC_DIGITS for ch in reading.text)
    cands = [reading.text] + [t for t, _ in reading.alternatives]
    for v in views[1:]:
        d = decode(v)
        cands += [canonical(d.text)] + [canonical(t) for t, _ in d.alternatives]
    cands += _tesseract_candidates(tess, thai) if tess else []
    cands = [c for c in dict.fromkeys(cands) if c]
    if tess:   # the reading made to fit Tesseract's: its ๒,๕๐๐ turns ๒,๑๐๐ into ๒,๘๐๐ (among others)
        cands += [e for e in _tesseract_sources(reading.text, tess) if e not in cands]
    return cands


def fuse_pick(reading: Reading, cands: list[str], lps: list[list[float]], tess: str) -> Reading:
    """`fuse`'s choice among ``cands`` given their CTC log-probabilities under each view (``lps``)."""
    tess = (tess or "").strip()
    best, best_score, bonus = reading.text, None, False
    scores = []
    for k, c in enumerate(cands):
        may = bool(tess) and tesseract_may_mean(tess, c)
        sc = sum(lp[k] for lp in lps) / len(lps) + (FUSE_BONUS if may else 0.0)
        scores.append(sc)
        if best_score is None or sc > best_score:
            best, best_score, bonus = c, sc, may
    if best == reading.text:
        return reading
    # the other candidates, by their share of the candidates' weight, join the reading's alternatives: a
    # ๘,๒๐๐ made of the recognizer's ๘ and Tesseract's ๒ may be what the form's arithmetic needs
    merged = dict(reading.alternatives)
    if KEEP_FUSED_ALTS:
        w = [math.exp(sc - best_score) for sc in scores]
        for c, wk in zip(cands, w):
            if c != reading.text:
                merged[c] = max(merged.get(c, 0.0), wk / sum(w))
    others = sorted(((t, p) for t, p in merged.items() if t != best), key=lambda a: -a[1])
    alts = ((reading.text, reading.confidence),) + tuple(others)
    return Reading(best, min(reading.confidence, FUSED_CONF), alts[:N_ALT], fused=bonus)


def _stretch(f: float):
    """A view of a normalized line: its ink stretched (f > 1) or squeezed sideways, height kept."""
    def view(im: np.ndarray) -> np.ndarray:
        h, w = im.shape
        nw = max(8, int(round((w - 2 * PAD_X) * f)))
        out = np.zeros((h, nw + 2 * PAD_X), np.float32)
        out[:, PAD_X:PAD_X + nw] = cv2.resize(im[:, PAD_X:w - PAD_X], (nw, h), interpolation=cv2.INTER_LINEAR)
        return out
    return view


# Views of an unsure line, read too and averaged in `fuse`: the net's errors on a blurred glyph depend on
# its exact width in frames, and a reading that holds at three widths is the likelier one.
VIEWS = (_stretch(1.15), _stretch(0.87))
# A lone glyph is not viewed: stretching one character changes its shape, not where it falls on the frames
# (on the second set's Sawasdee pages read by the held-out model, views turned 9 lone ๑ into ๐ and mended
# no lone glyph; with the shipped model 1 and 0).
VIEW_MIN_CHARS = 2


# ---------------------------------------------------------------------------
# reader
# ---------------------------------------------------------------------------


BLANK_RETRY_CONF = 0.85
STROKE_ONLY_CONF = 0.85   # a cell read blank because its only ink was a stroke crossing it: likely, not sure
_BLANK_RETRIES = (
    lambda im: np.pad(im, ((0, 0), (8, 8))),
    lambda im: np.pad(cv2.dilate(im, np.ones((1, 2), np.float32)), ((0, 0), (8, 8))),
)


def _threads() -> int:
    """Threads for one network run: 1 in a batch worker process (the workers already share the cores),
    else up to 4; $EXTRACT_READER_THREADS overrides."""
    env = os.environ.get("EXTRACT_READER_THREADS")
    if env:
        return max(1, int(env))
    import multiprocessing as mp

    if mp.current_process().name != "MainProcess":
        return 1
    return max(1, min(4, os.cpu_count() or 1))


def _load_net(path: Path):
    """The recognizer as a function batch [B, 1, H, W] float32 -> logits [B, C, T]: run by onnxruntime,
    or by OpenCV's cv2.dnn when onnxruntime is not installed or $EXTRACT_READER_BACKEND is ``cv2`` (same
    logits to 1e-5; onnxruntime about 2.4x faster on this network: digits-report.md, Speed)."""
    backend = os.environ.get("EXTRACT_READER_BACKEND", "onnxruntime")
    if backend != "cv2":
        try:
            import onnxruntime as ort
        except ImportError:
            ort = None
        if ort is not None:
            so = ort.SessionOptions()
            so.intra_op_num_threads = _threads()
            so.inter_op_num_threads = 1
            so.add_session_config_entry("session.intra_op.allow_spinning", "0")   # no busy waiting beside tesseract
            sess = ort.InferenceSession(str(path), so, providers=["CPUExecutionProvider"])
            name = sess.get_inputs()[0].name
            return lambda batch: sess.run(None, {name: batch})[0]
    net = cv2.dnn.readNetFromONNX(str(path))

    def forward(batch: np.ndarray) -> np.ndarray:
        net.setInput(batch)
        return net.forward()
    return forward


class DigitReader:
    """Reads numeric table cells. Thread-unsafe (one network session); use one per thread."""

    def __init__(self, model_dir: Path | None = None):
        model_dir = Path(model_dir) if model_dir is not None else MODEL_DIR
        meta_path = model_dir / META_FILE
        self.meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.exists() else {}
        if self.meta and list(self.meta.get("tokens", TOKENS)) != list(TOKENS):
            raise ValueError(f"{meta_path}: token set differs from this code's alphabet")
        if self.meta and int(self.meta.get("input_height", INPUT_HEIGHT)) != INPUT_HEIGHT:
            raise ValueError(f"{meta_path}: model input height {self.meta['input_height']} != {INPUT_HEIGHT}")
        self._forward = _load_net(model_dir / MODEL_FILE)
        self.temperature = float(self.meta.get("temperature", 1.0))  # confidence calibration (logits / T)

    def _run(self, lines: list[np.ndarray]) -> list[np.ndarray]:
        """Batch line images by width bucket; returns softmax [C, T] per line."""
        out: list[np.ndarray | None] = [None] * len(lines)
        buckets: dict[int, list[int]] = {}
        for i, im in enumerate(lines):
            wb = -(-im.shape[1] // WIDTH_STEP) * WIDTH_STEP
            buckets.setdefault(wb, []).append(i)
        for wb, idx in sorted(buckets.items()):
            for k in range(0, len(idx), 64):
                chunk = idx[k : k + 64]
                batch = np.zeros((len(chunk), 1, INPUT_HEIGHT, wb), np.float32)
                for j, i in enumerate(chunk):
                    batch[j, 0, :, : lines[i].shape[1]] = lines[i]
                logits = self._forward(batch)  # [B, C, T]
                for j, i in enumerate(chunk):
                    t_valid = max(1, -(-lines[i].shape[1] // 4))
                    out[i] = _softmax(logits[j, :, :t_valid].astype(np.float64) / self.temperature)
        return out  # type: ignore[return-value]

    def read(self, crops: list[np.ndarray], hints: list[str] | None = None) -> list[Reading]:
        """Readings of ``crops``; ``hints`` (optional, one per crop) is Tesseract's text of each, weighed in
        on a single-line crop the recognizer is unsure of (see `fuse`)."""
        cleaned = [clean(c) for c in crops]
        text_h = page_text_height(cleaned)
        per_crop = [lines_of(c, text_h) for c in cleaned]
        flat = [im for ls in per_crop for im in ls]
        probs = self._run(flat) if flat else []
        res: list[Reading] = []
        k = 0
        first = []   # index into flat of each crop's first line
        for i, ls in enumerate(per_crop):
            res.append(_join([decode(p) for p in probs[k : k + len(ls)]]))
            first.append(k)
            k += len(ls)
        unsure = [i for i, (ls, r) in enumerate(zip(per_crop, res)) if len(ls) == 1 and r.text and r.confidence < FUSE_BELOW]
        viewed = [i for i in unsure if len(res[i].text) >= VIEW_MIN_CHARS]
        views = [self._run([v(flat[first[i]]) for i in viewed]) for v in VIEWS] if viewed else []
        view_of = {i: [vp[n] for vp in views] for n, i in enumerate(viewed)}
        # every unsure line's candidates scored under all its views in one CTC pass (see ctc_log_probs_many)
        weigh = []
        for i in unsure:
            lines = [probs[first[i]]] + view_of.get(i, [])
            tess = hints[i] if hints is not None else ""
            cands = fuse_candidates(lines, res[i], tess)
            if cands:
                weigh.append((i, tess, cands, lines))
        lps = ctc_log_probs_many([(v, cands) for _, _, cands, lines in weigh for v in lines])
        k = 0
        for i, tess, cands, lines in weigh:
            res[i] = fuse_pick(res[i], cands, lps[k:k + len(lines)], tess)
            k += len(lines)
        for i, (c, ls) in enumerate(zip(cleaned, per_crop)):
            if c is not None and not ls:   # its only ink was pen strokes crossing it (see _trim_pen_strokes)
                res[i] = Reading("", STROKE_ONLY_CONF)
        blank = [i for i, (ls, r) in enumerate(zip(per_crop, res)) if ls and not r.text]
        for i, again in zip(blank, self._reread_blank([per_crop[i] for i in blank])):
            res[i] = again or Reading("", min(res[i].confidence, 0.5), res[i].alternatives)
        return res

    def _reread_blank(self, crops_lines: list[list[np.ndarray]]) -> list[Reading | None]:
        """For crops whose ink survived cleaning but nothing was read (a lone narrow glyph such as a thin
        ``1``, seen on an unseen font): read them again with more white space around, then those still blank
        with strokes thickened sideways - one batched run per variant. The first non-blank reading is taken,
        its confidence capped at BLANK_RETRY_CONF (never trusted on its own; the form's arithmetic may still
        confirm it). None for a crop every retry reads blank too."""
        out: list[Reading | None] = [None] * len(crops_lines)
        todo = list(range(len(crops_lines)))
        for variant in _BLANK_RETRIES:
            if not todo:
                break
            flat = [variant(im) for i in todo for im in crops_lines[i]]
            probs = self._run(flat)
            k, still = 0, []
            for i in todo:
                n = len(crops_lines[i])
                r = _join([decode(p) for p in probs[k : k + n]])
                k += n
                if r.text:
                    out[i] = Reading(r.text, min(r.confidence, BLANK_RETRY_CONF), r.alternatives)
                else:
                    still.append(i)
            todo = still
        return out


@lru_cache(maxsize=1)
def get_reader() -> DigitReader:
    """Process-wide cached reader: the committed model, or the one in $EXTRACT_DIGITS_MODEL_DIR (for
    trying a retrained model on the benchmark without replacing the committed one)."""
    return DigitReader(os.environ.get("EXTRACT_DIGITS_MODEL_DIR") or None)
