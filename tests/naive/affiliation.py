"""Brute-force affiliation precision/recall by numerical integration (docs/spec/baseline-metrics.md, section 9).

Independent of the closed forms in pate/_kernels/affiliation.py: distances
are measured directly and the outer integrals use the midpoint rule on a fine
grid, so agreement is to about the grid step, not to the last bit.
"""

from __future__ import annotations

import numpy as np


def _intervals(mask):
    m = np.concatenate(([0], np.asarray(mask, dtype=int), [0]))
    d = np.diff(m)
    return list(zip(np.flatnonzero(d == 1).astype(float), np.flatnonzero(d == -1).astype(float)))


def _dist_to_intervals(x, intervals):
    best = np.full(x.shape, np.inf)
    for a, b in intervals:
        best = np.minimum(best, np.where(x < a, a - x, np.where(x > b, x - b, 0.0)))
    return best


def naive_affiliation(y_true, y_pred, *, steps_per_unit=256):
    y, p = y_true, y_pred  # the paper's names
    n = len(y)
    J = _intervals(y)
    P = _intervals(p)
    cuts = [(J[k][1] + J[k + 1][0]) / 2 for k in range(len(J) - 1)]
    lo, hi = [0.0] + cuts, cuts + [float(n)]
    precisions, recalls = [], []
    for (j0, j1), e0, e1 in zip(J, lo, hi):
        width = e1 - e0
        I = [(max(a, e0), min(b, e1)) for a, b in P if min(b, e1) > max(a, e0)]
        grid = e0 + (np.arange(int(round(width * steps_per_unit))) + 0.5) / steps_per_unit
        # precision: for x in I, the share of E at distance >= dist(x, J) from J
        d_e = _dist_to_intervals(grid, [(j0, j1)])
        if I:
            in_i = _dist_to_intervals(grid, I) == 0
            dx = _dist_to_intervals(grid[in_i], [(j0, j1)])
            share = np.array([np.mean(d_e >= d) if d > 0 else 1.0 for d in dx])
            precisions.append(share.mean())
            # recall: for y in J, the share of E at distance >= dist(y, I) from y
            ys = grid[(grid >= j0) & (grid < j1)]
            dy = _dist_to_intervals(ys, I)
            recalls.append(np.mean([np.mean(np.abs(grid - y0) >= d) if d > 0 else 1.0 for y0, d in zip(ys, dy)]))
        else:
            recalls.append(0.0)
    precision = float(np.mean(precisions)) if precisions else float("nan")
    return precision, float(np.mean(recalls))
