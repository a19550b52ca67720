"""Loading: file kinds are recognised by content; every bad input becomes a clear ExtractError."""
from pathlib import Path

import cv2
import numpy as np
import pytest

from extract.errors import CorruptFile, EmptyFile, EncryptedPdf, UnsupportedFile
from extract.load import expand_inputs, iter_pages, open_document, sniff, text_layer_quality
from extract.types import PageImage, PageSource


def test_sniff_by_content():
    assert sniff(b"%PDF-1.7 ...") == "pdf"
    assert sniff(b"\x89PNG\r\n\x1a\n....") == "png"
    assert sniff(b"\xff\xd8\xff\xe0") == "jpeg"
    assert sniff(b"II*\x00....") == "tiff"
    assert sniff(b"hello world") is None


def test_empty_file(tmp_path):
    p = tmp_path / "empty.png"
    p.write_bytes(b"")
    with pytest.raises(EmptyFile, match="empty"):
        open_document(p)


def test_text_file_named_pdf(tmp_path):
    p = tmp_path / "notes.pdf"
    p.write_text("this is not a pdf\n")
    with pytest.raises(UnsupportedFile, match="not a PDF or image"):
        open_document(p)


def test_truncated_png(tmp_path):
    img = np.full((200, 300), 255, np.uint8)
    ok, buf = cv2.imencode(".png", img)
    p = tmp_path / "cut.png"
    p.write_bytes(buf.tobytes()[:60])
    doc = open_document(p)
    with pytest.raises(CorruptFile, match="could not be decoded"):
        list(iter_pages(doc))


def test_corrupt_pdf(tmp_path):
    p = tmp_path / "broken.pdf"
    p.write_bytes(b"%PDF-1.4\n" + b"\x00garbage" * 50)
    with pytest.raises((CorruptFile, UnsupportedFile)):
        open_document(p)


def test_encrypted_pdf(tmp_path):
    from reportlab.lib import pdfencrypt
    from reportlab.pdfgen import canvas

    p = tmp_path / "locked.pdf"
    c = canvas.Canvas(str(p), encrypt=pdfencrypt.StandardEncryption("secret", ownerPassword="owner"))
    c.drawString(100, 700, "hello")
    c.save()
    with pytest.raises(EncryptedPdf, match="encrypted") as ei:
        open_document(p)
    assert "qpdf" in str(ei.value)


def test_png_page_gray_and_dpi(tmp_path):
    img = np.full((1240, 1754, 3), 255, np.uint8)
    p = tmp_path / "page.png"
    cv2.imwrite(str(p), img)
    doc = open_document(p)
    pages = list(iter_pages(doc))
    assert len(pages) == 1 and isinstance(pages[0], PageImage)
    assert pages[0].gray.ndim == 2
    assert pages[0].provenance.page == 1
    assert pages[0].provenance.dpi == pytest.approx(150, abs=2)   # A4 guess when the file has no dpi


def test_multipage_tiff(tmp_path):
    from PIL import Image

    frames = [Image.new("L", (300, 200), v) for v in (255, 200, 100)]
    p = tmp_path / "three.tif"
    frames[0].save(p, save_all=True, append_images=frames[1:], dpi=(200, 200))
    doc = open_document(p)
    assert doc.n_pages == 3
    pages = list(iter_pages(doc))
    assert [pg.provenance.page for pg in pages] == [1, 2, 3]
    assert pages[0].provenance.dpi == 200


def test_scanned_pdf_is_rendered(tmp_path):
    from PIL import Image

    p = tmp_path / "scan.pdf"
    Image.new("L", (850, 600), 255).save(p, resolution=100)
    doc = open_document(p)
    (page,) = list(iter_pages(doc, raster_dpi=150))
    assert isinstance(page, PageImage)
    assert page.provenance.source == PageSource.PDF_SCAN
    assert page.provenance.note == "no text layer"


def test_broken_text_layer_is_rejected():
    chars = [{"text": t} for t in ["(cid:159)", "ก", "า"] * 20]
    usable, reason = text_layer_quality(chars)
    assert not usable and "unmapped" in reason


def test_expand_inputs_skips_other_files_in_folders(tmp_path):
    (tmp_path / "a.png").write_bytes(b"x")
    (tmp_path / "a.truth.json").write_text("{}")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.PDF").write_bytes(b"x")
    files, skipped = expand_inputs([tmp_path, tmp_path / "a.truth.json"])
    assert [f.name for f in files] == ["a.png", "b.PDF", "a.truth.json"]
    assert [f.name for f in skipped] == ["a.truth.json"]


def _stamped_page(ink_bgr=(0, 0, 0)) -> np.ndarray:
    img = np.full((400, 600, 3), 245, np.uint8)
    for y in range(60, 340, 40):                       # "print": black (or coloured) bars of text
        cv2.rectangle(img, (40, y), (560, y + 12), ink_bgr, -1)
    cv2.circle(img, (300, 200), 90, (60, 60, 200), 8)  # a red stamp ring across the print
    return img


def test_coloured_stamp_is_faded_and_black_print_kept(tmp_path):
    p = tmp_path / "stamped.png"
    cv2.imwrite(str(p), _stamped_page())
    page = next(iter_pages(open_document(p)))
    g = page.gray
    assert g[200, 392] > 200          # on the ring, away from the print: faded to paper
    assert g[66, 300] < 60            # black print stays black, also where the stamp crosses it
    assert g[146, 210] < 60


def test_faint_stamp_on_gray_paper_goes_to_the_paper_level(tmp_path):
    """A faded, low-saturation stamp (chroma about 40) on paper darker than white: gone to the paper's level,
    no white ring; black print with a little colour noise (a colour scan) stays."""
    rng = np.random.default_rng(0)
    img = np.full((400, 600, 3), 225, np.uint8)
    for y in range(60, 340, 40):
        cv2.rectangle(img, (40, y), (560, y + 12), (20, 20, 20), -1)
    img = np.clip(img.astype(np.int16) + rng.integers(-4, 5, img.shape), 0, 255).astype(np.uint8)   # colour noise
    cv2.circle(img, (300, 200), 90, (205, 180, 165), 8)   # pale blue ring
    cv2.circle(img, (300, 200), 60, (200, 60, 60), 8)     # and a saturated one, so the page has coloured ink
    p = tmp_path / "faint.png"
    cv2.imwrite(str(p), img)
    g = next(iter_pages(open_document(p))).gray
    assert abs(int(g[200, 392]) - 225) <= 12 and abs(int(g[200, 362]) - 225) <= 12
    assert g[66, 300] < 60 and g[146, 210] < 60


def test_page_printed_in_colour_is_left_alone(tmp_path):
    p = tmp_path / "blue.png"
    cv2.imwrite(str(p), _stamped_page(ink_bgr=(160, 40, 20)))   # blue print: most ink is coloured
    page = next(iter_pages(open_document(p)))
    assert page.gray[66, 300] < 120
