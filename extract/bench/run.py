"""The benchmark: accuracy against ground truth per stratum, speed against plain Tesseract, and peers
scored by the same code.

A benchmark set is a folder of documents, each with ``<file>.truth.json`` written by the generator.
"""
from __future__ import annotations

import json
import os
import platform
import resource
import subprocess
import sys
import time
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from .. import export
from ..config import Settings
from .score import Tally, score_cells, score_header, score_month_header, score_records


def truth_files(set_dir: Path) -> list[tuple[Path, dict]]:
    out = []
    for tf in sorted(Path(set_dir).glob("*.truth.json")):
        truth = json.loads(tf.read_text(encoding="utf-8"))
        doc = tf.parent / truth["document"]
        if doc.exists():
            out.append((doc, truth))
    return out


def stratum(truth: dict, page: dict) -> str:
    deg = page.get("degradation") or {}
    degraded = any(deg.get(k) for k in ("rotation_deg", "blur", "noise", "jpeg_quality", "stamp", "signature",
                                          "bleed_through", "lighting"))
    kind = truth.get("kind", "")
    dpi = "pdf" if kind == "pdf-text" else f"{int(round(page.get('dpi') or 0))}dpi"
    return f"{dpi}|{'degraded' if degraded else 'clean'}|{page.get('font', '?')}|{page.get('ruling', 'full')}|{page.get('digits', 'thai')}"


# ------------------------------------------------------------------------------------------ ours

def _run_one(doc: str, settings: Settings) -> dict:
    os.environ["OMP_THREAD_LIMIT"] = "1"
    from ..pipeline import process_document

    t0 = time.perf_counter()
    res = process_document(doc, settings)
    dt = time.perf_counter() - t0
    return {
        "cells": export.cell_rows(res), "records": export.record_rows(res),
        "document": export.document_row(res), "seconds": dt, "pages": res.pages,
        "page_seconds": {p.provenance.page: p.seconds for p in res.page_results},
        "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def run_ours(docs: list[Path], settings: Settings, workers: int = 1) -> tuple[dict[str, dict], float]:
    t0 = time.perf_counter()
    if workers <= 1:
        outs = [_run_one(str(d), settings) for d in docs]
    else:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            outs = list(pool.map(_run_one, [str(d) for d in docs], [settings] * len(docs)))
    return {str(d): o for d, o in zip(docs, outs)}, time.perf_counter() - t0


def score_run(items: list[tuple[Path, dict]], outputs: dict[str, dict], low_conf: float = 0.9) -> dict:
    by_stratum: dict[str, Tally] = defaultdict(Tally)
    by_dpi: dict[str, Tally] = defaultdict(Tally)   # the issues' targets are per resolution (and degradation)
    overall = Tally()
    for doc, truth in items:
        out = outputs.get(str(doc))
        if out is None:
            continue
        for page in truth["pages"]:
            pno = page["page"]
            cells = [c for c in out["cells"] if c["page"] == pno]
            recs = [r for r in out["records"] if r["page"] == pno]
            trecs = [r for r in truth["records"] if r["page"] == pno]
            t = score_cells(page, cells, low_conf=low_conf)
            t.add(score_records(trecs, recs))
            t.add(score_month_header(pno, truth["records"], out["records"], page))
            if pno == 1 and page.get("header") and out.get("document"):
                t.add(score_header(page["header"], out.get("document") or {}))
            key = stratum(truth, page)
            by_stratum[key].add(t)
            dpi, deg = key.split("|")[:2]
            by_dpi[dpi].add(t)
            by_dpi[f"{dpi}|{deg}"].add(t)
            overall.add(t)
    return {"overall": overall.summary(), "strata": {k: v.summary() for k, v in sorted(by_stratum.items())},
            "by_dpi": {k: v.summary() for k, v in sorted(by_dpi.items())}}


# --------------------------------------------------------------------------------- plain tesseract

def page_images(doc: Path, truth: dict, tmp: Path) -> list[Path]:
    """The pages as images, for plain Tesseract and the image peer (PDFs rendered at 200 dpi)."""
    kind = truth.get("kind")
    if kind in ("png", "jpeg"):
        return [doc]
    tmp.mkdir(parents=True, exist_ok=True)
    out = []
    if kind == "tiff":
        from PIL import Image, ImageSequence

        with Image.open(doc) as im:
            for i, fr in enumerate(ImageSequence.Iterator(im), 1):
                p = tmp / f"{doc.stem}-p{i}.png"
                fr.convert("L").save(p)
                out.append(p)
        return out
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(doc))
    for i in range(len(pdf)):
        dpi = truth["pages"][i].get("dpi") or 200
        dpi = 200 if kind == "pdf-text" else dpi
        img = pdf[i].render(scale=dpi / 72, grayscale=True).to_pil()
        p = tmp / f"{doc.stem}-p{i + 1}.png"
        img.save(p)
        out.append(p)
    pdf.close()
    return out


def plain_tesseract_seconds(images: list[Path]) -> float:
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    t0 = time.perf_counter()
    for im in images:
        subprocess.run(["tesseract", str(im), "-", "-l", "tha+eng"], stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, env=env, check=False)
    return time.perf_counter() - t0


# ------------------------------------------------------------------------------------------ report

def machine_line() -> str:
    import psutil

    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                                cwd=Path(__file__).resolve().parents[2]).stdout.strip()
    except Exception:
        commit = "?"
    return (f"{platform.node()} · {platform.machine()} · {os.cpu_count()} CPUs · "
            f"{psutil.virtual_memory().total / 2**30:.0f} GiB · Python {platform.python_version()} · commit {commit}")


def fmt(v) -> str:
    if v is None:
        return "–"
    if isinstance(v, float):
        return f"{v:.4f}"
    return str(v)


METRIC_COLS = ["pages", "cell_precision", "cell_recall", "spans_correct", "header_spans_correct", "numeric_exact", "numeric_cells",
               "numeric_hi_conf_exact", "flagged_share", "wrong_flagged", "text_cer", "text_cer_raw",
               "records_precision", "records_recall", "records_f1", "header_field_accuracy", "month_header_correct"]


def table_md(rows: dict[str, dict]) -> str:
    head = "| stratum (dpi · degradation · font · ruling · digits) | " + " | ".join(METRIC_COLS) + " |"
    sep = "|" + "---|" * (len(METRIC_COLS) + 1)
    lines = [head, sep]
    for name, m in rows.items():
        lines.append(f"| {name.replace('|', ' · ')} | " + " | ".join(fmt(m.get(c)) for c in METRIC_COLS) + " |")
    return "\n".join(lines)
