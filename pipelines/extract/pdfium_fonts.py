"""pdfium reads a page the same whatever fonts the machine has.

A PDF whose CJK font is not embedded (reportlab's ``STSong-Light``, many government
PDFs) names a font that pdfium looks for among the system's fonts. Advances, sizes and
Unicode come from the PDF itself either way, but pdfium's text page computes each text
object's box from the outlines of the font it found, and drops an object whose box has
no width (cpdf_textpage.cpp). So a text object of one glyph that the substitute lacks
vanishes: with no CJK font installed, every label printed one character per line; with
only Debian's Droid Sans Fallback (no Latin glyphs), every cell holding a single digit.
Its de-duplication of text drawn twice (fake bold) compares those boxes too.

While the reader loads pages (``reading()``), pdfium is given no system font: a font
that is not embedded gets pdfium's built-in Latin fonts for Latin character sets (the
same on every machine), and for any other character set (CJK and the rest) a font made
here whose every character is one box glyph spanning the em square. Boxes are never
read from glyph outlines (pdfium_page.py), so that font only keeps the objects in.
Outside ``reading()`` every call goes to pdfium's default system font info: pages
rendered for OCR or for scans still draw with the system's fonts.

pdfium is not thread-safe: pages are read and rendered from one thread per process.
"""
from __future__ import annotations

import ctypes
import struct
from contextlib import contextmanager

import pypdfium2  # noqa: F401  (initialises the library before the font info is set)
import pypdfium2.raw as pdfium_c

# FX_Charset: ANSI, DEFAULT, SYMBOL have pdfium's built-in fonts
_BUILT_IN_CHARSETS = (0, 1, 2)
_FACE_NAME = b"gxnb-box\0"
_UNITS, _ASCENT, _DESCENT = 1000, 880, -120

_reading = 0


@contextmanager
def reading():
    """Fonts that are not embedded are mapped without the system's fonts meanwhile."""
    global _reading
    _reading += 1
    try:
        yield
    finally:
        _reading -= 1


def box_font() -> bytes:
    """A TrueType font of two glyphs (.notdef and one other), both a box over the em
    square, with every Unicode code point mapped to the second (cmap format 13)."""
    box = (struct.pack(">hhhhh", 1, 0, _DESCENT, _UNITS, _ASCENT)   # one contour, its bounds
           + struct.pack(">HH", 3, 0)                                # last point 3, no instructions
           + bytes([1, 1, 1, 1])                                     # four on-curve points …
           + struct.pack(">hhhh", 0, _UNITS, 0, -_UNITS)              # … x deltas
           + struct.pack(">hhhh", _DESCENT, 0, _ASCENT - _DESCENT, 0))  # … y deltas
    box += b"\0" * (-len(box) % 4)
    n_glyphs = 2
    tables = {
        b"cmap": struct.pack(">HHHHI", 0, 1, 3, 10, 12)
        + struct.pack(">HHIII", 13, 0, 28, 0, 1) + struct.pack(">III", 0, 0x10FFFF, 1),
        b"glyf": box * n_glyphs,
        b"head": struct.pack(">IIIIHHqqhhhhHHhhh", 0x00010000, 0x00010000, 0, 0x5F0F3CF5, 0x000B,
                             _UNITS, 0, 0, 0, _DESCENT, _UNITS, _ASCENT, 0, 8, 2, 0, 0),
        b"hhea": struct.pack(">IhhhHhhhhhh4hhH", 0x00010000, _ASCENT, _DESCENT, 0, _UNITS, 0, 0,
                             _UNITS, 1, 0, 0, 0, 0, 0, 0, 0, n_glyphs),
        b"hmtx": struct.pack(">Hh", _UNITS, 0) * n_glyphs,
        b"loca": struct.pack(f">{n_glyphs + 1}H", *(k * len(box) // 2 for k in range(n_glyphs + 1))),
        b"maxp": struct.pack(">IHHHHHHHHHHHHHH", 0x00010000, n_glyphs, 4, 1, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0),
    }
    n = len(tables)
    search = 1 << (n.bit_length() - 1)
    head = struct.pack(">IHHHH", 0x00010000, n, search * 16, search.bit_length() - 1, (n - search) * 16)
    offset, directory, body = 12 + 16 * n, b"", b""
    for tag in sorted(tables):
        data = tables[tag] + b"\0" * (-len(tables[tag]) % 4)
        checksum = sum(struct.unpack(f">{len(data) // 4}I", data)) & 0xFFFFFFFF
        directory += struct.pack(">4sIII", tag, checksum, offset + len(body), len(tables[tag]))
        body += data
    return head + directory + body


_FONT = box_font()
_FONT_BUFFER = ctypes.create_string_buffer(_FONT, len(_FONT))
_BOX = ctypes.addressof(_FONT_BUFFER)      # our font's handle: an address nothing else hands out

_default_ptr = pdfium_c.FPDF_GetDefaultSystemFontInfo()
_default = _default_ptr.contents if _default_ptr else None


def _delegate(name, *args, empty=None):
    if _default is None or not getattr(_default, name):
        return empty
    return getattr(_default, name)(_default_ptr, *args)


def _release(_this):
    pass        # pdfium lets go of it only when the library is destroyed, at exit


def _enum_fonts(_this, mapper):
    _delegate("EnumFonts", mapper)


def _map_font(_this, weight, italic, charset, pitch_family, face, exact):
    if not _reading:
        return _delegate("MapFont", weight, italic, charset, pitch_family, face, exact)
    return None if charset in _BUILT_IN_CHARSETS else _BOX


def _get_font(_this, face):
    return None if _reading else _delegate("GetFont", face)


def _font_data(_this, font, table, buffer, size):
    if font != _BOX:
        return _delegate("GetFontData", font, table, buffer, size, empty=0)
    if table != 0:          # a table by tag: we are asked for the whole file only
        return 0
    if buffer and size >= len(_FONT):
        ctypes.memmove(buffer, _FONT_BUFFER, len(_FONT))
    return len(_FONT)


def _face_name(_this, font, buffer, size):
    if font != _BOX:
        return _delegate("GetFaceName", font, buffer, size, empty=0)
    if buffer and size >= len(_FACE_NAME):
        ctypes.memmove(buffer, _FACE_NAME, len(_FACE_NAME))
    return len(_FACE_NAME)


def _charset(_this, font):
    return 1 if font == _BOX else _delegate("GetFontCharset", font, empty=1)


def _delete_font(_this, font):
    if font != _BOX:
        _delegate("DeleteFont", font)


_fields = dict(pdfium_c.FPDF_SYSFONTINFO._fields_)
_callbacks = [_fields[name](fn) for name, fn in (
    ("Release", _release), ("EnumFonts", _enum_fonts), ("MapFont", _map_font),
    ("GetFont", _get_font), ("GetFontData", _font_data), ("GetFaceName", _face_name),
    ("GetFontCharset", _charset), ("DeleteFont", _delete_font))]
_INFO = pdfium_c.FPDF_SYSFONTINFO(1, *_callbacks)       # kept alive with the module
pdfium_c.FPDF_SetSystemFontInfo(ctypes.byref(_INFO))
