"""The array-namespace PATE engine: one code path for numpy (CPU) and CuPy (GPU).

Written only with functions that numpy and CuPy share (sort, lexsort,
searchsorted, cumsum, bincount, flatnonzero, elementwise arithmetic), so the
CI runs exactly the code the GPU runs. Per-threshold quantities are
"sum of items whose key is <= t" (spec section 10): a bincount followed by a
cumulative sum.

The buffer-independent FN curve, which the numba engine gets from a
sequential sweep, is computed here in parallel form. FN of event ``k``
changes only at the thresholds where one of its points joins (*change
points*). At a change point, the closed form of spec section 4 needs the
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
and the area are shared with the numba engine (``curve_from_counts``),
including the exact settlement of recall ties.
"""

from __future__ import annotations

from types import ModuleType
from typing import Any

import numpy as np

from pate._pate_engine import PairCurve, PreparedSeries, curve_from_counts

__all__ = ["xp_curves"]

# Float sums here are plain (not compensated) cumulative sums, so near-ties
# are handed to exact arithmetic from a wider band than in the numba engine.
_XP_TIE_TOLERANCE = 1e-9


def _to_host(xp: ModuleType, a: Any) -> np.ndarray:
    return a if xp is np else xp.asnumpy(a)


def _concat_ranges(xp: ModuleType, starts, stops):
    """xp version of pate._events.concat_ranges (no repeat with array counts in CuPy)."""
    lengths = xp.maximum(stops - starts, 0)
    ends = xp.cumsum(lengths)
    total = int(ends[-1]) if lengths.size else 0
    idx = xp.arange(total, dtype=xp.int64)
    owner = xp.searchsorted(ends, idx, side="right")
    return idx - (ends - lengths)[owner] + starts[owner], owner


def _events(xp: ModuleType, labels):
    m = labels.astype(xp.int8)
    pad = xp.zeros(1, dtype=xp.int8)
    edges = xp.diff(xp.concatenate((pad, m, pad)))
    return xp.flatnonzero(edges == 1).astype(xp.int64), (xp.flatnonzero(edges == -1) - 1).astype(xp.int64)


def _zone_bounds(xp: ModuleType, starts, ends, n: int, early: int, delay: int):
    next_start = xp.concatenate((starts[1:], xp.asarray([n], dtype=xp.int64)))
    post_end = xp.minimum(ends + delay, next_start - 1)
    prev_post_end = xp.concatenate((xp.asarray([-1], dtype=xp.int64), post_end[:-1]))
    pre_start = xp.maximum(xp.maximum(starts - early, 0), prev_post_end + 1)
    return pre_start, post_end


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
    # numpy's percentile on the host: its interpolation formula defines the
    # published thresholds to the last bit.
    host = np.percentile(_to_host(xp, candidates), np.linspace(100, 0, n_thresholds))
    return xp.asarray(host)


def _sparse_tables(xp: ModuleType, values, levels: int):
    """Per level l, the minima and maxima of ``values`` over windows of 2**l."""
    mins, maxs = [values], [values]
    for level in range(1, levels):
        half = 1 << (level - 1)
        lo, hi = mins[-1], maxs[-1]
        mins.append(xp.concatenate((xp.minimum(lo[:-half], lo[half:]), lo[lo.size - half:])))
        maxs.append(xp.concatenate((xp.maximum(hi[:-half], hi[half:]), hi[hi.size - half:])))
    return mins, maxs


def _false_negative_curve(xp: ModuleType, in_join, in_event, event_offset, lengths, n_thr: int):
    """FN after each threshold, in parallel form (see the module docstring)."""
    n_in = int(in_join.size)
    if n_in == 0:
        return xp.zeros(n_thr, dtype=xp.float64)
    offsets = xp.arange(n_in, dtype=xp.int64) - event_offset[in_event]
    order = xp.lexsort(xp.stack((in_join, in_event)))  # by event, then join index
    ev, j, u = in_event[order], in_join[order], offsets[order]
    last_of_group = xp.concatenate(((ev[1:] != ev[:-1]) | (j[1:] != j[:-1]), xp.asarray([True])))
    g = xp.flatnonzero(last_of_group & (j < n_thr))  # one change point per (event, join index)
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

    # spec section 4 closed form (as in the numba kernel)
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
    delta = fn - previous
    total = xp.sum(lengths).astype(xp.float64)
    return total + _cumulative(xp, t, n_thr, weights=delta)


def xp_curves(
    xp: ModuleType,
    labels,
    join,
    n_thresholds: int,
    pairs: list[tuple[int, int]],
) -> dict[tuple[int, int], PairCurve]:
    """Curves of every distinct pair for one series; ``labels``/``join`` live on xp's device."""
    n = int(labels.size)
    starts, ends = _events(xp, labels)
    lengths = ends - starts + 1
    in_pos, in_event = _concat_ranges(xp, starts, ends + 1)
    in_join = join[in_pos]
    event_offset = xp.cumsum(lengths) - lengths
    n_in = int(in_join.size)

    n_predicted = _cumulative(xp, join, n_thresholds)
    tp_in = _cumulative(xp, in_join, n_thresholds)
    fn = _false_negative_curve(xp, in_join, in_event, event_offset, lengths, n_thresholds)
    fn = xp.where(tp_in == n_in, 0.0, fn)  # every event fully predicted: exactly 0
    # detection index of each event: the smallest join index inside it
    if starts.size:
        order = xp.lexsort(xp.stack((in_join, in_event)))
        detection = in_join[order][event_offset]
    else:
        detection = xp.zeros(0, dtype=xp.int64)

    host_counts = (_to_host(xp, n_predicted), _to_host(xp, tp_in).astype(np.float64), _to_host(xp, fn))
    host_prep: list[PreparedSeries] = []

    def prepared() -> PreparedSeries:
        # host copy for the (rare) exact settlement of recall ties
        if not host_prep:
            h = lambda a: _to_host(xp, a)  # noqa: E731
            host_prep.append(PreparedSeries(
                n_points=n, starts=h(starts), ends=h(ends), join=h(join), in_join=h(in_join),
                in_event=h(in_event), event_offset=h(event_offset), detection=h(detection),
                n_thresholds=n_thresholds, n_predicted=host_counts[0], tp_in=host_counts[1], fn=host_counts[2],
            ))
        return host_prep[0]

    twice_centre = starts + ends
    curves = {}
    for early, delay in dict.fromkeys(pairs):
        pre_start, post_end = _zone_bounds(xp, starts, ends, n, early, delay)
        pre_pos, pre_ev = _concat_ranges(xp, pre_start, starts)
        post_pos, post_ev = _concat_ranges(xp, ends + 1, post_end + 1)
        pre_w = 1.0 - (twice_centre[pre_ev] - 2 * pre_pos).astype(xp.float64) / (
            twice_centre[pre_ev] - 2 * pre_start[pre_ev]).astype(xp.float64)
        post_w = 1.0 - (2 * post_pos - twice_centre[post_ev]).astype(xp.float64) / (
            2 * post_end[post_ev] - twice_centre[post_ev]).astype(xp.float64)
        tp = (tp_in.astype(xp.float64)
              + _cumulative(xp, join[post_pos], n_thresholds, weights=post_w)
              + _cumulative(xp, xp.maximum(join[pre_pos], detection[pre_ev]), n_thresholds, weights=pre_w))

        def exact_at(t: int, early=early, delay=delay):
            from pate._exact import exact_recall

            return exact_recall(prepared(), t, early, delay)

        curves[(early, delay)] = curve_from_counts(
            early, delay, _to_host(xp, tp), host_counts[0], host_counts[2], exact_at, _XP_TIE_TOLERANCE
        )
    return curves


def xp_join(xp: ModuleType, labels, scores, n_thresholds: int | None, drop_intermediate: bool):
    """Thresholds (on the host) and join indices (on the device) of one series."""
    thresholds = _thresholds(xp, labels, scores, n_thresholds, drop_intermediate)
    join = xp.searchsorted(-thresholds, -scores, side="left").astype(xp.int64)
    return _to_host(xp, thresholds), join
