"""Page chrome beyond the rule case tables: how it shares lines with the other boilerplate
rules, blocks of lines, and the cost it may add (see benchmarks/RESULTS.md for the speed)."""

from __future__ import annotations

import qa
from qa.config import Config

BOILERPLATE = Config(select=("boilerplate",))


def rules_and_texts(text: str) -> list[tuple[str, str]]:
    return [(d.rule, d.text) for d in qa.check_text(text, config=BOILERPLATE)]


def test_a_more_specific_rule_speaks_for_a_line_of_the_story():
    """The photo-credit rule finds the credit inside a sentence; the page-chrome caption rule
    must not flag (and its fix remove) the whole sentence beside it."""
    text = "The work will start in October.\n\nThe crews arrive in May (Photo: Kyiv City Administration) and stay until spring, the city said.\n"
    assert rules_and_texts(text) == [("boilerplate.photo-credit", "(Photo: Kyiv City Administration)")]


def test_a_block_of_lines_keeps_its_finding_beside_a_one_line_one():
    text = (
        "Ministers meet in Kyiv\n\nRead also: Lviv opens a school\nAll Sections\nSupport Us\n\n"
        "The ministers met on Thursday and agreed on a plan for the winter.\n"
    )
    assert rules_and_texts(text) == [
        ("boilerplate.read-also", "Read also: Lviv opens a school"),
        ("boilerplate.navigation", "Read also: Lviv opens a school\nAll Sections\nSupport Us"),
    ]


def test_consecutive_lines_of_a_class_are_one_finding_with_their_count():
    text = "Ministers meet in Kyiv\n\nLeave a Reply\n\nYour email address will not be published.\n\nThe ministers met on Thursday and agreed on a plan.\n"
    [d] = qa.check_text(text, config=Config(select=("boilerplate.navigation",)))
    assert d.finding.evidence["lines"] == 2 and "delete these 2 lines" in d.finding.message
    assert (d.line, d.end_line) == (3, 5)


def test_a_story_line_with_a_hundred_glued_tags_keeps_them_on_its_line():
    """Each glued tag is a finding on its own line however many there are (the fuzzer found a
    page pasted as one line with over 100 tags: their keys ran into the next lines' numbers and
    the teaser-list pass looked up a line past the end)."""
    body = " ".join(f"<p>The council met on day {k} and voted on the budget again.</p>" for k in range(60))
    for text in (f"Council approves the budget\n\n{body}\n", f"{body}\n\nMayor Names New Deputy For Housing\n"):
        found = qa.check_text(text, config=Config(select=("boilerplate",)))
        assert len(found) == 120 and {d.rule for d in found} == {"boilerplate.markup"}
        assert {d.text for d in found} == {"<p>", "</p>"} and {d.line for d in found} == {text.count("\n", 0, text.index("<p>")) + 1}


def test_lines_are_found_alike_when_casefolding_changes_the_offsets():
    """Anchors and markup characters are looked for in the casefolded text, whose offsets are
    the text's only while no letter folds to two ("ß" to "ss"): a text with one is searched
    line by line instead, with the same findings on the same lines."""
    story = (
        "A strong storm hit the coast on Sunday night and cut power to thousands of homes.\n\n"
        "Crews worked through Monday to restore it, the company said in a statement.\n\n"
        "This site uses cookies to improve your experience.\n\n<div class=\"ad\">\n\n"
        "Repairs should end by Friday, officials said.\n"
    )
    plain = [(d.rule, d.line, d.column, d.text) for d in qa.check_text(story, config=BOILERPLATE)]
    folded = story.replace("Sunday", "Sunday in Straße", 1)
    assert [(d.rule, d.line, d.column, d.text) for d in qa.check_text(folded, config=BOILERPLATE)] == plain
    assert plain == [
        ("boilerplate.navigation", 5, 1, "This site uses cookies to improve your experience."),
        ("boilerplate.markup", 7, 1, "<div class=\"ad\">"),
    ]
