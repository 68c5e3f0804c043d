"""Kind `pattern`: flag text that matches phrases or regular expressions (Vale's existence).

What it flags
    Every match of the entry's `phrases` (literal, whole words, any spacing) or `patterns`
    (Python regular expressions) inside each sentence or paragraph. Packs use it for pasted
    boilerplate (subscribe footers, "Read also:" lines, photo credits) and for newswire calques
    ("Recall that ...").

Why
    These strings have one meaning wherever they occur; a pattern is the simplest rule that
    catches them, and the easiest for a newsroom to extend in its own pack.

Example
    - id: translationese.recall-that
      kind: pattern
      phrases: ["Recall that"]
      anchor: start
      fix: remove

    flags "Recall that" in "Recall that on Sept. 30 Milley retired."; "I recall that day" is clean.

Options
    phrases, patterns   what to match; a pattern with a group named `flag` flags only that group
    ignorecase          match regardless of case (default true)
    scope               sentence or paragraph: the unit matched against (default sentence)
    anchor              any, start (the match opens the unit) or whole (the match is the unit)
    max_words           only units of at most this many words (0: any length)
    headlines           false: skip a unit that ends no sentence (no closing . ! ? … or quote
                        mark): a headline or heading, where news style drops articles
                        ("Austin Meets Umerov at Pentagon") (default true)
    require             words (any case) the text must contain for the patterns to run at all;
                        the patterns then search only the sentences (or paragraphs) that hold
                        one of them, e.g. [photo, image] for photo credits. List every word a
                        match needs one of: a match in a unit without one is not reported.
                        The required words of all pattern rules are found in one pass over the
                        text (an Aho-Corasick automaton), so a word costs nothing per rule: a
                        rare word or two is the cheapest way to keep a pattern off most texts
    suggest             suggestions; "{match}" stands for the flagged text and "{name}" for
                        what the pattern's group `name` matched ("{left}-{right}"); the
                        message may use them too
    fix                 none, remove (the match), remove-scope (the whole unit) or replace
                        (with the first suggestion); fix_safety is safe or unsafe
    time_budget_ms      most milliseconds the patterns of a pack you wrote may spend on one
                        document (default 1000)

Patterns of packs you write (and patterns set in the configuration) run on the `regex` module,
which can stop a search: a pattern that backtracks catastrophically ("(a+)+$" on a long run of
a's) makes this rule fail on that document with "ran past the rule's time budget" (exit 2,
the file is named), while every other rule still reports. Shipped packs run on Python's `re`.
"""

from __future__ import annotations

import re
import time
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from functools import cached_property

from ..document import Document
from ..finding import Edit, Finding, Fix
from .base import Check, Environment, Option, RuleSpec, RuleTimeout

# $ (even escaped: being wary costs only speed), ^ (not a class negation), \A, \Z and lookaheads;
# lookbehinds see the text before a unit either way
_LOOKS_PAST_UNIT = re.compile(r"\$|(?<!\[)\^|\\[AZ]|\(\?[=!]")

# the end of a unit that is a sentence: a closing mark, perhaps inside quotes or brackets
_ENDS_SENTENCE = re.compile(r"[.!?…:;][\"'”’»)\]]*\s*$")

# Bounds on a pattern, checked before it is compiled: compiling is outside the time budget, and
# `(?:(?:a{65535}){65535}){65535}` took 11 GB to compile
MAX_PATTERN_CHARS = 10_000
MAX_REPEAT = 1_000  # the largest count in {m,n}
MAX_NESTED_REPEAT = 100_000  # counts multiplied along a nesting


def pattern_too_large(source: str, flags: int = 0) -> str | None:
    """Why a pattern is refused (too long, or counted repetitions too large), or None."""
    if len(source) > MAX_PATTERN_CHARS:
        return f"longer than {MAX_PATTERN_CHARS:,} characters"
    try:
        from re import _parser  # type: ignore[attr-defined]

        tree = _parser.parse(source, flags)
    except Exception:  # noqa: BLE001 - a syntax error: re.compile reports it properly
        return None
    stack = [(tree, 1)]
    while stack:  # iterative: a deeply nested pattern cannot overflow this walk
        node, factor = stack.pop()
        for op, av in node:
            name = str(op)
            if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
                low, high, sub = av
                count = low if high == _parser.MAXREPEAT else high
                if count > MAX_REPEAT:
                    return f"repeats {count:,} times (at most {MAX_REPEAT:,})"
                if factor * max(count, 1) > MAX_NESTED_REPEAT:
                    return f"nested repetitions multiply to more than {MAX_NESTED_REPEAT:,}"
                stack.append((sub, factor * max(count, 1)))
                continue
            for item in av if isinstance(av, (tuple, list)) else (av,):
                if isinstance(item, _parser.SubPattern):
                    stack.append((item, factor))
                elif isinstance(item, list):
                    stack.extend((x, factor) for x in item if isinstance(x, _parser.SubPattern))
    return None


def _units_holding(doc: Document, units: list[tuple[int, int]], words: list[str]) -> list[int]:
    """The indices of the units (sorted, not overlapping) that hold one of `words` whole, from
    the word's places in the casefolded text (found once per document for every rule)."""
    starts = [u[0] for u in units]
    out: set[int] = set()
    for word in words:
        for at in _places(doc, word):
            u = bisect_right(starts, at) - 1
            if u >= 0 and at + len(word) <= units[u][1]:
                out.add(u)
    return sorted(out)


# The required words (and phrase key words) of every pattern rule built in this process. One
# Aho-Corasick pass over a document finds them all: a hundred rules' words cost one scan of the
# text instead of a search each (the searches were a third of a short article's check).
_GATE_WORDS: set[str] = set()
_AUTOMATON: list = []  # [automaton, number of words in it], rebuilt when rules add words


def _register(words) -> None:
    _GATE_WORDS.update(w for w in words if w)


def _automaton():
    if not _AUTOMATON or _AUTOMATON[1] != len(_GATE_WORDS):
        import ahocorasick

        auto = ahocorasick.Automaton()
        for word in _GATE_WORDS:
            auto.add_word(word, word)
        auto.make_automaton()
        _AUTOMATON[:] = [auto, len(_GATE_WORDS)]
    return _AUTOMATON[0]


_NONE: list[int] = []
_BACKREFERENCE = re.compile(r"\\[1-9]|\(\?P=|\\g<")


def _found_words(doc: Document):
    """The registered words the text holds (a dict keys view: set operations at C speed)."""
    return _scan(doc).keys()


def _scan(doc: Document) -> dict[str, list[int]]:
    """Every registered word's places in the casefolded text, from one automaton pass."""
    cache = doc.cache.get("pattern.places")
    if cache is None:
        cache = doc.cache["pattern.places"] = {}
        looked = doc.cache["pattern.looked"] = frozenset(_GATE_WORDS)
        if looked:
            for end, w in _automaton().iter(doc.casefolded):
                found = cache.get(w)
                if found is None:
                    cache[w] = [end - len(w) + 1]
                else:
                    found.append(end - len(w) + 1)
    return cache


def _places(doc: Document, word: str) -> list[int]:
    """Where `word` (casefolded) occurs in the casefolded text, every occurrence (overlapping
    ones too, as repeated str.find gives them). Found for all rules' words at once, per document."""
    cache = _scan(doc)
    found = cache.get(word)
    if found is None:
        if word in doc.cache["pattern.looked"]:
            return _NONE  # looked for in the one pass, not there
        folded, found = doc.casefolded, []
        at = folded.find(word)
        while at >= 0:
            found.append(at)
            at = folded.find(word, at + 1)
        cache[word] = found
    return found


def _openers(doc: Document) -> tuple[list[str], list[int]]:
    """Each sentence's first word casefolded, sorted, with the sentence's index: the sentences
    a phrase can open are found by a prefix range (bisect), listed once for every rule."""
    got = doc.cache.get("pattern.openers")
    if got is None:
        seg = doc.segmentation
        tokens, n = seg.tokens, len(seg.tokens)
        pairs = sorted(
            (tokens[s.first_token].text.casefold(), k)
            for k, s in enumerate(doc.sentences)
            if s.first_token < n and tokens[s.first_token].start == s.start
        )
        got = doc.cache["pattern.openers"] = ([w for w, _ in pairs], [k for _, k in pairs])
    return got


def _fill(template: str, flagged: str, m: re.Match[str]) -> str:
    """A suggestion with {match} and each named group's {name} written in."""
    text = template.replace("{match}", flagged)
    for name, value in m.groupdict().items():
        if value is not None:
            text = text.replace("{" + name + "}", value)
    return text


def _sentence_spans(doc: Document) -> list[tuple[int, int]]:
    spans = doc.cache.get("pattern.sentences")
    if spans is None:  # every rule that reads whole sentences shares one list of their spans
        spans = doc.cache["pattern.sentences"] = [(s.start, s.end) for s in doc.sentences]
    return spans


class PatternCheck(Check):
    OPTIONS = {
        "phrases": Option("list", [], "literal phrases, matched as whole words", nonempty=True),
        "patterns": Option("list", [], "regular expressions (Python syntax)", nonempty=True),
        "ignorecase": Option("bool", True, "match regardless of case"),
        "scope": Option("str", "sentence", "unit matched against", ("sentence", "paragraph")),
        "anchor": Option("str", "any", "where in the unit a match may be", ("any", "start", "whole")),
        "max_words": Option("int", 0, "only units of at most this many words (0: any)", bounds=(0, 1_000_000)),
        "headlines": Option("bool", True, "false: skip units that end no sentence (headlines, headings)"),
        "suggest": Option("list", [], "suggestions; {match} is the flagged text"),
        "fix": Option("str", "none", "what the fix does", ("none", "remove", "remove-scope", "replace")),
        "fix_safety": Option("str", "safe", "fix applicability", ("safe", "unsafe")),
        "require": Option(
            "list", [], "words one of which a unit must contain (case-insensitive) for the patterns to run"
        ),
        "time_budget_ms": Option(
            "int", 1000, "most milliseconds a pack's own patterns may spend on one document", bounds=(1, 600_000)
        ),
    }

    def __init__(self, spec: RuleSpec, env: Environment | None = None) -> None:
        super().__init__(spec, env)
        o = spec.options
        sources = list(o["patterns"])
        if o["phrases"]:
            # longest first, so "Let us recall that" wins over "Let us recall"
            phrases = sorted(o["phrases"], key=len, reverse=True)
            sources.append("|".join(_phrase_regex(p) for p in phrases))
        if not sources:
            raise ValueError("a pattern rule needs 'phrases' or 'patterns'")
        _register(w.casefold() for w in o["require"])
        _register(self._key_words)
        flags = re.IGNORECASE if o["ignorecase"] else 0
        # A shipped pack's patterns run on Python's re; anyone else's on the regex module, which
        # can stop a search after a time budget: a pattern that backtracks catastrophically
        # ("(a|aa)+$" on a long run of a's) then stops this rule on this document, not the run.
        self.timed = not spec.builtin
        if self.timed:
            import regex as timed_re  # imported only for a user's pack: 10 ms off a cold run
        self.regexes: list = []
        for source in sources:
            # a shipped pack's patterns are tested with the code: only others' are measured
            problem = pattern_too_large(source, flags) if self.timed else None
            if problem:
                raise ValueError(f"invalid pattern {source[:80]!r}: {problem}")
            try:
                compiled = re.compile(source, flags)  # Python's syntax is the documented one
                if self.timed:
                    compiled = _Timed(timed_re.compile(source, flags | timed_re.V0))
            except re.error as exc:
                raise ValueError(f"invalid pattern {source!r}: {exc}") from None
            except Exception as exc:  # noqa: BLE001 - regex.error, should the two engines disagree
                raise ValueError(f"invalid pattern {source!r}: {exc}") from None
            self.regexes.append(compiled)

    def _units(self, doc: Document) -> list[tuple[int, int]]:
        if self.options["scope"] == "paragraph":
            return [(p.start, p.end) for p in doc.paragraphs]
        spans = _sentence_spans(doc)  # shared: read, never changed
        if self._first_words and self.options["anchor"] != "any":
            # phrases that must open the sentence: only sentences whose first word begins like
            # one of them can match (a prefix, as "Recall's" still matches "Recall"), found by
            # a prefix range in the sorted first words
            words, index = _openers(doc)
            picked: set[int] = set()
            for w in self._first_words:
                lo = bisect_left(words, w)
                hi = bisect_left(words, w + "\U0010ffff", lo)
                picked.update(index[lo:hi])
            return [spans[k] for k in sorted(picked)]
        return spans

    @cached_property
    def _any_of(self) -> re.Pattern[str] | None:
        """The rule's patterns as one alternation, to test a unit once instead of once per
        pattern; None when they cannot be joined (a group name used twice, global flags)."""
        if len(self.regexes) < 2 or self.timed:
            return None
        if any(_BACKREFERENCE.search(r.pattern) for r in self.regexes):
            return None  # joined, a numbered group reference would point at another pattern's group
        try:
            return re.compile("|".join(f"(?:{r.pattern})" for r in self.regexes), self.regexes[0].flags)
        except re.error:
            return None

    @cached_property
    def _require(self) -> list[str]:
        return [w.casefold() for w in self.options["require"]]

    @cached_property
    def _require_set(self) -> frozenset[str]:
        return frozenset(self._require)

    @cached_property
    def _key_set(self) -> frozenset[str]:
        return frozenset(self._key_words)

    @cached_property
    def _key_words(self) -> tuple[str, ...]:
        """The longest word of each phrase of a phrases-only rule (casefolded); () otherwise."""
        phrases = self.options["phrases"]
        if self.options["patterns"] or not phrases:
            return ()
        return tuple({max(p.split(), key=len).casefold() for p in phrases})

    @cached_property
    def _first_words(self) -> tuple[str, ...]:
        """The casefolded first words of a phrases-only rule; () when patterns make them unknown."""
        phrases = self.options["phrases"]
        if self.options["patterns"] or not phrases or not all(p[:1].isalnum() for p in phrases):
            return ()
        return tuple({p.split()[0].casefold() for p in phrases})

    def check(self, doc: Document) -> Iterator[Finding]:
        # the gate first, outside the generator: most rules stop here on most texts, and a
        # generator made only to return costs as much as the test
        found_words = _found_words(doc)
        if (self._require and self._require_set.isdisjoint(found_words)) or (
            self._key_words and self._key_set.isdisjoint(found_words)
        ):
            return iter(())
        if self.timed:  # every search of this document shares one budget
            deadline = time.monotonic() + self.options["time_budget_ms"] / 1000
            for r in self.regexes:
                r.deadline, r.budget_ms = deadline, self.options["time_budget_ms"]
        return self._check(doc)

    def _check(self, doc: Document) -> Iterator[Finding]:
        anchor, max_words = self.options["anchor"], self.options["max_words"]
        headlines = self.options["headlines"]
        text = doc.text
        require = self._require
        folded = ""
        # check() found a required word (or a phrase's key word) in the text before calling
        if require:
            folded = doc.casefolded
            if len(folded) != len(text):
                folded = ""  # casefolding changed offsets ("ß" -> "ss"): test each unit below
        units = self._units(doc)
        # only the units that hold a required word (or, for phrases, one of their longest words)
        # can report: the patterns search those alone (a search of the whole text costs as much
        # as the text is long, and such a word is usually in one sentence of forty)
        keys = require if folded else self._key_words if len(doc.casefolded) == len(text) else ()
        if anchor == "any" and keys:
            found = {}
            any_of = self._any_of
            for u in _units_holding(doc, units, list(keys)):
                start, end = units[u]
                if any_of is not None and any_of.search(text, start, end) is None:
                    continue  # none of the patterns is in this unit: one search, not one each
                for r, regex in enumerate(self.regexes):
                    matches = list(regex.finditer(text, start, end))
                    if matches:
                        found[(u, r)] = matches
            if not found:
                return
        elif anchor == "any":
            found = self._found_in_text(text, units) if self._unit_safe else None
        else:  # a match must open the unit: one cheap match() per unit finds the few candidates
            found = {}
            any_of = self._any_of
            # with required words, only the units that hold one
            tried = _units_holding(doc, units, list(keys)) if keys else range(len(units))
            for u in tried:
                start, end = units[u]
                if any_of is not None and any_of.match(text, start, end) is None:
                    continue  # none of the patterns opens this unit
                for r, regex in enumerate(self.regexes):
                    m = regex.match(text, start, end)
                    if m is not None and (anchor == "start" or not text[m.end() : end].strip()):
                        found[(u, r)] = [m]
            if not found:
                return
        candidates = sorted({u for u, _ in found}) if found is not None else range(len(units))
        for u in candidates:
            start, end = units[u]
            if not self.reads(doc, start):
                continue
            if max_words and len(text[start:end].split()) > max_words:
                continue
            if not headlines and not _ENDS_SENTENCE.search(text, start, end):
                continue  # a headline: news style drops the articles there
            if require and not any(
                (folded.find(w, start, end) if folded else text[start:end].casefold().find(w)) >= 0
                for w in require
            ):
                continue
            taken: list[tuple[int, int]] = []
            for r, regex in enumerate(self.regexes):
                if found is not None:
                    matches = found.get((u, r), ())
                else:
                    matches = list(regex.finditer(text, start, end))
                for m in matches:
                    span = m.span()
                    if span[1] > span[0] and not any(a < span[1] and span[0] < b for a, b in taken):
                        taken.append(span)
                        yield self._finding(doc, m, start, end)

    @cached_property
    def _unit_safe(self) -> bool:
        """Whether each pattern matches the same inside a unit searched alone as inside the
        whole text: nothing that looks at the unit's end or beyond it ($, lookahead, ^)."""
        return not any(_LOOKS_PAST_UNIT.search(r.pattern) for r in self.regexes)

    def _found_in_text(self, text: str, units: list[tuple[int, int]]) -> dict[tuple[int, int], list]:
        """Matches of each pattern by (unit, pattern), from one search of the whole text (one
        call instead of one per sentence). A match that is not inside one unit sends the units
        it touches back to a search of their own, so the result equals searching unit by unit."""
        starts = [u[0] for u in units]
        found: dict[tuple[int, int], list] = {}
        for r, regex in enumerate(self.regexes):
            redo: set[int] = set()
            for m in regex.finditer(text):
                ms, me = m.span()
                u = bisect_right(starts, ms) - 1
                if u >= 0 and me <= units[u][1] and (ms < units[u][1] or ms == me == units[u][1]):
                    found.setdefault((u, r), []).append(m)
                    continue
                v = max(u, 0)
                while v < len(units) and units[v][0] < max(me, ms + 1):
                    if units[v][1] > ms:
                        redo.add(v)
                    v += 1
            for v in redo:
                found[(v, r)] = list(regex.finditer(text, *units[v]))
        return found

    def _finding(self, doc: Document, m: re.Match[str], unit_start: int, unit_end: int) -> Finding:
        flag = "flag" in m.re.groupindex and m.group("flag")
        fs, fe = m.span("flag") if flag else m.span()
        flagged = doc.text[fs:fe]
        suggestions = [_fill(s, flagged, m) for s in self.options["suggest"]]
        groups = {k: v or "" for k, v in m.groupdict().items() if k != "match"}
        return self.finding(
            fs,
            fe,
            **groups,
            match=flagged,
            suggestions=suggestions,
            fix=self._fix(doc, m, unit_start, unit_end, suggestions),
        )

    def _fix(
        self, doc: Document, m: re.Match[str], unit_start: int, unit_end: int, suggestions: list[str]
    ) -> Fix | None:
        how, text = self.options["fix"], doc.text
        safety = self.options["fix_safety"]
        if how == "remove-scope":
            end = unit_end
            if doc.format == "txt":
                while end < len(text) and text[end].isspace():
                    end += 1
                start = unit_start
                if end == len(text):  # the last paragraph: take the break before it instead
                    while start > 0 and text[start - 1].isspace():
                        start -= 1
                    end = unit_end
                return Fix("Remove the paragraph", (Edit(start, end, ""),), safety)
            return Fix("Remove the paragraph", (Edit(unit_start, unit_end, ""),), safety)
        if how == "remove":
            start, end = m.span()
            title = f"Remove '{doc.text[m.start() : m.end()].strip()}'"
            if start == unit_start:
                while end < unit_end and text[end] in " \t,":
                    end += 1
                if end < unit_end and text[end].islower():
                    # the removed words opened the sentence: capitalise what now opens it
                    return Fix(title, (Edit(start, end + 1, text[end].upper()),), safety)
                return Fix(title, (Edit(start, end, ""),), safety)
            if not text[start].isspace():
                while end < unit_end and text[end] in " \t":
                    end += 1
            glue = (
                " "
                if start > 0 and not text[start - 1].isspace() and end < len(text) and text[end].isalnum()
                else ""
            )
            return Fix(title, (Edit(start, end, glue),), safety)
        if how == "replace" and suggestions:
            return Fix(
                f"Replace with '{suggestions[0]}'", (Edit(m.start(), m.end(), suggestions[0]),), safety
            )
        return None


class _Timed:
    """A regex-module pattern whose searches stop at a deadline (set by check() per document);
    offers the few methods PatternCheck uses, as re.Pattern does."""

    def __init__(self, compiled) -> None:
        self.compiled = compiled
        self.pattern = compiled.pattern
        self.groupindex = compiled.groupindex
        self.deadline = 0.0
        self.budget_ms = 0

    def _left(self) -> float:
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise self._timeout()
        return left

    def _timeout(self) -> RuleTimeout:
        return RuleTimeout(
            f"pattern {self.pattern!r} ran past the rule's time budget of {self.budget_ms} ms on this document"
        )

    def match(self, text: str, pos: int = 0, endpos: int | None = None):
        try:
            return self.compiled.match(
                text, pos, len(text) if endpos is None else endpos, timeout=self._left()
            )
        except TimeoutError:
            raise self._timeout() from None

    def finditer(self, text: str, pos: int = 0, endpos: int | None = None):
        try:  # listed here, so that a timeout is raised inside this rule's check
            return iter(
                list(
                    self.compiled.finditer(
                        text, pos, len(text) if endpos is None else endpos, timeout=self._left()
                    )
                )
            )
        except TimeoutError:
            raise self._timeout() from None


def _phrase_regex(phrase: str) -> str:
    words = [re.escape(w) for w in phrase.split()]
    left = r"\b" if phrase[:1].isalnum() else ""
    right = r"\b" if phrase[-1:].isalnum() else ""
    return left + r"\s+".join(words) + right
