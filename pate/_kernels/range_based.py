"""numba kernels for the range-based metrics (docs/spec/baseline-metrics.md, sections 7, 7b and 12).

Every kernel walks two sorted lists of disjoint inclusive ranges with two
pointers: the ranges overlapping one range of the first list are a contiguous
block of the second list. Sums are accumulated one range at a time, in range
order, because that is the order in which the published implementations add
their floats: the last bit of the result depends on it.

The positional bias of a range is a code (numba freezes these globals into
the compiled kernels): :data:`BIAS_CODES` maps the metric's names to them.
"""

from __future__ import annotations

import numpy as np
from numba import njit

FLAT, FRONT, MIDDLE, BACK = 0, 1, 2, 3
#: The metric's bias names -> the kernels' codes.
BIAS_CODES = {"flat": FLAT, "front": FRONT, "middle": MIDDLE, "back": BACK}


@njit(cache=True)
def _bias_prefix(k, n, bias):
    """Sum of the positional weights d(1) + ... + d(k) of a range of length n.

    The weights are integers, so the sum is an exact integer; the references
    add the same integers as floats, which is exact below 2**53.
    """
    if bias == FLAT:  # d(t) = 1
        return k
    if bias == FRONT:  # d(t) = n - t + 1
        return k * (n + 1) - k * (k + 1) // 2
    if bias == BACK:  # d(t) = t
        return k * (k + 1) // 2
    # MIDDLE: d(t) = t up to t = n // 2, then n - t + 1
    half = n // 2
    if k <= half:
        return k * (k + 1) // 2
    rest = n - half
    return half * (half + 1) // 2 + rest * (rest + 1) // 2 - (n - k) * (n - k + 1) // 2


@njit(cache=True)
def tatbul_side_sum(own_starts, own_ends, other_starts, other_ends, alpha, bias, reciprocal):
    """Sum over the ranges of ``own`` of ``alpha * exists + (1 - alpha) * gamma * sum_j omega``.

    ``own`` are the label events for recall and the predicted events for
    precision; the positional weights run along the ``own`` range. Dividing
    the result by the number of ``own`` ranges gives the metric.
    """
    total = 0.0
    first = 0  # first range of ``other`` that can still overlap
    n_other = other_starts.size
    for i in range(own_starts.size):
        start = own_starts[i]
        end = own_ends[i]
        length = end - start + 1
        full = _bias_prefix(length, length, bias)
        while first < n_other and other_ends[first] < start:
            first += 1
        omega_sum = 0.0
        count = 0
        j = first
        while j < n_other and other_starts[j] <= end:
            lo = max(start, other_starts[j]) - start  # 0-based offsets in the own range
            hi = min(end, other_ends[j]) - start + 1
            part = _bias_prefix(hi, length, bias) - _bias_prefix(lo, length, bias)
            omega_sum += part / full
            count += 1
            j += 1
        gamma = 1.0
        if reciprocal and count > 1:
            gamma = 1.0 / count
        exists = 1.0 if count > 0 else 0.0
        total += alpha * exists + (1.0 - alpha) * (gamma * omega_sum)
    return total


@njit(cache=True)
def tsb_side_sums(own_starts, own_ends, other_starts, other_ends):
    """TSB-AD's two sums over the ranges of ``own``: (hit count, overlap reward).

    The overlap reward of a range is (points of ``other`` inside it / its
    length) * (1 / number of ``other`` ranges overlapping it): flat bias and
    reciprocal cardinality, with the covered points counted in one division.
    """
    hits = 0
    overlap = 0.0
    first = 0
    n_other = other_starts.size
    for i in range(own_starts.size):
        start = own_starts[i]
        end = own_ends[i]
        while first < n_other and other_ends[first] < start:
            first += 1
        covered = 0
        count = 0
        j = first
        while j < n_other and other_starts[j] <= end:
            covered += min(end, other_ends[j]) - max(start, other_starts[j]) + 1
            count += 1
            j += 1
        if count > 0:
            hits += 1
            overlap += (covered / (end - start + 1)) * (1.0 / count)
    return hits, overlap


@njit(cache=True)
def tsb_f1(label_starts, label_ends, pred_starts, pred_ends):
    """TSB-AD's R-based F1 of two range lists, in TSB-AD's order of operations."""
    n_labels = label_starts.size
    n_preds = pred_starts.size
    recall = 0.0
    if n_labels > 0:
        hits, overlap = tsb_side_sums(label_starts, label_ends, pred_starts, pred_ends)
        recall = (0.2 * hits + (1.0 - 0.2) * overlap) / n_labels
    precision = 0.0
    if n_preds > 0:
        overlap = tsb_side_sums(pred_starts, pred_ends, label_starts, label_ends)[1]
        precision = overlap / n_preds
    if precision + recall == 0.0:
        return 0.0
    return 2.0 * recall * precision / (precision + recall)


@njit(cache=True)
def tsb_f1_over_thresholds(label_starts, label_ends, scores, thresholds):
    """R-based F1 of the prediction ``scores > theta`` for every threshold.

    One pass over the series per threshold finds the predicted runs into a
    reused buffer, so no prediction array is ever materialised.
    """
    n = scores.size
    out = np.empty(thresholds.size, dtype=np.float64)
    run_starts = np.empty((n + 1) // 2, dtype=np.int64)
    run_ends = np.empty((n + 1) // 2, dtype=np.int64)
    for k in range(thresholds.size):
        theta = thresholds[k]
        n_runs = 0
        inside = False
        for t in range(n):
            if scores[t] > theta:
                if not inside:
                    run_starts[n_runs] = t
                    inside = True
            elif inside:
                run_ends[n_runs] = t - 1
                n_runs += 1
                inside = False
        if inside:
            run_ends[n_runs] = n - 1
            n_runs += 1
        out[k] = tsb_f1(label_starts, label_ends, run_starts[:n_runs], run_ends[:n_runs])
    return out
