"""Batch runs: many files, a progress bar, isolated failures, resumable state, atomic outputs.

Each finished document's rows are saved at once under ``OUT/.state/`` (atomically), so an interrupted
run loses nothing already extracted and a rerun skips what is done (unless ``fresh``). The final
tables are assembled from the saved parts.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import pickle
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from . import export
from .config import Settings
from .load import expand_inputs

STATE_DIR = ".state"


@dataclass
class Summary:
    files: int = 0
    failed: int = 0
    partial: int = 0
    resumed: int = 0
    skipped_in_folders: int = 0
    pages: int = 0
    tables: int = 0
    cells: int = 0
    numeric_cells: int = 0
    low_conf_cells: int = 0
    records: int = 0
    figures: int = 0
    checks_failed: int = 0
    seconds: float = 0.0
    failures: list[tuple[str, str]] = dataclasses.field(default_factory=list)

    def text(self) -> str:
        share = (self.low_conf_cells / self.numeric_cells) if self.numeric_cells else 0.0
        lines = [
            f"files: {self.files} ({self.failed} failed, {self.partial} partial, {self.resumed} resumed from state)"
            + (f"; {self.skipped_in_folders} other files in folders ignored" if self.skipped_in_folders else ""),
            f"pages: {self.pages}  tables: {self.tables}  cells: {self.cells}  records: {self.records}"
            + (f"  figures (tables that are not plan forms): {self.figures}" if self.figures else ""),
            f"low-confidence numeric cells: {self.low_conf_cells}/{self.numeric_cells} ({share:.1%})"
            f"  failed arithmetic checks: {self.checks_failed}",
            f"time: {self.seconds:.1f} s" + (f" ({self.seconds / self.pages:.2f} s/page)" if self.pages else ""),
        ]
        for f, err in self.failures:
            lines.append(f"FAILED {f}: {err}")
        return "\n".join(lines)


def _state_key(path: Path, settings: Settings) -> str:
    st = path.stat() if path.exists() else None
    ident = f"{path.resolve()}|{st.st_size if st else -1}|{st.st_mtime_ns if st else -1}|{json.dumps(dataclasses.asdict(settings), sort_keys=True)}"
    return hashlib.sha256(ident.encode()).hexdigest()[:24]


def _failed_rows(path: str, msg: str) -> dict:
    """The rows of a document that could not be processed at all: it still appears in the outputs."""
    return {"cells": [], "records": [], "figures": [], "issues": [{"file": path, "page": None, "stage": "pipeline", "severity": "error", "message": msg}],
            "documents": [{"file": path, "status": "failed", "error": msg, "pages": 0}], "pages_done": 0}


def process_to_rows(path: str, settings: Settings) -> dict:
    """Worker: one document -> plain rows (picklable). Never raises."""
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    from .pipeline import process_document

    try:
        res = process_document(path, settings)
        return {
            "cells": export.cell_rows(res), "records": export.record_rows(res), "figures": export.figure_rows(res),
            "documents": [export.document_row(res, settings.low_confidence)], "issues": export.issue_rows(res),
            "pages_done": len(res.page_results),
        }
    except BaseException as e:  # last line of defence: a crash is still a row
        return _failed_rows(path, f"{type(e).__name__}: {e}")


def _save_state(state_dir: Path, key: str, rows: dict) -> None:
    state_dir.mkdir(parents=True, exist_ok=True)
    export._atomic(state_dir / f"{key}.pkl", lambda tmp: Path(tmp).write_bytes(pickle.dumps(rows)))


def run_batch(inputs: Iterable[str | Path], out_dir: str | Path, settings: Settings, *, workers: int = 1,
              fresh: bool = False, progress: bool = True, log: Callable[[str], None] | None = None) -> Summary:
    t0 = time.perf_counter()
    out = Path(out_dir)
    state_dir = out / STATE_DIR
    files, skipped = expand_inputs(list(inputs))
    summary = Summary(files=len(files), skipped_in_folders=len(skipped))
    keys = {str(f): _state_key(f, settings) for f in files}
    parts: dict[str, dict] = {}
    todo = []
    for f in files:
        sp = state_dir / f"{keys[str(f)]}.pkl"
        if not fresh and sp.exists():
            try:
                parts[str(f)] = pickle.loads(sp.read_bytes())
                summary.resumed += 1
                continue
            except Exception:
                pass
        todo.append(str(f))

    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=len(files), initial=len(files) - len(todo), unit="file", file=sys.stderr, dynamic_ncols=True)

    def done(f: str, rows: dict) -> None:
        parts[f] = rows
        _save_state(state_dir, keys[f], rows)
        if bar is not None:
            st = rows["documents"][0].get("status", "?") if rows["documents"] else "?"
            bar.set_postfix_str(f"{Path(f).name[:30]} {st}, {rows.get('pages_done', 0)} p")
            bar.update(1)

    if workers <= 1 or len(todo) <= 1:
        for f in todo:
            done(f, process_to_rows(f, settings))
    else:
        os.environ.setdefault("OMP_THREAD_LIMIT", "1")
        with ProcessPoolExecutor(max_workers=workers) as pool:
            futs = {pool.submit(process_to_rows, f, settings): f for f in todo}
            for fut in as_completed(futs):
                f = futs[fut]
                try:
                    rows = fut.result()
                except BaseException as e:  # a worker died (e.g. out of memory)
                    rows = _failed_rows(f, f"worker crashed: {type(e).__name__}: {e}")
                done(f, rows)
    if bar is not None:
        bar.close()

    all_rows: dict[str, list[dict]] = {k: [] for k in export.SCHEMAS}
    for f in files:
        p = parts.get(str(f))
        if p is None:
            continue
        for k in all_rows:
            all_rows[k].extend(p.get(k, []))
    for name, schema in export.SCHEMAS.items():
        export.write_table(export.to_table(all_rows[name], schema), out, name)
    export.write_datapackage(out)
    try:
        from .review import write_review

        write_review(out, {Path(f).name: str(f) for f in files})
    except Exception as e:  # the report is a convenience: never lose the run over it
        print(f"extract: could not write the review report: {type(e).__name__}: {e}", file=sys.stderr)

    for d in all_rows["documents"]:
        if d.get("status") == "failed":
            summary.failed += 1
            summary.failures.append((d.get("file", "?"), d.get("error", "")))
        elif d.get("status") == "partial":
            summary.partial += 1
        summary.pages += int(d.get("pages") or 0)
        summary.tables += int(d.get("tables") or 0)
        summary.checks_failed += int(d.get("checks_failed") or 0)
    summary.cells = len(all_rows["cells"])
    numeric = [c for c in all_rows["cells"] if c["kind"] == "number"]
    summary.numeric_cells = len(numeric)
    summary.low_conf_cells = sum(1 for c in numeric if "low_confidence" in (c["flags"] or ""))
    summary.records = len(all_rows["records"])
    summary.figures = len(all_rows["figures"])
    summary.seconds = time.perf_counter() - t0
    return summary
