"""The form's arithmetic as a reader: where a sum check fails, choose among the unsure cells' other
readings the one that makes it hold.

A reader's best reading of a blurred ``๒,๘๐๐`` may be ``๒,๑๐๐`` with ``๒,๘๐๐`` as its second choice. The
form says which: its monthly budgets add up to the target budget and its total rows to the items above
them (`plan.evaluate_checks`). This stage tries, for cells read with less confidence than `CHOOSE_BELOW`,
the readings the readers themselves offered:

* the recognizer's other readings (``Cell.alternatives``) of probability at least `MIN_ALT_P`;
* Tesseract's reading (``Cell.tesseract_text``), when it parses in the column's context;
* each space-separated part of a reading that joined parts (``๖ ๑``: a speck beside ``๑``). (A dash
  stuck to a figure, ``๑-``, needs no reading of its own: the number parser reads plan figures without
  it, `numbers.parse_number`'s ``unsigned``.)

A cell read blank is tried when the recognizer offered another reading of it.

A cell read surely (at least `CHOOSE_BELOW`) is tried with Tesseract's reading, where the two
disagree: the recognizer can be confidently wrong (a stamp over a ๑ makes it a ๖), and Tesseract reads
๐ ๑ ๒ ๓ ๕ right nearly always. Below `plan.SUSPECT_CONF`, its other readings are tried too, but only
where one of them alone mends two checks at once (a ``๗,๑๐๐`` read ``๓,๑๐๐`` at 0.92, its row and its
column both short by 4,000).

A change is taken when it makes failing checks hold, breaks no check that held, and no other change
does as well for the same checks (ambiguity leaves the cell as it was). First single cells, then pairs of
cells within one failing check (pulling the same way when that check is all they mend), then
(`_solve_checks`) a check still failing as a whole: every way of giving its doubtful cells their own or
one of their offered readings is counted, and when exactly one makes it hold (changing at most
`MAX_SOLVE_CHANGES` cells, the parts it changes all moving the same way, breaking no held check, trusted
by `_solution_trusted`), that one is taken. Three monthly ``๑,๗๕๐`` read ``๑,๒๕๐``, each with ``๑,๗๕๐``
among its readings, under a target read right: only the three changed together make the row hold, no
single change or pair does. Changes pulling opposite ways are refused because one wrong change can make
up for another: a column whose ๖,๔๐๐ was read ๒,๕๐๐ (๖,๔๐๐ not offered) held with ๖,๕๐๐ and a right
๒,๘๐๐.๕๐ made ๒,๗๐๐.๕๐, +4,000 and -100 (refusing them mended 2 cells on the generated sets, broke
none). Where the change mends a single check, the other cells of that check that nothing confirms (no
holding check, no agreeing Tesseract reading) must be surer than the changed one; in a count row, and for
a sure cell, sure outright. A value never comes from the arithmetic alone: the suggestion stage
(`plan.suggest_corrections`) handles values no reader offered, without overwriting.

A chosen value gets the flag ``chosen_by_sum``; the reading it replaced is kept first in
``alternatives`` and in ``text_raw``; its confidence is at most `CHOSEN_CONF` (the arithmetic picked it,
the reader did not prefer it)."""
from __future__ import annotations

from decimal import Decimal
from itertools import combinations
from typing import Optional

from . import plan
from .normalize import numbers
from .types import Cell, CellKind

CHOOSE_BELOW = 0.9     # cells read at least this sure keep their reading
CHOSEN_CONF = plan.CHOSEN_CONF   # most confidence of a value the arithmetic chose among the readings
MAX_READINGS = 4       # other readings tried per cell
MIN_ALT_P = 0.02       # recognizer readings less likely than this are not tried
MAX_PAIR_CHANGES = 60  # candidate changes in one check above which pairs are not tried
MAX_SOLVE_CHANGES = 5  # most cells one solved check may change (4 -> 5: second generated set +4 cells, none broken)
BREAK_TIES = True     # a check several ways mend: the way the readings favour (`_break_tie`), if one is
TIE_GUARD = True      # ... and only as a single change is taken (`_tie_trusted`); without it, on the held-out
                      # Sawasdee page, 3 cells mended and 3 right ones broken
MAX_SOLVE_SUMS = 20000  # partial sums kept while counting a check's solutions; beyond, the check is left

Change = tuple[tuple[int, int], Decimal, str]   # (row, col), value, the reading's text
CheckKey = tuple[str, int, tuple[int, int]]


def _key(c: plan.CheckFailure) -> CheckKey:
    return (c.name, c.row, c.cells[-1])


def _failing(rows: list[plan.Row], layout: plan.Layout, override: dict) -> tuple[set[CheckKey], set[CheckKey]]:
    """The keys of the checks that fail and of those that hold, with ``override`` applied."""
    checks = plan.evaluate_checks(rows, layout, override)
    return ({_key(c) for c in checks if c.expected != c.found}, {_key(c) for c in checks if c.expected == c.found})


def _role(layout: plan.Layout, col: int) -> str:
    return layout.roles[col].role if col in layout.roles else ""


def readings(cell: Cell, role: str, money_decimals: Optional[int]) -> list[tuple[Decimal, str]]:
    """The values the readers offered for ``cell`` other than its own, in order: recognizer's other
    readings, Tesseract's reading, the parts of a reading with spaces."""
    ctx = plan.number_context(role, money_decimals)
    texts = [t for t, p in cell.alternatives[:MAX_READINGS] if p >= MIN_ALT_P]
    if cell.tesseract_text:
        texts.append(cell.tesseract_text)
    raw = cell.text_raw or cell.text
    parts = raw.split()
    if len(parts) > 1:
        texts.extend(parts)
    out: list[tuple[Decimal, str]] = []
    seen = {cell.value}
    for t in texts:
        p = numbers.parse_number(t, **ctx)
        if p is None or p.is_percent or p.value <= 0 or p.value in seen:
            continue
        seen.add(p.value)
        out.append((p.value, t))
    return out


def _tesseract_value(cell: Cell, role: str, money_decimals: Optional[int]) -> Optional[Decimal]:
    p = numbers.parse_number(cell.tesseract_text, **plan.number_context(role, money_decimals)) if cell.tesseract_text else None
    return None if p is None or p.is_percent else p.value


def _corroborated(cell: Optional[Cell], layout: plan.Layout, col: int, money_decimals: Optional[int]) -> bool:
    """Tesseract read the same value as the recognizer (it cannot write ๔ ๖ ๗ ๘ ๙, so those never are)."""
    if cell is None or cell.value is None:
        return False
    return _tesseract_value(cell, _role(layout, col), money_decimals) == cell.value


def _candidates(rows: list[plan.Row], layout: plan.Layout, money_decimals: Optional[int],
                failing_cols: set[int], failing_rows: set[int],
                two_only: set | None = None) -> dict[tuple[int, int], list[tuple[Decimal, str]]]:
    """The readings tried per cell of the failing checks; a sure cell's readings other than Tesseract's are
    added to ``two_only`` as (row, col, value): taken only where they mend two checks at once."""
    two_only = set() if two_only is None else two_only
    check_cols = set(layout.month_cols(plan.ROLE_BUDGET).values()) | set(layout.month_cols(plan.ROLE_WORK).values()) \
        | set(layout.cols_with(plan.ROLE_TARGET_BUDGET))
    out = {}
    for row in rows:
        if row.kind not in ("item", "total"):
            continue
        for j, cell in row.cells.items():
            if j not in check_cols or (row.index not in failing_rows and j not in failing_cols):
                continue
            if "stray_mark" in cell.flags or (cell.kind not in (CellKind.NUMBER, CellKind.TEXT)
                                               and not (cell.kind == CellKind.EMPTY and cell.alternatives)):
                continue   # a cell read blank is tried only when the recognizer saw something there
            role = _role(layout, j)
            if _read_conf(cell) >= CHOOSE_BELOW:   # a sure reading: Tesseract's, where they disagree; the
                tess = _tesseract_value(cell, role, money_decimals)   # others only to mend row and column
                rs = [(tess, cell.tesseract_text)] if tess is not None and tess > 0 and tess != cell.value else []
                if _read_conf(cell) < plan.SUSPECT_CONF:   # not above suspicion (see plan.apply_checks)
                    rs += [(v, t) for v, t in readings(cell, role, money_decimals) if v != tess and (v, t) not in rs]
                    two_only.update((row.index, j, v) for v, t in rs if v != tess)
            else:
                rs = readings(cell, role, money_decimals)
            if rs:
                out[(row.index, j)] = rs
    return out


def choose_readings(rows: list[plan.Row], layout: plan.Layout, money_decimals: Optional[int] = None) -> list[Change]:
    """Apply the changes the arithmetic decides (see the module docstring); returns them."""
    override: dict = {}
    chosen: list[Change] = []
    ambiguous: set[CheckKey] = set()
    by_index = {r.index: r for r in rows}
    for size in (1, 2):
        progress = True
        while progress:
            progress = False
            checks = plan.evaluate_checks(rows, layout, override)
            fail_checks = [c for c in checks if c.expected != c.found]
            if not fail_checks:
                break
            fcols = {rc[1] for c in fail_checks if c.name == "column_budget_sum" for rc in c.cells}
            frows = {c.row for c in fail_checks if c.name != "column_budget_sum"}
            two_only: set = set()
            cands = _candidates(rows, layout, money_decimals, fcols, frows, two_only)
            for rc in list(cands):
                if rc in override:
                    del cands[rc]
            good = [(ch, f) for ch, f in _good_changes(rows, layout, override, checks, cands, size, by_index, money_decimals)
                    if not f & ambiguous and (len(f) >= 2 or not any((rc[0], rc[1], v) in two_only for rc, v, _t in ch))]
            if not good:
                break
            best = max(len(f) for _, f in good)
            top = [(ch, f) for ch, f in good if len(f) == best]
            taken = _unambiguous(top)[:1]   # one at a time: the next is weighed with this one made
            for changes, _fixed in taken:
                for rc, v, t in changes:
                    override[rc] = v
                    chosen.append((rc, v, t))
                progress = True
            if not taken:   # every best change competes with another for the same checks: leave those checks
                for _ch, f in top:
                    ambiguous.update(f)
                progress = True
    _solve_checks(rows, layout, money_decimals, override, chosen, by_index)
    for rc, v, t in chosen:
        cell = by_index[rc[0]].cells[rc[1]]
        old = (cell.text_raw or cell.text, cell.read_confidence or 0.0)
        cell.alternatives = [old] + [a for a in cell.alternatives if a[0] != t]
        if cell.ocr_confidence is None:
            cell.ocr_confidence = cell.confidence
        cell.value, cell.text, cell.kind = v, t, CellKind.NUMBER
        cell.confidence = min(cell.confidence if cell.confidence is not None else CHOSEN_CONF, CHOSEN_CONF)
        cell.flags = [f for f in cell.flags if f != "unparsed"]
        cell.flag("chosen_by_sum")
        if rc[1] in layout.cols_with(plan.ROLE_TARGET):   # a count row's target: what its months add up to
            amounts = numbers.parse_amounts(t)
            if amounts:
                by_index[rc[0]].target_counts = (amounts[0].value, sum((a.value for a in amounts), Decimal(0)))
    return chosen


def _read_conf(cell: Optional[Cell]) -> float:
    if cell is None:
        return 1.0
    c = cell.read_confidence
    return 1.0 if c is None else c


def _own(by_index, override, rc) -> Optional[Decimal]:
    cell = by_index[rc[0]].cells.get(rc[1])
    return override.get(rc, cell.value if cell is not None else None)


def _unconfirmed(rcs, changed, confirmed, by_index, layout, money_decimals) -> list[tuple[int, int]]:
    """The cells of ``rcs`` a change leaves as read that neither a holding check (``confirmed``) nor
    Tesseract's same reading confirms: the ones that must be surer than the cells changed."""
    return [rc for rc in rcs if rc not in changed and rc not in confirmed
            and not _corroborated(by_index[rc[0]].cells.get(rc[1]), layout, rc[1], money_decimals)]


def _good_changes(rows, layout, override, checks, cands, size, by_index, money_decimals=None):
    """Changes of ``size`` cells that fix at least one failing check and break none that held, each with
    the set of checks it fixes. A change that fixes a single check must be to its least sure reading
    (of the cells that neither a holding check nor Tesseract's same reading confirms); in a count row,
    and when the changed reading was itself sure, to its only doubtful one: with two doubtful cells in
    one sum, a change to one can compensate the other's error, and small counts compensate easily (a ๓
    for a ๑ where a ๘ stands for ๖). One cell's change that fixes two checks (its row and its column,
    each off by just that much) is evidence enough, even of a sure reading."""
    good = []
    fail_checks = [c for c in checks if c.expected != c.found]
    fails = {_key(c) for c in fail_checks}
    passes = {_key(c) for c in checks if c.expected == c.found}
    confirmed = {rc for c in checks if c.expected == c.found and c.name != "row_work_repeat" for rc in c.cells}
    fail_by_key = {_key(c): c for c in fail_checks}
    if size == 1:
        options = [((rc, v, t),) for rc, rs in cands.items() for v, t in rs]
    else:
        options = []
        for f in fail_checks:
            mine = [(rc, v, t) for rc in f.cells if rc in cands for v, t in cands[rc]]
            if f.name != "column_budget_sum":   # an unparsed cell of the row is in no check's list yet
                mine += [(rc, v, t) for rc, rs in cands.items() if rc[0] == f.row and rc not in f.cells for v, t in rs]
            if len(mine) > MAX_PAIR_CHANGES:
                continue
            options += [(a, b) for a, b in combinations(mine, 2) if a[0] != b[0]]
    seen = set()
    for ch in options:
        key = tuple(sorted((rc, v) for rc, v, _ in ch))
        if key in seen:
            continue
        seen.add(key)
        trial = dict(override)
        trial.update({rc: v for rc, v, _ in ch})
        f2, p2 = _failing(rows, layout, trial)
        if not (passes <= p2) or not (f2 < fails):
            continue
        fixed = fails - f2
        changed = {rc for rc, _v, _t in ch}
        confs = [_read_conf(by_index[rc[0]].cells.get(rc[1])) for rc in changed]
        worst = max(confs)
        sure = worst >= CHOOSE_BELOW   # a sure reading changed: every other must be sure too, unless one
        if len(fixed) < 2 or (sure and size > 1):   # cell's change mends its row and its column at once
            others = _unconfirmed([rc for k in fixed if k in fail_by_key for rc in fail_by_key[k].cells],
                                  changed, confirmed, by_index, layout, money_decimals)
            bar = {k[0] for k in fixed}
            need = CHOOSE_BELOW if sure or any(b.startswith("row_work") for b in bar) else worst
            if any(_read_conf(by_index[rc[0]].cells.get(rc[1])) < need for rc in others):
                continue
        if size == 2 and len(fixed) == 1 and len({v > o for rc, v, _t in ch
                                                    if (o := _own(by_index, override, rc)) is not None}) > 1:
            continue   # two changes to one check pulling opposite ways: one may be making up for the other
        if size == 2 and any(not ({_key(c) for c in fail_checks if rc in c.cells} & fixed) for rc, _v, _t in ch
                             if any(rc in c.cells for c in fail_checks)):
            continue   # each changed cell must take part in what the pair fixes
        good.append((ch, frozenset(fixed)))
    return good


def _unambiguous(top):
    """The changes among ``top`` that no other change competes with (another change, to other values or
    other cells, that fixes any of the same checks)."""
    out = []
    for i, (ch, f) in enumerate(top):
        rivals = [g for k, (ch2, g) in enumerate(top) if k != i and g & f and set(ch2) != set(ch)]
        if not rivals:
            out.append((ch, f))
    return out


_SUM_CHECKS = ("row_budget_sum", "row_work_sum", "column_budget_sum")
_KEEP = "keep"


def _domain(cell: Optional[Cell], rc, layout, money_decimals, override, confirmed) -> list[tuple[Decimal, str]]:
    """The values ``cell`` may take in a solution: its own first, then (when it is doubtful, unconfirmed,
    not chosen already and not a stray mark) the readings the readers offered."""
    own = override.get(rc, cell.value if cell is not None else None)
    out = [(own, _KEEP)]
    if (cell is None or rc in override or rc in confirmed or "stray_mark" in cell.flags
            or _read_conf(cell) >= CHOOSE_BELOW):
        return out
    return out + [(v, t) for v, t in readings(cell, _role(layout, rc[1]), money_decimals) if v != own]


def _count_solutions(parts: list[list[tuple[Decimal, str]]], totals: list[tuple[object, str]], fewest: bool = False,
                     weights: Optional[list[int]] = None):
    """How many assignments of one value per part (and one total) make the parts add up to the total,
    counted up to 2, with the first found; None when the partial sums exceed MAX_SOLVE_SUMS. A total is a
    set of values (a count row's target may be any of several) or a single value. With ``fewest``, only the
    assignments changing the fewest cells count (a part other than its first value changes ``weights[k]``
    cells, 1 by default; a total other than its first, one)."""
    weights = weights or [1] * len(parts)
    inf = 1 << 30
    # partial sum -> (cells changed, ways counted up to 2, the first way); with ``fewest`` only the ways
    # changing fewest cells are kept per sum, otherwise all (changed stays 0)
    sums: dict[Decimal, tuple[int, int, tuple[int, ...]]] = {Decimal(0): (0, 1, ())}
    for dom, w in zip(parts, weights):
        nxt: dict[Decimal, tuple[int, int, tuple[int, ...]]] = {}
        for s, (c, n, pick) in sums.items():
            for k, (v, _t) in enumerate(dom):
                key, c2 = s + v, c + (w if k and fewest else 0)
                c0, m, first = nxt.get(key, (inf, 0, ()))
                if c2 < c0:
                    nxt[key] = (c2, n, pick + (k,))
                elif c2 == c0:
                    nxt[key] = (c0, min(2, m + n), first)
        if len(nxt) > MAX_SOLVE_SUMS:
            return None
        sums = nxt
    best, count, found = inf, 0, None
    for ti, (tv, _t) in enumerate(totals):
        for v in (tv if isinstance(tv, (set, frozenset)) else {tv}):
            if v in sums:
                c, n, pick = sums[v]
                c += 1 if ti and fewest else 0
                if c < best:
                    best, count, found = c, n, (pick, ti)
                elif c == best:
                    count += n
    return min(count, 2), found


def _break_tie(parts, totals, cells, rcs, override):
    """Among several ways of making a check hold (`_count_solutions` counted 2), the one the readings
    favour, if one is: ``(1, (pick, ti))`` as `_count_solutions` gives it, else None. Two steps:

    * cells read as the same text (``๔,๕๕๐`` four times in a row, each doubtful) take one value together,
      one every one of them was offered: a way giving like readings different values (two ``๔,๕๕๐`` kept,
      two made ``๔,๔๕๐`` and a ``๕,๖๕๐`` made ``๕,๐๕๐``) has nothing in the readings to prefer it;
    * if that leaves several ways (or no two cells were read alike), the one changing fewest cells (a
      group, as many cells as it has), when only one does.

    The way found must pass `_tie_trusted` as well (see there)."""
    groups: dict[str, list[int]] = {}
    for k, (cell, rc, dom) in enumerate(zip(cells, rcs, parts)):
        if cell is not None and len(dom) > 1 and rc not in override and cell.text:
            groups.setdefault(cell.text, []).append(k)
    in_group = {k for ks in groups.values() if len(ks) > 1 for k in ks}
    members = [[k] for k in range(len(parts)) if k not in in_group] + [ks for ks in groups.values() if len(ks) > 1]
    grouped = []
    for ks in members:
        common = [(v, t) for v, t in parts[ks[0]] if all(any(v == w for w, _ in parts[k]) for k in ks[1:])]
        grouped.append([(v * len(ks), t) for v, t in common])
    counted = _count_solutions(grouped, totals) if in_group else None
    if counted is None or counted[0] == 2:
        counted = _count_solutions(grouped, totals, fewest=True, weights=[len(ks) for ks in members])
    if counted is None or counted[0] != 1:
        return None
    gpick, ti = counted[1]
    pick = [0] * len(parts)
    for ks, dom, g in zip(members, grouped, gpick):
        v = dom[g][0] / len(ks)
        for k in ks:
            pick[k] = next(i for i, (w, _t) in enumerate(parts[k]) if w == v)
    return 1, (tuple(pick), ti)


def _tie_trusted(chk, change, by_index, layout, money_decimals, confirmed) -> bool:
    """A way chosen by `_break_tie` is taken only as a single change is (`_good_changes`): every cell of
    the check it leaves as read, that no holding check and no agreeing Tesseract reading confirms, must
    be surer than every cell it changes. Where the truth of a cell was never offered, the fewest changes
    can mend the sum with a wrong one: a row whose ``๘,๒๐๐`` were read ``๘,๖๐๐``, ``๘,๖๐๐`` and
    ``๘,๐๐๐`` (+600 in all, ``๘,๒๐๐`` not offered) held with its ``๑,๗๐๐`` made ``๑,๑๐๐``, a surer
    reading than one of the misread ones."""
    changed = {rc for rc, _v, _t in change}
    worst = max(_read_conf(by_index[rc[0]].cells.get(rc[1])) for rc in changed)
    left = [by_index[rc[0]].cells.get(rc[1]) for rc in
            _unconfirmed(chk.cells, changed, confirmed, by_index, layout, money_decimals)]
    return all(_read_conf(cell) > worst for cell in left if cell is not None and cell.value is not None)


def _solution_trusted(chk, layout, money_decimals, by_index, domains, change) -> bool:
    """A check's only solution counts only if no cell of it was left out of the count that might hold
    another figure: a stray mark in the check (kept as read, it may be a misread figure: ``๔`` read ``8``,
    with ``๕`` offered), or a month cell of a row check without a value where something was read that
    did not parse (``«๑.``), there is ink or the recognizer offered a figure (its value is missing from
    the sum). In a count row, moreover, every doubtful count the solution leaves as read (and nothing
    confirms) must have had no other reading to offer, as the pairs must leave only sure ones: small
    counts compensate easily (a ๒ left as read where the truth, ๑, was not offered makes a right ๒ into a
    ๑, and the wrong one, confirmed by the sum, leaves review). Letting such a count stay when it is surer
    than the cells changed was measured (5 more cells mended on the two generated sets, none broken) and
    not taken: it is open to that hazard."""
    if any("stray_mark" in by_index[r].cells[j].flags for r, j in chk.cells if j in by_index[r].cells):
        return False
    if chk.name == "row_work_sum":
        changed = {rc for rc, _v, _t in change}
        for rc, dom in zip(chk.cells, domains):
            cell = by_index[rc[0]].cells.get(rc[1])
            if (rc not in changed and len(dom) > 1 and _read_conf(cell) < CHOOSE_BELOW
                    and not _corroborated(cell, layout, rc[1], money_decimals)):
                return False
    if chk.name != "column_budget_sum":
        role = plan.ROLE_WORK if chk.name == "row_work_sum" else plan.ROLE_BUDGET
        for j in layout.month_cols(role).values():
            cell = by_index[chk.row].cells.get(j)
            if cell is not None and cell.value is None and (
                    (cell.text_raw or cell.text).strip(" -–—") or "ink_unread" in cell.flags
                    or readings(cell, role, money_decimals)):
                return False
    return True


def _solve_checks(rows, layout, money_decimals, override, chosen, by_index) -> None:
    """Mend each still-failing sum check that exactly one assignment of its cells' readings makes hold
    (see the module docstring); ``override`` and ``chosen`` are extended in place."""
    tried: set[CheckKey] = set()   # checks counted since the last change
    progress = True
    while progress:
        progress = False
        checks = plan.evaluate_checks(rows, layout, override)
        fails = {_key(c) for c in checks if c.expected != c.found}
        passes = {_key(c) for c in checks if c.expected == c.found}
        confirmed = {rc for c in checks if c.expected == c.found and c.name != "row_work_repeat" for rc in c.cells}
        for chk in checks:
            key = _key(chk)
            if chk.expected == chk.found or chk.name not in _SUM_CHECKS or key in tried:
                continue
            tried.add(key)
            *part_rcs, total_rc = chk.cells
            parts = [_domain(by_index[r].cells.get(j), (r, j), layout, money_decimals, override, confirmed)
                     for r, j in part_rcs]
            totals = _domain(by_index[total_rc[0]].cells.get(total_rc[1]), total_rc, layout, money_decimals,
                             override, confirmed)
            if chk.name == "row_work_sum" and total_rc not in override:
                totals[0] = (frozenset(by_index[chk.row].target_counts), _KEEP)   # any of the row's targets
            if chk.name == "column_budget_sum" and totals[0][0] is None:
                continue   # a total row left blank: nothing to solve for
            if all(len(d) == 1 for d in parts) and len(totals) == 1:
                continue
            counted = _count_solutions(parts, totals)
            tie = counted is not None and counted[0] == 2 and BREAK_TIES
            if tie:   # several ways: the one the readings favour, if one is
                counted = _break_tie(parts, totals, [by_index[r].cells.get(j) for r, j in part_rcs], part_rcs,
                                     override)
            if counted is None or counted[0] != 1:
                continue
            pick, ti = counted[1]
            change = [(rc, *dom[k]) for rc, dom, k in zip(part_rcs, parts, pick) if k]
            if ti:
                change.append((total_rc, *totals[ti]))
            if not change or len(change) > MAX_SOLVE_CHANGES:
                continue
            own = {rc: dom[0][0] for rc, dom in zip(part_rcs, parts)}
            if len({v > own[rc] for rc, v, _t in change if own.get(rc) is not None}) > 1:
                continue   # the changes pull opposite ways: one wrong change may be making up for another
            if not _solution_trusted(chk, layout, money_decimals, by_index, parts + [totals], change):
                continue
            if tie and TIE_GUARD and not _tie_trusted(chk, change, by_index, layout, money_decimals, confirmed):
                continue
            trial = dict(override)
            trial.update({rc: v for rc, v, _t in change})
            f2, p2 = _failing(rows, layout, trial)
            if not passes <= p2 or not f2 < fails:
                continue
            for rc, v, t in change:
                override[rc] = v
                chosen.append((rc, v, t))
            tried.clear()   # the change may confirm cells of other checks: count them again
            progress = True
            break
