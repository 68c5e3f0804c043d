"""Kind `titles`: titles that conflict with who held which post when.

What it flags (the entry's `report` option picks one)
    mismatch      a title the person did not hold at the date the copy speaks of: "General Mark
                  Milley ended his tenure at the head of the US Army" on Sept. 30, 2023 (he
                  retired as Chairman of the Joint Chiefs of Staff; he left the Army post in
                  2019). "Former" and past tense are honoured: "former Army chief Milley" is true.
                  So is narrative past: a past-tense sentence with no date of its own
                  ("Commander-in-Chief Zaluzhnyi visited the front"), in a story dated up to
                  `narrative_days` after the person left the post, tells of their time in it.
    inconsistent  one person given two different posts in one article, where the positions
                  data cannot say which is right (people it does not know)
    nonexistent   a title naming no post the organization has: "Commander-in-Chief of the
                  General Staff" (Ukraine's General Staff has a Chief), "Commander-in-Chief of
                  the US Air Force" (it has a Chief of Staff), "GUR chairman" (the agency has a
                  chief); a real post given to the wrong body ("Chairman of the Joint Chiefs of
                  Staff of the US Army": the Joint Chiefs are joint); a word-for-word rendering
                  that is no English title ("Minister of War", "US Defense Minister", "General
                  Secretary of NATO", "Chairman of the Joint Committee of Chiefs of Staff"); a
                  wrong name for a unit ("Khortitsa Special Operations Command" for the
                  Khortytsia operational-strategic group). Where the title names a person the
                  positions data knows, the finding cites their dated tenure of the real post.
    rank          a military rank the person did not hold at the date, in English or in an
                  untranslated Ukrainian or Russian caption: "генерал-лейтенант Валерій
                  Залужний" in May 2022 (he was made General on 2022-03-05); "then-" and
                  "former" are honoured, and ranks are held for life after retirement

Titles are linked to people through pre-modifiers, appositions, predicates and an unambiguous
"he/she" (qa.titles). A possessive or genitive title is the whole post: "the commander of Ukraine's
Air Force" is the Air Force's commander (the forms are derived from the data's "Commander of the
Air Force of Ukraine"), never a "commander of Ukraine". The date of a claim is a date in its sentence, else the article's, in this
order: `--date`; the page's dateline (a date line or agency dateline among its first lines,
qa.lead); front matter or HTML metadata; the latest date the text mentions; a Word file's own
(modified, else created) date unless it is its template's; or today. Findings give the date used
and where it came from (`article_date`, `date_source` in their evidence; the text report prints
it as "judged at").

Why
    Translated copy renders posts loosely ("head of the US Army" for the Joint Chiefs chairman)
    and keeps calling people by posts they have left; no prose linter knows who held what.

Example
    flags "the head of the US Army" in "On September 30, 2023, General Mark Milley ended his
    tenure at the head of the US Army." and suggests "Chairman of the Joint Chiefs of Staff";
    "Former Army chief Mark Milley spoke" is clean.

Options
    report          mismatch, inconsistent, nonexistent or rank
    slack_days      days of tolerance around the start and end of a tenure (default 7)
    narrative_days  days after leaving a post that narrative past may still use it (default 14;
                    0 turns narrative past off)

The evidence names the person's posts (or ranks) with their dates and sources. Fixes are unsafe.
Posts, their word-for-word renderings and wrong unit names are in rules/data/posts.yaml, ranks
in rules/data/ranks.yaml, who held which post and rank when in rules/data/positions/.
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_right
from collections.abc import Iterator
from functools import lru_cache

from ..document import Document
from ..kb import fold
from ..segment import ANCHOR_WORDS
from ..finding import Edit, Finding, Fix
from ..titles import (
    Link,
    Person,
    Post,
    Tenure,
    TitleData,
    _norm,
    article_date,
    sentence_dates,
    title_links,
    title_phrases,
)
from ..titles import load as load_titles
from ..titles import ranks as load_ranks
from .base import Check, Environment, Option, RuleSpec

_HEAD_EQUIV = {
    "commander-in-chief": "commander",
    "chief of staff": "chief",
    "chairman": "chair",
    "head": "head",
}
_NONEXISTENT_HEADS = ("Commander-in-Chief", "Commander", "Chairman", "Chair")


class TitlesCheck(Check):
    OPTIONS = {
        "report": Option(
            "str", "mismatch", "what this rule reports", ("mismatch", "inconsistent", "nonexistent", "rank")
        ),
        "slack_days": Option("int", 7, "days of tolerance around a tenure's start and end", bounds=(0, 3650)),
        "narrative_days": Option(
            "int",
            14,
            "how long after leaving a post a past-tense sentence with no date may still call a person by it",
            bounds=(0, 3650),
        ),
    }

    def __init__(self, spec: RuleSpec, env: Environment | None = None) -> None:
        super().__init__(spec, env)
        self.report = spec.options["report"]

    @property
    def data(self) -> TitleData:
        return load_titles(self.env.knowledge)

    def prepare(self) -> None:
        _ = self.data, self.env.kb  # loaded on first access

    def check(self, doc: Document) -> Iterator[Finding]:
        data = self.data
        if self.report == "nonexistent":
            yield from sorted(self._nonexistent(doc, data), key=lambda f: (f.start, f.end))
            return
        if self.report == "rank":
            yield from self._rank(doc, data)
            return
        links, dated = title_links(doc, data, self.env.kb, self.env.date)
        if self.report == "mismatch":
            for link in links:
                if self.reads(doc, link.start):
                    day, source = dated  # type: ignore[misc] # set whenever there is a link
                    finding = self._mismatch(doc, data, link, day, source)
                    if finding is not None:
                        yield finding
        else:
            yield from self._inconsistent(doc, links)

    # -- mismatch ---------------------------------------------------------------------------
    def _mismatch(
        self, doc: Document, data: TitleData, link: Link, day: dt.date, source: str
    ) -> Finding | None:
        person = link.person
        if person is None or link.literal:
            return None  # a word-for-word title is titles.nonexistent's, with the tenure cited there
        slack = self.options["slack_days"]
        tenures = [t for t in person.tenures if t.post in {p.id for p in link.posts}]
        if link.generic and not tenures:
            return None  # "Defense Minister X" for someone of another country: not ours to judge
        if _holds(tenures, link, slack, self.options["narrative_days"]) or not _judgeable(person, tenures, link):
            return None
        right = _right_posts(person, link, slack, data)
        claimed = link.posts[0]
        said = {
            "current": f"holding the post of {claimed.title}",
            "former": f"a former {claimed.title}",
            "ended": f"leaving the post of {claimed.title}",
        }[link.claim]
        fact = _fact(person, tenures, right, link)
        message = f"Title does not fit the date: the copy has {person.name} {said}, but {fact}"
        suggestions = [p.title for p in right]
        return self.finding(
            link.start,
            link.end,
            message=message,
            suggestions=suggestions,
            evidence={
                "person": person.name,
                "claim": link.claim,
                "claimed_post": claimed.title,
                "date": link.on.isoformat(),
                "article_date": day.isoformat(),
                "date_source": source,
                "positions": [t.as_dict(data.posts) for t in person.tenures],
                "positions_checked_until": person.as_of.isoformat(),
            },
            fix=Fix(f"Write '{suggestions[0]}'", (Edit(link.start, link.end, suggestions[0]),), "unsafe")
            if suggestions
            else None,
        )

    # -- inconsistent -------------------------------------------------------------------------
    def _inconsistent(self, doc: Document, links: list[Link]) -> Iterator[Finding]:
        first: dict[str, Link] = {}
        for link in links:
            if (
                link.person is not None
                or link.claim == "former"
                or link.generic
                or not self.reads(doc, link.start)
            ):
                continue
            earlier = first.setdefault(link.person_key, link)
            if earlier is link or {p.id for p in earlier.posts} & {p.id for p in link.posts}:
                continue
            name = doc.text[link.start : link.end]
            yield self.finding(
                link.start,
                link.end,
                message=f"The same person is called {earlier.posts[0].title} earlier in the article and "
                f"{link.posts[0].title} here",
                suggestions=[earlier.posts[0].title],
                evidence={
                    "earlier_title": earlier.posts[0].title,
                    "this_title": link.posts[0].title,
                    "person": link.person_key,
                    "written": name,
                },
            )

    # -- nonexistent --------------------------------------------------------------------------
    def _nonexistent(self, doc: Document, data: TitleData) -> Iterator[Finding]:
        taken: list[tuple[int, int]] = []  # one finding per title: the first way that explains it
        for finding in (
            *self._no_such_head(doc, data),
            *self._literal_or_wrong_body(doc, data),
            *self._misnamed_units(doc, data),
        ):
            if not any(s < finding.end and finding.start < e for s, e in taken):
                taken.append((finding.start, finding.end))
                yield finding

    def _no_such_head(self, doc: Document, data: TitleData) -> Iterator[Finding]:
        """'Commander-in-Chief of the General Staff', 'GUR chairman': a head the body has not."""
        folded = doc.casefolded
        if len(folded) != len(doc.text):
            folded = doc.text  # casefolding moved the offsets ("ß"): look for the heads as written
        # searched only near a head word, found at C speed: "Chairman of X" just after one, "X
        # chairman" just before (an alternation of heads or bodies is tried at every character)
        of_form = _around(_nonexistent_regex(data), doc.text, _HEAD_ANCHORS, 0, 200, folded)
        pre = _around(_pre_head_regex(data), doc.text, _PRE_HEADS, 40, 20)
        for matches in (of_form, pre):
            for m in matches:
                phrase = m.group()
                if data.posts_for_alias(phrase)[0] or not self.reads(doc, m.start()):
                    continue
                org_name = m.group("org")
                org = _org_named(data, org_name)
                posts = [p for p in data.posts.values() if p.org == org]
                if not posts:
                    continue
                head = _HEAD_EQUIV.get(m.group("head").lower(), m.group("head").lower())
                if any(_HEAD_EQUIV.get(h, h) == head for p in posts for h in p.heads):
                    continue
                titles = [p.title for p in posts]
                the = "the " if _THE.search(phrase) or org_name.lower().startswith(("us ", "u.s. ")) else ""
                yield self.finding(
                    m.start(),
                    m.end(),
                    message=f"'{phrase}' names no post of {the}{org_name}; its posts are: {', '.join(titles)}",
                    suggestions=titles[:3],
                    evidence={"organization": org_name, "posts": titles},
                )

    def _literal_or_wrong_body(self, doc: Document, data: TitleData) -> Iterator[Finding]:
        """'Minister of War' (a word-for-word title) and 'Chairman of the Joint Chiefs of Staff
        of the US Army' (a post given to a part of the body it belongs to)."""
        text = doc.text
        links = None
        for m in title_phrases(doc, data):
            phrase = m.group()
            literal = data.is_literal(phrase)
            wrong = None if literal else _of_org_after(data).match(text, m.end())
            posts, _generic = data.posts_for_alias(phrase)
            if not posts or not (literal or wrong) or not self.reads(doc, m.start()):
                continue
            if wrong is not None:
                body = _org_named(data, wrong.group("org"))
                post = posts[0]
                if body is None or not data.part_of(body, post.org):
                    continue  # "Secretary of Defense of the United States": the country, not a part
            if links is None:
                links = title_links(doc, data, self.env.kb, self.env.date)[0]
            link = next((k for k in links if k.start <= m.start() < k.end), None)
            tenure, evidence = _tenure_note(data, link, posts)
            titles = [p.title for p in posts]
            if literal:
                start, end = m.span()
                message = (
                    f"'{phrase}' is a word-for-word rendering, not an English title: "
                    f"the post is {' or '.join(titles)}{tenure}"
                )
                evidence = {"rendering": phrase, "posts": titles, **evidence}
            else:
                start, end = m.start(), wrong.end()  # type: ignore[union-attr]
                whole = data.orgs[posts[0].org][0]
                part = wrong.group("org")  # type: ignore[union-attr]
                message = (
                    f"'{text[start:end]}' names no post: the {titles[0]} is a post of the {whole}, "
                    f"not of the {part}{tenure}"
                )
                evidence = {"post": titles[0], "organization": whole, "written_organization": part, **evidence}
            yield self.finding(
                start,
                end,
                message=message,
                suggestions=titles[:3],
                evidence=evidence,
                fix=Fix(f"Write '{titles[0]}'", (Edit(start, end, titles[0]),), "unsafe") if len(titles) == 1 else None,
            )

    def _misnamed_units(self, doc: Document, data: TitleData) -> Iterator[Finding]:
        """'Khortitsa Special Operations Command': a unit given a body's name it does not have."""
        rx = _misnomer_regex(data)
        text = doc.text
        if rx is None or len(doc.casefolded) != len(text):
            return
        # near the name each wrong form holds ("khortitsa", "tavria"): rare words, so most
        # texts are passed over with a few searches
        for m in _around(rx, text, _misnomer_keys(data), 50, 50, doc.casefolded):
            wrong = data.misnomers.get(_norm(m.group()))
            if wrong is None or not self.reads(doc, m.start()):
                continue
            yield self.finding(
                m.start(),
                m.end(),
                message=f"'{m.group()}' names no such unit: {wrong.note}; the English name is {wrong.name}",
                suggestions=[wrong.name],
                evidence={"unit": wrong.name, "source": wrong.source},
                fix=Fix(f"Write '{wrong.name}'", (Edit(m.start(), m.end(), wrong.name),), "unsafe"),
            )

    # -- rank -----------------------------------------------------------------------------
    def _rank(self, doc: Document, data: TitleData) -> Iterator[Finding]:
        text = doc.text
        slack = self.options["slack_days"]
        dated: list[tuple[dt.date, str]] = []
        starts: list[int] = []
        ranked = _ranked_people(data, self.env.kb)  # surname forms of people with rank data
        seg = doc.segmentation
        tokens, rank_before = seg.tokens, _rank_before_regex()
        # from the few mentions of people with ranks back to a rank just before the name (a
        # search for every rank word would find "General Staff" in nearly every article)
        for i in seg.words_positions(ranked.keys()):
            tok = tokens[i]
            lo = max(0, tok.start - 60)
            # a rank word in the stretch before the name, found at C speed, or no search at all
            near = [at for w in _RANK_WORDS if (at := text.find(w, lo, tok.start)) >= 0]
            if not near:
                continue
            m = rank_before.search(text, max(lo, min(near) - 25), tok.start)
            if m is None or _THEN.search(text, max(0, m.start() - 12), m.start()) or not self.reads(doc, m.start()):
                continue
            person = ranked[fold(tok.text)]
            if not dated:
                dated.append(article_date(doc, self.env.date))
            day, source = dated[0]
            if not starts:
                starts.extend(s.start for s in doc.sentences)
            sentence = doc.sentences[max(0, bisect_right(starts, m.start()) - 1)]
            dates = sentence_dates(doc, sentence.start, sentence.end, day.year)
            on = dates[-1] if dates else day  # the sentence's date, else the article's
            claimed = _rank_of_form(m.group("rank"))
            held = [r for r in person.ranks if r.covers(on, slack)]
            if claimed is None or not held or any(r.rank == claimed for r in held):
                continue
            if on > person.as_of and held[-1].end is None and not any(
                r.rank == claimed and r.end is not None for r in person.ranks
            ):
                continue  # after the data's date an open rank may have changed: judge only a rank left
            now = held[-1]
            cyrillic = not m.group("rank")[0].isascii()
            right = _rank_form(now.rank, cyrillic, m.group("rank"))
            yield self.finding(
                m.start("rank"),
                m.end("rank"),
                message=f"Rank does not fit the date: the copy has {person.name} as "
                f"{_rank_name(claimed)} on {on.isoformat()}, but {person.name} was {_rank_name(now.rank)} "
                f"from {now.start.text}",
                suggestions=[right],
                evidence={
                    "person": person.name,
                    "claimed_rank": _rank_name(claimed),
                    "date": on.isoformat(),
                    "article_date": day.isoformat(),
                    "date_source": source,
                    "ranks": [
                        {"rank": _rank_name(r.rank), "start": r.start.text, "end": r.end.text if r.end else None,
                         "source": r.source}
                        for r in person.ranks
                    ],
                },
                fix=Fix(f"Write '{right}'", (Edit(m.start("rank"), m.end("rank"), right),), "unsafe"),
            )


def _tenure_note(data: TitleData, link: Link | None, posts: tuple[Post, ...]) -> tuple[str, dict]:
    """'; Mark Milley held it from 2019-10-01 to 2023-09-30', and the evidence for it."""
    if link is None or link.person is None:
        return "", {}
    person = link.person
    ids = {p.id for p in posts}
    held = [t for t in person.tenures if t.post in ids]
    evidence = {
        "person": person.name,
        "date": link.on.isoformat(),
        "positions": [t.as_dict(data.posts) for t in person.tenures],
        "positions_checked_until": person.as_of.isoformat(),
    }
    if not held:
        return f"; the positions data has no record of {person.name} in it", evidence
    t = next((t for t in held if t.covers(link.on)), held[-1])
    until = f"to {t.end.text}" if t.end else "on"
    note = f"; {person.name} held it from {t.start.text} {until}"
    if not t.covers(link.on, 7) and link.claim == "current":
        note += f", not on {link.on.isoformat()}"
    return note, evidence


def _org_named(data: TitleData, name: str) -> str | None:
    folded = name.casefold()
    return next((o for o, names in data.orgs.items() if any(n.casefold() == folded for n in names)), None)


def _fact(person: Person, tenures: list[Tenure], right: list[Post], link: Link) -> str:
    """What the positions data says instead, in words."""
    day = link.on.isoformat()
    if link.claim == "ended" and right:
        return f"the post {person.name} left around {day} was {right[0].title}"
    if right:
        return f"on {day} {person.name} was {right[0].title}"
    if tenures and all(t.end is not None and t.end.hi < link.on for t in tenures):
        return f"{person.name} left that post on {tenures[-1].end.text} and held none listed on {day}"  # type: ignore[union-attr]
    if tenures and all(t.start.lo > link.on for t in tenures):
        return f"{person.name} took that post only on {tenures[0].start.text}"
    return f"the positions data has no record of {person.name} in that post by {day}"


def _holds(tenures: list[Tenure], link: Link, slack: int, narrative_days: int = 0) -> bool:
    day = link.on
    if link.claim == "current" and link.narrative:
        # narrative past: the post held at some time in the `narrative_days` before the date
        since = day - dt.timedelta(days=narrative_days)
        return any(
            t.start.lo <= day + dt.timedelta(days=slack) and (t.end is None or t.end.hi >= since) for t in tenures
        )
    if link.claim == "current":
        return any(t.covers(day, slack) for t in tenures)
    if link.claim == "former":
        return any(t.start.lo <= day + dt.timedelta(days=slack) for t in tenures)
    # ended: a tenure of the post ends within a month of the date
    return any(t.end is not None and abs((t.end.lo - day).days) <= max(slack, 31) for t in tenures)


def _judgeable(person: Person, tenures: list[Tenure], link: Link) -> bool:
    """After the data's `as_of` date, open tenures may have ended: judge only what is settled."""
    if link.on <= person.as_of:
        return True
    if link.claim == "current":
        return not any(t.end is None for t in person.tenures)  # someone may have moved on
    return True


def _right_posts(person: Person, link: Link, slack: int, data: TitleData) -> list[Post]:
    day = link.on
    if link.claim == "ended":
        ended = [t for t in person.tenures if t.end is not None and abs((t.end.lo - day).days) <= 31]
        return [data.posts[t.post] for t in ended]
    if link.claim == "current":
        return [data.posts[t.post] for t in person.tenures if t.covers(day, slack)]
    return [data.posts[t.post] for t in person.tenures if t.start.lo <= day]


_THE = re.compile(r"\bof\s+the\s", re.IGNORECASE)
_GOVERNMENTS = ("-government",)

# The patterns below are built from the posts data once per data set (TitleData hashes by
# identity, as the caches of qa.titles use it).


@lru_cache(maxsize=8)
def _nonexistent_regex(data: TitleData) -> re.Pattern[str]:
    names = sorted({n for names in data.orgs.values() for n in names if len(n) > 4}, key=len, reverse=True)
    heads = "|".join(_NONEXISTENT_HEADS)
    orgs = "|".join(re.escape(n) for n in names)
    return re.compile(
        # "commander of Ukraine's Air Force" names a post of the Air Force, not of Ukraine:
        # an organization followed by a possessive is not the one the title belongs to
        rf"\b(?P<head>{heads})\s+of\s+(?:the\s+)?(?P<org>{orgs})\b(?!\s*['’ʼ]s?\b)",
        re.IGNORECASE,
    )


@lru_cache(maxsize=8)
def _pre_head_regex(data: TitleData) -> re.Pattern[str]:
    """'GUR chairman': a body's name before a head it does not have (governments and countries
    excepted: "the Ukrainian chairman of the committee" is a person, not a post)."""
    names = sorted(
        {n for o, names in data.orgs.items() if not o.endswith(_GOVERNMENTS) for n in names if n.upper() == n or len(n) > 4},
        key=len,
        reverse=True,
    )
    orgs = "|".join(re.escape(n) for n in names)
    return re.compile(rf"(?<![\w-])(?P<org>{orgs})\s+(?P<head>chairman|chairwoman|chair|commander-in-chief)\b")


@lru_cache(maxsize=8)
def _of_org_after(data: TitleData) -> re.Pattern[str]:
    """' of the US Army' after a title: the body a title is said to be of."""
    names = sorted({n for names in data.orgs.values() for n in names}, key=len, reverse=True)
    orgs = "|".join(re.escape(n) for n in names)
    return re.compile(rf"\s+of\s+(?:the\s+)?(?P<org>{orgs})\b(?!\s*['’ʼ]s?\b)")


@lru_cache(maxsize=8)
def _misnomer_keys(data: TitleData) -> tuple[str, ...]:
    """The name word of each wrong unit name ("khortitsa"): its longest word no English
    dictionary has, casefolded (the longest word, when all are English)."""
    from ..lexicon import english_words

    common = english_words()
    found = set()
    for form in data.misnomers:
        words = form.split()
        rare = [w for w in words if w.casefold() not in common] or words
        found.add(max(rare, key=len).casefold())
    return tuple(sorted(found))


@lru_cache(maxsize=8)
def _misnomer_regex(data: TitleData) -> re.Pattern[str] | None:
    forms = sorted(data.misnomers, key=len, reverse=True)
    body = "|".join(r"\s+".join(re.escape(w) for w in f.split()) for f in forms)
    return re.compile(rf"(?<![\w-])(?:{body})(?![\w-])", re.IGNORECASE) if forms else None


# -- ranks ----------------------------------------------------------------------------------

_THEN = re.compile(r"(?:\bthen[-\s]|\bformer\s|\bex-|\bretired\s)$", re.IGNORECASE)
_PRE_HEADS = ("chairman", "chairwoman", "chair", "commander-in-chief")
_HEAD_ANCHORS = ("commander", "chair")  # casefolded: every head _nonexistent_regex knows holds one


def _around(
    rx: re.Pattern[str],
    text: str,
    anchors: tuple[str, ...],
    before: int,
    after: int,
    haystack: str | None = None,
) -> Iterator[re.Match[str]]:
    """Matches of `rx` near the anchor words (a literal every match holds), searched only in
    windows around them: str.find runs at C speed where an alternation tries every character.
    The anchors are looked for in `haystack` (the casefolded text, same offsets) if given.
    Lookbehinds see the text before a window; matches found twice are given once."""
    windows: list[list[int]] = []
    hay = text if haystack is None else haystack
    for word in anchors:
        i = hay.find(word)
        while i >= 0:
            windows.append([max(0, i - before), min(len(text), i + len(word) + after)])
            i = hay.find(word, i + 1)
    if not windows:
        return
    windows.sort()
    merged = [windows[0]]
    for lo, hi in windows[1:]:
        if lo <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], hi)
        else:
            merged.append([lo, hi])
    last = -1
    for lo, hi in merged:
        for m in rx.finditer(text, lo, hi):
            if m.start() >= last:
                last = m.end()
                yield m


@lru_cache(maxsize=1)
def _rank_before_regex() -> re.Pattern[str]:
    """A rank, then up to two words of the name, ending where the surname starts: "Lieutenant
    General Valerii |Zaluzhnyi", "Gen. Mark A. |Milley", "генерал-лейтенант Валерій |Залужний";
    on one line (a rank at the end of the line before is not this name's)."""
    forms = sorted({f for row in load_ranks().values() for lang in row.values() for f in lang}, key=len, reverse=True)
    en = "|".join(re.escape(f) for f in forms if f.isascii())
    cy = "|".join(re.escape(f) for f in forms if not f.isascii())
    # English forms with their capitals (a lower-case "general" is a word); Cyrillic in any case
    return re.compile(
        rf"(?<![\w-])(?P<rank>(?:{en})|(?i:{cy}))[ \u00a0]+(?:[A-ZА-ЯІЇЄҐ][\w'’-]*\.?[ \u00a0]+){{0,2}}$"
    )


@lru_cache(maxsize=256)
def _rank_of_form(form: str) -> str | None:
    low = form.casefold()
    for rid, row in load_ranks().items():
        if any(f.casefold() == low for lang in row.values() for f in lang):
            return rid
    return None


def _rank_name(rid: str) -> str:
    return load_ranks()[rid]["en"][0]


def _rank_form(rid: str, cyrillic: bool, written: str) -> str:
    row = load_ranks()[rid]
    if cyrillic:
        forms = row["uk"] or row["ru"] or row["en"]
        form = forms[0]
        return form.capitalize() if written[0].isupper() else form
    return row["en"][0]


# every form in rules/data/ranks.yaml holds one of these (checked by a test)
_RANK_WORDS = ("Gen", "Col", "Adm", "генерал", "Генерал", "полковник", "Полковник", "адмірал", "адмирал", "Адмірал", "Адмирал")


@lru_cache(maxsize=8)
def _ranked_people(data: TitleData, kb) -> dict[str, Person]:
    """Folded surname forms (as copy spells them, and the Cyrillic of an untranslated caption)
    -> the person, for the people the positions data gives ranks; a form two of them share is
    left out."""
    forms: dict[str, set[str]] = {}
    entities = {e.name: e for e in kb.entities} if kb is not None else {}
    for person in data.people:
        if not person.ranks:
            continue
        names = {person.key}
        e = entities.get(person.name)
        if e is not None:
            names.update(e.key_variants)
            names.update(t.split()[-1] for t in (e.cyrillic, e.ru) if t)
        for n in names:
            forms.setdefault(fold(n), set()).add(person.name)
    by_name = data.by_name
    ranked = {f: by_name[next(iter(ns))] for f, ns in forms.items() if len(ns) == 1}
    ANCHOR_WORDS.update(ranked)  # found with the other anchor words, in one pass
    return ranked
