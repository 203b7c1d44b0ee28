"""numba kernels of PATE and PATE-F1 under a null: one series, many resamples, in one parallel pass.

A resample keeps the labels and moves the scores (or predictions): a
circular shift (``np.roll(y_score, k)``: the point at ``p`` takes the score
of ``p - k`` modulo ``n``) or a permutation (the point at ``p`` takes the
score of ``source[p]``). Every resample has the same multiset of scores, and
that makes most of a series' work common to all of them
(docs/spec/pate-definition.md, sections 7 and 10):

* the distinct scores, sorted once: a point is its score's rank;
* the candidate thresholds (spec 7, steps 1-2): the top and bottom score and,
  per labelled point, its score and the next higher distinct score; only the
  ranks at the labelled points change between resamples;
* ``|P_t|``, the number of points at or above threshold ``t``: a binary
  search among the sorted scores, whatever the arrangement;
* TP, FP and FN read join indices only inside the events and their buffers
  (``pair_results``), so only those points are looked at.

So a resample costs the labelled and buffer points plus the distinct scores,
not the whole series, and every step is the single-series engine's arithmetic
in the same order (the helpers of ``pate_batch``): each value equals
``pate_score`` / ``pate_f1_score`` of the resampled series. A keep walk that
stops on a near-tie flags the (resample, pair) cell, as in ``pate_batch``; the
caller settles it with the single-series engine.

Work is dealt out as in ``pate_batch``: worker ``w`` takes resamples
``w, w + n_workers, ...``. Validation, zones and dispatch live in
``pate._engine.numba_resample``.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from pate._kernels.pate_batch import TRAPEZOID, evaluation_thresholds, grid_mean, pair_results

__all__ = ["pate_resample_batch", "pate_f1_resample_batch"]


@njit(cache=True, nogil=True, inline="always")
def _source(p, k, sources, r, i, n):
    # the index whose value lands at position p: p - k (mod n) for a shift,
    # sources[r, i] for a permutation (i: p's index among the zone positions)
    if sources.shape[0] == 0:
        q = p - k
        return q + n if q < 0 else q
    return sources[r, i]


@njit(cache=True, nogil=True)
def _resample_thresholds(zone_rank, label_index, distinct, mark, scratch, quantiles, thin, drop_intermediate):
    """PATE's thresholds of one resample (``pate_batch.series_thresholds``), from ranks.

    The kept candidates (``pate_batch.kept_candidates``) are the ranks 0 and
    ``D - 1`` and, per labelled point of rank ``r``, ``r`` and ``r + 1`` (the
    smallest score strictly above it); ``mark`` (all False, left all False)
    collects them in ascending order without a sort, into ``scratch``.
    """
    n_distinct = distinct.size
    if drop_intermediate:
        mark[0] = True
        mark[n_distinct - 1] = True
        for j in range(label_index.size):
            r = zone_rank[label_index[j]]
            mark[r] = True
            if r + 1 < n_distinct:
                mark[r + 1] = True
        count = 0
        for r in range(n_distinct):  # branch-free: every rank written, the marked ones kept
            scratch[count] = distinct[r]
            count += mark[r]
            mark[r] = False
        ascending = scratch[:count]
    else:
        ascending = distinct
    return evaluation_thresholds(ascending, quantiles, thin)


@njit(cache=True, nogil=True)
def _resample_join(series, k, sources, r, quantiles, thin, drop_intermediate, join, work):
    """The join indices of one resample (shift ``k``, or row ``r`` of ``sources``) into ``join``; returns |P_t|.

    ``join`` is written at the zone positions only; ``work`` holds the worker's scratch arrays.
    """
    rank, distinct, below, _, _, positions, label_index = series
    zone_rank, mark, scratch, join_of_rank = work
    n = rank.size
    for i in range(positions.size):
        zone_rank[i] = rank[_source(positions[i], k, sources, r, i, n)]
    thresholds = _resample_thresholds(
        zone_rank, label_index, distinct, mark, scratch, quantiles, thin, drop_intermediate
    )
    n_thr = thresholds.size
    # A point's join index is the number of thresholds above its score
    # (pate_batch.join_indices): one merge of the distinct scores with the
    # thresholds (ascending) gives it for every rank, and |P_t| =
    # #{scores >= thresholds[t]} = n - below[q] for the first rank q whose
    # score reaches thresholds[t] (below[q]: the points of rank < q).
    n_predicted = np.empty(n_thr, dtype=np.int64)
    n_distinct = distinct.size
    c = 0  # thresholds <= the current score
    for q in range(n_distinct):
        v = distinct[q]
        while c < n_thr and thresholds[n_thr - 1 - c] <= v:
            n_predicted[n_thr - 1 - c] = n - below[q]
            c += 1
        join_of_rank[q] = n_thr - c
    while c < n_thr:  # thresholds above every score (interpolated ones cannot be, but stay exact)
        n_predicted[n_thr - 1 - c] = 0
        c += 1
    for i in range(positions.size):
        join[positions[i]] = join_of_rank[zone_rank[i]]
    return n_predicted


@njit(cache=True, nogil=True, parallel=True)
def pate_resample_batch(
    series, shifts, sources, n_workers, quantiles, thin, drop_intermediate, tables, grid, tolerance, interpolation
):
    """PATE of every resample of one series: the values, the areas (n_resamples, n_pairs), the unsettled flags.

    series          ``(rank, distinct, below, starts, ends, positions, label_index)``:
    rank[i]         rank of point i's score among ``distinct`` (the distinct scores, ascending)
    below[q]        number of points of rank < q (size ``distinct.size + 1``)
    starts, ends    the events of the labels
    positions       the points inside an event or within the largest buffers of one, ascending
    label_index     indices into ``positions`` of the labelled points
    shifts          the shift of each resample (shift mode: ``sources`` has no rows)
    sources         (n_resamples, positions.size): the source of each position's score (permutation mode)
    tables          ``pate_batch.buffer_tables`` of the distinct buffer pairs

    The other arguments are ``pate_batch``'s. A resample with an unsettled
    pair gets NaN.
    """
    rank, distinct, _, starts, ends, positions, _ = series
    m = shifts.size if sources.shape[0] == 0 else sources.shape[0]
    n_pairs = tables[3].size - 1
    areas = np.empty((m, n_pairs), dtype=np.float64)
    unsettled = np.zeros((m, n_pairs), dtype=np.bool_)
    value = np.empty(m, dtype=np.float64)
    for w in prange(n_workers):
        join = np.empty(rank.size, dtype=np.int64)  # read only at `positions`
        work = (
            np.empty(positions.size, dtype=np.int64),  # the ranks at the positions
            np.zeros(distinct.size, dtype=np.bool_),  # the kept ranks
            np.empty(distinct.size, dtype=np.float64),  # the kept candidates
            np.empty(distinct.size, dtype=np.int64),  # the join index of each rank
        )
        for r in range(w, m, n_workers):
            k = shifts[r] if sources.shape[0] == 0 else 0
            n_predicted = _resample_join(series, k, sources, r, quantiles, thin, drop_intermediate, join, work)
            n_thr = n_predicted.size
            pair_results(
                starts, ends, join, n_predicted, n_thr, tables, tolerance, interpolation, True, areas[r], unsettled[r]
            )
            value[r] = grid_mean(areas[r], grid)
    return value, areas, unsettled


@njit(cache=True, nogil=True, parallel=True)
def pate_f1_resample_batch(predictions, starts, ends, positions, shifts, sources, n_workers, tables, grid):
    """PATE-F1 of every resample of one series (arguments as :func:`pate_resample_batch`).

    One threshold: a predicted point joins at 0, the others never (1); the
    number of predicted points is the same in every resample.
    """
    n = predictions.size
    m = shifts.size if sources.shape[0] == 0 else sources.shape[0]
    n_pairs = tables[3].size - 1
    total = 0
    for i in range(n):
        if predictions[i]:
            total += 1
    f1 = np.empty((m, n_pairs), dtype=np.float64)
    unused = np.zeros((m, n_pairs), dtype=np.bool_)
    value = np.empty(m, dtype=np.float64)
    for w in prange(n_workers):
        join = np.empty(n, dtype=np.int64)
        n_predicted = np.full(1, total, dtype=np.int64)
        for r in range(w, m, n_workers):
            k = shifts[r] if sources.shape[0] == 0 else 0
            for i in range(positions.size):
                join[positions[i]] = 0 if predictions[_source(positions[i], k, sources, r, i, n)] else 1
            pair_results(starts, ends, join, n_predicted, 1, tables, 0.0, TRAPEZOID, False, f1[r], unused[r])
            value[r] = grid_mean(f1[r], grid)
    return value
