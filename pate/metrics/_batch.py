"""Many series at once: ``pate_score_batch`` and ``pate_f1_score_batch``.

With the numba backend each series goes through the single-series function
(same validation, same engine, same numbers) in a thread pool: the numba
kernels release the GIL. With the numpy and CuPy backends the batch is packed
into flat arrays (a series id per point) and the array-namespace engine
evaluates every series, buffer pair and threshold in the same few
whole-array operations; only the small per-threshold tables come back to the
host for the keep walk. A series without anomaly is not a warning storm: the
batch emits one ``UndefinedMetricWarning`` with the count.
"""

from __future__ import annotations

import os
import warnings
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable, Sequence

import numpy as np

from pate._engine import Backend, array_namespace, is_cupy_array, resolve_backend
from pate._events import buffer_pairs
from pate._validation import check_bool, check_device_targets, check_positive_int, check_targets
from pate._warnings import FewValuedScoreWarning, recording_undefined, warn_at_caller, warn_undefined
from pate.metrics._pate import _check_interpolation, pate_f1_score, pate_score
from pate.metrics._undefined import undefined_policy

__all__ = ["pate_score_batch", "pate_f1_score_batch"]


def _as_sequence(values: Any, name: str) -> list[Any]:
    """The series of a batch: a list/tuple of arrays, a 2-D array (one row per series) or a DataFrame (one column per series)."""
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
    if ndim == 1 and getattr(values, "dtype", None) != object:
        raise TypeError(f"{name} is a single 1-D array; pass a list of series, e.g. [{name[:-1]}].")
    if ndim is not None and ndim > 2:
        raise ValueError(f"{name} is a {ndim}-D array; a batch is 2-D with one row per series.")
    return list(values)  # rows of a 2-D array (numpy or CuPy), items of a list


def _run_batch(
    func: Callable[..., float], y_trues: Any, ys: Any, y_name: str, n_jobs: Any, options: dict
) -> np.ndarray:
    trues = _as_sequence(y_trues, "y_trues")
    others = _as_sequence(ys, y_name)
    if len(trues) != len(others):
        raise ValueError(
            f"y_trues and {y_name} must hold the same number of series, got {len(trues)} and {len(others)}."
        )
    if n_jobs is None or n_jobs == -1:
        workers = os.cpu_count() or 1
    else:
        workers = check_positive_int(n_jobs, "n_jobs")

    def one(i: int) -> tuple[float, list]:
        try:
            with recording_undefined() as cases:  # this thread's own record (a ContextVar)
                return func(trues[i], others[i], **options), cases
        except (TypeError, ValueError) as exc:
            raise type(exc)(f"series {i}: {exc}") from None

    if resolve_backend(options["backend"], *trues, *others) in ("numpy", "cupy") and trues:
        return _packed_batch(func, trues, others, options)

    # Warnings are recorded for the whole batch from this thread (the
    # warnings machinery is process-global, so per-thread capture would race),
    # then summarised: one UndefinedMetricWarning with the count.
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        if workers == 1 or len(trues) < 2:
            results = [one(i) for i in range(len(trues))]
        else:
            with ThreadPoolExecutor(max_workers=min(workers, len(trues))) as pool:
                results = list(pool.map(one, range(len(trues))))
    values = [value for value, _ in results]
    flagged = [i for i, (_, cases) in enumerate(results) if cases]
    few = [w for w in caught if issubclass(w.category, FewValuedScoreWarning)]
    for w in caught:
        if not issubclass(w.category, FewValuedScoreWarning):
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    if few:  # once per batch, with the count
        warn_at_caller(f"{len(few)} of {len(trues)} series: {few[0].message}", FewValuedScoreWarning)
    if flagged:
        warn_undefined(
            f"{len(flagged)} of {len(trues)} series gave undefined values, reported as 0.0 "
            f"(for example: {results[flagged[0]][1][0].message})",
            fields=np.array(flagged, dtype=np.int64),
        )
    return np.array(values, dtype=np.float64)


def _packed_batch(func: Callable[..., float], trues: list, others: list, options: dict) -> np.ndarray:
    """The array-namespace engine on the whole batch at once (numpy or CuPy).

    Validates each series where it lives, packs the batch into flat arrays
    (one series id per point) and evaluates every series, buffer pair and
    threshold in the same few whole-array operations (pate._engine.xp_batch).
    """
    from pate._engine import xp_batch
    from pate.metrics._pate import _check_grid_options, _check_n_thresholds, _grid_mean

    continuous = func is pate_score
    kind = "score" if continuous else "binary"
    name = resolve_backend(options["backend"], *trues, *others)
    xp = array_namespace(name)
    if name == "cupy" and any(is_cupy_array(a) for a in (*trues, *others)):
        flat_labels, flat_values, sizes = _validate_device_batch(xp, trues, others, kind)
    else:  # host inputs: validated on the host, then one copy to the device
        labels, values = [], []
        for i, (y_true, y) in enumerate(zip(trues, others)):
            try:
                lab, val = check_targets(y_true, y, kind=kind)
            except (TypeError, ValueError) as exc:
                raise type(exc)(f"series {i}: {exc}") from None
            labels.append(lab)
            values.append(val)
        flat_labels, flat_values = xp.asarray(np.concatenate(labels)), xp.asarray(np.concatenate(values))
        sizes = [a.size for a in labels]
    early, delay, splits, zero = _check_grid_options(
        options["early_buffer"], options["delay_buffer"], options["n_buffer_splits"], options["include_zero"])
    pairs = buffer_pairs(early, delay, splits, zero)
    lengths = xp.asarray(np.array(sizes, dtype=np.int64))
    n_series = len(sizes)
    seg = xp.searchsorted(xp.cumsum(lengths), xp.arange(int(flat_labels.size), dtype=xp.int64), side="right")

    def per_series_any(flags: Any) -> np.ndarray:
        return _host(xp, xp.bincount(seg, weights=flags.astype(xp.float64), minlength=n_series) > 0)

    has_anomaly = per_series_any(flat_labels)
    if continuous:
        n_thr = _check_n_thresholds(options["n_thresholds"], 2)
        drop = check_bool(options["drop_intermediate"], "drop_intermediate")
        thresholds_per_series, join = xp_batch.join(
            flat_labels, flat_values, seg, n_series, n_thresholds=n_thr, drop_intermediate=drop)
        host_thr = _host(xp, thresholds_per_series)
        offsets = np.concatenate(([0], np.cumsum(sizes)))
        parts = []
        for a, b in _table_chunks(host_thr):  # one chunk unless T_s varies a lot (exact mode)
            lo, hi = int(offsets[a]), int(offsets[b])
            parts.append(xp_batch.areas(flat_labels[lo:hi], lengths[a:b], join[lo:hi], thresholds_per_series[a:b],
                                        pairs, options["interpolation"]))
        areas = np.concatenate(parts)
        distinct = list(dict.fromkeys(pairs))
        scores = [_grid_mean(pairs, dict(zip(distinct, row.tolist()))) for row in areas]
        no_prediction = np.zeros(n_series, dtype=bool)
    else:
        join = xp.where(flat_values, 0, 1).astype(xp.int64)
        precision, recall = xp_batch.first_threshold_precision_recall(
            flat_labels, lengths, join, xp.ones(n_series, dtype=xp.int64), pairs)
        distinct = list(dict.fromkeys(pairs))
        scores = []
        for s in range(n_series):
            f1 = {}
            for i, pair in enumerate(distinct):
                p, r = float(precision[i, s]), float(recall[i, s])
                f1[pair] = 2 * p * r / (p + r) if p + r > 0 else 0.0
            scores.append(_grid_mean(pairs, f1))
        no_prediction = has_anomaly & ~per_series_any(flat_values)
    undefined = int((~has_anomaly).sum() + no_prediction.sum())
    if undefined:
        metric = "PATE" if continuous else "PATE-F1"
        example = (f"{metric} is undefined when y_true has no anomaly (recall is 0/0)" if not has_anomaly.all()
                   else "PATE-F1: y_pred predicts no point, so precision is 0/0")
        warn_undefined(
            f"{undefined} of {n_series} series gave undefined values, reported as 0.0 (for example: {example})",
            fields=np.flatnonzero(~has_anomaly | no_prediction),
        )
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


def _validate_device_batch(xp: Any, trues: list, others: list, kind: str):
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
        if (a.ndim != 1 or b.ndim != 1 or a.size == 0 or b.size == 0 or a.shape != b.shape
                or a.dtype.kind not in "biuf" or b.dtype.kind not in "biuf"):
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


def _host(xp: Any, a: Any) -> np.ndarray:
    return np.asarray(a) if xp is np else xp.asnumpy(a)


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
        Threads for the numba backend (None or -1: one per CPU); the numpy and
        cupy backends evaluate the packed batch at once and ignore it.

    Returns
    -------
    ndarray of float64, shape (n_series,)
        The scores in input order (empty for an empty batch). Series without
        anomaly give 0.0, with one ``UndefinedMetricWarning`` for the batch
        (``undefined`` sets another value, series by series).

    Examples
    --------
    >>> from pate import pate_score_batch
    >>> pate_score_batch([[0, 1, 0, 1, 0], [0, 0, 1, 1]], [[.1, .8, .1, .9, .2], [.1, .2, .9, .8]])
    array([1., 1.])
    """
    options = dict(early_buffer=early_buffer, delay_buffer=delay_buffer, n_buffer_splits=n_buffer_splits,
                   include_zero=include_zero, n_thresholds=n_thresholds, drop_intermediate=drop_intermediate,
                   interpolation=_check_interpolation(interpolation), backend=backend)
    return _run_batch(pate_score, y_trues, y_scores, "y_scores", n_jobs, options)


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
        Threads for the numba backend (None or -1: one per CPU); the numpy and
        cupy backends evaluate the packed batch at once and ignore it.

    Returns
    -------
    ndarray of float64, shape (n_series,)

    Examples
    --------
    >>> from pate import pate_f1_score_batch
    >>> pate_f1_score_batch([[0, 1, 1, 0]], [[0, 1, 1, 0]], early_buffer=1, delay_buffer=1)
    array([1.])
    """
    options = dict(early_buffer=early_buffer, delay_buffer=delay_buffer, n_buffer_splits=n_buffer_splits,
                   include_zero=include_zero, backend=backend)
    return _run_batch(pate_f1_score, y_trues, y_preds, "y_preds", n_jobs, options)
