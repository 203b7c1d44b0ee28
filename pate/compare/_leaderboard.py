"""The leaderboard: one row per detector, summary statistics and average ranks of one or more metrics."""

from __future__ import annotations

import inspect
from typing import Any, Iterable, Mapping

import numpy as np
import pandas as pd

from pate._validation import short_repr
from pate.compare._published import join_published
from pate.compare._results_table import (
    CHANCE_SHARE,
    Missing,
    Selection,
    metric_key,
    resolve_metrics,
    results_with_value,
    select,
    sort_by_rank,
)

__all__ = ["leaderboard", "LEADERBOARD_COLUMNS"]

LEADERBOARD_COLUMNS = (
    "mean",
    "std",
    "median",
    "min",
    "max",
    "n_series",
    "average_rank",
    "wins",
    "ci_low",
    "ci_high",
    "constant",
)


def _direction(higher_is_better: bool | Mapping[str, bool], key: str, name: str) -> bool:
    if isinstance(higher_is_better, Mapping):
        return bool(higher_is_better.get(key, higher_is_better.get(name, True)))
    return higher_is_better


def _bootstrap_mean_ci(values: np.ndarray, *, n_resamples: int, confidence_level: float, random_state: Any):
    """Percentile bootstrap CI of each column's mean, resampling series (rows) jointly."""
    from scipy.stats import bootstrap  # scipy.stats: heavy, loaded when an analysis runs

    if values.shape[0] < 2:
        return np.full(values.shape[1], np.nan), np.full(values.shape[1], np.nan)
    key = "rng" if "rng" in inspect.signature(bootstrap).parameters else "random_state"
    rng = random_state if isinstance(random_state, np.random.Generator) else np.random.default_rng(random_state)
    res = bootstrap(
        (values,),
        np.mean,
        axis=0,
        vectorized=True,
        method="percentile",
        n_resamples=n_resamples,
        confidence_level=confidence_level,
        **{key: rng},
    )
    return np.asarray(res.confidence_interval.low, float), np.asarray(res.confidence_interval.high, float)


def _block(sel: Selection, *, n_resamples: int, confidence_level: float, random_state: Any) -> pd.DataFrame:
    values = sel.matrix.to_numpy()
    ranks = sel.ranks()
    best = values.max(axis=1, keepdims=True) if sel.higher_is_better else values.min(axis=1, keepdims=True)
    low, high = _bootstrap_mean_ci(
        values, n_resamples=n_resamples, confidence_level=confidence_level, random_state=random_state
    )
    block = pd.DataFrame(
        {
            "mean": values.mean(axis=0),
            "std": values.std(axis=0, ddof=1),
            "median": np.median(values, axis=0),
            "min": values.min(axis=0),
            "max": values.max(axis=0),
            "n_series": np.full(values.shape[1], values.shape[0], dtype=np.int64),
            "average_rank": ranks.mean(axis=0),
            "wins": (values == best).sum(axis=0).astype(np.int64),
            "ci_low": low,
            "ci_high": high,
        },
        index=pd.Index(sel.matrix.columns, name="detector"),
    )
    if sel.constant is not None:
        block["constant"] = pd.array((sel.constant > 0.5).to_numpy(), dtype="boolean")
    else:
        block["constant"] = pd.array([pd.NA] * len(block), dtype="boolean")
    if sel.beats_chance is not None:  # a table with chance levels (pvalue column)
        block["beats_chance"] = sel.beats_chance.to_numpy()
        block["no_better_than_chance"] = (sel.beats_chance < CHANCE_SHARE).to_numpy()
    return block


def leaderboard(
    results: pd.DataFrame,
    *,
    metric: str | Iterable[str] | None = None,
    params: str | None = None,
    missing: Missing = "raise",
    higher_is_better: bool | Mapping[str, bool] = True,
    n_resamples: int = 9999,
    confidence_level: float = 0.95,
    random_state: int | np.random.Generator | None = None,
    against: str | None = None,
    value: str = "value",
) -> pd.DataFrame:
    """Rank detectors by one or more metrics over the series of a results table.

    Parameters
    ----------
    results : DataFrame
        A results table (tidy, the wide form of ``pate evaluate``, see
        :func:`results_from_frame`).
    metric : str or list of str, optional
        A registry name, or ``"name[params]"`` for a metric at non-default
        options; optional when the table holds one metric. A list gives one
        block of columns per metric (MultiIndex columns ``(metric, column)``),
        rows ordered by the first.
    params : str, optional
        The ``params`` string to use when the table holds the metric at
        several options.
    missing : {"raise", "drop-series"}, default="raise"
        A missing or NaN (series, detector) value raises a ValueError naming
        the pairs; ``"drop-series"`` drops those series (with a warning naming
        them) and computes everything on the complete series.
    higher_is_better : bool or dict, default=True
        True for every registered metric; declare anything else (a dict maps
        metric names to a direction).
    n_resamples, confidence_level, random_state
        The percentile bootstrap (``scipy.stats.bootstrap``) of the mean's
        confidence interval; series are resampled jointly for all detectors.
    against : str, optional
        A published table (:func:`list_published`, e.g. ``"tsb-ad-u"``): your
        detectors are ranked among the published ones, on the published
        series (:func:`join_published`: series names match with or without
        ``.csv``; a series on one side only is an error, or dropped with
        ``missing="drop-series"``). ``metric`` defaults to, and must be, the
        published metric.
    value : {"value", "adjusted", "expected"}, default="value"
        The column to rank by: the metric's values, or (tables made with
        chance levels, ``pate.benchmark.evaluate(..., chance=N)``) the
        chance-adjusted values ``(value - expected) / (best - expected)``, or
        the chance levels themselves. Read more in docs/chance.md.

    Returns
    -------
    DataFrame
        Indexed by detector, sorted by average rank (ties broken by name),
        with columns ``mean``, ``std`` (ddof=1), ``median``, ``min``, ``max``,
        ``n_series``, ``average_rank`` (1 = best, ties averaged), ``wins``
        (series where the detector attains the best value; ties count for
        every tied detector), ``ci_low``, ``ci_high`` and ``constant`` (True
        when the detector's scores are constant on more than half of its
        series, a trivial reference; ``<NA>`` when the table has no
        ``constant`` column). A table with chance levels (a ``pvalue``
        column) adds ``beats_chance``, the share of its series where the
        detector beats chance (p < 0.05), and ``no_better_than_chance``, True
        when that share is below 5 %, whatever the detector's rank.
        ``attrs`` records ``metric``, ``params``, ``value``,
        ``higher_is_better``, ``n_series`` and ``dropped_series``; with
        ``against``, also ``against`` (the published name) and ``yours`` (your
        detectors), and ``dropped_series`` holds the series dropped by the
        join too.

    See Also
    --------
    rank_agreement : rankings under several metrics compared.
    pate.plot.CriticalDifferenceDisplay : which differences are significant.

    Examples
    --------
    >>> import pandas as pd
    >>> from pate.compare import leaderboard, results_from_matrix
    >>> m = pd.DataFrame({"a": [0.9, 0.8, 0.7], "b": [0.5, 0.8, 0.6], "c": [0.1, 0.2, 0.3]},
    ...                  index=["s1", "s2", "s3"])
    >>> board = leaderboard(results_from_matrix(m, metric="pate"), random_state=0)
    >>> board[["mean", "average_rank", "wins", "n_series"]]
                  mean  average_rank  wins  n_series
    detector
    a         0.800000      1.166667     3         3
    b         0.633333      1.833333     1         3
    c         0.200000      3.000000     0         3
    >>> board.attrs["higher_is_better"], board.attrs["dropped_series"]
    (True, ())

    Your detector among TSB-AD's 32 (here one that halves the distance of
    Sub-PCA to a perfect score on every series):

    >>> from pate.compare import published_results
    >>> sub_pca = published_results("tsb-ad-u").query("detector == 'Sub-PCA'")
    >>> mine = sub_pca.assign(detector="mine", value=1 - (1 - sub_pca["value"]) / 2)
    >>> board = leaderboard(mine, against="tsb-ad-u", n_resamples=1000, random_state=0)
    >>> board.index[:3].tolist(), board.attrs["yours"], board.attrs["n_series"]
    (['mine', 'POLY', 'Series2Graph'], ('mine',), 350)
    """
    if against is not None:
        if value != "value":
            raise ValueError(f"against= ranks by the published values; value={value!r} needs value='value'.")
        return _against(
            results,
            against,
            metric=metric,
            params=params,
            missing=missing,
            higher_is_better=higher_is_better,
            n_resamples=n_resamples,
            confidence_level=confidence_level,
            random_state=random_state,
        )
    if not isinstance(n_resamples, (int, np.integer)) or n_resamples < 1:
        raise ValueError(f"n_resamples must be a positive integer, got {short_repr(n_resamples)}.")
    if not 0 < confidence_level < 1:
        raise ValueError(f"confidence_level must lie strictly between 0 and 1, got {short_repr(confidence_level)}.")
    results = results_with_value(results, value)
    several = metric is not None and not isinstance(metric, str)
    keys: list[Any] = resolve_metrics(results, metric) if several else [metric]
    blocks, selections = [], []
    for key in keys:
        name = key if key is None else key.split("[")[0]
        sel = select(
            results,
            metric=key,
            params=params,
            missing=missing,
            higher_is_better=_direction(higher_is_better, str(key), str(name)),
        )
        selections.append(sel)
        blocks.append(
            _block(sel, n_resamples=n_resamples, confidence_level=confidence_level, random_state=random_state)
        )
    order = sort_by_rank(blocks[0]["average_rank"]).index
    if not several:
        board = blocks[0].loc[order]
        sel = selections[0]
        board.attrs.update(
            metric=sel.metric,
            params=sel.params,
            value=value,
            higher_is_better=sel.higher_is_better,
            n_series=int(sel.matrix.shape[0]),
            dropped_series=sel.dropped_series,
        )
        return board
    labels = [metric_key(s.metric, s.params) for s in selections]
    board = pd.concat([b.reindex(order) for b in blocks], axis=1, keys=labels, names=["metric", None])
    board.attrs.update(
        metric=[s.metric for s in selections],
        params=[s.params for s in selections],
        value=value,
        higher_is_better=[s.higher_is_better for s in selections],
        n_series=[int(s.matrix.shape[0]) for s in selections],
        dropped_series=[s.dropped_series for s in selections],
    )
    return board


def _against(
    results: pd.DataFrame,
    against: str,
    *,
    metric: str | Iterable[str] | None,
    params: str | None,
    missing: Missing,
    higher_is_better: bool | Mapping[str, bool],
    n_resamples: int,
    confidence_level: float,
    random_state: int | np.random.Generator | None,
) -> pd.DataFrame:
    """``leaderboard(results, against=NAME)``: your detectors among a published table's."""
    if metric is not None and not isinstance(metric, str):
        raise ValueError("against= compares one metric, the published one: pass metric= as one name, not a list.")
    if higher_is_better is not True:
        raise ValueError(
            f"against={against!r}: the published metric is higher-is-better; leave higher_is_better at True."
        )
    joined = join_published(results, against, metric=metric, params=params, missing=missing)
    board = leaderboard(
        joined.results,
        missing=missing,
        n_resamples=n_resamples,
        confidence_level=confidence_level,
        random_state=random_state,
    )
    board.attrs.update(
        against=joined.against,
        yours=joined.yours,
        dropped_series=joined.dropped_series + tuple(board.attrs["dropped_series"]),
    )
    return board
