"""`extract debug PAGE --out overlay.png`: what the pipeline saw on one page, drawn over it."""
from __future__ import annotations

import sys
from pathlib import Path

import cv2
import numpy as np

from .config import Settings
from .errors import ExtractError
from .load import iter_pages, open_document
from .ocr.engine import get_engine
from .types import PageImage, PdfTextPage


def debug_page(path: str, out: str, *, page_no: int = 1, settings: Settings | None = None) -> int:
    from .pipeline import process_raster_page
    from .tables import debug as tdebug
    from .tables import lines

    settings = settings or Settings()
    try:
        doc = open_document(Path(path))
    except ExtractError as e:
        print(f"extract debug: {path}: {e}", file=sys.stderr)
        return 1
    if not 1 <= page_no <= doc.n_pages:
        print(f"extract debug: page {page_no} out of range 1..{doc.n_pages}", file=sys.stderr)
        return 2
    page = None
    for i, item in enumerate(iter_pages(doc, force_ocr=True), start=1):
        if i == page_no:
            page = item
            break
    if not isinstance(page, PageImage):
        print(f"extract debug: page {page_no} could not be loaded: {getattr(page, 'message', page)}", file=sys.stderr)
        return 1
    result, _issues, upright = process_raster_page(page, get_engine(settings.ocr_engine), settings)
    h, v = lines.find_rules(upright.gray, upright.provenance.dpi)
    low = [c.box for t in result.tables for c in t.cells
           if c.confidence is not None and c.confidence < settings.low_confidence and c.kind.value == "number"
           or any(f in c.flags for f in ("sum_mismatch", "unparsed"))]
    img = tdebug.draw_overlay(upright.gray, [t.grid for t in result.tables], h, v, low_conf_boxes=low)
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    if not cv2.imwrite(str(out), img):
        print(f"extract debug: could not write {out}", file=sys.stderr)
        return 1
    n_cells = sum(len(t.cells) for t in result.tables)
    print(f"{out}: {len(result.tables)} table(s), {n_cells} cells, {len(low)} flagged; "
          f"rotation {upright.rotation}°, skew {upright.skew_deg:.2f}°")
    return 0
