"""Kind `name-variants`: one person or place spelled two ways ("Zaluzhnyi" and "Zaluzhny").

What it flags
    With `scope: document`, every occurrence of a minority spelling of a name within one
    article: "Millie" where the article says "Milley" five times, "Zaluzhny" beside
    "Zaluzhnyi". With `scope: run`, a file whose spelling of a name differs from the one the
    other files of the same run use (a content repo, a CI job), at its first occurrence there.
    Spellings are grouped by qa.names.same_name: romanization skeletons, the knowledge base,
    a typo tier, and guards for gendered pairs (Zelenskyy/Zelenska), ordinary English words
    (Harris/Harries) and names the knowledge base knows to be different (Sikorski/Sikorsky).
    Possessives ("Zaluzhnyi's") count as the name; headline capitals are folded;
    sentence-initial ordinary words are not names.

Why
    A reader cannot tell whether "Zaluzhny" and "Zaluzhnyi" are one man; machine translation
    and several translators produce both.

Example
    flags "Millie" in "Milley met Zaluzhnyi. ... He stopped talking to Millie for a week.";
    "Milley met Miller" is clean (two men), as is "Zelenskyy and Olena Zelenska".

Options
    scope       document (within an article) or run (across the files checked together)
    min_count   the suggested spelling must occur at least this often, unless the
                knowledge base knows it (default 1)

The article decides: the suggestion is its most used spelling (uses in the body: captions,
quotations and headlines count as variants but never make the majority against the body). On
a tie, the knowledge base's canonical spelling wins, else a spelling it knows, else the one used
first. The knowledge base never overrules a consistent article (that is names.house-style's
job, for the spellings a house lists). The fix is safe when the tie went to the knowledge
base's canonical spelling, unsafe otherwise.
"""

from __future__ import annotations

from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from itertools import combinations
from sys import intern
from typing import Any

from ..document import Document
from ..finding import Diagnostic, Edit, Finding, Fix, Related
from ..kb import KnowledgeBase, fold
from ..lexicon import is_english_word
from ..names import TYPO_MIN_LETTERS, NameForm, comparable, given_name_in_kb, name_forms, same_name, skeleton
from ..translit import last_word_spellings
from .base import Check, Environment, Option, RuleSpec, RunTally


class NameVariantsCheck(Check):
    OPTIONS = {
        "scope": Option("str", "document", "within an article, or across the run", ("document", "run")),
        "min_count": Option("int", 1, "occurrences the suggested spelling needs, unless known"),
    }

    def __init__(self, spec: RuleSpec, env: Environment | None = None) -> None:
        super().__init__(spec, env)
        self.RUN_SCOPE = spec.options["scope"] == "run"

    def prepare(self) -> None:
        _ = self.env.kb, is_english_word("the")  # the word list: summaries skip ordinary words

    def check(self, doc: Document) -> Iterator[Finding]:
        if self.RUN_SCOPE:
            return
        forms = {
            k: f
            for k, f in name_forms(doc, self.env.kb).items()
            if any(self.reads(doc, s) for s, _ in f.spans)
        }
        kb = self.env.kb

        def in_body(form: NameForm) -> int:
            # captions, quotations and headlines count as variants, never as the majority
            return sum(1 for start, _ in form.spans if doc.region_at(start) == "body")

        for group in group_forms(list(forms.values()), kb):
            weighed = in_body if any(in_body(f) for f in group) else None
            canonical, source = choose_canonical(group, kb, weighed)
            if canonical.count < self.options["min_count"] and source != "knowledge base":
                continue
            for form in group:
                if form is canonical:
                    continue
                yield from self._findings(doc, form, canonical, source, group, kb)

    def _findings(
        self,
        doc: Document,
        form: NameForm,
        canonical: NameForm,
        source: str,
        group: list[NameForm],
        kb: KnowledgeBase,
    ) -> Iterator[Finding]:
        counts = {f.display: f.count for f in sorted(group, key=lambda f: -f.count)}
        target = kb_spelling(canonical, kb) if source == "knowledge base" else canonical.display
        _, why = same_name(form.display, canonical.display, kb)
        evidence = {"canonical": target, "source": source, "counts": counts, "reason": why}
        related = tuple(Related(s, e, f"'{canonical.display}' here") for s, e in canonical.spans[:3])
        for start, end in form.spans:
            written = doc.text[start:end]
            suggestion = target.upper() if written.isupper() and len(written) > 1 else target
            others = "elsewhere in this article" if canonical.count else "in the knowledge base"
            times = (
                f" ({canonical.count} time{'s' if canonical.count != 1 else ''})" if canonical.count else ""
            )
            yield self.finding(
                start,
                end,
                message=f"'{written}' is spelled '{target}' {others}{times}; use one spelling",
                suggestions=[suggestion],
                evidence=evidence,
                related=related,
                fix=Fix(
                    f"Spell it '{suggestion}'",
                    (Edit(start, end, suggestion),),
                    "safe" if source == "knowledge base" else "unsafe",
                ),
            )

    # -- across the files of a run ------------------------------------------------------------
    def summarize(self, doc: Document, span: Callable[[int, int], tuple[int, int]]) -> Any:
        if not self.RUN_SCOPE:
            return None
        out = {}
        kb = self.env.kb
        for key, form in name_forms(doc, kb).items():
            if is_english_word(key) and not kb.lookup(key):
                continue  # "Ministry", "October": capitalised words, not names that vary across files
            # source offsets only: lines and columns are worked out for the few spellings reported
            start, end = span(*form.spans[0])
            # names repeat across an archive's files: interned, each spelling is stored once
            followers = tuple(intern(f) if f else f for f in set(form.followers))
            out[intern(key)] = (intern(form.display), form.count, start, end, followers)
        return out

    def run_tally(self) -> RunTally | None:
        return _NameTally(self) if self.RUN_SCOPE else None

    @staticmethod
    def merge_states(left: Any, right: Any) -> Any:
        """Two tallies' states as one (left's files first): a step of a cluster's tree reduction,
        which has the data but not the check."""
        tally = _NameTally(None)  # type: ignore[arg-type] # merging needs no check
        tally.merge(left)
        tally.merge(right)
        return tally.state()

    def _run_diagnostic(
        self, path: str, where: dict, form: NameForm, count: int, target: str, source: str, other_files: int
    ) -> Diagnostic:
        text = where["text"]
        message = (
            f"'{text}' (used {count} time{'s' if count != 1 else ''} here) is spelled "
            f"'{target}' in {other_files} other file{'s' if other_files != 1 else ''} of this run"
        )
        finding = Finding(
            self.id,
            self.spec.severity,
            message,
            0,
            0,
            (target,),
            {"canonical": target, "source": source, "files_with_canonical": other_files},
        )
        fix = Fix(
            f"Spell it '{target}'",
            (Edit(where["start"], where["end"], target),),
            "safe" if source == "knowledge base" else "unsafe",
        )
        return Diagnostic(
            path,
            finding,
            where["start"],
            where["end"],
            where["line"],
            where["column"],
            where["end_line"],
            where["end_column"],
            text,
            fix,
        )


class _RunForm(NameForm):
    """A spelling across the files of a run: a count and the set of followers, not spans
    (an archive mentions "Zelenskyy" a hundred thousand times)."""

    def __init__(self, folded: str) -> None:
        super().__init__(folded)
        self.total = 0
        self.spans = [(0, 0)]  # one stand-in: groups order by first span, i.e. first seen
        self.followers = {}  # type: ignore[assignment] # an ordered set: given_name reads it alike

    @property
    def count(self) -> int:
        return self.total


class _NameTally:
    """Spellings across a run: counts per spelling and, per spelling, the files that use it.
    Locations stay in the files' summaries, read back for the spellings that turn out to vary."""

    def __init__(self, check: NameVariantsCheck) -> None:
        self.check = check
        self.merged: dict[str, _RunForm] = {}
        self.files: dict[str, array[int]] = {}

    def add(self, index: int, summary: Any) -> None:
        for key, (display, count, _, _, followers) in (summary or {}).items():
            form = self.merged.get(key)
            if form is None:
                form = self.merged[key] = _RunForm(key)
                self.files[key] = array("I")
            form.spellings[display] = form.spellings.get(display, 0) + count
            form.total += count
            form.followers.update(dict.fromkeys(followers))  # type: ignore[attr-defined]
            self.files[key].append(index)

    def state(self) -> tuple[dict, dict]:
        """What this tally holds, as plain data that pickles small (a cluster's workers tally
        their files and send this on to be merged)."""
        forms = {
            key: (form.spellings, form.total, list(form.followers))  # type: ignore[call-overload]
            for key, form in self.merged.items()
        }
        return forms, dict(self.files)

    def merge(self, state: tuple[dict, dict]) -> None:
        """Fold in another tally's state, of files that come after this one's (so the result
        is what adding them one by one would give), numbered as this run numbers them."""
        forms, files = state
        for key, (spellings, total, followers) in forms.items():
            form = self.merged.get(key)
            if form is None:
                form = self.merged[key] = _RunForm(key)
                self.files[key] = array("I")
            for display, count in spellings.items():
                form.spellings[display] = form.spellings.get(display, 0) + count
            form.total += total
            form.followers.update(dict.fromkeys(followers))  # type: ignore[attr-defined]
            indices = files.get(key, ())
            self.files[key].extend(indices)

    def wanted(self) -> Iterator[int]:
        """The files `findings` will read back, in the order it reads them (a cluster run
        fetches them ahead, in parallel), as it goes: an archive's list would be long."""
        kb = self.check.env.kb
        for group in group_forms(list(self.merged.values()), kb):
            canonical, _ = choose_canonical(group, kb)
            canonical_files = set(self.files.get(canonical.folded, ()))
            for form in group:
                if form is not canonical:
                    yield from (i for i in self.files[form.folded] if i not in canonical_files)

    def findings(
        self, load: Callable[[int], tuple[str, Any, Callable[[int, int], dict]]]
    ) -> Iterator[tuple[int, Diagnostic]]:
        kb = self.check.env.kb
        for group in group_forms(list(self.merged.values()), kb):
            canonical, source = choose_canonical(group, kb)
            target = kb_spelling(canonical, kb) if source == "knowledge base" else canonical.display
            canonical_files = set(self.files.get(canonical.folded, ()))
            for form in group:
                if form is canonical:
                    continue
                for index in self.files[form.folded]:
                    if index in canonical_files:
                        continue  # both spellings in this file: the document-scope rule reports it
                    path, summary, place = load(index)
                    _, count, start, end, _ = summary[form.folded]
                    where = place(start, end)
                    yield index, self.check._run_diagnostic(
                        path, where, form, count, target, source, len(canonical_files)
                    )


def group_forms(forms: list[NameForm], kb: KnowledgeBase) -> list[list[NameForm]]:
    """Groups of two or more spellings of one name. Candidates are blocked (same skeleton, same
    knowledge-base key, or one edit apart: see _buckets) so that the work stays small."""
    parent = {f.folded: f.folded for f in forms}
    by_key = {f.folded: f for f in forms}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    seen: set[tuple[str, str]] = set()
    for bucket in _buckets(forms, kb):
        for a, b in combinations(bucket, 2):
            fa, fb = a.folded, b.folded
            pair = (fa, fb) if fa < fb else (fb, fa)
            if pair in seen or abs(len(fa) - len(fb)) > 3:
                continue
            seen.add(pair)
            if comparable(a, b) and same_name(a.display, b.display, kb)[0]:
                parent[find(fa)] = find(fb)
    groups: dict[str, list[NameForm]] = {}
    for key in parent:
        groups.setdefault(find(key), []).append(by_key[key])
    out = []
    for members in groups.values():
        if len(members) < 2:
            continue
        # a chain can join spellings that are not one name: keep those that match the leader
        leader, _ = choose_canonical(members, kb)
        kept = [
            m
            for m in members
            if m is leader or (comparable(m, leader) and same_name(m.display, leader.display, kb)[0])
        ]
        if len(kept) > 1:
            out.append(sorted(kept, key=lambda f: f.spans[0][0]))
    return sorted(out, key=lambda g: g[0].spans[0][0])


def _buckets(forms: list[NameForm], kb: KnowledgeBase) -> Iterator[list[NameForm]]:
    """The spellings that share a block key, for each key that two or more share: first the
    skeleton and knowledge-base keys of all spellings, then the typo keys of the spellings
    that begin with each letter in turn (the typo tier wants the same first letter), so that
    a run over an archive, with tens of thousands of names, never holds every typo key at once."""
    yield from _shared(((i, map(hash, _known_keys(f.folded, kb))) for i, f in enumerate(forms)), forms)
    by_letter: dict[str, list[int]] = {}
    for i, f in enumerate(forms):
        if len(f.folded) >= TYPO_MIN_LETTERS:
            by_letter.setdefault(f.folded[0], []).append(i)
    for members in by_letter.values():
        if len(members) > 1:
            yield from _shared(((i, map(hash, _typo_keys(forms[i].folded))) for i in members), forms)


def _shared(keyed: Iterable[tuple[int, Iterable[int]]], forms: list[NameForm]) -> Iterator[list[NameForm]]:
    """Buckets of the forms (by index) that share a key. Keys come as their hashes and a key
    held by one form (most) is kept as a bare index, not a list; a clash of hashes only adds a
    comparison."""
    holders: dict[int, int | list[int]] = {}
    for i, hashes in keyed:
        for h in hashes:
            held = holders.get(h)
            if held is None:
                holders[h] = i
            elif isinstance(held, int):
                if held != i:
                    holders[h] = [held, i]
            elif held[-1] != i:
                held.append(i)
    for held in holders.values():
        if isinstance(held, list):
            yield [forms[i] for i in held]


def _typo_keys(folded: str) -> Iterator[str]:
    """The spelling and each way of deleting one of its letters after the first. Two spellings
    with the same first letter one substitution, insertion, deletion or swap of neighbours
    apart always share one of these, and few others do: buckets stay small however many names
    a run holds (same first letter and near length, as this was, grew quadratically: 46 s for
    16,000 names). Made afresh: cheap, and ten per name would fill a cache."""
    yield folded
    for i in range(1, len(folded)):
        yield folded[:i] + folded[i + 1 :]


@lru_cache(maxsize=16384)  # a spelling's skeleton and entries depend on it and the knowledge base only
def _known_keys(folded: str, kb: KnowledgeBase) -> tuple[str, ...]:
    """The romanization skeleton and the knowledge-base entries of a spelling."""
    return ("s:" + skeleton(folded), *("k:" + (e.key or "") for e in kb.lookup(folded)))


def _russian_derived(kb: KnowledgeBase, spelling: str) -> bool:
    """A spelling of a Ukrainian person's or place's key word that only Russian romanizations
    give, and that the knowledge base does not list as conventional English usage."""
    entities = {e.name: e for e in kb.lookup(spelling)}
    if len(entities) != 1:
        return False
    entity = next(iter(entities.values()))
    if entity.lang != "uk" or not entity.ru or not entity.key:
        return False
    word = fold(spelling)
    if word in {fold(c) for c in entity.conventional}:
        return False
    ukrainian, russian = last_word_spellings(entity.cyrillic, entity.ru)
    return word in russian and word not in ukrainian


def kb_spelling(form: NameForm, kb: KnowledgeBase) -> str:
    if form.given_name:
        return given_name_in_kb(form, kb) or form.display
    return kb.canonical_key(form.display) or form.display


def choose_canonical(
    group: list[NameForm], kb: KnowledgeBase, weight: Callable[[NameForm], int] | None = None
) -> tuple[NameForm, str]:
    """The spelling the others are measured against: the article's own majority (by `weight`,
    the count of uses that decide, else every use); on a tie the knowledge base's canonical
    spelling, else a spelling it knows, else the one used first. The knowledge base never
    overrules a consistent article: that is names.house-style's job."""
    counted = {id(f): (weight(f) if weight else f.count) for f in group}
    top = max(counted.values())
    leaders = [f for f in group if counted[id(f)] == top]
    if all(f.given_name for f in group):
        keys = Counter(given_name_in_kb(f, kb) for f in group)
    else:
        keys = Counter(kb.canonical_key(f.display) for f in group)
    keys.pop(None, None)
    canonical_key = next(iter(keys)).casefold() if len(keys) == 1 else None
    if len(leaders) == 1:
        # the majority, unless it is a Russian-derived spelling of a Ukrainian name that the
        # article also spells the Ukrainian way ("Avdeevka" three times, "Avdiivka" once): a
        # spelling the English-language press does not use is not a house style
        if canonical_key and _russian_derived(kb, leaders[0].display):
            for f in group:
                if f.display.casefold() == canonical_key:
                    return f, "knowledge base"
        return leaders[0], "majority"
    if canonical_key:
        for f in leaders:
            if f.display.casefold() == canonical_key:
                return f, "knowledge base"
        known = [f for f in leaders if kb.lookup(f.display)]
        if known:
            return min(known, key=lambda f: f.spans[0][0]), "known spelling"
    return min(leaders, key=lambda f: f.spans[0][0]), "first used"
