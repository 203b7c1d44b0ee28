"""``make demo`` installs the package alone and says first what it prints; ``make test`` adds the tools.

The size (about 470 MB) and time (about 15 s with a warm pip cache) of a
fresh clone's ``make demo`` are measured by hand (docs: README, Quick start);
these tests read the Makefile's rules with ``make -n`` (print, do not run).
"""

from __future__ import annotations

import shutil
import subprocess

import pytest
from helpers import REPO

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


def _dry_run(target: str, tmp_path) -> list[str]:
    # a copy of the Makefile and pyproject in an empty folder: nothing installed yet, so every step prints
    for name in ("Makefile", "pyproject.toml"):
        shutil.copy(REPO / name, tmp_path / name)
    out = subprocess.run(["make", "-n", target], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    # "make -n test" runs its recursive makes for real, which fail without a venv: only the printed steps count
    assert out.returncode == 0 or target == "test", out.stderr
    return out.stdout.splitlines()


def test_make_demo_installs_the_package_without_test_or_docs_tools(tmp_path):
    lines = _dry_run("demo", tmp_path)
    installs = [line for line in lines if "pip install" in line]
    assert installs, lines
    assert all("[" not in line for line in installs), installs  # no extra: the demo shows none
    assert all("--no-compile" in line for line in installs)
    assert any("pate evaluate pate/data" in line for line in lines)


def test_the_demo_first_says_what_it_prints(tmp_path):
    lines = _dry_run("demo", tmp_path)
    said = " ".join(line for line in lines if line.startswith("echo"))
    run = next(i for i, line in enumerate(lines) if "pate evaluate" in line)
    assert all(i < run for i, line in enumerate(lines) if line.startswith("echo"))
    for words in ("binary detectors", "null", "constant", "recall * (1 + precision) / 2"):
        assert words in said, words


def test_make_test_adds_the_tools(tmp_path):
    installs = [line for line in _dry_run("test", tmp_path) if "pip install" in line]
    assert any("[test,plot,docs,report]" in line for line in installs), installs
