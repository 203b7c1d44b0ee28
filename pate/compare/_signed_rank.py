"""Two-sided Wilcoxon signed-rank p-values of many pairs of columns at once, as ``scipy.stats.wilcoxon``.

``wilcoxon_holm_test`` needs the test of every pair of detectors on their
per-series values: k(k-1)/2 tests, about half a million for 1,000 detectors.
One ``scipy.stats.wilcoxon`` call per pair costs about a millisecond of
overhead each; here all pairs go through the same few array operations (one
sort along the series axis, cumulative maxima for the tie groups, sums),
in chunks of pairs so that memory stays bounded.

The p-values are scipy's (1.11 and later, two-sided, ``method="auto"``,
``correction=False``), decided pair by pair exactly as one call per pair
decides them:

* more than 50 series: the normal approximation;
* otherwise, no zero difference and no tied absolute difference: the exact
  null distribution of the signed-rank statistic;
* otherwise, up to 13 series: scipy's exhaustive permutation test over the
  2**n sign flips (computed here by counting subset sums of the ranks, which
  gives the same counts);
* otherwise: the normal approximation, with the tie correction.

``zero_method`` ("wilcox", "pratt", "zsplit") treats zero differences as
scipy does. Tests check the equality with scipy pair by pair (ties, zeros,
each method) to 1e-12.
"""

from __future__ import annotations

import numpy as np

__all__ = ["signed_rank_pvalues"]

#: Up to this many series scipy's ``method="auto"`` may use an exact test.
_EXACT_MAX = 50
#: Up to this many series scipy replaces the exact test by a permutation test
#: when there are zeros or ties (2**13 sign flips are below its 9,999 resamples).
_PERMUTATION_MAX = 13
#: Cells (series x pairs) per chunk: bounds the memory of the sorts.
_CHUNK_CELLS = 2_000_000


def signed_rank_pvalues(values: np.ndarray, first: np.ndarray, second: np.ndarray, zero_method: str) -> np.ndarray:
    """p-value of ``scipy.stats.wilcoxon(values[:, a], values[:, b], zero_method=...)`` for every pair.

    ``values`` is (series x columns), float64; ``first`` and ``second`` the
    column indices of the pairs. A pair whose differences are all zero has
    no test; it gets nan (scipy's own value there).

    >>> v = np.array([[.9, .5, .1], [.8, .9, .2], [.7, .6, .3], [.9, .4, .2], [.8, .5, .1], [.9, .6, .2]])
    >>> signed_rank_pvalues(v, np.array([0, 0, 1]), np.array([1, 2, 2]), "wilcox").round(4).tolist()
    [0.0938, 0.0312, 0.0312]
    """
    n = values.shape[0]
    out = np.empty(first.size, dtype=np.float64)
    step = max(1, _CHUNK_CELLS // max(n, 1))
    exact = _exact_tail_counts(n) if n <= _EXACT_MAX else None
    for lo in range(0, first.size, step):
        hi = min(first.size, lo + step)
        d = values[:, first[lo:hi]] - values[:, second[lo:hi]]
        out[lo:hi] = _chunk_pvalues(d, zero_method, exact)
    return out


def _chunk_pvalues(d: np.ndarray, zero_method: str, exact: tuple[np.ndarray, np.ndarray] | None) -> np.ndarray:
    """p-values of the columns of ``d`` (series x pairs): the ranks, then each column's method."""
    from scipy.special import ndtr  # scipy: heavy, loaded when a test runs

    n, n_pairs = d.shape
    zero = d == 0
    n_zero = zero.sum(axis=0)
    wilcox = zero_method == "wilcox"
    # Ranks of |d| with average ties, as scipy's rankdata. Under "wilcox" the
    # zeros are dropped (scipy turns them into NaN, ranked last, each alone).
    key = np.abs(d)
    if wilcox:
        key = np.where(zero, np.inf, key)
    order = np.argsort(key, axis=0, kind="stable")
    y = np.take_along_axis(key, order, axis=0)
    sign = np.take_along_axis(d, order, axis=0)
    sorted_zero = sign == 0
    starts = np.ones((n, n_pairs), dtype=bool)
    ends = np.ones((n, n_pairs), dtype=bool)
    differs = y[1:] != y[:-1]
    if wilcox:
        differs |= sorted_zero[1:] | sorted_zero[:-1]  # each dropped zero alone (NaN is never equal)
    starts[1:] = differs
    ends[:-1] = differs
    position = np.arange(n, dtype=np.int64)[:, None]
    group_first = np.maximum.accumulate(np.where(starts, position, 0), axis=0)
    group_last = np.minimum.accumulate(np.where(ends, position, n - 1)[::-1], axis=0)[::-1]
    ranks = (group_first + group_last) / 2.0 + 1.0  # average rank (1-based) of each sorted entry
    sizes = np.where(starts, group_last - group_first + 1, 0).astype(np.float64)
    has_ties = ~starts.all(axis=0)  # scipy: some tie count is 0 (a dropped zero is never tied)

    r_plus = (ranks * (sign > 0)).sum(axis=0)
    count = (n - n_zero if wilcox else np.full(n_pairs, n)).astype(np.float64)
    if zero_method == "zsplit":
        r_plus = r_plus + (ranks * sorted_zero).sum(axis=0) / 2
    mean = count * (count + 1.0) * 0.25
    var = count * (count + 1.0) * (2.0 * count + 1.0)
    if zero_method == "pratt":
        nz = n_zero.astype(np.float64)
        mean = mean - nz * (nz + 1.0) * 0.25
        var = var - nz * (nz + 1.0) * (2.0 * nz + 1.0)
        sizes[0] = np.where(n_zero > 0, 0.0, sizes[0])  # the zeros' group is not a tie
    tie_correct = (sizes**3 - sizes).sum(axis=0)
    se = np.sqrt((var - tie_correct / 2) / 24)
    testable = n_zero < n
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (r_plus - mean) / se
    p = 2 * ndtr(-np.abs(z))  # the normal approximation (scipy's _get_pvalue, two-sided)

    if n <= _EXACT_MAX and exact is not None:
        plain = testable & ~has_ties & (n_zero == 0)
        if plain.any():
            at_least, at_most = exact
            k = r_plus[plain].astype(np.int64)  # integral without ties and zeros
            total = float(2**n)
            p[plain] = np.clip(2 * np.minimum(at_least[k] / total, at_most[k] / total), 0, 1)
        if n <= _PERMUTATION_MAX:
            flips = testable & ~plain
            if flips.any():
                p[flips] = _sign_flip_pvalues(ranks[:, flips], sign[:, flips], r_plus[flips], zero_method)
    p[~testable] = np.nan
    return p


def _exact_tail_counts(n: int) -> tuple[np.ndarray, np.ndarray]:
    """Numbers of the 2**n sign patterns with W+ >= k and with W+ <= k, for k = 0 .. n(n+1)/2.

    W+ is the sum of a subset of the ranks 1..n: counted by the usual
    subset-sum recursion, exactly (integers below 2**50).
    """
    top = n * (n + 1) // 2
    counts = np.zeros(top + 1, dtype=np.int64)
    counts[0] = 1
    for rank in range(1, n + 1):
        counts[rank:] = counts[rank:] + counts[:-rank].copy()
    at_most = np.cumsum(counts)
    at_least = np.cumsum(counts[::-1])[::-1]
    return at_least.astype(np.float64), at_most.astype(np.float64)


def _sign_flip_pvalues(ranks: np.ndarray, sign: np.ndarray, observed: np.ndarray, zero_method: str) -> np.ndarray:
    """scipy's exhaustive permutation p-value (all 2**n sign flips) of each column, by counting.

    A sign flip changes only which nonzero differences are positive, so the
    null statistic is a constant (half the zeros' ranks under "zsplit", else
    0) plus the sum of a subset of the nonzero entries' ranks; every subset
    comes once per pattern of the zeros' signs. Ranks are multiples of 1/2,
    so four times the sums are integers and the subset sums are counted
    exactly, column by column in one array. scipy compares with a relative
    tolerance of 100 eps, far below the 1/4 between two possible values.
    """
    n, n_pairs = ranks.shape
    zero = sign == 0
    weights = np.where(zero, 0, np.rint(4 * ranks)).astype(np.int64)
    base = np.rint(4 * (ranks * zero).sum(axis=0) / 2).astype(np.int64) if zero_method == "zsplit" else 0
    target = np.rint(4 * observed).astype(np.int64) - base
    top = int(weights.sum(axis=0).max())
    counts = np.zeros((n_pairs, top + 1), dtype=np.int64)
    counts[:, 0] = 1
    columns = np.arange(top + 1)
    for i in range(n):
        w = weights[i][:, None]
        source = columns[None, :] - w
        shifted = np.take_along_axis(counts, np.clip(source, 0, top), axis=1)
        # a zero difference (weight 0) contributes its sign pattern twice
        counts = counts + np.where(source >= 0, shifted, 0)
    total = float(2**n)
    at_most = np.where(columns[None, :] <= target[:, None], counts, 0).sum(axis=1)
    at_least = np.where(columns[None, :] >= target[:, None], counts, 0).sum(axis=1)
    return np.clip(np.minimum(at_most / total, at_least / total) * 2, 0.0, 1.0)
