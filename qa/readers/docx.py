"""Word files (.docx), as editors receive them from translators, through python-docx.

Every paragraph of the body, tables included, in document order, becomes one line of the
source: a finding's line is the paragraph's number (empty paragraphs count, as Word counts
them) and its column the character within the paragraph. Styles make regions: Title and
Heading N are headings, Caption a caption, Quote and Intense Quote quotes. The document's last
modified (else created) date is the article date for titles.* only when the text names no date,
and never when it is a template's own date. copydesk never writes .docx
files: `--fix` refuses them.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile

from ..document import CAPTION, HEADING, QUOTE, Document, DocumentBuilder
from ..suppress import LINE_DIRECTIVE

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

MAX_UNPACKED = 100 * 1024 * 1024  # a .docx of news copy unpacks to a few megabytes
# creation dates of the templates documents are made from (python-docx's default), not of the copy
TEMPLATE_DATES = frozenset({dt.date(2013, 12, 23)})


def _style_region(name: str) -> str:
    name = (name or "").lower()
    if name == "title" or name.startswith("heading"):
        return HEADING
    if name.startswith("caption"):
        return CAPTION
    if "quote" in name:
        return QUOTE
    return "body"


def read_docx(path: str, data: bytes) -> Document:
    from . import InputError

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError):
        raise InputError("not a .docx file (not a zip archive)") from None
    if unpacked > MAX_UNPACKED:
        raise InputError(f"refused: unpacks to {unpacked // (1024 * 1024)} MB (a zip bomb?)")
    try:
        from docx import Document as open_docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph

        word = open_docx(io.BytesIO(data))
    except Exception as exc:  # noqa: BLE001 - python-docx raises KeyError, ValueError, lxml errors ...
        raise InputError(f"not a readable .docx file ({type(exc).__name__}: {exc})") from None
    paragraphs: list[tuple[str, str]] = []
    # a paragraph's style looked up once per style id: python-docx looks the default style up
    # through every style for each paragraph (200,000 empty paragraphs took minutes)
    regions: dict[str | None, str] = {}
    commented: dict[str, list[int]] = {}  # Word comment id -> the paragraphs it is attached to
    for block in word.element.body.iterchildren():
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            _note_comments(block, len(paragraphs), commented)
            p = Paragraph(block, word)
            style_id = block.style
            if style_id not in regions:
                style = p.style
                regions[style_id] = _style_region(style.name if style is not None else "")
            paragraphs.append((p.text, regions[style_id]))
        elif tag == "tbl":
            for row in Table(block, word).rows:
                for cell in row.cells:
                    paragraphs.extend((p.text, "body") for p in cell.paragraphs)
    texts = [" ".join(t.replace("\t", " ").splitlines()) for t, _ in paragraphs]
    source = "\n".join(texts)
    b = DocumentBuilder(path, "docx", source)
    pos = 0
    starts = []
    for text, (_, region) in zip(texts, paragraphs, strict=True):
        starts.append(pos)
        # a paragraph "copydesk: disable ..." is a suppression directive (qa.suppress), not copy
        if text.strip() and not LINE_DIRECTIVE.fullmatch(text):
            b.separate()
            start = b.length
            b.copy(pos, pos + len(text))
            b.region(start, b.length, region)
        pos += len(text) + 1
    if commented:
        b.meta["comments"] = _comments(word, commented, starts, texts)
    # the document's own dates, weaker than a date in the text (qa.titles.article_date): a file
    # made from python-docx's or Word's template may carry only the template's date
    props = word.core_properties
    stamps = [d.date() for d in (props.modified, props.created) if d is not None]
    own = [d for d in stamps if d not in TEMPLATE_DATES]
    if own:
        b.meta["document_date"] = own[0]
    return b.build()


def _note_comments(paragraph, index: int, commented: dict[str, list[int]]) -> None:
    """Record which comments start, end or are referenced in the paragraph at `index`."""
    for tag in ("commentRangeStart", "commentRangeEnd", "commentReference"):
        for element in paragraph.iter(_W + tag):
            cid = element.get(_W + "id")
            if cid is not None:
                commented.setdefault(cid, []).append(index)


def _comments(word, commented: dict[str, list[int]], starts: list[int], texts: list[str]) -> list[tuple[int, int, str]]:
    """Each Word comment as (source start, source end, text): the span of the paragraphs it is
    attached to, from the first to the last."""
    try:
        by_id = {str(c.comment_id): c.text for c in word.comments}
    except Exception:  # noqa: BLE001 - no comments part, or a python-docx without comments
        return []
    out = []
    for cid, where in commented.items():
        if cid in by_id:
            first, last = min(where), max(where)
            out.append((starts[first], starts[last] + len(texts[last]), by_id[cid]))
    return sorted(out)
