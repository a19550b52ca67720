"""Table structure of plan-form pages: orientation, deskew, rules, grids, spanning cells.

Public entry points::

    detect_orientation(gray) -> int                       # clockwise degrees to upright
    estimate_skew(gray) -> float                          # degrees, CCW positive
    upright(page: PageImage) -> PageImage                 # rotated + deskewed, to_original set
    find_rules(gray, dpi) -> (h_rules, v_rules)
    remove_rules(gray, h, v, dpi) -> gray
    rules_to_grid(h, v, dpi, words=None) -> list[TableGrid]
    grid_to_cells(row_edges, col_edges, h, v, dpi) -> list[GridCell]
    detect_tables(gray, dpi) -> list[TableGrid]
    detect(gray, dpi) -> Detection (grids + rules + binary + rule mask)
    tables_from_pdf(rules, words, page_w, page_h) -> list[TableGrid]
    draw_overlay(gray, grids, h_rules, v_rules, low_conf_boxes) -> BGR image
"""
from extract.tables.cells import grid_to_cells, merge_spans
from extract.tables.debug import draw_overlay
from extract.tables.deskew import estimate_skew, upright
from extract.tables.detect import Detection, detect, detect_tables, pdf_rules_from_plumber, tables_from_pdf
from extract.tables.grid import rules_to_grid
from extract.tables.lines import find_rules, line_mask, remove_rules
from extract.tables.orient import detect_orientation, orientation_with_confidence

__all__ = ["detect_orientation", "orientation_with_confidence", "estimate_skew", "upright", "find_rules",
           "remove_rules", "line_mask", "rules_to_grid", "grid_to_cells", "merge_spans", "detect", "detect_tables",
           "Detection", "tables_from_pdf", "pdf_rules_from_plumber", "draw_overlay"]
