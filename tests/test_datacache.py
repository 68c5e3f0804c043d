"""The cache of parsed data under ~/.cache/copydesk/data (COPYDESK_CACHE_DIR)."""

from __future__ import annotations

from qa import datacache


def test_data_cache_keeps_the_newest_copies_of_a_name(tmp_path, monkeypatch):
    """Each data change (or upgrade, or other extra files) writes a new cache entry; only the
    KEEP newest of a name stay, entries of other names are left alone, and a name that starts
    like another is not taken for it."""
    import os

    monkeypatch.setenv("COPYDESK_CACHE_DIR", str(tmp_path))
    extra = tmp_path / "extra.yaml"
    assert datacache.cached("other", [], lambda: "o") == "o"
    assert datacache.cached("thing-more", [], lambda: "m") == "m"
    written = []
    for i in range(datacache.KEEP + 2):
        extra.write_text("a" * (i + 1), encoding="utf-8")  # a new size: a new key
        assert datacache.cached("thing", [str(extra)], lambda i=i: i) == i
        newest = max((tmp_path / "data").glob("thing-*.pickle"), key=lambda p: p.stat().st_mtime_ns)
        os.utime(newest, ns=(i * 10**9, i * 10**9))  # distinct ages, in order of writing
        written.append(newest.name)
    left = sorted(p.name for p in (tmp_path / "data").glob("*.pickle"))
    assert [n for n in left if n.startswith("thing-") and not n.startswith("thing-more")] == sorted(
        written[-datacache.KEEP :]
    )
    assert len([n for n in left if n.startswith(("other-", "thing-more-"))]) == 2
    # the newest is read back, not built again
    assert datacache.cached("thing", [str(extra)], lambda: "rebuilt") == datacache.KEEP + 1


def test_an_entry_built_by_other_code_is_not_read(tmp_path, monkeypatch):
    """A development checkout changes the code that builds an entry without a new version (posts
    gained derived aliases): the key includes the package's code stamp, so the old entry is a miss."""
    monkeypatch.setenv("COPYDESK_CACHE_DIR", str(tmp_path))
    datacache._shipped.cache_clear()
    monkeypatch.setattr(datacache, "code_stamp", lambda: "old code")
    assert datacache.cached("built", [], lambda: "by old code") == "by old code"
    assert datacache.cached("built", [], lambda: "again") == "by old code"  # same code: read back
    datacache._shipped.cache_clear()
    monkeypatch.setattr(datacache, "code_stamp", lambda: "new code")
    assert datacache.cached("built", [], lambda: "by new code") == "by new code"
    datacache._shipped.cache_clear()


def test_the_code_stamp_follows_the_package_files():
    from qa.resources import code_stamp

    assert code_stamp() == code_stamp() and len(code_stamp()) == 64
