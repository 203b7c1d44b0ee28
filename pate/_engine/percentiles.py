"""Percentile thresholds: numpy's "linear" ``percentile`` spelled out, for any array namespace, without overflow.

The published ``PATE`` 0.1.1 package thins its thresholds with
``np.percentile(candidates, np.linspace(100, 0, n))`` (docs/pate.md), so the
thresholds here are numpy's doubles bit for bit (tests check this): virtual
index ``(m - 1) * q``, its floor, and numpy's two-sided linear interpolation.

One departure, where numpy has no answer: two neighbouring candidates more
than the largest double apart (scores near -1e308 and +1e308) make numpy's
``b - a`` overflow, and its thresholds become infinite or NaN. There the
interpolation is done on the halves ``a / 2`` and ``b / 2`` and doubled back.
Halving is exact in that case (an overflowing difference needs ``|a|`` and
``|b|`` of at least 2**970, far from the subnormals), so the threshold is the
one numpy computes on the scores scaled by any exact power of two: the result
does not depend on where the scores sit in the double range.
"""

from __future__ import annotations

from types import ModuleType
from typing import Any

import numpy as np

import pate._engine

__all__ = [
    "is_dense",
    "lerp",
    "quantiles",
    "quantile_at",
    "percentile_cells",
    "percentiles_packed",
    "reached_scores",
]


def is_dense(n_thresholds: int, n_points: int) -> bool:
    """Whether ``n_thresholds`` percentiles are evaluated through the scores they reach.

    Beyond ``pate._engine.DENSE_THRESHOLDS`` thresholds and more thresholds than the
    series has points, most thresholds repeat a predicted set; the curve is
    then that of the distinct scores they reach (:func:`reached_scores`), so
    the work is bounded by the data, not by ``n_thresholds``. Below, every
    threshold is built as the published package does (the same doubles).

    >>> is_dense(250, 10), is_dense(10**9, 200)
    (False, True)
    """
    # read from the package each time, so that tests may lower the limit
    return n_thresholds > max(pate._engine.DENSE_THRESHOLDS, n_points)


def lerp(xp: ModuleType, a: Any, b: Any, gamma: Any) -> Any:
    """numpy's two-sided linear interpolation between ``a <= b``, overflow-free.

    >>> lerp(np, np.array([0.0, -1.5e308]), np.array([4.0, 1.5e308]), np.array([0.25, 0.5]))
    array([1., 0.])
    """
    with np.errstate(over="ignore", invalid="ignore"):  # the overflowing cells are replaced below
        diff = b - a
        high = gamma >= 0.5
        out = xp.where(high, b - diff * (1 - gamma), a + diff * gamma)
    # where b - a is beyond the largest double, interpolate the halves (exact:
    # see the module docstring); computed everywhere, so no device round trip
    half_a, half_b = a / 2, b / 2
    half_diff = half_b - half_a
    halved = xp.where(high, half_b - half_diff * (1 - gamma), half_a + half_diff * gamma)
    return xp.where(xp.isfinite(diff), out, 2 * halved)


def quantiles(n_thresholds: int) -> np.ndarray:
    """The quantile fractions ``np.true_divide(np.linspace(100, 0, n), 100)``, as numpy computes them."""
    return np.true_divide(np.linspace(100, 0, n_thresholds), 100)


def quantile_at(k: np.ndarray, n_thresholds: int) -> np.ndarray:
    """Entries ``k`` of :func:`quantiles` without building the whole array (the same doubles).

    numpy's ``linspace(100, 0, n)`` is ``k * (-100 / (n - 1)) + 100`` with
    the last entry set to the end point; tests check the equality.

    >>> bool(np.array_equal(quantile_at(np.arange(7), 7), quantiles(7)))
    True
    """
    k = np.asarray(k, dtype=np.int64)
    step = -100.0 / (n_thresholds - 1)
    values = k.astype(np.float64) * step + 100.0
    return np.true_divide(np.where(k == n_thresholds - 1, 0.0, values), 100)


def percentile_cells(xp: ModuleType, cand: Any, first: Any, m: Any, s: Any, q: Any) -> Any:
    """The percentile ``q`` of series ``s`` for every cell (``s``, ``q``), numpy's rounding.

    ``cand[first[s]:first[s] + m[s]]`` are series ``s``'s distinct candidates
    in descending order. numpy's "linear" method spelled out: virtual index
    ``(m - 1) * q``, its floor, the last value at and beyond the top, and
    :func:`lerp`.
    """
    top = (m[s] - 1).astype(xp.float64)
    virtual = top * q
    prev = xp.floor(virtual)
    above = virtual >= top
    prev = xp.where(above, top, prev)
    nxt = xp.where(above, top, prev + 1)
    gamma = virtual - prev

    def ascending(i: Any) -> Any:
        return cand[first[s] + (m[s] - 1) - i.astype(xp.int64)]

    return lerp(xp, ascending(prev), ascending(nxt), gamma)


def percentiles_packed(xp: ModuleType, cand: Any, cseg: Any, n_series: int, n_thresholds: int) -> tuple[Any, Any]:
    """``np.percentile(candidates_s, linspace(100, 0, T))`` of every series, same rounding.

    ``cand`` holds each series' distinct candidates in descending order, one
    series after the other; ``cseg`` the series of each. Returns the
    thresholds (``n_series * n_thresholds``, series after series) and their
    series (:func:`percentile_cells` for every cell).

    >>> percentiles_packed(np, np.array([3.0, 2.0, 0.0]), np.zeros(3, dtype=np.int64), 1, 5)[0]
    array([3. , 2.5, 2. , 1. , 0. ])
    """
    m = xp.bincount(cseg, minlength=n_series)
    first = xp.cumsum(m) - m  # candidates are descending within a series
    q = xp.asarray(quantiles(n_thresholds))
    cell = xp.arange(n_series * n_thresholds, dtype=xp.int64)
    s, k = cell // n_thresholds, cell % n_thresholds
    return percentile_cells(xp, cand, first, m, s, q[k]), s


def reached_scores(distinct: np.ndarray, candidates: np.ndarray, n_thresholds: int) -> np.ndarray:
    """The distinct scores whose predicted sets the ``n_thresholds`` percentile thresholds reach, descending.

    A threshold ``theta`` predicts ``{score >= theta}``, the set of the
    smallest distinct score ``>= theta``; thresholds that reach the same
    score predict the same points and repeat the same curve point, which adds
    nothing to the area. So the curve of ``n_thresholds`` percentiles is the
    curve of the scores they reach, found here without building the
    thresholds: the thresholds never increase, so for every distinct score
    ``d`` a binary search finds the first threshold ``<= d``, and ``d`` is
    reached when that threshold is above the next lower distinct score.
    O(D log T) for D distinct scores, whatever ``n_thresholds`` is.

    ``distinct`` holds the distinct scores ascending, ``candidates`` the
    candidates descending (``pate._engine.thresholds.candidate_thresholds``).

    >>> reached_scores(np.array([0.0, 1.0, 2.0, 4.0]), np.array([4.0, 0.0]), 3)
    array([4., 2., 0.])
    """
    d = distinct.size
    m = np.array([candidates.size], dtype=np.int64)
    first = np.zeros(1, dtype=np.int64)
    series = np.zeros(d, dtype=np.int64)

    def theta(k: np.ndarray) -> np.ndarray:
        return percentile_cells(np, candidates, first, m, series, quantile_at(k, n_thresholds))

    lo = np.zeros(d, dtype=np.int64)
    hi = np.full(d, n_thresholds - 1, dtype=np.int64)  # the last threshold is the smallest score
    while bool((lo < hi).any()):
        mid = (lo + hi) // 2
        at_most = theta(mid) <= distinct
        hi = np.where(at_most, mid, hi)
        lo = np.where(at_most, lo, mid + 1)
    below = np.concatenate(([-np.inf], distinct[:-1]))
    return distinct[theta(lo) > below][::-1].copy()
