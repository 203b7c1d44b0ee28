"""How much does PATE's buffer choice matter? Detectors' scores and ranks over a grid of buffers.

The early and delay buffers are PATE's main knob (Ghorbani et al., KDD 2024).
Given one results table holding the metric at several (early_buffer,
delay_buffer) settings over the same series, this tabulates each detector's
mean and average rank per setting and how far the ranking moves.
"""

from __future__ import annotations

import inspect
import itertools
from dataclasses import dataclass

import numpy as np
import pandas as pd

from pate.benchmark._results_io import parse_params
from pate.compare._results_table import Missing, results_from_frame, select
from pate.metrics import get_metric_info

__all__ = ["BufferSensitivityResult", "buffer_sensitivity"]


@dataclass(frozen=True)
class BufferSensitivityResult:
    """Result of :func:`buffer_sensitivity`.

    Attributes
    ----------
    table : DataFrame
        One row per detector and setting: ``detector``, ``early_buffer``,
        ``delay_buffer``, ``params``, ``mean``, ``average_rank`` (over series,
        1 = best), ``rank`` (the detector's place on that setting's
        leaderboard, ties sharing the best place) and ``n_series``.
    summary : DataFrame
        Per detector (sorted by its average rank at the first setting):
        ``mean_min``, ``mean_max``, ``mean_range``, ``rank_min``, ``rank_max``.
    kendall_tau : DataFrame
        Setting x setting Kendall's tau-b between the detectors' average
        ranks (indexed by ``(early_buffer, delay_buffer)``).
    metric : str
        The metric analysed.
    """

    table: pd.DataFrame
    summary: pd.DataFrame
    kendall_tau: pd.DataFrame
    metric: str


def _defaults(metric: str) -> dict[str, object]:
    try:
        func = get_metric_info(metric).func
    except ValueError:
        return {}
    return {
        p.name: p.default
        for p in inspect.signature(func).parameters.values()
        if p.kind is inspect.Parameter.KEYWORD_ONLY and p.default is not inspect.Parameter.empty
    }


def buffer_sensitivity(
    results: pd.DataFrame,
    *,
    metric: str = "pate",
    missing: Missing = "raise",
    higher_is_better: bool = True,
) -> BufferSensitivityResult:
    """Detectors' means and ranks of a buffered metric over a grid of (early, delay) buffers.

    Parameters
    ----------
    results : DataFrame
        A results table holding ``metric`` at several ``params`` settings
        that differ in ``early_buffer`` and/or ``delay_buffer`` (an option
        absent from ``params`` has the metric's default). Build it with any
        runner, e.g. one row per series, detector and setting.
    metric : str, default="pate"
        The metric (``pate`` or ``pate_f1``, or any metric with buffer options).
    missing : {"raise", "drop-series"}, default="raise"
        See :func:`leaderboard`; applied per setting.
    higher_is_better : bool, default=True
        The metric's direction.

    Returns
    -------
    BufferSensitivityResult

    Raises
    ------
    ValueError
        If the settings differ in anything but the two buffers, or cover
        different series.

    See Also
    --------
    pate.plot.BufferSensitivityDisplay : the picture of it.
    leaderboard : one setting's leaderboard.

    Examples
    --------
    >>> import pandas as pd
    >>> from pate.compare import buffer_sensitivity
    >>> rows = []
    >>> for params, values in {"delay_buffer=5;early_buffer=5": (.9, .8, .5, .6),
    ...                        "": (.7, .6, .8, .7)}.items():
    ...     for (series, detector), value in zip([("s1", "a"), ("s2", "a"), ("s1", "b"), ("s2", "b")], values):
    ...         rows.append((series, detector, "pate", value, params))
    >>> tidy = pd.DataFrame(rows, columns=["series", "detector", "metric", "value", "params"])
    >>> res = buffer_sensitivity(tidy)
    >>> res.table[["detector", "early_buffer", "delay_buffer", "mean", "rank"]]
      detector  early_buffer  delay_buffer  mean  rank
    0        a             5             5  0.85     1
    1        b             5             5  0.55     2
    2        b           100           100  0.75     1
    3        a           100           100  0.65     2
    >>> res.summary[["mean_range", "rank_min", "rank_max"]]
              mean_range  rank_min  rank_max
    detector
    a                0.2         1         2
    b                0.2         1         2
    """
    from scipy.stats import kendalltau  # scipy.stats: heavy, loaded when an analysis runs

    tidy = results_from_frame(results)
    sub = tidy[tidy["metric"] == metric]
    if sub.empty:
        held = ", ".join(map(repr, dict.fromkeys(tidy["metric"]))) or "none"
        raise ValueError(f"the results table holds no rows of metric {metric!r}; it holds {held}.")
    defaults = _defaults(metric)
    settings: list[tuple[object, object, str]] = []
    others: dict[str, dict[str, object]] = {}
    for params in dict.fromkeys(sub["params"]):
        options = parse_params(params)
        early = options.pop("early_buffer", defaults.get("early_buffer"))
        delay = options.pop("delay_buffer", defaults.get("delay_buffer"))
        if early is None or delay is None:
            raise ValueError(
                f"metric {metric!r}, params {params!r}: no early_buffer/delay_buffer and no registered default."
            )
        settings.append((early, delay, params))
        others[params] = options
    if len({(e, d) for e, d, _ in settings}) < len(settings):
        raise ValueError(f"two params settings of {metric!r} have the same buffers; they differ in another option.")
    distinct = {tuple(sorted(o.items())) for o in others.values()}
    if len(distinct) > 1:
        raise ValueError(
            f"the settings of {metric!r} differ in options other than the buffers ({sorted(others)}); "
            "filter the table to one value of the other options first."
        )
    pieces, rank_vectors, series_sets = [], {}, []
    for early, delay, params in settings:
        sel = select(tidy, metric=metric, params=params, missing=missing, higher_is_better=higher_is_better)
        series_sets.append(frozenset(sel.matrix.index))
        avg = sel.average_ranks()
        place = avg.rank(method="min").astype(np.int64)
        means = sel.matrix.mean(axis=0)
        pieces.append(
            pd.DataFrame(
                {
                    "detector": avg.index.to_numpy(),
                    "early_buffer": early,
                    "delay_buffer": delay,
                    "params": params,
                    "mean": means.reindex(avg.index).to_numpy(),
                    "average_rank": avg.to_numpy(),
                    "rank": place.to_numpy(),
                    "n_series": sel.matrix.shape[0],
                }
            )
        )
        rank_vectors[(early, delay)] = avg
    if len(set(series_sets)) > 1:
        raise ValueError(f"the settings of {metric!r} cover different series; every setting needs the same series.")
    table = pd.concat(pieces, ignore_index=True)
    first = pieces[0]["detector"].tolist()
    grouped = table.groupby("detector", sort=False)
    summary = pd.DataFrame(
        {
            "mean_min": grouped["mean"].min(),
            "mean_max": grouped["mean"].max(),
            "rank_min": grouped["rank"].min(),
            "rank_max": grouped["rank"].max(),
        }
    ).reindex(first)
    summary.insert(2, "mean_range", summary["mean_max"] - summary["mean_min"])
    summary.index.name = "detector"
    keys = list(rank_vectors)
    tau = np.eye(len(keys))
    for i, j in itertools.combinations(range(len(keys)), 2):
        x = rank_vectors[keys[i]].reindex(first).to_numpy()
        y = rank_vectors[keys[j]].reindex(first).to_numpy()
        tau[i, j] = tau[j, i] = kendalltau(x, y).statistic
    index = pd.MultiIndex.from_tuples(keys, names=["early_buffer", "delay_buffer"])
    return BufferSensitivityResult(table, summary, pd.DataFrame(tau, index=index, columns=index), metric)
