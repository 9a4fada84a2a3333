"""Scans for the OCR reader's tests and benchmark: a PDF's pages rasterised and made to
look scanned, then packed into an image-only PDF (or saved as a picture). Deterministic:
the same PDF, degradation, dpi and seed give the same bytes.

A degradation (``DEGRADATIONS``) names what a real portal's scan does to a page:

    flatbed      skew ±1°, grey paper, sensor noise, specks, slight blur, JPEG 80
    skew         turned 1.5–3°
    low_dpi      100 dpi
    jpeg         JPEG quality 30–60
    noise        heavy grain and dust
    blur         out of focus
    shadow       uneven light and a dark fold across the page
    seal         a red official seal (公章) stamped over the last table's last rows (colour scan)
    letterhead   a red letterhead (红头: the body's name in large red characters and a red
                 rule) above page 1, as government documents print it (colour scan)
    grey_seal    the same seal in a greyscale scan (grey, like the text, not red)
    perspective  a phone photo: the page's corners pulled up to 2.5% of its width (colour)
    phone        all of a phone photo at once: perspective, shadow, seal, grain, JPEG 50

    .venv/bin/python scripts/make_scans.py             # writes the committed messy test scans
    scan_pdf(pdf_bytes, dpi=150, seed="seed_001")      # what tests/benchmarks call
    scan_pdf(pdf_bytes, 150, "seed_001", how="seal")
"""
from __future__ import annotations

import hashlib
import io
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
SEAL_FONT = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"


@dataclass(frozen=True)
class Degradation:
    dpi: int | None = None          # None: the caller's dpi
    skew: tuple = (0.0, 1.0)        # |angle| range, degrees
    quality: tuple = (80, 80)       # JPEG quality range
    noise: float = 6.0              # sensor noise, grey levels (sd)
    specks: float = 0.0015          # share of pixels that are dust (and as many dropouts)
    blur: float = 0.6               # Gaussian radius, pixels
    shadow: bool = False            # uneven light and a fold's shadow
    seal: bool = False              # a red seal over the last table on the last page
    letterhead: bool = False        # a red letterhead above page 1
    perspective: float = 0.0        # corners moved by up to this share of the width
    colour: bool = False            # saved in colour (a greyscale scan otherwise)


DEGRADATIONS = {
    "flatbed": Degradation(),
    "skew": Degradation(skew=(1.5, 3.0)),
    "low_dpi": Degradation(dpi=100),
    "jpeg": Degradation(quality=(30, 60)),
    "noise": Degradation(noise=16.0, specks=0.006),
    "blur": Degradation(blur=1.3),
    "shadow": Degradation(shadow=True),
    "seal": Degradation(seal=True, colour=True),
    "letterhead": Degradation(letterhead=True, colour=True),
    "grey_seal": Degradation(seal=True),
    "perspective": Degradation(perspective=0.025, colour=True),
    "phone": Degradation(skew=(0.5, 2.0), quality=(50, 50), noise=10.0, blur=0.9, shadow=True, seal=True,
                         perspective=0.02, colour=True),
}


def rasterise(pdf_bytes: bytes, dpi: int, colour: bool = False) -> list[Image.Image]:
    """Each page of a PDF as an image at ``dpi`` (greyscale, or RGB with ``colour``)."""
    import pypdfium2

    pdf = pypdfium2.PdfDocument(pdf_bytes)
    try:
        return [pdf[i].render(scale=dpi / 72, grayscale=not colour).to_pil().convert("RGB" if colour else "L")
                for i in range(len(pdf))]
    finally:
        pdf.close()


def _rng(seed: str) -> np.random.Generator:
    return np.random.default_rng(int.from_bytes(hashlib.sha256(seed.encode()).digest()[:8], "little"))


# ---- the seal ------------------------------------------------------------------------

def seal_density(dpi: float, rng: np.random.Generator) -> np.ndarray:
    """A round official seal's ink (0-1) on a square: a ring, a star, the body's name
    around the rim and 专用章 across; blotchy, as a rubber stamp inks."""
    import cv2

    size = int(1.6 * dpi)             # a 4 cm seal
    r = size // 2
    img = Image.new("L", (size, size), 0)
    draw = ImageDraw.Draw(img)
    ring = max(2, int(dpi * 0.035))
    draw.ellipse((ring, ring, size - ring, size - ring), outline=255, width=ring)
    star = [(r + 0.22 * r * np.cos(np.pi / 2 + k * np.pi / 5) * (1 if k % 2 == 0 else 0.4),
             r - 0.22 * r * np.sin(np.pi / 2 + k * np.pi / 5) * (1 if k % 2 == 0 else 0.4)) for k in range(10)]
    draw.polygon(star, fill=255)
    font = ImageFont.truetype(SEAL_FONT, int(r * 0.24))
    name = "某某区人民政府办公室"
    for k, ch in enumerate(name):
        angle = 210 - k * 240 / (len(name) - 1)           # degrees, left to right over the top
        glyph = Image.new("L", (int(r * 0.3),) * 2, 0)
        ImageDraw.Draw(glyph).text((glyph.width / 2, glyph.height / 2), ch, fill=255, font=font, anchor="mm")
        glyph = glyph.rotate(angle - 90, resample=Image.BICUBIC)
        cx = r + 0.72 * r * np.cos(np.radians(angle))
        cy = r - 0.72 * r * np.sin(np.radians(angle))
        img.paste(255, (int(cx - glyph.width / 2), int(cy - glyph.height / 2)), glyph)
    ImageDraw.Draw(img).text((r, r + 0.45 * r), "政务公开专用章", fill=255,
                             font=ImageFont.truetype(SEAL_FONT, int(r * 0.17)), anchor="mm")
    ink = np.asarray(img, np.float32) / 255
    # a stamp inks unevenly: coarse blotches, lighter towards one side
    blotch = cv2.GaussianBlur(rng.random((size, size)).astype(np.float32), (0, 0), dpi * 0.03)
    blotch = (blotch - blotch.min()) / max(1e-6, np.ptp(blotch))
    side = np.linspace(0.75, 1.0, size)[None, :] if rng.random() < 0.5 else np.linspace(1.0, 0.75, size)[None, :]
    return np.clip(ink * (0.55 + 0.45 * blotch) * side * 1.1, 0, 1)


def stamp(page: np.ndarray, dpi: float, rng: np.random.Generator) -> np.ndarray:
    """``page`` (RGB, 0-1) with a seal over the bottom rows of its last ruled table (or,
    on a page without one, over the end of its text: the signature and date)."""
    density = seal_density(dpi, rng)
    size = density.shape[0]
    gray = page.mean(axis=2)
    rows = np.flatnonzero((gray < 0.5).mean(axis=1) > 0.4)      # ruling lines across the page
    inked = np.flatnonzero((gray < 0.5).any(axis=1))
    h, w = gray.shape
    bottom = rows[-1] if len(rows) else (inked[-1] if len(inked) else h // 2)
    cy = int(bottom - size * 0.3)
    cx = int(w * rng.uniform(0.55, 0.72))
    y0, x0 = max(0, cy - size // 2), max(0, cx - size // 2)
    y1, x1 = min(h, y0 + size), min(w, x0 + size)
    d = density[:y1 - y0, :x1 - x0, None]
    red = np.array([0.88, 0.16, 0.2], np.float32)       # what the seal's ink lets through
    out = page.copy()
    out[y0:y1, x0:x1] *= 1 - d * (1 - red)               # ink multiplies: black under red stays black
    return out


# ---- one page ------------------------------------------------------------------------

def letterhead(page: Image.Image, dpi: float) -> Image.Image:
    """``page`` with a red letterhead (红头) above it: the issuing body's name in large red
    characters over a thick red rule and a thin one, in a band as tall as a letterhead's
    (the page grows by it: the document's own title starts under the rule)."""
    band = int(dpi * 1.6)
    out = Image.new("RGB", (page.width, page.height + band), "white")
    out.paste(page, (0, band))
    draw = ImageDraw.Draw(out)
    red = (200, 20, 30)
    font = ImageFont.truetype(SEAL_FONT, int(dpi * 0.55))
    draw.text((page.width / 2, band * 0.45), "某某市人民政府办公室文件", fill=red, font=font, anchor="mm")
    margin = int(dpi * 0.9)
    draw.rectangle((margin, int(band * 0.85), page.width - margin, int(band * 0.85 + dpi * 0.03)), fill=red)
    draw.rectangle((margin, int(band * 0.85 + dpi * 0.06), page.width - margin,
                    int(band * 0.85 + dpi * 0.07)), fill=red)
    return out


def degrade(page: Image.Image, dpi: float, how: Degradation, rng: np.random.Generator,
            last: bool = False, first: bool = False) -> Image.Image:
    """One clean page (RGB) → the scan a portal posts (RGB with ``how.colour``, else L)."""
    import cv2

    if how.letterhead and first:
        page = letterhead(page, dpi)
    a = np.asarray(page.convert("RGB"), np.float32) / 255      # reflectance, 1 = paper
    h, w = a.shape[:2]
    if how.seal and last:
        a = stamp(a, dpi, rng)
    angle = float(rng.uniform(*how.skew)) * (1 if rng.random() < 0.5 else -1)
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    a = cv2.warpAffine(a, m, (w, h), flags=cv2.INTER_CUBIC, borderValue=(1, 1, 1))
    if how.perspective:
        src = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
        dst = src + rng.uniform(0, how.perspective * w, (4, 2)).astype(np.float32) * np.float32(
            [[1, 1], [-1, 1], [-1, -1], [1, -1]])
        a = cv2.warpPerspective(a, cv2.getPerspectiveTransform(src, dst), (w, h), flags=cv2.INTER_CUBIC,
                                borderValue=(1, 1, 1))
    a = np.clip(a, 0, 1)
    paper = float(rng.integers(205, 235))
    light = paper + np.linspace(-8, 8, w)[None, :] + np.linspace(-6, 6, h)[:, None]
    if how.shadow:
        # light falling off towards one corner, and the fold's shadow across the middle
        light = light * (1 - 0.3 * np.linspace(0, 1, w)[None, :] ** 2 * (0.6 + 0.4 * np.linspace(0, 1, h)[:, None]))
        fold = h * rng.uniform(0.45, 0.55)
        light = light * (1 - 0.4 * np.exp(-((np.arange(h)[:, None] - fold) / (0.03 * h)) ** 2))
    tint = np.float32([1.0, 0.98, 0.93]) if how.colour else np.float32([1, 1, 1])   # warm paper
    a = 20 + a * (light[:, :, None] * tint - 20)
    a += rng.normal(0, how.noise, a.shape[:2])[:, :, None]
    speckle = rng.random(a.shape[:2])
    a[speckle < how.specks] = rng.uniform(30, 120)
    a[speckle > 1 - how.specks] = 255
    if how.blur:
        a = cv2.GaussianBlur(a, (0, 0), how.blur)
    img = Image.fromarray(np.clip(a, 0, 255).astype(np.uint8), "RGB")
    return img if how.colour else img.convert("L")


def _pages(pdf_bytes: bytes, dpi: int | None, seed: str, how: str,
           quality: int | None = None) -> tuple[list[Image.Image], int, int]:
    """The degraded pages, the dpi they were scanned at and the JPEG quality to save them with."""
    d = DEGRADATIONS[how]
    dpi = d.dpi or dpi
    rng = _rng(f"{seed}@{dpi}" if how == "flatbed" else f"{seed}@{dpi}/{how}")
    clean = rasterise(pdf_bytes, dpi, colour=True)
    pages = [degrade(p, dpi, d, rng, last=i == len(clean) - 1, first=i == 0) for i, p in enumerate(clean)]
    return pages, dpi, quality or int(rng.integers(d.quality[0], d.quality[1] + 1))


def scan_pdf(pdf_bytes: bytes, dpi: int, seed: str, how: str = "flatbed", quality: int | None = None) -> bytes:
    """An image-only PDF of ``pdf_bytes`` scanned at ``dpi`` as ``how`` says (JPEG pages,
    no text layer; ``quality`` overrides the degradation's JPEG quality)."""
    pages, dpi, quality = _pages(pdf_bytes, dpi, seed, how, quality)
    out = io.BytesIO()
    pages[0].save(out, "PDF", resolution=dpi, save_all=True, append_images=pages[1:], quality=quality)
    return out.getvalue()


def scan_image(pdf_bytes: bytes, dpi: int, seed: str, page: int = 0, fmt: str = "PNG",
               how: str = "flatbed", quality: int | None = None) -> bytes:
    """One page as a scanned picture (PNG, JPEG or TIFF bytes), as portals post tables."""
    pages, dpi, quality = _pages(pdf_bytes, dpi, f"{seed}#{page}", how, quality)
    out = io.BytesIO()
    pages[page].save(out, fmt, dpi=(dpi, dpi), **({"quality": quality} if fmt == "JPEG" else {}))
    return out.getvalue()


# the committed messy scans (tests/test_ocr_messy.py), saved as JPEG 50 to stay small:
# (file, source PDF, dpi, degradation, page or None for all)
MESSY_FIXTURES = [
    ("scan_seal_seed_001_p2.jpg", FIXTURES / "seed_001.pdf", 150, "seal", 1),
    ("scan_low_dpi_seed_001.pdf", FIXTURES / "seed_001.pdf", 100, "low_dpi", None),
    ("scan_blur_huaian_p4.jpg", ROOT.parent / "shared" / "samples" / "005_huaian_city_gov_2024.pdf", 150, "blur", 3),
    ("scan_noise_seed_004_p1.jpg", FIXTURES / "seed_004.pdf", 150, "noise", 0),
]
FIXTURE_QUALITY = 50


def main() -> None:
    for name, source, dpi, how, page in MESSY_FIXTURES:
        data = source.read_bytes()
        if page is None:
            out = scan_pdf(data, dpi, source.stem, how, FIXTURE_QUALITY)
        else:
            out = scan_image(data, dpi, source.stem, page, "JPEG", how, FIXTURE_QUALITY)
        (FIXTURES / name).write_bytes(out)
        print(f"wrote {FIXTURES / name} ({len(out) // 1024} KiB)")


if __name__ == "__main__":
    sys.exit(main())
