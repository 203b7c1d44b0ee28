"""pandas accessors ``DataFrame.pate`` and ``Series.pate`` (registered on ``import pate``).

Thin by design: they pick columns, turn time-span buffers into point counts
(the one thing that needs the index), and delegate to the registry's metric
functions, where every option is validated. Read more in docs/pandas.md.
"""

from __future__ import annotations

from typing import Any, Iterable

import numpy as np
import pandas as pd

from pate._events import label_events
from pate._validation import check_labels
from pate.metrics._registry import get_metric_info

__all__ = ["PateFrameAccessor", "PateSeriesAccessor"]

_SPAN_OPTIONS = ("early_buffer", "delay_buffer")


def _index_step(index: pd.Index) -> pd.Timedelta:
    """The regular step of a DatetimeIndex, or a ValueError saying why there is none."""
    if not isinstance(index, pd.DatetimeIndex):
        raise ValueError(
            f"buffers given as time spans need a DatetimeIndex, but the index is a {type(index).__name__}; "
            "give early_buffer/delay_buffer as a number of points instead."
        )
    freq = index.freq or (pd.infer_freq(index) if len(index) >= 3 else None)
    if freq is None:
        raise ValueError(
            "buffers given as time spans need a regular DatetimeIndex, but this index has no fixed "
            "frequency (irregular or too short); give early_buffer/delay_buffer as a number of points."
        )
    try:
        return pd.Timedelta(pd.tseries.frequencies.to_offset(freq))
    except ValueError:
        raise ValueError(
            f"the index frequency {freq!r} is not a fixed time step; give buffers as a number of points."
        ) from None


def _points(option: str, value: Any, index: pd.Index) -> Any:
    """A time span (``"30min"``, ``Timedelta``) as a whole number of index steps."""
    if not isinstance(value, (str, pd.Timedelta, np.timedelta64)) and not hasattr(value, "total_seconds"):
        return value
    try:
        span = pd.Timedelta(value)
    except ValueError:
        raise ValueError(f"{option}={value!r} is neither a number of points nor a time span such as '30min'.") from None
    step = _index_step(index)
    count = span / step
    if count < 0 or count != int(count):
        raise ValueError(
            f"{option}={value!r} is not a whole, non-negative number of index steps ({step}); "
            "use a multiple of the step."
        )
    return int(count)


def _call(frame: pd.DataFrame, label: str, score: str, metric: str, threshold: float | None, options: dict) -> float:
    info = get_metric_info(metric)
    for name in (label, score):
        if name not in frame.columns:
            raise KeyError(f"column {name!r} not found; columns are {list(frame.columns)}.")
    options = {k: (_points(k, v, frame.index) if k in _SPAN_OPTIONS else v) for k, v in options.items()}
    y = frame[score]
    if info.input == "binary" and threshold is not None:
        y = y >= threshold
    return info.func(frame[label], y, **options)


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
        threshold: float | None = None,
        **options: Any,
    ) -> float:
        """One metric of one score column.

        Parameters
        ----------
        label, score : str
            Column names of the labels and of the scores (or predictions).
        metric : str, default="pate"
            A registry name (``pate.list_metrics()``).
        threshold : float, optional
            For binary metrics on a continuous column: predict ``score >= threshold``.
        **options
            The metric's options. ``early_buffer``/``delay_buffer`` may be time
            spans (``"30min"``) when the index is a regular DatetimeIndex.

        Examples
        --------
        >>> import pandas as pd, pate
        >>> df = pd.DataFrame({"label": [0, 0, 1, 1, 0, 0], "score": [.1, .3, .9, .8, .2, .1]})
        >>> df.pate.score(early_buffer=1, delay_buffer=1)
        1.0
        >>> ts = df.set_index(pd.date_range("2024-01-01", periods=6, freq="5min"))
        >>> ts.pate.score(metric="pate_f1", threshold=0.5, early_buffer="5min", delay_buffer="10min")
        1.0
        """
        return _call(self._frame, label, score, metric, threshold, options)

    def evaluate(
        self,
        label: str = "label",
        scores: Iterable[str] | None = None,
        metrics: Iterable[str] = ("pate",),
        *,
        threshold: float | None = None,
        **options: Any,
    ) -> pd.DataFrame:
        """Several metrics of several score columns: one row per column, one column per metric.

        ``scores`` defaults to every numeric column except ``label``. Each
        option goes to the metrics that accept it (an option no metric
        accepts raises ``TypeError``).

        Examples
        --------
        >>> import pandas as pd, pate
        >>> df = pd.DataFrame({"label": [0, 0, 1, 1, 0, 0],
        ...                    "a": [.1, .3, .9, .8, .2, .1], "b": [.5, .1, .2, .9, .1, .3]})
        >>> df.pate.evaluate(metrics=["pate", "pate_f1"], threshold=0.5, early_buffer=1, delay_buffer=1).round(3)
            pate  pate_f1
        a  1.000      1.0
        b  0.708      0.5
        """
        frame = self._frame
        if scores is None:
            scores = [c for c in frame.columns if c != label and pd.api.types.is_numeric_dtype(frame[c])]
        scores, metrics = list(scores), list(metrics)
        infos = [get_metric_info(m) for m in metrics]
        unused = [k for k in options if not any(k in i.params for i in infos)]
        if unused:
            raise TypeError(f"option {unused[0]!r} is not accepted by any of the metrics {metrics}.")
        table = {
            info.name: [
                _call(frame, label, col, info.name, threshold, {k: v for k, v in options.items() if k in info.params})
                for col in scores
            ]
            for info in infos
        }
        return pd.DataFrame(table, index=pd.Index(scores, name=None), columns=metrics)


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
        from pate.compare import leaderboard

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
        from pate.compare import friedman_test

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
        from pate.compare import wilcoxon_holm_test

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
        from pate.compare import nemenyi_test

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
        from pate.compare import rank_agreement

        return rank_agreement(self._frame, **options)

    def critical_difference_diagram(self, **options: Any) -> Any:
        """:func:`pate.compare.critical_difference_diagram` of this results table (needs ``pate[plot]``).

        Examples
        --------
        >>> import pandas as pd, pate
        >>> results = pd.DataFrame({"series": ["s1", "s1", "s2", "s2"], "detector": ["a", "b", "a", "b"],
        ...                         "metric": "pate", "value": [0.9, 0.4, 0.7, 0.8]})
        >>> display = results.pate.critical_difference_diagram()
        >>> display.groups, sorted(display.labels_)
        ([['a', 'b']], ['a', 'b'])
        """
        from pate.compare import critical_difference_diagram

        return critical_difference_diagram(self._frame, **options)


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
