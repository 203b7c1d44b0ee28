"""numba kernels of the exact PATE sweep: jitted loops over plain arrays only.

Validation, zones, weights and dispatch live in ``pate._engine``; these
functions only see integer and float arrays. All use ``cache=True`` so that
compilation happens once per machine, not once per process.
"""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True, nogil=True, inline="always")
def _two_sum_add(total, comp, x):
    # Neumaier's compensated addition: returns the new (total, compensation).
    s = total + x
    if abs(total) >= abs(x):
        comp += (total - s) + x
    else:
        comp += (x - s) + total
    return s, comp


@njit(cache=True, nogil=True, inline="always")
def _find_uncovered(nxt, i):
    # First uncovered slot at or after i ("next free" union-find, path halving).
    while nxt[i] != i:
        nxt[i] = nxt[nxt[i]]
        i = nxt[i]
    return i


@njit(cache=True, nogil=True, inline="always")
def _event_false_negatives(length, count, sum_offsets, first, run):
    # Closed form of docs/spec/pate-definition.md, section 4. Offsets u = x - s_k are local to the event;
    # `first` is the earliest covered offset, `run` the length of the earliest
    # run, so b = s_k + run. Missed points at offsets <= run weigh 1; a missed
    # point at offset p > run weighs 1 - (run + 1) * (2p - run) / (L (L - 1)),
    # summed here from the count and offset sum of the missed points beyond b.
    missed = length - count
    if count == 0:
        return float(length)
    if run >= length - 1:
        return float(missed)
    hi = min(run, first + run - 1)  # covered offsets in [0, run] are [first, hi]
    covered_low = 0
    covered_low_sum = 0
    if hi >= first:
        covered_low = hi - first + 1
        covered_low_sum = (first + hi) * covered_low // 2
    beyond = (length - 1 - run) - (count - covered_low)
    beyond_sum = (run + length) * (length - 1 - run) // 2 - (sum_offsets - covered_low_sum)
    q = 2 * beyond_sum - beyond * run
    return missed - (run + 1) * float(q) / (float(length) * float(length - 1))


@njit(cache=True, nogil=True)
def false_negative_curve(in_join, in_event, event_offset, event_length, n_thresholds):
    """Weighted FN after each threshold (buffer-independent; docs/spec/pate-definition.md, section 4).

    in_join[i]      join index of the i-th in-event point (time order), n_thresholds if never
    in_event[i]     its event
    event_offset[k] index of event k's first point in the in-event arrays
    event_length[k] L_k
    Returns fn[t], the total weighted false negatives of the set predicted at
    threshold t.
    """
    n_in = in_join.size
    n_events = event_length.size
    # Counting sort of the in-event points by join index.
    bucket_start = np.zeros(n_thresholds + 2, dtype=np.int64)
    for i in range(n_in):
        bucket_start[in_join[i] + 1] += 1
    for t in range(n_thresholds + 1):
        bucket_start[t + 1] += bucket_start[t]
    order = np.empty(n_in, dtype=np.int64)
    fill = bucket_start.copy()
    for i in range(n_in):
        order[fill[in_join[i]]] = i
        fill[in_join[i]] += 1

    count = np.zeros(n_events, dtype=np.int64)
    sum_offsets = np.zeros(n_events, dtype=np.int64)
    first = event_length.copy()  # no covered point yet
    fn_event = event_length.astype(np.float64)
    # One "next uncovered" slot per point plus a sentinel per event.
    nxt = np.arange(n_in + n_events, dtype=np.int64)
    total = 0.0
    comp = 0.0
    for k in range(n_events):
        total, comp = _two_sum_add(total, comp, fn_event[k])

    n_full = 0
    out = np.empty(n_thresholds, dtype=np.float64)
    for t in range(n_thresholds):
        for j in range(bucket_start[t], bucket_start[t + 1]):
            i = order[j]
            k = in_event[i]
            u = i - event_offset[k]
            base = event_offset[k] + k  # slot of offset 0 (sentinels shift by one per event)
            nxt[base + u] = base + u + 1
            count[k] += 1
            sum_offsets[k] += u
            if u < first[k]:
                first[k] = u
            run = _find_uncovered(nxt, base + first[k]) - (base + first[k])
            new = _event_false_negatives(event_length[k], count[k], sum_offsets[k], first[k], run)
            # Add the new value and remove the old one as two separate exact-ish
            # steps (not their rounded difference), so the running total stays the
            # sum of the current per-event values to within a few ulps.
            total, comp = _two_sum_add(total, comp, new)
            total, comp = _two_sum_add(total, comp, -fn_event[k])
            fn_event[k] = new
            if count[k] == event_length[k]:
                n_full += 1
        # All events fully predicted: FN is exactly 0 (no rounding residue).
        out[t] = 0.0 if n_full == n_events else total + comp
    return out


@njit(cache=True, nogil=True)
def weighted_cumsum(keys, weights, n):
    """``out[t] = sum(weights[keys <= t])`` for t < n, compensated; keys >= n are ignored."""
    hi = np.zeros(n, dtype=np.float64)
    lo = np.zeros(n, dtype=np.float64)
    for i in range(keys.size):
        k = keys[i]
        if k < n:
            hi[k], c = _two_sum_add(hi[k], 0.0, weights[i])
            lo[k] += c
    out = np.empty(n, dtype=np.float64)
    total = 0.0
    comp = 0.0
    for t in range(n):
        total, comp = _two_sum_add(total, comp, hi[t])
        total, comp = _two_sum_add(total, comp, lo[t])
        out[t] = total + comp
    return out


@njit(cache=True, nogil=True)
def keep_walk(tp, fn, keep, start, last_kept, tolerance):
    """docs/spec/pate-definition.md, section 7, step 5: keep a point whose recall is >= the last kept one.

    Recalls are compared as ``tp_i * fn_l >= tp_l * fn_i`` (recall is
    tp / (tp + fn)), which keeps full relative precision even when recall is
    close to 1. Decides keep[start:] until a comparison is too close to call
    in floating point (relative difference <= tolerance); returns (index where
    it stopped, last kept index). ``last_kept`` is -1 for the prepended point
    (recall 0). Identical (TP, FN) means an identical predicted state in exact
    arithmetic (see pate._engine.curve), so the point is kept. The caller
    settles a stop with exact arithmetic and calls again.
    """
    n = tp.size
    for i in range(start, n):
        if last_kept < 0:
            keep[i] = True  # every recall is >= 0
        elif tp[i] == tp[last_kept] and fn[i] == fn[last_kept]:
            keep[i] = True
        else:
            a = tp[i] * fn[last_kept]
            b = tp[last_kept] * fn[i]
            if a - b > tolerance * (a + b):
                keep[i] = True
            elif b - a > tolerance * (a + b):
                keep[i] = False
            elif a + b == 0.0:
                keep[i] = True  # both recalls 0 or both 1
            else:
                return i, last_kept
        if keep[i]:
            last_kept = i
    return n, last_kept
