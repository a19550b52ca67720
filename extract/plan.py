"""Interpretation of a plan-form activity table: column roles from the header, row kinds, activity codes,
records, and the arithmetic the form implies (row and column totals).

Pure functions over ``Table``s whose cells already hold text and values.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Optional

from .normalize import codes, months, numbers
from .types import Cell, CellKind, Record, Table

ROLE_ACTIVITY = "activity"
ROLE_TARGET = "target"
ROLE_TARGET_BUDGET = "target_budget"
ROLE_WORK = "work"
ROLE_BUDGET = "budget"
ROLE_RESPONSIBLE = "responsible"
NUMERIC_ROLES = {ROLE_TARGET, ROLE_TARGET_BUDGET, ROLE_WORK, ROLE_BUDGET}
MONEY_ROLES = (ROLE_BUDGET, ROLE_TARGET_BUDGET)


def number_context(role: str, money_decimals: Optional[int] = None) -> dict:
    """Keyword arguments for `numbers.parse_number` from what a column holds: amounts in baht have at
    most two decimals and counts none, so `max_decimals` is 2; money columns also get the table's
    satang convention (`decimals`)."""
    if role in MONEY_ROLES:
        return {"max_decimals": 2, "decimals": money_decimals}
    return {"max_decimals": 2}

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
        run = [c for c in run if c.text.strip() or c.col_span >= span]
        while len(run) < 12 and i1 + 1 < len(row_cells) and row_cells[i1 + 1].col_span == span:
            i1 += 1
            run.append(row_cells[i1])
        while len(run) < 12 and i0 - 1 >= 0 and row_cells[i0 - 1].col_span == span and span > 1:
            i0 -= 1
            run.insert(0, row_cells[i0])
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
        if len(cols) >= 2 and not all(kinds):
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


def normalize_header_cells(table: Table, layout: Layout) -> None:
    """Header cells whose meaning the layout decided get their canonical text (the raw text is kept):
    month headers their abbreviation, quarter headers `ไตรมาส N` from the months beneath them."""
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
        code, rest = codes.split_activity_code(text) if text else ("", "")
        has_numbers = any(c.value is not None for j, c in cells.items() if j in numeric_cols)
        wide = act is not None and act.col_span >= max(3, table.grid.n_cols // 2)
        if _TOTAL.match(text.replace(" ", "")) or (text.startswith("รวม")):
            kind = "total"
        elif wide or not has_numbers:
            kind = "section"
        else:
            kind = "item"
        unit = ""
        targets: tuple = ()
        for j in layout.cols_with(ROLE_TARGET):
            tc = cells.get(j)
            if tc is not None and tc.text:
                amounts = numbers.parse_amounts(tc.text)
                if amounts:
                    unit = amounts[0].unit
                    targets = (amounts[0].value, sum((a.value for a in amounts), Decimal(0)))
        rows.append(Row(r, kind, code, rest if code else text, cells, unit, targets))
    return rows


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
    """The arithmetic a plan form implies: each item's monthly budgets sum to its target budget; each
    total row's figures equal the sums of the item rows above it (since the previous total)."""
    fails: list[CheckFailure] = []
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
        if s != target:
            fails.append(CheckFailure("row_budget_sum", row.index, tuple((row.index, j) for j, _ in present) + ((row.index, tb_cols[0]),), target, s))
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
        if s in targets or all(v in targets for _, v in present):
            continue
        fails.append(CheckFailure("row_work_sum", row.index, tuple((row.index, j) for j, _ in present) + ((row.index, target_cols[0]),),
                                  min(targets), s))
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
                if tot is None or s != tot:
                    fails.append(CheckFailure("column_budget_sum", row.index, tuple((i, j) for i, _ in present) + ((row.index, j),), tot if tot is not None else Decimal(0), s))
            group = []
    return fails


SUSPECT_CONF = 0.98   # in a failed check, only cells read with less confidence than this are suspected


def apply_checks(rows: list[Row], layout: Layout, suspect_conf: float = SUSPECT_CONF,
                 money_decimals: Optional[int] = None) -> list[CheckFailure]:
    """Run the checks and flag `sum_mismatch` on the cells that may have caused a failure: the involved
    cells read with confidence below `suspect_conf`, or all involved cells when none is. Where changing
    exactly one suspected cell to its recognizer's next-best reading makes every check pass, record that
    reading as a suggestion."""
    fails = run_checks(rows, layout)
    if not fails:
        return fails
    by_index = {r.index: r for r in rows}
    suspects: set[tuple[int, int]] = set()
    for f in fails:
        cells = [(rc, by_index[rc[0]].cells.get(rc[1])) for rc in f.cells]
        doubtful = [rc for rc, c in cells if c is not None and (c.confidence is None or c.confidence < suspect_conf)]
        suspects.update(doubtful or [rc for rc, c in cells if c is not None])
    for (r, j) in suspects:
        by_index[r].cells[j].flag("sum_mismatch")
    involved = suspects
    candidates = []
    for (r, j) in sorted(involved):
        c = by_index[r].cells.get(j)
        if c is None or (c.confidence is not None and c.confidence >= suspect_conf):
            continue
        for alt_text, _p in c.alternatives:
            role = layout.roles[j].role if j in layout.roles else ""
            parsed = numbers.parse_number(alt_text, **number_context(role, money_decimals))
            if parsed is None or parsed.value == c.value:
                continue
            if not run_checks(rows, layout, {(r, j): parsed.value}):
                candidates.append((c, parsed.value))
                break
    if len(candidates) == 1:
        cell, value = candidates[0]
        cell.suggested_value = value
        cell.flag("suggestion")
    return fails


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
                if c is None or c.value is None:
                    continue
                role = layout.roles[j]
                flags = list(c.flags)
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
