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
    for block in word.element.body.iterchildren():
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
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
    for text, (_, region) in zip(texts, paragraphs, strict=True):
        if text.strip():
            b.separate()
            start = b.length
            b.copy(pos, pos + len(text))
            b.region(start, b.length, region)
        pos += len(text) + 1
    # the document's own dates, weaker than a date in the text (qa.titles.article_date): a file
    # made from python-docx's or Word's template may carry only the template's date
    props = word.core_properties
    stamps = [d.date() for d in (props.modified, props.created) if d is not None]
    own = [d for d in stamps if d not in TEMPLATE_DATES]
    if own:
        b.meta["document_date"] = own[0]
    return b.build()
