"""Synthetic plan-form pages with known grids, for the table-detection tests.

Geometry is laid out in inches and drawn at any dpi; the expected cells are the rule-centre rectangles in
pixels of the drawn (unrotated) page.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

FONT_DIR = "/usr/share/fonts/truetype/tlwg/"
PAGE_W_IN, PAGE_H_IN = 11.69, 8.27          # A4 landscape
MONTHS = ["ต.ค.", "พ.ย.", "ธ.ค.", "ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย."]
THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙"
ACTIVITIES = [
    "๑.๑ ประชุมคณะกรรมการดำเนินการสหกรณ์",
    "๑.๒ ตรวจการสหกรณ์และกลุ่มเกษตรกร",
    "๑.๓ ส่งเสริมและพัฒนาสหกรณ์ ให้มีความเข้มแข็งตามศักยภาพ",
    "๒.๑ แนะนำส่งเสริมการจัดทำบัญชี",
    "๒.๒ อบรมสมาชิกสหกรณ์",
    "๒.๓ ติดตามการใช้จ่ายเงินกู้",
    "(๑) จัดประชุมชี้แจงแผนงานประจำปี ร่วมกับเครือข่าย",
    "(๒) นิเทศงาน",
]


def thai(n: int) -> str:
    return "".join(THAI_DIGITS[int(d)] for d in str(n))


@functools.lru_cache(maxsize=16)
def font(size_px: int, name: str = "Garuda") -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(FONT_DIR + name + ".ttf", max(6, size_px))


@dataclass
class Table:
    x_in: float
    y_in: float
    col_w: list[float]
    row_h: list[float]
    cells: list[tuple[int, int, int, int, str]]        # r, c, rs, cs, text
    h_only: bool = False
    double_under_header: int = -1                       # row edge index drawn as a double line

    def col_edges(self) -> list[float]:
        return list(np.cumsum([self.x_in] + self.col_w))

    def row_edges(self) -> list[float]:
        return list(np.cumsum([self.y_in] + self.row_h))


@dataclass
class Page:
    gray: np.ndarray
    dpi: float
    tables: list[dict] = field(default_factory=list)   # {"cells": [(r,c,rs,cs,(x0,y0,x1,y1))], row_edges, col_edges}


def plan_table(x_in: float, y_in: float, n_items: int = 9, seed: int = 0) -> Table:
    rng = np.random.default_rng(seed)
    col_w = [2.7, 0.75, 0.75] + [0.25] * 24 + [0.75]
    row_h = [0.32, 0.30, 0.30]
    cells = [(0, 0, 3, 1, "กิจกรรม/ขั้นตอน"), (0, 1, 2, 2, "เป้าหมาย"), (0, 27, 3, 1, "ผู้รับผิดชอบ")]
    for q in range(4):
        cells.append((0, 3 + 6 * q, 1, 6, f"ไตรมาส {thai(q + 1)}"))
    for m in range(12):
        cells.append((1, 3 + 2 * m, 1, 2, MONTHS[m]))
    cells += [(2, 1, 1, 1, "จำนวน"), (2, 2, 1, 1, "งบ")]
    for k in range(24):
        cells.append((2, 3 + k, 1, 1, "งาน" if k % 2 == 0 else "งบ"))
    r = 3
    for i in range(n_items):
        if i % 4 == 0:
            row_h.append(0.32)
            cells.append((r, 0, 1, 28, "แผนงานด้านการส่งเสริมและพัฒนาองค์กร" if i == 0 else "แผนงานด้านการกำกับดูแล"))
            r += 1
        text = ACTIVITIES[i % len(ACTIVITIES)]
        wrapped = len(text) > 30
        row_h.append(0.55 if wrapped else 0.32)
        cells.append((r, 0, 1, 1, text))
        cells.append((r, 1, 1, 1, f"{thai(int(rng.integers(1, 60)))} แห่ง"))
        cells.append((r, 2, 1, 1, thai(int(rng.integers(1, 9)) * 1000)))
        for k in range(24):
            v = int(rng.integers(0, 4))
            cells.append((r, 3 + k, 1, 1, "-" if v == 0 else thai(v)))
        cells.append((r, 27, 1, 1, "สมชาย"))
        r += 1
    row_h.append(0.32)
    cells.append((r, 0, 1, 3, "รวมแผนการใช้จ่ายงบประมาณ (บาท)"))
    for k in range(24):
        cells.append((r, 3 + k, 1, 1, thai(int(rng.integers(1, 9)))))
    cells.append((r, 27, 1, 1, ""))
    return Table(x_in, y_in, col_w, row_h, cells, double_under_header=3)


def small_table(x_in: float, y_in: float) -> Table:
    """A budget summary: 4 columns, a spanning title row."""
    col_w = [3.0, 1.3, 1.3, 1.3]
    row_h = [0.35] + [0.32] * 5
    cells = [(0, 0, 1, 4, "สรุปงบประมาณตามประเภทรายจ่าย")]
    names = ["งบบุคลากร", "งบดำเนินงาน", "งบลงทุน", "งบอุดหนุน", "รวม"]
    for i, n in enumerate(names):
        cells += [(1 + i, 0, 1, 1, n), (1 + i, 1, 1, 1, "๕๐,๒๐๐.๐๐"), (1 + i, 2, 1, 1, "๑๒"), (1 + i, 3, 1, 1, "บาท")]
    return Table(x_in, y_in, col_w, row_h, cells)


def hrules_table(x_in: float, y_in: float, seed: int = 1) -> Table:
    """Only horizontal rules: activity | target | 4 quarters | responsible; one section row spanning all."""
    rng = np.random.default_rng(seed)
    col_w = [3.2, 1.2, 1.1, 1.1, 1.1, 1.1, 1.5]
    heads = ["กิจกรรม", "เป้าหมาย", "ไตรมาส ๑", "ไตรมาส ๒", "ไตรมาส ๓", "ไตรมาส ๔", "ผู้รับผิดชอบ"]
    row_h = [0.35]
    cells = [(0, c, 1, 1, t) for c, t in enumerate(heads)]
    r = 1
    for i in range(9):
        if i == 4:
            row_h.append(0.32)
            cells.append((r, 0, 1, 7, "แผนงานด้านการส่งเสริมและพัฒนาองค์กร ประจำปีงบประมาณ พ.ศ. ๒๕๖๖ ทั้งสิ้น"))
            r += 1
        row_h.append(0.32)
        cells.append((r, 0, 1, 1, ACTIVITIES[i % len(ACTIVITIES)][:24]))
        cells.append((r, 1, 1, 1, f"{thai(int(rng.integers(1, 60)))} แห่ง"))
        for c in range(2, 6):
            cells.append((r, c, 1, 1, thai(int(rng.integers(1, 99)) * 100)))
        cells.append((r, 6, 1, 1, "นายสมชาย"))
        r += 1
    return Table(x_in, y_in, col_w, row_h, cells, h_only=True)


def _px(v_in: float, dpi: float) -> int:
    return int(round(v_in * dpi))


def render(tables: list[Table], dpi: float, *, seed: int = 0, gaps: bool = False, stamp: bool = False,
           faint: bool = False, noise: bool = True, title: bool = True) -> Page:
    rng = np.random.default_rng(seed)
    W, H = _px(PAGE_W_IN, dpi), _px(PAGE_H_IN, dpi)
    img = Image.new("L", (W, H), 255)
    d = ImageDraw.Draw(img)
    t = max(2, int(round(dpi / 110)))          # ~0.7 pt rule
    ink = 140 if faint else 20
    if title:
        f = font(_px(0.2, dpi))
        d.text((_px(3.0, dpi), _px(0.35, dpi)), "แผนปฏิบัติงานและงบประมาณรายจ่ายประจำปีงบประมาณ พ.ศ. ๒๕๖๖", font=f, fill=0)
        d.text((_px(0.5, dpi), _px(0.75, dpi)), "งาน/โครงการ : ส่งเสริมและพัฒนาสหกรณ์", font=font(_px(0.16, dpi)), fill=0)
    expected = []
    for tb in tables:
        xe = [_px(v, dpi) for v in tb.col_edges()]
        ye = [_px(v, dpi) for v in tb.row_edges()]
        nr, nc = len(ye) - 1, len(xe) - 1
        owner = -np.ones((nr, nc), int)
        for i, (r, c, rs, cs, _) in enumerate(tb.cells):
            owner[r:r + rs, c:c + cs] = i
        assert (owner >= 0).all()

        def hline(y, x0, x1, w=t):
            d.rectangle([x0 - t // 2, y - w // 2, x1 + t // 2, y - w // 2 + w - 1], fill=ink)

        def vline(x, y0, y1, w=t):
            d.rectangle([x - w // 2, y0 - t // 2, x - w // 2 + w - 1, y1 + t // 2], fill=ink)

        # horizontal separators: draw where owners differ (or outer)
        for r in range(nr + 1):
            for c in range(nc):
                if tb.h_only or r in (0, nr) or owner[r - 1, c] != owner[r, c]:
                    hline(ye[r], xe[c], xe[c + 1], 2 * t if r in (0, nr) else t)
            if r == tb.double_under_header:
                hline(ye[r] + max(3, _px(0.025, dpi)), xe[0], xe[-1])
        if not tb.h_only:
            for c in range(nc + 1):
                for r in range(nr):
                    if c in (0, nc) or owner[r, c - 1] != owner[r, c]:
                        vline(xe[c], ye[r], ye[r + 1], 2 * t if c in (0, nc) else t)
        # text
        for (r, c, rs, cs, text) in tb.cells:
            if not text:
                continue
            x0, x1, y0, y1 = xe[c], xe[c + cs], ye[r], ye[r + rs]
            size = _px(0.085, dpi) if (cs == 1 and xe[c + 1] - xe[c] < 0.3 * dpi) else _px(0.13, dpi)
            f = font(size)
            maxw = x1 - x0 - _px(0.08, dpi)
            lines = [text]
            if d.textlength(text, font=f) > maxw and " " in text:
                words = text.split(" ")
                lines = [" ".join(words[: len(words) // 2 + 1]), " ".join(words[len(words) // 2 + 1:])]
            lh = size * 1.35
            ty = (y0 + y1) / 2 - lh * len(lines) / 2
            for ln in lines:
                tw = d.textlength(ln, font=f)
                tx = x0 + _px(0.05, dpi) if (c == 0 and cs < 3) else (x0 + x1) / 2 - tw / 2
                d.text((tx, ty), ln, font=f, fill=0)
                ty += lh
        cells = [(r, c, rs, cs, (float(xe[c]), float(ye[r]), float(xe[c + cs]), float(ye[r + rs])))
                 for (r, c, rs, cs, _) in tb.cells]
        expected.append({"cells": cells, "row_edges": [float(v) for v in ye], "col_edges": [float(v) for v in xe],
                         "h_only": tb.h_only})
        if gaps:
            tw = xe[-1] - xe[0]
            for r in range(1, nr):
                g = int(rng.uniform(0.01, 0.02) * tw)
                gx = int(rng.uniform(xe[0] + 0.1 * tw, xe[-1] - 0.1 * tw))
                d.rectangle([gx, ye[r] - t, gx + g, ye[r] + t], fill=255)
            for c in range(1, nc, 3):
                r = int(rng.integers(4, nr))
                g = int(0.25 * (ye[r + 1] - ye[r]))
                gy = int(rng.uniform(ye[r] + 0.2 * (ye[r + 1] - ye[r]), ye[r + 1] - g - 0.2 * (ye[r + 1] - ye[r])))
                d.rectangle([xe[c] - 2 * t, gy, xe[c] + 2 * t, gy + g], fill=255)
    if stamp:
        cx, cy, rad = _px(6.4, dpi), _px(3.2, dpi), _px(0.6, dpi)
        d.ellipse([cx - rad, cy - rad, cx + rad, cy + rad], outline=70, width=max(3, _px(0.03, dpi)))
        d.ellipse([cx - rad * 0.75, cy - rad * 0.75, cx + rad * 0.75, cy + rad * 0.75], outline=70, width=max(2, _px(0.015, dpi)))
        d.text((cx - rad * 0.6, cy - _px(0.08, dpi)), "สหกรณ์จังหวัด", font=font(_px(0.13, dpi)), fill=70)
        # a signature scrawl
        xs = np.linspace(_px(8.0, dpi), _px(9.6, dpi), 60)
        ys = _px(5.2, dpi) + _px(0.12, dpi) * np.sin(np.linspace(0, 9, 60))
        d.line(list(zip(xs.tolist(), ys.tolist())), fill=40, width=max(2, _px(0.012, dpi)))
    gray = np.asarray(img, dtype=np.float32)
    if noise:
        gray = cv2.GaussianBlur(gray, (3, 3), 0.6)
        gray = gray * 0.93 + 8 + rng.normal(0, 6, gray.shape)
    return Page(np.clip(gray, 0, 255).astype(np.uint8), dpi, expected)


def rotate(gray: np.ndarray, deg: float) -> tuple[np.ndarray, np.ndarray]:
    """Rotate content by ``deg`` (counter-clockwise on screen), same canvas; returns image and 2x3 forward map."""
    h, w = gray.shape
    M = cv2.getRotationMatrix2D((w / 2, h / 2), deg, 1.0)
    out = cv2.warpAffine(gray, M, (w, h), flags=cv2.INTER_LINEAR, borderValue=int(np.median(gray[::16, ::16])))
    return out, M


def plan_page(dpi: float, **kw) -> Page:
    return render([plan_table(0.37, 1.1)], dpi, **kw)


def two_tables_page(dpi: float, **kw) -> Page:
    return render([plan_table(0.37, 1.0, n_items=3), small_table(1.0, 5.2)], dpi, **kw)


def hrules_page(dpi: float, **kw) -> Page:
    return render([hrules_table(0.6, 1.2)], dpi, **kw)


# ---- scoring -------------------------------------------------------------------------------------------

def match(grids, expected: dict, iou: float = 0.5, transform=None) -> tuple[float, float, bool, object]:
    """(recall, precision, spans_exact, grid) for the detected grid that best matches an expected table.

    ``transform`` maps an expected (x0, y0, x1, y1) into working coordinates (for rotated pages)."""
    from extract.types import BBox

    exp = []
    for r, c, rs, cs, b in expected["cells"]:
        if transform is not None:
            b = transform(b)
        exp.append(((r, c, rs, cs), BBox(*b)))
    best = (0.0, 0.0, False, None)
    for g in grids:
        det = [((x.row, x.col, x.row_span, x.col_span), x.box) for x in g.cells]
        rec = sum(1 for _, e in exp if any(e.iou(d) >= iou for _, d in det)) / len(exp)
        prec = sum(1 for _, d in det if any(e.iou(d) >= iou for _, e in exp)) / max(1, len(det))
        spans = sorted(k for k, _ in exp) == sorted(k for k, _ in det)
        if (rec, prec) > best[:2]:
            best = (rec, prec, spans, g)
    return best


def rules_from_cells(expected: dict, scale: float = 1.0) -> list:
    """Vector rules (as a PDF would give them) drawing the borders of the expected cells."""
    from extract.types import Rule

    out = []
    for _r, _c, _rs, _cs, (x0, y0, x1, y1) in expected["cells"]:
        x0, y0, x1, y1 = (v * scale for v in (x0, y0, x1, y1))
        out += [Rule(x0, y0, x1, y0), Rule(x0, y1, x1, y1), Rule(x0, y0, x0, y1), Rule(x1, y0, x1, y1)]
    return out
