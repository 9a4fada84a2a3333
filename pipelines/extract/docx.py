"""Word attachments → Document.

We walk `w:tbl`/`w:tr`/`w:tc` ourselves: python-docx's `row.cells` repeats merged cells
and would make one number count twice. gridSpan → copies to the right, vMerge continue →
copy from the cell above; copies are marked in `spanned`. Paragraphs become `Line`s.
`.doc`/`.wps` are converted to .docx by LibreOffice headless when it is installed.
"""
from __future__ import annotations

import io
import os
import shutil
import subprocess
import tempfile
import zipfile

from pipelines.extract import limits
from pipelines.extract.blocks import Document, Line, Source, Table
from pipelines.record import finding

MAX_UNCOMPRESSED = 50 * 1024 * 1024     # zip bomb guard, checked before parsing
MAX_RATIO = 200                         # uncompressed / compressed for any one member
CONVERT_TIMEOUT = 120                   # seconds for LibreOffice

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"    # .doc / .wps (compound file)


def read(data: bytes, filename: str = "x.docx") -> Document:
    ext = os.path.splitext(filename.lower())[1]
    if data[:8] == OLE_MAGIC or (ext in (".doc", ".wps") and data[:2] != b"PK"):
        return _read_legacy(data, ext or ".doc")
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError) as exc:
        return Document([], [finding("unreadable_file", f"{filename} is not a valid .docx (zip): {exc}")])
    problem = _size_problem(zf)
    if problem:
        return Document([], [finding("unreadable_file", f"{filename} refused: {problem}")])
    try:
        from lxml import etree
        xml = zf.read("word/document.xml")
        root = etree.fromstring(xml, etree.XMLParser(resolve_entities=False, huge_tree=False))
    except KeyError:
        return Document([], [finding("unreadable_file", f"{filename} has no word/document.xml")])
    except Exception as exc:
        return Document([], [finding("unreadable_file", f"{filename}: document.xml cannot be parsed: {exc}")])
    body = root.find(f"{W}body")
    blocks: list = []
    cells = limits.GridCells()
    try:
        if body is not None:
            _walk(body, blocks, cells)
    except TableTooLarge:
        return Document([], cells.findings("docx"))
    chars = limits.text_chars(blocks)
    if chars > limits.MAX_TEXT_CHARS:
        return Document([], [limits.text_too_long(chars, f"{filename}'s text")])
    return Document(blocks, [], _core_title(zf), _core_title(zf, "creator"))


class TableTooLarge(Exception):
    """Tables whose grids pass ``limits.MAX_GRID_CELLS``: the file is refused."""


def _size_problem(zf: zipfile.ZipFile) -> str | None:
    total = 0
    for info in zf.infolist():
        total += info.file_size
        if info.compress_size and info.file_size > 1_000_000 and info.file_size / info.compress_size > MAX_RATIO:
            return f"member {info.filename} expands {info.file_size // info.compress_size}x (zip bomb?)"
    if total > MAX_UNCOMPRESSED:
        return f"uncompressed size {total} bytes exceeds the {MAX_UNCOMPRESSED} byte cap"
    return None


def _core_title(zf: zipfile.ZipFile, name: str = "title") -> str | None:
    """A Dublin Core property of the document (title, creator)."""
    try:
        from lxml import etree
        core = etree.fromstring(zf.read("docProps/core.xml"))
        el = core.find(f"{{http://purl.org/dc/elements/1.1/}}{name}")
        return el.text.strip() if el is not None and el.text and el.text.strip() else None
    except Exception:
        return None


def _paragraph_text(p) -> str:
    out = []
    for el in p.iter(f"{W}t", f"{W}tab", f"{W}br", f"{W}cr"):
        if el.tag == f"{W}t":
            out.append(el.text or "")
        elif el.tag == f"{W}tab":
            out.append("\t")
        else:
            out.append("\n")
    return "".join(out)


def _walk(container, blocks: list, cells: limits.GridCells) -> None:
    """Body-level paragraphs and tables in order (also inside sdt content controls)."""
    for child in container:
        if child.tag == f"{W}p":
            text = _paragraph_text(child).strip()
            if text:
                blocks.extend(Line(t.strip()) for t in text.split("\n") if t.strip())
        elif child.tag == f"{W}tbl":
            _table(child, blocks, cells)
        elif child.tag in (f"{W}sdt", f"{W}sdtContent", f"{W}customXml"):
            _walk(child, blocks, cells)


def _cell_text(tc, nested: list, cells: limits.GridCells) -> str:
    """A cell's paragraphs joined; a table nested in the cell goes to `nested`."""
    parts = []
    for child in tc:
        if child.tag == f"{W}p":
            t = _paragraph_text(child).replace("\n", "").strip()
            if t:
                parts.append(t)
        elif child.tag == f"{W}tbl":
            _table(child, nested, cells)
        elif child.tag == f"{W}sdt":
            for p in child.iter(f"{W}p"):
                t = _paragraph_text(p).strip()
                if t:
                    parts.append(t)
    # paragraphs inside one cell are a wrapped label ("结果" / "维持"): join without space
    joined = ""
    for p in parts:
        if joined and joined[-1].isascii() and joined[-1].isalnum() and p[0].isascii() and p[0].isalnum():
            joined += " "
        joined += p
    return joined


def _int_attr(el, name: str, default: int) -> int:
    """The attribute as a number, at most ``limits.MAX_SPAN`` (it counts grid columns)."""
    try:
        return min(int(el.get(f"{W}{name}")), limits.MAX_SPAN)
    except (TypeError, ValueError):
        return default


def _table(tbl, blocks: list, cells: limits.GridCells) -> None:
    rows: list[list[str]] = []
    spanned: set[tuple[int, int]] = set()
    sources: dict[tuple[int, int], Source] = {}
    nested: list = []
    for tr in tbl.findall(f"{W}tr"):
        r = len(rows)
        row: list[str] = []
        trpr = tr.find(f"{W}trPr")
        if trpr is not None:     # cells skipped before the first cell (gridBefore)
            gb = trpr.find(f"{W}gridBefore")
            if gb is not None:
                row.extend([""] * _int_attr(gb, "val", 0))
        for tc in tr.findall(f"{W}tc"):
            tcpr = tc.find(f"{W}tcPr")
            span, vcont = 1, False
            if tcpr is not None:
                gs = tcpr.find(f"{W}gridSpan")
                if gs is not None:
                    span = max(1, _int_attr(gs, "val", 1))
                vm = tcpr.find(f"{W}vMerge")
                # <w:vMerge/> without val means continue; val="restart" starts a merge
                vcont = vm is not None and vm.get(f"{W}val", "continue") == "continue"
            c = len(row)
            if c + span > cells.left:
                cells.refuse(r + 1, c + span, c)
                raise TableTooLarge
            if vcont and r > 0 and c < len(rows[r - 1]):
                text = rows[r - 1][c]
                row.extend([text] * span)
                spanned.update((r, c + k) for k in range(span))
            else:
                text = _cell_text(tc, nested, cells)
                row.extend([text] * span)
                spanned.update((r, c + k) for k in range(1, span))
                if text:  # the cell's place in word/document.xml
                    sources[(r, c)] = Source(locator=tc.getroottree().getpath(tc))
        cells.left -= len(row)
        rows.append(row)
    if rows:
        width = max(len(r) for r in rows)
        padding = sum(width - len(r) for r in rows)
        if padding > cells.left:
            cells.refuse(len(rows), width, 0)
            raise TableTooLarge
        cells.left -= padding
        for r in rows:
            r.extend([""] * (width - len(r)))
        if width == 1:   # a one-column table is a text frame
            blocks.extend(Line(r[0]) for r in rows if r[0])
        elif any(any(cell for cell in r) for r in rows):
            blocks.append(Table(rows=rows, origin="docx", spanned=spanned, sources=sources))
    blocks.extend(nested)


def _soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def _read_legacy(data: bytes, ext: str) -> Document:
    """.doc / .wps: convert with LibreOffice headless, then read the .docx."""
    exe = _soffice()
    if not exe:
        return Document([], [finding("unsupported_format",
                                     f"{ext} (binary Word/WPS) needs LibreOffice (soffice) to convert "
                                     "to .docx; it is not installed")])
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "in" + ext)
        with open(src, "wb") as f:
            f.write(data)
        try:
            subprocess.run([exe, "--headless", f"-env:UserInstallation=file://{tmp}/profile",
                            "--convert-to", "docx", "--outdir", tmp, src],
                           capture_output=True, timeout=CONVERT_TIMEOUT, check=False)
        except (subprocess.TimeoutExpired, OSError) as exc:
            return Document([], [finding("unreadable_file", f"LibreOffice could not convert {ext}: {exc}")])
        out = os.path.join(tmp, "in.docx")
        if not os.path.exists(out):
            return Document([], [finding("unreadable_file", f"LibreOffice could not convert this {ext} file")])
        with open(out, "rb") as f:
            return read(f.read(), "converted.docx")
