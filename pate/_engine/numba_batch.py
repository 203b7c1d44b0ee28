"""Packed batches for the numba engine: every series in one compiled pass, parallel over the series.

Twin of ``pate._engine.xp_batch`` for the CPU. The batch arrives packed
(flat labels and scores or predictions, ``offsets[s]:offsets[s + 1]`` is
series ``s``) and validated. One call of a parallel kernel
(``pate._kernels.pate_batch``) evaluates every series from thresholds to
the mean over the buffer grid, with the single-series engine's arithmetic in
the same order (``pate._engine.numba``), so every value equals what
``pate_score`` / ``pate_f1_score`` return for that series, bit for bit.

Exact ties. The keep walk compares recalls in floating point and stops at
a comparison closer than ``TIE_TOLERANCE``; the single-series engine then
settles it in exact rational arithmetic (``pate._engine.exact``). The kernel
cannot hold Python fractions, so it flags the (series, pair) cell instead;
:func:`pate_values` then rebuilds the flagged series on the host with the
single-series engine, whose TP and FN curves are the kernel's float for
float, so its walk reaches the same comparison and settles it exactly as
``pate_score`` does. A tie needs an arithmetic coincidence
(docs/spec/pate-definition.md, section 11), so this costs nothing in practice.

Threads: ``threads`` workers (numba's ``set_num_threads``, restored
afterwards); the series are dealt out longest first, round-robin.
"""

from __future__ import annotations

import contextlib
from typing import Iterator

import numba
import numpy as np

from pate._engine.curve import TIE_TOLERANCE, pair_area
from pate._engine.numba import pair_curve, prepare_series
from pate._engine.thresholds import thresholds_and_join
from pate._kernels.pate_batch import STEP, TRAPEZOID, pate_batch, pate_f1_batch

__all__ = ["pate_values", "pate_f1_values", "INTERPOLATION_CODES"]

# The kernel's integer codes of the area rule (spec 7 step 5; 7b).
INTERPOLATION_CODES = {"trapezoid": TRAPEZOID, "step": STEP}


@contextlib.contextmanager
def _numba_threads(threads: int | None) -> Iterator[int]:
    """numba's parallel regions of this thread with ``threads`` threads (yielded), then restored.

    ``None`` keeps numba's current setting; more than numba's pool is capped.
    """
    previous = numba.get_num_threads()
    wanted = previous if threads is None else max(1, min(threads, numba.config.NUMBA_NUM_THREADS))
    numba.set_num_threads(wanted)
    try:
        yield wanted
    finally:
        numba.set_num_threads(previous)


def work_order(offsets: np.ndarray) -> np.ndarray:
    """Series longest first (ties in input order): the kernel deals them out round-robin.

    >>> work_order(np.array([0, 3, 13, 16, 23])).tolist()
    [1, 3, 0, 2]
    """
    return np.argsort(-np.diff(offsets), kind="stable").astype(np.int64)


def _grid(pairs: list[tuple[int, int]]) -> tuple[list[tuple[int, int]], np.ndarray, np.ndarray, np.ndarray]:
    distinct = list(dict.fromkeys(pairs))
    early = np.array([p[0] for p in distinct], dtype=np.int64)
    delay = np.array([p[1] for p in distinct], dtype=np.int64)
    index = {p: i for i, p in enumerate(distinct)}
    grid = np.array([index[p] for p in pairs], dtype=np.int64)
    return distinct, early, delay, grid


def pate_values(
    labels: np.ndarray,
    scores: np.ndarray,
    offsets: np.ndarray,
    pairs: list[tuple[int, int]],
    *,
    n_thresholds: int | None,
    drop_intermediate: bool,
    interpolation: str = "trapezoid",
    threads: int | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """PATE of every series of a packed batch (labels bool, scores float64, offsets int64).

    Returns the values and, per series, the number of distinct scores
    (1 or 2; 3 means more), which ``pate_score``'s few-valued warning needs.

    >>> pate_values(np.array([0, 1, 0, 1, 0, 0, 1], dtype=bool), np.array([.1, .8, .1, .9, .2, .2, .3]),
    ...             np.array([0, 5, 7]), [(0, 0), (0, 1)], n_thresholds=250, drop_intermediate=True)
    (array([1., 1.]), array([3, 2], dtype=int8))
    """
    distinct, early, delay, grid = _grid(pairs)
    n_series = offsets.size - 1
    thin = n_thresholds is not None
    quantiles = np.true_divide(np.linspace(100, 0, n_thresholds if n_thresholds is not None else 2), 100)
    code = INTERPOLATION_CODES[interpolation]
    with _numba_threads(threads) as n_threads:
        values, areas, unsettled, n_distinct = pate_batch(
            labels,
            scores,
            offsets,
            work_order(offsets),
            max(1, min(n_threads, n_series)),
            quantiles,
            thin,
            drop_intermediate,
            early,
            delay,
            grid,
            TIE_TOLERANCE,
            code,
        )
    for s in np.flatnonzero(unsettled.any(axis=1)).tolist():
        lo, hi = int(offsets[s]), int(offsets[s + 1])
        thresholds, join = thresholds_and_join(
            labels[lo:hi], scores[lo:hi], n_thresholds=n_thresholds, drop_intermediate=drop_intermediate
        )
        prep = prepare_series(labels[lo:hi], join, thresholds.size)
        for i in np.flatnonzero(unsettled[s]).tolist():
            areas[s, i] = pair_area(pair_curve(prep, *distinct[i]), interpolation)
        # the mean over the grid as pate_score takes it (numpy.mean of the list)
        values[s] = float(np.mean([areas[s, i] for i in grid.tolist()]))
    return values, n_distinct


def pate_f1_values(
    labels: np.ndarray,
    predictions: np.ndarray,
    offsets: np.ndarray,
    pairs: list[tuple[int, int]],
    *,
    threads: int | None = None,
) -> np.ndarray:
    """PATE-F1 of every series of a packed batch (labels and predictions bool, offsets int64).

    >>> pate_f1_values(np.array([0, 1, 1, 0], dtype=bool), np.array([0, 1, 1, 0], dtype=bool),
    ...                np.array([0, 4]), [(1, 1)])
    array([1.])
    """
    _, early, delay, grid = _grid(pairs)
    n_series = offsets.size - 1
    with _numba_threads(threads) as n_threads:
        return pate_f1_batch(
            labels, predictions, offsets, work_order(offsets), max(1, min(n_threads, n_series)), early, delay, grid
        )
