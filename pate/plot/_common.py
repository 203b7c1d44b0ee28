"""What every Display shares: the lazy matplotlib import, axes and decimation."""

from __future__ import annotations

from typing import Any

import numpy as np

from pate._optional import import_optional

__all__ = ["pyplot", "axes_or_new", "minmax_decimate", "texts_as_given", "shown_name"]


def pyplot() -> Any:
    """``matplotlib.pyplot``, or an ImportError naming ``pip install "pate-eval[plot]"``."""
    return import_optional("matplotlib.pyplot", extra="plot", feature="pate.plot")


def axes_or_new(ax: Any) -> tuple[Any, Any]:
    """``(ax, figure)``: the given axes and its figure, or a new figure with one axes."""
    plt = pyplot()
    if ax is None:
        fig, ax = plt.subplots()
    return ax, ax.figure


def minmax_decimate(y: np.ndarray, max_points: int | None) -> tuple[np.ndarray, np.ndarray]:
    """Indices and values to draw a long line legibly, for drawing only.

    Splits the series into ``max_points // 2`` buckets and keeps, in time
    order, the smallest and the largest value of each bucket, so that every
    spike stays visible (a plain stride would drop them). Returns the series
    itself when it is short enough or ``max_points`` is None.

    >>> x, v = minmax_decimate(np.array([0., 5., 1., 0., 0., 0., 2., 0.]), 4)
    >>> x.tolist(), v.tolist()
    ([0, 1, 4, 6], [0.0, 5.0, 0.0, 2.0])
    """
    n = y.size
    if max_points is None or n <= max_points:
        return np.arange(n), y
    n_buckets = max(max_points // 2, 1)
    edges = np.linspace(0, n, n_buckets + 1).astype(np.int64)
    edges = np.unique(edges)
    lo = np.minimum.reduceat(y, edges[:-1])
    hi = np.maximum.reduceat(y, edges[:-1])
    idx = []
    for start, stop, a, b in zip(edges[:-1], edges[1:], lo, hi):
        seg = y[start:stop]
        i_lo = start + int(np.argmax(seg == a))
        i_hi = start + int(np.argmax(seg == b))
        idx.extend(sorted({i_lo, i_hi}))
    x = np.asarray(idx, dtype=np.int64)
    return x, y[x]


def texts_as_given(*axes: Any) -> None:
    """Draw every text of ``axes`` as given: no mathtext, so a name with two ``$`` stays as it is.

    Detector, series and metric names come from users' files; matplotlib
    would read ``a$b$c`` as math (and fail on ``$\\x$``). Titles, axis labels,
    texts and legend entries are all switched to plain text.
    """
    for ax in axes:
        texts = [ax.title, ax._left_title, ax._right_title, ax.xaxis.label, ax.yaxis.label, *ax.texts]
        legend = ax.get_legend()
        if legend is not None:
            texts += [*legend.get_texts(), legend.get_title()]
        for text in texts:
            text.set_parse_math(False)


def shown_name(name: Any) -> str:
    """A name as drawn: itself, or quoted when it is blank (an empty name would draw nothing).

    >>> shown_name("knn"), shown_name("  ")
    ('knn', "'  '")
    """
    text = str(name)
    return text if text.strip() else repr(text)
