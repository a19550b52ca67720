"""Loading: a file on disk -> pages (raster ``PageImage`` or born-digital ``PdfTextPage``).

Files are recognised by their first bytes, not their names. Every way a file can be bad becomes an
``ExtractError`` with a message a person can act on; per-page problems are returned as ``Issue``s.
"""
from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Union

import cv2
import numpy as np

from .errors import CorruptFile, EmptyFile, EncryptedPdf, ExtractError, TooLarge, UnsupportedFile
from .types import BBox, Issue, PageImage, PageSource, PdfTextPage, Provenance, Rule, Word

RASTER_DPI = 300            # PDF pages without a usable text layer are rendered at this resolution
MAX_PIXELS = 250_000_000    # one page larger than this is refused (a 300-dpi A0 is ~140 MP)
MAX_PAGES = 2000
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".tif", ".tiff"}
SUPPORTED_SUFFIXES = IMAGE_SUFFIXES | {".pdf"}

Page = Union[PageImage, PdfTextPage]


@dataclass(frozen=True)
class Document:
    path: Path
    kind: str          # "pdf", "png", "jpeg", "tiff"
    sha256: str
    n_pages: int


def sniff(head: bytes) -> str | None:
    if head.startswith(b"%PDF") or b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head[:4] in (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+"):
        return "tiff"
    return None


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def open_document(path: Path) -> Document:
    """Check a file and count its pages. Raises ExtractError with a clear reason."""
    path = Path(path)
    if not path.exists():
        raise ExtractError(f"file not found: {path}")
    if path.is_dir():
        raise UnsupportedFile(f"{path} is a folder")
    size = path.stat().st_size
    if size == 0:
        raise EmptyFile("empty file (0 bytes)")
    with open(path, "rb") as f:
        head = f.read(2048)
    kind = sniff(head)
    if kind is None:
        printable = head[:16].decode("latin-1").encode("unicode_escape").decode()
        raise UnsupportedFile(
            f"not a PDF or image: the file starts with '{printable}'",
            hint="supported: PDF, PNG, JPEG, TIFF",
        )
    digest = _sha256(path)
    if kind == "pdf":
        n = _pdf_page_count(path)
    elif kind == "tiff":
        n = _tiff_page_count(path)
    else:
        n = 1
    if n == 0:
        raise CorruptFile("the file has no pages")
    if n > MAX_PAGES:
        raise TooLarge(f"{n} pages; at most {MAX_PAGES} per file", hint="split the file")
    return Document(path=path, kind=kind, sha256=digest, n_pages=n)


def _pdf_open(path: Path):
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError

    try:
        return pdfplumber.open(path)
    except PDFPasswordIncorrect as e:
        raise EncryptedPdf(
            "the PDF is encrypted (password protected)",
            hint=f"decrypt it first, e.g. `qpdf --decrypt --password=... {path.name} decrypted.pdf`",
        ) from e
    except PDFSyntaxError as e:
        raise CorruptFile(f"not a readable PDF: {e}") from e
    except Exception as e:  # pdfminer raises many kinds on damaged files; pdfplumber wraps them
        inner = [e, *(a for a in getattr(e, "args", ()) if isinstance(a, BaseException)), e.__cause__, e.__context__]
        if any(x is not None and (isinstance(x, PDFPasswordIncorrect) or "password" in str(x).lower()
               or "encrypt" in type(x).__name__.lower()) for x in inner):
            raise EncryptedPdf("the PDF is encrypted", hint="decrypt it first, e.g. with qpdf --decrypt") from e
        raise CorruptFile(f"damaged PDF: {type(e).__name__}: {e}") from e


def _pdf_page_count(path: Path) -> int:
    with _pdf_open(path) as pdf:
        try:
            return len(pdf.pages)
        except Exception as e:
            raise CorruptFile(f"damaged PDF (page tree unreadable): {e}") from e


def _tiff_page_count(path: Path) -> int:
    from PIL import Image

    try:
        with Image.open(path) as im:
            return getattr(im, "n_frames", 1)
    except Exception as e:
        raise CorruptFile(f"unreadable TIFF: {e}") from e


# ---------------------------------------------------------------------------------------------- pages

def iter_pages(doc: Document, *, raster_dpi: int = RASTER_DPI, force_ocr: bool = False) -> Iterator[Page | Issue]:
    """Yield each page of a document, or an Issue for a page that could not be loaded."""
    if doc.kind == "pdf":
        yield from _pdf_pages(doc, raster_dpi=raster_dpi, force_ocr=force_ocr)
    elif doc.kind == "tiff":
        yield from _tiff_pages(doc)
    else:
        yield _image_page(doc)


COLOR_INK_CHROMA = (25, 60)   # chroma (max-min channel): at most this is black/gray ink, above this coloured
COLOR_INK_MAX_SHARE = 0.35    # drop coloured ink only when most of the page's ink is black/gray
COLOR_FADE_FLOOR = 12         # the fade starts at least this far above the chroma of the page's black print
COLOR_FADE_RAMP = 15          # ... and is complete this much further up


def paper_background(gray: np.ndarray, k: int, f: int = 4) -> np.ndarray:
    """The paper's local gray level (uneven light, gray paper) at full size: a closing wider than any stroke
    (``k`` pixels at 1/``f`` scale) takes the ink out, a blur smooths it."""
    small = cv2.resize(gray, (max(1, gray.shape[1] // f), max(1, gray.shape[0] // f)), interpolation=cv2.INTER_AREA)
    bg = cv2.morphologyEx(small, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (k, k)))
    bg = cv2.GaussianBlur(bg, (0, 0), k / 2)
    return cv2.resize(bg, (gray.shape[1], gray.shape[0]), interpolation=cv2.INTER_LINEAR)


def drop_colored_ink(bgr: np.ndarray, gray: np.ndarray) -> np.ndarray:
    """Fade coloured ink (red/blue office stamps, blue-pen signatures and notes) to paper, so it
    neither crosses the rules nor reads as text; black print and black ink under a stamp stay. Not
    applied when coloured ink is a large share of all ink (a form printed in colour).

    The fade ramp starts just above the colour noise of the page's certainly black print (its dark
    pixels' 99th chroma percentile, at least COLOR_FADE_FLOOR): a faded stamp of low saturation goes
    too, while a colour scan whose black print carries JPEG colour noise keeps its print."""
    if bgr.ndim != 3 or bgr.shape[2] < 3 or bgr.dtype != np.uint8:
        return gray
    small = bgr[::4, ::4, :3]
    chroma_s = small.max(axis=2).astype(np.int16) - small.min(axis=2)
    gray_s = gray[::4, ::4]
    ink_s = gray_s < 170
    n_ink = int((ink_s & (chroma_s <= COLOR_INK_CHROMA[0])).sum())   # black/gray ink
    n_col = int((chroma_s > COLOR_INK_CHROMA[1]).sum())
    if n_col == 0 or n_col > COLOR_INK_MAX_SHARE * (n_ink + n_col):
        return gray
    dark = chroma_s[gray_s < 90]
    noise = float(np.percentile(dark, 99)) if dark.size >= 50 else float(COLOR_INK_CHROMA[0] - COLOR_FADE_FLOOR)
    lo = min(max(COLOR_FADE_FLOOR, noise + COLOR_FADE_FLOOR), COLOR_INK_CHROMA[0])
    hi = lo + COLOR_FADE_RAMP
    value = bgr[:, :, :3].max(axis=2).astype(np.float32)
    chroma = value - bgr[:, :, :3].min(axis=2)
    w = np.clip((chroma - lo) / (hi - lo), 0.0, 1.0)
    w *= np.clip((value - 80.0) / 60.0, 0.0, 1.0)   # dark in every channel: black print under the stamp stays
    # to the paper's local level (not white: no bright ring on a gray or unevenly lit page)
    paper = paper_background(gray, 9)
    out = gray.astype(np.float32) + np.maximum(paper.astype(np.float32) - gray, 0.0) * w
    return np.clip(out, 0, 255).astype(np.uint8)


def _to_gray(arr: np.ndarray) -> np.ndarray:
    if arr.ndim == 2:
        g = arr
    elif arr.shape[2] == 4:
        # composite alpha over white
        a = arr[:, :, 3:4].astype(np.float32) / 255.0
        rgb = (arr[:, :, :3].astype(np.float32) * a + 255.0 * (1 - a)).astype(np.uint8)
        g = drop_colored_ink(rgb, cv2.cvtColor(rgb, cv2.COLOR_BGR2GRAY))
    else:
        g = cv2.cvtColor(arr[:, :, :3], cv2.COLOR_BGR2GRAY)
        g = drop_colored_ink(arr, g)
    if g.dtype != np.uint8:
        g = cv2.normalize(g, None, 0, 255, cv2.NORM_MINMAX).astype(np.uint8)
    return np.ascontiguousarray(g)


def _guess_dpi(w: int, h: int, declared: float | None) -> float:
    if declared and 50 <= declared <= 1200:
        return float(declared)
    # assume an A4 page (11.69 in on the long side)
    return round(max(w, h) / 11.69)


def _image_page(doc: Document) -> Page:
    data = np.fromfile(str(doc.path), dtype=np.uint8)
    arr = cv2.imdecode(data, cv2.IMREAD_UNCHANGED)
    if arr is None:
        raise CorruptFile(f"the {doc.kind.upper()} image could not be decoded (truncated or damaged file)")
    h, w = arr.shape[:2]
    if h * w > MAX_PIXELS:
        raise TooLarge(f"image of {w}x{h} pixels is larger than the limit of {MAX_PIXELS} pixels")
    declared = None
    try:
        from PIL import Image

        with Image.open(doc.path) as im:
            d = im.info.get("dpi")
            declared = float(d[0]) if d else None
    except Exception:
        pass
    gray = _to_gray(arr)
    prov = Provenance(str(doc.path), doc.sha256, 1, PageSource.IMAGE, _guess_dpi(w, h, declared), w, h)
    return PageImage(prov, gray)


def _tiff_pages(doc: Document) -> Iterator[Page | Issue]:
    from PIL import Image, ImageSequence

    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        im = Image.open(doc.path)
    except Exception as e:
        raise CorruptFile(f"unreadable TIFF: {e}") from e
    with im:
        for i, frame in enumerate(ImageSequence.Iterator(im), start=1):
            try:
                if frame.mode in ("RGB", "RGBA", "P", "CMYK", "YCbCr"):
                    rgb = np.asarray(frame.convert("RGB"), dtype=np.uint8)
                    gray = _to_gray(np.ascontiguousarray(rgb[:, :, ::-1]))
                else:
                    gray = np.asarray(frame.convert("L"), dtype=np.uint8).copy()
                d = frame.info.get("dpi")
                h, w = gray.shape
                prov = Provenance(str(doc.path), doc.sha256, i, PageSource.IMAGE,
                                  _guess_dpi(w, h, float(d[0]) if d else None), w, h)
                yield PageImage(prov, gray)
            except Exception as e:
                yield Issue(str(doc.path), i, "load", f"TIFF page {i} unreadable: {e}")


_CID = re.compile(r"\(cid:\d+\)")


def text_layer_quality(chars: list[dict]) -> tuple[bool, str]:
    """Judge whether a PDF page's text layer can be trusted. Returns (usable, reason)."""
    n = len(chars)
    if n < 10:
        return False, "no text layer"
    text = "".join(c.get("text", "") for c in chars)
    cid = sum(1 for c in chars if _CID.fullmatch(c.get("text", "") or ""))
    pua = sum(1 for ch in text if 0xE000 <= ord(ch) <= 0xF8FF or ch == "\ufffd")
    bad = (cid + pua) / n
    if bad > 0.01:
        return False, f"broken text layer: {bad:.0%} of characters are unmapped glyphs (cid/private-use)"
    thai = [ch for ch in text if "\u0e00" <= ch <= "\u0e7f"]
    if len(thai) >= 20:
        from .quality import thai_word_share

        share = thai_word_share(text)
        if share < 0.6:
            return False, f"broken Thai text layer: only {share:.0%} of Thai words are in the dictionary"
    return True, ""


def _pdf_pages(doc: Document, *, raster_dpi: int, force_ocr: bool) -> Iterator[Page | Issue]:
    with _pdf_open(doc.path) as pdf:
        for i, page in enumerate(pdf.pages, start=1):
            try:
                chars = page.chars
                usable, reason = (False, "OCR forced") if force_ocr else text_layer_quality(chars)
                if usable:
                    yield _pdf_text_page(doc, i, page, chars)
                else:
                    yield _render_pdf_page(doc, i, raster_dpi, reason)
            except ExtractError as e:
                yield Issue(str(doc.path), i, "load", str(e))
            except Exception as e:
                yield Issue(str(doc.path), i, "load", f"page {i} unreadable: {type(e).__name__}: {e}")


def _pdf_text_page(doc: Document, index: int, page, chars: list[dict]) -> PdfTextPage:
    x_off, y_off = float(page.bbox[0]), float(page.bbox[1])
    words = []
    for c in chars:  # content-stream order: the logical order of the text
        t = c.get("text", "")
        if not t:
            continue
        x0, x1 = float(c["x0"]) - x_off, float(c["x1"]) - x_off
        top, bottom = float(c["top"]) - y_off, float(c["bottom"]) - y_off
        words.append(Word(t, BBox(x0, top, max(x0, x1), max(top, bottom))))
    rules: list[Rule] = []
    for ln in page.lines:
        rules.append(Rule(float(ln["x0"]) - x_off, float(ln["top"]) - y_off, float(ln["x1"]) - x_off, float(ln["bottom"]) - y_off))
    for r in page.rects:
        x0, x1 = float(r["x0"]) - x_off, float(r["x1"]) - x_off
        t, b = float(r["top"]) - y_off, float(r["bottom"]) - y_off
        if (x1 - x0) < 2 or (b - t) < 2:  # a thin rect is a drawn line
            rules.append(Rule(x0, t, x1, b) if (x1 - x0) >= (b - t) else Rule((x0 + x1) / 2, t, (x0 + x1) / 2, b))
        else:
            rules += [Rule(x0, t, x1, t), Rule(x0, b, x1, b), Rule(x0, t, x0, b), Rule(x1, t, x1, b)]
    prov = Provenance(str(doc.path), doc.sha256, index, PageSource.PDF_TEXT, 72.0, float(page.width), float(page.height))
    return PdfTextPage(prov, words, rules)


def _render_pdf_page(doc: Document, index: int, dpi: int, reason: str) -> PageImage:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(doc.path))
    try:
        page = pdf[index - 1]
        w_pt, h_pt = page.get_size()
        if (w_pt * dpi / 72) * (h_pt * dpi / 72) > MAX_PIXELS:
            dpi = int(72 * (MAX_PIXELS / (w_pt * h_pt)) ** 0.5)
        bitmap = page.render(scale=dpi / 72, grayscale=False)   # colour: stamps are dropped by their hue
        arr = bitmap.to_numpy()
        gray = _to_gray(arr.copy())
    finally:
        pdf.close()
    h, w = gray.shape
    prov = Provenance(str(doc.path), doc.sha256, index, PageSource.PDF_SCAN, float(dpi), w, h, note=reason)
    return PageImage(prov, gray)


def expand_inputs(inputs: list[str | Path]) -> tuple[list[Path], list[Path]]:
    """Files named directly are always taken (a wrong kind fails clearly); folders are searched
    recursively for supported suffixes. Returns (files, skipped files in folders)."""
    files: list[Path] = []
    skipped: list[Path] = []
    seen: set[Path] = set()
    for item in inputs:
        p = Path(item)
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                if not f.is_file() or any(part.startswith(".") for part in f.relative_to(p).parts):
                    continue
                if f.suffix.lower() in SUPPORTED_SUFFIXES:
                    if f.resolve() not in seen:
                        seen.add(f.resolve())
                        files.append(f)
                else:
                    skipped.append(f)
        else:
            if p.resolve() not in seen:
                seen.add(p.resolve())
                files.append(p)
    return files, skipped
