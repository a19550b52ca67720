"""The pipeline only chains the stages: load -> upright -> tables -> read cells -> normalize -> interpret."""
from __future__ import annotations

import re
import time
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import Optional

import cv2
import numpy as np

from . import arith, figures, plan
from .config import Settings
from .errors import ExtractError
from .load import Document, iter_pages, open_document, paper_background
from .normalize import numbers, text as textnorm
from .normalize.header import parse_title_block
from .normalize.digits import digit_counts, drop_foreign_digit
from .ocr.engine import OcrEngine, get_engine
from .ocr.tesseract import join_lines
from .tables import deskew, lines
from .tables.detect import detect, tables_from_pdf
from .tables.stamps import erase_stamps
from .types import (BBox, Cell, CellKind, Figure, Issue, PageImage, PageSource, PageResult, PdfTextPage, Record, Table,
                    TableGrid, Word)


@dataclass
class DocumentResult:
    file: str
    sha256: str = ""
    kind: str = ""
    pages: int = 0
    status: str = "ok"             # ok, partial, failed
    error: str = ""
    header: dict = field(default_factory=dict)
    page_results: list[PageResult] = field(default_factory=list)
    cells: list[Cell] = field(default_factory=list)      # with .page set via page_of
    cell_pages: list[int] = field(default_factory=list)
    records: list[Record] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)   # of tables that are not plan forms (`figures`)
    issues: list[Issue] = field(default_factory=list)
    checks_failed: int = 0
    seconds: float = 0.0


# -------------------------------------------------------------------------------- reading the cells

def _cell_crop(gray: np.ndarray, box: BBox, pad: float) -> np.ndarray:
    h, w = gray.shape
    b = box.inset(pad)
    x0, y0 = max(0, int(round(b.x0))), max(0, int(round(b.y0)))
    x1, y1 = min(w, int(round(b.x1))), min(h, int(round(b.y1)))
    if x1 <= x0 or y1 <= y0:
        return np.full((1, 1), 255, np.uint8)
    return gray[y0:y1, x0:x1]


def _digit_reader(settings: Settings):
    if not settings.use_digit_reader:
        return None
    try:
        from .ocr.digits import get_reader

        return get_reader()
    except Exception:   # model missing: fall back to Tesseract, flagged per cell
        return None


_THAI_WORD_END = re.compile(r"([\u0e01-\u0e4e]+)\s*$")
_READER_UNIT = re.compile(r"^(.*?[0-9\u0e50-\u0e59])(?:\s+(\S+))?\s*$")


def fuse_unit(reader_text: str, tesseract_text: str) -> Optional[str]:
    """A target cell (``๑๐ ครั้ง``) read by the numeral recognizer, with the unit word Tesseract read in it
    when that is a known unit the recognizer did not give: its vocabulary has a few unit words only
    (``เรื่อง`` is not among them) and on an unseen font it may read the word as a digit (``๑๐ ๖``). The
    digits always stay the recognizer's. None when nothing is to change (no unit from Tesseract, or the same
    one, or the recognizer's own unit is one it knows and Tesseract's is too)."""
    from .normalize.numbers import KNOWN_UNITS
    from .ocr.digits import WORDS

    m = _THAI_WORD_END.search(tesseract_text or "")
    unit = m.group(1) if m else ""
    if unit not in KNOWN_UNITS or unit == "บาท":
        return None
    r = _READER_UNIT.match(reader_text or "")
    if r is None or "/" in reader_text:
        return None
    number, tail = r.group(1).strip(), (r.group(2) or "")
    if tail == unit:
        return None
    if tail in WORDS and unit in WORDS:   # both words the recognizer knows: its reading stands
        return None
    if tail and not (tail in WORDS or re.fullmatch(r"[0-9\u0e50-\u0e59]{1,2}", tail)):
        return None
    return f"{number} {unit}"


def _shape_key(s: str) -> str:
    """The shape of a number: digits collapsed to 9, so readers that confuse digit glyphs still agree."""
    from .normalize.digits import thai_to_arabic

    t = thai_to_arabic(s).replace(" ", "")
    return "".join("9" if ch.isdigit() else ch for ch in t if ch.isdigit() or ch in ",.-%/()")


def read_raster_table(page: PageImage, clean: np.ndarray, grid: TableGrid, engine: OcrEngine, settings: Settings,
                      previous: Optional[Table] = None) -> Table:
    dpi = page.provenance.dpi
    pad = max(2.0, dpi / 100.0)
    crops = [_cell_crop(clean, gc.box, pad) for gc in grid.cells]
    ocr = engine.read_crops(crops, dpi)
    cells = []
    for gc, o in zip(grid.cells, ocr):
        c = Cell(grid.index, gc.row, gc.col, gc.row_span, gc.col_span, gc.box, page.box_to_fraction(gc.box),
                 text_raw=o.text, confidence=o.confidence)
        c.tesseract_text = o.text
        cells.append(c)
    table = Table(grid.index, grid, cells)
    _normalize_cells(table)
    layout = plan.find_layout(table)
    if not layout.found:   # a table continued from the previous page, its header not repeated
        layout = plan.continue_layout(table, previous) or layout
    if grid.ruled == "horizontal" and layout.found:
        split_spilled_cells(table, crops, layout, dpi, pad, page.box_to_fraction)
    _assign_roles(table, layout)
    reader = _digit_reader(settings)
    numeric = [i for i, c in enumerate(cells) if c.role in plan.NUMERIC_ROLES and not c.header]
    generic = [cells[i].tesseract_text for i in numeric if cells[i].role == plan.ROLE_NUMBER]
    if generic and not _in_thai_digits(generic):
        # figures of a table that is not a plan form, written in Arabic digits: Tesseract reads those well,
        # and the recognizer, trained on plan forms' figures, reads the point of a budget bill's
        # ``103.6462`` (millions, four decimals) as a thousands comma - Tesseract's reading stands
        numeric = [i for i in numeric if cells[i].role != plan.ROLE_NUMBER]
    if reader is not None and numeric:
        readings = reader.read([crops[i] for i in numeric], hints=[cells[i].tesseract_text for i in numeric])
        for i, rd in zip(numeric, readings):
            c = cells[i]
            if rd.fused:
                c.flag("fused_with_tesseract")
            if _shape_key(rd.text) != _shape_key(c.tesseract_text) and (rd.text or c.tesseract_text):
                c.flag("ocr_disagreement")
            if rd.text or not c.tesseract_text:
                c.text_raw = rd.text
                c.confidence = rd.confidence
                c.alternatives = list(rd.alternatives)
                if not rd.text and rd.confidence <= INK_UNREAD_CONF:
                    c.flag("ink_unread")
                if c.role == plan.ROLE_TARGET:
                    fused = fuse_unit(rd.text, c.tesseract_text)
                    if fused is not None:
                        c.text_raw = fused
                        c.flag("unit_from_tesseract")
            else:   # the recognizer saw nothing where Tesseract read something: keep it, doubted
                c.confidence = min(c.confidence or 0.0, 0.3)
    elif numeric:
        for i in numeric:
            cells[i].flag("no_digit_reader")
    if grid.ruled == "horizontal" and layout.found and reader is not None:
        split_joined_numbers(table, crops, layout, pad, page.box_to_fraction)
    _normalize_cells(table)
    if reader is not None:
        _reread_codes(table, crops, reader)
    plan.normalize_header_cells(table, layout)
    if grid.ruled == "horizontal" and layout.found:
        merge_title_rows(table, layout.header_rows)
    return table


def _in_thai_digits(texts: list[str]) -> bool:
    """Whether Tesseract's readings of a table's figures are in Thai digits (it writes ๕ ๒ ๐ for the Thai
    digits it cannot read, Arabic ones for Arabic figures): more Thai digits than Arabic."""
    thai, arabic = digit_counts(texts)
    return thai > arabic


INK_UNREAD_CONF = 0.5   # a numeric cell with ink that no reader made anything of (digits.read's blank retries
                        # failed) stays empty but goes to review: it may hold a figure neither could read


def merge_title_rows(table: Table, header_rows: int) -> None:
    """In a table ruled with horizontal lines only, a body row with text in its first cell alone, and
    no activity code in it (``แผนการใช้จ่ายงบประมาณ``), is a title row across the table: one cell
    spanning every column, as the ruled form draws it. Rows with a code are activities (kept)."""
    from .normalize.codes import split_code_after_debris

    n_cols = table.grid.n_cols
    by_row: dict[int, list[Cell]] = {}
    for c in table.cells:
        by_row.setdefault(c.row, []).append(c)
    for r, cs in by_row.items():
        if r < header_rows or len(cs) < 2 or any(c.row_span != 1 for c in cs):
            continue
        first = min(cs, key=lambda c: c.col)
        rest = [c for c in cs if c is not first]
        text = first.text.strip()
        if first.col != 0 or not text or any(c.text_raw.strip() for c in rest):
            continue
        if split_code_after_debris(text)[0] or text.replace(" ", "").startswith("รวม"):
            continue
        box, frac = first.box, first.frac
        for c in rest:
            box, frac = box.union(c.box), frac.union(c.frac)
        first.box, first.frac, first.col_span = box, frac, n_cols
        keep = {id(c) for c in rest}
        table.cells = [c for c in table.cells if id(c) not in keep]
        table.grid.cells = [replace(g, col_span=n_cols, box=box) if (g.row == r and g.col == first.col) else g
                            for g in table.grid.cells if not (g.row == r and g.col != first.col)]


def code_prefix_crop(crop: np.ndarray) -> Optional[np.ndarray]:
    """The leading code of an activity cell (`๒.๓.๑`, `(๑)`) as an image: the ink of the first text
    line up to its first word gap, with a white margin (the recognizer drops ink touching a crop's edge as
    the remains of a rule, which took the ``(`` of ``(๑)``). A band of rows much thinner than the cell's
    tallest (the vowels and tone marks over the first line's letters) belongs to the line below it. A word
    gap is wider than 0.3 of the line's height or, when there is none, than half a letter's height (marks
    above and below make a line much taller than its letters). None when there is no such prefix."""
    ink = crop < 160
    if ink.sum() < 4:
        return None
    ys = np.flatnonzero(ink.any(axis=1))
    gap_max = max(2, int(0.15 * crop.shape[0] / 3))
    bands, a, prev = [], int(ys[0]), int(ys[0])
    for y in ys[1:]:
        if y - prev > gap_max:
            bands.append((a, prev))
            a = int(y)
        prev = int(y)
    bands.append((a, prev))
    tallest = max(b - a + 1 for a, b in bands)
    y0, y1 = bands[0]
    for a, b in bands[1:]:
        if y1 - y0 + 1 >= 0.5 * tallest:
            break
        y1 = b
    band = ink[y0:y1 + 1]
    h = y1 - y0 + 1
    cols = np.flatnonzero(band.any(axis=0))
    if cols.size == 0:
        return None
    bg = int(np.percentile(crop, 95))

    def cut(min_gap: float) -> Optional[np.ndarray]:
        prev = int(cols[0])
        for x in cols[1:]:
            if x - prev > max(3, min_gap):
                pad = max(2, h // 4)
                piece = crop[max(0, y0 - pad):y1 + 1 + pad, max(0, int(cols[0]) - pad):prev + 1 + pad]
                return np.pad(piece, max(4, h // 3), constant_values=bg)
            prev = int(x)
        return None

    piece = cut(0.3 * h)
    if piece is None:   # no gap that wide: the line's marks make it tall; a gap measured by its letters
        _n, _l, st, _c = cv2.connectedComponentsWithStats(band.astype(np.uint8), connectivity=8)
        sizes = st[1:, 3][st[1:, 4] >= 3]
        if sizes.size:
            piece = cut(0.5 * float(np.median(sizes)))
    return piece if piece is not None else _first_word_by_letters(crop, ink, bg)


def _first_word_by_letters(crop: np.ndarray, ink: np.ndarray, bg: int) -> Optional[np.ndarray]:
    """The first word of a cell whose lines touch (no blank row between them): the first line is the
    letter-sized components centred within half a letter of the topmost letter's centre, with the small
    marks centred on its rows; its first word ends at a gap wider than 0.4 letter heights."""
    _n, _l, st, _c = cv2.connectedComponentsWithStats(ink.astype(np.uint8), connectivity=8)
    x, y, w, hh, area = (a.astype(float) for a in st[1:].T)
    ok = area >= 3
    if not (ok & (hh >= 4)).any():
        return None
    H = float(np.median(hh[ok & (hh >= 4)]))
    yc = y + hh / 2
    letters = ok & (hh >= 0.6 * H) & (hh <= 2.5 * H)
    if not letters.any():
        return None
    line = letters & (yc <= yc[letters].min() + 0.5 * H)
    y0, y1 = int(y[line].min()), int((y + hh)[line].max())
    members = np.flatnonzero((yc >= y0) & (yc <= y1))   # specks too: a point at 150 dpi is one or two pixels
    spans = sorted((int(x[k]), int(x[k] + w[k])) for k in members)
    x0, x1 = spans[0]
    for s0, s1 in spans[1:]:
        if s0 - x1 > max(3, 0.4 * H):
            lh = y1 - y0
            pad = max(2, lh // 4)
            piece = crop[max(0, y0 - pad):y1 + pad, max(0, x0 - pad):x1 + pad]
            return np.pad(piece, max(4, lh // 3), constant_values=bg)
        x1 = max(x1, s1)
    return None


_CODE_SHAPE = str.maketrans("0123456789", "9999999999")
CODE_REREAD_CONF = 0.9   # the recognizer's code replaces a different one of Tesseract's at this confidence


def _may_mean(tess: str, got: str, saw_thai: bool) -> bool:
    """Whether the recognizer's code ``got`` can be what Tesseract, reading ``tess``, saw: the same, or (Thai
    digits only: it reads Arabic ones) its known misreadings of them (`digits.tesseract_may_mean`)."""
    from .ocr.digits import tesseract_may_mean

    return tess == got or (saw_thai and tesseract_may_mean(tess, got))


def _reread_codes(table: Table, crops: list[np.ndarray], reader) -> None:
    """Activity codes are record keys, and Tesseract cannot read Thai digits: read each activity cell's
    code prefix with the numeral recognizer. A code both read alike is ``code_confirmed``. Of two codes of
    one shape, the recognizer's is taken when it is sure (CODE_REREAD_CONF) or Tesseract's digits could be a
    misreading of its (`_may_mean`), else Tesseract's stays; the other is kept as the cell's alternative for
    the order of the codes to choose (plan._repair_codes). A garbled first token (``(@)``) takes the
    recognizer's code unless that is a bare number. A code with a Thai letter stuck to it (``๓.ด``: its
    last ๑ read as ด) takes the recognizer's code when that is the same code with one more part (``๓.๑``)."""
    from .normalize.codes import split_activity_code
    from .normalize.digits import arabic_to_thai, thai_to_arabic

    todo = []
    for i, c in enumerate(table.cells):
        if c.role != plan.ROLE_ACTIVITY or c.header or not c.text:
            continue
        code, rest = split_activity_code(c.text)
        first, _, tail = c.text.partition(" ")
        lead = thai_to_arabic(first)
        after = lead[len(code):].lstrip(".") if code and lead.startswith(code) else ""
        glued = bool(tail) and _consonant(after[:1])   # ``๓.ด``: a code's last ๑ read as ด
        if glued:
            rest = tail
        if not code:
            # a first token with no Thai letter (`(@)`, `๒.l`) may be a code Tesseract garbled
            if not tail or len(first) > 8 or any(_consonant(ch) for ch in first):
                continue
            rest = tail
        pc = code_prefix_crop(crops[i])
        if pc is not None:
            todo.append((c, code, rest, pc, glued))
    if not todo:
        return
    readings = reader.read([t[3] for t in todo])
    for (c, code, rest, _, glued), rd in zip(todo, readings):
        got = thai_to_arabic(rd.text.replace(" ", ""))
        if got and got == code:
            c.flag("code_confirmed")   # two readers agree: the order of the codes does not overrule it
            continue
        if not got or split_activity_code(got + " ก")[0] != got:
            continue
        if code and got.translate(_CODE_SHAPE) != code.translate(_CODE_SHAPE) and not (glued and got.startswith(code + ".")):
            continue
        if not code and got.isdigit():   # a garbled token read as a bare heading number: too little to go on
            continue
        saw_thai = any("\u0e50" <= ch <= "\u0e59" for ch in rd.text)
        if code and not glued and rd.confidence < CODE_REREAD_CONF and not _may_mean(code, got, saw_thai):
            c.alternatives = [(got, rd.confidence)]   # Tesseract's code stays; the order of the codes may pick this
            continue
        thai = any("\u0e50" <= ch <= "\u0e59" for ch in c.text[:len(code) + 2])
        c.text = (arabic_to_thai(got) if thai else got) + " " + rest
        c.flag("code_reread")
        if code:
            c.alternatives = [(code, 0.0)]   # Tesseract's, should the recognizer's not fit the order


def read_pdf_table(page: PdfTextPage, grid: TableGrid) -> Table:
    import bisect

    owner: dict[tuple[int, int], int] = {}
    for k, gc in enumerate(grid.cells):
        for r in range(gc.row, gc.row + gc.row_span):
            for col in range(gc.col, gc.col + gc.col_span):
                owner[(r, col)] = k
    buckets: list[list] = [[] for _ in grid.cells]
    re_, ce_ = grid.row_edges, grid.col_edges
    for w in page.words:   # content-stream order is kept within each bucket
        r = bisect.bisect_right(re_, w.box.cy) - 1
        col = bisect.bisect_right(ce_, w.box.cx) - 1
        k = owner.get((r, col))
        if k is not None and grid.cells[k].box.contains_point(w.box.cx, w.box.cy):
            buckets[k].append(w)
    cells = []
    for gc, inside in zip(grid.cells, buckets):
        c = Cell(grid.index, gc.row, gc.col, gc.row_span, gc.col_span, gc.box, page.box_to_fraction(gc.box),
                 text_raw=_chars_to_text(inside), confidence=1.0)
        if "(cid:" in c.text_raw:   # a glyph the PDF's font does not map to a character
            c.flag("unmapped_glyph")
            c.confidence = 0.5
        cells.append(c)
    table = Table(grid.index, grid, cells)
    _normalize_cells(table)
    layout = plan.find_layout(table)
    _assign_roles(table, layout)
    _normalize_cells(table)
    return table


def _chars_to_text(chars) -> str:
    """Born-digital characters (content-stream order) -> lines of text. Lines are clustered by their
    vertical position; within a line the stream order is kept (it is the logical order, which matters
    for Thai combining marks that share an x position with their base)."""
    if not chars:
        return ""
    lines_: list[list] = []
    for ch in chars:
        for ln in lines_:
            ref = ln[0].box
            if abs(ch.box.cy - ref.cy) < 0.5 * max(ref.height, ch.box.height, 1.0):
                ln.append(ch)
                break
        else:
            lines_.append([ch])
    lines_.sort(key=lambda ln: min(c.box.y0 for c in ln))
    return join_lines(["".join(c.text for c in ln) for ln in lines_])


def _thai(ch: str) -> bool:
    return "\u0e01" <= ch <= "\u0e4f"


def _consonant(ch: str) -> bool:
    return "\u0e01" <= ch <= "\u0e2e"   # ก..ฮ (an empty string is none)


def ink_runs(crop: np.ndarray, gap: float) -> list[tuple[int, int]]:
    """Horizontal extents [x0, x1) (crop pixels) of the ink, split where a gap of at least ``gap`` pixels
    has no ink; [] when the crop has none."""
    if crop.size < 4 or int(crop.max()) - int(crop.min()) < 40:
        return []
    _t, bw = cv2.threshold(crop, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    cols = np.flatnonzero(bw.sum(axis=0) >= 2 * 255)
    if cols.size == 0:
        return []
    runs, a = [], int(cols[0])
    for p, q in zip(cols, cols[1:]):
        if q - p > gap:
            runs.append((a, int(p) + 1))
            a = int(q)
    runs.append((a, int(cols[-1]) + 1))
    return runs


def _extent_box(whole: BBox, edges: list[float], j: int, a: float, b: float) -> BBox:
    """The box of ink spanning page x a..b within ``whole``: its extent (2 px margin), at least column j."""
    return BBox(max(whole.x0, min(edges[j], a - 2)), whole.y0, min(whole.x1, max(edges[j + 1], b + 2)), whole.y1)


def _slice(crop: np.ndarray, off: float, box: BBox) -> np.ndarray:
    """The columns of ``crop`` (whose left edge is page x ``off``) under ``box``."""
    return crop[:, max(0, int(box.x0 - off)):max(1, int(np.ceil(box.x1 - off)))]


RUN_GAP_IN = 0.025  # blank wider than this between two inks in one merged cell: two numbers (a digit's own
                    # gaps, comma and point included, are under 0.015 in at 150-300 dpi)


def split_spilled_cells(table: Table, crops: list[np.ndarray], layout: plan.Layout, dpi: float, pad: float,
                        to_frac) -> None:
    """In a table without column rules, a number wider than its column crosses into the next one, and the
    cells its ink touches are read as one. A body cell over month/target columns is cut at the blanks in its
    ink: each number goes to the column under the middle of its ink (col_span 1; its box the number's
    extent, at least its column). One number re-anchors the cell; two or more, each to its own column,
    become cells of their own (appended to ``table.cells`` and ``crops``, read like the others)."""
    edges = table.grid.col_edges
    for idx in range(len(table.cells)):
        c, crop = table.cells[idx], crops[idx]
        if c.row < layout.header_rows or c.col_span < 2:
            continue
        under = range(c.col, c.col + c.col_span)
        if not all(j in layout.roles and layout.roles[j].role in plan.NUMERIC_ROLES for j in under):
            continue
        runs = ink_runs(crop, max(3.0, RUN_GAP_IN * dpi))
        if not runs:
            continue
        off = float(max(0, int(round(c.box.x0 + pad))))   # page x of the crop's left edge (see _cell_crop)
        cols = [next((j for j in under if edges[j] <= off + (a + b) / 2 < edges[j + 1]), None) for a, b in runs]
        if None in cols:
            continue
        merged: list[tuple[int, int]] = []   # neighbouring runs over one column are pieces of one number
        for (a, b), j, pj in zip(runs, cols, [None] + cols[:-1]):
            if j == pj:
                merged[-1] = (merged[-1][0], b)
            else:
                merged.append((a, b))
        cols = [j for k, j in enumerate(cols) if k == 0 or j != cols[k - 1]]
        runs = merged
        if len(set(cols)) != len(cols):
            continue
        if len(runs) == 1:   # one number: its column, its box the number's extent (at least the column)
            box = _extent_box(c.box, edges, cols[0], off + runs[0][0], off + runs[0][1])
            crops[idx] = _slice(crop, off, box)
            c.col, c.col_span, c.box, c.frac = cols[0], 1, box, to_frac(box)
            continue
        if any(layout.roles[j].role not in (plan.ROLE_WORK, plan.ROLE_BUDGET) for j in under):
            continue   # a target cell's number and unit word are not two numbers
        whole = c.box
        for k, ((a, b), j) in enumerate(zip(runs, cols)):
            box = _extent_box(whole, edges, j, off + a, off + b)
            piece = _slice(crop, off, box)
            if k == 0:
                c.col, c.col_span, c.box, c.frac = j, 1, box, to_frac(box)
                c.text_raw = c.tesseract_text = ""
                crops[idx] = piece
            else:
                table.cells.append(Cell(c.table, c.row, j, c.row_span, 1, box, to_frac(box), confidence=None))
                crops.append(piece)


_D = "0-9\u0e50-\u0e59"
_JOINED_TOKENS = (("money", re.compile(rf"[{_D}]{{1,3}}(?:,[{_D}]{{3}})*\.[{_D}]{{2}}")),
                  ("count", re.compile(rf"[{_D}]{{1,3}}")), ("dash", re.compile(r"-")))
_CHAR_WIDTH = {",": 0.35, ".": 0.35, "-": 0.6}   # in digit widths (digits are tabular in these fonts)


def _segmentations(text: str, limit: int = 64) -> list[list[tuple[str, str]]]:
    """Every way to write ``text`` as money amounts (with satang), counts and dashes, one after another."""
    out: list[list[tuple[str, str]]] = []

    def walk(i: int, acc: list[tuple[str, str]]) -> None:
        if len(out) >= limit:
            return
        if i == len(text):
            out.append(list(acc))
            return
        for kind, pat in _JOINED_TOKENS:
            for end in range(len(text), i, -1):
                if pat.fullmatch(text, i, end):
                    acc.append((kind, text[i:end]))
                    walk(end, acc)
                    acc.pop()
    walk(0, [])
    return out


def split_joined_numbers(table: Table, crops: list[np.ndarray], layout: plan.Layout, pad: float, to_frac) -> None:
    """Numbers that overflow narrow columns in a table without column rules can touch (no blank for
    `split_spilled_cells` to cut at); the cell is then read as one string, ``๖,๑๕๐.๐๐๑๖,๑๕๐.๐๐`` or
    ``๑-๑``. Such a reading over several work/budget columns is cut into amounts (budget columns; only in
    a table whose amounts carry satang, where an amount's end shows), counts (work columns) and dashes:
    the one way of cutting it for which every piece,
    placed along the cell's ink by its characters' widths, sits over a column of its kind, left to right.
    Each piece goes to its column's cell (flag ``split_by_text``; confidence no more than the whole's)."""
    satang = money_decimals(table) == 2   # without satang an amount's end cannot be told: counts and dashes only
    edges = table.grid.col_edges
    want = {"money": (plan.ROLE_BUDGET,), "count": (plan.ROLE_WORK,), "dash": (plan.ROLE_WORK, plan.ROLE_BUDGET)}
    at = {(c.row, c.col): c for c in table.cells}
    for idx in range(len(table.cells)):
        c = table.cells[idx]
        if c.header or c.role not in (plan.ROLE_WORK, plan.ROLE_BUDGET) or c.row_span != 1:
            continue
        text = c.text_raw.replace(" ", "")
        if not text or len(text) > 40:
            continue
        under = [j for j in range(len(edges) - 1)
                 if min(c.box.x1, edges[j + 1]) - max(c.box.x0, edges[j]) > 0.15 * (edges[j + 1] - edges[j])]
        if len(under) < 2 or not all(j in layout.roles and layout.roles[j].role in (plan.ROLE_WORK, plan.ROLE_BUDGET)
                                      for j in under):
            continue
        runs = ink_runs(crops[idx], 1.0)
        if not runs:
            continue
        off = float(max(0, int(round(c.box.x0 + pad))))
        a, b = off + runs[0][0], off + runs[-1][1]
        if edges[c.col] - 2 <= (a + b) / 2 < edges[c.col + 1] + 2 and \
                any(pat.fullmatch(text) for _k, pat in _JOINED_TOKENS):   # one figure: its box, its ink's extent
            c.box = _extent_box(c.box, edges, c.col, a, b)
            c.frac = to_frac(c.box)
            continue
        fits = []
        for toks in _segmentations(text):
            if len(toks) < 2 or (not satang and any(k == "money" for k, _t in toks)):
                continue
            widths = [sum(_CHAR_WIDTH.get(ch, 1.0) for ch in t) for _k, t in toks]
            total, x, cols, inside = sum(widths), 0.0, [], 0.0
            for w in widths:
                lo, hi = a + (b - a) * x / total, a + (b - a) * (x + w) / total
                x += w
                j = next((j for j in under if edges[j] <= (lo + hi) / 2 < edges[j + 1]), None)
                cols.append(j)
                if j is not None:
                    inside += max(0.0, min(hi, edges[j + 1]) - max(lo, edges[j])) / max(hi - lo, 1e-6)
            if None in cols or any(q <= p for p, q in zip(cols, cols[1:])):
                continue
            if all(layout.roles[j].role in want[k] for (k, _t), j in zip(toks, cols)):
                fits.append((inside / len(toks), toks, cols))
        fits.sort(key=lambda f: -f[0])
        if not fits or (len(fits) > 1 and fits[0][0] - fits[1][0] < 0.05):
            continue   # no way, or two about equally good ways, of cutting it
        _score, toks, cols = fits[0]
        if any(at.get((c.row, j)) not in (None, c) and at[(c.row, j)].text_raw.strip() for j in cols):
            continue   # the other column has a reading of its own
        conf, whole, crop = c.confidence, c.box, crops[idx]

        def column_box(j: int) -> BBox:
            return BBox(max(whole.x0, edges[j]), whole.y0, min(whole.x1, edges[j + 1]), whole.y1)

        c.col_span = 1
        if c.col not in cols:   # its own column got no piece: left empty, its box its column's
            c.box = column_box(c.col)
            c.frac, crops[idx] = to_frac(c.box), _slice(crop, off, c.box)
            c.text_raw, c.tesseract_text, c.alternatives = "", "", []
        for (_kind, t), j in zip(toks, cols):
            box = column_box(j)
            cell = at.get((c.row, j))
            if cell is None:
                cell = Cell(c.table, c.row, j, 1, 1, box, to_frac(box))
                table.cells.append(cell)
                crops.append(_slice(crop, off, box))
                at[(c.row, j)] = cell
            elif cell is c:
                c.box, c.frac, crops[idx] = box, to_frac(box), _slice(crop, off, box)
            cell.text_raw, cell.confidence, cell.alternatives, cell.tesseract_text = t, conf, [], ""
            cell.role = layout.roles[j].role
            cell.flag("split_by_text")


def _assign_roles(table: Table, layout: plan.Layout) -> None:
    for c in table.cells:
        c.header = c.row < layout.header_rows
        r = layout.roles.get(c.col)
        c.role = "header" if c.header else (r.role if r else "")
    if not layout.found:   # not a plan form's header: its figures are known by their content
        for c in figures.number_cells_by_shape(table):
            c.role = plan.ROLE_NUMBER
    table.layout = layout


_SATANG = re.compile(r"[.,][0-9\u0e50-\u0e59]{2}\s*$")
_LOST_SATANG = re.compile(r",[0-9\u0e50-\u0e59]{5}\s*$")   # ``๖,๙๕๐๐๐``: ``๖,๙๕๐.๐๐`` with its point lost


def money_decimals(table: Table) -> Optional[int]:
    """How the table writes baht amounts: 2 when most of its budget cells end in satang (``.๐๐``, or
    ``,๙๕๐๐๐`` where the point was lost),
    0 when none does, None when there are too few to tell."""
    texts = [c.text_raw.strip() for c in table.cells
             if not c.header and c.role in plan.MONEY_ROLES and any(ch.isdigit() for ch in c.text_raw)]
    if len(texts) < 3:
        return None
    share = sum(1 for t in texts if _SATANG.search(t) or _LOST_SATANG.search(t)) / len(texts)
    return 2 if share >= 0.5 else (0 if share == 0 else None)


def _normalize_cells(table: Table) -> None:
    table.money_decimals = money_decimals(table)
    for c in table.cells:
        raw = c.text_raw
        cleaned = textnorm.clean_thai(raw)
        c.value = None
        if c.header:
            c.kind = CellKind.HEADER if cleaned else CellKind.EMPTY
            c.text = cleaned
            continue
        if not cleaned:
            c.kind = CellKind.EMPTY
            c.text = ""
            continue
        if numbers.is_blank_or_dash(cleaned):
            c.kind = CellKind.DASH
            c.text = cleaned
            continue
        if c.role in plan.NUMERIC_ROLES:
            c.text = cleaned
            if c.role == plan.ROLE_TARGET:
                amounts = numbers.parse_amounts(cleaned)
                if amounts:
                    c.value = amounts[0].value
                    c.kind = CellKind.NUMBER
                else:
                    c.kind = CellKind.TEXT
                    c.flag("unparsed")
            else:
                cleaned, dropped = drop_foreign_digit(cleaned)
                if dropped:
                    c.text = cleaned
                    c.flag("debris_dropped")
                p = (figures.parse_figure(cleaned) if c.role == plan.ROLE_NUMBER
                     else numbers.parse_number(cleaned, **plan.number_context(c.role, table.money_decimals)))
                if p is not None:
                    c.value = p.value
                    c.kind = CellKind.NUMBER
                    for fl in p.flags:
                        c.flag(fl)
                else:
                    c.kind = CellKind.TEXT
                    c.flag("unparsed")
        else:
            corrected, flags = textnorm.correct_text(cleaned) if c.confidence is not None and c.confidence < 1.0 else (cleaned, [])
            c.text = corrected
            for fl in flags:
                c.flag(fl)
            c.kind = CellKind.TEXT


# ------------------------------------------------------------------------------------------- pages

def flatten_background(gray: np.ndarray, dpi: float) -> np.ndarray:
    """Even out uneven lighting and gray paper: divide by a smooth estimate of the background (a large
    closing, computed at low resolution), so every cell crop has a white ground — the mosaic mixes crops
    from all over the page and Tesseract binarizes it with one global threshold."""
    bg = paper_background(gray, max(3, int(dpi / 4 * 0.12) | 1))   # wider than any stroke
    out = cv2.divide(gray, np.maximum(bg, 1), scale=255)
    return out


def process_raster_page(page: PageImage, engine: OcrEngine, settings: Settings,
                        previous: Optional[Table] = None) -> tuple[PageResult, list[Issue], PageImage]:
    t0 = time.perf_counter()
    issues: list[Issue] = []
    page = deskew.upright(page)
    dpi = page.provenance.dpi
    found = detect(page.gray, dpi)
    grids = found.grids
    clean = flatten_background(lines.remove_rules(page.gray, found.h_rules, found.v_rules, dpi), dpi)
    if grids:   # a stamp's own ink is no cell's text (its ring through a count, its lettering in an empty cell)
        clean = erase_stamps(clean, page.gray, found.ink(), found.rings())
    tables: list[Table] = []
    for k, g in enumerate(grids):   # the first table may continue the previous page's last one
        tables.append(read_raster_table(page, clean, g, engine, settings, previous if k == 0 else None))
    # title block: the page with its tables blanked out
    outside = clean.copy()
    for g in grids:
        b = g.box
        outside[max(0, int(b.y0) - 2):int(b.y1) + 2, max(0, int(b.x0) - 2):int(b.x1) + 2] = 255
    title = engine.read_region(outside) if settings.read_title_block else None
    header = title.text if title else ""
    year = read_title_year(outside, title, _digit_reader(settings)) if title else None
    if not grids:
        issues.append(Issue(page.provenance.file, page.provenance.page, "tables", "no table found on this page", "warning"))
    return PageResult(page.provenance, tables, header, time.perf_counter() - t0, year), issues, page


_YEAR_MARKS = ("พ.ศ", "พศ", "ประมาณ")


def read_title_year(gray: np.ndarray, title, reader) -> Optional[int]:
    """The Buddhist-Era year after `พ.ศ.` (or `ปีงบประมาณ`) in the title, read with the numeral
    recognizer: Tesseract's Thai model cannot tell ๒๕๖๖ from ๒๕๖๒. None when not found/plausible."""
    if reader is None or not title.words:
        return None
    lines_: dict = {}
    for w in title.words:
        lines_.setdefault(w[5], []).append(w)
    for key in sorted(lines_, key=lambda k: min(w[2] for w in lines_[k])):
        ws = sorted(lines_[key], key=lambda w: w[1])
        joined, ends = "", []
        for w in ws:
            joined += w[0]
            ends.append(len(joined))
        for mark in _YEAR_MARKS:
            pos = joined.rfind(mark)
            if pos < 0:
                continue
            end = pos + len(mark) + (1 if joined[pos + len(mark):pos + len(mark) + 1] == "." else 0)
            start_word = next((i for i, e in enumerate(ends) if e > end), None)
            if start_word is None:
                continue
            # `ปีงบประมาณ พ.ศ. ๒๕๖๗` with `พ.ศ.` misread (`WA.`): skip short dotted words without digits
            for _ in range(3):
                wt = ws[start_word][0]
                if start_word + 1 < len(ws) and not any(ch.isdigit() for ch in wt) and len(wt) <= 4 and "." in wt:
                    start_word += 1
            h = float(np.median([w[4] for w in ws]))
            picked = [ws[start_word]]
            for w in ws[start_word + 1:]:
                prev = picked[-1]
                if w[1] - (prev[1] + prev[3]) > 1.2 * h:
                    break
                picked.append(w)
            x0 = min(w[1] for w in picked)
            x1 = max(w[1] + w[3] for w in picked)
            y0 = min(w[2] for w in picked)
            y1 = max(w[2] + w[4] for w in picked)
            pad = int(0.4 * h) + 2
            crop = gray[max(0, y0 - pad):y1 + pad, max(0, x0 - pad):x1 + pad]
            (rd,) = reader.read([crop], hints=[" ".join(w[0] for w in picked)])   # Tesseract's, for `fuse`
            from .normalize.digits import thai_to_arabic

            digits = "".join(ch for ch in thai_to_arabic(rd.text) if ch.isdigit())
            if len(digits) >= 4 and 2400 <= int(digits[:4]) <= 2700:
                return int(digits[:4])
    return None


def process_pdf_text_page(page: PdfTextPage, settings: Settings) -> tuple[PageResult, list[Issue]]:
    t0 = time.perf_counter()
    issues: list[Issue] = []
    p = page.provenance
    grids = tables_from_pdf(page.rules, merge_chars(page.words), p.width, p.height)
    tables = [read_pdf_table(page, g) for g in grids]
    outside = [w for w in page.words if not any(g.box.contains_point(w.box.cx, w.box.cy) for g in grids)]
    header = _lines_text(outside)
    if not grids:
        issues.append(Issue(p.file, p.page, "tables", "no table found on this page", "warning"))
    n_cid = sum(1 for t in tables for c in t.cells if "unmapped_glyph" in c.flags)
    if n_cid:
        issues.append(Issue(p.file, p.page, "load", f"{n_cid} cell(s) hold glyphs the PDF's fonts do not map to "
                            "characters, shown as (cid:N) and flagged unmapped_glyph; use --force-ocr to read "
                            "the page by OCR instead", "warning"))
    return PageResult(p, tables, header, time.perf_counter() - t0), issues


def merge_chars(chars: list[Word]) -> list[Word]:
    """Born-digital characters -> word boxes (runs of characters on one line without a space or gap),
    which is what column inference on partly ruled tables needs."""
    words: list[Word] = []
    cur: list[Word] = []

    def flush() -> None:
        if cur:
            box = cur[0].box
            for ch in cur[1:]:
                box = box.union(ch.box)
            words.append(Word("".join(ch.text for ch in cur), box))
            cur.clear()

    for ch in chars:
        if not ch.text.strip():
            flush()
            continue
        if cur:
            prev = cur[-1].box
            h = max(prev.height, ch.box.height, 1.0)
            same_line = abs(ch.box.cy - prev.cy) < 0.5 * h
            gap = ch.box.x0 - prev.x1
            if not same_line or gap > 0.3 * h or gap < -2.0 * h:
                flush()
        cur.append(ch)
    flush()
    return words


def _lines_text(chars) -> str:
    rows: list[list] = []
    for ch in chars:
        for ln in rows:
            if abs(ch.box.cy - ln[0].box.cy) < 0.5 * max(ln[0].box.height, 1.0):
                ln.append(ch)
                break
        else:
            rows.append([ch])
    rows.sort(key=lambda ln: ln[0].box.cy)
    return "\n".join("".join(c.text for c in ln).strip() for ln in rows)


# --------------------------------------------------------------------------------------- documents

_PHRASE_FIELDS = ("project", "plan", "output", "main_activity", "sub_activity", "objective", "responsible_unit")


def process_document(path: str | Path, settings: Optional[Settings] = None, engine: Optional[OcrEngine] = None) -> DocumentResult:
    """One file -> its cells, records and document row. Never raises for bad input: the failure is
    recorded in the result (status 'failed', error) and whatever pages were read are kept."""
    settings = settings or Settings()
    t0 = time.perf_counter()
    res = DocumentResult(file=str(path))
    try:
        doc = open_document(Path(path))
    except ExtractError as e:
        res.status, res.error = "failed", str(e)
        res.issues.append(Issue(str(path), None, "load", str(e)))
        res.seconds = time.perf_counter() - t0
        return res
    except Exception as e:  # never let one file stop a batch
        res.status, res.error = "failed", f"{type(e).__name__}: {e}"
        res.issues.append(Issue(str(path), None, "load", res.error))
        return res
    res.sha256, res.kind, res.pages = doc.sha256, doc.kind, doc.n_pages
    engine = engine or get_engine(settings.ocr_engine)
    fiscal_year = None
    fy_verified = False
    header_fields: dict = {}
    last_table: Optional[Table] = None
    try:
        for item in iter_pages(doc, raster_dpi=settings.raster_dpi, force_ocr=settings.force_ocr):
            if isinstance(item, Issue):
                res.issues.append(item)
                continue
            try:
                if isinstance(item, PdfTextPage):
                    pr, issues = process_pdf_text_page(item, settings)
                else:
                    if item.provenance.note:
                        res.issues.append(Issue(str(path), item.provenance.page, "load", f"rasterized for OCR: {item.provenance.note}", "warning"))
                    pr, issues, _ = process_raster_page(item, engine, settings, last_table)
            except ExtractError as e:
                res.issues.append(Issue(str(path), item.provenance.page, "page", str(e)))
                continue
            except Exception as e:
                res.issues.append(Issue(str(path), item.provenance.page, "page", f"{type(e).__name__}: {e}"))
                continue
            res.issues.extend(issues)
            res.page_results.append(pr)
            if pr.tables:
                first = pr.tables[0]
                if pr.provenance.source == PageSource.PDF_TEXT and first.layout is not None and not first.layout.found:
                    lay = plan.continue_layout(first, last_table)
                    if lay is not None:   # continued from the previous page: roles, then values
                        _assign_roles(first, lay)
                        _normalize_cells(first)
                last_table = pr.tables[-1]
            fields = parse_title_block(pr.header_text) if pr.header_text else {}
            if pr.provenance.source != PageSource.PDF_TEXT:   # OCR'd values: lexicon correction as for cells
                fields = {k: (textnorm.correct_text(v)[0] if isinstance(v, str) and k != "fiscal_year" else v)
                          for k, v in fields.items()}
                fields = {k: (textnorm.drop_trailing_debris(v) if isinstance(v, str) and k in _PHRASE_FIELDS else v)
                          for k, v in fields.items()}
            if pr.title_year:
                fields["fiscal_year"] = pr.title_year
            for k, v in fields.items():
                if v not in (None, "") and header_fields.get(k) in (None, ""):
                    header_fields[k] = v
            fy_fy = fields.get("fiscal_year")
            if fy_fy and not 2400 <= int(fy_fy) <= 2700:
                fy_fy = None
            if fy_fy:
                fiscal_year = fy_fy
                # Tesseract cannot read Thai digits: a year not confirmed by the numeral recognizer is doubted
                fy_verified = bool(pr.title_year) or pr.provenance.source == PageSource.PDF_TEXT
            fy = fy_fy or fiscal_year
            agency = fields.get("agency") or header_fields.get("agency") or ""
            for table in pr.tables:
                layout = table.layout or plan.find_layout(table)
                rows = plan.classify_rows(table, layout)
                plan.mark_other_script(table)
                arith.choose_readings(rows, layout, money_decimals=table.money_decimals)
                fails = plan.apply_checks(rows, layout, money_decimals=table.money_decimals)
                res.checks_failed += len(fails)
                if not layout.found:   # a table of figures that is not a plan form: the totals it states
                    res.checks_failed += len(figures.check_totals(table))
                for c in table.cells:
                    if c.kind == CellKind.NUMBER and c.confidence is not None and c.confidence < settings.low_confidence:
                        c.flag("low_confidence")
                    res.cells.append(c)
                    res.cell_pages.append(pr.provenance.page)
                recs = plan.to_records(table, layout, rows, document=Path(path).name, page=pr.provenance.page,
                                       fiscal_year=fy, agency=agency, frac_of=None)
                if not fy or not fy_verified:
                    for r in recs:
                        r.flags.append("fiscal_year_unverified" if fy else "fiscal_year_missing")
                res.records.extend(recs)
                if not layout.found:
                    res.figures.extend(figures.to_figures(table, Path(path).name, pr.provenance.page,
                                                          figures.page_unit(pr.header_text)))
                    res.issues.append(Issue(str(path), pr.provenance.page, "interpret", f"table {table.index}: {layout.note}: "
                                            "not a plan form - cells and figures, no records", "warning"))
    except ExtractError as e:
        res.issues.append(Issue(str(path), None, "load", str(e)))
        res.error = str(e)
    except Exception as e:
        res.issues.append(Issue(str(path), None, "pipeline", f"{type(e).__name__}: {e}"))
        res.error = f"{type(e).__name__}: {e}"
    # fill fiscal year backwards (continuation pages read before the title page)
    if header_fields.get("fiscal_year"):
        for r in res.records:
            if r.fiscal_year is None:
                from .normalize.months import fiscal_to_gregorian

                r.fiscal_year = header_fields["fiscal_year"]
                r.month = fiscal_to_gregorian(r.fiscal_year, r.fiscal_month)
                r.flags = [f for f in r.flags if f != "fiscal_year_missing"] + ["fiscal_year_from_other_page"]
    res.header = header_fields
    if res.error:
        res.status = "failed" if not res.page_results else "partial"
    elif any(i.severity == "error" for i in res.issues):
        res.status = "partial"
    res.seconds = time.perf_counter() - t0
    return res
