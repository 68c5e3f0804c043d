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

from .checks import KINDS
from .checks.base import COMMON_OPTIONS, RuleSpec
from .finding import Severity
from .yamlio import PackError, load_yaml, with_lines_on_error

COMMON_KEYS = ("id", "kind", "message", "severity", "description", "enabled", "link", "examples")
_ID = re.compile(r"^[a-z][a-z0-9-]*\.[a-z0-9][a-z0-9.-]*$")


def load_pack(path: Path, shipped: bool = False) -> list[RuleSpec]:
    """The rules of a pack. Shipped packs (tested with the code) are parsed with libyaml, fast
    but blind to duplicate keys; a user's pack always with the checking, line-aware loader."""
    if shipped:
        return with_lines_on_error(path, lambda data: _parse_pack(path, data, builtin=True))
    return _parse_pack(path, load_yaml(path))


_ENTRY_LINE = re.compile(r"^[ \t]*(?:-[ \t]+)?id:[ \t]*['\"]?([^\s'\"#]+)", re.M)


def _parse_pack(path: Path, data: Any, builtin: bool = False) -> list[RuleSpec]:
    name = str(path)
    if not isinstance(data, dict):
        raise PackError(name, None, "a pack must be a mapping with a 'rules:' list")
    lines = getattr(data, "lines", {})
    for key in data:
        if key not in ("rules", "description"):
            raise PackError(name, lines.get(key), f"unknown key {key!r} (allowed: rules, description)")
    rules = data.get("rules")
    if not isinstance(rules, list):
        raise PackError(name, getattr(data, "line", None), "'rules' must be a list of rule entries")
    # the line of each entry, for "Defined at file:line", when the fast parser gave none
    text = path.read_text(encoding="utf-8")
    id_lines = {m.group(1): text.count("\n", 0, m.start()) + 1 for m in _ENTRY_LINE.finditer(text)}
    return [parse_entry(name, entry, id_lines, builtin) for entry in rules]


def parse_entry(
    path: str, entry: Any, id_lines: dict[str, int] | None = None, builtin: bool = False
) -> RuleSpec:
    if not isinstance(entry, dict):
        raise PackError(path, None, f"a rule entry must be a mapping, not {entry!r}")
    line = getattr(entry, "line", None) or (id_lines or {}).get(str(entry.get("id")))
    key_lines = getattr(entry, "lines", {})

    def err(key: str | None, reason: str) -> PackError:
        return PackError(path, key_lines.get(key, line) if key else line, reason)

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
    if not isinstance(examples, dict) or set(examples) - {"flagged", "clean", "format"}:
        raise err(
            "examples", "'examples' must be a mapping with 'flagged' and 'clean' lists (and a 'format')"
        )
    for label, items in examples.items():
        if label != "format" and not all(isinstance(x, str) for x in (items if isinstance(items, list) else [items])):
            raise err("examples", f"examples '{label}' must be strings (each an article to check)")
    example_format = examples.pop("format", "txt") if isinstance(examples, dict) else "txt"
    if example_format not in ("txt", "md", "html"):
        raise err("examples", "examples 'format' is txt, md or html")
    spec = RuleSpec(
        id=rule_id,
        kind=kind,
        severity=severity,
        message=entry["message"],
        description=entry["description"].strip(),
        enabled=enabled,
        link=str(entry.get("link", "")),
        examples={k: tuple(v if isinstance(v, list) else [v]) for k, v in examples.items()},
        example_format=example_format,
        options=options,
        origin=f"{path}:{line}",
        builtin=builtin,
    )
    if builtin:  # tested with the code; the rule set compiles it once, when it is selected
        return spec
    try:
        KINDS[kind](spec)  # compile patterns now, so a bad one is reported with its line
    except ValueError as exc:
        key = "patterns" if str(exc).startswith("invalid pattern") else None  # point at the list
        raise err(key, f"rule {rule_id}: {exc}") from None
    return spec


def builtin_pack_paths() -> list[Path]:
    from .resources import rules_dir

    return sorted(rules_dir().glob("*.yaml"))


def load_packs(paths: Iterable[Path]) -> list[RuleSpec]:
    specs: list[RuleSpec] = []
    seen: dict[str, str] = {}
    shipped = set(builtin_pack_paths())
    for path in paths:
        for spec in load_pack(path, shipped=path in shipped):
            if spec.id in seen:
                file, _, line = spec.origin.rpartition(":")
                raise PackError(file, int(line), f"rule id {spec.id!r} already defined at {seen[spec.id]}")
            seen[spec.id] = spec.origin
            specs.append(spec)
    return specs
