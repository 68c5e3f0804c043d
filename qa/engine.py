"""The engine: build the rule set for a configuration, run it over Documents, locate findings.

Selection, severity overrides, de-duplication and the stable sort happen here, and only here
are check offsets turned into source offsets, lines and columns.
"""

from __future__ import annotations

import itertools
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import Any

from .checks import KINDS
from .checks.base import COMMON_OPTIONS, Check, Environment, RuleSpec, RuleTimeout, RunTally
from .config import Config, ConfigError, find_config, load_config
from .document import Document, LineIndex
from .disklist import sorted_on_disk
from .finding import Diagnostic, Edit, Finding, Fix, Severity
from .packs import PackError, builtin_pack_paths, load_packs
from .readers import EXTENSIONS, InputError, is_url, read_bytes, read_file, read_limited
from .selection import matches


@dataclass(frozen=True)
class RuleSet:
    specs: tuple[RuleSpec, ...]  # every known rule, after config overrides
    checks: tuple[Check, ...]  # the ones that run

    def notices(self) -> list[str]:
        """What the run should say once at the end (grammar skipped: no server), deduplicated."""
        return list(dict.fromkeys(n for c in self.checks if (n := c.notice())))


def _apply_overrides(spec: RuleSpec, config: Config) -> RuleSpec:
    prefixes = [p for p in config.severity if matches(spec.id, p)]
    if prefixes:
        spec = replace(spec, severity=config.severity[max(prefixes, key=len)])
    override = config.rules.get(spec.id)
    if override is None:
        return spec
    where = config.path or "config"
    line = config.rule_lines.get(spec.id)
    schema = {**COMMON_OPTIONS, **KINDS[spec.kind].OPTIONS}
    options = dict(spec.options)
    for key, value in override.items():
        if key == "enabled":
            if not isinstance(value, bool):
                raise ConfigError(where, line, f"rules.{spec.id}.enabled must be true or false")
            spec = replace(spec, enabled=value)
        elif key == "severity":
            try:
                spec = replace(spec, severity=Severity.parse(str(value)))
            except ValueError as exc:
                raise ConfigError(where, line, f"rules.{spec.id}: {exc}") from None
        elif key in schema:
            problem = schema[key].validate(key, value)
            if problem:
                raise ConfigError(where, line, f"rules.{spec.id}: {problem}")
            options[key] = value
            if key == "patterns":
                spec = replace(spec, builtin=False)  # the user's regular expressions now
        else:
            raise ConfigError(
                where,
                line,
                f"rules.{spec.id}: unknown key {key!r} for kind {spec.kind!r} "
                f"(allowed: enabled, severity, {', '.join(schema)})",
            )
    return replace(spec, options=options)


def _selected(spec: RuleSpec, config: Config) -> bool:
    if any(matches(spec.id, p) for p in config.ignore):
        return False
    if any(matches(spec.id, p) and (spec.enabled or p != "ALL") for p in config.extend_select):
        return True
    if not config.select:
        return spec.enabled
    hits = [p for p in config.select if matches(spec.id, p)]
    # a rule that is off by default runs only when selected by name or family, not by ALL
    return bool(hits) and (spec.enabled or any(p != "ALL" for p in hits))


_RULESETS: dict[tuple, RuleSet] = {}


def build_ruleset(config: Config) -> RuleSet:
    """The rule set for a configuration; built once per process and configuration."""
    key = config.key()
    cached = _RULESETS.get(key)
    if cached is not None:
        return cached
    paths = (builtin_pack_paths() if config.builtin_packs else []) + [Path(p) for p in config.packs]
    specs = tuple(_apply_overrides(s, config) for s in load_packs(paths))
    known = {s.id for s in specs}
    for rule_id, line in config.rule_lines.items():
        if rule_id not in known:
            raise ConfigError(config.path or "config", line, f"rules.{rule_id}: no such rule")
    order = {kind: i for i, kind in enumerate(KINDS)}
    selected = sorted((s for s in specs if _selected(s, config)), key=lambda s: (order[s.kind], s.id))
    env = Environment(config.knowledge, config.vocabulary, config.languagetool, config.date)
    checks = []
    for s in selected:
        try:
            checks.append(KINDS[s.kind](s, env))
        except ValueError as exc:  # options from the configuration (a pack's own were checked)
            raise ConfigError(
                config.path or "config", config.rule_lines.get(s.id), f"rules.{s.id}: {exc}"
            ) from None
    ruleset = RuleSet(specs, tuple(checks))
    _RULESETS[key] = ruleset
    return ruleset


class RuleFailure(Exception):
    """A rule raised an exception on a document; the other rules still ran."""


def check_document(doc: Document, ruleset: RuleSet, failures: list[str] | None = None) -> list[Diagnostic]:
    """Findings of every rule on `doc`, located in the source. A rule that crashes is recorded
    in `failures` (or raised as RuleFailure after the others ran) instead of ending the run."""
    # One finding per span and remedy: when two rules flag the same words with the same first
    # suggestion ("Kiev" -> "Kyiv" by house style and by name consistency), the rule that runs
    # first (the order of KINDS, then rule id) speaks for both.
    findings: dict[tuple, Finding] = {}
    crashed: list[str] = []
    for check in ruleset.checks:
        try:
            for f in check.check(doc):
                findings.setdefault((f.start, f.end, f.suggestions[0] if f.suggestions else f.rule), f)
        except RuleTimeout as exc:  # a user's pattern that would have hung the run
            crashed.append(f"rule {check.id} stopped: {exc}")
        except Exception as exc:  # noqa: BLE001 - one broken rule must not stop the others
            crashed.append(f"rule {check.id} failed: {type(exc).__name__}: {exc}")
    if crashed:
        if failures is None:
            raise RuleFailure("; ".join(crashed))
        failures.extend(crashed)
    values = _yield_to_specific(list(findings.values()), ruleset)
    ordered = sorted(values, key=lambda f: (f.start, f.end, f.rule))
    return [locate(doc, f) for f in ordered]


def _yield_to_specific(found: list[Finding], ruleset: RuleSet) -> list[Finding]:
    """A finding of a check that judges whole lines (page chrome) gives way to a finding of the
    same kind by another rule on its words ("Read also: ..." is boilerplate.read-also's, not a
    navigation line too): one finding per piece of furniture, from the rule that knows it. A
    block of several lines keeps its finding unless the others take up nearly all of it."""
    yielding = {c.id for c in ruleset.checks if getattr(c, "YIELDS", False)}
    if not yielding or not any(f.rule in yielding for f in found):
        return found
    specific: dict[str, list[tuple[int, int]]] = {}
    for f in found:
        if f.rule not in yielding:
            specific.setdefault(f.kind, []).append((f.start, f.end))
    def covered(f: Finding) -> bool:
        # a single line gives way to any overlap (the other rule found furniture inside a line of
        # the story, "... (Photo: X) and last until spring."); a block of lines only when the
        # others cover nearly all of it
        spans = [(s, e) for s, e in specific.get(f.kind, ()) if s < f.end and f.start < e]
        if not spans or f.evidence.get("lines", 1) == 1:
            return bool(spans)
        inside = sum(min(e, f.end) - max(s, f.start) for s, e in spans)
        return inside >= 0.9 * (f.end - f.start)

    return [f for f in found if f.rule not in yielding or not covered(f)]


def locate(doc: Document, f: Finding) -> Diagnostic:
    start = doc.source_start(f.start)
    end = max(start, doc.source_end(f.end))
    line, column = doc.line_index.locate(start)
    end_line, end_column = doc.line_index.locate(end)
    fix = None
    if f.fix is not None:
        edits = tuple(
            _whole_lines(doc, Edit(doc.source_start(e.start), doc.source_end(e.end), e.replacement))
            if e.end > e.start
            else Edit(at := _insertion_point(doc, e.start), at, e.replacement)
            for e in f.fix.edits
        )
        fix = Fix(f.fix.title, edits, f.fix.applicability)
    related = tuple(
        {k: v for k, v in locate_span(doc, r.start, r.end).items() if k in ("path", "line", "column", "text")}
        | {"note": r.note}
        for r in f.related
    )
    return Diagnostic(
        doc.path, f, start, end, line, column, end_line, end_column, doc.source[start:end], fix, related
    )


def _whole_lines(doc: Document, edit: Edit) -> Edit:
    """A deletion of whole lines of a Markdown file (a paragraph of boilerplate) takes the
    blank lines after it too, or at the end of the file the ones before it, so that removing a
    paragraph leaves one blank line between its neighbours, not three. (Plain-text fixes see
    the file's own line breaks and take them; a Markdown paragraph's are markup the checked
    text does not hold.)"""
    src, s, e = doc.source, edit.start, edit.end
    if edit.replacement or doc.format != "md" or e <= s:
        return edit
    if not ((s == 0 or src[s - 1] == "\n") and (e == len(src) or src[e] == "\n")):
        return edit  # not whole lines
    j = e
    while j < len(src) and src[j] == "\n":
        j += 1
    if j == len(src):  # the last block: the break before it goes, one line end stays
        i = s
        while i > 0 and src[i - 1] == "\n":
            i -= 1
        return Edit(i + 1 if i > 0 else 0, len(src), "")
    if s == 0 or src[s - 2 : s] == "\n\n":  # a blank line before it stays, the ones after go
        return Edit(s, j, "")
    return Edit(s, e + 1, "")  # a line inside a block: it and its line end


def _insertion_point(doc: Document, at: int) -> int:
    """Where text inserted at doc offset `at` goes in the source. After a space it belongs to
    the text that follows (an opening quotation mark), else to the text before (a comma after
    a word): the two differ where pieces of the source meet, such as two Markdown paragraphs,
    and an opening mark put at the end of the previous paragraph is never seen again."""
    if at == 0 or doc.text[at - 1].isspace():
        return doc.source_start(at) if at < len(doc.text) else doc.source_end(at)
    return doc.source_end(at)


def source_span(doc: Document, start: int, end: int) -> tuple[int, int]:
    """The source offsets of doc offsets [start, end)."""
    s = doc.source_start(start)
    return s, max(s, doc.source_end(end))


def place(path: str, source: str, lines: LineIndex, s: int, e: int) -> dict:
    """Where source offsets [s, e) are, as reporters show it."""
    line, column = lines.locate(s)
    end_line, end_column = lines.locate(e)
    return {
        "path": path,
        "start": s,
        "end": e,
        "line": line,
        "column": column,
        "end_line": end_line,
        "end_column": end_column,
        "text": source[s:e],
    }


def locate_span(doc: Document, start: int, end: int) -> dict:
    """Where doc offsets [start, end) are in the source file, as reporters show it."""
    return place(doc.path, doc.source, doc.line_index, *source_span(doc, start, end))


@dataclass
class FileResult:
    path: str
    diagnostics: list[Diagnostic]
    error: str | None = None
    format: str | None = None
    source: str | None = None  # the normalised source, for reporters that quote lines
    ruleset: RuleSet | None = None
    summaries: dict | None = None  # for checks across the files of a run
    encoding: Any = None  # qa.readers.Encoding: how to write the file back (--fix)
    # the whole result pickled where it was checked (a worker process), for a run that keeps
    # its results on disk: the parent writes these bytes as they are instead of unpickling
    # and pickling them again; findings and source are then left empty in this object
    packed: bytes | None = None
    # the file's part of the report in one format, worked out where it was checked, and the
    # severities of its findings: (format, text), severities. A result read back from a Spill
    # with these set carries no findings (the report writes the part as it is)
    rendered: tuple[str, str] | None = None
    counted: tuple[Severity, ...] | None = None
    digest: str | None = None  # qa.readers.digest of the bytes checked: --fix writes only those
    # the least severity that fails the run for this file (its configuration's fail-on), set
    # by the command line; None: warning
    fail_on: Severity | None = None


    def severities(self) -> Sequence[Severity]:
        return self.counted if self.counted is not None else [d.severity for d in self.diagnostics]

    def part(self, fmt: str) -> str | None:
        """The pre-rendered part of the report in `fmt`, if there is one."""
        return self.rendered[1] if self.rendered is not None and self.rendered[0] == fmt else None


WALK_SKIPS = ("node_modules", "__pycache__")  # besides hidden folders


def _walk_files(top: str, onerror: Callable[[OSError], None]) -> Iterator[tuple[str, str]]:
    """(folder, name) of each file under `top`, as os.walk finds them (folders named with
    os.path.join from `top`; links to folders not followed; hidden folders and WALK_SKIPS left
    out), in no particular order, streamed from os.scandir: os.walk would hold the names of a
    whole folder at once, and an archive folder can have a million."""
    folders = [top]
    while folders:
        root = folders.pop()
        try:
            entries = os.scandir(root)
        except OSError as exc:
            onerror(exc)
            continue
        with entries:
            for entry in entries:
                try:
                    is_dir = entry.is_dir()
                except OSError:
                    is_dir = False
                if not is_dir:
                    yield root, entry.name
                elif not (entry.name.startswith(".") or entry.name in WALK_SKIPS):
                    try:
                        link = entry.is_symlink()
                    except OSError:
                        link = False
                    if not link:  # as os.walk(followlinks=False)
                        folders.append(os.path.join(root, entry.name))


def expand_paths(
    paths: Iterable[str] | str,
    skip: Callable[[str], bool] | None = None,
    errors: list[tuple[str, str]] | None = None,
    *,
    skip_given: bool = False,
) -> Iterator[str]:
    """Files to check: given files as they are, folders walked for known extensions, sorted.
    `skip` leaves out a file found by walking (and, with `skip_given`, a given one too): the
    configuration's `exclude`, say. A folder that cannot be read is added to `errors` as
    (path, reason) when it is given."""
    if isinstance(paths, (str, os.PathLike)):
        paths = [os.fspath(paths)]  # one path, not its characters

    def unreadable(exc: OSError) -> None:
        if errors is not None:
            errors.append((str(exc.filename), f"cannot read the folder: {exc.strerror or exc}"))

    for path in map(os.fspath, paths):
        if "://" in path and is_url(path):
            yield from _expand_url(path, skip, errors)
            continue
        p = Path(path)
        if path != "-" and p.is_dir():
            here = path in (".", "./")

            def found(top: str = path, here: bool = here) -> Iterator[str]:
                for root, name in _walk_files(top, unreadable):
                    full = os.path.join(root, name)
                    if here:
                        full = full[2:]  # "a.txt", not "./a.txt", as Ruff names them
                    if os.path.splitext(name)[1].lower() in EXTENSIONS and not (skip and skip(full)):
                        yield full

            # sorted as a whole, in bounded memory: an archive folder of a million articles
            yield from sorted_on_disk(found())
        elif not (skip_given and path != "-" and skip and skip(path)):
            yield path


def _expand_url(url: str, skip: Callable[[str], bool] | None, errors: list[tuple[str, str]] | None) -> Iterator[str]:
    """The files under an fsspec URL with the extensions copydesk reads, sorted (a URL that
    names a file: that file). Listed folder by folder (fs.walk) and sorted on disk: the client
    of an archive audit holds one folder's listing at a time, not the bucket's."""
    try:
        import fsspec

        fs, root = fsspec.core.url_to_fs(url)
        if not fs.isdir(root):
            yield url
            return

        def found() -> Iterator[str]:
            for folder, _, files in fs.walk(root):
                for name in files:
                    if os.path.splitext(name)[1].lower() in EXTENSIONS:
                        yield fs.unstrip_protocol(f"{folder.rstrip('/')}/{name}")

        ordered = sorted_on_disk(found())
        first = next(ordered, None)  # the whole listing is read (and sorted) here
    except ImportError:
        if errors is not None:
            errors.append((url, "reading by URL needs fsspec: pip install 'copydesk[cluster]'"))
        return
    except Exception as exc:  # noqa: BLE001 - a protocol without its library, a refused listing ...
        if errors is not None:
            errors.append((url, f"cannot list by URL: {type(exc).__name__}: {exc}"))
        return
    for f in ordered if first is None else itertools.chain([first], ordered):
        if not (skip and skip(f)):
            yield f


def excluded_by(resolver: ConfigResolver) -> Callable[[str], bool]:
    """Whether the file's configuration excludes it (`exclude`, relative to the configuration's
    folder); a configuration that cannot be read excludes nothing: checking reports it."""

    def skip(path: str) -> bool:
        try:
            return resolver.for_path(path).excludes(path)
        except ConfigError:
            return False

    return skip


def unknown_selector(prefixes: Iterable[str], ids: Iterable[str]) -> tuple[str, str | None] | None:
    """The first prefix that matches no rule id, with the closest id or family (a typo such as
    "nmes" would otherwise select nothing and pass), or None when every one matches."""
    import difflib

    ids = set(ids)
    for prefix in prefixes:
        if not any(matches(i, prefix) for i in ids):
            families = {".".join(i.split(".")[:n]) for i in ids for n in range(1, i.count(".") + 1)}
            close = difflib.get_close_matches(prefix, sorted(ids | families), n=1, cutoff=0.6)
            return prefix, close[0] if close else None
    return None


def selector_problem(option: str, prefixes: Iterable[str], ids: Iterable[str]) -> str | None:
    """"--select nmes: no rule matches; did you mean 'names'?", or None."""
    found = unknown_selector(prefixes, ids)
    if found is None:
        return None
    prefix, close = found
    hint = f"; did you mean '{close}'?" if close else " (`copydesk rules --all` lists them)"
    return f"{option} {prefix}: no rule matches{hint}"


def rule_ids(config: Config) -> set[str]:
    """The ids of every rule the configuration's packs define (builtin ones included)."""
    paths = (builtin_pack_paths() if config.builtin_packs else []) + [Path(p) for p in config.packs]
    return {s.id for s in load_packs(paths)}


def check_selectors(config: Config) -> None:
    """A configuration file's `select`, `extend-select` and `ignore` must each name a rule:
    a ConfigError naming the file, the line and the closest rule id otherwise."""
    keys = (("select", config.select), ("extend-select", config.extend_select), ("ignore", config.ignore))
    if config.path is None or not any(v for _, v in keys):
        return
    try:
        ids = rule_ids(config)
    except PackError:
        return  # a broken pack is reported when the rule set is built
    for key, prefixes in keys:
        problem = selector_problem(key, prefixes, ids)
        if problem:
            raise ConfigError(config.path, config.key_lines.get(key) or None, problem.replace(f"{key} ", f"{key} = ", 1))


class ConfigResolver:
    """The configuration for each file: explicit, or the nearest file found upward (cached)."""

    def __init__(self, explicit: Config | None, cli: dict) -> None:
        self.explicit, self.cli = explicit, cli
        self._by_dir: dict[Path, Config] = {}

    def for_path(self, path: str) -> Config:
        if self.explicit is not None:
            return self.explicit
        # realpath, not resolve(): a symbolic-link loop is the file's error, reported when read
        # standard input and URLs (read by the workers of a cluster): the working folder's
        # (the folder, not the file, made a Path: pathlib interns each part, and an archive's
        # million file names would stay in the interpreter's table of interned strings)
        folder = Path.cwd() if path == "-" or ("://" in path and is_url(path)) else Path(os.path.dirname(os.path.realpath(path)))
        if folder not in self._by_dir:
            found = find_config(folder)
            loaded = load_config(found) if found else Config()
            check_selectors(loaded)  # before the command line's are added: the file's own
            self._by_dir[folder] = loaded.with_cli(**self.cli)
        return self._by_dir[folder]


def check_file(
    path: str,
    config: Config,
    *,
    stdin_name: str = "<stdin>",
    fmt: str | None = None,
    data: bytes | None = None,
) -> FileResult:
    """Check one file (its bytes, when the caller has read them); input problems become a
    FileResult with `error` set."""
    try:
        if path == "-":
            doc = read_bytes(stdin_name, read_limited(sys.stdin.buffer), fmt)
        else:
            doc = read_bytes(path, read_file(path) if data is None else data, fmt)
    except InputError as exc:
        return FileResult(stdin_name if path == "-" else path, [], str(exc))
    try:
        ruleset = build_ruleset(config)
    except PackError as exc:  # this file's configuration names a broken pack: others still run
        return FileResult(doc.path, [], f"configuration: {exc}", doc.format)
    summaries = {
        c.id: c.summarize(doc, lambda s, e: source_span(doc, s, e)) for c in ruleset.checks if c.RUN_SCOPE
    }
    failures: list[str] = []
    diagnostics = diagnose(doc, ruleset, config, failures)
    # a crashed rule is an error of this file (exit 2), but the other rules' findings stand
    error = "; ".join(failures) or None
    return FileResult(
        doc.path, diagnostics, error, doc.format, doc.source, ruleset, summaries, doc.encoding, digest=doc.digest
    )


def summarize_file(path: str, config: Config, fmt: str | None = None) -> tuple[str, dict, str]:
    """A file's run-level summaries and source, without checking it: what the checks across
    files read back for the few files they report on (on a cluster, where the summaries were
    tallied and not kept)."""
    try:
        doc = read_bytes(path, read_file(path), fmt)
        ruleset = build_ruleset(config)
    except (InputError, PackError):
        return path, {}, ""
    return (
        doc.path,
        {c.id: c.summarize(doc, lambda s, e: source_span(doc, s, e)) for c in ruleset.checks if c.RUN_SCOPE},
        doc.source,
    )


def check_documents(docs: list[Document], ruleset: RuleSet) -> list[list[Diagnostic]]:
    """Check documents as one run (run-scope checks see all of them); used by `explain` and tests."""
    results = []
    for doc in docs:
        summaries = {
            c.id: c.summarize(doc, lambda s, e, d=doc: source_span(d, s, e))
            for c in ruleset.checks
            if c.RUN_SCOPE
        }
        diagnostics = diagnose(doc, ruleset, Config())
        results.append(FileResult(doc.path, diagnostics, None, doc.format, doc.source, ruleset, summaries))
    finish_run(results)
    return [r.diagnostics for r in results]


def diagnose(
    doc: Document, ruleset: RuleSet, config: Config, failures: list[str] | None = None
) -> list[Diagnostic]:
    """Every rule's findings on one document, less what the configuration and the file's
    suppression comments silence: what check_file and the Python API report."""
    return _suppress(doc, check_document(doc, ruleset, failures), ruleset, config)


def _suppress(
    doc: Document, diagnostics: list[Diagnostic], ruleset: RuleSet, config: Config
) -> list[Diagnostic]:
    """Per-path ignores from the configuration, then suppression comments in the file."""
    from . import suppress

    ignored = config.ignored_here(doc.path)
    if ignored:
        diagnostics = [d for d in diagnostics if not any(matches(d.rule, p) for ps in ignored for p in ps)]
    unused = next((c for c in ruleset.checks if c.spec.kind == "unused-suppression"), None)
    template = Finding(unused.id, unused.spec.severity, "", 0, 0) if unused else None
    return suppress.apply(doc, diagnostics, template)


class RunChecks:
    """The checks across the files of a run, fed one result at a time (a run over an archive
    keeps their tallies, not every file's summaries). Files are numbered in the order added;
    `findings` reads back the summaries it needs by number."""

    def __init__(self) -> None:
        self._tallies: dict[int, list[tuple[str, RunTally]]] = {}  # by id(rule set)
        self._rulesets: list[RuleSet] = []  # keeps the ids above valid

    def add(self, index: int, result: FileResult) -> None:
        if result.ruleset is None or not result.summaries:
            return
        key = id(result.ruleset)
        if key not in self._tallies:
            self._rulesets.append(result.ruleset)
            self._tallies[key] = [
                (c.id, tally) for c in result.ruleset.checks if c.RUN_SCOPE and (tally := c.run_tally())
            ]
        for check_id, tally in self._tallies[key]:
            tally.add(index, result.summaries.get(check_id))

    def adopt(self, ruleset: RuleSet, states: dict[str, Any]) -> None:
        """Fold in tallies made elsewhere (on a cluster's workers) for files of this rule set:
        `states` by check id, as RunTally.state() gives them, files numbered by their places
        in this run."""
        key = id(ruleset)
        if key not in self._tallies:
            self._rulesets.append(ruleset)
            self._tallies[key] = [(c.id, tally) for c in ruleset.checks if c.RUN_SCOPE and (tally := c.run_tally())]
        for check_id, tally in self._tallies[key]:
            if check_id in states:
                tally.merge(states[check_id])

    def findings(
        self,
        load: Callable[[int], tuple[str, dict, str]],
        ahead: Callable[[Iterable[int]], None] | None = None,
        sink: Callable[[int, Diagnostic], None] | None = None,
    ) -> dict[str, list[Diagnostic]]:
        """Findings by path; `load(index)` gives a file's path, summaries and source again;
        `ahead(indices)`, if given, is told which files each tally will load, in order, first
        (a cluster run fetches them in parallel). With `sink`, each finding goes there with its
        file's number as it is found, and nothing is kept here (an archive's spill keeps them)."""
        out: dict[str, list[Diagnostic]] = {}
        # the last file read back only: an archive run may report thousands of files, and
        # keeping each one's source and line index would grow with them
        last: list = [None, None]

        def again(index: int) -> tuple[str, dict, Callable[[int, int], dict]]:
            if last[0] != index:
                path, summaries, source = load(index)
                last[:] = [index, (path, summaries, partial(place, path, source, LineIndex(source)))]
            return last[1]

        for tallies in self._tallies.values():
            for check_id, tally in tallies:
                if ahead is not None and hasattr(tally, "wanted"):
                    ahead(tally.wanted())

                def one(index: int, check_id: str = check_id) -> tuple[str, Any, Callable[[int, int], dict]]:
                    path, summaries, placer = again(index)
                    return path, summaries.get(check_id), placer

                for index, d in tally.findings(one):
                    if sink is not None:
                        sink(index, d)
                    else:
                        out.setdefault(d.path, []).append(d)
        return out


def run_findings(results: list[FileResult]) -> dict[str, list[Diagnostic]]:
    """Findings of the checks that look across files (names spelled differently in two
    articles), by path, for results held in memory."""
    run = RunChecks()
    for index, r in enumerate(results):
        run.add(index, r)
    return run.findings(lambda i: (results[i].path, results[i].summaries or {}, results[i].source or ""))


def merge_run_findings(result: FileResult, extra: list[Diagnostic]) -> None:
    """Add run-level findings to a file's own, in the usual order."""
    if extra:
        result.diagnostics = sorted([*result.diagnostics, *extra], key=lambda d: (d.start, d.end, d.rule))


def finish_run(results: list[FileResult]) -> None:
    """Add the run-level findings to the results they concern (all results in memory)."""
    extra = run_findings(results)
    for r in results:
        merge_run_findings(r, extra.get(r.path, []))


__all__ = [
    "Config",
    "ConfigError",
    "ConfigResolver",
    "FileResult",
    "PackError",
    "RuleSet",
    "build_ruleset",
    "check_document",
    "check_file",
    "check_selectors",
    "excluded_by",
    "rule_ids",
    "selector_problem",
    "expand_paths",
    "locate",
    "matches",
]
