"""Range-based precision, recall and F-score (Tatbul et al., NeurIPS 2018).

Definitions: docs/spec/baseline-metrics.md, sections 7, 7b and 12:

* :func:`range_precision_recall_fscore` is the authors' definition with all its
  options; it reproduces ``prts`` 1.0.0.3 (and the authors' C++ tool) to the
  last bit wherever they are defined.
* :func:`range_f1_tsb_score` is TSB-AD's ``R-based-F1``: the same definition at
  fixed options (``alpha_r=0.2``, reciprocal cardinality, flat bias) in
  TSB-AD's order of floating-point operations.
* :func:`best_range_f1_score` is its maximum over TSB-AD's oracle grid of 100
  thresholds.

Data flow: validate (``pate._validation``) -> events (``pate._events``) ->
two-pointer kernels over the event lists (``pate._kernels.range_based``).
"""

from __future__ import annotations

import math
from types import ModuleType
from typing import Any, Literal

import numpy as np

from pate._events import label_events
from pate._validation import check_bool, check_choice, check_fraction, check_targets
from pate._warnings import warn_undefined
from pate.metrics._results import PrecisionRecallFScore
from pate.metrics._threshold_grid import tsb_threshold_grid
from pate.metrics._undefined import Undefined, undefined_policy

__all__ = ["range_precision_recall_fscore", "range_f1_tsb_score", "best_range_f1_score"]

Bias = Literal["flat", "front", "middle", "back"]
Cardinality = Literal["one", "reciprocal", "udf_gamma"]

BIASES: tuple[Bias, ...] = ("flat", "front", "middle", "back")
# "udf_gamma" is prts' user-defined gamma with its default function: 1 / 1.0 for
# an event overlapped more than once, 1 otherwise, i.e. the numbers of "one".
CARDINALITIES = ("one", "reciprocal", "udf_gamma")


def _kernels() -> ModuleType:
    """The numba kernels (``pate._kernels.range_based``)."""
    from pate._kernels import range_based  # numba: loaded when a metric first runs, not at `import pate`

    return range_based


def check_beta(beta: Any) -> float:
    beta = check_fraction(beta, "beta", low=0.0, high=math.inf)
    if math.isinf(beta):
        raise ValueError("beta must be finite, got inf.")
    return beta


def _as_index_arrays(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    starts, ends = label_events(mask)
    return np.ascontiguousarray(starts), np.ascontiguousarray(ends)


def _range_side(own, other, alpha: float, bias: str, reciprocal: bool) -> float:
    """Mean over the ranges of ``own`` (one of precision, recall); 0.0 when ``own`` is empty."""
    own_starts, own_ends = own
    if own_starts.size == 0:
        return 0.0
    other_starts, other_ends = other
    kernels = _kernels()
    total = kernels.tatbul_side_sum(
        own_starts, own_ends, other_starts, other_ends, alpha, kernels.BIAS_CODES[bias], reciprocal
    )
    return float(total / own_starts.size)


@undefined_policy
def range_precision_recall_fscore(
    y_true: Any,
    y_pred: Any,
    *,
    alpha_p: float = 0.0,
    alpha_r: float = 0.0,
    bias_p: Bias = "flat",
    bias_r: Bias = "flat",
    cardinality: Cardinality = "one",
    beta: float = 1.0,
    undefined: Undefined = "warn",
) -> PrecisionRecallFScore:
    """Range-based precision, recall and F-beta of binary predictions (Tatbul et al., 2018).

    Each labelled event earns recall for being detected at all (weight
    ``alpha_r``) and for how much of it is covered (weight ``1 - alpha_r``),
    the coverage weighted by position (``bias_r``) and discounted when the
    event is split over several predicted events (``cardinality``). Precision
    is the same with the roles of labels and predictions swapped. Reproduces
    ``prts`` 1.0.0.3 (``ts_precision``, ``ts_recall``, ``ts_fscore``) to the
    last bit.

    Read more in ``docs/metrics/range_based.md``.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Labels, 0/1 or bool; runs of ones are the anomaly events.
    y_pred : array-like of shape (n_samples,)
        Binary predictions, 0/1 or bool; runs of ones are the predicted events.
    alpha_p : float, default=0.0
        Weight of the existence reward in precision, in [0, 1] (the paper
        recommends 0).
    alpha_r : float, default=0.0
        Weight of the existence reward in recall, in [0, 1].
    bias_p : {"flat", "front", "middle", "back"}, default="flat"
        Positional weights along a predicted event, for precision.
    bias_r : {"flat", "front", "middle", "back"}, default="flat"
        Positional weights along a labelled event, for recall.
    cardinality : {"one", "reciprocal", "udf_gamma"}, default="one"
        Factor applied to an event overlapped by ``c`` events of the other
        side: 1, or ``1 / c`` when ``c > 1``. ``"udf_gamma"`` is prts'
        user-defined gamma with its default function (``1 / 1.0``): the
        same numbers as ``"one"``, accepted so that prts calls carry over.
    beta : float, default=1.0
        Weight of recall in the F-score, ``>= 0``.
    undefined : {"warn", "nan"} or float, default="warn"
        The value where the metric is undefined (docs/undefined.md lists the
        cases): "warn" gives 0.0 with an ``UndefinedMetricWarning`` (as
        scikit-learn's ``zero_division``); "nan" gives nan and a number gives
        that number, both without a warning.

    Returns
    -------
    PrecisionRecallFScore
        ``(precision, recall, fscore)`` as floats in [0, 1]. The F-score is
        0.0 when precision and recall are both 0.

    Warns
    -----
    UndefinedMetricWarning
        When ``y_true`` has no event (recall is undefined, reported as 0.0)
        or ``y_pred`` has no event (precision is undefined, reported as 0.0).
        These are the values of the authors' C++ tool; ``prts`` raises.

    See Also
    --------
    range_f1_tsb_score : TSB-AD's variant at fixed options.

    Examples
    --------
    >>> from pate.metrics import range_precision_recall_fscore
    >>> y_true = [0, 1, 1, 1, 1, 0, 0, 0]
    >>> y_pred = [0, 0, 0, 1, 1, 1, 0, 0]
    >>> range_precision_recall_fscore(y_true, y_pred)
    PrecisionRecallFScore(precision=0.6666666666666666, recall=0.5, fscore=0.5714285714285715)
    >>> range_precision_recall_fscore(y_true, y_pred, alpha_r=0.5, bias_r="back").recall
    0.85
    """
    labels, preds = check_targets(y_true, y_pred, kind="binary")
    alpha_p = check_fraction(alpha_p, "alpha_p")
    alpha_r = check_fraction(alpha_r, "alpha_r")
    bias_p = check_choice(bias_p, "bias_p", BIASES)
    bias_r = check_choice(bias_r, "bias_r", BIASES)
    reciprocal = check_choice(cardinality, "cardinality", CARDINALITIES) == "reciprocal"
    beta = check_beta(beta)

    label_ranges = _as_index_arrays(labels)
    pred_ranges = _as_index_arrays(preds)
    if label_ranges[0].size == 0:
        warn_undefined(
            "Range-based recall is undefined when y_true has no anomaly; returning 0.0.", fields=("recall", "fscore")
        )
    if pred_ranges[0].size == 0:
        warn_undefined(
            "Range-based precision is undefined when y_pred predicts no anomaly; returning 0.0.",
            fields=("precision", "fscore"),
        )
    precision = _range_side(pred_ranges, label_ranges, alpha_p, bias_p, reciprocal)
    recall = _range_side(label_ranges, pred_ranges, alpha_r, bias_r, reciprocal)
    if precision + recall == 0.0:
        fscore = 0.0
    else:
        # prts' order of operations, kept for bit-for-bit agreement.
        fscore = (1 + beta**2) * precision * recall / (beta**2 * precision + recall)
    return PrecisionRecallFScore(float(precision), float(recall), float(fscore))


@undefined_policy
def range_f1_tsb_score(y_true: Any, y_pred: Any, *, compat: bool = False, undefined: Undefined = "warn") -> float:
    """TSB-AD's ``R-based-F1`` of binary predictions.

    The range-based F1 at TSB-AD's fixed options: recall with existence
    weight 0.2, precision with none, reciprocal cardinality, flat bias, and
    ``F = 2PR / (P + R)``, computed in TSB-AD's order of floating-point
    operations (it can differ from :func:`range_precision_recall_fscore` at
    those options in the last bits).

    Read more in ``docs/metrics/range_based.md``.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Labels, 0/1 or bool.
    y_pred : array-like of shape (n_samples,)
        Binary predictions, 0/1 or bool.
    compat : bool, default=False
        Reproduce TSB-AD 1.5 ``basic_metricor.metric_RF1`` (called with
        integer 0/1 arrays) bit for bit, including its run finder that does
        not see an event spanning the whole series: all-one labels or an
        all-one prediction then give 0.0, and a perfect F1 may round to
        1.0000000000000002. The default sees such events and never exceeds 1.
    undefined : {"warn", "nan"} or float, default="warn"
        The value where the metric is undefined (docs/undefined.md lists the
        cases): "warn" gives 0.0 with an ``UndefinedMetricWarning`` (as
        scikit-learn's ``zero_division``); "nan" gives nan and a number gives
        that number, both without a warning.

    Returns
    -------
    float
        F1 in [0, 1]; 0.0 when precision and recall are both 0.

    Warns
    -----
    UndefinedMetricWarning
        When ``y_true`` or ``y_pred`` has no event (recall or precision is
        undefined); the result is 0.0, as in TSB-AD.

    See Also
    --------
    best_range_f1_score : its maximum over TSB-AD's oracle thresholds.

    Examples
    --------
    >>> from pate.metrics import range_f1_tsb_score
    >>> range_f1_tsb_score([0, 1, 1, 1, 1, 0, 0, 0], [0, 0, 0, 1, 1, 1, 0, 0])
    0.6
    >>> range_f1_tsb_score([1, 1, 1, 1], [0, 1, 1, 0]), range_f1_tsb_score([1, 1, 1, 1], [0, 1, 1, 0], compat=True)
    (0.7500000000000001, 0.0)
    """
    labels, preds = check_targets(y_true, y_pred, kind="binary")
    compat = check_bool(compat, "compat")
    label_ranges = _as_index_arrays(labels)
    pred_ranges = _as_index_arrays(preds)
    if label_ranges[0].size == 0:
        warn_undefined("Range-based recall is undefined when y_true has no anomaly; returning 0.0.")
        return 0.0
    if pred_ranges[0].size == 0:
        warn_undefined("Range-based precision is undefined when y_pred predicts no anomaly; returning 0.0.")
        return 0.0
    if compat and (labels.all() or preds.all()):
        # TSB-AD finds runs from 0/1 edges: a run covering the whole series has
        # none, so it is lost; either side missing makes the F1 0.
        return 0.0
    return _unit_interval(float(_kernels().tsb_f1(*label_ranges, *pred_ranges)), compat)


@undefined_policy
def best_range_f1_score(y_true: Any, y_score: Any, *, compat: bool = False, undefined: Undefined = "warn") -> float:
    """Best TSB-AD ``R-based-F1`` over TSB-AD's oracle threshold grid.

    The maximum of :func:`range_f1_tsb_score` of the predictions
    ``y_score > theta`` over the 100 thresholds ``linspace(min, max, 100)``
    (TSB-AD 1.5 ``get_metrics`` without a prediction). A constant score
    predicts nothing at every threshold and gives 0.0.

    Read more in ``docs/metrics/range_based.md``.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Labels, 0/1 or bool.
    y_score : array-like of shape (n_samples,)
        Anomaly scores, higher means more anomalous; must be finite.
    compat : bool, default=False
        Reproduce TSB-AD 1.5 bit for bit: all-one labels give 0.0 there (its
        run finder misses an event spanning the whole series). A prediction
        on the grid never covers the whole series (the minimum is never
        above a threshold), so this is the only difference.
    undefined : {"warn", "nan"} or float, default="warn"
        The value where the metric is undefined (docs/undefined.md lists the
        cases): "warn" gives 0.0 with an ``UndefinedMetricWarning`` (as
        scikit-learn's ``zero_division``); "nan" gives nan and a number gives
        that number, both without a warning.

    Returns
    -------
    float
        The best F1, in [0, 1].

    Warns
    -----
    UndefinedMetricWarning
        When ``y_true`` has no anomaly (recall is undefined); returns 0.0, as
        TSB-AD does.

    See Also
    --------
    range_f1_tsb_score : the F1 at one prediction.

    Examples
    --------
    >>> from pate.metrics import best_range_f1_score
    >>> best_range_f1_score([0, 0, 1, 1, 0, 0], [0.1, 0.85, 0.9, 0.8, 0.3, 0.1])
    0.8
    """
    labels, scores = check_targets(y_true, y_score, kind="score")
    compat = check_bool(compat, "compat")
    label_starts, label_ends = _as_index_arrays(labels)
    if label_starts.size == 0:
        warn_undefined("Range-based recall is undefined when y_true has no anomaly; returning 0.0.")
        return 0.0
    if compat and labels.all():
        return 0.0
    f1 = _kernels().tsb_f1_over_thresholds(label_starts, label_ends, scores, tsb_threshold_grid(scores))
    return _unit_interval(float(f1.max()), compat)


def _unit_interval(f1: float, compat: bool) -> float:
    """The F1 clipped to 1.0 by default; TSB-AD's value, rounding included, under compat.

    TSB-AD's order of operations (kept for bit-equality) can round a perfect
    F1 to 1.0000000000000002 (e.g. ``[1, 0, 0, 1, 0, 1]`` against itself).
    """
    return f1 if compat else min(f1, 1.0)
