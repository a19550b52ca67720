"""One validated settings object; each stage reads only its own part."""
from __future__ import annotations

from dataclasses import dataclass, fields


@dataclass(frozen=True)
class Settings:
    ocr_engine: str = "tesseract"      # see extract.ocr.engine.ENGINES
    raster_dpi: int = 300              # PDF pages without a usable text layer are rendered at this dpi
    force_ocr: bool = False            # OCR born-digital PDF pages too (ignore their text layer)
    use_digit_reader: bool = True      # numeric cells read by the project's numeral recognizer
    read_title_block: bool = True
    low_confidence: float = 0.5        # numeric cells below this are flagged low_confidence (for review)

    def __post_init__(self) -> None:
        from .ocr.engine import ENGINES

        if self.ocr_engine not in ENGINES:
            raise ValueError(f"ocr_engine={self.ocr_engine!r} is not one of {sorted(ENGINES)}")
        if not 72 <= self.raster_dpi <= 600:
            raise ValueError(f"raster_dpi={self.raster_dpi} must be between 72 and 600")
        if not 0.0 <= self.low_confidence <= 1.0:
            raise ValueError(f"low_confidence={self.low_confidence} must be within 0..1")

    @classmethod
    def names(cls) -> list[str]:
        return [f.name for f in fields(cls)]
