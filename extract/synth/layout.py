"""Page layout in points (A4 landscape, top-left origin), computed once and shared by all renderers.

Text is measured with the real font through Pillow's RAQM engine (widths match reportlab's
unshaped widths for the TLWG fonts) and wrapped at Thai word boundaries (pythainlp newmm).
"""
from __future__ import annotations

import functools
import os
from dataclasses import dataclass, field
from typing import Optional

from PIL import ImageFont

from .content import (COL_ACTIVITY, COL_RESPONSIBLE, COL_TARGET, COL_TARGET_BUDGET, HEADER_ROWS, N_COLS,
                      CellSpec, Form, table_cells)

FONT_DIR = "/usr/share/fonts/truetype/tlwg"
FONTS = ["Laksaman", "Garuda", "Kinnari", "Loma", "Norasi", "Sawasdee", "Umpush", "Waree", "Purisa", "TlwgTypo"]
PAGE_W, PAGE_H = 842.0, 595.0
_REF = 100.0   # reference size for measurements


def font_path(name: str, bold: bool = False) -> str:
    for cand in ([f"{name}-Bold.ttf"] if bold else []) + [f"{name}.ttf"]:
        p = os.path.join(FONT_DIR, cand)
        if os.path.exists(p):
            return p
    raise FileNotFoundError(f"font {name!r} not found in {FONT_DIR}")


@functools.lru_cache(maxsize=64)
def pil_font(path: str, size: float) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path, size, layout_engine=ImageFont.Layout.RAQM)


class Metrics:
    """Width and vertical ink extents of a font, in points, scaled from a 100-pt reference."""

    def __init__(self, name: str, bold: bool = False):
        self.name, self.path = name, font_path(name, bold)
        f = pil_font(self.path, _REF)
        # ink above/below the baseline of the tallest Thai stacks and deepest descenders
        x0, top, x1, bottom = f.getbbox("ปู่ที่ญฐั้ฤๅ๑(/", anchor="ls")
        self.asc = -top / _REF
        self.desc = bottom / _REF

    @functools.lru_cache(maxsize=4096)
    def width(self, text: str, size: float) -> float:
        return pil_font(self.path, _REF).getlength(text) * size / _REF


@functools.lru_cache(maxsize=32)
def metrics(name: str, bold: bool = False) -> Metrics:
    return Metrics(name, bold)


# ---------------------------------------------------------------- wrapping

_MARKS = {0x0E31, *range(0x0E33, 0x0E3B), *range(0x0E47, 0x0E4F)}
_LEADING = set("เแโใไ")


@functools.lru_cache(maxsize=1)
def _tokenizer():
    from pythainlp.tokenize import word_tokenize
    return lambda s: word_tokenize(s, engine="newmm", keep_whitespace=True)


@functools.lru_cache(maxsize=8192)
def _tokens(text: str) -> tuple[str, ...]:
    out: list[str] = []
    glue_next = False
    for tok in _tokenizer()(text):
        # closing punctuation sticks to the word before, opening punctuation to the word after
        if out and (glue_next or (tok[:1] in ")],.:/" and tok.strip())):
            out[-1] += tok
        else:
            out.append(tok)
        glue_next = tok.strip() != "" and tok[-1:] in "(/["
    return tuple(out)


def _split_clusters(tok: str) -> list[str]:
    """Split a token into pieces that can start a line (never before a mark, never after a leading vowel)."""
    parts: list[str] = []
    for ch in tok:
        if parts and (ord(ch) in _MARKS or parts[-1][-1] in _LEADING):
            parts[-1] += ch
        else:
            parts.append(ch)
    return parts


def wrap(text: str, width: float, m: Metrics, size: float) -> list[str]:
    """Greedy line breaking at word boundaries; spaces at a break are dropped."""
    if not text:
        return []
    width += 1e-6
    if m.width(text, size) <= width:
        return [text]
    lines: list[str] = []
    cur = ""
    pieces: list[str] = []
    for tok in _tokens(text):
        if tok.strip() and m.width(tok, size) > width:
            pieces.extend(_split_clusters(tok))
        else:
            pieces.append(tok)
    for tok in pieces:
        if not tok.strip():
            if cur:
                cur += tok
            continue
        cand = cur + tok
        if cur and m.width(cand.rstrip(), size) > width:
            lines.append(cur.rstrip())
            cur = tok
        else:
            cur = cand
    if cur.strip():
        lines.append(cur.rstrip())
    return lines


def join_lines(text: str, lines: list[str]) -> bool:
    """True when ``lines`` are ``text`` broken at boundaries (spaces at breaks dropped)."""
    rest = text
    for ln in lines:
        rest = rest.lstrip(" ")
        if not rest.startswith(ln):
            return False
        rest = rest[len(ln):]
    return rest.strip(" ") == ""


# ---------------------------------------------------------------- layout objects

@dataclass
class TextRun:
    x: float           # left of the advance box, pt
    y: float           # baseline, pt
    text: str
    size: float
    bold: bool = False
    cell: Optional[tuple[int, int]] = None   # (row, col) of the table cell, None outside the table


@dataclass
class CellBox:
    row: int
    col: int
    row_span: int
    col_span: int
    x0: float
    y0: float
    x1: float
    y1: float
    text: str
    lines: list
    kind: str
    value: Optional[str]
    role: str


@dataclass
class PageLayout:
    form: Form
    font: str
    ruling: str
    width: float
    height: float
    runs: list                   # TextRun
    rules: list                  # (x0, y0, x1, y1, line_width) in pt
    cells: list                  # CellBox
    col_edges: list
    row_edges: list
    body_size: float
    number_size: float
    signatures: bool = False
    meta: dict = field(default_factory=dict)

    @property
    def n_rows(self) -> int:
        return len(self.row_edges) - 1

    @property
    def n_cols(self) -> int:
        return len(self.col_edges) - 1

    @property
    def table_box(self) -> tuple[float, float, float, float]:
        return self.col_edges[0], self.row_edges[0], self.col_edges[-1], self.row_edges[-1]


MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 24.0, 22.0, 18.0
PAD_X, PAD_Y = 2.0, 1.6
LINE = 1.28  # line pitch in ems


def _block_height(n: int, size: float, m: Metrics) -> float:
    if n <= 0:
        return 0.0
    return m.asc * size + (n - 1) * LINE * size + m.desc * size


def layout_page(form: Form, *, font: str = "Laksaman", ruling: str = "full", body_size: float = 10.0,
                signatures: bool = True, rule_width: float = 0.7, num_align: str = "center") -> PageLayout:
    """Lay out one page; shrinks fonts, drops signatures and finally body rows until all fits.

    ``form`` may be edited (rows dropped, total recomputed) when nothing else makes it fit.
    """
    if ruling not in ("full", "horizontal"):
        raise ValueError(f"ruling must be 'full' or 'horizontal', not {ruling!r}")
    size = float(body_size)
    sig = signatures
    while True:
        lay = _try_layout(form, font, ruling, size, sig, rule_width, num_align)
        if lay is not None:
            return lay
        if sig:
            sig = False
        elif size > 8.0:
            size -= 0.5
            sig = signatures
        elif form.decimals:            # wide fonts: ".00" makes the budget columns too wide
            form.decimals = False
            size, sig = float(body_size), signatures
        elif not form.drop_last_item():
            raise RuntimeError("form does not fit on the page")


def _try_layout(form: Form, font: str, ruling: str, bs: float, sig: bool, rule_width: float,
                num_align: str) -> Optional[PageLayout]:
    m = metrics(font)
    mb = metrics(font, bold=True)
    runs: list[TextRun] = []
    avail_w = PAGE_W - 2 * MARGIN_X
    left = MARGIN_X

    # ---- title block
    y = MARGIN_TOP
    for text, sz, bold in [(form.title, bs + 3.5, True), (form.agency, bs + 2, True)]:
        mm = mb if bold else m
        while mm.width(text, sz) > avail_w and sz > 6:
            sz -= 0.5
        y += mm.asc * sz
        runs.append(TextRun(PAGE_W / 2 - mm.width(text, sz) / 2, y, text, sz, bold))
        y += mm.desc * sz + 1.5
    ls = bs
    for label, value in form.header_lines():
        text = f"{label} : {form.d(value)}"
        sz = ls
        while m.width(text, sz) > avail_w and sz > 6:
            sz -= 0.25
        y += LINE * ls if label != "งาน/โครงการ" else m.asc * ls + 2
        runs.append(TextRun(left, y, text, sz))
    y += m.desc * ls + 5
    table_top = y

    # ---- table column widths
    specs = table_cells(form)
    hs = max(6.5, bs - 1.0)                    # header size
    ns = min(bs - 0.5, 9.0)                    # number size, shrunk to fit
    act_min = 12.0 * bs
    resp_texts = [c.text for c in specs if c.role == "responsible" and c.row >= HEADER_ROWS and c.text]
    while True:
        def colw(pred, size, header_min):
            ws = [m.width(c.text, size) for c in specs if c.row >= HEADER_ROWS and c.col_span == 1 and pred(c)]
            return max(ws + [header_min]) + 2 * PAD_X
        hsz = min(hs, ns + 0.5)
        w_work = colw(lambda c: c.role == "work", ns, m.width("งาน", hsz))
        w_bud = colw(lambda c: c.role == "budget", ns, m.width("งบ", hsz))
        month_w = max(m.width(a, hsz) for a in ["ต.ค.", "มี.ค.", "เม.ย.", "มิ.ย."]) + 2 * PAD_X
        if w_work + w_bud < month_w:
            w_bud = month_w - w_work
        w_tgt = colw(lambda c: c.role == "target", ns, m.width("งาน", hsz))
        w_tb = colw(lambda c: c.role == "target_budget", ns, m.width("งบ", hsz))
        if w_tgt + w_tb < m.width("เป้าหมาย", hsz) + 2 * PAD_X:
            w_tb = m.width("เป้าหมาย", hsz) + 2 * PAD_X - w_tgt
        w_resp = max([m.width(t, ns) for t in resp_texts] + [m.width("ผู้รับ", hsz)]) + 2 * PAD_X
        w_resp = min(max(w_resp, 40.0, m.width("ผู้รับผิดชอบ", hsz) + 2 * PAD_X), 64.0)
        fixed = 12 * (w_work + w_bud) + w_tgt + w_tb + w_resp
        w_act = avail_w - fixed
        if w_act >= act_min or ns <= 5.0:
            break
        ns -= 0.25
    if w_act < 8 * bs:
        return None
    widths = [w_act, w_tgt, w_tb] + [w_work, w_bud] * 12 + [w_resp]
    col_edges = [left]
    for w in widths:
        col_edges.append(col_edges[-1] + w)

    def cell_size(c: CellSpec) -> float:
        if c.kind == "header":
            return hsz if c.row > 0 or c.col in (COL_RESPONSIBLE,) else hs
        if c.role in ("activity",):
            return bs if c.col_span == 1 else bs
        if c.role == "responsible":
            return ns
        return ns

    # ---- activity texts longer than 3 lines are cut at a word boundary (the form is edited)
    changed = False
    for c in specs:
        if c.role == "activity" and c.row >= HEADER_ROWS and c.col_span == 1:
            if len(wrap(c.text, w_act - 2 * PAD_X, m, bs)) > 3:
                row = form.rows[c.row - HEADER_ROWS]

                def fits(t: str) -> bool:
                    label = form.d(f"{row.code} {t}" if row.code else t)
                    return len(wrap(label, w_act - 2 * PAD_X, m, bs)) <= 3
                chunks = row.text.split(" ")   # drop whole phrases first, then words
                while len(chunks) > 1 and not fits(" ".join(chunks)):
                    chunks.pop()
                toks = list(_tokens(" ".join(chunks)))
                while len(toks) > 1 and not fits("".join(toks).rstrip()):
                    toks.pop()
                row.text = "".join(toks).rstrip()
                changed = True
    if changed:
        specs = table_cells(form)

    # ---- wrap and row heights
    boxes_lines: dict[tuple[int, int], list[str]] = {}
    n_rows = HEADER_ROWS + len(form.rows)
    heights = [0.0] * n_rows
    for c in specs:
        x0, x1 = col_edges[c.col], col_edges[c.col + c.col_span]
        sz = cell_size(c)
        lines = wrap(c.text, x1 - x0 - 2 * PAD_X, m, sz)
        if c.role == "activity" and c.row >= HEADER_ROWS and len(lines) > 3:
            return None
        boxes_lines[(c.row, c.col)] = lines
        if c.row_span == 1:
            h = _block_height(max(1, len(lines)), sz, m) + 2 * PAD_Y
            heights[c.row] = max(heights[c.row], h)
    for c in specs:   # spanning header cells: grow their last row when needed
        if c.row_span > 1:
            need = _block_height(max(1, len(boxes_lines[(c.row, c.col)])), cell_size(c), m) + 2 * PAD_Y
            have = sum(heights[c.row:c.row + c.row_span])
            if need > have:
                heights[c.row + c.row_span - 1] += need - have
    row_edges = [table_top]
    for h in heights:
        row_edges.append(row_edges[-1] + h)
    bottom = row_edges[-1]
    sig_h = (12 + 3 * LINE * bs + m.desc * bs) if sig else 0.0
    if bottom + sig_h > PAGE_H - MARGIN_BOTTOM:
        return None

    # ---- text runs of cells
    cells: list[CellBox] = []
    for c in specs:
        x0, x1 = col_edges[c.col], col_edges[c.col + c.col_span]
        y0, y1 = row_edges[c.row], row_edges[c.row + c.row_span]
        lines = boxes_lines[(c.row, c.col)]
        cells.append(CellBox(c.row, c.col, c.row_span, c.col_span, x0, y0, x1, y1, c.text, lines, c.kind,
                             c.value, c.role))
        if not lines:
            continue
        sz = cell_size(c)
        bh = _block_height(len(lines), sz, m)
        top_align = c.role == "activity" and c.row >= HEADER_ROWS
        ty = y0 + PAD_Y if top_align else y0 + (y1 - y0 - bh) / 2
        align = "left" if c.role == "activity" and c.row >= HEADER_ROWS else "center"
        if c.kind == "number" and num_align == "right":
            align = "right"
        for i, ln in enumerate(lines):
            w = m.width(ln, sz)
            if align == "left":
                x = x0 + PAD_X
            elif align == "right":
                x = x1 - PAD_X - w
            else:
                x = (x0 + x1) / 2 - w / 2
            bold = False
            runs.append(TextRun(x, ty + m.asc * sz + i * LINE * sz, ln, sz, bold, (c.row, c.col)))

    # ---- rules
    segs: set = set()
    for cb in cells:
        segs.add((round(cb.x0, 3), round(cb.y0, 3), round(cb.x1, 3), round(cb.y0, 3)))
        segs.add((round(cb.x0, 3), round(cb.y1, 3), round(cb.x1, 3), round(cb.y1, 3)))
        if ruling == "full":
            segs.add((round(cb.x0, 3), round(cb.y0, 3), round(cb.x0, 3), round(cb.y1, 3)))
            segs.add((round(cb.x1, 3), round(cb.y0, 3), round(cb.x1, 3), round(cb.y1, 3)))
    rules = [(a, b, c, d, rule_width) for (a, b, c, d) in sorted(segs)]

    # ---- signatures
    if sig:
        sy = bottom + 12
        colw3 = avail_w / 3
        for i, (role, name, pos) in enumerate(form.signatures):
            cx = left + colw3 * (i + 0.5)
            for j, t in enumerate([f"ลงชื่อ ................................ {role}", f"({name})",
                                   f"ตำแหน่ง {form.d(pos)}"]):
                sz = bs
                while m.width(t, sz) > colw3 - 6 and sz > 6:
                    sz -= 0.25
                runs.append(TextRun(cx - m.width(t, sz) / 2, sy + m.asc * bs + j * LINE * bs, t, sz))
    return PageLayout(form=form, font=font, ruling=ruling, width=PAGE_W, height=PAGE_H, runs=runs, rules=rules,
                      cells=cells, col_edges=col_edges, row_edges=row_edges, body_size=bs, number_size=ns,
                      signatures=sig)
