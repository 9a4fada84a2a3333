"""Scans for the OCR reader's tests and benchmark: a PDF's pages rasterised and made to
look scanned (skew up to ±1°, grey paper, speckle noise, a slight blur, JPEG), then
packed into an image-only PDF. Deterministic: the same name and dpi give the same bytes.

    .venv/bin/python scripts/make_scans.py             # writes the committed test scans
    scan_pdf(pdf_bytes, dpi=150, seed="seed_001")      # what tests/benchmarks call
"""
from __future__ import annotations

import hashlib
import io
import sys
from pathlib import Path

import numpy as np
from PIL import Image, ImageFilter

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
MAX_SKEW = 1.0  # degrees


def rasterise(pdf_bytes: bytes, dpi: int) -> list[Image.Image]:
    """Each page of a PDF as a greyscale image at ``dpi``."""
    import pypdfium2

    pdf = pypdfium2.PdfDocument(pdf_bytes)
    try:
        return [pdf[i].render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
                for i in range(len(pdf))]
    finally:
        pdf.close()


def _rng(seed: str) -> np.random.Generator:
    return np.random.default_rng(int.from_bytes(hashlib.sha256(seed.encode()).digest()[:8], "little"))


def scanned(page: Image.Image, rng: np.random.Generator) -> Image.Image:
    """One clean page → how a flatbed scanner returns it."""
    angle = float(rng.uniform(-MAX_SKEW, MAX_SKEW))
    paper = int(rng.integers(205, 235))
    # rotate on white, then darken the paper (ink stays dark, paper goes grey)
    img = page.rotate(angle, resample=Image.BICUBIC, expand=False, fillcolor=255)
    a = np.asarray(img, dtype=np.float32) / 255.0
    h, w = a.shape
    shade = paper + np.linspace(-8, 8, w)[None, :] + np.linspace(-6, 6, h)[:, None]  # uneven light
    a = 20 + a * (shade - 20)
    a += rng.normal(0, 6, a.shape)                       # sensor noise
    speckle = rng.random(a.shape)
    a[speckle < 0.0015] = rng.uniform(30, 120)           # dark specks (dust)
    a[speckle > 0.9985] = 255                            # light specks (dropouts)
    img = Image.fromarray(np.clip(a, 0, 255).astype(np.uint8), "L")
    return img.filter(ImageFilter.GaussianBlur(radius=0.6))


def scan_pdf(pdf_bytes: bytes, dpi: int, seed: str) -> bytes:
    """An image-only PDF of ``pdf_bytes`` as scanned at ``dpi`` (JPEG pages, no text layer)."""
    rng = _rng(f"{seed}@{dpi}")
    pages = [scanned(p, rng) for p in rasterise(pdf_bytes, dpi)]
    out = io.BytesIO()
    pages[0].save(out, "PDF", resolution=dpi, save_all=True, append_images=pages[1:], quality=80)
    return out.getvalue()


def scan_image(pdf_bytes: bytes, dpi: int, seed: str, page: int = 0, fmt: str = "PNG") -> bytes:
    """One page as a scanned picture (PNG, JPEG or TIFF bytes), as portals post tables."""
    rng = _rng(f"{seed}@{dpi}#{page}")
    img = scanned(rasterise(pdf_bytes, dpi)[page], rng)
    out = io.BytesIO()
    img.save(out, fmt, dpi=(dpi, dpi), **({"quality": 85} if fmt == "JPEG" else {}))
    return out.getvalue()


def main() -> None:
    # committed: two small scans (the CI's OCR tests); the benchmark makes the rest
    seed = (FIXTURES / "seed_001.pdf").read_bytes()
    (FIXTURES / "scan_seed_001_150dpi.pdf").write_bytes(scan_pdf(seed, 150, "seed_001"))
    print("wrote", FIXTURES / "scan_seed_001_150dpi.pdf")


if __name__ == "__main__":
    sys.exit(main())
