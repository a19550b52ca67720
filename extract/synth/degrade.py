"""Scan-like degradations of a rendered page, with the matching transform of ground-truth boxes."""
from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from typing import Optional

import cv2
import numpy as np
from PIL import Image, ImageDraw

from .layout import PageLayout, font_path, pil_font


@dataclass(frozen=True)
class Degradation:
    dpi: int = 200
    rotation_deg: float = 0.0          # counter-clockwise, about the page centre, same canvas
    blur_sigma: float = 0.0            # Gaussian blur, pixels
    noise_sigma: float = 0.0           # Gaussian noise, gray levels
    jpeg_quality: Optional[int] = None  # 40-75 or None
    lighting: float = 0.0              # uneven lighting strength, 0-0.35 (darkening at the far corner)
    stamp: bool = False
    signature: bool = False
    bleed_through: float = 0.0         # opacity of mirrored back-side text, 0-0.2
    color: bool = False                # RGB output (coloured stamp/signature) instead of grayscale
    seed: int = 0                      # of the random placement of stamp, scribble, noise, lighting

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)

    @property
    def is_clean(self) -> bool:
        return (self.rotation_deg == 0 and self.blur_sigma == 0 and self.noise_sigma == 0 and self.jpeg_quality is None
                and self.lighting == 0 and not self.stamp and not self.signature and self.bleed_through == 0)

    @classmethod
    def random(cls, seed: int, *, dpi: Optional[int] = None, strength: float = 1.0) -> "Degradation":
        rng = np.random.default_rng(seed)
        return cls(
            dpi=int(dpi if dpi is not None else rng.choice([150, 200, 300])),
            rotation_deg=round(float(rng.uniform(-2.5, 2.5)) * strength, 2),
            blur_sigma=round(float(rng.uniform(0, 1.0)) * strength, 2),
            noise_sigma=round(float(rng.uniform(0, 8)) * strength, 1),
            jpeg_quality=int(rng.integers(40, 76)) if rng.random() < 0.5 else None,
            lighting=round(float(rng.uniform(0, 0.3)) * strength, 2),
            stamp=bool(rng.random() < 0.5),
            signature=bool(rng.random() < 0.5),
            bleed_through=round(float(rng.uniform(0, 0.12)) * strength, 3) if rng.random() < 0.4 else 0.0,
            color=bool(rng.random() < 0.3),
            seed=int(rng.integers(0, 2**31 - 1)),
        )


def rotation_matrix(w: int, h: int, deg: float) -> np.ndarray:
    return cv2.getRotationMatrix2D((w / 2.0, h / 2.0), deg, 1.0)


def transform_box(box_px: tuple, M: np.ndarray, w: int, h: int) -> tuple:
    """Bounding box (px) of the rotated corners of ``box_px``, clipped to the canvas."""
    x0, y0, x1, y1 = box_px
    pts = np.array([[x0, y0, 1], [x1, y0, 1], [x0, y1, 1], [x1, y1, 1]], dtype=float) @ M.T
    return (float(np.clip(pts[:, 0].min(), 0, w)), float(np.clip(pts[:, 1].min(), 0, h)),
            float(np.clip(pts[:, 0].max(), 0, w)), float(np.clip(pts[:, 1].max(), 0, h)))


def _stamp_layer(size_px: int, lay: PageLayout, dpi: float, rng: np.random.Generator) -> Image.Image:
    """Coverage mask (L, 255 = ink) of a round office stamp."""
    im = Image.new("L", (size_px, size_px), 0)
    dr = ImageDraw.Draw(im)
    c = size_px / 2
    lw = max(2, int(size_px * 0.025))
    dr.ellipse([lw, lw, size_px - lw, size_px - lw], outline=255, width=lw)
    r2 = size_px * 0.33
    dr.ellipse([c - r2, c - r2, c + r2, c + r2], outline=255, width=max(1, lw // 2))
    f = pil_font(font_path(lay.font, bold=True), size_px * 0.085)
    text = f"สำนักงานสหกรณ์จังหวัด{lay.form.province}"
    # text around the ring: draw each character rotated
    n = len(text)
    for i, ch in enumerate(text):
        if ord(ch) in (0x0E31, *range(0x0E34, 0x0E3B), *range(0x0E47, 0x0E4F)):
            continue  # marks would float off their base when placed one by one
        a = math.pi * (1.05 + 0.9 * i / max(1, n - 1))
        glyph = Image.new("L", (int(size_px * 0.16), int(size_px * 0.16)), 0)
        ImageDraw.Draw(glyph).text((glyph.width / 2, glyph.height / 2), ch, font=f, fill=255, anchor="mm")
        glyph = glyph.rotate(-math.degrees(a) - 90, resample=Image.BILINEAR)
        rr = size_px * 0.41
        px, py = c + rr * math.cos(a), c + rr * math.sin(a)
        im.paste(255, (int(px - glyph.width / 2), int(py - glyph.height / 2)), glyph)
    f2 = pil_font(font_path(lay.font, bold=True), size_px * 0.11)
    word = str(rng.choice(["รับแล้ว", "อนุมัติ", "สำเนา", "ตรวจแล้ว"]))
    dr.text((c, c), word, font=f2, fill=255, anchor="mm")
    return im.rotate(float(rng.uniform(-25, 25)), resample=Image.BILINEAR)


def _scribble(w: int, h: int, x0: float, y0: float, length: float, rng: np.random.Generator, dpi: float) -> Image.Image:
    im = Image.new("L", (w, h), 0)
    dr = ImageDraw.Draw(im)
    t = np.linspace(0, 1, 400)
    amp = length * 0.12
    xs = x0 + t * length + amp * 0.4 * np.sin(2 * np.pi * t * rng.uniform(3, 6) + rng.uniform(0, 6))
    ys = y0 + amp * np.sin(2 * np.pi * t * rng.uniform(2, 5) + rng.uniform(0, 6)) * np.exp(-t * rng.uniform(0, 2))
    ys = ys + (t - 0.5) * rng.uniform(-0.3, 0.3) * length
    dr.line(list(zip(xs.tolist(), ys.tolist())), fill=255, width=max(2, int(dpi / 90)), joint="curve")
    return im


def degrade(img: Image.Image, lay: PageLayout, d: Degradation) -> tuple[Image.Image, np.ndarray, list]:
    """Apply ``d`` to a clean 'L' render. Returns (image 'L' or 'RGB', 2x3 rotation matrix used for boxes,
    artifacts [{'type', 'box_px'}] in final pixel coordinates)."""
    rng = np.random.default_rng(d.seed)
    w, h = img.size
    s = d.dpi / 72.0
    ink = 1.0 - np.asarray(img, dtype=np.float32) / 255.0           # 0 paper .. 1 black
    rgb = np.repeat((1.0 - ink)[:, :, None], 3, axis=2)           # paper white
    artifacts = []
    if d.bleed_through > 0:
        back = cv2.GaussianBlur(ink[:, ::-1], (0, 0), sigmaX=max(0.8, 1.2 * s / 2.78))
        back = np.roll(back, (int(rng.integers(-20, 20)), int(rng.integers(-20, 20))), axis=(0, 1))
        rgb *= (1.0 - d.bleed_through * back)[:, :, None]
    body = [c for c in lay.cells if c.row >= 3 and c.col_span == 1] or lay.cells
    if d.stamp:
        c = body[int(rng.integers(len(body)))]
        size = int(1.1 * 72 * s * rng.uniform(0.8, 1.1))
        cx, cy = (c.x0 + c.x1) / 2 * s, (c.y0 + c.y1) / 2 * s
        layer = _stamp_layer(size, lay, d.dpi, rng)
        mask = np.zeros((h, w), np.float32)
        ox, oy = int(cx - size / 2), int(cy - size / 2)
        a0x, a0y, a1x, a1y = max(0, ox), max(0, oy), min(w, ox + size), min(h, oy + size)
        if a1x > a0x and a1y > a0y:
            mask[a0y:a1y, a0x:a1x] = np.asarray(layer, np.float32)[a0y - oy:a1y - oy, a0x - ox:a1x - ox] / 255.0
        col = np.array([0.75, 0.15, 0.2] if rng.random() < 0.5 else [0.2, 0.3, 0.75], np.float32)
        if not d.color:
            col = np.full(3, 0.45, np.float32)
        alpha = float(rng.uniform(0.45, 0.7)) * mask
        rgb = rgb * (1 - alpha[:, :, None]) + (rgb * col)[:, :, :] * alpha[:, :, None]
        artifacts.append({"type": "stamp", "box_px": (a0x, a0y, a1x, a1y)})
    if d.signature:
        tb = lay.table_box
        c = body[int(rng.integers(len(body)))]
        length = float(rng.uniform(1.2, 2.2)) * 72 * s
        x0 = min(c.x0 * s, w - length - 5)
        y0 = (c.y0 + c.y1) / 2 * s
        m = np.asarray(_scribble(w, h, x0, y0, length, rng, d.dpi), np.float32) / 255.0
        col = np.array([0.1, 0.15, 0.55], np.float32) if d.color else np.full(3, 0.15, np.float32)
        a = 0.85 * m
        rgb = rgb * (1 - a[:, :, None]) + col * a[:, :, None]
        ys, xs = np.nonzero(m > 0.1)
        if len(xs):
            artifacts.append({"type": "signature",
                              "box_px": (int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1)})
        del tb
    out = (np.clip(rgb, 0, 1) * 255).astype(np.uint8)
    M = rotation_matrix(w, h, d.rotation_deg)
    if d.rotation_deg:
        out = cv2.warpAffine(out, M, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT,
                             borderValue=(255, 255, 255))
        for a in artifacts:
            a["box_px"] = transform_box(a["box_px"], M, w, h)
    f = out.astype(np.float32)
    if d.lighting > 0:
        yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
        ang = rng.uniform(0, 2 * np.pi)
        g = (np.cos(ang) * xx / w + np.sin(ang) * yy / h)
        g = (g - g.min()) / max(1e-6, float(g.max() - g.min()))
        f *= (1.0 - d.lighting * g)[:, :, None]
    if d.blur_sigma > 0:
        f = cv2.GaussianBlur(f, (0, 0), sigmaX=d.blur_sigma)
    if d.noise_sigma > 0:
        noise = rng.normal(0, d.noise_sigma, size=(h, w, 1) if not d.color else (h, w, 3)).astype(np.float32)
        f = f + noise
    out = np.clip(f + 0.5, 0, 255).astype(np.uint8)
    if not d.color:
        out = cv2.cvtColor(out, cv2.COLOR_RGB2GRAY)
    if d.jpeg_quality is not None:
        enc = cv2.cvtColor(out, cv2.COLOR_RGB2BGR) if d.color else out
        ok, buf = cv2.imencode(".jpg", enc, [cv2.IMWRITE_JPEG_QUALITY, int(d.jpeg_quality)])
        dec = cv2.imdecode(buf, cv2.IMREAD_COLOR if d.color else cv2.IMREAD_GRAYSCALE)
        out = cv2.cvtColor(dec, cv2.COLOR_BGR2RGB) if d.color else dec
    return Image.fromarray(out, "RGB" if d.color else "L"), M, artifacts
