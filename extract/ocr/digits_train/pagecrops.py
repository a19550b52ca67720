"""Numeric-cell crops cut from generated form pages exactly as the pipeline cuts them (evaluation data).

A page is rendered by ``extract.synth`` (RAQM shaping, the generator's layout and scan degradations, but no
rotation so the truth boxes stay axis-aligned), its ruling lines are erased with
``extract.tables.lines.remove_rules`` and every ``number`` cell is cut with the pipeline's ``_cell_crop``.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from extract.ocr import digits as D


def page_crops(seed: int, font: str, dpi: int, degraded: bool, num_align: str = "center", digits: str = "thai"):
    """-> list of (crop uint8, truth text) for the number cells of one generated page."""
    from extract.pipeline import BBox, _cell_crop
    from extract.synth.degrade import Degradation
    from extract.synth.document import PageSpec, _page_truth, render_page
    from extract.tables import lines

    deg = Degradation.random(seed, dpi=dpi) if degraded else Degradation(dpi=dpi)
    deg = dataclasses.replace(deg, rotation_deg=0.0, color=False)
    spec = PageSpec(seed=seed, font=font, digits=digits, num_align=num_align, degradation=deg)
    rp = render_page(spec)
    gray = np.asarray(rp.image.convert("L"))
    h, v = lines.find_rules(gray, dpi)
    clean = lines.remove_rules(gray, h, v, dpi)
    truth = _page_truth(rp, 1, "png")
    H, W = gray.shape
    pad = max(2.0, dpi / 100.0)
    out = []
    for c in truth["tables"][0]["cells"]:
        if c["kind"] != "number" or not c["text"]:
            continue
        text = D.canonical(c["text"])
        try:
            D.tokenize(text)
        except KeyError:
            continue
        box = BBox(c["x0"] * W, c["y0"] * H, c["x1"] * W, c["y1"] * H)
        out.append((_cell_crop(clean, box, pad), text))
    return out
