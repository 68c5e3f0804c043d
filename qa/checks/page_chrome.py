"""Kind `page-chrome`: lines that are on the news page but not in its story.

Copy pasted from a CMS or scraped from a page carries the page with it: menus, banners, bylines
and time stamps, photo captions and credits, promotions, related-news widgets, the headline
printed twice, code left from the markup, a line in the source language. Each line is judged
once, from general features rather than known strings, and each rule reports one class:

What it flags (the entry's `report` option picks the class)
    navigation   interface strings, menus, banners and labels: a whole line that is a UI string
                 ("Back to top", "Leave a Reply", "All Sections", "Publication date", "Eng"),
                 a breadcrumb ("Home : Media : News", "Home › News › Politics"), a line that
                 begins a piece of furniture ("Previous post ...", "Tags: ..."), a site banner
                 that speaks about the website ("An official website of the United States
                 Government", "Secure .gov websites use HTTPS")
    stamp        bylines, datelines and time stamps alone on their line, glued or not:
                 "Iryna BalachukWednesday, 31 May 2023, 18:43", "16:49 28.12.2023",
                 "• 21/02/2024 22:38", "Author - Olena Madiak, 05/06/2023", "2 min read",
                 "byBohdan Ben", "MOSCOW, Nov 20 - RIA Novosti."; a line that is only a
                 person's name ("Vadim Golovko") below the headline
    caption      credits and captions: "Photo: ...", "Photo By: ...", "VIRIN: ...", a sentence
                 ending in its credit ("... Kiper. Photo by President's office", "... Source:
                 Syrskyi's facebook"), "(Name / Agency)" at the end of a line, and the lines of a
                 photo block above a credit line (alt text, caption title, caption)
    promo        appeals and standing notes: "Support Ukrainska Pravda on Patreon!",
                 "Watch the video above ...", "For more Joint Staff news, visit: ...",
                 "Translated from Ukrainian by ...", "This story is part of a series ..."
    widget       the teasers of other stories: the lines after a widget label ("MORE ABOUT",
                 "Recent news", "Read also") that are headlines, not sentences; three or more
                 headline-like lines in one block (a list above or below the article, unless a
                 line ending in ":" introduces it); headline-like lines after the story's last
                 sentence and the furniture that follows it
    duplicate    a line that is no sentence and repeats an earlier one (the headline printed
                 twice, a teaser in two widgets), exactly, or at the top of the page with a
                 label glued on or four words in five the same; the later copy is flagged
    markup       code left from the page: "< /p>", "• li>", "alt=”...” />", "[see_also ids...";
                 in a sentence of the story only the tags are flagged ("< p>The minister ...")
    untranslated a line in Cyrillic in an English article ("Пентагон назвал сроки ...")

Never flagged: the first line of a plain-text article as a label or name (it is the headline;
a UI string or banner there still is), Markdown and HTML headings and block quotations, lines
that are sentences of the story (a dateline opening a paragraph, "KYIV, Ukraine (AP) — Russia
...", is story), and lines another boilerplate rule already flags (the engine lets the more
specific rule speak). The vocabularies are data: rules/data/chrome.yaml, in English, Ukrainian
and Russian.

Why
    Furniture pasted with the copy gets published as if it were the story: a reader meets
    "Back to top button" or the headline twice in the middle of an article.

Example
    flags "Leave a Reply", "16:49 28.12.2023" and "Photo By: Chad McNeeley, DOD"; the headline
    "Commander visits the front" on the first line and "KYIV, Ukraine (AP) — Russia launched
    drones overnight." are clean.

Options
    report   navigation, stamp, caption, promo, widget, duplicate, markup or untranslated

Consecutive lines of one class are one finding. The fix removes the lines with their line
break and is safe: the lines are furniture as a whole.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from bisect import bisect_right
from functools import lru_cache

from ..document import CAPTION, HEADING, QUOTE, Document
from ..finding import Edit, Finding, Fix
from ..kb import first_names, fold
from ..resources import rules_dir
from .base import Check, Environment, Option, RuleSpec

CLASSES = ("navigation", "stamp", "caption", "promo", "widget", "duplicate", "markup", "untranslated")
_MESSAGES = {
    "navigation": "Page navigation or interface text from the source site ('{line}'); delete the line.",
    "stamp": "Byline, dateline or time stamp of the source page ('{line}'); delete the line, or move it to the CMS fields.",
    "caption": "Photo caption or credit pasted into the body ('{line}'); delete the line, captions belong in the picture's fields.",
    "promo": "Promotion or standing note of the source site ('{line}'); delete the line.",
    "widget": "Teaser of another story from a related-news widget ('{line}'); delete the line.",
    "duplicate": "This line repeats line {first} ('{line}'), as a page prints its headline or teasers twice; delete the copy.",
    "markup": "Code left from the page's markup ('{line}'); delete it.",
    "untranslated": "A line in Cyrillic in English copy ('{line}'): untranslated text from the source page; translate or delete it.",
}

_MONTHS_EN = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
_MONTHS_CYR = (
    "січня|лютого|березня|квітня|травня|червня|липня|серпня|вересня|жовтня|листопада|грудня|"
    "января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря"
)
_MONTH = rf"(?:{_MONTHS_EN}|{_MONTHS_CYR})\.?"
_WEEKDAY = re.compile(
    r"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun|"
    r"понеділок|вівторок|середа|четвер|п'ятниця|субота|неділя|понедельник|вторник|среда|пятница|суббота|"
    r"воскресенье)\b,?",
    re.I,
)
_STAMPS = re.compile(
    rf"\b\d{{1,2}}[./]\d{{1,2}}[./]\d{{2,4}}\b|\b\d{{4}}-\d{{2}}-\d{{2}}(?:[t ]\d{{2}}:\d{{2}}(?::\d{{2}})?)?\b"
    rf"|\b(?:\d{{1,2}}\s+)?{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?\b(?:,?\s+\d{{4}})?"
    rf"|\b\d{{1,2}}\s+{_MONTH}(?:\s+\d{{4}})?|\b{_MONTH}\s+\d{{4}}\b"
    r"|\b\d{1,2}:\d{2}(?::\d{2})?(?:\s*[ap]\.?m\.?)?"
    r"|\b\d+\s*(?:min|mins|minute|minutes)\s+read\b"
    r"|\b[\d,.]+\s*(?:views|reads|comments|переглядів|просмотров)\b"
    r"|\b\d+\s+(?:hours?|minutes?|days?)\s+ago\b",
    re.I,
)
_GLUED = re.compile(r"(?<=[a-zа-яіїєґ])(?=[A-ZА-ЯІЇЄҐ])")  # "BalachukWednesday", "byBohdan"
_BYLINE = re.compile(r"^(?:by|author|автор|text|written by)\s*[:\-–—]?\s*(?=[A-ZА-Я])", re.I)
_BREADCRUMB = re.compile(r"\s+(?::|›|»|>|/|\|)\s+")
_BREADCRUMB_SEPARATOR = re.compile(r"[:›»>/|]")
_MARKUP = re.compile(
    r"<\s*/?\s*(?:p|div|span|li|ul|ol|br|img|a|strong|em|b|i|h[1-6]|figure|figcaption|script|iframe)\b[^<>\n]{0,200}>?"
    r"|(?:^|\s)/?(?:p|li|div|span|br)>(?:\s|$)|\b(?:alt|src|href|class)\s*=\s*[\"”“']|/>\s*$"
    r"|\[[a-z_]+(?:\s+[a-z_]+)?\s*(?:ids|id)?\\?(?:u003d|=)|\\u003[cde]",
    re.I,
)
# an image tag's tail glued to a sentence: "... servicemen 0/03/7565.jpg” alt=”Shoigu inspected ...” />"
_IMG_FRAGMENT = re.compile(
    r"\S*\.(?:jpe?g|png|gif|webp)[\"”']?\s*(?:alt|title)\s*=\s*[\"”“'][^\"”“'\n]*[\"”“']\s*/?>?", re.I
)
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN = re.compile(r"[A-Za-z]")
_PAREN_CREDIT = re.compile(r"\((?:[^()\n]{1,60})\s/\s?(?:[^()\n]{1,80})\)\s*$|\b[A-Z]{3,}/[A-Z][a-z]+(?:\s[A-Z][a-z]+)?\s*$")
_WORD = re.compile(r"\w[\w'’-]*")
DUPLICATE_WORDS = 3  # a repeated line this long (in words) is a copy, not a coincidence
WIDGET_WORDS = 30  # a teaser headline is at most this long; a longer sentence ends the widget
MARKUP_LINE_WORDS = 12  # a line with markup and more words than this is a story line with a tag in it
HEADLINE_RUN = 3  # this many headline-like lines in a row are a list of other stories
RUN_WORDS = 5  # ... each this long at least
TOP_LINES = 40  # lines at the top of a page, where a headline's glued copies are looked for
GLUED_COPY_WORDS = 6
PHOTO_BLOCK = 3  # lines above a credit line, in its block, that are the photo's alt text and caption


@lru_cache(maxsize=1)
def vocabulary() -> dict[str, tuple[str, ...]]:
    """rules/data/chrome.yaml, each list lower-cased."""
    from ..yamlio import load_fast

    data = load_fast(rules_dir() / "data" / "chrome.yaml")
    return {k: tuple(str(w).lower() for w in v) for k, v in data.items()}


@lru_cache(maxsize=1)
def _tables() -> tuple[frozenset[str], frozenset[str], re.Pattern[str], re.Pattern[str], frozenset[str]]:
    """The vocabularies as the classifier uses them: interface lines, stamp words, the credit
    patterns, widget labels (the other lists are read where they are used)."""
    v = vocabulary()
    credit_start = re.compile(
        r"^(?:" + "|".join(re.escape(w) for w in sorted(v["credit_starts"], key=len, reverse=True)) + r")"
        r"\s*(?:by\s*:?|credit\s*:|courtesy\s*:?|:|/)\s*\S"
    )
    tails = "|".join(re.escape(w) for w in v["credit_tails"])
    credit_tail = re.compile(
        rf"[.,;!?)]\s+(?:(?:{tails})\s*(?:by|credit)?\s*:|(?:photo|photos|image|screenshot|video|фото)\s+(?:by|from)\b)"
        r"(?:[^.!?\n]|\.(?=\d|\w))*\.?\s*$"
        # a caption's credit in brackets at its end: "... near Bakhmut.(Photo by A/Agency)"
        r"|[.,;!?]\s*\((?:photo|photos|image|screenshot|фото)\s*(?:by|from|:)[^()\n]{1,120}\)\s*$",
        re.I,
    )
    return frozenset(v["ui_lines"]), frozenset(v["stamp_words"]), credit_start, credit_tail, frozenset(v["widget_labels"])


_LEFT_EDGE = " \t•·*-–—>»«<|/\\#~+"
_RIGHT_EDGE = " \t:.!|»>•·,;-–—"


def _norm(line: str) -> str:
    """Lower case, single spaces, bullets and closing punctuation off (str.strip: no regular
    expression runs over every line of a long article)."""
    return " ".join(line.replace("’", "'").strip(" \t").lstrip(_LEFT_EDGE).rstrip(_RIGHT_EDGE).lower().split())


def _ends_sentence(line: str) -> bool:
    return line.rstrip(_CLOSERS)[-1:] in _STOPS


_STOPS = ".!?…"  # one character each: `in` on this string tests a single character
_CLOSERS = " \t\"”»’')]"


class PageChromeCheck(Check):
    OPTIONS = {"report": Option("str", "navigation", "which class of page chrome this rule reports", CLASSES)}
    YIELDS = True  # another boilerplate rule's finding on the same line speaks instead

    def __init__(self, spec: RuleSpec, env: Environment | None = None) -> None:
        super().__init__(spec, env)
        self.report = spec.options["report"]

    def prepare(self) -> None:
        _ = _tables(), first_names()

    def check(self, doc: Document) -> Iterator[Finding]:
        for start, end, cls, extra in classify(doc):
            if cls != self.report or not self.reads(doc, start):
                continue
            line = doc.text[start:end].strip().split("\n", 1)[0].strip()
            shown = line if len(line) <= 60 else line[:57] + "..."
            message = _MESSAGES[cls].format(line=shown, **extra)
            if extra.get("lines", 1) > 1:
                message = message.replace("delete the line", f"delete these {extra['lines']} lines", 1)
            yield self.finding(
                start,
                end,
                message=message,
                evidence={"class": cls, **extra},
                fix=Fix("Remove the line", (_removal(doc, start, end),), "safe"),
            )


def _removal(doc: Document, start: int, end: int) -> Edit:
    """The lines and the break that goes with them: inside a paragraph the break before them,
    else the blank lines after them (before them, at the end of the text), so the paragraphs
    around keep their separation. Markdown and HTML: the text only, the markup stays."""
    text = doc.text
    if doc.format != "txt":
        return Edit(start, end, "")
    lead = doc.cache.get("page_chrome.lead")
    if lead is None:
        lead = doc.cache["page_chrome.lead"] = len(text) - len(text.lstrip())  # where the text begins
    opens_paragraph = start <= lead or text[max(0, start - 2) : start] == "\n\n"
    if not opens_paragraph and text[start - 1] == "\n":
        return Edit(start - 1, end, "")
    after = end
    while after < len(text) and text[after].isspace():
        after += 1
    if after == len(text):
        before = start
        while before > 0 and text[before - 1].isspace():
            before -= 1
        return Edit(before, end, "")
    return Edit(start, after, "")


def _lines(doc: Document) -> list[tuple[int, int, int]]:
    """(start, end, paragraph index) of each non-blank line, trimmed."""
    text = doc.text
    out = []
    for k, para in enumerate(doc.paragraphs):
        pos = para.start
        if pos < para.end and text.find("\n", pos, para.end) < 0 and not text[pos].isspace() and not text[para.end - 1].isspace():
            out.append((pos, para.end, k))  # the common case: a paragraph on one line, trimmed
            continue
        while pos < para.end:
            nl = text.find("\n", pos, para.end)
            end = para.end if nl < 0 else nl
            s, e = pos, end
            while s < e and text[s].isspace():
                s += 1
            while e > s and text[e - 1].isspace():
                e -= 1
            if s < e:
                out.append((s, e, k))
            pos = end + 1
    return out


def classify(doc: Document) -> list[tuple[int, int, str, dict]]:
    """Every chrome line of the document with its class, found once for all the rules."""
    cached = doc.cache.get("page_chrome")
    if cached is not None:
        return cached
    ui, stamp_words, credit_start, credit_tail, widget_labels = _tables()
    text = doc.text
    lines = _lines(doc)
    starts = [s for s, _e, _p in lines]
    # Lines that hold a Cyrillic letter, a markup character or an anchor are found by searches
    # of the whole text; Cyrillic lines can be flagged only in an English text
    letters = _cyrillic_letters(text)
    has_cyrillic = letters > 0
    english = not has_cyrillic or _english(text, lines, letters)
    cyrillic = _lines_with(_CYRILLIC, text, starts) if english and has_cyrillic else frozenset()
    anchored, hinted = _anchored_lines(doc, lines, starts, has_cyrillic)
    either = anchored | cyrillic if cyrillic else anchored
    busy = either | hinted if hinted else either  # lines a sentence of the story is tested in full
    heads = _prefix_heads()
    found: dict[float, tuple[int, int, str, dict]] = {}
    seen: dict[str, int] = {}  # a normalized non-sentence line -> its first line number
    early: list[tuple[str, int, frozenset[str]]] = []  # the same at the top, with its words (headline copies)
    counts: list[int] = []  # words in each line, for the passes after this one
    teasable: list[int] = []  # lines that can be a teaser: headline-long, not ending in ".;:,"
    regions = bool(doc.regions)  # plain text has none: no look-up per line
    first_line = True
    in_widget = False
    for n, (s, e, _para) in enumerate(lines):
        # Most lines are long sentences of the story: they are counted roughly and looked at
        # only for what a sentence can carry (a tag glued to it, Cyrillic letters, an anchor)
        rough = text.count(" ", s, e) + 1
        if rough > SHORT_LINE and n not in busy:
            last = text[e - 1]
            if last in _STOPS or (last in _CLOSERS and _ends_sentence(text[s:e])):
                # a sentence with nothing in it that furniture needs: no copy of the line is
                # made, and the prefix test runs only where the first two letters begin one
                counts.append(rough)
                if rough <= 25 and last not in ".;:,":
                    teasable.append(n)
                if not (regions and doc.region_at(s) in (HEADING, QUOTE, CAPTION)):
                    if (text[s : s + 2].lower() in heads or text[s] in _BULLETS) and _any_prefix(
                        text[s : s + PREFIX_CHARS].lower()
                    ):
                        cls = _sentence_class(text[s:e], rough, False, False, credit_tail)
                        if cls is not None:
                            found[n] = (s, e, cls, {})
                    if rough > WIDGET_WORDS:
                        in_widget = False
                first_line = False
                continue
        line = text[s:e]
        # word tokens proper ("—" and "•" are not words) only where a class looks at them;
        # longer lines are only counted
        if rough > SHORT_LINE:
            sentence_line = _ends_sentence(line)
            words = [] if sentence_line else line.split()
            if words:
                rough = len(words)
        else:
            sentence_line = rough >= 8 and _ends_sentence(line)
            words = _WORD.findall(line)
            rough = len(words)
        counts.append(rough)
        if RUN_WORDS <= rough <= 25 and text[e - 1] not in ".;:,":
            teasable.append(n)
        if regions and doc.region_at(s) in (HEADING, QUOTE, CAPTION):
            first_line = False
            continue  # the document's own headings, quotations and figure captions
        if rough > MARKUP_LINE_WORDS and n in hinted:
            tags = _glued_tags(line)
            if tags:
                # tags glued to a sentence of the story ("< p>The Commander-in-Chief ..."): the tags only
                for k, (a, b) in enumerate(tags):  # keys n <= key < n + 1, however many tags
                    found[n + k / (len(tags) + 1)] = (s + a, s + b, "markup", {"partial": True})
                first_line = False
                continue
        if rough > LONG_LINE or (sentence_line and rough >= 8):
            # a sentence: only the furniture that speaks in sentences can be here
            # one set look-up and one prefix test rule out the story's sentences
            if n in either or _any_prefix(line[:PREFIX_CHARS].lower()):
                cls = _sentence_class(line, rough, n in cyrillic, n in anchored, credit_tail)
                if cls is not None:
                    found[n] = (s, e, cls, {})
            if rough > WIDGET_WORDS:
                in_widget = False
            first_line = False
            continue
        norm = _norm(line[:200])  # the start is all the vocabulary tests look at
        cls = _line_class(line, norm, words, first_line, n in cyrillic, n in hinted, ui, n in anchored, stamp_words, credit_start, credit_tail)
        extra: dict = {}
        sentence = sentence_line or (rough < 8 and _ends_sentence(line))
        key = " ".join(_WORD.findall(norm)) if len(words) >= DUPLICATE_WORDS and not sentence else ""
        if cls is None and key:
            # a headline or teaser printed twice; a sentence said twice is the story's (a transcript)
            first = seen.get(key)
            if first is None and n < TOP_LINES:
                first = _glued_copy(key, early)
            if first is not None:
                cls, extra = "duplicate", {"first": doc.line_index.locate(doc.source_start(first))[0]}
        if cls is None and in_widget and 3 <= len(words) <= WIDGET_WORDS and not sentence and _capitalised(line):
            cls = "widget"  # a teaser's headline: a few words, capitalised, no full stop
        if norm in widget_labels or norm.startswith("more about "):
            in_widget = True
        elif cls is None and len(words) > WIDGET_WORDS:
            in_widget = False
        if cls is not None:
            found[n] = (s, e, cls, extra)
        if key and key not in seen:
            seen[key] = s  # an offset: the line number is worked out only for a copy found
            if n < TOP_LINES:
                if key.count(" ") + 1 >= GLUED_COPY_WORDS:
                    early.append((key, s, frozenset(key.split())))
        first_line = False
    doc.cache["page_chrome.counts"] = counts
    _photo_blocks(doc, lines, found, credit_start)
    _headline_runs(doc, lines, found, teasable)
    result = _blocks(found)
    doc.cache["page_chrome"] = result
    return result


LONG_LINE = 50  # a line with more spaces than this is a sentence of the story, not furniture
SHORT_LINE = 12  # lines this short are tokenized into words; longer ones are only counted
_MARKUP_CHARS = ("<", ">", "=", "\\", "[")  # a markup pattern needs one of these


def _cyrillic_letters(text: str) -> int:
    """How many Cyrillic letters the text has: U+0400-U+04FF are exactly the characters whose
    UTF-8 encoding starts with bytes D0-D3 (which are never a continuation byte), and bytes are
    counted at C speed (a character class is matched one character at a time)."""
    if text.isascii():
        return 0
    data = text.encode("utf-8", "surrogatepass")
    return sum(data.count(lead) for lead in (b"\xd0", b"\xd1", b"\xd2", b"\xd3"))


def _english(text: str, lines: list[tuple[int, int, int]], cyrillic: int) -> bool:
    """An English article: twice as many of its lines in Latin letters as in Cyrillic ones
    (a long text: under a quarter of its characters Cyrillic letters)."""
    if len(text) > 2000:
        return cyrillic * 4 < len(text)
    latin = [len(_LATIN.findall(text, s, e)) > len(_CYRILLIC.findall(text, s, e)) for s, e, _ in lines[:400]]
    return sum(latin) >= 2 * (len(latin) - sum(latin))


def _lines_holding(text: str, starts: list[int], needles: tuple[str, ...] | list[str]) -> frozenset[int]:
    """The numbers of the lines that hold one of `needles` (str.find in C: an alternation or
    a character class is tried at every character)."""
    out: set[int] = set()
    for needle in needles:
        out.update(_hit_lines(lambda pos, needle=needle: text.find(needle, pos), starts))
    return frozenset(out)


def _lines_with(pattern: re.Pattern[str], text: str, starts: list[int]) -> frozenset[int]:
    """The numbers of the lines `pattern` is found in."""

    def find(pos: int) -> int:
        m = pattern.search(text, pos)
        return -1 if m is None else m.start()

    return frozenset(_hit_lines(find, starts))


def _hit_lines(find: Callable[[int], int], starts: list[int]) -> Iterator[int]:
    """The line of each hit of `find` (the offset of the next hit from a position, or -1),
    searching on from the next line after a hit: one hit a line is enough, and the text is
    scanned once."""
    last = len(starts) - 1
    at = find(0)
    while at >= 0:
        n = bisect_right(starts, at) - 1
        yield n
        if n >= last:
            return
        at = find(starts[n + 1])


def _cyrillic_line(line: str) -> bool:
    return len(_CYRILLIC.findall(line)) > max(3, len(_LATIN.findall(line)))


def _glued_tags(line: str) -> list[tuple[int, int]]:
    return [m.span() for m in _IMG_FRAGMENT.finditer(line)] or [m.span() for m in _MARKUP.finditer(line)]


def _blocks(found: dict[int, tuple[int, int, str, dict]]) -> list[tuple[int, int, str, dict]]:
    """Consecutive chrome lines of one class (blank lines between them or not) are one finding:
    a banner, a photo block, a comment form is one piece of furniture to delete."""
    out: list[tuple[int, int, str, dict]] = []
    last = -2
    for n in sorted(found):
        s, e, cls, extra = found[n]
        prev = out[-1] if out else None
        if (
            prev is not None
            and n == last + 1
            and prev[2] == cls
            and not extra.get("partial")
            and not prev[3].get("partial")
            and cls != "duplicate"
        ):
            out[-1] = (prev[0], e, cls, {**prev[3], "lines": prev[3].get("lines", 1) + 1})
        else:
            out.append((s, e, cls, extra))
        last = n
    return out


def _glued_copy(key: str, early: list[tuple[str, int, frozenset[str]]]) -> int | None:
    """The line number of an earlier line at the top that this one copies with a label or
    credit glued on ("... this year | VIDEO"), or respelled ("Zaluzny" for "Zaluzhny"): the
    shorter of the two begins the longer, or four words in five are the same."""
    if key.count(" ") + 1 < GLUED_COPY_WORDS:  # words of a key are one space apart
        return None
    ours = frozenset(key.split())
    size = len(key)
    for other, line, theirs in early:  # lines of GLUED_COPY_WORDS words or more, split once
        # the shorter begins the longer, followed by a space (no copy of either is made)
        if size > len(other):
            if key.startswith(other) and key[len(other)] == " ":
                return line
        elif size < len(other) and other.startswith(key) and other[size] == " ":
            return line
        big = max(len(ours), len(theirs))
        if min(len(ours), len(theirs)) >= 0.8 * big and len(ours & theirs) >= 0.8 * big:
            return line
    return None


def _line_class(
    line: str, norm: str, words: list[str], first_line: bool, cyrillic: bool, hinted: bool, ui: frozenset[str],
    anchored: bool, stamp_words: frozenset[str], credit_start: re.Pattern[str], credit_tail: re.Pattern[str],
) -> str | None:
    # Most lines are sentences of the story: each test runs only on lines short enough to be
    # its class, and the regular expressions behind a cheap look for the characters they need.
    n = len(words)
    if n <= MARKUP_LINE_WORDS and hinted and _MARKUP.search(line):
        return "markup"
    if n == 0 and len(line) <= 3 and line not in ("*", "***", "—", "-"):
        return "markup"  # a lone "\\" or "/>" left where a tag was
    if cyrillic and not line.isascii() and _cyrillic_line(line):
        return "untranslated"
    if n > 45:
        return None
    if n <= 12 and (norm in ui or _breadcrumb(line, words) or _languages(words) or _social(norm)):
        return "navigation"
    if n <= 8 and norm.startswith(_link_starts()):
        return "navigation"  # "Read More Region & World": a link to more of the site
    b = _banner().search(norm, 0, 80 if n > 14 else len(norm)) if anchored else None
    if b and (b.start() < 40 or n <= 14):
        return "navigation"  # a banner speaks about the site from its first words
    prefixed = norm[:2] in _prefix_heads()  # a line that begins otherwise begins no prefix
    if prefixed and _ui_prefix(norm):
        return "navigation"
    if (prefixed and _promo_prefix(norm)) or (n <= 30 and _PROMO.match(norm)):
        return "promo"
    if n <= 15 and _APPEAL_START.match(norm):
        at = _find_any(norm, vocabulary()["appeal_words"], len(norm))
        if at >= 0 and len(_WORD.findall(norm[:at])) <= 4:
            return "promo"  # "Support Ukrainska Pravda on Patreon!", "Donate to our team"
    if n <= STAMP_WORDS and _stamp(line, stamp_words):
        return "stamp"
    if not first_line and n <= 4 and (norm in _agencies() or _place_agency(line, words) or _name_only(line, words)):
        return "stamp"  # a name alone, "Kyiv • UNN", "Associated Press" under the byline
    if n <= 25 and credit_start.match(norm):
        return "caption"
    if anchored and _CREDIT_HINT.search(line.lower()) and (credit_tail.search(line) or _PAREN_CREDIT.search(line)):
        return "caption"  # a caption with its credit; longer lines are left to boilerplate.photo-credit
    return None


_HAS_DIGIT = re.compile(r"\d")


def _sentence_class(
    line: str, n: int, cyrillic: bool, anchored: bool, credit_tail: re.Pattern[str]
) -> str | None:
    """The classes a sentence of eight words or more can be: a banner or standing note that
    speaks in sentences, a caption ending in its credit, a Cyrillic line. One search for any
    of their words rules out the rest of the story's sentences."""
    if cyrillic and not line.isascii() and _cyrillic_line(line):
        return "untranslated"
    if not (anchored or _any_prefix(line[:PREFIX_CHARS].lower())):
        return None
    norm = _norm(line[:200])
    if _ui_prefix(norm):
        return "navigation"
    if _promo_prefix(norm) or (n <= 30 and _PROMO.match(norm)):
        return "promo"
    if n > 45:
        return None
    b = _banner().search(norm, 0, 80 if n > 14 else len(norm))
    if b and (b.start() < 40 or n <= 14):
        return "navigation"
    low = line.lower()
    if _CREDIT_HINT.search(low) and (credit_tail.search(line) or _PAREN_CREDIT.search(line)):
        return "caption"
    return None


STAMP_WORDS = 24  # a stamp line is dates, times and a few names: no longer than this
_CREDIT_HINT = re.compile("photo|image|screenshot|source|illustrat|video|фото|/")


# A word that any furniture sentence other than a prefixed one contains, by where it counts:
# a credit's anywhere in the line (the credit closes a caption), a banner's in the first
# BANNER_CHARS characters (a banner speaks about the site from its first words). A banner
# phrase needs one of them only ("https:// means" has its "/", "websites use https" its
# "website"). A promotion's words count only at the start of a line ("Follow us on Telegram",
# "For more news, visit"), so they are prefixes (_START_WORDS), not searched for in the text.
_CREDIT_ANCHORS = ("photo", "image", "screenshot", "source", "illustrat", "video", "/", "фото")
_BANNER_ANCHORS = (
    "website", "cookie", "javascript", "browser", "assistance", "collection", "guidelines", "comment",
    "forum", "story idea", "submit", "moderat", "how you know", "safely connected", "continuing to use",
)
_START_WORDS = ("for more", "connect with", "follow")
BANNER_CHARS = 200  # the vocabulary tests read a line's first 200 characters (see _norm's callers)
_K_CREDIT, _K_BANNER = range(2)  # where an anchor counts
_ANCHOR_KINDS = [(a, _K_CREDIT) for a in _CREDIT_ANCHORS] + [(a, _K_BANNER) for a in _BANNER_ANCHORS]
_LATIN_ANCHORS = [(a, k) for a, k in _ANCHOR_KINDS if a.isascii()]  # for a text with no Cyrillic letter


PREFIX_CHARS = 100  # the longest prefix with the bullets before it fits in this many characters


def _anchored_lines(
    doc: Document, lines: list[tuple[int, int, int]], starts: list[int], cyrillic: bool = True
) -> tuple[frozenset[int], frozenset[int]]:
    """The numbers of the lines that hold an anchor where it counts, and of those that hold a
    markup character. The document's casefolded copy (which other checks use too) is searched
    whole, needle by needle (str.find runs in C; an alternation or a character class is tried
    at every character), and each hit is mapped to its line: no Python work is done per line of
    story. A credit's anchor counts anywhere, a banner's in the first BANNER_CHARS characters:
    "comments" late in a sentence of the story keeps that sentence on the fast path. A text
    with no Cyrillic letter is not searched for Cyrillic anchors."""
    text, low = doc.text, doc.casefolded
    hinted = _lines_holding(text, starts, _MARKUP_CHARS)
    if len(low) != len(text):  # a letter whose case folds to two ("ß"): offsets differ; test each line
        return frozenset(n for n, (s, e, _p) in enumerate(lines) if _anchored(text[s:e])), hinted
    anchored: set[int] = set()
    last = len(starts) - 1
    for needle, kind in _ANCHOR_KINDS if cyrillic else _LATIN_ANCHORS:
        if needle not in low:  # most are absent: one scan each, in C
            continue
        at = low.find(needle)
        while at >= 0:
            n = bisect_right(starts, at) - 1
            start = starts[n]
            if kind == _K_CREDIT or at - start < BANNER_CHARS:
                anchored.add(n)
                if n >= last:
                    break
                at = low.find(needle, starts[n + 1])  # one hit a line is enough
            else:
                at = low.find(needle, at + 1)
    return frozenset(anchored), hinted


def _anchored(line: str) -> bool:
    """One line holds an anchor where it counts (the rules of _anchored_lines, line by line)."""
    if any(a in line.casefold() for a in _CREDIT_ANCHORS):
        return True
    return any(a in line[: BANNER_CHARS + 20].casefold() for a in _BANNER_ANCHORS)  # one that starts in them


@lru_cache(maxsize=1)
def _banner() -> re.Pattern[str]:
    return re.compile("|".join(re.escape(p) for p in vocabulary()["banner_phrases"]))


def _find_any(text: str, needles: tuple[str, ...], end: int) -> int:
    """Where the first of `needles` found in text[:end] starts, or -1 (substring tests in C:
    faster than one case-insensitive alternation over every line)."""
    best = -1
    for needle in needles:
        i = text.find(needle, 0, end)
        if i >= 0 and (best < 0 or i < best):
            best = i
    return best


@lru_cache(maxsize=1)
def _agencies() -> frozenset[str]:
    return frozenset(vocabulary()["agencies"])


@lru_cache(maxsize=1)
def _link_starts() -> tuple[str, ...]:
    return tuple(p + " " for p in vocabulary()["link_starts"])


@lru_cache(maxsize=1)
def _prefixes() -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """The line-start vocabularies as tuples for str.startswith (one C call over all of them;
    an alternation of 60 literals is tried one by one by the regular-expression engine):
    interface, promotion, and both with the words a promotion may start with (_START_WORDS),
    which let a line into the tests of a sentence."""
    v = vocabulary()
    return v["ui_prefixes"], v["promo_prefixes"], v["ui_prefixes"] + v["promo_prefixes"] + _START_WORDS


_BULLETS = " \t\n•·*-–—>»«<|/\\#~+"  # what may come before a prefix on a raw line (_LEFT_EDGE and "\n")


@lru_cache(maxsize=1)
def _prefix_heads() -> frozenset[str]:
    """The first two characters of every prefix: a line that begins otherwise (after no
    bullet) cannot begin with one."""
    return frozenset(p[:2] for p in _prefixes()[2])


def _ui_prefix(norm: str) -> bool:
    return norm.startswith(_prefixes()[0])


def _promo_prefix(norm: str) -> bool:
    return norm.startswith(_prefixes()[1])


def _any_prefix(low: str) -> bool:
    """A raw lower-cased line that begins with a prefix, after bullets and arrows."""
    both = _prefixes()[2]
    return low.startswith(both) or low.lstrip(_BULLETS).startswith(both)


_PROMO = re.compile(r"for more\b.{0,60}\bvisit\b|connect with\b.{0,60}\bsocial media|follow\b.{0,40}\bon (?:telegram|facebook|twitter|x|instagram|youtube)\b")
_APPEAL_START = re.compile(r"(?:please\s+)?(?:support|donate|help|become|join|you can|buy|make a)\b")
_LANGUAGES = frozenset(
    "ua ukr укр uk ru rus рус en eng english de deu pl pol fr українською українська русский рус. англ eng.".split()
)


def _languages(words: list[str]) -> bool:
    """"Укр Рус Eng", "UA RU EN", "ukenru": a language switcher written without separators."""
    if len(words) == 1:
        return bool(_GLUED_LANGUAGES.fullmatch(words[0].lower()))
    return len(words) >= 2 and words[0].lower() in _LANGUAGES and all(w.lower() in _LANGUAGES for w in words)


_GLUED_LANGUAGES = re.compile(r"(?:ua|uk|ukr|ru|rus|en|eng|de|pl|укр|рус|eng){2,}")
_SOCIAL = re.compile(
    r"(?:(?:facebook|twitter|instagram|youtube|linkedin|flickr|telegram|viber|tiktok|whatsapp|threads|"
    r"pinterest|reddit|vkontakte|vk|x|rss|mastodon|bluesky|snapchat|google news|and)\W*){2,}"
)


_SOCIAL_STARTS = tuple("facebook twitter instagram youtube linkedin flickr telegram viber tiktok whatsapp threads "
                       "pinterest reddit vk x rss mastodon bluesky snapchat google".split())


def _social(norm: str) -> bool:
    """"FacebookTwitterInstagramYouTube", "LinkedIn and Flickr": a row of social-network links."""
    return norm.startswith(_SOCIAL_STARTS) and bool(_SOCIAL.fullmatch(norm)) and norm not in ("x and x",)


def _place_agency(line: str, words: list[str]) -> bool:
    """"Kyiv • UNN", "Odesa | AGENCY": a place and an outlet between separators."""
    return 2 <= len(words) <= 4 and _PLACE_AGENCY.search(line) is not None and all(w[:1].isupper() for w in words)


_PLACE_AGENCY = re.compile(r"\s[•|·]\s")


def _breadcrumb(line: str, words: list[str]) -> bool:
    """"Home : Media : News", "Home › News › Politics": short items between separators."""
    if _BREADCRUMB_SEPARATOR.search(line) is None:
        return False
    parts = _BREADCRUMB.split(line.strip())
    return len(parts) >= 3 and len(words) <= 12 and all(0 < len(p.split()) <= 3 for p in parts)


def _stamp(line: str, stamp_words: frozenset[str]) -> bool:
    """A line of dates, times, counters and at most a few capitalised words (a name, a place,
    an agency, a category): the stamp or byline of a page."""
    digits = _HAS_DIGIT.search(line) is not None
    if not digits and not _BYLINE.match(line):
        return False  # neither a date nor a byline can be here
    s = _GLUED.sub(" ", line)
    dated = digits and _STAMPS.search(s) is not None
    byline = bool(_BYLINE.match(s))
    if not dated and not byline:
        return False
    rest = _WEEKDAY.sub(" ", _STAMPS.sub(" ", s))
    rest = _BYLINE.sub(" ", rest)
    left = [w for w in _WORD.findall(rest) if w.lower() not in stamp_words]
    if any(any(c.isdigit() for c in w) for w in left):
        return False  # a number that is no date or time: "Episode 61 – October 13, 2022" is a title
    if len(left) > (4 if dated else 5):
        return False
    capitalised = all(w[:1].isupper() or w.isupper() for w in left if w.lower() not in ("and", "of", "the"))
    return capitalised and (dated or 1 <= len(left))


def _name_only(line: str, words: list[str]) -> bool:
    """A line that is only a person's name ("Vadim Golovko", "Oleksandr Syrskyi"): a byline or
    the name label of a photo or quote card."""
    if not 2 <= len(words) <= 3 or _ends_sentence(line) and not line.rstrip().endswith("."):
        return False
    if any(c in line for c in ",:;!?\"“”()"):
        return False
    return all(w[:1].isupper() and w[1:].islower() for w in words) and fold(words[0]) in first_names()


def _capitalised(line: str) -> bool:
    return line.strip().lstrip("“\"«„'‘")[:1].isupper()


def _headline_like(line: str, count: int) -> bool:
    """A headline: 4 to 25 words, capitalised, not ending a sentence with a full stop."""
    if not 4 <= count <= 25:
        return False
    stripped = line.strip().lstrip("“\"«„'‘")
    return (
        stripped[:1].isupper()
        and not stripped.endswith((".", ";", ":", ","))
        and not _ADVERBIAL_START.match(stripped)
    )


_ADVERBIAL_START = re.compile(r"\w+,\s")  # "Earlier, Shoigu ...": a sentence of the story, cut off


def _headline_runs(doc: Document, lines: list[tuple[int, int, int]], found: dict, teasable: list[int]) -> None:
    """HEADLINE_RUN or more headline-like lines in a row are a list of other stories (a widget
    above or below the article). The article's own headline, which comes again further down,
    is left to the duplicate rule."""
    text = doc.text
    counts = doc.cache["page_chrome.counts"]
    run: list[int] = []
    last: dict[str, int] = {}  # each line's text -> the number of its last occurrence (built once)
    regions = bool(doc.regions)  # plain text has none: no look-up per line

    def close() -> None:
        introduced = run and run[0] > 0 and text[lines[run[0] - 1][0] : lines[run[0] - 1][1]].rstrip().endswith(":")
        if len(run) >= HEADLINE_RUN and not introduced:  # a list after "...:" is the story's
            if not last:  # built for the first list found: most articles have none
                for m, (ms, me, _p) in enumerate(lines):
                    if RUN_WORDS <= counts[m] <= 25:
                        last[text[ms:me].strip()] = m
            for m in run:
                ms, me, _ = lines[m]
                if last.get(text[ms:me].strip(), m) > m:
                    continue  # the article's own headline, which comes again further down
                found[m] = (ms, me, "widget", {})
        run.clear()

    # Only the lines that can be teasers (headline-long, no full stop, comma or colon at the
    # end: listed by the pass over the lines) and the furniture already found are visited; any
    # other line ends a list, which a gap between the numbers visited stands for
    candidates = set(teasable)
    candidates.update(int(k) for k in found)
    previous = -2
    for n in sorted(candidates):
        if n != previous + 1 and run:
            close()
        previous = n
        s, e, para = lines[n]
        count = counts[n]
        if n in found or (regions and doc.region_at(s) in (HEADING, QUOTE, CAPTION)):
            if n in found and found[n][2] in ("stamp", "navigation") and run:
                continue  # a time stamp or label between teasers does not end the list
            if run:
                close()
            continue
        if run and lines[run[-1]][2] != para:
            close()  # a list of teasers is one block of lines; headings apart are the story's
        if text[e - 1] not in ".;:," and _headline_like(text[s:e], count):
            run.append(n)
        elif run:
            close()
    if run:
        close()
    _tail_teasers(doc, lines, found)


def _tail_teasers(doc: Document, lines: list[tuple[int, int, int]], found: dict) -> None:
    """After the story's last sentence and the furniture that follows it (an appeal, an ad
    label), headline-like lines to the end are teasers of other stories."""
    text = doc.text
    counts = doc.cache["page_chrome.counts"]
    last_story = -1
    for n in range(len(lines) - 1, -1, -1):  # from the end: the story's last sentence is near it
        s, e, _para = lines[n]
        if n not in found and counts[n] >= 12 and _ends_sentence(text[s:e]):
            last_story = n
            break
    tail = range(last_story + 1, len(lines))
    if not any(n in found and found[n][2] in ("promo", "navigation") for n in tail):
        return
    furniture = False
    for n in tail:
        s, e, _para = lines[n]
        if n in found:
            furniture = True
            continue
        if furniture and _headline_like(text[s:e], counts[n]):
            found[n] = (s, e, "widget", {})


def _photo_blocks(doc: Document, lines: list[tuple[int, int, int]], found: dict, credit_start: re.Pattern[str]) -> None:
    """The lines just above a credit line, in the same block (no blank line between), are the
    photo's alt text, title and caption."""
    text = doc.text
    for n, (s, e, para) in enumerate(lines):
        if n not in found or found[n][2] != "caption" or not credit_start.match(_norm(text[s:e])):
            continue
        for m in range(n - 1, max(-1, n - 1 - PHOTO_BLOCK), -1):
            ms, me, mpara = lines[m]
            if mpara != para or m in found:
                break
            if doc.cache["page_chrome.counts"][m] > 45:
                break
            found[m] = (ms, me, "caption", {})
