"""Slow, literal Range-AUC and VUS, written from docs/spec/baseline-metrics.md, sections 10-11.

Plain loops over thresholds and points with full arrays; independent of
pate.metrics._vus (which works on sparse buffers and cumulative sums).
"""

from __future__ import annotations

import math

import numpy as np


def _events(y):
    out, start = [], None
    for i, v in enumerate(list(y) + [0]):
        if v and start is None:
            start = i
        elif not v and start is not None:
            out.append((start, i - 1))
            start = None
    return out


def soft_labels(y, w, legacy=False):
    n = len(y)
    lab = [float(v) for v in y]
    h = w // 2
    for a, b in _events(y):
        post_last = (min(b + h, n) - 1) if legacy else min(b + h, n - 1)
        for x in range(b + 1, post_last + 1):
            lab[x] += math.sqrt(1 - (x - b) / w)
        for x in range(max(a - h, 0), a):
            lab[x] += math.sqrt(1 - (a - x) / w)
    return [min(v, 1.0) for v in lab]


def rank_thresholds(s, n_thr):
    desc = sorted(s, reverse=True)
    return [desc[r] for r in np.linspace(0, len(s) - 1, n_thr).astype(int)]


def naive_range_auc(y_true, y_score, *, window, n_thresholds=250, legacy=False):
    y, s, w, n_thr = list(y_true), list(y_score), window, n_thresholds  # the spec's names
    n, P = len(y), sum(y)
    lab = soft_labels(y, w, legacy)
    p_prime = (P + sum(lab)) / 2
    runs = _events([v > 0 for v in lab])
    tpr, fpr, prec = [], [], []
    for th in rank_thresholds(s, n_thr):
        q = [1 if v >= th else 0 for v in s]
        tp = sum(l * qi for l, qi in zip(lab, q))
        exist = sum(1 for a, b in runs if sum(lab[x] * q[x] for x in range(a, b + 1)) > 0) / len(runs)
        tpr.append(min(tp / p_prime, 1) * exist)
        fpr.append((sum(q) - tp) / (n - p_prime))
        prec.append(tp / sum(q))
    xs, ys = [0.0] + fpr + [1.0], [0.0] + tpr + [1.0]
    roc = sum((xs[i + 1] - xs[i]) * (ys[i + 1] + ys[i]) / 2 for i in range(len(xs) - 1))
    ts, ps = [0.0] + tpr, [1.0] + prec
    pr = sum((ts[i + 1] - ts[i]) * (ps[i + 1] + ps[i]) / 2 for i in range(len(ts) - 1))
    return roc, pr


def naive_vus(y_true, y_score, *, window, n_thresholds=250):
    y, s, W, n_thr = list(y_true), list(y_score), window, n_thresholds  # the spec's names
    n, P = len(y), sum(y)
    events = _events(y)
    aucs, aps = [], []
    for w in range(W + 1):
        h = w // 2
        lab = soft_labels(y, w)
        segments, cur = [], max(events[0][0] - h, 0)
        for (_, b), (a2, _) in zip(events, events[1:]):
            if b + h < a2 - h:
                segments.append((cur, b + h))
                cur = a2 - h
        segments.append((cur, min(events[-1][1] + h, n - 1)))
        in_event = set(x for a, b in events for x in range(a, b + 1))
        buffer = [x for a, b in segments for x in range(a, b + 1) if x not in in_event]
        tpr, fpr, prec = [], [], []
        for th in rank_thresholds(s, n_thr):
            q = [1 if v >= th else 0 for v in s]
            X = sum(lab[x] * q[x] for x in buffer)
            tp = sum(q[x] for x in in_event) + X
            pp = P + X / 2
            exist = sum(1 for a, b in segments if any(q[x] for x in range(a, b + 1))) / len(segments)
            tpr.append(min(tp / pp, 1) * exist)
            fpr.append((sum(q) - tp) / (n - pp))
            prec.append(tp / sum(q))
        xs, ys = [0.0] + fpr + [1.0], [0.0] + tpr + [1.0]
        aucs.append(sum((xs[i + 1] - xs[i]) * (ys[i + 1] + ys[i]) / 2 for i in range(len(xs) - 1)))
        t = [0.0] + tpr
        aps.append(sum((t[i + 1] - t[i]) * prec[i] for i in range(len(prec))))
    return sum(aucs) / len(aucs), sum(aps) / len(aps)


def naive_vus_legacy(y_true, y_score, *, window, n_thresholds=250):
    areas = [
        naive_range_auc(y_true, y_score, window=w, n_thresholds=n_thresholds, legacy=True) for w in range(window + 1)
    ]
    return sum(a for a, _ in areas) / len(areas), sum(b for _, b in areas) / len(areas)
