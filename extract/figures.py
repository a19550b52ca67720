"""Tables that are not plan forms (a budget bill's tables of sources and of activities, any other ruled
table): which cells hold figures, how a figure is read, and the totals such a table states.

Pure functions over ``Table``s whose cells already hold text (and, for `check_totals`, values). A plan form's
columns are known from its header (`plan.find_layout`); these tables' figures are known by their content, and
their arithmetic from the words of their rows and headers:

* a row whose label starts with ``รวม`` (``รวมทั้งสิ้น``) is the total of the rows below it at the next level -
  the sources (``เงินงบประมาณ``, ``เงินนอกงบประมาณ``) or the numbered activities (``1. ...``) - down to the
  next total row;
* a row followed by bulleted rows (``- งบบุคลากร``, ``- งบลงทุน``...) is their total;
* a column headed ``รวม`` is the total of the figure columns to its left, back to the previous total column or
  the nearest column that is not figures.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Optional

from . import plan
from .normalize import numbers
from .normalize.digits import thai_to_arabic
from .normalize.numbers import ParsedNumber
from .types import Cell, Figure, Table

_THAI_LETTER = re.compile(r"[\u0e01-\u0e4f]")
SHAPE_MIN_CELLS = 2      # a column needs at least this many cells that look like numbers ...
SHAPE_MIN_SHARE = 0.6    # ... and this share of those written there, to count as a column of figures
ORDINAL_SHARE = 0.8      # a column whose numbers step by +1 this often numbers its rows: no figures
_LEADING_ZERO = re.compile(r"^\s*0[0-9]")   # ``028``: a card or code number, not a quantity
# ``2,100,000 ( 131,996 )``, ``5 (-)``: a plan's figure with its outturn (or a dash for none) in brackets
_WITH_BRACKETED = re.compile(r"^(?P<first>[^()]*?[0-9\u0e50-\u0e59][^()]*?)\s*\(\s*(?P<second>[^()]*)\s*\)$")


def parse_figure(text: str) -> Optional[ParsedNumber]:
    """A figure as written (`numbers.parse_number` with ``free_decimals``), its unit if any one of
    `numbers.KNOWN_UNITS` (``1. บริการผู้เข้าชม`` is a numbered item, not 1 of a unit) and with no leading
    zero (``028`` is a card number); for a figure followed by a second in brackets - a budget bill's plan and outturn, ``2,100,000 ( 131,996 )`` or ``5 (-)`` - the
    first, flag ``bracketed_second`` (the second stays in the cell's text)."""
    if _LEADING_ZERO.match(thai_to_arabic(text)):
        return None
    p = numbers.parse_number(text, free_decimals=True)
    if p is not None:
        return p if not p.unit or p.unit in numbers.KNOWN_UNITS else None   # ``1. บริการผู้เข้าชม``: an item
    m = _WITH_BRACKETED.match(text.strip())
    if m is None:
        return None
    second = m.group("second").strip()
    if second and not numbers.is_blank_or_dash(second) and numbers.parse_number(second, free_decimals=True) is None:
        return None
    first = numbers.parse_number(m.group("first"), free_decimals=True)
    if first is None:
        return None
    return ParsedNumber(first.value, first.unit, first.is_percent, first.flags + ("bracketed_second",))


_YEAR_TITLE = re.compile(r"^\s*(?:[^\d\s,.]{1,4}\.?\s*)?(\d{4})\s*$")   # ``ปี 2565``, as Tesseract may read it: ``U 2565``
BE_YEARS = range(2400, 2700)


def _year_title(cell: Cell, top_row: int) -> bool:
    """A column's title year (``ปี 2565``, read ``U 2565``): a Buddhist-Era year after a short word, or alone
    in the table's top row - not a figure, though its digits look like one."""
    m = _YEAR_TITLE.match(thai_to_arabic(cell.text))
    if m is None or int(m.group(1)) not in BE_YEARS:
        return False
    return not m.group(0).strip().isdigit() or cell.row == top_row


def looks_numeric(text: str) -> bool:
    """A figure (`parse_figure`), or Tesseract's reading of one in Thai digits with a letter or two of
    garbage (``ดต๓๕๓.๕๕๕๑๕``): at least three digits, and digits and separators three quarters of it."""
    if parse_figure(text) is not None:
        return True
    if _LEADING_ZERO.match(thai_to_arabic(text)):
        return False
    t = "".join(text.split())
    digits = sum(1 for ch in t if ch.isdigit())
    return digits >= 3 and sum(1 for ch in t if ch.isdigit() or ch in ",.") >= 0.75 * len(t)


def number_cells_by_shape(table: Table) -> list[Cell]:
    """The cells of a table whose header names no plan columns that hold figures, known by content: the
    cells of a column from the first that looks like a number (`looks_numeric`) down - and the cells just
    above it with no Thai letter, Tesseract's garbage for Thai digits it could not read (``DON. ERK``) -
    when at least SHAPE_MIN_CELLS and SHAPE_MIN_SHARE of those written there (not blank, not a dash) look
    like numbers. The column's title and year above them (``ปี 2565``, also as Tesseract may read it:
    ``U 2565``, `_year_title`) stay text and do not count; a column numbering the rows (`_ordinal`) and
    numbers with a leading zero (``028``, a card number) are not figures. Cells spanning columns are left
    alone. Text as read so far (Tesseract's, or the PDF's) decides; the caller gives these cells the role
    `plan.ROLE_NUMBER`, so that they are read by the numeral recognizer and parsed as figures."""
    by_col: dict[int, list[Cell]] = {}
    for c in table.cells:
        if not c.header and c.col_span == 1:
            by_col.setdefault(c.col, []).append(c)
    out: list[Cell] = []
    top = min((c.row for c in table.cells), default=0)
    for cells in by_col.values():
        cells.sort(key=lambda c: c.row)
        first = next((k for k, c in enumerate(cells) if looks_numeric(c.text) and not _year_title(c, top)), None)
        if first is None:
            continue
        years = [k for k in range(first) if _year_title(cells[k], top)]
        cells = cells[years[-1] + 1:] if years else cells   # the column's title year and what is above it
        numeric = [c for c in cells if looks_numeric(c.text)]
        k = cells.index(numeric[0])
        while k > 0 and not _THAI_LETTER.search(cells[k - 1].text):
            k -= 1
        below = cells[k:]
        written = [c for c in below if c.text.strip() and not numbers.is_blank_or_dash(c.text)]
        if len(numeric) >= SHAPE_MIN_CELLS and len(numeric) >= SHAPE_MIN_SHARE * len(written) and not _ordinal(numeric):
            out.extend(below)
    return out


def _ordinal(cells: list[Cell]) -> bool:
    """A column numbering its rows (``ลำดับที่``: 1, 2, 3...): most steps between its numbers are +1."""
    vals = [p.value for p in (parse_figure(c.text) for c in cells) if p is not None]
    steps = [b - a for a, b in zip(vals, vals[1:])]
    return len(vals) >= 3 and sum(1 for d in steps if d == 1) >= ORDINAL_SHARE * len(steps)


# ------------------------------------------------------------------------------------------- totals

@dataclass(frozen=True)
class TotalCheck:
    name: str                          # column_total (a total row), subtotal (a row over bulleted rows), row_total
    total: tuple[int, int]             # (row, col) of the stated total
    parts: tuple[tuple[int, int], ...]   # (row, col) of what it adds up
    expected: Decimal                  # the stated total
    found: Decimal                     # the sum of the parts

    @property
    def holds(self) -> bool:
        return abs(self.expected - self.found) <= _tolerance(self.expected, len(self.parts))


def _tolerance(total: Decimal, n_parts: int) -> Decimal:
    """Figures rounded to the total's last decimal place may miss it by half a unit each."""
    exp = total.as_tuple().exponent
    places = -exp if isinstance(exp, int) and exp < 0 else 0
    return Decimal(n_parts) * Decimal(5) * Decimal(10) ** (-places - 1) if places else Decimal(0)


_TOTAL_WORD = re.compile(r"^\s*รวม")
_BULLET = re.compile(r"^\s*[-–•·]\s*")


def _level(label: str) -> int:
    """0: a total row (``รวม...``); 2: a bulleted row (``- งบลงทุน``); 1: anything else (a source, a numbered
    activity)."""
    if _TOTAL_WORD.match(label):
        return 0
    if _BULLET.match(label):
        return 2
    return 1


def evaluate_totals(table: Table) -> list[TotalCheck]:
    """The totals a table of figures states (module docstring), as checks over its cells' values; only
    those with a stated total and at least one part written."""
    shape = _shape(table)
    if shape is None:
        return []
    figs, fig_cols, fig_rows, first_fig_row, label_col = shape
    at = {(c.row, c.col): c for c in table.cells}

    def val(r: int, j: int) -> Optional[Decimal]:
        c = figs.get((r, j))
        return c.value if c is not None else None

    def label(r: int) -> str:
        c = at.get((r, label_col)) if label_col is not None else None
        return c.text if c is not None else ""

    checks: list[TotalCheck] = []

    def add(name: str, total: tuple[int, int], parts: list[tuple[int, int]]) -> None:
        t = val(*total)
        written = [p for p in parts if val(*p) is not None]
        if t is None or not written:
            return
        found = sum((val(*p) for p in written), Decimal(0))
        checks.append(TotalCheck(name, total, tuple(written), t, found))

    rows = [r for r in fig_rows if r >= first_fig_row]
    levels = {r: _level(label(r)) for r in rows}
    if label_col is not None:
        for i, r in enumerate(rows):
            below = rows[i + 1:]
            if levels[r] == 0:   # a total row: the next level down, to the next total row
                block = []
                for b in below:
                    if levels[b] == 0:
                        break
                    block.append(b)
                top = min((levels[b] for b in block), default=None)
                kids = [b for b in block if levels[b] == top]
            elif levels[r] == 1:   # a row over bulleted rows
                kids = []
                for b in below:
                    if levels[b] != 2:
                        break
                    kids.append(b)
            else:
                continue
            if not kids:
                continue
            for j in fig_cols:
                add("column_total" if levels[r] == 0 else "subtotal", (r, j), [(b, j) for b in kids])
    # a column headed รวม: the figure columns to its left, back to the previous total or a non-figure column
    heads = _headers(table, first_fig_row)
    total_cols = [j for j in fig_cols if heads.get(j) and _TOTAL_WORD.match(heads[j][-1])]
    for j in total_cols:
        parts_cols = []
        k = j - 1
        while k >= 0 and k in fig_cols and k not in total_cols:
            parts_cols.append(k)
            k -= 1
        if not parts_cols:
            continue
        for r in rows:
            add("row_total", (r, j), [(r, k) for k in parts_cols])
    return checks


def _shape(table: Table):
    """(figure cells by (row, col), figure columns, figure rows, first row with a value, label column) of a
    table with figures (`number_cells_by_shape`), or None. The label column is the first column left of
    the figures that holds none."""
    figs = {(c.row, c.col): c for c in table.cells if c.role == plan.ROLE_NUMBER}
    valued = [r for (r, _), c in figs.items() if c.value is not None]
    if not valued:
        return None
    fig_cols = sorted({j for _, j in figs})
    fig_rows = sorted({r for r, _ in figs})
    label_col = next((j for j in range(min(fig_cols)) if j not in fig_cols), None)
    return figs, fig_cols, fig_rows, min(valued), label_col


def _headers(table: Table, first_fig_row: int) -> dict[int, list[str]]:
    """Column -> the texts of the header cells over it (rows above the first figure), top to bottom; a
    title spanning several columns is over each of them."""
    heads: dict[int, list[str]] = {}
    for c in sorted(table.cells, key=lambda c: (c.row, c.col)):
        if c.row < first_fig_row and c.text.strip():
            for j in range(c.col, c.col + c.col_span):
                heads.setdefault(j, []).append(" ".join(c.text.split()))
    return heads


_PAGE_UNIT = re.compile(r"หน่วย\s*[:：]\s*([\u0e01-\u0e4e]+)")


def page_unit(text: str) -> str:
    """The unit a page states for its tables outside them (``หน่วย : ล้านบาท``), or ''."""
    m = _PAGE_UNIT.search(text or "")
    return m.group(1) if m else ""


def to_figures(table: Table, document: str, page: int, default_unit: str = "") -> list[Figure]:
    """One `Figure` per figure with a value of a table that is not a plan form: its row's label (the label
    column's text), the row a bulleted row is listed under, the header over its column, and its unit - the
    row's cell in a column headed ``หน่วย...`` (``หน่วยนับ``: ``ล้านบาท``), else a unit written beside the
    figure (``%`` for a percentage), else ``default_unit`` - the page's own (`page_unit`), flag
    ``unit_from_page``."""
    shape = _shape(table)
    if shape is None:
        return []
    figs, fig_cols, fig_rows, first_fig_row, label_col = shape
    at = {(c.row, c.col): c for c in table.cells}
    heads = _headers(table, first_fig_row)
    unit_col = next((j for j, h in sorted(heads.items()) if j not in fig_cols and any("หน่วย" in t for t in h)), None)

    def text(r: int, j: Optional[int]) -> str:
        c = at.get((r, j)) if j is not None else None
        return " ".join(c.text.split()) if c is not None else ""

    out: list[Figure] = []
    group = ""
    for r in range(first_fig_row, table.grid.n_rows):
        label = text(r, label_col)
        if label and _level(label) != 2:
            group = label if _level(label) == 1 else ""
        for j in fig_cols:
            c = figs.get((r, j))
            if c is None or c.value is None:
                continue
            p = parse_figure(c.text)
            unit = text(r, unit_col) or (("%" if p.is_percent else p.unit) if p is not None else "")
            flags = list(c.flags)
            if not unit and unit_col is None and default_unit:
                unit = default_unit
                flags.append("unit_from_page")
            out.append(Figure(document, page, table.index, r, j, label, group if _level(label) == 2 else "",
                              " / ".join(dict.fromkeys(heads.get(j, []))), c.value, unit, c.confidence,
                              flags, c.frac.x0, c.frac.y0, c.frac.x1, c.frac.y1, c.text_raw))
    return out


def check_totals(table: Table) -> list[TotalCheck]:
    """Run `evaluate_totals` and let the outcome set the confidence of the cells involved, as a plan form's
    checks do (`plan.apply_checks`): a cell confirmed by a total that holds, and in none that fails, gets
    the flag ``checked`` and confidence `plan.CHECKED_CONF` (`plan.CHOSEN_CONF` when every total confirming
    it is a `plan.doubted_echo`); the cells of a failing total read with less
    confidence than `plan.SUSPECT_CONF` (all of them when none was) get ``sum_mismatch`` and at most
    `plan.SUSPECT_CAP`. Returns the failed checks."""
    checks = evaluate_totals(table)
    at = {(c.row, c.col): c for c in table.cells}
    for c in at.values():
        if c.role == plan.ROLE_NUMBER and c.ocr_confidence is None:
            c.ocr_confidence = c.confidence
    fails = [k for k in checks if not k.holds]
    failed = {rc for k in fails for rc in (k.total,) + k.parts}
    confirmed = {rc for k in checks if k.holds for rc in (k.total,) + k.parts}
    firm = {rc for k in checks if k.holds and not plan.doubted_echo([at.get(rc) for rc in k.parts], at.get(k.total))
            for rc in (k.total,) + k.parts}
    for rc in confirmed - failed:
        c = at[rc]
        if c.value:
            c.flag("checked")
            if c.confidence is not None:
                c.confidence = max(c.confidence, plan.CHECKED_CONF if rc in firm else plan.CHOSEN_CONF)
    for k in fails:
        cells = [at[rc] for rc in (k.total,) + k.parts if rc not in confirmed]
        doubtful = [c for c in cells if c.confidence is None or c.confidence < plan.SUSPECT_CONF]
        for c in doubtful or cells:
            c.flag("sum_mismatch")
            if c.confidence is not None:
                c.confidence = min(c.confidence, plan.SUSPECT_CAP)
    return fails
