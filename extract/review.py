"""The run report a reviewer works from: OUT/report.html with, per document, pages, tables, records,
failed checks, and every flagged numeric cell with an image crop of it; plus OUT/corrections.csv, a
template to fill in (`corrected_value`) and apply with `extract correct OUT`.
"""
from __future__ import annotations

import base64
import html
from collections import defaultdict
from decimal import Decimal, InvalidOperation
from pathlib import Path

import cv2
import numpy as np
import pandas as pd

from .export import _atomic

REVIEW_FLAGS = ("low_confidence", "sum_mismatch", "unparsed", "suggestion", "chosen_by_sum", "ink_unread")
MAX_CROPS = 2000


def _page_image(path: str, page: int) -> np.ndarray | None:
    from .load import iter_pages, open_document
    from .types import PageImage

    try:
        doc = open_document(Path(path))
        for i, item in enumerate(iter_pages(doc, raster_dpi=150, force_ocr=True), start=1):
            if i == page:
                return item.gray if isinstance(item, PageImage) else None
    except Exception:
        return None
    return None


def _crop_png(gray: np.ndarray, x0: float, y0: float, x1: float, y1: float) -> str:
    h, w = gray.shape
    pad = 0.004
    a, b = int(max(0, (x0 - pad) * w)), int(max(0, (y0 - pad) * h))
    c, d = int(min(w, (x1 + pad) * w)), int(min(h, (y1 + pad) * h))
    crop = gray[b:d, a:c]
    if crop.size == 0:
        return ""
    scale = max(1.0, 48 / max(1, crop.shape[0]))
    crop = cv2.resize(crop, None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC) if scale > 1 else crop
    ok, buf = cv2.imencode(".png", crop)
    return base64.b64encode(buf.tobytes()).decode() if ok else ""


def flagged_cells(cells: pd.DataFrame) -> pd.DataFrame:
    if cells.empty:
        return cells
    mask = cells["flags"].fillna("").apply(lambda f: any(x in f.split(";") for x in REVIEW_FLAGS))
    return cells[mask & cells["role"].isin(["target", "target_budget", "work", "budget"])]


def write_review(out_dir: Path, files: dict[str, str]) -> tuple[Path, Path]:
    """files: document name -> path on disk (to crop from). Reads the run's tables from out_dir."""
    out_dir = Path(out_dir)
    cells = pd.read_csv(out_dir / "cells.csv", dtype={"value": str, "suggested_value": str}, keep_default_na=False)
    docs = pd.read_csv(out_dir / "documents.csv", keep_default_na=False)
    recs = pd.read_csv(out_dir / "records.csv", keep_default_na=False, usecols=["document"]) if (out_dir / "records.csv").exists() else pd.DataFrame()
    flagged = flagged_cells(cells)
    # corrections template
    tmpl = flagged[["document", "page", "table", "row", "col", "text_raw", "value", "suggested_value", "confidence", "flags"]].copy()
    tmpl["corrected_value"] = ""
    corr_path = out_dir / "corrections.csv"
    _atomic(corr_path, lambda tmp: tmpl.to_csv(tmp, index=False))

    by_doc = defaultdict(list)
    for _, r in flagged.iterrows():
        by_doc[r["document"]].append(r)
    rec_counts = recs["document"].value_counts().to_dict() if not recs.empty else {}
    parts = ["<!doctype html><meta charset=utf-8><title>extract run report</title>",
             "<style>body{font-family:sans-serif;margin:2em}td,th{border:1px solid #ccc;padding:3px 6px}"
             "table{border-collapse:collapse}img{max-height:60px}.bad{color:#b00}</style>",
             "<h1>Run report</h1>",
             f"<p>{len(docs)} documents, {len(cells)} cells, {sum(rec_counts.values())} records, "
             f"{len(flagged)} flagged numeric cells to review. Fill <code>corrected_value</code> in "
             f"<code>corrections.csv</code> and run <code>extract correct {html.escape(str(out_dir))}</code>.</p>",
             "<h2>Documents</h2><table><tr><th>file</th><th>status</th><th>pages</th><th>tables</th><th>records</th>"
             "<th>failed checks</th><th>flagged</th><th>error / issues</th></tr>"]
    for _, d in docs.iterrows():
        name = Path(d["file"]).name
        cls = ' class="bad"' if d["status"] != "ok" else ""
        parts.append(f"<tr{cls}><td>{html.escape(name)}</td><td>{d['status']}</td><td>{d['pages']}</td><td>{d['tables']}</td>"
                     f"<td>{rec_counts.get(name, 0)}</td><td>{d['checks_failed']}</td><td>{len(by_doc.get(name, []))}</td>"
                     f"<td>{html.escape(str(d['error'] or d['issues'])[:400])}</td></tr>")
    parts.append("</table>")
    n_crops = 0
    for name, rows in by_doc.items():
        parts.append(f"<h2>{html.escape(name)}</h2><table><tr><th>page</th><th>table</th><th>row</th><th>col</th>"
                     "<th>image</th><th>read</th><th>value</th><th>suggested</th><th>confidence</th><th>flags</th></tr>")
        pages: dict[int, np.ndarray | None] = {}
        for r in rows:
            img = ""
            if n_crops < MAX_CROPS and name in files:
                p = int(r["page"])
                if p not in pages:
                    pages[p] = _page_image(files[name], p)
                if pages[p] is not None:
                    b64 = _crop_png(pages[p], float(r["x0"]), float(r["y0"]), float(r["x1"]), float(r["y1"]))
                    img = f'<img src="data:image/png;base64,{b64}">' if b64 else ""
                    n_crops += 1
            parts.append(f"<tr><td>{r['page']}</td><td>{r['table']}</td><td>{r['row']}</td><td>{r['col']}</td><td>{img}</td>"
                         f"<td>{html.escape(str(r['text_raw']))}</td><td>{r['value']}</td><td>{r['suggested_value']}</td>"
                         f"<td>{r['confidence']}</td><td>{html.escape(str(r['flags']))}</td></tr>")
        parts.append("</table>")
    report = out_dir / "report.html"
    _atomic(report, lambda tmp: Path(tmp).write_text("\n".join(parts), encoding="utf-8"))
    return report, corr_path


def apply_corrections(out_dir: Path, corrections: Path | None = None) -> int:
    """Apply a reviewer's corrected values to cells and records (flag `corrected`; the reading stays in
    text_raw). Rewrites the four tables atomically. Returns the number of cells corrected."""
    import pyarrow.parquet as pq

    from . import export

    out_dir = Path(out_dir)
    corr = pd.read_csv(corrections or out_dir / "corrections.csv", dtype=str, keep_default_na=False)
    corr = corr[corr["corrected_value"].str.strip() != ""]
    fixes = {}
    for _, r in corr.iterrows():
        try:
            v = Decimal(r["corrected_value"].replace(",", "").strip())
        except InvalidOperation:
            raise ValueError(f"corrected_value {r['corrected_value']!r} is not a number "
                             f"({r['document']} p{r['page']} r{r['row']} c{r['col']})") from None
        fixes[(r["document"], int(r["page"]), int(r["table"]), int(r["row"]), int(r["col"]))] = v
    n = 0
    for name, key_cols in (("cells", ("document", "page", "table", "row", "col")),
                           ("records", ("document", "page", "table", "row", "col")),
                           ("figures", ("document", "page", "table", "row", "col"))):
        if not (out_dir / f"{name}.parquet").exists():   # a run from before that table existed
            continue
        rows = pq.read_table(out_dir / f"{name}.parquet").to_pylist()
        for row in rows:
            k = tuple(row[c] for c in key_cols)
            if k in fixes:
                row["value"] = export._dec(fixes[k])
                flags = [f for f in (row.get("flags") or "").split(";") if f]
                if "corrected" not in flags:
                    flags.append("corrected")
                row["flags"] = ";".join(flags)
                if "confidence" in row:
                    row["confidence"] = 1.0
                n += name == "cells"
        export.write_table(export.to_table(rows, export.SCHEMAS[name]), out_dir, name)
    return n
