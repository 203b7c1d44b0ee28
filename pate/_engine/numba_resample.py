"""PATE and PATE-F1 of many resamples of one series (shifts or permutations of its scores), on the CPU.

The null distributions of ``pate.chance_level`` re-evaluate one series many
times with its scores moved against fixed labels. The packed batch
(``pate._engine.numba_batch``) would treat each resample as a new series;
here the work common to all of them is done once (the sorted scores, the
events, the points that can matter) and one parallel kernel
(``pate._kernels.pate_resample``) evaluates every resample from there. Each
value equals ``pate_score`` / ``pate_f1_score`` of the resampled series;
near-ties of the keep walk are settled, as in the batch, by the
single-series engine on the flagged resamples.

A resample is given either as ``shifts`` (``np.roll(y_score, k)`` for each
``k``) or as ``permutations`` (rows ``perm``: the resampled scores are
``y_score[perm]``).
"""

from __future__ import annotations

import numpy as np

from pate._engine.curve import TIE_TOLERANCE
from pate._engine.numba_batch import INTERPOLATION_CODES, _grid, _numba_threads, pate_values
from pate._events import label_events
from pate._kernels.pate_batch import buffer_tables
from pate._kernels.pate_resample import pate_f1_resample_batch, pate_resample_batch

__all__ = ["pate_resampled", "pate_f1_resampled", "zone_positions"]


def zone_positions(labels: np.ndarray, pairs: list[tuple[int, int]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The events and the points within the largest buffers of one (every point PATE's TP or FN can read).

    Returns ``(starts, ends, positions)``, positions ascending.

    >>> zone_positions(np.array([0, 0, 0, 1, 1, 0, 0, 0], dtype=bool), [(0, 0), (1, 2)])[2].tolist()
    [2, 3, 4, 5, 6]
    """
    starts, ends = label_events(labels)
    n = labels.size
    early = max(p[0] for p in pairs)
    delay = max(p[1] for p in pairs)
    edges = np.zeros(n + 1, dtype=np.int64)
    np.add.at(edges, np.maximum(starts - early, 0), 1)
    np.add.at(edges, np.minimum(ends + delay, n - 1) + 1, -1)
    positions = np.flatnonzero(np.cumsum(edges[:n]) > 0).astype(np.int64)
    return starts, ends, positions


def _resamples(
    shifts: np.ndarray | None, permutations: np.ndarray | None, positions: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """(shifts, sources) as the kernels take them: one of the two has no entries."""
    if permutations is None:
        assert shifts is not None
        return np.ascontiguousarray(shifts, dtype=np.int64), np.zeros((0, 0), dtype=np.int64)
    return np.zeros(0, dtype=np.int64), np.ascontiguousarray(permutations[:, positions], dtype=np.int64)


def pate_resampled(
    labels: np.ndarray,
    scores: np.ndarray,
    pairs: list[tuple[int, int]],
    *,
    shifts: np.ndarray | None = None,
    permutations: np.ndarray | None = None,
    n_thresholds: int | None,
    drop_intermediate: bool,
    interpolation: str = "trapezoid",
    threads: int | None = None,
) -> np.ndarray:
    """PATE of every resample of one validated series (labels bool, scores float64).

    >>> labels = np.array([0, 1, 1, 0, 0, 0], dtype=bool)
    >>> scores = np.array([.1, .9, .8, .2, .3, .1])
    >>> pate_resampled(labels, scores, [(0, 0), (0, 1)], shifts=np.array([1, 3]),
    ...                n_thresholds=None, drop_intermediate=True).round(4).tolist()
    [0.6458, 0.2292]
    """
    distinct, rank, counts = np.unique(scores, return_inverse=True, return_counts=True)
    below = np.concatenate(([0], np.cumsum(counts))).astype(np.int64)  # points of rank < q
    starts, ends, positions = zone_positions(labels, pairs)
    label_index = np.flatnonzero(labels[positions]).astype(np.int64)
    shift_array, sources = _resamples(shifts, permutations, positions)
    m = shift_array.size if permutations is None else sources.shape[0]
    _, early, delay, grid = _grid(pairs)
    tables = buffer_tables(starts, ends, labels.size, early, delay)
    thin = n_thresholds is not None
    quantiles = np.true_divide(np.linspace(100, 0, n_thresholds if n_thresholds is not None else 2), 100)
    series = (rank.astype(np.int64), distinct, below, starts, ends, positions, label_index)
    with _numba_threads(threads) as n_threads:
        values, _, unsettled = pate_resample_batch(
            series, shift_array, sources, max(1, min(n_threads, m)), quantiles, thin, drop_intermediate,
            tables, grid, TIE_TOLERANCE, INTERPOLATION_CODES[interpolation],
        )  # fmt: skip
    flagged = np.flatnonzero(unsettled.any(axis=1)).tolist()
    if flagged:  # near-ties: the packed batch settles them exactly, as pate_score does
        if permutations is None:
            resampled = [np.roll(scores, int(shift_array[r])) for r in flagged]
        else:
            resampled = [scores[permutations[r]] for r in flagged]
        offsets = np.arange(len(flagged) + 1, dtype=np.int64) * labels.size
        values[flagged], _ = pate_values(
            np.tile(labels, len(flagged)), np.concatenate(resampled), offsets, pairs, n_thresholds=n_thresholds,
            drop_intermediate=drop_intermediate, interpolation=interpolation, threads=threads,
        )  # fmt: skip
    return values


def pate_f1_resampled(
    labels: np.ndarray,
    predictions: np.ndarray,
    pairs: list[tuple[int, int]],
    *,
    shifts: np.ndarray | None = None,
    permutations: np.ndarray | None = None,
    threads: int | None = None,
) -> np.ndarray:
    """PATE-F1 of every resample of one validated series (labels and predictions bool).

    >>> labels = np.array([0, 1, 1, 0, 0, 0], dtype=bool)
    >>> pred = np.array([0, 1, 0, 0, 0, 0], dtype=bool)
    >>> pate_f1_resampled(labels, pred, [(0, 0)], shifts=np.array([1, 2])).round(4).tolist()
    [0.6667, 0.0]
    """
    starts, ends, positions = zone_positions(labels, pairs)
    shift_array, sources = _resamples(shifts, permutations, positions)
    m = shift_array.size if permutations is None else sources.shape[0]
    _, early, delay, grid = _grid(pairs)
    tables = buffer_tables(starts, ends, labels.size, early, delay)
    with _numba_threads(threads) as n_threads:
        return pate_f1_resample_batch(
            predictions, starts, ends, positions, shift_array, sources, max(1, min(n_threads, m)), tables, grid
        )
