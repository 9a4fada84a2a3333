"""PDF streams measured before pdfium decodes them (pipelines/extract/pdf_streams.py):
every filter chain, in 1 MB steps, stopping at the cap; ordinary files pass quickly."""
from __future__ import annotations

import base64
import binascii
import io
import json
import os
import zlib
from pathlib import Path

import pytest

from pipelines.extract import extract, pdf, pdf_streams

FIXTURES = Path(__file__).parent / "fixtures"
RECORDS = Path(__file__).resolve().parents[1] / "replicas" / "data" / "records"
TABLES = ("active_disclosure", "applications", "review_litigation")


def pdf_with_stream(encoded: bytes, stream_dict: bytes, extra_objects: tuple[bytes, ...] = ()) -> bytes:
    """A one-page PDF whose content stream is ``encoded``, with ``stream_dict`` entries
    (e.g. ``/Filter /FlateDecode``); ``extra_objects`` are numbers 5, 6, …"""
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
            b"<< /Length %d %s >>\nstream\n" % (len(encoded), stream_dict) + encoded + b"\nendstream",
            *extra_objects]
    out, offsets = b"%PDF-1.4\n", []
    for i, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    return out + b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)


def zeros_deflated(size: int) -> bytes:
    packer = zlib.compressobj(9)
    block = b"0" * (1 << 20)
    return b"".join(packer.compress(block) for _ in range(size // len(block))) + packer.flush()


def a85(data: bytes) -> bytes:
    return base64.a85encode(data, wrapcol=72) + b"~>"


def ahx(data: bytes) -> bytes:
    return binascii.hexlify(data) + b">"


@pytest.fixture(scope="module")
def bomb16():
    """16 MB of zeros deflated (about 16 KB)."""
    return zeros_deflated(16 << 20)


# every way of saying "ASCII85 or ASCIIHex, then Flate" that pdfium understands
CHAINS = {
    "ascii85 then flate": (a85, b"/Filter [/ASCII85Decode /FlateDecode]", ()),
    "asciihex then flate": (ahx, b"/Filter [/ASCIIHexDecode /FlateDecode]", ()),
    "abbreviated names": (a85, b"/Filter [/A85 /Fl]", ()),
    "names with #xx escapes": (ahx, b"/Filter [/ASCIIHe#78Decode /Flat#65Decode]", ()),
    "indirect filter array": (a85, b"/Filter 5 0 R", (b"[/ASCII85Decode /FlateDecode]",)),
    "decode parameters with their own /Filter": (
        a85, b"/DecodeParms << /Filter /ASCIIHexDecode >> /Filter [/ASCII85Decode /FlateDecode]", ()),
    "unreadable dictionary (every usual chain is tried)": (a85, b"/Filter [/ASCII85Decode /FlateDecode", ()),
}
# the dictionary's own chain is found, not guessed
FOUND = {
    "a string in the dictionary that says obj": (
        a85, b"/Note (an obj) /Filter [/ASCII85Decode /FlateDecode]", (), ("A85", "Fl")),
    "indirect filter array": (ahx, b"/Filter 15 0 R", (b"null",) * 10 + (b"[/AHx /Fl]",), ("AHx", "Fl")),
}


@pytest.mark.parametrize("case", FOUND)
def test_the_filter_chain_is_read_from_the_stream_dictionary(case):
    encode, entries, extra, chain = FOUND[case]
    [(_, _, chains, image)] = pdf_streams.streams(pdf_with_stream(encode(b"x"), entries, extra))
    assert chains == [chain] and not image


@pytest.mark.parametrize("chain", CHAINS)
def test_a_bomb_behind_any_filter_chain_is_measured(chain, bomb16):
    encode, entries, extra = CHAINS[chain]
    data = pdf_with_stream(encode(bomb16), entries, extra)
    refused = pdf_streams.refusal(data, max_stream=8 << 20)
    assert refused and "inflates to more than 8 MB" in refused
    assert pdf_streams.refusal(data, max_stream=32 << 20) is None   # 16 MB is within 32


def test_the_total_of_many_streams_is_capped_but_images_only_one_by_one(bomb16):
    two = [b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(bomb16) + bomb16 + b"\nendstream"] * 2
    data = pdf_with_stream(bomb16, b"/Filter /FlateDecode", tuple(two))
    assert "in all" in pdf_streams.refusal(data, max_stream=20 << 20, max_total=40 << 20)
    images = [b"<< /Subtype /Image /Length %d /Filter /FlateDecode >>\nstream\n" % len(bomb16)
              + bomb16 + b"\nendstream"] * 2
    data = pdf_with_stream(bomb16, b"/Filter /FlateDecode", tuple(images))
    assert pdf_streams.refusal(data, max_stream=20 << 20, max_total=40 << 20) is None


def test_an_ascii85_bomb_is_refused_by_the_reader_with_a_finding():
    bomb = a85(zeros_deflated(pdf_streams.MAX_STREAM + (8 << 20)))
    assert len(bomb) < 1 << 20                # under 1 MB that would become over 256 MB
    doc = pdf.read(pdf_with_stream(bomb, b"/Filter [/ASCII85Decode /FlateDecode]"))
    assert not doc.blocks and [f["rule"] for f in doc.findings] == ["unreadable_file"]
    assert "decompression bomb" in doc.findings[0]["message"]


def resaved_with_image(source: Path, side: int = 1100) -> bytes:
    """``source`` with a ``side``×``side`` RGB image added on its first page, saved by pdfium
    (which writes every stream as ``stream\\r\\n … \\r\\nendstream``)."""
    import pypdfium2
    from PIL import Image

    document = pypdfium2.PdfDocument(source.read_bytes())
    try:
        page = document[0]
        image = pypdfium2.PdfImage.new(document)
        picture = Image.linear_gradient("L").resize((side, side)).convert("RGB")
        image.set_bitmap(pypdfium2.PdfBitmap.from_pil(picture))   # pdfium deflates it
        image.set_matrix(pypdfium2.PdfMatrix().scale(100, 100).translate(450, 720))
        page.insert_obj(image)
        page.gen_content()
        out = io.BytesIO()
        document.save(out)
        return out.getvalue()
    finally:
        document.close()


@pytest.mark.timeout(120)
def test_a_report_with_a_large_image_resaved_by_pdfium_is_read():
    data = resaved_with_image(FIXTURES / "seed_000.pdf")
    # the image's stream inflates to more than 1 MB and is followed by an end-of-line
    assert len(data) < 64 << 10 and b"/Width 1100" in data and b"\r\nendstream" in data
    assert pdf_streams.refusal(data) is None
    record = extract(data, filename="report.pdf")
    expected = json.loads((RECORDS / "seed_000.json").read_text("utf-8"))
    assert all(record[t] == expected[t] for t in TABLES)


def test_decoders_read_what_the_encoders_wrote_across_chunks():
    data = os.urandom(pdf_streams.CHUNK * 2 + 7) + b"\0" * 40_000 + b"end"
    deflated = zlib.compress(data)
    assert b"".join(pdf_streams.decoded(a85(deflated), ("A85", "Fl"))) == data
    assert b"".join(pdf_streams.decoded(ahx(deflated), ("AHx", "Fl"))) == data
    assert b"".join(pdf_streams.decoded(base64.a85encode(b"\0" * 8) + b"~>", ("A85",))) == b"\0" * 8  # "zz"
    # RunLength: a literal run, a repeat, the end marker (what pdfminer reads)
    from pdfminer.runlength import rldecode
    rl = bytes([2]) + b"abc" + bytes([254]) + b"x" + bytes([128])
    assert b"".join(pdf_streams.decoded(rl, ("RL",))) == rldecode(rl) == b"abcxxx"


def test_lzw_reads_what_pillow_writes_in_a_tiff():
    """PDF's LZW is TIFF's: the strips of an LZW TIFF decode to its pixels."""
    from PIL import Image

    pixels = bytes((x * y // 7) % 5 for y in range(400) for x in range(300))
    out = io.BytesIO()
    Image.frombytes("L", (300, 400), pixels).save(out, "TIFF", compression="tiff_lzw")
    tiff = Image.open(io.BytesIO(out.getvalue()))
    strips = zip(tiff.tag_v2[273], tiff.tag_v2[279])      # StripOffsets, StripByteCounts
    raw = out.getvalue()
    decoded = b"".join(b"".join(pdf_streams.decoded(raw[o:o + n], ("LZW",))) for o, n in strips)
    assert decoded == pixels
