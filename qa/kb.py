"""The knowledge base: people, places and organizations of Ukraine-war news (rules/data/kb/).

Each file has `defaults:` and `entities:`; an entity has `name` (the canonical English spelling),
`cyrillic` (the original), `kind` (person, place, organization), `lang` (uk, ru or en: which
romanization systems apply), and optionally `ru` (the Russian form of a Ukrainian name),
`variants` (other spellings seen in copy), `conventional` (the spellings of the key word that
major English-language outlets use, "Zelensky", "Syrsky": a house writing them is consistent,
not mixing systems), `distinct` (look-alike forms that name someone or something else) and `key`
(the word that carries the spelling, when it is not the last word of a person's name or the whole
of a one-word name); `literal` lists word-for-word translations of the name that machine translation makes ("White
Church" for Bila Tserkva; "{a|b}" writes out both spellings), which names.literal flags,
as it flags `romanised`: the original's abbreviation in Latin letters ("ZSU" for ЗСУ);
`widely_known: false` marks a person readers do not know by surname alone
(spokespeople, regional officials, commanders below the top), whom reference.first-mention wants
named in full at the first reference. Spellings derived from the Cyrillic by every
romanization system (qa.translit) count as variants. A content repo adds files with the config
key `knowledge`.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

from .resources import rules_dir
from .segment import fold  # defined with the tokens it folds; look-ups import it from here
from .translit import RUSSIAN, UKRAINIAN, romanize
from .yamlio import PackError, expand, load_fast, with_lines_on_error

KINDS = ("person", "place", "organization")
LANGS = ("uk", "ru", "en")
_FIELDS = {
    "name", "cyrillic", "kind", "lang", "ru", "variants", "conventional", "distinct", "key", "widely_known", "literal",
    "romanised",
}


@dataclass(frozen=True)
class Entity:
    name: str
    kind: str
    lang: str
    cyrillic: str
    ru: str | None
    key: str | None  # the token that carries the spelling, if the entity has one
    variants: tuple[str, ...]  # explicit variant spellings of the whole name
    key_variants: tuple[str, ...]  # spellings of the key token, explicit and derived
    distinct: tuple[str, ...]
    origin: str
    conventional: tuple[str, ...] = ()  # spellings of the key word major English outlets use
    widely_known: bool = True  # False: readers need the full name first (spokespeople, regional heads)
    literal: tuple[str, ...] = ()  # word-for-word translations of the name ("White Church")
    romanised: tuple[str, ...] = ()  # the original's abbreviation in Latin letters ("ZSU" for ЗСУ)

    @property
    def first_name(self) -> str | None:
        parts = self.name.split()
        return parts[0] if self.kind == "person" and len(parts) > 1 and parts[-1] == self.key else None


@dataclass(frozen=True, eq=False)  # identity equality: hashing 300 entities per look-up is slow
class KnowledgeBase:
    entities: tuple[Entity, ...]

    @cached_property
    def _indexes(self) -> tuple[dict[str, tuple[Entity, ...]], frozenset[frozenset[str]]]:
        return _index(self.entities)

    @property
    def by_form(self) -> dict[str, tuple[Entity, ...]]:
        return self._indexes[0]

    @property
    def distinct_pairs(self) -> frozenset[frozenset[str]]:
        return self._indexes[1]

    def lookup(self, token: str) -> tuple[Entity, ...]:
        """Entities whose key token is spelled `token` (canonically or as a variant)."""
        return self.by_form.get(fold(token), ())

    @cached_property
    def literal_forms(self) -> dict[str, tuple[tuple[str, Entity, bool], ...]]:
        """Folded first word -> (word-for-word translation or romanised abbreviation, entity,
        whether it is the abbreviation), longest phrase first, for names.literal ("white" ->
        ("White Church", Bila Tserkva, False), "zsu" -> ("ZSU", Armed Forces of Ukraine, True))."""
        out: dict[str, list[tuple[str, Entity, bool]]] = defaultdict(list)
        for e in self.entities:
            for phrases, romanised in ((e.literal, False), (e.romanised, True)):
                for phrase in phrases:
                    first = next((w for w in re.findall(r"[^\W\d_][\w'’-]*", phrase)), None)
                    if first:
                        out[fold(first)].append((phrase, e, romanised))
        return {k: tuple(sorted(v, key=lambda p: -len(p[0]))) for k, v in out.items()}

    def lookup_original(self, token: str) -> tuple[Entity, ...]:
        """People whose surname in Cyrillic (Ukrainian or Russian) is `token`, for text left
        untranslated ("генерал-лейтенант Валерій Залужний")."""
        return self._originals.get(fold(token), ())

    @cached_property
    def _originals(self) -> dict[str, tuple[Entity, ...]]:
        out: dict[str, list[Entity]] = defaultdict(list)
        for e in self.entities:
            if e.kind == "person":
                for text in {e.cyrillic, e.ru} - {None}:
                    out[fold(text.split()[-1])].append(e)  # type: ignore[union-attr]
        return {k: tuple(v) for k, v in out.items()}

    def canonical_key(self, token: str) -> str | None:
        """The canonical spelling of `token` when every entity it names agrees on one."""
        keys = {e.key for e in self.lookup(token) if e.key}
        return keys.pop() if len(keys) == 1 else None

    def known_distinct(self, a: str, b: str) -> bool:
        """True when the knowledge base says `a` and `b` name different things."""
        if frozenset((fold(a), fold(b))) in self.distinct_pairs:
            return True
        ea, eb = {e.key for e in self.lookup(a)}, {e.key for e in self.lookup(b)}
        return bool(ea and eb and not ea & eb)


def _index(entities: tuple[Entity, ...]) -> tuple[dict[str, tuple[Entity, ...]], frozenset[frozenset[str]]]:
    forms: dict[str, list[Entity]] = defaultdict(list)
    pairs: set[frozenset[str]] = set()
    for e in entities:
        if not e.key:
            continue
        for form in {fold(e.key), *(fold(v) for v in e.key_variants)}:
            forms[form].append(e)
        for other in e.distinct:
            pairs.add(frozenset((fold(e.key), fold(other))))
    return {k: tuple(v) for k, v in forms.items()}, frozenset(pairs)


def _key_of(name: str, kind: str, explicit: str | None) -> str | None:
    if explicit:
        return explicit
    words = name.split()
    if kind == "person":
        return words[-1].rstrip(".") if words[-1] not in ("Jr.", "Sr.") else words[-2]
    return name if len(words) == 1 else None


def _derived_key_variants(
    name: str, key: str, kind: str, lang: str, cyrillic: str, ru: str | None, variants: list[str]
) -> tuple[str, ...]:
    """Spellings of the key word: from explicit variants and every romanization of the Cyrillic."""
    last_word = kind == "person" or len(name.split()) == 1
    if not last_word:
        return tuple(v for v in variants if len(v.split()) == 1)
    forms = [v.split()[-1] for v in variants]
    if lang in ("uk", "ru"):
        for text, systems in ((cyrillic, UKRAINIAN if lang == "uk" else RUSSIAN), (ru, RUSSIAN)):
            if text and len(text.split()) == len(name.split()):
                forms += [romanize(text, s).split()[-1] for s in systems]
    seen: dict[str, None] = {}
    for f in forms:
        if fold(f) != fold(key):
            seen.setdefault(f, None)
    return tuple(seen)


def load_file(path: Path) -> list[Entity]:
    # parsed by libyaml; a file with an error is parsed again with line numbers for the message
    return with_lines_on_error(path, lambda data: _entities(path, data))


def _entities(path: Path, data: object) -> list[Entity]:
    name = str(path)
    if not isinstance(data, dict) or not isinstance(data.get("entities"), list):
        raise PackError(name, None, "a knowledge-base file is a mapping with an 'entities:' list")
    defaults = data.get("defaults") or {}
    out = []
    for raw in data["entities"]:
        if not isinstance(raw, dict):
            raise PackError(name, None, f"an entity must be a mapping, not {raw!r}")
        line = getattr(raw, "line", None)
        lines = getattr(raw, "lines", {})

        def err(field: str | None, reason: str, lines: dict = lines, line: int | None = line) -> PackError:
            return PackError(name, lines.get(field, line) if field else line, reason)

        for key in raw:
            if key not in _FIELDS:
                raise err(key, f"unknown field {key!r} (allowed: {', '.join(sorted(_FIELDS))})")
        entry = {**defaults, **raw}
        for field in ("name", "cyrillic", "kind", "lang"):
            if not isinstance(entry.get(field), str) or not entry[field].strip():
                raise err(field if field in raw else None, f"entity needs a non-empty string '{field}'")
        if entry["kind"] not in KINDS:
            raise err("kind", f"kind must be one of {', '.join(KINDS)}, not {entry['kind']!r}")
        if entry["lang"] not in LANGS:
            raise err("lang", f"lang must be one of {', '.join(LANGS)}, not {entry['lang']!r}")
        for field in ("variants", "distinct", "conventional", "literal", "romanised"):
            value = entry.get(field, [])
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise err(field, f"'{field}' must be a list of strings")
        if not isinstance(entry.get("widely_known", True), bool):
            raise err("widely_known", "'widely_known' must be true or false")
        key = _key_of(entry["name"], entry["kind"], entry.get("key"))
        variants = list(entry.get("variants", []))
        variants += [v for v in entry.get("conventional", []) if v not in variants]
        out.append(
            Entity(
                name=entry["name"],
                kind=entry["kind"],
                lang=entry["lang"],
                cyrillic=entry["cyrillic"],
                ru=entry.get("ru"),
                key=key,
                variants=tuple(variants),
                key_variants=_derived_key_variants(
                    entry["name"],
                    key,
                    entry["kind"],
                    entry["lang"],
                    entry["cyrillic"],
                    entry.get("ru"),
                    variants,
                )
                if key
                else (),
                distinct=tuple(entry.get("distinct", [])),
                origin=f"{name}:{line}" if line else name,
                conventional=tuple(entry.get("conventional", [])),
                widely_known=entry.get("widely_known", True),
                literal=tuple(form for phrase in entry.get("literal", []) for form in expand(phrase)),
                romanised=tuple(entry.get("romanised", [])),
            )
        )
    return out


def builtin_paths() -> list[Path]:
    return sorted((rules_dir() / "data" / "kb").glob("*.yaml"))


@lru_cache(maxsize=8)
def load(extra: tuple[str, ...] = ()) -> KnowledgeBase:
    """The shipped knowledge base plus `extra` files; loaded once per process and file list."""
    from .datacache import cached

    def build() -> KnowledgeBase:
        entities: list[Entity] = []
        for path in [*builtin_paths(), *(Path(p) for p in extra if not _titles_file(Path(p)))]:
            entities.extend(load_file(path))
        return KnowledgeBase(tuple(entities))

    return cached("kb", extra, build, KnowledgeBase)


def _titles_file(path: Path) -> bool:
    """A `knowledge` file of posts or positions (qa.titles reads it), not of entities."""
    try:
        data = load_fast(path)
    except (OSError, ValueError, PackError):
        return False  # let the loader report it
    return isinstance(data, dict) and "entities" not in data and bool({"people", "posts", "organizations"} & set(data))


@lru_cache(maxsize=1)
def first_names() -> dict[str, tuple[str, str]]:
    """Romanized given name (folded) -> ("uk" or "ru", the Ukrainian Cyrillic name).

    A spelling that both a Ukrainian and a Russian system produce (ICAO Russian "Valerii")
    counts as Ukrainian: only spellings that no Ukrainian system gives are Russian-derived.
    """
    table = load_fast(rules_dir() / "data" / "first-names.yaml")
    uk_forms: dict[str, str] = {}
    ru_forms: dict[str, str] = {}
    for uk, ru in table.items():
        for s in UKRAINIAN:
            uk_forms.setdefault(fold(romanize(uk, s)), uk)
        for s in RUSSIAN:
            ru_forms.setdefault(fold(romanize(ru, s)), uk)
    out = {form: ("ru", uk) for form, uk in ru_forms.items() if form not in uk_forms}
    out.update({form: ("uk", uk) for form, uk in uk_forms.items()})
    return out
