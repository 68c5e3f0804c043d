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
from .yamlio import LineDict, PackError, load_yaml

COMMON_KEYS = ("id", "kind", "message", "severity", "description", "enabled", "link", "examples")
_ID = re.compile(r"^[a-z][a-z0-9-]*\.[a-z0-9][a-z0-9.-]*$")


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
