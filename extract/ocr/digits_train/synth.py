"""Synthetic numeric-cell crops for training / evaluating the digit reader (training only; needs TLWG fonts)."""

from __future__ import annotations

import io
import random
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from extract.ocr.digits import WORDS

FONT_DIR = "/usr/share/fonts/truetype/tlwg"
TLWG_TRAIN = ("Laksaman", "Garuda", "Kinnari", "Loma", "Norasi", "Waree", "TlwgTypo", "TlwgTypist", "Purisa",
              "TlwgMono", "TlwgTypewriter")
# Other freely licensed Thai fonts, for `train_digits.py --extra-fonts`: each family's styles as file globs.
# From Debian (fonts-arundina, fonts-noto-core, fonts-freefont-ttf; `scripts/bootstrap.sh --train`):
_SYS = "/usr/share/fonts/truetype"
EXTRA_FAMILIES = {
    "ArundinaSans": f"{_SYS}/arundina/ArundinaSans.ttf {_SYS}/arundina/ArundinaSans-*.ttf",
    "ArundinaSansMono": f"{_SYS}/arundina/ArundinaSansMono*.ttf",
    "ArundinaSerif": f"{_SYS}/arundina/ArundinaSerif*.ttf",
    "NotoSansThai": f"{_SYS}/noto/NotoSansThai-*.ttf",
    "NotoSerifThai": f"{_SYS}/noto/NotoSerifThai-*.ttf",
    "NotoLoopedThai": f"{_SYS}/noto/NotoLoopedThai-*.ttf",
    "FreeSerif": f"{_SYS}/freefont/FreeSerif*.ttf",
}
# From Google Fonts (SIL OFL) by way of the npm registry (`scripts/fetch_fonts.sh`, also run by
# `bootstrap.sh --train`): among them the Google versions of nine of the 13 Thai national fonts that
# government documents use (Sarabun, Chakra Petch, Bai Jamjuree, K2D, KoHo, Kodchasan, Mali, Niramit, Fahkwang),
# and loopless faces like the held-out Sawasdee (Kanit, Prompt, Mitr, Athiti, Anuphan, IBM Plex Sans Thai).
GOOGLE_DIR = Path(__file__).resolve().parents[3] / "build" / "fonts" / "google"
GOOGLE_FAMILIES = ("Sarabun", "Kanit", "Prompt", "Mitr", "ChakraPetch", "BaiJamjuree", "K2D", "KoHo", "Kodchasan",
                   "Niramit", "Fahkwang", "Athiti", "Maitree", "Pridi", "Taviraj", "Trirong", "Itim", "Mali",
                   "NotoSansThai", "NotoSansThaiLooped", "IBMPlexSansThai", "IBMPlexSansThaiLooped", "Anuphan")
EXTRA_FAMILIES.update({f"G{f}": f"{GOOGLE_DIR}/{f}/*.ttf" for f in GOOGLE_FAMILIES})


def installed_extra() -> tuple[str, ...]:
    """The EXTRA_FAMILIES installed here (``scripts/bootstrap.sh --train`` installs them)."""
    import glob

    return tuple(f for f, g in EXTRA_FAMILIES.items() if any(glob.glob(p) for p in g.split()))


# Training with the extra families too (`train_digits.py --extra-fonts`) is compared with the TLWG-only
# recipe in digits-report.md.
TRAIN_FAMILIES = TLWG_TRAIN
HELDOUT_FAMILIES = ("Umpush", "Sawasdee")
DPIS = (150, 200, 300)
TH = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")


@lru_cache(maxsize=64)
def font_files(family: str) -> list[str]:
    """All installed styles of a family (regular, bold, italic/oblique, light), regular/bold listed twice
    so upright faces stay the majority."""
    import glob

    if family in EXTRA_FAMILIES:
        fs = sorted({f for p in EXTRA_FAMILIES[family].split() for f in glob.glob(p)})
    else:
        fs = sorted(glob.glob(f"{FONT_DIR}/{family}.ttf") + glob.glob(f"{FONT_DIR}/{family}-*.ttf"))
    upright = [f for f in fs if not any(k in f for k in ("Oblique", "Italic"))]
    return upright * 2 + [f for f in fs if f not in upright]


@lru_cache(maxsize=512)
def _font(path: str, px: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path, px, layout_engine=ImageFont.Layout.RAQM)


def _num(rng: random.Random, thai: bool) -> str:
    r = rng.random()
    if r < 0.15:
        n = rng.randint(0, 9)
    elif r < 0.3:
        n = rng.randint(10, 99)
    elif r < 0.45:
        n = rng.randint(100, 999)
    elif r < 0.75:
        n = rng.randint(1000, 99999)
    else:
        n = rng.randint(100000, 9999999)
    s = f"{n:,}" if rng.random() < 0.85 else str(n)
    q = rng.random()
    if q < 0.15:
        s += ".00"
    elif q < 0.22:
        s += "." + str(rng.randint(0, 99)).zfill(2)
    elif q < 0.25:
        s += "." + str(rng.randint(0, 9))
    return s.translate(TH) if thai else s


def _small(rng: random.Random, thai: bool) -> str:
    s = str(rng.choice([rng.randint(1, 9), rng.randint(1, 99), rng.randint(1, 999), rng.randint(1, 5000)]))
    return s.translate(TH) if thai else s


def random_text(rng: random.Random) -> str:
    thai = rng.random() < 0.75
    r = rng.random()
    if r < 0.42:
        return _num(rng, thai)
    if r < 0.47:
        return rng.choice(["-", "-", "--", "- -"]) if rng.random() < 0.3 else "-"
    if r < 0.62:
        return f"{_small(rng, thai)} {rng.choice(WORDS)}"
    if r < 0.66:
        return f"ร้อยละ {_small(rng, thai) if rng.random() < 0.8 else _num(rng, thai)}"
    if r < 0.71:
        v = str(rng.randint(0, 100)) + (f".{rng.randint(0, 99)}" if rng.random() < 0.3 else "")
        v = v.translate(TH) if thai else v
        return v + "%" if rng.random() < 0.8 else f"ร้อยละ {v}"
    if r < 0.76:
        return f"({_small(rng, thai) if rng.random() < 0.7 else _num(rng, thai)})"
    if r < 0.82:
        a, b = _small(rng, thai), _small(rng, thai)
        w1, w2 = rng.choice(WORDS), rng.choice(WORDS)
        # the last: the first line of a two-line cell (``๕๐ แห่ง/`` over ``๑ กลุ่ม``), read line by line
        return rng.choice([f"{a} {w1}/{b} {w2}", f"{a} {w1}/{b}", f"{a}/{b} {w1}", f"{a}/{b}", f"{a} {w1}/"])
    if r < 0.88:
        k = rng.randint(2, 4)
        parts = [_small(rng, thai) if rng.random() < 0.3 else str(rng.randint(1, 20)).translate(TH if thai else {}) for _ in range(k)]
        return rng.choice([".", "/", "-"]).join(parts)
    if r < 0.92:
        return f"{_small(rng, thai)}-{_small(rng, thai)}" + (f" {rng.choice(WORDS)}" if rng.random() < 0.4 else "")
    if r < 0.95:
        return f"{_num(rng, thai)} {rng.choice(['บาท', 'บาท', 'คน', 'ราย'])}"
    if r < 0.97:
        return rng.choice(WORDS)
    # mixed digit systems / years
    y = str(rng.randint(2550, 2575))
    return (y.translate(TH) if thai else y) if rng.random() < 0.5 else f"{_small(rng, thai)}/{y.translate(TH) if thai else y}"


@dataclass
class Sample:
    text: str
    crop: np.ndarray
    family: str
    dpi: int


def render(text: str, font_path: str, px: int, rng: random.Random, ss: int, vary: bool = False) -> np.ndarray:
    """Render text black on white (float32 0..1 ink) with supersampling ss, then area-downsample.

    vary: random stroke weight (erode/dilate at the supersampled scale), x/y scale 0.85-1.15 and slant."""
    f = _font(font_path, px * ss)
    shown = text.replace(" ", "  " if rng.random() < 0.1 else " ")
    l, t, r, b = f.getbbox(shown)
    w, h = r - l + 6 * ss, b - t + 4 * ss
    im = Image.new("L", (max(w, 1), max(h, 1)), 0)
    ImageDraw.Draw(im).text((-l + 3 * ss, -t + 2 * ss), shown, fill=255, font=f)
    a = np.asarray(im, np.float32) / 255.0
    sx = sy = 1.0
    if vary:
        u = rng.random()
        if u < 0.4 and ss > 1:
            k = rng.randint(1, ss)  # thicker strokes by up to ~1 output px
            a = cv2.dilate(a, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k + 1, k + 1)))
        elif u < 0.6 and ss > 1:
            a = cv2.erode(a, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2, 2)))
        if rng.random() < 0.7:
            sx = rng.uniform(0.85, 1.15)
            sy = rng.uniform(0.9, 1.1)
        if rng.random() < 0.3:  # slant (either way)
            sh = rng.uniform(-0.25, 0.25)
            hh, ww = a.shape
            pad = int(abs(sh) * hh) + 1
            M = np.float32([[1, -sh, pad if sh > 0 else 0], [0, 1, 0]])
            M[0, 2] = sh * hh if sh > 0 else 0
            a = cv2.warpAffine(a, M, (ww + pad, hh), flags=cv2.INTER_LINEAR, borderValue=0)
    if ss > 1 or sx != 1.0 or sy != 1.0:
        a = cv2.resize(a, (max(1, int(round(a.shape[1] * sx / ss))), max(1, int(round(a.shape[0] * sy / ss)))),
                       interpolation=cv2.INTER_AREA)
    return a


def make_sample(rng: random.Random, families=TRAIN_FAMILIES, dpi: int | None = None, degrade: bool = True,
                text: str | None = None, vary: bool = False) -> Sample:
    family = rng.choice(families)
    fp = rng.choice(font_files(family))
    if dpi is None:
        dpi = rng.choice(DPIS)
    # generated forms print numbers at 5-8 pt (the layout shrinks them to fit), real forms at 8-14 pt
    pt = rng.uniform(5.0, 8.0) if rng.random() < 0.45 else rng.uniform(8.0, 13.5)
    if family in ("Laksaman", "GSarabun"):  # TH Sarabun's clone and descendant: small glyphs for their size
        pt *= 1.25
    px = max(8, int(round(pt * dpi / 72.0)))
    text = text if text is not None else random_text(rng)
    ink = render(text, fp, px, rng, ss=rng.choice([1, 2, 3] if not vary else [2, 3, 3]), vary=vary)
    if degrade and rng.random() < 0.25:  # thickness change
        k = np.ones((2, 2), np.uint8) if dpi < 300 or rng.random() < 0.5 else np.ones((3, 3), np.uint8)
        ink = cv2.dilate(ink, k) if rng.random() < 0.5 else cv2.erode(ink, np.ones((2, 2), np.uint8)) if dpi >= 200 else ink
    if degrade and rng.random() < 0.6:  # rotation
        ang = rng.uniform(-2.5, 2.5)
        h, w = ink.shape
        pad = int(0.05 * w) + 3
        ink = cv2.copyMakeBorder(ink, pad, pad, 2, 2, cv2.BORDER_CONSTANT, value=0)
        M = cv2.getRotationMatrix2D((ink.shape[1] / 2, ink.shape[0] / 2), ang, 1.0)
        ink = cv2.warpAffine(ink, M, (ink.shape[1], ink.shape[0]), flags=cv2.INTER_LINEAR, borderValue=0)
    # place in a cell with random whitespace
    h, w = ink.shape
    cell_h = h + rng.randint(2, max(3, int(h * 1.5)))
    cell_w = w + rng.randint(max(2, h // 2), max(h // 2 + 3, int(w * 1.2) + h + 10))
    canvas = np.zeros((cell_h, cell_w), np.float32)
    y0 = rng.randint(0, cell_h - h)
    x0 = rng.randint(0, cell_w - w)
    canvas[y0 : y0 + h, x0 : x0 + w] = np.maximum(canvas[y0 : y0 + h, x0 : x0 + w], ink)
    if degrade and rng.random() < 0.35:  # pieces of ruling lines at the edges
        th = rng.randint(1, 3 if dpi < 300 else 4)
        for side in rng.sample(["t", "b", "l", "r"], rng.randint(1, 2)):
            full = rng.random() < 0.5
            if side in "tb":
                ln = cell_w if full else rng.randint(3, max(4, cell_w // 3))
                xs = 0 if full else rng.choice([0, cell_w - ln])
                ys = rng.randint(0, 1) if side == "t" else cell_h - th - rng.randint(0, 1)
                canvas[ys : ys + th, xs : xs + ln] = rng.uniform(0.6, 1.0)
            else:
                ln = cell_h if full else rng.randint(3, max(4, cell_h // 3))
                ys = 0 if full else rng.choice([0, cell_h - ln])
                xs = rng.randint(0, 1) if side == "l" else cell_w - th - rng.randint(0, 1)
                canvas[ys : ys + ln, xs : xs + th] = rng.uniform(0.6, 1.0)
    # to gray
    if degrade:
        bgv = rng.uniform(170, 255) if rng.random() < 0.3 else rng.uniform(225, 255)
        inkv = rng.uniform(0, 120) if rng.random() < 0.7 else rng.uniform(60, 150)
        if bgv - inkv < 60:
            inkv = bgv - 60
    else:
        bgv, inkv = 255.0, 0.0
    g = bgv - canvas * (bgv - inkv)
    if degrade:
        if rng.random() < 0.5:
            s = rng.uniform(0.3, 1.0 if dpi < 300 else 1.4)
            g = cv2.GaussianBlur(g, (0, 0), s)
        if rng.random() < 0.6:
            g = g + np.random.default_rng(rng.randrange(1 << 30)).normal(0, rng.uniform(2, 12), g.shape)
        g = np.clip(g, 0, 255).astype(np.uint8)
        if rng.random() < 0.15:  # binarization artefacts
            thr = inkv + rng.uniform(0.35, 0.65) * (bgv - inkv)
            g = np.where(g < thr, int(inkv), int(bgv)).astype(np.uint8)
        if rng.random() < 0.5:
            ok, enc = cv2.imencode(".jpg", g, [cv2.IMWRITE_JPEG_QUALITY, rng.randint(40, 75)])
            g = cv2.imdecode(enc, cv2.IMREAD_GRAYSCALE)
    else:
        g = np.clip(g, 0, 255).astype(np.uint8)
    return Sample(text=text, crop=g, family=family, dpi=dpi)
