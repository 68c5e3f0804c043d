"""The top of a web page's copy: headline, standfirst, byline, date line.

Pages pasted from a news site start with a block that is not the article's prose: the headline,
a standfirst, a photo line, then a byline ("By Bohdan Ben", "byBohdan Ben" when the CMS ran the
words together) and a date line ("06/05/2024", "Oct. 22, 2023", "16 September 2022 - 14:42",
"2 minute read"). Checks that treat the first prose mention differently (reference.first-mention)
and the titles checks (which date the article speaks at) ask here, and the answer is computed
once per document.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from .document import Document

LEAD_PARAGRAPHS = 8  # a byline or date line this near the top closes the headline block
LEAD_LINES = 16  # ... and no further down than this many lines

_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
_TIME = r"(?:\s*[-–,|•]?\s*\d{1,2}:\d{2}(?:\s*[ap]\.?m\.?)?)?"
BYLINE = re.compile(r"^\s*by\s*[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){0,3}\s*$", re.IGNORECASE)
DATE_LINE = re.compile(
    r"^\s*(?:\d{1,2}[./]\d{1,2}[./]\d{2,4}|\d{4}-\d{2}-\d{2}|\d+\s+min(?:ute)?s?\s+read"
    rf"|(?:\d{{1,2}}\s+)?{_MONTH}\s+\d{{1,2}}(?:,?\s+\d{{4}})?|\d{{1,2}}\s+{_MONTH}\s+\d{{4}})"
    rf"{_TIME}\s*$",
    re.IGNORECASE,
)
# an agency dateline: "KYIV, Nov 20, 2023 —", "ODESA, Ukraine (AP) — ..."; the date is looked for
# in its first characters
_PLACE_DATELINE = re.compile(r"^\s*[A-Z][A-Z'’.-]{2,}(?:[ ,]+[A-Z][\w'’.-]+){0,2}\s*(?:\([A-Z]+\))?\s*[,—–-]")
_DATELINE_CHARS = 60


def lead_lines(doc: Document) -> Iterator[tuple[int, int]]:
    """(start, end) of each line of the first paragraphs, up to LEAD_LINES lines."""
    text = doc.text
    count = 0
    for para in doc.paragraphs[:LEAD_PARAGRAPHS]:
        pos = para.start
        while pos < para.end:
            nl = text.find("\n", pos, para.end)
            end = para.end if nl < 0 else nl
            yield pos, end
            count += 1
            if count >= LEAD_LINES:
                return
            pos = end + 1


def lead_end(doc: Document) -> int:
    """Where the headline block ends: after the last byline or date line near the top, or where
    a paragraph opens with an agency dateline (0 when there is none)."""
    cached = doc.cache.get("lead.end")
    from .titles import dates_in

    if cached is None:
        cached = 0
        text = doc.text
        for start, end in lead_lines(doc):
            line = text[start:end]
            if BYLINE.match(line) or DATE_LINE.match(line):
                cached = end
            elif _PLACE_DATELINE.match(line) and dates_in(text, start, min(end, start + _DATELINE_CHARS)):
                # the body opens with its dateline ("KYIV, Feb. 20, 2024 — ..."): above it are the
                # headline and the standfirst
                cached = max(cached, start)
                break
        doc.cache["lead.end"] = cached
    return cached


def dateline(doc: Document) -> tuple[dt.date, int] | None:
    """The date the page's top gives, and its offset: a date line ("Oct. 22, 2023") or an agency
    dateline ("KYIV, Nov 20, 2023 —"), the first one with a year among the first lines."""
    if "lead.dateline" in doc.cache:
        return doc.cache["lead.dateline"]
    from .titles import dates_in

    found = None
    text = doc.text
    for start, end in lead_lines(doc):
        line = text[start:end]
        if DATE_LINE.match(line):
            days = dates_in(text, start, end)
        elif _PLACE_DATELINE.match(line):
            days = dates_in(text, start, min(end, start + _DATELINE_CHARS))
        else:
            continue
        if days:
            found = (days[0], start)
            break
    doc.cache["lead.dateline"] = found
    return found
