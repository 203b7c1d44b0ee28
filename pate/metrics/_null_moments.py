"""Exact moments of point-wise metrics under the permutation null (``pate.chance_level``).

Under ``null="permutation"`` the scores are shuffled against fixed labels:
every assignment of the ``n`` score values (ties kept) to the ``n`` points is
equally likely. For the rank metrics below the mean of that distribution has
a closed form, so ``chance_level`` reports it exactly instead of estimating it
from the resamples. Derivations: docs/chance.md, "Closed forms".

Notation: ``n`` points, ``n1`` of them anomalies; the distinct scores,
descending, form groups of sizes ``c_1, ..., c_G`` (ties: ``c_g > 1``) with
cumulative sizes ``N_g = c_1 + ... + c_g``. A random assignment puts
anomalies on a uniformly random ``n1``-subset of the points, so two distinct
points are both anomalies with probability ``q = n1 (n1 - 1) / (n (n - 1))``.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["auc_roc_permutation_moments", "average_precision_permutation_mean", "trapezoid_pr_permutation_mean"]


def _group_sizes(scores: np.ndarray) -> np.ndarray:
    """Sizes ``c_g`` of the groups of equal scores, highest score first."""
    values, counts = np.unique(scores, return_counts=True)
    return counts[::-1].astype(np.int64)


def auc_roc_permutation_moments(labels: np.ndarray, scores: np.ndarray) -> tuple[float, float]:
    """Mean and standard deviation of AUC-ROC (ties count one half) over random assignments.

    The mean is exactly 1/2: for a normal and an anomalous point, either
    order of their scores is equally likely and a tie counts 1/2. The
    variance is that of the Mann-Whitney U statistic with the tie
    correction, divided by ``(n1 n0)**2``:
    ``Var U = n1 n0 / 12 * ((n + 1) - sum(t**3 - t) / (n (n - 1)))`` over the
    tie groups of sizes ``t``. Needs both classes (``0 < n1 < n``).

    >>> auc_roc_permutation_moments(np.array([0, 1, 1, 0]), np.array([.1, .2, .3, .4]))
    (0.5, 0.3227486121839514)
    """
    n = int(labels.size)
    n1 = int(np.count_nonzero(labels))
    n0 = n - n1
    t = _group_sizes(scores).astype(np.float64)
    ties = float(np.sum(t**3 - t))
    variance_u = n1 * n0 / 12.0 * ((n + 1) - ties / (n * (n - 1)))
    return 0.5, math.sqrt(max(variance_u, 0.0)) / (n1 * n0)


def average_precision_permutation_mean(labels: np.ndarray, scores: np.ndarray) -> float:
    """Exact mean of average precision (``sklearn.metrics.average_precision_score``) over random assignments.

    AP is ``(1 / n1) sum_g D_g T_g / N_g``, with ``D_g`` the anomalies in
    group ``g`` and ``T_g`` those in groups ``1..g``. With ``p = n1 / n``,
    ``E[D_g T_g] = c_g p + c_g (N_g - 1) q``, so
    ``E[AP] = sum_g (c_g / N_g) (1 / n + (N_g - 1)(n1 - 1) / (n (n - 1)))``.
    Without ties (every ``c_g = 1``) this is
    ``(n1 - 1) / (n - 1) + H_n (n - n1) / (n (n - 1))`` with ``H_n`` the
    harmonic number; a constant score gives ``n1 / n``. Needs ``n1 > 0`` and
    ``n >= 2``.

    >>> round(average_precision_permutation_mean(np.array([0, 1, 0, 0]), np.array([.1, .2, .3, .4])), 12)
    0.520833333333
    """
    n = int(labels.size)
    n1 = int(np.count_nonzero(labels))
    c = _group_sizes(scores).astype(np.float64)
    cumulative = np.cumsum(c)
    terms = (c / cumulative) * (1.0 / n + (cumulative - 1.0) * (n1 - 1) / (n * (n - 1.0)))
    return math.fsum(terms.tolist())


def trapezoid_pr_permutation_mean(labels: np.ndarray, scores: np.ndarray) -> float:
    """Exact mean of the trapezoidal AUC-PR (through (0, 1) and the points of every distinct score).

    The area is ``sum_g (R_g - R_{g-1}) (P_g + P_{g-1}) / 2`` with
    ``(R_0, P_0) = (0, 1)``. The ``P_g`` half is average precision; in the
    ``P_{g-1}`` half, ``E[D_1] / n1 = c_1 / n`` for the first group and
    ``E[D_g T_{g-1}] / (n1 N_{g-1}) = c_g (n1 - 1) / (n (n - 1))`` for the
    others, so ``E = (E[AP] + c_1 / n + (n - c_1)(n1 - 1) / (n (n - 1))) / 2``.
    A constant score gives ``(1 + n1 / n) / 2``. Needs ``n1 > 0`` and ``n >= 2``.

    >>> round(trapezoid_pr_permutation_mean(np.array([0, 1, 0, 0]), np.array([.1, .2, .3, .4])), 12)
    0.385416666667
    """
    n = int(labels.size)
    n1 = int(np.count_nonzero(labels))
    c1 = float(_group_sizes(scores)[0])
    ap = average_precision_permutation_mean(labels, scores)
    return math.fsum([ap, c1 / n, (n - c1) * (n1 - 1) / (n * (n - 1.0))]) / 2.0
