"""The command line: inputs good and bad, exit codes, formats, stdin, output files."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from .conftest import FIXTURES, ROOT

SEEDLIKE = FIXTURES / "flagged" / "seedlike.txt"
CLEAN = FIXTURES / "clean" / "energy-repairs.txt"


def test_exit_codes(cli):
    assert cli("check", str(CLEAN)).code == 0
    assert cli("check", str(SEEDLIKE)).code == 1
    assert cli("check", str(SEEDLIKE), "--fail-on", "error").code == 0


def test_text_report(cli):
    run = cli("check", str(FIXTURES / "flagged" / "crlf-bom.txt"))
    path = FIXTURES / "flagged" / "crlf-bom.txt"
    assert run.out == (
        f"{path}:3:13: warning repetition.doubled-word 'the' is doubled; delete one.\n"
        "  3 | It approved the the budget.\n"
        "    |             ^^^^^^^\n"
        "  = suggestion: the\n"
        "  = fix: Remove the repeated 'the'\n"
        "\n"
        f"{path}:4:1: warning translationese.recall-that 'Recall that' is a calque of the Ukrainian/Russian "
        "newswire 'Нагадаємо'; English copy states the fact, with its date if needed (\"Milley retired on Sept. 30.\").\n"
        "  4 | Recall that the budget grew.\n"
        "    | ^^^^^^^^^^^\n"
        "  = suggestion: (delete 'Recall that' and state the fact)\n"
        "  = unsafe fix: Remove 'Recall that'\n"
        "\n"
        "Found 2 problems (2 warnings) in 1 of 1 file.\n"
    )
    assert "\033[" not in run.out  # no colour when not on a terminal


def test_text_report_colour_when_forced(cli):
    assert "\033[1;33mwarning\033[0m" in cli("check", str(SEEDLIKE), "--color", "always").out


def test_long_line_excerpt_is_windowed(tmp_path, cli):
    article = tmp_path / "long.txt"
    words = " ".join(f"w{i}" for i in range(60))
    article.write_text(f"{words} the the {words}\n", encoding="utf-8")
    lines = cli("check", str(article)).out.splitlines()
    excerpt, marker = lines[1], lines[2]
    assert excerpt.startswith("  1 | …") and excerpt.endswith("…")
    assert len(excerpt) < 120
    assert excerpt[marker.index("^") : marker.index("^") + 7] == "the the"


def test_clean_text_report(cli):
    assert cli("check", str(FIXTURES / "clean")).out == "No problems found in 9 files.\n"


def test_json_report(cli):
    run = cli("check", str(SEEDLIKE), "--format", "json")
    report = run.json()
    assert report["summary"] == {
        "files": 1,
        "files_with_errors": 0,
        "findings": 6,
        "by_severity": {"error": 0, "warning": 6, "info": 0},
    }
    first = report["files"][0]["findings"][0]
    assert first["rule"] == "repetition.and-same-word" and first["kind"] == "repetition"
    assert first["fix"] == {
        "title": "Keep one 'long'",
        "applicability": "unsafe",
        "edits": [{"start": first["start"] + 4, "end": first["end"], "replacement": ""}],
    }


def test_output_file(tmp_path, cli):
    out = tmp_path / "report.json"
    run = cli("check", str(SEEDLIKE), "--format", "json", "--output", str(out))
    assert run.code == 1 and run.out == ""
    from .conftest import validate_report

    validate_report(json.loads(out.read_text(encoding="utf-8")))


def test_stdin(cli):
    run = cli(
        "check",
        "-",
        "--stdin-filename",
        "story.txt",
        "--format",
        "json",
        stdin=b"Recall that the the war began.\n",
    )
    [entry] = run.json()["files"]
    assert entry["path"] == "story.txt"
    assert [f["rule"] for f in entry["findings"]] == ["translationese.recall-that", "repetition.doubled-word"]


def test_stdin_markdown(cli):
    run = cli("check", "-", "--input-format", "md", "--format", "json", stdin=b"Text with `the the` code.\n")
    assert run.json()["files"][0]["findings"] == [] and run.code == 0


def test_bad_inputs_are_reported_and_others_checked(tmp_path, cli):
    (tmp_path / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    (tmp_path / "latin1.txt").write_bytes("caf\xe9 the the".encode("latin-1"))
    (tmp_path / "empty.md").write_bytes(b"")
    (tmp_path / "good.txt").write_text("The the plan.\n", encoding="utf-8")
    (tmp_path / "page.html").write_text("<p>Recall that it rained.</p>", encoding="utf-8")
    (tmp_path / "notes.md").write_text("Fine copy.\n", encoding="utf-8")
    (tmp_path / "image.png").write_bytes(b"\x89PNG\x00")  # not an article: not walked
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "x.txt").write_text("the the\n", encoding="utf-8")
    missing = tmp_path / "missing.txt"
    run = cli("check", str(tmp_path), str(missing), "--format", "json")
    assert run.code == 2
    files = {os.path.basename(f["path"]): f for f in run.json()["files"]}
    assert list(files) == [
        "binary.txt",
        "empty.md",
        "good.txt",
        "latin1.txt",
        "notes.md",
        "page.html",
        "missing.txt",
    ]
    assert files["binary.txt"]["error"] == "binary file (contains NUL bytes), not text"
    assert files["latin1.txt"]["error"] == "not valid UTF-8: byte 0xe9 at offset 3"
    assert files["empty.md"]["error"] == "file is empty"
    assert files["missing.txt"]["error"] == "no such file or directory"
    assert [f["rule"] for f in files["good.txt"]["findings"]] == ["repetition.doubled-word"]
    assert [f["rule"] for f in files["page.html"]["findings"]] == ["translationese.recall-that"]
    assert files["notes.md"]["findings"] == [] and files["notes.md"]["error"] is None
    errors = run.errors
    assert errors == [
        f"copydesk: {tmp_path / 'binary.txt'}: binary file (contains NUL bytes), not text",
        f"copydesk: {tmp_path / 'empty.md'}: file is empty",
        f"copydesk: {tmp_path / 'latin1.txt'}: not valid UTF-8: byte 0xe9 at offset 3",
        f"copydesk: {missing}: no such file or directory",
    ]


def test_malformed_explicit_config(tmp_path, cli):
    config = tmp_path / "c.toml"
    config.write_text("select = [", encoding="utf-8")
    run = cli("check", str(CLEAN), "--config", str(config))
    assert run.code == 2 and run.out == ""
    assert run.err.startswith(f"copydesk: {config}:1: invalid TOML")
    assert len(run.err.splitlines()) == 1


def test_an_unknown_flag_prints_the_commands_usage_and_exits_2(capsys):
    from qa.cli import main

    with pytest.raises(SystemExit) as exc:
        main(["check", "--bogus", "a.txt"])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: copydesk check [-h]") and "--exit-zero" in err
    assert err.rstrip().endswith("copydesk check: error: unrecognized arguments: --bogus")
    with pytest.raises(SystemExit):
        main(["languagetool", "start", "--nope"])
    err = capsys.readouterr().err
    assert err.startswith("usage: copydesk languagetool start") and "unrecognized arguments: --nope" in err


def test_check_with_no_path_checks_the_current_folder(tmp_path, cli):
    (tmp_path / "a.txt").write_text("Recall that the talks ended.\n", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.md").write_text("The talks ended.\n", encoding="utf-8")
    run = cli("check", "--format", "concise", cwd=tmp_path)
    assert run.code == 1
    assert run.out.splitlines()[0].startswith("a.txt:1:1: warning translationese.recall-that ")
    assert run.out.splitlines()[-1] == "Found 1 problem (1 warning) in 1 of 2 files."


@pytest.mark.parametrize("args", [["-m", "qa", "check", str(SEEDLIKE)], ["-m", "qa", "rules"]])
def test_python_dash_m(args):
    proc = subprocess.run([sys.executable, *args], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode in (0, 1) and "Traceback" not in proc.stderr
    assert proc.stdout


def test_api_matches_cli(cli):
    from qa import check_paths, check_text

    report = cli("check", str(SEEDLIKE), "--format", "json").json()
    [result] = check_paths([str(SEEDLIKE)])
    assert [d.to_dict() for d in result.diagnostics] == report["files"][0]["findings"]
    text = SEEDLIKE.read_text(encoding="utf-8")
    assert [d.to_dict() for d in check_text(text)] == report["files"][0]["findings"]
