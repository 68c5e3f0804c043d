"""Kind `quote-balance`: double quotation marks that do not pair up within a paragraph.

What it flags (the entry's `report` option picks one)
    unopened    a closing mark with no opening one: `"Wow," Milley said. These guys are
                serious."` (the quote was never reopened after the attribution)
    unclosed    an opening mark never closed in its paragraph, unless the next paragraph opens
                with a quotation mark (the convention for a quote running over paragraphs), or
                the paragraph is the last and the text stops mid-sentence (an excerpt cut off
                in the middle of a quotation); one still open at the end of a text that ends a
                sentence is reported at severity info at most; nor when a later paragraph's first mark closes it
                (a quotation run over paragraphs without the reopening marks news style wants,
                usual in translated copy: neither end is flagged)
    mismatched  marks of the wrong shape or direction: a curly opening closed by a straight mark,
                “...“, ”Hello”, or the Ukrainian low-high pair „...“ left in English copy;
                a phrase is flagged whole, but an opening shape sentences after the opening
                mark is flagged alone, with an unsafe fix: it may close the quotation, or open
                one nested in it that wants single marks

Straight marks (") get their direction from context: after a space or at the start they
open, before a space or punctuation they close. One that opens inside an open straight
quotation opens a quotation nested in it when a closing mark and another after it follow
(`"He said "no" to us," she said.` is clean); when the paragraph's straight marks are odd in
number, the first such inner opening mark is the one never closed, and `unclosed` flags it
rather than the closing marks after it. Apostrophes and single quotes are ignored, so
'Wow' nested inside a double quotation is never an error.

Why
    A lost quotation mark turns reported speech into the paper's own assertion, or the reverse.

Example
    flags the final mark of `"Then I said, 'Wow,'" Milley said. These guys are serious."`;
    `"I agree," he said.` is clean, and so is a quote reopened on each paragraph.

Options
    report      unopened, unclosed or mismatched
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import replace

from ..document import Document
from ..segment import Span
from ..finding import Edit, Finding, Fix, Severity
from .base import Check, Environment, Option, RuleSpec

_MARKS = re.compile('["“”„«»]')
_OPENERS = '"“„«'
_PAIRS = {("“", "”"), ('"', '"'), ("«", "»"), ("„", "“"), ("„", "”")}
_OPEN_BEFORE = "([{—–-/“‘'«"
_CLOSE_AFTER = ".,;:!?)]}—–-…'’»"
_ENDS_SENTENCE = re.compile(r"[.!?…\"”»’')\]]\s*\Z")
_SENTENCE_END = re.compile(r"[.!?…]\s")
_SPEECH = re.compile(
    r"\b(?:said|says|told|tells|added|adds|recalled|asked|noted|stressed|explained|wrote|continued|"
    r"replied|admitted|emphasi[sz]ed|insisted|claimed|declared|announced|remarked|according)\b",
    re.IGNORECASE,
)


class QuoteBalanceCheck(Check):
    OPTIONS = {
        "report": Option(
            "str", "unopened", "which imbalance this rule reports", ("unopened", "unclosed", "mismatched")
        ),
    }

    def __init__(self, spec: RuleSpec, env: Environment | None = None) -> None:
        super().__init__(spec, env)
        self.report = spec.options["report"]

    def check(self, doc: Document) -> Iterator[Finding]:
        for para_start, rule, start, end, extra in _imbalances(doc):
            if rule == self.report and self.reads(doc, para_start):
                yield self._finding(doc, rule, start, end, extra)

    def _finding(self, doc: Document, rule: str, start: int, end: int, extra: dict) -> Finding:
        text = doc.text
        if rule == "unopened":
            # Flag the words that lost their opening mark: after the attribution when there is one
            resume = extra.get("resume")
            mark = "“" if text[end - 1] == "”" else '"'
            at = resume if resume is not None else start
            where = f" after '{text[start:resume].strip()}'" if resume is not None else ""
            settles = _insertion_settles(doc, extra["paragraph"], at, mark)
            return self.finding(
                at,
                end,
                message=f"Closing quotation mark with no opening one; the quotation probably resumes{where}",
                suggestions=[mark + text[at:end]],
                evidence={"attribution": text[start:resume].strip()} if resume is not None else {},
                fix=Fix("Insert the missing opening quotation mark", (Edit(at, at, mark),), "unsafe")
                if settles
                else None,
            )
        if rule == "unclosed":
            if extra.get("nested"):
                return self.finding(
                    start,
                    end,
                    message="A quotation opened inside an open quotation is never closed: close the "
                    "inner one (in single marks, 'like this'), or close the outer one before it",
                    evidence={"opening_mark": text[start], "inside_quotation": True},
                )
            if extra.get("at_end"):
                # the text ends inside the quotation: an excerpt may have stopped there
                finding = self.finding(
                    start,
                    end,
                    message="Quotation still open where the text ends; close it, unless the text is an excerpt",
                    evidence={"opening_mark": text[start], "at_end_of_text": True},
                )
                return replace(finding, severity=min(finding.severity, Severity.INFO))
            return self.finding(
                start,
                end,
                message="Quotation opened here is not closed in this paragraph, and the next paragraph does not reopen it",
                evidence={"opening_mark": text[start]},
            )
        edits = tuple(Edit(o, o + 1, r) for o, r in extra["edits"])
        corrected = list(text[start:end])
        for e in edits:
            corrected[e.start - start] = e.replacement
        return self.finding(
            start,
            end,
            message=extra["message"],
            suggestions=["".join(corrected)],
            fix=Fix("Use matching curly quotation marks", edits, extra.get("safety", "safe")),
        )


def _imbalances(doc: Document) -> list[tuple[int, str, int, int, dict]]:
    """Every paragraph's quotation-mark problems, found once for the three rules."""
    cached = doc.cache.get("quotes.imbalances")
    if cached is not None:
        return cached
    found: list[tuple[int, str, int, int, dict]] = []
    if _MARKS.search(doc.text):
        paragraphs = doc.paragraphs
        sentence_starts = [s.start for s in doc.sentences]
        # a text that stops mid-sentence is an excerpt cut off: its last quotation may go on
        cut_off = not _ENDS_SENTENCE.search(doc.text)
        for index, para in enumerate(paragraphs):
            next_para = paragraphs[index + 1] if index + 1 < len(paragraphs) else None
            continues = (next_para is not None and doc.text[next_para.start] in _OPENERS) or (
                next_para is None and cut_off
            )
            for rule, start, end, extra in _analyse(
                doc.text, para.start, para.end, continues, sentence_starts
            ):
                if rule == "unclosed" and next_para is None and not extra.get("nested"):
                    extra = {**extra, "at_end": True}
                found.append((para.start, rule, start, end, extra))
        found = _join_runover(doc, found)
    doc.cache["quotes.imbalances"] = found
    return found


_RUNOVER_GAP = 2  # paragraphs without any quotation mark a run-over quotation may pass through


def _join_runover(doc: Document, found: list[tuple[int, str, int, int, dict]]) -> list[tuple[int, str, int, int, dict]]:
    """Drop the pair a quotation run over paragraphs without reopening marks leaves behind: a
    paragraph whose quotation is still open at its end, and a later paragraph (with at most
    `_RUNOVER_GAP` mark-free paragraphs between) whose first mark closes it. Translated copy
    often leaves out the reopening marks news style wants; the quotation itself is balanced."""
    text = doc.text
    paragraphs = doc.paragraphs
    index = {p.start: i for i, p in enumerate(paragraphs)}
    unopened_at = {
        f[0]: n for n, f in enumerate(found) if f[1] == "unopened" and _first_mark(text, paragraphs[index[f[0]]]) == f[3] - 1
    }
    drop: set[int] = set()
    for n, (para_start, rule, _start, _end, extra) in enumerate(found):
        if rule != "unclosed" or extra.get("nested"):
            continue
        i = index[para_start]
        for j in range(i + 1, min(i + 2 + _RUNOVER_GAP, len(paragraphs))):
            later = paragraphs[j]
            if later.start in unopened_at:
                drop.update((n, unopened_at[later.start]))
                break
            if _first_mark(text, later) is not None:
                break
    return [f for n, f in enumerate(found) if n not in drop] if drop else found


def _first_mark(text: str, para: Span) -> int | None:
    m = _MARKS.search(text, para.start, para.end)
    return m.start() if m else None


def _direction(text: str, i: int, lo: int, hi: int, is_open: bool) -> str:
    ch = text[i]
    prev = text[i - 1] if i > lo else ""
    nxt = text[i + 1] if i + 1 < hi else ""
    if ch in "“„«":
        return "open"
    if ch == "»":
        return "close"
    opens = prev == "" or prev.isspace() or prev in _OPEN_BEFORE
    closes = nxt == "" or nxt.isspace() or nxt in _CLOSE_AFTER
    if ch == "”":
        return "wrong-open" if opens and not closes and not is_open else "close"
    if opens == closes:
        return "close" if is_open else "open"
    return "open" if opens else "close"


def _analyse(
    text: str, lo: int, hi: int, continues: bool, sentence_starts: list[int]
) -> Iterator[tuple[str, int, int, dict]]:
    opened: int | None = None
    open_char = ""  # the mark as it should have been: a ” used to open counts as “
    last_close = lo
    odd_straight: bool | None = None  # whether the paragraph has an odd number of " (asked lazily)
    nested = 0  # straight quotations opened inside an open straight quotation, not yet closed
    nested_shape = False  # an opening shape inside a quotation was just reported (it may nest)
    nested_reported = False
    for m in _MARKS.finditer(text, lo, hi):
        i, ch = m.start(), m.group()
        d = _direction(text, i, lo, hi, opened is not None)
        if ch == '"' and opened is not None and open_char == '"':
            if d == "close" and nested:
                nested -= 1  # closes the inner quotation; the outer one stays open
                continue
            if d == "open":  # space before, a word after: a mark that opens, inside a quotation
                if odd_straight is None:
                    odd_straight = text.count('"', lo, hi) % 2 == 1
                if odd_straight and not nested_reported:
                    # one mark too many: the inner quotation this one opens is never closed
                    nested_reported = True
                    yield "unclosed", i, _word_end(text, i + 1, hi), {"nested": True}
                    continue
                if odd_straight or _nests(text, i, lo, hi):
                    nested += 1
                    continue
        if d == "wrong-open":
            yield (
                "mismatched",
                i,
                i + 1,
                {"message": "Closing quotation mark ” used to open a quotation", "edits": [(i, "“")]},
            )
            opened, open_char = i, "“"
            continue
        if d == "open" and opened is not None and ch in '“"' and open_char in '“„"':
            d = "close"  # “...“ or „...“: an opening shape used to close
        if d == "open":
            if opened is None:
                opened, open_char = i, ch
                nested_shape = False
            continue
        if opened is None:
            if nested_shape:
                # the mark reported as "ends here, or opens a nested quotation" is closed here:
                # the same problem, reported once
                nested_shape = False
                last_close = i + 1
                continue
            start = last_close
            while start < i and text[start].isspace():
                start += 1
            yield "unopened", start, i + 1, {
                "resume": _resume_point(text, start, i, sentence_starts),
                "paragraph": (lo, hi, continues),
            }
        else:
            pair = (open_char, ch)
            if pair not in _PAIRS or pair[0] == "„":
                # the whole quotation when it is a phrase; across sentences only the wrong mark,
                # which may as well open a quotation nested in the first
                phrase = not _SENTENCE_END.search(text, opened, i)
                extra = _mismatch(text, opened, i, phrase)
                alone = not phrase and all(o >= i for o, _ in extra["edits"])
                yield "mismatched", i if alone else opened, i + 1, extra
                nested_shape = not phrase and ch in "“„"
            opened = None
        last_close = i + 1
    if opened is not None and not continues:
        yield "unclosed", opened, hi, {}


def _nests(text: str, i: int, lo: int, hi: int) -> bool:
    """Whether the straight mark at `i`, inside an open straight quotation, opens a quotation
    nested in it: the next straight mark closes, and another one follows to close the outer
    quotation (`"He said "no" to us," she said.`)."""
    j = text.find('"', i + 1, hi)
    if j < 0 or text.find('"', j + 1, hi) < 0:
        return False
    return _direction(text, j, lo, hi, True) == "close" and (j + 1 >= hi or not text[j + 1].isalnum())


def _word_end(text: str, i: int, hi: int) -> int:
    """The end of the word that starts at `i` (at least one character past `i`)."""
    j = i
    while j < hi and not text[j].isspace():
        j += 1
    return max(j, i)


def _mismatch(text: str, o: int, c: int, phrase: bool = True) -> dict:
    a, b = text[o], text[c]
    if a == "”":
        a = "“"  # already reported as a closing mark used to open
    if not phrase and b in "“„":
        # sentences after the opening mark: this one may close the quotation or open a nested one
        return {
            "message": f"Opening mark {b} inside a quotation already open: either the quotation "
            f"ends here (”), or a quotation nested in it opens here, which takes single marks (‘...’)",
            "edits": [(c, "”")],
            "safety": "unsafe",
        }
    if a == "„":
        msg = "Low-high quotation marks („...“) are Ukrainian typography; English uses “...”"
    elif a == '"' or b == '"':
        msg = f"Quotation opened with {a} but closed with {b}; use one style of marks"
    else:
        msg = f"Quotation opened with {a} but closed with {b}"
    edits = []
    if text[o] not in "“”":
        edits.append((o, "“" if a in '„"' else a))
    if b != "”":
        edits.append((c, "”"))
    return {"message": msg, "edits": edits}


def _insertion_settles(doc: Document, paragraph: tuple[int, int, bool], at: int, mark: str) -> bool:
    """Whether inserting `mark` at `at` leaves the paragraph with fewer imbalances and no closing
    mark without an opening one: the proof a fix that inserts marks needs before it is offered
    (straight marks take their direction from their neighbours, so an inserted one can pair
    with the wrong mark and the fix would recreate its own finding on every run)."""
    lo, hi, continues = paragraph
    text = doc.text
    starts = [s.start for s in doc.sentences]
    before = list(_analyse(text, lo, hi, continues, starts))
    trial = text[lo:at] + mark + text[at:hi]
    shifted = [s - lo + (1 if s >= at else 0) for s in starts if lo <= s < hi]
    after = list(_analyse(trial, 0, len(trial), continues, shifted))
    return len(after) < len(before) and not any(rule == "unopened" for rule, *_ in after)


def _resume_point(text: str, start: int, close: int, sentence_starts: list[int]) -> int | None:
    """Where a lost opening mark belongs: after an attribution sentence ("Milley said.")."""
    i = bisect_right(sentence_starts, start)
    if i >= len(sentence_starts) or sentence_starts[i] >= close:
        return None
    second = sentence_starts[i]
    return second if _SPEECH.search(text, start, second) else None
