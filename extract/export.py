"""Rows and typed tables: cells, records, figures, documents, issues -> CSV (UTF-8) and Parquet, written atomically.

Types (documented in README and datapackage.json):
- ``value`` / ``suggested_value``: decimal128(20, 4) in Parquet — exact, never binary floats; a plain
  decimal string in CSV (no thousands separators, Arabic digits);
- ``confidence``: float64 0-1 (empty when unknown): the reader's confidence, raised to 0.99 where the
  form's arithmetic confirms the value (flag ``checked``) and capped at 0.5 where a failed check suspects
  it (``sum_mismatch``); cells also carry ``ocr_confidence``, the reader's own; ``flags``: ';'-separated;
- enums (``kind``, ``role``, ``row_kind``, ``measure``, ``status``) are dictionary-encoded strings;
- ``month`` 'YYYY-MM' string and ``month_start`` date (first day of that month).
"""
from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

DEC = pa.decimal128(20, 4)
DICT = pa.dictionary(pa.int8(), pa.string())

CELLS_SCHEMA = pa.schema([
    ("document", pa.string()), ("page", pa.int32()), ("table", pa.int32()), ("row", pa.int32()), ("col", pa.int32()),
    ("row_span", pa.int32()), ("col_span", pa.int32()),
    ("x0", pa.float64()), ("y0", pa.float64()), ("x1", pa.float64()), ("y1", pa.float64()),
    ("text_raw", pa.string()), ("text", pa.string()), ("value", DEC), ("kind", DICT), ("role", DICT),
    ("confidence", pa.float64()), ("ocr_confidence", pa.float64()), ("flags", pa.string()),
    ("tesseract_text", pa.string()), ("suggested_value", DEC), ("alternatives", pa.string()),
])

RECORDS_SCHEMA = pa.schema([
    ("document", pa.string()), ("page", pa.int32()), ("table", pa.int32()), ("row", pa.int32()),
    ("fiscal_year", pa.int32()), ("agency", pa.string()), ("activity_code", pa.string()), ("activity", pa.string()),
    ("row_kind", DICT), ("month", pa.string()), ("month_start", pa.date32()), ("fiscal_month", pa.int8()),
    ("quarter", pa.int8()), ("measure", DICT), ("value", DEC), ("unit", pa.string()),
    ("confidence", pa.float64()), ("flags", pa.string()), ("suggested_value", DEC),
    ("col", pa.int32()), ("x0", pa.float64()), ("y0", pa.float64()), ("x1", pa.float64()), ("y1", pa.float64()),
    ("text_raw", pa.string()),
])

FIGURES_SCHEMA = pa.schema([
    ("document", pa.string()), ("page", pa.int32()), ("table", pa.int32()), ("row", pa.int32()), ("col", pa.int32()),
    ("row_label", pa.string()), ("row_group", pa.string()), ("column_label", pa.string()),
    ("value", DEC), ("unit", pa.string()), ("confidence", pa.float64()), ("flags", pa.string()),
    ("x0", pa.float64()), ("y0", pa.float64()), ("x1", pa.float64()), ("y1", pa.float64()), ("text_raw", pa.string()),
])

HEADER_FIELDS = ["fiscal_year", "agency", "project", "plan", "output", "main_activity", "sub_activity",
                 "objective", "responsible_unit", "responsible_person"]

DOCUMENTS_SCHEMA = pa.schema([
    ("file", pa.string()), ("sha256", pa.string()), ("kind", pa.string()), ("pages", pa.int32()),
    ("status", DICT), ("error", pa.string()),
    ("fiscal_year", pa.int32()), ("agency", pa.string()), ("project", pa.string()), ("plan", pa.string()),
    ("output", pa.string()), ("main_activity", pa.string()), ("sub_activity", pa.string()),
    ("objective", pa.string()), ("responsible_unit", pa.string()), ("responsible_person", pa.string()),
    ("tables", pa.int32()), ("cells", pa.int32()), ("records", pa.int32()), ("figures", pa.int32()),
    ("low_confidence_cells", pa.int32()),
    ("checks_failed", pa.int32()), ("seconds", pa.float64()), ("issues", pa.string()),
])

ISSUES_SCHEMA = pa.schema([
    ("file", pa.string()), ("page", pa.int32()), ("stage", pa.string()), ("severity", DICT), ("message", pa.string()),
])

SCHEMAS = {"cells": CELLS_SCHEMA, "records": RECORDS_SCHEMA, "figures": FIGURES_SCHEMA, "documents": DOCUMENTS_SCHEMA,
           "issues": ISSUES_SCHEMA}


def _dec(v) -> Decimal | None:
    if v is None or v == "":
        return None
    d = Decimal(v)
    return d.quantize(Decimal("0.0001"))


def cell_rows(result) -> list[dict]:
    name = Path(result.file).name
    rows = []
    for c, page in zip(result.cells, result.cell_pages):
        rows.append({
            "document": name, "page": page, "table": c.table, "row": c.row, "col": c.col,
            "row_span": c.row_span, "col_span": c.col_span,
            "x0": round(c.frac.x0, 5), "y0": round(c.frac.y0, 5), "x1": round(c.frac.x1, 5), "y1": round(c.frac.y1, 5),
            "text_raw": c.text_raw, "text": c.text, "value": _dec(c.value), "kind": c.kind.value, "role": c.role,
            "confidence": None if c.confidence is None else round(float(c.confidence), 4),
            "ocr_confidence": None if c.ocr_confidence is None else round(float(c.ocr_confidence), 4),
            "flags": ";".join(c.flags), "tesseract_text": c.tesseract_text,
            "suggested_value": _dec(c.suggested_value),
            "alternatives": ";".join(f"{t}:{p:.3f}" for t, p in c.alternatives),
        })
    return rows


def record_rows(result) -> list[dict]:
    rows = []
    for r in result.records:
        ms = None
        if r.month:
            y, m = r.month.split("-")
            ms = dt.date(int(y), int(m), 1)
        rows.append({
            "document": r.document, "page": r.page, "table": r.table, "row": r.row, "fiscal_year": r.fiscal_year,
            "agency": r.agency, "activity_code": r.activity_code, "activity": r.activity, "row_kind": r.row_kind,
            "month": r.month, "month_start": ms, "fiscal_month": r.fiscal_month, "quarter": r.quarter,
            "measure": r.measure, "value": _dec(r.value), "unit": r.unit,
            "confidence": None if r.confidence is None else round(float(r.confidence), 4),
            "flags": ";".join(r.flags), "suggested_value": _dec(r.suggested_value), "col": r.col,
            "x0": round(r.x0, 5), "y0": round(r.y0, 5), "x1": round(r.x1, 5), "y1": round(r.y1, 5),
            "text_raw": r.text_raw,
        })
    return rows


def figure_rows(result) -> list[dict]:
    return [{
        "document": f.document, "page": f.page, "table": f.table, "row": f.row, "col": f.col,
        "row_label": f.row_label, "row_group": f.row_group, "column_label": f.column_label,
        "value": _dec(f.value), "unit": f.unit,
        "confidence": None if f.confidence is None else round(float(f.confidence), 4), "flags": ";".join(f.flags),
        "x0": round(f.x0, 5), "y0": round(f.y0, 5), "x1": round(f.x1, 5), "y1": round(f.y1, 5), "text_raw": f.text_raw,
    } for f in getattr(result, "figures", [])]


def document_row(result, low_conf: float = 0.9) -> dict:
    h = result.header or {}
    low = sum(1 for c in result.cells if "low_confidence" in c.flags)
    row = {
        "file": result.file, "sha256": result.sha256, "kind": result.kind, "pages": result.pages,
        "status": result.status, "error": result.error,
        "tables": sum(len(p.tables) for p in result.page_results), "cells": len(result.cells),
        "records": len(result.records), "figures": len(getattr(result, "figures", [])), "low_confidence_cells": low, "checks_failed": result.checks_failed,
        "seconds": round(result.seconds, 3),
        "issues": " | ".join(f"p{i.page or '-'} {i.stage}: {i.message}" for i in result.issues),
    }
    for k in HEADER_FIELDS:
        v = h.get(k)
        row[k] = (int(v) if v not in (None, "") else None) if k == "fiscal_year" else (v or "")
    return row


def issue_rows(result) -> list[dict]:
    return [{"file": i.file, "page": i.page, "stage": i.stage, "severity": i.severity, "message": i.message}
            for i in result.issues]


def to_table(rows: list[dict], schema: pa.Schema) -> pa.Table:
    cols = {f.name: [r.get(f.name) for r in rows] for f in schema}
    arrays = []
    for f in schema:
        if pa.types.is_dictionary(f.type):
            arrays.append(pa.array(cols[f.name], type=pa.string()).dictionary_encode().cast(f.type))
        else:
            arrays.append(pa.array(cols[f.name], type=f.type))
    return pa.Table.from_arrays(arrays, schema=schema)


def _atomic(path: Path, write) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    os.close(fd)
    try:
        write(tmp)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def write_table(table: pa.Table, out_dir: Path, name: str) -> list[Path]:
    out_dir = Path(out_dir)
    csv_path, pq_path = out_dir / f"{name}.csv", out_dir / f"{name}.parquet"

    def w_csv(tmp: str) -> None:
        plain = table.cast(pa.schema([pa.field(f.name, pa.string() if pa.types.is_dictionary(f.type) else f.type) for f in table.schema]))
        pacsv.write_csv(plain, tmp)

    _atomic(csv_path, w_csv)
    _atomic(pq_path, lambda tmp: pq.write_table(table, tmp))
    return [csv_path, pq_path]


def write_datapackage(out_dir: Path) -> Path:
    """A Frictionless data package descriptor for the tables (`SCHEMAS`)."""
    def ftype(t: pa.DataType) -> str:
        if pa.types.is_dictionary(t) or pa.types.is_string(t):
            return "string"
        if pa.types.is_integer(t):
            return "integer"
        if pa.types.is_decimal(t) or pa.types.is_floating(t):
            return "number"
        if pa.types.is_date(t):
            return "date"
        return "any"

    enums = {"kind": ["empty", "dash", "number", "text", "header"], "row_kind": ["item", "total", "section"],
             "measure": ["work", "budget"], "status": ["ok", "partial", "failed"]}
    resources = []
    for name, schema in SCHEMAS.items():
        fields = []
        for f in schema:
            d = {"name": f.name, "type": ftype(f.type)}
            if f.name in enums:
                d["constraints"] = {"enum": enums[f.name]}
            if f.name in ("confidence", "ocr_confidence"):
                d["constraints"] = {"minimum": 0, "maximum": 1}
            fields.append(d)
        resources.append({"name": name, "path": f"{name}.csv", "format": "csv", "encoding": "utf-8",
                          "schema": {"fields": fields}})
    desc = {"name": "thai-plan-extract-output", "resources": resources}
    path = Path(out_dir) / "datapackage.json"
    _atomic(path, lambda tmp: Path(tmp).write_text(json.dumps(desc, ensure_ascii=False, indent=1), encoding="utf-8"))
    return path
