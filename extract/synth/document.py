"""Documents (PNG, multi-page TIFF, scanned PDF, born-digital PDF) with their ground-truth JSON."""
from __future__ import annotations

import time
import io
import json
import os
from dataclasses import dataclass, field
from typing import Iterable, Optional, Sequence

import numpy as np
from PIL import Image

from .content import (HEADER_ROWS, MONTH_ABBR, budget_col, make_form, month_iso, to_arabic, work_col)
from .degrade import Degradation, degrade, transform_box
from .layout import PageLayout, layout_page
from .render import render_pdf, render_raster

KINDS = ("png", "tiff", "pdf-scan", "pdf-text")
_EXT = {"png": ".png", "tiff": ".tiff", "pdf-scan": ".pdf", "pdf-text": ".pdf"}
_FIXED_DATE = time.strptime("2024-01-01", "%Y-%m-%d")


@dataclass(frozen=True)
class PageSpec:
    """Everything that decides one page. ``degradation.dpi`` is the raster resolution."""

    seed: int
    font: str = "Laksaman"
    digits: str = "thai"
    ruling: str = "full"
    n_items: Optional[int] = None
    body_size: float = 10.0
    signatures: bool = True
    num_align: str = "center"
    rule_width: float = 0.7
    degradation: Degradation = field(default_factory=Degradation)


@dataclass
class RenderedPage:
    spec: PageSpec
    layout: PageLayout
    image: Optional[Image.Image]       # None for pdf-text
    matrix: np.ndarray                  # 2x3 px transform applied (rotation)
    artifacts: list


def build_layout(spec: PageSpec) -> PageLayout:
    form = make_form(spec.seed, digits=spec.digits, n_items=spec.n_items)
    return layout_page(form, font=spec.font, ruling=spec.ruling, body_size=spec.body_size,
                       signatures=spec.signatures, rule_width=spec.rule_width, num_align=spec.num_align)


def render_page(spec: PageSpec, raster: bool = True) -> RenderedPage:
    lay = build_layout(spec)
    if not raster:
        return RenderedPage(spec, lay, None, np.array([[1.0, 0, 0], [0, 1.0, 0]]), [])
    d = spec.degradation
    img = render_raster(lay, d.dpi)
    if d.is_clean and not d.color:
        return RenderedPage(spec, lay, img, np.array([[1.0, 0, 0], [0, 1.0, 0]]), [])
    img, M, arts = degrade(img, lay, d)
    return RenderedPage(spec, lay, img, M, arts)


# ---------------------------------------------------------------- truth

def _page_truth(rp: RenderedPage, page_no: int, kind: str) -> dict:
    lay, spec = rp.layout, rp.spec
    form = lay.form
    if rp.image is not None:
        W, H = rp.image.size
        scale = spec.degradation.dpi / 72.0
        dpi = spec.degradation.dpi
    else:
        W, H, scale, dpi = lay.width, lay.height, 1.0, 72

    def frac(x0, y0, x1, y1):
        bx = transform_box((x0 * scale, y0 * scale, x1 * scale, y1 * scale), rp.matrix, W, H)
        return [round(bx[0] / W, 6), round(bx[1] / H, 6), round(bx[2] / W, 6), round(bx[3] / H, 6)]

    cells = []
    for c in sorted(lay.cells, key=lambda c: (c.row, c.col)):
        f = frac(c.x0, c.y0, c.x1, c.y1)
        cells.append({"row": c.row, "col": c.col, "row_span": c.row_span, "col_span": c.col_span,
                      "x0": f[0], "y0": f[1], "x1": f[2], "y1": f[3], "text": c.text, "lines": c.lines,
                      "kind": c.kind, "value": c.value, "role": c.role})
    tb = frac(*lay.table_box)
    header = dict(form.header)
    header = {k: (form.d(v) if isinstance(v, str) else v) for k, v in header.items()}
    deg = spec.degradation.to_dict() if kind != "pdf-text" else None
    arts = []
    for a in rp.artifacts:
        x0, y0, x1, y1 = a["box_px"]
        arts.append({"type": a["type"], "x0": round(x0 / W, 6), "y0": round(y0 / H, 6),
                     "x1": round(x1 / W, 6), "y1": round(y1 / H, 6)})
    return {
        "page": page_no, "width": W, "height": H, "dpi": dpi, "font": lay.font, "digits": form.digits,
        "ruling": lay.ruling, "seed": spec.seed, "body_size": lay.body_size, "number_size": lay.number_size,
        "degradation": deg, "artifacts": arts, "header": header,
        "tables": [{"index": 0, "n_rows": lay.n_rows, "n_cols": lay.n_cols, "header_rows": HEADER_ROWS,
                    "bbox": tb, "cells": cells}],
    }


def _records(rp: RenderedPage, page_no: int, document: str) -> list[dict]:
    lay = rp.layout
    form = lay.form
    by_pos = {(c.row, c.col): c for c in lay.cells}
    out = []
    for i, row in enumerate(form.rows):
        if row.kind not in ("item", "total"):
            continue
        r = HEADER_ROWS + i
        for m in range(12):
            for measure, col in (("work", work_col(m)), ("budget", budget_col(m))):
                c = by_pos[(r, col)]
                if c.kind != "number":
                    continue
                out.append({"document": document, "page": page_no, "table": 0, "row": r, "col": col,
                            "fiscal_year": form.fiscal_year, "agency": form.agency,
                            "activity_code": row.code if row.kind == "item" else "",
                            "activity": form.d(row.text), "row_kind": row.kind,
                            "month": month_iso(form.fiscal_year, m), "fiscal_month": m + 1,
                            "month_abbr": MONTH_ABBR[m], "quarter": m // 3 + 1, "measure": measure,
                            "value": to_arabic(c.value), "text": c.text,
                            "unit": "baht" if measure == "budget" else row.unit})
    return out


def truth_for(pages: Sequence[RenderedPage], document: str, kind: str) -> dict:
    truth = {"document": document, "kind": kind, "generator": "extract.synth", "pages": [], "records": []}
    for i, rp in enumerate(pages, start=1):
        truth["pages"].append(_page_truth(rp, i, kind))
        truth["records"].extend(_records(rp, i, document))
    return truth


# ---------------------------------------------------------------- writing

def dumps_truth(obj, indent: int = 0) -> str:
    """JSON with one line per cell/record (small dicts of scalars), indented otherwise."""
    def flat(o) -> bool:
        return isinstance(o, dict) and all(not isinstance(v, (dict, list)) or (isinstance(v, list) and all(
            not isinstance(x, (dict, list)) for x in v)) for v in o.values())
    pad = " " * indent
    if isinstance(obj, dict) and obj and not (flat(obj) and indent > 0):
        items = [f'{pad} {json.dumps(k, ensure_ascii=False)}: {dumps_truth(v, indent + 1).lstrip()}'
                 for k, v in obj.items()]
        return pad + "{\n" + ",\n".join(items) + "\n" + pad + "}"
    if isinstance(obj, list) and obj and any(isinstance(x, (dict, list)) for x in obj):
        return pad + "[\n" + ",\n".join(dumps_truth(x, indent + 1) for x in obj) + "\n" + pad + "]"
    return pad + json.dumps(obj, ensure_ascii=False)


def truth_path(path: str) -> str:
    root, _ = os.path.splitext(path)
    return root + ".truth.json"


def write_document(path: str, pages_spec: Sequence[PageSpec], kind: str) -> dict:
    """Render ``pages_spec`` into one file of ``kind`` at ``path`` and write ``<name>.truth.json`` beside it.

    png: exactly one page; tiff: multi-page (deflate); pdf-scan: raster pages in a PDF;
    pdf-text: born-digital PDF (reportlab). Returns the truth dict."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}")
    pages_spec = list(pages_spec)
    if kind == "png" and len(pages_spec) != 1:
        raise ValueError("a PNG holds exactly one page")
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    rendered = [render_page(s, raster=(kind != "pdf-text")) for s in pages_spec]
    name = os.path.basename(path)
    if kind == "png":
        img = rendered[0].image
        dpi = pages_spec[0].degradation.dpi
        img.save(path, format="PNG", optimize=True, dpi=(dpi, dpi))
    elif kind == "tiff":
        imgs = [r.image for r in rendered]
        dpi = pages_spec[0].degradation.dpi
        imgs[0].save(path, format="TIFF", save_all=True, append_images=imgs[1:], compression="tiff_adobe_deflate",
                     dpi=(dpi, dpi))
    elif kind == "pdf-scan":
        imgs = [r.image for r in rendered]
        dpi = pages_spec[0].degradation.dpi
        imgs[0].save(path, format="PDF", save_all=True, append_images=imgs[1:], resolution=float(dpi),
                     creationDate=_FIXED_DATE, modDate=_FIXED_DATE, producer="extract.synth",
                     title="synthetic scanned plan form", quality=75)
    else:
        render_pdf([r.layout for r in rendered], path)
    truth = truth_for(rendered, name, kind)
    with open(truth_path(path), "w", encoding="utf-8") as fh:
        fh.write(dumps_truth(truth))
    return truth


# ---------------------------------------------------------------- sets

@dataclass(frozen=True)
class DocSpec:
    name: str            # file name without extension
    kind: str
    pages: tuple         # of PageSpec


def random_doc_specs(seed: int, n: int, *, kinds: Sequence[str] = KINDS, fonts: Optional[Sequence[str]] = None,
                     dpis: Sequence[int] = (150, 200, 300), degrade_p: float = 0.7, max_pages: int = 2) -> list[DocSpec]:
    """``n`` varied documents for benchmarks (fonts, digits, ruling, dpi, degradations)."""
    from .layout import FONTS
    fonts = list(fonts or FONTS)
    rng = np.random.default_rng(seed)
    out = []
    for i in range(n):
        kind = str(kinds[int(rng.integers(len(kinds)))])
        npages = 1 if kind == "png" else int(rng.integers(1, max_pages + 1))
        dpi = int(rng.choice(list(dpis)))
        pages = []
        for _ in range(npages):
            pseed = int(rng.integers(0, 2**31 - 1))
            if kind != "pdf-text" and rng.random() < degrade_p:
                deg = Degradation.random(pseed + 1, dpi=dpi, strength=float(rng.uniform(0.3, 1.0)))
            else:
                deg = Degradation(dpi=dpi)
            pages.append(PageSpec(seed=pseed, font=str(rng.choice(fonts)),
                                  digits="thai" if rng.random() < 0.8 else "arabic",
                                  ruling="full" if rng.random() < 0.75 else "horizontal",
                                  body_size=float(rng.choice([9.0, 9.5, 10.0, 10.5, 11.0])),
                                  signatures=bool(rng.random() < 0.6),
                                  num_align="center" if rng.random() < 0.7 else "right",
                                  rule_width=round(float(rng.uniform(0.5, 1.0)), 2), degradation=deg))
        out.append(DocSpec(f"synth-{seed}-{i:04d}", kind, tuple(pages)))
    return out


def generate_set(out_dir: str, seed: int, specs: "Sequence[DocSpec] | int") -> list[str]:
    """Write a document set; ``specs`` is a list of DocSpec or a count of random documents.
    Returns the written document paths."""
    if isinstance(specs, int):
        specs = random_doc_specs(seed, specs)
    os.makedirs(out_dir, exist_ok=True)
    paths = []
    for ds in specs:
        p = os.path.join(out_dir, ds.name + _EXT[ds.kind])
        write_document(p, ds.pages, ds.kind)
        paths.append(p)
    return paths


def sample_specs() -> list[DocSpec]:
    """The project's sample set (data/samples)."""
    return [
        DocSpec("plan-clean-300dpi", "png",
                (PageSpec(seed=2566, font="Laksaman", degradation=Degradation(dpi=300)),)),
        DocSpec("plan-degraded-200dpi", "png",
                (PageSpec(seed=1201, font="Norasi", degradation=Degradation(
                    dpi=200, rotation_deg=1.0, blur_sigma=0.6, noise_sigma=2.0, jpeg_quality=75, lighting=0.15,
                    stamp=True, signature=True, bleed_through=0.06, seed=7)),)),
        DocSpec("plan-scan-2p-200dpi", "pdf-scan",
                (PageSpec(seed=3101, font="Kinnari", degradation=Degradation(dpi=200, rotation_deg=-0.6,
                                                                            blur_sigma=0.4, seed=11)),
                 PageSpec(seed=3102, font="Loma", digits="arabic", ruling="horizontal",
                          degradation=Degradation(dpi=200, rotation_deg=0.4, noise_sigma=2.0, stamp=True, seed=12)))),
        DocSpec("plan-digital-2p", "pdf-text",
                (PageSpec(seed=4101, font="Garuda", body_size=9.5),
                 PageSpec(seed=4102, font="Laksaman", num_align="right"))),
        DocSpec("plan-scan-2p-150dpi", "tiff",
                (PageSpec(seed=5101, font="Umpush", degradation=Degradation(dpi=150)),
                 PageSpec(seed=5102, font="Waree", ruling="horizontal",
                          degradation=Degradation(dpi=150, rotation_deg=-1.2, blur_sigma=0.5, seed=13)))),
    ]


def make_samples(out_dir: str = "data/samples") -> list[str]:
    """Write the project's samples (5 documents + truth JSON) into ``out_dir``."""
    return generate_set(out_dir, 0, sample_specs())
