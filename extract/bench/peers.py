"""Peers a user would otherwise pick, run on the same pages and turned into the same rows so the same
scoring code judges them:

- img2table (OpenCV tables + Tesseract ``tha+eng``) on the scans. It needs opencv-contrib-python, which
  clashes with our opencv-python-headless, so it lives in its own venv (``.venv-peer``, made by
  ``scripts/bench.sh``) and runs as a subprocess (``peer_img2table.py``) that prints JSON.
- pdfplumber's ``find_tables``/``extract`` on born-digital PDFs, in this process.

The peers' cell texts are given our normalizer and our plan interpretation, so their records reflect
their tables and OCR, not a missing interpreter.
"""
from __future__ import annotations

import json
import os
import subprocess
import time
from pathlib import Path

from .. import plan
from ..normalize import numbers
from ..normalize.header import parse_title_block
from ..pipeline import _assign_roles, _normalize_cells
from ..types import BBox, Cell, CellKind, GridCell, Table, TableGrid

ROOT = Path(__file__).resolve().parents[2]
PEER_PY = ROOT / ".venv-peer" / "bin" / "python"


def _table_from_boxes(index: int, boxes: list[tuple[float, float, float, float, str]], page_w: float, page_h: float) -> Table:
    """Peer cells (absolute boxes + text) -> our Table, with rows/cols/spans from the distinct edges."""
    def clusters(vals: list[float], tol: float) -> list[float]:
        out: list[float] = []
        for v in sorted(vals):
            if not out or v - out[-1] > tol:
                out.append(v)
        return out

    tol = 0.004 * max(page_w, page_h)
    xs = clusters([b[0] for b in boxes] + [b[2] for b in boxes], tol)
    ys = clusters([b[1] for b in boxes] + [b[3] for b in boxes], tol)

    def idx(edges, v):
        return min(range(len(edges)), key=lambda i: abs(edges[i] - v))

    cells, gcells = [], []
    for (x0, y0, x1, y1, text) in boxes:
        c0, c1, r0, r1 = idx(xs, x0), idx(xs, x1), idx(ys, y0), idx(ys, y1)
        if c1 <= c0 or r1 <= r0:
            continue
        box = BBox(x0, y0, x1, y1)
        gcells.append(GridCell(r0, c0, r1 - r0, c1 - c0, box))
        cells.append(Cell(index, r0, c0, r1 - r0, c1 - c0, box,
                          BBox(x0 / page_w, y0 / page_h, min(1.0, x1 / page_w), min(1.0, y1 / page_h)),
                          text_raw=text or "", confidence=None))
    grid = TableGrid(index, BBox(xs[0], ys[0], xs[-1], ys[-1]) if xs and ys else BBox(0, 0, 0, 0), ys, xs, gcells, "peer")
    table = Table(index, grid, cells)
    _normalize_cells(table)
    layout = plan.find_layout(table)
    _assign_roles(table, layout)
    _normalize_cells(table)
    return table


def rows_from_tables(doc_name: str, page: int, tables: list[Table], fiscal_year) -> tuple[list[dict], list[dict]]:
    cells, records = [], []
    for t in tables:
        layout = t.layout or plan.find_layout(t)
        rows = plan.classify_rows(t, layout)
        for c in t.cells:
            cells.append({"document": doc_name, "page": page, "table": t.index, "row": c.row, "col": c.col,
                          "row_span": c.row_span, "col_span": c.col_span, "x0": c.frac.x0, "y0": c.frac.y0,
                          "x1": c.frac.x1, "y1": c.frac.y1, "text_raw": c.text_raw, "text": c.text,
                          "value": c.value, "kind": c.kind.value, "confidence": c.confidence, "flags": ";".join(c.flags)})
        for r in plan.to_records(t, layout, rows, document=doc_name, page=page, fiscal_year=fiscal_year, agency="", frac_of=None):
            records.append({"page": r.page, "activity_code": r.activity_code, "month": r.month, "measure": r.measure,
                            "value": r.value, "col": r.col, "fiscal_month": r.fiscal_month,
                            "x0": r.x0, "y0": r.y0, "x1": r.x1, "y1": r.y1})
    return cells, records


def run_pdfplumber(doc: Path, truth: dict) -> dict:
    import pdfplumber

    t0 = time.perf_counter()
    cells, records = [], []
    with pdfplumber.open(doc) as pdf:
        fy = None
        for i, page in enumerate(pdf.pages, 1):
            text = page.extract_text() or ""
            fy = parse_title_block(text).get("fiscal_year") or fy
            tables = []
            for k, ft in enumerate(page.find_tables()):
                boxes = []
                for (x0, top, x1, bottom) in ft.cells:
                    txt = page.crop((x0, top, x1, bottom)).extract_text() or ""
                    boxes.append((x0, top, x1, bottom, txt.replace("\n", " ")))
                tables.append(_table_from_boxes(k, boxes, float(page.width), float(page.height)))
            c, r = rows_from_tables(doc.name, i, tables, fy)
            cells += c
            records += r
    return {"cells": cells, "records": records, "seconds": time.perf_counter() - t0, "document": {}}


def img2table_available() -> bool:
    return PEER_PY.exists()


def run_img2table(images: list[Path], doc: Path, truth: dict) -> dict:
    """Run img2table on each page image in the peer venv; returns rows like ours."""
    script = Path(__file__).with_name("peer_img2table.py")
    t0 = time.perf_counter()
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    proc = subprocess.run([str(PEER_PY), str(script), *map(str, images)], capture_output=True, text=True, env=env, timeout=1800)
    seconds = time.perf_counter() - t0
    if proc.returncode != 0:
        return {"cells": [], "records": [], "seconds": seconds, "error": proc.stderr[-500:], "document": {}}
    pages = json.loads(proc.stdout.split("@@JSON@@", 1)[1])
    cells, records = [], []
    fy = truth["pages"][0].get("header", {}).get("fiscal_year")  # the peer reads no title block: give it the year
    for pno, pg in enumerate(pages, 1):
        tables = [_table_from_boxes(k, [tuple(b) for b in tb], pg["width"], pg["height"]) for k, tb in enumerate(pg["tables"])]
        c, r = rows_from_tables(doc.name, pno, tables, fy)
        cells += c
        records += r
    return {"cells": cells, "records": records, "seconds": seconds, "document": {}}
