"""Table 四's groups read number by number from the column headers printed right before them.

A Writer export of an office-typed report, in plain pdftotext, prints table 四 column by
column in blocks: a group's label (未经复议直接起诉), its headers read across their
columns one character a line (结 / 结 / 其 / 尚 / 果 / 果 / 他 / 未 / … : four headers of
four characters interleaved), then that block's numbers on consecutive lines (0 / 1 / 0 / 0);
the group's 总计 comes later, as a block of its own (总 / 计 / 1), sometimes past the next
section's heading. Each piece of numbers is read against the headers right before it:

- the headers are decoded into fields in order: a header whole (结果维持), or k headers
  interleaved character by character (every k-th character makes one);
- a piece with as many numbers as headers takes them in order; with fewer, only where
  the headers left over are 总计 printed ahead (the neighbouring column's);
- the group is the one whose label (行政复议, 未经复议直接起诉, 复议后起诉) is the only one
  printed before those headers; where a tall cell set its label one character a line
  (行 / 政 / 复 / 议), its characters come one by one among the headers of the pieces
  under it, and name the group where those pieces' characters spell its label and no
  other's; a piece with no label continues the previous piece's group;
- where headers were interleaved, the numbers must be one block of consecutive lines (or
  all one number): that tool has been seen to print a group's numbers, each a block of
  its own, out of their columns' order (行政复议: 结果维持, 其他结果, 尚未审结, 总计, 结果纠正);
- a group stands only when each of its five fields was read once and its four add up to
  its total, and the pieces hold table 四's 15 numbers, no more (another table's, a
  stray one), no fewer;
- where they hold more, numbers a narrow cell wrapped (39 / 2 for 392, 10 / 55 for 1055,
  each alone on its line) are joined, exactly as many as the count leaves over, each way
  read: a group stands where every way in which it stands gives it the same numbers from
  the same printed ones (_wrap_variants).
Pure: runs in (runs.number_runs), groups out.
"""
from __future__ import annotations

import re

from . import templates as T
from .blocks import line_span
from .page_parts import _wrap_choices, _wrap_pairs
from .runs import (_all_numbers, _headers_before, _line_of, _next_section_heading, _one_block, _review_pieces,
                   label_piece)

FIELD_WORDS = {"结果维持": "upheld", "结果纠正": "corrected", "其他结果": "other", "其它结果": "other",
               "尚未审结": "pending", "总计": "total", "合计": "total"}
GROUP_LABELS = (("未经复议直接起诉", "litigation_direct"), ("未经复议直接诉讼", "litigation_direct"),
                ("复议后起诉", "litigation_after_review"), ("行政复议", "review"))
_PARENT = re.compile("行政诉讼")


def decode_headers(joined: str) -> tuple[list[str], bool] | None:
    """The fields named by table 四's column headers as printed (spaces taken out), in
    order, and whether some were interleaved; None when the text is not headers only."""
    fields, across, at = [], False, 0
    while at < len(joined):
        word = next((w for w in FIELD_WORDS if joined.startswith(w, at)), None)
        if word:
            fields.append(FIELD_WORDS[word])
            at += len(word)
            continue
        for k, last in ((5, 4), (5, 2), (4, 4), (4, 2), (3, 4), (3, 2), (2, 4), (2, 2)):
            words = _interleaved(joined[at:], k, last)
            if words and all(w in FIELD_WORDS for w in words):
                fields += [FIELD_WORDS[w] for w in words]
                across, at = True, at + len("".join(words))
                break
        else:
            return None
    return fields, across


def _interleaved(text: str, k: int, last: int) -> list[str] | None:
    """The k headers of four characters that ``text`` begins with when printed across
    their columns one line at a time, the last one ``last`` characters long (总计 beside
    four-character headers: 结结其尚总 / 果果他未计 / 维纠结审 / 持正果结), or None."""
    size = 4 * (k - 1) + last
    if len(text) < size:
        return None
    words, at = [""] * k, 0
    for line in range(4):
        for col in range(k if line < last else k - 1):
            words[col] += text[at]
            at += 1
    return words


def _group_and_headers(texts) -> tuple[str | None, str, int]:
    """(the group labelled before the piece's headers or None, its headers joined, count of
    group labels among the texts). A label's characters set one a line among the headers
    (label_piece) are no headers: spread_label gathers them."""
    joined = "".join(t.text for t in _headers_before(texts)
                     if not _next_section_heading(t.text) and not label_piece(t.text)).replace(" ", "")
    joined = _PARENT.sub("", joined)
    found = []
    for label, group in GROUP_LABELS:
        for m in re.finditer(label, joined):
            found.append((m.start(), m.end(), group))
            joined = joined[:m.start()] + "\0" * len(label) + joined[m.end():]
    if not found:
        return None, joined, 0
    start, end, group = max(found)
    return group, joined[end:].replace("\0", ""), len(found)


def spread_label(texts) -> str:
    """The characters of table 四's group labels set one a line among a piece's headers, in
    order (行 / 结 / 果 / 维 / 持 / … gives 行)."""
    return "".join(t.text for t in _headers_before(texts) if label_piece(t.text)).replace(" ", "")


def _spelled_group(chars: str) -> str | None:
    """The one group whose label the characters spell, in order, among others (those of
    行政诉讼 over two groups, a neighbouring label's), or None."""
    def spelled(label):
        rest = iter(chars)
        return all(ch in rest for ch in label)
    groups = {g for label, g in GROUP_LABELS if spelled(label)}
    return groups.pop() if len(groups) == 1 else None


def _spread_groups(pieces) -> list[str | None]:
    """For each piece, the group its label set one character a line names: the label's
    characters are printed among the headers of the pieces it stands over, so each stretch
    of pieces with no label whole (and not a row of labels) is read as one, and names a group
    only where its characters spell one label and no other; only the pieces with such
    characters before them are that label's (one without continues the piece before it)."""
    out: list[str | None] = [None] * len(pieces)
    stretch: list[int] = []

    def close():
        chars = [spread_label(pieces[i][1]) for i in stretch]
        group = _spelled_group("".join(chars))
        for i, c in zip(stretch, chars):
            out[i] = group if c else None
        stretch.clear()

    for i, (_cells, texts) in enumerate(pieces):
        if _group_and_headers(texts)[2]:
            close()
        else:
            stretch.append(i)
    close()
    return out


def _blocks(texts) -> list[list]:
    """The texts cut where pdftotext parted its blocks (an empty line between), or [] when
    one was not read from a text line."""
    lines = [_line_of(t) for t in texts]
    if None in lines:
        return []
    spans = [line_span(t.src) for t in texts]
    out: list[list] = []
    for i, (t, (page, _loc)) in enumerate(zip(texts, lines)):
        if i and page == lines[i - 1][0] and spans[i][0] - spans[i - 1][1] <= 1:
            out[-1].append(t)
        else:
            out.append([t])
    return out


def _second_printed_last(texts, cells) -> list[str] | None:
    """The fields of five numbers printed one block each under headers where the group's label
    made the first two columns' headers one block (行政复议 / 结 / 结 / 果 / 果 / 维 / 纠 / 持 /
    正, then 其他结果, 尚未审结, 总计 one block each): plain pdftotext prints the second
    column's number last, after the total (1 / 0 / 0 / 5 / 4 is 结果维持 1, 其他结果 0, 尚未审结
    0, 总计 5, 结果纠正 4). Seen in every Writer export of an office-typed report held out
    (42 of 42), and on pages laid out alike (reportlab) with the columns 25 to 49 points apart
    and numbers of one to four digits, wherever the headers and numbers came out so; the tool
    prints the numbers in their columns' order where no label joins the headers, and 1 4 5 2 3
    where the label joins three columns' headers: only the arrangement above is read. The sums
    must put the total fourth and not fifth (zeros add up either way: 0 0 0 5 5 is read
    neither way). None where any of it does not hold."""
    heads = [t for t in _headers_before(texts) if not _next_section_heading(t.text) and not label_piece(t.text)]
    at = [i for i, t in enumerate(heads) if _PARENT.sub("", t.text.replace(" ", "")) in _LABELS]
    blocks = _blocks(heads[at[-1]:]) if at else []
    if len(blocks) < 2 or len(cells) != 5 or len(blocks[0]) < 2:
        return None
    first = decode_headers("".join(t.text for t in blocks[0][1:]).replace(" ", ""))
    singles = [decode_headers("".join(t.text for t in b).replace(" ", "")) for b in blocks[1:]]
    if first is None or len(first[0]) != 2 or not first[1] or \
            any(d is None or len(d[0]) != 1 or d[1] for d in singles):
        return None
    if first[0] + [d[0][0] for d in singles] != list(T.REVIEW_FIELDS):
        return None
    if len(_blocks(cells)) != 5:
        return None     # some numbers printed together: another arrangement
    printed = [first[0][0], *(d[0][0] for d in singles), first[0][1]]
    vals = [int(c.value) for c in cells]

    def adds_up(fields):
        return T.review_group_adds_up(dict(zip(fields, vals)))
    if not adds_up(printed) or adds_up(list(T.REVIEW_FIELDS)):
        return None
    return printed


_LABELS = {label for label, _group in GROUP_LABELS}


def _wrap_variants(pieces):
    """Each way the pieces hold table 四's 15 numbers: as printed, or where they hold more,
    with numbers a narrow cell wrapped joined (39 / 2 is 392, 10 / 55 is 1055: a head as
    many digits as the table's widest number, its rest on the very next line, as many
    digits or fewer, each alone on its line; page_parts._wrap_pairs), exactly as many as the
    count leaves over. A join multiplies a number by ten or more: the groups' sums decide
    (review_by_headers)."""
    extra = sum(len(cells) for cells, _texts in pieces) - 15
    if extra == 0:
        yield pieces
    if extra <= 0:
        return
    flat = [c for cells, _texts in pieces for c in cells]
    piece_of = [i for i, (cells, _texts) in enumerate(pieces) for _c in cells]
    lines = [line_span(c.src) for c in flat]
    # a head and its rest each the one number of its line: a number printed beside another
    # (28 0: 288's head beside the next column's 0, its 8 three lines on) is no wrap's
    alone = {i for i, span in enumerate(lines) if span and lines.count(span) == 1}
    pairs = [i for i in _wrap_pairs(flat, rest_as_long=True)
             if piece_of[i] == piece_of[i + 1] and i in alone and i + 1 in alone]
    found = _wrap_choices(flat, pairs, extra)
    if found is None:
        return
    chosen, joined = found
    for heads in chosen:
        out, i = [], 0
        for cells, texts in pieces:
            kept = []
            for c in cells:
                if i - 1 not in heads:
                    kept.append(joined[i] if i in heads else c)
                i += 1
            out.append((kept, texts))
        yield out


def review_by_headers(runs):
    """Table 四's groups read from their headers (above): (groups, where) with the groups
    not settled left blank, or (None, why). Where numbers wrapped in their cells (more than
    15 printed), each way of joining them is read, and a group stands only where every way
    in which it stands gives it the same numbers, each from the same printed number."""
    readings = [_read_pieces(variant) for variant in _wrap_variants(_review_pieces(runs))]
    if not readings:
        # more: another table's numbers (table 三's last columns) or a stray number are among
        # them, and may stand right after table 四's headers too; fewer: some were not printed
        return None, "table 四's pieces do not hold its 15 numbers"
    groups, where = {}, {}
    for g in T.REVIEW_GROUPS:
        stood = [(cols, w) for cols, w in readings if cols.get(g)]
        prints = {tuple(id(w[f"review_litigation.{g}.{f}"]) for f in T.REVIEW_FIELDS) for _cols, w in stood}
        if stood and len(prints) == 1 and all(cols[g] == stood[0][0][g] for cols, _w in stood):
            groups[g] = dict(stood[0][0][g])
            where.update((p, c) for p, c in stood[0][1].items() if p.split(".")[1] == g)
        else:
            groups[g] = dict.fromkeys(T.REVIEW_FIELDS)
    if not where:
        return None, "no group of table 四 read whole from the headers printed before its numbers"
    return groups, where


def _read_pieces(pieces):
    """({group: {field: value}} of the groups read whole, {path: cell}) from pieces that
    hold table 四's 15 numbers."""
    read: dict[str, dict] = {g: {} for g in T.REVIEW_GROUPS}
    spoiled: set[str] = set()
    group = None
    for (cells, texts), spread in zip(pieces, _spread_groups(pieces)):
        label, headers, n_labels = _group_and_headers(texts)
        if n_labels > 1:
            group = None        # a row of group labels printed together: whose headers follow is unknown
            continue
        group = label or spread or group
        decoded = decode_headers(headers) if headers else None
        if group is None or not decoded or _all_numbers(cells) is None:
            continue
        fields, across = decoded
        extra = len(fields) - len(cells)
        if extra < 0 or any(f != "total" for f in fields[:extra]):
            spoiled.add(group)
            continue
        if across and len({c.value for c in cells}) > 1 and not _one_block(cells):
            fields = _second_printed_last(texts, cells)
            if fields is None:
                spoiled.add(group)
                continue
        for field, cell in zip(fields[extra:], cells):
            if field in read[group]:
                spoiled.add(group)
            read[group][field] = cell
    groups, where = {}, {}
    for g in T.REVIEW_GROUPS:
        cols = read[g]
        if g not in spoiled and set(cols) == set(T.REVIEW_FIELDS) and \
                T.review_group_adds_up({f: int(cols[f].value) for f in T.REVIEW_FIELDS}):
            groups[g] = {f: int(cols[f].value) for f in T.REVIEW_FIELDS}
            where.update((f"review_litigation.{g}.{f}", cols[f]) for f in T.REVIEW_FIELDS)
    return groups, where
