"""Shared test helpers: run the CLI in-process, validate every JSON report against the schema."""

from __future__ import annotations

import io
import json
import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import jsonschema
import pytest
from hypothesis import settings

from qa.cli import main

# A real LanguageTool named in the environment is for test_grammar's live test only: every other
# test must see the same (no) server on every machine, so the variable is taken out here.
LIVE_LANGUAGETOOL_URL = os.environ.pop("LANGUAGETOOL_URL", None)
# where `copydesk languagetool install` put the server (the user's cache): the live tests start it
USER_CACHE_DIR = os.environ.get("COPYDESK_CACHE_DIR") or os.path.join(os.path.expanduser("~"), ".cache", "copydesk")
# results and LanguageTool answers are cached on disk: never in the checkout, never shared by runs
# (and no test finds the user's running LanguageTool server by accident: its state file is there)
os.environ["COPYDESK_CACHE_DIR"] = tempfile.mkdtemp(prefix="copydesk-test-cache-")
# the key that seals cache entries (qa.sealed): never the real ~/.config/copydesk/cache.key
os.environ["COPYDESK_KEY_FILE"] = os.path.join(tempfile.mkdtemp(prefix="copydesk-test-key-"), "cache.key")
# Property tests: a fixed budget of examples, searched the same way on every run (CI must be
# repeatable); HYPOTHESIS_PROFILE=deep searches ten times longer, with fresh randomness.
settings.register_profile("ci", max_examples=200, derandomize=True, deadline=None, print_blob=True)
settings.register_profile("deep", max_examples=2000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
SCHEMA = json.loads((ROOT / "qa" / "schema" / "report.schema.json").read_text(encoding="utf-8"))
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)


def validate_report(report: dict) -> dict:
    VALIDATOR.validate(report)
    return report


@dataclass
class Run:
    code: int
    out: str
    err: str

    def json(self) -> dict:
        return validate_report(json.loads(self.out))

    @property
    def errors(self) -> list[str]:
        """stderr lines, without the run's notices (grammar skipped for want of a server)."""
        return [line for line in self.err.splitlines() if not line.startswith("copydesk: notice: ")]


@pytest.fixture
def cli(capsys, monkeypatch):
    """Run `copydesk ARGS` in this process; JSON output is checked against the schema."""

    def run(*args: str, stdin: bytes | None = None, cwd: Path | None = None) -> Run:
        if cwd is not None:
            monkeypatch.chdir(cwd)
        if stdin is not None:
            monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8"))
        code = main(list(args))
        captured = capsys.readouterr()
        result = Run(code, captured.out, captured.err)
        if args[:1] == ("check",) and "json" in args and "--output" not in args and "--statistics" not in args:
            result.json()  # the report's schema
        assert "Traceback" not in captured.err
        return result

    return run


@pytest.fixture(scope="session")
def fake_languagetool():
    from .lt_fake import FakeLanguageTool

    with FakeLanguageTool() as server:
        yield server


@pytest.fixture
def languagetool(fake_languagetool, monkeypatch, tmp_path):
    """LANGUAGETOOL_URL set to the fake server, a fresh cache, and no connection left over."""
    from qa import languagetool as lt

    monkeypatch.setenv("LANGUAGETOOL_URL", fake_languagetool.url)
    monkeypatch.setenv("COPYDESK_CACHE_DIR", str(tmp_path / "cache"))
    lt.client.cache_clear()
    lt._memory.clear()
    lt._failed.clear()
    fake_languagetool.requests.clear()
    yield fake_languagetool
    lt.client.cache_clear()
    lt._memory.clear()
    lt._failed.clear()


@pytest.fixture(scope="session")
def live_languagetool():
    """The URL of a real LanguageTool: LANGUAGETOOL_URL's, else the server installed in the
    user's cache (`copydesk languagetool install`, which the README's test command runs),
    started for the session when it is not running and stopped after it. In CI a missing
    server fails these tests; elsewhere they are skipped with the command to run."""
    if LIVE_LANGUAGETOOL_URL:
        yield LIVE_LANGUAGETOOL_URL
        return
    from qa import ltserver

    saved = os.environ["COPYDESK_CACHE_DIR"]
    os.environ["COPYDESK_CACHE_DIR"] = USER_CACHE_DIR
    try:
        if ltserver.installed() is None:
            reason = "no LanguageTool installed: run 'copydesk languagetool install'"
            if os.environ.get("CI"):
                pytest.fail(reason)
            pytest.skip(reason)
        was_running = ltserver.running() is not None
        server = ltserver.start(log=lambda line: None)
    finally:
        os.environ["COPYDESK_CACHE_DIR"] = saved
    yield server.url
    if not was_running:
        os.environ["COPYDESK_CACHE_DIR"] = USER_CACHE_DIR
        try:
            ltserver.stop(log=lambda line: None)
        finally:
            os.environ["COPYDESK_CACHE_DIR"] = saved
