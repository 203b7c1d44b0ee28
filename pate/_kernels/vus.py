"""numba kernels for Range-AUC and VUS (docs/spec/baseline-metrics.md, sections 10 and 11).

One kernel evaluates the soft-label ROC and PR areas of a list of windows.
The thresholds of the rank grid are fixed for all windows, so every point is
summarised once by its *join index* (the first threshold that predicts it);
a window then only has to visit the points near an event border (the buffer
points, whose soft label depends on the window), drop their weights into one
bin per join index and sweep the thresholds with running sums.

Cost per window: O(events * window + thresholds), independent of the series
length, instead of O(series length * thresholds).
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit


@njit(cache=True)
def soft_label_areas(
    starts,
    ends,
    is_event,
    join,
    event_min_join,
    predicted_count,
    event_hits,
    windows,
    short_post_buffer,
    merge_touching,
    constant_positive_mass,
    step_pr,
):
    """ROC and PR areas of the soft-label curves, one pair per window.

    Parameters (all plain arrays or scalars)
    ----------------------------------------
    starts, ends : int64 arrays
        Inclusive bounds of the label events, sorted, at least one event.
    is_event : bool array of length T
        Labelled points.
    join : int64 array of length T
        Index of the first threshold predicting each point (all < n_thr);
        read only at the events and their buffers.
    event_min_join : int64 array
        Smallest join index inside each event.
    predicted_count, event_hits : float64 arrays of length n_thr
        Number of predicted points, and of predicted labelled points, at
        each threshold.
    windows : int64 array
        Windows to evaluate.
    short_post_buffer : bool
        The VLDB'22 buffer: the post buffer stops one point earlier.
    merge_touching : bool
        Existence counted over the maximal runs of positive soft labels
        (adjacent buffers form one run); otherwise over the event zones
        merged only when they overlap (vus 0.0.6 VUS).
    constant_positive_mass : bool
        ``P' = (P + sum of soft labels) / 2`` for every threshold (Range-AUC,
        legacy VUS); otherwise only the predicted buffer weight counts,
        ``P'_j = P + X_j / 2`` (vus 0.0.6 VUS).
    step_pr : bool
        PR area as the step sum ``sum dTPR * Prec`` (vus 0.0.6 VUS) instead
        of the trapezoid.

    Returns
    -------
    roc, pr : float64 arrays of the windows' areas.
    """
    n_points = is_event.size
    n_thr = predicted_count.size
    n_events = starts.size
    n_labelled = 0.0
    for k in range(n_events):
        n_labelled += ends[k] - starts[k] + 1

    soft = np.zeros(n_points)  # summed buffer weights, reset after each window
    visited = np.zeros(n_points, dtype=np.int64)  # window stamp of the last visit
    buffer_mass = np.zeros(n_thr)  # soft weight of buffer points joining at threshold j
    first_hits = np.zeros(n_thr)  # segments whose first predicted point joins at j
    zone_lo = np.empty(n_events, dtype=np.int64)
    zone_hi = np.empty(n_events, dtype=np.int64)
    zone_min_join = np.empty(n_events, dtype=np.int64)
    roc = np.empty(windows.size)
    pr = np.empty(windows.size)

    for wi in range(windows.size):
        w = windows[wi]
        half = w // 2
        post_len = half
        if short_post_buffer and half > 0:
            post_len = half - 1

        # 1. Buffer weights, added event by event, post buffer before pre
        #    buffer: overlapping buffers add in the references' order, which
        #    fixes the last bit of the sum before the clip at 1.
        for k in range(n_events):
            a = starts[k]
            b = ends[k]
            hi = min(b + post_len, n_points - 1)
            lo = max(a - half, 0)
            zone_lo[k] = lo
            zone_hi[k] = hi
            for x in range(b + 1, hi + 1):
                soft[x] += math.sqrt(1.0 - (x - b) / w)
            for x in range(lo, a):
                soft[x] += math.sqrt(1.0 - (a - x) / w)

        # 2. Collect each buffer point once: its clipped weight goes to the
        #    bin of its join index; the zone remembers its earliest join.
        for j in range(n_thr):
            buffer_mass[j] = 0.0
            first_hits[j] = 0.0
        total_buffer = 0.0
        stamp = wi + 1
        for k in range(n_events):
            earliest = event_min_join[k]
            for x in range(zone_lo[k], zone_hi[k] + 1):
                if is_event[x]:
                    continue
                if join[x] < earliest:
                    earliest = join[x]
                if visited[x] == stamp:
                    continue
                visited[x] = stamp
                weight = min(soft[x], 1.0)
                soft[x] = 0.0
                buffer_mass[join[x]] += weight
                total_buffer += weight
            zone_min_join[k] = earliest

        # 3. Segments for the existence reward: merge consecutive zones.
        n_segments = 0
        seg_min = zone_min_join[0]
        seg_hi = zone_hi[0]
        for k in range(1, n_events):
            if merge_touching:
                joined = zone_lo[k] <= seg_hi + 1
            else:
                joined = zone_lo[k] <= seg_hi
            if joined:
                if zone_min_join[k] < seg_min:
                    seg_min = zone_min_join[k]
            else:
                first_hits[seg_min] += 1.0
                n_segments += 1
                seg_min = zone_min_join[k]
            seg_hi = zone_hi[k]
        first_hits[seg_min] += 1.0
        n_segments += 1

        # 4. Threshold sweep with running sums; curve from (0, 0) to (1, 1).
        soft_total = n_labelled + total_buffer
        positive_mass = (n_labelled + soft_total) / 2.0
        buffer_hit = 0.0
        segments_hit = 0.0
        tpr_prev = 0.0
        fpr_prev = 0.0
        prec_prev = 1.0
        roc_area = 0.0
        pr_area = 0.0
        for j in range(n_thr):
            buffer_hit += buffer_mass[j]
            segments_hit += first_hits[j]
            tp = event_hits[j] + buffer_hit
            if not constant_positive_mass:
                positive_mass = (n_labelled + (n_labelled + buffer_hit)) / 2.0
            recall = min(tp / positive_mass, 1.0)
            tpr = recall * (segments_hit / n_segments)
            fpr = (predicted_count[j] - tp) / (n_points - positive_mass)
            prec = tp / predicted_count[j]
            roc_area += (fpr - fpr_prev) * ((tpr + tpr_prev) / 2.0)
            if step_pr:
                pr_area += (tpr - tpr_prev) * prec
            else:
                pr_area += (tpr - tpr_prev) * ((prec + prec_prev) / 2.0)
            tpr_prev = tpr
            fpr_prev = fpr
            prec_prev = prec
        roc_area += (1.0 - fpr_prev) * ((1.0 + tpr_prev) / 2.0)
        roc[wi] = roc_area
        pr[wi] = pr_area
    return roc, pr
