"""normalise.nfkc, the NFKC every text goes through before its labels are matched, is
unicodedata's NFKC whatever the text: read line by line, nothing may compose across a line break."""
from __future__ import annotations

import unicodedata

import pytest

from conftest import FIXTURES
from pipelines.extract.normalise import nfkc

# a combining accent or a Hangul vowel right after a line break (NFKC composes neither across
# it), full-width digits and brackets, a ligature, circled and superscript digits, blank lines
TEXTS = ["e\n\u0301", "\u1100\n\u1161", "e\u0301\n１２\n（三）\n", "ﬁnal\r\n", "\n\n", "", "①\n²\u3000０"]


@pytest.mark.parametrize("text", TEXTS)
def test_nfkc_is_unicodedatas(text):
    assert nfkc(text) == unicodedata.normalize("NFKC", text)


def test_nfkc_of_every_rendered_text_is_unicodedatas():
    texts = [p.read_text(encoding="utf-8") for p in sorted((FIXTURES / "renderings").iterdir())
             if p.suffix in (".txt", ".md")]
    assert texts
    for text in texts:
        assert nfkc(text) == unicodedata.normalize("NFKC", text)
