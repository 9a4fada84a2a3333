"""How big a PDF's streams become once decoded, measured before any parser decodes them.

A "PDF bomb" is a few hundred KB whose streams decode to gigabytes; pdfium would decode
them whole. ``refusal`` walks every stream in the file's bytes (not through the xref, so
a broken or lying xref hides none), reads its ``/Filter`` chain from its dictionary and
decodes it stage by stage in 1 MB steps, stopping at the cap: memory stays bounded,
whatever the file claims, and whatever order the filters come in (ASCII85 or ASCIIHex
before Flate is what reportlab writes, and what a bomb hides behind).

Decoders: zlib for Flate; base64/binascii for ASCII85/ASCIIHex; LZW and RunLength here
(pdfminer's LZW keeps every table entry, unbounded, so it cannot measure a bomb).
Image codecs (DCT, JPX, CCITT, JBIG2) are not decoded: reading text and ruling lines
never decodes images. Data that stops decoding (broken or encrypted) counts what
decoded before the error.
"""
from __future__ import annotations

import base64
import binascii
import re
import zlib
from collections.abc import Iterable, Iterator
from io import BytesIO

CHUNK = 1 << 20
# one stream may decode to this much (a 600 dpi A4 RGB scan is ~100 MB) …
MAX_STREAM = 256 * 1024 * 1024
# … and all streams that are not images together to this much (content, fonts, object streams)
MAX_TOTAL = 512 * 1024 * 1024
MAX_DICT = 64 * 1024          # a stream dictionary longer than this is not parsed
_STREAM_START = re.compile(rb"(?<!end)stream(?:\r\n|\n|\r)")
_OBJ_HEADER = re.compile(rb"(?<![0-9])([0-9]+)\s+[0-9]+\s+obj")
_ENDS_WITH_OBJ_HEADER = re.compile(rb"(?<![0-9])[0-9]+\s+[0-9]+\s+obj$")
_WHITESPACE = re.compile(rb"[\x00\t\n\x0c\r ]+")
_NOT_HEX = re.compile(rb"[^0-9A-Fa-f]+")
_NAMES = {"FlateDecode": "Fl", "LZWDecode": "LZW", "ASCII85Decode": "A85",
          "ASCIIHexDecode": "AHx", "RunLengthDecode": "RL"}
# when a stream's filters cannot be read (a hostile dictionary, an indirect /Filter in a
# compressed object stream) every usual chain is tried and the largest result counts
_GUESSES = (("Fl",), ("A85", "Fl"), ("AHx", "Fl"), ("LZW",), ("A85", "LZW"), ("RL",))


def refusal(data: bytes, max_stream: int = MAX_STREAM, max_total: int = MAX_TOTAL) -> str | None:
    """None when every stream decodes within the caps, else why the file is refused."""
    total = 0
    for offset, raw, chains, image in streams(data):
        size = max(decoded_size(raw, chain, max_stream + 1) for chain in chains)
        if size > max_stream:
            return (f"its stream at byte {offset} inflates to more than {max_stream // 2**20} MB "
                    "(a decompression bomb?)")
        if not image:
            total += size
            if total > max_total:
                return (f"its compressed streams inflate to more than {max_total // 2**20} MB in all "
                        "(a decompression bomb?)")
    return None


def streams(data: bytes) -> Iterator[tuple[int, bytes, list[tuple[str, ...]], bool]]:
    """(offset, raw bytes, filter chains to measure, is an image) of every stream."""
    objects = _Objects(data)
    for m in _STREAM_START.finditer(data):
        start = m.end()
        end = data.find(b"endstream", start)
        end = len(data) if end < 0 else end
        info = _dictionary(data, m.start())
        length = info.get("Length") if info is not None else None
        if isinstance(length, int) and end < start + length <= len(data):
            end = start + length   # /Length says more than the next "endstream": believe the larger
        filters = _filters(info.get("Filter"), objects) if info is not None else None
        chains = [filters] if filters is not None else list(_GUESSES)
        image = info is not None and _name(info.get("Subtype")) == "Image"
        yield m.start(), data[start:end], chains, image


def decoded_size(raw: bytes, chain: tuple[str, ...], limit: int) -> int:
    """Bytes that ``raw`` decodes to through ``chain``, counted up to just past ``limit``."""
    size = 0
    try:
        for chunk in decoded(raw, chain):
            size += len(chunk)
            if size > limit:
                break
    except Exception:   # broken, encrypted or not what the filter says: what decoded so far counts
        pass
    return size


def decoded(raw: bytes, chain: Iterable[str]) -> Iterator[bytes]:
    """``raw`` through each filter of ``chain`` in turn, as chunks of about 1 MB."""
    chunks: Iterator[bytes] = (raw[i:i + CHUNK] for i in range(0, len(raw), CHUNK))
    for name in chain:
        decoder = _DECODERS.get(name)
        if decoder is None:     # an image codec or Crypt: not expanded here
            break
        chunks = decoder(chunks)
    return chunks


# ------------------------------------------------------------------- the dictionary

def _dictionary(data: bytes, stream_at: int) -> dict | None:
    """The stream's dictionary (between ``N G obj`` and ``stream``), None if unreadable."""
    low, obj = max(0, stream_at - MAX_DICT), stream_at
    while True:     # the last "obj" that is an object's header ("obj" may be in a string)
        obj = data.rfind(b"obj", low, obj)
        if obj < 0:
            return None
        if _ENDS_WITH_OBJ_HEADER.search(data, max(low, obj - 40), obj + 3):
            break
    value = _parse(data[obj + 3:stream_at])
    return value if isinstance(value, dict) else None


def _parse(segment: bytes):
    """One PDF object from ``segment`` (pdfminer's parser: nested dicts, #xx in names)."""
    from pdfminer.pdfparser import PDFParser

    try:
        return PDFParser(BytesIO(segment + b" endobj")).nextobject()[1]
    except Exception:
        return None


class _Objects:
    """Where each object of the file starts: its last ``N G obj`` (as an incremental
    update would have it), indexed in one pass when first needed."""

    def __init__(self, data: bytes):
        self.data = data
        self.ends: dict[int, int] | None = None

    def resolve(self, value):
        """An indirect reference's object; the value itself otherwise."""
        from pdfminer.pdftypes import PDFObjRef

        if not isinstance(value, PDFObjRef):
            return value
        if self.ends is None:
            self.ends = {int(m.group(1)): m.end() for m in _OBJ_HEADER.finditer(self.data)}
        end = self.ends.get(value.objid)
        return _parse(self.data[end:end + MAX_DICT]) if end is not None else None


def _name(value) -> str | None:
    name = getattr(value, "name", None)
    return name.decode("latin-1") if isinstance(name, bytes) else name


def _filters(value, objects: _Objects) -> tuple[str, ...] | None:
    """The chain of filter names, abbreviated; None when it cannot be read."""
    if value is None:
        return ()
    value = objects.resolve(value)
    items = value if isinstance(value, list) else [value]
    names = tuple(_name(objects.resolve(v)) for v in items)
    if any(n is None for n in names):
        return None
    return tuple(_NAMES.get(n, n) for n in names)


# ------------------------------------------------------------------- the decoders

def _flate(chunks: Iterator[bytes]) -> Iterator[bytes]:
    inflater = zlib.decompressobj()
    for chunk in chunks:
        while chunk and not inflater.eof:   # data after the end (an end-of-line) is not inflated
            out = inflater.decompress(chunk, CHUNK)
            chunk = inflater.unconsumed_tail
            if out:
                yield out
        if inflater.eof:
            return


def _ascii85(chunks: Iterator[bytes]) -> Iterator[bytes]:
    carry = b""
    for chunk in chunks:
        end = chunk.find(b"~")      # "~>" ends the data
        # "z" stands for "!!!!!" (four zero bytes): spelt out, every group is 5 characters
        text = carry + _WHITESPACE.sub(b"", chunk if end < 0 else chunk[:end]).replace(b"z", b"!!!!!")
        whole = len(text) // 5 * 5
        if whole:
            yield base64.a85decode(text[:whole])
        carry = text[whole:]
        if end >= 0:
            break
    if carry:
        yield base64.a85decode(carry)


def _asciihex(chunks: Iterator[bytes]) -> Iterator[bytes]:
    carry = b""
    for chunk in chunks:
        end = chunk.find(b">")
        digits = carry + _NOT_HEX.sub(b"", chunk if end < 0 else chunk[:end])
        whole = len(digits) & ~1
        yield binascii.unhexlify(digits[:whole])
        carry = digits[whole:]
        if end >= 0:
            break
    if carry:
        yield binascii.unhexlify(carry + b"0")


def _runlength(chunks: Iterator[bytes]) -> Iterator[bytes]:
    pending = b""
    out = bytearray()
    for chunk in chunks:
        data, i = pending + chunk, 0
        while i < len(data):
            n = data[i]
            if n == 128:                       # end of data
                yield bytes(out)
                return
            step = n + 2 if n < 128 else 2
            if i + step > len(data):
                break
            out += data[i + 1:i + step] if n < 128 else data[i + 1:i + 2] * (257 - n)
            i += step
            if len(out) >= CHUNK:
                yield bytes(out)
                out.clear()
        pending = data[i:]
    yield bytes(out)


def _lzw(chunks: Iterator[bytes]) -> Iterator[bytes]:
    """PDF's LZW (EarlyChange 1, as TIFF's), its table capped at 4096 codes."""
    first = [bytes((i,)) for i in range(256)] + [b"", b""]
    table, prev, width = list(first), None, 9
    bits = nbits = 0
    out = bytearray()
    for chunk in chunks:
        for byte in chunk:
            bits, nbits = (bits << 8) | byte, nbits + 8
            while nbits >= width:
                nbits -= width
                code = bits >> nbits
                bits &= (1 << nbits) - 1
                if code == 256:                # clear table
                    table, prev, width = list(first), None, 9
                    continue
                if code == 257:                # end of data
                    yield bytes(out)
                    return
                if code < len(table):
                    entry = table[code]
                elif code == len(table) and prev is not None:
                    entry = prev + prev[:1]
                else:
                    raise ValueError(f"LZW code {code} is not in the table")
                out += entry
                if prev is not None and len(table) < 4096:
                    table.append(prev + entry[:1])
                    if len(table) + 1 >= 1 << width and width < 12:
                        width += 1
                prev = entry
                if len(out) >= CHUNK:
                    yield bytes(out)
                    out.clear()
    yield bytes(out)


_DECODERS = {"Fl": _flate, "A85": _ascii85, "AHx": _asciihex, "RL": _runlength, "LZW": _lzw}
