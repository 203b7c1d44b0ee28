"""A buffer size from the autocorrelation of the series (the published ``ACF_find_buffer_size``).

The published PATE 0.1.1 package suggests PATE's early and delay buffers with
``pate.PATE_utils.ACF_find_buffer_size``, after the sliding-window heuristic
of VUS (Paparrizos et al., VLDB 2022): the strongest local maximum of the
sample autocorrelation is taken as the series' period, and a buffer of about
one period is used around each labelled event.

What it computes, step by step (the published function, reproduced exactly):

1. The first 20,000 points only.
2. The sample autocorrelation up to lag 400, as statsmodels' ``acf(x, nlags=400,
   fft=True)`` computes it: demeaned, biased (every lag divided by ``n``),
   through a zero-padded FFT whose length is the smallest 5-smooth number
   ``>= 2 n + 1``. Here the same steps run on numpy's FFT, so statsmodels is not
   needed.
3. Lags 0, 1 and 2 are skipped; on the rest, the strict local maxima (a value
   greater than both neighbours, as ``scipy.signal.argrelextrema(a, np.greater)``
   finds them: the first and last lag examined are never maxima).
4. The highest of them (the first one on an exact tie). Its lag is the answer
   when it lies in ``[6, 303]`` (the published code tests its index in ``[3, 300]``
   after skipping three lags); otherwise, or when there is no local maximum, the
   default 100. The highest maximum is tested, not the highest acceptable one:
   a stronger maximum at lag 350 gives 100 even if lag 50 is a maximum too.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from pate._validation import check_positive_int, check_scores, short_repr

__all__ = [
    "BufferSizeSuggestion",
    "suggest_buffer_size",
    "autocorrelation",
    "strongest_local_maximum",
    "suggest_from_array",
]

# The published function's constants.
_MAX_POINTS = 20_000
_MAX_LAG = 400
_FIRST_LAG = 3  # lags below this are skipped (they are trivially high)
_LAG_RANGE = (6, 303)
_DEFAULT = 100


class BufferSizeSuggestion(NamedTuple):
    """Result of :func:`suggest_buffer_size`.

    Attributes
    ----------
    buffer_size : int
        The suggested early and delay buffer, in time points.
    lag : int or None
        Lag of the highest local maximum of the autocorrelation, whether or
        not it was accepted; ``None`` when there is no local maximum.
    autocorrelation : float
        The autocorrelation at ``lag`` (nan when ``lag`` is ``None``).
    fallback : bool
        ``True`` when ``buffer_size`` is the default because no acceptable
        local maximum was found.
    reason : str
        Why the default was used (``""`` when it was not).
    """

    buffer_size: int
    lag: int | None
    autocorrelation: float
    fallback: bool
    reason: str


def _next_regular(target: int) -> int:
    """Smallest 5-smooth number (``2**a * 3**b * 5**c``) that is ``>= target``.

    statsmodels zero-pads its FFT to this length; the same length gives the same
    rounding.

    >>> [_next_regular(t) for t in (1, 7, 11, 17, 2001)]
    [1, 8, 12, 18, 2025]
    """
    best = 1 << max(target - 1, 0).bit_length()  # the power of two at or above target
    p5 = 1
    while p5 < best:
        p35 = p5
        while p35 < best:
            # the smallest power of two times p35 that reaches target
            quotient = -(-target // p35)
            best = min(best, p35 * (1 << max(quotient - 1, 0).bit_length()))
            p35 *= 3
        p5 *= 5
    return best


def autocorrelation(x: np.ndarray, max_lag: int) -> np.ndarray:
    """Sample autocorrelation at lags ``0..min(max_lag, n - 1)`` (statsmodels' ``acf(fft=True)``).

    Demeaned and biased: ``acov[k] = sum_t (x_t - m)(x_{t+k} - m) / n``, divided by
    ``acov[0]``. A constant series gives nan (0/0), as statsmodels does; NaN in
    ``x`` gives nan everywhere. No warning is raised for either.

    >>> autocorrelation(np.array([1.0, 2.0, 3.0, 4.0]), 3).round(6).tolist()
    [1.0, 0.25, -0.3, -0.45]
    """
    n = x.size
    xo = x - x.mean()
    spectrum = np.fft.fft(xo, n=_next_regular(2 * n + 1))
    with np.errstate(all="ignore"):
        acov = (np.fft.ifft(spectrum * np.conjugate(spectrum))[:n] / np.full(n, float(n))).real
        return acov[: max_lag + 1] / acov[0]


def strongest_local_maximum(a: np.ndarray) -> int | None:
    """Index of the highest strict local maximum of ``a`` (the first on a tie), or ``None``.

    A strict local maximum is greater than both neighbours; the ends are never
    one (``scipy.signal.argrelextrema(a, np.greater)``, order 1, mode "clip").
    NaN is never a maximum.

    >>> strongest_local_maximum(np.array([0.0, 2.0, 1.0, 3.0, 0.0, 3.0, 1.0]))
    3
    """
    inner = a[1:-1]
    local = np.flatnonzero((inner > a[:-2]) & (inner > a[2:])) + 1
    if local.size == 0:
        return None
    return int(local[np.argmax(a[local])])


def suggest_from_array(
    x: np.ndarray,
    *,
    max_lag: int = _MAX_LAG,
    max_points: int | None = _MAX_POINTS,
    lag_range: tuple[int, int] = _LAG_RANGE,
    default: int = _DEFAULT,
) -> BufferSizeSuggestion:
    """The published rule on a 1-D float64 array (no validation; NaN allowed, giving the default)."""
    if x.size == 0:
        raise ValueError("the series is empty: at least one time point is needed.")
    if max_points is not None:
        x = x[:max_points]
    with np.errstate(all="ignore"):
        acf = autocorrelation(x, max_lag)[_FIRST_LAG:]
    best = strongest_local_maximum(acf)
    if best is None:
        if acf.size < 3:
            reason = f"too few points ({x.size}) for a local maximum of the autocorrelation"
        elif not bool(np.isnan(acf).all()):
            reason = f"the autocorrelation has no local maximum at lags {_FIRST_LAG + 1}..{_FIRST_LAG + acf.size - 2}"
        elif bool(np.all(x == x[0])):
            reason = "the series is constant, so its autocorrelation is undefined"
        else:
            reason = "the autocorrelation is undefined (NaN or infinity in the series)"
        return BufferSizeSuggestion(int(default), None, float("nan"), True, reason)
    lag, value = best + _FIRST_LAG, float(acf[best])
    low, high = lag_range
    if not low <= lag <= high:
        reason = f"the highest local maximum of the autocorrelation is at lag {lag}, outside [{low}, {high}]"
        return BufferSizeSuggestion(int(default), lag, value, True, reason)
    return BufferSizeSuggestion(lag, lag, value, False, "")


def suggest_buffer_size(
    x: Any,
    *,
    max_lag: int = _MAX_LAG,
    max_points: int | None = _MAX_POINTS,
    lag_range: tuple[int, int] = _LAG_RANGE,
    default: int = _DEFAULT,
) -> BufferSizeSuggestion:
    """Suggest PATE's early and delay buffer from the autocorrelation of a series.

    The lag of the strongest local maximum of the sample autocorrelation (the
    series' dominant period) is a natural scale for how early or late a
    detection may still earn credit. With the defaults the suggested size is
    the integer the published PATE 0.1.1 package's ``ACF_find_buffer_size``
    returns (``pate.PATE_utils.ACF_find_buffer_size`` is the drop-in).

    Read more in the User Guide (``docs/pate.md``, "Choosing the buffers").

    Parameters
    ----------
    x : array-like of shape (n_samples,)
        The series itself (its values, not the anomaly scores); finite numbers.
    max_lag : int, default=400
        Largest lag of the autocorrelation examined.
    max_points : int or None, default=20000
        Only the first ``max_points`` points are used (``None``: all of them).
    lag_range : (int, int), default=(6, 303)
        The highest local maximum is accepted only when its lag lies in this
        closed range.
    default : int, default=100
        Buffer size returned when no local maximum is found or the highest one
        lies outside ``lag_range``.

    Returns
    -------
    BufferSizeSuggestion
        ``(buffer_size, lag, autocorrelation, fallback, reason)``; ``fallback``
        says whether ``default`` was used and ``reason`` why.

    See Also
    --------
    pate.pate_score : takes the size as ``early_buffer`` and ``delay_buffer``.

    Notes
    -----
    Lags 0 to 2 are skipped and a local maximum must be strictly higher than
    both neighbours, so the smallest lag found is 4. The autocorrelation is
    demeaned and divided by ``n`` at every lag (statsmodels' ``acf``), computed
    with numpy's FFT. Unlike the published function, nothing is printed; the
    result says when the default was used.

    TSB-AD's benchmark sets the VUS window of each series by the same rule
    with a default of 125 (``find_length_rank(x, rank=1)``):
    ``suggest_buffer_size(x, default=125).buffer_size`` is that window (on an
    exact tie between two maxima TSB-AD's choice is left to numpy's unstable
    sort; here the smaller lag wins). See ``docs/published.md``.

    Examples
    --------
    >>> import numpy as np
    >>> from pate import suggest_buffer_size
    >>> t = np.arange(2000)
    >>> s = suggest_buffer_size(np.sin(2 * np.pi * t / 48))
    >>> s.buffer_size, s.fallback
    (48, False)
    >>> suggest_buffer_size(np.ones(100)).fallback
    True
    >>> suggest_buffer_size(np.ones(100), default=125).buffer_size  # TSB-AD's window
    125
    """
    values = check_scores(x, name="x")
    max_lag = check_positive_int(max_lag, "max_lag")
    if max_points is not None:
        max_points = check_positive_int(max_points, "max_points")
    default = check_positive_int(default, "default", minimum=0)
    try:
        low, high = lag_range
    except (TypeError, ValueError):
        raise TypeError(f"lag_range must be a pair (low, high) of integers, got {short_repr(lag_range)}.") from None
    low, high = check_positive_int(low, "lag_range[0]", minimum=0), check_positive_int(high, "lag_range[1]", minimum=0)
    if low > high:
        raise ValueError(f"lag_range must have low <= high, got {short_repr(lag_range)}.")
    return suggest_from_array(values, max_lag=max_lag, max_points=max_points, lag_range=(low, high), default=default)
