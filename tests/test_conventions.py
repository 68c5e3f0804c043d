"""The conventions users bring from Ruff, Vale and pre-commit (issue 19): configuration paths
relative to the configuration file, selectors that must name a rule, and the check command's
flags (--quiet, --exit-zero, --statistics, --extend-select, concise output, --show-fixes,
FORCE_COLOR, --force-exclude, rules --format json, the baseline's count, JUnit's info findings,
reports copydesk wrote left out of the next walk)."""

from __future__ import annotations

import json
import os
import textwrap
import xml.etree.ElementTree as ET

import pytest

NO_LT = ("--ignore", "grammar")
KIEV = "Aid reached Kiev on Monday.\n"
FLAWED = "Recall that the the talks ended.\n"


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def concise(run) -> list[str]:
    return [line for line in run.out.splitlines() if not line.startswith(("Found ", "No problems"))]


# -- configuration: relative to its own folder ------------------------------------------------


def test_exclude_in_a_discovered_configuration_is_relative_to_its_folder(tmp_path, cli):
    """`exclude` of a copydesk.toml found upward applies to folders walked from anywhere: its
    globs are matched against paths relative to the file's folder, and a bare name ("drafts")
    against every folder name."""
    project = tmp_path / "project"
    write(project / "copydesk.toml", 'exclude = ["archive/2019/**", "drafts"]\n')
    for name in ("desk/a.txt", "archive/2019/old.txt", "archive/2024/new.txt", "desk/drafts/b.txt"):
        write(project / name, KIEV)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    run = cli("check", str(project), "--format", "concise", *NO_LT, cwd=elsewhere)
    flagged = sorted(os.path.relpath(line.split(":")[0], project) for line in concise(run))
    assert flagged == ["archive/2024/new.txt", "desk/a.txt"]
    # a file named on the command line is checked all the same, unless --force-exclude
    old = str(project / "archive/2019/old.txt")
    assert cli("check", old, *NO_LT).code == 1
    run = cli("check", old, "--force-exclude", *NO_LT)
    assert (run.code, run.errors) == (0, ["copydesk: no files to check (1 excluded by the configuration)"])


def test_per_file_ignores_are_relative_to_the_configuration_file(tmp_path, cli):
    project = tmp_path / "project"
    write(project / "copydesk.toml", '[per-file-ignores]\n"archive/**" = ["names.house-style"]\n')
    write(project / "archive" / "a.txt", KIEV)
    write(project / "desk" / "a.txt", KIEV)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    for cwd in (project, elsewhere, project / "desk"):
        run = cli("check", str(project), "--format", "concise", *NO_LT, cwd=cwd)
        assert [os.path.relpath(line.split(":")[0], project) for line in concise(run)] == ["desk/a.txt"], cwd


def test_a_selector_that_names_no_rule_is_an_error_with_the_closest_id(tmp_path, cli):
    article = write(tmp_path / "a.txt", FLAWED)
    for option, typo, close in (
        ("--select", "nmes", "names"),
        ("--ignore", "quotes.unclosd", "quotes.unclosed"),
        ("--extend-select", "spelling.varity", "spelling.variety"),
    ):
        run = cli("check", str(article), option, typo)
        assert (run.code, run.errors) == (2, [f"copydesk: {option} {typo}: no rule matches; did you mean '{close}'?"])
    write(tmp_path / "desk" / "copydesk.toml", 'fail-on = "warning"\nselect = ["repetition", "translationse"]\n')
    story = write(tmp_path / "desk" / "b.txt", FLAWED)
    run = cli("check", str(story), "--format", "concise")
    assert run.code == 2
    assert run.errors == [
        f"copydesk: {story}: configuration: {tmp_path / 'desk' / 'copydesk.toml'}:2: "
        "select = translationse: no rule matches; did you mean 'translationese'?"
    ]


# -- the check command's flags -------------------------------------------------------------------


def test_quiet_prints_the_findings_and_nothing_else(tmp_path, cli):
    article = write(tmp_path / "a.txt", FLAWED)
    run = cli("check", str(article), "--quiet", "--format", "concise")
    assert run.code == 1 and run.err == ""  # no notice (grammar skipped), no summary
    assert [line.split(": ")[1] for line in run.out.splitlines()] == [
        "warning translationese.recall-that 'Recall that' is a calque of the Ukrainian/Russian newswire 'Нагадаємо'; English copy states the fact, with its date if needed (\"Milley retired on Sept. 30.\").",
        "warning repetition.doubled-word [*] 'the' is doubled; delete one.",
    ]
    run = cli("check", str(write(tmp_path / "b.txt", "The talks ended.\n")), "-q", *NO_LT)
    assert (run.code, run.out, run.err) == (0, "", "")


def test_exit_zero_and_errors(tmp_path, cli):
    article = write(tmp_path / "a.txt", FLAWED)
    assert cli("check", str(article), "--exit-zero", *NO_LT).code == 0
    run = cli("check", str(article), str(tmp_path / "missing.txt"), "--exit-zero", *NO_LT)
    assert run.code == 2  # a file that could not be read is still an error


def test_statistics_counts_by_rule(tmp_path, cli):
    write(tmp_path / "a.txt", FLAWED)
    write(tmp_path / "b.txt", "Recall that the talks ended. Aid reached Kiev.\n")
    run = cli("check", str(tmp_path), "--statistics", *NO_LT)
    assert run.code == 1
    assert run.out.splitlines() == [
        '2  translationese.recall-that  warning  "Recall that ...", "Let us remind you ...": the newswire "Нагадаємо"/"Напомним"',
        '1  names.house-style           warning  [1 fixable] Russian-derived or outdated spellings the house replaces ("Kiev" -> "Kyiv")',
        '1  repetition.doubled-word     warning  [1 fixable] The same word twice in a row ("the the"), across a line break too',
    ]
    report = tmp_path / "stats.json"
    cli("check", str(tmp_path / "a.txt"), "--statistics", "--format", "json", "-o", str(report), *NO_LT)
    assert [(r["rule"], r["count"], r["fixable"]) for r in json.loads(report.read_text())] == [
        ("repetition.doubled-word", 1, 1),
        ("translationese.recall-that", 1, 0),
    ]


def test_extend_select_adds_to_the_selection(tmp_path, cli):
    article = write(tmp_path / "a.txt", "The defence minister spoke. Recall that the talks ended.\n")
    rules = lambda run: sorted({line.split()[2] for line in concise(run)})  # noqa: E731
    base = ("check", str(article), "--format", "concise", *NO_LT)
    assert rules(cli(*base)) == ["translationese.recall-that"]
    # spelling.variety is off by default: --extend-select runs it beside the defaults
    assert rules(cli(*base, "--extend-select", "spelling.variety")) == ["spelling.variety", "translationese.recall-that"]
    # and beside a --select
    assert rules(cli(*base, "--select", "repetition", "--extend-select", "spelling.variety")) == ["spelling.variety"]


def test_show_fixes_lists_what_fix_would_do_and_what_it_did(tmp_path, cli):
    article = write(tmp_path / "a.txt", FLAWED)
    run = cli("check", str(article), "--show-fixes", "-q", "--format", "concise", *NO_LT)
    assert run.out.splitlines()[2:] == [
        f"{article}:1:1: translationese.recall-that [unsafe] Remove 'Recall that'",
        f"{article}:1:13: repetition.doubled-word [safe] Remove the repeated 'the'",
        "1 fixable with --fix (1 more with --unsafe-fixes).",
    ]
    run = cli("check", str(article), "--fix", "--show-fixes", "-q", "--format", "concise", *NO_LT)
    assert run.out.splitlines()[:3] == ["Fixed 1 problem:", f"- {article}:", "    1 × repetition.doubled-word"]
    assert article.read_text() == "Recall that the talks ended.\n"


def test_force_color_and_no_color(tmp_path, cli, monkeypatch):
    article = write(tmp_path / "a.txt", FLAWED)
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert "\033[" in cli("check", str(article), *NO_LT).out  # not a terminal, but forced
    monkeypatch.setenv("NO_COLOR", "1")
    assert "\033[" not in cli("check", str(article), *NO_LT).out  # NO_COLOR wins
    assert "\033[" in cli("check", str(article), "--color", "always", *NO_LT).out  # the flag wins


def test_rules_as_json(cli):
    run = cli("rules", "--format", "json", "--all")
    rows = {r["id"]: r for r in json.loads(run.out)}
    assert rows["spelling.variety"]["enabled"] is False
    assert rows["repetition.doubled-word"]["kind"] == "doubled-word" and rows["repetition.doubled-word"]["enabled"]
    assert set(rows["names.literal"]) == {"id", "kind", "severity", "enabled", "description", "message", "origin"}
    assert "spelling.variety" not in {r["id"] for r in json.loads(cli("rules", "--format", "json").out)}


def test_version(capsys):
    from qa import __version__
    from qa.cli import main

    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0 and capsys.readouterr().out == f"copydesk {__version__}\n"


def test_a_baselined_run_says_how_many_findings_the_baseline_hid(tmp_path, cli):
    article = write(tmp_path / "a.txt", FLAWED)
    baseline = tmp_path / "baseline.json"
    cli("check", str(article), "--write-baseline", str(baseline), *NO_LT)
    other = write(tmp_path / "b.txt", KIEV)
    run = cli("check", str(article), str(other), "--baseline", str(baseline), "--format", "concise", *NO_LT)
    assert [line.split()[2] for line in concise(run)] == ["names.house-style"]
    assert run.errors == [f"copydesk: the baseline hid 2 findings ({baseline})"]
    assert cli("check", str(article), "--baseline", str(baseline), "-q", *NO_LT).errors == []


def test_junit_passes_findings_below_fail_on(tmp_path, cli):
    """An info finding in a run that exits 0 is a passing test case with the finding as its
    output; at --fail-on info it fails."""
    article = write(tmp_path / "a.txt", "About 12 500 troops took part.\n")
    report = tmp_path / "junit.xml"
    run = cli("check", str(article), "--format", "junit", "-o", str(report), *NO_LT)
    assert run.code == 0
    suite = ET.parse(report).getroot().find("testsuite")
    assert (suite.get("tests"), suite.get("failures")) == ("1", "0")
    assert "chars.space-thousands" in suite.find("testcase/system-out").text
    run = cli("check", str(article), "--format", "junit", "-o", str(report), "--fail-on", "info", *NO_LT)
    assert run.code == 1
    assert ET.parse(report).getroot().find("testsuite").get("failures") == "1"


def test_a_report_copydesk_wrote_is_not_checked_by_the_next_walk(tmp_path, cli):
    write(tmp_path / "a.txt", FLAWED)
    for report in ("report.html", "report.txt"):
        fmt = "html" if report.endswith("html") else "text"
        cli("check", str(tmp_path), "--format", fmt, "-o", str(tmp_path / report), *NO_LT)
    run = cli("check", str(tmp_path), "--format", "concise", *NO_LT)
    assert {line.split(":")[0] for line in concise(run)} == {str(tmp_path / "a.txt")}
    assert run.out.splitlines()[-1] == "Found 2 problems (2 warnings) in 1 of 1 file."
    # edited, it is a file like any other again
    with open(tmp_path / "report.txt", "a", encoding="utf-8") as fh:
        fh.write("Recall that the report was edited.\n")
    run = cli("check", str(tmp_path), "--format", "concise", *NO_LT)
    assert str(tmp_path / "report.txt") in {line.split(":")[0] for line in concise(run)}


# -- suppression in plain text and Word ------------------------------------------------------------


def test_plain_text_suppression_lines_are_directives_and_fix_keeps_them(tmp_path, cli):
    story = write(
        tmp_path / "a.txt",
        "copydesk: disable-next-line names.house-style\nAid reached Kiev.\nAid reached Kiev again.\n\n"
        "copydesk: disable repetition\nThe the talks ended.\ncopydesk: enable\n",
    )
    run = cli("check", str(story), "--format", "concise", *NO_LT)
    assert concise(run) == [f"{story}:3:13: warning names.house-style [*] House style spells 'Kiev' as 'Kyiv'"]
    cli("check", str(story), "--fix", *NO_LT)
    assert story.read_text(encoding="utf-8") == (
        "copydesk: disable-next-line names.house-style\nAid reached Kiev.\nAid reached Kyiv again.\n\n"
        "copydesk: disable repetition\nThe the talks ended.\ncopydesk: enable\n"
    )


def test_word_suppression_by_comment_and_by_paragraph(tmp_path, cli):
    from docx import Document

    word = Document()
    word.add_paragraph("Aid reached Kiev.")
    credit = word.add_paragraph("Subscribe to our channels in Telegram and Viber.")
    word.add_comment(credit.runs, text="copydesk: disable boilerplate", author="Desk")
    word.add_paragraph("copydesk: disable-next-line names")
    word.add_paragraph("Aid reached Kiev again.")
    note = word.add_paragraph("The talks ended.")
    word.add_comment(note.runs, text="copydesk: disable quotes", author="Desk")  # silences nothing
    other = word.add_paragraph("Subscribe to our channels in Telegram and Viber.")
    word.add_comment(other.runs, text="Check this with the desk", author="Desk")  # not a directive
    path = tmp_path / "story.docx"
    word.save(path)
    run = cli("check", str(path), "--format", "concise", *NO_LT)
    assert [line.split(" ", 3)[:3] for line in concise(run)] == [
        [f"{path}:1:13:", "warning", "names.house-style"],
        [f"{path}:5:1:", "warning", "suppression.unused"],
        [f"{path}:6:1:", "warning", "boilerplate.subscribe"],
    ]
    assert "This copydesk: disable comment in Word (quotes) suppresses nothing" in concise(run)[1]


@pytest.mark.parametrize(
    "before,after",
    [
        (
            "# Title\n\nThe talks ended.\n\nSubscribe to our channels in Telegram and Viber.\n\nThe end came later.\n",
            "# Title\n\nThe talks ended.\n\nThe end came later.\n",
        ),
        (
            "# Title\n\nThe talks ended.\n\nSubscribe to our channels in Telegram and Viber.\n",
            "# Title\n\nThe talks ended.\n",
        ),
        (
            "Subscribe to our channels in Telegram and Viber.\n\nThe talks ended.\n",
            "The talks ended.\n",
        ),
    ],
    ids=["between", "last", "first"],
)
def test_fix_in_markdown_leaves_one_blank_line_where_a_paragraph_went(tmp_path, cli, before, after):
    story = write(tmp_path / "a.md", before)
    cli("check", str(story), "--fix", *NO_LT)
    assert story.read_text(encoding="utf-8") == after


def test_the_python_api_excludes_relative_to_the_working_folder(tmp_path, monkeypatch):
    from qa import check_paths
    from qa.config import Config

    write(tmp_path / "desk" / "a.txt", KIEV)
    write(tmp_path / "drafts" / "b.txt", KIEV)
    monkeypatch.chdir(tmp_path)
    results = check_paths(".", config=Config(exclude=("drafts",), ignore=("grammar",)))
    assert [r.path for r in results] == ["desk/a.txt"]
