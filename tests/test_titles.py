"""titles.*: dates, the seed's evidence, the positions data and the knowledge-base tools."""

from __future__ import annotations

import datetime as dt
import textwrap

import pytest
import yaml

from qa import check_text
from qa.config import Config
from qa.kbtools import check as kb_check
from qa.readers import read_source
from qa.titles import article_date, dates_in
from qa.titles import load as load_titles

from .conftest import ROOT

SEED_LIKE = (
    "Former Chairman of the Joint Chiefs of Staff General Mark Milley spoke.\n\n"
    "Farewell to General Mark Milley as Chairman of the Joint Chiefs of Staff on September 29, 2023\n\n"
    "Recall that on September 30, General Mark Milley ended his tenure at the head of the US Army.\n"
)


def test_seed_like_evidence_and_suggestion():
    [d] = check_text(SEED_LIKE, config=Config(select=("titles",)))
    assert (d.rule, d.line, d.text) == ("titles.mismatch", 5, "the head of the US Army")
    assert d.finding.suggestions == ("Chairman of the Joint Chiefs of Staff",)
    held = {(p["title"], p["start"], p["end"]) for p in d.finding.evidence["positions"]}
    assert held == {
        ("Chairman of the Joint Chiefs of Staff", "2019-10-01", "2023-09-30"),
        ("Chief of Staff of the US Army", "2015-08-14", "2019-08-09"),
    }
    assert all(p["source"].startswith("https://") for p in d.finding.evidence["positions"])
    assert d.finding.evidence["date"] == "2023-09-30"


def test_positions_data_size():
    data = load_titles()
    assert len(data.people) >= 100
    countries = {p.id.split("-")[0] for p in data.posts.values()}
    assert {"us", "ua", "ru", "nato", "eu"} <= countries


def test_dates_in_text():
    text = "On Sept. 30 and on September 29, 2023, and 12 May 2024 and 2025-02-03."
    assert dates_in(text, default_year=2023) == [
        dt.date(2023, 9, 30),
        dt.date(2023, 9, 29),
        dt.date(2024, 5, 12),
        dt.date(2025, 2, 3),
    ]


def test_article_date_sources():
    md = read_source("a.md", "---\ndate: 2022-03-01\n---\n\nOn May 5, 2024, it rained.\n", "md")
    assert article_date(md) == (dt.date(2022, 3, 1), "front matter")
    assert article_date(md, "2021-01-02") == (dt.date(2021, 1, 2), "--date")
    txt = read_source("a.txt", "On May 5, 2024, it rained. On June 1, 2023, too.\n", "txt")
    assert article_date(txt) == (dt.date(2024, 5, 5), "latest date in the text")
    assert article_date(read_source("a.txt", "No dates.\n", "txt"))[1] == "today"
    html = read_source("a.html", '<meta name="date" content="2023-10-20"><p>Text.</p>', "html")
    assert article_date(html) == (dt.date(2023, 10, 20), "HTML metadata")


def test_a_dateline_outranks_metadata_and_the_dates_the_text_mentions():
    """Issue 15: the date the page states at its top is the date its copy speaks at."""
    page = "Minister visits the front\n\nby Anna Bond\n\nOct. 22, 2023\n\nOn May 5, 2024, talks are due.\n"
    md = read_source("a.md", "---\ndate: 2022-03-01\n---\n\n" + page, "md")
    assert article_date(md) == (dt.date(2023, 10, 22), "dateline, line 9")
    assert article_date(md, "2021-01-02") == (dt.date(2021, 1, 2), "--date")
    for line, day in [
        ("16 September 2022 - 14:42", dt.date(2022, 9, 16)),
        ("October 19, 2024", dt.date(2024, 10, 19)),
        ("2024-05-06", dt.date(2024, 5, 6)),
        ("KYIV, Nov 20, 2023 — The minister spoke on Monday.", dt.date(2023, 11, 20)),
        ("ODESA, Ukraine (AP) — March 3, 2023: the port reopened.", dt.date(2023, 3, 3)),
    ]:
        doc = read_source("a.txt", f"Headline here\n\n{line}\n\nOn May 5, 2025, talks are due.\n", "txt")
        assert article_date(doc) == (day, "dateline, line 3"), line
    # a date inside a sentence is no dateline, nor is one far down the page
    prose = read_source("a.txt", "The talks of May 5, 2024 ended.\n\nOn June 1, 2023, too.\n", "txt")
    assert article_date(prose) == (dt.date(2024, 5, 5), "latest date in the text")
    far = "\n\n".join(["Line."] * 9 + ["Oct. 22, 2023", "On May 5, 2024, it rained."])
    assert article_date(read_source("a.txt", far, "txt")) == (dt.date(2024, 5, 5), "latest date in the text")


def test_cli_date_changes_the_verdict(tmp_path, cli):
    article = tmp_path / "a.txt"
    article.write_text("Defense Minister Rustem Umerov flew to Brussels.\n", encoding="utf-8")
    assert cli("check", str(article), "--select", "titles", "--date", "2024-01-10").code == 0
    run = cli("check", str(article), "--select", "titles", "--date", "2022-01-10", "--format", "json")
    assert [f["rule"] for f in run.json()["files"][0]["findings"]] == ["titles.mismatch"]
    with pytest.raises(SystemExit) as exc:  # argparse: usage error, exit 2
        cli("check", str(article), "--date", "yesterday")
    assert exc.value.code == 2


def test_kb_check_passes_on_the_shipped_data(cli):
    run = cli("kb", "check")
    assert (run.code, run.out) == (0, "Knowledge base OK.\n")


def test_kb_check_finds_problems(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        textwrap.dedent("""\
        as_of: 2025-01-01
        people:
          - {name: Test Person, source: "https://example.org", positions: [
              {post: us-secdef, start: 2020-05-01, end: 2019-01-01},
              {post: us-cia, start: 2010-01-01, end: 2014-01-01},
              {post: us-cia, start: 2013-01-01, end: 2016-01-01}]}
          - {name: Mark Milley, source: "https://example.org", positions: [{post: us-cia, start: 2001-01-01, end: 2002-01-01}]}
        """),
        encoding="utf-8",
    )
    problems = kb_check((str(bad),))
    assert any("us-secdef ends (2019-01-01) before it starts (2020-05-01)" in p for p in problems)
    assert any("two tenures of us-cia overlap" in p for p in problems)
    assert any("Mark Milley is listed 2 times" in p for p in problems)
    posts = tmp_path / "posts.yaml"
    posts.write_text(
        "posts:\n  - {id: x-army, org: us-army, title: Army Boss, heads: [boss], aliases: [head of the US Army]}\n",
        encoding="utf-8",
    )
    assert any(
        "alias 'head of the us army' is claimed by us-army-cos, x-army" in p for p in kb_check((str(posts),))
    )


def test_kb_check_reports_a_malformed_file_with_its_line(tmp_path, cli):
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "as_of: 2025-01-01\npeople:\n  - {name: X, source: s, positions: [{post: nope, start: 2020}]}\n",
        encoding="utf-8",
    )
    (tmp_path / "copydesk.toml").write_text('knowledge = ["bad.yaml"]\n', encoding="utf-8")
    run = cli("kb", "check", "--config", str(tmp_path / "copydesk.toml"))
    assert run.code == 1 and run.out.startswith(f"{bad}:3: X: unknown post 'nope'")


def test_import_wikidata(tmp_path, cli):
    out = tmp_path / "positions.yaml"
    source = ROOT / "tests" / "data" / "wikidata" / "entities.json"
    run = cli(
        "kb",
        "import-wikidata",
        str(source),
        "--post",
        "Q900103=ua-ambassador-uk",
        "--as-of",
        "2025-01-01",
        "-o",
        str(out),
    )
    assert run.code == 0
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert data["as_of"] == dt.date(2025, 1, 1)
    [person] = data["people"]
    assert person["name"] == "Oksana Testenko"
    assert person["positions"] == [
        {
            "post": "us-cjcs",
            "start": "2019-10-01",
            "end": "2023-09-30",
            "source": "https://www.wikidata.org/wiki/Q900001",
        },
        {
            "post": "us-army-cos",
            "start": "2015-08-14",
            "end": "2019-08-09",
            "source": "https://www.wikidata.org/wiki/Q900001",
        },
        {
            "post": "ua-ambassador-uk",
            "start": "2024-03",
            "end": None,
            "source": "https://www.wikidata.org/wiki/Q900001",
        },
    ]
    notes = [line for line in run.err.splitlines() if line.startswith("copydesk: note: ")]
    assert any("Q900104 (village elder) matches no post" in n for n in notes)
    assert any("us-cjcs has no start date" in n for n in notes)
    # the imported file is a valid positions file: the titles checks can use it
    (tmp_path / "copydesk.toml").write_text('knowledge = ["positions.yaml"]\n', encoding="utf-8")
    assert cli("kb", "check", "--config", str(tmp_path / "copydesk.toml")).code == 0


@pytest.mark.parametrize("bad", ["not json", '{"entities": 3}'])
def test_import_wikidata_bad_input(tmp_path, cli, bad):
    path = tmp_path / "x.json"
    path.write_text(bad, encoding="utf-8")
    run = cli("kb", "import-wikidata", str(path))
    assert run.code == 2 and run.err.startswith(f"copydesk: {path}: ")


def test_reports_say_which_date_judged_a_title_and_whence(tmp_path, cli):
    article = tmp_path / "a.txt"
    article.write_text(
        "Minister visits\n\nOct. 22, 2021\n\nDefense Minister Rustem Umerov flew to Brussels.\n", encoding="utf-8"
    )
    text = cli("check", str(article), "--select", "titles")
    assert "  = judged at: 2021-10-22 (dateline, line 3)\n" in text.out
    [finding] = cli("check", str(article), "--select", "titles", "--format", "json").json()["files"][0]["findings"]
    assert (finding["evidence"]["article_date"], finding["evidence"]["date_source"]) == (
        "2021-10-22",
        "dateline, line 3",
    )
    # --date wins, and says so
    text = cli("check", str(article), "--select", "titles", "--date", "2022-01-10")
    assert "  = judged at: 2022-01-10 (--date)\n" in text.out


@pytest.mark.parametrize(
    "names, derived",
    [
        (
            ("Commander of the Air Force of Ukraine",),
            ["Commander of Ukraine's Air Force", "Ukraine's Commander of the Air Force"],
        ),
        (("Commander of the Ukrainian Air Force",), ["Commander of Ukraine's Air Force"]),
        (
            ("Chief of the Russian General Staff",),
            ["Chief of Russia's General Staff", "head of Russia's General Staff", "head of the Russian General Staff"],
        ),
        (
            ("Commander of the Black Sea Fleet of the Russian Federation",),
            ["Commander of Russia's Black Sea Fleet", "Russia's Commander of the Black Sea Fleet"],
        ),
        (("Chief of Staff of the US Air Force",), []),  # "head of Staff" is no post; no US possessive
        (("Minister of Defence of Ukraine",), ["Ukraine's Minister of Defence"]),
    ],
)
def test_derived_possessive_aliases(names, derived):
    from qa.titles import derived_aliases

    assert derived_aliases(names) == derived


def test_kb_check_finds_rank_problems(tmp_path):
    bad = tmp_path / "ranks.yaml"
    bad.write_text(
        textwrap.dedent("""\
        as_of: 2025-01-01
        people:
          - {name: Test Officer, source: "https://example.org", positions: [], ranks: [
              {rank: colonel, start: 2015, end: null},
              {rank: major-general, start: 2020-05-01, end: 2019-01-01}]}
        """),
        encoding="utf-8",
    )
    problems = kb_check((str(bad),))
    assert any("rank major-general ends (2019-01-01) before it starts (2020-05-01)" in p for p in problems)
    assert any("ranks colonel and major-general overlap (2015 and 2020-05-01)" in p for p in problems)


def test_an_unknown_rank_or_a_misnomer_without_its_name_is_a_pack_error(tmp_path, cli):
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "as_of: 2025-01-01\npeople:\n  - {name: X, source: s, positions: [], ranks: [{rank: field-marshal, start: 2020}]}\n",
        encoding="utf-8",
    )
    (tmp_path / "copydesk.toml").write_text('knowledge = ["bad.yaml"]\n', encoding="utf-8")
    run = cli("kb", "check", "--config", str(tmp_path / "copydesk.toml"))
    assert run.code == 1 and run.out.startswith(f"{bad}:3: X: unknown rank ")
    posts = tmp_path / "posts.yaml"
    posts.write_text(
        "organizations:\n  - {id: x-group, names: [X Group], misnamed: [X Special Command]}\nposts: []\n",
        encoding="utf-8",
    )
    (tmp_path / "copydesk.toml").write_text('knowledge = ["posts.yaml"]\n', encoding="utf-8")
    run = cli("kb", "check", "--config", str(tmp_path / "copydesk.toml"))
    assert run.code == 1 and "organization x-group: 'misnamed' needs a 'title' and a 'source'" in run.out


def test_a_house_posts_file_adds_word_for_word_titles_and_unit_names(tmp_path):
    from qa import check_text
    from qa.config import Config

    posts = tmp_path / "posts.yaml"
    posts.write_text(
        textwrap.dedent("""\
        organizations:
          - {id: x-group, names: [Lviv Group], title: Lviv Operational Group, source: "https://example.org",
             misnamed: ["Lviv {Special|Operative} Command"], note: "the Lviv group is an operational group"}
        posts:
          - {id: x-mayor, org: ua-government, title: Mayor of Lviv City, heads: [mayor], literal: [City Head of Lviv]}
        """),
        encoding="utf-8",
    )
    config = Config(select=("titles.nonexistent",), knowledge=(str(posts),))
    found = check_text("The City Head of Lviv met the Lviv Operative Command.", config=config)
    assert [(d.rule, d.text) for d in found] == [
        ("titles.nonexistent", "City Head of Lviv"),
        ("titles.nonexistent", "Lviv Operative Command"),
    ]
    assert "the post is Mayor of Lviv City" in found[0].finding.message
    assert found[1].finding.suggestions == ("Lviv Operational Group",)


def test_a_positions_file_in_knowledge_is_read_by_titles_and_left_alone_by_names(tmp_path, cli):
    # a house positions file used to stop the run: the names knowledge base took it for entities
    (tmp_path / "positions.yaml").write_text(
        'as_of: 2025-01-01\npeople:\n  - {name: Ivan Petrenko, source: "https://example.org", '
        "positions: [{post: us-cia, start: 2020}]}\n",
        encoding="utf-8",
    )
    (tmp_path / "copydesk.toml").write_text('knowledge = ["positions.yaml"]\n', encoding="utf-8")
    (tmp_path / "a.txt").write_text("CIA Director Ivan Petrenko spoke in Kyiv on May 1, 2019.\n", encoding="utf-8")
    run = cli("check", "a.txt", "--no-cache", "--select", "titles,names", cwd=tmp_path)
    assert run.code == 1
    assert "a.txt:1:1: warning titles.mismatch" in run.out and "took that post only on 2020" in run.out


def test_every_rank_form_holds_a_word_the_rank_check_looks_for_first():
    from qa.checks.titles import _RANK_WORDS
    from qa.titles import ranks

    forms = [f for row in ranks().values() for lang in row.values() for f in lang]
    assert forms and all(any(w in f for w in _RANK_WORDS) for f in forms)
