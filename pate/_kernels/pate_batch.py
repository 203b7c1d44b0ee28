"""numba kernels of the packed batch: every series of a ragged batch in one parallel pass.

The batch is packed into flat arrays (labels, scores or predictions) with
``offsets`` (series ``s`` is ``[offsets[s], offsets[s + 1])``). One
``prange`` iteration evaluates one series from start to end: thresholds,
join indices, the buffer-independent curves, then every distinct buffer
pair's TP curve, keep walk and area. The arithmetic is the single-series
engine's, step by step and in the same order (the same jitted helpers from
``pate_sweep``), so every float equals what ``pate_score`` computes.

Thresholds without a sort (docs/spec/pate-definition.md, section 7, steps 1-3). With
``drop_intermediate`` the kept candidates are the top and bottom score and,
for every distinct score ``l`` of a labelled point, ``l`` itself and the
next lower distinct score: the number of labelled points at or above a
candidate changes exactly at the labelled values, and a candidate is kept
when it changes on either side. So one pass over the points with a binary
search among the (few) labelled values finds them, and only that small set
is sorted. Without ``drop_intermediate`` every distinct score is a
candidate and the scores are sorted. The percentiles are numpy's "linear"
formula spelled out (``np.percentile``, bit for bit).

A keep walk that meets a recall comparison too close to call in floating
point stops; the cell (series, pair) is then flagged ``unsettled`` and the
caller settles that pair exactly with the single-series engine.

Validation, packing and dispatch live in ``pate.metrics._batch``.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from pate._kernels.pate_sweep import false_negative_curve, keep_walk, weighted_cumsum

# Interpolation codes of the area step (kept_area).
TRAPEZOID = 0
STEP = 1


# --------------------------------------------------------------------------
# numpy's pairwise summation (``np.sum`` of a contiguous float64 array), so
# that areas are bit-identical to the single-series engine's ``.sum()``.


@njit(cache=True, nogil=True)
def _block_sum(a, lo, n):
    # numpy's pairwise_sum leaf (n <= 128): eight running sums, then the rest
    if n < 8:
        res = 0.0
        for i in range(lo, lo + n):
            res += a[i]
        return res
    r0 = a[lo]
    r1 = a[lo + 1]
    r2 = a[lo + 2]
    r3 = a[lo + 3]
    r4 = a[lo + 4]
    r5 = a[lo + 5]
    r6 = a[lo + 6]
    r7 = a[lo + 7]
    i = 8
    stop = n - n % 8
    while i < stop:
        r0 += a[lo + i]
        r1 += a[lo + i + 1]
        r2 += a[lo + i + 2]
        r3 += a[lo + i + 3]
        r4 += a[lo + i + 4]
        r5 += a[lo + i + 5]
        r6 += a[lo + i + 6]
        r7 += a[lo + i + 7]
        i += 8
    res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))
    while i < n:
        res += a[lo + i]
        i += 1
    return res


@njit(cache=True, nogil=True)
def numpy_sum(a):
    """``np.sum(a)`` for a contiguous 1-D float64 array, with numpy's rounding.

    numpy sums pairwise: blocks of at most 128 items with eight running sums,
    split at ``n2 = n // 2 - (n // 2) % 8`` above that. The recursion is
    unrolled onto explicit stacks (numba cannot cache recursive functions).
    """
    n = a.size
    if n <= 128:
        return 0.0 + _block_sum(a, 0, n)
    depth = 128  # plenty: the depth grows with log2(n)
    frame_lo = np.empty(depth, dtype=np.int64)
    frame_n = np.empty(depth, dtype=np.int64)
    frame_done = np.zeros(depth, dtype=np.bool_)
    values = np.empty(depth, dtype=np.float64)
    top = 0
    n_values = 0
    frame_lo[0] = 0
    frame_n[0] = n
    while top >= 0:
        lo = frame_lo[top]
        m = frame_n[top]
        if m <= 128:
            values[n_values] = _block_sum(a, lo, m)
            n_values += 1
            top -= 1
        elif frame_done[top]:
            values[n_values - 2] = values[n_values - 2] + values[n_values - 1]
            n_values -= 1
            top -= 1
        else:
            frame_done[top] = True
            half = m // 2
            half -= half % 8
            # the left half is on top, so it is summed first
            frame_lo[top + 1] = lo + half
            frame_n[top + 1] = m - half
            frame_done[top + 1] = False
            frame_lo[top + 2] = lo
            frame_n[top + 2] = half
            frame_done[top + 2] = False
            top += 2
    return 0.0 + values[0]


@njit(cache=True, nogil=True)
def kept_area(precision, recall, keep, interpolation):
    """Area over (recall 0, precision 1) followed by the kept points (spec 7, step 5; 7b).

    ``interpolation`` is TRAPEZOID (the published rule) or STEP (the
    right-endpoint rule of average precision).
    """
    n_kept = 0
    for i in range(keep.size):
        if keep[i]:
            n_kept += 1
    terms = np.empty(n_kept, dtype=np.float64)
    r_prev = 0.0
    p_prev = 1.0
    j = 0
    for i in range(keep.size):
        if keep[i]:
            if interpolation == STEP:
                terms[j] = (recall[i] - r_prev) * precision[i]
            else:
                terms[j] = (recall[i] - r_prev) * (precision[i] + p_prev) / 2.0
            r_prev = recall[i]
            p_prev = precision[i]
            j += 1
    return numpy_sum(terms)


@njit(cache=True, nogil=True)
def grid_mean(per_pair, grid):
    """``np.mean`` of ``per_pair[grid]`` (the mean over the grid, repeats included)."""
    values = np.empty(grid.size, dtype=np.float64)
    for i in range(grid.size):
        values[i] = per_pair[grid[i]]
    return numpy_sum(values) / grid.size


# --------------------------------------------------------------------------
# Thresholds and join indices of one series.

# Searches in a sorted array, one per point. A plain binary search is bound
# by the latency of its dependent loads (about 40 ns per point among 250
# thresholds, more than everything else in a series), so the sorted values
# get a bucket table: bucket(x) = floor((x - lo) * scale), clipped, is
# monotone in x, so every value in a lower bucket than x is < x and every
# value in a higher bucket is > x; only x's own bucket (usually 0-2 values)
# is searched. Exact for any input: a crowded bucket just costs a binary
# search.


@njit(cache=True, nogil=True, inline="always")
def _bucket(x, lo, scale, n_buckets):
    f = (x - lo) * scale
    if not f > 0.0:  # also NaN: inf * 0 when the values span more than the float range
        return 0
    if f >= n_buckets - 1:
        return n_buckets - 1
    return int(f)


@njit(cache=True, nogil=True)
def bucket_table(ascending):
    """(lo, scale, start): bucket b holds ascending[start[b]:start[b + 1]]."""
    n = ascending.size
    n_buckets = 2 * n + 1
    lo = ascending[0]
    span = ascending[n - 1] - lo
    scale = n_buckets / span if 0.0 < span < np.inf else 0.0
    if not scale < np.inf:  # a tiny span: n_buckets / span overflows
        scale = 0.0
    start = np.zeros(n_buckets + 1, dtype=np.int64)
    for i in range(n):
        start[_bucket(ascending[i], lo, scale, n_buckets) + 1] += 1
    for b in range(n_buckets):
        start[b + 1] += start[b]
    return lo, scale, start


@njit(cache=True, nogil=True, inline="always")
def _count_at_most(ascending, lo, scale, start, x):
    # number of entries of `ascending` that are <= x
    b = _bucket(x, lo, scale, start.size - 1)
    i = start[b]
    j = start[b + 1]
    while j - i > 4:
        mid = (i + j) >> 1
        if ascending[mid] <= x:
            i = mid + 1
        else:
            j = mid
    while i < j and ascending[i] <= x:
        i += 1
    return i


@njit(cache=True, nogil=True, inline="always")
def _count_below(ascending, lo, scale, start, x):
    # number of entries of `ascending` that are < x
    b = _bucket(x, lo, scale, start.size - 1)
    i = start[b]
    j = start[b + 1]
    while j - i > 4:
        mid = (i + j) >> 1
        if ascending[mid] < x:
            i = mid + 1
        else:
            j = mid
    while i < j and ascending[i] < x:
        i += 1
    return i


@njit(cache=True, nogil=True)
def _distinct_ascending(sorted_values):
    n = sorted_values.size
    out = np.empty(n, dtype=np.float64)
    m = 0
    for i in range(n):
        if m == 0 or sorted_values[i] != out[m - 1]:
            out[m] = sorted_values[i]
            m += 1
    return out[:m]


@njit(cache=True, nogil=True)
def kept_candidates(labels, scores, drop_intermediate):
    """Candidate thresholds of spec 7 steps 1-2, ascending (distinct values)."""
    n = scores.size
    if not drop_intermediate:
        return _distinct_ascending(np.sort(scores))
    top = scores[0]
    bottom = scores[0]
    n_lab = 0
    for i in range(n):
        x = scores[i]
        if x > top:
            top = x
        if x < bottom:
            bottom = x
        if labels[i]:
            n_lab += 1
    lab = np.empty(n_lab, dtype=np.float64)
    j = 0
    for i in range(n):
        if labels[i]:
            lab[j] = scores[i]
            j += 1
    lab = _distinct_ascending(np.sort(lab))
    k = lab.size
    # above[j]: the smallest score strictly above lab[j - 1] (the next higher
    # candidate); above[0] collects the scores below every labelled value.
    above = np.full(k + 1, np.inf)
    if k:
        lo, scale, start = bucket_table(lab)
        for i in range(n):
            x = scores[i]
            j = _count_below(lab, lo, scale, start, x)
            v = above[j]
            above[j] = x if x < v else v
    kept = np.empty(2 * k + 2, dtype=np.float64)
    kept[0] = top
    kept[1] = bottom
    m = 2
    for j in range(k):
        kept[m] = lab[j]
        m += 1
        if above[j + 1] < np.inf:  # scores are finite
            kept[m] = above[j + 1]
            m += 1
    return _distinct_ascending(np.sort(kept[:m]))


@njit(cache=True, nogil=True)
def percentile_thresholds(ascending, quantiles):
    """``np.percentile(ascending, 100 * quantiles)`` for sorted input, numpy's rounding.

    ``quantiles`` is ``np.true_divide(np.linspace(100, 0, n), 100)``, as
    numpy computes it; the result is non-increasing. Where numpy's ``b - a``
    overflows, the halves are interpolated (``pate._engine.percentiles.lerp``).
    """
    m = ascending.size
    top = m - 1
    out = np.empty(quantiles.size, dtype=np.float64)
    for k in range(quantiles.size):
        virtual = float(top) * quantiles[k]
        if virtual >= top:
            out[k] = ascending[top]
            continue
        prev = np.floor(virtual)
        gamma = virtual - prev
        i = int(prev)
        a = ascending[i]
        b = ascending[i + 1]
        diff = b - a
        if not np.isfinite(diff):
            # b - a beyond the largest double: interpolate the halves, exact
            # here (pate._engine.percentiles), and double back
            a = a / 2
            b = b / 2
            diff = b - a
            if gamma >= 0.5:
                out[k] = 2 * (b - diff * (1 - gamma))
            else:
                out[k] = 2 * (a + diff * gamma)
        elif gamma >= 0.5:
            out[k] = b - diff * (1 - gamma)
        else:
            out[k] = a + diff * gamma
    return out


@njit(cache=True, nogil=True)
def join_indices(scores, thresholds):
    """join[i] = number of thresholds > scores[i] (thresholds non-increasing, non-empty)."""
    n_thr = thresholds.size
    ascending = thresholds[::-1].copy()
    lo, scale, start = bucket_table(ascending)
    join = np.empty(scores.size, dtype=np.int64)
    for i in range(scores.size):
        join[i] = n_thr - _count_at_most(ascending, lo, scale, start, scores[i])
    return join


@njit(cache=True, nogil=True)
def evaluation_thresholds(ascending, quantiles, thin):
    """The thresholds in evaluation order (non-increasing) from the kept candidates, ascending (spec 7, step 3).

    ``thin``: the percentiles ``quantiles`` of the candidates; otherwise every candidate.
    """
    if thin:
        return percentile_thresholds(ascending, quantiles)
    return ascending[::-1].copy()


@njit(cache=True, nogil=True)
def series_thresholds(labels, scores, quantiles, thin, drop_intermediate):
    """PATE's thresholds of one series, in evaluation order (non-increasing)."""
    return evaluation_thresholds(kept_candidates(labels, scores, drop_intermediate), quantiles, thin)


# --------------------------------------------------------------------------
# The curves of one series (pate._engine.numba: prepare_series + pair_curve).


@njit(cache=True, nogil=True)
def _events(labels):
    n = labels.size
    n_events = 0
    for i in range(n):
        if labels[i] and (i == 0 or not labels[i - 1]):
            n_events += 1
    starts = np.empty(n_events, dtype=np.int64)
    ends = np.empty(n_events, dtype=np.int64)
    k = 0
    for i in range(n):
        if labels[i] and (i == 0 or not labels[i - 1]):
            starts[k] = i
        if labels[i] and (i == n - 1 or not labels[i + 1]):
            ends[k] = i
            k += 1
    return starts, ends


@njit(cache=True, nogil=True)
def _cumulative_count(keys, n):
    counts = np.zeros(n + 1, dtype=np.int64)
    for i in range(keys.size):
        counts[keys[i]] += 1
    out = np.empty(n, dtype=np.int64)
    total = 0
    for t in range(n):
        total += counts[t]
        out[t] = total
    return out


@njit(cache=True, nogil=True)
def series_pair_results(labels, join, n_thr, early, delay, tolerance, interpolation, want_curve, out_value, out_flag):
    """Every distinct buffer pair of one series.

    ``want_curve`` true: out_value[i] is the area of pair i (NaN and
    out_flag[i] = True where the keep walk needs exact settlement).
    ``want_curve`` false (PATE-F1, ``n_thr == 1``): out_value[i] is the F1
    of the weighted precision and recall at the only threshold.
    """
    starts, ends = _events(labels)
    tables = buffer_tables(starts, ends, labels.size, early, delay)
    n_predicted = _cumulative_count(join, n_thr)
    pair_results(
        starts, ends, join, n_predicted, n_thr, tables, tolerance, interpolation, want_curve, out_value, out_flag
    )


@njit(cache=True, nogil=True)
def buffer_tables(starts, ends, n, early, delay):
    """The buffer points and proximity weights of every distinct pair, flat.

    Pair ``i``'s pre-buffer points are ``pre_pos[pre_off[i]:pre_off[i + 1]]``
    (their events ``pre_event``, weights ``pre_w``), its post-buffer points
    ``post_pos[post_off[i]:post_off[i + 1]]`` (weights ``post_w``), event by
    event in time order: the zones of ``pate._events.zone_bounds`` and the
    weights of ``buffer_points`` (docs/spec/pate-definition.md, sections 2-3).
    They depend on the labels only, so the resampling kernels compute them once.
    """
    n_events = starts.size
    n_pairs = early.size
    pre_start = np.empty((n_pairs, n_events), dtype=np.int64)
    post_end = np.empty((n_pairs, n_events), dtype=np.int64)
    pre_off = np.zeros(n_pairs + 1, dtype=np.int64)
    post_off = np.zeros(n_pairs + 1, dtype=np.int64)
    for i in range(n_pairs):
        n_pre = 0
        n_post = 0
        for k in range(n_events):
            nxt = starts[k + 1] if k + 1 < n_events else n
            post_end[i, k] = min(ends[k] + delay[i], nxt - 1)
            prev_post_end = post_end[i, k - 1] if k > 0 else -1
            pre_start[i, k] = max(max(starts[k] - early[i], 0), prev_post_end + 1)
            n_pre += max(starts[k] - pre_start[i, k], 0)
            n_post += max(post_end[i, k] - ends[k], 0)
        pre_off[i + 1] = pre_off[i] + n_pre
        post_off[i + 1] = post_off[i] + n_post
    pre_pos = np.empty(pre_off[n_pairs], dtype=np.int64)
    pre_event = np.empty(pre_off[n_pairs], dtype=np.int64)
    pre_w = np.empty(pre_off[n_pairs], dtype=np.float64)
    post_pos = np.empty(post_off[n_pairs], dtype=np.int64)
    post_w = np.empty(post_off[n_pairs], dtype=np.float64)
    for i in range(n_pairs):
        a = pre_off[i]
        b = post_off[i]
        for k in range(n_events):
            twice_centre = starts[k] + ends[k]
            m = float(twice_centre - 2 * pre_start[i, k])
            for x in range(pre_start[i, k], starts[k]):
                pre_pos[a] = x
                pre_event[a] = k
                pre_w[a] = 1.0 - float(twice_centre - 2 * x) / m
                a += 1
            m = float(2 * post_end[i, k] - twice_centre)
            for x in range(ends[k] + 1, post_end[i, k] + 1):
                post_pos[b] = x
                post_w[b] = 1.0 - float(2 * x - twice_centre) / m
                b += 1
    return pre_pos, pre_event, pre_w, pre_off, post_pos, post_w, post_off


@njit(cache=True, nogil=True)
def pair_results(
    starts, ends, join, n_predicted, n_thr, tables, tolerance, interpolation, want_curve, out_value, out_flag
):
    """:func:`series_pair_results` from the events, the predicted counts and the pairs' :func:`buffer_tables`.

    Reads ``join`` only inside the events and their largest buffers.
    """
    pre_pos, pre_event, pre_w, pre_off, post_pos, post_w, post_off = tables
    n_events = starts.size
    lengths = ends - starts + 1
    n_in = 0
    for k in range(n_events):
        n_in += lengths[k]
    in_join = np.empty(n_in, dtype=np.int64)
    in_event = np.empty(n_in, dtype=np.int64)
    event_offset = np.empty(n_events, dtype=np.int64)
    detection = np.empty(n_events, dtype=np.int64)
    j = 0
    for k in range(n_events):
        event_offset[k] = j
        d = n_thr
        for x in range(starts[k], ends[k] + 1):
            in_join[j] = join[x]
            in_event[j] = k
            if join[x] < d:
                d = join[x]
            j += 1
        detection[k] = d
    fn = false_negative_curve(in_join, in_event, event_offset, lengths, n_thr)
    tp_in = _cumulative_count(in_join, n_thr)

    for i in range(pre_off.size - 1):
        # TP of the buffers: post-buffer points keyed by their join index,
        # pre-buffer points once their event is detected
        pre_key = np.empty(pre_off[i + 1] - pre_off[i], dtype=np.int64)
        for a in range(pre_off[i], pre_off[i + 1]):
            pre_key[a - pre_off[i]] = max(join[pre_pos[a]], detection[pre_event[a]])
        post_key = np.empty(post_off[i + 1] - post_off[i], dtype=np.int64)
        for b in range(post_off[i], post_off[i + 1]):
            post_key[b - post_off[i]] = join[post_pos[b]]
        post = weighted_cumsum(post_key, post_w[post_off[i] : post_off[i + 1]], n_thr)
        pre = weighted_cumsum(pre_key, pre_w[pre_off[i] : pre_off[i + 1]], n_thr)
        tp = np.empty(n_thr, dtype=np.float64)
        precision = np.empty(n_thr, dtype=np.float64)
        recall = np.empty(n_thr, dtype=np.float64)
        for t in range(n_thr):
            tp[t] = tp_in[t] + (post[t] + pre[t])
            precision[t] = tp[t] / max(n_predicted[t], 1) if n_predicted[t] > 0 else 0.0
            denom = tp[t] + fn[t]
            recall[t] = tp[t] / denom if denom > 0 else 0.0
        if not want_curve:
            p = precision[0]
            r = recall[0]
            out_value[i] = 2 * p * r / (p + r) if p + r > 0 else 0.0
            continue
        keep = np.zeros(n_thr, dtype=np.bool_)
        stop, _ = keep_walk(tp, fn, keep, 0, -1, tolerance)
        if stop < n_thr:
            out_flag[i] = True
            out_value[i] = np.nan
        else:
            out_value[i] = kept_area(precision, recall, keep, interpolation)


# --------------------------------------------------------------------------
# The parallel passes over a packed batch.
#
# Work is shared out explicitly: ``order`` lists the series longest first and
# worker w takes the series at positions w, w + n_workers, ... of it. One
# prange iteration per worker (n_workers = the thread count) balances a
# ragged batch whatever numba's own chunking of the iteration space is.


@njit(cache=True, nogil=True)
def distinct_up_to_three(values):
    """1 or 2: the number of distinct values; 3: more than two (one pass)."""
    lo = values[0]
    hi = values[0]
    for i in range(values.size):
        x = values[i]
        if x != lo and x != hi:
            if lo == hi:
                if x < lo:
                    lo = x
                else:
                    hi = x
            else:
                return 3
    return 1 if lo == hi else 2


@njit(cache=True, nogil=True, parallel=True)
def pate_batch(
    labels,
    scores,
    offsets,
    order,
    n_workers,
    quantiles,
    thin,
    drop_intermediate,
    early,
    delay,
    grid,
    tolerance,
    interpolation,
):
    """PATE per series, the areas (n_series, n_pairs), the unsettled flags, the distinct-score counts.

    Series ``s`` is ``[offsets[s], offsets[s + 1])`` of the flat arrays;
    ``order`` and ``n_workers`` share the series out (see above).
    ``quantiles`` are the percentile fractions when ``thin`` (the package's
    ``Big_Data`` mode), ignored otherwise; ``early``/``delay`` the distinct
    buffer pairs and ``grid`` the index of each pair of the grid among them
    (repeats included). A series with an unsettled pair gets NaN.
    ``n_distinct[s]`` is 1 or 2 for a series whose scores take that many
    values, 3 for more (what ``pate_score``'s FewValuedScoreWarning asks).
    """
    n_series = offsets.size - 1
    n_pairs = early.size
    areas = np.empty((n_series, n_pairs), dtype=np.float64)
    unsettled = np.zeros((n_series, n_pairs), dtype=np.bool_)
    value = np.empty(n_series, dtype=np.float64)
    n_distinct = np.empty(n_series, dtype=np.int8)
    for w in prange(n_workers):
        for p in range(w, n_series, n_workers):
            s = order[p]
            lo = offsets[s]
            hi = offsets[s + 1]
            y = labels[lo:hi]
            x = scores[lo:hi]
            n_distinct[s] = distinct_up_to_three(x)
            thresholds = series_thresholds(y, x, quantiles, thin, drop_intermediate)
            join = join_indices(x, thresholds)
            n_thr = thresholds.size
            series_pair_results(y, join, n_thr, early, delay, tolerance, interpolation, True, areas[s], unsettled[s])
            value[s] = grid_mean(areas[s], grid)
    return value, areas, unsettled, n_distinct


@njit(cache=True, nogil=True, parallel=True)
def pate_f1_batch(labels, predictions, offsets, order, n_workers, early, delay, grid):
    """PATE-F1 per series (the mean of the pairs' F1 over the grid); arguments as pate_batch."""
    n_series = offsets.size - 1
    n_pairs = early.size
    f1 = np.empty((n_series, n_pairs), dtype=np.float64)
    unused = np.zeros((n_series, n_pairs), dtype=np.bool_)
    value = np.empty(n_series, dtype=np.float64)
    for w in prange(n_workers):
        for p in range(w, n_series, n_workers):
            s = order[p]
            lo = offsets[s]
            hi = offsets[s + 1]
            join = np.empty(hi - lo, dtype=np.int64)
            for i in range(hi - lo):
                join[i] = 0 if predictions[lo + i] else 1
            series_pair_results(labels[lo:hi], join, 1, early, delay, 0.0, TRAPEZOID, False, f1[s], unused[s])
            value[s] = grid_mean(f1[s], grid)
    return value
