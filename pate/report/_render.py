"""The page itself: Jinja2 renders the sections into one self-contained HTML file.

The stylesheet and the table-sorting script ship as package data beside the
template and are inlined. A Content-Security-Policy in the page allows
nothing from the network: pictures only as inline SVG or ``data:`` URIs,
styles inline, and only the one script whose hash it names.
"""

from __future__ import annotations

import base64
import hashlib
import math
from importlib.resources import files
from types import ModuleType
from typing import Any

from pate._optional import import_optional
from pate.report._section import Section, slug

__all__ = ["require", "render_page"]


def require(module: str) -> ModuleType:
    """Import an optional dependency of the report, or an ImportError naming the extra to install."""
    return import_optional(module, extra="report", feature="pate.report")


def _num(value: Any, digits: int = 4) -> str:
    if value is None:
        return "n/a"
    value = float(value)
    if math.isnan(value):
        return "n/a"
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    return f"{value:.{digits}f}"


def _percent(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a"
    return f"{float(value):.0%}"


def _environment() -> Any:
    jinja2 = require("jinja2")
    env = jinja2.Environment(
        loader=jinja2.FunctionLoader(lambda name: (files("pate.report") / "templates" / name).read_text("utf-8")),
        autoescape=True,  # every name in the table is text, never markup
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(num=_num, percent=_percent, slug=slug)
    return env


def _unique_keys(sections: list[Section]) -> None:
    seen: set[str] = {"content", "toc-h"}
    for top in sections:
        for section in top.walk():
            key, n = section.key, 2
            while section.key in seen:
                section.key = f"{key}-{n}"
                n += 1
            seen.add(section.key)


def render_page(
    sections: list[Section], *, title: str, lead: str, date: str, version: str, not_shown: list[tuple[str, str]]
) -> str:
    """The HTML of the report."""
    env = _environment()
    templates = files("pate.report") / "templates"
    css = (templates / "style.css").read_text("utf-8")
    js = (templates / "sort.js").read_text("utf-8")
    digest = base64.b64encode(hashlib.sha256(js.encode("utf-8")).digest()).decode("ascii")
    csp = (
        f"default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src 'sha256-{digest}'; "
        "base-uri 'none'; form-action 'none'"
    )
    _unique_keys(sections)
    html: str = env.get_template("report.html.j2").render(
        sections=sections,
        title=title,
        lead=lead,
        date=date,
        version=version,
        not_shown=not_shown,
        css=css,
        js=js,
        csp=csp,
    )
    return html
