"""Slow, literal NAB score and threshold optimiser (docs/nab.md), plain Python.

Written from the definition, point by point, without the kernels' shortcuts:
every point's worth from its own window or the nearest window to its left,
every window's reward as the largest worth among its detected points, the
raw score as an exactly rounded sum (``math.fsum``), and the optimiser as
brute force over every candidate threshold with exact (``Fraction``) totals.
"""

from __future__ import annotations

import math
from fractions import Fraction


def naive_sigmoid(x: float) -> float:
    """``S(x) = 2 / (1 + exp(5 x)) - 1``, and ``-1`` for ``x > 3``."""
    return -1.0 if x > 3.0 else 2.0 / (1.0 + math.exp(5.0 * x)) - 1.0


def naive_windows(y) -> list[tuple[int, int]]:
    out, start = [], None
    for i, v in enumerate(list(y) + [0]):
        if v and start is None:
            start = i
        elif not v and start is not None:
            out.append((start, i - 1))
            start = None
    return out


def naive_probation(n: int, p: float) -> int:
    """How many leading points are skipped: those with ``i < min(floor(p n), p * 5000)``."""
    limit = min(math.floor(p * n), p * 5000)
    return sum(1 for i in range(n) if i < limit)


def naive_worth(y, a_tp: float, a_fp: float) -> list[float]:
    """What a detection at each point earns (the per-point worth)."""
    windows = naive_windows(y)
    out = []
    for i in range(len(y)):
        inside = [(s, e) for s, e in windows if s <= i <= e]
        if inside:
            s, e = inside[0]
            width = e - s + 1
            out.append(naive_sigmoid(-(e - i + 1) / width) / naive_sigmoid(-1.0) * a_tp)
            continue
        left = [(s, e) for s, e in windows if e < i]
        if not left:
            out.append(-a_fp)
            continue
        s, e = max(left, key=lambda w: w[1])
        width = e - s + 1
        out.append(-a_fp if width == 1 else naive_sigmoid((i - e) / (width - 1)) * a_fp)
    return out


def naive_nab_parts(y, pred, profile, p):
    """``(window rewards, false-positive worths, tp, fp, fn, tn, counted)`` of binary detections."""
    y, pred = list(y), list(pred)
    a_tp, a_fp, a_fn = profile
    n = len(y)
    first = naive_probation(n, p)
    worth = naive_worth(y, a_tp, a_fp)
    rewards, false_alarms = [], []
    for s, e in naive_windows(y):
        scored = [i for i in range(s, e + 1) if i >= first]
        if not scored:
            continue  # wholly in the probationary period: not counted
        hits = [worth[i] for i in scored if pred[i]]
        rewards.append(max(hits) if hits else -a_fn)
    inside = set(i for s, e in naive_windows(y) for i in range(s, e + 1))
    tp = fp = fn = tn = 0
    for i in range(first, n):
        if i in inside:
            tp, fn = (tp + 1, fn) if pred[i] else (tp, fn + 1)
        elif pred[i]:
            fp += 1
            false_alarms.append(worth[i])
        else:
            tn += 1
    return rewards, false_alarms, tp, fp, fn, tn, len(rewards)


def naive_nab_score(y_true, y_pred, *, profile=(1.0, 0.11, 1.0), probationary_percent=0.15):
    """``(score, raw, perfect, null, tp, fp, fn, tn)``; score nan when no window is counted.

    ``profile`` is the weights ``(A_tp, A_fp, A_fn)``.
    """
    rewards, false_alarms, tp, fp, fn, tn, counted = naive_nab_parts(y_true, y_pred, profile, probationary_percent)
    raw = math.fsum(rewards + false_alarms)
    perfect, null = profile[0] * counted, 0.0 - profile[2] * counted
    score = math.nan if counted == 0 else 100 * (raw - null) / (perfect - null)
    return score, raw, perfect, null, tp, fp, fn, tn


def naive_corpus_total(labels, scores, threshold, *, profile, probationary_percent) -> Fraction:
    """Exact raw corpus score when ``score >= threshold`` is a detection."""
    total = Fraction(0)
    for y, s in zip(labels, scores, strict=True):
        rewards, false_alarms, *_ = naive_nab_parts(y, [v >= threshold for v in s], profile, probationary_percent)
        total += sum((Fraction(v) for v in rewards + false_alarms), Fraction(0))
    return total


def naive_candidates(labels, scores, *, probationary_percent) -> list[float]:
    """Every distinct scored score of the corpus, descending (points after each probationary period)."""
    values = set()
    for y, s in zip(labels, scores, strict=True):
        values.update(list(s)[naive_probation(len(y), probationary_percent) :])
    return sorted(values, reverse=True)


def naive_optimise(labels, scores, *, profile, probationary_percent) -> tuple[float | None, dict]:
    """Brute force: ``(best threshold or None for "detect nothing", {threshold: exact total})``.

    Candidates are "detect nothing" (key ``None``) and every distinct scored
    score; the largest exact total wins, the highest threshold among equals
    ("detect nothing" counts as the highest).
    """
    options = {"profile": profile, "probationary_percent": probationary_percent}
    nothing = naive_corpus_total(labels, scores, math.inf, **options)
    totals: dict = {None: nothing}
    for t in naive_candidates(labels, scores, probationary_percent=probationary_percent):
        totals[t] = naive_corpus_total(labels, scores, t, **options)
    best_key, best = None, nothing
    for key, value in totals.items():  # insertion order: nothing, then thresholds descending
        if value > best:
            best_key, best = key, value
    return best_key, totals
