"""Chance levels: what a metric gives a detector that knows nothing, and how far a detector is above it.

``chance_level(metric, y_true, y_score)`` evaluates the metric on the detector's
own scores moved against the fixed labels (the *null distribution*) and
reports its mean (``expected``), a p-value and the chance-adjusted value
``(observed - expected) / (best - expected)``. Two nulls:

* ``"shift"``: circular shifts ``np.roll(y_score, k)``, ``k`` drawn without
  replacement from ``1 .. n - 1`` (all of them when ``n_resamples >= n - 1``:
  then the distribution is exact). A shift keeps the detector's own
  autocorrelation, alarm rate and alarm lengths and only breaks their
  alignment with the labels: the right null for time series.
* ``"permutation"``: independent shuffles of ``y_score``. AUC-ROC, AUC-PR and the
  trapezoidal AUC-PR have exact means under it (``pate._null_moments``).

Data flow: validate -> observed value -> resamples (the packed PATE engines
for ``pate``, ``pate_ap`` and ``pate_f1``, chunk by chunk; a loop over the
registry function for the others) -> summary. Read more in docs/chance.md.
"""

from __future__ import annotations

import inspect
import math
import warnings
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator, Literal, cast

import numpy as np

from pate._engine import DENSE_THRESHOLDS, Backend, array_namespace, resolve_backend
from pate._events import buffer_pairs
from pate._namespace import to_host
from pate._validation import check_choice, check_positive_int, check_targets, short_repr
from pate._warnings import undefined_metric_warning_class, warn_at_caller, warn_undefined
from pate.metrics import _null_moments
from pate.metrics._batch import _thread_count, pate_f1_score_batch, pate_score_batch
from pate.metrics._pate import _check_grid_options, _check_n_thresholds
from pate.metrics._registry import MetricInfo, get_metric_info
from pate.metrics._undefined import Undefined, check_undefined

__all__ = ["ChanceLevel", "chance_level", "NULLS", "BATCH_METRICS", "CLOSED_FORMS"]

Null = Literal["shift", "permutation"]
NULLS: tuple[Null, ...] = ("shift", "permutation")

#: Metrics whose resamples go through the packed PATE engines.
BATCH_METRICS = ("pate", "pate_ap", "pate_f1")

#: Metrics with an exact mean (and for AUC-ROC standard deviation) under ``null="permutation"``.
CLOSED_FORMS = ("auc_roc", "auc_pr", "auc_pr_trapz")

# Resampled values held at once (a chunk of resamples of a long series): 16 MiB of float64.
_CHUNK_ELEMENTS = 1 << 21

# Relative tolerance of the p-value's comparison: null values within it of the
# observed value count as equal (they differ by rounding only), as in
# scipy.stats.permutation_test.
_TIE_RELATIVE = 100 * np.finfo(np.float64).eps


@dataclass(frozen=True, eq=False)
class ChanceLevel:
    """Result of :func:`chance_level`.

    Attributes
    ----------
    observed : float
        The metric on the detector's scores.
    expected : float
        Mean of the null distribution: what the detector's scores earn by
        chance. Exact when ``exact`` is True.
    std : float
        Standard deviation of the null distribution: the exact value where
        it is known (every shift enumerated; AUC-ROC under the permutation
        null), else that of ``null_values`` (``ddof=0``).
    pvalue : float
        ``(1 + #{null values at least as good as observed}) / (1 + m)`` over
        the ``m`` null values, in the metric's direction.
    adjusted : float
        ``(observed - expected) / (best - expected)``: 0 at chance, 1 for a
        perfect detector, negative below chance. Undefined (the ``undefined``
        policy) when ``expected == best``.
    null_values : ndarray of float64
        The metric on every resample, in the order drawn (shifts ``1 .. n - 1``
        in order when all are enumerated).
    null : {"shift", "permutation"}
        The null distribution used.
    exact : bool
        Whether ``expected`` is the null distribution's exact mean (every shift
        enumerated, a closed form, or a constant score) rather than a
        Monte Carlo estimate.
    """

    observed: float
    expected: float
    std: float
    pvalue: float
    adjusted: float
    null_values: np.ndarray = field(repr=False)
    null: str
    exact: bool


def _check_random_state(random_state: Any) -> np.random.Generator:
    if isinstance(random_state, np.random.RandomState):
        raise TypeError(
            "random_state must be None, an int, a numpy.random.SeedSequence or a numpy.random.Generator; "
            "got a legacy numpy.random.RandomState (pass an int seed instead)."
        )
    if random_state is not None and (
        isinstance(random_state, (bool, np.bool_))
        or not isinstance(random_state, (int, np.integer, np.random.SeedSequence, np.random.Generator))
    ):
        raise TypeError(
            "random_state must be None, an int, a numpy.random.SeedSequence or a numpy.random.Generator; "
            f"got {short_repr(random_state)} ({type(random_state).__name__})."
        )
    try:
        return np.random.default_rng(random_state)
    except ValueError as exc:  # a negative seed
        raise ValueError(f"random_state: {exc}") from None


def _metric_defaults(info: MetricInfo) -> dict[str, Any]:
    """The keyword-only options of a registered metric with their defaults."""
    return {
        p.name: p.default
        for p in inspect.signature(info.func).parameters.values()
        if p.kind is inspect.Parameter.KEYWORD_ONLY and p.name != "undefined"
    }


def _collecting(func: Callable[[], Any]) -> tuple[Any, list[warnings.WarningMessage]]:
    """``func()`` and the warnings it raised (all of them, whatever the filters)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        value = func()
    return value, list(caught)


# --------------------------------------------------------------------------
# Resamples


def _shifts(n: int, n_resamples: int, rng: np.random.Generator) -> np.ndarray:
    if n_resamples >= n - 1:
        return np.arange(1, n, dtype=np.int64)
    return 1 + rng.choice(n - 1, size=n_resamples, replace=False).astype(np.int64)


def _permutation_chunks(n: int, n_resamples: int, rng: np.random.Generator) -> Iterator[np.ndarray]:
    """Rows ``rng.permutation(n)``, one per resample, in chunks of bounded size (the same draws whatever the chunk)."""
    size = max(1, _CHUNK_ELEMENTS // n)
    for start in range(0, n_resamples, size):
        yield np.stack([rng.permutation(n) for _ in range(min(size, n_resamples - start))])


def _index_chunks(n: int, shifts: np.ndarray | None, permutations: Iterator[np.ndarray] | None) -> Iterator[np.ndarray]:
    """Index rows ``idx`` (the resampled values are ``values[idx]``), chunk by chunk."""
    if permutations is not None:
        yield from permutations
        return
    assert shifts is not None
    size = max(1, _CHUNK_ELEMENTS // n)
    base = np.arange(n, dtype=np.int64)
    for start in range(0, shifts.size, size):
        k = shifts[start : start + size]
        yield (base[None, :] - k[:, None]) % n  # np.roll(values, k)[i] == values[(i - k) % n]


def _batch_null(
    name: str,
    labels: np.ndarray,
    values: np.ndarray,
    options: dict[str, Any],
    n_jobs: Any,
    shifts: np.ndarray | None,
    permutations: Iterator[np.ndarray] | None,
) -> np.ndarray:
    """PATE, pate_ap or PATE-F1 of every resample through the packed engines."""
    continuous = name != "pate_f1"
    grid = _check_grid_options(
        options["early_buffer"], options["delay_buffer"], options["n_buffer_splits"], options["include_zero"]
    )
    backend = cast(Backend, resolve_backend(options["backend"], labels, values))
    interpolation = "step" if name == "pate_ap" else str(options.get("interpolation"))
    if backend == "numba":
        from pate._engine.numba_resample import pate_f1_resampled, pate_resampled  # loads numba: not at import

        pairs = buffer_pairs(*grid)
        threads = _thread_count(n_jobs)
        chunks = [None] if permutations is None else permutations
        parts = []
        for perms in chunks:
            if continuous:
                parts.append(
                    pate_resampled(
                        labels,
                        values,
                        pairs,
                        shifts=shifts,
                        permutations=perms,
                        n_thresholds=_check_n_thresholds(options["n_thresholds"], 2),
                        drop_intermediate=bool(options["drop_intermediate"]),
                        interpolation=interpolation,
                        threads=threads,
                    )
                )
            else:
                parts.append(
                    pate_f1_resampled(labels, values, pairs, shifts=shifts, permutations=perms, threads=threads)
                )
        return np.concatenate(parts)
    # numpy or CuPy: the array-namespace batch on chunks of resampled series (built where the engine runs)
    xp = array_namespace(backend)
    device_labels, device_values = xp.asarray(labels), xp.asarray(values)
    batch_options = {k: options[k] for k in ("early_buffer", "delay_buffer", "n_buffer_splits", "include_zero")}
    if continuous:
        batch_options.update(
            n_thresholds=options["n_thresholds"],
            drop_intermediate=options["drop_intermediate"],
            interpolation=interpolation,
        )
    batch = pate_score_batch if continuous else pate_f1_score_batch
    parts = []
    for idx in _index_chunks(labels.size, shifts, permutations):
        rows = device_values[xp.asarray(idx)]
        parts.append(np.asarray(batch([device_labels] * idx.shape[0], rows, backend=backend, **batch_options)))
    return np.concatenate(parts)


def _batch_path(name: str, options: dict[str, Any]) -> bool:
    """Whether the resamples go through the packed engines: the PATE metrics, short of the dense mode.

    Beyond ``DENSE_THRESHOLDS`` thresholds the single-series engine builds the
    curve from the distinct scores the thresholds reach, which the packed
    kernels do not; those resamples take the loop, as ``pate_score_batch`` does.
    """
    if name not in BATCH_METRICS:
        return False
    n_thresholds = options.get("n_thresholds")
    return not (isinstance(n_thresholds, (int, np.integer)) and n_thresholds > DENSE_THRESHOLDS)


def _loop_null(
    info: MetricInfo,
    labels: np.ndarray,
    values: np.ndarray,
    options: dict[str, Any],
    undefined: Any,
    shifts: np.ndarray | None,
    permutations: Iterator[np.ndarray] | None,
) -> np.ndarray:
    """Any registered metric: one call per resample."""
    out = []
    if shifts is not None:
        for k in shifts.tolist():
            out.append(info.func(labels, np.roll(values, k), undefined=undefined, **options))
    else:
        assert permutations is not None
        for chunk in permutations:
            for perm in chunk:
                out.append(info.func(labels, values[perm], undefined=undefined, **options))
    return np.asarray(out, dtype=np.float64)


# --------------------------------------------------------------------------
# Summary


def _pvalue(observed: float, null_values: np.ndarray, greater_is_better: bool) -> float:
    if math.isnan(observed) or np.isnan(null_values).any():
        return math.nan
    tolerance = _TIE_RELATIVE * abs(observed)
    if greater_is_better:
        at_least = int(np.count_nonzero(null_values >= observed - tolerance))
    else:
        at_least = int(np.count_nonzero(null_values <= observed + tolerance))
    return (1 + at_least) / (1 + null_values.size)


def _mean(values: np.ndarray) -> float:
    """Mean that is exactly the common value when all values are equal (no rounding of m equal terms)."""
    if values.size == 0:
        return math.nan
    centre = float(values[0])
    return centre + float(np.mean(values - centre)) if math.isfinite(centre) else float(np.mean(values))


def _adjusted(name: str, observed: float, expected: float, best: float, policy: Any) -> float:
    if math.isnan(observed) or math.isnan(expected):
        return math.nan
    if expected == best:
        if policy == "warn":
            warn_undefined(
                f"chance_level: the adjusted value of {name!r} is undefined when the expected value equals the "
                f"metric's best value {best!r} (0/0); returning 0.0 (no better than chance)."
            )
            return 0.0
        return float(policy)
    return (observed - expected) / (best - expected)


def _reemit(caught: list[warnings.WarningMessage]) -> None:
    for w in {(str(w.message), w.category): w for w in caught}.values():
        warn_at_caller(str(w.message), w.category)


def chance_level(
    metric: str,
    y_true: Any,
    y_score: Any,
    *,
    null: Null = "shift",
    n_resamples: int = 999,
    random_state: int | np.random.Generator | np.random.SeedSequence | None = None,
    undefined: Undefined = "warn",
    n_jobs: int | None = None,
    **metric_options: Any,
) -> ChanceLevel:
    """What ``metric`` gives the detector's own scores by chance, and how far above chance it is.

    Evaluates ``metric`` on resamples of ``y_score`` against the fixed
    ``y_true`` (the null distribution) and returns its mean, a p-value and
    the chance-adjusted value. Read more in the User Guide (docs/chance.md).

    Parameters
    ----------
    metric : str
        A registered metric name (:func:`pate.list_metrics`).
    y_true : array-like of shape (n_samples,)
        Labels, 0/1 or bool.
    y_score : array-like of shape (n_samples,)
        The detector's scores; for a binary metric (``pate_f1``,
        ``point_f1``, ...) its binary predictions. CuPy arrays are copied to
        the host once (give ``backend="cupy"`` to evaluate the PATE
        resamples on the GPU).
    null : {"shift", "permutation"}, default="shift"
        ``"shift"``: circular shifts ``np.roll(y_score, k)`` with ``k`` drawn
        without replacement from ``1 .. n - 1``; when ``n_resamples >= n - 1``
        every shift is used once and the result is exact. It keeps the
        detector's autocorrelation and alarm rate: the null for time series.
        ``"permutation"``: independent shuffles of ``y_score`` (metrics of
        continuous scores only); AUC-ROC, AUC-PR (``auc_pr``) and
        ``auc_pr_trapz`` then take their exact mean from a closed form.
    n_resamples : int, default=999
        Number of resamples ``m`` (at most ``n - 1`` for the shift null).
    random_state : None, int, numpy.random.SeedSequence or numpy.random.Generator, default=None
        Seed of the drawn shifts or shuffles; an int gives the same result on
        every run and machine.
    undefined : {"warn", "nan"} or float, default="warn"
        The undefined-case policy (docs/undefined.md), passed to the metric
        and applied to ``adjusted`` where it is 0/0 (``expected`` equals the
        metric's best value): "warn" gives 0.0 with an
        ``UndefinedMetricWarning``.
    n_jobs : int or None, default=None
        Threads of the numba engine for the batch metrics (``pate``,
        ``pate_ap``, ``pate_f1``), as in :func:`pate.pate_score_batch`;
        other metrics run one resample after another.
    **metric_options
        Options of the metric (``early_buffer=``, ``window=``, ``backend=``, ...).

    Returns
    -------
    ChanceLevel
        ``observed``, ``expected``, ``std``, ``pvalue``, ``adjusted``,
        ``null_values``, ``null`` and ``exact``.

    Raises
    ------
    ValueError
        For an unknown metric, an unknown ``null``, ``n_resamples < 1``, or
        ``null="permutation"`` with a metric of binary predictions; and for
        bad ``y_true`` / ``y_score`` as the metric itself raises.
    TypeError
        For an option the metric does not take, or a bad ``random_state``.

    Notes
    -----
    A constant ``y_score`` is its own resample under both nulls: then
    ``expected == observed``, ``std == 0``, ``pvalue == 1`` and ``adjusted == 0``
    exactly, without evaluating resamples. The resamples of ``pate``,
    ``pate_ap`` and ``pate_f1`` go through the packed engines (numba:
    a kernel that shares the work common to every resample; numpy or CuPy
    with ``backend=``: :func:`pate.pate_score_batch` on chunks); every other
    metric is called once per resample.

    See Also
    --------
    pate.list_metrics : the metric names.
    pate.pate_score_batch : the engine behind the PATE resamples.

    Examples
    --------
    >>> import numpy as np
    >>> import pate
    >>> y_true = np.zeros(300, dtype=int); y_true[100:120] = 1
    >>> y_score = np.random.default_rng(0).random(300); y_score[95:125] += 1
    >>> result = pate.chance_level("pate", y_true, y_score, early_buffer=10, delay_buffer=10)
    >>> result.exact, result.null_values.size, round(result.pvalue, 4)
    (True, 299, 0.0367)
    >>> round(result.observed, 4), round(result.expected, 4), round(result.adjusted, 4)
    (0.6044, 0.115, 0.553)
    >>> pate.chance_level("auc_roc", y_true, y_score, null="permutation", n_resamples=99, random_state=0).expected
    0.5
    """
    info = get_metric_info(metric)
    if not math.isfinite(info.best):
        raise ValueError(
            f"{info.name!r} has no chance level: it is not a score with a best value (a time, lower is better), "
            "so there is nothing to adjust towards; report it as it is."
        )
    info.check_options(metric_options)
    null = check_choice(null, "null", NULLS)
    n_resamples = check_positive_int(n_resamples, "n_resamples")
    if null == "permutation" and info.input == "binary":
        raise ValueError(
            f"null='permutation' needs a metric of continuous scores; {info.name!r} takes binary predictions, "
            "whose alarms a point-by-point shuffle would scatter into single points. Use null='shift', which "
            "keeps the alarms whole."
        )
    policy = check_undefined(undefined)
    rng = _check_random_state(random_state)
    # GPU inputs come to the host once: the summary, the draws and the non-batch metrics live there;
    # backend="cupy" sends the PATE resamples back to the device chunk by chunk.
    labels, values = check_targets(to_host(y_true), to_host(y_score), kind=info.input, y_name="y_score")
    n = int(labels.size)

    observed, caught = _collecting(lambda: info.func(labels, values, undefined=undefined, **metric_options))
    observed = float(observed)
    _reemit(caught)
    n_null = min(n_resamples, n - 1) if null == "shift" else n_resamples

    if bool((values == values[0]).all()):  # a constant score: every resample is the score itself
        null_values = np.full(n_null, observed)
        std = 0.0 if not math.isnan(observed) else math.nan
        pvalue = 1.0 if not math.isnan(observed) else math.nan
        return ChanceLevel(
            observed,
            observed,
            std,
            pvalue,
            _adjusted(info.name, observed, observed, info.best, policy),
            null_values,
            null,
            True,
        )

    shifts = _shifts(n, n_resamples, rng) if null == "shift" else None
    permutations = _permutation_chunks(n, n_resamples, rng) if null == "permutation" else None
    options = dict(_metric_defaults(info), **metric_options)
    if _batch_path(info.name, options):
        null_values, resample_warnings = _collecting(
            lambda: _batch_null(info.name, labels, values, options, n_jobs, shifts, permutations)
        )
        if policy != "warn" and not labels.any():
            # PATE's one undefined case of a non-constant score (no anomaly) holds for every resample;
            # the engines give the "warn" value 0.0 there, the policy's value is the observed one.
            null_values = np.full(null_values.size, observed)
    else:
        null_values, resample_warnings = _collecting(
            lambda: _loop_null(info, labels, values, metric_options, undefined, shifts, permutations)
        )
    _warn_resamples(info.name, caught, resample_warnings)

    exact = null == "shift" and n_null == n - 1
    expected, std = _mean(null_values), float(np.std(null_values)) if null_values.size else math.nan
    if null == "permutation" and info.name in CLOSED_FORMS and not math.isnan(observed):
        expected, std, exact = _closed_form(info.name, labels, values, expected, std, exact)
    if math.isnan(observed):
        expected = std = math.nan
    pvalue = _pvalue(observed, null_values, info.greater_is_better)
    adjusted = _adjusted(info.name, observed, expected, info.best, policy)
    return ChanceLevel(observed, expected, std, pvalue, adjusted, null_values, null, exact)


def _closed_form(
    name: str, labels: np.ndarray, values: np.ndarray, expected: float, std: float, exact: bool
) -> tuple[float, float, bool]:
    """The permutation null's exact mean (and the AUC-ROC's standard deviation) where the metric is defined.

    Where it is not (one class), every resample is undefined too: the resamples' own values (the policy's) stand.
    """
    n1 = int(np.count_nonzero(labels))
    if name == "auc_roc":
        if 0 < n1 < labels.size:
            mean, sd = _null_moments.auc_roc_permutation_moments(labels, values)
            return mean, sd, True
        return expected, std, exact
    if n1 == 0:
        return expected, std, exact
    if name == "auc_pr":
        return _null_moments.average_precision_permutation_mean(labels, values), std, True
    return _null_moments.trapezoid_pr_permutation_mean(labels, values), std, True


def _warn_resamples(
    name: str, observed_warnings: list[warnings.WarningMessage], resample_warnings: list[warnings.WarningMessage]
) -> None:
    """One warning for undefined values among the resamples that the observed value did not have.

    Warnings that repeat the observed value's (the labels have no anomaly, a
    few-valued score) are not repeated: every resample shares them.
    """
    seen = {str(w.message) for w in observed_warnings}
    category = undefined_metric_warning_class()
    fresh = [w for w in resample_warnings if issubclass(w.category, category) and str(w.message) not in seen]
    if fresh and not any(issubclass(w.category, category) for w in observed_warnings):
        warn_at_caller(
            f"chance_level({name!r}): some resamples gave undefined values (first: {fresh[0].message})", category
        )
