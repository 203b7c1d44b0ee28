"""Threshold selection for the continuous PATE curve, as the published ``PATE`` 0.1.1 package.

The candidates are the distinct scores, optionally without intermediate
ones (as ``sklearn.metrics.precision_recall_curve``'s ``drop_intermediate``),
then optionally thinned to ``n_thresholds`` percentiles (the package's
``Big_Data`` mode); see docs/pate.md. Vectorised numpy: one sort of the
scores, then searches. The thresholds are
non-increasing, so the predicted sets ``{score >= theta}`` grow along them and
each point can be summarised by the index of the first threshold that
predicts it (its *join index*).
"""

from __future__ import annotations

import numpy as np

from pate._engine.percentiles import is_dense, percentiles_packed, reached_scores
from pate._kernels.thresholds import join_from_order

__all__ = [
    "candidate_thresholds",
    "thin_thresholds",
    "pate_thresholds",
    "join_index",
    "thresholds_and_join",
]


def candidate_thresholds(
    labels: np.ndarray, scores: np.ndarray, *, drop_intermediate: bool, descending: np.ndarray | None = None
) -> np.ndarray:
    """Distinct scores in descending order, optionally without intermediate ones.

    ``drop_intermediate`` keeps the first and the last candidate and every
    candidate where the number of labelled points at or above it changes on
    either side; it acts only with more than two
    candidates.

    >>> labels = np.array([0, 1, 0, 1, 0], dtype=bool)
    >>> candidate_thresholds(labels, np.array([.1, .8, .2, .9, .3]), drop_intermediate=False)
    array([0.9, 0.8, 0.3, 0.2, 0.1])
    >>> candidate_thresholds(labels, np.array([.1, .8, .2, .9, .3]), drop_intermediate=True)
    array([0.9, 0.8, 0.1])
    """
    if descending is None:
        descending = np.sort(scores)[::-1]
    first_of_value = np.empty(descending.size, dtype=bool)
    first_of_value[0] = True
    np.not_equal(descending[1:], descending[:-1], out=first_of_value[1:])
    candidates = descending[first_of_value]
    if drop_intermediate and candidates.size > 2:
        labelled = np.sort(scores[labels])
        # tps[i] = number of labelled points with score >= candidates[i]
        tps = labelled.size - np.searchsorted(labelled, candidates, side="left")
        changes = tps[1:] != tps[:-1]
        keep = np.ones(candidates.size, dtype=bool)
        keep[1:-1] = changes[:-1] | changes[1:]
        candidates = candidates[keep]
    return candidates


def thin_thresholds(candidates: np.ndarray, n_thresholds: int) -> np.ndarray:
    """``n_thresholds`` percentiles of the candidates, from the top down.

    numpy's ``percentile`` on purpose: the published package's thresholds are
    exactly these doubles (they may fall between scores and repeat). Spelled
    out in ``pate._engine.percentiles``, which equals numpy bit for bit and
    does not overflow where numpy does (neighbouring candidates more than the
    largest double apart).

    >>> thin_thresholds(np.array([3.0, 2.0, 0.0]), 5)
    array([3. , 2.5, 2. , 1. , 0. ])
    """
    segment = np.zeros(candidates.size, dtype=np.int64)
    return percentiles_packed(np, candidates, segment, 1, n_thresholds)[0]


def pate_thresholds(
    labels: np.ndarray,
    scores: np.ndarray,
    *,
    n_thresholds: int | None,
    drop_intermediate: bool,
    descending: np.ndarray | None = None,
) -> np.ndarray:
    """The non-increasing thresholds PATE evaluates, in evaluation order."""
    candidates = candidate_thresholds(labels, scores, drop_intermediate=drop_intermediate, descending=descending)
    if n_thresholds is None:
        return candidates
    if is_dense(n_thresholds, scores.size):
        distinct = np.unique(scores) if descending is None else descending[::-1][_first_of_run(descending[::-1])]
        return reached_scores(distinct, candidates, n_thresholds)
    thresholds = thin_thresholds(candidates, n_thresholds)
    # numpy's interpolation is monotone (and finite, pate._engine.percentiles),
    # so the thresholds never increase; the sweep relies on that (growing
    # predicted sets), hence the guard.
    if not np.all(thresholds[1:] <= thresholds[:-1]):  # pragma: no cover - numpy guarantee
        raise RuntimeError("the percentile thresholds are not non-increasing; please report this.")
    return thresholds


def _first_of_run(ascending: np.ndarray) -> np.ndarray:
    keep = np.empty(ascending.size, dtype=bool)
    keep[:1] = True
    np.not_equal(ascending[1:], ascending[:-1], out=keep[1:])
    return keep


def join_index(scores: np.ndarray, thresholds: np.ndarray) -> np.ndarray:
    """For each point, the first threshold index ``t`` with ``scores >= thresholds[t]``.

    Points below every threshold get ``len(thresholds)`` (never predicted).

    >>> join_index(np.array([0.5, 0.1, 0.9]), np.array([0.9, 0.5, 0.5, 0.2]))
    array([1, 4, 0])
    """
    # thresholds are non-increasing, so -thresholds is sorted ascending and the
    # number of thresholds strictly above a score is a left-sided search.
    return np.searchsorted(-thresholds, -scores, side="left").astype(np.int64)


def thresholds_and_join(
    labels: np.ndarray, scores: np.ndarray, *, n_thresholds: int | None, drop_intermediate: bool
) -> tuple[np.ndarray, np.ndarray]:
    """PATE's thresholds and every point's join index.

    With a few hundred thresholds a binary search per point is cheap. For the
    exact curve (``n_thresholds=None``, up to one threshold per point) one
    argsort followed by a linear merge of the sorted scores with the
    thresholds is faster than a binary search per point.

    >>> thresholds_and_join(np.array([0, 1, 0], dtype=bool), np.array([0.5, 0.9, 0.1]),
    ...                     n_thresholds=None, drop_intermediate=False)
    (array([0.9, 0.5, 0.1]), array([1, 0, 2]))
    """
    if n_thresholds is not None:
        thresholds = pate_thresholds(labels, scores, n_thresholds=n_thresholds, drop_intermediate=drop_intermediate)
        return thresholds, join_index(scores, thresholds)
    order = np.argsort(scores)[::-1]
    descending = scores[order]
    thresholds = pate_thresholds(
        labels, scores, n_thresholds=n_thresholds, drop_intermediate=drop_intermediate, descending=descending
    )
    return thresholds, join_from_order(order, descending, thresholds)
