"""`extract bench`: generate the set, run the pipeline, plain Tesseract and the peers on the same pages,
score everything with the same code, write bench/REPORT.md and bench/results.json."""
from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import sys
import time
from dataclasses import replace
from pathlib import Path

from ..config import Settings
from . import peers, sets
from . import run as brun

ROOT = Path(__file__).resolve().parents[2]


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--quick", action="store_true", help="8 pages, for daily use (< 3 min on 2 cores)")
    p.add_argument("--seed", type=int, default=2566, help="seed of the generated set (default 2566)")
    p.add_argument("--set-dir", default=None, help="where the set is generated (default .bench/full or .bench/quick)")
    p.add_argument("--report-dir", default=str(ROOT / "bench"), help="where REPORT.md and results.json go (default bench/)")
    p.add_argument("--no-peer", action="store_true", help="skip img2table and pdfplumber")
    p.add_argument("--no-baseline", action="store_true", help="skip the run with Tesseract reading the numbers")


def _log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def run_bench(args: argparse.Namespace) -> dict:
    quick = args.quick
    specs = sets.quick_set(args.seed) if quick else sets.full_set(args.seed)
    set_dir = Path(args.set_dir or ROOT / ".bench" / ("quick" if quick else "full") / str(args.seed))
    marker = set_dir / ".complete"
    if not marker.exists():
        if set_dir.exists():
            shutil.rmtree(set_dir)
        _log(f"generating {sets.page_count(specs)} pages into {set_dir}")
        from ..synth.document import generate_set

        generate_set(str(set_dir), args.seed, specs)
        marker.write_text("ok")
    items = brun.truth_files(set_dir)
    docs = [d for d, _ in items]
    n_pages = sum(len(t["pages"]) for _, t in items)
    scans = [(d, t) for d, t in items if t["kind"] != "pdf-text"]
    digital = [(d, t) for d, t in items if t["kind"] == "pdf-text"]
    settings = Settings()
    results: dict = {"date": dt.datetime.now().isoformat(timespec="seconds"), "machine": brun.machine_line(),
                     "mode": "quick" if quick else "full", "seed": args.seed, "pages": n_pages,
                     "scan_pages": sum(len(t["pages"]) for _, t in scans)}

    _log(f"ours, 1 worker, {len(docs)} documents / {n_pages} pages")
    ours, secs1 = brun.run_ours(docs, settings, workers=1)
    results["ours"] = brun.score_run(items, ours)
    scan_secs = sum(ours[str(d)]["seconds"] for d, _ in scans)
    scan_pages = results["scan_pages"]
    results["speed"] = {
        "seconds_total_1w": round(secs1, 2),
        "seconds_per_scan_page": round(scan_secs / scan_pages, 3) if scan_pages else None,
        "seconds_per_digital_page": round(sum(ours[str(d)]["seconds"] for d, _ in digital) /
                                          max(1, sum(len(t["pages"]) for _, t in digital)), 3),
        "pages_per_minute_1w": round(60 * n_pages / secs1, 2),
    }

    _log("plain tesseract PAGE - -l tha+eng on the same scan pages")
    tmp = set_dir / ".pages"
    images = {str(d): brun.page_images(d, t, tmp) for d, t in scans}
    tess = brun.plain_tesseract_seconds([p for ims in images.values() for p in ims])
    results["speed"]["plain_tesseract_seconds_per_page"] = round(tess / scan_pages, 3) if scan_pages else None
    results["speed"]["ratio_ours_to_plain_tesseract"] = round(scan_secs / tess, 2) if tess else None

    _log("ours, 2 workers (throughput)")
    sub = docs if quick else [d for d, _ in scans][:10] + [d for d, _ in digital][:2]
    sub_pages = sum(len(t["pages"]) for d, t in items if d in sub)
    outs2, secs2 = brun.run_ours(sub, settings, workers=2)
    secs_sub_1w = sum(ours[str(d)]["seconds"] for d in sub)
    results["speed"]["pages_per_minute_1w_subset"] = round(60 * sub_pages / secs_sub_1w, 2)
    results["speed"]["pages_per_minute_2w_subset"] = round(60 * sub_pages / secs2, 2)
    results["speed"]["subset_pages"] = sub_pages
    results["speed"]["peak_rss_mb_per_worker"] = round(max(o["maxrss_mb"] for o in outs2.values()), 1)

    if not args.no_baseline:
        _log("baseline: the same pipeline with Tesseract reading the numeric cells (no numeral recognizer)")
        base, _ = brun.run_ours([d for d, _ in scans], replace(settings, use_digit_reader=False), workers=2)
        results["tesseract_numbers"] = brun.score_run(scans, base)

    if not args.no_peer:
        peer_out = {}
        if peers.img2table_available():
            pick = scans if not quick else scans[:3]
            _log(f"peer: img2table (Tesseract tha+eng) on {sum(len(t['pages']) for _, t in pick)} scan pages")
            for d, t in pick:
                peer_out[str(d)] = peers.run_img2table(images[str(d)], d, t)
            results["img2table"] = brun.score_run(pick, peer_out)
            results["img2table"]["seconds_per_page"] = round(sum(o["seconds"] for o in peer_out.values()) /
                                                             max(1, sum(len(t["pages"]) for _, t in pick)), 3)
            results["img2table"]["errors"] = [o.get("error") for o in peer_out.values() if o.get("error")][:3]
        else:
            results["img2table"] = {"skipped": "no .venv-peer (run scripts/bench.sh to create it)"}
        _log("peer: pdfplumber extract_tables on the born-digital PDFs")
        pp = {str(d): peers.run_pdfplumber(d, t) for d, t in digital}
        results["pdfplumber"] = brun.score_run(digital, pp)
        results["ours_digital"] = brun.score_run(digital, ours)
        results["ours_scans"] = brun.score_run(scans, ours)
    return results


def write_report(results: dict, report_dir: Path) -> Path:
    report_dir.mkdir(parents=True, exist_ok=True)
    name = "quick" if results["mode"] == "quick" else "full"
    (report_dir / f"results-{name}.json").write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    o = results["ours"]["overall"]
    sp = results["speed"]
    lines = [
        f"# Benchmark ({results['mode']})", "",
        f"{results['date']} · {results['machine']} · seed {results['seed']} · {results['pages']} pages "
        f"({results['scan_pages']} scanned)", "",
        "Generated by `extract bench" + (" --quick" if results["mode"] == "quick" else "") + "`; every figure is "
        "measured in that run against the generator's exact ground truth.", "",
        "## Headline (all pages)", "",
        "| metric | ours |", "|---|---|",
    ]
    for k in brun.METRIC_COLS:
        lines.append(f"| {k} | {brun.fmt(o.get(k))} |")
    lines += ["", "## Speed", "", "| figure | value |", "|---|---|"]
    for k, v in sp.items():
        lines.append(f"| {k} | {brun.fmt(v)} |")
    lines += ["", "## By resolution (ours)", "", brun.table_md(results["ours"].get("by_dpi", {})).replace(
        "stratum (dpi · degradation · font · ruling · digits)", "resolution · degradation"), ""]
    lines += ["## By stratum (ours)", "", brun.table_md(results["ours"]["strata"]), ""]
    cmp_rows = {}
    if "ours_scans" in results:
        cmp_rows["ours (scans)"] = results["ours_scans"]["overall"]
    if "tesseract_numbers" in results:
        cmp_rows["ours with Tesseract reading numbers (scans)"] = results["tesseract_numbers"]["overall"]
    if "img2table" in results and "overall" in results["img2table"]:
        cmp_rows["img2table + Tesseract tha+eng (scans)"] = results["img2table"]["overall"]
    if "ours_digital" in results:
        cmp_rows["ours (born-digital)"] = results["ours_digital"]["overall"]
    if "pdfplumber" in results:
        cmp_rows["pdfplumber extract_tables (born-digital)"] = results["pdfplumber"]["overall"]
    if cmp_rows:
        lines += ["## Side by side", "", "Peers' cell texts go through our normalizer and plan interpretation, so "
                  "their records measure their tables and OCR.", "", brun.table_md(cmp_rows).replace("stratum (dpi · degradation · font · ruling · digits)", "system"), ""]
    if "img2table" in results and "skipped" in results["img2table"]:
        lines += [f"img2table: {results['img2table']['skipped']}", ""]
    if "tesseract_numbers" in results:
        lines += ["## Numbers by Tesseract alone, by stratum", "", brun.table_md(results["tesseract_numbers"]["strata"]), ""]
    path = report_dir / ("REPORT.md" if name == "full" else "REPORT-quick.md")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def run(args: argparse.Namespace) -> int:  # noqa: F811 - the CLI entry
    t0 = time.perf_counter()
    results = run_bench(args)
    results["bench_seconds"] = round(time.perf_counter() - t0, 1)
    path = write_report(results, Path(args.report_dir))
    o = results["ours"]["overall"]
    print(f"report: {path}")
    print("ours: " + ", ".join(f"{k}={brun.fmt(o.get(k))}" for k in ("cell_precision", "cell_recall", "numeric_exact",
                                                                         "text_cer", "records_f1", "header_field_accuracy")))
    print("speed: " + ", ".join(f"{k}={v}" for k, v in results["speed"].items()))
    print(f"bench took {results['bench_seconds']} s")
    return 0
