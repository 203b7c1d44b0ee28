"""The numba PATE engine: events/zones -> kernel -> curve, for every buffer pair, on the CPU.

Twin of ``pate._engine.xp`` (same ``join`` and ``curves``). Shape of the
computation: thresholds never increase, so each point is summarised by its
*join index*, the first threshold that predicts it. Then, per threshold ``t``:

* ``|P_t|`` (TP + FP, since every predicted point contributes exactly 1 to
  TP + FP) and the in-event TP are cumulative counts of join indices;
* post-buffer TP is a cumulative sum of weights keyed by join index, and
  pre-buffer TP the same keyed by ``max(join, detection of the event)``
  (a pre-buffer point earns credit only once its event is detected);
* FN depends only on which in-event points are predicted, not on the
  buffers, so one sequential sweep (numba) serves every buffer pair.

Sums of weights are compensated (Neumaier), so near-ties go to exact
arithmetic only inside the narrow band ``TIE_TOLERANCE`` (``pate._engine.curve``).
"""

from __future__ import annotations

import numpy as np

from pate._engine.curve import TIE_TOLERANCE, PairCurve, PreparedSeries, curve_from_counts
from pate._engine.exact import exact_recall
from pate._engine.thresholds import thresholds_and_join
from pate._events import buffer_points, in_event_points, label_events, zone_bounds
from pate._kernels.pate_sweep import false_negative_curve, weighted_cumsum

__all__ = ["join", "curves", "prepare_series", "pair_curve"]


def join(
    labels: np.ndarray, scores: np.ndarray, *, n_thresholds: int | None, drop_intermediate: bool
) -> tuple[np.ndarray, np.ndarray]:
    """PATE's thresholds (host) and every point's join index (``pate._engine.thresholds``)."""
    return thresholds_and_join(labels, scores, n_thresholds=n_thresholds, drop_intermediate=drop_intermediate)


def curves(
    labels: np.ndarray, join: np.ndarray, n_thresholds: int, pairs: list[tuple[int, int]]
) -> dict[tuple[int, int], PairCurve]:
    """The curve of every distinct (early, delay) pair of one series."""
    prep = prepare_series(labels, join, n_thresholds)
    return {pair: pair_curve(prep, *pair) for pair in dict.fromkeys(pairs)}


def _cumulative_count(keys: np.ndarray, n: int) -> np.ndarray:
    return np.cumsum(np.bincount(keys, minlength=n + 1)[:n])


def prepare_series(labels: np.ndarray, join: np.ndarray, n_thresholds: int) -> PreparedSeries:
    """Events, detection indices and the buffer-independent curves of one series."""
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
    pre_start, post_end = zone_bounds(prep.starts, prep.ends, prep.n_points, early, delay)
    pre_pos, pre_ev, pre_w, post_pos, _, post_w = buffer_points(prep.starts, prep.ends, pre_start, post_end)
    n = prep.n_thresholds
    post = weighted_cumsum(prep.join[post_pos], post_w, n)
    pre_key = np.maximum(prep.join[pre_pos], prep.detection[pre_ev])
    pre = weighted_cumsum(pre_key, pre_w, n)
    return post + pre


def pair_curve(prep: PreparedSeries, early: int, delay: int) -> PairCurve:
    """Precision, recall, kept points and area of one buffer pair."""
    tp = prep.tp_in + _buffer_true_positives(prep, early, delay)
    return curve_from_counts(
        early,
        delay,
        tp,
        prep.n_predicted,
        prep.fn,
        lambda t: exact_recall(prep, t, early, delay),
        TIE_TOLERANCE,
    )
