"""The report's pictures: matplotlib figures turned into inline SVG.

Text stays text (``svg.fonttype = "none"``), so the page's fonts draw it and
a reader can select and search it; ids are prefixed per picture so that
several SVGs live in one HTML document; every SVG gets ``role="img"`` and a
``<title>`` (its alt text). Colour maps are colour-blind safe: viridis for
values, RdBu (ColorBrewer, marked safe) for correlations.
"""

from __future__ import annotations

import io
import re
from html import escape
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["Picture", "figure_to_svg", "new_figure", "close", "heatmap", "agreement_heatmap", "style"]

_RC: dict[Any, Any] = {  # Any keys: matplotlib types rcParams names as Literals
    "svg.fonttype": "none",  # text as <text>: smaller, selectable, drawn in the page's fonts
    "svg.hashsalt": "pate-report",  # ids do not depend on the process
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans", "Liberation Sans", "Arial", "Helvetica"],
    "font.size": 9.0,
    "axes.edgecolor": "#48566b",
    "axes.labelcolor": "#222832",
    "xtick.color": "#48566b",
    "ytick.color": "#48566b",
    "text.color": "#222832",
}
# Cells of a heatmap drawn as vector shapes; above this, as one embedded PNG (keeps the page small).
_MAX_VECTOR_CELLS = 6_000

_HEADER = re.compile(r"^.*?(<svg\b)", re.S)
_METADATA = re.compile(r"<metadata>.*?</metadata>\s*", re.S)
_ID = re.compile(r'\bid="([^"]+)"')
_REF = re.compile(r'(url\(#|href="#)([^)"]+)')


class Picture:
    """One inline picture: its SVG markup and its alt text (internal)."""

    __slots__ = ("svg", "alt", "caption")

    def __init__(self, svg: str, alt: str, caption: str = "") -> None:
        self.svg, self.alt, self.caption = svg, alt, caption


def style() -> Any:
    """A context in which matplotlib draws in the report's style (fonts, colours, SVG text)."""
    import matplotlib  # matplotlib (the report extra): only when a report is written

    return matplotlib.rc_context(_RC)


def new_figure(width: float, height: float) -> Any:
    """A matplotlib Figure outside pyplot (nothing global to close)."""
    from matplotlib.figure import Figure  # the report extra, only when drawing

    return Figure(figsize=(width, height), layout="constrained")


def close(figure: Any) -> None:
    """Forget a figure pyplot made (a Display's own figure)."""
    import matplotlib.pyplot as plt  # the report extra, only when drawing

    plt.close(figure)


def figure_to_svg(figure: Any, *, prefix: str, alt: str, caption: str = "", tight: bool = False) -> Picture:
    """The figure as SVG markup for an HTML page, with ``prefix`` on every id and ``alt`` as its title.

    ``tight=True`` crops to what is drawn (for a figure without constrained layout, e.g. a Display's own).
    """
    buffer = io.StringIO()
    with style():
        figure.savefig(
            buffer,
            format="svg",
            bbox_inches="tight" if tight else None,
            metadata={"Date": None, "Creator": None, "Format": None, "Type": None},
        )
    svg = _HEADER.sub(r"\1", buffer.getvalue(), count=1)
    svg = _METADATA.sub("", svg)
    svg = _ID.sub(lambda m: f'id="{prefix}-{m.group(1)}"', svg)
    svg = _REF.sub(lambda m: f"{m.group(1)}{prefix}-{m.group(2)}", svg)
    title_id = f"{prefix}-title"
    svg = svg.replace("<svg ", f'<svg role="img" aria-labelledby="{title_id}" class="picture" ', 1)
    opening_end = svg.index(">", svg.index("<svg")) + 1
    svg = svg[:opening_end] + f'<title id="{title_id}">{escape(alt)}</title>' + svg[opening_end:]
    return Picture(svg.strip(), alt, caption)


def heatmap(matrix: pd.DataFrame, *, metric: str, vmin: float, vmax: float) -> Any:
    """Detector (rows) x series (columns) values; NaN cells grey."""
    import matplotlib  # the report extra, only when drawing

    n_detectors, n_series = matrix.shape
    show_series = n_series <= 120
    label_len = max((len(str(s)) for s in matrix.columns), default=1) if show_series else 0
    width = min(max(6.0, 2.2 + 0.16 * n_series), 16.0)
    height = min(1.2 + 0.24 * n_detectors + (0.062 * label_len if show_series else 0.3), 14.0)
    with style():
        fig = new_figure(width, height)
        ax = fig.add_subplot()
        cmap = matplotlib.colormaps["viridis"].with_extremes(bad="#d1d5da")
        values = np.ma.masked_invalid(matrix.to_numpy(dtype=float))
        mesh = ax.pcolormesh(
            values,
            cmap=cmap,
            vmin=vmin,
            vmax=vmax,
            edgecolors="white",
            linewidth=0.3,
            rasterized=matrix.size > _MAX_VECTOR_CELLS,
        )
        ax.invert_yaxis()
        ax.set_yticks(np.arange(n_detectors) + 0.5, [str(d) for d in matrix.index])
        if show_series:
            ax.set_xticks(np.arange(n_series) + 0.5, [str(s) for s in matrix.columns], rotation=90, fontsize=7)
            ax.set_xlabel("series, easiest (left) to hardest (right)")
        else:
            ax.set_xticks([])
            ax.set_xlabel(f"{n_series} series, easiest (left) to hardest (right); names omitted")
        ax.tick_params(length=0)
        for side in ax.spines.values():
            side.set_visible(False)
        bar = fig.colorbar(mesh, ax=ax, fraction=0.025, pad=0.01)
        bar.set_label(metric)
        bar.outline.set_visible(False)
    return fig


def agreement_heatmap(tau: pd.DataFrame) -> Any:
    """Metric x metric Kendall's tau, annotated."""

    k = len(tau)
    size = min(2.2 + 0.75 * k, 9.0)
    with style():
        fig = new_figure(size + 1.0, size)
        ax = fig.add_subplot()
        values = tau.to_numpy(dtype=float)
        mesh = ax.pcolormesh(values, cmap="RdBu", vmin=-1.0, vmax=1.0, edgecolors="white", linewidth=1.0)
        ax.invert_yaxis()
        labels = [str(c) for c in tau.columns]
        ax.set_xticks(np.arange(k) + 0.5, labels, rotation=30, ha="right")
        ax.set_yticks(np.arange(k) + 0.5, labels)
        ax.tick_params(length=0)
        for side in ax.spines.values():
            side.set_visible(False)
        for i in range(k):
            for j in range(k):
                v = values[i, j]
                ax.text(
                    j + 0.5,
                    i + 0.5,
                    "n/a" if np.isnan(v) else f"{v:.2f}",
                    ha="center",
                    va="center",
                    color="white" if abs(v) > 0.6 else "#222832",
                    fontsize=9,
                )
        ax.set_aspect("equal")
        bar = fig.colorbar(mesh, ax=ax, fraction=0.046, pad=0.04)
        bar.set_label("Kendall's tau of the average ranks")
        bar.outline.set_visible(False)
    return fig
