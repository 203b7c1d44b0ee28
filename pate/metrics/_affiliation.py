"""Affiliation precision and recall (Huet et al., KDD 2022).

Definition: docs/spec/baseline-metrics.md, section 9 (reference: ahstat/affiliation-metrics-py,
``pr_from_events``). Each label event owns the zone of the time axis closer
to it than to any other event; precision asks how close predictions fall to
their zone's event, recall how close the event's points are to the
predictions, both as probabilities against a uniformly random point of the
zone. The integrals are evaluated in closed form by a numba kernel. Read more
in docs/metrics/affiliation.md.
"""

from __future__ import annotations

import math
from types import ModuleType
from typing import Any

import numpy as np

from pate._events import label_events
from pate._validation import check_bool, check_targets
from pate._warnings import warn_undefined
from pate.metrics._base import f1
from pate.metrics._results import PrecisionRecallFScore
from pate.metrics._threshold_grid import tsb_threshold_grid
from pate.metrics._undefined import Undefined, undefined_policy

__all__ = ["affiliation_precision_recall_fscore", "best_affiliation_f1_score"]


def _kernels() -> ModuleType:
    """The numba kernels (``pate._kernels.affiliation``)."""
    from pate._kernels import affiliation  # numba: loaded when a metric first runs, not at `import pate`

    return affiliation


def _zones(labels: np.ndarray):
    """Label events as half-open reals and their zones (cut at the midpoints between events)."""
    starts, ends = label_events(labels)
    js, je = starts.astype(np.float64), (ends + 1).astype(np.float64)
    cuts = (je[:-1] + js[1:]) / 2
    zlo = np.concatenate(([0.0], cuts))
    zhi = np.concatenate((cuts, [float(labels.size)]))
    return js, je, zlo, zhi


def _f1(precision: float, recall: float, compat: bool) -> float:
    if compat:  # TSB-AD's Affiliation-F
        return 2 * precision * recall / (precision + recall + 1e-15)
    return f1(precision, recall)


@undefined_policy
def affiliation_precision_recall_fscore(
    y_true: Any, y_pred: Any, *, compat: bool = False, undefined: Undefined = "warn"
) -> PrecisionRecallFScore:
    """Affiliation precision, recall and F1.

    Read more in docs/metrics/affiliation.md.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples,)
        Labels and predictions, 0/1 or bool.
    compat : bool, default=False
        F1 as TSB-AD's ``Affiliation-F``: ``2PR / (P + R + 1e-15)``. The default
        is ``2PR / (P + R)`` (0 when both are 0). Precision and recall are the
        same in both modes.
    undefined : {"warn", "nan"} or float, default="warn"
        The value where the metric is undefined (docs/undefined.md lists the
        cases): "warn" gives 0.0 with an ``UndefinedMetricWarning`` (as
        scikit-learn's ``zero_division``); "nan" gives nan and a number gives
        that number, both without a warning.

    Returns
    -------
    PrecisionRecallFScore
        No label: undefined, all 0.0 with ``UndefinedMetricWarning`` (the
        reference raises ValueError). No prediction: precision and F1
        undefined (0.0 with ``UndefinedMetricWarning``; the reference gives
        nan), recall 0.

    See Also
    --------
    best_affiliation_f1_score : the best affiliation F1 over thresholds.
    etapr_precision_recall_fscore : eTaPR, another event-aware precision and recall.

    Examples
    --------
    >>> from pate.metrics import affiliation_precision_recall_fscore
    >>> y = [0, 0, 1, 1, 1, 0, 0, 1, 0, 0]
    >>> p = [0, 0, 0, 1, 0, 0, 1, 1, 1, 0]
    >>> [round(v, 12) for v in affiliation_precision_recall_fscore(y, p)]
    [0.833333333333, 0.944444444444, 0.885416666667]
    """
    labels, pred = check_targets(y_true, y_pred, kind="binary")
    compat = check_bool(compat, "compat")
    if not labels.any():
        warn_undefined("affiliation metrics are undefined when y_true has no event; returning 0.0.")
        return PrecisionRecallFScore(math.nan, math.nan, math.nan)
    js, je, zlo, zhi = _zones(labels)
    ps, pe = label_events(pred)
    prec, rec = _kernels().affiliation_zones(js, je, zlo, zhi, ps.astype(np.float64), (pe + 1).astype(np.float64))
    recall = float(np.mean(rec))
    if ps.size == 0:
        warn_undefined(
            "affiliation precision is undefined when y_pred predicts nothing; precision and F1 set to 0.0.",
            fields=("precision", "fscore"),
        )
        return PrecisionRecallFScore(math.nan, recall, math.nan)
    precision = float(np.mean(prec[~np.isnan(prec)]))
    return PrecisionRecallFScore(precision, recall, float(_f1(precision, recall, compat)))


@undefined_policy
def best_affiliation_f1_score(
    y_true: Any, y_score: Any, *, compat: bool = False, undefined: Undefined = "warn"
) -> float:
    """Best affiliation F1 over TSB-AD's 100-threshold grid (``score > theta``).

    Read more in docs/metrics/best_f1.md.

    Parameters
    ----------
    y_true, y_score : array-like of shape (n_samples,)
    compat : bool, default=False
        TSB-AD 1.5's ``Affiliation-F`` oracle: the ``1e-15`` F form, and Python's
        ``max`` over the list, where a nan (a threshold predicting nothing)
        wins only when it comes first (a constant score gives nan). The
        default ignores thresholds that predict nothing.
    undefined : {"warn", "nan"} or float, default="warn"
        The value where the metric is undefined (docs/undefined.md lists the
        cases): "warn" gives 0.0 with an ``UndefinedMetricWarning`` (as
        scikit-learn's ``zero_division``); "nan" gives nan and a number gives
        that number, both without a warning.

    Returns
    -------
    float
        Undefined (0.0 with ``UndefinedMetricWarning``) without labels, or
        when no threshold predicts anything; with ``compat=True`` the latter
        is nan, as the reference gives it.

    See Also
    --------
    affiliation_precision_recall_fscore : affiliation at one threshold.

    Examples
    --------
    >>> from pate.metrics import best_affiliation_f1_score
    >>> round(best_affiliation_f1_score([0, 0, 1, 1, 0, 0], [.1, .85, .9, .8, .3, .1], compat=True), 12)
    0.95652173913
    """
    labels, scores = check_targets(y_true, y_score, kind="score")
    compat = check_bool(compat, "compat")
    if not labels.any():
        warn_undefined("best affiliation F1 is undefined when y_true has no event; returning 0.0.")
        return math.nan
    js, je, zlo, zhi = _zones(labels)
    prec, rec = _kernels().affiliation_over_thresholds(js, je, zlo, zhi, scores, tsb_threshold_grid(scores))
    with np.errstate(invalid="ignore", divide="ignore"):
        if compat:
            fscores = 2 * prec * rec / (prec + rec + 1e-15)
        else:
            total = prec + rec
            fscores = np.where(total > 0, 2 * prec * rec / np.where(total > 0, total, 1.0), 0.0)
            fscores[np.isnan(prec)] = np.nan
    if compat:
        best = fscores[0]
        for v in fscores[1:]:  # Python's max: a leading nan wins, later nans are ignored
            if v > best:
                best = v
    else:
        best = np.nan if np.all(np.isnan(fscores)) else np.nanmax(fscores)
    if math.isnan(best) and compat:
        warn_undefined(
            "best affiliation F1: the first threshold predicts nothing and TSB-AD's max keeps its nan; returning "
            "nan as TSB-AD does (compat=True).",
            value=math.nan,
        )
    elif math.isnan(best):
        warn_undefined("best affiliation F1: no threshold predicts anything (constant score); returning 0.0.")
    return float(best)
