"""numba kernels of NAB's score (the Numenta Anomaly Benchmark; definition in docs/nab.md).

Plain loops over plain arrays. Windows are the label runs ``[starts[k], ends[k]]``
(inclusive, sorted, disjoint); ``first`` is the first scored point (the points
before it form the probationary period). A point's *worth* is what a detection
there earns: inside window ``[s, e]`` of width ``W`` it is
``S(-(e - i + 1) / W) / S(-1)`` times ``A_tp``; outside every window it is
``S((i - e) / (W - 1))`` times ``A_fp`` with ``e, W`` those of the nearest
window to its left (``-A_fp`` with none, or when that window has one point),
where ``S(x) = 2 / (1 + exp(5 x)) - 1`` and ``S(x) = -1`` beyond ``x = 3``.

The kernels keep the unit worths (``A = 1``) apart from the weights where
they can: a window's reward is ``A_tp`` times the largest unit worth of its
detected points, so a corpus sweep computes three profile-free sums from which
every profile's score is one linear combination.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit


@njit(cache=True)
def scaled_sigmoid(x):
    """NAB's ``S(x) = 2 / (1 + exp(5 x)) - 1``, and ``-1`` for ``x > 3``."""
    if x > 3.0:
        return -1.0
    return 2.0 / (1.0 + math.exp(5.0 * x)) - 1.0


@njit(cache=True)
def _window_unit(i, end, width, max_tp):
    # a detection at i in the window ending at ``end``: S(-(e - i + 1) / W) / S(-1)
    return scaled_sigmoid(-(end - i + 1) / width) / max_tp


@njit(cache=True)
def _gap_unit(i, prev_end, prev_width):
    # a detection at i after the window ending at ``prev_end`` (prev_end < 0: no window to the left)
    if prev_end < 0 or prev_width <= 1:
        return -1.0  # NAB divides by W - 1: a one-point window has no scale; the limit S(inf) = -1
    return scaled_sigmoid((i - prev_end) / (prev_width - 1.0))


@njit(cache=True)
def unit_worth(starts, ends, n):
    """Unit worth of every point (``A_tp = A_fp = 1``) and whether it lies in a window.

    Returns ``(worth, in_window)``: float64 and bool arrays of length ``n``.
    The worth for a profile is ``A_tp * worth`` inside windows and
    ``A_fp * worth`` outside.
    """
    worth = np.empty(n, dtype=np.float64)
    inside = np.zeros(n, dtype=np.bool_)
    max_tp = scaled_sigmoid(-1.0)
    prev_end = -1
    prev_width = 0
    i = 0
    for k in range(starts.size):
        s = starts[k]
        e = ends[k]
        while i < s:
            worth[i] = _gap_unit(i, prev_end, prev_width)
            i += 1
        width = e - s + 1
        while i <= e:
            worth[i] = _window_unit(i, e, float(width), max_tp)
            inside[i] = True
            i += 1
        prev_end = e
        prev_width = width
    while i < n:
        worth[i] = _gap_unit(i, prev_end, prev_width)
        i += 1
    return worth, inside


@njit(cache=True)
def score_detections(pred, starts, ends, first, a_tp, a_fp, a_fn):
    """NAB's raw score of one series' binary detections, and its point counts.

    Returns ``(raw, tp, fp, fn, tn, counted)``: the raw score (window rewards
    plus false-positive worths), NAB's counts over the points from ``first``
    on, and the number of windows counted (those reaching past the
    probationary period). One pass; a worth is computed only where something
    is detected.
    """
    n = pred.size
    max_tp = scaled_sigmoid(-1.0)
    rewards = 0.0
    false_alarms = 0.0
    tp = 0
    fp = 0
    fn = 0
    tn = 0
    counted = 0
    prev_end = -1
    prev_width = 0
    i = first
    for k in range(starts.size + 1):
        gap_end = starts[k] if k < starts.size else n  # the gap before window k (or after the last)
        while i < gap_end:
            if pred[i]:
                fp += 1
                false_alarms += a_fp * _gap_unit(i, prev_end, prev_width)
            else:
                tn += 1
            i += 1
        if k == starts.size:
            break
        e = ends[k]
        width = e - starts[k] + 1
        if e >= first:
            counted += 1
            hit = False
            best = 0.0
            while i <= e:
                if pred[i]:
                    tp += 1
                    unit = _window_unit(i, e, float(width), max_tp)
                    if not hit or unit > best:
                        best = unit
                    hit = True
                else:
                    fn += 1
                i += 1
            rewards += a_tp * best if hit else -a_fn
        prev_end = e
        prev_width = width
    return rewards + false_alarms, tp, fp, fn, tn, counted


@njit(cache=True)
def sweep_thresholds(order, scores, worth, window, n_windows):
    """One sorted sweep over every distinct score: NAB's profile-free sums at each threshold.

    ``order`` sorts the scored points of a corpus by score, largest first;
    ``worth`` is their unit worth and ``window`` their window's number in the
    corpus (``-1`` outside every window; ``n_windows`` windows in all).
    Lowering the threshold to each distinct score in turn detects that
    score's points: a false positive adds its worth, a window point raises its
    window's reward only where it beats the window's best so far (the earliest
    detected point: in score order, the strict prefix maxima of the window's
    scores). Returns, per distinct score ``t`` (descending), the sums over
    the points with ``score >= t``:

    ``thresholds``, ``rewards`` (sum over detected windows of their best unit
    worth), ``false_alarms`` (sum of the unit worths of the false positives),
    ``detected`` (windows with a detection), ``tp`` and ``fp`` (point counts).

    A profile's raw score at threshold ``t[j]`` is
    ``A_tp * rewards[j] + A_fp * false_alarms[j] - A_fn * (n_windows - detected[j])``.
    The sums are compensated (Neumaier), so that they do not drift over a
    corpus of millions of points.
    """
    m = order.size
    thresholds = np.empty(m, dtype=np.float64)
    rewards = np.empty(m, dtype=np.float64)
    false_alarms = np.empty(m, dtype=np.float64)
    detected = np.empty(m, dtype=np.int64)
    tp = np.empty(m, dtype=np.int64)
    fp = np.empty(m, dtype=np.int64)
    best = np.zeros(n_windows, dtype=np.float64)  # the best unit worth detected so far, per window
    hit = np.zeros(n_windows, dtype=np.bool_)
    r_sum = 0.0
    r_carry = 0.0
    f_sum = 0.0
    f_carry = 0.0
    n_detected = 0
    n_tp = 0
    n_fp = 0
    j = -1
    for q in range(m):
        p = order[q]
        w = window[p]
        value = worth[p]
        if w >= 0:
            n_tp += 1
            if not hit[w] or value > best[w]:
                delta = value - best[w]  # from nothing (0) on the first detection
                if not hit[w]:
                    hit[w] = True
                    n_detected += 1
                best[w] = value
                t = r_sum + delta
                if abs(r_sum) >= abs(delta):
                    r_carry += (r_sum - t) + delta
                else:
                    r_carry += (delta - t) + r_sum
                r_sum = t
        else:
            n_fp += 1
            t = f_sum + value
            if abs(f_sum) >= abs(value):
                f_carry += (f_sum - t) + value
            else:
                f_carry += (value - t) + f_sum
            f_sum = t
        if q + 1 == m or scores[order[q + 1]] != scores[p]:  # last point of this score: a threshold
            j += 1
            thresholds[j] = scores[p]
            rewards[j] = r_sum + r_carry
            false_alarms[j] = f_sum + f_carry
            detected[j] = n_detected
            tp[j] = n_tp
            fp[j] = n_fp
    k = j + 1
    return thresholds[:k], rewards[:k], false_alarms[:k], detected[:k], tp[:k], fp[:k]
