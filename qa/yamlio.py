"""YAML with line numbers: every mapping remembers its line and the line of each key, so that
errors in packs, the knowledge base and data files name the file and line.

Every YAML copydesk reads (rule packs, knowledge files, data, Markdown front matter) is read
without anchors and aliases and at most MAX_DEPTH levels deep: an alias-expansion bomb ("billion
laughs") of 500 bytes would otherwise take minutes and gigabytes, and deep nesting overflows the
stack. Keys must be plain values, dates must exist. Each of these is a PackError naming the
file and line."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import datetime as dt
import re

import yaml

T = TypeVar("T")
MAX_DEPTH = 64


class PackError(Exception):
    """A malformed pack or config; str() is one line: 'file:line: reason'."""

    def __init__(self, path: str, line: int | None, reason: str) -> None:
        self.path, self.line, self.reason = path, line, reason
        super().__init__(f"{path}:{line}: {reason}" if line else f"{path}: {reason}")


class LineDict(dict):  # type: ignore[type-arg]
    """A YAML mapping that remembers the line of itself and of each key."""

    line: int = 0
    lines: dict[Any, int]


class Refused(yaml.MarkedYAMLError):
    """YAML that copydesk does not read: an anchor or alias, nesting past MAX_DEPTH."""


class _Bounded(yaml.SafeLoader):
    """The safe loader, refusing anchors, aliases and deep nesting while it composes (before
    any expansion can happen)."""

    _depth = 0

    def compose_node(self, parent, index):  # type: ignore[no-untyped-def]
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise Refused(None, None, "anchors and aliases (&name, *name) are not allowed", event.start_mark)
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise Refused(None, None, f"nested more than {MAX_DEPTH} levels deep", event.start_mark)
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_object(self, node, deep=False):  # type: ignore[no-untyped-def]
        try:
            return super().construct_object(node, deep)
        except (ValueError, OverflowError) as exc:  # 2023-02-30: the timestamp constructor's error
            raise Refused(None, None, f"invalid value {node.value!r}: {exc}", node.start_mark) from None


class _LineLoader(_Bounded):
    pass


def _construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> LineDict:
    mapping = LineDict()
    mapping.line = node.start_mark.line + 1
    mapping.lines = {}
    loader.flatten_mapping(node)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, (str, int, float, bool, dt.date)) and key is not None:
            raise PackError(str(node.start_mark.name), key_node.start_mark.line + 1, "keys must be plain values")
        if key in mapping:
            raise PackError(str(node.start_mark.name), key_node.start_mark.line + 1, f"duplicate key {key!r}")
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.lines[key] = key_node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


# text that may hold an anchor or alias, or nest deeply: read by the bounded loader, which looks
# at the events (libyaml composes in C, where nothing can be refused before it expands)
_RISKY = re.compile(r"(?:^|[\s\[{,])[&*][^\s\[\]{},]|[\[{](?:\s*[\[{]){15}|^[ \t-]{60}", re.M)


def load_fast(path: Path) -> Any:
    """Parse with libyaml when PyYAML has it: several times faster, but without line numbers.
    Callers validate this and, on an error, parse again with `load_yaml` to name the line."""
    loader = getattr(yaml, "CSafeLoader", None)
    if loader is None:
        return load_yaml(path)
    try:
        text = path.read_text(encoding="utf-8")
        if _RISKY.search(text):
            return load_yaml(path)
        return yaml.load(text, Loader=loader)  # noqa: S506 - CSafeLoader is the safe loader
    except (OSError, UnicodeDecodeError, yaml.YAMLError, ValueError, RecursionError):
        return load_yaml(path)  # reports the problem with its line


def load_text(text: str, name: str) -> Any:
    """YAML from a string (front matter), bounded as everything else; PackError on a problem."""
    return _load(text, name)


def with_lines_on_error(path: Path, parse: Callable[[Any], T]) -> T:
    """`parse(load_fast(path))`; if that raises PackError, parse again with line numbers."""
    try:
        return parse(load_fast(path))
    except PackError:
        return parse(load_yaml(path))


def load_yaml(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PackError(str(path), None, f"cannot read: {exc}") from None
    return _load(text, str(path))


def _load(text: str, name: str) -> Any:
    path = name
    try:
        loader = _LineLoader(text)
        loader.name = str(path)
        try:
            return loader.get_single_data()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        raise PackError(str(path), line, f"invalid YAML: {exc.problem}") from None
    except yaml.YAMLError as exc:
        raise PackError(str(path), None, f"invalid YAML: {exc}") from None
    except RecursionError:
        raise PackError(str(path), None, f"invalid YAML: nested more than {MAX_DEPTH} levels deep") from None


_BRACES = re.compile(r"\{([^{}]*)\}")


def expand(phrase: str) -> list[str]:
    """'{Khortytsia|Khortitsa} Operational Command' -> each spelling written out, for data files
    that list the forms of a phrase compactly."""
    m = _BRACES.search(phrase)
    if not m:
        return [" ".join(phrase.split())]
    return [
        form
        for choice in m.group(1).split("|")
        for form in expand(phrase[: m.start()] + choice + phrase[m.end() :])
    ]
