"""The array-namespace PATE engine: one code path for numpy (CPU) and CuPy (GPU).

Twin of ``pate._engine.numba`` (same ``join`` and ``curves``); the namespace
``xp`` is that of the input arrays. Written only with functions that numpy and
CuPy share (sort, lexsort, searchsorted, cumsum, bincount, flatnonzero,
elementwise arithmetic), so the CI runs exactly the code the GPU runs.
Per-threshold quantities are "sum of items whose key is <= t": a bincount
followed by a cumulative sum.

The buffer-independent FN curve, which the numba engine gets from a
sequential sweep, is computed here in parallel form. FN of event ``k``
changes only at the thresholds where one of its points joins (*change
points*). At a change point, the closed form of the numba kernel needs the
count and offset sum of the predicted points (segmented cumulative sums in
(event, join) order), the earliest predicted point and the length of the run
starting there. The last two are range queries on the join indices: the
first point whose join index is <= t (skip blocks whose minimum is > t) and
the extent of the run (skip blocks whose maximum is <= t), answered for all
change points at once by binary lifting over sparse tables of minima and
maxima. FN(t) is then the cumulative sum of the per-change-point differences.
Cost: O(N log L) for N in-event points and events of length at most L, plus
the sort; all thresholds at once.

The small per-threshold arrays come back to the host, where the keep walk
and the area are shared with the numba engine (``pate._engine.curve``),
including the exact settlement of recall ties. Many series at once:
``pate._engine.xp_batch``.

CuPy notes: only functions present in both libraries are used (no
``ufunc.at``/``ufunc.accumulate``, no ``repeat`` with array counts); CuPy's
``argsort`` is always stable and takes no ``kind``; its weighted
``bincount`` adds with atomics, so sums may differ from numpy in the last
bits (well inside the 1e-9 tie band, which is settled exactly).
"""

from __future__ import annotations

import functools
from functools import cache
from types import ModuleType
from typing import Any

import numpy as np

from pate._engine.curve import XP_TIE_TOLERANCE, PairCurve, PreparedSeries, curve_from_counts
from pate._engine.exact import exact_recall
from pate._engine.percentiles import is_dense, percentiles_packed, reached_scores
from pate._events import buffer_points, in_event_points, label_events, zone_bounds
from pate._namespace import get_namespace, to_host

__all__ = ["join", "curves", "prepare", "percentiles_packed"]


def join(labels: Any, scores: Any, *, n_thresholds: int | None, drop_intermediate: bool) -> tuple[np.ndarray, Any]:
    """Thresholds (on the host) and join indices (on the inputs' device) of one series."""
    xp = get_namespace(labels, scores)
    thresholds = _thresholds(xp, labels, scores, n_thresholds, drop_intermediate)
    index = xp.searchsorted(-thresholds, -scores, side="left").astype(xp.int64)
    return to_host(thresholds), index


def _exact_on_host(on_host: Any, t: Any, *, early: int, delay: int) -> Any:
    return exact_recall(on_host(), t, early, delay)


def curves(labels: Any, join: Any, n_thresholds: int, pairs: list[tuple[int, int]]) -> dict[tuple[int, int], PairCurve]:
    """The curve of every distinct (early, delay) pair of one series; ``labels``/``join`` on one device."""
    prep = prepare(labels, join, n_thresholds)
    n_predicted, fn = to_host(prep.n_predicted), to_host(prep.fn)

    @cache
    def on_host() -> PreparedSeries:  # only for the (rare) exact settlement of recall ties
        return prep.to_host()

    out = {}
    for early, delay in dict.fromkeys(pairs):
        tp = to_host(_true_positives(prep, early, delay))
        out[(early, delay)] = curve_from_counts(
            early,
            delay,
            tp,
            n_predicted,
            fn,
            functools.partial(_exact_on_host, on_host, early=early, delay=delay),
            XP_TIE_TOLERANCE,
        )
    return out


def prepare(labels: Any, join: Any, n_thresholds: int) -> PreparedSeries:
    """Events, detection indices and the buffer-independent curves of one series (on its device)."""
    xp = get_namespace(labels, join)
    starts, ends = label_events(labels)
    lengths = ends - starts + 1
    in_pos, in_event = in_event_points(starts, ends)
    in_join = join[in_pos]
    event_offset = xp.cumsum(lengths) - lengths
    tp_in = _cumulative(xp, in_join, n_thresholds)
    fn = false_negative_curve(xp, in_join, in_event, event_offset, lengths, n_thresholds)
    fn = xp.where(tp_in == int(in_join.size), 0.0, fn)  # every event fully predicted: exactly 0
    # detection index of each event: the smallest join index inside it
    if starts.size:
        order = xp.lexsort(xp.stack((in_join, in_event)))
        detection = in_join[order][event_offset]
    else:
        detection = xp.zeros(0, dtype=xp.int64)
    return PreparedSeries(
        n_points=int(labels.size),
        starts=starts,
        ends=ends,
        join=join,
        in_join=in_join,
        in_event=in_event,
        event_offset=event_offset,
        detection=detection,
        n_thresholds=n_thresholds,
        n_predicted=_cumulative(xp, join, n_thresholds),
        tp_in=tp_in,
        fn=fn,
    )


def _true_positives(prep: PreparedSeries, early: int, delay: int) -> Any:
    """TP after each threshold for one buffer pair: in-event count plus buffer weights."""
    xp = get_namespace(prep.join)
    pre_start, post_end = zone_bounds(prep.starts, prep.ends, prep.n_points, early, delay)
    pre_pos, pre_ev, pre_w, post_pos, _, post_w = buffer_points(prep.starts, prep.ends, pre_start, post_end)
    n = prep.n_thresholds
    return (
        prep.tp_in.astype(xp.float64)
        + _cumulative(xp, prep.join[post_pos], n, weights=post_w)
        + _cumulative(xp, xp.maximum(prep.join[pre_pos], prep.detection[pre_ev]), n, weights=pre_w)
    )


def _cumulative(xp: ModuleType, keys, n: int, weights=None):
    if keys.size == 0:
        return xp.zeros(n, dtype=xp.float64 if weights is not None else xp.int64)
    counts = xp.bincount(keys, weights=weights, minlength=n + 1)[:n]
    return xp.cumsum(counts)


def _thresholds(xp: ModuleType, labels, scores, n_thresholds: int | None, drop_intermediate: bool):
    descending = xp.sort(scores)[::-1]
    first = xp.concatenate((xp.asarray([True]), descending[1:] != descending[:-1]))
    candidates = descending[first]
    if drop_intermediate and candidates.size > 2:
        labelled = xp.sort(scores[labels])
        tps = labelled.size - xp.searchsorted(labelled, candidates, side="left")
        changes = tps[1:] != tps[:-1]
        keep = xp.concatenate((xp.asarray([True]), changes[:-1] | changes[1:], xp.asarray([True])))
        candidates = candidates[keep]
    if n_thresholds is None:
        return candidates
    if is_dense(n_thresholds, int(scores.size)):  # the scores the thresholds reach (on the host: rare)
        distinct = descending[first][::-1]
        return xp.asarray(reached_scores(to_host(distinct), to_host(candidates), n_thresholds))
    # numpy's percentile formula, on the device (bit for bit; see percentiles_packed)
    segment = xp.zeros(int(candidates.size), dtype=xp.int64)
    return percentiles_packed(xp, candidates, segment, 1, n_thresholds)[0]


def _sparse_tables(xp: ModuleType, values, levels: int):
    """Per level l, the minima and maxima of ``values`` over windows of 2**l."""
    mins, maxs = [values], [values]
    for level in range(1, levels):
        half = 1 << (level - 1)
        lo, hi = mins[-1], maxs[-1]
        mins.append(xp.concatenate((xp.minimum(lo[:-half], lo[half:]), lo[lo.size - half :])))
        maxs.append(xp.concatenate((xp.maximum(hi[:-half], hi[half:]), hi[hi.size - half :])))
    return mins, maxs


def false_negative_curve(xp: ModuleType, in_join, in_event, event_offset, lengths, n_thr: int):
    """FN after each threshold, in parallel form (see the module docstring)."""
    if int(in_join.size) == 0:
        return xp.zeros(n_thr, dtype=xp.float64)
    t, delta = false_negative_changes(xp, in_join, in_event, event_offset, lengths, in_join < n_thr)
    total = xp.sum(lengths).astype(xp.float64)
    return total + _cumulative(xp, t, n_thr, weights=delta)


def false_negative_changes(xp: ModuleType, in_join, in_event, event_offset, lengths, joins):
    """Change points of the FN curve: (threshold key, FN difference) per (event, join key).

    ``in_join`` holds keys that order the thresholds within an event (a
    series' local join index, or it plus the series' slot offset in a packed
    batch); ``joins`` flags the in-event points that are ever predicted.
    """
    n_in = int(in_join.size)
    offsets = xp.arange(n_in, dtype=xp.int64) - event_offset[in_event]
    order = xp.lexsort(xp.stack((in_join, in_event)))  # by event, then join index
    ev, j, u = in_event[order], in_join[order], offsets[order]
    last_of_group = xp.concatenate(((ev[1:] != ev[:-1]) | (j[1:] != j[:-1]), xp.asarray([True])))
    g = xp.flatnonzero(last_of_group & joins[order])  # one change point per (event, join index)
    k, t = ev[g], j[g]
    base, length = event_offset[k], lengths[k]
    count = g + 1 - base
    csum = xp.concatenate((xp.zeros(1, dtype=xp.int64), xp.cumsum(u)))
    sum_offsets = csum[g + 1] - csum[base]

    levels = max(1, int(xp.max(lengths)).bit_length())
    mins, maxs = _sparse_tables(xp, in_join, levels)
    end = base + length
    # earliest predicted point: skip blocks whose join indices are all > t
    p = base.copy()
    for level in range(levels - 1, -1, -1):
        step = 1 << level
        ok = p + step <= end
        idx = xp.where(ok, p, 0)
        p = xp.where(ok & (mins[level][idx] > t), p + step, p)
    first = p - base
    # earliest run: extend over blocks whose join indices are all <= t
    q = p.copy()
    for level in range(levels - 1, -1, -1):
        step = 1 << level
        ok = q + step <= end
        idx = xp.where(ok, q, 0)
        q = xp.where(ok & (maxs[level][idx] <= t), q + step, q)
    run = q - p

    # the closed form of the numba kernel (pate._kernels.pate_sweep.false_negative_curve)
    missed = length - count
    hi = xp.minimum(run, first + run - 1)
    has_low = hi >= first
    low = xp.where(has_low, hi - first + 1, 0)
    low_sum = xp.where(has_low, (first + hi) * low // 2, 0)
    beyond = (length - 1 - run) - (count - low)
    beyond_sum = (run + length) * (length - 1 - run) // 2 - (sum_offsets - low_sum)
    q_term = 2 * beyond_sum - beyond * run
    denom = (length * (length - 1)).astype(xp.float64)
    partial = missed - (run + 1) * q_term.astype(xp.float64) / xp.where(denom > 0, denom, 1.0)
    fn = xp.where(run >= length - 1, missed.astype(xp.float64), partial)

    first_change = xp.concatenate((xp.asarray([True]), k[1:] != k[:-1]))
    previous = xp.where(first_change, length.astype(xp.float64), xp.concatenate((fn[:1], fn[:-1])))
    return t, fn - previous
