"""Merlion's event metrics: revised point-adjusted precision, recall, F1 and mean time to detect.

The definitions of salesforce-merlion 2.0.4 (``merlion.evaluate.anomaly``,
Bhatnagar et al., "Merlion: A Machine Learning Library for Time Series",
2021), reproduced exactly, window quirks included. They work in time, not in
samples: the series is cut into alternating normal and anomalous segments
(maximal runs of equal labels), and each segment gets a window of times:

* an anomalous segment (an *event*) starting at ``t`` and followed by the
  next segment at ``t_next``: ``[max(t_prev, t - max_early), min(t_next, t + max_delay))``
  where ``t_prev`` is the start of the previous (normal) segment; without
  ``max_delay``, and for an event that reaches the series' end, the window
  ends at ``t_next``;
* a normal segment starting at ``t``: ``[min(t, t_prev + max_delay), max(t, t_next - max_early))``
  (the tolerance zones of its neighbouring events are taken out of it).

``t_next`` of the last segment is its last time plus one second (one unit of
a numeric index). A window holds the samples whose times lie in it, and at
least the first sample at or after its start. An event is *detected* when an
alarm lies in its window; every alarm in a normal window is a false positive.
``precision = detected / (detected + false-positive points)``,
``recall = detected / events``; the time to detect an event is the time of
the first alarm in its window minus the event's start (negative for an early
alarm). Read more in the User Guide (``docs/events.md``).

No loop over samples is needed: the windows are found with one
``searchsorted`` over the times, and the alarms in each with a cumulative sum.
"""

from __future__ import annotations

import math
from typing import Any, Callable, NamedTuple, TypeVar

import numpy as np

from pate._time import check_increasing, check_timestamps, span_in_units
from pate._validation import check_targets
from pate._warnings import warn_undefined
from pate.metrics._results import PrecisionRecallFScore
from pate.metrics._undefined import Undefined, undefined_policy

__all__ = ["rpa_precision_recall_fscore", "mean_time_to_detect", "merlion_windows", "MerlionWindows"]


class MerlionWindows(NamedTuple):
    """Merlion's segment windows of one series (see the module docstring)."""

    anomalous: np.ndarray  # bool, per segment
    start_time: np.ndarray  # the segment's first time
    first: np.ndarray  # int64: first sample of the window
    stop: np.ndarray  # int64: one past its last sample
    alarms: np.ndarray  # int64: alarms in the window
    first_alarm: np.ndarray  # int64: first alarm of the window, -1 without one


def merlion_windows(
    labels: np.ndarray, alarms: np.ndarray, times: np.ndarray, early: Any, delay: Any, pad: Any
) -> MerlionWindows:
    """The windows of every segment and the alarms they hold.

    ``times`` strictly increasing; ``early``/``delay`` in the unit of
    ``times`` or None; ``pad`` one second in that unit (Merlion's end of the
    last segment).
    """
    n = labels.size
    change = np.flatnonzero(labels[1:] != labels[:-1]) + 1
    seg = np.concatenate(([0], change)).astype(np.int64)
    t = times[seg]
    t_next = np.concatenate((times[change], [times[-1] + pad]))
    t_prev = np.concatenate((times[:1], t[:-1]))
    anomalous = labels[seg]
    is_last = np.zeros(seg.size, dtype=bool)
    is_last[-1] = True
    t0, tf = t, t_next
    # Merlion applies a tolerance only when it is > 0: None and 0 are the same.
    if early is not None and early > 0:
        t0 = np.where(anomalous, np.maximum(t_prev, t - early), t0)
        tf = np.where(anomalous, tf, np.maximum(t, t_next - early))
    if delay is not None and delay > 0:
        t0 = np.where(anomalous, t0, np.minimum(t, t_prev + delay))
        tf = np.where(anomalous & ~is_last, np.minimum(t_next, t + delay), tf)
    first = np.searchsorted(times, t0, side="left").astype(np.int64)
    stop = np.minimum(np.maximum(np.searchsorted(times, tf, side="left"), first + 1), n).astype(np.int64)
    first = np.minimum(first, n)
    csum = np.concatenate(([0], np.cumsum(alarms, dtype=np.int64)))
    count = csum[stop] - csum[first]
    positions = np.flatnonzero(alarms)
    if positions.size:
        k = np.minimum(np.searchsorted(positions, first, side="left"), positions.size - 1)
        first_alarm = np.where(count > 0, positions[k], -1).astype(np.int64)
    else:
        first_alarm = np.full(seg.size, -1, dtype=np.int64)
    return MerlionWindows(anomalous, t, first, stop, count, first_alarm)


class _Prepared(NamedTuple):
    windows: MerlionWindows
    times: np.ndarray
    kind: str  # "samples", "datetime" or "numeric"


def _prepare(y_true: Any, y_pred: Any, timestamps: Any, max_early: Any, max_delay: Any) -> _Prepared:
    labels, alarms = check_targets(y_true, y_pred, kind="binary")
    if timestamps is None:
        index = None
        times = np.arange(labels.size, dtype=np.int64)
        kind, pad = "samples", 1
    else:
        index = check_timestamps(timestamps, labels.size)
        check_increasing(index, "Merlion's event metrics (their windows are time intervals)")
        times = index.values
        kind, pad = index.kind, (10**9 if index.kind == "datetime" else 1)
    early = span_in_units(max_early, "max_early", index)
    delay = span_in_units(max_delay, "max_delay", index)
    return _Prepared(merlion_windows(labels, alarms, times, early, delay, pad), times, kind)


_PARAMETERS = """    y_true : array-like of shape (n_samples,)
        Labels, 0/1 or bool; runs of ones are the events.
    y_pred : array-like of shape (n_samples,)
        Alarms, 0/1 or bool.
    timestamps : array-like of shape (n_samples,), optional
        The time of each sample, strictly increasing: date-times (any form
        numpy or pandas reads) or numbers. Without it, sample ``i`` is at time
        ``i`` and tolerances are numbers of samples.
    max_early : time span, number or None, default=None
        How long before an event's start an alarm still detects it. A time
        span (``"30min"``, ``numpy.timedelta64``, ``pandas.Timedelta``) with
        date-time ``timestamps``; a number in the timestamps' unit with
        numeric ones; a number of samples without ``timestamps``. None and 0
        allow no early alarm.
    max_delay : time span, number or None, default=None
        How long after an event's start an alarm still detects it (the window
        is cut there, but never extended past the event's end). None, and 0
        as in Merlion 2.0.4, do not cut; an event that reaches the series'
        end is never cut (Merlion's rule).
    undefined : {"warn", "nan"} or float, default="warn"
        The value where the metric is undefined (docs/undefined.md lists the
        cases): "warn" gives the documented value with an
        ``UndefinedMetricWarning``; "nan" gives nan and a number gives that
        number, both without a warning.
"""


F = TypeVar("F", bound=Callable[..., Any])


def _doc(func: F) -> F:
    """Put the shared parameters into the docstring (both functions take the same options)."""
    func.__doc__ = (func.__doc__ or "").replace("    {parameters}\n", _PARAMETERS)
    return func


@undefined_policy
@_doc
def rpa_precision_recall_fscore(
    y_true: Any,
    y_pred: Any,
    *,
    timestamps: Any = None,
    max_early: Any = None,
    max_delay: Any = None,
    undefined: Undefined = "warn",
) -> PrecisionRecallFScore:
    """Merlion's revised point-adjusted precision, recall and F1 (``accumulate_tsad_score``).

    Each event counts once: it is detected when an alarm falls in its window
    (the event, extended ``max_early`` before its start and cut
    ``max_delay`` after its start); every alarm point outside the events'
    windows and tolerance zones is a false positive. ``precision = detected /
    (detected + false-positive points)``, ``recall = detected / events``,
    ``F1 = 2 P R / (P + R)``. Equal to salesforce-merlion 2.0.4 (tested
    against its values, regular and irregular times, every combination of
    tolerances). Read more in the User Guide (``docs/events.md``).

    Parameters
    ----------
    {parameters}

    Returns
    -------
    PrecisionRecallFScore
        0.0 where a denominator is 0, with ``UndefinedMetricWarning`` (no
        event: recall; no detected event and no false alarm: precision), as
        Merlion returns 0 there.

    Raises
    ------
    ValueError
        Unsorted or repeated timestamps (the message names the first bad
        row), or a time span without ``timestamps``.

    See Also
    --------
    mean_time_to_detect : how late the detected events were found.
    pate.event_table : one row per event (detected, first alarm, delay).

    Examples
    --------
    >>> from pate.metrics import rpa_precision_recall_fscore
    >>> y_true = [0, 0, 1, 1, 0, 0, 0, 1, 0, 0]
    >>> y_pred = [0, 1, 0, 0, 0, 1, 0, 0, 1, 0]
    >>> rpa_precision_recall_fscore(y_true, y_pred)
    PrecisionRecallFScore(precision=0.0, recall=0.0, fscore=0.0)
    >>> rpa_precision_recall_fscore(y_true, y_pred, max_early=1)
    PrecisionRecallFScore(precision=0.3333333333333333, recall=0.5, fscore=0.4)
    >>> import pandas as pd
    >>> times = pd.date_range("2024-01-01", periods=10, freq="1min")
    >>> rpa_precision_recall_fscore(y_true, y_pred, timestamps=times, max_early="1min").recall
    0.5
    """
    prepared = _prepare(y_true, y_pred, timestamps, max_early, max_delay)
    w = prepared.windows
    events = int(np.count_nonzero(w.anomalous))
    tp = int(np.count_nonzero(w.anomalous & (w.alarms > 0)))
    fp = int(w.alarms[~w.anomalous].sum())
    if tp + fp == 0:
        warn_undefined(
            "revised point-adjusted precision is 0/0 (no event detected and no false alarm); set to 0.0.",
            fields=("precision",) if events else ("precision", "fscore"),
        )
    if events == 0:
        warn_undefined(
            "revised point-adjusted recall is 0/0 (y_true has no event); set to 0.0.",
            fields=("recall",) if tp + fp else ("recall", "fscore"),
        )
    # Merlion's arithmetic, so that the values agree to the last bit
    precision = 0.0 if tp + fp == 0 else tp / (tp + fp)
    recall = 0.0 if events == 0 else tp / events
    fscore = 0.0 if precision == 0 or recall == 0 else 2 * precision * recall / (precision + recall)
    return PrecisionRecallFScore(precision, recall, fscore)


@undefined_policy
@_doc
def mean_time_to_detect(
    y_true: Any,
    y_pred: Any,
    *,
    timestamps: Any = None,
    max_early: Any = None,
    max_delay: Any = None,
    undefined: Undefined = "warn",
) -> float:
    """Mean time to detect: mean over detected events of (first alarm in its window - event start).

    The windows are those of :func:`rpa_precision_recall_fscore` (Merlion's
    ``mean_time_to_detect``); an alarm in the early tolerance gives a
    negative time. Read more in the User Guide (``docs/events.md``).

    Parameters
    ----------
    {parameters}

    Returns
    -------
    float
        Seconds with date-time ``timestamps``, the timestamps' unit with
        numeric ones, samples without. Merlion truncates the mean to whole
        seconds (a ``pandas.Timedelta``); this is the mean itself, and
        ``int()`` of it is Merlion's number of seconds. nan with
        ``UndefinedMetricWarning`` when no event is detected (Merlion gives 0
        seconds there, the same as detecting every event on time).

    See Also
    --------
    rpa_precision_recall_fscore : the same windows, counted.
    pate.event_table : the delay of each event.

    Examples
    --------
    >>> import pandas as pd
    >>> from pate.metrics import mean_time_to_detect
    >>> times = pd.date_range("2024-01-01", periods=10, freq="1min")
    >>> y_true = [0, 0, 1, 1, 0, 0, 0, 1, 1, 1]
    >>> y_pred = [0, 1, 0, 0, 0, 0, 0, 0, 0, 1]
    >>> mean_time_to_detect(y_true, y_pred, timestamps=times, max_early="1min")
    30.0
    >>> mean_time_to_detect(y_true, y_pred)  # without timestamps: in samples
    2.0
    """
    prepared = _prepare(y_true, y_pred, timestamps, max_early, max_delay)
    w = prepared.windows
    hit = w.anomalous & (w.alarms > 0)
    if not hit.any():
        warn_undefined(
            "mean time to detect is undefined: no event is detected; returning nan (a time has no neutral value: "
            "0 would be an instant detection).",
            value=math.nan,
        )
        return float("nan")
    delays = prepared.times[w.first_alarm[hit]] - w.start_time[hit]
    if prepared.kind == "datetime":
        return float(np.mean(delays / 10**9))
    return float(np.mean(delays))
