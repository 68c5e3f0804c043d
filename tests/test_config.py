"""Configuration: discovery, keys, selection, severities, per-rule options, errors with lines."""

from __future__ import annotations

import textwrap

import pytest

from qa.config import Config, ConfigError, find_config, load_config
from qa.engine import build_ruleset
from qa.finding import Severity

FLAWED = "The plan was approved.\n\nIt is worth noting that the the talks ended.\n"


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def rules_found(run):
    return [f["rule"] for f in run.json()["files"][0]["findings"]]


def test_found_upward_from_the_file(tmp_path, cli):
    write(tmp_path / "copydesk.toml", 'ignore = ["repetition"]\n')
    article = write(tmp_path / "desk" / "2024" / "a.txt", FLAWED)
    assert find_config(article.parent) == tmp_path / "copydesk.toml"
    assert rules_found(cli("check", str(article), "--format", "json")) == ["translationese.worth-noting"]


def test_pyproject_tool_section(tmp_path, cli):
    write(tmp_path / "pyproject.toml", '[project]\nname = "x"\n\n[tool.copydesk]\nselect = ["repetition"]\n')
    article = write(tmp_path / "a.txt", FLAWED)
    assert rules_found(cli("check", str(article), "--format", "json")) == ["repetition.doubled-word"]


def test_pyproject_without_section_is_skipped(tmp_path):
    write(tmp_path / "copydesk.toml", "")
    write(tmp_path / "sub" / "pyproject.toml", '[project]\nname = "x"\n')
    assert find_config(tmp_path / "sub") == tmp_path / "copydesk.toml"


def test_explicit_config_wins(tmp_path, cli):
    write(tmp_path / "copydesk.toml", 'select = ["translationese"]\n')
    other = write(tmp_path / "elsewhere" / "strict.toml", 'select = ["repetition"]\n')
    article = write(tmp_path / "a.txt", FLAWED)
    assert rules_found(cli("check", str(article), "--config", str(other), "--format", "json")) == [
        "repetition.doubled-word"
    ]


def test_cli_select_and_ignore_by_prefix(tmp_path, cli):
    article = write(tmp_path / "a.txt", FLAWED)
    assert rules_found(
        cli("check", str(article), "--select", "repetition,translationese.worth-noting", "--format", "json")
    ) == ["translationese.worth-noting", "repetition.doubled-word"]
    assert rules_found(cli("check", str(article), "--ignore", "translationese", "--format", "json")) == [
        "repetition.doubled-word"
    ]
    # prefixes match whole dotted components: "repetition.doubled" is not a prefix of the id
    # so it selects nothing, which is said, not a silent clean run (issue 14, item 18)
    run = cli("check", str(article), "--select", "repetition.doubled")
    assert (run.code, run.errors) == (
        2,
        ["copydesk: --select repetition.doubled: no rule matches; did you mean 'repetition.doubled-word'?"],
    )


def test_severity_overrides_and_fail_on(tmp_path, cli):
    article = write(tmp_path / "a.txt", "It is worth noting that the talks ended.\n")
    # translationese.worth-noting is info: below the default fail-on level (warning)
    run = cli("check", str(article))
    assert run.code == 0 and "info translationese.worth-noting" in run.out
    assert cli("check", str(article), "--fail-on", "info").code == 1
    write(tmp_path / "copydesk.toml", '[severity]\ntranslationese = "error"\n')
    run = cli("check", str(article), "--format", "json", "--fail-on", "error")
    assert run.code == 1 and run.json()["files"][0]["findings"][0]["severity"] == "error"


def test_fail_on_in_config(tmp_path, cli):
    write(tmp_path / "copydesk.toml", 'fail-on = "error"\n')
    article = write(tmp_path / "a.txt", FLAWED)
    assert cli("check", str(article)).code == 0
    assert cli("check", str(article), "--fail-on", "warning").code == 1


def test_per_rule_options_and_enabled(tmp_path, cli):
    write(
        tmp_path / "copydesk.toml",
        """\
        [rules."repetition.doubled-word"]
        allow = ["the"]
        [rules."translationese.worth-noting"]
        enabled = false
        """,
    )
    article = write(tmp_path / "a.txt", FLAWED)
    assert rules_found(cli("check", str(article), "--format", "json")) == []


def test_extra_pack_relative_to_config(tmp_path, cli):
    write(
        tmp_path / "house.yaml",
        """\
        rules:
          - id: style.kiev
            kind: pattern
            severity: error
            description: Russian-derived spelling of the capital
            message: "Use 'Kyiv', not '{match}'"
            phrases: [Kiev]
            suggest: [Kyiv]
            fix: replace
        """,
    )
    write(tmp_path / "copydesk.toml", 'packs = ["house.yaml"]\nbuiltin-packs = false\n')
    article = write(tmp_path / "a.txt", "Aid reached Kiev on Monday.\n")
    run = cli("check", str(article), "--format", "json")
    [finding] = run.json()["files"][0]["findings"]
    assert (finding["rule"], finding["kind"], finding["text"], finding["suggestions"]) == (
        "style.kiev",
        "style",
        "Kiev",
        ["Kyiv"],
    )
    assert run.code == 1


@pytest.mark.parametrize(
    "text,line,reason",
    [
        ('select = ["quotes"]\ncolour = "red"\n', 2, "unknown key 'colour'"),
        ('select = "quotes"\n', 1, "'select' must be a list of strings"),
        ('fail-on = "fatal"\n', 1, "unknown severity 'fatal'"),
        ("select = [\n", 2, "invalid TOML"),
        ('[severity]\nquotes = "loud"\n', 2, "unknown severity 'loud'"),
    ],
)
def test_config_errors_name_file_and_line(tmp_path, text, line, reason):
    path = write(tmp_path / "copydesk.toml", text)
    with pytest.raises(ConfigError) as exc:
        load_config(path)
    assert str(exc.value).startswith(f"{path}:{line}: ")
    assert reason in str(exc.value)


@pytest.mark.parametrize(
    "text,line,reason",
    [
        ('[rules."repetition.doubled-word"]\nallow = "the"\n', 1, "option 'allow' must be a list of strings"),
        ('[rules."repetition.doubled-word"]\nloud = true\n', 1, "unknown key 'loud'"),
        ('\n[rules."nope.missing"]\nenabled = false\n', 2, "rules.nope.missing: no such rule"),
    ],
)
def test_rule_override_errors(tmp_path, text, line, reason):
    config = load_config(write(tmp_path / "copydesk.toml", text))
    with pytest.raises(ConfigError) as exc:
        build_ruleset(config)
    assert str(exc.value).startswith(f"{tmp_path / 'copydesk.toml'}:{line}: ") and reason in str(exc.value)


def test_broken_config_is_reported_and_other_files_checked(tmp_path, cli):
    write(tmp_path / "bad" / "copydesk.toml", "nonsense = 1\n")
    bad = write(tmp_path / "bad" / "a.txt", FLAWED)
    good = write(tmp_path / "good" / "b.txt", FLAWED)
    run = cli("check", str(bad), str(good), "--format", "json")
    assert run.code == 2
    files = run.json()["files"]
    assert "unknown key 'nonsense'" in files[0]["error"] and files[0]["findings"] == []
    assert files[1]["error"] is None and len(files[1]["findings"]) == 2
    assert len(run.errors) == 1 and f"{bad}: configuration: " in run.errors[0]


def test_default_config():
    config = Config()
    assert config.fail_on == Severity.WARNING and config.select == () and config.builtin_packs


def test_a_required_word_limits_the_search_to_the_sentences_that_hold_it(tmp_path, cli):
    """A pattern with `require` runs only in the sentences that hold a required word (the
    text is not searched whole): the same finding as a whole-text search where the word is
    there, none in a sentence without it."""
    write(
        tmp_path / "house.yaml",
        """
        rules:
          - id: style.vague-time
            kind: pattern
            severity: warning
            description: A vague time in a dispatch
            message: "Give the day, not '{match}'"
            patterns: ['\\b(?:recently|lately)\\b']
            require: [dispatch]
        """,
    )
    write(tmp_path / "copydesk.toml", 'packs = ["house.yaml"]\nbuiltin-packs = false\n')
    article = write(
        tmp_path / "a.txt",
        "Crews recently cleared the road. The dispatch said the bridge reopened recently.\n"
        "\nLately the nights are cold.\n",
    )
    found = cli("check", str(article), "--format", "json").json()["files"][0]["findings"]
    assert [(f["line"], f["column"], f["text"]) for f in found] == [(1, 72, "recently")]


def test_a_shipped_rule_with_several_patterns_skips_sentences_none_of_them_is_in():
    """A shipped rule's patterns joined into one alternation rule out the sentences that hold a
    required word but no match (one search, not one per pattern); a pattern with a numbered
    back-reference is never joined (its \\1 would name another pattern's group), and both
    still find exactly what each pattern finds alone."""
    from qa.checks import KINDS
    from qa.packs import parse_entry
    from qa.readers import read_source

    def rule(patterns: list[str]):
        entry = {
            "id": "test.joined", "kind": "pattern", "severity": "warning", "description": "d",
            "message": "m", "patterns": patterns, "require": ["said"],
        }
        return KINDS["pattern"](parse_entry("test.yaml", entry, builtin=True))

    doc = read_source(
        "a.txt", "He said it twice twice. She said no. They said yes yes and more more.\n", "txt"
    )
    joined = rule([r"\bno\b", r"\bmore\b"])
    assert joined._any_of is not None
    assert [(f.start, doc.text[f.start : f.end]) for f in joined.check(doc)] == [
        (33, "no"), (59, "more"), (64, "more")
    ]
    doubled = rule([r"\b(no)\b", r"\b(\w+) \1\b"])
    assert doubled._any_of is None
    assert [doc.text[f.start : f.end] for f in doubled.check(doc)] == [
        "twice twice", "no", "yes yes", "more more"
    ]


def test_a_pattern_fills_its_groups_into_suggestions_and_message_and_can_skip_headlines(tmp_path, cli):
    """`{name}` in `suggest` and `message` stands for the pattern's group `name`; with
    `headlines: false` a unit that ends no sentence (a headline) is not searched."""
    write(
        tmp_path / "house.yaml",
        """
        rules:
          - id: style.lost-the
            kind: pattern
            severity: warning
            description: An institution without "the"
            message: "'{match}' wants 'the' before {inst}"
            patterns: ['\\b(?P<prep>in|at) (?P<inst>Kremlin|Pentagon)\\b']
            suggest: ["{prep} the {inst}"]
            fix: replace
            headlines: false
            ignorecase: false
        """,
    )
    write(tmp_path / "copydesk.toml", 'packs = ["house.yaml"]\nbuiltin-packs = false\n')
    article = write(
        tmp_path / "a.txt",
        "Austin Meets Umerov at Pentagon\n\nThe talks in Kremlin ended. \u201cWe met at Pentagon.\u201d\n",
    )
    found = cli("check", str(article), "--format", "json").json()["files"][0]["findings"]
    assert [(f["line"], f["column"], f["text"], f["message"], f["suggestions"]) for f in found] == [
        (3, 11, "in Kremlin", "'in Kremlin' wants 'the' before Kremlin", ["in the Kremlin"]),
        (3, 37, "at Pentagon", "'at Pentagon' wants 'the' before Pentagon", ["at the Pentagon"]),
    ]
