"""The LanguageTool client: one server per run, text in batches, results cached by text hash.

The server is a URL (config `[languagetool] url`, or the LANGUAGETOOL_URL environment
variable), else the server `copydesk languagetool start` left running (qa.ltserver), or, when
the user opts in with `[languagetool] local = true`, a local LanguageTool that
language-tool-python downloads and starts for the run. language-tool-python (pinned to 3.x) handles
the server and the request parameters; this module sends the text in pieces within the
request limit, converts LanguageTool's offsets (UTF-16 code units) to Python string indices,
and caches each piece's matches by a hash of the text and the settings, in memory and on disk
(COPYDESK_CACHE_DIR, else ~/.cache/copydesk).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any



@lru_cache(maxsize=1)
def default_off() -> tuple[dict[str, str], tuple[str, ...]]:
    """LanguageTool rules off by default (rules/data/languagetool.yaml: duplicates of copydesk's
    own rules, and rules measured to cry wolf on professional copy): exact ids with why, and
    id families (an id ending in '*') matched as prefixes on this side."""
    import yaml

    from .resources import rules_dir

    data = yaml.safe_load((rules_dir() / "data" / "languagetool.yaml").read_text(encoding="utf-8"))
    rows = [*data["duplicates"], *data["noisy"]]
    exact = {r["id"]: r["why"] for r in rows if not r["id"].endswith("*")}
    return exact, tuple(r["id"][:-1] for r in rows if r["id"].endswith("*"))


DEFAULT_MAX_CHARS = 18_000  # the public API takes 20 KB a request; leave room for multi-byte text
MIN_MAX_CHARS = 100  # smaller pieces cut words apart (and 0 would never end): checked in qa.config
MAX_MAX_CHARS = 1_000_000
DEFAULT_TIMEOUT = 20.0  # seconds for one request: a server that never answers must not hang the run


@dataclass(frozen=True)
class Settings:
    url: str | None = None
    local: bool = False
    language: str = "en-US"
    disabled_rules: tuple[str, ...] = ()
    enabled_rules: tuple[str, ...] = ()  # taken back from the default-off list
    max_chars: int = DEFAULT_MAX_CHARS
    timeout: float = DEFAULT_TIMEOUT

    @classmethod
    def from_config(cls, table: Mapping[str, Any], found: str | None = None) -> Settings:
        """`found`: the address of the server copydesk started, when no URL is configured."""
        return cls(
            url=os.environ.get("LANGUAGETOOL_URL") or table.get("url") or (None if table.get("local") else found),
            local=bool(table.get("local", False)),
            language=str(table.get("language", "en-US")),
            disabled_rules=tuple(table.get("disabled-rules", ())),
            enabled_rules=tuple(table.get("enabled-rules", ())),
            max_chars=int(table.get("max-request-chars", DEFAULT_MAX_CHARS)),
            timeout=float(table.get("timeout", DEFAULT_TIMEOUT)),
        )

    @property
    def configured(self) -> bool:
        return bool(self.url or self.local)

    @property
    def all_disabled(self) -> tuple[str, ...]:
        """The exact rule ids the server is told to leave out."""
        exact, _ = default_off()
        return tuple(sorted((set(exact) - set(self.enabled_rules)) | set(self.disabled_rules)))

    @property
    def off_families(self) -> tuple[str, ...]:
        """Id prefixes whose matches are dropped here (the server takes exact ids only)."""
        _, families = default_off()
        return tuple(f for f in families if not any(e.startswith(f) for e in self.enabled_rules))

    def wanted(self, rule_id: str) -> bool:
        return not rule_id.startswith(self.off_families) if self.off_families else True


_FOUND: list = [None, -1e9]  # [url, when looked]: every grammar rule asks for every document


def _discovered() -> str | None:
    """The server `copydesk languagetool start` left running, if any (a state file and a pid
    check, no request), looked up at most every few seconds: `copydesk serve` sees a server
    started after it."""
    import time

    now = time.monotonic()
    if now - _FOUND[1] > 5.0:
        from .ltserver import discovered_url

        _FOUND[:] = [discovered_url(), now]
    return _FOUND[0]


@dataclass(frozen=True)
class Match:
    """A LanguageTool match, offsets in Python characters of the checked text."""

    start: int
    end: int
    message: str
    rule_id: str
    category: str
    issue_type: str
    replacements: tuple[str, ...]


class Unavailable(Exception):
    """No LanguageTool could be reached or started; str() says why, in one line."""


@lru_cache(maxsize=4)
def client(settings: Settings):  # -> language_tool_python.LanguageTool
    """The process's LanguageTool connection for these settings (one server per run)."""
    if not settings.configured:
        raise Unavailable(
            "no LanguageTool server configured (set LANGUAGETOOL_URL, or [languagetool] url "
            "or local = true in the configuration)"
        )
    if settings.url:
        # a server's HTTP API needs no library: urllib is imported already, language-tool-python
        # (with requests) costs 0.17 s of every pre-commit run
        return _Remote(settings.url, settings.language, settings.all_disabled, settings.timeout)
    try:
        import language_tool_python
    except ImportError as exc:
        raise Unavailable(f"language-tool-python is not installed ({exc})") from None
    # every request of the library's, the first (the list of languages) included, with our
    # timeout instead of its 300 s
    timed = type("TimedLanguageTool", (language_tool_python.LanguageTool,), {"_TIMEOUT": settings.timeout})
    try:
        tool = timed(settings.language)  # language-tool-python downloads and starts it
    except Exception as exc:  # noqa: BLE001 - the library raises several kinds; all mean "unavailable"
        raise Unavailable(f"a local LanguageTool is not available: {type(exc).__name__}: {_one_line(exc)}") from None
    tool.disabled_rules = set(settings.all_disabled)
    return tool


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return text[:200] + ("…" if len(text) > 200 else "")


def utf16_to_index(text: str, units: int) -> int:
    """The Python index in `text` of UTF-16 code unit offset `units` (an emoji takes two units)."""
    if text.isascii() or max(text) <= "\uffff":
        return min(units, len(text))
    count = 0
    for i, ch in enumerate(text):
        if count >= units:
            return i
        count += 2 if ord(ch) > 0xFFFF else 1
    return len(text)


def matches_from_response(text: str, response: Mapping[str, Any]) -> list[Match]:
    """Matches of a /v2/check response for `text`, offsets converted from UTF-16 units."""
    out = []
    for m in response.get("matches", ()):
        start = utf16_to_index(text, int(m["offset"]))
        end = utf16_to_index(text, int(m["offset"]) + int(m["length"]))
        rule = m.get("rule") or {}
        out.append(
            Match(
                start=start,
                end=end,
                message=str(m.get("message", "")),
                rule_id=str(rule.get("id", "")),
                category=str((rule.get("category") or {}).get("id", "MISC")),
                issue_type=str(rule.get("issueType", "")),
                replacements=tuple(str(r.get("value", "")) for r in m.get("replacements", ())[:5]),
            )
        )
    return out


def chunks(text: str, max_chars: int) -> Iterator[tuple[int, str]]:
    """Pieces of `text` of at most `max_chars`, cut at paragraph breaks, else sentence ends,
    else spaces; each with its offset in `text`."""
    pos = 0
    while pos < len(text):
        if len(text) - pos <= max_chars:
            yield pos, text[pos:]
            return
        window = text[pos : pos + max_chars]
        # prefer a paragraph break, then a sentence end, then a space, in the second half
        cut = next(
            (c for c in (window.rfind("\n\n"), window.rfind(". "), window.rfind(" ")) if c > max_chars // 2),
            -1,
        )
        end = pos + (cut + 1 if cut > 0 else max_chars)
        yield pos, text[pos:end]
        pos = end


def _cache_dir() -> Path:
    from .resources import user_cache_dir

    return user_cache_dir() / "languagetool"


_memory: dict[str, dict] = {}


_failed: dict[Settings, str] = {}  # a server that failed once is not asked again in this run


def check(text: str, settings: Settings) -> list[Match]:
    """LanguageTool's matches for `text`; raises Unavailable when there is no server."""
    if settings in _failed:
        raise Unavailable(_failed[settings])
    tool = client(settings)
    out: list[Match] = []
    for offset, piece in chunks(text, settings.max_chars):
        if not piece.strip():
            continue
        response = _cached_query(tool, piece, settings)
        for m in matches_from_response(piece, response):
            if not settings.wanted(m.rule_id):
                continue
            out.append(
                Match(
                    m.start + offset,
                    m.end + offset,
                    m.message,
                    m.rule_id,
                    m.category,
                    m.issue_type,
                    m.replacements,
                )
            )
    return out


def _cached_query(tool, piece: str, settings: Settings) -> dict:
    key = hashlib.sha256(
        json.dumps([settings.url, settings.local, settings.language, settings.all_disabled, piece]).encode(
            "utf-8"
        )
    ).hexdigest()
    if key in _memory:
        return _memory[key]
    path = _cache_dir() / key[:2] / f"{key}.json"
    no_disk = bool(os.environ.get("COPYDESK_NO_DISK_CACHE"))  # copydesk serve writes nothing
    try:
        if no_disk:
            raise OSError("disk cache off")
        response = json.loads(path.read_text(encoding="utf-8"))
        matches_from_response(piece, response)  # a damaged entry (bit flips, another shape) is a miss
    except (OSError, ValueError, TypeError, KeyError, AttributeError, RecursionError):
        try:
            response = _query(tool, piece)
        except Unavailable as exc:
            _failed[settings] = str(exc)
            raise
        try:
            if no_disk:
                raise OSError("disk cache off")
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".tmp")
            tmp.write_text(json.dumps(response), encoding="utf-8")
            tmp.replace(path)
        except OSError:
            pass  # a read-only home: the cache is an optimisation only
    _memory[key] = response
    return response


@dataclass(frozen=True)
class _Remote:
    """A LanguageTool server's /v2/check, asked directly (POST, form-encoded, JSON back)."""

    url: str
    language: str
    disabled: tuple[str, ...]
    timeout: float

    def check(self, piece: str) -> dict:
        import urllib.parse
        import urllib.request

        params = {"language": self.language, "text": piece}
        if self.disabled:
            params["disabledRules"] = ",".join(sorted(self.disabled))
        request = urllib.request.Request(
            self.url.rstrip("/") + "/v2/check", data=urllib.parse.urlencode(params).encode("utf-8")
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as resp:
                return json.loads(resp.read().decode("utf-8"))
        except Exception as exc:  # noqa: BLE001 - refused, timed out, HTTP error, not JSON: all "failed"
            raise Unavailable(f"{self.url} is not available: {type(exc).__name__}: {_one_line(exc)}") from None


def _query(tool, piece: str) -> dict:
    if isinstance(tool, _Remote):
        return tool.check(piece)
    # the raw /v2/check JSON: language-tool-python's Match objects convert offsets with
    # process-wide state and leave lengths in UTF-16 units, so the conversion is done here
    import urllib.parse

    try:
        return tool._query_server(
            urllib.parse.urljoin(tool._url, "check"), tool._create_params(piece), method="post"
        )
    except Exception as exc:  # noqa: BLE001
        raise Unavailable(f"LanguageTool failed: {type(exc).__name__}: {_one_line(exc)}") from None
