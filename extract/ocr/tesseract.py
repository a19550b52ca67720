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
GAP = 40                      # px between slots in the mosaic
MOSAIC_SLOTS = 40             # crops per mosaic of the cells read again (per Tesseract call)
MIN_TEXT_PX = 4               # ink at least this tall in a crop is text-sized (a dash is 2-3 px)
MARGIN = 16
MARKS_LINE = 0.6              # a line lower than this share of its slot's tallest, and not Thai words, is debris


@dataclass(frozen=True)
class OcrText:
    text: str
    confidence: float | None   # 0-1, mean of Tesseract's (per-character) word confidences; None if nothing read
    n_words: int
    words: tuple = ()           # region reads only: (text, left, top, width, height, line key) per word


def check_tesseract() -> None:
    if shutil.which("tesseract") is None:
        raise MissingTool("tesseract is not installed", hint="run scripts/bootstrap.sh (apt-get install tesseract-ocr tesseract-ocr-tha)")


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


def _debris(text: str) -> bool:
    """Text that is not Thai words: fewer than 40% of its characters are Thai consonants (``a ๕ '``,
    ``ae Pn ah``) - what Tesseract makes of a row of detached marks."""
    chars = [ch for ch in text if not ch.isspace()]
    if not chars:
        return True
    return sum(1 for ch in chars if "\u0e01" <= ch <= "\u0e2e") < 0.4 * len(chars)


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


def _run(img: np.ndarray, psm: int, lang: str, timeout: float = 600) -> tuple[list[dict], list[dict]]:
    """One Tesseract process producing both TSV (boxes, confidences) and plain text (Tesseract's own
    spacing, far better for Thai than re-joining its per-character "words"). Returns (words, lines);
    each line has text, key, top, height and the mean confidence of its words."""
    import subprocess
    import tempfile

    check_tesseract()
    _env_threads()
    with tempfile.TemporaryDirectory(prefix="extract-ocr-") as td:
        src = os.path.join(td, "in.png")
        if not cv2.imwrite(src, img):
            raise RuntimeError("could not write the OCR image")
        cmd = ["tesseract", src, os.path.join(td, "out"), "-l", lang, "--psm", str(psm), "--oem", "1",
               "-c", "preserve_interword_spaces=1", "txt", "tsv"]
        try:
            proc = subprocess.run(cmd, capture_output=True, timeout=timeout, env=dict(os.environ))
        except subprocess.TimeoutExpired:
            from ..errors import ExtractError

            raise ExtractError(f"Tesseract took longer than {timeout:.0f} s on this page") from None
        if proc.returncode != 0:
            raise RuntimeError(f"tesseract failed: {proc.stderr.decode(errors='replace')[-300:]}")
        with open(os.path.join(td, "out.tsv"), encoding="utf-8") as f:
            tsv = f.read().splitlines()
        with open(os.path.join(td, "out.txt"), encoding="utf-8") as f:
            txt_lines = [ln for ln in f.read().splitlines() if ln.strip()]
    words, line_rows = [], []
    for ln in tsv[1:]:
        parts = ln.split("\t", 11)
        if len(parts) < 11:
            continue
        level = int(parts[0])
        key = (int(parts[2]), int(parts[3]), int(parts[4]))
        box = {"left": int(parts[6]), "top": int(parts[7]), "width": int(parts[8]), "height": int(parts[9])}
        if level == 4:
            line_rows.append({"key": key, **box})
        elif level == 5:
            text = parts[11].strip() if len(parts) > 11 else ""
            if text:
                words.append({"block_num": key[0], "par_num": key[1], "line_num": key[2], "conf": float(parts[10]),
                              "text": text, **box})
    by_key: dict[tuple, list[dict]] = {}
    for w in words:
        by_key.setdefault((w["block_num"], w["par_num"], w["line_num"]), []).append(w)
    line_rows = [lr for lr in line_rows if lr["key"] in by_key]
    use_txt = len(line_rows) == len(txt_lines)
    lines = []
    for i, lr in enumerate(line_rows):
        ws = by_key[lr["key"]]
        confs = [w["conf"] for w in ws if w["conf"] >= 0]
        text = txt_lines[i].strip() if use_txt else (_words_to_lines(ws) or [""])[0]
        lines.append({**lr, "text": text, "conf": (sum(confs) / len(confs) / 100.0) if confs else None, "n": len(ws)})
    return words, lines


def ocr_crops(crops: list[np.ndarray], dpi: float, *, lang: str = LANG) -> list[OcrText]:
    """Read many small crops (grayscale, dark text on white): one Tesseract call over a mosaic of them all,
    then one per MOSAIC_SLOTS of the crops with text-sized ink it left empty. In one tall mosaic of a whole
    table Tesseract skips whole stretches of slots (on a 150 dpi page it read 91 of 156 cells with text);
    read again on their own they all get a reading. (Reading every table in mosaics of 40 from the start
    reads as many, but changes readings that were right: a faded ``๑`` becomes ``๐`` on a page whose
    mosaic no longer holds the rest of the table.)"""
    results = _ocr_mosaic(crops, dpi, lang=lang)
    missed = [i for i, (c, r) in enumerate(zip(crops, results))
              if not r.text and (b := ink_bbox(c)) is not None and b[3] - b[1] >= MIN_TEXT_PX]
    for k in range(0, len(missed), MOSAIC_SLOTS):
        idx = missed[k:k + MOSAIC_SLOTS]
        for i, r in zip(idx, _ocr_mosaic([crops[i] for i in idx], dpi, lang=lang)):
            results[i] = r
    return results


def _ocr_mosaic(crops: list[np.ndarray], dpi: float, *, lang: str = LANG) -> list[OcrText]:
    """Read crops with ONE Tesseract call: pasted one under another in a mosaic."""
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
    words, lines = _run(canvas, psm=6, lang=lang)
    ys = np.array([(s[1] + s[2]) / 2 for s in slots])
    starts = np.array([s[1] - GAP / 2 for s in slots])

    def slot_of(top: float, height: float) -> int:
        cy = top + height / 2
        j = int(np.searchsorted(starts, cy, side="right") - 1)
        return j if j >= 0 else int(np.argmin(np.abs(ys - cy)))

    by_key: dict[tuple, list[dict]] = {}
    for w in words:
        by_key.setdefault((w["block_num"], w["par_num"], w["line_num"]), []).append(w)
    per_slot: dict[int, list[tuple[float, str, float | None, int]]] = {}
    for ln in lines:
        ws = by_key.get(ln["key"], [])
        groups: dict[int, list[dict]] = {}
        for w in ws:
            groups.setdefault(slot_of(w["top"], w["height"]), []).append(w)
        if len(groups) <= 1:   # the usual case: Tesseract's line, with its own spacing
            j = next(iter(groups)) if groups else slot_of(ln["top"], ln["height"])
            per_slot.setdefault(j, []).append((ln["top"], ln["text"], ln["conf"], ln["n"], ln["height"]))
            continue
        for j, g in groups.items():   # a line that ran over two slots: split it by slot
            confs = [w["conf"] for w in g if w["conf"] >= 0]
            text = " ".join(_words_to_lines(g))
            top = min(w["top"] for w in g)
            per_slot.setdefault(j, []).append((top, text, (sum(confs) / len(confs) / 100.0) if confs else None,
                                               len(g), max(w["top"] + w["height"] for w in g) - top))
    for j, lns in per_slot.items():
        # Tesseract sometimes splits a row of Thai marks off its line and reads it as a line of debris
        # (``ที่`` -> ``ที`` + ``a ๕``): a low line that is not Thai words is dropped
        hmax = max(ln[4] for ln in lns)
        lns = [ln[:4] for ln in lns if not (ln[4] < MARKS_LINE * hmax and _debris(ln[1]))]
        i = slots[j][0]
        lns.sort(key=lambda t: t[0])
        confs = [(c, k) for _, _, c, k in lns if c is not None]
        n = sum(k for _, k in confs)
        conf = sum(c * k for c, k in confs) / n if n else None
        results[i] = OcrText(join_lines([t for _, t, _, _ in lns]), conf, sum(k for *_, k in lns))
    return results


def ocr_region_text(gray: np.ndarray, *, lang: str = LANG, psm: int = 4) -> OcrText:
    """Read a page region (e.g. the title block with tables blanked out) as lines of text."""
    if ink_bbox(gray) is None:
        return OcrText("", None, 0)
    rows, lines = _run(gray, psm=psm, lang=lang)
    confs = [float(r["conf"]) for r in rows if float(r["conf"]) >= 0]
    words = tuple((r["text"], r["left"], r["top"], r["width"], r["height"], (r["block_num"], r["par_num"], r["line_num"]))
                  for r in rows)
    text = "\n".join(ln["text"] for ln in sorted(lines, key=lambda ln: ln["top"]))
    return OcrText(text, (sum(confs) / len(confs) / 100.0) if confs else None, len(rows), words)
