"""Point-adjusted F1 (PA-F1) and PA%K.

Definitions: docs/spec/baseline-metrics.md, sections 4 and 5. Point adjustment marks a whole
labelled event as predicted once any point of it is predicted; PA%K does so
only when more than ``k`` percent of its points are predicted. Read more in
docs/metrics/point_adjust.md.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from pate._events import label_events
from pate._validation import check_bool, check_fraction, check_targets
from pate._warnings import warn_undefined
from pate.metrics._pointwise import ratio
from pate.metrics._results import PrecisionRecallFScore
from pate.metrics._undefined import Undefined, undefined_policy

__all__ = ["point_adjusted_precision_recall_fscore", "point_adjusted_f1_score", "pak_f1_score"]


def _event_hits(labels: np.ndarray, pred: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Events (starts, ends) and the number of predicted points inside each."""
    starts, ends = label_events(labels)
    csum = np.concatenate(([0], np.cumsum(pred, dtype=np.int64)))
    return starts, ends, csum[ends + 1] - csum[starts]


def _prf(tp: int, fp: int, n_true: int) -> PrecisionRecallFScore:
    # sklearn's arithmetic: precision tp/(tp+fp), recall tp/|y|, F1 2tp/(|y|+|p|)
    n_pred = tp + fp
    return PrecisionRecallFScore(ratio(tp, n_pred), ratio(tp, n_true), ratio(2 * tp, n_true + n_pred))


def _warn_degenerate(n_true: int, n_pred: int, metric: str) -> None:
    # the F1 is reported as undefined with either (as documented, like the references' warnings)
    if n_true == 0:
        warn_undefined(f"{metric}: recall is 0/0 (y_true has no anomaly); set to 0.0.", fields=("recall", "fscore"))
    if n_pred == 0:
        warn_undefined(f"{metric}: precision is 0/0 (nothing predicted); set to 0.0.", fields=("precision", "fscore"))


@undefined_policy
def point_adjusted_precision_recall_fscore(
    y_true: Any, y_pred: Any, *, compat: bool = False, undefined: Undefined = "warn"
) -> PrecisionRecallFScore:
    """Precision, recall and F1 after point adjustment.

    Every labelled event with at least one predicted point counts as wholly
    predicted; predictions outside events stay false positives.
    Read more in docs/metrics/point_adjust.md.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples,)
        Labels and predictions, 0/1 or bool.
    compat : bool, default=False
        Reproduce the published loop (the PATE authors' ``get_adjust_F1PA``,
        also TSB-AD's ``PA-F1``): its backward fill never reaches index 0, so
        an event that starts at 0 and is first hit later keeps a false
        negative at index 0.
    undefined : {"warn", "nan"} or float, default="warn"
        The value where the metric is undefined (docs/undefined.md lists the
        cases): "warn" gives 0.0 with an ``UndefinedMetricWarning`` (as
        scikit-learn's ``zero_division``); "nan" gives nan and a number gives
        that number, both without a warning.

    Returns
    -------
    PrecisionRecallFScore
        0.0 where a denominator is 0, with ``UndefinedMetricWarning`` (the
        references return 0.0 too).

    See Also
    --------
    point_adjusted_f1_score : its F1 alone.
    pak_f1_score : PA%K, adjustment only above a detected share.
    pate.metrics.pate_f1_score : proximity-aware F1 without adjustment.

    Examples
    --------
    >>> from pate.metrics import point_adjusted_precision_recall_fscore
    >>> y = [1, 1, 1, 1, 0, 0, 0, 0, 0, 0]
    >>> p = [0, 0, 1, 0, 0, 0, 0, 0, 0, 0]
    >>> point_adjusted_precision_recall_fscore(y, p).fscore
    1.0
    >>> round(point_adjusted_precision_recall_fscore(y, p, compat=True).fscore, 12)
    0.857142857143
    """
    labels, pred = check_targets(y_true, y_pred, kind="binary")
    compat = check_bool(compat, "compat")
    starts, ends, hits = _event_hits(labels, pred)
    detected = hits > 0
    tp = int((ends - starts + 1)[detected].sum())
    if compat and starts.size and starts[0] == 0 and detected[0] and not pred[0]:
        tp -= 1  # the published backward fill stops at index 1
    fp = int(np.count_nonzero(pred & ~labels))
    n_true = int(np.count_nonzero(labels))
    _warn_degenerate(n_true, tp + fp, "PA")
    return _prf(tp, fp, n_true)


@undefined_policy
def point_adjusted_f1_score(y_true: Any, y_pred: Any, *, compat: bool = False, undefined: Undefined = "warn") -> float:
    """F1 after point adjustment (PA-F1).

    The ``fscore`` of :func:`point_adjusted_precision_recall_fscore`; see there
    for ``compat``. Read more in docs/metrics/point_adjust.md.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples,)
        Labels and predictions, 0/1 or bool.
    compat : bool, default=False
        Reproduce the published adjustment loop and its index-0 quirk.
    undefined : {"warn", "nan"} or float, default="warn"
        The value where the metric is undefined (docs/undefined.md lists the
        cases): "warn" gives 0.0 with an ``UndefinedMetricWarning`` (as
        scikit-learn's ``zero_division``); "nan" gives nan and a number gives
        that number, both without a warning.

    Returns
    -------
    float
        0.0 with ``UndefinedMetricWarning`` when there is no label or no
        prediction (as the references).

    See Also
    --------
    point_adjusted_precision_recall_fscore : precision and recall too.
    best_pa_f1_score : the best point-adjusted F1 over thresholds.
    pate.metrics.pate_f1_score : proximity-aware F1 without adjustment.

    Examples
    --------
    >>> from pate.metrics._point_adjust import point_adjusted_f1_score
    >>> y = [0, 0, 1, 1, 1, 0, 0, 1, 0, 0]
    >>> p = [0, 0, 0, 1, 0, 0, 1, 1, 1, 0]
    >>> point_adjusted_f1_score(y, p)
    0.8
    """
    return point_adjusted_precision_recall_fscore(y_true, y_pred, compat=compat).fscore


@undefined_policy
def pak_f1_score(y_true: Any, y_pred: Any, *, k: float = 20.0, undefined: Undefined = "warn") -> float:
    """PA%K F1 (Kim et al., AAAI 2022): point-adjust an event only above ``k`` percent.

    An event is marked wholly predicted when its number of predicted points
    is strictly greater than ``k / 100`` times its length; otherwise its
    predictions stay as they are. Then point-wise F1. ``k=0`` is ordinary
    point adjustment (without the index-0 quirk of the published PA loop),
    ``k=100`` plain point-wise F1. Equals tadpak 0.3.3's ``pak`` followed by
    scikit-learn's ``f1_score``. Read more in docs/metrics/point_adjust.md.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples,)
        Labels and predictions, 0/1 or bool.
    k : float, default=20.0
        Percentage in [0, 100] (tadpak's default 20).
    undefined : {"warn", "nan"} or float, default="warn"
        The value where the metric is undefined (docs/undefined.md lists the
        cases): "warn" gives 0.0 with an ``UndefinedMetricWarning`` (as
        scikit-learn's ``zero_division``); "nan" gives nan and a number gives
        that number, both without a warning.

    Returns
    -------
    float
        0.0 with ``UndefinedMetricWarning`` when there is no label or no prediction.

    See Also
    --------
    point_adjusted_f1_score : the same with K = 0.
    pate.metrics.pate_f1_score : proximity-aware F1.

    Examples
    --------
    >>> from pate.metrics import pak_f1_score
    >>> y = [0, 0, 1, 1, 1, 0, 0, 1, 0, 0]
    >>> p = [0, 0, 0, 1, 0, 0, 1, 1, 1, 0]
    >>> pak_f1_score(y, p, k=20), pak_f1_score(y, p, k=50)
    (0.8, 0.5)
    """
    labels, pred = check_targets(y_true, y_pred, kind="binary")
    k = check_fraction(k, "k", low=0.0, high=100.0)
    starts, ends, hits = _event_hits(labels, pred)
    lengths = ends - starts + 1
    adjust = hits > (k / 100) * lengths  # tadpak's float comparison
    tp = int(np.count_nonzero(labels & pred)) + int((lengths - hits)[adjust].sum())
    fp = int(np.count_nonzero(pred & ~labels))
    n_true = int(np.count_nonzero(labels))
    _warn_degenerate(n_true, tp + fp, "PA%K")
    return _prf(tp, fp, n_true).fscore
