"""Rank statistics over a results table: Friedman (with Iman-Davenport), Nemenyi, Wilcoxon-Holm.

References
----------
* J. Demšar, "Statistical Comparisons of Classifiers over Multiple Data Sets",
  JMLR 7 (2006): Friedman, Iman-Davenport, Nemenyi's critical difference.
* A. Benavoli, G. Corani, F. Mangili, "Should We Really Use Post-Hoc Tests
  Based on Mean-Ranks?", JMLR 17 (2016): why pairwise Wilcoxon tests with
  Holm's correction are the default here.
* S. Holm, "A Simple Sequentially Rejective Multiple Test Procedure",
  Scand. J. Statist. 6 (1979).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from pate._validation import check_choice, short_repr
from pate._warnings import warn_at_caller
from pate.compare._results_table import Missing, Selection, select
from pate.compare._signed_rank import signed_rank_pvalues

__all__ = [
    "FriedmanResult",
    "NemenyiResult",
    "WilcoxonHolmResult",
    "friedman_test",
    "nemenyi_test",
    "wilcoxon_holm_test",
    "holm_adjust",
    "rank_groups",
]


# ------------------------------------------------------------------ results
@dataclass(frozen=True)
class FriedmanResult:
    """Result of :func:`friedman_test`.

    Attributes
    ----------
    statistic, pvalue : float
        Friedman's chi-square, corrected for ties as ``scipy.stats.friedmanchisquare``
        computes it, and its p-value (chi-square with k - 1 degrees of freedom).
    iman_davenport_statistic, iman_davenport_pvalue : float
        Iman and Davenport's F = (N - 1) chi2 / (N (k - 1) - chi2) and its
        p-value (F with k - 1 and (k - 1)(N - 1) degrees of freedom); ``inf``
        and 0.0 when every series ranks the detectors the same way.
    n_series, n_detectors : int
        N and k.
    """

    statistic: float
    pvalue: float
    iman_davenport_statistic: float
    iman_davenport_pvalue: float
    n_series: int
    n_detectors: int


@dataclass(frozen=True)
class NemenyiResult:
    """Result of :func:`nemenyi_test`.

    Attributes
    ----------
    critical_difference : float
        Two average ranks further apart than this differ at level ``alpha``.
    pvalues : DataFrame
        Detector x detector p-values (1.0 on the diagonal), in average-rank order.
    average_ranks : Series
        Average rank per detector (1 = best), sorted best first, ties by name.
    groups : list of list of str
        Maximal runs of two or more detectors, contiguous in average-rank
        order, inside which no pair differs significantly.
    alpha : float
        The level the groups were formed at.
    """

    critical_difference: float
    pvalues: pd.DataFrame
    average_ranks: pd.Series
    groups: list[list[str]]
    alpha: float


@dataclass(frozen=True)
class WilcoxonHolmResult:
    """Result of :func:`wilcoxon_holm_test`.

    Attributes
    ----------
    pvalues : DataFrame
        Detector x detector two-sided Wilcoxon signed-rank p-values (1.0 on
        the diagonal and for pairs whose differences are all zero).
    adjusted_pvalues : DataFrame
        The same after Holm's step-down correction over all k(k-1)/2 pairs.
    average_ranks : Series
        Average rank per detector (1 = best), sorted best first, ties by name.
    groups : list of list of str
        Maximal runs of two or more detectors, contiguous in average-rank
        order, inside which no pair's adjusted p-value is below ``alpha``.
    alpha : float
        The level the groups were formed at.
    """

    pvalues: pd.DataFrame
    adjusted_pvalues: pd.DataFrame
    average_ranks: pd.Series
    groups: list[list[str]]
    alpha: float


# ------------------------------------------------------------------ helpers
def _check_alpha(alpha: float) -> float:
    if not isinstance(alpha, (float, int)) or isinstance(alpha, bool) or not 0 < alpha < 1:
        raise ValueError(f"alpha must lie strictly between 0 and 1, got {short_repr(alpha)}.")
    return float(alpha)


def holm_adjust(pvalues: np.ndarray) -> np.ndarray:
    """Holm's step-down adjusted p-values, in the input's order.

    ``p_(i)`` sorted ascending becomes ``max_{j <= i} min(1, (m - j + 1) p_(j))``
    (1-based), as ``statsmodels.stats.multitest.multipletests(method="holm")``
    returns them.

    See Also
    --------
    wilcoxon_holm_test : where it is applied.

    Examples
    --------
    >>> from pate.compare import holm_adjust
    >>> holm_adjust([0.01, 0.04, 0.03]).tolist()
    [0.03, 0.06, 0.06]
    """
    p = np.asarray(pvalues, dtype=float)
    m = p.size
    if m == 0:
        return p.copy()
    order = np.argsort(p, kind="stable")
    scaled = np.minimum(1.0, (m - np.arange(m)) * p[order])
    adjusted = np.empty(m)
    adjusted[order] = np.maximum.accumulate(scaled)
    return adjusted


def rank_groups(order: list[str], significant: pd.DataFrame) -> list[list[str]]:
    """Maximal runs (of two or more) of ``order`` inside which no pair is significant.

    ``significant`` is a boolean detector x detector frame. A detector that
    differs significantly from both its neighbours belongs to no group.

    See Also
    --------
    wilcoxon_holm_test : whose groups it forms.
    nemenyi_test : the same with a critical difference.

    Examples
    --------
    >>> import pandas as pd
    >>> names = ["a", "b", "c", "d"]
    >>> sig = pd.DataFrame(False, index=names, columns=names)
    >>> sig.loc["a", "c"] = sig.loc["c", "a"] = True
    >>> sig.loc[["a", "b"], "d"] = sig.loc["d", ["a", "b"]] = True
    >>> rank_groups(names, sig)
    [['a', 'b'], ['b', 'c'], ['c', 'd']]
    """
    sig = significant.loc[order, order].to_numpy(dtype=bool)
    k = len(order)
    if k < 2:
        return []
    # The run from `start` extends to end(start): the last detector before the
    # first j > start that differs from some detector in [start, j). With
    # partner[j] = the nearest i < j that differs from j (or -1),
    # end(start) = min{j : partner[j] >= start} - 1, non-decreasing in start.
    # A run is new (not inside the previous one) where end(start) grows.
    # O(k^2) array work for the matrix, O(k) for the runs.
    rows = np.arange(k)
    partner = np.where(np.triu(sig, 1), rows[:, None], -1).max(axis=0)
    partner = np.where(np.diag(sig), np.maximum(partner, rows - 1), partner)  # a marked diagonal blocks too
    first_block = np.full(k + 1, k)  # first_block[t] = min{j : partner[j] == t}
    has = partner >= 0
    np.minimum.at(first_block, partner[has], rows[has])
    end = np.minimum.accumulate(first_block[:k][::-1])[::-1] - 1  # min over t >= start
    grows = np.concatenate(([True], end[1:] > end[:-1]))
    starts = np.flatnonzero(grows & (end > rows))
    return [list(order[s : end[s] + 1]) for s in starts.tolist()]


def _selection(results, metric, params, missing, higher_is_better) -> Selection:
    return select(results, metric=metric, params=params, missing=missing, higher_is_better=higher_is_better)


def _friedman_from_ranks(ranks: np.ndarray) -> tuple[float, float, float, float]:
    """Tie-corrected Friedman chi-square (scipy's formula) and Iman-Davenport's F, with p-values."""
    from scipy.stats import chi2 as chi2_dist  # scipy.stats: heavy, loaded when an analysis runs
    from scipy.stats import f as f_dist  # scipy.stats: heavy, loaded when an analysis runs

    n, k = ranks.shape
    rank_sums = ranks.sum(axis=0)
    ties = 0.0
    for row in ranks:
        _, counts = np.unique(row, return_counts=True)
        ties += float((counts**3 - counts).sum())
    correction = 1.0 - ties / (n * k * (k * k - 1))
    if correction <= 0:  # every series ties every detector: nothing to test
        warn_at_caller(
            "friedman_test: every series gives all detectors the same value; the statistic is undefined "
            "and is returned as nan.",
            UserWarning,
        )
        return math.nan, math.nan, math.nan, math.nan
    statistic = (12.0 / (n * k * (k + 1)) * float((rank_sums**2).sum()) - 3.0 * n * (k + 1)) / correction
    pvalue = float(chi2_dist.sf(statistic, k - 1))
    if (ranks == ranks[0]).all():  # perfect agreement: chi2 reaches its maximum N (k - 1)
        return statistic, pvalue, math.inf, 0.0
    denominator = n * (k - 1) - statistic
    if denominator <= 0:  # pragma: no cover - only by rounding next to perfect agreement
        return statistic, pvalue, math.inf, 0.0
    iman = (n - 1) * statistic / denominator
    return statistic, pvalue, float(iman), float(f_dist.sf(iman, k - 1, (k - 1) * (n - 1)))


# -------------------------------------------------------------------- tests
def friedman_test(
    results: pd.DataFrame,
    *,
    metric: str | None = None,
    params: str | None = None,
    missing: Missing = "raise",
    higher_is_better: bool = True,
) -> FriedmanResult:
    """Friedman's test that all detectors rank alike across series, with Iman and Davenport's F.

    Parameters
    ----------
    results : DataFrame
        A results table (see :func:`results_from_frame`).
    metric : str, optional
        A registry name (or ``"name[params]"``); optional when the table holds one.
    params : str, optional
        The metric's ``params`` string when the table holds several.
    missing : {"raise", "drop-series"}, default="raise"
        See :func:`leaderboard`.
    higher_is_better : bool, default=True
        Direction of the metric (the statistic itself does not depend on it).

    Returns
    -------
    FriedmanResult
        ``statistic`` and ``pvalue`` are scipy's tie-corrected Friedman
        chi-square (``scipy.stats.friedmanchisquare``, computed here for two
        detectors too). When every series ranks the detectors the same way,
        the Iman-Davenport F is ``inf`` with p-value 0.0; when every series
        ties all detectors, every field is nan, with a warning.

    See Also
    --------
    wilcoxon_holm_test : pairwise post-hoc tests.
    nemenyi_test : the critical-difference post-hoc test.

    Examples
    --------
    >>> import pandas as pd
    >>> from pate.compare import friedman_test, results_from_matrix
    >>> m = pd.DataFrame({"a": [0.9, 0.8, 0.7, 0.9], "b": [0.5, 0.9, 0.6, 0.4], "c": [0.1, 0.2, 0.3, 0.2]})
    >>> res = friedman_test(results_from_matrix(m, metric="pate"))
    >>> round(res.statistic, 4), round(res.pvalue, 4), res.n_series, res.n_detectors
    (6.5, 0.0388, 4, 3)
    >>> round(res.iman_davenport_statistic, 4), round(res.iman_davenport_pvalue, 4)
    (13.0, 0.0066)
    """
    sel = _selection(results, metric, params, missing, higher_is_better)
    stat, p, iman, p_iman = _friedman_from_ranks(sel.ranks())
    n, k = sel.matrix.shape
    return FriedmanResult(float(stat), float(p), float(iman), float(p_iman), int(n), int(k))


def nemenyi_test(
    results: pd.DataFrame,
    *,
    metric: str | None = None,
    params: str | None = None,
    alpha: float = 0.05,
    missing: Missing = "raise",
    higher_is_better: bool = True,
) -> NemenyiResult:
    """Nemenyi's post-hoc test on average ranks, with Demšar's critical difference.

    The critical difference is ``q_alpha * sqrt(k (k + 1) / (6 N))`` where
    ``q_alpha`` is the studentized range quantile (k groups, infinite degrees
    of freedom) divided by sqrt(2), computed exactly with
    ``scipy.stats.studentized_range`` rather than read from a table. The
    p-value of a pair is the studentized range survival function at
    ``|R_i - R_j| / sqrt(k (k + 1) / (6 N)) * sqrt(2)``, as scikit-posthocs'
    ``posthoc_nemenyi_friedman`` computes it.

    Mean-rank tests depend on which other detectors are in the pool
    (Benavoli et al., 2016); :func:`wilcoxon_holm_test` is the default elsewhere.

    Parameters
    ----------
    results : DataFrame
        A results table (see :func:`results_from_frame`).
    metric, params, missing, higher_is_better
        As for :func:`friedman_test`.
    alpha : float, default=0.05
        Level of the critical difference and of the groups.

    See Also
    --------
    friedman_test : the omnibus test first.
    pate.plot.CriticalDifferenceDisplay : the picture.

    Examples
    --------
    >>> import pandas as pd
    >>> from pate.compare import nemenyi_test, results_from_matrix
    >>> m = pd.DataFrame({"a": [0.9, 0.8, 0.7, 0.9], "b": [0.5, 0.9, 0.6, 0.4], "c": [0.1, 0.2, 0.3, 0.2]})
    >>> res = nemenyi_test(results_from_matrix(m, metric="pate"))
    >>> round(res.critical_difference, 4)
    1.6572
    >>> res.average_ranks.round(2).to_dict(), res.groups
    ({'a': 1.25, 'b': 1.75, 'c': 3.0}, [['a', 'b'], ['b', 'c']])
    """
    from scipy.stats import studentized_range  # scipy.stats: heavy, loaded when an analysis runs

    alpha = _check_alpha(alpha)
    sel = _selection(results, metric, params, missing, higher_is_better)
    n, k = sel.matrix.shape
    average = sel.average_ranks()
    order = [str(d) for d in average.index]
    scale = math.sqrt(k * (k + 1) / (6.0 * n))
    q_alpha = float(studentized_range.ppf(1.0 - alpha, k, np.inf)) / math.sqrt(2.0)
    # Rank sums are multiples of 1/2 (recovered exactly from the averages), so
    # the k**2 pairs share at most 2N(k - 1) + 1 distinct differences: the
    # survival function (a numerical integral each) is evaluated once per
    # distinct difference, not once per pair.
    sums = np.round(average.to_numpy() * n * 2) / 2
    steps, where = np.unique(np.abs(sums[:, None] - sums[None, :]), return_inverse=True)
    distinct = steps / n / scale * math.sqrt(2.0)
    pvalues = np.asarray(studentized_range.sf(distinct, k, np.inf), dtype=float)[where].reshape(k, k)
    pvalues = np.clip(pvalues, 0.0, 1.0)
    np.fill_diagonal(pvalues, 1.0)
    labels = average.index.rename(None)
    frame = pd.DataFrame(pvalues, index=labels, columns=labels)
    groups = rank_groups(order, frame < alpha)
    return NemenyiResult(q_alpha * scale, frame, average, groups, alpha)


def wilcoxon_holm_test(
    results: pd.DataFrame,
    *,
    metric: str | None = None,
    params: str | None = None,
    alpha: float = 0.05,
    zero_method: Literal["wilcox", "pratt", "zsplit"] = "wilcox",
    missing: Missing = "raise",
    higher_is_better: bool = True,
) -> WilcoxonHolmResult:
    """Pairwise two-sided Wilcoxon signed-rank tests with Holm's step-down correction.

    Every pair of detectors is tested on its paired per-series values with
    ``scipy.stats.wilcoxon``'s test (two-sided, scipy's defaults otherwise;
    all pairs at once in a few array operations, the same p-values); a pair
    whose differences are all zero cannot be tested and gets p = 1.0, with a
    warning. The k(k-1)/2 p-values are then adjusted together by Holm's
    step-down procedure (as ``statsmodels`` ``multipletests(method="holm")``).
    The groups are the maximal runs of detectors, contiguous in average-rank
    order, inside which no adjusted p-value is below ``alpha``: the bars of a
    critical-difference diagram. (aeon's diagram instead uses a one-sided
    test and one threshold alpha / (k - 1); this is not that.)

    Parameters
    ----------
    results : DataFrame
        A results table (see :func:`results_from_frame`).
    metric, params, missing, higher_is_better
        As for :func:`friedman_test`.
    alpha : float, default=0.05
        Level (family-wise) of the groups.
    zero_method : {"wilcox", "pratt", "zsplit"}, default="wilcox"
        How ``scipy.stats.wilcoxon`` treats zero differences.

    See Also
    --------
    friedman_test : the omnibus test first.
    pate.plot.CriticalDifferenceDisplay : the picture.

    Examples
    --------
    >>> import pandas as pd
    >>> from pate.compare import wilcoxon_holm_test, results_from_matrix
    >>> m = pd.DataFrame({"a": [.9, .8, .7, .9, .8, .9], "b": [.5, .9, .6, .4, .5, .6],
    ...                   "c": [.1, .2, .3, .2, .1, .2]})
    >>> res = wilcoxon_holm_test(results_from_matrix(m, metric="pate"))
    >>> res.pvalues.round(4)
            a       b       c
    a  1.0000  0.0938  0.0312
    b  0.0938  1.0000  0.0312
    c  0.0312  0.0312  1.0000
    >>> res.adjusted_pvalues.round(4).loc["a", ["b", "c"]].tolist(), res.groups
    ([0.0938, 0.0938], [['a', 'b', 'c']])
    """
    alpha = _check_alpha(alpha)
    check_choice(zero_method, "zero_method", ("wilcox", "pratt", "zsplit"))
    sel = _selection(results, metric, params, missing, higher_is_better)
    average = sel.average_ranks()
    names = list(average.index)
    values = sel.matrix[names].to_numpy()
    k = len(names)
    first, second = np.triu_indices(k, 1)  # the pairs (i < j), row by row
    # every pair's scipy.stats.wilcoxon p-value, in a few array operations (pate.compare._signed_rank)
    raw = signed_rank_pvalues(values.astype(np.float64), first, second, zero_method)
    same = np.flatnonzero(np.isnan(raw))  # every difference zero: no test
    raw[same] = 1.0
    untestable = [f"({names[i]!r}, {names[j]!r})" for i, j in zip(first[same].tolist(), second[same].tolist())]
    if untestable:
        warn_at_caller(
            f"wilcoxon_holm_test: {len(untestable)} pair(s) have the same value on every series and cannot be "
            f"tested; their p-value is 1.0: {', '.join(untestable[:10])}"
            + (f" and {len(untestable) - 10} more." if len(untestable) > 10 else "."),
            UserWarning,
        )
    adjusted = holm_adjust(raw)
    p_matrix, a_matrix = np.ones((k, k)), np.ones((k, k))
    p_matrix[first, second] = p_matrix[second, first] = raw
    a_matrix[first, second] = a_matrix[second, first] = adjusted
    labels = average.index.rename(None)
    pvalues = pd.DataFrame(p_matrix, index=labels, columns=labels)
    adjusted_frame = pd.DataFrame(a_matrix, index=labels, columns=labels)
    groups = rank_groups([str(n) for n in names], adjusted_frame < alpha)
    return WilcoxonHolmResult(pvalues, adjusted_frame, average, groups, alpha)
