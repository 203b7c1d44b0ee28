"""Range-AUC and VUS (Paparrizos et al., VLDB 2022), current and legacy versions.

Definitions: docs/spec/baseline-metrics.md, sections 10 and 11:

* :func:`range_auc_score` is Range-AUC-ROC and Range-AUC-PR: ROC and PR areas
  where each labelled event is widened by a buffer of soft labels that decay
  as ``sqrt(1 - d / window)`` with the distance ``d`` to the event.
* :func:`vus_score` is the volume under those surfaces: the mean of the areas
  over the windows ``0, 1, ..., window``.

``version="current"`` reproduces vus 0.0.6 (= TheDatumOrg/VUS head = TSB-AD
1.5 ``get_metrics``); ``version="legacy"`` reproduces the VLDB'22 code
(``TheDatumOrg/VUS@b708919``, vendored in the PATE authors' repository), whose
post buffer is one point shorter and whose VUS is the plain average of
Range-AUC curves. Both agree with their reference to about 1e-15 (the sums
are taken in another order); only undefined inputs differ (documented in
``docs/metrics/vus.md``).

Data flow: validate (``pate._validation``) -> events (``pate._events``) ->
rank grid and join indices (one sort) -> one numba sweep per window
(``pate._kernels.vus``).
"""

from __future__ import annotations

from typing import Any, Literal

import numpy as np

from pate._events import label_events
from pate._validation import check_choice, check_nonnegative_int, check_positive_int, check_targets
from pate._warnings import warn_undefined
from pate.metrics._results import VUS, RangeAUC
from pate.metrics._undefined import Undefined, undefined_policy

__all__ = ["RangeAUC", "VUS", "range_auc_score", "vus_score"]

Version = Literal["current", "legacy"]
_VERSIONS = ("current", "legacy")

#: Default window: TSB-AD's ``get_metrics`` default ``slidingWindow=100``.
DEFAULT_WINDOW = 100
#: Size of the rank grid of thresholds used by every published version.
DEFAULT_N_THRESHOLDS = 250


def _check_version(version: Any) -> Version:
    return check_choice(version, "version", _VERSIONS)


def _rank_grid(scores: np.ndarray, n_thresholds: int) -> tuple[np.ndarray, np.ndarray]:
    """The rank-grid thresholds (descending) and the number of points predicted at each.

    The rank grid (spec conventions) takes the scores sorted descending at
    the positions ``linspace(0, T - 1, n).astype(int)``; the prediction at
    threshold ``j`` is ``score >= threshold_j``. numpy's ``linspace`` is used
    on purpose: its float positions decide which scores are picked.
    """
    ascending = np.sort(scores)
    positions = np.linspace(0, scores.size - 1, n_thresholds).astype(np.int64)
    thresholds = ascending[scores.size - 1 - positions]
    # Points with score >= threshold: everything from the first copy of the
    # threshold upwards in the ascending order.
    predicted_count = (scores.size - np.searchsorted(ascending, thresholds, side="left")).astype(np.float64)
    return thresholds, predicted_count


def _soft_label_areas(
    labels: np.ndarray,
    scores: np.ndarray,
    windows: np.ndarray,
    n_thresholds: int,
    *,
    legacy: bool,
    volume: bool,
) -> tuple[np.ndarray, np.ndarray]:
    """ROC and PR areas for each window (labels hold at least one normal point and one event)."""
    from pate._engine.thresholds import join_index  # numba kernels: loaded when a metric first runs
    from pate._kernels.vus import soft_label_areas  # (not at `import pate`)

    n_points = labels.size
    # Beyond 4 thresholds per point the grid already holds every sorted
    # position (a step of at most 1/3 of a rank), and further thresholds only
    # repeat them: a repeated threshold adds exactly 0.0 to both areas (the
    # kernel sums in threshold order). So the work is capped by the data.
    n_thresholds = min(n_thresholds, 4 * n_points)
    starts, ends = label_events(labels)
    thresholds, predicted_count = _rank_grid(scores, n_thresholds)
    # Join index (first threshold predicting a point) of the points the
    # kernel reads: the events and their widest buffers. Elsewhere the
    # soft label is 0 and the predicted counts above suffice.
    reach = int(windows.max()) // 2
    # (a difference array marks their union: with dense events the widened
    # events overlap many times over)
    cover = np.zeros(n_points + 1, dtype=np.int64)
    np.add.at(cover, np.maximum(starts - reach, 0), 1)
    np.add.at(cover, np.minimum(ends + reach, n_points - 1) + 1, -1)
    near = np.flatnonzero(np.cumsum(cover[:-1]) > 0)
    join = np.zeros(n_points, dtype=np.int64)
    join[near] = join_index(scores[near], thresholds)
    event_hits = np.cumsum(np.bincount(join[labels], minlength=n_thresholds)).astype(np.float64)
    event_min_join = _event_min(join, starts, ends)
    # vus 0.0.6 VUS: existence over overlap-merged zones, P' from predicted
    # buffer weight only, step PR. Range-AUC and legacy VUS: runs of positive
    # soft labels, constant P', trapezoid PR.
    current_volume = volume and not legacy
    return soft_label_areas(
        starts,
        ends,
        np.ascontiguousarray(labels),
        join,
        event_min_join,
        predicted_count,
        event_hits,
        np.ascontiguousarray(windows, dtype=np.int64),
        legacy,
        not current_volume,
        not current_volume,
        current_volume,
    )


def _event_min(join: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Minimum of ``join`` over each inclusive event ``[starts[k], ends[k]]``."""
    # reduceat over the boundaries [s0, e0+1, s1, e1+1, ...] gives the event
    # minima at even positions (odd positions are the gaps, ignored).
    bounds = np.empty(2 * starts.size, dtype=np.int64)
    bounds[0::2] = starts
    bounds[1::2] = ends + 1
    if bounds[-1] == join.size:
        bounds = bounds[:-1]
    return np.minimum.reduceat(join, bounds)[0::2].astype(np.int64)


def _degenerate(labels: np.ndarray, name: str) -> tuple[float, float] | None:
    """Documented values (with a warning) for labels without both classes, else None."""
    n_labelled = int(np.count_nonzero(labels))
    if n_labelled == 0:
        warn_undefined(f"{name}-ROC and {name}-PR are undefined when y_true has no anomaly; returning 0.0.")
        return float("nan"), float("nan")
    if n_labelled == labels.size:
        warn_undefined(
            f"{name}-ROC is undefined when every point is labelled (the false-positive rate is 0/0); "
            f"returning 0.0 for it. {name}-PR is 1.0.",
            fields=("roc",),
        )
        return float("nan"), 1.0
    return None


def _checked(
    y_true: Any, y_score: Any, window: Any, n_thresholds: Any, version: Any
) -> tuple[np.ndarray, np.ndarray, int, int, Version]:
    labels, scores = check_targets(y_true, y_score, kind="score")
    window = check_nonnegative_int(window, "window")
    n_thresholds = check_positive_int(n_thresholds, "n_thresholds", minimum=2)
    version = _check_version(version)
    return labels, scores, window, n_thresholds, version


@undefined_policy
def range_auc_score(
    y_true: Any,
    y_score: Any,
    *,
    window: int = DEFAULT_WINDOW,
    n_thresholds: int = DEFAULT_N_THRESHOLDS,
    version: Version = "current",
    undefined: Undefined = "warn",
) -> RangeAUC:
    """Range-AUC-ROC and Range-AUC-PR of anomaly scores (Paparrizos et al., VLDB 2022).

    Every labelled event is widened by ``window // 2`` points on each side
    with soft labels ``sqrt(1 - d / window)`` (``d``: distance to the event).
    Along the rank grid of ``n_thresholds`` thresholds, a detection in the
    buffer earns its soft label as a true positive, and the true-positive
    rate is multiplied by the share of buffered events (maximal runs of
    positive soft labels) that hold a detection. The results are the
    trapezoidal areas under the ROC curve (from (0, 0) to (1, 1)) and under
    the PR curve (from recall 0, precision 1).

    Read more in ``docs/metrics/vus.md``.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Labels, 0/1 or bool; runs of ones are the anomaly events.
    y_score : array-like of shape (n_samples,)
        Anomaly scores (higher means more anomalous), finite.
    window : int, default=100
        Buffer window ``W >= 0`` (the references' ``slidingWindow``/``window``);
        ``W < 2`` gives no buffer. 100 is TSB-AD's default; TSB-AD's
        benchmark passes a per-series period estimate instead.
    n_thresholds : int, default=250
        Size of the rank grid, ``>= 2`` (the references fix 250).
    version : {"current", "legacy"}, default="current"
        ``"current"``: vus 0.0.6 ``RangeAUC``. ``"legacy"``: the VLDB'22 code
        (``TheDatumOrg/VUS@b708919``, the PATE repository's ``metrics/vus``),
        whose post buffer is one point shorter.
    undefined : {"warn", "nan"} or float, default="warn"
        The value where the metric is undefined (docs/undefined.md lists the
        cases): "warn" gives 0.0 with an ``UndefinedMetricWarning`` (as
        scikit-learn's ``zero_division``); "nan" gives nan and a number gives
        that number, both without a warning.

    Returns
    -------
    RangeAUC
        ``(roc, pr)`` as floats in [0, 1].

    Warns
    -----
    UndefinedMetricWarning
        When ``y_true`` has no anomaly (both values undefined: 0.0; the
        references raise ZeroDivisionError) or only anomalies (ROC undefined:
        0.0, nan in the references; PR 1.0).

    See Also
    --------
    vus_score : The average of these areas over the windows ``0..window``.

    Examples
    --------
    >>> from pate.metrics import range_auc_score
    >>> y_true = [0, 0, 0, 0, 1, 1, 0, 0, 0, 1, 0, 0]
    >>> y_score = [.1, .2, .3, .6, .9, .4, .5, .2, .1, .7, .3, 0]
    >>> result = range_auc_score(y_true, y_score, window=2)
    >>> round(result.roc, 12), round(result.pr, 12)
    (0.970136132684, 0.942772538319)
    >>> range_auc_score(y_true, y_score, window=0).roc  # plain ROC AUC on the rank grid
    0.9259259259259259
    """
    labels, scores, window, n_thresholds, version = _checked(y_true, y_score, window, n_thresholds, version)
    degenerate = _degenerate(labels, "Range-AUC")
    if degenerate is not None:
        return RangeAUC(*degenerate)
    roc, pr = _soft_label_areas(
        labels, scores, np.array([window]), n_thresholds, legacy=version == "legacy", volume=False
    )
    return RangeAUC(float(roc[0]), float(pr[0]))


@undefined_policy
def vus_score(
    y_true: Any,
    y_score: Any,
    *,
    window: int = DEFAULT_WINDOW,
    n_thresholds: int = DEFAULT_N_THRESHOLDS,
    version: Version = "current",
    undefined: Undefined = "warn",
) -> VUS:
    """VUS-ROC and VUS-PR of anomaly scores: volumes under the Range-AUC surfaces.

    The mean, over the windows ``w = 0, 1, ..., window`` (equal weights), of
    soft-label ROC and PR areas on the rank grid of ``n_thresholds``
    thresholds. A score that fires slightly before or after an event is
    rewarded, less the further away it fires, without choosing one buffer
    size.

    ``version="current"`` is vus 0.0.6 (``get_metrics(..., metric='vus')``,
    equal to TSB-AD 1.5's ``VUS-ROC``/``VUS-PR``): per window, only the
    predicted buffer weight enters the positive mass ``P'``, the existence
    reward counts event zones merged when they overlap, and the PR area is a
    step sum. ``version="legacy"`` is the VLDB'22 code: per window exactly
    :func:`range_auc_score` with ``version="legacy"``, then averaged.

    Read more in ``docs/metrics/vus.md``.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Labels, 0/1 or bool; runs of ones are the anomaly events.
    y_score : array-like of shape (n_samples,)
        Anomaly scores (higher means more anomalous), finite.
    window : int, default=100
        Largest window ``W >= 0`` (the references' ``slidingWindow``); the
        volume averages ``W + 1`` windows. The PATE experiments call the
        legacy code as ``get_range_vus_roc(score, labels, 20)``, which runs
        VUS with ``W = 40`` (and Range-AUC with ``W = 20``): use
        ``vus_score(..., window=40, version="legacy")``.
    n_thresholds : int, default=250
        Size of the rank grid, ``>= 2`` (vus 0.0.6 ``thre``; legacy fixes 250).
    version : {"current", "legacy"}, default="current"
        Which published implementation to reproduce (see above).
    undefined : {"warn", "nan"} or float, default="warn"
        The value where the metric is undefined (docs/undefined.md lists the
        cases): "warn" gives 0.0 with an ``UndefinedMetricWarning`` (as
        scikit-learn's ``zero_division``); "nan" gives nan and a number gives
        that number, both without a warning.

    Returns
    -------
    VUS
        ``(roc, pr)`` as floats in [0, 1].

    Warns
    -----
    UndefinedMetricWarning
        When ``y_true`` has no anomaly (both values undefined: 0.0; the
        references raise IndexError or ZeroDivisionError) or only anomalies
        (ROC undefined: 0.0, nan in the references; PR 1.0).

    See Also
    --------
    range_auc_score : The areas at one window.

    Examples
    --------
    >>> from pate.metrics import vus_score
    >>> y_true = [0, 0, 0, 0, 1, 1, 0, 0, 0, 1, 0, 0]
    >>> y_score = [.1, .2, .3, .6, .9, .4, .5, .2, .1, .7, .3, 0]
    >>> result = vus_score(y_true, y_score, window=4)
    >>> round(result.roc, 12), round(result.pr, 12)
    (0.964860296584, 0.930153440442)
    >>> round(vus_score(y_true, y_score, window=40, version="legacy").roc, 12)
    0.990904936507
    """
    labels, scores, window, n_thresholds, version = _checked(y_true, y_score, window, n_thresholds, version)
    degenerate = _degenerate(labels, "VUS")
    if degenerate is not None:
        return VUS(*degenerate)
    windows = np.arange(window + 1)
    roc, pr = _soft_label_areas(labels, scores, windows, n_thresholds, legacy=version == "legacy", volume=True)
    # The references add the per-window areas one by one, then divide.
    return VUS(float(sum(roc.tolist()) / windows.size), float(sum(pr.tolist()) / windows.size))
