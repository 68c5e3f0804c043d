"""Sentence splitting on news copy, and tokens."""

from __future__ import annotations

import pytest

from qa.segment import segment

CASES = [
    ("Gen. Mark Milley met officials. He left.", ["Gen. Mark Milley met officials.", "He left."]),
    ("The U.S. Army sent aid. It arrived.", ["The U.S. Army sent aid.", "It arrived."]),
    ("He met officials in the U.S. The talks ended.", ["He met officials in the U.S.", "The talks ended."]),
    (
        "It happened on Sept. 30 in Kyiv. Then it rained.",
        ["It happened on Sept. 30 in Kyiv.", "Then it rained."],
    ),
    ("Aid reached $40.5 billion. More is coming.", ["Aid reached $40.5 billion.", "More is coming."]),
    (
        "Resolution No. 55 sets the rules. It dates from 2010.",
        ["Resolution No. 55 sets the rules.", "It dates from 2010."],
    ),
    ('He said he "felt alone." He stopped talking.', ['He said he "felt alone."', "He stopped talking."]),
    ('"Why?" he asked. "Go."', ['"Why?" he asked.', '"Go."']),
    ("The country was invaded. ... He was pressed.", ["The country was invaded. ...", "He was pressed."]),
    ("It was a real disaster... We recovered.", ["It was a real disaster...", "We recovered."]),
    (
        "J. R. Smith and Dr. Olena Petrenko spoke. Sen. Jack Reed agreed.",
        ["J. R. Smith and Dr. Olena Petrenko spoke.", "Sen. Jack Reed agreed."],
    ),
    (
        "Acme Inc. said it would invest. The deal closed.",
        ["Acme Inc. said it would invest.", "The deal closed."],
    ),
    ("Acme Inc. Ukraine opened an office.", ["Acme Inc. Ukraine opened an office."]),
    ("At 5 p.m. the sirens stopped.", ["At 5 p.m. the sirens stopped."]),
    ("Is it over? No. It is not!", ["Is it over?", "No.", "It is not!"]),
]


@pytest.mark.parametrize("text,expected", CASES, ids=[c[0][:30] for c in CASES])
def test_sentences(text, expected):
    seg = segment(text)
    assert [text[s.start : s.end] for s in seg.sentences] == expected


def test_paragraphs_and_sentence_paragraph_index():
    text = "First one. Second one.\n\n  Third one.\n \nFourth."
    seg = segment(text)
    assert [text[p.start : p.end] for p in seg.paragraphs] == [
        "First one. Second one.",
        "Third one.",
        "Fourth.",
    ]
    assert [s.paragraph for s in seg.sentences] == [0, 0, 1, 2]


def test_tokens_keep_hyphens_apostrophes_and_decimals():
    text = "Zaluzhnyi's commander-in-chief sent $40.5 billion to the U.S. on 09.30."
    seg = segment(text)
    words = [t.text for t in seg.tokens if t.kind == "word"]
    assert words == ["Zaluzhnyi's", "commander-in-chief", "sent", "billion", "to", "the", "U.S.", "on"]
    assert [t.text for t in seg.tokens if t.kind == "number"] == ["40.5", "09.30"]
    sentence = seg.sentences[0]
    assert seg.tokens_of(sentence)[0].text == "Zaluzhnyi's"
