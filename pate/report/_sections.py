"""The sections every report has: what was evaluated, per-metric statistics, agreement, heatmaps.

Each builder takes the tidy table and returns a :class:`Section` whose
``context`` holds plain values for the template. The statistics are those of
:mod:`pate.compare` and the pictures those of :mod:`pate.plot`; nothing is
computed twice. A statistic that cannot be computed (one detector, one
series) leaves its section ``unavailable`` with the reason, so the page says
what it cannot show instead of failing.
"""

from __future__ import annotations

import math
from typing import Any, Callable, Mapping

import numpy as np
import pandas as pd

from pate.benchmark import parse_params
from pate.benchmark._results_io import split_metric_key
from pate.compare import friedman_test, leaderboard, rank_agreement, wilcoxon_holm_test
from pate.compare._results_table import CHANCE_ALPHA
from pate.metrics import get_metric_info
from pate.plot import CriticalDifferenceDisplay
from pate.report._figures import Picture, agreement_heatmap, close, figure_to_svg, heatmap, style
from pate.report._section import Section, collect_notes, slug

__all__ = ["Direction", "evaluated_section", "metric_section", "agreement_section", "heatmaps_section", "metric_values"]

Direction = Callable[[str], bool]


def direction_of(higher_is_better: bool | Mapping[str, bool]) -> Direction:
    """Per metric key: True when higher values are better."""

    def direction(key: str) -> bool:
        if isinstance(higher_is_better, Mapping):
            return bool(higher_is_better.get(key, higher_is_better.get(split_metric_key(key)[0], True)))
        return bool(higher_is_better)

    return direction


def metric_rows(tidy: pd.DataFrame, key: str) -> pd.DataFrame:
    """The rows of one metric key."""
    name, params = split_metric_key(key)
    return tidy[(tidy["metric"] == name) & (tidy["params"] == (params or ""))]


def metric_values(tidy: pd.DataFrame, key: str) -> pd.DataFrame:
    """Series x detector values of one metric key (NaN where missing), in the table's order."""
    rows = metric_rows(tidy, key)
    matrix = rows.pivot(index="series", columns="detector", values="value")
    series = [s for s in dict.fromkeys(tidy["series"])]
    detectors = list(dict.fromkeys(rows["detector"]))
    return matrix.reindex(index=series, columns=detectors)


# ------------------------------------------------------------ what was evaluated
def _describe_metric(key: str, rows: pd.DataFrame, higher: bool) -> dict[str, Any]:
    name, params = split_metric_key(key)
    try:
        description = get_metric_info(name).description
    except (ValueError, TypeError):
        description = "not a registered metric"
    options = parse_params(params or "")
    return {
        "key": key,
        "name": name,
        "options": ", ".join(f"{k}={v}" for k, v in options.items()) or "defaults",
        "description": description,
        "direction": "higher is better" if higher else "lower is better",
        "n_values": int(rows["value"].notna().sum()),
        "n_missing": int(rows["value"].isna().sum()),
    }


def evaluated_section(
    tidy: pd.DataFrame,
    keys: list[str],
    direction: Direction,
    *,
    source: str,
    command: str,
    date: str,
    version: str,
    constant_note: str,
) -> Section:
    series = list(dict.fromkeys(tidy["series"]))
    detectors = list(dict.fromkeys(tidy["detector"]))
    metrics = [_describe_metric(k, metric_rows(tidy, k), direction(k)) for k in keys]
    return Section(
        "evaluated",
        "What was evaluated",
        "The table below says which results this page summarises and how it was made; every later section "
        "uses exactly these series, detectors and metrics.",
        kind="evaluated",
        context={
            "source": source,
            "series": series,
            "detectors": detectors,
            "metrics": metrics,
            "command": command,
            "date": date,
            "version": version,
            "constant_note": constant_note,
        },
    )


# ------------------------------------------------------------- one metric
def _fmt(value: float, digits: int = 4) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a"
    if isinstance(value, float) and math.isinf(value):
        return "inf" if value > 0 else "-inf"
    return f"{value:.{digits}f}"


def _pvalue(p: float) -> str:
    if math.isnan(p):
        return "n/a"
    return f"{p:.3g}" if p >= 1e-4 else f"{p:.1e}"


def leaderboard_rows(board: pd.DataFrame) -> list[dict[str, Any]]:
    """The leaderboard as template rows, with the flags :func:`pate.compare.leaderboard` sets.

    ``constant`` and, on a table with p-values, ``beats_chance`` /
    ``no_better_than_chance`` come from the leaderboard itself, so the page
    flags exactly what ``pate compare`` flags.
    """
    has_chance = "beats_chance" in board.columns
    rows = []
    for place, (detector, row) in enumerate(board.iterrows(), start=1):
        flags = []
        constant = row["constant"]
        if constant is not pd.NA and not pd.isna(constant) and bool(constant):
            flags.append(("constant", "constant scores on most series: a trivial reference, not a detector"))
        beats = float(row["beats_chance"]) if has_chance else None
        if has_chance and bool(row["no_better_than_chance"]):
            flags.append(
                (
                    "no better than chance",
                    f"beats chance (p < {CHANCE_ALPHA:g}) on {beats:.0%} of its series",
                )
            )
        rows.append(
            {
                "place": place,
                "detector": str(detector),
                "mean": float(row["mean"]),
                "ci_low": float(row["ci_low"]),
                "ci_high": float(row["ci_high"]),
                "median": float(row["median"]),
                "average_rank": float(row["average_rank"]),
                "wins": int(row["wins"]),
                "n_series": int(row["n_series"]),
                "beats": beats,
                "flags": flags,
            }
        )
    return rows


def _unavailable(section: Section, exc: Exception) -> Section:
    section.unavailable = str(exc).strip()
    return section


def metric_section(
    tidy: pd.DataFrame, key: str, direction: Direction, *, alpha: float, number: int
) -> tuple[Section, pd.DataFrame | None]:
    """Leaderboard, Friedman, critical-difference diagram and groups of one metric; and the leaderboard."""
    higher = direction(key)
    section = Section(
        f"metric-{slug(key)}",
        f"Metric {key}",
        f"Detectors ranked by {key} ({'higher' if higher else 'lower'} is better) over the series, then tested: "
        "read the leaderboard first, and trust a difference only where the tests below find one.",
    )
    kwargs: dict[str, Any] = dict(metric=key, missing="drop-series", higher_is_better=higher)
    board_section = Section(
        f"leaderboard-{slug(key)}",
        "Leaderboard",
        "One row per detector, best average rank first; the 95% interval is a bootstrap over series, and a "
        "flag marks a detector whose place is not evidence of skill.",
        kind="leaderboard",
    )
    section.children.append(board_section)
    board = None
    with collect_notes(section):
        try:
            board = leaderboard(tidy, random_state=0, **kwargs)
        except ValueError as exc:
            _unavailable(board_section, exc)
    if board is None:
        section.unavailable = board_section.unavailable
        section.children = []
        return section, None
    rows = leaderboard_rows(board)
    board_section.context = {
        "rows": rows,
        "metric": key,
        "n_series": int(board.attrs["n_series"]),
        "dropped": list(board.attrs["dropped_series"]),
        "has_constant": not board["constant"].isna().all(),
        "has_chance": "beats_chance" in board.columns,
    }
    top_constant = [
        (r["place"], r["detector"]) for r in rows if r["place"] <= 3 and any(f[0] == "constant" for f in r["flags"])
    ]
    for place, detector in top_constant:
        board_section.notes.append(
            f"{detector!r} ranks {place} of {len(rows)} under {key}, but its scores are constant on most series: "
            "it is a trivial reference, not a detector. A detector that does not beat it has shown nothing."
        )

    fried_section = Section(
        f"friedman-{slug(key)}",
        "Friedman and Iman-Davenport test",
        "A small p-value says that the detectors do not all rank alike across series; only then do the "
        "pairwise groups below mean something.",
        kind="friedman",
    )
    section.children.append(fried_section)
    with collect_notes(fried_section):
        try:
            fried = friedman_test(tidy, **kwargs)
            fried_section.context = {
                "statistic": _fmt(fried.statistic, 2),
                "pvalue": _pvalue(fried.pvalue),
                "iman": _fmt(fried.iman_davenport_statistic, 2),
                "iman_pvalue": _pvalue(fried.iman_davenport_pvalue),
                "n_series": fried.n_series,
                "n_detectors": fried.n_detectors,
                "alpha": alpha,
                "significant": bool(fried.iman_davenport_pvalue < alpha)
                if not math.isnan(fried.iman_davenport_pvalue)
                else None,
            }
        except ValueError as exc:
            _unavailable(fried_section, exc)

    cd_section = Section(
        f"cd-{slug(key)}",
        "Critical-difference diagram",
        "Detectors sit on their average rank (1 = best, on the left); a thick bar joins detectors that the "
        f"Wilcoxon-Holm test at alpha = {alpha:g} does not tell apart.",
        kind="picture",
    )
    groups_section = Section(
        f"groups-{slug(key)}",
        "Wilcoxon-Holm groups",
        f"Each line is a run of detectors, in rank order, that pairwise Wilcoxon signed-rank tests with Holm's "
        f"correction do not separate at alpha = {alpha:g}; a detector in no line differs from both its neighbours.",
        kind="groups",
    )
    section.children.extend([cd_section, groups_section])
    post = None
    with collect_notes(groups_section):
        try:
            post = wilcoxon_holm_test(tidy, alpha=alpha, **kwargs)
        except ValueError as exc:
            _unavailable(groups_section, exc)
            _unavailable(cd_section, exc)
    if post is not None:
        names = [str(n) for n in post.average_ranks.index]
        groups_section.context = {
            "groups": post.groups,
            "alpha": alpha,
            "names": names,
            "adjusted": [
                [_pvalue(float(post.adjusted_pvalues.loc[a, b])) if a != b else "" for b in names] for a in names
            ],
            "significant": [[a != b and float(post.adjusted_pvalues.loc[a, b]) < alpha for b in names] for a in names],
        }
        cd_section.context = {"picture": _cd_picture(post, key, alpha, int(board.attrs["n_series"]), number)}
    return section, board


def _cd_picture(post: Any, key: str, alpha: float, n_series: int, number: int) -> Picture:
    with style():
        display = CriticalDifferenceDisplay(
            average_ranks=post.average_ranks,
            groups=post.groups,
            test="wilcoxon-holm",
            alpha=alpha,
            n_series=n_series,
            metric=key,
        ).plot()
    ranks = ", ".join(f"{n} {r:.2f}" for n, r in post.average_ranks.items())
    groups = "; ".join(", ".join(g) for g in post.groups) or "none"
    alt = (
        f"Critical-difference diagram of {key} over {n_series} series. Average ranks, best first: {ranks}. "
        f"Groups not significantly different: {groups}."
    )
    try:
        return figure_to_svg(display.figure_, prefix=f"cd{number}", alt=alt, tight=True)
    finally:
        close(display.figure_)


# ----------------------------------------------------------- rank agreement
def agreement_section(tidy: pd.DataFrame, keys: list[str], direction: Direction) -> Section:
    section = Section(
        "agreement",
        "Do the metrics agree?",
        "Each cell is Kendall's tau between two metrics' rankings of the detectors: 1 means the same order, "
        "0 unrelated, -1 reversed; where it is low, the choice of metric decides the winner.",
        kind="agreement",
    )
    if len(keys) < 2:
        section.unavailable = "the report shows one metric, so there is no other ranking to compare it with."
        return section
    with collect_notes(section):
        try:
            res = rank_agreement(
                tidy, metrics=keys, missing="drop-series", higher_is_better={k: direction(k) for k in keys}
            )
        except ValueError as exc:
            return _unavailable(section, exc)
    fig = agreement_heatmap(res.kendall_tau)
    pairs = [
        f"{a} and {b}: {res.kendall_tau.loc[a, b]:.2f}"
        for i, a in enumerate(res.kendall_tau.index)
        for b in list(res.kendall_tau.columns)[i + 1 :]
    ]
    picture = figure_to_svg(
        fig,
        prefix="agreement",
        alt=f"Heatmap of Kendall's tau between the metrics' rankings of the detectors over "
        f"{res.n_series} series: {'; '.join(pairs)}.",
    )
    ranks = res.average_ranks
    section.context = {
        "picture": picture,
        "n_series": res.n_series,
        "dropped": list(res.dropped_series),
        "metrics": [str(c) for c in ranks.columns],
        "rows": [{"detector": str(d), "ranks": [float(v) for v in ranks.loc[d]]} for d in ranks.index],
        "tau_p": {
            f"{a} / {b}": _pvalue(float(res.kendall_pvalues.loc[a, b]))
            for i, a in enumerate(ranks.columns)
            for b in list(ranks.columns)[i + 1 :]
        },
    }
    return section


# ----------------------------------------------------------------- heatmaps
def heatmaps_section(
    tidy: pd.DataFrame, keys: list[str], direction: Direction, boards: dict[str, pd.DataFrame]
) -> Section:
    section = Section(
        "heatmaps",
        "Detector x series",
        "One heatmap per metric: a row per detector (in leaderboard order), a column per series, sorted from "
        "the series the detectors do best on to the hardest; grey cells have no value.",
    )
    for number, key in enumerate(keys):
        child = Section(
            f"heatmap-{slug(key)}",
            key,
            f"Brighter is a higher {key}; a column that is dark for every detector is a hard series, a "
            "row that is bright where others are dark is a detector with its own strengths.",
            kind="picture",
        )
        section.children.append(child)
        matrix = metric_values(tidy, key)
        if matrix.shape[1] == 0 or matrix.notna().to_numpy().sum() == 0:
            child.unavailable = f"the table holds no value of {key}."
            continue
        higher = direction(key)
        if key in boards:
            matrix = matrix[
                [d for d in boards[key].index if d in matrix.columns]
                + [d for d in matrix.columns if d not in boards[key].index]
            ]
        difficulty = matrix.mean(axis=1, skipna=True)  # pandas: an all-NaN row gives NaN, without a warning
        order = difficulty.sort_values(ascending=not higher, na_position="last", kind="stable").index
        matrix = matrix.loc[order]
        empty = [str(s) for s in matrix.index[matrix.isna().all(axis=1)]]
        finite = matrix.to_numpy(dtype=float)
        finite = finite[np.isfinite(finite)]
        low, high = float(finite.min()), float(finite.max())
        if low >= 0.0 and high <= 1.0:
            low, high = 0.0, 1.0
        elif low == high:
            low, high = low - 0.5, high + 0.5
        fig = heatmap(matrix.T, metric=key, vmin=low, vmax=high)
        hardest = ", ".join(str(s) for s in list(order[: len(order) - len(empty)])[-3:][::-1])
        picture = figure_to_svg(
            fig,
            prefix=f"heat{number}",
            alt=f"Heatmap of {key} for {matrix.shape[1]} detectors on {matrix.shape[0]} series, series sorted by "
            f"the detectors' mean value, easiest first; the hardest series are {hardest}.",
        )
        child.context = {"picture": picture}
        if empty:
            child.notes.append(f"{len(empty)} series have no value of {key} (grey): {', '.join(empty)}.")
    return section
