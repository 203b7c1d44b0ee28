"""Many series at once: ``pate_score_batch`` and ``pate_f1_score_batch``.

Each series goes through the single-series function (same validation, same
engine, same numbers). On the CPU (numba) the series run in parallel threads:
the numba kernels release the GIL. A series without anomaly is not a warning
storm: the batch emits one ``UndefinedMetricWarning`` with the count.
"""

from __future__ import annotations

import os
import warnings
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable, Sequence

import numpy as np

from pate._backends import Backend
from pate._validation import check_positive_int
from pate._warnings import undefined_metric_warning_class, warn_undefined
from pate.metrics._pate import pate_f1_score, pate_score

__all__ = ["pate_score_batch", "pate_f1_score_batch"]


def _as_sequence(values: Any, name: str) -> list[Any]:
    if isinstance(values, (str, bytes)) or not hasattr(values, "__len__"):
        raise TypeError(f"{name} must be a sequence of series (a list of arrays), got {type(values).__name__}.")
    if isinstance(values, np.ndarray) and values.ndim == 1 and values.dtype != object:
        raise TypeError(f"{name} is a single 1-D array; pass a list of series, e.g. [{name[:-1]}].")
    return list(values)


def _run_batch(func: Callable[..., float], y_trues: Any, ys: Any, y_name: str, n_jobs: Any, options: dict) -> np.ndarray:
    trues = _as_sequence(y_trues, "y_trues")
    others = _as_sequence(ys, y_name)
    if len(trues) != len(others):
        raise ValueError(f"y_trues and {y_name} must hold the same number of series, got {len(trues)} and {len(others)}.")
    if n_jobs is None or n_jobs == -1:
        workers = os.cpu_count() or 1
    else:
        workers = check_positive_int(n_jobs, "n_jobs")
    undefined = undefined_metric_warning_class()

    def one(i: int) -> float:
        try:
            return func(trues[i], others[i], **options)
        except (TypeError, ValueError) as exc:
            raise type(exc)(f"series {i}: {exc}") from None

    # Warnings are recorded for the whole batch from this thread (the
    # warnings machinery is process-global, so per-thread capture would race),
    # then summarised: one UndefinedMetricWarning with the count.
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        if options.get("backend", "auto") in ("numpy", "cupy") or workers == 1 or len(trues) < 2:
            values = [one(i) for i in range(len(trues))]
        else:
            with ThreadPoolExecutor(max_workers=min(workers, len(trues))) as pool:
                values = list(pool.map(one, range(len(trues))))
    flagged = [w for w in caught if issubclass(w.category, undefined)]
    for w in caught:
        if not issubclass(w.category, undefined):
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    if flagged:
        warn_undefined(
            f"{len(flagged)} of {len(trues)} series gave undefined values, reported as 0.0 "
            f"(for example: {flagged[0].message})",
            stacklevel=4,
        )
    return np.array(values, dtype=np.float64)


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
    backend: Backend = "auto",
    n_jobs: int | None = None,
) -> np.ndarray:
    """PATE of many series (of any lengths) in one call.

    Read more in the User Guide (docs/gpu.md).

    Parameters
    ----------
    y_trues, y_scores : sequence of array-like
        One label array and one score array per series; the lengths may differ
        between series (a ragged batch).
    early_buffer, delay_buffer, n_buffer_splits, include_zero, n_thresholds, drop_intermediate, backend
        As in :func:`pate.pate_score`, the same for every series.
    n_jobs : int or None, default=None
        Threads for the numba backend (None or -1: one per CPU).

    Returns
    -------
    ndarray of float64, shape (n_series,)
        The scores in input order (empty for an empty batch). Series without
        anomaly give 0.0, with one ``UndefinedMetricWarning`` for the batch.

    Examples
    --------
    >>> from pate import pate_score_batch
    >>> pate_score_batch([[0, 1, 0, 1, 0], [0, 0, 1, 1]], [[.1, .8, .1, .9, .2], [.1, .2, .9, .8]])
    array([1., 1.])
    """
    options = dict(early_buffer=early_buffer, delay_buffer=delay_buffer, n_buffer_splits=n_buffer_splits,
                   include_zero=include_zero, n_thresholds=n_thresholds, drop_intermediate=drop_intermediate,
                   backend=backend)
    return _run_batch(pate_score, y_trues, y_scores, "y_scores", n_jobs, options)


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
    y_trues, y_preds : sequence of array-like
        One label array and one binary prediction array per series.
    early_buffer, delay_buffer, n_buffer_splits, include_zero, backend
        As in :func:`pate.pate_f1_score`.
    n_jobs : int or None, default=None
        Threads for the numba backend (None or -1: one per CPU).

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
