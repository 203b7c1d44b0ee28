"""The one task of every evaluation: every (detector, metric) pair of one series.

``pate evaluate`` (with or without the runner's flags), ``df.pate.evaluate``
and :func:`pate.benchmark.evaluate` all run :func:`evaluate_series`, in this
process, in joblib's worker processes or on dask.distributed workers. Data
flows one way:

1. load the series (a :class:`~pate.benchmark.Series` or a source whose
   ``load()`` reads one, e.g. a CSV file or standard input);
2. validate labels and scores with :mod:`pate._validation`, the checks every
   metric runs; this module only puts the series, detector and index in front
   of their reason;
3. choose per-series options (``early_buffer="auto"``; the series' times for
   a metric given a time span, ``early_buffer="30min"``) and turn scores into
   predictions for binary metrics (:func:`predictions`, the one rule);
4. call the metric, recording its warnings; with a :class:`ChanceRequest`,
   :func:`pate.chance_level` instead, which adds the row's expected value,
   chance-adjusted value and p-value (docs/chance.md).

The result holds plain data (no arrays), so that it travels back from a
worker cheaply; callers turn it into a results table, the wide table of
``pate evaluate`` or a DataFrame of one frame's columns.
"""

from __future__ import annotations

import hashlib
import math
import numbers
import warnings
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import numpy as np

from pate._buffer_size import suggest_buffer_size
from pate._time import is_time_span
from pate._validation import (
    InvalidValuesError,
    check_choice,
    check_labels,
    check_positive_int,
    check_same_length,
    check_scores,
    short_repr,
)
from pate.benchmark._params import AUTO, AUTO_OPTIONS, BEST_F1_BY_GRID, MetricRequest
from pate.benchmark._readers import Series, SeriesError
from pate.metrics import chance_level, get_metric_info
from pate.metrics._chance import NULLS, Null

__all__ = [
    "evaluate_series",
    "predictions",
    "SeriesResult",
    "Row",
    "RowError",
    "CaughtWarning",
    "ChanceRequest",
    "make_chance_request",
]


class RowError(NamedTuple):
    """Why one (detector, metric) pair has no value."""

    reason: str  # what is wrong, to follow "series 's', detector 'd' (file): "
    file: str | None  # the file the detector's scores came from
    kind: str = "data"  # "data" (the scores), "predictions" (no strategy), "thresholds" (none for it), "metric"
    message: str = ""  # the validator's or the metric's own message, for callers that raise it again
    exception: type[Exception] = ValueError  # and its class


class Row(NamedTuple):
    """One (detector, metric request) value of a series."""

    detector: str
    request: int  # position in the requests
    value: float
    error: RowError | None = None
    expected: float = math.nan  # the chance level and how far above it (ChanceRequest); nan without
    adjusted: float = math.nan
    pvalue: float = math.nan


class ChanceRequest(NamedTuple):
    """The chance levels a run asks for: ``n_resamples`` resamples under ``null``, seeded from ``entropy``.

    Each (series, detector, metric, params) row draws its resamples from its
    own seed (:meth:`seed`), made from the run's ``entropy`` and the row's key
    alone, so a row's values do not depend on which worker computes it, in
    which order, or on which other rows the run holds.
    """

    n_resamples: int
    null: Null
    entropy: int

    def seed(self, series: str, detector: str, metric: str, params: str) -> np.random.SeedSequence:
        """The row's seed: the run's entropy with the row's key hashed (SHA-256) into the spawn key.

        >>> a = ChanceRequest(99, "shift", 0).seed("s1", "d", "pate", "")
        >>> b = ChanceRequest(99, "shift", 0).seed("s1", "d", "pate", "")
        >>> a.generate_state(2).tolist() == b.generate_state(2).tolist()
        True
        """
        digest = hashlib.sha256("\0".join((series, detector, metric, params)).encode("utf-8")).digest()
        key = tuple(int.from_bytes(digest[i : i + 4], "little") for i in range(0, 16, 4))
        return np.random.SeedSequence(self.entropy, spawn_key=key)


class CaughtWarning(NamedTuple):
    """A warning a metric gave on one detector."""

    category: type[Warning]
    request: int
    message: str
    detector: str


@dataclass
class SeriesResult:
    """What :func:`evaluate_series` returns (small and picklable: no arrays)."""

    name: str
    detectors: list[str]
    rows: list[Row] = field(default_factory=list)
    error: RowError | None = None  # the whole series failed (its labels, its file)
    warnings: list[CaughtWarning] = field(default_factory=list)
    options: dict[str, int] = field(default_factory=dict)  # per-series option values chosen here ("auto")
    notes: list[str] = field(default_factory=list)  # how they were chosen, where a user may want to know
    constant: dict[str, bool] = field(default_factory=dict)  # detector -> its scores take a single value
    ignored: tuple[str, ...] = ()  # text columns the reader left out
    interval_warnings: list[str] = field(default_factory=list)  # anomaly intervals that label nothing


def make_chance_request(
    chance: Any, null: Any, random_state: Any, requests: list[MetricRequest]
) -> ChanceRequest | None:
    """The checked ``chance``, ``null`` and ``random_state`` of an evaluation (None: no chance levels).

    ``random_state=None`` draws fresh entropy once, here, so that every row of
    the run still has its own reproducible seed (:meth:`ChanceRequest.seed`).
    """
    if chance is None:
        if null != "shift" or random_state is not None:
            raise ValueError(
                "null= and random_state= set the chance levels' resamples; they need chance=N (the number of "
                "resamples, e.g. 999)."
            )
        return None
    n_resamples = check_positive_int(chance, "chance")
    null = check_choice(null, "null", NULLS)
    no_score = [r.name for r in requests if not math.isfinite(get_metric_info(r.name).best)]
    if no_score:
        raise ValueError(
            f"chance levels are for scores; {', '.join(map(repr, dict.fromkeys(no_score)))} is a time with no best "
            "value: evaluate it in a run without chance=."
        )
    if null == "permutation":
        binary = [
            r.name for r in requests if get_metric_info(r.name).input == "binary" and r.threshold != "best"
        ]  # fmt: skip
        if binary:
            raise ValueError(
                f"null='permutation' needs metrics of continuous scores; {', '.join(map(repr, binary))} "
                f"{'takes' if len(binary) == 1 else 'take'} "
                "binary predictions, whose alarms a point-by-point shuffle would scatter. Use null='shift', or "
                "threshold='best' (the best F1 over thresholds, a metric of scores)."
            )
    if random_state is None:
        entropy = int(np.random.SeedSequence().entropy)  # type: ignore[arg-type]
    elif isinstance(random_state, (bool, np.bool_)) or not isinstance(random_state, numbers.Integral):
        raise TypeError(f"random_state must be None or an integer >= 0, got {short_repr(random_state)}.")
    elif random_state < 0:
        raise ValueError(f"random_state must be None or an integer >= 0, got {random_state}.")
    else:
        entropy = int(random_state)
    return ChanceRequest(n_resamples, null, entropy)


def predictions(request: MetricRequest, scores: np.ndarray, binary: bool, detector: str = "") -> np.ndarray | None:
    """Binary predictions for a binary metric, by the request's strategy; ``None`` when none applies.

    The one rule: ``threshold=X`` predicts ``score >= X`` (per-detector
    thresholds: the ``detector``'s own ``X``); ``contamination=R`` the top
    ``ceil(R * n)`` scores (every score tied with the last one included);
    without a strategy, scores that are already 0/1 (``binary``) are the
    predictions.

    Raises
    ------
    ValueError
        Per-detector thresholds without one for ``detector``.

    Examples
    --------
    >>> from pate.benchmark import metric_requests
    >>> request = metric_requests([("point_f1", {"contamination": 0.25})])[0]
    >>> predictions(request, np.array([0.1, 0.9, 0.3, 0.7]), binary=False).tolist()
    [0, 1, 0, 0]
    """
    threshold = request.threshold_of(detector)
    if threshold is not None:
        return (scores >= threshold).astype(np.int8)
    if request.contamination is not None:
        k = max(1, math.ceil(request.contamination * scores.size))
        cut = np.partition(scores, scores.size - k)[scores.size - k]  # the k-th largest score
        return (scores >= cut).astype(np.int8)
    if binary:
        return scores.astype(np.int8)
    return None


def needs_predictions(metric: str, fix: str) -> str:
    """The message of a binary metric given scores without a strategy; ``fix`` says how, where it is asked."""
    return f"metric {metric!r} needs binary predictions but the scores are not 0/1: {fix}"


#: How the library asks for a strategy (the command line and df.pate say it their way).
STRATEGY_FIX = (
    "give a thresholding strategy, e.g. ({name!r}, {{'threshold': 0.5}}), {{'contamination': 0.1}} or, where the "
    "registry has one, {{'threshold': 'best'}}."
)


def _cap_threads(threads: int | None) -> None:
    """At most ``threads`` numba threads in this process (so processes x threads <= cores)."""
    if threads is None:
        return
    import numba  # only in worker processes, where the metrics load numba anyway

    numba.set_num_threads(max(1, min(int(threads), numba.config.NUMBA_NUM_THREADS)))


def _reason(exc: Exception) -> str:
    return exc.located() if isinstance(exc, InvalidValuesError) else str(exc)


def _labels(series: Series) -> np.ndarray:
    return check_labels(series.y_true).astype(np.int8)


def _scores(series: Series, detector: str, labels: np.ndarray) -> np.ndarray:
    scores = check_scores(series.scores[detector])
    check_same_length(labels, scores, name="y_score")
    return scores


def _automatic_options(series: Series, requests: list[MetricRequest]) -> tuple[dict[str, int], list[str]]:
    """The options given as ``"auto"``: the buffer size :func:`pate.suggest_buffer_size` finds in the values."""
    wanted = [o for o in AUTO_OPTIONS if any(r.options.get(o) == AUTO for r in requests)]
    if not wanted:
        return {}, []
    if series.values is None:
        raise SeriesError(
            f"{' and '.join(f'{o}={AUTO!r}' for o in wanted)} reads the series' values, but the series has none "
            "(Series(values=...), or the value column of a CSV file).",
            series=series.name,
            file=series.files.get("") or None,
        )
    suggestion = suggest_buffer_size(series.values)
    notes = []
    if suggestion.fallback:
        notes.append(f"automatic buffer: {suggestion.reason}; the default {suggestion.buffer_size} points is used.")
    return {o: suggestion.buffer_size for o in wanted}, notes


def _uses_times(info: Any, options: dict[str, Any], series: Series) -> bool:
    """Whether a metric gets the series' times: it takes them, and one of its options is a time span.

    Only then: a metric whose tolerances are samples computes the same with or
    without times (and ``mean_time_to_detect`` stays in samples), so labels
    read from intervals give the same values as a label column.
    """
    return (
        "timestamps" in info.params
        and "timestamps" not in options
        and series.timestamps is not None
        and any(is_time_span(v) and info.options[k].kind == "span" for k, v in options.items() if k in info.options)
    )


def evaluate_series(
    source: Any,
    requests: list[MetricRequest],
    skip: frozenset = frozenset(),
    threads: int | None = None,
    chance: ChanceRequest | None = None,
) -> SeriesResult:
    """Load one series and compute every (detector, request) pair not in ``skip``.

    With ``chance``, every value comes with its chance level
    (:func:`pate.chance_level`: ``expected``, ``adjusted``, ``pvalue``).

    ``skip`` holds ``(detector, metric, params)`` keys already computed (a
    resumed run). Bad data never raises here: a series that cannot be read
    or whose labels are bad sets ``error``; a detector or metric that fails
    gives rows with ``nan`` and a :class:`RowError`.
    """
    _cap_threads(threads)
    name = str(source.name)
    known = list(getattr(source, "detectors", None) or [])
    try:
        series = source.load()
    except SeriesError as exc:
        return SeriesResult(name, known, error=RowError(exc.reason, exc.file))
    file = series.files.get("") or None
    try:
        labels = _labels(series)
        chosen, notes = _automatic_options(series, requests)
    except SeriesError as exc:
        return SeriesResult(name, series.detectors, error=RowError(exc.reason, exc.file))
    except (ValueError, TypeError) as exc:
        error = RowError(_reason(exc), file, "data", str(exc), type(exc))
        return SeriesResult(name, series.detectors, error=error)
    notes = [*series.interval_warnings, *notes]
    result = SeriesResult(name, series.detectors, options=chosen, notes=notes, ignored=tuple(series.ignored))
    result.interval_warnings = list(series.interval_warnings)
    infos = [get_metric_info(r.name) for r in requests]
    for detector in series.detectors:
        todo = [i for i, r in enumerate(requests) if (detector, r.name, r.params) not in skip]
        if not todo:
            continue
        file = series.files.get(detector) or None
        try:
            if detector in series.problems:
                raise ValueError(series.problems[detector])
            scores = _scores(series, detector, labels)
        except (ValueError, TypeError) as exc:
            error = RowError(_reason(exc), file, "data", str(exc), type(exc))
            result.rows.extend(Row(detector, i, math.nan, error) for i in todo)
            continue
        binary = bool(np.all((scores == 0) | (scores == 1)))
        result.constant[detector] = bool(np.all(scores == scores[0]))
        for i in todo:
            request, info = requests[i], infos[i]
            func, y, metric = info.func, scores, request.name
            if info.input == "binary":
                if request.threshold == "best":
                    metric = BEST_F1_BY_GRID[request.name]
                    func = get_metric_info(metric).func
                else:
                    try:
                        predicted = predictions(request, scores, binary, detector)
                    except ValueError as exc:  # per-detector thresholds without this detector
                        reason = str(exc)
                        result.rows.append(Row(detector, i, math.nan, RowError(reason, file, "thresholds", reason)))
                        continue
                    if predicted is None:
                        reason = needs_predictions(request.name, STRATEGY_FIX.format(name=request.name))
                        result.rows.append(Row(detector, i, math.nan, RowError(reason, file, "predictions", reason)))
                        continue
                    y = predicted
            options = {k: (chosen[k] if v == AUTO and k in chosen else v) for k, v in request.options.items()}
            if _uses_times(info, options, series):
                options["timestamps"] = series.timestamps
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                try:
                    if chance is None:
                        row = Row(detector, i, float(func(labels, y, **options)))
                    else:
                        seed = chance.seed(name, detector, request.name, request.params)
                        level = chance_level(
                            metric, labels, y, null=chance.null, n_resamples=chance.n_resamples, random_state=seed,
                            **options,
                        )  # fmt: skip
                        row = Row(detector, i, level.observed, None, level.expected, level.adjusted, level.pvalue)
                except (ValueError, TypeError) as exc:
                    error = RowError(f"metric {request.name!r}: {exc}", file, "metric", str(exc), type(exc))
                    row = Row(detector, i, math.nan, error)
            result.rows.append(row)
            result.warnings.extend(CaughtWarning(w.category, i, str(w.message), detector) for w in caught)
    return result
