"""Interpretation of a plan-form activity table: column roles from the header, row kinds, activity codes,
records, and the arithmetic the form implies (row and column totals).

Pure functions over ``Table``s whose cells already hold text and values.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Optional

from .normalize import codes, months, numbers
from .normalize.digits import ARABIC_DIGITS, THAI_DIGITS, digit_counts, thai_to_arabic
from .types import Cell, CellKind, Record, Table

ROLE_ACTIVITY = "activity"
ROLE_TARGET = "target"
ROLE_TARGET_BUDGET = "target_budget"
ROLE_WORK = "work"
ROLE_BUDGET = "budget"
ROLE_RESPONSIBLE = "responsible"
ROLE_NUMBER = "number"   # a figure in a table that is not a plan form, known by its content (`figures`)
NUMERIC_ROLES = {ROLE_TARGET, ROLE_TARGET_BUDGET, ROLE_WORK, ROLE_BUDGET, ROLE_NUMBER}
MONEY_ROLES = (ROLE_BUDGET, ROLE_TARGET_BUDGET)


def number_context(role: str, money_decimals: Optional[int] = None) -> dict:
    """Keyword arguments for `numbers.parse_number` from what a column holds: amounts in baht have at
    most two decimals and counts none, so `max_decimals` is 2; money columns also get the table's
    satang convention (`decimals`). No plan figure is negative (`unsigned`: a dash stuck to one is a mark
    beside it). A figure of a table that is not a plan form (`ROLE_NUMBER`) is taken as written: any
    number of decimals (`free_decimals`), a sign or brackets meaning negative."""
    if role == ROLE_NUMBER:
        return {"free_decimals": True}
    if role in MONEY_ROLES:
        return {"max_decimals": 2, "decimals": money_decimals, "unsigned": True}
    return {"max_decimals": 2, "unsigned": True}

_TOTAL = re.compile(r"รวม")
_WORK_WORD = re.compile(r"งาน")
_BUDGET_WORD = re.compile(r"งบ")
_TARGET_WORD = re.compile(r"เป้า|หมาย")
_RESP_WORD = re.compile(r"รับผิด|ผู้")


@dataclass
class ColumnRole:
    role: str
    fiscal_month: int = 0          # 1..12 for work/budget columns
    month_confidence: float = 1.0
    month_inferred: bool = False


@dataclass
class Layout:
    """What the header says about the table's columns."""

    header_rows: int
    roles: dict[int, ColumnRole] = field(default_factory=dict)   # grid column -> role
    month_row: int = -1
    found: bool = False
    note: str = ""
    month_headers: dict = field(default_factory=dict)   # (row, col) of a month header cell -> MonthGuess
    continued: bool = False   # no header of its own: the columns of the table before it (previous page)

    def cols_with(self, role: str) -> list[int]:
        return sorted(c for c, r in self.roles.items() if r.role == role)

    def month_cols(self, measure: str) -> dict[int, int]:
        """fiscal month -> grid column for measure 'work' or 'budget'."""
        return {r.fiscal_month: c for c, r in self.roles.items() if r.role == measure}


def _col_centers(table: Table) -> list[float]:
    e = table.grid.col_edges
    return [(e[i] + e[i + 1]) / 2 for i in range(len(e) - 1)]


def _cols_under(table: Table, cell: Cell) -> list[int]:
    return [j for j, x in enumerate(_col_centers(table)) if cell.box.x0 <= x <= cell.box.x1]


def _month_pieces(table: Table, row_cells: list[Cell], i: int, step: int, span: int, r: int) -> tuple[Optional[Cell], int]:
    """Narrower cells from ``row_cells[i]`` on (in direction ``step``) that add up to one month cell's span,
    over งาน/งบ sub-header cells: a month cell split by a stray mark (``''`` + ``nig.`` for ก.ย.). Returns the
    piece standing for the month (the one with text; the widest when none has) and the index of the last
    piece, or (None, i)."""
    if span < 2:
        return None, i
    pieces, tot, k = [], 0, i
    while 0 <= k < len(row_cells) and tot < span and row_cells[k].col_span < span:
        pieces.append(row_cells[k])
        tot += row_cells[k].col_span
        k += step
    if tot != span or len(pieces) < 2:
        return None, i
    below = [table.cell_at(r + 1, j) for c in pieces for j in range(c.col, c.col + c.col_span)]
    if not any(b is not None and (_WORK_WORD.search(b.text) or _BUDGET_WORD.search(b.text)) for b in below):
        return None, i
    texted = [c for c in pieces if c.text.strip()]
    if len(texted) > 1:
        return None, i
    rep = texted[0] if texted else max(pieces, key=lambda c: c.col_span)
    return rep, k - step


def _join_split_months(run: list[Cell], span: int) -> list[Cell]:
    """Neighbouring cells of the month run, each narrower than a month, whose spans add up to one month
    and which each hold text: one month cell cut by a false rule between its letters (``ม`` | ``ค.``), read
    as one cell with their texts joined (a stand-in; the table's cells are unchanged)."""
    out: list[Cell] = []
    i = 0
    while i < len(run):
        c = run[i]
        if 1 < span and c.col_span < span:
            k, tot = i, 0
            while k < len(run) and run[k].col_span < span and tot < span:
                tot += run[k].col_span
                k += 1
            pieces = run[i:k]
            if tot == span and len(pieces) > 1 and all(p.text.strip() for p in pieces):
                box = pieces[0].box
                for p in pieces[1:]:
                    box = box.union(p.box)
                out.append(replace(c, col_span=span, box=box, text="".join(p.text.strip() for p in pieces),
                                               flags=list(c.flags)))
                i = k
                continue
        out.append(c)
        i += 1
    return out


def find_layout(table: Table, max_header_rows: int = 6) -> Layout:
    """Find the month-header row and give every grid column a role."""
    best: tuple[float, int, list[Cell], list] | None = None
    for r in range(min(max_header_rows, table.grid.n_rows)):
        row_cells = sorted((c for c in table.cells if c.row == r), key=lambda c: c.box.x0)
        if len(row_cells) < 3:
            continue
        scores = [max(months.month_scores(c.text)) if c.text.strip() else 0.0 for c in row_cells]
        month_like = [c for c, s in zip(row_cells, scores) if s >= 0.5]
        if len(month_like) < 3:
            continue
        # the month run: cells from the first to the last month-like cell
        i0 = row_cells.index(month_like[0])
        i1 = row_cells.index(month_like[-1])
        run = row_cells[i0:i1 + 1]
        # a month whose letters are unreadable still sits in the sequence: extend the run over
        # neighbours shaped like month cells (same span), up to twelve
        span = sorted(c.col_span for c in run)[len(run) // 2]
        # an empty cell narrower than a month is a fragment of a month cell split by a stray mark:
        # it is no month of its own (its columns join the neighbouring month below)
        run = _join_split_months([c for c in run if c.text.strip() or c.col_span >= span], span)
        for step in (+1, -1):   # right, then left (only for months wider than one column)
            while len(run) < 12 and (step > 0 or span > 1):
                k = (i1 if step > 0 else i0) + step
                if not 0 <= k < len(row_cells):
                    break
                rep, k = ((row_cells[k], k) if row_cells[k].col_span == span
                          else _month_pieces(table, row_cells, k, step, span, r))
                if rep is None:
                    break
                if step > 0:
                    run.append(rep)
                    i1 = k
                else:
                    run.insert(0, rep)
                    i0 = k
        if len(run) > 12:
            continue
        guesses = months.decode_month_header([c.text for c in run])
        total = sum(g.confidence for g in guesses)
        if best is None or total > best[0]:
            best = (total, r, run, guesses)
    layout = Layout(header_rows=0)
    if best is None:
        layout.note = "no month header found"
        return layout
    _, r, run, guesses = best
    layout.month_row = r
    layout.found = True
    sub_row = r + 1
    header_end = sub_row + 1
    fragments = [c for c in table.cells if c.row == r and not c.text.strip() and c not in run
                 and run[0].box.x0 - 1 <= c.box.cx <= run[-1].box.x1 + 1]
    extra: dict[int, list[int]] = {}
    for fr in fragments:   # give a fragment's columns to the adjacent month that lacks columns
        fcols = _cols_under(table, fr)
        left = [k for k, c in enumerate(run) if c.box.x1 <= fr.box.cx]
        right = [k for k, c in enumerate(run) if c.box.x0 >= fr.box.cx]
        cands = ([right[0]] if right else []) + ([left[-1]] if left else [])
        cands.sort(key=lambda k: len(_cols_under(table, run[k])) + len(extra.get(k, [])))
        if cands:
            extra.setdefault(cands[0], []).extend(fcols)
    for k, (cell, g) in enumerate(zip(run, guesses)):
        layout.month_headers[(cell.row, cell.col)] = g
        cols = sorted(_cols_under(table, cell) + extra.get(k, []))
        if not cols:
            continue
        # sub-columns: งาน (work) then งบ (budget); confirm by the text below when it is there
        kinds = []
        for j in cols:
            below = table.cell_at(sub_row, j)
            t = below.text if below is not None else ""
            kinds.append("budget" if _BUDGET_WORD.search(t) and not _WORK_WORD.search(t) else
                         "work" if _WORK_WORD.search(t) else "")
        if len(cols) >= 2 and (not all(kinds) or set(kinds) != {"work", "budget"}):
            # unread, or one sub-header cell over both columns (a mark across their rule): the order
            # every form uses
            kinds = ["work"] + ["budget"] * (len(cols) - 1)
        elif len(cols) == 1 and not kinds[0]:
            kinds = ["budget"]
        for j, k in zip(cols, kinds):
            layout.roles[j] = ColumnRole(ROLE_WORK if k == "work" else ROLE_BUDGET, g.fiscal_month, g.confidence, g.inferred)
    month_cols = sorted(layout.roles)
    first_month_col = month_cols[0] if month_cols else 0
    last_month_col = month_cols[-1] if month_cols else table.grid.n_cols - 1
    # header rows end where the sub-header (งาน/งบ) row ends
    sub_cells = [c for c in table.cells if c.row == sub_row and c.col in layout.roles]
    if sub_cells and any(_WORK_WORD.search(c.text) or _BUDGET_WORD.search(c.text) for c in sub_cells):
        header_end = max(c.row + c.row_span for c in sub_cells)
    else:
        header_end = r + 1
    layout.header_rows = header_end
    # columns before the months: activity then target (and target budget)
    pre = list(range(0, first_month_col))
    target_cols: list[int] = []
    for c in table.cells:
        if c.row < header_end and _TARGET_WORD.search(c.text):
            target_cols = [j for j in _cols_under(table, c) if j < first_month_col]
            break
    if not target_cols and len(pre) >= 2:
        target_cols = pre[1:3]
    for j in pre:
        if j in target_cols:
            idx = target_cols.index(j)
            below = table.cell_at(header_end - 1, j)
            is_budget = idx > 0 or (below is not None and _BUDGET_WORD.search(below.text) and not _WORK_WORD.search(below.text) and len(target_cols) > 1)
            layout.roles[j] = ColumnRole(ROLE_TARGET_BUDGET if is_budget else ROLE_TARGET)
        else:
            layout.roles[j] = ColumnRole(ROLE_ACTIVITY)
    for j in range(last_month_col + 1, table.grid.n_cols):
        layout.roles[j] = ColumnRole(ROLE_RESPONSIBLE)
    return layout


CONTINUE_TOL = 0.02   # column edges of a continued table agree with its predecessor's within this share of the width


def continue_layout(table: Table, previous: Optional[Table]) -> Optional[Layout]:
    """A table without a month header that continues ``previous`` (the last table of the page before):
    same number of columns, edges at the same places relative to the table's width. Its columns take
    the previous table's roles; all its rows are body rows. None when it does not match."""
    if previous is None or previous.layout is None or not previous.layout.found:
        return None
    a, b = table.grid.col_edges, previous.grid.col_edges
    if len(a) != len(b) or len(a) < 4:
        return None
    wa, wb = (a[-1] - a[0]) or 1.0, (b[-1] - b[0]) or 1.0
    if any(abs((x - a[0]) / wa - (y - b[0]) / wb) > CONTINUE_TOL for x, y in zip(a, b)):
        return None
    prev = previous.layout
    return Layout(header_rows=0, roles=dict(prev.roles), month_row=-1, found=True, continued=True,
                  note="columns continued from the table on the previous page")


def normalize_header_cells(table: Table, layout: Layout) -> None:
    """Header cells whose meaning the layout decided get their canonical text (the raw text is kept):
    month headers their abbreviation, quarter headers `ไตรมาส N` from the months beneath them, the งาน/งบ
    cells under the months their word (flag ``header_inferred`` where the text read was something else)."""
    if not layout.found:
        return
    for c in table.cells:
        g = layout.month_headers.get((c.row, c.col))
        if g is not None:
            c.text = months.MONTH_ABBRS[g.fiscal_month - 1]
            if g.inferred:
                c.flag("month_inferred")
            continue
        if c.row < layout.month_row and "ไตร" in c.text.replace(" ", "") or (c.row < layout.month_row and "มาส" in c.text):
            fms = {layout.roles[j].fiscal_month for j in _cols_under(table, c)
                   if j in layout.roles and layout.roles[j].fiscal_month}
            qs = {months.fiscal_quarter(m) for m in fms}
            if len(qs) == 1:
                q = qs.pop()
                c.text = "ไตรมาส " + "๐๑๒๓๔๕๖๗๘๙"[q]
            continue
        # the งาน/งบ row under the months: each month column's word is known from the layout
        if (c.row == layout.month_row + 1 < layout.header_rows and c.col_span == 1 and c.col in layout.roles
                and layout.roles[c.col].role in (ROLE_WORK, ROLE_BUDGET)):
            word = "งาน" if layout.roles[c.col].role == ROLE_WORK else "งบ"
            seen = c.text.replace(" ", "")
            if seen != word and (len(seen) <= 3 or not re.search("[\u0e01-\u0e2e]", seen)):   # not other words
                c.text = word
                c.flag("header_inferred")


# ----------------------------------------------------------------------------------------------- rows

@dataclass
class Row:
    index: int
    kind: str                     # item, total, section, header
    code: str
    activity: str
    cells: dict[int, Cell]        # grid column -> cell starting in this row
    unit: str = ""
    target_counts: tuple = ()     # what the monthly work may add up to (first amount, sum of amounts)
    flags: tuple = ()             # row-level flags passed on to its records (code_inferred)
    cell_text: str = ""           # the whole activity cell as read (code and any debris before it)


def classify_rows(table: Table, layout: Layout) -> list[Row]:
    rows: list[Row] = []
    act_cols = layout.cols_with(ROLE_ACTIVITY) or [0]
    numeric_cols = {c for c, r in layout.roles.items() if r.role in NUMERIC_ROLES}
    for r in range(layout.header_rows, table.grid.n_rows):
        cells = {c.col: c for c in table.cells if c.row == r}
        if not cells:
            continue   # covered by a cell spanning from above
        act = cells.get(act_cols[0])
        text = act.text.strip() if act else ""
        code, rest = codes.split_code_after_debris(text) if text else ("", "")
        has_numbers = any(c.value is not None for j, c in cells.items() if j in numeric_cols)
        wide = act is not None and act.col_span >= max(3, table.grid.n_cols // 2)
        unit = ""
        targets: tuple = ()
        for j in layout.cols_with(ROLE_TARGET):
            tc = cells.get(j)
            if tc is not None and tc.text:
                amounts = numbers.parse_amounts(tc.text)
                if amounts:
                    unit = amounts[0].unit
                    targets = (amounts[0].value, sum((a.value for a in amounts), Decimal(0)))
        if _is_total(text):
            kind = "total"
        elif wide or not has_numbers:
            kind = "section"
        elif _stray_marks_only(code, cells, numeric_cols, layout, targets):
            kind = "section"
            for j, c in cells.items():
                if j in numeric_cols and c.value is not None:
                    c.flag("stray_mark")
        else:
            kind = "item"
        rows.append(Row(r, kind, code, rest if code else text, cells, unit, targets, cell_text=text))
    _repair_codes(rows)
    return rows


# ``๔ ๓ ปรับปรุง…`` / ``๕ ๓.๓ ยกระดับ…``: a dotted code whose first dot was read as a space
_SPACED_CODE = re.compile(r"^\s*([0-9]{1,2})\s([0-9]{1,2}(?:\.[0-9]{1,2})?)\s+(?=[\u0e01-\u0e4e])")
_GARBLED_CODE = re.compile(r"^\s*\([^\s\u0e01-\u0e2e]{1,3}\)\s")   # `(@) ...`: a sub-item code OCR could not read
_GARBLED_BARE = re.compile(r"^\s*[A-Za-z@#&|]{1,3}\s+(?=[\u0e01-\u0e4e])")   # `bo เจ้าหน้าที่…`: ``๒.๑`` unreadable


def _is_total(text: str) -> bool:
    """``รวม…`` at the start of the activity cell, allowing a few characters of OCR debris before it."""
    t = text.replace(" ", "")
    i = t.find("รวม")
    return i != -1 and i <= 3


def _stray_marks_only(code: str, cells: dict[int, Cell], numeric_cols: set[int], layout: "Layout",
                      targets: tuple) -> bool:
    """A heading row (bare code ``๓``) with no target whose only "numbers" are a few doubtful readings:
    ink from a stamp or a signature across the row, not planned values."""
    if not code or "." in code or code.endswith(")") or targets:
        return False
    tb_cols = set(layout.cols_with(ROLE_TARGET_BUDGET))
    vals = [c for j, c in cells.items() if j in numeric_cols and c.value is not None]
    if any(j in tb_cols and c.value is not None for j, c in cells.items()):
        return False
    return 0 < len(vals) <= 3 and all((c.confidence or 0.0) < 0.95 for c in vals)


def _repair_codes(rows: list[Row]) -> None:
    """Misread activity codes corrected from the order of the codes (`codes.repair_code_sequence`);
    the rows whose code changed carry `code_inferred`. A code Tesseract and the numeral recognizer read
    alike (``code_confirmed``) is kept even out of order: forms do number ``3.1.3`` before ``3.1.2``."""
    seq = [r.code for r in rows]
    garbled = [not r.code and r.kind == "item"
               and bool(_GARBLED_CODE.match(r.activity) or _GARBLED_BARE.match(r.activity)) for r in rows]
    alts: list[list[str]] = []
    taken: list[tuple[str, int]] = []   # (text, characters of it an alternative code takes; 0: none)
    for r in rows:
        whole = r.cell_text or " ".join(x for x in (r.code, r.activity) if x)
        sp = _SPACED_CODE.match(thai_to_arabic(whole)) if r.kind == "item" else None
        if sp and r.code in ("", sp.group(1), sp.group(2)):
            # no code read, a bare ``4`` or ``3.3`` after "debris" ``๕``: perhaps ``๔.๓`` / ``๕.๓.๓``, dot lost
            alts.append([f"{sp.group(1)}.{sp.group(2)}"])
            taken.append((whole, sp.end()))
        elif r.code.isdigit() and len(r.code) == 2 and r.code[1] != "0":   # ``๕๒``: ``5.2``, dot lost
            alts.append([f"{r.code[0]}.{r.code[1]}"])
            taken.append(("", 0))
        else:
            alts.append([])
            taken.append(("", 0))
        act = next((c for c in r.cells.values() if c.role == ROLE_ACTIVITY), None)
        if act is not None and r.kind == "item":   # the other reader's code (see pipeline._reread_codes)
            alts[-1] += [t for t, _p in act.alternatives if t and t != r.code and t not in alts[-1]]
    keep = [r.kind == "item" and bool(r.code) and any(
        "code_confirmed" in c.flags for c in r.cells.values() if c.role == ROLE_ACTIVITY) for r in rows]
    fixed = codes.repair_code_sequence(seq, garbled, alts, keep)
    for r, new, alt, (src, n) in zip(rows, fixed, alts, taken):
        if new != r.code:
            if n and new.partition(".")[2] == alt[0].partition(".")[2]:   # the alternative (or it under its heading)
                r.activity = src[n:].strip()
            elif not r.code:
                m = _GARBLED_CODE.match(r.activity) or _GARBLED_BARE.match(r.activity)
                r.activity = r.activity[m.end():].strip() if m else r.activity
            r.code = new
            r.flags = tuple(r.flags) + ("code_inferred",)


# ------------------------------------------------------------------------------------------- checks

@dataclass(frozen=True)
class CheckFailure:
    name: str                  # row_budget_sum, column_budget_sum
    row: int
    cells: tuple[tuple[int, int], ...]   # (row, col) of the cells involved
    expected: Decimal
    found: Decimal


def _val(rows_by_index: dict[int, Row], r: int, j: int, override: dict | None = None) -> Optional[Decimal]:
    if override and (r, j) in override:
        return override[(r, j)]
    c = rows_by_index[r].cells.get(j)
    return c.value if c is not None else None


def run_checks(rows: list[Row], layout: Layout, override: dict | None = None) -> list[CheckFailure]:
    """The checks that fail (see `evaluate_checks`)."""
    return [c for c in evaluate_checks(rows, layout, override) if c.expected != c.found]


def evaluate_checks(rows: list[Row], layout: Layout, override: dict | None = None) -> list[CheckFailure]:
    """The arithmetic a plan form implies, every check with its outcome (failed when ``expected !=
    found``): each item's monthly budgets sum to its target budget; its monthly work adds up to its
    target count (or repeats it every month); each total row's figures equal the sums of the item rows
    above it (since the previous total)."""
    out: list[CheckFailure] = []
    by_index = {r.index: r for r in rows}
    budget_cols = layout.month_cols(ROLE_BUDGET)
    tb_cols = layout.cols_with(ROLE_TARGET_BUDGET)
    sum_cols = list(budget_cols.values()) + tb_cols
    for row in rows:
        if row.kind != "item" or not tb_cols:
            continue
        target = _val(by_index, row.index, tb_cols[0], override)
        monthly = [(j, _val(by_index, row.index, j, override)) for j in budget_cols.values()]
        present = [(j, v) for j, v in monthly if v is not None]
        if target is None or not present:
            continue
        s = sum((v for _, v in present), Decimal(0))
        out.append(CheckFailure("row_budget_sum", row.index, tuple((row.index, j) for j, _ in present) + ((row.index, tb_cols[0]),), target, s))
    work_cols = layout.month_cols(ROLE_WORK)
    target_cols = layout.cols_with(ROLE_TARGET)
    for row in rows:
        if row.kind != "item" or not row.target_counts or not target_cols:
            continue
        monthly = [(j, _val(by_index, row.index, j, override)) for j in work_cols.values()]
        present = [(j, v) for j, v in monthly if v is not None]
        if not present:
            continue
        targets = set(row.target_counts)
        if (row.index, target_cols[0]) in (override or {}):
            targets = {override[(row.index, target_cols[0])]}
        s = sum((v for _, v in present), Decimal(0))
        cells = tuple((row.index, j) for j, _ in present) + ((row.index, target_cols[0]),)
        if s in targets:
            out.append(CheckFailure("row_work_sum", row.index, cells, s, s))
        elif all(v in targets for _, v in present):
            out.append(CheckFailure("row_work_repeat", row.index, cells, s, s))
        else:
            out.append(CheckFailure("row_work_sum", row.index, cells, min(targets), s))
    group: list[Row] = []
    for row in rows:
        if row.kind == "item":
            group.append(row)
        elif row.kind == "total":
            for j in sum_cols:
                tot = _val(by_index, row.index, j, override)
                vals = [(g.index, _val(by_index, g.index, j, override)) for g in group]
                present = [(i, v) for i, v in vals if v is not None]
                if tot is None and not present:
                    continue
                s = sum((v for _, v in present), Decimal(0))
                expected = tot if tot is not None else Decimal(0)
                if tot is None and s == 0:
                    expected = Decimal(-1)   # a total row left blank under figures: never a pass
                out.append(CheckFailure("column_budget_sum", row.index, tuple((i, j) for i, _ in present) + ((row.index, j),), expected, s))
            group = []
    return out


SUSPECT_CONF = 0.98   # in a failed check, only cells read with less confidence than this are suspected
CHECKED_CONF = 0.99   # confidence of a value the form's own arithmetic confirms
SUSPECT_CAP = 0.5     # most confidence left to a value suspected by a failed check
CHOSEN_CONF = 0.85   # confirmation by a sum that holds only with a value chosen by the arithmetic
STRAY_CONF = 0.5      # below this reader confidence, a value the checks hold without is a stray mark


OTHER_SCRIPT_CONF = 0.9     # below this, a reading in the other digit system alone is taken for a mark
OTHER_SCRIPT_MIN_DIGITS = 20
OTHER_SCRIPT_SHARE = 0.1


def mark_other_script(table: Table) -> int:
    """In a table written in Thai digits (at least OTHER_SCRIPT_MIN_DIGITS of them in its number cells, the
    Arabic ones at most OTHER_SCRIPT_SHARE of all), a number cell read as Arabic digits alone and with less
    confidence than OTHER_SCRIPT_CONF is a stamp, signature or speck the recognizer made a ``1`` or ``8`` of,
    not a figure of the form (on the second generated set 15 of 16 such readings stood where the form has
    no number): flagged ``stray_mark``, kept in the cells, left out of the records. The checks still count
    it, so that a figure misread that way (``๔`` as ``8``) still fails its sums and is flagged. And the
    same for Thai digits alone in a table written in Arabic digits. Returns how many were marked."""
    cells = [c for c in table.cells if c.role in NUMERIC_ROLES and not c.header and c.text_raw]
    thai, arabic = digit_counts(c.text_raw for c in cells)
    if thai + arabic < OTHER_SCRIPT_MIN_DIGITS or min(thai, arabic) > OTHER_SCRIPT_SHARE * (thai + arabic):
        return 0
    mine, other = (set(THAI_DIGITS), set(ARABIC_DIGITS)) if thai > arabic else (set(ARABIC_DIGITS), set(THAI_DIGITS))
    n = 0
    for c in cells:
        conf = c.read_confidence
        chars = set(c.text_raw)
        if conf is not None and conf < OTHER_SCRIPT_CONF and chars & other and not chars & mine:
            c.flag("stray_mark")
            n += 1
    return n


ECHO_TRUST = 0.9   # below this reader confidence, a reading Tesseract's contradicts (or malformed) is doubted
DOUBT_FLAGS = ("bad_grouping",)   # a digit group of the wrong length: a digit lost or added
ECHO_FAINT = 0.5   # an echo of cells all read below ECHO_TRUST, one below this and not read alike by Tesseract


def _doubted(cell: Optional[Cell]) -> bool:
    """Read unsure, and contradicted by Tesseract's reading (`digits.tesseract_contradicts`: its ๒ where
    the recognizer read ๑), or malformed (``๕,๕๐.๐๐``: a digit lost)."""
    from .ocr.digits import tesseract_contradicts

    return (cell is not None and (cell.read_confidence or 0.0) < ECHO_TRUST
            and (any(f in cell.flags for f in DOUBT_FLAGS) or tesseract_contradicts(cell.tesseract_text, cell.text)))


def doubted_echo(parts: list[Optional[Cell]], total: Optional[Cell]) -> bool:
    """A sum that holds as a mere echo: the total equals its one non-zero part, and both were read unsure
    and against Tesseract's digits or malformed (`_doubted`). An unseen font's ๙,๒๕๐ read ๙,๑๕๐ in an
    item and again in the total under it passes that sum; the pass says the same glyphs were read the same
    way twice, not that they were read right. Its cells are confirmed (``checked``) at `CHOSEN_CONF`, not
    `CHECKED_CONF` (on the benchmark's sets: one such cell, wrong, with each of two models that had not
    seen the font; none with the shipped model).

    So is an echo of two cells both read below `ECHO_TRUST` when one was read faintly (below `ECHO_FAINT`)
    and Tesseract did not read its digits alike (`_faint`): Tesseract cannot write ๘ or ๙, so it cannot
    contradict a ๙๕๐.๐๐ read ๘๕๐.๐๐ at 0.37 in an item and at 0.75 in the total under it (a model that had
    not seen the font, second generated set: that total was the one wrong cell at 0.99). Measured on both
    generated sets with the shipped model, the faint echo takes three right cells (read at 0.36-0.41) from
    0.99 to 0.85 and changes nothing else; an Arabic 8,350.50 read at 0.43 that Tesseract read alike
    stays firm."""
    live = [c for c in parts if c is not None and c.value]
    if len(live) != 1 or total is None:
        return False
    pair = live + [total]
    return (all((c.read_confidence or 0.0) < ECHO_TRUST for c in pair)
            and (all(_doubted(c) for c in pair) or any(_faint(c) for c in pair)))


def _faint(cell: Cell) -> bool:
    """Read with less confidence than `ECHO_FAINT`, and Tesseract did not read the same digits."""
    from .ocr.digits import same_digits

    return (cell.read_confidence or 0.0) < ECHO_FAINT and not same_digits(cell.tesseract_text, cell.text)


def apply_checks(rows: list[Row], layout: Layout, suspect_conf: float = SUSPECT_CONF,
                 money_decimals: Optional[int] = None) -> list[CheckFailure]:
    """Run the checks and let their outcome set the confidence of the cells involved.

    * A passing check (a sum that matches) confirms its cells; a cell confirmed by a passing check and
      involved in no failing one gets the flag ``checked`` and its confidence raised to `CHECKED_CONF`
      (the recognizer's own stays in ``ocr_confidence``); confirmed only by sums that hold with a value
      the arithmetic chose, or as a `doubted_echo`, at most `CHOSEN_CONF`.
    * A failing check suspects its cells that no passing check confirms and that were read with less
      confidence than `suspect_conf` (all its unconfirmed cells when none was): flag ``sum_mismatch``,
      confidence capped at `SUSPECT_CAP`.
    * Where the arithmetic pins down a suspected cell's value, it is recorded as ``suggested_value``
      (the value read is never overwritten): see `suggest_corrections`.

    A work check passed only because every month repeats the target (``row_work_repeat``) confirms
    nothing. Returns the failed checks."""
    checks = evaluate_checks(rows, layout)
    fails = [c for c in checks if c.expected != c.found]
    by_index = {r.index: r for r in rows}
    for r in rows:
        for cell in r.cells.values():
            if cell.ocr_confidence is None:
                cell.ocr_confidence = cell.confidence
    confirmed: set[tuple[int, int]] = set()
    for c in checks:
        if c.expected == c.found and c.name != "row_work_repeat":
            confirmed.update(c.cells)
    failed_cells = {rc for f in fails for rc in f.cells}
    chosen = {rc for r in rows for j, c in r.cells.items() if "chosen_by_sum" in c.flags for rc in [(r.index, j)]}
    # a sum that holds only with a value the arithmetic chose (`arith.choose_readings`) confirms its other
    # cells no more than that value itself; nor does a `doubted_echo`
    def at(rc):
        return by_index[rc[0]].cells.get(rc[1])
    firm = {rc for c in checks if c.expected == c.found and c.name != "row_work_repeat" and not chosen & set(c.cells)
            and not doubted_echo([at(k) for k in c.cells[:-1]], at(c.cells[-1])) for rc in c.cells}
    for rc in confirmed - failed_cells:
        cell = at(rc)
        if cell is not None and cell.value:   # a zero changes no sum: nothing confirms it
            cell.flag("checked")
            if cell.confidence is not None and rc not in chosen:
                cell.confidence = max(cell.confidence, CHECKED_CONF if rc in firm else CHOSEN_CONF)
    if not fails:
        return fails
    suspects: set[tuple[int, int]] = set()
    for f in fails:
        cells = [(rc, by_index[rc[0]].cells.get(rc[1])) for rc in f.cells if rc not in confirmed]
        cells = [(rc, c) for rc, c in cells if c is not None]
        doubtful = [rc for rc, c in cells if c.confidence is None or c.confidence < suspect_conf]
        suspects.update(doubtful or [rc for rc, _ in cells])
    for (r, j) in suspects:
        cell = by_index[r].cells[j]
        cell.flag("sum_mismatch")
        if cell.confidence is not None:
            cell.confidence = min(cell.confidence, SUSPECT_CAP)
    # a doubtful reading without which every check it takes part in holds is a mark (stamp, signature,
    # speck), not a planned value: flagged stray_mark, kept in the cells, left out of the records
    for (r, j) in sorted(suspects):
        cell = by_index[r].cells[j]
        read_conf = cell.read_confidence
        if cell.value is None or read_conf is None or read_conf >= STRAY_CONF:
            continue
        after = [k for k in evaluate_checks(rows, layout, {(r, j): None})
                 if (k.name.startswith("row") and k.row == r)
                 or (k.name == "column_budget_sum" and any(rc[1] == j for rc in k.cells))]
        mine = [k for k in fails if (r, j) in k.cells]
        if mine and after and all(k.expected == k.found for k in after):
            cell.flag("stray_mark")
    suggest_corrections(rows, layout, checks, fails, suspects, suspect_conf, money_decimals)
    return fails


def _implied(check: CheckFailure, rc: tuple[int, int], value: Decimal) -> Decimal:
    """The value cell rc (now ``value``) would need for a sum check to hold: the check's last cell is the
    total (target budget, total row), the others are the parts."""
    if rc == check.cells[-1]:
        return check.found
    return check.expected - (check.found - value)


def _digits(d: Decimal) -> int:
    return len(str(abs(d).quantize(Decimal(1))).lstrip("0") or "0")


def _alternative_values(cell: Cell, layout: Layout, col: int, money_decimals: Optional[int]) -> list[Decimal]:
    """The values of the recognizer's other readings of ``cell``, in its order, parsed in the column's context."""
    role = layout.roles[col].role if col in layout.roles else ""
    parsed = (numbers.parse_number(t, **number_context(role, money_decimals)) for t, _p in cell.alternatives)
    return [p.value for p in parsed if p is not None]


def suggest_corrections(rows: list[Row], layout: Layout, checks: list[CheckFailure], fails: list[CheckFailure],
                        suspects: set[tuple[int, int]], suspect_conf: float = SUSPECT_CONF,
                        money_decimals: Optional[int] = None) -> None:
    """Set ``suggested_value`` (flag ``suggestion``) on suspected cells whose correct value the arithmetic
    pins down; the value read is never changed. Two ways:

    * two equations: the cell is in a failing row budget check *and* a failing column (total row) check,
      both give it the same value, and that value has as many digits as the one read or is among the
      recognizer's readings (a misread glyph, not a missing figure);
    * one reading: changing only this cell to one of its recognizer's other readings makes every check of
      the table pass (and no other cell qualifies)."""
    by_index = {r.index: r for r in rows}
    budget_checks = ("row_budget_sum", "column_budget_sum")
    done = set()
    for rc in sorted(suspects):
        cell = by_index[rc[0]].cells.get(rc[1])
        if cell is None or cell.value is None or "stray_mark" in cell.flags:
            continue
        mine = [f for f in fails if rc in f.cells and f.name in budget_checks]
        if {f.name for f in mine} != set(budget_checks) or any(rc in c.cells for c in checks if c not in mine and c.name in budget_checks):
            continue
        vals = {_implied(f, rc, cell.value) for f in mine}
        if len(vals) != 1:
            continue
        v = vals.pop()
        if v <= 0 or v == cell.value:
            continue
        if _digits(v) != _digits(cell.value) and v not in _alternative_values(cell, layout, rc[1], money_decimals):
            continue
        after = [k for k in evaluate_checks(rows, layout, {rc: v}) if rc in k.cells]
        if after and all(k.expected == k.found for k in after):
            cell.suggested_value = v
            cell.flag("suggestion")
            done.add(rc)
    candidates = []
    for (r, j) in sorted(suspects - done):
        c = by_index[r].cells.get(j)
        read_conf = c.read_confidence if c is not None else None
        if c is None or (read_conf is not None and read_conf >= suspect_conf):
            continue
        for value in _alternative_values(c, layout, j, money_decimals):
            if value != c.value and not run_checks(rows, layout, {(r, j): value}):
                candidates.append((c, value))
                break
    if len(candidates) == 1 and not done:
        cell, value = candidates[0]
        cell.suggested_value = value
        cell.flag("suggestion")


# ------------------------------------------------------------------------------------------ records

def to_records(table: Table, layout: Layout, rows: list[Row], *, document: str, page: int, fiscal_year: Optional[int],
               agency: str, frac_of) -> list[Record]:
    out: list[Record] = []
    if not layout.found:
        return out
    parents: list[str] = []
    for row in rows:
        if row.kind not in ("item", "total"):
            continue
        for measure in ("work", "budget"):
            for fm, j in sorted(layout.month_cols(measure).items()):
                c = row.cells.get(j)
                if c is None or c.value is None or "stray_mark" in c.flags:
                    continue
                if c.value == 0:   # the forms write "-" for nothing planned; a lone 0 says the same
                    continue
                role = layout.roles[j]
                flags = list(c.flags) + [f for f in row.flags if f not in c.flags]
                if layout.continued:
                    flags.append("header_from_previous_page")
                if role.month_inferred and "month_inferred" not in flags:
                    flags.append("month_inferred")
                conf = c.confidence
                if conf is not None and role.month_confidence < 1.0:
                    conf = min(conf, max(role.month_confidence, 0.0)) if role.month_inferred else conf
                f = c.frac
                out.append(Record(
                    document=document, page=page, table=table.index, row=row.index,
                    fiscal_year=fiscal_year, agency=agency, activity_code=row.code, activity=row.activity,
                    row_kind=row.kind,
                    month=months.fiscal_to_gregorian(fiscal_year, fm) if fiscal_year else "",
                    fiscal_month=fm, quarter=months.fiscal_quarter(fm), measure=measure, value=c.value,
                    unit="baht" if measure == "budget" else (row.unit or ""),
                    confidence=conf, flags=flags, col=j, x0=f.x0, y0=f.y0, x1=f.x1, y1=f.y1,
                    text_raw=c.text_raw, suggested_value=c.suggested_value,
                ))
    return out
