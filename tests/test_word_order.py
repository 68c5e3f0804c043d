"""Word order: the corpus figures, the seed-like sentence, and the word-class data."""

from __future__ import annotations

import importlib.util

from qa import check_text
from qa.config import Config
from qa.lexicon import closed_classes, demonyms, word_classes

from .conftest import ROOT

spec = importlib.util.spec_from_file_location("word_order_bench", ROOT / "benchmarks" / "word_order.py")
bench = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bench)  # type: ignore[union-attr]


def test_corpus_recall_and_false_alarms():
    result = bench.evaluate()
    assert len(result["garbled"]) >= 60 and len(result["clean"]) >= 300
    assert result["recall"] >= 0.6
    assert result["false_alarm_rate"] <= 0.01


def test_seed_like_sentence_suggests_the_reordering():
    text = 'At the end of the conversation Ukrainian the commander-in-chief, he "felt alone."'
    found = check_text(text, config=Config(select=("order",)))
    rules = {d.rule: d for d in found}
    assert set(rules) == {"order.displaced-article", "order.resumptive-pronoun"}
    assert "the Ukrainian commander-in-chief" in rules["order.displaced-article"].finding.suggestions


def test_word_classes_come_from_the_shipped_lexicon():
    assert "N" in word_classes("conversation") and "V" in word_classes("felt")
    assert word_classes("important") == "A" and word_classes("xyzzy") == ""
    assert "ukrainian" in demonyms() and "the" in closed_classes()["articles"]
