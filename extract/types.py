"""Small typed objects that flow between the pipeline's stages.

Conventions, fixed once here and converted at the boundaries:
- pages are 1-based (``page``); tables, rows and columns are 0-based;
- ``BBox`` is in pixels of the *working* page image (after rotation/deskew) unless a name says otherwise;
  exported boxes are fractions (0-1) of the page *as given*;
- confidences are floats in 0.0-1.0, or ``None`` when the source has none (born-digital text).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum
from typing import Optional

import numpy as np


@dataclass(frozen=True)
class BBox:
    x0: float
    y0: float
    x1: float
    y1: float

    def __post_init__(self) -> None:
        if self.x1 < self.x0 or self.y1 < self.y0:
            raise ValueError(f"inverted box {self}")

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        return self.y1 - self.y0

    @property
    def area(self) -> float:
        return self.width * self.height

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2

    def intersection(self, other: "BBox") -> float:
        w = min(self.x1, other.x1) - max(self.x0, other.x0)
        h = min(self.y1, other.y1) - max(self.y0, other.y0)
        return w * h if w > 0 and h > 0 else 0.0

    def iou(self, other: "BBox") -> float:
        inter = self.intersection(other)
        union = self.area + other.area - inter
        return inter / union if union > 0 else 0.0

    def contains_point(self, x: float, y: float) -> bool:
        return self.x0 <= x <= self.x1 and self.y0 <= y <= self.y1

    def union(self, other: "BBox") -> "BBox":
        return BBox(min(self.x0, other.x0), min(self.y0, other.y0), max(self.x1, other.x1), max(self.y1, other.y1))

    def scaled(self, sx: float, sy: float) -> "BBox":
        return BBox(self.x0 * sx, self.y0 * sy, self.x1 * sx, self.y1 * sy)

    def inset(self, d: float) -> "BBox":
        d = min(d, self.width / 2 - 0.5, self.height / 2 - 0.5) if self.width > 1 and self.height > 1 else 0
        return BBox(self.x0 + d, self.y0 + d, self.x1 - d, self.y1 - d)


class PageSource(str, Enum):
    IMAGE = "image"          # a raster file (PNG/JPEG/TIFF)
    PDF_SCAN = "pdf-scan"    # a PDF page without a usable text layer, rendered and OCR'd
    PDF_TEXT = "pdf-text"    # a born-digital PDF page read from its own words and rules


@dataclass(frozen=True)
class Provenance:
    """Where a page came from. Created once when the page is loaded; travels by reference."""

    file: str            # path as given by the user
    sha256: str
    page: int            # 1-based
    source: PageSource
    dpi: float           # of the working image (72 for PDF text pages: 1 unit = 1 pt)
    width: float         # page as given, in working units (px or pt)
    height: float
    note: str = ""       # e.g. why a PDF page was rasterized


@dataclass
class PageImage:
    """A raster page ready for table detection and OCR (grayscale uint8).

    ``to_original`` maps working-image pixel coordinates back to the page as given: a 2x3 affine
    matrix (rotation/deskew undo). Identity when nothing was turned.
    """

    provenance: Provenance
    gray: np.ndarray
    to_original: np.ndarray = field(default_factory=lambda: np.array([[1.0, 0, 0], [0, 1.0, 0]]))
    rotation: int = 0          # 0/90/180/270 applied to get upright
    skew_deg: float = 0.0      # deskew angle applied

    def box_to_fraction(self, box: BBox) -> BBox:
        """Map a working-image box to 0-1 fractions of the page as given."""
        pts = np.array([[box.x0, box.y0, 1], [box.x1, box.y0, 1], [box.x0, box.y1, 1], [box.x1, box.y1, 1]])
        mapped = pts @ self.to_original.T
        w, h = self.provenance.width, self.provenance.height
        xs = np.clip(mapped[:, 0] / w, 0, 1)
        ys = np.clip(mapped[:, 1] / h, 0, 1)
        return BBox(float(xs.min()), float(ys.min()), float(xs.max()), float(ys.max()))


@dataclass(frozen=True)
class Word:
    """A word from a born-digital PDF text layer (points, top-left origin)."""

    text: str
    box: BBox


@dataclass(frozen=True)
class Rule:
    """A ruling line segment (horizontal or vertical) in working units."""

    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def horizontal(self) -> bool:
        return abs(self.y1 - self.y0) <= abs(self.x1 - self.x0)


@dataclass
class PdfTextPage:
    """A born-digital page: words and rules from the PDF itself, no pixels."""

    provenance: Provenance
    words: list[Word]
    rules: list[Rule]

    def box_to_fraction(self, box: BBox) -> BBox:
        w, h = self.provenance.width, self.provenance.height
        return BBox(max(0.0, box.x0 / w), max(0.0, box.y0 / h), min(1.0, box.x1 / w), min(1.0, box.y1 / h))


@dataclass(frozen=True)
class Token:
    """A piece of recognized text with its box and confidence (0-1, None when unknown)."""

    text: str
    box: BBox
    confidence: Optional[float]
    source: str = "tesseract"   # "tesseract", "digits", "pdf"


@dataclass(frozen=True)
class GridCell:
    """A cell of a detected table grid, before any text is read."""

    row: int
    col: int
    row_span: int
    col_span: int
    box: BBox


@dataclass
class TableGrid:
    """A table's structure: the cells and the row/column boundaries (working units)."""

    index: int
    box: BBox
    row_edges: list[float]
    col_edges: list[float]
    cells: list[GridCell]
    ruled: str = "full"     # "full", "horizontal" (column edges inferred), "none" (rows from text lines too), "pdf"

    @property
    def n_rows(self) -> int:
        return len(self.row_edges) - 1

    @property
    def n_cols(self) -> int:
        return len(self.col_edges) - 1


class CellKind(str, Enum):
    EMPTY = "empty"
    DASH = "dash"          # '-' : nothing planned
    NUMBER = "number"
    TEXT = "text"
    HEADER = "header"


@dataclass
class Cell:
    """A table cell with what was read in it."""

    table: int
    row: int
    col: int
    row_span: int
    col_span: int
    box: BBox                      # working units
    frac: BBox                     # fractions of the page as given
    text_raw: str = ""
    text: str = ""
    value: Optional[Decimal] = None
    kind: CellKind = CellKind.EMPTY
    confidence: Optional[float] = None
    flags: list[str] = field(default_factory=list)
    alternatives: list[tuple[str, float]] = field(default_factory=list)  # recognizer's other readings
    tesseract_text: str = ""       # what Tesseract read, when another reader decided
    role: str = ""                 # column role from the header (activity, work, budget, ...)
    header: bool = False           # part of the table's header rows
    suggested_value: Optional[Decimal] = None  # a reading that makes the form's arithmetic hold
    ocr_confidence: Optional[float] = None     # the reader's own confidence, before the arithmetic checks

    def flag(self, name: str) -> None:
        if name not in self.flags:
            self.flags.append(name)

    @property
    def read_confidence(self) -> Optional[float]:
        """The reader's own confidence: before the arithmetic raised or capped it, when it has."""
        return self.ocr_confidence if self.ocr_confidence is not None else self.confidence


@dataclass
class Table:
    index: int
    grid: TableGrid
    cells: list[Cell]
    layout: Optional[object] = None   # plan.Layout once the header is understood
    money_decimals: Optional[int] = None   # 2 when the table writes baht with satang (``.๐๐``), else 0/None

    def cell_at(self, row: int, col: int) -> Optional[Cell]:
        for c in self.cells:
            if c.row <= row < c.row + c.row_span and c.col <= col < c.col + c.col_span:
                return c
        return None


@dataclass
class PageResult:
    provenance: Provenance
    tables: list[Table]
    header_text: str = ""          # text outside tables (title block), for header fields
    seconds: float = 0.0
    title_year: Optional[int] = None   # fiscal year read from the title with the numeral recognizer


@dataclass
class Record:
    document: str
    page: int
    table: int
    row: int
    fiscal_year: Optional[int]
    agency: str
    activity_code: str
    activity: str
    row_kind: str          # item, total, section
    month: str             # YYYY-MM (Gregorian); '' when the fiscal year is unknown
    fiscal_month: int      # 1..12 (Oct = 1)
    quarter: int
    measure: str           # work, budget
    value: Decimal
    unit: str
    confidence: Optional[float]
    flags: list[str]
    col: int = -1
    x0: float = 0.0
    y0: float = 0.0
    x1: float = 0.0
    y1: float = 0.0
    text_raw: str = ""
    suggested_value: Optional[Decimal] = None


@dataclass
class Figure:
    """One figure of a table that is not a plan form (a budget bill's), with the labels that say what it is."""
    document: str
    page: int
    table: int
    row: int
    col: int
    row_label: str         # the row's label as written (``- งบลงทุน``)
    row_group: str         # for a bulleted row, the row it is listed under (``เงินงบประมาณ``); else ''
    column_label: str      # the header over its column, top to bottom (``งบประมาณ / ปี 2565 แผน (ผล)*``)
    value: Decimal
    unit: str              # from the row's unit column (``ล้านบาท``), else as written beside the figure
    confidence: Optional[float]
    flags: list[str]
    x0: float = 0.0
    y0: float = 0.0
    x1: float = 0.0
    y1: float = 0.0
    text_raw: str = ""


@dataclass(frozen=True)
class Issue:
    """A soft failure: recorded, counted, never fatal to the batch."""

    file: str
    page: Optional[int]
    stage: str
    message: str
    severity: str = "error"   # "error" fails the document; "warning" does not
