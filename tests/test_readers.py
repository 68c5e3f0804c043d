"""Readers: what is checked, what is not, and that every offset maps back to the source."""

from __future__ import annotations

import codecs

import pytest

from qa import check_paths, check_text
from qa.config import Config
from qa.document import CAPTION, HEADING, QUOTE
from qa.readers import InputError, decode, read_bytes

from .conftest import FIXTURES


def naive_line_col(source: str, offset: int) -> tuple[int, int]:
    before = source[:offset]
    return before.count("\n") + 1, offset - (before.rfind("\n") + 1) + 1


def assert_maps_back(doc):
    """Every copied character of the checked text equals the source character it maps to."""
    for i, ch in enumerate(doc.text):
        s, e = doc.source_start(i), doc.source_end(i + 1)
        if e - s == 1 and not ch.isspace():
            assert doc.source[s] == ch, (i, ch, doc.source[s])


ALL_FIXTURES = sorted(p for p in FIXTURES.rglob("*") if p.is_file() and not p.name.endswith(".jsonl"))


@pytest.mark.parametrize("path", ALL_FIXTURES, ids=lambda p: p.name)
def test_locations_agree_with_source(path):
    [result] = check_paths([str(path)], config=Config())
    source = decode(path.read_bytes())
    for d in result.diagnostics:
        assert source[d.start : d.end] == d.text
        assert (d.line, d.column) == naive_line_col(source, d.start)
        assert (d.end_line, d.end_column) == naive_line_col(source, d.end)


@pytest.mark.parametrize("path", ALL_FIXTURES, ids=lambda p: p.name)
def test_checked_text_maps_back(path):
    assert_maps_back(read_bytes(str(path), path.read_bytes()))


class TestText:
    def test_bom_and_crlf(self):
        data = codecs.BOM_UTF8 + b"Calm.\r\n\r\nIt approved the the budget.\r\n"
        doc = read_bytes("a.txt", data)
        assert doc.source == "Calm.\n\nIt approved the the budget.\n"
        [d] = check_text(doc.source, config=Config(select=("repetition",)))
        assert (d.line, d.column, d.text) == (3, 13, "the the")

    def test_cr_only_line_ends(self):
        assert decode(b"One.\rTwo.\r") == "One.\nTwo.\n"

    def test_utf16_with_bom(self):
        assert decode(codecs.BOM_UTF16_LE + "Київ and Kyiv".encode("utf-16-le")) == "Київ and Kyiv"

    @pytest.mark.parametrize(
        "data,reason",
        [
            (b"abc\x00def", "binary file (contains NUL bytes), not text"),
            (b"caf\xe9 au lait", "not valid UTF-8: byte 0xe9 at offset 3"),
            (b"  \n\n ", "file is empty"),
            (b"", "file is empty"),
        ],
    )
    def test_bad_input(self, data, reason):
        with pytest.raises(InputError) as exc:
            read_bytes("x.txt", data)
        assert str(exc.value) == reason


MD = """---
title: "Recall that the front matter is not checked"
date: 2024-05-01
---

# Heading with the the *doubled* word

Body with `the the` code, [a link](https://example.com/the-the), <!-- the the --> and an ![the the](x.png).

```
the the in a fence
```

    the the indented

> Quoted the the text.

- item with the the slip
"""


class TestMarkdown:
    def test_what_is_checked(self):
        found = check_text(MD, fmt="md", config=Config(select=("repetition", "translationese")))
        assert [(d.line, d.text) for d in found] == [(6, "the the"), (16, "the the"), (18, "the the")]

    def test_regions_meta_and_map(self):
        doc = read_bytes("a.md", MD.encode())
        assert doc.meta["title"].startswith("Recall")
        assert str(doc.meta["date"]) == "2024-05-01"
        kinds = {doc.text[r.start : r.end]: r.kind for r in doc.regions}
        assert kinds == {"Heading with the the doubled word": HEADING, "Quoted the the text.": QUOTE}
        assert "code" not in doc.text.replace("_ code", "") and "example.com" not in doc.text
        assert_maps_back(doc)

    def test_span_at_block_end_takes_trailing_markup(self):
        [d] = check_text(
            "Read more: [Shelters open](https://x.y/z)\n",
            fmt="md",
            config=Config(select=("boilerplate.read-also",)),
        )
        assert d.text == "Read more: [Shelters open](https://x.y/z)"

    def test_entities_and_escapes(self):
        doc = read_bytes("a.md", b"Tom &amp; Jerry \\*not emphasis\\*.\n")
        assert doc.text.strip() == "Tom & Jerry *not emphasis*."
        assert_maps_back(doc)


HTML = """<!doctype html><html><head><title>The the title</title>
<meta name="date" content="2024-12-18"><style>p{}</style><script>var a = "the the";</script></head>
<body><h2>Kharkiv &amp; Sumy the the</h2>
<p>Officials&nbsp;&mdash; in the the city &#8212; spoke.</p>
<figure><figcaption>The the caption. Photo: Reuters</figcaption></figure>
<blockquote><p>&ldquo;The the quote,&rdquo; he said.</p></blockquote>
<pre>the the</pre><p>Line one<br>line two</p>
</body></html>"""


class TestHtml:
    def test_text_regions_and_meta(self):
        doc = read_bytes("a.html", HTML.encode())
        assert doc.meta["date"] == "2024-12-18"
        assert doc.text.split("\n\n") == [
            "Kharkiv & Sumy the the",
            "Officials\u00a0— in the the city — spoke.",
            "The the caption. Photo: Reuters",
            "“The the quote,” he said.",
            "Line one\nline two",
            "",
        ]
        kinds = [(doc.text[r.start : r.end], r.kind) for r in doc.regions]
        assert kinds == [
            ("Kharkiv & Sumy the the", HEADING),
            ("The the caption. Photo: Reuters", CAPTION),
            ("“The the quote,” he said.", QUOTE),
        ]
        assert_maps_back(doc)

    def test_findings_point_into_source(self):
        found = check_text(HTML, fmt="html", config=Config(select=("repetition", "boilerplate")))
        assert [(d.line, d.column, d.text) for d in found] == [
            (3, 30, "the the"),
            (4, 30, "the the"),
            (5, 21, "The the"),
            (6, 23, "The the"),
        ]
        for d in found:
            assert HTML[d.start : d.end] == d.text

    def test_entity_span_maps_to_whole_entity(self):
        doc = read_bytes("a.html", b"<p>A&mdash;B</p>")
        i = doc.text.index("\u2014")
        assert doc.source[doc.source_start(i) : doc.source_end(i + 1)] == "&mdash;"
