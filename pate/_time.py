"""Timestamps and time spans: the one place where times are read and checked.

Metrics work on positions (samples); users think in time ("an alarm up to 30
minutes early counts"). This module turns a time index into plain numbers and
a time span into either the same unit (for the event metrics, which work in
time) or a whole number of samples (for PATE, whose zones are in samples).

* Date-times become int64 nanoseconds since the epoch (UTC for time-zone
  aware input): exact integer arithmetic, no float rounding at window edges.
* Numeric indexes stay numbers; their tolerances are numbers in the same unit.
* pandas is imported only where text must be parsed (``"30min"``,
  ``"2014-02-19 10:50:00"``) or a pandas object is given (then it is already
  imported): ``import pate`` stays light.

Read more in the User Guide (``docs/events.md``).
"""

from __future__ import annotations

import datetime
import numbers
import sys
from dataclasses import dataclass
from typing import Any, Literal, Union

import numpy as np

from pate._validation import InvalidValuesError, check_nonnegative_int, short_repr

__all__ = [
    "check_buffer",
    "check_tolerance",
    "TimeSpan",
    "Buffer",
    "TimeIndex",
    "check_timestamps",
    "check_increasing",
    "is_time_span",
    "span_ns",
    "span_in_units",
    "buffer_in_samples",
    "format_time",
    "format_span",
]

_NAT = np.iinfo(np.int64).min

#: A time span: text pandas reads (``"30min"``), ``numpy.timedelta64``, ``datetime.timedelta``
#: (``pandas.Timedelta`` is one).
TimeSpan = Union[str, datetime.timedelta, np.timedelta64]
#: A buffer or tolerance: a number of samples, or a time span.
Buffer = Union[int, TimeSpan]


@dataclass(frozen=True)
class TimeIndex:
    """A validated time index.

    Attributes
    ----------
    values : ndarray
        int64 nanoseconds since the epoch (``kind="datetime"``, UTC when
        ``tz`` is set), or the numbers themselves (``kind="numeric"``).
    kind : {"datetime", "numeric"}
    tz : str or None
        The time zone of time-zone aware input (shown in messages and tables).
    name : str
        The argument's name, for messages.
    """

    values: np.ndarray
    kind: Literal["datetime", "numeric"]
    tz: str | None = None
    name: str = "timestamps"

    def __len__(self) -> int:
        return int(self.values.size)


def _pandas() -> Any:
    import pandas  # only to read text as times or spans: `import pate` does not load it

    return pandas


def _is_pandas(obj: Any) -> bool:
    return "pandas" in sys.modules and type(obj).__module__.startswith("pandas")


def _from_pandas_datetimes(values: Any, name: str) -> TimeIndex:
    """A pandas datetime Series/Index (naive or time-zone aware) as int64 ns."""
    pd = _pandas()
    index = pd.DatetimeIndex(values)
    tz = None if index.tz is None else str(index.tz)
    if tz is not None:
        index = index.tz_convert("UTC").tz_localize(None)
    ns = index.as_unit("ns").asi8.copy() if hasattr(index, "as_unit") else index.asi8.copy()
    _check_no_nat(ns, values, name)
    return TimeIndex(ns, "datetime", tz, name)


def _check_no_nat(ns: np.ndarray, original: Any, name: str) -> None:
    missing = ns == _NAT
    if missing.any():
        i = int(np.flatnonzero(missing)[0])
        raise InvalidValuesError(
            f"{name} has a missing time (NaT) at row {i}; every row needs a time.",
            index=i,
            reason="the time is missing; every row needs a time.",
        )


def _parse_texts(values: np.ndarray, name: str) -> TimeIndex:
    """Strings or date-time objects, parsed by pandas; the first unreadable row is named."""
    pd = _pandas()
    for i, v in enumerate(values):
        if v is None or (pd.api.types.is_scalar(v) and pd.isna(v)):
            raise InvalidValuesError(
                f"{name} has a missing time at row {i}; every row needs a time.",
                index=i,
                reason="the time is missing; every row needs a time.",
            )
        if isinstance(v, numbers.Number):  # pandas would read a number among times as nanoseconds
            raise TypeError(f"{name} mixes numbers and times: row {i} holds the number {short_repr(v)}; give one kind.")
    try:
        parsed = pd.to_datetime(values, format="ISO8601")
    except (ValueError, TypeError, OverflowError):
        try:
            parsed = pd.to_datetime(values)
        except (ValueError, TypeError, OverflowError) as exc:
            bad = _first_unreadable(values)
            if bad is None:
                raise ValueError(
                    f"{name} could not be read as times ({exc}); give them in one format, "
                    "e.g. ISO 8601 '2014-02-19 10:50:00'."
                ) from None
            hint = "give times such as '2014-02-19 10:50:00' (ISO 8601)."
            raise InvalidValuesError(
                f"{name} row {bad} holds {short_repr(values[bad])}, which is not a time; {hint}",
                index=bad,
                reason=f"{short_repr(values[bad])} is not a time; {hint}",
            ) from None
    return _from_pandas_datetimes(parsed, name)


def _first_unreadable(values: np.ndarray) -> int | None:
    pd = _pandas()
    for i, v in enumerate(values):
        try:
            pd.Timestamp(v)
        except (ValueError, TypeError, OverflowError):
            return i
    return None


def check_timestamps(timestamps: Any, n: int | None = None, *, name: str = "timestamps") -> TimeIndex:
    """Validate a time index: date-times (any form numpy or pandas reads) or numbers.

    Parameters
    ----------
    timestamps : array-like of shape (n_samples,)
        ``numpy.datetime64`` values, a pandas ``DatetimeIndex`` or datetime
        Series (time-zone aware or not), strings such as
        ``"2014-02-19 10:50:00"``, ``datetime`` objects, or numbers.
    n : int, optional
        The length the index must have (that of ``y_true``).
    name : str, default="timestamps"
        The argument's name in error messages.

    Returns
    -------
    TimeIndex

    Examples
    --------
    >>> t = check_timestamps(["2024-01-01 00:00", "2024-01-01 00:05"])
    >>> t.kind, (t.values[1] - t.values[0]) // 10**9
    ('datetime', np.int64(300))
    >>> check_timestamps([0, 1.5, 3]).values.tolist()
    [0.0, 1.5, 3.0]
    """
    if isinstance(timestamps, TimeIndex):
        index = timestamps
    else:
        index = _read_timestamps(timestamps, name)
    if n is not None and len(index) != n:
        raise ValueError(f"{name} has {len(index)} rows but y_true has {n}; give one time per sample.")
    return index


def _read_timestamps(timestamps: Any, name: str) -> TimeIndex:
    if isinstance(timestamps, (str, bytes)):
        raise TypeError(f"{name} must be an array-like of times, got a single {type(timestamps).__name__}.")
    if _is_pandas(timestamps):
        pd = _pandas()
        dtype = getattr(timestamps, "dtype", None)
        if dtype is not None and (
            isinstance(dtype, pd.DatetimeTZDtype) or (isinstance(dtype, np.dtype) and dtype.kind == "M")
        ):
            return _from_pandas_datetimes(timestamps, name)
        timestamps = timestamps.to_numpy()
    try:
        arr = np.asarray(timestamps)
    except Exception as exc:
        raise ValueError(f"{name} could not be read as a 1-D array of times: {exc}") from exc
    if arr.ndim != 1:
        raise ValueError(f"{name} must be 1-D, got a {arr.ndim}-D array (shape {arr.shape}).")
    if arr.size == 0:
        raise ValueError(f"{name} is empty: at least one time is needed.")
    if arr.dtype.kind == "M":
        ns = arr.astype("datetime64[ns]").view(np.int64).copy()
        _check_no_nat(ns, arr, name)
        return TimeIndex(ns, "datetime", None, name)
    if arr.dtype.kind in "iu":
        return TimeIndex(arr.astype(np.int64, copy=False), "numeric", None, name)
    if arr.dtype.kind == "f":
        bad = ~np.isfinite(arr)
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise InvalidValuesError(
                f"{name} holds {arr[i]} at row {i}; times must be finite numbers or date-times.",
                index=i,
                reason=f"the time is {arr[i]}; times must be finite numbers or date-times.",
            )
        return TimeIndex(arr.astype(np.float64, copy=False), "numeric", None, name)
    if arr.dtype.kind == "b":
        raise TypeError(f"{name} holds booleans; give date-times or numbers.")
    if arr.dtype.kind == "O" and all(isinstance(v, numbers.Real) and not isinstance(v, (bool, np.bool_)) for v in arr):
        return _read_timestamps(arr.astype(np.float64), name)
    if arr.dtype.kind in "OUS":
        return _parse_texts(arr.astype(object) if arr.dtype.kind != "O" else arr, name)
    raise TypeError(f"{name} must hold date-times or numbers, got dtype {arr.dtype}.")


def format_time(index: TimeIndex, value: Any) -> str:
    """One time of ``index`` as text for messages (``'2014-02-19 10:50:00'``)."""
    if index.kind == "numeric":
        return f"{value:g}" if isinstance(value, float) else str(value)
    pd = _pandas()
    stamp = pd.Timestamp(int(value), unit="ns")
    if index.tz is not None:
        stamp = stamp.tz_localize("UTC").tz_convert(index.tz)
    return str(stamp)


def format_span(index: TimeIndex, value: Any) -> str:
    """A difference of two times of ``index`` as text (``'0 days 00:05:00'``)."""
    if index.kind == "numeric":
        return f"{value:g}" if isinstance(value, float) else str(value)
    return str(_pandas().Timedelta(int(value), unit="ns"))


def check_increasing(index: TimeIndex, purpose: str) -> None:
    """Raise unless the times are strictly increasing; the message names the first bad row.

    ``purpose`` says what needs the order (e.g. ``"max_early='30min'"``).

    >>> t = check_timestamps([0, 1, 1, 2])
    >>> check_increasing(t, "the event metrics")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    pate._validation.InvalidValuesError: timestamps must be strictly increasing for the event metrics, but row 2 ...
    """
    v = index.values
    if v.size < 2:
        return
    bad = v[1:] <= v[:-1]
    if not bad.any():
        return
    i = int(np.flatnonzero(bad)[0]) + 1
    now, before = format_time(index, v[i]), format_time(index, v[i - 1])
    if v[i] == v[i - 1]:
        what = f"row {i} ({now}) repeats the time of row {i - 1}; drop or merge the duplicate rows."
        reason = f"the time {now} repeats the previous row's; drop or merge the duplicate rows"
    else:
        what = f"row {i} ({now}) comes before row {i - 1} ({before}); sort the rows by time first."
        reason = f"the time {now} comes before the previous row's ({before}); sort the rows by time first"
    raise InvalidValuesError(
        f"{index.name} must be strictly increasing for {purpose}, but {what}",
        index=i,
        reason=f"{reason} ({purpose} needs strictly increasing times).",
    )


def is_time_span(value: Any) -> bool:
    """Whether ``value`` is a time span (text such as ``"30min"``, ``numpy.timedelta64``, ``timedelta``)."""
    return isinstance(value, (str, np.timedelta64, datetime.timedelta))


def span_ns(value: Any, name: str) -> int:
    """A time span as an int number of nanoseconds (>= 0), or a clear error."""
    if isinstance(value, str):
        try:
            float(value)
        except ValueError:
            pass
        else:  # pandas reads "12" as 12 nanoseconds: never what was meant
            raise ValueError(
                f"{name}={short_repr(value)} is text without a unit; give a number, or a time span with a unit "
                f"such as '{value}min'."
            )
        try:
            span = _pandas().Timedelta(value)
        except ValueError:
            raise ValueError(
                f"{name}={short_repr(value)} is not a time span pandas understands; "
                "give one such as '30min', '2h' or '1D'."
            ) from None
        if span is _pandas().NaT:
            raise ValueError(f"{name}={short_repr(value)} is not a time span (NaT).")
        ns = int(span.value)
    elif isinstance(value, np.timedelta64):
        if np.isnat(value):
            raise ValueError(f"{name} is NaT, not a time span.")
        if value.dtype in (np.dtype("m8[Y]"), np.dtype("m8[M]")):
            raise ValueError(
                f"{name}={short_repr(value)}: years and months have no fixed length; give days or smaller units."
            )
        ns = int(value.astype("m8[ns]").astype(np.int64))
    elif isinstance(value, datetime.timedelta):
        if hasattr(value, "value"):  # pandas.Timedelta (NaT is not a timedelta)
            ns = int(value.value)
        else:
            ns = (value.days * 86_400 + value.seconds) * 10**9 + value.microseconds * 1000
    else:  # pragma: no cover - callers test is_time_span first
        raise TypeError(f"{name} is not a time span: {short_repr(value)}")
    if ns < 0:
        raise ValueError(f"{name}={short_repr(value)} is negative; a tolerance is a span >= 0.")
    return ns


def span_in_units(value: Any, name: str, index: TimeIndex | None) -> int | float | None:
    """A tolerance in the unit of ``index``: ns for date-times, the index's unit for numbers, samples without one.

    ``None`` stays ``None``. Without ``index``, the value must be a whole
    number of samples; with date-times, a time span; with a numeric index,
    a number >= 0 in the index's unit.

    >>> span_in_units("5min", "max_early", check_timestamps(["2024-01-01"]))
    300000000000
    >>> span_in_units(3, "max_early", None)
    3
    """
    if value is None:
        return None
    if index is None:
        if is_time_span(value):
            span_ns(value, name)  # a span that cannot be read says so first
            raise ValueError(
                f"{name}={short_repr(value)} is a time span, but no timestamps were given: pass timestamps= "
                f"(one time per sample), or give {name} as a number of samples."
            )
        return check_nonnegative_int(value, name)
    if index.kind == "datetime":
        if not is_time_span(value):
            raise TypeError(
                f"{name}={short_repr(value)} is a number but the timestamps are date-times: give a time span such as "
                f"'{value}s' or pandas.Timedelta(seconds={value})."
            )
        return span_ns(value, name)
    if is_time_span(value):
        raise TypeError(
            f"{name}={short_repr(value)} is a time span but the timestamps are numbers: give {name} as a number in "
            "the timestamps' unit."
        )
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real) or not np.isfinite(float(value)):
        raise TypeError(f"{name} must be a finite number >= 0 in the timestamps' unit, got {short_repr(value)}.")
    if value < 0:
        raise ValueError(f"{name} must be >= 0, got {value}.")
    return int(value) if isinstance(value, numbers.Integral) else float(value)


def buffer_in_samples(value: Any, name: str, timestamps: Any, n: int) -> int:
    """A buffer as a number of samples: an int as is, a time span through a regular sampling.

    A time span becomes ``floor(span / step)`` samples, with ``step`` the
    (single) difference between consecutive timestamps: the buffer never
    reaches further than the span says (``"30min"`` on a 7-minute sampling is
    4 samples, 28 minutes). The timestamps must be date-times, strictly
    increasing and regularly sampled (PATE's zones are counted in samples);
    otherwise the error names the first bad row or gap.

    >>> buffer_in_samples("30min", "early_buffer", ["2024-01-01 00:00", "2024-01-01 00:07"], 2)
    4
    >>> buffer_in_samples(5, "early_buffer", None, 10)
    5
    """
    if not is_time_span(value):
        return check_nonnegative_int(value, name)
    span = span_ns(value, name)  # a span that cannot be read says so first
    if timestamps is None:
        raise ValueError(
            f"{name}={short_repr(value)} is a time span, but no timestamps were given: pass timestamps= (one time per "
            f"sample), or give {name} as a number of samples."
        )
    index = check_timestamps(timestamps, n)
    if index.kind != "datetime":
        raise TypeError(
            f"{name}={short_repr(value)} is a time span but the timestamps are numbers; "
            f"give {name} as a number of samples."
        )
    purpose = f"{name}={short_repr(value)}"
    check_increasing(index, purpose)
    v = index.values
    if v.size < 2:
        return 0  # one sample: no neighbour for a buffer to reach
    steps = np.diff(v)
    step = int(steps[0])
    irregular = steps != step
    if irregular.any():
        j = int(np.flatnonzero(irregular)[0])  # the gap between rows j and j + 1
        raise ValueError(
            f"{name}={short_repr(value)} needs a regular sampling (PATE's zones are counted in samples), but the "
            f"timestamps are irregular: rows 0-1 are {format_span(index, step)} apart, rows {j}-{j + 1} "
            f"({format_time(index, v[j])} -> {format_time(index, v[j + 1])}) {format_span(index, int(steps[j]))}. "
            f"Give {name} as a number of samples, or resample the series to a fixed step."
        )
    return span // step


def check_buffer(value: Any, name: str) -> int | None:
    """What a buffer option can be checked for without the timestamps: a sample count, or a readable span.

    The declaration of PATE's ``early_buffer``/``delay_buffer`` (``pate.metrics._options``).
    """
    if is_time_span(value):
        span_ns(value, name)
        return None
    return check_nonnegative_int(value, name)


def check_tolerance(value: Any, name: str) -> int | None:
    """:func:`check_buffer` for the event metrics' ``max_early``/``max_delay`` (None allowed)."""
    return None if value is None else check_buffer(value, name)
