"""Slow, literal oracle for the published ``ACF_find_buffer_size`` rule (plain Python).

Written from the published function's description: the sample autocorrelation
(demeaned, every lag divided by ``n``) of the first 20,000 points at lags 0 to
400, computed here directly as sums of products (no FFT); lags below 3 skipped;
strict local maxima (greater than both neighbours; the first and last lag
examined are never maxima); the highest one (the first on a tie); its lag if it
lies in [6, 303], else 100.
"""

from __future__ import annotations

import math

__all__ = ["naive_autocorrelation", "naive_select_lag", "naive_buffer_size"]


def naive_autocorrelation(x: list[float], *, max_lag: int) -> list[float]:
    """``acov[k] / acov[0]`` with ``acov[k] = sum_t (x_t - m)(x_{t+k} - m) / n``, k = 0..min(max_lag, n-1)."""
    n = len(x)
    m = math.fsum(x) / n
    d = [v - m for v in x]
    acov = [math.fsum(d[t] * d[t + k] for t in range(n - k)) / n for k in range(min(max_lag, n - 1) + 1)]
    if acov[0] == 0:
        return [math.nan] * len(acov)
    return [a / acov[0] for a in acov]


def naive_select_lag(
    acf: list[float], *, first_lag: int = 3, low: int = 6, high: int = 303, default: int = 100
) -> tuple[int, bool]:
    """(buffer size, whether the default was used) from autocorrelations at lags 0, 1, ..."""
    a = acf[first_lag:]
    maxima = [i for i in range(1, len(a) - 1) if a[i] > a[i - 1] and a[i] > a[i + 1]]
    if not maxima:
        return default, True
    best = maxima[0]
    for i in maxima[1:]:
        if a[i] > a[best]:
            best = i
    lag = best + first_lag
    if low <= lag <= high:
        return lag, False
    return default, True


def naive_buffer_size(x: list[float]) -> tuple[int, bool]:
    """The published rule end to end: (buffer size, whether the default was used)."""
    x = list(x)[:20000]
    return naive_select_lag(naive_autocorrelation(x, max_lag=400))
