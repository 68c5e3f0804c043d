"""HTML as a CMS exports it: text of the body, with headings, captions and quotes as regions.

Dropped: <head> (its <meta> dates are kept in `Document.meta`), scripts, styles, <pre>, <code>,
<svg>, <template>, comments and attribute values. Entities are decoded; runs of whitespace
become one space. Block elements separate paragraphs; <br> breaks a line.
"""

from __future__ import annotations

import html as _html
from html.parser import HTMLParser

from ..document import CAPTION, HEADING, QUOTE, Document, DocumentBuilder, LineIndex

_SKIP = frozenset(["script", "style", "pre", "code", "svg", "template", "noscript", "head", "iframe", "math"])
_BLOCK = frozenset(
    [
        "p",
        "div",
        "li",
        "ul",
        "ol",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "blockquote",
        "figcaption",
        "figure",
        "section",
        "article",
        "header",
        "footer",
        "aside",
        "nav",
        "main",
        "table",
        "tr",
        "td",
        "th",
        "thead",
        "tbody",
        "dl",
        "dt",
        "dd",
        "hr",
        "address",
        "details",
        "summary",
        "title",
        "body",
    ]
)
_REGION = {
    "h1": HEADING,
    "h2": HEADING,
    "h3": HEADING,
    "h4": HEADING,
    "h5": HEADING,
    "h6": HEADING,
    "figcaption": CAPTION,
    "blockquote": QUOTE,
}
_VOID = frozenset(
    ["br", "hr", "img", "meta", "link", "input", "area", "base", "col", "embed", "source", "track", "wbr"]
)
_META_DATES = (
    "article:published_time",
    "datePublished",
    "date",
    "dc.date",
    "pubdate",
    "article:modified_time",
)


class _Reader(HTMLParser):
    def __init__(self, b: DocumentBuilder, source: str) -> None:
        super().__init__(convert_charrefs=False)
        self.b, self.source = b, source
        self.lines = LineIndex(source)
        # open elements whose text is skipped, and how many of each are open: an end tag is
        # matched without a scan of the stack (8,000 unclosed <pre> took seconds per 4 times more)
        self.skip: list[str] = []
        self.skipping: dict[str, int] = {}
        self.regions: dict[str, list[tuple[str, int]]] = {}  # tag -> open (kind, doc start), in order
        self.at_line_start = True

    def _offset(self) -> int:
        line, col = self.getpos()
        return self.lines.starts[line - 1] + col

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "meta":
            a = dict(attrs)
            key = a.get("property") or a.get("name") or a.get("itemprop")
            if key in _META_DATES and a.get("content"):
                self.b.meta.setdefault("date", a["content"])
            return
        if tag in _SKIP and tag not in _VOID:
            self.skip.append(tag)
            self.skipping[tag] = self.skipping.get(tag, 0) + 1
            return
        if self.skip:
            return
        if tag == "br":
            self._break("\n")
        elif tag in _BLOCK:
            self._break("\n\n")
            if tag in _REGION:
                self.regions.setdefault(tag, []).append((_REGION[tag], self.b.length))

    def handle_endtag(self, tag: str) -> None:
        if self.skip:
            if self.skipping.get(tag):  # close the innermost one, and any left open inside it
                while True:
                    inner = self.skip.pop()
                    self.skipping[inner] -= 1
                    if inner == tag:
                        break
            return
        if tag in _BLOCK:
            open_ = self.regions.get(tag)
            if open_:
                kind, start = open_.pop()
                self.b.region(start, self.b.length, kind)
            self._break("\n\n")

    def _break(self, sep: str) -> None:
        if self.b.length and not self.at_line_start:
            self.b.separate(sep)
        self.at_line_start = True

    def handle_data(self, data: str) -> None:
        if self.skip or not data:
            return
        start = self._offset()
        pos = 0
        n = len(data)
        while pos < n:
            if data[pos].isspace():
                end = pos
                while end < n and data[end].isspace():
                    end += 1
                if not self.at_line_start:
                    if end - pos == 1 and data[pos] == " ":
                        self.b.copy(start + pos, start + end)
                    else:
                        self.b.replace(start + pos, start + end, " ")
                    self.at_line_start = False
                pos = end
            else:
                end = pos
                while end < n and not data[end].isspace():
                    end += 1
                self.b.copy(start + pos, start + end)
                self.at_line_start = False
                pos = end

    def _ref(self, raw: str) -> None:
        if self.skip:
            return
        start = self._offset()
        end = start + len(raw)
        if self.source[end : end + 1] == ";":
            end += 1
        self.b.replace(start, end, _html.unescape(self.source[start:end]))
        self.at_line_start = False

    def handle_entityref(self, name: str) -> None:
        self._ref("&" + name)

    def handle_charref(self, name: str) -> None:
        self._ref("&#" + name)


def read(path: str, source: str) -> Document:
    b = DocumentBuilder(path, "html", source)
    reader = _Reader(b, source)
    reader.feed(source)
    reader.close()
    return b.build()
