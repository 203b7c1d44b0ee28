"""Slow, literal eTaPR from docs/spec/baseline-metrics.md, section 8 (dense S matrix, loops)."""

from __future__ import annotations

import math


def _events(y):
    out, start = [], None
    for i, v in enumerate(list(y) + [0]):
        if v and start is None:
            start = i
        elif not v and start is not None:
            out.append((start, i - 1))
            start = None
    return out


def naive_etapr(y_true, y_pred, *, theta_p, theta_r, delta):
    y, p = list(y_true), list(y_pred)  # the paper's names
    A, B = _events(y), _events(p)
    S = [[0.0] * len(B) for _ in A]
    for i, (a, b) in enumerate(A):
        zs, ze = b + 1, b + 1 + math.floor(delta * (b - a))
        if i + 1 < len(A) and ze > A[i + 1][0]:
            ze = A[i + 1][0] - 1
        for j, (c, d) in enumerate(B):
            for x in range(c, d + 1):
                if a <= x <= b:
                    S[i][j] += 1
                if zs < ze and zs <= x <= ze:
                    S[i][j] += 1 / (1 + math.exp(-6 + 12 * (x - zs) / (ze - zs)))
    changed = True
    while changed:
        changed = False
        for i, (a, b) in enumerate(A):
            r = sum(S[i]) / (b - a + 1)
            if 0 < r < theta_r:
                S[i] = [0.0] * len(B)
                changed = True
        for j, (c, d) in enumerate(B):
            q = sum(S[i][j] for i in range(len(A))) / (d - c + 1)
            if 0 < q < theta_p:
                for i in range(len(A)):
                    S[i][j] = 0.0
                changed = True
    recall = sum(
        (d + d * min(r, 1)) / 2 for r in [sum(S[i]) / (b - a + 1) for i, (a, b) in enumerate(A)] for d in [r >= theta_r]
    ) / len(A)
    num = den = 0.0
    for j, (c, d) in enumerate(B):
        q = sum(S[i][j] for i in range(len(A))) / (d - c + 1)
        e = q >= theta_p
        w = math.sqrt(d - c + 1)
        num += w * (e + e * q) / 2
        den += w
    precision = num / den
    f1 = 2 * precision * recall / (precision + recall) if precision + recall > 0 else 0.0
    return precision, recall, f1
