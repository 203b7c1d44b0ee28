"""Slow, literal reference oracle for PATE and PATE-F1.

Written directly from ``docs/spec/pate-definition.md`` (the behaviour of
the published package PATE 0.1.1), section by section ("section N" below), with no vectorisation and
no dependence on the ``pate`` package.  It is meant to be *obviously* correct,
not fast; it is used as the ground truth for property-based tests of the fast
implementations.

numpy is used only where the spec itself says the package uses it:

* the buffer grid, ``numpy.linspace(..., dtype=int)`` (section 5);
* threshold thinning, ``numpy.percentile(kept, numpy.linspace(100, 0, n))``
  (section 7 step 3);
* in float mode, the trapezoid area and the mean over the grid, which section 11
  says are numpy's trapezoid and ``numpy.mean`` (the float results then round
  exactly like the package's).

``interpolation="step"`` replaces only the area by section 7b's right-endpoint
rule (this project's variant; not in the published package).

Two arithmetic modes:

* ``exact=False``: Python floats, summing TP, FP and FN left to right in the
  package's order (section 11): pre-buffer, in-event, post-buffer, outside
  items, each kind in time order; FN takes the partial-miss weights event by
  event (each event's missed points in Python set order), then the wholly
  missed events.  Every weight is ``1 - d / m`` with ``d`` and ``m`` integer
  distance sums (one correctly rounded division).  This reproduces the
  package's tie behaviour at the ``>=`` test of section 7 step 5.
* ``exact=True``: all weights, sums, precision, recall, the ``>=`` test, the
  trapezoid and the mean in ``fractions.Fraction``; thresholds stay the doubles
  of section 7.  Returns a ``Fraction``.
"""

from __future__ import annotations

from fractions import Fraction

import numpy

__all__ = [
    "naive_events",
    "naive_buffer_sizes",
    "naive_zones",
    "naive_tp_fp_fn",
    "naive_thresholds",
    "naive_pate_f1",
    "naive_pate",
]


# ---------------------------------------------------------------------------
# Section 1: events
# ---------------------------------------------------------------------------
def naive_events(labels) -> list[tuple[int, int]]:
    """Maximal runs of points with value ``> 0``, as inclusive ``(start, end)``."""
    events = []
    start = None
    n = 0
    for i, v in enumerate(labels):
        n = i + 1
        if v > 0:
            if start is None:
                start = i
        elif start is not None:
            events.append((start, i - 1))
            start = None
    if start is not None:
        events.append((start, n - 1))
    return events


# ---------------------------------------------------------------------------
# Section 5: the buffer grid
# ---------------------------------------------------------------------------
def naive_buffer_sizes(max_buffer: int, n_splits: int, include_zero: bool) -> list[int]:
    """Buffer sizes exactly as the package's ``numpy.linspace(..., dtype=int)``.

    ``n_splits == 0`` with ``include_zero=False`` raises ``ZeroDivisionError``
    (the Python division ``max_buffer / n_splits``), like the package.
    """
    if include_zero:
        sizes = numpy.linspace(0, max_buffer, n_splits + 1, dtype=int)
    else:
        sizes = numpy.linspace(max_buffer / n_splits, max_buffer, n_splits, dtype=int)
    return [int(v) for v in sizes]


def _buffer_pairs(early_buffer, delay_buffer, n_buffer_splits, include_zero):
    """Every (early, delay) pair, early in the outer loop, repeats kept (section 5)."""
    early_sizes = naive_buffer_sizes(early_buffer, n_buffer_splits, include_zero)
    delay_sizes = naive_buffer_sizes(delay_buffer, n_buffer_splits, include_zero)
    return [(E, D) for E in early_sizes for D in delay_sizes]


# ---------------------------------------------------------------------------
# Section 2: zones for one buffer pair
# ---------------------------------------------------------------------------
def naive_zones(events, T, early, delay) -> list[dict]:
    """Per event: ``pre_start``, ``s``, ``e``, ``post_end`` (section 2).

    ``PRE_k = [pre_start, s - 1]`` (empty when ``pre_start > s - 1``),
    ``IN_k = [s, e]``, ``POST_k = [e + 1, post_end]`` (empty when
    ``post_end < e + 1``).
    """
    zones = []
    prev_post_end = -1  # post_end_{-1}
    n_events = len(events)
    for k, (s, e) in enumerate(events):
        if k + 1 < n_events:
            post_end = min(e + delay, events[k + 1][0] - 1)
        else:
            post_end = min(e + delay, T - 1)
        pre_start = max(0, s - early, prev_post_end + 1)
        zones.append({"pre_start": pre_start, "s": s, "e": e, "post_end": post_end})
        prev_post_end = post_end
    return zones


# Zone kinds of a single time point.
_PRE, _IN, _POST, _OUT = "pre", "in", "post", "out"


def _zone_map(zones, T):
    """For every index ``x`` in ``[0, T)``: ``(kind, k)`` (``k`` is None for OUT)."""
    zone_of = [(_OUT, None)] * T
    for k, z in enumerate(zones):
        for x in range(z["pre_start"], z["s"]):
            zone_of[x] = (_PRE, k)
        for x in range(z["s"], z["e"] + 1):
            zone_of[x] = (_IN, k)
        for x in range(z["e"] + 1, z["post_end"] + 1):
            zone_of[x] = (_POST, k)
    return zone_of


# ---------------------------------------------------------------------------
# Section 3: proximity weights, as integer ratios d / m  (w = 1 - d / m)
# ---------------------------------------------------------------------------
def _buffer_weight_ratios(zones, zone_of, T):
    """``{x: (d, m)}`` for every buffer point, with the integer distance sums of
    section 3 (the form the package computes; section 11):

    * ``x`` in ``POST_k``: ``d = sum_y |x - y|``,          ``m = sum_y |post_end_k - y|``;
    * ``x`` in ``PRE_k``:  ``d = sum_y |y - x|``,          ``m = sum_y |y - pre_start_k|``;

    ``y`` running over ``IN_k``.  These depend only on the buffer pair, so they
    are computed once per pair and reused for every threshold.
    """
    ratios = {}
    for x in range(T):
        kind, k = zone_of[x]
        if kind == _POST:
            z = zones[k]
            ys = range(z["s"], z["e"] + 1)
            d = sum(abs(x - y) for y in ys)
            m = sum(abs(z["post_end"] - y) for y in ys)
            ratios[x] = (d, m)
        elif kind == _PRE:
            z = zones[k]
            ys = range(z["s"], z["e"] + 1)
            d = sum(abs(y - x) for y in ys)
            m = sum(abs(y - z["pre_start"]) for y in ys)
            ratios[x] = (d, m)
    return ratios


def _weight(d, m, exact):
    """``w = 1 - d / m``: one correctly rounded division in float mode."""
    if exact:
        return 1 - Fraction(d, m)
    return 1 - d / m


def _left_to_right_sum(values):
    """Plain left-to-right sum starting from int 0 (the package's ``sum`` on
    Python <= 3.11; written out so newer Pythons' compensated ``sum`` is not used)."""
    total = 0
    for v in values:
        total = total + v
    return total


# ---------------------------------------------------------------------------
# Section 4: weighted TP, FP, FN for one set of predicted points
# ---------------------------------------------------------------------------
def _tp_fp_fn(events, zones, zone_of, ratios, predicted, exact):
    """TP, FP, FN for predicted flags ``predicted`` (list of bool, length T)."""
    T = len(predicted)

    # Detection: event k is detected when P holds a point of IN_k.
    detected = [any(predicted[x] for x in range(s, e + 1)) for (s, e) in events]

    # TP / FP terms, collected per zone kind in time order (section 11 order:
    # pre-buffer, in-event, post-buffer, outside).
    tp_pre, fp_pre = [], []
    tp_in = []
    tp_post, fp_post = [], []
    fp_out = []
    for x in range(T):
        if not predicted[x]:
            continue
        kind, k = zone_of[x]
        if kind == _IN:
            tp_in.append(1)
        elif kind == _POST:  # detected or not
            w = _weight(*ratios[x], exact)
            tp_post.append(w)
            fp_post.append(1 - w)
        elif kind == _PRE:
            if detected[k]:
                w = _weight(*ratios[x], exact)
                tp_pre.append(w)
                fp_pre.append(1 - w)
            else:
                fp_pre.append(1)
        else:  # OUT
            fp_out.append(1)

    # FN: partial misses event by event, then the wholly missed events.
    fn_partial = []
    fn_missed = []
    for k, (s, e) in enumerate(events):
        L = e - s + 1
        if not detected[k]:
            fn_missed.extend([1] * L)
            continue
        # Earliest maximal run of predicted points inside IN_k (clipped to IN_k).
        p = s
        while not predicted[p]:
            p += 1
        delta = 0
        while p <= e and predicted[p]:
            delta += 1
            p += 1
        b = s + delta  # measured from the event's start s, not from the run's start
        covered = {x for x in range(s, e + 1) if predicted[x]}
        labelled = set(range(s, e + 1))
        if covered == labelled:
            continue
        # The package iterates this set difference; Python set order.
        missed = labelled - covered
        m = L * (L - 1) // 2  # sum_{y=s}^{e} |e - y|; > 0 here since L >= 2
        sum_s_to_b = sum(range(s, b + 1))
        for q in missed:
            if q <= b:
                fn_partial.append(1)
            else:
                d = (delta + 1) * q - sum_s_to_b  # = sum_{y=s}^{b} |q - y|
                fn_partial.append(_weight(d, m, exact))

    tp = _left_to_right_sum(tp_pre + tp_in + tp_post)
    fp = _left_to_right_sum(fp_pre + fp_post + fp_out)
    fn = _left_to_right_sum(fn_partial + fn_missed)
    if exact:
        tp, fp, fn = Fraction(tp), Fraction(fp), Fraction(fn)
    return tp, fp, fn


def _precision_recall(tp, fp, fn):
    """Section 4: each is 0 when its denominator is 0."""
    precision = tp / (tp + fp) if (tp + fp) > 0 else 0
    recall = tp / (tp + fn) if (tp + fn) > 0 else 0
    return precision, recall


def naive_tp_fp_fn(y_true, y_pred, *, early_buffer, delay_buffer, exact=False) -> tuple:
    """``(TP, FP, FN)`` of section 4 for one buffer pair ``(early_buffer, delay_buffer)``.

    ``y_pred``: predicted points are the entries ``> 0``.
    """
    predicted_mask, early, delay = y_pred, early_buffer, delay_buffer
    T = len(y_true)
    events = naive_events(y_true)
    zones = naive_zones(events, T, early, delay)
    zone_of = _zone_map(zones, T)
    ratios = _buffer_weight_ratios(zones, zone_of, T)
    predicted = [v > 0 for v in predicted_mask]
    return _tp_fp_fn(events, zones, zone_of, ratios, predicted, exact)


# ---------------------------------------------------------------------------
# Section 6: PATE-F1
# ---------------------------------------------------------------------------
def _f1(precision, recall):
    if precision + recall == 0:
        return 0.0
    return 2 * (precision * recall) / (precision + recall)


def _mean(values, exact):
    """Mean over the grid: exact, or ``numpy.mean`` as the package (section 11)."""
    if exact:
        return sum((Fraction(v) for v in values), Fraction(0)) / len(values)
    return float(numpy.mean(values))


def _pate_f1_on_pairs(y_true, y_pred, pairs, exact):
    """PATE-F1 over an explicit list of (early, delay) pairs."""
    T = len(y_true)
    events = naive_events(y_true)
    if not events:
        return Fraction(0) if exact else 0.0
    predicted = [v > 0 for v in y_pred]
    f1s = []
    for E, D in pairs:
        zones = naive_zones(events, T, E, D)
        zone_of = _zone_map(zones, T)
        ratios = _buffer_weight_ratios(zones, zone_of, T)
        tp, fp, fn = _tp_fp_fn(events, zones, zone_of, ratios, predicted, exact)
        precision, recall = _precision_recall(tp, fp, fn)
        f1s.append(_f1(precision, recall))
    return _mean(f1s, exact)


def naive_pate_f1(
    y_true, y_pred, *, early_buffer=100, delay_buffer=100, n_buffer_splits=1, include_zero=True, exact=False
):
    """PATE-F1 (section 6): mean F1 over the buffer grid, repeats included."""
    pairs = _buffer_pairs(early_buffer, delay_buffer, n_buffer_splits, include_zero)
    return _pate_f1_on_pairs(y_true, y_pred, pairs, exact)


# ---------------------------------------------------------------------------
# Section 7 steps 1-3: thresholds
# ---------------------------------------------------------------------------
def naive_thresholds(y_true, y_score, *, n_thresholds=250, drop_intermediate=True) -> list[float]:
    """Thresholds of section 7 steps 1-3 (pos_label 1, no sample weights).

    ``n_thresholds=None`` switches thinning (``Big_Data``) off.
    """
    # Step 1: distinct score values, descending; tps_i = #{labelled points with
    # score >= theta_i}, "labelled" meaning y_true == 1.
    candidates = sorted(set(float(v) for v in y_score), reverse=True)
    tps = [sum(1 for t, v in zip(y_true, y_score) if t == 1 and v >= theta) for theta in candidates]

    # Step 2: drop intermediate thresholds (only when more than 2 candidates).
    if drop_intermediate and len(candidates) > 2:
        last = len(candidates) - 1
        kept = [
            theta
            for i, theta in enumerate(candidates)
            if i == 0 or i == last or tps[i] != tps[i - 1] or tps[i + 1] != tps[i]
        ]
    else:
        kept = candidates

    # Step 3: thinning by numpy percentiles (linear interpolation).
    if n_thresholds is None:
        return kept
    if n_thresholds == 0:
        raise ValueError("n_thresholds=0: the package raises (no curve point)")
    thinned = numpy.percentile(kept, numpy.linspace(100, 0, n_thresholds))
    return [float(v) for v in thinned]


# ---------------------------------------------------------------------------
# Section 7 steps 4-6: PATE
# ---------------------------------------------------------------------------
def _trapezoid(xs, ys, exact):
    """Trapezoidal rule, recall on the x axis.  Float mode uses numpy's formula
    ``sum(diff(x) * (y[1:] + y[:-1]) / 2.0)`` (section 11)."""
    if exact:
        area = Fraction(0)
        for i in range(1, len(xs)):
            area += (xs[i] - xs[i - 1]) * (ys[i] + ys[i - 1]) / 2
        return area
    x = numpy.asarray(xs, dtype=float)
    y = numpy.asarray(ys, dtype=float)
    return float((numpy.diff(x) * (y[1:] + y[:-1]) / 2.0).sum())


def _step(xs, ys, exact):
    """Section 7b: the right-endpoint rule ``sum_n (x_n - x_{n-1}) * y_n``.  Float
    mode uses the same numpy expression shape as the trapezoid, ``sum(diff(x) * y[1:])``."""
    if exact:
        area = Fraction(0)
        for i in range(1, len(xs)):
            area += (xs[i] - xs[i - 1]) * ys[i]
        return area
    x = numpy.asarray(xs, dtype=float)
    y = numpy.asarray(ys, dtype=float)
    return float((numpy.diff(x) * y[1:]).sum())


_AREA_RULES = {"trapezoid": _trapezoid, "step": _step}


def _area_for_pair(events, T, scores, thresholds, E, D, exact, interpolation="trapezoid"):
    """Steps 4-5 for one buffer pair: curve, the ``>=`` cleaning, the area
    (trapezoid, or the step rule of section 7b)."""
    zones = naive_zones(events, T, E, D)
    zone_of = _zone_map(zones, T)
    ratios = _buffer_weight_ratios(zones, zone_of, T)

    # Step 5: the curve starts at (recall 0, precision 1).
    precisions = [Fraction(1) if exact else 1.0]
    recalls = [Fraction(0) if exact else 0.0]
    # Step 4: one point per threshold, in threshold order.  Thinned thresholds
    # often repeat the same set P; its (precision, recall) is computed once.
    seen = {}
    for theta in thresholds:
        predicted = [v >= theta for v in scores]
        key = tuple(predicted)
        if key not in seen:
            tp, fp, fn = _tp_fp_fn(events, zones, zone_of, ratios, predicted, exact)
            seen[key] = _precision_recall(tp, fp, fn)
        precision, recall = seen[key]
        precisions.append(precision)
        recalls.append(recall)

    # Step 5: keep a point only if its recall is >= the last kept recall.
    kept_r, kept_p = [], []
    prev_recall = -1
    for p, r in zip(precisions, recalls):
        if r >= prev_recall:
            kept_p.append(p)
            kept_r.append(r)
            prev_recall = r
    return _AREA_RULES[interpolation](kept_r, kept_p, exact)


def _pate_from_thresholds(y_true, y_score, thresholds, pairs, exact, interpolation="trapezoid"):
    """PATE for explicit thresholds and (early, delay) pairs (steps 4-6)."""
    T = len(y_true)
    events = naive_events(y_true)
    if not events:
        return Fraction(0) if exact else 0.0
    scores = [float(v) for v in y_score]
    areas = [_area_for_pair(events, T, scores, thresholds, E, D, exact, interpolation) for E, D in pairs]
    # Step 6: mean over the grid, repeats included.
    return _mean(areas, exact)


def naive_pate(
    y_true,
    y_score,
    *,
    early_buffer=100,
    delay_buffer=100,
    n_buffer_splits=1,
    include_zero=True,
    n_thresholds=250,
    drop_intermediate=True,
    exact=False,
    interpolation="trapezoid",
):
    """PATE (section 7) for continuous scores; ``interpolation="step"`` is section 7b."""
    if not naive_events(y_true):
        return Fraction(0) if exact else 0.0
    thresholds = naive_thresholds(y_true, y_score, n_thresholds=n_thresholds, drop_intermediate=drop_intermediate)
    pairs = _buffer_pairs(early_buffer, delay_buffer, n_buffer_splits, include_zero)
    return _pate_from_thresholds(y_true, y_score, thresholds, pairs, exact, interpolation)
