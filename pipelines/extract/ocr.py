"""Scanned pages (image-only PDF pages, pictures of tables) → Document, by OCR.

Each page image is cleaned first: the paper is flattened to white (uneven grey paper,
shading), speckle removed by a median filter, and the skew measured (projection
profiles, ±3°) and undone. Tables come from the page's ruling lines (OpenCV): long
horizontal strokes, and vertical strokes that run from one horizontal line to another;
each closed region between them is a cell, merged cells included. Each cell's ink is cut
into text lines and read by the engine (ocr_engine.py); text outside tables is found and
read as lines. Cells go, as boxes in PDF points, through the PDF reader's table building
(pdf._join_and_build: grids, merged cells, tables across page breaks), so a scan takes
the same blocks → mapping → validation path as every other format.

Every cell read keeps its engine confidence and, for a cell of one text line, the other
whole numbers the engine spells there (``Source.readings``); confirm.confirm then keeps
an OCR'd number only when the engine was sure of it (table 二) or the template's
arithmetic confirms it, and ocr_repair.py picks among a blank cell's readings the one the
sums admit, if exactly one.
"""
from __future__ import annotations

import io
import logging
import re

import numpy as np

from pipelines.extract import ocr_rows
from pipelines.extract.blocks import OCR, Document, Line, Source
from pipelines.record import finding

log = logging.getLogger(__name__)

MAX_SKEW = 3.0            # degrees searched for the page's skew
MIN_TABLE_WIDTH = 1.0     # inches: ruled boxes narrower than this are no table
MAX_PIXELS = 40_000_000   # an image larger than this is refused (a 200 dpi A2 page is 19 M)
MAX_OCR_PAGES = 40        # pages read by OCR per file: ~3 s each, within the report's time limit
DEFAULT_DPI = 200
INK = 215                 # below this (on paper flattened to white) a pixel is ink: thin
                          # strokes and rules, blurred by the scanner, stay light grey
CORE_INK = 140            # … but a stroke has a darker core than a speck of dust
SMALL_SCAN_DPI = 150      # scanned below this, a table's rules are also looked for on the page
ENLARGE = 2               # enlarged this many times (benchmarks/ocr.py --messy: 100 dpi 81% → 88%)
SEAL_REDNESS = 30         # red above green and blue (0-255) of a seal's ink; grey or warm paper and JPEG's colour noise stay below




# ---- one page ------------------------------------------------------------------------

def without_seal(rgb: np.ndarray) -> np.ndarray:
    """A colour page → greyscale (paper white) with red ink left out: an official seal
    (公章) is stamped in red over the last table's numbers and the signature. Red ink lets
    red light through and black print does not, under the seal too: so the page is read
    by the lighter of its brightness and its red, and where a pixel is clearly redder than
    it is green or blue, the seal's remaining shade (how much its ink darkens the red
    channel here, the median over its pixels) is divided out. A grey page is its brightness."""
    import cv2

    gray = np.maximum(cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY), rgb[:, :, 0])
    redness = rgb[:, :, 0].astype(np.int16) - np.maximum(rgb[:, :, 1], rgb[:, :, 2])
    red = redness > SEAL_REDNESS
    if red.sum() < rgb.shape[0] * rgb.shape[1] * 1e-4:
        return gray
    flat = clean(gray)
    shaded = flat[red & (flat < 250)]
    if len(shaded):
        level = max(1.0, float(np.median(shaded)))
        flat[red] = np.clip(flat[red].astype(np.float32) * (255 / level), 0, 255).astype(np.uint8)
    return flat


def clean(gray: np.ndarray) -> np.ndarray:
    """White paper, black ink: divide by the paper's own brightness. (No median filter: it
    would erase the one-pixel ruling lines of a 150 dpi scan; specks are dropped by size later.)"""
    import cv2

    h, w = gray.shape
    k = max(15, (min(h, w) // 40) | 1)
    # the paper, with the ink closed over: dilation (max) removes dark strokes thinner than k
    paper = cv2.dilate(gray, np.ones((k, k), np.uint8))
    paper = cv2.blur(paper, (k, k))
    return cv2.divide(gray, paper, scale=255)


def skew_angle(gray: np.ndarray) -> float:
    """The page's skew in degrees, by the angle at which rows of ink are sharpest."""
    import cv2

    scale = min(1.0, 800 / max(gray.shape))
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    ink = (small < INK).astype(np.float32)
    h, w = ink.shape
    centre = (w / 2, h / 2)

    def sharpness(angle: float) -> float:
        m = cv2.getRotationMatrix2D(centre, angle, 1.0)
        rows = cv2.warpAffine(ink, m, (w, h), flags=cv2.INTER_LINEAR).sum(axis=1)
        return float((rows ** 2).sum())

    best = max(np.arange(-MAX_SKEW, MAX_SKEW + 1e-6, 0.25), key=sharpness)
    best = max(np.arange(best - 0.25, best + 0.25 + 1e-6, 0.05), key=sharpness)
    return float(best)


def deskew(gray: np.ndarray) -> np.ndarray:
    import cv2

    angle = skew_angle(gray)
    if abs(angle) < 0.05:
        return gray
    h, w = gray.shape
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    return cv2.warpAffine(gray, m, (w, h), flags=cv2.INTER_CUBIC, borderValue=255)


def local_ink(gray: np.ndarray, dpi: float, contrast: int = 12) -> np.ndarray:
    """Ink mask (255 = ink): pixels darker than their neighbourhood, so that a shaded
    cell's fill is not ink but its rules and its text are."""
    import cv2

    block = max(11, int(dpi * 0.12)) | 1
    local = cv2.adaptiveThreshold(gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, block, contrast)
    return cv2.bitwise_and(local, ((gray < INK) * 255).astype(np.uint8))


def ruling(gray: np.ndarray, dpi: float) -> tuple[np.ndarray, np.ndarray]:
    """(horizontal, vertical) masks of the ruling lines of tables."""
    import cv2

    ink = local_ink(gray, dpi)
    long_h = max(20, int(dpi * 0.4))  # a character's stroke is shorter than this
    # thickened across first: a rule that a residual skew breaks into steps stays one rule;
    # then small gaps (a dropout of the scan) in what is surely a rule are closed
    horizontal = cv2.morphologyEx(cv2.dilate(ink, np.ones((3, 1), np.uint8)), cv2.MORPH_OPEN,
                                  cv2.getStructuringElement(cv2.MORPH_RECT, (long_h, 1)))
    horizontal = cv2.morphologyEx(horizontal, cv2.MORPH_CLOSE, np.ones((1, max(3, int(dpi * 0.06))), np.uint8))
    candidates = cv2.morphologyEx(cv2.dilate(ink, np.ones((1, 3), np.uint8)), cv2.MORPH_OPEN,
                                  cv2.getStructuringElement(cv2.MORPH_RECT, (1, max(8, int(dpi * 0.08)))))
    # a vertical rule runs from one horizontal line to another; a character's stroke does not
    near_h = cv2.dilate(horizontal, np.ones((7, 3), np.uint8))
    vertical = spanning(candidates, near_h, dpi)
    # a dropout or a fold's shadow breaks a rule for a pixel or two; its pieces end mid-cell
    # and fail, and the column they bound would be lost: pieces taller than a character are
    # joined across such a gap and tried again (a rule that passed as it was stays: joined,
    # it may have run on into a heading's stroke above the table)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(candidates, connectivity=8)
    tall = ((stats[:, cv2.CC_STAT_HEIGHT] > dpi / 5) & (np.arange(n) > 0))[labels].astype(np.uint8) * 255
    joined = cv2.morphologyEx(tall, cv2.MORPH_CLOSE, np.ones((max(3, int(dpi * 0.04)), 1), np.uint8))
    vertical = cv2.bitwise_or(vertical, spanning(joined, near_h, dpi))
    return horizontal, vertical


def spanning(candidates: np.ndarray, near_h: np.ndarray, dpi: float) -> np.ndarray:
    """The thin strokes among ``candidates`` whose both ends touch ``near_h`` (horizontal rules)."""
    import cv2

    n, labels, stats, _ = cv2.connectedComponentsWithStats(candidates, connectivity=8)
    keep = np.zeros(n, bool)
    for i in range(1, n):
        x, y, w, h, area = stats[i]
        if area / h > max(6, dpi * 0.04):  # thickness, not width: a long rule may lean a pixel or two
            continue
        top = near_h[max(0, y - 2):y + 3, x:x + w].any()
        bottom = near_h[y + h - 3:y + h + 2, x:x + w].any()
        keep[i] = top and bottom
    return (keep[labels] * 255).astype(np.uint8)


def cell_boxes(horizontal: np.ndarray, vertical: np.ndarray, dpi: float) -> list[tuple[tuple, list[tuple]]]:
    """[(table box, [cell boxes])] in pixels (x0, y0, x1, y1), from the ruling masks."""
    import cv2

    grid = cv2.dilate(cv2.bitwise_or(horizontal, vertical), np.ones((3, 3), np.uint8))
    out = []
    n, _labels, stats, _ = cv2.connectedComponentsWithStats(grid, connectivity=8)
    min_cell = max(6, int(dpi * 0.06))
    for i in range(1, n):
        x, y, w, h, _ = stats[i]
        if w < dpi * MIN_TABLE_WIDTH or h < dpi * 0.15:
            continue
        region = grid[y:y + h, x:x + w]
        m, cells, cstats, _ = cv2.connectedComponentsWithStats(255 - region, connectivity=4)
        boxes = []
        for j in range(1, m):
            cx, cy, cw, ch, area = cstats[j]
            if cx == 0 or cy == 0 or cx + cw >= w or cy + ch >= h:
                continue  # outside the table's border
            if cw < min_cell or ch < min_cell or area < 0.5 * cw * ch:
                continue
            boxes.append((x + cx, y + cy, x + cx + cw, y + cy + ch))
        if len(boxes) >= 2:
            out.append(((x, y, x + w, y + h), snap(boxes, max(4, int(dpi / 12)))))
    return out


def snap(boxes: list[tuple], tolerance: int) -> list[tuple]:
    """Cell edges that lie on one ruling line get one coordinate (the regions between
    thick or slightly bent lines differ by a pixel or two), so rows and columns line up."""
    def snapper(values):
        out, group = {}, []
        for v in sorted(set(values)) + [None]:
            if group and (v is None or v - group[0] > tolerance):
                mid = round(sum(group) / len(group))
                out.update({g: mid for g in group})
                group = []
            if v is not None:
                group.append(v)
        return out

    sx = snapper([b[0] for b in boxes] + [b[2] for b in boxes])
    sy = snapper([b[1] for b in boxes] + [b[3] for b in boxes])
    return [(sx[x0], sy[y0], sx[x1], sy[y1]) for x0, y0, x1, y1 in boxes]


def core_ink(darkest: np.ndarray, size: np.ndarray, dpi: float) -> float:
    """How dark a small blob's core must be to be print rather than dust: CORE_INK on a
    sharp scan; on a blurred one, whose strokes are all lighter, halfway from the page's
    own characters (the darkest pixel of a typical one) to the paper, so that a decimal
    point blurred as much as its digits is kept."""
    characters = darkest[size >= dpi / 25]
    if not len(characters):
        return CORE_INK
    return max(CORE_INK, (float(np.median(characters)) + 255) / 2)


def near_strokes(labels: np.ndarray, strokes: np.ndarray, dpi: float) -> np.ndarray:
    """For each blob (label), whether it lies within half a character (dpi / 12: a 12 pt
    character is dpi / 6 high) of one of ``strokes`` (blobs of a character's size)."""
    import cv2

    r = max(2, int(dpi / 12))
    around = cv2.dilate(strokes[labels].astype(np.uint8), np.ones((2 * r + 1, 2 * r + 1), np.uint8))
    hit = np.zeros(len(strokes), bool)
    hit[np.unique(labels[around > 0])] = True
    return hit


def text_bands(ink: np.ndarray) -> list[tuple[int, int, int, int]]:
    """The lines of text inside a cell (x0, y0, x1, y1), by the rows and columns holding ink."""
    rows = ink.sum(axis=1) > 0
    bands, start = [], None
    for y, on in enumerate(list(rows) + [False]):
        if on and start is None:
            start = y
        elif not on and start is not None:
            if y - start >= 3:
                bands.append((start, y))
            start = None
    # a band too thin to be a line of text (a stray accent, a dot) joins its neighbour
    out = []
    for y0, y1 in bands:
        if out and (y1 - y0 < 6 or out[-1][1] - out[-1][0] < 6) and y0 - out[-1][1] < 4:
            out[-1] = (out[-1][0], y1)
        else:
            out.append((y0, y1))
    boxes = []
    for y0, y1 in out:
        cols = np.flatnonzero(ink[y0:y1].sum(axis=0))
        if len(cols):
            boxes.append((int(cols[0]), y0, int(cols[-1]) + 1, y1))
    return boxes


_STRAY = "\\s,，。、·'`‘’:：;；"   # a leading "." is kept: ".5" must not become 5
_PADDED_NUMBER = re.compile(rf"^[{_STRAY}]*([+\-]?\d[\d,]*(?:\.\d+)?)[{_STRAY}.]*$")


def tidy_number(text: str) -> str:
    """A number with stray marks around it (a speck read as a comma or a dot) → the number.
    Only marks that never belong to a count or amount at its ends are dropped."""
    m = _PADDED_NUMBER.match(text)
    return m.group(1) if m else text


READING_FLOOR = 0.01      # a cell's other reading less likely than this (by the engine) is none


def number_readings(result) -> tuple:
    """((whole number, probability), …) a cell's one text line may read as by the engine,
    likeliest first: its reading and the lattice's others (ocr_engine.readings) above
    READING_FLOOR; () from an engine that gives no lattice."""
    from pipelines.extract import ocr_engine, pdf as pdf_reader

    found: dict = {}
    for text, p in ocr_engine.readings(getattr(result, "lattice", ())):
        if p < READING_FLOOR:
            break
        t = tidy_number(pdf_reader.clean_cell(text))
        if t.isdigit() and t.isascii() and (t == "0" or not t.startswith("0")):
            found[int(t)] = found.get(int(t), 0.0) + p     # "12" and "12," are one number
    return tuple((v, round(p, 4)) for v, p in sorted(found.items(), key=lambda vp: -vp[1]))


def given_text(result, number: str) -> float:
    """The engine's probability that a cell's one text line spells ``number`` (a count or
    an amount, as tidy_number gives it), given that its ink is text at all:
    P(number) / (1 − P(nothing)). A lone short number ("0") covers
    one or two of the recogniser's time steps, and most of what its greedy confidence
    lacks is the blank ("no character here": 0 at 0.70, nothing at 0.19, O at 0.05), not
    another digit; the ink is there (a text band, not a speck), so only the other texts
    it may spell stand against the number (a 0 that may be a 6 at 0.26 stays unsure).
    P(number) sums the lattice's readings above READING_FLOOR and P(nothing) is taken as 0
    at a time step whose likeliest characters lack the blank: both err towards unsure."""
    from pipelines.extract import ocr_engine, pdf as pdf_reader

    nothing = 1.0
    for step in getattr(result, "lattice", ()):
        nothing *= dict(step).get("", 0.0)
    spelt = 0.0
    for text, p in ocr_engine.readings(getattr(result, "lattice", ())):
        if p < READING_FLOOR:
            break
        if tidy_number(pdf_reader.clean_cell(text)) == number:
            spelt += p
    return spelt / (1.0 - nothing) if nothing < 1.0 else 0.0


_PLAIN_NUMBER = re.compile(r"^(0|[1-9]\d*)(\.\d+)?$")   # ASCII digits: no "٣", no "012"
UNREAD_NUMBER = 0.05      # a number spelt this likely in ink read as nothing stands for it
UNSURE_CHARACTER = 0.5    # … and in ink read as one character of less confidence, at twice that


def _unread(text: str, confidence: float | None, number_probability: float) -> bool:
    """Whether a cell's reading is no reading: nothing, or one unsure character that is no
    digit (a 1 read as I or 便), where the engine also spells a number likely enough."""
    if not text:
        return number_probability >= UNREAD_NUMBER
    return len(text) == 1 and not text.isdigit() and (confidence or 0) < UNSURE_CHARACTER \
        and number_probability >= 2 * UNREAD_NUMBER


def structure(page: np.ndarray, dpi: float, scanned_dpi: float):
    """(horizontal, vertical) ruling masks and the tables' cells of a cleaned page. A page
    scanned below SMALL_SCAN_DPI (whatever it is rendered at) has rules a pixel thin and
    light, broken by blur: some are found only on the page enlarged ENLARGE times, others
    only as it is; both are kept. (The cells are still read from the page as it is: enlarged,
    its dust and blur read worse.)"""
    import cv2

    horizontal, vertical = ruling(page, dpi)
    if scanned_dpi < SMALL_SCAN_DPI:
        big = cv2.resize(page, None, fx=ENLARGE, fy=ENLARGE, interpolation=cv2.INTER_CUBIC)
        size = (page.shape[1], page.shape[0])
        for mask, native in zip(ruling(big, dpi * ENLARGE), (horizontal, vertical)):
            shrunk = cv2.resize(mask, size, interpolation=cv2.INTER_AREA)
            native[shrunk > 0] = 255
    return horizontal, vertical, cell_boxes(horizontal, vertical, dpi)


def read_page(gray: np.ndarray, dpi: float, page_index: int, *, engine_name: str | None = None,
              scanned_dpi: float | None = None) -> list:
    """One page image → items (page, top in points, Line | table segment) for pdf._join_and_build.
    ``scanned_dpi``: the resolution the page was scanned at, when it is rendered at another."""
    import cv2

    from pipelines.extract import ocr_engine, pdf as pdf_reader

    engine = ocr_engine.engine(engine_name)

    pt = 72.0 / dpi
    page = deskew(clean(gray))
    horizontal, vertical, tables = structure(page, dpi, scanned_dpi or dpi)
    lines_mask = cv2.bitwise_or(horizontal, vertical)
    inked = (local_ink(page, dpi) > 0).astype(np.uint8)
    inked[cv2.dilate(lines_mask, np.ones((3, 3), np.uint8)) > 0] = 0
    # a speck of dust is no text: a blob a pixel or two across goes, and so does a small
    # one without the dark core of a printed stroke (a decimal point has one; a thin
    # stroke of 一 is long)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(inked, connectivity=8)
    darkest = np.full(n, 255, np.int32)
    np.minimum.at(darkest, labels.ravel(), page.ravel().astype(np.int32))
    size = np.maximum(stats[:, cv2.CC_STAT_WIDTH], stats[:, cv2.CC_STAT_HEIGHT])
    keep = (size >= max(2, dpi / 50)) & ((darkest < core_ink(darkest[1:], size[1:], dpi)) | (size >= dpi / 25))
    keep[0] = False
    # … and a small blob away from every stroke is dust too, however dark: grain and dust
    # far out in a cell made its text line a cell wide, or a line of dust alone that the
    # engine reads as nothing (and so unsure); a decimal point or a character's dot lies
    # within half a character of a stroke
    stroke = size >= dpi / 25
    keep &= stroke | near_strokes(labels, keep & stroke, dpi)
    inked = keep[labels].astype(np.uint8)
    # what the engine reads: the page with rules and specks gone, strokes' soft edges kept
    readable = np.where(cv2.dilate(inked, np.ones((5, 5), np.uint8)) > 0, page, 255).astype(np.uint8)
    readable[lines_mask > 0] = 255

    height_pt = page.shape[0] * pt
    items = []
    crops, where = [], []   # text lines of cells, and (table number, cell number) of each
    segments = []
    blank = page.copy()
    pad = max(2, int(dpi / 75))
    for t, ((tx0, ty0, tx1, ty1), boxes) in enumerate(tables):
        blank[ty0:ty1, tx0:tx1] = 255
        cells = []
        for x0, y0, x1, y1 in boxes:
            ink = inked[y0 + pad:y1 - pad, x0 + pad:x1 - pad]
            parts = []
            for bx0, by0, bx1, by1 in text_bands(ink):
                gx0, gy0 = x0 + pad + bx0, y0 + pad + by0
                gx1, gy1 = x0 + pad + bx1, y0 + pad + by1
                crop = readable[max(0, gy0 - 3):gy1 + 3, max(0, gx0 - 3):gx1 + 3]
                parts.append((len(crops), max(bx1 - bx0, by1 - by0) < dpi / 15, gy0, gy1))
                crops.append(crop)
            cells.append([x0, y0, x1, y1, parts])
            where.append((t, len(cells) - 1))
        segments.append(cells)
    results = engine.read(crops)
    for t, ((tx0, ty0, tx1, ty1), _boxes) in enumerate(tables):
        cells = []
        for x0, y0, x1, y1, parts in segments[t]:
            rows = ocr_rows.split(x0, y0, x1, y1, [(gy0, gy1, results[p][0]) for p, speck, gy0, gy1 in parts
                                                   if not speck], segments[t], max(6, int(dpi * 0.06)))
            if rows:
                # a rule lost between rows (a fold's shadow, a dropout): one number a row
                solid = [p for p in parts if not p[1]]
                for ry0, ry1, n in rows:
                    text, confidence, alternatives = _cell_reading(results, [solid[n]])
                    cells.append((x0 * pt, ry0 * pt, x1 * pt, ry1 * pt, text, confidence, alternatives))
                continue
            text, confidence, alternatives = _cell_reading(results, parts)
            cells.append((x0 * pt, y0 * pt, x1 * pt, y1 * pt, text, confidence, alternatives))
        xs = pdf_reader._cluster([c[0] for c in cells] + [c[2] for c in cells])
        row_texts = []
        for y in sorted({c[1] for c in cells}):
            row = " ".join(c[4] for c in sorted(cells, key=lambda c: c[0]) if c[1] == y and c[4])
            if row:
                row_texts.append(row)
        bbox = (tx0 * pt, ty0 * pt, tx1 * pt, ty1 * pt)
        seg = {"page": page_index, "bbox": bbox, "top": bbox[1], "cells": cells, "method": OCR,
               "ncols": len(xs) - 1, "page_height": height_pt, "row_texts": row_texts}
        if not any(c[4] for c in cells):
            continue  # a ruled grid with nothing written in it
        if seg["ncols"] == 1:
            for text in row_texts:
                items.append((page_index, bbox[1], Line(text, Source(
                    page_index + 1, pdf_reader.bbox_locator(bbox, height_pt), OCR,
                    min((c[5] for c in cells if c[5] is not None), default=None)))))
        else:
            items.append((page_index, bbox[1], seg))
    for (x0, y0, x1, y1), text, confidence in text_lines(engine.lines(blank)):
        top, bottom = y0 * pt, y1 * pt
        if not pdf_reader._is_page_furniture(text, top, bottom, height_pt):
            locator = pdf_reader.bbox_locator((x0 * pt, top, x1 * pt, bottom), height_pt)
            items.append((page_index, top, Line(text, Source(page_index + 1, locator, OCR,
                                                             round(confidence, 3)))))
    return items


def _cell_reading(results: list, parts: list) -> tuple:
    """(text, confidence, other readings) of a cell from the readings of its text lines."""
    from pipelines.extract import pdf as pdf_reader

    # a band of a speck's size read as nothing is dust, not an unsure reading
    read = [results[p[0]] for p in parts if results[p[0]][0] or not p[1]]
    texts = [text for text, _ in read]
    confidence = min((c for _, c in read), default=None)
    text = tidy_number(pdf_reader.clean_cell("\n".join(texts)))
    # a cell of one text line: the other numbers it may read as (ocr_repair.py)
    lines_read = [results[p[0]] for p in parts if not p[1]] or [results[p[0]] for p in parts]
    alternatives = number_readings(lines_read[0]) if len(lines_read) == 1 else ()
    if alternatives and _unread(text, confidence, alternatives[0][1]):
        # ink the engine read as nothing, or as one unsure stray character, where it
        # also spells a number: that number, as unsure as the engine is of it (the
        # sums must confirm it; in table 二, unsure, it is not kept)
        text, confidence = str(alternatives[0][0]), alternatives[0][1]
    elif len(lines_read) == 1 and _PLAIN_NUMBER.match(text) and confidence is not None:
        confidence = max(confidence, given_text(lines_read[0], text))
    return text, None if confidence is None else round(confidence, 3), alternatives


def text_lines(boxes: list) -> list[tuple[tuple, str, float]]:
    """Text boxes on one line of the page (their middles within each other's height) →
    one line, left to right, boxes apart by a space: like a text layer's line, so that
    "规章  1  0  11" outside a ruled table keeps its order."""
    rows: list[list] = []
    for box in sorted(boxes, key=lambda b: (b.y0 + b.y1) / 2):
        middle = (box.y0 + box.y1) / 2
        if rows and rows[-1][0] <= middle <= rows[-1][1]:
            row = rows[-1]
            row[2].append(box)
            row[0], row[1] = min(row[0], box.y0), max(row[1], box.y1)
        else:
            rows.append([box.y0, box.y1, [box]])
    return [((min(b.x0 for b in bs), y0, max(b.x1 for b in bs), y1),
             " ".join(b.text for b in sorted(bs, key=lambda b: b.x0)), min(b.confidence for b in bs))
            for y0, y1, bs in rows]


def read_images(images: list[tuple[np.ndarray, float]], *, engine_name: str | None = None) -> Document:
    """Greyscale page images with their resolution (dpi) → Document, tables read by OCR."""
    from pipelines.extract import pdf as pdf_reader

    items = []
    for index, (gray, dpi) in enumerate(images):
        items.extend(read_page(gray, dpi, index, engine_name=engine_name))
    items.sort(key=lambda it: (it[0], it[1]))
    return Document(pdf_reader._join_and_build(items), [ocr_finding(len(images))] if items else [])


def ocr_finding(pages: int) -> dict:
    """Said of every record read by OCR, so that users can filter on it."""
    return finding("ocr_read", f"{pages} page(s) read by OCR from images; every OCR'd number is "
                   "kept only when the engine is sure of it or the tables' arithmetic confirms it")


def read_image_file(data: bytes, name: str = "image") -> Document:
    """A picture (PNG, JPEG, TIFF, GIF, BMP; every frame of a TIFF) → Document."""
    return read_image_files([(data, name)])[0]


# a picture smaller than this (pixels, either side) is an icon or a rule, not a table
MIN_PICTURE = 64


def read_image_files(files: list[tuple[bytes, str]]) -> tuple[Document, list[int]]:
    """Pictures of one report (its article's, in page order: table 一 in one, 二 and 三 in
    others) → one Document, each picture a page, tables joined across them as a PDF's
    pages are; and for each page, the index of the file it came from. Icons are passed
    over; a picture that cannot be opened is a finding."""
    from PIL import Image, ImageSequence

    pages, findings, origin = [], [], []
    for number, (data, name) in enumerate(files):
        try:
            img = Image.open(io.BytesIO(data))
            if img.width * img.height > MAX_PIXELS:
                findings.append(finding("unreadable_file", f"{name}: image of {img.width}x{img.height} "
                                        f"pixels is over the {MAX_PIXELS // 10**6} M pixel cap"))
                continue
            for frame in ImageSequence.Iterator(img):
                if len(pages) >= MAX_OCR_PAGES:
                    break
                if min(frame.width, frame.height) < MIN_PICTURE:
                    continue
                dpi = frame.info.get("dpi", (0, 0))[0] or _guess_dpi(frame.width, frame.height)
                pages.append((without_seal(np.asarray(frame.convert("RGB"))), float(dpi)))
                origin.append(number)
        except Exception as exc:   # a broken picture: say so, never raise
            findings.append(finding("unreadable_file", f"{name}: image cannot be opened: "
                                    f"{type(exc).__name__}: {exc}"))
    doc = read_images(pages)
    doc.findings[:0] = findings
    return doc, origin


def _guess_dpi(width: int, height: int) -> float:
    """A picture with no resolution: a table pasted into a page is about a page wide (7 inches)."""
    return float(min(300, max(96, max(width, height) / 8)))


def read_pdf_pages(pdf, indices: list[int]) -> tuple[list, list[dict]]:
    """Pages of an open pypdfium2 document, rendered at their images' resolution and read
    by OCR: (items for pdf._join_and_build, findings)."""
    findings = []
    if len(indices) > MAX_OCR_PAGES:
        findings.append(finding("truncated", f"{len(indices)} pages need OCR; only the first "
                                f"{MAX_OCR_PAGES} were read"))
        indices = indices[:MAX_OCR_PAGES]
    items = []
    for index in indices:
        page = pdf[index]
        try:
            scanned = _image_dpi(page)
            dpi = float(min(300, max(150, scanned or DEFAULT_DPI)))
            gray = without_seal(np.asarray(page.render(scale=dpi / 72).to_pil().convert("RGB")))
        finally:
            page.close()
        items.extend(read_page(gray, dpi, index, scanned_dpi=scanned or dpi))
    if indices:
        findings.append(ocr_finding(len(indices)))
    return items, findings


def _image_dpi(page) -> float:
    """The resolution of a page's largest picture (its pixels over its size in inches), 0
    when it has none (the page is rendered at 150-300 dpi whatever it is)."""
    import pypdfium2.raw as pdfium_c

    best = 0.0
    try:
        for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=2):
            px_w, _px_h = obj.get_px_size()
            x0, _y0, x1, _y1 = obj.get_bounds()
            if x1 - x0 > 72 and px_w:
                best = max(best, px_w / ((x1 - x0) / 72))
    except Exception:  # an odd image object: render at the default
        best = 0.0
    return float(best)
