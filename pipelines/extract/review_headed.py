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
  printed before those headers; a piece with no label continues the previous piece's group;
- where headers were interleaved, the numbers must be one block of consecutive lines (or
  all one number): that tool has been seen to print a group's numbers, each a block of
  its own, out of their columns' order (行政复议: 结果维持, 其他结果, 尚未审结, 总计, 结果纠正);
- a group stands only when each of its five fields was read once and its four add up to
  its total, and the pieces hold table 四's 15 numbers, no more (another table's, a
  stray one), no fewer.
Pure: runs in (positions.number_runs), groups out.
"""
from __future__ import annotations

import re

from . import templates as T

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
        for k in (5, 4, 3, 2):
            block = joined[at:at + 4 * k]
            words = [block[i::k] for i in range(k)] if len(block) == 4 * k else []
            if words and all(w in FIELD_WORDS for w in words):
                fields += [FIELD_WORDS[w] for w in words]
                across, at = True, at + 4 * k
                break
        else:
            return None
    return fields, across


def _group_and_headers(texts) -> tuple[str | None, str, int]:
    """(the group labelled before the piece's headers or None, its headers joined, count of
    group labels among the texts)."""
    from .positions import _next_section_heading
    from .review_totals import _headers_before

    joined = "".join(t.text for t in _headers_before(texts) if not _next_section_heading(t.text)).replace(" ", "")
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


def review_by_headers(runs):
    """Table 四's groups read from their headers (above): (groups, where) with the groups
    not settled left blank, or (None, why)."""
    from .positions import _all_numbers, _one_block, _review_pieces

    pieces = _review_pieces(runs)
    if sum(len(cells) for cells, _texts in pieces) != 15:
        # more: another table's numbers (table 三's last columns) or a stray number are among
        # them, and may stand right after table 四's headers too; fewer: some were not printed
        return None, "table 四's pieces do not hold its 15 numbers"
    read: dict[str, dict] = {g: {} for g in T.REVIEW_GROUPS}
    spoiled: set[str] = set()
    group = None
    for cells, texts in pieces:
        label, headers, n_labels = _group_and_headers(texts)
        if n_labels > 1:
            group = None        # a row of group labels printed together: whose headers follow is unknown
            continue
        group = label or group
        decoded = decode_headers(headers) if headers else None
        if group is None or not decoded or _all_numbers(cells) is None:
            continue
        fields, across = decoded
        extra = len(fields) - len(cells)
        if extra < 0 or any(f != "total" for f in fields[:extra]):
            spoiled.add(group)
            continue
        if across and len({c.value for c in cells}) > 1 and not _one_block(cells):
            spoiled.add(group)
            continue
        for field, cell in zip(fields[extra:], cells):
            if field in read[group]:
                spoiled.add(group)
            read[group][field] = cell
    groups, where = {}, {}
    for g in T.REVIEW_GROUPS:
        cols = read[g]
        ok = g not in spoiled and set(cols) == set(T.REVIEW_FIELDS) and \
            sum(int(cols[f].value) for f in T.REVIEW_FIELDS[:4]) == int(cols["total"].value)
        groups[g] = {f: int(cols[f].value) for f in T.REVIEW_FIELDS} if ok else dict.fromkeys(T.REVIEW_FIELDS)
        if ok:
            where.update((f"review_litigation.{g}.{f}", cols[f]) for f in T.REVIEW_FIELDS)
    if not where:
        return None, "no group of table 四 read whole from the headers printed before its numbers"
    return groups, where
