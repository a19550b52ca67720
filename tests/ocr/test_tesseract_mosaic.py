"""ocr_crops reads a table's cells in mosaics of MOSAIC_SLOTS crops (real Tesseract)."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from extract.ocr import tesseract as T

FONT = Path("/usr/share/fonts/truetype/tlwg/Laksaman.ttf")


def _crop(text: str, px: int) -> np.ndarray:
    f = ImageFont.truetype(str(FONT), px, layout_engine=ImageFont.Layout.RAQM)
    x0, y0, x1, y1 = f.getbbox(text)
    im = Image.new("L", (x1 - x0 + 24, y1 - y0 + 16), 255)
    ImageDraw.Draw(im).text((12 - x0, 8 - y0), text, fill=0, font=f)
    return np.asarray(im)


@pytest.mark.skipif(not FONT.exists(), reason="TLWG fonts not installed")
def test_every_cell_of_a_long_table_is_read_in_mosaics(monkeypatch):
    """A table of 95 cells at small print, blank cells among them: every cell with ink gets a reading,
    in ceil(85 / MOSAIC_SLOTS) Tesseract calls; blank cells stay empty and cost nothing. (In one tall
    mosaic Tesseract skipped whole stretches of slots on the benchmark's pages.)"""
    calls = []
    run = T._run
    monkeypatch.setattr(T, "_run", lambda img, psm, lang, timeout=600: calls.append(img.shape) or run(img, psm, lang, timeout))
    texts = [f"{n:,}" for n in range(1250, 1250 + 85 * 37, 37)]
    crops = [_crop(t, 22) for t in texts]
    blank = np.full((30, 80), 255, np.uint8)
    crops = crops[:40] + [blank] * 10 + crops[40:]
    got = T.ocr_crops(crops, 300)
    assert len(calls) == -(-85 // T.MOSAIC_SLOTS)
    assert all(r.text == "" for r in got[40:50])
    read = [r.text.replace(" ", "") for r in got[:40] + got[50:]]
    assert all(read), [t for t, r in zip(texts, read) if not r]
    assert sum(r == t for r, t in zip(read, texts)) >= 80
