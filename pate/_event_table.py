"""The per-event view: which labelled events a detector caught, how early or late, and its other alarms.

:func:`event_table` has one row per labelled event (a maximal run of ones in
``y_true``): whether an alarm fell in the event or its tolerance zones, the
first such alarm and its signed delay. :func:`alarm_table` has one row per run
of alarms outside every event and its zones, with the distance to the
nearest event. The zones are PATE's (``pate._events.zone_bounds``, the ones
``pate.plot.ZonesDisplay`` draws): the event extended ``early_buffer`` samples
before its start and ``delay_buffer`` samples after its end, a post-buffer
winning over the next event's pre-buffer. Read more in the User Guide
(``docs/events.md``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np

from pate._events import label_events, zone_bounds
from pate._time import TimeIndex, buffer_in_samples, check_timestamps
from pate._validation import check_labels, check_predictions, check_scores

if TYPE_CHECKING:  # pandas is imported when a table is made, not with pate
    import pandas as pd  # a table needs pandas; `import pate` does not load it

__all__ = ["event_table", "alarm_table"]


class _Inputs(NamedTuple):
    labels: np.ndarray
    alarms: np.ndarray
    scores: np.ndarray | None
    times: TimeIndex | None
    starts: np.ndarray
    ends: np.ndarray
    zone_start: np.ndarray  # first point of each event's pre-buffer
    zone_end: np.ndarray  # last point of each event's post-buffer


def _inputs(
    y_true: Any, y_pred: Any, y_score: Any, threshold: Any, timestamps: Any, early_buffer: Any, delay_buffer: Any
) -> _Inputs:
    labels = check_labels(y_true)
    n = labels.size
    scores = None if y_score is None else check_scores(y_score)
    if y_pred is not None:
        if threshold is not None:
            raise ValueError("threshold applies to y_score; y_pred is already binary: give one of the two.")
        alarms = check_predictions(y_pred)
    elif scores is not None:
        if threshold is None:
            raise ValueError("give threshold= to turn y_score into alarms (y_score >= threshold), or give y_pred.")
        if isinstance(threshold, (bool, np.bool_)) or not isinstance(threshold, (int, float, np.number)):
            raise TypeError(f"threshold must be a number, got {threshold!r}.")
        if not np.isfinite(threshold):
            raise ValueError(f"threshold must be a finite number, got {threshold!r}.")
        alarms = scores >= threshold
    else:
        raise ValueError("give the alarms: y_pred (0/1), or y_score with threshold=.")
    for arr, name in ((alarms, "y_pred" if y_pred is not None else "y_score"), (scores, "y_score")):
        if arr is not None and arr.size != n:
            raise ValueError(f"y_true and {name} must have the same length, got {n} and {arr.size}.")
    early = buffer_in_samples(early_buffer, "early_buffer", timestamps, n)
    delay = buffer_in_samples(delay_buffer, "delay_buffer", timestamps, n)
    index = None if timestamps is None else check_timestamps(timestamps, n)
    starts, ends = label_events(labels)
    zone_start, zone_end = zone_bounds(starts, ends, n, early, delay)
    return _Inputs(labels, alarms, scores, index, starts, ends, zone_start, zone_end)


def _times(index: TimeIndex, positions: np.ndarray, valid: np.ndarray | None = None) -> Any:
    """The times of ``positions`` as a pandas column (NaT/NaN where not ``valid``)."""
    import pandas as pd  # a table needs pandas; `import pate` does not load it

    values = index.values[np.where(valid, positions, 0) if valid is not None else positions]
    if index.kind == "datetime":
        column = pd.to_datetime(values, unit="ns")
        if index.tz is not None:
            column = column.tz_localize("UTC").tz_convert(index.tz)
        column = pd.Series(column)
        return column.where(pd.Series(valid), pd.NaT) if valid is not None else column
    column = pd.Series(values.astype(np.float64) if valid is not None else values)
    return column.where(pd.Series(valid), np.nan) if valid is not None else column


def _time_differences(index: TimeIndex, later: np.ndarray, earlier: np.ndarray, valid: np.ndarray) -> Any:
    """``time[later] - time[earlier]`` as a pandas column (Timedelta for date-times; NaT/NaN where not valid)."""
    import pandas as pd  # a table needs pandas; `import pate` does not load it

    diff = index.values[np.where(valid, later, 0)] - index.values[np.where(valid, earlier, 0)]
    if index.kind == "datetime":
        column = pd.Series(pd.to_timedelta(diff, unit="ns"))
        return column.where(pd.Series(valid), pd.NaT)
    return pd.Series(diff.astype(np.float64)).where(pd.Series(valid), np.nan)


def _segment_max(values: np.ndarray, first: np.ndarray, last: np.ndarray) -> np.ndarray:
    """``values[first[k]:last[k] + 1].max()`` for each k (every segment non-empty)."""
    if first.size == 0:
        return np.empty(0)
    order = np.argsort(first, kind="stable")
    # reduceat over sorted, non-overlapping segments: start and one-past-end indices interleaved
    bounds = np.empty(2 * first.size, dtype=np.int64)
    bounds[0::2], bounds[1::2] = first[order], last[order] + 1
    tail = bounds[-1] == values.size
    padded = np.concatenate((values, [values[-1]])) if tail else values
    out = np.empty(first.size)
    out[order] = np.maximum.reduceat(padded, bounds)[0::2]
    return out


def event_table(
    y_true: Any,
    y_pred: Any = None,
    *,
    y_score: Any = None,
    threshold: float | None = None,
    timestamps: Any = None,
    early_buffer: Any = 0,
    delay_buffer: Any = 0,
) -> pd.DataFrame:
    """One row per labelled event: detected or missed, the first alarm, the delay, the alarms.

    An event is a maximal run of ones in ``y_true``. Its tolerated zone is
    the event with PATE's buffer zones around it: up to ``early_buffer``
    samples before its start and ``delay_buffer`` after its end (a post-buffer
    wins over the next event's pre-buffer; the zones ``pate.plot.ZonesDisplay``
    draws). The event is *detected* when an alarm lies in that zone. Read
    more in the User Guide (``docs/events.md``).

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Labels, 0/1 or bool.
    y_pred : array-like of shape (n_samples,), optional
        Alarms, 0/1 or bool.
    y_score : array-like of shape (n_samples,), optional
        Anomaly scores: the alarms are ``y_score >= threshold`` when
        ``y_pred`` is not given; with scores the table has ``max_score``.
    threshold : float, optional
        Turns ``y_score`` into alarms (required with ``y_score`` alone).
    timestamps : array-like of shape (n_samples,), optional
        The time of each sample (date-times or numbers): the table then also
        has the times of each row. Looked up per row: they need to be sorted
        only when a buffer is a time span.
    early_buffer, delay_buffer : int or time span, default=0
        The tolerance before the start and after the end of each event, in
        samples, or as a time span (``"30min"``) with regularly sampled
        date-time ``timestamps`` (``floor(span / step)`` samples, as for
        :func:`pate.pate_score`).

    Returns
    -------
    pandas.DataFrame
        One row per event, in time order, with the columns

        * ``event``: its number, from 0;
        * ``start``, ``end``, ``length``: first and last row (inclusive) and
          number of rows;
        * ``detected``: whether an alarm lies in the tolerated zone;
        * ``first_alarm``: the row of the first such alarm (``<NA>`` if none);
        * ``delay``: ``first_alarm - start`` in samples, negative for an
          alarm in the early buffer, larger than ``length - 1`` for one in
          the delay buffer (``<NA>`` if none);
        * ``alarms``: the number of alarm points in the zone;
        * ``max_score`` (with ``y_score``): the largest score in the zone;
        * with ``timestamps``: ``start_time``, ``end_time``,
          ``first_alarm_time`` and ``delay_time`` (a ``Timedelta`` for
          date-times).

    Raises
    ------
    ValueError
        Missing alarms (neither ``y_pred`` nor ``y_score`` with
        ``threshold``), inputs of different lengths, or a time-span buffer
        without regularly sampled, strictly increasing timestamps (the
        message names the first bad row or gap).

    See Also
    --------
    alarm_table : the alarms outside every event.
    pate.metrics.rpa_precision_recall_fscore : Merlion's event metrics.

    Notes
    -----
    With ``delay_buffer=0``, ``detected`` is Merlion's detection
    (``accumulate_tsad_score`` with ``max_early`` = ``early_buffer`` and no
    ``max_delay``): the tests check that the counts agree. PATE's own
    credit rule differs: an alarm in the early buffer earns credit only once
    an alarm falls inside the event (docs/pate.md).

    Examples
    --------
    >>> import pate
    >>> y_true = [0, 0, 1, 1, 1, 0, 0, 0, 1, 1, 0, 0]
    >>> y_pred = [0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]
    >>> pate.event_table(y_true, y_pred, early_buffer=1, delay_buffer=1)
       event  start  end  length  detected  first_alarm  delay  alarms
    0      0      2    4       3      True            1     -1       1
    1      1      8    9       2     False         <NA>   <NA>       0
    >>> import pandas as pd
    >>> times = pd.date_range("2024-01-01", periods=12, freq="5min")
    >>> table = pate.event_table(y_true, y_pred, timestamps=times, early_buffer="5min")
    >>> table[["event", "first_alarm_time", "delay_time"]]
       event    first_alarm_time      delay_time
    0      0 2024-01-01 00:05:00 -1 days +23:55:00
    1      1                 NaT             NaT
    """
    import pandas as pd  # a table needs pandas; `import pate` does not load it

    x = _inputs(y_true, y_pred, y_score, threshold, timestamps, early_buffer, delay_buffer)
    n_events = x.starts.size
    csum = np.concatenate(([0], np.cumsum(x.alarms, dtype=np.int64)))
    count = csum[x.zone_end + 1] - csum[x.zone_start]
    positions = np.flatnonzero(x.alarms)
    if positions.size and n_events:
        first = positions[np.minimum(np.searchsorted(positions, x.zone_start), positions.size - 1)]
    else:
        first = np.zeros(n_events, dtype=np.int64)
    detected = count > 0
    table = pd.DataFrame(
        {
            "event": np.arange(n_events, dtype=np.int64),
            "start": x.starts,
            "end": x.ends,
            "length": x.ends - x.starts + 1,
            "detected": detected,
            "first_alarm": pd.arrays.IntegerArray(np.where(detected, first, 0).astype(np.int64), ~detected),
            "delay": pd.arrays.IntegerArray(np.where(detected, first - x.starts, 0).astype(np.int64), ~detected),
            "alarms": count,
        }
    )
    if x.scores is not None:
        table["max_score"] = _segment_max(x.scores, x.zone_start, x.zone_end)
    if x.times is not None:
        table["start_time"] = _times(x.times, x.starts)
        table["end_time"] = _times(x.times, x.ends)
        table["first_alarm_time"] = _times(x.times, first, detected)
        table["delay_time"] = _time_differences(x.times, first, x.starts, detected)
    return table


def alarm_table(
    y_true: Any,
    y_pred: Any = None,
    *,
    y_score: Any = None,
    threshold: float | None = None,
    timestamps: Any = None,
    early_buffer: Any = 0,
    delay_buffer: Any = 0,
) -> pd.DataFrame:
    """One row per run of alarms outside every event and its tolerated zone, with the nearest event.

    The false alarms of :func:`event_table`: maximal runs of consecutive
    alarm points that lie outside every event's zone (the event with its
    ``early_buffer`` and ``delay_buffer``; a run that enters a zone is cut
    at its border). Read more in the User Guide (``docs/events.md``).

    Parameters
    ----------
    y_true, y_pred, y_score, threshold, timestamps, early_buffer, delay_buffer
        As in :func:`event_table`.

    Returns
    -------
    pandas.DataFrame
        One row per run, in time order, with the columns

        * ``alarm``: its number, from 0;
        * ``start``, ``end``, ``length``: first and last row (inclusive) and
          number of rows;
        * ``nearest_event``: the event (numbered as in :func:`event_table`)
          closest to the run, the earlier one on a tie (``<NA>`` without
          events);
        * ``distance``: signed samples from that event to the run:
          ``end - event start`` (negative) for a run before the event,
          ``start - event end`` (positive) for a run after it;
        * ``max_score`` (with ``y_score``): the largest score in the run;
        * with ``timestamps``: ``start_time``, ``end_time`` and
          ``distance_time``, the same difference in time.

    See Also
    --------
    event_table : the events, detected or missed.

    Examples
    --------
    >>> import pate
    >>> y_true = [0, 0, 1, 1, 1, 0, 0, 0, 1, 1, 0, 0]
    >>> y_pred = [1, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]
    >>> pate.alarm_table(y_true, y_pred, early_buffer=1)
       alarm  start  end  length  nearest_event  distance
    0      0      0    0       1              0        -2
    1      1      6    6       1              0         2
    2      2     11   11       1              1         2
    """
    import pandas as pd  # a table needs pandas; `import pate` does not load it

    x = _inputs(y_true, y_pred, y_score, threshold, timestamps, early_buffer, delay_buffer)
    n = x.labels.size
    covered = np.zeros(n + 1, dtype=np.int64)
    np.add.at(covered, x.zone_start, 1)
    np.add.at(covered, x.zone_end + 1, -1)
    outside = np.cumsum(covered[:-1]) == 0
    run_start, run_end = label_events(x.alarms & outside)
    n_runs = run_start.size
    n_events = x.starts.size
    if n_events:
        # the events just before and just after each run (runs lie outside every event)
        after = np.searchsorted(x.starts, run_start, side="right")  # first event starting after the run
        before = after - 1
        has_before, has_after = before >= 0, after < n_events
        d_before = run_start - x.ends[np.maximum(before, 0)]  # > 0: the run comes after that event
        d_after = run_end - x.starts[np.minimum(after, n_events - 1)]  # < 0: the run comes before it
        use_before = has_before & (~has_after | (d_before <= -d_after))  # ties go to the earlier event
        nearest = np.where(use_before, before, after)
        distance = np.where(use_before, d_before, d_after)
        event_edge = np.where(use_before, x.ends[np.maximum(before, 0)], x.starts[np.minimum(after, n_events - 1)])
        run_edge = np.where(use_before, run_start, run_end)
        has_event = np.ones(n_runs, dtype=bool)
    else:
        nearest = distance = event_edge = run_edge = np.zeros(n_runs, dtype=np.int64)
        has_event = np.zeros(n_runs, dtype=bool)
    table = pd.DataFrame(
        {
            "alarm": np.arange(n_runs, dtype=np.int64),
            "start": run_start,
            "end": run_end,
            "length": run_end - run_start + 1,
            "nearest_event": pd.arrays.IntegerArray(nearest.astype(np.int64), ~has_event),
            "distance": pd.arrays.IntegerArray(distance.astype(np.int64), ~has_event),
        }
    )
    if x.scores is not None:
        table["max_score"] = _segment_max(x.scores, run_start, run_end)
    if x.times is not None:
        table["start_time"] = _times(x.times, run_start)
        table["end_time"] = _times(x.times, run_end)
        table["distance_time"] = _time_differences(x.times, run_edge, event_edge, has_event)
    return table
