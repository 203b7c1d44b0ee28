"""numba kernels of the affiliation metrics: closed-form integrals per zone.

Intervals are half-open reals [start, end). Only jitted loops over plain
float arrays; validation and events live in pate.metrics._affiliation.
"""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True, nogil=True, inline="always")
def _triangle(c, d1, d2):
    # integral over d in [d1, d2] of max(0, c - d)
    t1 = min(d1, c)
    t2 = min(d2, c)
    if t2 <= t1:
        return 0.0
    return ((c - t1) * (c - t1) - (c - t2) * (c - t2)) / 2.0


@njit(cache=True, nogil=True, inline="always")
def _recall_piece(kind, p, y1, y2, j0, j1, e0, e1):
    # integral over y in [y1, y2] ∩ [j0, j1] of |{x in E : |x - y| >= d(y)}|, where
    # d(y) = 0 (kind 0), p - y (kind -1, left of an interval), y - p (kind 1, right of one)
    y1 = max(y1, j0)
    y2 = min(y2, j1)
    if y2 <= y1:
        return 0.0
    if kind == 0:
        return (e1 - e0) * (y2 - y1)
    if kind == -1:
        # max(0, 2y - p - e0) + (e1 - p)
        z1 = max(0.0, 2.0 * y1 - p - e0)
        z2 = max(0.0, 2.0 * y2 - p - e0)
        return (z2 * z2 - z1 * z1) / 4.0 + max(0.0, e1 - p) * (y2 - y1)
    # (p - e0) + max(0, e1 + p - 2y)
    z1 = max(0.0, e1 + p - 2.0 * y1)
    z2 = max(0.0, e1 + p - 2.0 * y2)
    return max(0.0, p - e0) * (y2 - y1) + (z1 * z1 - z2 * z2) / 4.0


@njit(cache=True, nogil=True)
def affiliation_zones(js, je, zlo, zhi, ps, pe):
    """Per-zone precision (nan where nothing is predicted in the zone) and recall."""
    n_zones = js.size
    n_pred = ps.size
    precision = np.full(n_zones, np.nan)
    recall = np.zeros(n_zones)
    m = 0
    for k in range(n_zones):
        e0, e1, j0, j1 = zlo[k], zhi[k], js[k], je[k]
        width = e1 - e0
        left, right = j0 - e0, e1 - j1
        while m < n_pred and pe[m] <= e0:
            m += 1
        i = m
        covered = 0.0
        prec_sum = 0.0
        rec_sum = 0.0
        prev_v = 0.0
        first = True
        while i < n_pred and ps[i] < e1:
            u = max(ps[i], e0)
            v = min(pe[i], e1)
            i += 1
            if v <= u:
                continue
            covered += v - u
            prec_sum += max(0.0, min(v, j1) - max(u, j0))
            if u < j0:
                d1, d2 = j0 - min(v, j0), j0 - u
                prec_sum += (_triangle(left, d1, d2) + _triangle(right, d1, d2)) / width
            if v > j1:
                d1, d2 = max(u, j1) - j1, v - j1
                prec_sum += (_triangle(left, d1, d2) + _triangle(right, d1, d2)) / width
            if first:
                rec_sum += _recall_piece(-1, u, j0, u, j0, j1, e0, e1)
            else:
                mid = (prev_v + u) / 2.0
                rec_sum += _recall_piece(1, prev_v, prev_v, mid, j0, j1, e0, e1)
                rec_sum += _recall_piece(-1, u, mid, u, j0, j1, e0, e1)
            rec_sum += _recall_piece(0, 0.0, u, v, j0, j1, e0, e1)
            prev_v = v
            first = False
        if not first:
            rec_sum += _recall_piece(1, prev_v, prev_v, j1, j0, j1, e0, e1)
            precision[k] = prec_sum / covered
            recall[k] = rec_sum / ((j1 - j0) * width)
    return precision, recall


@njit(cache=True, nogil=True)
def _runs_above(scores, theta):
    # half-open [start, end) runs of scores > theta
    n = scores.size
    starts = np.empty(n, dtype=np.float64)
    ends = np.empty(n, dtype=np.float64)
    count = 0
    inside = False
    for x in range(n):
        on = scores[x] > theta
        if on and not inside:
            starts[count] = x
            inside = True
        elif not on and inside:
            ends[count] = x
            count += 1
            inside = False
    if inside:
        ends[count] = n
        count += 1
    return starts[:count], ends[:count]


@njit(cache=True, nogil=True)
def affiliation_over_thresholds(js, je, zlo, zhi, scores, thresholds):
    """Mean precision (nan if nothing predicted) and mean recall at each threshold (scores > theta)."""
    out_p = np.empty(thresholds.size)
    out_r = np.empty(thresholds.size)
    for t in range(thresholds.size):
        ps, pe = _runs_above(scores, thresholds[t])
        prec, rec = affiliation_zones(js, je, zlo, zhi, ps, pe)
        total = 0.0
        count = 0
        for k in range(prec.size):
            if not np.isnan(prec[k]):
                total += prec[k]
                count += 1
        out_p[t] = total / count if count > 0 else np.nan
        out_r[t] = rec.mean()
    return out_p, out_r
