"""Slow, literal oracles for the per-event view and the time-based metrics.

Plain Python loops over plain lists, no vectorisation and nothing from the
``pate`` package, each written from the definition it checks:

* :func:`naive_labels` - an interval ``[start, end]`` labels every time ``t``
  with ``start <= t <= end`` (NAB's windows, both ends included).
* :func:`naive_merlion` - Merlion 2.0.4's revised point-adjusted counts and
  detection delays (``merlion.evaluate.anomaly.accumulate_tsad_score``): the
  series cut into segments of equal labels, a time window per segment (the
  rules in ``pate/metrics/_rpa.py``'s docstring), each window holding the
  samples whose times lie in it or else the first sample at or after its
  start. The window rules are restated here from Merlion's behaviour, and
  the oracle is itself checked against Merlion's recorded values.
* :func:`naive_event_rows` and :func:`naive_alarm_rows` - the event and
  alarm tables from PATE's zones (``naive.pate.naive_zones``), one event and
  one point at a time.

One calling convention, as the other oracles: ``y_true, y_pred`` (or
``timestamps, intervals``, as ``pate.labels_from_intervals``), then keyword
options named as in the function they check.
"""

from __future__ import annotations

from naive.pate import naive_events, naive_zones


def naive_labels(timestamps, intervals) -> list[int]:
    """1 where some interval holds the time, both ends included."""
    return [int(any(s <= t <= e for s, e in intervals)) for t in timestamps]


def naive_merlion(y_true, y_pred, *, timestamps, max_early=None, max_delay=None, pad=1):
    """``(tp_events, fn_events, fp_points, delays)`` of Merlion's accumulate_tsad_score.

    ``max_early``/``max_delay`` in the unit of ``timestamps`` or None (0 means
    None); ``pad`` is what Merlion adds to the last time to end the last
    segment (one second).
    """
    labels, alarms, times, early, delay = y_true, y_pred, timestamps, max_early, max_delay
    n = len(labels)
    segments = []  # (first index, is anomalous)
    for i in range(n):
        if i == 0 or labels[i] != labels[i - 1]:
            segments.append((i, bool(labels[i])))
    early = early if early else None
    delay = delay if delay else None
    tp = fn = fp = 0
    delays = []
    for k, (first, anomalous) in enumerate(segments):
        t = times[first]
        last = k == len(segments) - 1
        t_next = times[-1] + pad if last else times[segments[k + 1][0]]
        t_prev = times[0] if k == 0 else times[segments[k - 1][0]]
        if anomalous:
            start = t if early is None else max(t_prev, t - early)
            stop = t_next if (delay is None or last) else min(t_next, t + delay)
        else:
            start = t if delay is None else min(t, t_prev + delay)
            stop = t_next if early is None else max(t, t_next - early)
        window = [j for j in range(n) if start <= times[j] < stop]
        if not window:
            after = [j for j in range(n) if times[j] >= start]
            window = after[:1]
        hits = [j for j in window if alarms[j]]
        if anomalous:
            if hits:
                tp += 1
                delays.append(times[hits[0]] - t)
            else:
                fn += 1
        else:
            fp += len(hits)
    return tp, fn, fp, delays


def naive_event_rows(y_true, y_pred, *, early_buffer=0, delay_buffer=0, y_score=None) -> list[dict]:
    """One dict per event: the columns of ``pate.event_table`` (without times)."""
    labels, alarms, early, delay, scores = y_true, y_pred, early_buffer, delay_buffer, y_score
    rows = []
    events = naive_events(labels)
    for k, zone in enumerate(naive_zones(events, len(labels), early, delay)):
        s, e = zone["s"], zone["e"]
        points = range(zone["pre_start"], zone["post_end"] + 1)
        hits = [x for x in points if alarms[x]]
        row = dict(
            event=k,
            start=s,
            end=e,
            length=e - s + 1,
            detected=bool(hits),
            first_alarm=hits[0] if hits else None,
            delay=hits[0] - s if hits else None,
            alarms=len(hits),
        )
        if scores is not None:
            row["max_score"] = max(scores[x] for x in points)
        rows.append(row)
    return rows


def naive_alarm_rows(y_true, y_pred, *, early_buffer=0, delay_buffer=0, y_score=None) -> list[dict]:
    """One dict per run of alarms outside every event's zone: the columns of ``pate.alarm_table``."""
    labels, alarms, early, delay, scores = y_true, y_pred, early_buffer, delay_buffer, y_score
    n = len(labels)
    events = naive_events(labels)
    inside = [False] * n
    for zone in naive_zones(events, n, early, delay):
        for x in range(zone["pre_start"], zone["post_end"] + 1):
            inside[x] = True
    runs = naive_events([int(alarms[x] and not inside[x]) for x in range(n)])
    rows = []
    for i, (a, b) in enumerate(runs):
        best = None
        for k, (s, e) in enumerate(events):
            d = b - s if b < s else a - e
            if best is None or abs(d) < abs(best[1]):  # strictly closer: ties keep the earlier event
                best = (k, d)
        row = dict(
            alarm=i,
            start=a,
            end=b,
            length=b - a + 1,
            nearest_event=None if best is None else best[0],
            distance=None if best is None else best[1],
        )
        if scores is not None:
            row["max_score"] = max(scores[x] for x in range(a, b + 1))
        rows.append(row)
    return rows
