"""The benchmark sets: deterministic, stratified (dpi × degradation × font × ruling × digits × file kind)."""
from __future__ import annotations

import numpy as np

from ..synth.degrade import Degradation
from ..synth.document import DocSpec, PageSpec

FONTS = ["Laksaman", "Garuda", "Kinnari", "Norasi", "Loma", "Waree", "Umpush", "Sawasdee"]


def _degraded(rng: np.random.Generator, dpi: int, *, stamp: bool | None = None, signature: bool | None = None) -> Degradation:
    d = Degradation.random(int(rng.integers(0, 2**31 - 1)), dpi=dpi, strength=float(rng.uniform(0.6, 1.0)))
    kw = d.to_dict()
    kw["jpeg_quality"] = int(rng.integers(40, 76)) if rng.random() < 0.6 else None
    if stamp is not None:
        kw["stamp"] = stamp
    if signature is not None:
        kw["signature"] = signature
    return Degradation(**kw)


def full_set(seed: int = 2566) -> list[DocSpec]:
    """At least 40 pages: 300/200/150 dpi, clean and degraded scans, Thai and Arabic digits, fully and
    horizontally ruled tables, 8 fonts, PNG, multi-page TIFF, scanned and born-digital PDFs."""
    rng = np.random.default_rng(seed)
    specs: list[DocSpec] = []
    f = iter(FONTS * 20)

    def page(dpi: int, degraded: bool, *, digits: str = "thai", ruling: str = "full", **kw) -> PageSpec:
        deg = _degraded(rng, dpi, **kw) if degraded else Degradation(dpi=dpi)
        return PageSpec(seed=int(rng.integers(0, 2**31 - 1)), font=next(f), digits=digits, ruling=ruling,
                        body_size=float(rng.choice([9.0, 10.0, 11.0])), degradation=deg)

    for dpi in (300, 200, 150):
        for i in range(2):
            specs.append(DocSpec(f"png-{dpi}-clean-{i}", "png", (page(dpi, False),)))
        for i in range(3):
            specs.append(DocSpec(f"png-{dpi}-degraded-{i}", "png", (page(dpi, True, stamp=i == 0, signature=i == 1),)))
        specs.append(DocSpec(f"png-{dpi}-hrules", "png", (page(dpi, dpi != 300, ruling="horizontal"),)))
        specs.append(DocSpec(f"png-{dpi}-arabic", "png", (page(dpi, True, digits="arabic"),)))
    specs.append(DocSpec("tiff-200-2p", "tiff", (page(200, True), page(200, True, ruling="horizontal"))))
    specs.append(DocSpec("tiff-150-2p", "tiff", (page(150, True), page(150, False))))
    specs.append(DocSpec("scan-300-2p", "pdf-scan", (page(300, True), page(300, True, digits="arabic"))))
    specs.append(DocSpec("scan-150-2p", "pdf-scan", (page(150, True), page(150, True, stamp=True))))
    specs.append(DocSpec("scan-200-2p", "pdf-scan", (page(200, False), page(200, True, ruling="horizontal"))))
    specs.append(DocSpec("png-300-degraded-extra", "png", (page(300, True, stamp=True, signature=True),)))
    for i in range(3):
        specs.append(DocSpec(f"digital-2p-{i}", "pdf-text", (page(200, False), page(200, False, digits="arabic" if i == 1 else "thai"))))
    specs.append(DocSpec("digital-1p-hrules", "pdf-text", (page(200, False, ruling="horizontal"),)))
    for i in range(3):
        specs.append(DocSpec(f"png-200-stamped-{i}", "png", (page(200, True, stamp=True, signature=True),)))
    return specs


def quick_set(seed: int = 2566) -> list[DocSpec]:
    """Eight pages for daily use (under 3 minutes with the peer on 2 cores)."""
    rng = np.random.default_rng(seed)

    def page(font: str, dpi: int, degraded: bool, **kw) -> PageSpec:
        return PageSpec(seed=int(rng.integers(0, 2**31 - 1)), font=font,
                        degradation=_degraded(rng, dpi) if degraded else Degradation(dpi=dpi), **kw)

    return [
        DocSpec("q-300-clean", "png", (page("Laksaman", 300, False),)),
        DocSpec("q-300-degraded", "png", (page("Kinnari", 300, True),)),
        DocSpec("q-200-degraded", "png", (page("Norasi", 200, True),)),
        DocSpec("q-150-clean", "png", (page("Garuda", 150, False),)),
        DocSpec("q-150-degraded", "png", (page("Waree", 150, True),)),
        DocSpec("q-200-hrules-arabic", "png", (page("Loma", 200, False, ruling="horizontal", digits="arabic"),)),
        DocSpec("q-digital-2p", "pdf-text", (page("Laksaman", 200, False), page("Umpush", 200, False))),
    ]


def page_count(specs: list[DocSpec]) -> int:
    return sum(len(s.pages) for s in specs)
