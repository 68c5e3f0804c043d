"""Hostile and clumsy input (issue 14, items 9-14 and 18): nothing freezes, nothing reads without
end, and every bad input is one line naming the file and the reason, exit 2, the other files
still checked."""

from __future__ import annotations

import json
import os
import socket
import threading
import time
from pathlib import Path

import pytest

NO_LT = ("--ignore", "grammar")
GOOD = "The minister said the the plan was ready.\n"


def _write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def _with_good(tmp_path: Path, bad: Path, cli, *args: str):
    """Check `bad` beside a good file: the bad one is one line, the good one still reported."""
    good = _write(tmp_path / "good.txt", GOOD)
    run = cli("check", "--no-cache", *NO_LT, *args, str(bad), str(good))
    assert run.code == 2
    assert "good.txt:1:19: warning repetition.doubled-word" in run.out
    return run


# -- 9. YAML alias bombs and deep nesting ----------------------------------------------------------

BOMB = (
    "a: &a [x, x, x, x, x, x, x, x, x]\n"
    + "".join(f"{c}: &{c} [{', '.join([f'*{p}'] * 9)}]\n" for p, c in zip("abcdefgh", "bcdefghi", strict=True))
)


@pytest.mark.parametrize(
    ("header", "reason"),
    [
        (BOMB, "front matter (line 2): invalid YAML: anchors and aliases (&name, *name) are not allowed"),
        ("x: " + "[" * 5000 + "]" * 5000 + "\n", "front matter (line 2): invalid YAML: nested more than 64 levels deep"),
        ("date: 2023-02-30\n", "front matter (line 2): invalid YAML: invalid value '2023-02-30': day is out of range for month"),
        ("? [a, b]\n: c\n", "front matter (line 2): keys must be plain values"),
    ],
)
def test_front_matter_that_cannot_be_read_is_the_files_error(tmp_path, cli, header, reason):
    bad = _write(tmp_path / "story.md", f"---\n{header}---\nThe minister spoke in Kyiv.\n")
    start = time.monotonic()
    run = _with_good(tmp_path, bad, cli)
    assert time.monotonic() - start < 20  # the bomb took minutes and 3 GB
    assert run.errors == [f"copydesk: {bad}: {reason}"]


def test_front_matter_that_is_fine_is_still_read(tmp_path, cli):
    story = _write(tmp_path / "story.md", '---\ntitle: "A *bold* claim & more"\ndate: 2023-10-20\n---\nThe minister spoke.\n')
    from qa.readers import read_path

    assert read_path(str(story)).meta == {"title": "A *bold* claim & more", "date": __import__("datetime").date(2023, 10, 20)}


@pytest.mark.parametrize("where", ["pack", "knowledge"])
def test_alias_bomb_in_a_pack_or_knowledge_file_is_refused(tmp_path, cli, where):
    name = "house.yaml"
    body = BOMB + ("rules: []\n" if where == "pack" else "people: []\n")
    _write(tmp_path / name, body)
    key = "packs" if where == "pack" else "knowledge"
    _write(tmp_path / "copydesk.toml", f'{key} = ["{name}"]\n')
    story = _write(tmp_path / "story.txt", GOOD)
    run = cli("check", "--no-cache", *NO_LT, str(story), cwd=tmp_path)
    assert run.code == 2
    assert f"{tmp_path / name}:1: invalid YAML: anchors and aliases (&name, *name) are not allowed" in run.err


def test_shipped_data_reads_fast_and_bounded():
    """The libyaml path is kept for shipped data; text that could hold an alias goes to the
    bounded loader instead (and is refused there)."""
    from qa.yamlio import _RISKY

    assert _RISKY.search("a: &anchor [1]") and _RISKY.search("- *alias") and _RISKY.search("x: " + "[" * 20)
    assert not _RISKY.search('name: "R&D unit"\naliases: [Kyiv, Kiev]\nnote: a * b\n')


# -- 10. quadratic work (the growth is in benchmarks/SCALING.md; these count the work) ---------------


def test_html_view_looks_at_each_finding_a_bounded_number_of_times(monkeypatch):
    from qa import htmlview
    from qa.config import Config
    from qa.engine import build_ruleset, diagnose
    from qa.readers import read_source

    source = GOOD * 2000
    doc = read_source("a.txt", source, "txt")
    config = Config(ignore=("grammar",))
    diagnostics = diagnose(doc, build_ruleset(config), config)
    assert len(diagnostics) == 2000
    counted = [0]

    class Counting(type(diagnostics[0])):  # type: ignore[misc]
        def __getattribute__(self, name):
            if name in ("start", "end"):
                counted[0] += 1
            return super().__getattribute__(name)

    wrapped = [Counting(**{f: getattr(d, f) for f in d.__dataclass_fields__}) for d in diagnostics]
    html = htmlview.article_html(source, wrapped)
    assert html.count("<mark") == 2000
    assert counted[0] < 10 * len(wrapped)  # the old scan read start/end 2000 x 4000 times


def test_fixes_are_chosen_with_neighbour_checks_only(monkeypatch):
    import qa.fixes
    from qa.config import Config
    from qa.engine import build_ruleset, diagnose
    from qa.readers import read_source

    source = GOOD * 3000
    config = Config(ignore=("grammar",))
    diagnostics = diagnose(read_source("a.txt", source, "txt"), build_ruleset(config), config)
    calls = [0]
    real = qa.fixes._overlaps

    def counting(a, b):
        calls[0] += 1
        return real(a, b)

    monkeypatch.setattr(qa.fixes, "_overlaps", counting)
    fixed, count = qa.fixes.apply_fixes(source, diagnostics)
    assert count == 3000 and fixed == "The minister said the plan was ready.\n" * 3000
    assert calls[0] < 4 * 3000  # every accepted edit against every other: 4.5 million


def test_markdown_it_never_sees_a_flood_of_brackets(monkeypatch):
    from qa.readers import markdown

    seen = []
    parser = markdown._parser()
    real = parser.parse
    monkeypatch.setattr(parser, "parse", lambda text: seen.append(text) or real(text))
    doc = markdown.read("a.md", "The minister said the the plan was ready. " + "[" * 20_000 + "\n\n[a link](x) stays.\n")
    assert "[" not in seen[-1]
    assert "a link stays." in doc.text  # the link is still read as a link
    assert "[" * 20_000 in doc.text


def test_docx_styles_are_looked_up_once_per_style(monkeypatch):
    import io

    import docx
    from docx.text.paragraph import Paragraph

    from qa.readers import read_bytes

    document = docx.Document()
    for _ in range(3000):
        document.add_paragraph("")
    document.add_paragraph("A heading", style="Heading 1")
    document.add_paragraph("The minister spoke.")
    out = io.BytesIO()
    document.save(out)
    lookups = [0]
    real = Paragraph.style

    def counting(self):
        lookups[0] += 1
        return real.fget(self)

    monkeypatch.setattr(Paragraph, "style", property(counting))
    doc = read_bytes("a.docx", out.getvalue(), "docx")
    assert lookups[0] == 2  # no style, and Heading 1
    assert [doc.text[r.start : r.end] for r in doc.regions if r.kind == "heading"] == ["A heading"]


def test_many_configuration_tables_are_located_in_one_pass(tmp_path, monkeypatch):
    import qa.config

    lines = [f'[rules."no.such-{i}"]\nenabled = true' for i in range(3000)]
    path = _write(tmp_path / "copydesk.toml", "\n".join(lines) + "\n")
    searched: list[int] = []
    real = qa.config._line_of
    monkeypatch.setattr(qa.config, "_line_of", lambda text, key: searched.append(1) or real(text, key))
    config = qa.config.load_config(path)
    assert config.rule_lines["no.such-2999"] == 2 * 2999 + 1
    assert len(searched) == 0


# -- 11. only regular files, every read bounded -------------------------------------------------------


def test_fifo_named_like_an_article_is_refused_not_waited_on(tmp_path, cli):
    fifo = tmp_path / "story.txt"
    os.mkfifo(fifo)
    run = _with_good(tmp_path, fifo, cli)
    assert run.errors == [f"copydesk: {fifo}: not a regular file (a device, FIFO or socket); only files are read"]


def test_fifo_in_a_walked_folder_is_refused(tmp_path, cli):
    os.mkfifo(tmp_path / "pipe.md")
    _write(tmp_path / "good.txt", GOOD)
    run = cli("check", "--no-cache", *NO_LT, str(tmp_path))
    assert run.code == 2
    assert run.errors == [f"copydesk: {tmp_path / 'pipe.md'}: not a regular file (a device, FIFO or socket); only files are read"]


def test_devices_are_refused(tmp_path, cli):
    run = _with_good(tmp_path, Path("/dev/zero"), cli)
    assert run.errors == ["copydesk: /dev/zero: not a regular file (a device, FIFO or socket); only files are read"]


def test_standard_input_stops_at_the_size_limit(cli):
    from qa.readers import MAX_BYTES

    run = cli("check", "--no-cache", *NO_LT, "-", stdin=b"a" * (MAX_BYTES + 10))
    assert (run.code, run.errors) == (2, ["copydesk: <stdin>: file is larger than 5 MB"])


def test_a_growing_file_is_read_only_to_the_limit(tmp_path):
    """A file that grows after its size was looked at is still cut off at the limit."""
    import io

    from qa.readers import InputError, MAX_BYTES, read_limited

    with pytest.raises(InputError, match="larger than 5 MB"):
        read_limited(io.BytesIO(b"x" * (MAX_BYTES + 1)))
    assert read_limited(io.BytesIO(b"x" * 10)) == b"x" * 10


# -- 12. LanguageTool settings and a server that never answers ----------------------------------------


@pytest.mark.parametrize(
    ("table", "reason"),
    [
        ("max-request-chars = 0", "[languagetool] max-request-chars must be between 100 and 1000000, not 0"),
        ("timeout = 0", "[languagetool] timeout must be more than 0 and at most 600 seconds, not 0"),
        ("timeout = -5", "[languagetool] timeout must be more than 0 and at most 600 seconds, not -5"),
    ],
)
def test_languagetool_settings_are_validated(tmp_path, table, reason):
    from qa.config import ConfigError, load_config

    path = _write(tmp_path / "copydesk.toml", f"[languagetool]\n{table}\n")
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert str(info.value) == f"{path}:2: {reason}"


@pytest.fixture
def silent_server():
    """Accepts connections and never answers."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept():
        sock.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(sock.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    stop.set()
    thread.join(2)
    for c in held:
        c.close()
    sock.close()


def test_a_server_that_never_answers_does_not_hang_the_run(tmp_path, cli, silent_server, monkeypatch):
    from qa import languagetool as lt

    monkeypatch.setenv("COPYDESK_CACHE_DIR", str(tmp_path / "cache"))
    lt.client.cache_clear()
    lt._failed.clear()
    _write(tmp_path / "copydesk.toml", f'[languagetool]\nurl = "{silent_server}"\ntimeout = 0.5\n')
    for i in range(3):
        _write(tmp_path / f"story-{i}.txt", GOOD)
    start = time.monotonic()
    run = cli("check", "--no-cache", "-j", "1", str(tmp_path), cwd=tmp_path)
    elapsed = time.monotonic() - start
    lt.client.cache_clear()
    lt._failed.clear()
    assert elapsed < 10  # the library's own timeout was 300 s a request, twice
    assert run.code == 1  # the other rules still report
    notices = [line for line in run.err.splitlines() if line.startswith("copydesk: notice: grammar checks skipped")]
    assert len(notices) == 1 and "not available" in notices[0] and "timed out" in notices[0].lower()


# -- 13. patterns bounded before they are compiled -----------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "reason"),
    [
        ("(?:(?:a{65535}){65535}){65535}", "repeats 65,535 times (at most 1,000)"),
        ("(?:(?:(?:a{100}){100}){100})", "nested repetitions multiply to more than 100,000"),
        ("a" * 10_001, "longer than 10,000 characters"),
    ],
)
def test_patterns_too_large_to_compile_are_refused_when_loaded(tmp_path, cli, pattern, reason):
    pack = _write(
        tmp_path / "house.yaml",
        "rules:\n  - id: house.big\n    kind: pattern\n    severity: warning\n    message: m\n"
        f"    description: d\n    patterns: ['{pattern}']\n",
    )
    _write(tmp_path / "copydesk.toml", 'packs = ["house.yaml"]\n')
    story = _write(tmp_path / "story.txt", GOOD)
    start = time.monotonic()
    run = cli("check", "--no-cache", *NO_LT, str(story), cwd=tmp_path)
    assert time.monotonic() - start < 20  # 11 GB and minutes before
    assert run.code == 2
    assert f"{pack}:7: rule house.big: invalid pattern '{pattern[:80]}': {reason}" in run.err


def test_ordinary_patterns_are_not_refused():
    from qa.checks.pattern import pattern_too_large

    for ok in (r"\d{4}-\d{2}-\d{2}", r"(?:[A-Z]\w+\s){1,5}said", "(a|aa)+$", r"(?:x{2,5}){10}"):
        assert pattern_too_large(ok) is None


# -- 14. one clear line for each bad input ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("table", "reason"),
    [
        ('[rules."boilerplate.byline"]\ntime_budget_ms = 0', "rules.boilerplate.byline: option 'time_budget_ms' must be between 1 and 600000, not 0"),
        ('[rules."boilerplate.byline"]\ntime_budget_ms = -3', "rules.boilerplate.byline: option 'time_budget_ms' must be between 1 and 600000, not -3"),
        ('[rules."titles.mismatch"]\nslack_days = 99999999999', "rules.titles.mismatch: option 'slack_days' must be between 0 and 3650, not 99999999999"),
        ('[rules."boilerplate.byline"]\nphrases = [""]', "rules.boilerplate.byline: option 'phrases' has an empty string"),
    ],
)
def test_absurd_rule_options_are_configuration_errors(tmp_path, cli, table, reason):
    _write(tmp_path / "copydesk.toml", table + "\n")
    story = _write(tmp_path / "story.txt", GOOD)
    run = cli("check", "--no-cache", *NO_LT, str(story), cwd=tmp_path)
    assert run.code == 2
    assert run.errors == [f"copydesk: {story}: configuration: {tmp_path / 'copydesk.toml'}:1: {reason}"]


def test_deep_toml_and_deep_baseline_are_one_line(tmp_path, cli):
    deep = _write(tmp_path / "deep.toml", "a = " + "[" * 5000 + "]" * 5000 + "\n")
    story = _write(tmp_path / "story.txt", GOOD)
    run = cli("check", "--no-cache", "--config", str(deep), *NO_LT, str(story))
    assert (run.code, run.errors) == (2, [f"copydesk: {deep}: invalid TOML: nested too deeply"])
    base = _write(tmp_path / "base.json", "[" * 5000 + "]" * 5000)
    run = cli("check", "--no-cache", "--baseline", str(base), *NO_LT, str(story))
    assert (run.code, run.errors) == (2, [f"copydesk: {base}: cannot use as a baseline: nested too deeply"])


def test_non_utf8_file_names_in_every_reporter(tmp_path, cli):
    from qa.reporters import REPORTERS

    folder = tmp_path / "desk"
    folder.mkdir()
    name = os.fsdecode(b"story-\xff.txt")
    (folder / name).write_text(GOOD, encoding="utf-8")
    for fmt in REPORTERS:
        run = cli("check", "--no-cache", "--format", fmt, *NO_LT, str(folder))
        assert run.code == 1, (fmt, run.err)
        assert "story-" in run.out
    report = json.loads(cli("check", "--no-cache", "--format", "json", *NO_LT, str(folder)).out)
    assert report["files"][0]["path"].endswith("story-\udcff.txt")


def test_symlink_loops_are_one_line(tmp_path, cli):
    (tmp_path / "a.txt").symlink_to("b.txt")
    (tmp_path / "b.txt").symlink_to("a.txt")
    run = _with_good(tmp_path, tmp_path / "a.txt", cli)
    assert run.errors == [f"copydesk: {tmp_path / 'a.txt'}: Too many levels of symbolic links"]


def test_folder_that_cannot_be_read_is_named(tmp_path, cli, monkeypatch):
    """(As root every folder is searchable, so the refusal is simulated where os.walk asks.)"""
    locked = tmp_path / "locked"
    locked.mkdir()
    _write(tmp_path / "open" / "good.txt", GOOD)
    real = os.scandir

    def scandir(path="."):
        if os.fspath(path) == str(locked):
            raise PermissionError(13, "Permission denied", str(locked))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    run = cli("check", "--no-cache", *NO_LT, str(tmp_path))
    assert run.code == 2
    assert run.errors == [f"copydesk: {locked}: cannot read the folder: Permission denied"]
    assert "good.txt:1:19" in run.out


@pytest.mark.parametrize("target", ["folder", "/dev/full"])
def test_report_that_cannot_be_written_is_one_line(tmp_path, cli, target):
    story = _write(tmp_path / "story.txt", GOOD)
    out = str(tmp_path) if target == "folder" else target
    run = cli("check", "--no-cache", *NO_LT, str(story), "-o", out)
    reason = "Is a directory" if target == "folder" else "No space left on device"
    assert (run.code, run.errors) == (2, [f"copydesk: {out}: cannot write the report: {reason}"])


def test_serve_port_out_of_range(cli, capsys):
    from qa.cli import main

    with pytest.raises(SystemExit) as info:
        main(["serve", "--port", "99999"])
    assert info.value.code == 2
    assert "argument --port: port 99999 is out of range (0-65535)" in capsys.readouterr().err


def test_rules_with_no_pack_at_all(tmp_path, cli):
    config = _write(tmp_path / "copydesk.toml", "builtin-packs = false\n")
    run = cli("rules", "--config", str(config))
    assert (run.code, run.out) == (0, "")
    assert run.errors == ["copydesk: no rules: the configuration loads no pack (builtin-packs = false and no packs)"]


def test_explain_on_examples_that_are_not_text(tmp_path, cli):
    pack = _write(
        tmp_path / "house.yaml",
        "rules:\n  - id: house.odd\n    kind: pattern\n    severity: warning\n    message: m\n"
        "    description: d\n    phrases: [odd thing]\n    examples:\n      flagged: [5, {a: 1}]\n",
    )
    config = _write(tmp_path / "copydesk.toml", 'packs = ["house.yaml"]\n')
    run = cli("explain", "house.odd", "--config", str(config))
    assert (run.code, run.errors) == (2, [f"copydesk: {pack}:8: examples 'flagged' must be strings (each an article to check)"])


@pytest.mark.parametrize("content", ["[1, 2]", '{"entities": {"Q1": {"claims": {"P39": [{"mainsnak": 5}]}}}}', "[" * 5000])
def test_malformed_wikidata_is_one_line(tmp_path, cli, content):
    path = _write(tmp_path / "wd.json", content)
    run = cli("kb", "import-wikidata", str(path))
    assert run.code == 2 and len(run.errors) == 1 and run.errors[0].startswith(f"copydesk: {path}: ")


@pytest.mark.parametrize("content", [b"\x00\x01binary\xff", None])
def test_bad_vocabulary_is_named(tmp_path, cli, content):
    folder = tmp_path / "vocab"
    folder.mkdir()
    if content is not None:
        (folder / "accept.txt").write_bytes(content)
    _write(tmp_path / "copydesk.toml", f'vocabulary = ["{"vocab" if content else "missing"}"]\n')
    story = _write(tmp_path / "story.txt", GOOD)
    run = cli("check", "--no-cache", *NO_LT, str(story), cwd=tmp_path)
    assert run.code == 2
    reason = (
        f"vocabulary file {folder / 'accept.txt'}: not UTF-8 text (a word a line)"
        if content
        else f"vocabulary folder 'missing' does not exist ({tmp_path / 'missing'})"
    )
    assert run.errors == [f"copydesk: {story}: configuration: {tmp_path / 'copydesk.toml'}:1: {reason}"]


# -- 18. UTF-32, runs that check nothing, one path ------------------------------------------------------


@pytest.mark.parametrize("codec", ["utf-32-le", "utf-32-be"])
def test_utf32_is_read_as_utf32_and_fixed_as_utf32(tmp_path, cli, codec):
    import codecs

    bom = codecs.BOM_UTF32_LE if codec.endswith("le") else codecs.BOM_UTF32_BE
    story = _write(tmp_path / "story.txt", bom + GOOD.encode(codec))
    run = cli("check", "--no-cache", *NO_LT, str(story))
    assert run.code == 1 and f"{story}:1:19: warning repetition.doubled-word" in run.out
    cli("check", "--no-cache", "--fix", *NO_LT, str(story))
    assert story.read_bytes() == bom + "The minister said the plan was ready.\n".encode(codec)


def test_a_run_that_checks_nothing_says_so(tmp_path, cli):
    empty = tmp_path / "empty"
    empty.mkdir()
    _write(empty / "notes.pdf", "x")
    run = cli("check", *NO_LT, str(empty))
    assert run.code == 2
    assert run.errors == [
        f"copydesk: no files to check in {empty} (looked for .docx .htm .html .markdown .md .mdown .text .txt .xhtml)"
    ]


def test_select_that_matches_no_rule_says_so(tmp_path, cli):
    story = _write(tmp_path / "story.txt", GOOD)
    run = cli("check", "--select", "nmes", str(story))
    assert (run.code, run.errors) == (2, ["copydesk: --select nmes: no rule matches; did you mean 'names'?"])


def test_check_paths_takes_one_path(tmp_path):
    from qa import check_paths

    story = _write(tmp_path / "story.txt", GOOD)
    for given in (str(story), story):
        [result] = check_paths(given)
        assert result.path == str(story) and [d.rule for d in result.diagnostics] == [
            "repetition.doubled-word"
        ] + [d.rule for d in result.diagnostics][1:]


def test_select_counts_the_rules_of_the_files_own_packs(tmp_path, cli):
    _write(
        tmp_path / "house.yaml",
        "rules:\n  - id: house.tk\n    kind: pattern\n    severity: warning\n    message: m\n"
        "    description: d\n    phrases: [TK]\n",
    )
    _write(tmp_path / "copydesk.toml", 'packs = ["house.yaml"]\n')
    story = _write(tmp_path / "story.txt", "The count is TK.\n")
    run = cli("check", "--no-cache", "--select", "house", str(story), cwd=tmp_path)
    assert run.code == 1 and "house.tk" in run.out


def test_html_end_tags_match_without_scanning_the_open_elements():
    """`<pre><b>` thousands of times, then `</b>`s: each end tag once looked through every open
    <pre> (20,000 took 4.5 s, 4 times more 70 s); now it costs the same at any depth."""
    from qa.readers import read_source

    start = time.monotonic()
    doc = read_source("a.html", "<p>Before.</p>" + "<pre><b>" * 60_000 + "x" + "</b>" * 60_000, "html")
    assert time.monotonic() - start < 15  # a hang guard, not a benchmark (SCALING.md has the growth)
    assert doc.text.strip() == "Before."


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ("<pre>a<code>b</pre>after", "after"),  # an element left open inside is closed with it
        ("<pre>a<code>b<pre>c<code>d</pre>still code</code>still pre</pre>after", "after"),
        ("<p>x</p></code></pre><p>y</p>", "x\n\ny"),  # end tags of nothing open are ignored
    ],
)
def test_html_skipped_elements_close_innermost_first(html, text):
    from qa.readers import read_source

    assert read_source("a.html", html, "html").text.strip() == text
