"""Kind `lost-quote`: a first-person statement printed with no quotation marks in a reported
story (the marks, or the block-quote formatting, were lost on the way).

What it flags
    A paragraph that opens with "I" or "We", holds no double quotation mark and ends a
    sentence, right after a paragraph that introduces a quotation with a colon: "We can say
    that the enemy's actions began on schedule ..." after "Asked about the offensive, Yusov
    replied:". The first sentence is flagged.

    Left alone: transcripts and interviews (two or more paragraphs open with a speaker's label,
    "SECRETARY BLINKEN:", "Q:"), first-person pieces (three or more paragraphs, and a third or
    more of them, open in the first person, as a column or a diary does), the newswire formulas "We will remind" and
    "We recall" (translationese's), headlines (no full stop) and paragraphs of fewer than six
    words. A reporter's own "I" in a reportage follows no colon and stays clean.

Why
    Without its marks a quotation reads as the outlet's own claim: "we" becomes the newsroom
    and the reader cannot tell who is speaking. Translated copy loses them where the source
    site set the quote as a pull-quote or block-quote.

Example
    flags "We can say that the enemy's actions began on schedule." after "Yusov replied:";
    the same paragraph in quotation marks, or in a transcript of labelled speakers, is clean.

Options
    none.

There is no fix: where the quotation ends and who said it are the editor's to restore.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..document import Document
from ..finding import Finding
from .base import Check

_MARKS = re.compile('["“”„«»]')
_FIRST_PERSON = re.compile(r"(?:I|We)\s+(?!will\s+remind|remind|recall|note\b)[a-z]")
_LABEL = re.compile(r"(?:[A-Z][A-Z.'’ -]{1,40}|Q|A|Question|Answer):\s")
_SENTENCE_END = re.compile(r"[.!?…](?=\s|$)")


class LostQuoteCheck(Check):
    def check(self, doc: Document) -> Iterator[Finding]:
        text = doc.text
        if ":\n" not in text or ("I " not in text and "We " not in text):
            return  # no paragraph ends in a colon, or none can open in the first person
        paragraphs = doc.paragraphs
        openings = [text[p.start : p.end].lstrip() for p in paragraphs]
        candidates = [
            k
            for k, t in enumerate(openings)
            if k
            and openings[k - 1].rstrip().endswith(":")  # "Yusov replied:"
            and _FIRST_PERSON.match(t)
            and not _MARKS.search(t)
            and len(t.split()) >= 6
            and t.rstrip()[-1:] in ".!?…"
        ]
        if not candidates:
            return
        labels = sum(1 for t in openings if _LABEL.match(t))
        first_person = sum(1 for t in openings if _FIRST_PERSON.match(t) or t.startswith(("My ", "Our ")))
        if labels >= 2 or first_person >= 3 and first_person * 3 >= len(openings):
            return  # a transcript, an interview or a first-person piece
        for k in candidates:
            p = paragraphs[k]
            start = p.start + (len(text[p.start : p.end]) - len(openings[k]))
            if not self.reads(doc, start):
                continue
            m = _SENTENCE_END.search(text, start, p.end)
            end = m.end() if m else p.end
            yield self.finding(
                start,
                end,
                message="A first-person statement with no quotation marks in a reported story: the marks (or "
                "the block-quote formatting) seem lost; put the quotation in marks and say who said it",
                evidence={"paragraph_first_words": " ".join(openings[k].split()[:4])},
            )
