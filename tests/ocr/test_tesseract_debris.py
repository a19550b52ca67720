"""Lines of detached Thai marks that Tesseract reads as debris are recognised (and dropped by ocr_crops)."""
from extract.ocr.tesseract import _debris


def test_debris_is_not_thai_words():
    for junk in ("a 1 1 ส ๕", "ae Pn ah 4 we", "๑ =a a", "' a ๕ '", ""):
        assert _debris(junk)
    for words in ("งานนอกเวลาราชการ", "กำหนด", "ที่ประชุม"):
        assert not _debris(words)
