"""Renderers of a PageLayout: PIL raster (RAQM shaping) and born-digital PDF (reportlab)."""
from __future__ import annotations

import io
from typing import Callable, Iterable, Optional

import numpy as np
from PIL import Image, ImageDraw

from .layout import PageLayout, TextRun, font_path, pil_font


def render_raster(lay: PageLayout, dpi: float = 200, *, draw_rules: bool = True,
                  run_filter: Optional[Callable[[TextRun], bool]] = None) -> Image.Image:
    """Grayscale ('L') page image at ``dpi``: white paper, black text, rules as filled bars."""
    s = dpi / 72.0
    w, h = int(round(lay.width * s)), int(round(lay.height * s))
    img = Image.new("L", (w, h), 255)
    dr = ImageDraw.Draw(img)
    if draw_rules:
        for x0, y0, x1, y1, lw in lay.rules:
            t = max(1.0, lw * s)
            if y0 == y1:
                a, b = y0 * s - t / 2, y0 * s + t / 2
                dr.rectangle([round(x0 * s - t / 2), round(a), round(x1 * s + t / 2) - 1, max(round(a), round(b) - 1)],
                             fill=0)
            else:
                a, b = x0 * s - t / 2, x0 * s + t / 2
                dr.rectangle([round(a), round(y0 * s - t / 2), max(round(a), round(b) - 1), round(y1 * s + t / 2) - 1],
                             fill=0)
    reg, bold = font_path(lay.font), font_path(lay.font, bold=True)
    for r in lay.runs:
        if run_filter is not None and not run_filter(r):
            continue
        f = pil_font(bold if r.bold else reg, r.size * s)
        dr.text((r.x * s, r.y * s), r.text, font=f, fill=0, anchor="ls")
    return img


_registered: set = set()


def _register(name: str) -> tuple[str, str]:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    reg, bold = f"Synth-{name}", f"Synth-{name}-Bold"
    if reg not in _registered:
        pdfmetrics.registerFont(TTFont(reg, font_path(name)))
        pdfmetrics.registerFont(TTFont(bold, font_path(name, bold=True)))
        _registered.add(reg)
    return reg, bold


def render_pdf(layouts: Iterable[PageLayout], out) -> None:
    """Born-digital PDF (one page per layout): text with drawString at the layout's baselines, rules as
    lines. ``out`` is a path or a binary file object. Output bytes are deterministic (invariant mode)."""
    from reportlab.pdfgen import canvas
    layouts = list(layouts)
    c = canvas.Canvas(out, pagesize=(layouts[0].width, layouts[0].height), invariant=1, pageCompression=1)
    c.setTitle("แผนปฏิบัติงานและงบประมาณรายจ่ายประจำปี (synthetic)")
    for lay in layouts:
        c.setPageSize((lay.width, lay.height))
        H = lay.height
        reg, bold = _register(lay.font)
        c.setStrokeColorRGB(0, 0, 0)
        for x0, y0, x1, y1, lw in lay.rules:
            c.setLineWidth(lw)
            c.line(x0, H - y0, x1, H - y1)
        for r in lay.runs:
            c.setFont(bold if r.bold else reg, r.size)
            c.drawString(r.x, H - r.y, r.text)
        c.showPage()
    c.save()


def pdf_bytes(layouts: Iterable[PageLayout]) -> bytes:
    buf = io.BytesIO()
    render_pdf(layouts, buf)
    return buf.getvalue()


def to_array(img: Image.Image) -> np.ndarray:
    return np.asarray(img)
