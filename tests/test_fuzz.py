"""A short run of the command-line fuzzer (scripts/fuzz_cli.py): the full run of 10,000
inputs is documented in the README and takes a few minutes; CI runs 300 of them."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _fuzzer():
    spec = importlib.util.spec_from_file_location("fuzz_cli", ROOT / "scripts" / "fuzz_cli.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def test_fuzz_inputs_end_without_traceback_or_hang(tmp_path):
    lines: list[str] = []
    failed = _fuzzer().fuzz(300, 150, seed=20261124, timeout=300, keep=tmp_path, log=lines.append)
    assert failed == 0, "\n".join(lines)
    assert lines[-1].startswith("300 inputs: no traceback, no hang")


def test_fuzzer_detects_a_failure(tmp_path, monkeypatch):
    """The harness itself: a run that crashes is reported, not passed."""
    fuzz = _fuzzer()
    monkeypatch.setattr(fuzz, "NO_LT", ("--no-such-option",))  # copydesk exits 2 with usage, no report
    lines: list[str] = []
    assert fuzz.fuzz(5, 5, seed=1, timeout=60, keep=tmp_path, log=lines.append) == 1
    assert "report is not JSON" in lines[-1]
