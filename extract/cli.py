"""Command line: `extract run`, `extract synth`, `extract debug`, `extract bench`."""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path


def _cmd_run(args: argparse.Namespace) -> int:
    from .batch import run_batch
    from .config import Settings

    try:
        settings = Settings(ocr_engine=args.ocr, raster_dpi=args.dpi, force_ocr=args.force_ocr,
                            use_digit_reader=not args.no_digit_reader, low_confidence=args.low_confidence)
    except ValueError as e:
        print(f"extract: {e}", file=sys.stderr)
        return 2
    missing = [p for p in args.inputs if not Path(p).exists()]
    for p in missing:
        print(f"extract: warning: {p} does not exist (recorded as a failure)", file=sys.stderr)
    summary = run_batch(args.inputs, args.out, settings, workers=args.workers, fresh=args.fresh,
                        progress=not args.quiet)
    print(summary.text())
    print(f"outputs in {args.out}/: cells, records, figures, documents, issues (.csv and .parquet), datapackage.json; "
          f"review: report.html, corrections.csv")
    return 1 if summary.failed else 0


def _cmd_debug(args: argparse.Namespace) -> int:
    from .debug import debug_page

    return debug_page(args.page, args.out, page_no=args.page_no)


def _cmd_correct(args: argparse.Namespace) -> int:
    from .review import apply_corrections

    try:
        n = apply_corrections(Path(args.out), Path(args.corrections) if args.corrections else None)
    except (ValueError, FileNotFoundError) as e:
        print(f"extract correct: {e}", file=sys.stderr)
        return 2
    print(f"{n} cell(s) corrected in {args.out} (flag 'corrected'; the reading stays in text_raw)")
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="extract",
        description="Extract tidy, checked tables from scanned and born-digital Thai action-plan and budget forms.",
    )
    sub = p.add_subparsers(dest="command", required=True)

    r = sub.add_parser("run", help="extract files and folders into cells/records/documents tables",
                       description="Read PNG, JPEG, TIFF (multi-page too) and PDF files (scanned or born-digital) and "
                                   "write OUT/cells, OUT/records, OUT/figures, OUT/documents and OUT/issues as CSV and Parquet, plus "
                                   "OUT/datapackage.json. Exit code 1 when any input failed (see documents.status/error).")
    r.add_argument("inputs", nargs="+", help="files or folders (folders are searched recursively for "
                                              ".pdf .png .jpg .jpeg .tif .tiff; other files in them are ignored)")
    r.add_argument("--out", required=True, help="output folder (created; tables are replaced atomically)")
    r.add_argument("--workers", type=int, default=min(2, os.cpu_count() or 1),
                   help="documents processed in parallel (default: min(2, CPUs)); each worker runs Tesseract single-threaded")
    r.add_argument("--fresh", action="store_true",
                   help="ignore saved per-document state in OUT/.state and redo every file (default: resume, "
                        "skipping files already done with the same settings)")
    r.add_argument("--ocr", default="tesseract", help="OCR engine: tesseract (default) or null (structure only)")
    r.add_argument("--dpi", type=int, default=300, help="resolution for rendering PDF pages that need OCR (default 300)")
    r.add_argument("--force-ocr", action="store_true", help="OCR born-digital PDF pages too, ignoring their text layer")
    r.add_argument("--no-digit-reader", action="store_true",
                   help="read numeric cells with Tesseract instead of the project's numeral recognizer (for comparison)")
    r.add_argument("--low-confidence", type=float, default=0.5,
                   help="numeric cells with confidence below this get the low_confidence flag (default 0.5; "
                        "every cell read at 0.9 or above was right on both benchmark sets, bench/REPORT.md)")
    r.add_argument("--quiet", action="store_true", help="no progress bar")
    r.set_defaults(func=_cmd_run)

    d = sub.add_parser("debug", help="draw detected rules, cells and low-confidence cells over a page",
                       description="Run one page through the pipeline and write an overlay image: rules in blue, "
                                   "cells in green with row,col, low-confidence cells in red.")
    d.add_argument("page", help="an image or PDF")
    d.add_argument("--page-no", type=int, default=1, help="page of a multi-page file (1-based)")
    d.add_argument("--out", required=True, help="overlay PNG to write")
    d.set_defaults(func=_cmd_debug)

    c = sub.add_parser("correct", help="apply a reviewer's corrections (OUT/corrections.csv) to cells and records",
                       description="Every run writes OUT/report.html (flagged cells with image crops) and "
                                   "OUT/corrections.csv; fill its corrected_value column and run this command.")
    c.add_argument("out", help="the output folder of a run")
    c.add_argument("--corrections", help="corrections CSV (default OUT/corrections.csv)")
    c.set_defaults(func=_cmd_correct)

    try:
        from .synth import cli as synth_cli

        s = sub.add_parser("synth", help="generate synthetic plan-form pages with exact ground truth")
        synth_cli.add_arguments(s)
        s.set_defaults(func=synth_cli.run)
    except ImportError:
        pass

    try:
        from .bench import cli as bench_cli

        b = sub.add_parser("bench", help="benchmark accuracy and speed against ground truth and plain Tesseract")
        bench_cli.add_arguments(b)
        b.set_defaults(func=bench_cli.run)
    except ImportError:
        pass
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.func(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
