"""Run the pipeline on the real documents beside the project (../shared/realdata, not part of the repository
and never a test dependency) and print what can be checked without a hand transcription:

* budget PDFs: figures found, confirmed / failed by the tables' own totals, figures with a unit; for the bill
  whose Thai text layer is garbage (so its pages are OCR'd), how many OCR'd figures equal a digit token of the
  PDF's own text layer (its digits are mapped correctly);
* the vote log (a scan without rules): tables found, and per body row whether the row number reads as 1-3
  digits, the card number as 3 digits, the vote cell ends in a vote word.

Usage: .venv/bin/python scripts/realdata_check.py [REALDATA_DIR] (default ../shared/realdata)
"""
from __future__ import annotations

import re
import sys
import tempfile
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from extract.batch import run_batch  # noqa: E402
from extract.config import Settings  # noqa: E402

VOTES = ("เห็นด้วย", "ไม่เห็นด้วย", "งดออกเสียง", "ไม่ลงคะแนน")


def main() -> int:
    root = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).resolve().parents[2] / "shared" / "realdata")
    if not root.is_dir():
        print(f"realdata_check: {root} not found", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        s = run_batch([root], tmp, Settings(), workers=2, progress=False)
        print(s.text())
        cells = pd.read_parquet(Path(tmp) / "cells.parquet")
        figs = pd.read_parquet(Path(tmp) / "figures.parquet")
    flags = figs["flags"].fillna("")
    print("\n## budget tables (figures of tables that are not plan forms)")
    for doc, g in figs.groupby("document"):
        fl = g["flags"].fillna("")
        print(f"{doc}: {len(g)} figures, {fl.str.contains('checked').sum()} confirmed by the table's totals, "
              f"{fl.str.contains('sum_mismatch').sum()} in a failing total, {(g['unit'].fillna('') != '').sum()} with a unit")
    print(f"all: {len(figs)} figures, {flags.str.contains('checked').sum()} confirmed, "
          f"{flags.str.contains('sum_mismatch').sum()} failing")
    bill = root / "budget-bill-excerpt-12pages.pdf"
    if bill.exists():
        import pdfplumber

        b = figs[figs["document"] == bill.name]
        ok = 0
        with pdfplumber.open(bill) as pdf:
            for page, g in b.groupby("page"):
                toks = set(re.findall(r"[0-9][0-9,.]*", pdf.pages[int(page) - 1].extract_text() or ""))
                for t in g["text_raw"]:
                    m = re.match(r"[0-9][0-9,.]*", str(t).strip())
                    ok += bool(m and m.group(0) in toks)
        print(f"{bill.name}: OCR'd figures equal to a digit token of the PDF's text layer: {ok}/{len(b)}")
    v = cells[cells["document"].str.startswith("votelog")]
    if len(v):
        print("\n## vote log (a scan without rules)")
        print(f"pages with a table: {v['page'].nunique()}")
        seq = card = vote = n = 0
        for page, g in v.groupby("page"):
            ncols = int(g["col"].max()) + 1
            shift = ncols - 5 if ncols > 5 else 0   # a column of margin ink on the left
            for r, rg in g[g["row"] > 0].groupby("row"):
                t = {int(c): str(x or "").strip() for c, x in zip(rg["col"], rg["text"])}
                n += 1
                seq += bool(re.fullmatch(r"\d{1,3}", t.get(shift, "")))
                card += bool(re.fullmatch(r"\d{3}", t.get(shift + 1, "")))
                vote += any(t.get(shift + 4, "").endswith(w) for w in VOTES)
        print(f"body rows: {n}; row number as 1-3 digits: {seq}; card number as 3 digits: {card}; "
              f"vote cell ends in a vote word: {vote}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
