"""Tesseract behind one small interface, called once per table (a mosaic of cell crops) and once per
page for the text outside tables — never once per cell (each call starts a process: 50-100 ms).

The mosaic: each cell's interior (rules already erased) is trimmed to its ink, scaled so the text is
about the size Tesseract likes, and pasted in a single column with generous gaps; one `image_to_data`
call reads them all, and each recognized word goes back to the slot it fell in. A word can therefore
never straddle two cells, and no ruling line is ever read as text.
"""
from __future__ import annotations

import os
import shutil
from dataclasses import dataclass

import cv2
import numpy as np

from ..errors import MissingTool

LANG = "tha+eng"
TARGET_XHEIGHT_DPI = 300      # crops are scaled as if scanned at this resolution
GAP = 24                      # px between slots in the mosaic
MARGIN = 16


@dataclass(frozen=True)
class OcrText:
    text: str
    confidence: float | None   # 0-1, mean of Tesseract's (per-character) word confidences; None if nothing read
    n_words: int
    words: tuple = ()           # region reads only: (text, left, top, width, height, line key) per word


def check_tesseract() -> None:
    if shutil.which("tesseract") is None:
        raise MissingTool("tesseract is not installed", hint="run scripts/bootstrap.sh (apt-get install tesseract-ocr tesseract-ocr-tha)")


def _config(psm: int) -> str:
    return f"--psm {psm} --oem 1 -c preserve_interword_spaces=1"


def _env_threads() -> None:
    # 2.6-3 s/page with one thread vs 7-10 s with OpenMP's default on 2 cores (measured, see docs)
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")


def ink_bbox(crop: np.ndarray, thresh: int = 160, min_px: int = 2) -> tuple[int, int, int, int] | None:
    """Bounding box (x0, y0, x1, y1) of dark pixels, ignoring isolated specks; None when blank."""
    if crop.size == 0:
        return None
    mask = (crop < thresh).astype(np.uint8)
    if int(mask.sum()) < min_px:
        return None
    n, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    keep = [i for i in range(1, n) if stats[i, cv2.CC_STAT_AREA] >= min_px]
    if not keep:
        return None
    xs0 = min(stats[i, cv2.CC_STAT_LEFT] for i in keep)
    ys0 = min(stats[i, cv2.CC_STAT_TOP] for i in keep)
    xs1 = max(stats[i, cv2.CC_STAT_LEFT] + stats[i, cv2.CC_STAT_WIDTH] for i in keep)
    ys1 = max(stats[i, cv2.CC_STAT_TOP] + stats[i, cv2.CC_STAT_HEIGHT] for i in keep)
    return int(xs0), int(ys0), int(xs1), int(ys1)


def _is_thai(ch: str) -> bool:
    return "\u0e01" <= ch <= "\u0e4f"


def _words_to_lines(rows: list[dict]) -> list[str]:
    """Join Tesseract's (mostly per-character, for Thai) words into lines of text."""
    if not rows:
        return []
    lines: dict[tuple, list[dict]] = {}
    for r in rows:
        lines.setdefault((r["block_num"], r["par_num"], r["line_num"]), []).append(r)
    out = []
    for key in sorted(lines, key=lambda k: min(r["top"] for r in lines[k])):
        ws = sorted(lines[key], key=lambda r: r["left"])
        h = float(np.median([r["height"] for r in ws])) or 1.0
        s = ws[0]["text"]
        for prev, cur in zip(ws, ws[1:]):
            gap = cur["left"] - (prev["left"] + prev["width"])
            a, b = prev["text"][-1], cur["text"][0]
            if b in ".,)%" or a in "(":
                space = gap > 1.0 * h
            elif a.isascii() and a.isalnum() and b.isascii() and b.isalnum():
                space = gap > 0.3 * h
            else:
                space = gap > 0.6 * h
            s += (" " if space else "") + cur["text"]
        out.append(s)
    return out


def join_lines(lines: list[str]) -> str:
    """Wrapped lines of one cell -> one string: no space where a Thai word was broken across lines."""
    out = ""
    for ln in lines:
        ln = ln.strip()
        if not ln:
            continue
        if out and not (_is_thai(out[-1]) and _is_thai(ln[0])):
            out += " "
        out += ln
    return out


def _run_data(img: np.ndarray, psm: int, lang: str) -> dict:
    import pytesseract

    check_tesseract()
    _env_threads()
    return pytesseract.image_to_data(img, lang=lang, config=_config(psm), output_type=pytesseract.Output.DICT)


def ocr_crops(crops: list[np.ndarray], dpi: float, *, lang: str = LANG) -> list[OcrText]:
    """Read many small crops (grayscale, dark text on white) with ONE Tesseract call."""
    results = [OcrText("", None, 0) for _ in crops]
    scale = max(1.0, min(3.0, TARGET_XHEIGHT_DPI / max(dpi, 1.0)))
    slots: list[tuple[int, int, int]] = []   # (crop index, y0, y1) in the mosaic
    pieces: list[np.ndarray] = []
    y = MARGIN
    width = 0
    for i, crop in enumerate(crops):
        bb = ink_bbox(crop)
        if bb is None:
            continue
        x0, y0, x1, y1 = bb
        piece = crop[max(0, y0 - 2):y1 + 2, max(0, x0 - 2):x1 + 2]
        if scale != 1.0:
            piece = cv2.resize(piece, None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC)
        pieces.append(piece)
        slots.append((i, y, y + piece.shape[0]))
        y += piece.shape[0] + GAP
        width = max(width, piece.shape[1])
    if not pieces:
        return results
    canvas = np.full((y + MARGIN, width + 2 * MARGIN), 255, np.uint8)
    for piece, (_, y0, y1) in zip(pieces, slots):
        canvas[y0:y1, MARGIN:MARGIN + piece.shape[1]] = piece
    data = _run_data(canvas, psm=6, lang=lang)
    per_slot: dict[int, list[dict]] = {}
    ys = np.array([(s[1] + s[2]) / 2 for s in slots])
    starts = np.array([s[1] - GAP / 2 for s in slots])
    for k in range(len(data["text"])):
        t = (data["text"][k] or "").strip()
        if not t:
            continue
        cy = data["top"][k] + data["height"][k] / 2
        j = int(np.searchsorted(starts, cy, side="right") - 1)
        if j < 0:
            j = int(np.argmin(np.abs(ys - cy)))
        per_slot.setdefault(j, []).append({key: data[key][k] for key in ("block_num", "par_num", "line_num", "left", "top", "width", "height", "conf")} | {"text": t})
    for j, rows in per_slot.items():
        i = slots[j][0]
        confs = [float(r["conf"]) for r in rows if float(r["conf"]) >= 0]
        results[i] = OcrText(join_lines(_words_to_lines(rows)), (sum(confs) / len(confs) / 100.0) if confs else None, len(rows))
    return results


def ocr_region_text(gray: np.ndarray, *, lang: str = LANG, psm: int = 4) -> OcrText:
    """Read a page region (e.g. the title block with tables blanked out) as lines of text."""
    if ink_bbox(gray) is None:
        return OcrText("", None, 0)
    data = _run_data(gray, psm=psm, lang=lang)
    rows = []
    for k in range(len(data["text"])):
        t = (data["text"][k] or "").strip()
        if t:
            rows.append({key: data[key][k] for key in ("block_num", "par_num", "line_num", "left", "top", "width", "height", "conf")} | {"text": t})
    confs = [float(r["conf"]) for r in rows if float(r["conf"]) >= 0]
    words = tuple((r["text"], r["left"], r["top"], r["width"], r["height"], (r["block_num"], r["par_num"], r["line_num"]))
                  for r in rows)
    return OcrText("\n".join(_words_to_lines(rows)), (sum(confs) / len(confs) / 100.0) if confs else None, len(rows), words)
