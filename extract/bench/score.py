"""Scoring extracted cells and records against the generator's ground truth.

All functions take plain rows (dicts as written to cells/records) and the truth JSON, so the project
and any peer are scored by the same code.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from ..normalize.digits import thai_to_arabic
from ..review import REVIEW_FLAGS   # what sends a numeric cell to a reviewer


def _dec(v) -> Decimal | None:
    if v is None or v == "":
        return None
    try:
        return Decimal(str(v)).normalize()
    except InvalidOperation:
        return None


def iou(a: tuple, b: tuple) -> float:
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    if w <= 0 or h <= 0:
        return 0.0
    inter = w * h
    ua = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / ua if ua > 0 else 0.0


def levenshtein(a: str, b: str) -> int:
    if a == b:
        return 0
    if len(a) < len(b):
        a, b = b, a
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def _norm_text(s: str) -> str:
    return " ".join((s or "").split())


@dataclass
class Tally:
    """Counts that add up across pages and strata."""

    truth_cells: int = 0
    pred_cells: int = 0
    matched_cells: int = 0
    header_cells: int = 0
    header_spans_ok: int = 0
    spans_ok: int = 0
    numeric_cells: int = 0
    numeric_exact: int = 0
    numeric_hi_conf: int = 0
    numeric_hi_conf_exact: int = 0
    numeric_flagged: int = 0
    numeric_wrong: int = 0
    numeric_wrong_flagged: int = 0
    text_chars: int = 0
    text_edits: int = 0
    text_edits_raw: int = 0
    rec_truth: int = 0
    rec_pred: int = 0
    rec_tp: int = 0
    header_fields: int = 0
    header_fields_ok: int = 0
    month_headers: int = 0
    month_headers_ok: int = 0
    pages: int = 0
    tables_found: int = 0
    tables_truth: int = 0

    def add(self, o: "Tally") -> None:
        for k in self.__dataclass_fields__:
            setattr(self, k, getattr(self, k) + getattr(o, k))

    def summary(self) -> dict:
        def r(a, b):
            return round(a / b, 4) if b else None

        p, rc = r(self.rec_tp, self.rec_pred), r(self.rec_tp, self.rec_truth)
        f1 = round(2 * p * rc / (p + rc), 4) if p and rc else (0.0 if (self.rec_pred or self.rec_truth) else None)
        return {
            "pages": self.pages,
            "cell_precision": r(self.matched_cells, self.pred_cells),
            "cell_recall": r(self.matched_cells, self.truth_cells),
            "spans_correct": r(self.spans_ok, self.matched_cells),
            "header_spans_correct": r(self.header_spans_ok, self.header_cells),
            "numeric_exact": r(self.numeric_exact, self.numeric_cells),
            "numeric_cells": self.numeric_cells,
            "numeric_hi_conf_share": r(self.numeric_hi_conf, self.numeric_cells),
            "numeric_hi_conf_exact": r(self.numeric_hi_conf_exact, self.numeric_hi_conf),
            "flagged_share": r(self.numeric_flagged, self.numeric_cells),
            "wrong_flagged": r(self.numeric_wrong_flagged, self.numeric_wrong),
            "text_cer": r(self.text_edits, self.text_chars),
            "text_cer_raw": r(self.text_edits_raw, self.text_chars),
            "records_precision": p, "records_recall": rc, "records_f1": f1,
            "header_field_accuracy": r(self.header_fields_ok, self.header_fields),
            "month_header_correct": r(self.month_headers_ok, self.month_headers),
        }


def score_cells(truth_page: dict, pred_cells: list[dict], *, low_conf: float = 0.9) -> Tally:
    """Match predicted cells to truth cells of one page (IoU >= 0.5, one-to-one, best first)."""
    t = Tally(pages=1)
    truth = [c for tb in truth_page["tables"] for c in tb["cells"]]
    t.tables_truth = len(truth_page["tables"])
    t.tables_found = len({c.get("table") for c in pred_cells})
    t.truth_cells = len(truth)
    t.pred_cells = len(pred_cells)
    pairs = []
    for i, tc in enumerate(truth):
        tb = (tc["x0"], tc["y0"], tc["x1"], tc["y1"])
        for j, pc in enumerate(pred_cells):
            v = iou(tb, (pc["x0"], pc["y0"], pc["x1"], pc["y1"]))
            if v >= 0.5:
                pairs.append((v, i, j))
    pairs.sort(reverse=True)
    used_t, used_p = set(), set()
    match: dict[int, int] = {}
    for v, i, j in pairs:
        if i in used_t or j in used_p:
            continue
        used_t.add(i)
        used_p.add(j)
        match[i] = j
    t.matched_cells = len(match)
    for i, tc in enumerate(truth):
        is_header = tc.get("kind") == "header"
        if is_header:
            t.header_cells += 1
        j = match.get(i)
        pc = pred_cells[j] if j is not None else None
        if pc is not None and pc["row_span"] == tc["row_span"] and pc["col_span"] == tc["col_span"]:
            t.spans_ok += 1
            if is_header:
                t.header_spans_ok += 1
        kind = tc.get("kind")
        if kind == "number":
            t.numeric_cells += 1
            tv = _dec(tc.get("value"))
            pv = _dec(pc.get("value")) if pc is not None else None
            ok = pv is not None and tv is not None and pv == tv
            conf = pc.get("confidence") if pc is not None else None
            flags = (pc.get("flags") or "") if pc is not None else ""
            flagged = pc is None or bool(flags and any(f in flags for f in REVIEW_FLAGS))
            t.numeric_exact += ok
            if pc is not None and conf is not None and conf >= low_conf:
                t.numeric_hi_conf += 1
                t.numeric_hi_conf_exact += ok
            t.numeric_flagged += flagged
            if not ok:
                t.numeric_wrong += 1
                t.numeric_wrong_flagged += flagged
        elif kind in ("text", "header") and tc.get("text"):
            truth_text = _norm_text(tc["text"])
            pred = _norm_text(pc.get("text", "")) if pc is not None else ""
            raw = _norm_text(pc.get("text_raw", "")) if pc is not None else ""
            t.text_chars += len(truth_text)
            t.text_edits += levenshtein(pred, truth_text)
            t.text_edits_raw += levenshtein(raw, truth_text)
    return t


def record_key(r: dict) -> tuple:
    return (thai_to_arabic(str(r.get("activity_code") or "")), str(r.get("month") or ""), r.get("measure"),
            _dec(r.get("value")))


def score_records(truth_records: list[dict], pred_records: list[dict]) -> Tally:
    """Records matched as multisets of (activity code, month, measure, value), per page and table."""
    t = Tally()
    tk = defaultdict(int)
    for r in truth_records:
        tk[(r.get("page"),) + record_key(r)] += 1
    pk = defaultdict(int)
    for r in pred_records:
        pk[(r.get("page"),) + record_key(r)] += 1
    t.rec_truth = sum(tk.values())
    t.rec_pred = sum(pk.values())
    t.rec_tp = sum(min(n, pk.get(k, 0)) for k, n in tk.items())
    return t


HEADER_KEYS = ["fiscal_year", "agency", "project", "plan", "output", "main_activity", "sub_activity", "objective",
               "responsible_unit", "responsible_person"]


def score_header(truth_header: dict, pred_doc: dict) -> Tally:
    t = Tally()
    for k in HEADER_KEYS:
        if truth_header.get(k) in (None, ""):
            continue
        t.header_fields += 1
        a, b = str(truth_header[k]), str(pred_doc.get(k) or "")
        t.header_fields_ok += _norm_text(a).replace(" ", "") == _norm_text(b).replace(" ", "")
    return t


def score_month_header(page: int, truth_records: list[dict], pred_records: list[dict],
                       truth_page: dict | None = None) -> Tally:
    """A page's month header is decoded right when records were produced for it and every predicted
    record lies in a truth column (by its box centre) whose fiscal month and measure it carries."""
    t = Tally()
    truth = [r for r in truth_records if r.get("page") == page]
    if not truth:
        return t
    t.month_headers = 1
    pred = [r for r in pred_records if r.get("page") == page]
    if not pred:
        return t
    truth_cols = {r["col"]: (r["fiscal_month"], r["measure"]) for r in truth if r.get("col") is not None}
    boxes: list[tuple[float, float, float, float, int]] = []   # single-column truth cells of those columns
    if truth_page is not None:
        for tb in truth_page.get("tables", []):
            for c in tb["cells"]:
                if c.get("col_span") == 1 and c["col"] in truth_cols:
                    boxes.append((c["x0"], c["y0"], c["x1"], c["y1"], c["col"]))
    wrong = 0
    for r in pred:
        col = r.get("col")
        if boxes and r.get("x0") is not None:
            # the truth cell under the record's centre (x and y: skewed pages shift columns row by row)
            cx, cy = (r["x0"] + r["x1"]) / 2, (r["y0"] + r["y1"]) / 2
            col = next((c for x0, y0, x1, y1, c in boxes if x0 <= cx <= x1 and y0 <= cy <= y1), None)
        if col in truth_cols and truth_cols[col] != (r.get("fiscal_month"), r["measure"]):
            wrong += 1
    t.month_headers_ok = 1 if wrong == 0 else 0
    return t
