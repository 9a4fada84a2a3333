"""One PDF page read with pdfium (pypdfium2) into the objects pdfplumber works on.

pdfplumber reads pages through pdfminer, whose pure-Python content-stream parser was
most of the cost of a PDF. pdfium (C) reads the same text and paths an order of
magnitude faster; this module turns its page into what pdfplumber's table finder and
text-line extraction expect, with pdfminer's geometry:

- ``chars``: dicts with text, x0, x1, top, bottom, doctop, width, height, size,
  fontname, upright, object_type="char". The box is pdfminer's: along the baseline
  the glyph's advance, across it the font size from the font's descent, so boxes do
  not depend on glyph shapes. Which glyphs pdfium's text page keeps does: pages are
  loaded inside ``pdfium_fonts.reading()`` so that it never depends on the system's fonts. Glyphs without a Unicode mapping read "(cid:N)" as in
  pdfminer; pdfium's generated spaces and line breaks are left out; so are glyphs
  outside the crop box (nobody sees them: printer's marks, slugs).
- ``edges``: pdfplumber's ruling edges from every painted path, classified as
  pdfminer does (a single segment is a line, a closed axis-aligned 4-point path a
  rectangle giving four edges, anything else a curve giving one edge per segment),
  including paths inside form XObjects.

Coordinates are in the page as displayed: /Rotate applied, origin at the top left of
the crop box, y growing downwards.

pdfium is not thread-safe: call this from one thread per process (the crawl runs
extraction in worker processes, one thread each).
"""
from __future__ import annotations

import ctypes

import pypdfium2.raw as pdfium_c

_PATH, _FORM = pdfium_c.FPDF_PAGEOBJ_PATH, pdfium_c.FPDF_PAGEOBJ_FORM
_MOVETO, _BEZIERTO = pdfium_c.FPDF_SEGMENT_MOVETO, pdfium_c.FPDF_SEGMENT_BEZIERTO
_MAX_FORM_DEPTH = 8        # nested forms deeper than this are hostile, not tables
_EPS = 1e-6


class Page:
    """Duck-types the parts of pdfplumber's Page that TableFinder and Table.extract use."""

    def __init__(self, chars: list[dict], edges: list[dict], width: float, height: float):
        self.chars = chars
        self.edges = edges
        self.width, self.height = width, height
        self.bbox = (0, 0, width, height)


def _mul(m, n):
    """m then n, matrices as (a, b, c, d, e, f) in the PDF convention."""
    a, b, c, d, e, f = m
    A, B, C, D, E, F = n
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D,
            e * A + f * C + E, e * B + f * D + F)


def _display_matrix(rotation: int, box) -> tuple:
    """User space → (x, top) on the page as displayed, from the crop box and /Rotate."""
    x0, y0, x1, y1 = box
    return {0: (1, 0, 0, -1, -x0, y1),
            90: (0, 1, 1, 0, -y0, -x0),
            180: (-1, 0, 0, 1, x1, -y0),
            270: (0, -1, -1, 0, y1, x1)}[rotation]


def _matrix(obj) -> tuple:
    m = pdfium_c.FS_MATRIX()
    if not pdfium_c.FPDFPageObj_GetMatrix(obj, m):
        return (1, 0, 0, 1, 0, 0)
    return (m.a, m.b, m.c, m.d, m.e, m.f)


class Fonts:
    """What the glyphs of one document need from their fonts, looked up once per font
    (by base font name) and character rather than once per glyph."""

    def __init__(self):
        self.descents: dict[bytes, tuple[str, float]] = {}   # name → (name, descent per unit size)
        self.widths: dict[tuple[bytes, int], float] = {}     # (name, character) → advance per unit size


def load(page, textpage, doctop: float = 0.0, fonts: Fonts | None = None) -> Page:
    """``page``/``textpage``: pypdfium2 PdfPage and its PdfTextPage; ``fonts``: shared
    by the pages of one document."""
    rotation = page.get_rotation() % 360
    box = page.get_bbox()         # crop box within the media box: what a viewer shows
    width, height = box[2] - box[0], box[3] - box[1]
    if rotation in (90, 270):
        width, height = height, width
    disp = _display_matrix(rotation, box)
    chars = _chars(textpage.raw, disp, width, height, doctop, fonts or Fonts())
    edges = _edges(page.raw, disp, width, height, doctop)
    return Page(chars, edges, width, height)


# ------------------------------------------------------------------------------ chars

def _chars(tp, disp, width, height, doctop, cache: Fonts):
    da, db, dc, dd, de, df = disp
    fonts, widths = cache.descents, cache.widths
    chars = []
    m, rect = pdfium_c.FS_MATRIX(), pdfium_c.FS_RECTF()
    ox, oy = ctypes.c_double(), ctypes.c_double()
    name_buf, flags = ctypes.create_string_buffer(256), ctypes.c_int()
    # the calls below run once per glyph: bound to locals
    get_unicode, is_generated = pdfium_c.FPDFText_GetUnicode, pdfium_c.FPDFText_IsGenerated
    map_error, font_size = pdfium_c.FPDFText_HasUnicodeMapError, pdfium_c.FPDFText_GetFontSize
    font_info = pdfium_c.FPDFText_GetFontInfo
    get_matrix, get_origin = pdfium_c.FPDFText_GetMatrix, pdfium_c.FPDFText_GetCharOrigin
    get_loose_box = pdfium_c.FPDFText_GetLooseCharBox
    n = pdfium_c.FPDFText_CountChars(tp)
    i = 0
    while i < n:
        index = i
        i += 1
        code = get_unicode(tp, index)
        # pdfium adds spaces and line breaks of its own (it generates nothing else)
        if code <= 0x20 and is_generated(tp, index) == 1:
            continue
        unmapped = map_error(tp, index) == 1
        if unmapped:
            text = f"(cid:{code})"        # pdfium gives the char code: what pdfminer showed
        elif 0xD800 <= code < 0xE000:       # UTF-16 surrogates: a character beyond the BMP
            low = get_unicode(tp, i) if i < n else 0
            if code < 0xDC00 and 0xDC00 <= low < 0xE000:
                i += 1
                text = chr(0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00))
            else:
                text = "\ufffd"
        else:
            text = chr(code)
        if not get_matrix(tp, index, m) or not get_origin(tp, index, ox, oy) \
                or not get_loose_box(tp, index, rect):
            continue
        size = font_size(tp, index)
        need = font_info(tp, index, name_buf, len(name_buf), flags)
        if need > len(name_buf):    # a name this long is not copied: fetch it whole
            long_buf = ctypes.create_string_buffer(need)
            font_info(tp, index, long_buf, need, flags)
            name = long_buf.value
        else:
            name = name_buf.value if need else b""
        font = fonts.get(name)
        if font is None:
            font = fonts[name] = _font(tp, index, name)
        fontname, descent = font[0], font[1] * size
        ma, mb, mc, md = m.a, m.b, m.c, m.d
        x, y = ox.value, oy.value
        # pdfminer's box: (0, descent) – (advance, descent + size) in text space. The
        # loose box spans the advance and any ink beyond it along the baseline, so the
        # font's width of the character is the advance unless it is wider than that
        if -_EPS < mb < _EPS and -_EPS < mc < _EPS and not -_EPS < ma < _EPS:
            adv = (rect.right - rect.left) / abs(ma)
        elif -_EPS < ma < _EPS and -_EPS < md < _EPS and not -_EPS < mb < _EPS:
            adv = (rect.top - rect.bottom) / abs(mb)
        else:
            adv = None
        if adv is not None and not unmapped:
            width_key = (name, code)
            unit = widths.get(width_key)
            if unit is None:
                unit = widths[width_key] = _advance(tp, index, code)
            if 0 < unit * size < adv:
                adv = unit * size
        if adv is not None:
            ux0, uy0 = x + mc * descent, y + md * descent
            ux1, uy1 = x + ma * adv + mc * (descent + size), y + mb * adv + md * (descent + size)
        else:   # skewed, or rotated by an odd angle: pdfium's loose box
            ux0, uy0, ux1, uy1 = rect.left, rect.bottom, rect.right, rect.top
        x0, x1 = da * ux0 + dc * uy0 + de, da * ux1 + dc * uy1 + de
        top, bottom = db * ux0 + dd * uy0 + df, db * ux1 + dd * uy1 + df
        if x1 < x0:
            x0, x1 = x1, x0
        if bottom < top:
            top, bottom = bottom, top
        if not (0 <= (x0 + x1) / 2 <= width and 0 <= (top + bottom) / 2 <= height):
            continue
        # pdfminer's test, on the text matrix as seen upright (y up) on the displayed page
        pa, pb = da * ma + dc * mb, -(db * ma + dd * mb)
        pc, pd = da * mc + dc * md, -(db * mc + dd * md)
        chars.append({
            "object_type": "char", "text": text, "fontname": fontname,
            "x0": x0, "x1": x1, "top": top, "bottom": bottom,
            "doctop": doctop + top, "width": x1 - x0, "height": bottom - top,
            "size": bottom - top, "upright": pa * pd > 0 and pb * pc <= 0,
        })
    return chars


def _advance(tp, index: int, code: int) -> float:
    """The font's advance width of the character, per unit of font size (0: unknown)."""
    width = ctypes.c_float()
    font = pdfium_c.FPDFTextObj_GetFont(pdfium_c.FPDFText_GetTextObject(tp, index))
    # takes the Unicode value and maps it back to the font's char code
    if not font or not pdfium_c.FPDFFont_GetGlyphWidth(font, code, ctypes.c_float(1000.0), width):
        return 0.0
    return width.value / 1000.0


def _font(tp, index: int, name: bytes) -> tuple[str, float]:
    """(font name, descent per unit of font size) of the font of glyph ``index``."""
    descent = ctypes.c_float()
    font = pdfium_c.FPDFTextObj_GetFont(pdfium_c.FPDFText_GetTextObject(tp, index))
    if not font or not pdfium_c.FPDFFont_GetDescent(font, ctypes.c_float(1000.0), descent):
        descent.value = 0.0
    return name.decode("utf-8", "replace"), descent.value / 1000.0


# ------------------------------------------------------------------------------ edges

def _edges(page, disp, width, height, doctop):
    edges: list[dict] = []
    _collect(pdfium_c.FPDFPage_CountObjects(page), lambda k: pdfium_c.FPDFPage_GetObject(page, k),
             disp, edges, 0)
    out = []
    for e in edges:
        if e["x1"] < 0 or e["x0"] > width or e["bottom"] < 0 or e["top"] > height:
            continue        # outside the crop box
        e["doctop"] = doctop + e["top"]
        out.append(e)
    return out


def _collect(count, get, outer, edges, depth):
    """Edges of the path objects among ``count`` objects; ``outer``: their space → display."""
    for k in range(count):
        obj = get(k)
        kind = pdfium_c.FPDFPageObj_GetType(obj)
        if kind == _PATH:
            _path_edges(obj, _mul(_matrix(obj), outer), edges)
        elif kind == _FORM and depth < _MAX_FORM_DEPTH:
            # a form's objects carry matrices within the form; the form's own maps it out
            _collect(pdfium_c.FPDFFormObj_CountObjects(obj),
                     lambda j, obj=obj: pdfium_c.FPDFFormObj_GetObject(obj, j),
                     _mul(_matrix(obj), outer), edges, depth + 1)


def _path_edges(obj, m, edges):
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    if pdfium_c.FPDFPath_GetDrawMode(obj, fill, stroke) and not fill.value and not stroke.value:
        return      # a path that paints nothing (pdfminer never sees these)
    a, b, c, d, e, f = m
    x, y = ctypes.c_float(), ctypes.c_float()
    # rebuild pdfminer's view of the path: subpaths of (operator, point), points in the
    # displayed page with y up (pdfminer's), a closing "h" at the subpath's start
    subpaths: list[tuple[list[str], list[tuple[float, float]]]] = []
    start = None
    bezier = 0
    for k in range(pdfium_c.FPDFPath_CountSegments(obj)):
        seg = pdfium_c.FPDFPath_GetPathSegment(obj, k)
        if not seg or not pdfium_c.FPDFPathSegment_GetPoint(seg, x, y):
            continue
        kind = pdfium_c.FPDFPathSegment_GetType(seg)
        closes = bool(pdfium_c.FPDFPathSegment_GetClose(seg))
        pt = (a * x.value + c * y.value + e, -(b * x.value + d * y.value + f))
        if kind == _MOVETO:
            subpaths.append((["m"], [pt]))
            start, bezier = pt, 0
            continue
        if not subpaths:
            continue
        ops, pts = subpaths[-1]
        if kind == _BEZIERTO:
            bezier += 1
            if bezier % 3:
                continue            # control points: pdfminer keeps only the end point
            ops.append("c")
            pts.append(pt)
        elif closes and pt == start:
            # pdfium closes a subpath with a line back to its start; pdfminer sees "h"
            ops.append("h")
            pts.append(start)
            continue
        else:
            ops.append("l")
            pts.append(pt)
        if closes:
            ops.append("h")
            pts.append(start)
    for ops, pts in subpaths:
        if len(ops) > 1:
            _classify("".join(ops), pts, edges)


def _classify(shape: str, pts: list, edges: list) -> None:
    """pdfminer's PDFLayoutAnalyzer.paint_path, then pdfplumber's edges of the result.
    ``pts`` have y up; edges get pdfplumber's top/bottom (y down) by negating."""
    if len(shape) > 3 and shape[-2:] == "lh" and pts[-2] == pts[0]:
        shape = shape[:-2] + "h"
        pts = pts[:-1]
    if shape in ("mlh", "ml"):
        (x0, y0), (x1, y1) = pts[0], pts[1]
        # pdfplumber: a line is horizontal when its ends are level, else vertical
        edges.append(_edge("line", min(x0, x1), max(x0, x1), -max(y0, y1), -min(y0, y1),
                           "h" if y0 == y1 else "v"))
        return
    if shape in ("mlllh", "mllll"):
        (x0, y0), (x1, y1), (x2, y2), (x3, y3), _ = pts
        if pts[0] == pts[4] and ((x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0)
                                 or (y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0)):
            left, right = min(x0, x2), max(x0, x2)
            top, bottom = -max(y0, y2), -min(y0, y2)
            edges.append(_edge("rect_edge", left, right, top, top, "h"))
            edges.append(_edge("rect_edge", left, right, bottom, bottom, "h"))
            edges.append(_edge("rect_edge", left, left, top, bottom, "v"))
            edges.append(_edge("rect_edge", right, right, top, bottom, "v"))
            return
    for (x0, y0), (x1, y1) in zip(pts, pts[1:]):
        if x0 == x1:
            edges.append(_edge("curve_edge", x0, x0, -max(y0, y1), -min(y0, y1), "v"))
        elif y0 == y1:
            edges.append(_edge("curve_edge", min(x0, x1), max(x0, x1), -y0, -y0, "h"))


def _edge(kind, x0, x1, top, bottom, orientation) -> dict:
    return {"object_type": kind, "x0": x0, "x1": x1, "top": top, "bottom": bottom,
            "width": x1 - x0, "height": bottom - top, "orientation": orientation}
