"""Rule packs: every malformation is one error naming the file and the line."""

from __future__ import annotations

import textwrap

import pytest

from qa.checks import KINDS
from qa.packs import PackError, builtin_pack_paths, load_pack, load_packs

GOOD = """\
rules:
  - id: style.kiev
    kind: pattern
    severity: warning
    description: Russian-derived spelling
    message: "Use Kyiv"
    phrases: [Kiev]
"""


def pack(tmp_path, text, name="p.yaml"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_good_pack(tmp_path):
    [spec] = load_pack(pack(tmp_path, GOOD))
    assert (spec.id, spec.kind, str(spec.severity)) == ("style.kiev", "pattern", "warning")
    assert spec.options["phrases"] == ["Kiev"] and spec.options["anchor"] == "any"
    assert spec.origin.endswith("p.yaml:2")


@pytest.mark.parametrize(
    "change,line,reason",
    [
        (
            ("    phrases: [Kiev]", "    phrases: [Kiev]\n    colour: red"),
            8,
            "unknown key 'colour' for kind 'pattern'",
        ),
        (("kind: pattern", "kind: regex"), 3, "unknown kind 'regex'"),
        (("severity: warning", "severity: loud"), 4, "unknown severity 'loud'"),
        (("id: style.kiev", "id: Kiev"), 2, "rule id 'Kiev' must be '<family>.<name>'"),
        (("    phrases: [Kiev]", "    patterns: ['(unclosed']"), 7, "invalid pattern '(unclosed'"),
        (("    phrases: [Kiev]", "    phrases: Kiev"), 7, "option 'phrases' must be a list of strings"),
        (
            ("    phrases: [Kiev]", "    anchor: middle\n    phrases: [Kiev]"),
            7,
            "expected one of: any, start, whole",
        ),
        (('    message: "Use Kyiv"\n', ""), 2, "needs a non-empty string 'message'"),
        (("rules:", "rulez:"), 1, "unknown key 'rulez'"),
        (("    description: Russian-derived spelling", "    description: [unclosed"), 6, "invalid YAML"),
        (("    phrases: [Kiev]", "    phrases: [Kiev]\n    phrases: [Kyiv]"), 8, "duplicate key 'phrases'"),
    ],
)
def test_malformed_pack(tmp_path, change, line, reason):
    path = pack(tmp_path, GOOD.replace(*change))
    with pytest.raises(PackError) as exc:
        load_pack(path)
    assert str(exc.value).startswith(f"{path}:{line}: "), str(exc.value)
    assert reason in str(exc.value)


def test_not_a_mapping(tmp_path):
    path = pack(tmp_path, "- just\n- a list\n")
    with pytest.raises(PackError, match=r"p\.yaml: a pack must be a mapping"):
        load_pack(path)


def test_duplicate_id_across_packs(tmp_path):
    a, b = pack(tmp_path, GOOD, "a.yaml"), pack(tmp_path, GOOD, "b.yaml")
    with pytest.raises(PackError) as exc:
        load_packs([a, b])
    assert str(exc.value).startswith(f"{b}:2: rule id 'style.kiev' already defined at {a}:2")


def test_builtin_packs_load():
    ids = [s.id for s in load_packs(builtin_pack_paths())]
    assert len(ids) == len(set(ids)) >= 18


def test_malformed_pack_via_config_is_one_line_and_exit_2(tmp_path, cli):
    pack(tmp_path, GOOD.replace("kind: pattern", "kind: regex"), "house.yaml")
    (tmp_path / "copydesk.toml").write_text('packs = ["house.yaml"]\n', encoding="utf-8")
    article = tmp_path / "a.txt"
    article.write_text("The the plan.\n", encoding="utf-8")
    run = cli("check", str(article), "--config", str(tmp_path / "copydesk.toml"))
    assert run.code == 2
    assert run.errors == [
        f"copydesk: {article}: configuration: {tmp_path / 'house.yaml'}:3: unknown kind 'regex' "
        f"(known: {', '.join(KINDS)})"
    ]
