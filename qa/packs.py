"""Rule packs: rules/*.yaml -> RuleSpec objects, validated with file and line in every error.

A pack is a YAML mapping with `rules:`, a list of entries. Each entry names its check kind with
`kind:` (as Vale's `extends:`), plus the common keys below and the kind's own options. Unknown
keys, unknown kinds, bad types and duplicate ids are errors that name the file and line.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

from .checks import KINDS
from .checks.base import COMMON_OPTIONS, RuleSpec
from .finding import Severity

COMMON_KEYS = ("id", "kind", "message", "severity", "description", "enabled", "link", "examples")
_ID = re.compile(r"^[a-z][a-z0-9-]*\.[a-z0-9][a-z0-9.-]*$")


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


def load_pack(path: Path) -> list[RuleSpec]:
    data = load_yaml(path)
    name = str(path)
    if not isinstance(data, LineDict):
        raise PackError(name, None, "a pack must be a mapping with a 'rules:' list")
    for key in data:
        if key not in ("rules", "description"):
            raise PackError(name, data.lines[key], f"unknown key {key!r} (allowed: rules, description)")
    rules = data.get("rules")
    if not isinstance(rules, list):
        raise PackError(name, data.line, "'rules' must be a list of rule entries")
    return [parse_entry(name, entry) for entry in rules]


def parse_entry(path: str, entry: Any) -> RuleSpec:
    if not isinstance(entry, LineDict):
        raise PackError(path, None, f"a rule entry must be a mapping, not {entry!r}")
    line = entry.line

    def err(key: str | None, reason: str) -> PackError:
        return PackError(path, entry.lines.get(key, line) if key else line, reason)

    for key in ("id", "kind", "message", "severity", "description"):
        if not isinstance(entry.get(key), str) or not entry[key].strip():
            raise err(key if key in entry else None, f"rule entry needs a non-empty string '{key}'")
    rule_id, kind = entry["id"], entry["kind"]
    if not _ID.match(rule_id):
        raise err("id", f"rule id {rule_id!r} must be '<family>.<name>', lower case and dotted")
    if kind not in KINDS:
        raise err("kind", f"unknown kind {kind!r} (known: {', '.join(KINDS)})")
    try:
        severity = Severity.parse(entry["severity"])
    except ValueError as exc:
        raise err("severity", str(exc)) from None
    schema = {**COMMON_OPTIONS, **KINDS[kind].OPTIONS}
    options: dict[str, Any] = {}
    for key, value in entry.items():
        if key in COMMON_KEYS:
            continue
        if key not in schema:
            allowed = ", ".join(list(COMMON_KEYS) + list(schema))
            raise err(key, f"unknown key {key!r} for kind {kind!r} in rule {rule_id} (allowed: {allowed})")
        problem = schema[key].validate(key, value)
        if problem:
            raise err(key, problem)
        options[key] = value
    for key, opt in schema.items():
        options.setdefault(key, opt.default)
    enabled = entry.get("enabled", True)
    if not isinstance(enabled, bool):
        raise err("enabled", "'enabled' must be true or false")
    examples = entry.get("examples", {})
    if not isinstance(examples, dict) or set(examples) - {"flagged", "clean"}:
        raise err("examples", "'examples' must be a mapping with 'flagged' and 'clean' lists")
    spec = RuleSpec(
        id=rule_id,
        kind=kind,
        severity=severity,
        message=entry["message"],
        description=entry["description"].strip(),
        enabled=enabled,
        link=str(entry.get("link", "")),
        examples={k: tuple(v if isinstance(v, list) else [v]) for k, v in examples.items()},
        options=options,
        origin=f"{path}:{line}",
    )
    try:
        KINDS[kind](spec)  # compile patterns now, so a bad one is reported with its line
    except ValueError as exc:
        raise err(None, f"rule {rule_id}: {exc}") from None
    return spec


def builtin_pack_paths() -> list[Path]:
    from .resources import rules_dir

    return sorted(rules_dir().glob("*.yaml"))


def load_packs(paths: Iterable[Path]) -> list[RuleSpec]:
    specs: list[RuleSpec] = []
    seen: dict[str, str] = {}
    for path in paths:
        for spec in load_pack(path):
            if spec.id in seen:
                file, _, line = spec.origin.rpartition(":")
                raise PackError(file, int(line), f"rule id {spec.id!r} already defined at {seen[spec.id]}")
            seen[spec.id] = spec.origin
            specs.append(spec)
    return specs
