"""Many series at once: ``pate_score_batch`` and ``pate_f1_score_batch``.

Every backend packs the batch into flat arrays (labels, scores or
predictions, and the offsets of the series) and validates the packed arrays
at once; an error names the series (``series 3: y_score contains NaN at
index 17``), with the message the single-series functions give.

* numba: one compiled pass over the packed batch, parallel over the series
  (``pate._engine.numba_batch``; ``n_jobs`` threads, never more than the
  cores). Each series is evaluated with the single-series engine's
  arithmetic in the same order, so the values equal a loop over
  ``pate_score``, exact ties included.
* numpy and CuPy: the array-namespace engine evaluates every series, buffer
  pair and threshold in the same few whole-array operations; only the small
  per-threshold tables come back to the host for the keep walk.

Series without anomaly (and, for PATE-F1, series that predict nothing) are
not a warning storm: the batch emits one ``UndefinedMetricWarning`` with
their count and indices (under ``undefined=`` those series get the policy's
value), and one ``FewValuedScoreWarning`` with the count of series whose
score takes at most two values (trapezoid rule only). Inputs are never
modified.
"""

from __future__ import annotations

import os
from typing import Any, Sequence

import numpy as np

from pate._engine import DENSE_THRESHOLDS, Backend, array_namespace, is_cupy_array, resolve_backend
from pate._events import buffer_pairs
from pate._namespace import to_host
from pate._validation import Kind, check_bool, check_device_targets, check_positive_int, check_targets
from pate._warnings import FewValuedScoreWarning, few_valued_message, warn_at_caller, warn_undefined
from pate.metrics._base import f1
from pate.metrics._pate import (
    _check_grid_options,
    _check_interpolation,
    _check_n_thresholds,
    _checked_pate,
    _grid_mean,
)
from pate.metrics._undefined import Undefined, undefined_policy

__all__ = ["pate_score_batch", "pate_f1_score_batch"]

# How many series indices an undefined-value warning lists before "...".
_LISTED = 10


def _as_sequence(values: Any, name: str) -> list[Any]:
    """The series of a batch: a list/tuple of arrays, a 2-D array or a DataFrame.

    A 2-D array holds one series per row, a DataFrame one per column.
    """
    kind = type(values).__name__
    if type(values).__module__.startswith("pandas"):
        if kind == "DataFrame":  # one column per series, like df.pate's score columns
            return [values.iloc[:, j].to_numpy() for j in range(values.shape[1])]
        if kind == "Series":
            raise TypeError(
                f"{name} is a single pandas Series; pass a list of series, e.g. [{name[:-1]}], "
                "or a DataFrame with one column per series."
            )
    if isinstance(values, (str, bytes, dict)) or not hasattr(values, "__len__"):
        raise TypeError(
            f"{name} must be a batch of series: a list of arrays, a 2-D array with one row per series, "
            f"or a DataFrame with one column per series; got {kind}."
        )
    ndim = getattr(values, "ndim", None)
    if ndim == 1 and getattr(values, "dtype", None) != np.dtype(object):
        raise TypeError(f"{name} is a single 1-D array; pass a list of series, e.g. [{name[:-1]}].")
    if ndim is not None and ndim > 2:
        raise ValueError(f"{name} is a {ndim}-D array; a batch is 2-D with one row per series.")
    return list(values)  # rows of a 2-D array (numpy or CuPy), items of a list


def _available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - macOS, Windows
        return os.cpu_count() or 1


def _thread_count(n_jobs: Any) -> int | None:
    """Threads for the numba pass: ``n_jobs``, capped at the cores numba may use.

    ``None`` keeps numba's current setting (``numba.set_num_threads``, all
    cores by default); ``-1`` asks for every core. Returns None for "numba's
    current setting" so that numba is imported only when it runs.
    """
    if n_jobs is None:
        return None
    if n_jobs == -1 and not isinstance(n_jobs, (bool, np.bool_)):
        return _available_cores()
    return min(check_positive_int(n_jobs, "n_jobs"), _available_cores())


# --------------------------------------------------------------------------
# Packing and validation (host inputs)


def _plain_1d(values: Any, numeric_kinds: str) -> np.ndarray | None:
    """``values`` as a 1-D numpy array when that is cheap and unambiguous, else None.

    numpy arrays and lists/tuples of numbers qualify; anything else (pandas,
    GPU arrays, object arrays, ...) goes through the full single-series
    validation, which knows how to convert or reject it.
    """
    if isinstance(values, np.ndarray):
        arr = values
    elif isinstance(values, (list, tuple)):
        try:
            arr = np.asarray(values)
        except (TypeError, ValueError):
            return None
    else:
        return None
    if arr.ndim != 1 or arr.size == 0 or arr.dtype.kind not in numeric_kinds:
        return None
    return arr


def _may_hold_inexact_ints(values: Any, arr: np.ndarray) -> bool:
    """Whether the scores need the full check for integers float64 cannot hold exactly.

    8-byte integer arrays, and lists/tuples that numpy turned into floats
    beyond 2**53 (it does so silently for Python integers beyond int64).
    """
    if arr.dtype.kind in "iu":
        return arr.dtype.itemsize == 8
    if arr.dtype.kind == "f" and isinstance(values, (list, tuple)):
        with np.errstate(invalid="ignore"):
            return bool(np.max(np.abs(arr)) >= 2.0**53)
    return False


def _binary_flags(flat: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
    """``(flat == 1, positions of values other than 0/1 or None)``."""
    if flat.dtype.kind == "b":
        return flat, None
    bad = (flat != 0) & (flat != 1)  # NaN is bad too
    return flat == 1, (np.flatnonzero(bad) if bad.any() else None)


def _pack_host(trues: list, others: list, kind: Kind) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Validate and pack host series: flat labels (bool), flat values, offsets (int64).

    Per series only the array conversion and its shape are looked at; the
    values (labels 0/1, finite scores) are checked once on the packed
    arrays. The first bad series, in input order, raises the error the
    single-series functions give, prefixed with ``series i:``.
    """
    n = len(trues)
    labels, values = [], []
    first_error: tuple[int, Exception] | None = None
    for i in range(n):
        a, b = _plain_1d(trues[i], "biuf"), _plain_1d(others[i], "biuf")
        if a is None or b is None or a.size != b.size or (kind == "score" and _may_hold_inexact_ints(others[i], b)):
            try:
                a, b = check_targets(trues[i], others[i], kind=kind)
            except (TypeError, ValueError) as exc:
                first_error = (i, exc)
                break
        labels.append(a)
        values.append(b)
    sizes = np.fromiter((a.size for a in labels), dtype=np.int64, count=len(labels))
    offsets = np.zeros(len(labels) + 1, dtype=np.int64)
    np.cumsum(sizes, out=offsets[1:])

    bad_series = []
    if labels:
        flat_labels, bad = _binary_flags(np.concatenate(labels))
        if bad is not None:
            bad_series.append(int(np.searchsorted(offsets, bad[0], side="right")) - 1)
        if kind == "binary":
            flat_values, bad = _binary_flags(np.concatenate(values))
        else:
            flat_values = np.concatenate(values, dtype=np.float64, casting="same_kind")
            finite = np.isfinite(flat_values)
            bad = None if finite.all() else np.flatnonzero(~finite)
        if bad is not None:
            bad_series.append(int(np.searchsorted(offsets, bad[0], side="right")) - 1)
    else:
        flat_labels = np.zeros(0, dtype=bool)
        flat_values = np.zeros(0, dtype=bool if kind == "binary" else np.float64)
    if bad_series:
        i = min(bad_series)
        try:
            check_targets(trues[i], others[i], kind=kind)
        except (TypeError, ValueError) as exc:
            raise type(exc)(f"series {i}: {exc}") from None
        raise AssertionError(f"series {i} failed the packed check but not check_targets")  # pragma: no cover
    if first_error is not None:
        i, error = first_error
        raise type(error)(f"series {i}: {error}") from None
    return flat_labels, flat_values, offsets


def _per_series_any(flags: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    if offsets.size < 2:
        return np.zeros(0, dtype=bool)
    return np.logical_or.reduceat(flags, offsets[:-1])


def _warn_undefined_series(metric: str, no_anomaly: np.ndarray, no_prediction: np.ndarray, n_series: int) -> None:
    """One UndefinedMetricWarning for the batch (at the user's line): the count, the indices and why."""
    undefined = np.flatnonzero(no_anomaly | no_prediction)
    if not undefined.size:
        return
    listed = ", ".join(map(str, undefined[:_LISTED].tolist())) + (", ..." if undefined.size > _LISTED else "")
    reasons = []
    if no_anomaly.any():
        reasons.append(f"{int(no_anomaly.sum())} without anomaly in y_true (recall is 0/0)")
    if no_prediction.any():
        reasons.append(f"{int(no_prediction.sum())} whose y_pred predicts no point (precision is 0/0)")
    warn_undefined(
        f"{metric}: {undefined.size} of {n_series} series gave undefined values, reported as 0.0: "
        f"{' and '.join(reasons)} (series {listed}).",
        fields=undefined,
    )


def _distinct_up_to_three(values: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    """Per series: 1 or 2 distinct values, or 3 for more (packed host arrays, vectorised)."""
    starts = offsets[:-1]
    lo = np.minimum.reduceat(values, starts)
    hi = np.maximum.reduceat(values, starts)
    seg = np.repeat(np.arange(starts.size), np.diff(offsets))
    other = np.logical_or.reduceat((values != lo[seg]) & (values != hi[seg]), starts)
    return np.where(other, 3, np.where(lo == hi, 1, 2))


def _warn_few_valued_series(n_distinct: np.ndarray, has_anomaly: np.ndarray, metric: str) -> None:
    """One FewValuedScoreWarning for the series (with anomalies) whose score takes at most two values.

    What ``pate_score`` warns about series by series (trapezoid rule),
    counted for the whole batch.
    """
    few = (n_distinct <= 2) & has_anomaly
    if few.any():
        first = int(np.flatnonzero(few)[0])
        message = few_valued_message(
            int(n_distinct[first]),
            metric,
            "rank detectors with interpolation='step' (the metric 'pate_ap'), or give binary "
            "predictions to pate_f1_score.",
        )
        warn_at_caller(f"{int(few.sum())} of {n_distinct.size} series: {message}", FewValuedScoreWarning)


def _run_batch(continuous: bool, y_trues: Any, ys: Any, y_name: str, n_jobs: Any, options: dict) -> np.ndarray:
    trues = _as_sequence(y_trues, "y_trues")
    others = _as_sequence(ys, y_name)
    if len(trues) != len(others):
        raise ValueError(
            f"y_trues and {y_name} must hold the same number of series, got {len(trues)} and {len(others)}."
        )
    threads = _thread_count(n_jobs)
    grid = _check_grid_options(
        options["early_buffer"], options["delay_buffer"], options["n_buffer_splits"], options["include_zero"]
    )
    if continuous:
        options = dict(
            options,
            n_thresholds=_check_n_thresholds(options["n_thresholds"], 2),
            drop_intermediate=check_bool(options["drop_intermediate"], "drop_intermediate"),
            interpolation=_check_interpolation(options["interpolation"]),
        )
    pairs = buffer_pairs(*grid)
    name = resolve_backend(options["backend"], *trues, *others)
    if not trues:
        return np.zeros(0, dtype=np.float64)
    if continuous and options["n_thresholds"] is not None and options["n_thresholds"] > DENSE_THRESHOLDS:
        return _series_by_series(name, trues, others, options, pairs)
    if name in ("numpy", "cupy"):
        return _packed_batch(continuous, trues, others, options, pairs)
    return _numba_batch(continuous, trues, others, options, pairs, threads)


def _series_by_series(name: str, trues: list, others: list, options: dict, pairs: list) -> np.ndarray:
    """PATE series by series, for more thresholds than the packed kernels build (``DENSE_THRESHOLDS``).

    Beyond it a series' curve is that of the distinct scores the thresholds
    reach (``pate._engine.percentiles.is_dense``), which only the
    single-series engine computes; the values are those of
    :func:`pate.pate_score`, with the batch's warnings.
    """
    host = [[to_host(a) if is_cupy_array(a) else a for a in series] for series in (trues, others)]
    labels, values, offsets = _pack_host(host[0], host[1], "score")
    has_anomaly = _per_series_any(labels, offsets)
    if options["interpolation"] == "trapezoid":
        _warn_few_valued_series(_distinct_up_to_three(values, offsets), has_anomaly, "PATE")
    xp = array_namespace(name) if name == "cupy" else np
    result = np.zeros(len(trues), dtype=np.float64)
    for i in np.flatnonzero(has_anomaly).tolist():
        lo, hi = int(offsets[i]), int(offsets[i + 1])
        result[i] = _checked_pate(
            name,
            xp.asarray(labels[lo:hi]),
            xp.asarray(values[lo:hi]),
            pairs,
            options["n_thresholds"],
            options["drop_intermediate"],
            options["interpolation"],
        )
    _warn_undefined_series("PATE", ~has_anomaly, np.zeros_like(has_anomaly), result.size)
    return result


def _numba_batch(
    continuous: bool, trues: list, others: list, options: dict, pairs: list, threads: int | None
) -> np.ndarray:
    """The packed batch in one parallel numba pass (``pate._engine.numba_batch``)."""
    from pate._engine import numba_batch  # numba: compiled when a batch first runs, not at import

    labels, values, offsets = _pack_host(trues, others, "score" if continuous else "binary")
    has_anomaly = _per_series_any(labels, offsets)
    if continuous:
        result, n_distinct = numba_batch.pate_values(
            labels,
            values,
            offsets,
            pairs,
            n_thresholds=options["n_thresholds"],
            drop_intermediate=options["drop_intermediate"],
            interpolation=options["interpolation"],
            threads=threads,
        )
        no_prediction = np.zeros_like(has_anomaly)
        if options["interpolation"] == "trapezoid":
            _warn_few_valued_series(n_distinct, has_anomaly, "PATE")
    else:
        result = numba_batch.pate_f1_values(labels, values, offsets, pairs, threads=threads)
        no_prediction = has_anomaly & ~_per_series_any(values, offsets)
    _warn_undefined_series("PATE" if continuous else "PATE-F1", ~has_anomaly, no_prediction, result.size)
    return result


def _packed_batch(continuous: bool, trues: list, others: list, options: dict, pairs: list) -> np.ndarray:
    """The array-namespace engine on the whole batch at once (numpy or CuPy).

    Validates the batch where it lives (packed host arrays, or on the
    device for CuPy inputs) and evaluates every series, buffer pair and
    threshold in the same few whole-array operations (pate._engine.xp_batch).
    """
    from pate._engine import xp_batch  # the xp batch engine: loaded when a batch runs on numpy/cupy

    kind: Kind = "score" if continuous else "binary"
    name = resolve_backend(options["backend"], *trues, *others)
    xp = array_namespace(name)
    if name == "cupy" and any(is_cupy_array(a) for a in (*trues, *others)):
        flat_labels, flat_values, sizes = _validate_device_batch(xp, trues, others, kind)
    else:  # host inputs: validated packed on the host, then one copy to the device
        host_labels, host_values, host_offsets = _pack_host(trues, others, kind)
        flat_labels, flat_values = xp.asarray(host_labels), xp.asarray(host_values)
        sizes = np.diff(host_offsets).tolist()
        if continuous and options["interpolation"] == "trapezoid":
            _warn_few_valued_series(
                _distinct_up_to_three(host_values, host_offsets), _per_series_any(host_labels, host_offsets), "PATE"
            )
    lengths = xp.asarray(np.array(sizes, dtype=np.int64))
    n_series = len(sizes)
    seg = xp.searchsorted(xp.cumsum(lengths), xp.arange(int(flat_labels.size), dtype=xp.int64), side="right")

    def per_series_any(flags: Any) -> np.ndarray:
        return to_host(xp.bincount(seg, weights=flags.astype(xp.float64), minlength=n_series) > 0)

    has_anomaly = per_series_any(flat_labels)
    if continuous:
        n_thr, drop = options["n_thresholds"], options["drop_intermediate"]
        thresholds_per_series, join = xp_batch.join(
            flat_labels, flat_values, seg, n_series, n_thresholds=n_thr, drop_intermediate=drop
        )
        host_thr = to_host(thresholds_per_series)
        offsets = np.concatenate(([0], np.cumsum(sizes)))
        parts = []
        for a, b in _table_chunks(host_thr):  # one chunk unless T_s varies a lot (exact mode)
            lo, hi = int(offsets[a]), int(offsets[b])
            parts.append(
                xp_batch.areas(
                    flat_labels[lo:hi],
                    lengths[a:b],
                    join[lo:hi],
                    thresholds_per_series[a:b],
                    pairs,
                    options["interpolation"],
                )
            )
        areas = np.concatenate(parts)
        distinct = list(dict.fromkeys(pairs))
        scores = [_grid_mean(pairs, dict(zip(distinct, row.tolist()))) for row in areas]
        no_prediction = np.zeros(n_series, dtype=bool)
    else:
        join = xp.where(flat_values, 0, 1).astype(xp.int64)
        precision, recall = xp_batch.first_threshold_precision_recall(
            flat_labels, lengths, join, xp.ones(n_series, dtype=xp.int64), pairs
        )
        distinct = list(dict.fromkeys(pairs))
        scores = []
        for s in range(n_series):
            per_pair = {pair: f1(float(precision[i, s]), float(recall[i, s])) for i, pair in enumerate(distinct)}
            scores.append(_grid_mean(pairs, per_pair))
        no_prediction = has_anomaly & ~per_series_any(flat_values)
    _warn_undefined_series("PATE" if continuous else "PATE-F1", ~has_anomaly, no_prediction, n_series)
    return np.array(scores, dtype=np.float64)


def _table_chunks(n_thresholds: np.ndarray, slack: int = 1 << 16) -> list[tuple[int, int]]:
    """Contiguous runs of series whose padded (series x max T_s) table stays small.

    The packed tables have one row per series and ``max T_s + 1`` columns.
    With a common threshold count (``n_thresholds=int``) that is no waste and
    the batch is one chunk; in exact mode a long series next to short ones
    would pad them all, so a run is closed when padding would exceed twice
    the cells it needs (plus ``slack``).
    """
    chunks, start, widest, needed = [], 0, 0, 0
    for s, t in enumerate(n_thresholds.tolist()):
        w, count = max(widest, t + 1), s - start + 1
        if count > 1 and count * w > 2 * (needed + t + 1) + slack:
            chunks.append((start, s))
            start, widest, needed = s, t + 1, t + 1
        else:
            widest, needed = w, needed + t + 1
    if n_thresholds.size:
        chunks.append((start, int(n_thresholds.size)))
    return chunks


def _validate_device_batch(xp: Any, trues: list, others: list, kind: Kind):
    """Validate a batch on the device with two synchronisations, not two per series.

    Shapes and dtypes are checked per series (metadata only); the values
    (labels 0/1, finite scores) are checked once on the concatenated arrays.
    On a failure the series are checked one by one to report the first bad
    series with the single-series message.
    """

    def one(i: int):
        try:
            return check_device_targets(xp, trues[i], others[i], kind=kind)
        except (TypeError, ValueError) as exc:
            raise type(exc)(f"series {i}: {exc}") from None

    ys, vs = [], []
    for i, (y_true, y) in enumerate(zip(trues, others)):
        a, b = xp.asarray(y_true), xp.asarray(y)
        if (
            a.ndim != 1
            or b.ndim != 1
            or a.size == 0
            or b.size == 0
            or a.shape != b.shape
            or a.dtype.kind not in "biuf"
            or b.dtype.kind not in "biuf"
        ):
            one(i)  # raises the single-series message
        ys.append(a)
        vs.append(b)
    try:
        labels, values = check_device_targets(xp, xp.concatenate(ys), xp.concatenate(vs), kind=kind)
    except (TypeError, ValueError):
        for i in range(len(ys)):
            one(i)
        raise  # pragma: no cover - a flat failure is always some series' failure
    return labels, values, [int(a.size) for a in ys]


@undefined_policy
def pate_score_batch(
    y_trues: Sequence[Any],
    y_scores: Sequence[Any],
    *,
    early_buffer: int = 100,
    delay_buffer: int = 100,
    n_buffer_splits: int = 1,
    include_zero: bool = True,
    n_thresholds: int | None = 250,
    drop_intermediate: bool = True,
    interpolation: str = "trapezoid",
    backend: Backend = "auto",
    n_jobs: int | None = None,
    undefined: Undefined = "warn",
) -> np.ndarray:
    """PATE of many series (of any lengths) in one call.

    Read more in the User Guide (docs/gpu.md).

    Parameters
    ----------
    y_trues, y_scores : sequence of array-like, 2-D array or DataFrame
        One label array and one score array per series; the lengths may differ
        between series (a ragged batch). A 2-D array holds one series per
        row (shape ``(n_series, n_samples)``); a DataFrame one series per
        column. The two may mix, e.g. a list of label arrays and a DataFrame.
    early_buffer, delay_buffer, n_buffer_splits, include_zero, n_thresholds, drop_intermediate, interpolation, backend
        As in :func:`pate.pate_score`, the same for every series.
    n_jobs : int or None, default=None
        Threads for the numba backend's parallel pass over the series, never
        more than the cores: None keeps numba's setting
        (``numba.set_num_threads``, every core by default), -1 takes every
        core. The numpy and cupy backends evaluate the packed batch at once
        and ignore it.
    undefined : {"warn", "nan"} or float, default="warn"
        The value where the metric is undefined (docs/undefined.md lists the
        cases): "warn" gives 0.0 with an ``UndefinedMetricWarning`` (as
        scikit-learn's ``zero_division``); "nan" gives nan and a number gives
        that number, both without a warning.

    Returns
    -------
    ndarray of float64, shape (n_series,)
        The scores in input order (empty for an empty batch), equal to a loop
        over :func:`pate.pate_score`. Series without anomaly give 0.0, with
        one ``UndefinedMetricWarning`` for the batch that gives their count
        and indices (``undefined`` sets another value, series by series).

    Raises
    ------
    ValueError, TypeError
        For the first bad series in input order, with the message of
        :func:`pate.pate_score` prefixed by ``series i:``.

    See Also
    --------
    pate_score : one series.
    pate_f1_score_batch : PATE-F1 of many series.

    Examples
    --------
    >>> from pate import pate_score_batch
    >>> pate_score_batch([[0, 1, 0, 1, 0], [0, 0, 1, 1]], [[.1, .8, .1, .9, .2], [.1, .2, .9, .8]])
    array([1., 1.])
    """
    options = dict(
        early_buffer=early_buffer,
        delay_buffer=delay_buffer,
        n_buffer_splits=n_buffer_splits,
        include_zero=include_zero,
        n_thresholds=n_thresholds,
        drop_intermediate=drop_intermediate,
        interpolation=interpolation,
        backend=backend,
    )
    return _run_batch(True, y_trues, y_scores, "y_scores", n_jobs, options)


@undefined_policy
def pate_f1_score_batch(
    y_trues: Sequence[Any],
    y_preds: Sequence[Any],
    *,
    early_buffer: int = 100,
    delay_buffer: int = 100,
    n_buffer_splits: int = 1,
    include_zero: bool = True,
    backend: Backend = "auto",
    n_jobs: int | None = None,
    undefined: Undefined = "warn",
) -> np.ndarray:
    """PATE-F1 of many series (of any lengths) in one call.

    Parameters
    ----------
    y_trues, y_preds : sequence of array-like, 2-D array or DataFrame
        One label array and one binary prediction array per series (a 2-D
        array: one series per row; a DataFrame: one series per column).
    early_buffer, delay_buffer, n_buffer_splits, include_zero, backend
        As in :func:`pate.pate_f1_score`.
    n_jobs : int or None, default=None
        Threads for the numba backend's parallel pass over the series, never
        more than the cores: None keeps numba's setting
        (``numba.set_num_threads``, every core by default), -1 takes every
        core. The numpy and cupy backends evaluate the packed batch at once
        and ignore it.
    undefined : {"warn", "nan"} or float, default="warn"
        The value where the metric is undefined (docs/undefined.md lists the
        cases): "warn" gives 0.0 with an ``UndefinedMetricWarning`` (as
        scikit-learn's ``zero_division``); "nan" gives nan and a number gives
        that number, both without a warning.

    Returns
    -------
    ndarray of float64, shape (n_series,)
        PATE-F1 in input order, equal to a loop over :func:`pate.pate_f1_score`.
        Series without anomaly, or whose prediction is empty, give 0.0 with
        one ``UndefinedMetricWarning`` for the batch.

    See Also
    --------
    pate_f1_score : one series.
    pate_score_batch : PATE of many series.

    Examples
    --------
    >>> from pate import pate_f1_score_batch
    >>> pate_f1_score_batch([[0, 1, 1, 0]], [[0, 1, 1, 0]], early_buffer=1, delay_buffer=1)
    array([1.])
    """
    options = dict(
        early_buffer=early_buffer,
        delay_buffer=delay_buffer,
        n_buffer_splits=n_buffer_splits,
        include_zero=include_zero,
        backend=backend,
    )
    return _run_batch(False, y_trues, y_preds, "y_preds", n_jobs, options)
