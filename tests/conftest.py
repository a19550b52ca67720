"""Shared fixtures: small real documents made by the project's generator (deterministic), run through
the real pipeline (real Tesseract) once per session."""
import json
import os
from pathlib import Path

import pytest

os.environ.setdefault("OMP_THREAD_LIMIT", "1")


@pytest.fixture(scope="session")
def docs(tmp_path_factory) -> dict[str, Path]:
    from extract.synth.degrade import Degradation
    from extract.synth.document import PageSpec, write_document

    d = tmp_path_factory.mktemp("docs")
    out = {}
    out["png"] = Path(d / "clean-300.png")
    write_document(str(out["png"]), [PageSpec(seed=11, font="Laksaman", n_items=6, degradation=Degradation(dpi=300))], "png")
    out["digital"] = Path(d / "digital-2p.pdf")
    write_document(str(out["digital"]), [PageSpec(seed=12, font="Garuda"), PageSpec(seed=13, font="Loma", digits="arabic")], "pdf-text")
    out["tiff"] = Path(d / "two-pages.tiff")
    write_document(str(out["tiff"]), [PageSpec(seed=14, font="Kinnari", n_items=5, degradation=Degradation(dpi=200)),
                                      PageSpec(seed=15, font="Waree", n_items=5, degradation=Degradation(dpi=200))], "tiff")
    return out


def load_truth(path: Path) -> dict:
    from extract.synth.document import truth_path

    return json.loads(Path(truth_path(str(path))).read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def truth_of():
    return load_truth
