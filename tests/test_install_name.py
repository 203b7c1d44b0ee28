"""The distribution's own name, ``pate-eval``, in every install hint (``pate`` on PyPI is the published PATE 0.1.1)."""

from __future__ import annotations

import re

import pytest
from helpers import REPO

from pate._optional import import_optional

# "pip install pate", "pate[plot]", 'pate[gpu]' ... but not pate-eval, pate.plot or import pate
WRONG = re.compile(r"pip install ['\"]?pate(?![-\w])|(?<![-\w.])pate\[(plot|gpu|dask|parquet|test|docs|report)\]")


def _texts():
    for folder, patterns in (("pate", ("*.py", "*.md")), ("docs", ("*.md", "*.py", "*.txt")), ("examples", ("*.py",))):
        for pattern in patterns:
            for path in (REPO / folder).rglob(pattern):
                if not {"_build", "auto_examples", "generated"} & set(path.parts):
                    yield path
    yield REPO / "README.md"
    yield REPO / "Makefile"


def test_the_distribution_is_pate_eval():
    text = (REPO / "pyproject.toml").read_text()  # tomllib is Python 3.11+; the project supports 3.10
    assert re.search(r'^\[project\]\nname = "pate-eval"$', text, re.M)
    assert re.search(r'^pate = "pate.cli:command"$', text, re.M)


def test_no_page_or_message_names_the_published_package_to_install():
    wrong = [
        f"{p.relative_to(REPO)}:{i}: {line.strip()}"
        for p in _texts()
        for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
        if WRONG.search(line)
    ]
    assert wrong == []


def test_every_install_hint_with_an_extra_quotes_it_one_way():
    # double quotes work in every shell (zsh globs a bare [plot]; cmd.exe keeps single quotes in the name)
    single = [
        f"{p.relative_to(REPO)}:{i}: {line.strip()}"
        for p in _texts()
        for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r'pip install (?!\\?"pate-eval\[)\S*pate-eval\[', line)
    ]
    assert single == []


def test_the_readme_says_it_replaces_the_published_package():
    text = " ".join((REPO / "README.md").read_text().split())
    assert "pip install pate-eval" in text
    assert "replaces the published `PATE` package" in text and "pip uninstall pate" in text


def test_a_missing_extra_names_the_pip_command_with_the_distribution():
    with pytest.raises(ImportError, match=r'pip install "pate-eval\[plot\]"'):
        import_optional("no_such_module_xyz", extra="plot", feature="pate.plot")
