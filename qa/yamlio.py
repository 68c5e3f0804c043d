"""YAML with line numbers: every mapping remembers its line and the line of each key, so that
errors in packs, the knowledge base and data files name the file and line."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import yaml

T = TypeVar("T")


class PackError(Exception):
    """A malformed pack or config; str() is one line: 'file:line: reason'."""

    def __init__(self, path: str, line: int | None, reason: str) -> None:
        self.path, self.line, self.reason = path, line, reason
        super().__init__(f"{path}:{line}: {reason}" if line else f"{path}: {reason}")


class LineDict(dict):  # type: ignore[type-arg]
    """A YAML mapping that remembers the line of itself and of each key."""

    line: int = 0
    lines: dict[Any, int]


class _LineLoader(yaml.SafeLoader):
    pass


def _construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> LineDict:
    mapping = LineDict()
    mapping.line = node.start_mark.line + 1
    mapping.lines = {}
    loader.flatten_mapping(node)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in mapping:
            raise PackError(str(node.start_mark.name), key_node.start_mark.line + 1, f"duplicate key {key!r}")
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.lines[key] = key_node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def load_fast(path: Path) -> Any:
    """Parse with libyaml when PyYAML has it: several times faster, but without line numbers.
    Callers validate this and, on an error, parse again with `load_yaml` to name the line."""
    loader = getattr(yaml, "CSafeLoader", None)
    if loader is None:
        return load_yaml(path)
    try:
        text = path.read_text(encoding="utf-8")
        return yaml.load(text, Loader=loader)  # noqa: S506 - CSafeLoader is the safe loader
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return load_yaml(path)  # reports the problem with its line


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
