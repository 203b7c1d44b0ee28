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

Batches (``xp_batch_join``, ``xp_batch_curves``) are packed: the series are
concatenated with a series id per point, thresholds and join indices of all
series come from one sort of the scores, one stable sort of the series ids
and a few searches (thresholds by numpy's percentile formula, evaluated for
all series at once and equal to ``np.percentile`` bit for bit), and every
per-threshold sum is one bincount into a (series, threshold) table plus a
row-wise cumulative sum. The FN change points of all events of all series
come from one call. The keep walk and the areas are vectorised too
(``xp_batch_areas``: "keep i iff recall_i >= max of the earlier recalls",
a log-step prefix maximum); only (series, pair) cells with a comparison
inside the tie band go to the host walk with exact settlement, and only the
areas (series x pairs) come back to the host.

CuPy notes: only functions present in both libraries are used (no
``ufunc.at``/``ufunc.accumulate``, no ``repeat`` with array counts); CuPy's
``argsort`` is always stable and takes no ``kind`` (``_stable_argsort``);
its weighted ``bincount`` adds with atomics, so sums may differ from numpy
in the last bits (well inside the 1e-9 tie band, which is settled exactly).
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
    # numpy's percentile formula, on the device (bit for bit; see _percentiles_packed)
    segment = xp.zeros(int(candidates.size), dtype=xp.int64)
    return _percentiles_packed(xp, candidates, segment, 1, n_thresholds)[0]


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
    if int(in_join.size) == 0:
        return xp.zeros(n_thr, dtype=xp.float64)
    t, delta = _false_negative_changes(xp, in_join, in_event, event_offset, lengths, in_join < n_thr)
    total = xp.sum(lengths).astype(xp.float64)
    return total + _cumulative(xp, t, n_thr, weights=delta)


def _false_negative_changes(xp: ModuleType, in_join, in_event, event_offset, lengths, joins):
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
    return t, fn - previous


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


# --------------------------------------------------------------------------
# Packed batches: every series of a batch in the same few launches.
#
# The series are concatenated into flat arrays with a series id per point.
# Thresholds live in a (series, slot) table with ``width = max T_s + 1``
# columns (the last used column of each row, T_s, collects the points never
# predicted), so every per-threshold sum is one bincount over
# ``series * width + join`` and one cumulative sum along the rows: no
# cumulative sum crosses a series boundary (no cancellation between series).


def _segment_ids(xp: ModuleType, lengths):
    ends = xp.cumsum(lengths)
    total = int(ends[-1]) if lengths.size else 0
    return xp.searchsorted(ends, xp.arange(total, dtype=xp.int64), side="right")


def _percentiles_packed(xp: ModuleType, cand, cseg, n_series: int, n_thresholds: int):
    """``np.percentile(candidates_s, linspace(100, 0, T))`` of every series, same rounding.

    numpy's "linear" method spelled out (virtual index (m-1)*q, floor, the
    last value at and beyond the top, and its two-sided lerp), so the
    thresholds equal numpy's to the last bit (tests check this).
    """
    m = xp.bincount(cseg, minlength=n_series)
    first = xp.cumsum(m) - m  # candidates are descending within a series
    q = xp.asarray(np.true_divide(np.linspace(100, 0, n_thresholds), 100))
    cell = xp.arange(n_series * n_thresholds, dtype=xp.int64)
    s, k = cell // n_thresholds, cell % n_thresholds
    top = (m[s] - 1).astype(xp.float64)
    virtual = top * q[k]
    prev = xp.floor(virtual)
    above = virtual >= top
    prev = xp.where(above, top, prev)
    nxt = xp.where(above, top, prev + 1)
    gamma = virtual - prev
    ascending = lambda i: cand[first[s] + (m[s] - 1) - i.astype(xp.int64)]  # noqa: E731
    a, b = ascending(prev), ascending(nxt)
    diff = b - a
    return xp.where(gamma >= 0.5, b - diff * (1 - gamma), a + diff * gamma), s


def xp_batch_join(xp: ModuleType, labels, scores, seg, n_series: int, n_thresholds: int | None, drop: bool):
    """Per series threshold count T_s (device) and the local join index of every point.

    Sorting by (series, score descending) is a float sort of the scores
    followed by a stable sort of the series ids (a radix sort for numpy and
    CuPy alike), cheaper than a lexsort.
    """
    n = int(scores.size)
    by_score = xp.argsort(-scores)
    values = -scores[by_score]  # ascending
    new_value = xp.concatenate((xp.asarray([True]), values[1:] != values[:-1]))
    distinct = values[new_value]
    rank = xp.empty(n, dtype=xp.int64)  # index of each point's -score in distinct
    rank[by_score] = xp.cumsum(new_value.astype(xp.int64)) - 1
    seg_small = seg[by_score].astype(xp.uint16 if n_series < 1 << 16 else xp.int64)
    order = by_score[_stable_argsort(xp, seg_small)]
    desc, sseg = scores[order], seg[order]
    new_value = xp.concatenate((xp.asarray([True]), (sseg[1:] != sseg[:-1]) | (desc[1:] != desc[:-1])))
    cand_pos = xp.flatnonzero(new_value)
    cand, cseg = desc[cand_pos], sseg[cand_pos]
    if drop and cand.size > 2:
        # labelled points at or above each candidate, within its series
        last_pos = xp.flatnonzero(xp.concatenate((new_value[1:], xp.asarray([True]))))
        counted = xp.concatenate((xp.zeros(1, dtype=xp.int64), xp.cumsum(labels[order].astype(xp.int64))))
        series_first = xp.searchsorted(sseg, xp.arange(n_series, dtype=xp.int64), side="left")
        tps = counted[last_pos + 1] - counted[series_first[cseg]]
        same = cseg[1:] == cseg[:-1]
        change = same & (tps[1:] != tps[:-1])
        boundary = xp.concatenate((xp.asarray([True]), ~same)) | xp.concatenate((~same, xp.asarray([True])))
        keep = (boundary | xp.concatenate((xp.asarray([False]), change))
                | xp.concatenate((change, xp.asarray([False]))))
        cand, cseg = cand[keep], cseg[keep]
    if n_thresholds is None:
        thresholds, tseg = cand, cseg
    else:
        thresholds, tseg = _percentiles_packed(xp, cand, cseg, n_series, n_thresholds)
    n_thr = xp.bincount(tseg, minlength=n_series)
    thr_first = xp.cumsum(n_thr) - n_thr
    # join = thresholds of the series strictly above the score. Keys in the
    # space of the distinct negated scores: a score of rank r has key 2r; a
    # threshold equal to distinct[p] has key 2p, one between distinct[p-1]
    # and distinct[p] has key 2p - 1. Then "threshold above score" is "key
    # smaller", and one search in the thresholds' (series, key) list, sorted
    # by construction, counts them.
    width = 2 * int(distinct.size) + 2
    neg = -thresholds
    p = xp.searchsorted(distinct, neg, side="left")
    hit = distinct[xp.minimum(p, distinct.size - 1)] == neg
    thr_keys = tseg * width + 2 * p + xp.where(hit, 1, 0)
    join = xp.searchsorted(thr_keys, seg * width + 2 * rank + 1, side="left") - thr_first[seg]
    return n_thr, join.astype(xp.int64)


def _stable_argsort(xp: ModuleType, values):
    # numpy needs kind="stable" (a radix sort for 16-bit keys); CuPy's argsort
    # is always stable and takes no other kind.
    return xp.argsort(values, kind="stable") if xp is np else xp.argsort(values)


def _batch_tables(xp: ModuleType, labels, lengths, join, n_thr, pairs: list[tuple[int, int]]):
    """Device table (3 + pairs, series, width): |P_t|, in-event TP, FN, then TP per distinct pair.

    ``labels``/``join`` are the flat packed arrays, ``lengths`` and ``n_thr``
    the per-series point and threshold counts (device). Series of zero
    length are not allowed (validation rejects them).
    """
    n_series = int(lengths.size)
    seg = _segment_ids(xp, lengths)
    offsets = xp.cumsum(lengths) - lengths
    series_end = offsets + lengths  # one past the last point
    width = int(xp.max(n_thr)) + 1
    n_cells = n_series * width

    def table(keys, weights=None):
        if keys.size == 0:
            return xp.zeros((n_series, width), dtype=xp.float64 if weights is not None else xp.int64)
        counts = xp.bincount(keys, weights=weights, minlength=n_cells)[:n_cells]
        return xp.cumsum(counts.reshape(n_series, width), axis=1)

    key = seg * width + join  # the cell of each point's join
    n = int(labels.size)
    is_first = xp.zeros(n, dtype=bool)
    is_first[offsets] = True
    is_last = xp.zeros(n, dtype=bool)
    is_last[series_end - 1] = True
    lab = labels.astype(bool)
    prev_lab = xp.concatenate((xp.zeros(1, dtype=bool), lab[:-1]))
    next_lab = xp.concatenate((lab[1:], xp.zeros(1, dtype=bool)))
    starts = xp.flatnonzero(lab & (is_first | ~prev_lab)).astype(xp.int64)
    ends = xp.flatnonzero(lab & (is_last | ~next_lab)).astype(xp.int64)
    ev_seg = seg[starts]
    ev_lengths = ends - starts + 1
    in_pos, in_event = _concat_ranges(xp, starts, ends + 1)
    in_key = key[in_pos]
    in_seg = seg[in_pos]
    event_offset = xp.cumsum(ev_lengths) - ev_lengths

    n_predicted = table(key)
    tp_in = table(in_key)
    n_in = xp.bincount(in_seg, minlength=n_series) if in_key.size else xp.zeros(n_series, dtype=xp.int64)
    fn = xp.zeros((n_series, width), dtype=xp.float64)
    if in_key.size:
        t, delta = _false_negative_changes(xp, in_key, in_event, event_offset, ev_lengths, join[in_pos] < n_thr[in_seg])
        total = xp.bincount(ev_seg, weights=ev_lengths.astype(xp.float64), minlength=n_series)
        fn = total[:, None] + table(t, delta)
        fn = xp.where(tp_in == n_in[:, None], 0.0, fn)
        order = xp.lexsort(xp.stack((in_key, in_event)))
        detection = in_key[order][event_offset]
    else:
        detection = xp.zeros(0, dtype=xp.int64)

    # zones: as _zone_bounds, with the neighbours taken within the series
    same_next = xp.concatenate((ev_seg[1:] == ev_seg[:-1], xp.asarray([False])))
    same_prev = xp.concatenate((xp.asarray([False]), ev_seg[1:] == ev_seg[:-1]))
    next_start = xp.where(same_next, xp.concatenate((starts[1:], xp.zeros(1, dtype=xp.int64))), series_end[ev_seg])
    twice_centre = starts + ends
    tables = [n_predicted.astype(xp.float64), tp_in.astype(xp.float64), fn]
    for early, delay in dict.fromkeys(pairs):
        post_end = xp.minimum(ends + delay, next_start - 1)
        prev_post_end = xp.where(same_prev, xp.concatenate((xp.zeros(1, dtype=xp.int64), post_end[:-1])),
                                 offsets[ev_seg] - 1)
        pre_start = xp.maximum(xp.maximum(starts - early, offsets[ev_seg]), prev_post_end + 1)
        pre_pos, pre_ev = _concat_ranges(xp, pre_start, starts)
        post_pos, post_ev = _concat_ranges(xp, ends + 1, post_end + 1)
        pre_w = 1.0 - (twice_centre[pre_ev] - 2 * pre_pos).astype(xp.float64) / (
            twice_centre[pre_ev] - 2 * pre_start[pre_ev]).astype(xp.float64)
        post_w = 1.0 - (2 * post_pos - twice_centre[post_ev]).astype(xp.float64) / (
            2 * post_end[post_ev] - twice_centre[post_ev]).astype(xp.float64)
        tables.append(tp_in + table(key[post_pos], post_w) + table(xp.maximum(key[pre_pos], detection[pre_ev]), pre_w))

    return xp.stack(tables)


class _HostCurves:
    """Host-side curves of single (series, pair) cells of a batch table (keep walk, exact ties)."""

    def __init__(self, xp: ModuleType, labels, lengths, join, n_thr, pairs, host_table: np.ndarray):
        self.xp, self.labels, self.join = xp, labels, join
        self.pairs = list(dict.fromkeys(pairs))
        self.host = host_table
        self.n_thr = _to_host(xp, n_thr)
        self.lengths = _to_host(xp, lengths)
        self.offsets = np.cumsum(self.lengths) - self.lengths
        self.prepared: dict[int, PreparedSeries] = {}

    def _exact(self, s: int, t: int, early: int, delay: int):
        from pate._exact import exact_recall
        from pate._pate_engine import prepare_series

        if s not in self.prepared:  # rare: a near-tie; rebuild this series on the host
            a, b = int(self.offsets[s]), int(self.offsets[s] + self.lengths[s])
            self.prepared[s] = prepare_series(
                _to_host(self.xp, self.labels[a:b]).astype(bool), _to_host(self.xp, self.join[a:b]), int(self.n_thr[s]))
        return exact_recall(self.prepared[s], t, early, delay)

    def curve(self, s: int, i: int) -> PairCurve:
        ts = int(self.n_thr[s])
        early, delay = self.pairs[i]
        return curve_from_counts(
            early, delay, self.host[3 + i, s, :ts].copy(), self.host[0, s, :ts], self.host[2, s, :ts],
            lambda t: self._exact(s, t, early, delay), _XP_TIE_TOLERANCE,
        )


def xp_batch_curves(xp: ModuleType, labels, lengths, join, n_thr, pairs: list[tuple[int, int]]):
    """Per series, the curves of every distinct pair (list of dicts, input order).

    The reference form: one transfer of the tables, then the keep walk per
    series and pair on the host (see :func:`xp_batch_areas` for the
    vectorised one).
    """
    stacked = _batch_tables(xp, labels, lengths, join, n_thr, pairs)
    host = _HostCurves(xp, labels, lengths, join, n_thr, pairs, _to_host(xp, stacked))
    return [{pair: host.curve(s, i) for i, pair in enumerate(host.pairs)} for s in range(int(lengths.size))]


def xp_batch_first_point(xp: ModuleType, labels, lengths, join, n_thr, pairs: list[tuple[int, int]]):
    """(precision, recall) at the first threshold, arrays (distinct pairs, series), on the host."""
    head = _to_host(xp, _batch_tables(xp, labels, lengths, join, n_thr, pairs)[:, :, 0])
    n_pred, fn, tp = head[0], head[2], head[3:]
    with np.errstate(invalid="ignore", divide="ignore"):
        precision = np.where(n_pred > 0, tp / np.maximum(n_pred, 1), 0.0)
        denom = tp + fn
        recall = np.where(denom > 0, tp / np.where(denom > 0, denom, 1.0), 0.0)
    return precision, recall


def _prefix_max(xp: ModuleType, a):
    """Inclusive running maximum along axis 1 (log-step scan; CuPy has no maximum.accumulate)."""
    k = 1
    while k < a.shape[1]:
        a = xp.concatenate((a[:, :k], xp.maximum(a[:, k:], a[:, :-k])), axis=1)
        k *= 2
    return a


def xp_batch_areas(xp: ModuleType, labels, lengths, join, n_thr, pairs: list[tuple[int, int]]) -> np.ndarray:
    """Area of every (series, distinct pair), host array (series, distinct pairs).

    The keep walk in vectorised form: in exact arithmetic the last kept
    recall before ``i`` is the maximum of all earlier recalls, so ``i`` is
    kept iff ``recall_i >= max(recall_<i)``. Decisions whose float gap is
    below ``_XP_TIE_TOLERANCE`` (relative) are left open and their
    (series, pair) cells go to the host keep walk with exact settlement,
    except the two exact cases the numba walk also settles without
    arithmetic: a state identical to its predecessor (same TP and FN: the
    same predicted set, so the same decision) and two zero recalls.
    """
    stacked = _batch_tables(xp, labels, lengths, join, n_thr, pairs)
    n_pairs = int(stacked.shape[0]) - 3
    n_series, width = int(stacked.shape[1]), int(stacked.shape[2])
    n_pred, fn, tp = stacked[0][None], stacked[2][None], stacked[3:]
    precision = xp.where(n_pred > 0, tp / xp.where(n_pred > 0, n_pred, 1.0), 0.0)
    denom = tp + fn
    recall = xp.where(denom > 0, tp / xp.where(denom > 0, denom, 1.0), 0.0)
    rows = n_pairs * n_series
    precision, recall = precision.reshape(rows, width), recall.reshape(rows, width)
    tp2 = tp.reshape(rows, width)
    fn2 = xp.broadcast_to(fn, (n_pairs, n_series, width)).reshape(rows, width)
    col = xp.arange(width, dtype=xp.int64)[None, :]
    valid = xp.broadcast_to(col < n_thr[None, :, None], (n_pairs, n_series, width)).reshape(rows, width)

    # previous maximum recall (-1 where there is no earlier point)
    masked = xp.where(valid, recall, -1.0)
    before = _prefix_max(xp, xp.concatenate((xp.full((rows, 1), -1.0), masked[:, :-1]), axis=1))
    same_as_previous = xp.concatenate(
        (xp.zeros((rows, 1), dtype=bool), (tp2[:, 1:] == tp2[:, :-1]) & (fn2[:, 1:] == fn2[:, :-1])), axis=1)
    gap, scale = recall - before, recall + before
    first = before < 0
    keep_decided = first | (gap > _XP_TIE_TOLERANCE * scale) | ((recall == 0) & (before == 0))
    drop_decided = ~first & (-gap > _XP_TIE_TOLERANCE * scale)
    open_cell = valid & ~same_as_previous & ~keep_decided & ~drop_decided
    # a state identical to its predecessor takes the decision of the first of its run
    run_head = _prefix_max(xp, xp.where(same_as_previous, 0, col + xp.zeros((rows, 1), dtype=xp.int64)))
    flat = (xp.arange(rows, dtype=xp.int64)[:, None] * width + run_head).reshape(-1)
    keep = keep_decided.reshape(-1)[flat].reshape(rows, width) & valid

    # trapezoids between consecutive kept points, from the anchor (0, 1)
    last_kept = _prefix_max(xp, xp.concatenate(
        (xp.full((rows, 1), -1, dtype=xp.int64), xp.where(keep, col, -1)[:, :-1]), axis=1))
    at = (xp.arange(rows, dtype=xp.int64)[:, None] * width + xp.maximum(last_kept, 0)).reshape(-1)
    has_prev = last_kept >= 0
    r_prev = xp.where(has_prev, recall.reshape(-1)[at].reshape(rows, width), 0.0)
    p_prev = xp.where(has_prev, precision.reshape(-1)[at].reshape(rows, width), 1.0)
    pieces = xp.where(keep, (recall - r_prev) * (precision + p_prev) / 2.0, 0.0)
    areas = _to_host(xp, xp.sum(pieces, axis=1)).reshape(n_pairs, n_series)

    open_rows = np.flatnonzero(_to_host(xp, open_cell.any(axis=1)))
    if open_rows.size:
        host = _HostCurves(xp, labels, lengths, join, n_thr, pairs, _to_host(xp, stacked))
        for row in open_rows:
            i, s = divmod(int(row), n_series)
            areas[i, s] = host.curve(s, i).area
    return areas.T
