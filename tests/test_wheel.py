"""The wheel: rules/ ships inside it, and an installed copy works outside the source tree."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import venv
import zipfile

import pytest

from .conftest import FIXTURES, ROOT


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("dist")
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(ROOT)],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr
    [path] = out.glob("copydesk-*.whl")
    return path


def test_wheel_contains_packs_data_and_schema(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for pack in (ROOT / "rules").glob("*.yaml"):
        assert f"qa/rules/{pack.name}" in names
    for data in (ROOT / "rules" / "data").rglob("*"):
        if data.is_file():
            assert f"qa/rules/{data.relative_to(ROOT / 'rules').as_posix()}" in names
    assert "qa/schema/report.schema.json" in names
    assert not any(n.startswith(("tests/", "fixtures/", "rules/")) for n in names)


def test_installed_wheel_checks_a_fixture_outside_the_tree(wheel, tmp_path):
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    py = env_dir / "bin" / "python"
    proc = subprocess.run([str(py), "-m", "pip", "install", "-q", str(wheel)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-2000:]
    article = tmp_path / "work" / "article.txt"
    article.parent.mkdir()
    shutil.copy(FIXTURES / "flagged" / "seedlike.txt", article)
    proc = subprocess.run(
        [str(env_dir / "bin" / "copydesk"), "check", "article.txt", "--format", "json"],
        capture_output=True,
        text=True,
        cwd=article.parent,
    )
    assert proc.returncode == 1, proc.stderr
    report = json.loads(proc.stdout)
    assert report["summary"]["findings"] == 6
    # the installed package reads its packs from site-packages, not from this checkout
    where = subprocess.run(
        [str(py), "-c", "from qa.resources import rules_dir; print(rules_dir())"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert str(env_dir) in where.stdout and str(ROOT) not in where.stdout
