"""The PATE engine: events/zones -> kernel -> curve, for every buffer pair.

Shape of the computation (spec section 10). Thresholds never increase, so
each point is summarised by its *join index*, the first threshold that
predicts it. Then, per threshold ``t``:

* ``|P_t|`` (TP + FP, since every predicted point contributes exactly 1 to
  TP + FP) and the in-event TP are cumulative counts of join indices;
* post-buffer TP is a cumulative sum of weights keyed by join index, and
  pre-buffer TP the same keyed by ``max(join, detection of the event)``
  (a pre-buffer point earns credit only once its event is detected);
* FN depends only on which in-event points are predicted, not on the
  buffers, so one sequential sweep (numba) serves every buffer pair.

Only the recall comparisons of step 7.5 need care: two different predicted
sets can have exactly equal recall, and then rounding alone would decide.
Comparisons closer than ``_TIE_TOLERANCE`` are settled in exact rational
arithmetic (``pate._exact``), so the result equals the exact-arithmetic
definition; see docs/pate.md ("Floating point and ties").
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Callable

import numpy as np

from pate._events import buffer_points, in_event_points, label_events, zone_bounds

__all__ = ["PreparedSeries", "prepare_series", "pair_curve", "curve_from_counts", "PairCurve"]

# Recall comparisons whose cross products differ by at most this relative
# amount are decided exactly. TP and FN carry relative errors of a few ulps
# (compensated sums), far below it.
_TIE_TOLERANCE = 1e-12


@dataclass(frozen=True)
class PreparedSeries:
    """Everything about one series and one threshold list that no buffer pair changes."""

    n_points: int
    starts: np.ndarray
    ends: np.ndarray
    join: np.ndarray  # join index of every point (n_thresholds: never predicted)
    in_join: np.ndarray  # join index of in-event points, time order
    in_event: np.ndarray
    event_offset: np.ndarray
    detection: np.ndarray  # per event: first threshold index at which it is detected
    n_thresholds: int
    n_predicted: np.ndarray  # |P_t|
    tp_in: np.ndarray  # in-event TP (a count)
    fn: np.ndarray  # weighted FN


@dataclass(frozen=True)
class PairCurve:
    """Per-threshold quantities of one buffer pair, and which points the area keeps."""

    early: int
    delay: int
    tp: np.ndarray
    precision: np.ndarray
    recall: np.ndarray
    keep: np.ndarray
    area: float


def _cumulative_count(keys: np.ndarray, n: int) -> np.ndarray:
    return np.cumsum(np.bincount(keys, minlength=n + 1)[:n])


def prepare_series(labels: np.ndarray, join: np.ndarray, n_thresholds: int) -> PreparedSeries:
    """Events, detection indices and the buffer-independent curves of one series."""
    from pate._kernels.pate_sweep import false_negative_curve

    starts, ends = label_events(labels)
    in_pos, in_event = in_event_points(starts, ends)
    in_join = join[in_pos]
    lengths = ends - starts + 1
    event_offset = np.cumsum(lengths) - lengths
    if starts.size:
        detection = np.minimum.reduceat(in_join, event_offset)
    else:
        detection = np.zeros(0, dtype=np.int64)
    fn = false_negative_curve(in_join, in_event, event_offset, lengths, n_thresholds)
    return PreparedSeries(
        n_points=int(labels.size),
        starts=starts,
        ends=ends,
        join=join,
        in_join=in_join,
        in_event=in_event,
        event_offset=event_offset,
        detection=detection,
        n_thresholds=n_thresholds,
        n_predicted=_cumulative_count(join, n_thresholds),
        tp_in=_cumulative_count(in_join, n_thresholds),
        fn=fn,
    )


def _buffer_true_positives(prep: PreparedSeries, early: int, delay: int) -> np.ndarray:
    from pate._kernels.pate_sweep import weighted_cumsum

    pre_start, post_end = zone_bounds(prep.starts, prep.ends, prep.n_points, early, delay)
    pre_pos, pre_ev, pre_w, post_pos, _, post_w = buffer_points(prep.starts, prep.ends, pre_start, post_end)
    n = prep.n_thresholds
    post = weighted_cumsum(prep.join[post_pos], post_w, n)
    pre_key = np.maximum(prep.join[pre_pos], prep.detection[pre_ev])
    pre = weighted_cumsum(pre_key, pre_w, n)
    return post + pre


def pair_curve(prep: PreparedSeries, early: int, delay: int) -> PairCurve:
    """Precision, recall, kept points and area of one buffer pair (spec section 7)."""
    from pate._exact import exact_recall

    tp = prep.tp_in + _buffer_true_positives(prep, early, delay)
    return curve_from_counts(
        early, delay, tp, prep.n_predicted, prep.fn,
        lambda t: exact_recall(prep, t, early, delay), _TIE_TOLERANCE,
    )


def curve_from_counts(
    early: int,
    delay: int,
    tp: np.ndarray,
    n_predicted: np.ndarray,
    fn: np.ndarray,
    exact_recall_at: Callable[[int], Fraction],
    tolerance: float,
) -> PairCurve:
    """Host-side end of every engine: precision, recall, the keep walk and the area.

    ``exact_recall_at(t)`` gives the exact recall at threshold ``t``; it is
    called only for comparisons closer than ``tolerance`` (relative).
    """
    from pate._kernels.pate_sweep import keep_walk

    with np.errstate(invalid="ignore", divide="ignore"):
        precision = np.where(n_predicted > 0, tp / np.maximum(n_predicted, 1), 0.0)
        denom = tp + fn
        recall = np.where(denom > 0, tp / np.where(denom > 0, denom, 1.0), 0.0)

    keep = np.zeros(tp.size, dtype=bool)
    start, last = 0, -1
    exact_cache: dict[int, Fraction] = {}
    while True:
        start, last = keep_walk(tp, fn, keep, start, last, tolerance)
        if start >= tp.size:
            break
        for idx in (start, last):
            if idx not in exact_cache:
                exact_cache[idx] = exact_recall_at(idx)
        keep[start] = exact_cache[start] >= exact_cache[last]
        if keep[start]:
            last = start
        start += 1

    area = _kept_area(precision[keep], recall[keep])
    return PairCurve(early, delay, tp, precision, recall, keep, area)


def _kept_area(precision: np.ndarray, recall: np.ndarray) -> float:
    """Trapezoid over (recall 0, precision 1) followed by the kept points."""
    r = np.concatenate(([0.0], recall))
    p = np.concatenate(([1.0], precision))
    return float((np.diff(r) * (p[1:] + p[:-1]) / 2.0).sum())
