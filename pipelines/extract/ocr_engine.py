"""The OCR engines: an image's text lines and a cell's text, each with a confidence (0-1).

``rapidocr`` (default): RapidOCR's PP-OCRv4 Chinese models, run by onnxruntime; the
models ship inside the ``rapidocr-onnxruntime`` wheel, so nothing is downloaded at run
time. ``tesseract``: Debian's ``tesseract-ocr`` with ``chi_sim``, through its command
line (kept for the benchmark's comparison; see README). ``GXNB_OCR_ENGINE`` picks one.

Both run on one thread: the crawl reads reports in one worker process per core already.
"""
from __future__ import annotations

import os
import subprocess
import tempfile
from dataclasses import dataclass

import numpy as np

from pipelines.settings import from_environment

STRIP_WIDTH = 2400      # pixels of one strip of crops read in one pass (at 48 px high)
LATTICE_TOP = 4         # characters kept per time step for a crop's other readings (Reading.lattice)
STRIP_GAP = 24
DETECT_MAX_SIDE = 1000  # pixels: the page is shrunk to this for finding text lines (not for reading them)


class Reading(tuple):
    """(text, confidence) of one crop, as every engine gives it, and for RapidOCR also
    ``lattice``: per time step, the few likeliest characters ("" the blank) with their
    probabilities, from which ``readings`` lists the crop's other plausible texts."""
    lattice: tuple = ()

    def __new__(cls, text: str, confidence: float, lattice: tuple = ()):
        self = super().__new__(cls, (text, confidence))
        self.lattice = lattice
        return self

    def __reduce__(self):
        return (Reading, (self[0], self[1], self.lattice))


def readings(lattice: tuple, beam: int = 16) -> list[tuple[str, float]]:
    """The texts a crop may hold and their probabilities, likeliest first: CTC prefix beam
    search over its lattice (the probability of a text sums every path that collapses to
    it, repeats merged, blanks dropped). Only the lattice's characters are tried, so the
    probabilities are lower bounds."""
    beams = {"": (1.0, 0.0)}           # text → (ends in a blank, ends in its last character)
    for step in lattice:
        nxt: dict = {}

        def add(text, blank, char):
            b, c = nxt.get(text, (0.0, 0.0))
            nxt[text] = (b + blank, c + char)

        for text, (b, c) in beams.items():
            for ch, p in step:
                if ch == "":
                    add(text, (b + c) * p, 0.0)
                elif text and text[-1] == ch:
                    add(text, 0.0, c * p)             # the same character held on
                    add(text + ch, 0.0, b * p)        # … or repeated after a blank
                else:
                    add(text + ch, 0.0, (b + c) * p)
        beams = dict(sorted(nxt.items(), key=lambda kv: -(kv[1][0] + kv[1][1]))[:beam])
    return sorted(((t.strip(), b + c) for t, (b, c) in beams.items() if b + c > 0), key=lambda tp: -tp[1])


@dataclass
class TextBox:
    x0: float
    y0: float
    x1: float
    y1: float
    text: str
    confidence: float


class RapidEngine:
    name = "rapidocr"

    def __init__(self):
        from rapidocr_onnxruntime import RapidOCR

        # RapidOCR copies its global thread counts to the three models
        self._ocr = RapidOCR(intra_op_num_threads=1, inter_op_num_threads=1)
        self._ocr.text_rec.rec_batch_num = 16
        # a short crop (one number) is not padded to 320 px: most cells are one short word
        self._ocr.text_rec.rec_image_shape = [3, 48, 96]

    def lines(self, gray: np.ndarray) -> list[TextBox]:
        """Every text line of a (white-paper) greyscale image, in reading order."""
        h, w = gray.shape
        scale = min(1.0, DETECT_MAX_SIDE / max(h, w))
        small = gray if scale == 1.0 else _resize(gray, scale)
        rgb = np.ascontiguousarray(np.stack([small] * 3, axis=-1))
        boxes, _ = self._ocr.text_det(rgb)
        if boxes is None or len(boxes) == 0:
            return []
        crops, rects = [], []
        for quad in boxes:
            xs, ys = quad[:, 0] / scale, quad[:, 1] / scale
            x0, x1 = int(max(0, xs.min() - 2)), int(min(w, xs.max() + 2))
            y0, y1 = int(max(0, ys.min() - 2)), int(min(h, ys.max() + 2))
            if x1 - x0 < 4 or y1 - y0 < 4:
                continue
            crops.append(gray[y0:y1, x0:x1])
            rects.append((x0, y0, x1, y1))
        out = []
        for (x0, y0, x1, y1), (text, conf) in zip(rects, self.read(crops)):
            if text.strip():
                out.append(TextBox(x0, y0, x1, y1, text.strip(), conf))
        out.sort(key=lambda b: (b.y0, b.x0))
        return out

    def read(self, crops: list[np.ndarray]) -> list[Reading]:
        """The text of each crop (one line of text each), the engine's confidence and its
        lattice (``Reading``).

        The recogniser's cost grows with the width it reads, and one short crop (a "0")
        would be padded to a full line: so crops are laid side by side on strips with white
        gaps, each strip read in one pass, and the CTC output decoded per crop from the
        time steps its pixels cover (a time step is 8 pixels; a gap of 24 keeps them apart)."""
        import cv2

        if not crops:
            return []
        rec = self._ocr.text_rec
        height = 48
        sized = []
        for c in crops:
            h, w = c.shape
            width = max(8, int(np.ceil(height * w / max(1, h) / 8)) * 8)
            sized.append(cv2.resize(c, (width, height), interpolation=cv2.INTER_CUBIC))
        strips, current, x = [], [], STRIP_GAP
        for n, img in enumerate(sized):
            if current and x + img.shape[1] + STRIP_GAP > STRIP_WIDTH:
                strips.append((current, x))
                current, x = [], STRIP_GAP
            current.append((n, x))
            x += img.shape[1] + STRIP_GAP
        strips.append((current, x))
        out: list = [Reading("", 0.0)] * len(crops)
        chars = rec.postprocess_op.character
        for members, width in strips:
            canvas = np.full((height, width), 255, np.uint8)
            for n, x0 in members:
                canvas[:, x0:x0 + sized[n].shape[1]] = sized[n]
            batch = (np.repeat(canvas[None, None].astype(np.float32), 3, axis=1) / 255 - 0.5) / 0.5
            probs = rec.session(batch)[0][0]          # (time steps, classes)
            step = width / probs.shape[0]
            best, best_p = probs.argmax(axis=1), probs.max(axis=1)
            top = np.argpartition(-probs, LATTICE_TOP, axis=1)[:, :LATTICE_TOP]
            for n, x0 in members:
                t0, t1 = int(x0 / step), int(np.ceil((x0 + sized[n].shape[1]) / step))
                lattice = tuple(tuple(("" if k == 0 else chars[k], round(float(probs[t, k]), 4))
                                      for k in top[t] if probs[t, k] >= 1e-3) for t in range(t0, t1))
                out[n] = Reading(*_ctc(best[t0:t1], best_p[t0:t1], chars), lattice)
        return out


class TesseractEngine:
    name = "tesseract"

    def __init__(self):
        self.binary = from_environment("GXNB_TESSERACT")

    def _tsv(self, gray: np.ndarray, psm: int) -> list[dict]:
        from PIL import Image

        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "page.png")
            Image.fromarray(gray).save(path)
            out = subprocess.run([self.binary, path, "stdout", "-l", "chi_sim", "--psm", str(psm), "tsv"],
                                 capture_output=True, check=True, timeout=120,
                                 env={**os.environ, "OMP_THREAD_LIMIT": "1"}).stdout.decode("utf-8", "replace")
        rows = [r.split("\t") for r in out.splitlines()[1:]]
        return [{"block": int(r[2]), "par": int(r[3]), "line": int(r[4]), "left": int(r[6]),
                 "top": int(r[7]), "width": int(r[8]), "height": int(r[9]), "conf": float(r[10]),
                 "text": r[11]} for r in rows if len(r) >= 12 and r[11].strip() and float(r[10]) >= 0]

    def lines(self, gray: np.ndarray) -> list[TextBox]:
        groups: dict = {}
        for w in self._tsv(gray, 3):
            groups.setdefault((w["block"], w["par"], w["line"]), []).append(w)
        out = []
        for words in groups.values():
            out.append(TextBox(min(w["left"] for w in words), min(w["top"] for w in words),
                               max(w["left"] + w["width"] for w in words),
                               max(w["top"] + w["height"] for w in words),
                               "".join(w["text"] for w in words), min(w["conf"] for w in words) / 100))
        out.sort(key=lambda b: (b.y0, b.x0))
        return out

    def read(self, crops: list[np.ndarray]) -> list[tuple[str, float]]:
        """All crops stacked on one sheet, one line each, read in one call; lines matched back by height."""
        if not crops:
            return []
        gap = 24
        width = max(c.shape[1] for c in crops) + 2 * gap
        height = sum(c.shape[0] + gap for c in crops) + gap
        sheet = np.full((height, width), 255, np.uint8)
        spans, y = [], gap
        for c in crops:
            sheet[y:y + c.shape[0], gap:gap + c.shape[1]] = c
            spans.append((y, y + c.shape[0]))
            y += c.shape[0] + gap
        words = self._tsv(sheet, 6)
        out = []
        for y0, y1 in spans:
            mine = sorted((w for w in words if y0 - gap / 2 <= w["top"] + w["height"] / 2 <= y1 + gap / 2),
                          key=lambda w: w["left"])
            out.append(("".join(w["text"] for w in mine), min((w["conf"] for w in mine), default=0) / 100))
        return out


def _ctc(best: np.ndarray, prob: np.ndarray, chars: list[str]) -> tuple[str, float]:
    """Greedy CTC decoding of a run of time steps: repeats collapsed, blanks (0) dropped;
    the confidence is the least sure character's probability."""
    text, probs, previous = [], [], 0
    for k, p in zip(best.tolist(), prob.tolist()):
        if k != previous and k != 0:
            text.append(chars[k])
            probs.append(p)
        previous = k
    return "".join(text).strip(), (min(probs) if probs else 0.0)


def _resize(gray: np.ndarray, scale: float) -> np.ndarray:
    import cv2

    return cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)


_ENGINES: dict = {}


def engine(name: str | None = None):
    """The engine by name (``GXNB_OCR_ENGINE``, default rapidocr), loaded once per process."""
    name = name or from_environment("GXNB_OCR_ENGINE")
    if name not in _ENGINES:
        _ENGINES[name] = {"rapidocr": RapidEngine, "tesseract": TesseractEngine}[name]()
    return _ENGINES[name]
