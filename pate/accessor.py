"""pandas accessors ``DataFrame.pate`` and ``Series.pate`` (registered on ``import pate``).

Thin by design: they pick columns, turn time-span buffers into point counts
(the one thing that needs the index), and delegate: ``df.pate.score`` to the
registry's metric function, ``df.pate.evaluate`` to the task every
evaluation runs (:mod:`pate.benchmark._task`), the results-table methods to
:mod:`pate.compare` and :mod:`pate.plot`. Read more in docs/pandas.md.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping
from typing import Any, Iterable

import numpy as np
import pandas as pd

# Submodules, not packages: the accessor is imported while pandas itself is imported
# (pate._pandas_hook), which may happen half-way through importing pate.benchmark,
# pate.compare or pate.plot, whose __init__ has then not defined its names yet.
from pate._events import label_events
from pate._intervals import IntervalFile, labels_from_intervals
from pate._time import buffer_in_samples, is_time_span, span_ns
from pate._validation import check_labels, short_repr
from pate._warnings import warn_at_caller
from pate.benchmark._params import metric_requests
from pate.benchmark._readers import Series
from pate.benchmark._tables import default_score_columns
from pate.benchmark._task import evaluate_series, make_chance_request, needs_predictions
from pate.compare._leaderboard import leaderboard
from pate.compare._rank_agreement import rank_agreement
from pate.compare._statistical_tests import friedman_test, nemenyi_test, wilcoxon_holm_test
from pate.metrics import ChanceLevel, chance_level, get_metric_info
from pate.plot._critical_difference import CriticalDifferenceDisplay

__all__ = ["PateFrameAccessor", "PateSeriesAccessor"]

#: Options given in time points, which may also be given as time spans ("30min").
_SPAN_OPTIONS = ("early_buffer", "delay_buffer", "window")
#: The columns of each metric in ``df.pate.evaluate(chance=N)``.
_CHANCE_FIELDS = ("value", "expected", "adjusted", "pvalue")


def _points(option: str, value: Any, index: pd.Index) -> Any:
    """A time span (``"30min"``, ``Timedelta``) as a number of samples, by the library's one rule.

    :func:`pate._time.buffer_in_samples` does the conversion (``floor(span /
    step)`` on a regular sampling; an irregular one is an error naming the
    first irregular gap), so ``df.pate`` and ``pate_score(timestamps=...)``
    agree; only the frame-specific case (no DatetimeIndex) is said here.
    """
    if not is_time_span(value):
        return value
    if not isinstance(index, pd.DatetimeIndex):
        span_ns(value, option)  # a span that cannot be read says so first
        raise ValueError(
            f"{option}={value!r} is a time span, which needs a DatetimeIndex, but the index is a "
            f"{type(index).__name__}; give early_buffer/delay_buffer/window as a number of points instead."
        )
    return buffer_in_samples(value, option, index, len(index))


def _column(frame: pd.DataFrame, name: Any, role: str) -> pd.Series:
    """One column by name: a clear error when it is missing or its name is not unique."""
    if name not in frame.columns:
        raise KeyError(f"{role} column {name!r} not found; columns are {list(frame.columns)}.")
    column = frame[name]
    if isinstance(column, pd.DataFrame):
        raise ValueError(f"{role} column {name!r} appears {column.shape[1]} times in the frame; rename the duplicates.")
    return column


def _names(value: Any, what: str) -> list[Any]:
    """A name or a list of names (a string is one name), each once."""
    names = [value] if isinstance(value, str) or not isinstance(value, Iterable) else list(value)
    if not names:
        raise ValueError(f"{what} is empty: name at least one.")
    for i, name in enumerate(names):
        if name in names[:i]:
            raise ValueError(f"{what} names {name!r} more than once.")
    return names


def _column_threshold(metric: str, threshold: Any, score: Any) -> Any:
    """A per-column threshold (``{column: X}``) for the column ``score``; any other threshold as given."""
    if not isinstance(threshold, Mapping):
        return threshold
    if score not in threshold:
        named = ", ".join(map(repr, list(threshold)[:8])) or "none"
        raise ValueError(f"metric {metric!r}: threshold has no entry for score column {score!r} (it names {named}).")
    return threshold[score]


def _threshold(metric: str, threshold: Any) -> float:
    if (
        isinstance(threshold, (bool, np.bool_))
        or not isinstance(threshold, numbers.Real)
        or not math.isfinite(threshold)
    ):  # y >= nan predicts nothing: refused, as the runner refuses it
        raise ValueError(f"metric {metric!r}: threshold must be a finite number, got {short_repr(threshold)}.")
    return float(threshold)


def _times(frame: pd.DataFrame, time: Any) -> Any:
    """The times of the rows: the ``time`` column, else the index (a default RangeIndex has none)."""
    if time is not None:
        return _column(frame, time, "time")
    if isinstance(frame.index, pd.RangeIndex):
        return None
    return frame.index


def _labels(frame: pd.DataFrame, label: str, intervals: Any, time: Any) -> Any:
    """The label column, or the labels of ``intervals`` at the times of the rows."""
    if intervals is None:
        return _column(frame, label, "label")
    if isinstance(intervals, IntervalFile):
        if set(intervals.intervals) != {""}:
            raise ValueError(
                f"intervals: {intervals!r} holds several series; pass the intervals of this one, "
                "intervals=windows.find('series.csv')."
            )
        intervals = intervals.intervals[""]
    times = _times(frame, time)
    if times is None:
        raise ValueError(
            "intervals need the times of the rows: give the frame a DatetimeIndex, or name the time column (time=...)."
        )
    return labels_from_intervals(times, intervals)


def _call(
    frame: pd.DataFrame,
    label: str,
    score: str,
    metric: str,
    threshold: Any,
    options: dict,
    intervals: Any = None,
    time: Any = None,
) -> float:
    info = get_metric_info(metric)
    y_true = _labels(frame, label, intervals, time)
    y = _column(frame, score, "score")
    options = {k: (_points(k, v, frame.index) if k in _SPAN_OPTIONS else v) for k, v in options.items()}
    if threshold is not None:
        threshold = _threshold(metric, _column_threshold(metric, threshold, score))
    if (
        "timestamps" in info.params
        and "timestamps" not in options
        and any(is_time_span(v) and info.options[k].kind == "span" for k, v in options.items() if k in info.options)
    ):
        options["timestamps"] = _times(frame, time)  # max_early="5min": the event metrics work in time
    if info.input == "binary" and threshold is not None:
        y = y >= threshold
    try:
        return info.func(y_true, y, **options)
    except (TypeError, ValueError) as exc:
        kind = ValueError if isinstance(exc, ValueError) else TypeError
        where = f"score column {score!r}" if "y_true" not in str(exc) else f"label column {label!r}"
        hint = " (or pass threshold=)" if info.input == "binary" and threshold is None and "y_pred" in str(exc) else ""
        raise kind(f"{where}, metric {metric!r}: {exc}{hint}") from None


@pd.api.extensions.register_dataframe_accessor("pate")
class PateFrameAccessor:
    """``df.pate``: evaluate score columns of a frame against its label column."""

    def __init__(self, frame: pd.DataFrame) -> None:
        self._frame = frame

    def score(
        self,
        label: str = "label",
        score: str = "score",
        metric: str = "pate",
        *,
        threshold: float | Mapping[str, float] | None = None,
        intervals: Any = None,
        time: str | None = None,
        **options: Any,
    ) -> float:
        """One metric of one score column.

        Parameters
        ----------
        label, score : str
            Column names of the labels and of the scores (or predictions).
        metric : str, default="pate"
            A registry name (``pate.list_metrics()``).
        threshold : float or dict, optional
            For binary metrics on a continuous column: predict ``score >= threshold``;
            ``{column: threshold}`` (e.g. NAB's per-detector thresholds,
            :func:`pate.benchmark.read_thresholds`) takes the entry of ``score``.
        intervals : list of (start, end) pairs, optional
            Anomaly intervals instead of the label column
            (:func:`pate.labels_from_intervals` at the times of the rows; a
            DataFrame with ``start`` and ``end`` columns, or a one-series
            :class:`pate.IntervalFile`, also do).
        time : str, optional
            The column holding the times (default: the index).
        **options
            The metric's options. ``early_buffer``, ``delay_buffer`` and ``window`` may be time
            spans (``"30min"``) when the index is a regular DatetimeIndex; ``max_early`` and
            ``max_delay`` of the event metrics are read against the times.

        Examples
        --------
        >>> import pandas as pd, pate
        >>> df = pd.DataFrame({"label": [0, 0, 1, 1, 0, 0], "score": [.1, .3, .9, .8, .2, .1]})
        >>> df.pate.score(early_buffer=1, delay_buffer=1)
        1.0
        >>> ts = df.set_index(pd.date_range("2024-01-01", periods=6, freq="5min"))
        >>> ts.pate.score(metric="pate_f1", threshold=0.5, early_buffer="5min", delay_buffer="10min")
        1.0
        >>> ts.pate.score(intervals=[("2024-01-01 00:10", "2024-01-01 00:15")], early_buffer=1, delay_buffer=1)
        1.0
        """
        return _call(self._frame, label, score, metric, threshold, options, intervals, time)

    def chance_level(
        self,
        label: str = "label",
        score: str = "score",
        metric: str = "pate",
        *,
        threshold: float | Mapping[str, float] | None = None,
        null: str = "shift",
        n_resamples: int = 999,
        random_state: int | None = None,
        **options: Any,
    ) -> ChanceLevel:
        """:func:`pate.chance_level` of one score column: what chance gives it, and how far above it is.

        Options as in :meth:`score` (time spans for the buffers, ``threshold``
        for binary metrics); read more in docs/chance.md.

        Examples
        --------
        >>> import numpy as np, pandas as pd, pate
        >>> y = [0] * 40 + [1] * 5 + [0] * 35
        >>> df = pd.DataFrame({"label": y, "score": np.array(y, dtype=float)})
        >>> level = df.pate.chance_level(metric="pate_ap", early_buffer=2, delay_buffer=2)
        >>> level.exact, round(level.observed, 3), round(level.pvalue, 4)
        (True, 1.0, 0.0125)
        """
        y_true = _column(self._frame, label, "label")
        y = _column(self._frame, score, "score")
        options = {k: (_points(k, v, self._frame.index) if k in _SPAN_OPTIONS else v) for k, v in options.items()}
        if get_metric_info(metric).input == "binary" and threshold is not None:
            y = y >= _threshold(metric, _column_threshold(metric, threshold, score))
        return chance_level(metric, y_true, y, null=null, n_resamples=n_resamples, random_state=random_state, **options)  # type: ignore[arg-type]

    def evaluate(
        self,
        label: str = "label",
        scores: str | Iterable[str] | None = None,
        metrics: str | Iterable[str] = ("pate",),
        *,
        threshold: float | Mapping[str, float] | None = None,
        chance: int | None = None,
        null: str = "shift",
        random_state: int | None = None,
        intervals: Any = None,
        time: str | None = None,
        **options: Any,
    ) -> pd.DataFrame:
        """Several metrics of several score columns: one row per column, one column per metric.

        ``scores`` defaults to the same columns as the ``pate evaluate``
        command: every numeric column except the label, ``value`` and an
        index or time column (``timestamp``, ``time``, ``date``, ...); a text
        column whose cells are mostly numbers is kept, so that its bad cell
        raises instead of the column disappearing. ``scores`` and ``metrics``
        take a name or a list of names. Each option goes to the metrics that
        accept it (an option no metric accepts raises ``TypeError``).
        ``intervals`` and ``time`` as in :meth:`score`.
        ``threshold`` turns the columns into predictions for binary metrics:
        one number for every column, or ``{column: threshold}`` (NAB's
        per-detector thresholds, :func:`pate.benchmark.read_thresholds`;
        entries for other columns are ignored, a column without one is an error).

        ``chance=N`` adds each value's chance level from ``N`` resamples
        (:func:`pate.benchmark.evaluate`'s ``chance``, ``null`` and
        ``random_state``; docs/chance.md): the columns become
        ``(metric, field)`` pairs, field ``value``, ``expected``, ``adjusted``
        and ``pvalue``.

        Examples
        --------
        >>> import pandas as pd, pate
        >>> df = pd.DataFrame({"label": [0, 0, 1, 1, 0, 0],
        ...                    "a": [.1, .3, .9, .8, .2, .1], "b": [.5, .1, .2, .9, .1, .3]})
        >>> df.pate.evaluate(metrics=["pate", "pate_f1"], threshold=0.5, early_buffer=1, delay_buffer=1).round(3)
            pate  pate_f1
        a  1.000      1.0
        b  0.708      0.5
        >>> df.pate.evaluate(metrics="pate_f1", threshold={"a": 0.5, "b": 0.8}, early_buffer=1, delay_buffer=1).round(3)
           pate_f1
        a    1.000
        b    0.667
        >>> df.pate.evaluate(metrics="auc_roc", chance=99, random_state=0)["auc_roc"][["value", "pvalue"]].round(3)
           value  pvalue
        a   1.00   0.167
        b   0.75   0.333
        """
        frame = self._frame
        if scores is None:
            scores = [c for c in default_score_columns(frame, label)[0] if c != time]
            if not scores:
                raise ValueError(
                    f"no score column found (columns: {list(frame.columns)}); name them with scores=[...]."
                )
        else:
            scores = _names(scores, "scores")
        metrics = _names(metrics, "metrics")
        infos = [get_metric_info(m) for m in metrics]
        unused = [k for k in options if not any(k in i.params for i in infos)]
        if unused:
            raise TypeError(f"option {unused[0]!r} is not accepted by any of the metrics {metrics}.")
        options = {k: (_points(k, v, frame.index) if k in _SPAN_OPTIONS else v) for k, v in options.items()}
        if isinstance(threshold, Mapping):  # per column: the task names detectors by position
            missing = [c for c in scores if c not in threshold]
            if missing and any(i.input == "binary" for i in infos):
                named = ", ".join(map(repr, list(threshold)[:8])) or "none"
                raise ValueError(
                    f"threshold has no entry for score column(s) {', '.join(map(repr, missing))} (it names {named}); "
                    "give every score column a threshold."
                )
            for c in scores:
                value = threshold.get(c)
                if value is not None and (
                    isinstance(value, (bool, np.bool_))
                    or not isinstance(value, numbers.Real)
                    or not math.isfinite(value)
                ):
                    raise ValueError(
                        f"threshold of score column {c!r} must be a finite number, got {short_repr(value)}."
                    )
            threshold = {str(j): threshold[c] for j, c in enumerate(scores) if c in threshold}
        strategy = {} if threshold is None else {"threshold": threshold}
        requests = metric_requests(
            [
                (
                    i.name,
                    {
                        **{k: v for k, v in options.items() if k in i.params},
                        **(strategy if i.input == "binary" else {}),
                    },
                )
                for i in infos
            ]
        )
        # Detectors by position: column names need not be strings.
        series = Series(
            "frame",
            _labels(frame, label, intervals, time),
            {str(j): _column(frame, c, "score") for j, c in enumerate(scores)},
            timestamps=_times(frame, time),
        )
        chance_request = make_chance_request(chance, null, random_state, requests)
        result = evaluate_series(series, requests, chance=chance_request)
        if result.error is not None:
            raise result.error.exception(f"label column {label!r}: {result.error.message}")
        values = {info.name: [math.nan] * len(scores) for info in infos}
        levels: dict[tuple[str, str], list[float]] = {}
        for row in result.rows:
            column, metric = scores[int(row.detector)], metrics[row.request]
            if row.error is not None:
                where = f"score column {column!r}, metric {metric!r}"
                if row.error.kind == "predictions":
                    raise ValueError(
                        f"{where}: " + needs_predictions(metric, "pass threshold=X (prediction = score >= X).")
                    )
                raise row.error.exception(f"{where}: {row.error.message}")
            values[metric][int(row.detector)] = row.value
            if chance_request is not None:
                for field in ("expected", "adjusted", "pvalue"):
                    levels.setdefault((metric, field), [math.nan] * len(scores))[int(row.detector)] = getattr(
                        row, field
                    )
        for warning in result.warnings:
            warn_at_caller(warning.message, warning.category)
        index = pd.Index(scores, name=None)
        if chance_request is None:
            return pd.DataFrame(values, index=index, columns=metrics)
        columns = {(m, f): (values[m] if f == "value" else levels[(m, f)]) for m in metrics for f in _CHANCE_FIELDS}
        return pd.DataFrame(columns, index=index)

    # ------------------------------------------------ results tables (pate.compare)
    def leaderboard(self, **options: Any) -> pd.DataFrame:
        """:func:`pate.compare.leaderboard` of this results table (same options).

        Examples
        --------
        >>> import pandas as pd, pate
        >>> results = pd.DataFrame({"series": ["s1", "s1", "s2", "s2"], "detector": ["a", "b", "a", "b"],
        ...                         "metric": "pate", "value": [0.9, 0.4, 0.7, 0.8]})
        >>> results.pate.leaderboard(random_state=0)[["mean", "average_rank", "wins"]]
                  mean  average_rank  wins
        detector
        a          0.8           1.5     1
        b          0.6           1.5     1
        """
        return leaderboard(self._frame, **options)

    def friedman_test(self, **options: Any) -> Any:
        """:func:`pate.compare.friedman_test` of this results table (same options).

        Examples
        --------
        >>> import pandas as pd, pate
        >>> results = pd.DataFrame({"series": ["s1", "s1", "s2", "s2"], "detector": ["a", "b", "a", "b"],
        ...                         "metric": "pate", "value": [0.9, 0.4, 0.7, 0.8]})
        >>> results.pate.friedman_test().statistic
        0.0
        """
        return friedman_test(self._frame, **options)

    def wilcoxon_holm_test(self, **options: Any) -> Any:
        """:func:`pate.compare.wilcoxon_holm_test` of this results table (same options).

        Examples
        --------
        >>> import pandas as pd, pate
        >>> results = pd.DataFrame({"series": ["s1", "s1", "s2", "s2"], "detector": ["a", "b", "a", "b"],
        ...                         "metric": "pate", "value": [0.9, 0.4, 0.7, 0.8]})
        >>> results.pate.wilcoxon_holm_test().groups
        [['a', 'b']]
        """
        return wilcoxon_holm_test(self._frame, **options)

    def nemenyi_test(self, **options: Any) -> Any:
        """:func:`pate.compare.nemenyi_test` of this results table (same options).

        Examples
        --------
        >>> import pandas as pd, pate
        >>> results = pd.DataFrame({"series": ["s1", "s1", "s2", "s2"], "detector": ["a", "b", "a", "b"],
        ...                         "metric": "pate", "value": [0.9, 0.4, 0.7, 0.8]})
        >>> round(results.pate.nemenyi_test().critical_difference, 3)
        1.386
        """
        return nemenyi_test(self._frame, **options)

    def rank_agreement(self, **options: Any) -> Any:
        """:func:`pate.compare.rank_agreement` of this results table (same options).

        Examples
        --------
        >>> import pandas as pd, pate
        >>> results = pd.DataFrame({"series": ["s1", "s2"] * 4, "detector": ["a", "a", "b", "b"] * 2,
        ...                         "metric": ["pate"] * 4 + ["pa_f1"] * 4,
        ...                         "value": [0.9, 0.8, 0.1, 0.2, 0.3, 0.2, 0.6, 0.7]})
        >>> float(results.pate.rank_agreement().kendall_tau.loc["pate", "pa_f1"])
        -1.0
        """
        return rank_agreement(self._frame, **options)

    def critical_difference_diagram(self, **options: Any) -> Any:
        """:meth:`pate.plot.CriticalDifferenceDisplay.from_results` of this results table (needs ``pate-eval[plot]``).

        Examples
        --------
        >>> import pandas as pd, pate
        >>> results = pd.DataFrame({"series": ["s1", "s1", "s2", "s2"], "detector": ["a", "b", "a", "b"],
        ...                         "metric": "pate", "value": [0.9, 0.4, 0.7, 0.8]})
        >>> display = results.pate.critical_difference_diagram()
        >>> display.groups, sorted(display.labels_)
        ([['a', 'b']], ['a', 'b'])
        """
        return CriticalDifferenceDisplay.from_results(self._frame, **options)


@pd.api.extensions.register_series_accessor("pate")
class PateSeriesAccessor:
    """``series.pate``: the anomaly events of a 0/1 label series."""

    def __init__(self, series: pd.Series) -> None:
        self._series = series

    def events(self) -> pd.DataFrame:
        """Maximal runs of ones as a frame with ``start`` and ``end`` (index labels, inclusive) and ``length``.

        Examples
        --------
        >>> import pandas as pd, pate
        >>> s = pd.Series([0, 1, 1, 0, 1], index=pd.date_range("2024-01-01", periods=5, freq="h"))
        >>> s.pate.events()
                        start                 end  length
        0 2024-01-01 01:00:00 2024-01-01 02:00:00       2
        1 2024-01-01 04:00:00 2024-01-01 04:00:00       1
        """
        starts, ends = label_events(check_labels(self._series, name="series"))
        index = self._series.index
        return pd.DataFrame({"start": index[starts], "end": index[ends], "length": ends - starts + 1})
