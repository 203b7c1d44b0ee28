"""Sphinx configuration of pate's documentation site.

Built by ``make docs`` (``sphinx-build -W --keep-going docs docs/_build/html``);
no network is needed at build time (no intersphinx).

* Navigation: five sections in the top bar (``index.md``'s hidden toctree):
  the User guide (``guide.md`` lists its pages, in reading order), Metrics
  (``metrics/index.md``, every page of ``metrics/`` by glob), the Gallery, the
  API reference and the Benchmarks. A new page goes in one of those lists
  (the -W build fails on a page that is in none).
* API reference: one page per public module, generated below from each
  module's ``__all__`` (autosummary stubs under ``api/generated/``), so new
  public names appear without editing this site either. A name exported by
  several modules is documented once, in its home module (the public module
  closest to where it is defined), and linked from the others.
* Command line: ``api/cli.rst`` is generated from the ``pate`` parser itself
  (each sub-command's ``--help`` as shown in a terminal, so help texts are
  never parsed as reStructuredText).
* Gallery: sphinx-gallery runs ``examples/plot_*.py`` at every build.
"""

from __future__ import annotations

import importlib
import inspect
import os
import pkgutil
import re
import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent
REPO = DOCS.parent
sys.path.insert(0, str(REPO))
os.environ["MPLBACKEND"] = "Agg"

import pate  # noqa: E402

project = "pate"
author = "the pate developers"
copyright = "the pate developers, MIT licence"
version = release = pate.__version__

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "numpydoc",
    "myst_parser",
    "sphinx_gallery.gen_gallery",
]

source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
root_doc = "index"
exclude_patterns = [
    "_build",
    "Thumbs.db",
    ".DS_Store",
    "auto_examples/*.ipynb",
    "auto_examples/*.py",
    "auto_examples/*.zip",
    "auto_examples/*.md5",
    "auto_examples/*.json",
]
templates_path = ["_templates"]

# MyST: the user-guide pages stay plain Markdown that also reads well on GitHub.
myst_heading_anchors = 3
myst_enable_extensions = ["dollarmath"]

# autodoc / autosummary / numpydoc
autosummary_generate = True
autosummary_imported_members = True
autodoc_default_options = {"members": False}
autodoc_typehints = "none"  # numpydoc's Parameters sections carry the types
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_xref_param_type = False

html_theme = "pydata_sphinx_theme"
html_title = f"pate {release}"
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
    "header_links_before_dropdown": 6,
}
# No left column where a section has no other page to list (the theme would show an empty "Section Navigation")
html_sidebars = {"index": [], "benchmarks": [], "guide": [], "api/cli": []}
html_static_path = ["_static"]
html_css_files = ["pate.css"]  # code blocks scroll sideways, never cut
html_show_sourcelink = False

sphinx_gallery_conf = {
    "examples_dirs": str(REPO / "examples"),
    "gallery_dirs": "auto_examples",
    "filename_pattern": r"/plot_",
    "download_all_examples": False,
    "remove_config_comments": True,
    "within_subsection_order": "FileNameSortKey",
    "backreferences_dir": None,
    "show_memory": False,
    "write_computation_times": False,  # no "Computation times" page in the navigation
    "image_scrapers": ("matplotlib",),
    "reset_modules": ("matplotlib",),
}


# --------------------------------------------------------------------- API pages
API = DOCS / "api"
# Sub-command modules of the CLI hold only add_parser/run: the CLI page documents the command.
_SKIP = re.compile(r"^pate\.cli\.|^pate\.__main__$")


def _public_modules() -> list[str]:
    """Every importable public module of pate (no component starting with ``_``) with an ``__all__``."""
    found = ["pate"]

    def walk(package: str) -> None:
        mod = importlib.import_module(package)
        for info in pkgutil.iter_modules(mod.__path__, package + "."):
            if info.name.rsplit(".", 1)[1].startswith("_") or _SKIP.match(info.name):
                continue
            try:
                importlib.import_module(info.name)
            except ImportError:  # an optional extra (cupy, dask) not installed: no page
                continue
            found.append(info.name)
            if info.ispkg:
                walk(info.name)

    walk("pate")
    return [m for m in found if hasattr(importlib.import_module(m), "__all__")]


def _home(obj: object, exporters: list[str]) -> str:
    """The module that documents ``obj``: the longest exporter its ``__module__`` lies in."""
    where = getattr(obj, "__module__", "") or ""
    inside = [m for m in exporters if where == m or where.startswith(m + ".")]
    return max(inside or exporters, key=lambda m: (m.count("."), len(m)))


def _kind(obj: object) -> str:
    if inspect.isclass(obj):
        return "class"
    if callable(obj):
        return "function"
    return "data"


def write_api_pages() -> None:
    modules = _public_modules()
    exported: dict[int, tuple[object, list[str]]] = {}
    names: dict[str, list[str]] = {}
    for m in modules:
        mod = importlib.import_module(m)
        names[m] = [n for n in mod.__all__ if not n.startswith("__")]
        for n in names[m]:
            obj = getattr(mod, n)
            if _kind(obj) != "data":
                exported.setdefault(id(obj), (obj, []))[1].append(m)
    API.mkdir(exist_ok=True)
    pages = []
    for m in modules:
        mod = importlib.import_module(m)
        own, elsewhere, data = [], [], []
        for n in names[m]:
            obj = getattr(mod, n)
            if _kind(obj) == "data":
                data.append(n)
                continue
            home = _home(obj, exported[id(obj)][1])
            (own if home == m else elsewhere).append(n if home == m else f"{home}.{n}")
        lines = [
            f"``{m}``",
            "=" * (len(m) + 4),
            "",
            f".. automodule:: {m}",
            "   :no-members:",
            "",
            f".. currentmodule:: {m}",
            "",
        ]
        if own:
            lines += [".. autosummary::", "   :toctree: generated/", "   :template: object.rst", ""]
            lines += [f"   {n}" for n in sorted(own, key=str.lower)] + [""]
        if data:
            lines += ["Constants", "---------", ""]
            for n in data:
                lines += [f".. autodata:: {n}", ""]
        if elsewhere:
            lines += [
                "Also importable from here",
                "-------------------------",
                "",
                f"Documented in their home module; ``from {m} import ...`` works too.",
                "",
                ".. currentmodule:: None",
                "",
                ".. autosummary::",
                "",
            ]
            lines += [f"   ~{n}" for n in sorted(elsewhere, key=lambda s: s.rsplit(".", 1)[1].lower())] + [""]
        text = "\n".join(lines)
        path = API / f"{m}.rst"
        if not path.exists() or path.read_text() != text:  # unchanged files keep incremental builds fast
            path.write_text(text)
        pages.append(m)
    index = (
        [
            "API reference",
            "=============",
            "",
            "One page per public module, generated from the module's ``__all__``. "
            "The command line is documented in :doc:`cli`.",
            "",
            ".. toctree::",
            "   :maxdepth: 1",
            "",
        ]
        + [f"   {m}" for m in pages]
        + ["   cli", ""]
    )
    text = "\n".join(index)
    if not (API / "index.rst").exists() or (API / "index.rst").read_text() != text:
        (API / "index.rst").write_text(text)


def _write_if_changed(path: Path, text: str) -> None:
    if not path.exists() or path.read_text() != text:  # unchanged files keep incremental builds fast
        path.write_text(text)


def write_cli_page() -> None:
    import argparse

    from pate.cli import _build_parser

    # argparse wraps help to the terminal width: fix it at a width that fits the page's column at 1280 px
    os.environ["COLUMNS"] = "80"
    lines = [
        "Command line: ``pate``",
        "======================",
        "",
        "Generated from the command's own parser: each section is what ``--help`` prints. "
        "The User Guide page :doc:`/cli` explains input, output, errors and exit status; "
        ":doc:`/plot` the pictures.",
        "",
    ]

    def walk(parser: argparse.ArgumentParser) -> None:
        lines.extend([f"``{parser.prog}``", "-" * (len(parser.prog) + 4), "", ".. code-block:: text", ""])
        lines.extend(("   " + line).rstrip() for line in parser.format_help().splitlines())
        lines.append("")
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for sub in dict.fromkeys(action.choices.values()):  # aliases map to the same parser
                    walk(sub)

    walk(_build_parser())
    _write_if_changed(API / "cli.rst", "\n".join(lines))


write_api_pages()
write_cli_page()


# ------------------------------------------------- docstrings: links to the guide
# Docstrings say "Read more in the User Guide (``docs/pate.md``)" or "docs/cli.md":
# plain text on a terminal, a link on the site.
_GUIDE = re.compile(r"(``)?docs/([\w/-]+)\.md(``)?")


def _link_user_guide(app, what, name, obj, options, lines) -> None:
    for i, line in enumerate(lines):
        if "docs/" in line:
            lines[i] = _GUIDE.sub(
                lambda m: (
                    f":doc:`docs/{m.group(2)}.md </{m.group(2)}>`"
                    if (DOCS / f"{m.group(2)}.md").exists()
                    else m.group(0)
                ),
                line,
            )


# ------------------------------------------------- the gallery's HTML report
# examples/plot_report_nab.py writes nab_report.html in its working directory (sphinx-gallery runs
# each example in examples/); the site serves it beside the example's page, where both link to it.
GALLERY_FILES = ("nab_report.html",)


def _copy_gallery_files(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    import shutil

    for name in GALLERY_FILES:
        source = REPO / "examples" / name
        if source.is_file():
            target = Path(app.outdir) / "auto_examples" / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)


def setup(app) -> None:
    app.connect("autodoc-process-docstring", _link_user_guide)
    app.connect("build-finished", _copy_gallery_files)
