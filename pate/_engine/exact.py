"""Exact rational recall of one predicted set, to settle near-ties of the keep walk.

Used only when two float recalls are too close to compare safely, which in
practice means an exact tie. Integer sums per event are vectorised; the
rational arithmetic is one ``Fraction`` per event.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from pate._engine.curve import PreparedSeries
from pate._events import buffer_points, zone_bounds

__all__ = ["exact_recall"]


def _per_event_sums(values: np.ndarray, owner: np.ndarray, n_events: int) -> tuple[np.ndarray, np.ndarray]:
    counts = np.bincount(owner, minlength=n_events).astype(object)
    sums = np.zeros(n_events, dtype=object)
    # object dtype keeps Python ints: index sums can exceed int64 for huge series
    np.add.at(sums, owner, values.astype(object))
    return counts, sums


def exact_recall(prep: PreparedSeries, t: int, early: int, delay: int) -> Fraction:
    """Recall of the set predicted at threshold index ``t``, as an exact fraction."""
    starts, ends = prep.starts, prep.ends
    n_events = starts.size
    if n_events == 0:
        return Fraction(0)
    lengths = ends - starts + 1

    # --- true positives: in-event count plus buffer weights, each weight 1 - d/m
    # (pate._events.buffer_points) summed per event in closed form
    tp = Fraction(int(np.count_nonzero(prep.in_join <= t)))
    pre_start, post_end = zone_bounds(starts, ends, prep.n_points, early, delay)
    pre_pos, pre_ev, _, post_pos, post_ev, _ = buffer_points(starts, ends, pre_start, post_end)
    on = prep.join[post_pos] <= t
    counts, sums = _per_event_sums(post_pos[on], post_ev[on], n_events)
    for k in np.flatnonzero(counts > 0).tolist():
        pe, twice_c = int(post_end[k]), int(starts[k] + ends[k])
        tp += Fraction(2 * counts[k] * pe - 2 * sums[k], 2 * pe - twice_c)
    on = (prep.join[pre_pos] <= t) & (prep.detection[pre_ev] <= t)
    counts, sums = _per_event_sums(pre_pos[on], pre_ev[on], n_events)
    for k in np.flatnonzero(counts > 0).tolist():
        ps, twice_c = int(pre_start[k]), int(starts[k] + ends[k])
        tp += Fraction(2 * sums[k] - 2 * counts[k] * ps, twice_c - 2 * ps)

    # --- false negatives, per event from the covered offsets (the closed form of
    # the FN kernel, pate._kernels.pate_sweep.false_negative_curve)
    covered = prep.in_join <= t
    offsets = np.arange(prep.in_join.size) - prep.event_offset[prep.in_event]
    fn = Fraction(0)
    cov_idx = np.flatnonzero(covered)
    cov_count, cov_sum = _per_event_sums(offsets[cov_idx], prep.in_event[cov_idx], n_events)
    # slots of uncovered points plus one sentinel past each event's end
    uncovered = np.sort(np.concatenate((np.flatnonzero(~covered), prep.event_offset + lengths)))
    for k in range(n_events):
        length = int(lengths[k])
        cnt = int(cov_count[k])
        if cnt == 0:
            fn += length
            continue
        first_slot = int(cov_idx[np.searchsorted(cov_idx, prep.event_offset[k])])
        first = first_slot - int(prep.event_offset[k])
        run = int(uncovered[np.searchsorted(uncovered, first_slot)]) - first_slot
        missed = length - cnt
        if run >= length - 1:
            fn += missed
            continue
        hi = min(run, first + run - 1)
        low, low_sum = (hi - first + 1, (first + hi) * (hi - first + 1) // 2) if hi >= first else (0, 0)
        beyond = (length - 1 - run) - (cnt - low)
        beyond_sum = (run + length) * (length - 1 - run) // 2 - (int(cov_sum[k]) - low_sum)
        fn += missed - Fraction((run + 1) * (2 * beyond_sum - beyond * run), length * (length - 1))
    if tp + fn == 0:
        return Fraction(0)
    return tp / (tp + fn)
