"""Packed batches for the array-namespace engine: every series of a batch in the same few launches.

The series are concatenated into flat arrays with a series id per point.
Thresholds and join indices of all series come from one sort of the scores,
one stable sort of the series ids and a few searches (thresholds by numpy's
percentile formula, evaluated for all series at once and equal to
``np.percentile`` bit for bit). Thresholds live in a (series, slot) table
with ``width = max T_s + 1`` columns (the last used column of each row, T_s,
collects the points never predicted), so every per-threshold sum is one
bincount over ``series * width + join`` and one cumulative sum along the
rows: no cumulative sum crosses a series boundary (no cancellation between
series). The FN change points of all events of all series come from one
call. The keep walk and the areas are vectorised too (:func:`areas`: "keep
i iff recall_i >= max of the earlier recalls", a log-step prefix maximum);
only (series, pair) cells with a comparison inside the tie band go to the
host walk with exact settlement, and only the areas (series x pairs) come
back to the host. Events, zones and weights are those of ``pate._events``
(zones bounded by each event's series).
"""

from __future__ import annotations

from types import ModuleType

import numpy as np

from pate._engine.curve import XP_TIE_TOLERANCE, PairCurve, PreparedSeries, curve_from_counts, pair_area
from pate._engine.exact import exact_recall
from pate._engine.xp import false_negative_changes, percentiles_packed, prepare
from pate._events import buffer_points, in_event_points, zone_bounds
from pate._namespace import get_namespace, safe_divide, to_host

__all__ = ["join", "areas", "first_threshold_precision_recall"]


def _segment_ids(xp: ModuleType, lengths):
    ends = xp.cumsum(lengths)
    total = int(ends[-1]) if lengths.size else 0
    return xp.searchsorted(ends, xp.arange(total, dtype=xp.int64), side="right")


def join(labels, scores, seg, n_series: int, *, n_thresholds: int | None, drop_intermediate: bool):
    """Per series threshold count T_s (device) and the local join index of every point.

    Sorting by (series, score descending) is a float sort of the scores
    followed by a stable sort of the series ids (a radix sort for numpy and
    CuPy alike), cheaper than a lexsort.
    """
    xp = get_namespace(labels, scores, seg)
    drop = drop_intermediate
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
        keep = boundary | xp.concatenate((xp.asarray([False]), change)) | xp.concatenate((change, xp.asarray([False])))
        cand, cseg = cand[keep], cseg[keep]
    if n_thresholds is None:
        thresholds, tseg = cand, cseg
    else:
        thresholds, tseg = percentiles_packed(xp, cand, cseg, n_series, n_thresholds)
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


def _batch_tables(labels, lengths, join, n_thr, pairs: list[tuple[int, int]], *, changes: bool = False):
    """Device table (3 + pairs, series, width): |P_t|, in-event TP, FN, then TP per distinct pair.

    ``labels``/``join`` are the flat packed arrays, ``lengths`` and ``n_thr``
    the per-series point and threshold counts (device). Series of zero
    length are not allowed (validation rejects them).

    With ``changes``, also a boolean table (pairs, series, width): whether an
    in-event point or a buffer point of positive weight joins at that
    threshold, i.e. whether TP or FN differ from the previous threshold in
    exact arithmetic. Float equality cannot tell on a GPU: a parallel
    cumulative sum need not repeat a value across a zero increment.
    """
    xp = get_namespace(labels, join)
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
    in_pos, in_event = in_event_points(starts, ends)
    in_key = key[in_pos]
    in_seg = seg[in_pos]
    event_offset = xp.cumsum(ev_lengths) - ev_lengths

    def joins_at(keys):
        if keys.size == 0:  # CuPy's bincount refuses an empty array
            return xp.zeros((n_series, width), dtype=bool)
        return xp.bincount(keys, minlength=n_cells)[:n_cells].reshape(n_series, width) > 0

    n_predicted = table(key)
    tp_in = table(in_key)
    n_in = xp.bincount(in_seg, minlength=n_series) if in_key.size else xp.zeros(n_series, dtype=xp.int64)
    fn = xp.zeros((n_series, width), dtype=xp.float64)
    if in_key.size:
        t, delta = false_negative_changes(xp, in_key, in_event, event_offset, ev_lengths, join[in_pos] < n_thr[in_seg])
        total = xp.bincount(ev_seg, weights=ev_lengths.astype(xp.float64), minlength=n_series)
        fn = total[:, None] + table(t, delta)
        fn = xp.where(tp_in == n_in[:, None], 0.0, fn)
        order = xp.lexsort(xp.stack((in_key, in_event)))
        detection = in_key[order][event_offset]
    else:
        detection = xp.zeros(0, dtype=xp.int64)

    # zones stay within each event's series
    lower, upper = offsets[ev_seg], series_end[ev_seg]
    tables = [n_predicted.astype(xp.float64), tp_in.astype(xp.float64), fn]
    changed = []
    for early, delay in dict.fromkeys(pairs):
        pre_start, post_end = zone_bounds(starts, ends, n, early, delay, lower=lower, upper=upper)
        pre_pos, pre_ev, pre_w, post_pos, _, post_w = buffer_points(starts, ends, pre_start, post_end)
        post_key, pre_key = key[post_pos], xp.maximum(key[pre_pos], detection[pre_ev])
        tables.append(tp_in + table(post_key, post_w) + table(pre_key, pre_w))
        if changes:
            changed.append(joins_at(xp.concatenate((in_key, post_key[post_w > 0], pre_key[pre_w > 0]))))

    if changes:
        return xp.stack(tables), xp.stack(changed)
    return xp.stack(tables)


class _HostCurves:
    """Host-side curves of single (series, pair) cells of a batch table (keep walk, exact ties)."""

    def __init__(self, labels, lengths, join, n_thr, pairs, host_table: np.ndarray):
        self.labels, self.join = labels, join
        self.pairs = list(dict.fromkeys(pairs))
        self.host = host_table
        self.n_thr = to_host(n_thr)
        self.lengths = to_host(lengths)
        self.offsets = np.cumsum(self.lengths) - self.lengths
        self.prepared: dict[int, PreparedSeries] = {}

    def _exact(self, s: int, t: int, early: int, delay: int):
        if s not in self.prepared:  # rare: a near-tie; this series alone, then on the host
            a, b = int(self.offsets[s]), int(self.offsets[s] + self.lengths[s])
            self.prepared[s] = prepare(self.labels[a:b], self.join[a:b], int(self.n_thr[s])).to_host()
        return exact_recall(self.prepared[s], t, early, delay)

    def curve(self, s: int, i: int) -> PairCurve:
        ts = int(self.n_thr[s])
        early, delay = self.pairs[i]
        return curve_from_counts(
            early,
            delay,
            self.host[3 + i, s, :ts].copy(),
            self.host[0, s, :ts],
            self.host[2, s, :ts],
            lambda t: self._exact(s, t, early, delay),
            XP_TIE_TOLERANCE,
        )


def first_threshold_precision_recall(labels, lengths, join, n_thr, pairs: list[tuple[int, int]]):
    """(precision, recall) at the first threshold, arrays (distinct pairs, series), on the host."""
    head = to_host(_batch_tables(labels, lengths, join, n_thr, pairs)[:, :, 0])
    n_pred, fn, tp = head[0], head[2], head[3:]
    return safe_divide(tp, n_pred), safe_divide(tp, tp + fn)


def _prefix_max(xp: ModuleType, a):
    """Inclusive running maximum along axis 1 (log-step scan; CuPy has no maximum.accumulate)."""
    k = 1
    while k < a.shape[1]:
        a = xp.concatenate((a[:, :k], xp.maximum(a[:, k:], a[:, :-k])), axis=1)
        k *= 2
    return a


def areas(labels, lengths, join, n_thr, pairs: list[tuple[int, int]], interpolation: str = "trapezoid") -> np.ndarray:
    """Area of every (series, distinct pair), host array (series, distinct pairs).

    ``interpolation`` as in ``pate._engine.curve.kept_area`` (trapezoid or step).

    The keep walk in vectorised form: in exact arithmetic the last kept
    recall before ``i`` is the maximum of all earlier recalls, so ``i`` is
    kept iff ``recall_i >= max(recall_<i)``. Decisions whose float gap is
    below ``XP_TIE_TOLERANCE`` (relative) are left open and their
    (series, pair) cells go to the host keep walk with exact settlement,
    except the exact cases the numba walk also settles without
    arithmetic: a state identical to its predecessor (same TP and FN: the
    same predicted set, so the same decision), two zero recalls, and a
    recall of exactly 1 (FN 0: every event fully predicted, then kept; on
    typical series most thresholds past the last event point are such
    ties, and sending them to the host walk made the batch cost a Python
    call per series).
    """
    xp = get_namespace(labels, join)
    stacked, changed = _batch_tables(labels, lengths, join, n_thr, pairs, changes=True)
    n_pairs = int(stacked.shape[0]) - 3
    n_series, width = int(stacked.shape[1]), int(stacked.shape[2])
    n_pred, fn, tp = stacked[0][None], stacked[2][None], stacked[3:]
    precision = safe_divide(tp, n_pred)
    recall = safe_divide(tp, tp + fn)
    rows = n_pairs * n_series
    precision, recall = precision.reshape(rows, width), recall.reshape(rows, width)
    tp2 = tp.reshape(rows, width)
    fn2 = xp.broadcast_to(fn, (n_pairs, n_series, width)).reshape(rows, width)
    col = xp.arange(width, dtype=xp.int64)[None, :]
    valid = xp.broadcast_to(col < n_thr[None, :, None], (n_pairs, n_series, width)).reshape(rows, width)

    # previous maximum recall (-1 where there is no earlier point)
    masked = xp.where(valid, recall, -1.0)
    before = _prefix_max(xp, xp.concatenate((xp.full((rows, 1), -1.0), masked[:, :-1]), axis=1))
    # the same predicted state as the previous threshold: equal floats (numpy's sequential sums repeat
    # a value across a zero increment), or no in-event or weighted buffer point joining (exact; CuPy)
    same_as_previous = xp.concatenate(
        (
            xp.zeros((rows, 1), dtype=bool),
            ((tp2[:, 1:] == tp2[:, :-1]) & (fn2[:, 1:] == fn2[:, :-1])) | ~changed.reshape(rows, width)[:, 1:],
        ),
        axis=1,
    )
    gap, scale = recall - before, recall + before
    first = before < 0
    # recall exactly 1 (FN 0, TP > 0) is kept whatever came before, as in the keep walk
    # (``tp_i * fn_l >= tp_l * 0``; both 1: ``a + b == 0``), so no host walk for it
    full = (fn2 == 0) & (tp2 > 0)
    keep_decided = first | full | (gap > XP_TIE_TOLERANCE * scale) | ((recall == 0) & (before == 0))
    drop_decided = ~first & ~full & (-gap > XP_TIE_TOLERANCE * scale)
    open_cell = valid & ~same_as_previous & ~keep_decided & ~drop_decided
    # a state identical to its predecessor takes the decision of the first of its run
    run_head = _prefix_max(xp, xp.where(same_as_previous, 0, col + xp.zeros((rows, 1), dtype=xp.int64)))
    flat = (xp.arange(rows, dtype=xp.int64)[:, None] * width + run_head).reshape(-1)
    keep = keep_decided.reshape(-1)[flat].reshape(rows, width) & valid

    # trapezoids between consecutive kept points, from the anchor (0, 1)
    last_kept = _prefix_max(
        xp, xp.concatenate((xp.full((rows, 1), -1, dtype=xp.int64), xp.where(keep, col, -1)[:, :-1]), axis=1)
    )
    at = (xp.arange(rows, dtype=xp.int64)[:, None] * width + xp.maximum(last_kept, 0)).reshape(-1)
    has_prev = last_kept >= 0
    r_prev = xp.where(has_prev, recall.reshape(-1)[at].reshape(rows, width), 0.0)
    p_prev = xp.where(has_prev, precision.reshape(-1)[at].reshape(rows, width), 1.0)
    if interpolation == "step":
        pieces = xp.where(keep, (recall - r_prev) * precision, 0.0)
    else:
        pieces = xp.where(keep, (recall - r_prev) * (precision + p_prev) / 2.0, 0.0)
    result = to_host(xp.sum(pieces, axis=1)).reshape(n_pairs, n_series)

    open_rows = np.flatnonzero(to_host(open_cell.any(axis=1)))
    if open_rows.size:
        host = _HostCurves(labels, lengths, join, n_thr, pairs, to_host(stacked))
        for row in open_rows:
            i, s = divmod(int(row), n_series)
            result[i, s] = pair_area(host.curve(s, i), interpolation)
    return result.T
