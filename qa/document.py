"""The Document: checked text, the map back to the source file, regions and segmentation.

Readers build a Document through `DocumentBuilder`: each piece of checked text either copies a
slice of the source (offsets map one to one) or stands for a source slice it replaces (an HTML
entity, say), and separators between blocks come from no source at all. Segmentation
(paragraphs, sentences, tokens) is computed once, on first use, and shared by every check.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

BODY, HEADING, CAPTION, QUOTE = "body", "heading", "caption", "quote"
REGION_KINDS = (BODY, HEADING, CAPTION, QUOTE)


@dataclass(frozen=True, slots=True)
class Region:
    start: int
    end: int
    kind: str


class LineIndex:
    """Line and column (1-based, in characters) of offsets into a text, by binary search."""

    __slots__ = ("starts",)

    def __init__(self, text: str) -> None:
        starts = [0]
        pos = text.find("\n")
        while pos != -1:
            starts.append(pos + 1)
            pos = text.find("\n", pos + 1)
        self.starts = starts

    def locate(self, offset: int) -> tuple[int, int]:
        line = bisect_right(self.starts, offset)
        return line, offset - self.starts[line - 1] + 1

    def line_span(self, line: int, text_len: int) -> tuple[int, int]:
        start = self.starts[line - 1]
        end = self.starts[line] - 1 if line < len(self.starts) else text_len
        return start, end


class Document:
    """Checked text plus everything needed to report in source terms.

    `source` is the decoded file with any BOM removed and line ends normalised to "\\n";
    reported offsets, lines and columns refer to it. `text` is what checks read.
    """

    def __init__(
        self,
        path: str,
        fmt: str,
        source: str,
        text: str,
        pieces: tuple[tuple[int, int, int, int], ...],
        regions: tuple[Region, ...],
        meta: Mapping[str, Any] | None = None,
    ) -> None:
        self.path = path
        self.format = fmt
        self.source = source
        self.text = text
        # (doc_start, doc_end, src_start, src_end), sorted and disjoint
        self.pieces = pieces
        self._piece_starts = [p[0] for p in pieces]
        self.regions = regions
        # doc offset at the end of a block -> source offset after the block's trailing markup
        self.block_ends: dict[int, int] = {}
        self._region_starts = [r.start for r in regions]
        self.meta = dict(meta or {})
        # analyses that several checks share (name forms, say), computed once per document
        self.cache: dict[str, Any] = {}
        self.encoding: Any = None  # qa.readers.Encoding of the file read, for writing fixes back
        self.digest: str | None = None  # qa.readers.digest of the bytes read: --fix writes only that file

    # -- offsets ---------------------------------------------------------------------------
    def _piece_at(self, offset: int) -> int:
        return bisect_right(self._piece_starts, offset) - 1

    def source_start(self, offset: int) -> int:
        """Source offset of the character at doc `offset`."""
        i = self._piece_at(offset)
        if i < 0:
            return self.pieces[0][2] if self.pieces else 0
        ds, de, ss, se = self.pieces[i]
        if offset < de:
            return ss + (offset - ds) if de - ds == se - ss else ss
        # a separator that has no source: point just after the previous piece
        return se

    def source_end(self, end: int) -> int:
        """Source offset just after the character before doc offset `end`."""
        if end <= 0:
            return self.source_start(0)
        after_markup = self.block_ends.get(end)
        if after_markup is not None:
            return after_markup
        i = self._piece_at(end - 1)
        if i < 0:
            return self.source_start(0)
        ds, de, ss, se = self.pieces[i]
        if end - 1 < de:
            return ss + (end - ds) if de - ds == se - ss else se
        return se

    def region_at(self, offset: int) -> str:
        i = bisect_right(self._region_starts, offset) - 1
        if i >= 0 and offset < self.regions[i].end:
            return self.regions[i].kind
        return BODY

    @cached_property
    def line_index(self) -> LineIndex:
        return LineIndex(self.source)

    @cached_property
    def casefolded(self) -> str:
        """The text casefolded once, for checks that test whether words occur at all (its
        offsets may differ from the text's: "ß" becomes "ss")."""
        return self.text.casefold()

    # -- segmentation, once ----------------------------------------------------------------
    @cached_property
    def segmentation(self) -> Segmentation:
        from .segment import segment

        return segment(self.text)

    @property
    def paragraphs(self) -> tuple[Span, ...]:
        return self.segmentation.paragraphs

    @property
    def sentences(self) -> tuple[Sentence, ...]:
        return self.segmentation.sentences

    @property
    def tokens(self) -> tuple[Token, ...]:
        return self.segmentation.tokens


class DocumentBuilder:
    """Accumulates checked text from source slices, replacements and separators."""

    def __init__(self, path: str, fmt: str, source: str) -> None:
        self.path, self.format, self.source = path, fmt, source
        self._parts: list[str] = []
        self._len = 0
        self._pieces: list[list[int]] = []
        self._regions: list[Region] = []
        self._block_ends: dict[int, int] = {}
        self.meta: dict[str, Any] = {}

    @property
    def length(self) -> int:
        return self._len

    def copy(self, src_start: int, src_end: int) -> None:
        """Append source[src_start:src_end] verbatim."""
        if src_end <= src_start:
            return
        n = src_end - src_start
        last = self._pieces[-1] if self._pieces else None
        exact_last = last is not None and last[1] - last[0] == last[3] - last[2]
        if exact_last and last[1] == self._len and last[3] == src_start:
            last[1] += n
            last[3] += n
        else:
            self._pieces.append([self._len, self._len + n, src_start, src_end])
        self._parts.append(self.source[src_start:src_end])
        self._len += n

    def replace(self, src_start: int, src_end: int, text: str) -> None:
        """Append `text`, standing for source[src_start:src_end] (an entity, say)."""
        if not text:
            return
        if len(text) == src_end - src_start and text == self.source[src_start:src_end]:
            self.copy(src_start, src_end)
            return
        self._pieces.append([self._len, self._len + len(text), src_start, src_end])
        self._parts.append(text)
        self._len += len(text)

    def separate(self, text: str = "\n\n") -> None:
        """Append text with no source (block separators). Never doubled, never leading."""
        if self._len == 0:
            return
        joined_tail = "".join(self._parts[-3:])
        if joined_tail.endswith(text):
            return
        self._parts.append(text)
        self._len += len(text)

    def block_end(self, src_end: int) -> None:
        """The block just added ends at source offset `src_end`, after its trailing markup."""
        self._block_ends[self._len] = src_end

    def region(self, start: int, end: int, kind: str) -> None:
        if end > start and kind != BODY:
            self._regions.append(Region(start, end, kind))

    def build(self) -> Document:
        text = "".join(self._parts)
        pieces = tuple(tuple(p) for p in self._pieces)
        regions = tuple(sorted((_trimmed(r, text) for r in self._regions), key=lambda r: r.start))
        doc = Document(self.path, self.format, self.source, text, pieces, regions, self.meta)  # type: ignore[arg-type]
        doc.block_ends = dict(self._block_ends)
        return doc


def _trimmed(region: Region, text: str) -> Region:
    end = region.end
    while end > region.start and text[end - 1].isspace():
        end -= 1
    return Region(region.start, end, region.kind)


def plain_document(path: str, source: str, fmt: str = "txt") -> Document:
    """A Document whose checked text is the source itself; for Markdown or HTML, the reader's."""
    if fmt != "txt":
        from .readers import read_source

        return read_source(path, source, fmt)
    pieces = ((0, len(source), 0, len(source)),) if source else ()
    return Document(path, fmt, source, source, pieces, ())


# imported late for type names only
from .segment import Segmentation, Sentence, Span, Token  # noqa: E402
