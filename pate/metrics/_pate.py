"""PATE and PATE-F1: the public metric functions.

Data flows one way: validate (``pate._validation``) -> thresholds and join
indices -> events/zones (``pate._events``) -> kernel -> curve and area ->
mean over the buffer grid. The engine (numba, or the array-namespace engine
for numpy and CuPy) is chosen once by backend: ``pate._engine.get_engine``.
"""

from __future__ import annotations

from typing import Any, Literal

import numpy as np

from pate._engine import Backend, array_namespace, get_engine, is_cupy_array, resolve_backend
from pate._events import buffer_pairs
from pate._namespace import get_namespace, to_host
from pate._time import Buffer, buffer_in_samples, check_timestamps
from pate._validation import (
    Kind,
    check_bool,
    check_choice,
    check_device_targets,
    check_positive_int,
    check_targets,
)
from pate._warnings import n_distinct_if_few, warn_few_valued, warn_undefined
from pate.metrics._base import f1
from pate.metrics._results import BufferPairCurve
from pate.metrics._undefined import Undefined, undefined_policy

__all__ = ["pate_score", "pate_f1_score", "pate_curve", "BufferPairCurve", "Interpolation"]

Interpolation = Literal["trapezoid", "step"]
INTERPOLATIONS: tuple[Interpolation, ...] = ("trapezoid", "step")


#: Largest ``n_buffer_splits``: the grid holds ``(n_buffer_splits + 1) ** 2``
#: buffer pairs (about a million here), each a curve to compute.
MAX_BUFFER_SPLITS = 1000


def check_buffer_splits(value: Any, name: str = "n_buffer_splits") -> int:
    """``n_buffer_splits`` as an int: an integer from 1 to :data:`MAX_BUFFER_SPLITS`, else raise."""
    splits = check_positive_int(value, name)
    if splits > MAX_BUFFER_SPLITS:
        raise ValueError(
            f"{name} must be at most {MAX_BUFFER_SPLITS}, got {splits}: the buffer grid holds "
            f"({name} + 1)**2 = {(splits + 1) ** 2:,} (early, delay) pairs, each a curve to compute. "
            f"Sizes repeat once {name} exceeds the largest buffer, so a few splits describe the grid."
        )
    return splits


def _check_grid_options(
    early_buffer: Any, delay_buffer: Any, n_buffer_splits: Any, include_zero: Any, timestamps: Any = None, n: int = 0
):
    """The grid options checked; buffers given as time spans become samples through ``timestamps``."""
    if timestamps is not None:
        timestamps = check_timestamps(timestamps, n)  # read once, for both buffers
    return (
        buffer_in_samples(early_buffer, "early_buffer", timestamps, n),
        buffer_in_samples(delay_buffer, "delay_buffer", timestamps, n),
        check_buffer_splits(n_buffer_splits),
        check_bool(include_zero, "include_zero"),
    )


def _validate(y_true: Any, y: Any, kind: Kind, backend: Any) -> tuple[str, Any, Any]:
    """Resolve the backend, then validate where the data live (host, or device for CuPy inputs)."""
    name = resolve_backend(backend, y_true, y)
    if name == "cupy":
        xp = array_namespace("cupy")
        if is_cupy_array(y_true) or is_cupy_array(y):
            labels, values = check_device_targets(xp, y_true, y, kind=kind)
        else:
            labels, values = check_targets(y_true, y, kind=kind)
            labels, values = xp.asarray(labels), xp.asarray(values)
        return name, labels, values
    labels, values = check_targets(y_true, y, kind=kind)
    return name, labels, values


def _check_interpolation(interpolation: Any) -> Interpolation:
    return check_choice(interpolation, "interpolation", INTERPOLATIONS)


def _pair_area() -> Any:
    """``pate._engine.curve.pair_area``, the area of one pair's curve by the chosen rule."""
    from pate._engine.curve import pair_area  # the engine module loads numba: not at `import pate`

    return pair_area


def _check_n_thresholds(n_thresholds: Any, minimum: int) -> int | None:
    if n_thresholds is None:
        return None
    return check_positive_int(n_thresholds, "n_thresholds", minimum=minimum)


def _warn_no_anomaly(metric: str) -> None:
    warn_undefined(
        f"{metric} is undefined when y_true has no anomaly (recall is 0/0); returning 0.0 "
        "as the published PATE package does.",
    )


def _continuous_curves(
    y_true: Any,
    y_score: Any,
    early_buffer: Any,
    delay_buffer: Any,
    n_buffer_splits: Any,
    include_zero: Any,
    n_thresholds: Any,
    drop_intermediate: Any,
    backend: Any,
    metric: str,
    n_thresholds_minimum: int = 2,
    interpolation: str | None = None,
    timestamps: Any = None,
):
    """Validate, then build the curve of every distinct buffer pair of the grid.

    ``n_thresholds_minimum`` is 2 for the public API (one threshold is no
    curve); the published-API drop-in allows 1 (only the top score), as the
    published package does. ``interpolation="trapezoid"`` warns about a score
    with at most two distinct values (``None``: no such warning, the drop-in
    and the curves).
    """
    name, labels, scores = _validate(y_true, y_score, "score", backend)
    early, delay, splits, zero = _check_grid_options(
        early_buffer, delay_buffer, n_buffer_splits, include_zero, timestamps, int(labels.shape[0])
    )
    n_thr = _check_n_thresholds(n_thresholds, n_thresholds_minimum)
    drop = check_bool(drop_intermediate, "drop_intermediate")
    if not bool(labels.any()):
        _warn_no_anomaly(metric)
    elif interpolation == "trapezoid":
        n_distinct = n_distinct_if_few(scores)
        if n_distinct:
            warn_few_valued(
                n_distinct,
                metric,
                "rank detectors with interpolation='step' (the metric 'pate_ap'), or give binary "
                "predictions to pate_f1_score.",
            )
    pairs = buffer_pairs(early, delay, splits, zero)
    curves, thresholds = _checked_curves(name, labels, scores, pairs, n_thr, drop)
    return pairs, curves, thresholds


def _checked_curves(
    name: str, labels: Any, scores: Any, pairs: list[tuple[int, int]], n_thresholds: int | None, drop_intermediate: bool
) -> tuple[dict, Any]:
    """The curves of every distinct pair and the thresholds, for validated inputs and a resolved backend."""
    engine = get_engine(name)
    thresholds, join = engine.join(labels, scores, n_thresholds=n_thresholds, drop_intermediate=drop_intermediate)
    return engine.curves(labels, join, thresholds.size, pairs), thresholds


def _checked_pate(
    name: str,
    labels: Any,
    scores: Any,
    pairs: list[tuple[int, int]],
    n_thresholds: int | None,
    drop_intermediate: bool,
    interpolation: str,
) -> float:
    """PATE of validated inputs (no warning): what :func:`pate_score` returns after its checks."""
    from pate._engine.curve import pair_area  # the engine loads numba: not at import time

    curves, _ = _checked_curves(name, labels, scores, pairs, n_thresholds, drop_intermediate)
    return _grid_mean(pairs, {pair: pair_area(c, interpolation) for pair, c in curves.items()})


@undefined_policy
def pate_score(
    y_true: Any,
    y_score: Any,
    *,
    early_buffer: Buffer = 100,
    delay_buffer: Buffer = 100,
    n_buffer_splits: int = 1,
    include_zero: bool = True,
    n_thresholds: int | None = 250,
    drop_intermediate: bool = True,
    interpolation: Interpolation = "trapezoid",
    backend: Backend = "auto",
    timestamps: Any = None,
    undefined: Undefined = "warn",
) -> float:
    """PATE: proximity-aware, threshold-free score of continuous anomaly scores.

    The area under PATE's precision-recall curve (points in buffer zones
    around each labelled event earn partial credit), averaged over a grid of
    (early, delay) buffer sizes. Defaults reproduce the published ``PATE``
    0.1.1 package.

    Read more in the User Guide (``docs/pate.md``).

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Labels, 0/1 or bool; runs of ones are the anomaly events.
    y_score : array-like of shape (n_samples,)
        Anomaly scores, higher means more anomalous; must be finite.
    early_buffer : int or time span, default=100
        Largest pre-buffer (points before an event that earn early credit).
        A time span (``"30min"``, ``numpy.timedelta64``, ``pandas.Timedelta``)
        with ``timestamps`` becomes ``floor(span / step)`` points of the
        regular sampling step (docs/events.md).
    delay_buffer : int or time span, default=100
        Largest post-buffer (points after an event that earn delayed credit);
        a time span as for ``early_buffer``.
    n_buffer_splits : int, default=1
        Number of splits of each buffer range; the grid holds every pair of
        an early and a delay size (``numpy.linspace`` sizes, repeats kept).
    include_zero : bool, default=True
        Whether size 0 is part of the grid.
    n_thresholds : int or None, default=250
        Number of percentile thresholds (the package's ``Big_Data`` mode);
        ``None`` evaluates every kept distinct score (the exact curve).
    drop_intermediate : bool, default=True
        Drop thresholds where the number of labelled points above them
        does not change on either side.
    interpolation : {"trapezoid", "step"}, default="trapezoid"
        How the kept precision-recall points are integrated. ``"trapezoid"``
        is the published definition (the number papers report). ``"step"``
        is the right-endpoint rule of average precision (the registry's
        ``pate_ap``): a constant score then earns ``recall * precision``
        instead of ``recall * (1 + precision) / 2``, so it no longer outranks
        real detectors. See docs/pate.md, "Constant and few-valued scores".
    backend : {"auto", "numba", "numpy", "cupy"}, default="auto"
        Engine: ``"numba"`` the exact sequential sweep on the CPU; ``"numpy"``
        and ``"cupy"`` the array-namespace engine (the GPU code path) with
        numpy on the CPU or CuPy on an NVIDIA GPU (``pip install "pate-eval[gpu]"``);
        ``"auto"`` picks cupy when the inputs are CuPy arrays (no copy to the
        host), numba otherwise. All give the same result to rounding.
    timestamps : array-like of shape (n_samples,), optional
        The time of each sample (date-times), needed for buffers given as
        time spans. They must be strictly increasing and regularly sampled
        (PATE's zones are counted in samples); the error names the first
        bad row or gap.
    undefined : {"warn", "nan"} or float, default="warn"
        The value where the metric is undefined (docs/undefined.md lists the
        cases): "warn" gives 0.0 with an ``UndefinedMetricWarning`` (as
        scikit-learn's ``zero_division``); "nan" gives nan and a number gives
        that number, both without a warning.

    Returns
    -------
    float
        PATE in [0, 1]. 0.0 with ``UndefinedMetricWarning`` when ``y_true`` has no anomaly.

    Warns
    -----
    FewValuedScoreWarning
        With ``interpolation="trapezoid"``, when ``y_score`` takes at most two
        distinct values (the trapezoid from (0, 1) is optimistic there).

    See Also
    --------
    pate_f1_score : PATE-F1 for binary predictions.
    pate_curve : the per-buffer-pair curves behind this number.

    Notes
    -----
    Near-ties between recalls are settled in exact arithmetic, so the result
    is the exact-arithmetic definition; the published package can differ
    where its own rounding breaks an exact tie (docs/pate.md).

    Examples
    --------
    >>> from pate import pate_score
    >>> pate_score([0, 1, 0, 1, 0], [0.1, 0.8, 0.1, 0.9, 0.2])
    1.0
    >>> y_true = [0] * 10 + [1] * 5 + [0] * 10
    >>> y_score = [0.1] * 8 + [0.6, 0.7] + [0.9] * 3 + [0.2] * 12
    >>> round(pate_score(y_true, y_score, early_buffer=3, delay_buffer=3), 4)
    0.8794
    >>> round(pate_score(y_true, y_score, early_buffer=3, delay_buffer=3, interpolation="step"), 4)
    0.8399
    """
    interpolation = _check_interpolation(interpolation)
    pairs, curves, _ = _continuous_curves(
        y_true,
        y_score,
        early_buffer,
        delay_buffer,
        n_buffer_splits,
        include_zero,
        n_thresholds,
        drop_intermediate,
        backend,
        "PATE",
        interpolation=interpolation,
        timestamps=timestamps,
    )
    return _grid_mean(pairs, {pair: _pair_area()(c, interpolation) for pair, c in curves.items()})


def _grid_mean(pairs: list[tuple[int, int]], value: dict) -> float:
    """Mean over the grid's pairs, repeats included (each distinct pair computed once)."""
    return float(np.mean([value[p] for p in pairs]))


def pate_curve(
    y_true: Any,
    y_score: Any,
    *,
    early_buffer: Buffer = 100,
    delay_buffer: Buffer = 100,
    n_buffer_splits: int = 1,
    include_zero: bool = True,
    n_thresholds: int | None = 250,
    drop_intermediate: bool = True,
    interpolation: Interpolation = "trapezoid",
    backend: Backend = "auto",
    timestamps: Any = None,
) -> tuple[BufferPairCurve, ...]:
    """PATE's precision-recall curve for each buffer pair of the grid.

    Takes the same arguments as :func:`pate_score`; ``pate_score`` is the mean
    of the returned areas. Useful for plots and debugging.

    Read more in the User Guide (``docs/pate.md``).

    Parameters
    ----------
    y_true, y_score, early_buffer, delay_buffer, n_buffer_splits, include_zero
        As in :func:`pate_score`.
    n_thresholds, drop_intermediate, interpolation, backend, timestamps
        As in :func:`pate_score`; ``interpolation`` sets how each ``area`` is
        computed (the kept points are the same).

    Returns
    -------
    tuple of BufferPairCurve
        One per pair of the grid, early size in the outer loop, repeats kept. A
        threshold value appears once: on a constant score the 250-threshold grid
        gives one point, not 250 copies (the area is that of the full curve).

    See Also
    --------
    pate_score : the mean of the areas.
    pate.plot.PateCurveDisplay : draws these curves.

    Examples
    --------
    >>> from pate import pate_curve
    >>> curves = pate_curve([0, 1, 1, 0, 0], [0.1, 0.9, 0.3, 0.2, 0.1],
    ...                     early_buffer=1, delay_buffer=1, n_thresholds=None)
    >>> [(c.early_buffer, c.delay_buffer) for c in curves]
    [(0, 0), (0, 1), (1, 0), (1, 1)]
    >>> c = curves[0]
    >>> c.recall.tolist(), c.precision.tolist(), c.thresholds.tolist(), c.area
    ([0.0, 0.5, 1.0, 1.0], [1.0, 1.0, 1.0, 0.4], [0.9, 0.3, 0.1], 1.0)
    """
    interpolation = _check_interpolation(interpolation)
    pairs, curves, thresholds = _continuous_curves(
        y_true,
        y_score,
        early_buffer,
        delay_buffer,
        n_buffer_splits,
        include_zero,
        n_thresholds,
        drop_intermediate,
        backend,
        "PATE",
        timestamps=timestamps,
    )
    pair_area = _pair_area()
    thresholds = to_host(thresholds)
    out = []
    for early, delay in pairs:
        c = curves[(early, delay)]
        # A threshold grid over a constant (or few-valued) score repeats values;
        # equal thresholds predict the same points, so each is one curve point.
        # The area is computed from the full curve and does not change.
        kept = np.flatnonzero(c.keep)
        values = thresholds[kept]
        kept = kept[np.concatenate(([True], values[1:] != values[:-1]))] if kept.size else kept
        out.append(
            BufferPairCurve(
                early_buffer=early,
                delay_buffer=delay,
                precision=np.concatenate(([1.0], c.precision[kept])),
                recall=np.concatenate(([0.0], c.recall[kept])),
                thresholds=thresholds[kept].copy(),
                area=pair_area(c, interpolation),
            )
        )
    return tuple(out)


@undefined_policy
def pate_f1_score(
    y_true: Any,
    y_pred: Any,
    *,
    early_buffer: Buffer = 100,
    delay_buffer: Buffer = 100,
    n_buffer_splits: int = 1,
    include_zero: bool = True,
    backend: Backend = "auto",
    timestamps: Any = None,
    undefined: Undefined = "warn",
) -> float:
    """PATE-F1: proximity-aware F1 of binary predictions.

    For each (early, delay) pair of the buffer grid, the F1 of PATE's
    weighted precision and recall; PATE-F1 is their mean. Defaults reproduce
    the published ``PATE`` 0.1.1 package (``binary_scores=True``).

    Read more in the User Guide (``docs/pate.md``).

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Labels, 0/1 or bool.
    y_pred : array-like of shape (n_samples,)
        Binary predictions, 0/1 or bool.
    early_buffer, delay_buffer, n_buffer_splits, include_zero
        The buffer grid, as in :func:`pate_score`.
    backend : {"auto", "numba", "numpy", "cupy"}, default="auto"
        Engine, as in :func:`pate_score`.
    timestamps : array-like of shape (n_samples,), optional
        For buffers given as time spans, as in :func:`pate_score`.
    undefined : {"warn", "nan"} or float, default="warn"
        The value where the metric is undefined (docs/undefined.md lists the
        cases): "warn" gives 0.0 with an ``UndefinedMetricWarning`` (as
        scikit-learn's ``zero_division``); "nan" gives nan and a number gives
        that number, both without a warning.

    Returns
    -------
    float
        PATE-F1 in [0, 1]. 0.0 with ``UndefinedMetricWarning`` when ``y_true``
        has no anomaly or ``y_pred`` predicts nothing.

    See Also
    --------
    pate_score : PATE for continuous scores.
    pate.plot.ZonesDisplay : the zones and detections behind one buffer pair.

    Examples
    --------
    >>> from pate import pate_f1_score
    >>> y_true = [0] * 20 + [1] * 5 + [0] * 15
    >>> y_pred = [0] * 14 + [1] * 6 + [0] * 3 + [1] + [0] * 16
    >>> round(pate_f1_score(y_true, y_pred, early_buffer=6, delay_buffer=4), 10)
    0.3142100618
    >>> import pandas as pd
    >>> times = pd.date_range("2024-01-01", periods=40, freq="5min")
    >>> round(pate_f1_score(y_true, y_pred, timestamps=times, early_buffer="30min", delay_buffer="20min"), 10)
    0.3142100618
    """
    name, labels, pred = _validate(y_true, y_pred, "binary", backend)
    early, delay, splits, zero = _check_grid_options(
        early_buffer, delay_buffer, n_buffer_splits, include_zero, timestamps, int(labels.shape[0])
    )
    if not bool(labels.any()):
        _warn_no_anomaly("PATE-F1")
    elif not bool(pred.any()):
        warn_undefined("PATE-F1: y_pred predicts no point, so precision is 0/0; returning 0.0.")
    pairs = buffer_pairs(early, delay, splits, zero)
    # One threshold: predicted points join at index 0, the others never.
    xp = get_namespace(pred)
    curves = get_engine(name).curves(labels, xp.where(pred, 0, 1).astype(xp.int64), 1, pairs)
    per_pair = {pair: f1(float(c.precision[0]), float(c.recall[0])) for pair, c in curves.items()}
    return _grid_mean(pairs, per_pair)
