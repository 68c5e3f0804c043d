"""Name grouping, the knowledge base and transliteration."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from qa import kb as kbmod
from qa.names import is_gendered_pair, same_name, skeleton
from qa.translit import kmu2010, romanizations

from .conftest import ROOT

KB = kbmod.load(())
PAIRS = yaml.safe_load((Path(__file__).parent / "data" / "name_pairs.yaml").read_text(encoding="utf-8"))


def test_pair_table_size():
    assert len(PAIRS["same"]) >= 40 and len(PAIRS["different"]) >= 40
    for name in (
        "Milley/Miller",
        "Zelenskyy/Zelenska",
        "Lavrov/Lavrova",
        "Marin/Martin",
        "Austin/Justin",
        "Umerov/Umarov",
        "Sikorski/Sikorsky",
        "Biden/Baden",
        "Kyiv/Kiel",
    ):
        assert name.split("/") in PAIRS["different"]


def test_grouping_precision_and_recall():
    kb = kbmod.load()
    results = [(label, same_name(a, b, kb)[0]) for label in ("same", "different") for a, b in PAIRS[label]]
    tp = sum(1 for label, grouped in results if label == "same" and grouped)
    fp = sum(1 for label, grouped in results if label == "different" and grouped)
    fn = sum(1 for label, grouped in results if label == "same" and not grouped)
    assert tp / (tp + fp) >= 0.95
    assert tp / (tp + fn) >= 0.85


def test_benchmark_script_prints_both_figures():
    proc = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "name_grouping.py")],
        capture_output=True,
        text=True,
        check=True,
    )
    lines = proc.stdout.splitlines()
    assert lines[0].startswith("with knowledge base: precision ") and lines[1].startswith(
        "string rules only:"
    )


@pytest.mark.parametrize(
    "a,b,key",
    [
        ("Zaluzhnyi", "Zaluzhny", "zaluzn"),
        ("Kyiv", "Kiev", "kiv"),
        ("Kharkiv", "Kharkov", "harkiv"),
        ("Milley", "Millie", "mili"),
        ("Podolyak", "Podoliak", "podolak"),
        ("Odesa", "Odessa", "odisa"),
    ],
)
def test_skeleton(a, b, key):
    assert skeleton(a) == skeleton(b) == key


@pytest.mark.parametrize(
    "a,b,expected",
    [
        ("Zelenskyy", "Zelenska", True),
        ("Lavrov", "Lavrova", True),
        ("Navalny", "Navalnaya", True),
        ("Zelenskyy", "Zelensky", False),
        ("Marina", "Marin", True),
        ("Kuleba", "Kulebov", False),
    ],
)
def test_gendered_pairs(a, b, expected):
    assert is_gendered_pair(a, b) is expected


@pytest.mark.parametrize(
    "cyrillic,latin",
    [
        ("Згорани", "Zghorany"),
        ("Розгон", "Rozghon"),
        ("Ярошенко", "Yaroshenko"),
        ("Знам'янка", "Znamianka"),
        ("Знам’янка", "Znamianka"),
        ("Знамʼянка", "Znamianka"),
        ("Хмельницький", "Khmelnytskyi"),
        ("Юрій", "Yurii"),
        ("Їжакевич", "Yizhakevych"),
        ("Короп'є", "Koropie"),
        ("Залужний", "Zaluzhnyi"),
    ],
)
def test_kmu_2010_official_examples(cyrillic, latin):
    assert kmu2010(cyrillic) == latin


def test_russian_systems():
    forms = romanizations("Валерий Залужный", "ru")
    assert forms["ru-bgn"] == "Valeriy Zaluzhnyy" and forms["ru-press"] == "Valery Zaluzhny"
    assert romanizations("Сергей Шойгу", "ru")["ru-bgn"] == "Sergey Shoygu"


class TestKnowledgeBase:
    kb = kbmod.load()

    def test_size_and_kinds(self):
        kinds = {e.kind for e in self.kb.entities}
        assert len(self.kb.entities) >= 200 and kinds == {"person", "place", "organization"}

    @pytest.mark.parametrize(
        "form,canonical",
        [
            ("Zaluzhny", "Zaluzhnyi"),
            ("zaluzhnyy", "Zaluzhnyi"),
            ("Kiev", "Kyiv"),
            ("Kharkov", "Kharkiv"),
            ("Millie", "Milley"),
            ("Syrsky", "Syrskyi"),
            ("Umierov", "Umerov"),
            ("Zelenskaya", "Zelenska"),
        ],
    )
    def test_derived_and_explicit_variants(self, form, canonical):
        assert self.kb.canonical_key(form) == canonical

    def test_distinct(self):
        assert self.kb.known_distinct("Milley", "Miller")
        assert self.kb.known_distinct("Sikorski", "Sikorsky")
        assert not self.kb.known_distinct("Zaluzhnyi", "Zaluzhny")

    def test_extra_file_and_errors(self, tmp_path):
        good = tmp_path / "local.yaml"
        good.write_text(
            "defaults: {kind: person, lang: uk}\nentities:\n"
            "  - {name: Oksana Hnatiuk, cyrillic: Оксана Гнатюк}\n",
            encoding="utf-8",
        )
        kb = kbmod.load((str(good),))
        assert kb.canonical_key("Hnatyuk") == "Hnatiuk"  # derived: BGN 1965 romanization
        bad = tmp_path / "bad.yaml"
        bad.write_text(
            "entities:\n  - {name: X, cyrillic: Х, kind: person, lang: uk, title: boss}\n", encoding="utf-8"
        )
        with pytest.raises(kbmod.PackError) as exc:
            kbmod.load((str(bad),))
        assert str(exc.value).startswith(f"{bad}:2: unknown field 'title'")
        bad.write_text(
            "entities:\n  - {name: X Y, cyrillic: Х, kind: person, lang: uk, widely_known: 'no'}\n", encoding="utf-8"
        )
        with pytest.raises(kbmod.PackError) as exc:
            kbmod.load((str(bad),))
        assert str(exc.value).startswith(f"{bad}:2: 'widely_known' must be true or false")

    def test_widely_known(self):
        [yusov] = self.kb.lookup("Yusov")
        [zelenskyy] = [e for e in self.kb.lookup("Zelenskyy") if e.kind == "person"]
        assert (yusov.widely_known, zelenskyy.widely_known) == (False, True)

    def test_first_names(self):
        table = kbmod.first_names()
        assert table["valery"][0] == "ru" and table["valerii"][0] == "uk"
        assert table["andriy"][0] == "uk" and table["sergei"][0] == "ru"


def _forms(spellings: list[str]):
    from qa.names import NameForm

    forms = []
    for i, spelling in enumerate(spellings):
        form = NameForm(spelling.casefold())
        form.spellings[spelling] = 1
        form.spans.append((i * 20, i * 20 + len(spelling)))
        form.followers.append(None)
        forms.append(form)
    return forms


@pytest.mark.parametrize(
    ("a", "b", "grouped"),
    [
        ("Shmyhal", "Shmyhak", True),  # substitution, last letter
        ("Shmyhal", "Shymhal", True),  # neighbours swapped
        ("Shmyhal", "Shmyhsl", True),  # substitution, next to last
        ("Shmyhal", "Shmhal", True),  # a letter dropped (still six letters)
        ("Kovalchuk", "Kovalchyk", True),
        ("Shmyhal", "Shmyhall", True),  # a doubled letter: the romanization tier
        ("Shmyhal", "Shmotal", False),  # two edits
        ("Shmyhal", "Shnyhal", False),  # one edit near the start: Jaro-Winkler under 0.93
        ("Shmyhal", "Thmyhal", False),  # another first letter
        ("Petrov", "Petrova", False),  # a gendered pair
        ("Badan", "Baran", False),  # under six letters: the typo tier leaves them alone
    ],
)
def test_typo_tier_groups_one_edit_apart(a, b, grouped):
    from qa.checks.name_variants import group_forms

    groups = group_forms(_forms([a, b]), KB)
    assert [[f.display for f in g] for g in groups] == ([[a, b]] if grouped else [])


def test_grouping_compares_few_pairs_however_many_names(monkeypatch):
    """Blocking keeps comparisons near-linear in the number of names (an archive run holds tens
    of thousands): 4,000 distinct invented surnames, a tenth of them typos of another."""
    import random

    from qa.checks import name_variants

    rng = random.Random(8)
    made: list[str] = []
    while len(made) < 4000:
        if made and rng.random() < 0.1:
            b = rng.choice(made)
            i = rng.randrange(1, len(b))
            name = b[:i] + rng.choice("aeiouklmnr") + b[i + 1 :]
        else:
            name = rng.choice("BKLMPRSTZ") + "".join(
                rng.choice("aeiouy") + rng.choice("bdklmnprstvz") for _ in range(rng.randint(2, 4))
            )
        if name not in made:
            made.append(name)
    calls = []
    real = name_variants.same_name
    monkeypatch.setattr(name_variants, "same_name", lambda a, b, kb: calls.append(1) or real(a, b, kb))
    groups = name_variants.group_forms(_forms(made), KB)
    assert len(groups) > 100  # the typos were found
    assert len(calls) < 3 * len(made), f"{len(calls)} comparisons for {len(made)} names"


def test_grouping_memory_stays_small_with_many_names():
    """Typo keys are held a first letter at a time, as hashes: grouping 8,000 names needs a few
    megabytes beyond the names themselves (6 MB; every key at once, as strings, took 16 MB)."""
    import random
    import tracemalloc

    from qa.checks.name_variants import group_forms
    from qa.lexicon import is_english_word

    rng = random.Random(8)
    made: list[str] = []
    while len(made) < 8000:
        name = rng.choice("BKLMPRSTZ") + "".join(
            rng.choice("aeiouy") + rng.choice("bdklmnprstvz") for _ in range(rng.randint(2, 4))
        )
        if name not in made:
            made.append(name)
    forms = _forms(made)
    is_english_word("the")  # the word list loads outside the measurement
    tracemalloc.start()
    groups = group_forms(forms, KB)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert groups and peak < 10_000_000, f"peak {peak:,} bytes"
