"""Point-wise precision/recall/F1, AUC-ROC and the two AUC-PR numbers.

Definitions: docs/spec/baseline-metrics.md, sections 1-3. Each point counts on its own; no
event structure. Read more in docs/metrics/pointwise.md.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from pate._validation import check_bool, check_targets
from pate._warnings import n_distinct_if_few, warn_few_valued, warn_undefined
from pate.metrics._results import PrecisionRecallFScore
from pate.metrics._undefined import Undefined, undefined_policy

__all__ = [
    "point_precision_recall_fscore",
    "auc_roc_score",
    "auc_pr_score",
    "auc_pr_trapz_score",
    "ratio",
    "precision_recall_points",
]


def ratio(num: float, den: float) -> float:
    """``num / den``, or 0.0 when ``den`` is 0 (the zero-division convention of the references)."""
    return float(num / den) if den else 0.0


@undefined_policy
def point_precision_recall_fscore(y_true: Any, y_pred: Any, *, undefined: Undefined = "warn") -> PrecisionRecallFScore:
    """Point-wise precision, recall and F1 of binary predictions.

    Equals ``sklearn.metrics.precision_recall_fscore_support(y, p,
    zero_division=0)`` for the positive class (TSB-AD's ``Standard-F1`` with a
    prediction). Read more in docs/metrics/pointwise.md.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples,)
        Labels and predictions, 0/1 or bool.
    undefined : {"warn", "nan"} or float, default="warn"
        The value where the metric is undefined (docs/undefined.md lists the
        cases): "warn" gives 0.0 with an ``UndefinedMetricWarning`` (as
        scikit-learn's ``zero_division``); "nan" gives nan and a number gives
        that number, both without a warning.

    Returns
    -------
    PrecisionRecallFScore
        Each value is 0.0 where its denominator is 0, with an
        ``UndefinedMetricWarning`` (no prediction: precision; no label:
        recall). Where the reference raises (labels and predictions both all
        0 or both all 1), the values here are defined as above (all 0, resp. all 1).

    See Also
    --------
    point_adjusted_precision_recall_fscore : the same after point adjustment.
    pate.metrics.pate_f1_score : the proximity-aware F1.

    Examples
    --------
    >>> from pate.metrics import point_precision_recall_fscore
    >>> y = [0, 0, 1, 1, 1, 0, 0, 1, 0, 0]
    >>> p = [0, 0, 0, 1, 0, 0, 1, 1, 1, 0]
    >>> point_precision_recall_fscore(y, p)
    PrecisionRecallFScore(precision=0.5, recall=0.5, fscore=0.5)
    """
    labels, pred = check_targets(y_true, y_pred, kind="binary")
    tp = int(np.count_nonzero(labels & pred))
    n_true, n_pred = int(np.count_nonzero(labels)), int(np.count_nonzero(pred))
    # F1 = 2 TP / (|y| + |p|) is 0/0 only when both are empty (as in scikit-learn)
    if n_pred == 0:
        warn_undefined(
            "precision is 0/0 (y_pred predicts no point); set to 0.0.",
            fields=("precision",) if n_true else ("precision", "fscore"),
        )
    if n_true == 0:
        warn_undefined(
            "recall is 0/0 (y_true has no anomaly); set to 0.0.", fields=("recall",) if n_pred else ("recall", "fscore")
        )
    # F1 as 2 TP / (|y| + |p|): one division, the references' arithmetic
    return PrecisionRecallFScore(ratio(tp, n_pred), ratio(tp, n_true), ratio(2 * tp, n_true + n_pred))


def precision_recall_points(labels: np.ndarray, scores: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """TP and predicted counts at every distinct score, descending (prediction ``score >= theta``).

    Returns ``(thresholds, tp, n_predicted)``.
    """
    order = np.argsort(scores, kind="stable")[::-1]
    s = scores[order]
    tp = np.cumsum(labels[order])
    last_of_value = np.append(s[1:] != s[:-1], True)
    idx = np.flatnonzero(last_of_value)
    return s[idx], tp[idx], idx + 1


def _pr_curve(labels: np.ndarray, scores: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """scikit-learn's precision-recall points: up to the first threshold reaching full recall."""
    _, tp, n_pred = precision_recall_points(labels, scores)
    positives = tp[-1]
    last = int(np.searchsorted(tp, positives))  # first index with full recall
    tp, n_pred = tp[: last + 1], n_pred[: last + 1]
    return tp / n_pred, tp / positives


def _one_class(labels: np.ndarray, metric: str) -> bool:
    n = int(np.count_nonzero(labels))
    if n == 0 or n == labels.size:
        which = "no anomaly" if n == 0 else "only anomalies"
        warn_undefined(f"{metric} is undefined when y_true has {which}; returning 0.0.")
        return True
    return False


@undefined_policy
def auc_roc_score(y_true: Any, y_score: Any, *, undefined: Undefined = "warn") -> float:
    """Area under the ROC curve: the probability that an anomaly outscores a normal point.

    Ties count one half; equals ``sklearn.metrics.roc_auc_score``.
    Read more in docs/metrics/pointwise.md.

    Parameters
    ----------
    undefined : {"warn", "nan"} or float, default="warn"
        The value where the metric is undefined (docs/undefined.md lists the
        cases): "warn" gives 0.0 with an ``UndefinedMetricWarning`` (as
        scikit-learn's ``zero_division``); "nan" gives nan and a number gives
        that number, both without a warning.

    Returns
    -------
    float
        Undefined when ``y_true`` holds one class only: 0.0 with
        ``UndefinedMetricWarning`` (scikit-learn 1.5 raises there, 1.9 returns nan).

    See Also
    --------
    auc_pr_score : area under the precision-recall curve.
    range_auc_score : ROC and PR areas with range-aware labels.

    Examples
    --------
    >>> from pate.metrics import auc_roc_score
    >>> auc_roc_score([0, 0, 1, 1, 0, 0], [.1, .85, .9, .8, .3, .1])
    0.875
    """
    labels, scores = check_targets(y_true, y_score, kind="score")
    if _one_class(labels, "AUC-ROC"):
        return float("nan")
    # Mann-Whitney U from mid-ranks (ties count one half)
    order = np.argsort(scores, kind="stable")
    s = scores[order]
    first = np.flatnonzero(np.concatenate(([True], s[1:] != s[:-1])))
    counts = np.diff(np.append(first, s.size))
    mid_rank = np.repeat(first + (counts + 1) / 2.0, counts)
    ranks = np.empty(s.size)
    ranks[order] = mid_rank
    n_pos = int(np.count_nonzero(labels))
    n_neg = labels.size - n_pos
    u = ranks[labels].sum() - n_pos * (n_pos + 1) / 2.0
    return float(u / (n_pos * n_neg))


@undefined_policy
def auc_pr_score(y_true: Any, y_score: Any, *, compat: bool = False, undefined: Undefined = "warn") -> float:
    """AUC-PR as average precision: ``sum_k (R_k - R_{k-1}) P_k`` (a step function).

    Equals ``sklearn.metrics.average_precision_score`` (TSB-AD's ``AUC-PR``).
    See :func:`auc_pr_trapz_score` for the trapezoidal number also published
    as "AUC-PR". Read more in docs/metrics/pointwise.md.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Labels, 0/1 or bool.
    y_score : array-like of shape (n_samples,)
        Anomaly scores, finite.
    compat : bool, default=False
        Return the reference's number where it is undefined: without any
        anomaly in ``y_true``, scikit-learn 1.5 (and TSB-AD) sets recall to 1
        and returns ``-0.0``.
    undefined : {"warn", "nan"} or float, default="warn"
        The value where the metric is undefined (docs/undefined.md lists the
        cases): "warn" gives 0.0 with an ``UndefinedMetricWarning`` (as
        scikit-learn's ``zero_division``); "nan" gives nan and a number gives
        that number, both without a warning.

    Returns
    -------
    float
        Undefined when ``y_true`` has no anomaly: 0.0 with
        ``UndefinedMetricWarning`` (``-0.0`` with ``compat=True``, as
        scikit-learn 1.5 gives it, still with the warning).

    See Also
    --------
    auc_pr_trapz_score : the trapezoidal AUC-PR also published as "AUC-PR".
    pate.metrics.pate_score : the proximity-aware area.

    Examples
    --------
    >>> from pate.metrics import auc_pr_score
    >>> round(auc_pr_score([0, 0, 1, 1, 0, 0], [.1, .85, .9, .8, .3, .1]), 12)
    0.833333333333
    """
    labels, scores = check_targets(y_true, y_score, kind="score")
    compat = check_bool(compat, "compat")
    if not labels.any():
        if compat:
            warn_undefined(
                "AUC-PR (average precision) is undefined when y_true has no anomaly; returning -0.0 "
                "as scikit-learn 1.5 does (compat=True).",
                value=-0.0,
            )
            return -0.0
        warn_undefined("AUC-PR (average precision) is undefined when y_true has no anomaly; returning 0.0.")
        return float("nan")
    precision, recall = _pr_curve(labels, scores)
    return float(np.sum(np.diff(np.concatenate(([0.0], recall))) * precision))


@undefined_policy
def auc_pr_trapz_score(y_true: Any, y_score: Any, *, compat: bool = False, undefined: Undefined = "warn") -> float:
    """AUC-PR as the trapezoidal area through the precision-recall points and (0, 1).

    Equals ``sklearn.metrics.auc(recall, precision)`` over
    ``precision_recall_curve`` (vus ``metric='auc'``, the PATE repository's
    ``compute_auprc``, TimeEval's ``PrAUC``). Optimistic: a constant score gives
    ``(1 + P/T) / 2``. Read more in docs/metrics/pointwise.md.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Labels, 0/1 or bool.
    y_score : array-like of shape (n_samples,)
        Anomaly scores, finite.
    compat : bool, default=False
        Return the reference's number where it is undefined: without any
        anomaly in ``y_true``, scikit-learn sets recall to 1 at every
        threshold and the trapezoid from (0, 1) gives 0.5.
    undefined : {"warn", "nan"} or float, default="warn"
        The value where the metric is undefined (docs/undefined.md lists the
        cases): "warn" gives 0.0 with an ``UndefinedMetricWarning`` (as
        scikit-learn's ``zero_division``); "nan" gives nan and a number gives
        that number, both without a warning.

    Returns
    -------
    float
        Undefined when ``y_true`` has no anomaly: 0.0 with
        ``UndefinedMetricWarning`` (0.5 with ``compat=True``, as
        scikit-learn's ``precision_recall_curve`` and ``auc`` give it, still
        with the warning).

    Warns
    -----
    FewValuedScoreWarning
        When ``y_score`` takes at most two distinct values (the trapezoid from
        (0, 1) credits such a score with about ``(1 + precision) / 2``).

    See Also
    --------
    auc_pr_score : AUC-PR as average precision (step function).
    pate.metrics.pate_score : the proximity-aware area.

    Examples
    --------
    >>> from pate.metrics import auc_pr_trapz_score
    >>> round(auc_pr_trapz_score([0, 0, 1, 1, 0, 0], [.1, .85, .9, .8, .3, .1]), 12)
    0.791666666667
    """
    labels, scores = check_targets(y_true, y_score, kind="score")
    compat = check_bool(compat, "compat")
    if not labels.any():
        if compat:
            warn_undefined(
                "AUC-PR (trapezoid) is undefined when y_true has no anomaly; returning 0.5 "
                "as scikit-learn's precision_recall_curve and auc give (compat=True).",
                value=0.5,
            )
            return 0.5
        warn_undefined("AUC-PR (trapezoid) is undefined when y_true has no anomaly; returning 0.0.")
        return float("nan")
    n_distinct = n_distinct_if_few(scores)
    if n_distinct:
        warn_few_valued(
            n_distinct,
            "AUC-PR (trapezoid)",
            "average precision (auc_pr_score, the metric 'auc_pr') has no such bias.",
        )
    precision, recall = _pr_curve(labels, scores)
    r = np.concatenate(([0.0], recall))
    p = np.concatenate(([1.0], precision))
    return float(np.sum(np.diff(r) * (p[1:] + p[:-1]) / 2.0))
