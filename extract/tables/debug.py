"""Overlay of what table detection saw: rules (blue), cells (green, "r,c" and spans), low-confidence cells (red)."""
from __future__ import annotations

from typing import Iterable

import cv2
import numpy as np

from extract.types import BBox, Rule, TableGrid


def draw_overlay(gray: np.ndarray, grids: list[TableGrid], h_rules: Iterable[Rule] = (), v_rules: Iterable[Rule] = (),
                 low_conf_boxes: Iterable[BBox] = ()) -> np.ndarray:
    """BGR image: the page with rules, cells and low-confidence cells drawn on it."""
    img = cv2.cvtColor(gray, cv2.COLOR_GRAY2BGR) if gray.ndim == 2 else gray.copy()
    scale = max(1, int(round(max(img.shape[:2]) / 1500)))
    low = list(low_conf_boxes)
    if low:
        fill = img.copy()
        for b in low:
            cv2.rectangle(fill, (int(b.x0), int(b.y0)), (int(b.x1), int(b.y1)), (0, 0, 255), -1)
        img = cv2.addWeighted(fill, 0.35, img, 0.65, 0)
    for r in list(h_rules) + list(v_rules):
        cv2.line(img, (int(r.x0), int(r.y0)), (int(r.x1), int(r.y1)), (255, 0, 0), 2 * scale)
    for g in grids:
        for c in g.cells:
            b = c.box.inset(2 * scale)
            cv2.rectangle(img, (int(b.x0), int(b.y0)), (int(b.x1), int(b.y1)), (0, 160, 0), scale)
            label = f"{c.row},{c.col}" + (f" {c.row_span}x{c.col_span}" if c.row_span > 1 or c.col_span > 1 else "")
            cv2.putText(img, label, (int(b.x0) + 2, int(b.y0) + 10 * scale), cv2.FONT_HERSHEY_SIMPLEX,
                        0.3 * scale, (0, 120, 0), 1, cv2.LINE_AA)
        gb = g.box
        cv2.putText(img, f"table {g.index} ({g.ruled})", (int(gb.x0), max(12, int(gb.y0) - 4 * scale)),
                    cv2.FONT_HERSHEY_SIMPLEX, 0.5 * scale, (0, 100, 0), scale, cv2.LINE_AA)
    return img
