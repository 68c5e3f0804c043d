"""What every check kind shares: typed options, the rule spec from a pack, the finding helper."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, Protocol

from ..document import REGION_KINDS, Document
from ..finding import Diagnostic, Finding, Fix, Related, Severity


class RunTally(Protocol):
    """A run-scope check's state across the files of one run. An archive audit has ten thousand
    files: the tally keeps run-wide counts, not the files' summaries, which the caller keeps
    (on disk, for a large run) and hands back by index through `load`."""

    def add(self, index: int, summary: Any) -> None:
        """Fold in the summary of the run's file number `index`."""

    def findings(
        self, load: Callable[[int], tuple[str, Any, Callable[[int, int], dict]]]
    ) -> Iterator[tuple[int, Diagnostic]]:
        """The run's findings, each with the number of its file, as they are found (an archive
        may have a finding in every other file: the caller keeps them, on disk if it must);
        `load(index)` gives a file's path and summary again, and the engine's `place`, which
        turns the summary's source offsets into line, column and text."""

    def wanted(self) -> Iterable[int]:
        """Optional: the files `findings` will load, in the order it loads them (a cluster run
        fetches them ahead, in parallel)."""

    def state(self) -> Any:
        """The tally as plain, picklable data (a cluster's workers tally their own files)."""

    def merge(self, state: Any) -> None:
        """Fold in the state of a tally of later files (a tree reduction merges neighbours,
        left before right), numbered by their places in the same run."""


@dataclass(frozen=True)
class Option:
    """A kind-specific option: its type, default, allowed values and one line of doc."""

    type: str  # "str", "int", "bool", "list", "map" (string to string)
    default: Any
    doc: str
    choices: tuple[str, ...] = ()
    bounds: tuple[int, int] | None = None  # an int's least and greatest value
    nonempty: bool = False  # a list's items may not be empty strings

    def validate(self, name: str, value: Any) -> str | None:
        """An error message, or None when `value` is acceptable."""
        ok = {
            "str": isinstance(value, str),
            "int": isinstance(value, int) and not isinstance(value, bool),
            "bool": isinstance(value, bool),
            "list": isinstance(value, list) and all(isinstance(v, str) for v in value),
            "map": isinstance(value, dict)
            and all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()),
        }[self.type]
        if not ok:
            expected = {"list": "a list of strings", "map": "a mapping of strings to strings"}.get(
                self.type, f"a {self.type}"
            )
            return f"option '{name}' must be {expected}, not {value!r}"
        if self.bounds and not self.bounds[0] <= value <= self.bounds[1]:
            return f"option '{name}' must be between {self.bounds[0]} and {self.bounds[1]}, not {value}"
        if self.nonempty and any(not v.strip() for v in value):
            return f"option '{name}' has an empty string"
        if self.choices:
            bad = [v for v in (value if isinstance(value, list) else [value]) if v not in self.choices]
            if bad:
                return f"option '{name}' has {bad[0]!r}; expected one of: {', '.join(self.choices)}"
        return None


# Keys every pack entry may have, whatever its kind.
COMMON_OPTIONS: dict[str, Option] = {
    "regions": Option(
        "list",
        ["body", "heading", "caption", "quote"],
        "regions of the document the rule reads",
        REGION_KINDS,
    ),
}


@dataclass(frozen=True)
class RuleSpec:
    """One rule as a pack declares it (after config overrides)."""

    id: str
    kind: str
    severity: Severity
    message: str
    description: str
    enabled: bool = True
    link: str = ""
    examples: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    example_format: str = "txt"  # the examples are read as this format (txt, md, html)
    options: Mapping[str, Any] = field(default_factory=dict)
    origin: str = ""  # "file:line" of the pack entry
    # from a pack shipped with copydesk (its patterns are reviewed and tested with the code);
    # users' patterns run under a time budget instead (see the pattern kind)
    builtin: bool = False


_LT_SETTINGS: dict[tuple[str, str | None], Any] = {}


def _lt_settings(table: tuple[tuple[str, Any], ...], url: str | None):  # -> qa.languagetool.Settings
    from ..languagetool import Settings, _discovered

    found = None if url else _discovered()  # the server `copydesk languagetool start` left running
    key = (repr(table), url, found)  # repr: the table may hold lists
    settings = _LT_SETTINGS.get(key)
    if settings is None:
        settings = _LT_SETTINGS[key] = Settings.from_config(dict(table), found)
    return settings


class RuleTimeout(Exception):
    """A rule ran past its time budget on a document (its other documents still count)."""


@dataclass(frozen=True)
class Environment:
    """What checks may consult beyond the document: the knowledge base and the vocabulary,
    both loaded on first use, once per process (picklable: only paths are stored)."""

    knowledge: tuple[str, ...] = ()  # extra knowledge-base files
    vocabulary: tuple[str, ...] = ()  # folders with accept.txt / reject.txt
    languagetool_table: tuple[tuple[str, Any], ...] = ()  # the config's [languagetool] table
    date: str | None = None  # --date: the date the article speaks at, for titles.*

    @property
    def languagetool(self):  # -> qa.languagetool.Settings
        # read per call, as LANGUAGETOOL_URL may change, but built once per table and URL:
        # the grammar rules ask for every document
        return _lt_settings(self.languagetool_table, os.environ.get("LANGUAGETOOL_URL"))

    @property
    def kb(self):  # -> qa.kb.KnowledgeBase
        from .. import kb

        return kb.load(self.knowledge)

    @property
    def vocab(self):  # -> qa.vocabulary.Vocabulary
        from .. import vocabulary

        return vocabulary.load(self.vocabulary)


class Check:
    """Base class of check kinds. Subclasses set OPTIONS and implement `check`."""

    OPTIONS: ClassVar[dict[str, Option]] = {}

    def __init__(self, spec: RuleSpec, env: Environment | None = None) -> None:
        self.spec = spec
        self.env = env or Environment()
        self.id = spec.id
        self.options = spec.options
        self.regions = frozenset(spec.options.get("regions", COMMON_OPTIONS["regions"].default))
        self._reads_all = self.regions >= set(REGION_KINDS)

    def check(self, doc: Document) -> Iterator[Finding]:
        raise NotImplementedError

    def prepare(self) -> None:
        """Load the data the check reads (knowledge base, word lists). Checks load on first use
        anyway; a run with worker processes calls this before they fork, so that they start
        with one shared copy instead of each parsing its own."""

    # Checks across the files of one run (a content repo, a CI job) keep per-document summaries:
    # `summarize` runs while the document is at hand (with the engine's `span`, which turns doc
    # offsets into source offsets); a `RunTally` folds each file's summary in as it comes and
    # reports at the end, reading back only the summaries of the files it reports on.
    RUN_SCOPE: ClassVar[bool] = False

    def summarize(self, doc: Document, span: Callable[[int, int], tuple[int, int]]) -> Any:
        return None

    def run_tally(self) -> RunTally | None:
        return None

    def notice(self) -> str | None:
        """One line for the end of the run when the rule could not do its work (no server)."""
        return None

    def reads(self, doc: Document, offset: int) -> bool:
        """True when the rule reads the region at `offset`."""
        return self._reads_all or doc.region_at(offset) in self.regions

    def finding(
        self,
        start: int,
        end: int,
        *,
        message: str | None = None,
        suggestions: tuple[str, ...] | list[str] = (),
        evidence: Mapping[str, Any] | None = None,
        fix: Fix | None = None,
        related: tuple[Related, ...] = (),
        **params: Any,
    ) -> Finding:
        text = message if message is not None else self.spec.message.format(**params)
        return Finding(
            rule=self.id,
            severity=self.spec.severity,
            message=text,
            start=start,
            end=end,
            suggestions=tuple(suggestions),
            evidence=dict(evidence or {}),
            fix=fix,
            related=related,
        )
