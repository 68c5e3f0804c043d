"""Shared test helpers: run the CLI in-process, validate every JSON report against the schema."""

from __future__ import annotations

import io
import json
import sys
from dataclasses import dataclass
from pathlib import Path

import jsonschema
import pytest

from qa.cli import main

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
        if "json" in args and "--output" not in args:
            result.json()
        assert "Traceback" not in captured.err
        return result

    return run
