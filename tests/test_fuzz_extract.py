"""Fuzzing the extractor (hypothesis): the fixtures, mutated the way a broken portal or an
attacker would (truncated, bytes flipped, table rows shuffled, duplicated or dropped,
hostile cell text), read by ``pipelines.extract.extract``. For every input:

- no exception escapes, and no reader fails on it (``extraction_error``, "reader failed");
- it does not hang (each test has a time limit);
- every number in the record appears as a number in the source: the oracle reads the
  source with other tools (lxml's text, pdfium's text layer, the XML of word/document.xml)
  and collects every run of digits, so a number that the extractor invented, merged from
  two cells or cut short fails the test.

The oracle is not vacuous: the unmutated fixtures must give numbers, and so must a good
share of the mutated ones. Examples are fixed (derandomised) so CI is reproducible;
``GXNB_FUZZ_EXAMPLES=500`` runs more of them locally, ``GXNB_FUZZ_SHRINK=1`` shrinks a
failing input to its smallest form.
"""
from __future__ import annotations

import io
import os
import re
import unicodedata
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, reject, settings, strategies as st

from pipelines.extract import decode, extract

FIXTURES = Path(__file__).parent / "fixtures"
SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"
TABLES = ("active_disclosure", "applications", "review_litigation")
EXAMPLES = int(os.environ.get("GXNB_FUZZ_EXAMPLES", "0"))
# shrinking a failure can take minutes: CI reports the failing input as found
PHASES = [p for p in Phase if p is not Phase.shrink or os.environ.get("GXNB_FUZZ_SHRINK")]

INPUTS = {
    "html": sorted(FIXTURES.glob("seed_*.html")),
    "docx": sorted(FIXTURES.glob("seed_*.docx")),
    "pdf": sorted(FIXTURES.glob("seed_*.pdf")),
    "txt": sorted(SEEDS.glob("*.txt")) + sorted((FIXTURES / "renderings").glob("seed_00[01].layout.txt")),
}
# what a portal or an attacker puts in a cell
HOSTILE = ["1e400", "Infinity", "NaN", "-0", "9" * 400, "１２３", "١٢٣", "𝟙𝟚", "²", "1,2,3", "1 000",
           "12.5万元", "+3", "−5", "½", "=1+1", "@SUM(A1)", "<script>alert(1)</script>", "1\u200b2",
           "\u202e321", "12\x00", "", " ", "—", "０.５", "1.2.3", "99,99", "007", "3件3件"]
_DIGITS = re.compile(r"(\d+(?:,\d{3})*(?:\.\d+)?)\s*([万亿]?)")
MULTIPLIERS = {"万": 10_000, "亿": 100_000_000}   # 2万 is 20000 where a column counts things


# ------------------------------------------------------------------- the oracle

def numbers_in(text: str) -> set:
    """Every number written in ``text`` (NFKC: full-width and other forms of digits),
    with and without thousands separators."""
    out: set = set()
    for token, multiplier in _DIGITS.findall(unicodedata.normalize("NFKC", text)):
        plain = token.replace(",", "")
        out.add(float(plain) if "." in plain else int(plain))
        if multiplier:
            value = Decimal(plain) * MULTIPLIERS[multiplier]
            out.update({float(value), int(value)} if value == int(value) else {float(value)})
        for part in token.split(","):      # "1,2,3" may be three numbers
            if part:
                out.add(float(part) if "." in part else int(part))
    return out


def source_text(kind: str, data: bytes) -> str | None:
    """The source's text, read with other tools than the extractor's readers; each
    element's text both whole and space-separated (cells may be read either way)."""
    if kind == "txt":
        return decode(data)
    if kind == "html":
        from lxml import etree

        root = etree.fromstring(decode(data).encode("utf-8"), etree.HTMLParser(encoding="utf-8"))
        if root is None:
            return ""
        return "\n".join(["".join(el.itertext()) for el in root.iter() if isinstance(el.tag, str)]
                         + [" ".join(root.itertext())])
    if kind == "docx":
        from lxml import etree

        try:
            xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml")
            root = etree.fromstring(xml, etree.XMLParser(resolve_entities=False, recover=True))
        except Exception:
            return None
        if root is None:
            return None
        return "\n".join(["".join(el.itertext()) for el in root.iter() if isinstance(el.tag, str)])
    import pypdfium2

    try:
        pdf = pypdfium2.PdfDocument(data)
    except Exception:
        return None
    try:
        texts = []
        for page in pdf:
            text = page.get_textpage().get_text_bounded()
            # and with line breaks taken out: a number too long for its cell wraps
            texts += [text, re.sub(r"[\r\n]+", "", text)]
        return "\n".join(texts)
    finally:
        pdf.close()


def record_numbers(record: dict) -> list:
    out = []

    def walk(value):
        if isinstance(value, dict):
            for v in value.values():
                walk(v)
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            out.append(value)
    for table in TABLES:
        walk(record.get(table))
    return out


def check(kind: str, data: bytes) -> int:
    """Extract ``data``; assert the properties; the count of numbers it gave."""
    record = extract(data, filename=f"report.{kind}")
    failures = [f for f in record["findings"] if f["rule"] == "extraction_error"
                or "reader failed" in f["message"]]
    assert not failures, failures
    numbers = record_numbers(record)
    if numbers:
        text = source_text(kind, data)
        assert text is not None, "numbers read from a source the oracle cannot read"
        known = numbers_in(text)
        invented = [n for n in numbers if abs(n) not in known]
        assert not invented, f"numbers not in the source: {invented[:10]}"
    return len(numbers)


# ------------------------------------------------------------------- mutations

def _rows(kind: str, text: str) -> list[re.Match]:
    pattern = {"html": r"<tr\b.*?</tr>", "docx": r"<w:tr\b.*?</w:tr>", "txt": r"[^\n]*\n"}[kind]
    return list(re.finditer(pattern, text, re.S | re.I))


def _cells(kind: str, text: str) -> list[re.Match]:
    pattern = {"html": r"(?<=>)[^<>]*\d[^<>]*(?=</t[dh]>)", "docx": r"(?<=<w:t>)[^<]*(?=</w:t>)",
               "txt": r"\d+(?:\.\d+)?"}[kind]
    return list(re.finditer(pattern, text, re.I))


@st.composite
def mutated(draw, kind: str) -> bytes:
    rendered = kind == "pdf" and draw(st.booleans())
    data = rendered_pdf(draw) if rendered else draw(st.sampled_from(INPUTS[kind])).read_bytes()
    for op in draw(st.lists(st.sampled_from(_OPS[kind]), min_size=0 if rendered else 1, max_size=3)):
        data = op(draw, kind, data)
    return data


def rendered_pdf(draw) -> bytes:
    """A seed's report printed by reportlab (as the fixtures are) with hostile text or
    random numbers in some of its cells: PDF bytes cannot be edited like HTML."""
    import html

    from replicas import reportgen

    record = reportgen.load_record(draw(st.integers(0, 4)))
    cells = [(t, r, c) for t in TABLES for r, cols in (record.get(t) or {}).items()
             for c in (cols or {})]
    for _ in range(draw(st.integers(1, 6))):
        table, row, column = draw(st.sampled_from(cells))
        value = draw(st.sampled_from(HOSTILE) | st.integers(0, 10 ** 12) | st.text("0123456789.,- ", max_size=9))
        # reportlab reads cell text as markup: escaped, as a portal's CMS would
        record[table][row][column] = html.escape(value.replace("\x00", "")) if isinstance(value, str) else value
    try:
        return reportgen.render_pdf(record)
    except Exception:   # a cell too wide for the page (400 digits): reportlab cannot lay it out
        reject()


def truncate(draw, kind, data: bytes) -> bytes:
    return data[:draw(st.integers(0, len(data)))]


def flip(draw, kind, data: bytes) -> bytes:
    if not data:
        return data
    out = bytearray(data)
    for _ in range(draw(st.integers(1, 8))):
        out[draw(st.integers(0, len(out) - 1))] ^= draw(st.integers(1, 255))
    return bytes(out)


def _text_of(kind, data: bytes) -> str:
    if kind == "docx":
        return zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode("utf-8")
    return data.decode("utf-8", "surrogateescape")


def _with_text(kind, data: bytes, text: str) -> bytes:
    if kind != "docx":
        return text.encode("utf-8", "surrogateescape")
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = text.encode("utf-8") if info.filename == "word/document.xml" else src.read(info)
            dst.writestr(info.filename, body)
    return out.getvalue()


def _structural(edit):
    """A mutation of the text (HTML, text, document.xml) that leaves bytes it cannot read alone."""
    def op(draw, kind, data: bytes) -> bytes:
        try:
            text = _text_of(kind, data)
            _with_text(kind, data, text)
        except Exception:   # already truncated or flipped past reading: leave it
            return data
        return _with_text(kind, data, edit(draw, kind, text))
    op.__name__ = edit.__name__
    return op


@_structural
def shuffle_rows(draw, kind, text: str) -> str:
    rows = _rows(kind, text)
    if len(rows) < 2:
        return text
    order = draw(st.permutations(range(len(rows))))
    pieces, last = [], 0
    for m, k in zip(rows, order):
        pieces += [text[last:m.start()], rows[k].group(0)]
        last = m.end()
    return "".join(pieces) + text[last:]


@_structural
def duplicate_row(draw, kind, text: str) -> str:
    rows = _rows(kind, text)
    if not rows:
        return text
    m = rows[draw(st.integers(0, len(rows) - 1))]
    return text[:m.end()] + m.group(0) * draw(st.integers(1, 3)) + text[m.end():]


@_structural
def drop_row(draw, kind, text: str) -> str:
    rows = _rows(kind, text)
    if not rows:
        return text
    m = rows[draw(st.integers(0, len(rows) - 1))]
    return text[:m.start()] + text[m.end():]


@_structural
def hostile_cell(draw, kind, text: str) -> str:
    cells = _cells(kind, text)
    if not cells:
        return text
    for _ in range(draw(st.integers(1, 4))):
        m = cells[draw(st.integers(0, len(cells) - 1))]
        value = draw(st.sampled_from(HOSTILE) | st.text(max_size=12))
        if kind != "txt":
            value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            value = "".join(c for c in value if c in "\t\n\r" or ord(c) >= 0x20 and not 0xD800 <= ord(c) < 0xE000)
        text = text[:m.start()] + value + text[m.end():]
        cells = _cells(kind, text)
        if not cells:
            break
    return text


_OPS = {
    "html": [truncate, flip, shuffle_rows, duplicate_row, drop_row, hostile_cell],
    "txt": [truncate, flip, shuffle_rows, duplicate_row, drop_row, hostile_cell],
    "docx": [truncate, flip, shuffle_rows, duplicate_row, drop_row, hostile_cell],
    "pdf": [truncate, flip],
}
# examples per format: the suite's budget (PDFs cost most)
BUDGET = {"html": 60, "txt": 60, "docx": 40, "pdf": 25}


# ------------------------------------------------------------------- the tests

@pytest.mark.parametrize("kind", INPUTS)
def test_the_unmutated_fixtures_give_numbers_all_in_the_source(kind):
    assert INPUTS[kind], f"no {kind} fixtures"
    for path in INPUTS[kind]:
        assert check(kind, path.read_bytes()) >= 20, path.name


@pytest.mark.timeout(240)
@pytest.mark.parametrize("kind", INPUTS)
def test_mutated_fixtures(kind):
    counts: list[int] = []

    @settings(max_examples=EXAMPLES or BUDGET[kind], deadline=None, derandomize=True, database=None,
              phases=PHASES, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                                    HealthCheck.filter_too_much])
    @given(mutated(kind))
    def run(data):
        counts.append(check(kind, data))

    run()
    # the oracle was exercised: many mutated inputs still gave numbers
    assert sum(1 for n in counts if n) >= len(counts) // 4, counts
