"""OCR engines behind one protocol, looked up by name.

- ``tesseract``: the real engine (one process per table mosaic / per region);
- ``null``: reads nothing — lets the pipeline run (structure only) where Tesseract is absent;
- ``replay``: answers from a JSON file recorded from a real run (keyed by crop hash), for unit tests of
  later stages. It is never the only test of OCR.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Callable, Protocol

import numpy as np

from . import tesseract
from .tesseract import OcrText


class OcrEngine(Protocol):
    name: str

    def read_crops(self, crops: list[np.ndarray], dpi: float) -> list[OcrText]: ...

    def read_region(self, gray: np.ndarray) -> OcrText: ...


class TesseractEngine:
    name = "tesseract"

    def __init__(self, lang: str = tesseract.LANG) -> None:
        self.lang = lang

    def read_crops(self, crops: list[np.ndarray], dpi: float) -> list[OcrText]:
        return tesseract.ocr_crops(crops, dpi, lang=self.lang)

    def read_region(self, gray: np.ndarray) -> OcrText:
        return tesseract.ocr_region_text(gray, lang=self.lang)


class NullEngine:
    name = "null"

    def read_crops(self, crops: list[np.ndarray], dpi: float) -> list[OcrText]:
        return [OcrText("", None, 0) for _ in crops]

    def read_region(self, gray: np.ndarray) -> OcrText:
        return OcrText("", None, 0)


def crop_key(crop: np.ndarray) -> str:
    return hashlib.sha1(np.ascontiguousarray(crop).tobytes() + str(crop.shape).encode()).hexdigest()[:16]


class ReplayEngine:
    """Replays recorded readings; with ``record=True`` wraps a real engine and saves what it read."""

    name = "replay"

    def __init__(self, path: str | Path, inner: OcrEngine | None = None) -> None:
        self.path = Path(path)
        self.inner = inner
        self.book: dict[str, list] = json.loads(self.path.read_text()) if self.path.exists() else {}

    def _lookup(self, key: str) -> OcrText:
        t = self.book.get(key)
        return OcrText(t[0], t[1], t[2]) if t else OcrText("", None, 0)

    def read_crops(self, crops: list[np.ndarray], dpi: float) -> list[OcrText]:
        keys = [crop_key(c) for c in crops]
        if self.inner is not None:
            res = self.inner.read_crops(crops, dpi)
            for k, r in zip(keys, res):
                self.book[k] = [r.text, r.confidence, r.n_words]
            return res
        return [self._lookup(k) for k in keys]

    def read_region(self, gray: np.ndarray) -> OcrText:
        key = crop_key(gray)
        if self.inner is not None:
            r = self.inner.read_region(gray)
            self.book[key] = [r.text, r.confidence, r.n_words]
            return r
        return self._lookup(key)

    def save(self) -> None:
        self.path.write_text(json.dumps(self.book, ensure_ascii=False, indent=0))


ENGINES: dict[str, Callable[[], OcrEngine]] = {
    "tesseract": TesseractEngine,
    "null": NullEngine,
}


def get_engine(name: str) -> OcrEngine:
    try:
        return ENGINES[name]()
    except KeyError:
        raise ValueError(f"unknown OCR engine {name!r}; valid: {', '.join(sorted(ENGINES))}") from None
