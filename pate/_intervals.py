"""Anomaly labels given as time intervals: NAB's window file, a CSV of intervals, pairs in code.

Labellers mark anomalies as time intervals (NAB's ``labels/combined_windows.json``,
ESA-ADB's ``labels.csv``, Orion's ``(start, end)`` pairs); the metrics take one
0/1 label per sample. :func:`labels_from_intervals` turns one into the other:
an interval ``[start, end]`` covers every timestamp ``t`` with
``start <= t <= end`` (both ends included, as NAB), so the result is exactly
NAB's label column (tested on all 58 NAB series). :func:`read_intervals`
reads an interval file and finds the intervals of each series file.

Read more in the User Guide (``docs/events.md``).
"""

from __future__ import annotations

import json
import numbers
import os
import warnings
from dataclasses import dataclass
from pathlib import PurePath
from types import MappingProxyType
from typing import Any, Iterable, Mapping

import numpy as np

from pate._time import TimeIndex, _pandas, check_timestamps, format_time
from pate._validation import short_repr

__all__ = ["EmptyIntervalWarning", "IntervalFile", "labels_from_intervals", "read_intervals"]

Interval = tuple[Any, Any]


class EmptyIntervalWarning(UserWarning):
    """An anomaly interval covers no timestamp of its series (outside its time range, or between two samples).

    Such an interval labels nothing; it is reported rather than dropped silently,
    since it usually means a wrong file, series or time zone.
    """


def _is_number(value: Any) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_))


def _endpoint(value: Any, index: TimeIndex, where: str, which: str) -> Any:
    """One end of an interval in the unit of ``index`` (ns for date-times), or an error naming the interval."""
    if index.kind == "numeric":
        if isinstance(value, str):
            try:
                value = float(value)
            except ValueError:
                raise ValueError(
                    f"{where}: the {which} {short_repr(value)} is not a number, and the timestamps are numbers."
                ) from None
        if not _is_number(value) or not np.isfinite(value):
            raise TypeError(
                f"{where}: the {which} {short_repr(value)} must be a finite number (the timestamps are numbers)."
            )
        return value
    if _is_number(value):
        raise TypeError(
            f"{where}: the {which} {short_repr(value)} is a number but the timestamps are date-times; "
            "give times such as '2014-02-19 10:50:00'."
        )
    pd = _pandas()
    try:
        stamp = pd.Timestamp(value)
    except (ValueError, TypeError, OverflowError):
        raise ValueError(
            f"{where}: the {which} {short_repr(value)} is not a time; give times such as "
            "'2014-02-19 10:50:00' (ISO 8601)."
        ) from None
    if stamp is pd.NaT:
        raise ValueError(f"{where}: the {which} is missing (NaT).")
    if stamp.tzinfo is None and index.tz is not None:
        stamp = stamp.tz_localize(index.tz)
    elif stamp.tzinfo is not None and index.tz is None:
        raise ValueError(
            f"{where}: the {which} {short_repr(value)} has a time zone but the timestamps have none; "
            "give both with or both without one."
        )
    if stamp.tzinfo is not None:
        stamp = stamp.tz_convert("UTC").tz_localize(None)
    return int(stamp.as_unit("ns").value) if hasattr(stamp, "as_unit") else int(stamp.value)


def _pairs(intervals: Any) -> list[Interval]:
    """The (start, end) pairs of ``intervals``: pairs, a 2-column array, or a frame with start/end columns."""
    if isinstance(intervals, (str, bytes)):
        raise TypeError("intervals must be a list of (start, end) pairs, got a string.")
    columns = getattr(intervals, "columns", None)
    if columns is not None:
        if "start" not in columns or "end" not in columns:
            raise ValueError(f"an interval table needs the columns 'start' and 'end'; it has {list(columns)}.")
        return list(zip(intervals["start"].tolist(), intervals["end"].tolist(), strict=True))
    try:
        items = list(intervals)
    except TypeError:
        raise TypeError(f"intervals must be a list of (start, end) pairs, got {type(intervals).__name__}.") from None
    out = []
    for k, item in enumerate(items):
        if isinstance(item, (str, bytes)) or not hasattr(item, "__len__") or len(item) != 2:
            raise ValueError(f"intervals[{k}] must be a (start, end) pair, got {short_repr(item)}.")
        out.append((item[0], item[1]))
    return out


def labels_from_intervals(timestamps: Any, intervals: Any, *, names: Iterable[str] | None = None) -> np.ndarray:
    """0/1 labels of a series from anomaly intervals: 1 where a timestamp lies in an interval.

    An interval ``[start, end]`` covers every timestamp ``t`` with
    ``start <= t <= end``, both ends included (as NAB's windows).
    Overlapping or touching intervals merge into one labelled run. The
    timestamps need not be sorted or unique (each row is labelled by its
    own time). Read more in the User Guide (``docs/events.md``).

    Parameters
    ----------
    timestamps : array-like of shape (n_samples,)
        The series' times: date-times in any form numpy or pandas reads
        (``DatetimeIndex``, ``datetime64``, strings such as
        ``"2014-02-19 10:50:00"``, ``datetime``), time-zone aware or not; or
        numbers.
    intervals : iterable of (start, end) pairs
        Also an array of shape (n_intervals, 2) or a DataFrame with columns
        ``start`` and ``end``. Ends are anything pandas reads as a time
        (strings such as NAB's ``"2014-02-19 10:50:00.000000"``,
        ``Timestamp``, ``datetime64``) when the timestamps are date-times, or
        numbers when they are numbers. A time-zone naive end is read in the
        timestamps' time zone.
    names : iterable of str, optional
        How each interval is named in messages (default ``intervals[k]``).

    Returns
    -------
    ndarray of int8 of shape (n_samples,)
        1 inside an interval, 0 elsewhere.

    Raises
    ------
    ValueError
        An interval that starts after it ends, an end that is not a time,
        or timestamps that cannot be read; the message names the interval
        (or the row).

    Warns
    -----
    EmptyIntervalWarning
        When an interval covers no timestamp (it lies outside the series'
        time range, or between two samples); it labels nothing.

    See Also
    --------
    read_intervals : read NAB's window file or a CSV of intervals.
    event_table : one row per labelled event.

    Examples
    --------
    >>> import pate
    >>> times = ["2014-02-19 10:40", "2014-02-19 10:45", "2014-02-19 10:50", "2014-02-19 10:55"]
    >>> pate.labels_from_intervals(times, [("2014-02-19 10:45:00.000000", "2014-02-19 10:50:00.000000")])
    array([0, 1, 1, 0], dtype=int8)
    >>> pate.labels_from_intervals([0, 1, 2, 3, 4, 5], [(1, 2), (2, 3), (5, 9)])
    array([0, 1, 1, 1, 0, 1], dtype=int8)
    """
    index = check_timestamps(timestamps)
    pairs = _pairs(intervals)
    labels = [f"intervals[{k}]" for k in range(len(pairs))] if names is None else list(names)
    if len(labels) != len(pairs):  # pragma: no cover - programming error
        raise ValueError("names must name every interval")
    v = index.values
    order = np.argsort(v, kind="stable")
    ordered = v[order]
    cover = np.zeros(v.size + 1, dtype=np.int64)
    empty = []
    for (start, end), name in zip(pairs, labels, strict=True):
        where = f"{name} ({short_repr(start)}, {short_repr(end)})"
        s = _endpoint(start, index, where, "start")
        e = _endpoint(end, index, where, "end")
        if s > e:
            raise ValueError(f"{where} starts after it ends; give each interval as (start, end) with start <= end.")
        lo = int(np.searchsorted(ordered, s, side="left"))
        hi = int(np.searchsorted(ordered, e, side="right"))
        if lo == hi:
            if e < ordered[0]:
                place = "before the first time"
            elif s > ordered[-1]:
                place = "after the last time"
            else:
                place = "between two samples"
            empty.append(f"{where} ({place})")
            continue
        cover[lo] += 1
        cover[hi] -= 1
    if empty:
        shown = "; ".join(empty[:5]) + (f"; and {len(empty) - 5} more" if len(empty) > 5 else "")
        span = f"{format_time(index, ordered[0])} to {format_time(index, ordered[-1])}"
        warnings.warn(
            f"{len(empty)} of {len(pairs)} intervals cover no timestamp of the series (times {span}), so they "
            f"label nothing: {shown}. Check the series, the interval file and the time zone.",
            EmptyIntervalWarning,
            stacklevel=2,
        )
    out = np.empty(v.size, dtype=np.int8)
    out[order] = np.cumsum(cover[:-1]) > 0
    return out


# Suffixes a series file may carry that its key may lack (NAB keys say ".csv", files may be ".csv.gz").
_COMPRESSION = (".gz", ".bz2", ".xz", ".zst", ".zip")
_DATA = (".csv", ".tsv", ".txt", ".parquet", ".pq", ".feather", ".json")


def _parts(path: str) -> tuple[str, ...]:
    """Path components with the data and compression suffixes of the last one removed."""
    parts = [p for p in str(path).replace("\\", "/").split("/") if p not in ("", ".")]
    if not parts:
        return ()
    name = parts[-1]
    lowered = name.lower()
    for suffix in _COMPRESSION:
        if lowered.endswith(suffix):
            name, lowered = name[: -len(suffix)], lowered[: -len(suffix)]
            break
    for suffix in _DATA:
        if lowered.endswith(suffix):
            name = name[: -len(suffix)]
            break
    return (*parts[:-1], name)


@dataclass(frozen=True, repr=False)
class IntervalFile:
    """Anomaly intervals of one or more series, as read by :func:`read_intervals`.

    Attributes
    ----------
    path : str
        The file they were read from (for messages).
    intervals : mapping of str to tuple of (start, end) pairs
        Per series key, its intervals as written in the file (text or
        numbers). A CSV without a ``series`` column has the one key ``""``,
        which applies to whichever file it is used with.

    Examples
    --------
    >>> import pate
    >>> windows = pate.IntervalFile("windows.json", {"realKnownCause/machine.csv": (("2014-02-19", "2014-02-20"),)})
    >>> windows.find("data/realKnownCause/machine.csv.gz")
    (('2014-02-19', '2014-02-20'),)
    """

    path: str
    intervals: Mapping[str, tuple[Interval, ...]]

    def __post_init__(self) -> None:
        object.__setattr__(self, "intervals", MappingProxyType(dict(self.intervals)))

    def __repr__(self) -> str:
        n = sum(len(v) for v in self.intervals.values())
        return f"IntervalFile({self.path!r}: {len(self.intervals)} series, {n} intervals)"

    def find(
        self, file: str | os.PathLike[str], *, root: str | os.PathLike[str] | None = None, shown: str | None = None
    ) -> tuple[Interval, ...]:
        """The intervals of one series file, found by its relative path or its file name.

        Keys and file paths are compared without their data and compression
        suffixes (``x.csv`` matches ``x.csv.gz``) and from the end, component
        by component: the key sharing the most trailing components with the
        file's path (relative to ``root`` when given) wins; at least the file
        name must match. ``shown`` is how messages name the file (default: ``file``).

        Raises
        ------
        ValueError
            If no key matches the file (the message names it), or two keys
            match it equally well.
        """
        if set(self.intervals) == {""}:
            return self.intervals[""]
        path = str(file)
        if root is not None:
            try:
                path = os.path.relpath(path, root)
            except ValueError:
                pass
        target = _parts(path)
        best = 0
        matches: list[str] = []
        for key in self.intervals:
            key_parts = _parts(key)
            common = 0
            while common < min(len(key_parts), len(target)) and key_parts[-1 - common] == target[-1 - common]:
                common += 1
            if common and common >= best:
                matches = [key] if common > best else [*matches, key]
                best = common
        if not matches:
            keys = list(self.intervals)
            sample = ", ".join(repr(k) for k in keys[:3]) + (", ..." if len(keys) > 3 else "")
            raise ValueError(
                f"{shown or file}: no intervals for this series in {self.path} (keys are matched by relative path or "
                f"file name; its keys are {sample}). Add the series to the file, with [] if it has no anomaly."
            )
        if len(matches) > 1:
            raise ValueError(
                f"{shown or file}: several keys of {self.path} match this series ({', '.join(map(repr, matches))}); "
                "name the files by their relative path in the interval file."
            )
        return self.intervals[matches[0]]

    def labels(
        self,
        file: str | os.PathLike[str],
        timestamps: Any,
        *,
        root: str | os.PathLike[str] | None = None,
        shown: str | None = None,
    ) -> np.ndarray:
        """0/1 labels of a series file from its intervals (:meth:`find`, then :func:`labels_from_intervals`)."""
        pairs = self.find(file, root=root, shown=shown)
        names = [f"interval {k} of {shown or file} in {self.path}" for k in range(len(pairs))]
        return labels_from_intervals(timestamps, pairs, names=names)


def read_intervals(path: str | os.PathLike[str]) -> IntervalFile:
    """Read anomaly intervals from NAB's window file or a CSV of ``series,start,end``.

    Two layouts are read:

    * JSON, NAB's ``labels/combined_windows.json``: an object mapping each
      series key (a relative path such as
      ``"realKnownCause/machine_temperature_system_failure.csv"`` or a file
      name) to a list of ``[start, end]`` pairs.
    * CSV with a header and the columns ``series``, ``start``, ``end``
      (``series`` may be left out when the file describes one series).
      Other columns are ignored.

    Times are kept as written and read against each series' own time
    index by :meth:`IntervalFile.labels`. Read more in the User Guide
    (``docs/events.md``).

    Parameters
    ----------
    path : str or path-like
        A ``.json`` file (NAB's layout) or any other text file (CSV).

    Returns
    -------
    IntervalFile

    Raises
    ------
    ValueError
        If the file does not have either layout; the message names the
        file and the key or line at fault.

    See Also
    --------
    labels_from_intervals : labels of one series from its intervals.

    Examples
    --------
    >>> import pate, tempfile, os
    >>> folder = tempfile.mkdtemp()
    >>> with open(os.path.join(folder, "windows.csv"), "w") as f:
    ...     _ = f.write("series,start,end\\nmachine.csv,2014-02-19 10:50,2014-02-19 11:05\\n")
    >>> windows = pate.read_intervals(os.path.join(folder, "windows.csv"))
    >>> windows.find("machine.csv")
    (('2014-02-19 10:50', '2014-02-19 11:05'),)
    """
    path = os.fspath(path)
    if PurePath(path).suffix.lower() == ".json":
        return IntervalFile(path, _read_json(path))
    return IntervalFile(path, _read_csv(path))


def _read_json(path: str) -> dict[str, tuple[Interval, ...]]:
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
    except json.JSONDecodeError as exc:
        raise ValueError(f"{path}: not valid JSON ({exc}).") from None
    if not isinstance(data, dict):
        raise ValueError(
            f"{path}: expected a JSON object mapping each series to a list of [start, end] pairs "
            f"(NAB's combined_windows.json layout), got a {type(data).__name__}."
        )
    out: dict[str, tuple[Interval, ...]] = {}
    for key, windows in data.items():
        if not isinstance(windows, list):
            raise ValueError(
                f"{path}: series {key!r} must map to a list of [start, end] pairs, got {short_repr(windows)}."
            )
        pairs = []
        for k, window in enumerate(windows):
            if not isinstance(window, list) or len(window) != 2:
                raise ValueError(
                    f"{path}: interval {k} of series {key!r} must be a [start, end] pair, got {short_repr(window)}."
                )
            for end in window:
                if not isinstance(end, (str, int, float)) or isinstance(end, bool):
                    raise ValueError(
                        f"{path}: interval {k} of series {key!r} holds {short_repr(end)}; "
                        "ends are times (text) or numbers."
                    )
            pairs.append((window[0], window[1]))
        out[str(key)] = tuple(pairs)
    return out


def _read_csv(path: str) -> dict[str, tuple[Interval, ...]]:
    pd = _pandas()
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, skipinitialspace=True)
    except pd.errors.EmptyDataError:
        raise ValueError(f"{path}: the file is empty; expected a CSV with the columns series,start,end.") from None
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise ValueError(f"{path}: not a readable CSV ({exc}).") from None
    frame.columns = [str(c).strip() for c in frame.columns]
    missing = [c for c in ("start", "end") if c not in frame.columns]
    if missing:
        raise ValueError(
            f"{path}: expected the columns series,start,end (series optional for one series); "
            f"missing {', '.join(missing)} (columns are {list(frame.columns)})."
        )
    has_series = "series" in frame.columns
    keys = frame["series"].tolist() if has_series else [""] * len(frame)
    out: dict[str, list[Interval]] = {}
    for row, (key, start, end) in enumerate(zip(keys, frame["start"].tolist(), frame["end"].tolist(), strict=True)):
        line = row + 2  # 1-based, after the header line
        key, start, end = key.strip(), start.strip(), end.strip()
        for column, value in (("series", key), ("start", start), ("end", end)):
            if value == "" and (column != "series" or has_series):
                raise ValueError(f"{path}, line {line}: the {column} cell is empty.")
        out.setdefault(key, []).append((start, end))
    return {k: tuple(v) for k, v in out.items()}
