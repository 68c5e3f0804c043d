"""qa.disklist and what stands on it (issue 20): a run's per-file bookkeeping on disk, the
walk of a folder in bounded memory, the listing's places, and checkers that read their jobs
as they go instead of listing them first."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from qa.config import Config
from qa.disklist import DiskArray, DiskList, sorted_on_disk
from qa.engine import FileResult, expand_paths
from qa.listing import Listing
from qa.runner import iter_check_many


def test_disk_array_reads_unwritten_places_as_the_default():
    a = DiskArray()
    a[4] = 17
    a.append(-1)
    a[0] = 0
    assert len(a) == 6
    assert [a[i] for i in range(6)] == [0, -1, -1, -1, 17, -1]
    with pytest.raises(IndexError):
        a[6]
    b = DiskArray(default=0)
    b[2] = 5
    assert [b[i] for i in range(3)] == [0, 0, 5]
    a.close()
    b.close()


def test_disk_list_reads_by_index_and_in_interleaved_passes():
    values = ["a", ("b", 1), None, {"c": [2, 3]}, FileResult("x.txt", [], "cannot read")]
    dl = DiskList(values)
    assert len(dl) == 5
    assert dl[1] == ("b", 1) and dl[-1] == values[-1] and dl[3] == {"c": [2, 3]}
    first, second = iter(dl), iter(dl)
    assert next(first) == "a"
    assert list(second) == values  # a second pass between two reads of the first
    assert list(first) == values[1:]
    assert list(dl.iter_from(3)) == values[3:]
    dl.close()


@pytest.mark.parametrize("run", [1, 3, 7, 1000])
def test_sorted_on_disk_is_sorted(run):
    items = ["b/z.txt", "a.txt", "a-b.txt", "a/b.txt", "Ä.txt", "bad-\udce9.txt", "", "a.txt", "b"]
    assert list(sorted_on_disk(iter(items), run=run)) == sorted(items)
    assert list(sorted_on_disk([], run=run)) == []


def _tree(root: Path) -> None:
    for rel in [
        "b.txt",
        "a-1.txt",
        "a/b.txt",
        "a/c/d.md",
        "a/.hidden/x.txt",
        "node_modules/y.txt",
        "__pycache__/z.txt",
        "notes.py",
        "z/e.TXT",
    ]:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text("Text.\n", encoding="utf-8")
    os.symlink(root / "a", root / "link-to-a")  # a link to a folder is not followed
    os.symlink(root / "b.txt", root / "link.txt")  # a link to a file is a file


def test_expand_paths_walks_as_os_walk_did_sorted_as_a_whole(tmp_path):
    _tree(tmp_path)
    found = [os.path.relpath(p, tmp_path) for p in expand_paths([str(tmp_path)])]
    assert found == ["a-1.txt", "a/b.txt", "a/c/d.md", "b.txt", "link.txt", "z/e.TXT"]


def test_expand_paths_sorts_a_large_folder_in_runs(tmp_path, monkeypatch):
    import qa.disklist

    monkeypatch.setattr(qa.disklist, "SORT_RUN", 4)
    monkeypatch.setattr(qa.disklist.sorted_on_disk, "__defaults__", (4,))
    names = [f"story-{i:03d}.txt" for i in (7, 3, 11, 0, 5, 9, 1, 10, 2, 8, 4, 6)]
    for name in names:
        (tmp_path / name).write_text("Text.\n", encoding="utf-8")
    found = [os.path.basename(p) for p in expand_paths([str(tmp_path)])]
    assert found == sorted(names)


def test_listing_numbers_places_folders_first():
    config, other = Config(), Config()
    listing = Listing()
    listing.add_job("a.txt", config)
    listing.add_result(FileResult("b.txt", [], "configuration: broken"))
    listing.add_job("c.txt", other)
    stdin = FileResult("<stdin>", [])
    listing.add_result(stdin, config)
    listing.add_job("d.txt", config)
    listing.head = [FileResult("locked", [], "cannot read the folder: Permission denied")]
    assert len(listing) == 6 and listing.jobs == 3
    assert [id(c) for c in listing.configs] == [id(config), id(other)]
    places = list(listing)
    assert [r.path if r else None for r, _ in places] == ["locked", None, "b.txt", None, "<stdin>", None]
    assert [c for _, c in places] == [None, config, None, other, config, config]
    assert list(listing.jobs_of()) == [(1, "a.txt", config), (3, "c.txt", other), (5, "d.txt", config)]
    assert listing.job_at(3) == ("c.txt", other) and listing.job_at(5) == ("d.txt", config)
    listing.close()


@pytest.mark.parametrize("workers", [1, 2])
def test_checkers_read_their_jobs_as_they_go(tmp_path, workers):
    """The files to check are taken a window ahead of the results, not listed first: after the
    first result, at most the window (2 workers x 4 chunks x 2 files here) has been taken."""
    for i in range(40):
        (tmp_path / f"s{i:02d}.txt").write_text("The the plan.\n", encoding="utf-8")
    taken = []
    config = Config()

    def jobs():
        for path in sorted(str(p) for p in tmp_path.iterdir()):
            taken.append(path)
            yield path, config

    results = iter_check_many(jobs(), None, workers, use_cache=False, count=40, configs=[config])
    first = next(results)
    assert first.path.endswith("s00.txt") and [d.rule for d in first.diagnostics] == ["repetition.doubled-word"]
    assert len(taken) == 1 if workers == 1 else 2 <= len(taken) <= 2 * 4 * 2
    rest = list(results)
    assert [Path(r.path).name for r in [first, *rest]] == [f"s{i:02d}.txt" for i in range(40)]
    assert len(taken) == 40
