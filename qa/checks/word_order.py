"""Kind `word-order`: sentence structures that machine translation from Ukrainian and Russian
leaves behind. Those languages have no articles and free word order, so the English comes out
with articles in the wrong place, a subject said twice, or a quote run into its attribution.

What it flags (the entry's `report` option picks one)
    displaced-article     an adjective or demonym, then "the/a/an", then a noun: "the
                          conversation Ukrainian the commander-in-chief" (suggests "the
                          Ukrainian commander-in-chief")
    stacked-determiners   two determiners in a row: "the a", "a the", "this the", "the his"
    resumptive-pronoun    a fronted subject taken up again by a pronoun: "the
                          commander-in-chief, he felt" (suggests dropping ", he")
    inverted-attribution  a quotation that lost its marks and runs into an inverted
                          attribution: "Preparing to repel new attacks summarized Defense
                          Minister Umerov." (suggests the quotation marks and the comma)
    postposed-adjective   a demonym after its noun: "the army Ukrainian advanced"; not after
                          "last", "average", "ordinary" and the like, where the demonym is a
                          noun for a person ("a war to the last Ukrainian")
    adjective-order       a nationality before a compass adjective: "the Ukrainian northern
                          Chernihiv region" (English: "the northern Ukrainian ..." or
                          "northern Ukraine's ..."); suggests the two swapped

Word classes come from rules/data/pos-lexicon.tsv.gz (built from lemminflect's tables),
rules/data/closed-class.yaml and rules/data/demonyms.txt; nothing is downloaded.

Why
    These sentences read as garbage to an English reader, and a spellchecker or grammar
    checker that assumes native English passes most of them.

Example
    flags "Ukrainian the commander-in-chief" in "At the end of the conversation Ukrainian the
    commander-in-chief, he felt alone."; "At the end of the conversation, the Ukrainian
    commander-in-chief felt alone." is clean. Legitimate orders stay clean: "all the",
    "half a", "too big a risk", "made Ukrainian the state language", "A former teacher, he
    joined the army", "The minister, he said, was tired", "Is this the end?".

Options
    report      displaced-article, stacked-determiners, resumptive-pronoun,
                inverted-attribution, postposed-adjective or adjective-order

Fixes are unsafe: a reordered sentence needs an editor's eye.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from functools import lru_cache

from ..document import Document
from ..finding import Edit, Finding, Fix
from ..lexicon import closed_classes, demonyms, word_classes
from ..segment import ANCHOR_WORDS, Token
from .base import Check, Environment, Option, RuleSpec

_QUOTES = '"“”„«»'
_DEMONSTRATIVES = frozenset(["this", "these", "those"])
_OBJECT_PRONOUNS = frozenset("me you him her it us them this that these those all both each".split())
_AUXILIARIES = frozenset(
    "is are was were will would can could must should shall may might has have had "
    "remains remain do does did be been".split()
)


class WordOrderCheck(Check):
    OPTIONS = {
        "report": Option(
            "str",
            "displaced-article",
            "which pattern this rule reports",
            (
                "displaced-article",
                "stacked-determiners",
                "resumptive-pronoun",
                "inverted-attribution",
                "postposed-adjective",
                "adjective-order",
            ),
        ),
    }

    def __init__(self, spec: RuleSpec, env: Environment | None = None) -> None:
        super().__init__(spec, env)
        self.report = spec.options["report"]
        cc = closed_classes()
        ANCHOR_WORDS.update(
            cc["articles"], cc["possessives"], _DEMONSTRATIVES, cc["speech_verbs"], demonyms(), _COMPASS
        )

    def prepare(self) -> None:
        _ = word_classes("the"), closed_classes(), demonyms()  # the word-class table, parsed once

    def check(self, doc: Document) -> Iterator[Finding]:
        seg = doc.segmentation
        method = getattr(self, "_" + self.report.replace("-", "_"))
        # Each pattern is tried only where its anchor word is (an article, a determiner, a
        # demonym, a speech verb, a comma): a few places per sentence instead of every token.
        anchors, shift = self._anchors(doc)
        firsts = [s.first_token for s in seg.sentences]
        by_sentence: dict[int, list[int]] = {}
        for j in anchors:
            k = bisect_right(firsts, j) - 1
            by_sentence.setdefault(k, []).append(j - firsts[k] - shift)
        for k in sorted(by_sentence):
            sentence = seg.sentences[k]
            if self.reads(doc, sentence.start):
                toks = seg.tokens_of(sentence)
                yield from method(doc, toks, sentence.start, sentence.end, by_sentence[k])

    def _anchors(self, doc: Document) -> tuple[list[int], int]:
        """Token indices of this pattern's anchor words, and the anchor's place in the pattern."""
        cc = closed_classes()
        seg = doc.segmentation
        if self.report == "resumptive-pronoun":  # only the sentence's first comma matters
            text, starts, tokens, out = doc.text, seg.token_starts, seg.tokens, []
            for sentence in seg.sentences:
                comma = text.find(",", sentence.start, sentence.end)
                while comma >= 0:
                    i = bisect_left(starts, comma)
                    if i < len(tokens) and starts[i] == comma:
                        out.append(i)
                        break
                    comma = text.find(",", comma + 1, sentence.end)  # a comma inside "1,000"
            return out, 0
        texts = seg.texts
        if self.report == "displaced-article":  # an adjective right before "the/a/an"
            return [j for j in seg.words_positions(cc["articles"]) if j and _adjective(texts[j - 1])], 1
        if self.report == "stacked-determiners":  # two determiners side by side
            seconds = set(seg.words_positions(cc["articles"] | cc["possessives"] | _DEMONSTRATIVES))
            firsts = seg.words_positions(cc["articles"] | _DEMONSTRATIVES)
            return [i for i in firsts if i + 1 in seconds], 0
        if self.report == "postposed-adjective":  # "the army Ukrainian": a determiner two before
            before = cc["articles"] | cc["possessives"]
            return [j for j in seg.words_positions(demonyms()) if j > 1 and texts[j - 2].lower() in before], 2
        if self.report == "adjective-order":  # "Ukrainian northern": a compass word after a demonym
            compass = seg.words_positions(_COMPASS)
            if not compass:
                return [], 1
            firsts = set(seg.words_positions(_nationalities()))
            return [j for j in compass if j - 1 in firsts], 1
        return seg.words_positions(cc["speech_verbs"]), 0

    # -- "conversation Ukrainian the commander" ---------------------------------------------
    def _displaced_article(
        self, doc: Document, toks: tuple[Token, ...], s_start: int, s_end: int, at: list[int]
    ) -> Iterator[Finding]:
        cc = closed_classes()
        for i in at:
            if not 0 <= i < len(toks) - 2:
                continue
            adj, art = toks[i], toks[i + 1]
            if art.text not in cc["articles"] or not _adjective(adj.text):
                continue
            if adj.text.lower() in cc["predeterminers"] | cc["degree_words"]:
                continue
            prev = toks[i - 1] if i else None
            if prev is not None and not _noun_context(toks, i - 1):
                continue  # "made Ukrainian the state language", "too big a risk"
            j = i + 2
            while j < len(toks) - 1 and _adjective(toks[j].text) and not _noun(toks[j].text):
                j += 1  # "Ukrainian the new commander"
            if not _noun(toks[j].text) or not _gap_is_space(doc, toks[i : j + 1]):
                continue
            words = doc.text[art.end : toks[j].end].strip()
            fixed = (
                f"{art.text} {adj.text if adj.text[0].islower() or prev is not None else adj.text} {words}"
            )
            if prev is None:  # the sentence opened with the adjective: keep the capital on the article
                fixed = f"{art.text.capitalize()} {adj.text} {words}"
            yield self.finding(
                adj.start,
                toks[j].end,
                message=f"Article out of place: '{doc.text[adj.start : toks[j].end]}' reads as "
                f"machine-translated word order; English puts the article first: '{fixed}'",
                suggestions=[fixed],
                evidence={"pattern": "ADJ + article + noun"},
                fix=Fix(f"Write '{fixed}'", (Edit(adj.start, toks[j].end, fixed),), "unsafe"),
            )

    # -- "the a", "this the" -------------------------------------------------------------------
    def _stacked_determiners(
        self, doc: Document, toks: tuple[Token, ...], s_start: int, s_end: int, at: list[int]
    ) -> Iterator[Finding]:
        cc = closed_classes()
        first_set = cc["articles"] | _DEMONSTRATIVES
        second_set = cc["articles"] | cc["possessives"] | _DEMONSTRATIVES
        question = doc.text[s_start:s_end].rstrip().endswith("?")
        for i in at:
            if i >= len(toks) - 1:
                continue
            a, b = toks[i], toks[i + 1]
            la, lb = a.text.lower(), b.text.lower()
            if la not in first_set or b.text not in second_set or (a.text != la and i) or la == lb:
                continue
            if not _gap_is_space(doc, (a, b)):
                continue
            if la in ("this", "these", "those") and (
                question or (i and toks[i - 1].text.lower() in ("is", "was", "are", "were", "be", "been"))
            ):
                continue  # "Is this the end?", "That was this the ..."
            # keep the more specific word: "the his" -> "his", "the a" -> "a", "this the" -> "this"
            keep, other = (b, a) if la in cc["articles"] else (a, b)
            kept_text = keep.text.capitalize() if keep is b and i == 0 else keep.text
            yield self.finding(
                a.start,
                b.end,
                message=f"Two determiners in a row: '{doc.text[a.start : b.end]}'; keep one",
                suggestions=[kept_text, other.text],
                evidence={"pattern": "determiner + determiner"},
                fix=Fix(f"Keep '{kept_text}'", (Edit(a.start, b.end, kept_text),), "unsafe"),
            )

    # -- "the commander-in-chief, he felt" -------------------------------------------------
    def _resumptive_pronoun(
        self, doc: Document, toks: tuple[Token, ...], s_start: int, s_end: int, at: list[int]
    ) -> Iterator[Finding]:
        cc = closed_classes()
        for k in at:  # the first comma
            if k >= len(toks) - 2:
                return
            tok = toks[k]
            pron = toks[k + 1]
            if pron.text.lower() not in ("he", "she", "they", "we", "it") or k < 1 or k > 14:
                return
            if any(t.text == "," for t in toks[k + 2 : k + 5]):
                return  # a parenthesis: "The minister, he said, was tired."
            v = k + 2
            while v < len(toks) and (toks[v].text in _QUOTES or word_classes(toks[v].text) == "R"):
                v += 1  # an opening quote or an adverb: he \"felt\", he completely stopped
            if (
                v >= len(toks)
                or "V" not in word_classes(toks[v].text)
                and "X" not in word_classes(toks[v].text)
            ):
                return
            if toks[v].text.lower() in cc["speech_verbs"] and (
                v + 1 >= len(toks) or toks[v + 1].text in ",.;"
            ):
                return  # "The minister, he said, was tired."
            seg = toks[:k]
            np_start = _fronted_subject(seg)
            if np_start is None:
                return
            start = seg[np_start].start
            subject = doc.text[start : tok.start]
            yield self.finding(
                start,
                pron.end,
                message=f"The subject is said twice: '{subject}' and then '{pron.text}'; drop the pronoun "
                f"(machine-translated topic-comment order)",
                suggestions=[subject],
                evidence={"pattern": "fronted subject + comma + pronoun"},
                fix=Fix(f"Delete ', {pron.text}'", (Edit(tok.start, pron.end, ""),), "unsafe"),
            )
            return

    # -- 'Preparing to repel new attacks summarized Defense Minister Umerov.' ----------------
    def _inverted_attribution(
        self, doc: Document, toks: tuple[Token, ...], s_start: int, s_end: int, at: list[int]
    ) -> Iterator[Finding]:
        cc = closed_classes()
        if any(q in doc.text[s_start:s_end] for q in _QUOTES) or not toks or toks[-1].text not in ".!":
            return
        for v in at:
            if not 2 <= v < len(toks) - 2:
                continue
            verb = toks[v]
            if verb.text not in cc["speech_verbs"] or toks[v - 1].kind == "punct":
                continue
            rest = toks[v + 1 : -1]
            if not rest or not rest[-1].text[0].isupper():
                continue
            if not all(
                t.text[0].isupper() or t.text.lower() in cc["titles"] or t.text in ("-", "'s", "’s")
                for t in rest
            ):
                continue
            before = toks[:v]
            finite = any(_verb_only(t.text) or t.text.lower() in _AUXILIARIES for t in before)
            if len(before) < 4 or not finite:
                continue  # "The report noted Ukraine." is a subject, not a quotation
            quote = doc.text[s_start : toks[v - 1].end]
            attribution = doc.text[verb.start : s_end]
            fixed = f'"{quote}," {attribution}'
            yield self.finding(
                s_start,
                s_end,
                message="A quotation seems to have lost its quotation marks and runs into its attribution "
                f"('{doc.text[verb.start : toks[-2].end]}')",
                suggestions=[fixed],
                evidence={"pattern": "clause + speech verb + name"},
                fix=Fix(
                    "Restore the quotation marks",
                    (Edit(s_start, s_start, '"'), Edit(toks[v - 1].end, toks[v - 1].end, ',"')),
                    "unsafe",
                ),
            )
            return

    # -- "the army Ukrainian advanced" -----------------------------------------------------
    def _postposed_adjective(
        self, doc: Document, toks: tuple[Token, ...], s_start: int, s_end: int, at: list[int]
    ) -> Iterator[Finding]:
        cc = closed_classes()
        names = demonyms()
        for i in at:
            if not 0 <= i < len(toks) - 2:
                continue
            det, noun, adj = toks[i], toks[i + 1], toks[i + 2]
            if det.text.lower() not in cc["articles"] | cc["possessives"] or adj.text.lower() not in names:
                continue
            if (
                not noun.text[0].islower()
                or "N" not in word_classes(noun.text)
                or not _gap_is_space(doc, (det, noun, adj))
            ):
                continue
            if noun.text.lower() in cc["person_demonym_modifiers"]:
                continue  # "a war to the last Ukrainian": the demonym is a noun, for a person
            nxt = toks[i + 3] if i + 3 < len(toks) else None
            if nxt is not None and nxt.text.lower() in cc["articles"]:
                continue  # "conversation Ukrainian the commander": a displaced article instead
            if nxt is not None and nxt.kind == "word" and (_noun(nxt.text) or nxt.text[0].isupper()):
                continue  # "the army Ukrainian soldiers" is not this pattern
            if i and toks[i - 1].text.lower() in (
                "made",
                "make",
                "makes",
                "called",
                "call",
                "calls",
                "declared",
                "named",
                "considered",
                "consider",
                "considers",
            ):
                continue  # "made the language Ukrainian": an object complement
            fixed = f"{det.text} {adj.text} {noun.text}"
            yield self.finding(
                det.start,
                adj.end,
                message=f"Adjective after its noun: '{doc.text[det.start : adj.end]}'; English puts it first: '{fixed}'",
                suggestions=[fixed],
                evidence={"pattern": "noun + demonym"},
                fix=Fix(f"Write '{fixed}'", (Edit(det.start, adj.end, fixed),), "unsafe"),
            )

    # -- "the Ukrainian northern Chernihiv region" ---------------------------------------------
    def _adjective_order(
        self, doc: Document, toks: tuple[Token, ...], s_start: int, s_end: int, at: list[int]
    ) -> Iterator[Finding]:
        for i in at:
            if not 0 <= i < len(toks) - 2:
                continue
            nat, compass, head = toks[i], toks[i + 1], toks[i + 2]
            if compass.text not in _COMPASS or not nat.text[0].isupper():
                continue  # "Southern" is a name ("the Russian Southern Military District")
            if head.kind != "word" or not _noun(head.text) or not _gap_is_space(doc, (nat, compass, head)):
                continue
            fixed = f"{compass.text} {nat.text}"
            if nat.start == s_start:
                fixed = fixed[0].upper() + fixed[1:]
            yield self.finding(
                nat.start,
                compass.end,
                message=f"Adjectives out of order: '{doc.text[nat.start : compass.end]}'; English puts the "
                f"place before the nationality: '{fixed}' (or \"{compass.text} {_country(nat.text)}'s\")",
                suggestions=[fixed],
                evidence={"pattern": "nationality + compass adjective"},
                fix=Fix(f"Write '{fixed}'", (Edit(nat.start, compass.end, fixed),), "unsafe"),
            )


_COMPASS = frozenset(
    "northern southern eastern western north-eastern north-western south-eastern south-western "
    "northeastern northwestern southeastern southwestern".split()
)
_COUNTRIES = {"ukrainian": "Ukraine", "russian": "Russia", "belarusian": "Belarus", "polish": "Poland"}


@lru_cache(maxsize=1)
def _nationalities() -> frozenset[str]:
    return demonyms() - _COMPASS


def _country(demonym: str) -> str:
    return _COUNTRIES.get(demonym.lower(), demonym)


def _gap_is_space(doc: Document, toks) -> bool:
    return all(doc.text[a.end : b.start] in (" ", "\n") for a, b in zip(toks, toks[1:], strict=False))


@lru_cache(maxsize=16384)  # a pure function of the word, asked about the same words often
def _adjective(word: str) -> bool:
    low = word.lower()
    if low in demonyms():
        return True
    cc = closed_classes()
    if low in cc["prepositions"] or low in cc["subordinators"] or low in cc["predeterminers"]:
        return False
    classes = word_classes(word)
    # adjectives only: not verbs ("made the"), not adverbs ("then a", "long")
    return "A" in classes and not set(classes) & {"V", "X", "R"} and word[0].islower()


@lru_cache(maxsize=16384)  # a pure function of the word, asked about the same words often
def _noun(word: str) -> bool:
    if word[0].isupper():
        return True
    if "-" in word:
        return any("N" in word_classes(part) for part in word.split("-"))
    return "N" in word_classes(word)


@lru_cache(maxsize=16384)  # a pure function of the word, asked about the same words often
def _verb_only(word: str) -> bool:
    classes = word_classes(word)
    return bool(classes) and ("V" in classes or "X" in classes) and "N" not in classes and "A" not in classes


def _noun_context(toks: tuple[Token, ...], i: int) -> bool:
    """Whether token i ends a noun phrase (the garbled "conversation" before "Ukrainian the")."""
    word = toks[i].text
    if toks[i].kind != "word":
        return toks[i].text == ","
    cc = closed_classes()
    if word.lower() in cc["prepositions"] | cc["articles"] | cc["degree_words"] | cc["predeterminers"]:
        return False
    classes = word_classes(word)
    if word[0].isupper():
        return True
    if "N" not in classes:
        return False
    if "V" in classes or "X" in classes:  # "talks", "end": a noun only after a determiner
        return i > 0 and toks[i - 1].text.lower() in cc["articles"] | cc["possessives"] | cc["demonstratives"]
    return True


def _fronted_subject(whole: tuple[Token, ...]) -> int | None:
    """Index in `seg` where a fronted subject noun phrase starts, or None if `seg` is not one
    (a clause, an adverbial, an indefinite appositive such as "A former teacher")."""
    cc = closed_classes()
    skip = 0
    while skip < len(whole) and (
        whole[skip].text.lower() in ("and", "but", "or", "so", "yet", "then") or whole[skip].text in _QUOTES
    ):
        skip += 1  # "And for me, he is ...", '"In turn, we ...': not part of the phrase
    seg = whole[skip:]
    if not seg:
        return None
    found = _subject_start(seg, cc)
    return None if found is None else found + skip


def _subject_start(seg: tuple[Token, ...], cc: dict) -> int | None:
    first = seg[0].text.lower()
    if first == "born" or (first.endswith(("ed", "en", "ing")) and "V" in word_classes(first)):
        return None  # a participle clause: "Born in Kharkiv, she ...", "Speaking to reporters, he ..."
    if first in {"a", "an"} | cc["subordinators"] or first in cc["time_nouns"]:
        return None
    if any(t.text.lower() in cc["time_nouns"] for t in seg):
        return None
    if any(_verb_only(t.text) for t in seg) or "R" == word_classes(seg[0].text):
        return None
    preps = [i for i, t in enumerate(seg) if t.text.lower() in cc["prepositions"]]
    if not preps:
        return 0 if any(_noun(t.text) for t in seg if t.kind == "word") else None
    if preps[0] > 0:
        # the phrase opens with a noun phrase ("The mayor of Kharkiv"): the subject, unless the
        # prepositional object is indefinite, as in the appositive "The son of a miner"
        nxt = seg[preps[0] + 1].text.lower() if preps[0] + 1 < len(seg) else ""
        return None if nxt in ("a", "an") else 0
    # it opens with a preposition ("In Kyiv", "At the end of the conversation"): after the last
    # preposition's object (determiner, adjectives, a noun) a further noun phrase is the subject
    i = preps[-1] + 1
    if i < len(seg) and seg[i].text.lower() in _OBJECT_PRONOUNS:
        return None  # "For me", "Like him"
    if i < len(seg) and seg[i].text.lower() in cc["articles"] | cc["possessives"] | cc["demonstratives"]:
        i += 1
    while i < len(seg) and not _noun(seg[i].text):
        i += 1
    while i < len(seg) and seg[i].text.endswith(("'s", "’s")):
        i += 1  # "the capital's center"
    i += 1
    rest = seg[i:]
    return i if rest and any(_noun(t.text) for t in rest if t.kind == "word") else None
