"""Posts, who held them when, and the title–person links in a Document.

Data: rules/data/posts.yaml (posts, their aliases, organizations) and rules/data/positions/
(people with dated positions and a source each; `as_of` says until when open tenures were
checked). A content repo adds files with the config key `knowledge` (files with `people:` or
`posts:` are read here, files with `entities:` by qa.kb).

Links (`title_links(doc)`) come from four constructions:
    pre-modifier   "Defense Minister Rustem Umerov", "Former Chairman of the Joint Chiefs of
                   Staff of the United States, General Mark Milley"
    apposition     "Mark Milley, the chairman of the Joint Chiefs of Staff"
    predicate      "Milley ended his tenure at the head of the US Army", "Milley as Chairman",
                   "Milley was Army chief"
    pronoun        "He was the head of the US Army" when one person only is named before it
                   in the paragraph
Each link has a claim: `current` (holds the post at the date), `former` (held it before), or
`ended` (left it at the date).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from bisect import bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from .document import Document
from .lead import dateline
from .kb import fold
from .resources import rules_dir
from .segment import ANCHOR_WORDS, Sentence
from .yamlio import PackError, expand, load_fast, with_lines_on_error

# -- dates ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Span:
    """A date known to a day, a month or a year: the range of days it may be."""

    lo: dt.date
    hi: dt.date
    text: str

    @classmethod
    def parse(cls, value: object) -> Span | None:
        if value is None:
            return None
        if isinstance(value, dt.datetime):
            value = value.date()
        if isinstance(value, dt.date):
            return cls(value, value, value.isoformat())
        text = str(value).strip()
        m = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:[T ].*)?", text)
        if not m:
            raise ValueError(f"not a date: {text!r} (use YYYY, YYYY-MM or YYYY-MM-DD)")
        y, mo, d = int(m.group(1)), m.group(2), m.group(3)
        if d:
            day = dt.date(y, int(mo), int(d))
            return cls(day, day, text[:10])
        if mo:
            last = calendar.monthrange(y, int(mo))[1]
            return cls(dt.date(y, int(mo), 1), dt.date(y, int(mo), last), text[:7])
        return cls(dt.date(y, 1, 1), dt.date(y, 12, 31), text[:4])


_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
_MONTHS["sept"] = 9
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DATES = [
    re.compile(rf"\b{_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(?P<year>(?:19|20)\d\d))?\b", re.I),
    re.compile(rf"\b(?P<day>\d{{1,2}})\s+{_MONTH}(?:\s+(?P<year>(?:19|20)\d\d))?\b", re.I),
    re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<mnum>\d\d)-(?P<day>\d\d)\b"),
]


_DIGIT = re.compile(r"\d")
# "Month day" found from the number back: one pattern of 25 month names tried at every word is
# four times slower than finding the few numbers after a space and looking just before them.
_ISO = re.compile(r"(?P<year>(?:19|20)\d\d)-(?P<mnum>\d\d)-(?P<day>\d\d)\b")
_WORD_CHAR = re.compile(r"\w")
_DIGIT_SPACE = re.compile(r"\d\s")
_NUMBER_AFTER_SPACE = re.compile(r"(?<=\s)\d")
_MONTH_BEFORE = re.compile(rf"\b{_MONTH}$", re.I)


def dates_in(
    text: str,
    start: int = 0,
    end: int | None = None,
    default_year: int | None = None,
    months: bool = True,
) -> list[dt.date]:
    """Dates written in text[start:end]; a date without a year takes `default_year`.
    `months=False` says the caller knows no month is named there: only ISO dates are looked for."""
    end = len(text) if end is None else end
    out: list[dt.date] = []
    if not _DIGIT.search(text, start, end):
        return out  # every date form has digits
    named = (_month_day(text, start, end), _day_month(text, start, end)) if months else ()
    for matches in (*named, _iso_dates(text, start, end)):
        for m in matches:
            g = m.groupdict()
            month = int(g["mnum"]) if g.get("mnum") else _MONTHS[g["month"].lower().rstrip(".")]
            year = int(g["year"]) if g.get("year") else default_year
            if year is None:
                continue
            try:
                out.append(dt.date(year, month, int(g["day"])))
            except ValueError:
                continue
    return out


def _day_month(text: str, start: int, end: int) -> Iterator[re.Match[str]]:
    """The matches of _DATES[1] in text[start:end], tried only where a number meets a space."""
    pos = start
    for c in _DIGIT_SPACE.finditer(text, start, end):
        d = c.start()
        while d > start and c.start() - d < 2 and text[d - 1].isdigit():
            d -= 1  # the start of a one- or two-digit day (a longer number fails the pattern)
        if d < pos:
            continue
        m = _DATES[1].match(text, d, end)
        if m:
            pos = m.end()
            yield m


def _iso_dates(text: str, start: int, end: int) -> Iterator[re.Match[str]]:
    """The matches of _DATES[2] in text[start:end]: the pattern without its leading \\b starts
    with a digit, which the regex engine scans for quickly; the boundary is tested after."""
    for m in _ISO.finditer(text, start, end):
        if not (m.start() and _WORD_CHAR.match(text, m.start() - 1)):
            yield m


def _month_day(text: str, start: int, end: int) -> Iterator[re.Match[str]]:
    """The matches of _DATES[0] in text[start:end], as finditer would give them."""
    for number in _NUMBER_AFTER_SPACE.finditer(text, start, end):
        q = number.start()
        while q > start and text[q - 1].isspace():
            q -= 1
        month = _MONTH_BEFORE.search(text, max(start, q - 12), q)
        if month:
            m = _DATES[0].match(text, month.start(), end)
            if m:
                yield m


_MONTH_WORDS = frozenset(_MONTHS)


def _names_months(doc: Document) -> bool:
    """Whether any word of the document is a month name (or "may")."""
    return not _MONTH_WORDS.isdisjoint(doc.segmentation.folded_words)


def article_date(doc: Document, override: str | None = None) -> tuple[dt.date, str]:
    """The date the article speaks at, and where it came from, in this order: `--date`; the
    page's dateline (a date line or agency dateline at the top); front matter or HTML metadata;
    the latest date the text names; a Word file's own date (the reader keeps it only when it is
    not its template's); today. Found once per document (titles and ranks both ask)."""
    if override:
        return Span.parse(override).lo, "--date"  # type: ignore[union-attr]
    key = ("titles.article_date",)
    if key not in doc.cache:
        doc.cache[key] = _article_date(doc)
    return doc.cache[key]


def _article_date(doc: Document) -> tuple[dt.date, str]:
    top = dateline(doc)
    if top is not None:
        return top[0], f"dateline, line {_line(doc, top[1])}"
    if doc.meta.get("date"):
        try:
            day = Span.parse(doc.meta["date"]).lo  # type: ignore[union-attr]
        except ValueError:
            day = None
        if day is not None:
            return day, "HTML metadata" if doc.format == "html" else "front matter"
    # no date stated for the article: the latest it mentions is the nearest guess
    full = dates_in(doc.text, months=_names_months(doc))
    if full:
        return max(full), "latest date in the text"
    if doc.meta.get("document_date"):  # a Word file's own date: weaker than any in its text
        return doc.meta["document_date"], "document properties"
    return dt.date.today(), "today"


def sentence_dates(doc: Document, start: int, end: int, year: int) -> list[dt.date]:
    """The dates written in text[start:end] (a sentence), found once per document and year for
    every titles rule."""
    cache = doc.cache.setdefault("titles.sentence_dates", {})
    key = (start, end, year)
    if key not in cache:
        cache[key] = dates_in(doc.text, start, end, default_year=year, months=_names_months(doc))
    return cache[key]


def _line(doc: Document, offset: int) -> int:
    return doc.line_index.locate(doc.source_start(offset))[0]


# -- posts and positions ----------------------------------------------------------------------


@dataclass(frozen=True)
class Post:
    id: str
    title: str
    org: str
    heads: tuple[str, ...]
    aliases: tuple[str, ...]
    generic: tuple[str, ...] = ()  # aliases that do not name the country ("Defense Minister")
    # word-for-word renderings that are no English title ("Minister of War", "US Defense
    # Minister"): linked like aliases, reported by titles.nonexistent with the real title
    literal: tuple[str, ...] = ()
    source: str | None = None  # where the post's English title is documented


@dataclass(frozen=True)
class Tenure:
    post: str
    start: Span
    end: Span | None  # None: open (as far as the data knows)
    source: str

    def covers(self, day: dt.date, slack: int = 0) -> bool:
        lo = self.start.lo - dt.timedelta(days=slack)
        hi = (self.end.hi if self.end else dt.date.max - dt.timedelta(days=slack)) + dt.timedelta(days=slack)
        return lo <= day <= hi

    def as_dict(self, posts: dict[str, Post]) -> dict:
        return {
            "title": posts[self.post].title,
            "start": self.start.text,
            "end": self.end.text if self.end else None,
            "source": self.source,
        }


@dataclass(frozen=True)
class Person:
    name: str
    key: str  # the surname, as copy uses it alone
    tenures: tuple[Tenure, ...]
    as_of: dt.date
    origin: str
    ranks: tuple[Rank, ...] = ()


@dataclass(frozen=True)
class Misnomer:
    """A wrong name for a unit or body that copy uses in titles ("Khortitsa Special Operations
    Command" for the Khortytsia operational-strategic group)."""

    org: str
    name: str  # the right English name
    note: str
    source: str


@dataclass(frozen=True)
class Rank:
    """A military rank a person held from `start` to `end`."""

    rank: str  # a rank id of rules/data/ranks.yaml
    start: Span
    end: Span | None
    source: str

    def covers(self, day: dt.date, slack: int = 0) -> bool:
        lo = self.start.lo - dt.timedelta(days=slack)
        hi = (self.end.hi if self.end else dt.date.max - dt.timedelta(days=slack)) + dt.timedelta(days=slack)
        return lo <= day <= hi


@dataclass(frozen=True, eq=False)
class TitleData:
    posts: dict[str, Post]
    orgs: dict[str, tuple[str, ...]]  # org id -> names
    people: tuple[Person, ...]
    misnomers: dict[str, Misnomer] = field(default_factory=dict)  # phrase as written -> misnomer
    parents: dict[str, str] = field(default_factory=dict)  # org id -> the org it is part of

    def part_of(self, org: str, whole: str) -> bool:
        """Whether `org` is a proper part of `whole` ("US Army" of the US Armed Forces)."""
        seen = set()
        while org in self.parents and org not in seen:
            seen.add(org)
            org = self.parents[org]
            if org == whole:
                return True
        return False

    @property
    def by_key(self) -> dict[str, tuple[Person, ...]]:
        return _by_key(self)

    @property
    def alias_first_words(self) -> frozenset[str]:
        """Lower-cased first words of every alias: the only places a title can start."""
        return _first_words(self)

    @property
    def by_name(self) -> dict[str, Person]:
        return _by_name(self)

    def is_literal(self, phrase: str) -> bool:
        """Whether a title phrase is a word-for-word rendering, no English title."""
        return _norm(phrase) in _literal_index(self)

    def posts_for_alias(self, phrase: str) -> tuple[tuple[Post, ...], bool]:
        """The posts a phrase names, and whether the phrase is generic (names no country)."""
        key = _norm(phrase)
        exact = _alias_index(self).get(key)
        if exact is not None:
            return (exact,), False
        return _generic_index(self).get(key, ()), True


def _norm(phrase: str) -> str:
    return " ".join(fold(phrase).replace("’", "'").split())


@lru_cache(maxsize=8)
def _by_key(data: TitleData) -> dict[str, tuple[Person, ...]]:
    out: dict[str, list[Person]] = {}
    for p in data.people:
        out.setdefault(fold(p.key), []).append(p)
    return {k: tuple(v) for k, v in out.items()}


@lru_cache(maxsize=8)
def _first_words(data: TitleData) -> frozenset[str]:
    return frozenset(
        fold(a.split()[0]) for post in data.posts.values() for a in (post.title, *post.aliases, *post.generic)
    )


@lru_cache(maxsize=8)
def _by_name(data: TitleData) -> dict[str, Person]:
    return {p.name: p for p in data.people}


@lru_cache(maxsize=8)
def _alias_index(data: TitleData) -> dict[str, Post]:
    return {_norm(a): post for post in data.posts.values() for a in (post.title, *post.aliases)}


@lru_cache(maxsize=8)
def _literal_index(data: TitleData) -> frozenset[str]:
    return frozenset(_norm(a) for post in data.posts.values() for a in post.literal)


@lru_cache(maxsize=8)
def _generic_index(data: TitleData) -> dict[str, tuple[Post, ...]]:
    out: dict[str, list[Post]] = {}
    for post in data.posts.values():
        for a in post.generic:
            out.setdefault(_norm(a), []).append(post)
    return {k: tuple(v) for k, v in out.items()}


@lru_cache(maxsize=2048)
def _regex_for(data: TitleData, first_word: str) -> re.Pattern[str]:
    return _phrases_regex(
        {
            a
            for post in data.posts.values()
            for a in (post.title, *post.aliases, *post.generic)
            if fold(a.split()[0]) == first_word
        }
    )


def _phrases_regex(phrase_set: set[str]) -> re.Pattern[str]:
    phrases = sorted(phrase_set, key=len, reverse=True)
    body = "|".join(r"\s+".join(re.escape(w) for w in p.split()) for p in phrases)
    return re.compile(rf"(?<![\w-])(?:{body})(?![\w-])", re.IGNORECASE)


def _posts(path: Path, data: object) -> tuple[dict[str, Post], dict[str, tuple[str, ...]], dict[str, str]]:
    """Posts, organization names and organization parents of a posts file."""
    name = str(path)
    if not isinstance(data, dict):
        raise PackError(name, None, "expected a mapping with 'posts:' and 'organizations:'")
    orgs = {}
    parents: dict[str, str] = {}
    for org in data.get("organizations", []):
        line = getattr(org, "line", None)
        if (
            not isinstance(org, dict)
            or not isinstance(org.get("id"), str)
            or not isinstance(org.get("names"), list)
        ):
            raise PackError(name, line, "an organization needs 'id' and a list of 'names'")
        unknown = set(org) - {"id", "names", "title", "misnamed", "note", "source", "parent"}
        if unknown:
            raise PackError(
                name,
                line,
                f"unknown field {sorted(unknown)[0]!r} (allowed: id, names, parent, title, misnamed, note, source)",
            )
        if "parent" in org:
            parents[org["id"]] = str(org["parent"])
        if org.get("misnamed") and not (isinstance(org.get("title"), str) and org.get("source")):
            raise PackError(name, line, f"organization {org['id']}: 'misnamed' needs a 'title' and a 'source'")
        orgs[org["id"]] = tuple(org["names"])
    for child, parent in parents.items():
        if parent not in orgs:
            raise PackError(name, None, f"organization {child}: unknown parent {parent!r}")
    posts = {}
    for post in data.get("posts", []):
        line = getattr(post, "line", None)
        unknown = (
            set(post) - {"id", "org", "title", "heads", "aliases", "generic", "literal", "source"}
            if isinstance(post, dict)
            else set()
        )
        if not isinstance(post, dict) or unknown:
            raise PackError(
                name,
                line,
                f"a post has id, org, title, heads, aliases, generic, literal, source "
                f"(unknown: {', '.join(sorted(unknown))})",
            )
        for field in ("id", "org", "title"):
            if not isinstance(post.get(field), str):
                raise PackError(name, line, f"post needs a string '{field}'")
        if post["org"] not in orgs:
            raise PackError(name, line, f"post {post['id']}: unknown organization {post['org']!r}")
        aliases = tuple(post.get("aliases", ()))
        posts[post["id"]] = Post(
            post["id"],
            post["title"],
            post["org"],
            tuple(post.get("heads", ())),
            aliases + tuple(a for a in derived_aliases((post["title"], *aliases)) if a not in aliases),
            tuple(post.get("generic", ())),
            tuple(p for phrase in post.get("literal", ()) for p in expand(str(phrase))),
            post.get("source"),
        )
    # a word-for-word rendering shared by several posts ("Minister of War") names no country:
    # it is generic, like "Defense Minister"
    shared: dict[str, int] = {}
    for p in posts.values():
        for phrase in p.literal:
            shared[_norm(phrase)] = shared.get(_norm(phrase), 0) + 1
    for pid, p in posts.items():
        if p.literal:
            own = tuple(a for a in p.literal if shared[_norm(a)] == 1)
            posts[pid] = replace(
                p,
                aliases=p.aliases + own,
                generic=p.generic + tuple(a for a in p.literal if shared[_norm(a)] > 1),
            )
    return posts, orgs, parents




def _misnomers(data: object) -> dict[str, Misnomer]:
    out: dict[str, Misnomer] = {}
    for org in data.get("organizations", []) if isinstance(data, dict) else ():
        for phrase in org.get("misnamed", ()):
            for form in expand(str(phrase)):
                out[_norm(form)] = Misnomer(org["id"], org["title"], str(org.get("note", "")), str(org["source"]))
    return out


# Copy names a post with the country in the possessive ("the commander of Ukraine's Air Force",
# "the head of Russia's General Staff") as often as with an adjective or an of-phrase; the data
# lists one form and the others are derived here.
_COUNTRY_ADJECTIVES = {"ukrainian": "Ukraine's", "russian": "Russia's"}
_COUNTRY_NAMES = {"ukraine": "Ukraine's", "russia": "Russia's", "the russian federation": "Russia's"}
_ADJECTIVE_FORM = re.compile(r"^(?P<head>.+?) of the (?P<adj>Ukrainian|Russian) (?!Federation\b)(?P<org>.+)$", re.I)
_OF_FORM = re.compile(r"^(?P<head>.+?) of the (?P<org>.+?) of (?P<country>Ukraine|Russia|the Russian Federation)$", re.I)
_OF_COUNTRY = re.compile(r"^(?P<post>.+?) of (?P<country>Ukraine|Russia|the Russian Federation)$", re.I)
_CHIEF_OF = re.compile(r"^Chief of the (?!Staff\b)", re.I)


def derived_aliases(names: tuple[str, ...]) -> list[str]:
    """The possessive forms of `names` ("Commander of the Air Force of Ukraine" -> "Commander of
    Ukraine's Air Force", "Minister of Defence of Ukraine" -> "Ukraine's Minister of Defence"),
    and "head of the ..." for "Chief of the ..." (not "Chief of Staff")."""
    out: list[str] = []
    forms = list(names)
    forms += [_CHIEF_OF.sub("head of the ", n) for n in names if _CHIEF_OF.match(n)]
    for name in forms:
        m = _ADJECTIVE_FORM.match(name)
        if m:
            out.append(f"{m['head']} of {_COUNTRY_ADJECTIVES[m['adj'].lower()]} {m['org']}")
        m = _OF_FORM.match(name)
        if m:
            out.append(f"{m['head']} of {_COUNTRY_NAMES[m['country'].lower()]} {m['org']}")
        m = _OF_COUNTRY.match(name)
        if m:
            out.append(f"{_COUNTRY_NAMES[m['country'].lower()]} {m['post']}")
        if name not in names:
            out.append(name)
    return list(dict.fromkeys(out))


def _people(path: Path, data: object, posts: dict[str, Post]) -> list[Person]:
    name = str(path)
    if not isinstance(data, dict) or not isinstance(data.get("people"), list):
        raise PackError(name, None, "a positions file is a mapping with 'as_of:' and a 'people:' list")
    try:
        as_of = Span.parse(data.get("as_of", "1900-01-01")).hi  # type: ignore[union-attr]
    except ValueError as exc:
        raise PackError(name, None, f"as_of: {exc}") from None
    out = []
    for person in data["people"]:
        line = getattr(person, "line", None)
        if not isinstance(person, dict) or not isinstance(person.get("name"), str):
            raise PackError(name, line, "a person needs a 'name' and 'positions'")
        unknown = set(person) - {"name", "key", "source", "positions", "ranks"}
        if unknown:
            raise PackError(
                name, line, f"unknown field {sorted(unknown)[0]!r} (allowed: name, key, source, positions, ranks)"
            )
        ranks = []
        for held in person.get("ranks", []):
            if not isinstance(held, dict) or held.get("rank") not in rank_ids():
                raise PackError(name, line, f"{person['name']}: unknown rank {held!r} (see rules/data/ranks.yaml)")
            ranks.append(Rank(held["rank"], *_dated(name, line, person, held, "rank")))
        tenures = []
        for pos in person.get("positions", []):
            if not isinstance(pos, dict) or pos.get("post") not in posts:
                raise PackError(
                    name,
                    line,
                    f"{person['name']}: unknown post {pos.get('post') if isinstance(pos, dict) else pos!r}",
                )
            tenures.append(Tenure(pos["post"], *_dated(name, line, person, pos, "position")))
        words = person["name"].replace("Jr.", "").split()
        out.append(
            Person(
                person["name"],
                person.get("key") or words[-1].rstrip("."),
                tuple(tenures),
                as_of,
                f"{name}:{line}" if line else name,
                tuple(ranks),
            )
        )
    return out


def _dated(name: str, line: int | None, person: dict, row: dict, what: str) -> tuple[Span, Span | None, str]:
    """A position's or rank's start, end and source (the person's source when the row has none)."""
    try:
        start, end = Span.parse(row.get("start")), Span.parse(row.get("end"))
    except ValueError as exc:
        raise PackError(name, line, f"{person['name']}: {exc}") from None
    source = row.get("source") or person.get("source")
    if start is None or not source:
        raise PackError(name, line, f"{person['name']}: every {what} needs a 'start' and a 'source'")
    return start, end, str(source)


@lru_cache(maxsize=8)
def load(extra: tuple[str, ...] = ()) -> TitleData:
    """Posts and positions: the shipped files plus `extra` ones (those with people: or posts:)."""
    from .datacache import cached

    return cached("titles", extra, lambda: _load(extra), TitleData)


def _load(extra: tuple[str, ...]) -> TitleData:
    posts_file = rules_dir() / "data" / "posts.yaml"
    posts, orgs, parents = with_lines_on_error(posts_file, lambda d: _posts(posts_file, d))
    misnomers = _misnomers(load_fast(posts_file))
    files = sorted((rules_dir() / "data" / "positions").glob("*.yaml"))
    for path in (Path(p) for p in extra):
        data = load_fast(path)
        if isinstance(data, dict) and "posts" in data:
            more_posts, more_orgs, more_parents = with_lines_on_error(
                path,
                # the house file's posts may belong to the shipped organizations, and its own
                # organizations come after them (a house file with both used to lose the shipped ones)
                lambda d, path=path: _posts(
                    path,
                    {
                        **d,
                        "organizations": [{"id": k, "names": list(v)} for k, v in orgs.items()]
                        + list(d.get("organizations") or []),
                    },
                ),
            )
            posts.update(more_posts)
            orgs.update(more_orgs)
            misnomers.update(_misnomers(data))
            parents.update(more_parents)
        if isinstance(data, dict) and "people" in data:
            files.append(path)
    people: list[Person] = []
    for path in files:
        people.extend(with_lines_on_error(path, lambda d, path=path: _people(path, d, posts)))
    return TitleData(posts, orgs, tuple(people), misnomers, parents)


@lru_cache(maxsize=1)
def ranks() -> dict[str, dict[str, tuple[str, ...]]]:
    """Rank id -> its forms by language ("en", "uk", "ru"), from rules/data/ranks.yaml."""
    path = rules_dir() / "data" / "ranks.yaml"

    def parse(data: object) -> dict[str, dict[str, tuple[str, ...]]]:
        if not isinstance(data, dict) or not isinstance(data.get("ranks"), list):
            raise PackError(str(path), None, "expected a mapping with a 'ranks:' list")
        out = {}
        for row in data["ranks"]:
            if not isinstance(row, dict) or not isinstance(row.get("id"), str) or not row.get("en"):
                raise PackError(str(path), getattr(row, "line", None), "a rank needs an 'id' and 'en' forms")
            out[row["id"]] = {lang: tuple(row.get(lang, ())) for lang in ("en", "uk", "ru")}
        return out

    return with_lines_on_error(path, parse)


def rank_ids() -> frozenset[str]:
    return frozenset(ranks())


# -- links in a document ----------------------------------------------------------------------

_FORMER = re.compile(r"(?:\b(?:former|ex|retired|then|onetime|erstwhile)\b[-\s]*(?:\w+\s+){0,2}?)$", re.I)
_PREDICATE = re.compile(
    r"\b(?:as|at|is|was|became|becomes|remains|remained|serves\s+as|served\s+as|has\s+been|had\s+been|"
    r"was\s+appointed|was\s+named|appointed|named|the\s+post\s+of|post\s+of|position\s+of|role\s+of)"
    r"\s+(?:the\s+)?(?:former\s+)?$",
    re.I,
)
_ENDED = re.compile(
    r"\b(?:ended|ends|completed|completes|finished|left|leaves|concluded|stepped\s+down|"
    r"retired|resigned|quit|relinquished)\b",
    re.I,
)
# past tense, and the start of a tenure: the person held the post at some time before the date
_PAST = re.compile(
    r"\b(?:was|had\s+been|served\s+as|previously|formerly|used\s+to\s+be|became|was\s+appointed|"
    r"was\s+named|took\s+office\s+as|took\s+over\s+as)\b",
    re.I,
)
_FILLER = re.compile(r"^(?:\s|,|\bof\b|\bthe\b|\b[A-Z][\w'’.-]*)*$")


@dataclass(frozen=True)
class Link:
    """A title given to a person in the copy."""

    person: Person | None  # None: a person the positions data does not know
    person_key: str  # folded surname as written
    start: int  # the title's span, with a leading "the"
    end: int
    posts: tuple[Post, ...]  # one post, or the posts a generic title may mean
    generic: bool
    claim: str  # current, former or ended
    on: dt.date  # the date the claim is about
    how: str  # pre-modifier, apposition, predicate, pronoun
    # narrative past: a past-tense sentence with no date of its own, judged at the article's
    # date, tells of something before it ("Commander-in-Chief Zaluzhnyi visited the front")
    narrative: bool = False
    literal: bool = False  # a word-for-word rendering ("Minister of War"), no English title


@dataclass(frozen=True)
class _Mention:
    start: int
    end: int
    key: str
    person: Person | None


def title_links(
    doc: Document, data: TitleData, kb, date_override: str | None = None
) -> tuple[list[Link], tuple[dt.date, str] | None]:
    """Title-person links in the document, and the article's date and where it came from
    (None when there is no link: the date is looked for only when a link needs it, and most
    articles link no title). Computed once per document and settings."""
    cache_key = ("titles.links", date_override)
    if cache_key not in doc.cache:
        dated: list[tuple[dt.date, str]] = []

        def article_day() -> dt.date:
            if not dated:
                dated.append(article_date(doc, date_override))
            return dated[0][0]

        links = _links(doc, data, kb, article_day)
        doc.cache[cache_key] = (links, dated[0] if dated else None)
    return doc.cache[cache_key]


def _people_for(data: TitleData, kb, word: str) -> tuple[Person, ...]:
    """The known people a capitalised word names (memoised per data set: surnames repeat)."""
    memo = _people_memo(data, id(kb))
    people = memo.get(word)
    if people is None:
        people = data.by_key.get(fold(word), ())
        if not people and kb is not None:
            by_name = data.by_name
            people = tuple(
                {by_name[e.name] for e in kb.lookup(word) if e.kind == "person" and e.name in by_name}
            )
        if len(memo) < 20_000:  # bounded: an archive run meets many capitalised words
            memo[word] = people
    return people


@lru_cache(maxsize=8)
def _people_memo(data: TitleData, kb_id: int) -> dict[str, tuple[Person, ...]]:
    return {}


_POSSESSIVE = re.compile(r"(?:['’]s|(?<=s)['’])$")


def _mentions(doc: Document, data: TitleData, kb, first: int, last: int) -> list[_Mention]:
    """People named in tokens[first:last] (one sentence)."""
    out = []
    seg = doc.segmentation
    tokens = seg.tokens
    for i in seg.between(seg.capitalized, first, last):
        tok = tokens[i]
        word = tok.text
        if "'" in word or "’" in word:
            word = _POSSESSIVE.sub("", word)
        people = _people_for(data, kb, word)
        if len(people) == 1:
            out.append(_Mention(tok.start, tok.start + len(word), fold(people[0].key), people[0]))
        elif not people and _looks_like_surname(doc, i, word):
            out.append(_Mention(tok.start, tok.start + len(word), fold(word), None))
    return out


def _looks_like_surname(doc: Document, i: int, word: str) -> bool:
    """An unknown capitalised word right after a capitalised first name: "Ivan Petrenko"."""
    tok = doc.tokens[i]
    prev = doc.tokens[i - 1] if i else None
    return bool(
        prev
        and prev.kind == "word"
        and prev.text[0].isupper()
        and doc.text[prev.end : tok.start] == " "
        and len(word) > 2
        and word.isalpha()
    )


def _links(doc: Document, data: TitleData, kb, article_day: Callable[[], dt.date]) -> list[Link]:
    text = doc.text
    links: list[Link] = []
    sentences = doc.sentences
    phrases = _phrases_by_sentence(doc, data)
    if not phrases:
        return links  # no title phrase: nothing to link
    mentions: dict[int, list[_Mention]] = {}  # by sentence index, computed when needed
    by_sentence: dict[int, list[re.Match[str]]] = {}
    for k, m in phrases:
        by_sentence.setdefault(k, []).append(m)

    def mentions_of(k: int) -> list[_Mention]:
        if k not in mentions:
            sent = sentences[k]
            mentions[k] = _mentions(doc, data, kb, sent.first_token, sent.last_token)
        return mentions[k]

    for k in sorted(by_sentence):
        sentence = sentences[k]
        s, e = sentence.start, sentence.end
        on = None
        for m in by_sentence[k]:
            posts, generic = data.posts_for_alias(m.group())
            if not posts:
                continue
            a_start, a_end = m.span()
            t_start = a_start - 4 if text[max(s, a_start - 4) : a_start].lower() == "the " else a_start
            former = bool(
                _FORMER.search(text[s:a_start]) and _FORMER.search(text[max(s, a_start - 30) : a_start])
            )
            here = mentions_of(k)
            link = (
                _pre_modifier(text, here, a_end, e)
                or _apposition(text, here, a_start, s)
                or _predicate(text, here, s, a_start)
                or _pronoun(text, s, a_start, *_paragraph_before(sentences, k, mentions_of))
            )
            if link is None:
                continue
            mention, how = link
            claim = "former" if former else "current"
            if how in ("predicate", "pronoun"):
                between = text[mention.end if how == "predicate" else s : a_start]
                if _ENDED.search(between):
                    claim = "ended"
                elif _PAST.search(between) and claim == "current":
                    claim = "former"
            if on is None:  # the sentence's last date, else the article's
                day = article_day()
                dates = sentence_dates(doc, s, e, day.year)
                on = dates[-1] if dates else day
                narrative = not dates and _past_tense(doc, sentence)
            links.append(
                Link(
                    mention.person,
                    mention.key,
                    t_start,
                    a_end,
                    posts,
                    generic,
                    claim,
                    on,
                    how,
                    narrative,
                    data.is_literal(m.group()),
                )
            )
    return links


def _past_tense(doc: Document, sentence: Sentence) -> bool:
    """Whether a sentence tells of the past: a past-tense verb ("visited", "met") and nothing
    that puts it in the present ("is", "says", "now")."""
    from .lexicon import closed_classes, word_classes

    cc = closed_classes()
    past, present = cc["past_forms"], cc["present_markers"]
    seen = False
    for tok in doc.segmentation.tokens_of(sentence):
        low = tok.text.lower()
        if low in present:
            return False
        if not seen and (low in past or (low.endswith("ed") and "V" in word_classes(low))):
            seen = True
    return seen


def _paragraph_before(sentences, k: int, mentions_of) -> tuple[set[str], _Mention | None]:
    """People named earlier in sentence k's paragraph, and the last of them (for "He ...")."""
    seen: set[str] = set()
    last = None
    j = k - 1
    while j >= 0 and sentences[j].paragraph == sentences[k].paragraph:
        j -= 1
    for i in range(j + 1, k):
        for mention in mentions_of(i):
            seen.add(mention.key)
            last = mention
    return seen, last


def title_phrases(doc: Document, data: TitleData) -> list[re.Match[str]]:
    """Every title phrase the data knows in the document, in order (linked to a person or not)."""
    return [m for _, m in _phrases_by_sentence(doc, data)]


def _phrases_by_sentence(doc: Document, data: TitleData) -> list[tuple[int, re.Match[str]]]:
    """(sentence index, title phrase) in order: found once per document for every titles rule."""
    key = ("titles.phrases", id(data))
    if key not in doc.cache:
        by_sentence = _alias_candidates(doc, data)
        sentences = doc.sentences
        doc.cache[key] = [
            (k, m) for k in sorted(by_sentence) for m in _alias_matches(doc, data, by_sentence[k], sentences[k].end)
        ]
    return doc.cache[key]


def _alias_candidates(doc: Document, data: TitleData) -> dict[int, list[int]]:
    """Token indices of words that can start a title, by sentence index."""
    seg = doc.segmentation
    if not data.alias_first_words <= ANCHOR_WORDS:
        ANCHOR_WORDS.update(data.alias_first_words)  # found with the other anchors from now on
    hits = seg.words_positions(data.alias_first_words)
    out: dict[int, list[int]] = {}
    if not hits:
        return out
    firsts = [s.first_token for s in seg.sentences]
    for i in hits:
        k = bisect_right(firsts, i) - 1
        if k >= 0 and i < seg.sentences[k].last_token:
            out.setdefault(k, []).append(i)
    return out


def _alias_matches(doc: Document, data: TitleData, candidates: list[int], end: int):
    """Title phrases in a sentence, tried only at words that can start one (one small pattern
    per first word, compiled when first needed: one pattern of 500 titles costs 60 ms)."""
    tokens = doc.tokens
    pos = -1
    for i in candidates:
        tok = tokens[i]
        if tok.start < pos:
            continue
        m = _regex_for(data, fold(tok.text)).match(doc.text, tok.start, end)
        if m:
            pos = m.end()
            yield m


def _pre_modifier(text: str, mentions: list[_Mention], a_end: int, s_end: int):
    # the name after the title: "Defense Minister Rustem Umerov" -> Umerov (a known person, else
    # the last capitalised word of the name, not the first name)
    after = [
        m
        for m in mentions
        if m.start >= a_end and m.start - a_end <= 60 and _FILLER.match(text[a_end : m.start])
    ]
    if not after:
        return None
    known = [m for m in after if m.person is not None]
    return (known[0] if known else after[-1]), "pre-modifier"


def _apposition(text: str, mentions: list[_Mention], a_start: int, s_start: int):
    for m in reversed(mentions):
        if m.end <= a_start and re.fullmatch(
            r"\s*,\s*(?:the\s+|a\s+)?(?:former\s+|ex-)?", text[m.end : a_start], re.I
        ):
            return m, "apposition"
    return None


def _predicate(text: str, mentions: list[_Mention], s_start: int, a_start: int):
    before = [m for m in mentions if m.end <= a_start]
    if before and _PREDICATE.search(text[before[-1].end : a_start]):
        between = text[before[-1].end : a_start]
        if "," not in between or re.search(r"\bwho\b", between):
            return before[-1], "predicate"
    return None


def _pronoun(text: str, s_start: int, a_start: int, seen: set[str], last: _Mention | None):
    opening = re.match(r"\s*(He|She)\b", text[s_start:a_start])
    if opening and len(seen) == 1 and last is not None and _PREDICATE.search(text[s_start:a_start]):
        return last, "pronoun"
    return None
