"""Best F1 over thresholds (TSB-AD's oracle threshold) for point, PA and event F1.

Definition: docs/spec/baseline-metrics.md, section 12. ``best_point_f1`` maximises over every
distinct score (prediction ``score >= theta``); ``best_pa_f1`` and
``best_event_f1`` over TSB-AD's grid of 100 evenly spaced thresholds
(prediction ``score > theta``). All thresholds at once: sorts, cumulative sums
and binary searches, no loop over thresholds. Read more in docs/metrics/best_f1.md.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from pate._events import concat_ranges, label_events
from pate._validation import check_bool, check_targets
from pate._warnings import warn_undefined
from pate.metrics._event_based import composite_f1, event_ends
from pate.metrics._pointwise import precision_recall_points
from pate.metrics._threshold_grid import tsb_threshold_grid
from pate.metrics._undefined import Undefined, undefined_policy

__all__ = ["best_point_f1_score", "best_pa_f1_score", "best_event_f1_score"]


def _count_above(sorted_values: np.ndarray, thresholds: np.ndarray) -> np.ndarray:
    """Number of values strictly above each threshold."""
    return sorted_values.size - np.searchsorted(sorted_values, thresholds, side="right")


def _event_max(scores: np.ndarray, starts: np.ndarray, last: np.ndarray) -> np.ndarray:
    """Highest score in each [start, last] (-inf where the range is empty)."""
    out = np.full(starts.size, -np.inf)
    nonempty = last >= starts
    if nonempty.any():
        pos, owner = concat_ranges(starts[nonempty], last[nonempty] + 1)
        first = np.concatenate(([0], np.flatnonzero(np.diff(owner)) + 1))
        out[nonempty] = np.maximum.reduceat(scores[pos], first)
    return out


def _checked(y_true: Any, y_score: Any, compat: Any, metric: str, reference_nan: bool = False):
    """Validated ``(labels, scores, compat)``, or None (after a warning) when ``y_true`` has no anomaly.

    ``reference_nan``: TSB-AD returns nan there, which ``compat=True`` keeps.
    """
    labels, scores = check_targets(y_true, y_score, kind="score")
    compat = check_bool(compat, "compat")
    if not labels.any():
        what = f"{metric}: recall is 0/0 at every threshold (y_true has no anomaly)"
        if compat and reference_nan:
            warn_undefined(f"{what}; returning nan as TSB-AD does (compat=True).", value=math.nan)
        else:
            warn_undefined(f"{what}; returning 0.0.")
        return None
    return labels, scores, compat


@undefined_policy
def best_point_f1_score(y_true: Any, y_score: Any, *, compat: bool = False, undefined: Undefined = "warn") -> float:
    """Best point-wise F1 over every distinct score as threshold (``score >= theta``).

    Read more in docs/metrics/best_f1.md.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Labels, 0/1 or bool.
    y_score : array-like of shape (n_samples,)
        Anomaly scores.
    compat : bool, default=False
        Reproduce TSB-AD 1.5's ``Standard-F1``: ``2 P R / (P + R + 1e-5)``, so a
        perfect ranking gives 0.999995..., not 1.
    undefined : {"warn", "nan"} or float, default="warn"
        The value where the metric is undefined (docs/undefined.md lists the
        cases): "warn" gives 0.0 with an ``UndefinedMetricWarning`` (as
        scikit-learn's ``zero_division``); "nan" gives nan and a number gives
        that number, both without a warning.

    Returns
    -------
    float
        0.0 with ``UndefinedMetricWarning`` when ``y_true`` has no anomaly
        (recall is 0/0 at every threshold; the reference returns 0.0 too).

    See Also
    --------
    point_precision_recall_fscore : F1 at one threshold.
    best_pa_f1_score : the best point-adjusted F1.

    Examples
    --------
    >>> from pate.metrics import best_point_f1_score
    >>> y, s = [0, 0, 1, 1, 0, 0], [.1, .85, .9, .8, .3, .1]
    >>> best_point_f1_score(y, s), best_point_f1_score(y, s, compat=True)
    (0.8, 0.7999952000287999)
    """
    checked = _checked(y_true, y_score, compat, "best point F1")
    if checked is None:
        return 0.0
    labels, scores, compat = checked
    _, tp, n_pred = precision_recall_points(labels, scores)
    positives = int(tp[-1])
    if compat:
        precision, recall = tp / n_pred, tp / positives
        return float(np.max(2 * precision * recall / (precision + recall + 1e-5)))
    return float(np.max(2 * tp / (positives + n_pred)))


@undefined_policy
def best_pa_f1_score(y_true: Any, y_score: Any, *, compat: bool = False, undefined: Undefined = "warn") -> float:
    """Best point-adjusted F1 over TSB-AD's 100-threshold grid (``score > theta``).

    Read more in docs/metrics/best_f1.md.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Labels, 0/1 or bool.
    y_score : array-like of shape (n_samples,)
        Anomaly scores.
    compat : bool, default=False
        Reproduce TSB-AD 1.5's ``PA-F1``, including the published adjustment's
        index-0 quirk (see :func:`pate.metrics.point_adjusted_precision_recall_fscore`).
    undefined : {"warn", "nan"} or float, default="warn"
        The value where the metric is undefined (docs/undefined.md lists the
        cases): "warn" gives 0.0 with an ``UndefinedMetricWarning`` (as
        scikit-learn's ``zero_division``); "nan" gives nan and a number gives
        that number, both without a warning.

    Returns
    -------
    float
        0.0 with ``UndefinedMetricWarning`` when ``y_true`` has no anomaly
        (as the reference); 0.0 for a constant score (no threshold of the grid
        predicts anything).

    See Also
    --------
    point_adjusted_f1_score : point-adjusted F1 at one threshold.
    best_point_f1_score : the best point-wise F1.

    Examples
    --------
    >>> from pate.metrics import best_pa_f1_score
    >>> best_pa_f1_score([0, 0, 1, 1, 0, 0], [.1, .85, .9, .8, .3, .1])
    1.0
    """
    checked = _checked(y_true, y_score, compat, "best PA-F1")
    if checked is None:
        return 0.0
    labels, scores, compat = checked
    thresholds = tsb_threshold_grid(scores)
    starts, ends = label_events(labels)
    lengths = ends - starts + 1
    event_max = _event_max(scores, starts, ends)
    order = np.argsort(event_max)
    # TP(theta) = total length of the events whose maximum is above theta
    length_above = np.concatenate((np.cumsum(lengths[order][::-1])[::-1], [0]))
    tp = length_above[np.searchsorted(event_max[order], thresholds, side="right")]
    if compat and starts[0] == 0:
        # the published backward fill never reaches index 0
        tp = tp - ((event_max[0] > thresholds) & (scores[0] <= thresholds))
    fp = _count_above(np.sort(scores[~labels]), thresholds)
    n_true = int(lengths.sum())
    return float(np.max(2 * tp / (n_true + tp + fp)))


@undefined_policy
def best_event_f1_score(y_true: Any, y_score: Any, *, compat: bool = False, undefined: Undefined = "warn") -> float:
    """Best event-based F1 over TSB-AD's 100-threshold grid (``score > theta``).

    Read more in docs/metrics/best_f1.md.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Labels, 0/1 or bool.
    y_score : array-like of shape (n_samples,)
        Anomaly scores.
    compat : bool, default=False
        Reproduce TSB-AD 1.5's ``Event-based-F1`` quirks (see
        :func:`pate.metrics.event_f1_score`).
    undefined : {"warn", "nan"} or float, default="warn"
        The value where the metric is undefined (docs/undefined.md lists the
        cases): "warn" gives 0.0 with an ``UndefinedMetricWarning`` (as
        scikit-learn's ``zero_division``); "nan" gives nan and a number gives
        that number, both without a warning.

    Returns
    -------
    float
        Undefined when ``y_true`` has no anomaly (event recall is 0/0): 0.0
        with ``UndefinedMetricWarning``, nan with ``compat=True`` (as the
        reference returns it); 0.0 for a constant score.

    See Also
    --------
    event_f1_score : event-based F1 at one threshold.
    best_point_f1_score : the best point-wise F1.

    Examples
    --------
    >>> from pate.metrics import best_event_f1_score
    >>> y, s = [0, 0, 1, 1, 0, 0], [.1, .85, .9, .8, .3, .1]
    >>> best_event_f1_score(y, s), best_event_f1_score(y, s, compat=True)
    (1.0, 0.9999999999999996)
    """
    checked = _checked(y_true, y_score, compat, "best event-based F1", reference_nan=True)
    if checked is None:
        return float("nan")
    labels, scores, compat = checked
    thresholds = tsb_threshold_grid(scores)
    starts, ends = label_events(labels)
    event_max = np.sort(_event_max(scores, starts, event_ends(ends, labels.size, compat)))
    recall = _count_above(event_max, thresholds) / starts.size
    n_pred = _count_above(np.sort(scores), thresholds)
    tp = _count_above(np.sort(scores[labels]), thresholds)
    precision = np.where(n_pred > 0, tp / np.maximum(n_pred, 1), 0.0)
    return float(np.max(composite_f1(recall, precision, compat)))
