"""Do two metrics rank the detectors alike? Kendall's tau and Spearman's rho between metrics.

The PATE paper (Ghorbani et al., KDD 2024) argues that point-adjusted F1 ranks
detectors differently from proximity-aware metrics; this puts a number on
such a claim for any set of metrics.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Iterable, Mapping

import numpy as np
import pandas as pd

from pate.compare._results_table import Missing, metric_key, resolve_metrics, select

__all__ = ["RankAgreementResult", "rank_agreement"]


@dataclass(frozen=True)
class RankAgreementResult:
    """Result of :func:`rank_agreement`.

    Attributes
    ----------
    average_ranks : DataFrame
        Detector x metric average ranks (1 = best), the rankings side by side,
        rows ordered by the first metric's ranking (ties by name).
    kendall_tau, kendall_pvalues : DataFrame
        Metric x metric Kendall's tau-b between the average-rank vectors
        (``scipy.stats.kendalltau``) and its two-sided p-values (nan on the diagonal).
    spearman_rho, spearman_pvalues : DataFrame
        The same with Spearman's rho (``scipy.stats.spearmanr``).
    n_series : int
        Series used (complete under every metric).
    dropped_series : tuple of str
        Series dropped under ``missing="drop-series"``.
    """

    average_ranks: pd.DataFrame
    kendall_tau: pd.DataFrame
    kendall_pvalues: pd.DataFrame
    spearman_rho: pd.DataFrame
    spearman_pvalues: pd.DataFrame
    n_series: int
    dropped_series: tuple[str, ...]


def rank_agreement(
    results: pd.DataFrame,
    *,
    metrics: Iterable[str] | None = None,
    missing: Missing = "raise",
    higher_is_better: bool | Mapping[str, bool] = True,
) -> RankAgreementResult:
    """The detectors' rankings under several metrics side by side, and how far they agree.

    Every metric is ranked on the same series: with ``missing="drop-series"``
    a series incomplete under any metric is dropped for all of them.

    Parameters
    ----------
    results : DataFrame
        A results table (see :func:`results_from_frame`).
    metrics : list of str, optional
        Two or more registry names (or ``"name[params]"`` keys); default every
        metric of the table.
    missing : {"raise", "drop-series"}, default="raise"
        See :func:`leaderboard`.
    higher_is_better : bool or dict, default=True
        Direction, for all metrics or per metric name.

    Returns
    -------
    RankAgreementResult

    See Also
    --------
    leaderboard : one metric's ranking.
    buffer_sensitivity : the same across PATE's buffers.

    Examples
    --------
    >>> import pandas as pd
    >>> from pate.compare import rank_agreement
    >>> tidy = pd.DataFrame({
    ...     "series": ["s1", "s2"] * 6, "detector": ["a"] * 4 + ["b"] * 4 + ["c"] * 4,
    ...     "metric": (["pate"] * 2 + ["pa_f1"] * 2) * 3,
    ...     "value": [.9, .8, .2, .3, .5, .6, .9, .8, .1, .2, .5, .6]})
    >>> res = rank_agreement(tidy, metrics=["pate", "pa_f1"])
    >>> res.average_ranks
              pate  pa_f1
    detector
    a          1.0    3.0
    b          2.0    1.0
    c          3.0    2.0
    >>> round(float(res.kendall_tau.loc["pate", "pa_f1"]), 4)
    -0.3333
    """
    from scipy.stats import kendalltau, spearmanr  # scipy.stats: heavy, loaded when an analysis runs

    keys = resolve_metrics(results, metrics)
    if len(keys) < 2:
        raise ValueError(f"rank_agreement needs two or more metrics, got {keys}.")

    def direction(key: str) -> bool:
        if isinstance(higher_is_better, Mapping):
            return bool(higher_is_better.get(key, higher_is_better.get(key.split("[")[0], True)))
        return higher_is_better

    selections = [select(results, metric=key, missing=missing, higher_is_better=direction(key)) for key in keys]
    labels = [metric_key(s.metric, s.params) for s in selections]
    if len(set(labels)) < len(labels):
        raise ValueError(f"metrics= names a metric twice: {keys}.")
    detectors = set(selections[0].matrix.columns)
    for key, sel in zip(labels[1:], selections[1:]):
        if set(sel.matrix.columns) != detectors:
            only = sorted(detectors.symmetric_difference(sel.matrix.columns))
            raise ValueError(f"metrics {labels[0]!r} and {key!r} cover different detectors ({only}).")
    common = [s for s in selections[0].matrix.index if all(s in sel.matrix.index for sel in selections[1:])]
    dropped = tuple(dict.fromkeys(d for sel in selections for d in sel.dropped_series))
    dropped += tuple(s for sel in selections for s in sel.matrix.index if s not in common and s not in dropped)
    if len(common) < 2:
        raise ValueError(f"only {len(common)} series are complete under every metric; comparing needs 2.")
    columns = {}
    for label, sel in zip(labels, selections):
        sub = type(sel)(sel.matrix.loc[common], sel.metric, sel.params, sel.higher_is_better, (), None)
        columns[label] = sub.average_ranks()
    first = columns[labels[0]]
    ranks = pd.DataFrame({label: col.reindex(first.index) for label, col in columns.items()})
    ranks.index.name = "detector"
    k = len(labels)
    tau, rho = np.eye(k), np.eye(k)
    tau_p, rho_p = np.full((k, k), np.nan), np.full((k, k), np.nan)  # no test of a metric against itself
    for i, j in itertools.combinations(range(k), 2):
        x, y = ranks.iloc[:, i].to_numpy(), ranks.iloc[:, j].to_numpy()
        kt = kendalltau(x, y)
        sr = spearmanr(x, y)
        tau[i, j] = tau[j, i] = float(kt.statistic)
        tau_p[i, j] = tau_p[j, i] = float(kt.pvalue)
        rho[i, j] = rho[j, i] = float(sr.statistic)
        rho_p[i, j] = rho_p[j, i] = float(sr.pvalue)

    def frame(a: np.ndarray) -> pd.DataFrame:
        return pd.DataFrame(a, index=labels, columns=labels)

    return RankAgreementResult(ranks, frame(tau), frame(tau_p), frame(rho), frame(rho_p), len(common), dropped)
