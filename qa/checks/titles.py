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
                  the US Air Force" (it has a Chief of Staff)

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
    report          mismatch, inconsistent or nonexistent
    slack_days      days of tolerance around the start and end of a tenure (default 7)
    narrative_days  days after leaving a post that narrative past may still use it (default 14;
                    0 turns narrative past off)

The evidence names the person's posts with their dates and sources. Fixes are unsafe.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from ..document import Document
from ..finding import Edit, Finding, Fix
from ..titles import Link, Person, Post, Tenure, TitleData, title_links
from ..titles import load as load_titles
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
            "str", "mismatch", "what this rule reports", ("mismatch", "inconsistent", "nonexistent")
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
            yield from self._nonexistent(doc, data)
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
        if person is None:
            return None
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
        if not any(h.casefold() in doc.casefolded for h in _NONEXISTENT_HEADS):
            return  # no head the pattern knows occurs: spare the search
        for m in _nonexistent_regex(data).finditer(doc.text):
            phrase = m.group()
            if data.posts_for_alias(phrase)[0] or not self.reads(doc, m.start()):
                continue
            org_name = m.group("org")
            org = next(
                (
                    o
                    for o, names in data.orgs.items()
                    if any(n.casefold() == org_name.casefold() for n in names)
                ),
                None,
            )
            posts = [p for p in data.posts.values() if p.org == org]
            if not posts:
                continue
            head = _HEAD_EQUIV.get(m.group("head").lower(), m.group("head").lower())
            if any(_HEAD_EQUIV.get(h, h) == head for p in posts for h in p.heads):
                continue
            titles = [p.title for p in posts]
            yield self.finding(
                m.start(),
                m.end(),
                message=f"'{phrase}' names no post of {'the ' if _THE.search(phrase) else ''}{org_name}; "
                f"its posts are: {', '.join(titles)}",
                suggestions=titles[:3],
                evidence={"organization": org_name, "posts": titles},
            )


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


_NX: dict[int, re.Pattern[str]] = {}
_THE = re.compile(r"\bof\s+the\s", re.IGNORECASE)


def _nonexistent_regex(data: TitleData) -> re.Pattern[str]:
    rx = _NX.get(id(data))
    if rx is None:
        names = sorted(
            {n for names in data.orgs.values() for n in names if len(n) > 4}, key=len, reverse=True
        )
        heads = "|".join(_NONEXISTENT_HEADS)
        orgs = "|".join(re.escape(n) for n in names)
        rx = _NX[id(data)] = re.compile(
            # "commander of Ukraine's Air Force" names a post of the Air Force, not of Ukraine:
            # an organization followed by a possessive is not the one the title belongs to
            rf"\b(?P<head>{heads})\s+of\s+(?:the\s+)?(?P<org>{orgs})\b(?!\s*['’ʼ]s?\b)",
            re.IGNORECASE,
        )
    return rx
