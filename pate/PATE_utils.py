"""Import path of the published package's helper module, so that existing scripts run unchanged.

The published ``PATE`` 0.1.1 package ships ``pate.PATE_utils`` beside
``pate.PATE_metric``. Scripts call four of its functions; they are here with the
published names and signatures, returning the same values:

* :func:`ACF_find_buffer_size` - a buffer size from the series' autocorrelation
  (:func:`pate.suggest_buffer_size` is the documented, validated form);
* :func:`convert_vector_to_events_PATE` - 0/1 vector to ``[(start, end), ...]``;
* :func:`convert_events_to_array_PATE` - the reverse;
* :func:`generate_buffer_points` - the buffer sizes of PATE's grid.

Differences, all deliberate: nothing is printed and logging is not configured
(the published module calls ``logging.basicConfig`` at import);
``ACF_find_buffer_size`` warns where the published one prints; statsmodels and
scipy are not needed; lists are accepted where the published code needs numpy
arrays; and input the published code would silently misread (an event outside
the series, a negative buffer size) raises ``ValueError``.

>>> import numpy as np
>>> from pate.PATE_utils import convert_vector_to_events_PATE, convert_events_to_array_PATE
>>> events = convert_vector_to_events_PATE(np.array([0, 1, 1, 0, 1]))
>>> events
[(1, 2), (4, 4)]
>>> convert_events_to_array_PATE(events, 6).tolist()
[0, 1, 1, 0, 1, 0]
"""

from __future__ import annotations

import numbers
import warnings
from typing import Any, Iterable

import numpy as np

from pate._buffer_size import suggest_from_array
from pate._events import buffer_sizes, concat_ranges, label_events
from pate._validation import short_repr

__all__ = [
    "ACF_find_buffer_size",
    "convert_vector_to_events_PATE",
    "convert_events_to_array_PATE",
    "generate_buffer_points",
]


def ACF_find_buffer_size(data: Any) -> int:  # noqa: N802 - the published name
    """Buffer size from the autocorrelation of ``data``, as published in PATE 0.1.1.

    The lag (6 to 303) of the highest local maximum of the sample autocorrelation
    of the first 20,000 points (lags 3 to 400); 100 when there is none or it lies
    outside that range. See :func:`pate.suggest_buffer_size` for the exact rule.

    Parameters
    ----------
    data : array-like
        The series' values. Input that is not 1-D returns 0, as published; NaN
        or infinity give the default 100.

    Returns
    -------
    int
        The buffer size.

    Warns
    -----
    UserWarning
        "No local maxima found; returning the default buffer size of 100." when
        the default is used (the published function prints this line).

    Raises
    ------
    ValueError
        If ``data`` is 1-D and empty (the published function raises IndexError).

    See Also
    --------
    pate.metrics.pate_score : the metric whose buffers this sizes.

    Examples
    --------
    >>> import numpy as np
    >>> from pate.PATE_utils import ACF_find_buffer_size
    >>> t = np.arange(5000)
    >>> ACF_find_buffer_size(np.sin(2 * np.pi * t / 96))
    96
    >>> ACF_find_buffer_size(np.zeros((10, 2)))
    0
    """
    arr = np.asarray(data)
    if arr.ndim != 1:
        return 0
    result = suggest_from_array(np.asarray(arr, dtype=np.float64))
    if result.fallback:
        warnings.warn(
            f"No local maxima found; returning the default buffer size of 100 ({result.reason}).",
            UserWarning,
            stacklevel=2,
        )
    return result.buffer_size


def convert_vector_to_events_PATE(vector_array: Any) -> list[tuple[int, int]]:  # noqa: N802
    """Maximal runs of points ``> 0`` as inclusive ``(start, end)`` pairs, as published.

    Parameters
    ----------
    vector_array : array-like of shape (n_samples,)
        A 0/1 (or any numeric) vector; a point belongs to an event when it is ``> 0``.

    Returns
    -------
    list of (int, int)

    See Also
    --------
    convert_events_to_array_PATE : the inverse.

    Examples
    --------
    >>> from pate.PATE_utils import convert_vector_to_events_PATE
    >>> convert_vector_to_events_PATE([1, 1, 0, 0, 1, 0, 1])
    [(0, 1), (4, 4), (6, 6)]
    """
    arr = np.asarray(vector_array)
    if arr.ndim != 1:
        raise ValueError(f"vector_array must be 1-D, got a {arr.ndim}-D array of shape {arr.shape}.")
    starts, ends = label_events(arr > 0)
    return [(int(s), int(e)) for s, e in zip(starts, ends)]


def convert_events_to_array_PATE(ranges: Iterable[Any], time_series_length: int) -> np.ndarray:  # noqa: N802
    """A 0/1 integer array of length ``time_series_length`` with ones on the inclusive ranges.

    Parameters
    ----------
    ranges : iterable of (start, end)
        Inclusive event ranges; they may overlap or touch.
    time_series_length : int
        Length of the returned array.

    Returns
    -------
    ndarray of int

    Raises
    ------
    ValueError
        If a range is not a pair of integers with ``0 <= start <= end < time_series_length``
        (the published code silently clips or wraps such ranges).

    See Also
    --------
    convert_vector_to_events_PATE : the inverse.

    Examples
    --------
    >>> from pate.PATE_utils import convert_events_to_array_PATE
    >>> convert_events_to_array_PATE([(1, 2), [4, 4]], 6).tolist()
    [0, 1, 1, 0, 1, 0]
    """
    if isinstance(time_series_length, (bool, np.bool_)) or not isinstance(time_series_length, numbers.Integral):
        raise TypeError(f"time_series_length must be an integer, got {short_repr(time_series_length)}.")
    if time_series_length < 0:
        raise ValueError(f"time_series_length must be >= 0, got {time_series_length}.")
    n = int(time_series_length)
    starts, ends = [], []
    for i, item in enumerate(ranges):
        try:
            start, end = item
        except (TypeError, ValueError):
            raise ValueError(f"ranges[{i}] must be a pair (start, end), got {short_repr(item)}.") from None
        for v in (start, end):
            if isinstance(v, (bool, np.bool_)) or not isinstance(v, numbers.Integral):
                raise ValueError(f"ranges[{i}] = {item!r}: start and end must be integers.")
        if not 0 <= start <= end < n:
            raise ValueError(
                f"ranges[{i}] = {item!r} is not a range inside the series: "
                f"need 0 <= start <= end < time_series_length = {n}."
            )
        starts.append(int(start))
        ends.append(int(end))
    out = np.zeros(n, dtype=int)
    positions, _ = concat_ranges(np.array(starts, dtype=np.int64), np.array(ends, dtype=np.int64) + 1)
    out[positions] = 1
    return out


def generate_buffer_points(max_buffer_size: int, num_splits: int, include_zero: bool = True) -> np.ndarray:
    """Buffer sizes of PATE's grid (``numpy.linspace`` then floor), as published.

    Parameters
    ----------
    max_buffer_size : int
        The largest size, ``>= 0``.
    num_splits : int
        Number of splits; ``>= 1`` (``0`` is allowed with ``include_zero=True``
        and gives ``[0]``, as published).
    include_zero : bool, default=True
        Whether 0 is one of the sizes.

    Returns
    -------
    ndarray of int
        ``num_splits + 1`` sizes with ``include_zero``, else ``num_splits``;
        repeats are kept.

    See Also
    --------
    pate.metrics.pate_curve : one curve per pair of this grid.

    Examples
    --------
    >>> from pate.PATE_utils import generate_buffer_points
    >>> generate_buffer_points(100, 4).tolist()
    [0, 25, 50, 75, 100]
    >>> generate_buffer_points(3, 9, include_zero=False).tolist()
    [0, 0, 1, 1, 1, 1, 2, 2, 3]
    """
    if isinstance(max_buffer_size, (bool, np.bool_)) or not isinstance(max_buffer_size, numbers.Real):
        raise TypeError(f"max_buffer_size must be a number, got {short_repr(max_buffer_size)}.")
    if max_buffer_size < 0:
        raise ValueError(f"max_buffer_size must be >= 0, got {max_buffer_size}.")
    if isinstance(num_splits, (bool, np.bool_)) or not isinstance(num_splits, numbers.Integral):
        raise TypeError(f"num_splits must be an integer, got {short_repr(num_splits)}.")
    minimum = 0 if include_zero else 1
    if num_splits < minimum:
        raise ValueError(f"num_splits must be >= {minimum} with include_zero={include_zero!r}, got {num_splits}.")
    return buffer_sizes(max_buffer_size, int(num_splits), bool(include_zero)).astype(int)
