"""ocr_crops reads a table's cells in one mosaic, and the cells Tesseract skipped in it again (real Tesseract)."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from extract.ocr import tesseract as T

FONT = Path("/usr/share/fonts/truetype/tlwg/Laksaman.ttf")
pytestmark = pytest.mark.skipif(not FONT.exists(), reason="TLWG fonts not installed")


def _crop(text: str, px: int) -> np.ndarray:
    f = ImageFont.truetype(str(FONT), px, layout_engine=ImageFont.Layout.RAQM)
    x0, y0, x1, y1 = f.getbbox(text)
    im = Image.new("L", (x1 - x0 + 24, y1 - y0 + 16), 255)
    ImageDraw.Draw(im).text((12 - x0, 8 - y0), text, fill=0, font=f)
    return np.asarray(im)


TEXTS = [f"{n:,}" for n in range(1250, 1250 + 85 * 37, 37)]


def test_every_cell_of_a_long_table_is_read():
    crops = [_crop(t, 22) for t in TEXTS]
    blank = np.full((30, 80), 255, np.uint8)
    got = T.ocr_crops(crops[:40] + [blank] * 10 + crops[40:], 300)
    assert all(r.text == "" for r in got[40:50])
    read = [r.text.replace(" ", "") for r in got[:40] + got[50:]]
    assert sum(r == t for r, t in zip(read, TEXTS)) >= 80


def test_cells_the_mosaic_skipped_are_read_again(monkeypatch):
    """Tesseract skips whole stretches of a tall mosaic (on a 150 dpi benchmark page 65 of 156 cells with
    text): here its first reading loses 50 cells, and those - only those - are read again, in mosaics of
    MOSAIC_SLOTS; a speck-sized crop is not."""
    calls = []
    real = T._ocr_mosaic

    def mosaic(crops, dpi, **kw):
        calls.append(len(crops))
        res = real(crops, dpi, **kw)
        if len(calls) == 1:   # the table's mosaic: Tesseract skipped cells 10-59
            res = res[:10] + [T.OcrText("", None, 0)] * 50 + res[60:]
        return res

    monkeypatch.setattr(T, "_ocr_mosaic", mosaic)
    speck = np.full((30, 80), 255, np.uint8)
    speck[14:16, 40:42] = 0
    crops = [_crop(t, 22) for t in TEXTS] + [speck]
    got = T.ocr_crops(crops, 300)
    assert calls == [86, T.MOSAIC_SLOTS, 50 - T.MOSAIC_SLOTS]
    read = [r.text.replace(" ", "") for r in got[:85]]
    assert all(read[10:60]) and sum(r == t for r, t in zip(read[10:60], TEXTS[10:60])) >= 47
