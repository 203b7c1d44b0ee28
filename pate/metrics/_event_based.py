"""Event-based F1 (TSB-AD's ``Event-based-F1``): event-wise recall, point-wise precision.

Definition: docs/spec/baseline-metrics.md, section 6. Read more in docs/metrics/event_based.md.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from pate._events import label_events
from pate._validation import check_bool, check_targets
from pate._warnings import warn_undefined
from pate.metrics._undefined import Undefined, undefined_policy

__all__ = ["event_f1_score", "event_ends"]


def event_ends(ends: np.ndarray, n: int, compat: bool) -> np.ndarray:
    """Event ends as the reference sees them: with ``compat``, an event reaching
    index ``n - 1`` is recorded as ending at ``n - 2`` (TSB-AD's off-by-one)."""
    return np.where(ends == n - 1, n - 2, ends) if compat else ends


def composite_f1(recall: np.ndarray | float, precision: np.ndarray | float, compat: bool):
    """``2 R P / (R + P)`` (0 where both are 0); with ``compat`` TSB-AD's ``+ 1e-15`` in the denominator."""
    recall, precision = np.asarray(recall, dtype=float), np.asarray(precision, dtype=float)
    if compat:
        return 2 * recall * precision / (recall + precision + 1e-15)
    total = recall + precision
    return np.where(total > 0, 2 * recall * precision / np.where(total > 0, total, 1.0), 0.0)


@undefined_policy
def event_f1_score(y_true: Any, y_pred: Any, *, compat: bool = False, undefined: Undefined = "warn") -> float:
    """Event-based F1: the share of label events hit by a prediction, combined with point precision.

    ``recall = (#label events holding a predicted point) / N``, ``precision``
    is point-wise, and ``F = 2 R P / (R + P)``. Read more in
    docs/metrics/event_based.md.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples,)
        Labels and predictions, 0/1 or bool.
    compat : bool, default=False
        Reproduce TSB-AD 1.5's ``metric_EventF1PA``: an event reaching the last
        point of the series is recorded one point short (a prediction only at
        ``T-1`` does not detect it; a length-1 event at ``T-1`` can never be
        detected), and ``1e-15`` is added to the F denominator (a perfect
        result is 0.9999999999999996).
    undefined : {"warn", "nan"} or float, default="warn"
        The value where the metric is undefined (docs/undefined.md lists the
        cases): "warn" gives 0.0 with an ``UndefinedMetricWarning`` (as
        scikit-learn's ``zero_division``); "nan" gives nan and a number gives
        that number, both without a warning.

    Returns
    -------
    float
        Undefined when ``y_true`` has no event (recall is 0/0): 0.0 with
        ``UndefinedMetricWarning``, nan with ``compat=True`` (as the reference
        returns it). Precision is 0.0 with ``UndefinedMetricWarning`` when
        nothing is predicted.

    See Also
    --------
    best_event_f1_score : the best event-based F1 over thresholds.
    pate.metrics.pate_f1_score : proximity-aware F1.

    Examples
    --------
    >>> from pate.metrics import event_f1_score
    >>> y = [0, 0, 0, 0, 0, 0, 0, 1, 1, 1]
    >>> event_f1_score(y, [0, 0, 0, 0, 0, 0, 0, 0, 0, 1])
    1.0
    >>> event_f1_score(y, [0, 0, 0, 0, 0, 0, 0, 0, 0, 1], compat=True)
    0.0
    """
    labels, pred = check_targets(y_true, y_pred, kind="binary")
    compat = check_bool(compat, "compat")
    starts, ends = label_events(labels)
    if starts.size == 0:
        if compat:
            warn_undefined(
                "event-based F1 is undefined when y_true has no event (recall is 0/0); returning nan as TSB-AD "
                "does (compat=True).",
                value=math.nan,
            )
        else:
            warn_undefined("event-based F1 is undefined when y_true has no event (recall is 0/0); returning 0.0.")
        return math.nan
    csum = np.concatenate(([0], np.cumsum(pred, dtype=np.int64)))
    last = event_ends(ends, labels.size, compat)
    hits = np.where(last >= starts, csum[np.maximum(last, starts - 1) + 1] - csum[starts], 0)
    recall = np.count_nonzero(hits) / starts.size
    n_pred = int(np.count_nonzero(pred))
    if n_pred == 0:
        warn_undefined("event-based F1: precision is 0/0 (nothing predicted); set to 0.0.")
    precision = np.count_nonzero(pred & labels) / n_pred if n_pred else 0.0
    return float(composite_f1(recall, precision, compat))
