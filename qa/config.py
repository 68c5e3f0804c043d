"""Configuration: `copydesk.toml` (or `.copydesk.toml`), or `[tool.copydesk]` in pyproject.toml.

Found by walking up from the checked file's folder, or given with `--config`. Keys:

    select = ["boilerplate", "quotes.unopened"]   # rule-id prefixes to run (default: all enabled)
    extend-select = ["spelling.variety"]          # run these too (off-by-default rules included)
    ignore = ["translationese.worth-noting"]      # rule-id prefixes never to run
    fail-on = "warning"                           # exit 1 at or above: error, warning or info
    packs = ["house-style.yaml"]                  # extra rule packs, relative to this file
    builtin-packs = true                          # load the packs shipped with copydesk
    exclude = ["drafts/**"]                       # globs skipped when walking folders (relative
                                                  # to this file's folder; "drafts" any folder so named)

    [per-file-ignores]                            # glob (relative to this file's folder) = rule
                                                  # prefixes never reported there
    "archive/**" = ["names.house-style"]
    knowledge = ["kb/local-names.yaml"]           # extra knowledge-base files (see qa.kb)
    vocabulary = ["vocab"]                        # folders with accept.txt and reject.txt

    [languagetool]                                # grammar.*: a server, or local = true
    url = "http://localhost:8081"                 # (LANGUAGETOOL_URL in the environment wins)
    language = "en-US"
    disabled-rules = ["EN_COMPOUNDS"]
    max-request-chars = 18000                     # 100 to 1,000,000 characters a request
    timeout = 20                                  # seconds a request may take (at most 600)

    [severity]                                    # override by rule-id prefix (longest wins)
    translationese = "info"

    [rules."repetition.doubled-word"]             # per-rule: enabled, severity, kind options
    allow = ["had", "that", "knock"]

Unknown keys and wrong types are errors naming the file and line.
"""

from __future__ import annotations

import fnmatch
import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .finding import Severity
from .languagetool import MAX_MAX_CHARS, MIN_MAX_CHARS
from .packs import PackError

CONFIG_NAMES = ("copydesk.toml", ".copydesk.toml")
_KEYS = {
    "select",
    "extend-select",
    "ignore",
    "fail-on",
    "packs",
    "builtin-packs",
    "exclude",
    "severity",
    "rules",
    "knowledge",
    "vocabulary",
    "languagetool",
    "per-file-ignores",
}


class ConfigError(PackError):
    """A malformed configuration file."""


@dataclass(frozen=True)
class Config:
    path: str | None = None
    select: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()  # run these too, on top of `select` (or the defaults)
    ignore: tuple[str, ...] = ()
    fail_on: Severity = Severity.WARNING
    packs: tuple[str, ...] = ()
    builtin_packs: bool = True
    exclude: tuple[str, ...] = ()
    knowledge: tuple[str, ...] = ()
    vocabulary: tuple[str, ...] = ()
    languagetool: tuple[tuple[str, Any], ...] = ()  # [languagetool]: url, local, language ...
    date: str | None = None  # --date: the date articles speak at (titles.*)
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (glob, rule prefixes)
    severity: Mapping[str, Severity] = field(default_factory=dict)
    rules: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    rule_lines: Mapping[str, int] = field(default_factory=dict)
    key_lines: Mapping[str, int] = field(default_factory=dict)  # select, ignore ...: where in the file

    def with_cli(
        self,
        select: list[str] | None = None,
        ignore: list[str] | None = None,
        fail_on: str | None = None,
        date: str | None = None,
        extend_select: list[str] | None = None,
    ) -> Config:
        """Command-line options win over the file."""
        changes: dict[str, Any] = {}
        if select:
            changes["select"] = tuple(select)
        if extend_select:
            changes["extend_select"] = tuple(self.extend_select) + tuple(extend_select)
        if ignore:
            changes["ignore"] = tuple(self.ignore) + tuple(ignore)
        if fail_on:
            changes["fail_on"] = Severity.parse(fail_on)
        if date:
            changes["date"] = date
        return replace(self, **changes) if changes else self

    def relative(self, path: str) -> str | None:
        """`path` relative to this configuration's folder (the working folder for one made in
        code), with "/" between folders (as globs in it are written, and as Ruff matches them),
        or None for standard input or a path outside it."""
        if path == "-" or "://" in path:
            return None  # standard input, a URL
        root = os.path.dirname(os.path.realpath(self.path)) if self.path else os.getcwd()
        rel = os.path.relpath(os.path.realpath(path), root)
        if rel == ".." or rel.startswith(".." + os.sep):
            return None
        return rel.replace(os.sep, "/")

    def excludes(self, path: str) -> bool:
        """Whether `exclude` names this file: a glob matched against the path relative to the
        configuration's folder, or against any folder or file name in it ("drafts")."""
        if not self.exclude:
            return False
        rel = self.relative(path)
        if rel is None:
            return False
        parts = rel.split("/")
        folders = ["/".join(parts[:i]) for i in range(1, len(parts))]
        for glob in self.exclude:
            if fnmatch.fnmatch(rel, glob) or any(fnmatch.fnmatch(f, glob) for f in folders):
                return True
            if "/" not in glob and any(fnmatch.fnmatch(part, glob) for part in parts):
                return True
        return False

    def ignored_here(self, path: str) -> list[tuple[str, ...]]:
        """The rule prefixes [per-file-ignores] silences for this file: its globs matched against
        the path relative to the configuration's folder (from the working folder, without a
        configuration file), or against the whole path, wherever the run started."""
        if not self.per_file_ignores:
            return []
        rel = self.relative(path)
        if rel is None:
            rel = os.path.relpath(path).replace(os.sep, "/") if path != "-" else path
        # the whole path too, wherever the run started: "*/archive/*" as before
        whole = os.path.abspath(path) if path != "-" else path
        return [ps for glob, ps in self.per_file_ignores if fnmatch.fnmatch(rel, glob) or fnmatch.fnmatch(whole, glob)]

    def key(self) -> tuple:
        """A hashable identity, for caching rule sets per configuration."""
        return (
            self.path,
            self.select,
            self.extend_select,
            self.ignore,
            self.packs,
            self.builtin_packs,
            self.knowledge,
            self.vocabulary,
            self.languagetool,
            self.date,
            self.per_file_ignores,
            tuple(sorted(self.severity.items())),
            repr(sorted((k, sorted(v.items())) for k, v in self.rules.items())),
        )


def find_config(start: Path) -> Path | None:
    """The nearest config file at or above `start` (a folder)."""
    for folder in (start, *start.parents):
        for name in CONFIG_NAMES:
            if (folder / name).is_file():
                return folder / name
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file() and _has_tool_section(pyproject):
            return pyproject
    return None


def _has_tool_section(path: Path) -> bool:
    try:
        return "copydesk" in tomllib.loads(path.read_text(encoding="utf-8")).get("tool", {})
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, RecursionError):
        return True  # let load_config report what is wrong with it


def _line_of(text: str, key: str) -> int | None:
    pattern = re.compile(rf'^[ \t]*(?:\[[^\]\n]*)?["\']?{re.escape(key)}["\']?[ \t]*[=\]]', re.M)
    m = pattern.search(text)
    return text.count("\n", 0, m.start()) + 1 if m else None


_RULE_TABLE = re.compile(r"""^[ \t]*\[[ \t]*(?:tool\.copydesk\.)?rules\.(?:"([^"\n]+)"|'([^'\n]+)'|([\w.-]+))""", re.M)


def _rule_lines(raw: str, rules: Mapping[str, Any]) -> dict[str, int]:
    """The line of each [rules."id"] table, found in one pass (10,000 tables must not take a
    search of the whole file each); a rule set inline falls back to a search of its own."""
    lines: dict[str, int] = {}
    line, pos = 1, 0
    for m in _RULE_TABLE.finditer(raw):
        line += raw.count("\n", pos, m.start())
        pos = m.start()
        lines.setdefault(m.group(1) or m.group(2) or m.group(3), line)
    return {k: lines.get(k) or _line_of(raw, k) or 0 for k in rules}


def _per_file_ignores(table: Any, err) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """[per-file-ignores]: glob = [rule prefixes], as in Ruff."""
    if not isinstance(table, dict) or not all(
        isinstance(v, list) and all(isinstance(x, str) for x in v) for v in table.values()
    ):
        raise err("per-file-ignores", "[per-file-ignores] maps globs to lists of rule prefixes")
    return tuple((glob, tuple(prefixes)) for glob, prefixes in table.items())


_LT_KEYS = {
    "url": str,
    "local": bool,
    "language": str,
    "disabled-rules": list,
    "enabled-rules": list,  # LanguageTool rules taken back from copydesk's default-off list
    "max-request-chars": int,
    "timeout": (int, float),
    "port": int,  # where `copydesk languagetool start` runs the server (default: a free port)
}


def _languagetool(table: Any, err) -> tuple[tuple[str, Any], ...]:
    """The [languagetool] table, checked: url, local, language, disabled-rules, max-request-chars."""
    if not isinstance(table, dict):
        raise err("languagetool", "[languagetool] must be a table")
    for key, value in table.items():
        if key not in _LT_KEYS:
            raise err(key, f"unknown key {key!r} in [languagetool] (allowed: {', '.join(_LT_KEYS)})")
        if not isinstance(value, _LT_KEYS[key]) or (
            key in ("disabled-rules", "enabled-rules") and not all(isinstance(v, str) for v in value)
        ):
            raise err(key, f"[languagetool] {key} has the wrong type: {value!r}")
        if key == "max-request-chars" and not MIN_MAX_CHARS <= value <= MAX_MAX_CHARS:
            raise err(
                key, f"[languagetool] max-request-chars must be between {MIN_MAX_CHARS} and {MAX_MAX_CHARS}, not {value}"
            )
        if key == "port" and (isinstance(value, bool) or not 1 <= value <= 65535):
            raise err(key, f"[languagetool] port must be between 1 and 65535, not {value}")
        if key == "timeout" and (isinstance(value, bool) or not 0 < value <= 600):
            raise err(key, f"[languagetool] timeout must be more than 0 and at most 600 seconds, not {value}")
    return tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in table.items()))


def _vocabulary(config: Path, folders: tuple[str, ...], err) -> tuple[str, ...]:
    """Vocabulary folders, resolved and checked: each must exist, and its accept.txt and
    reject.txt must be UTF-8 text (a binary list would otherwise fail every spelling rule)."""
    from .readers import InputError, read_file

    out = []
    for given in folders:
        folder = (config.parent / given).resolve()
        if not folder.is_dir():
            raise err("vocabulary", f"vocabulary folder {given!r} does not exist ({folder})")
        for name in ("accept.txt", "reject.txt"):
            file = folder / name
            if not file.exists():
                continue
            try:
                data = read_file(str(file))
                if b"\x00" in data:
                    raise UnicodeDecodeError("utf-8", data, data.index(b"\x00"), data.index(b"\x00") + 1, "NUL byte")
                data.decode("utf-8")
            except InputError as exc:
                raise err("vocabulary", f"vocabulary file {file}: {exc}") from None
            except UnicodeDecodeError:
                raise err("vocabulary", f"vocabulary file {file}: not UTF-8 text (a word a line)") from None
        out.append(str(folder))
    return tuple(out)


def load_config(path: Path) -> Config:
    name = str(path)
    try:
        raw = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(name, None, f"cannot read configuration: {exc}") from None
    try:
        data = tomllib.loads(raw)
    except RecursionError:
        raise ConfigError(name, None, "invalid TOML: nested too deeply") from None
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+)", str(exc))
        line = int(m.group(1)) if m else raw.count("\n") + 1  # "at end of document"
        raise ConfigError(name, line, f"invalid TOML: {exc}") from None
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("copydesk", {})
        if not isinstance(data, dict):
            raise ConfigError(name, _line_of(raw, "tool.copydesk"), "[tool.copydesk] must be a table")

    def err(key: str, reason: str) -> ConfigError:
        return ConfigError(name, _line_of(raw, key), reason)

    for key in data:
        if key not in _KEYS:
            raise err(key, f"unknown key {key!r} (allowed: {', '.join(sorted(_KEYS))})")

    def str_list(key: str) -> tuple[str, ...]:
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise err(key, f"'{key}' must be a list of strings")
        return tuple(value)

    def severity(key: str, value: Any) -> Severity:
        try:
            return Severity.parse(value) if isinstance(value, str) else Severity.parse("?")
        except ValueError as exc:
            raise err(key, f"'{key}': {exc}") from None

    severities = data.get("severity", {})
    if not isinstance(severities, dict):
        raise err("severity", "'severity' must be a table of rule prefix = level")
    rules = data.get("rules", {})
    if not isinstance(rules, dict) or not all(isinstance(v, dict) for v in rules.values()):
        raise err("rules", "'rules' must be a table of [rules.\"<rule id>\"] tables")
    builtin = data.get("builtin-packs", True)
    if not isinstance(builtin, bool):
        raise err("builtin-packs", "'builtin-packs' must be true or false")
    return Config(
        path=name,
        select=str_list("select"),
        extend_select=str_list("extend-select"),
        ignore=str_list("ignore"),
        fail_on=severity("fail-on", data["fail-on"]) if "fail-on" in data else Severity.WARNING,
        packs=tuple(str((path.parent / p).resolve()) for p in str_list("packs")),
        builtin_packs=builtin,
        exclude=str_list("exclude"),
        languagetool=_languagetool(data.get("languagetool", {}), err),
        per_file_ignores=_per_file_ignores(data.get("per-file-ignores", {}), err),
        knowledge=tuple(str((path.parent / p).resolve()) for p in str_list("knowledge")),
        vocabulary=_vocabulary(path, str_list("vocabulary"), err),
        severity={k: severity(k, v) for k, v in severities.items()},
        rules=rules,
        rule_lines=_rule_lines(raw, rules),
        key_lines={k: _line_of(raw, k) or 0 for k in ("select", "extend-select", "ignore") if k in data},
    )
