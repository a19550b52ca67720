"""Runs in the peer venv (.venv-peer, with img2table): page images -> JSON of table cells with text.

Usage: python peer_img2table.py PAGE.png ...   (prints [{"width", "height", "tables": [[x0,y0,x1,y1,text], ...]}])
"""
import json
import sys

import cv2
from img2table.document import Image
from img2table.ocr import TesseractOCR


def main(paths):
    ocr = TesseractOCR(n_threads=1, lang="tha+eng")
    out = []
    for p in paths:
        h, w = cv2.imread(p, cv2.IMREAD_GRAYSCALE).shape[:2]
        doc = Image(src=p)
        tables = doc.extract_tables(ocr=ocr, implicit_rows=False, borderless_tables=False, min_confidence=50)
        page = {"width": w, "height": h, "tables": []}
        for t in tables:
            seen = {}
            for row in t.content.values():
                for cell in row:
                    b = cell.bbox
                    key = (b.x1, b.y1, b.x2, b.y2)
                    if key not in seen:
                        seen[key] = [b.x1, b.y1, b.x2, b.y2, cell.value or ""]
            page["tables"].append(list(seen.values()))
        out.append(page)
    sys.stdout.write("\n@@JSON@@\n" + json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1:])
