"""The report of ``pate compare``: leaderboard, Friedman's test and post-hoc groups of one metric, as text.

``pate compare`` prints it for a results file; ``pate evaluate --compare``
prints the leaderboards of the files it has just evaluated.
"""

from __future__ import annotations

import json
import math
import sys
import warnings
from typing import Any

import pandas as pd

from pate import compare
from pate.benchmark._results_io import metric_key, split_metric_key
from pate.cli._output import format_rows

__all__ = ["TEST_NAMES", "report", "leaderboards_of_rows"]

TEST_NAMES = {"wilcoxon-holm": "Wilcoxon signed-rank, Holm", "nemenyi": "Nemenyi"}
_TABLE_COLUMNS = ("mean", "std", "median", "ci_low", "ci_high", "average_rank", "wins", "n_series", "constant")


def _ordinal(n: int) -> str:
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


_CHANCE_COLUMNS = ("beats_chance", "no_better_than_chance")


def _board_columns(board) -> tuple[str, ...]:
    """The leaderboard's columns in the report: the chance marks too when the table has p-values."""
    return _TABLE_COLUMNS + (_CHANCE_COLUMNS if "beats_chance" in board.columns else ())


def _board_rows(board) -> list[list[Any]]:
    rows = []
    for detector, row in board.iterrows():
        cells = [detector]
        for col in _board_columns(board):
            v = row[col]
            if col in ("wins", "n_series"):
                v = int(v)
            elif col in ("constant", "no_better_than_chance"):
                v = None if v is None or str(v) == "<NA>" else bool(v)
            else:
                v = float(v)
            cells.append(v)
        rows.append(cells)
    return rows


def _listed(names: list[str], limit: int = 5) -> str:
    shown = ", ".join(map(repr, names[:limit]))
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


def _undefined_series(results, metric: str | None, params: str | None, value: str, err, full: bool):
    """The table without the series where no detector has a value of the metric, and notes on both kinds.

    A metric undefined on a series (no labelled anomaly, ...) gives every detector the same value
    there: 0.0 under the default rule, nan under ``--undefined nan`` (or in an older results file).
    A series of nan only cannot rank anyone: it is left out, with a note, instead of failing the
    report. A series where every detector ties is kept (ties in the ranks), with a note saying so.
    Returns the table and the series left out.
    """
    try:
        tidy = compare.results_from_frame(compare.results_with_value(results, value))
    except (ValueError, TypeError):
        return results, []  # the leaderboard reports what is wrong with the table
    name, key_params = split_metric_key(metric) if metric is not None else (None, None)
    chosen = key_params if key_params is not None else params
    sub = tidy if name is None else tidy[tidy["metric"] == name]
    sub = sub if chosen is None else sub[sub["params"] == chosen]
    if sub.empty or sub["metric"].nunique() != 1 or sub["params"].nunique() != 1:
        return results, []  # an ambiguous or unknown metric: the leaderboard's error says which
    shown = metric_key(str(sub["metric"].iloc[0]), str(sub["params"].iloc[0]))
    per_series = sub.groupby("series", sort=False)["value"]
    if sub["detector"].nunique() < 2:
        return results, []
    empty = [str(s) for s, v in per_series if v.isna().all()]
    tied = [str(s) for s, v in per_series if v.notna().all() and v.nunique() == 1 and len(v) >= 2]
    if tied and full:
        values = sorted({float(sub.loc[sub["series"] == s, "value"].iloc[0]) for s in tied})
        err.write(
            f"pate: note: {shown}: {len(tied)} series give every detector the same value "
            f"({', '.join(f'{v:g}' for v in values[:3])}{', ...' if len(values) > 3 else ''}), as where the metric "
            f"is undefined (e.g. a series without anomalies: 0.0 by default, docs/undefined.md): {_listed(tied)}. "
            "They are kept, as ties: they move every detector's mean and average rank alike.\n"
        )
    if not empty:
        return results, []
    err.write(
        f"pate: note: {shown}: {len(empty)} series have no value for any detector (nan: the metric is undefined "
        f"there, e.g. no labelled anomaly with --undefined nan; docs/undefined.md): {_listed(empty)}. They rank "
        "no one and are left out.\n"
    )
    return tidy[~tidy["series"].isin(set(empty))], empty


def report(
    results,
    *,
    metric: str | None,
    params: str | None = None,
    test: str = "wilcoxon-holm",
    alpha: float = 0.05,
    missing: str = "raise",
    higher_is_better: bool = True,
    fmt: str = "table",
    err=None,
    full: bool = True,
    against: compare.PublishedJoin | None = None,
    value: str = "value",
) -> tuple[str, Any]:
    """The report text of one metric, and the leaderboard; warns on ``err`` about trivial detectors.

    ``full=False`` gives the leaderboard only (``pate evaluate --compare``).
    ``against`` (``pate compare --against``): ``results`` is that join's
    table; the report names the published table and marks your detectors
    (a ``yours`` column, and ``against``/``yours`` in json). ``value`` is the
    column ranked (``"adjusted"``: the chance-adjusted values, docs/chance.md).
    """
    err = err or sys.stderr
    set_aside: list[str] = []
    if against is None:
        results, set_aside = _undefined_series(results, metric, params, value, err, full)
    kwargs: dict[str, Any] = dict(metric=metric, params=params, missing=missing, higher_is_better=higher_is_better)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        board = compare.leaderboard(results, random_state=0, value=value, **kwargs)
        results = compare.results_with_value(results, value)
        if full:
            fried = compare.friedman_test(results, **kwargs)
            post = (compare.nemenyi_test if test == "nemenyi" else compare.wilcoxon_holm_test)(
                results, alpha=alpha, **kwargs
            )
    for message in dict.fromkeys(str(w.message) for w in caught):
        err.write(f"pate: warning: {message}\n")
    name = board.attrs["metric"] + (f"[{board.attrs['params']}]" if board.attrs["params"] else "")
    dropped = tuple(set_aside) + tuple(board.attrs["dropped_series"])
    k = len(board)
    if board["constant"].isna().all() and against is None:
        # A table without the column (e.g. `pate evaluate --format csv`) cannot tell: say so, never guess.
        err.write(
            f"pate: note: {name}: the results table has no 'constant' column, so trivial constant detectors "
            "cannot be flagged (pate evaluate --compare marks them, and so does a True/False constant column; "
            "see docs/compare.md).\n"
        )
    constant = board["constant"].fillna(False).astype(bool)
    for place, (detector, flag) in enumerate(zip(board.index, constant), start=1):
        if place <= 3 and flag:
            err.write(
                f"pate: warning: detector {detector!r} ranks {_ordinal(place)} of {k} under {name}, but its scores "
                "are constant on most series: it is a trivial reference, not a detector (see docs/compare.md).\n"
            )
    if "no_better_than_chance" in board.columns:
        places = [
            f"{detector!r} ({_ordinal(place)})"
            for place, (detector, flag) in enumerate(zip(board.index, board["no_better_than_chance"]), start=1)
            if flag
        ]
        if places:
            err.write(
                f"pate: note: {name}: {len(places)} of {k} detectors beat chance (p < 0.05) on fewer than 5% of "
                f"their series, so they are no better than chance whatever their rank: {', '.join(places)} "
                "(docs/chance.md).\n"
            )
    direction = "higher is better" if board.attrs["higher_is_better"] else "lower is better"
    if board.attrs.get("value", "value") != "value":
        direction += f", ranked by {board.attrs['value']}"
    header = ["detector", *_board_columns(board)]
    rows = _board_rows(board)
    if against is not None:
        # the published detectors carry no constant flag (the published table cannot tell): the column is left out
        yours = set(against.yours)
        header = ["detector", *(c for c in _TABLE_COLUMNS if c != "constant"), "yours"]
        rows = [[*r[:-1], r[0] in yours] for r in rows]
        dropped = tuple(against.dropped_series) + tuple(dropped)
    if fmt == "json":
        doc: dict[str, Any] = {
            "metric": board.attrs["metric"],
            "params": board.attrs["params"],
            "higher_is_better": board.attrs["higher_is_better"],
            "n_series": board.attrs["n_series"],
            "dropped_series": list(dropped),
            **({"against": against.against, "yours": list(against.yours)} if against is not None else {}),
            "leaderboard": [
                {h: (None if isinstance(v, float) and math.isnan(v) else v) for h, v in zip(header, r)} for r in rows
            ],
        }
        if full:
            doc["friedman"] = {f: _json_float(getattr(fried, f)) for f in fried.__dataclass_fields__}
            doc["test"] = {"name": test, "alpha": alpha, "groups": post.groups}
            if isinstance(post, compare.NemenyiResult):
                doc["test"]["critical_difference"] = post.critical_difference
        return json.dumps(doc, indent=2) + "\n", board
    table_rows = [dict(zip(header, r)) for r in rows]
    if fmt == "csv":
        return format_rows(table_rows, header, "csv"), board
    among = (
        f" ({len(against.yours)} yours among {k - len(against.yours)} of {against.against})"
        if against is not None
        else ""
    )
    shown_dropped = ", ".join(dropped)
    if against is not None and len(dropped) > 10:  # up to all the published series: the json lists them
        shown_dropped = f"{len(dropped)} ({', '.join(dropped[:10])} and {len(dropped) - 10} more)"
    lines = [
        f"metric {name} ({direction}): {board.attrs['n_series']} series, {k} detectors{among}; "
        f"dropped series: {shown_dropped if dropped else 'none'}",
        "",
        format_rows(table_rows, header, fmt, text_columns=1, decimals=4).rstrip("\n"),
    ]
    if full:
        lines += ["", _friedman_line(fried), "", _groups_text(post, test, alpha, fmt)]
    return "\n".join(lines) + "\n", board


def _json_float(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None if math.isnan(value) else ("inf" if value > 0 else "-inf")
    return value


def _friedman_line(fried) -> str:
    return (
        f"Friedman: chi2 = {fried.statistic:.4g}, p = {fried.pvalue:.3g}; Iman-Davenport F = "
        f"{fried.iman_davenport_statistic:.4g}, p = {fried.iman_davenport_pvalue:.3g} "
        f"(N = {fried.n_series} series, k = {fried.n_detectors} detectors)"
    )


def _groups_text(post, test: str, alpha: float, fmt: str) -> str:
    title = f"Groups not significantly different ({TEST_NAMES[test]}, alpha = {alpha:g}"
    if test == "nemenyi":
        title += f", critical difference = {post.critical_difference:.4g}"
    title += "):"
    bullet = "- " if fmt == "markdown" else "  "
    if not post.groups:
        return title + f"\n{bullet}none: every pair of neighbours in rank order differs significantly"
    return "\n".join([title] + [f"{bullet}{', '.join(g)}" for g in post.groups])


def leaderboards_of_rows(rows: list[dict[str, Any]], metrics: list[str], fmt: str, err) -> str:
    """``pate evaluate --compare``: the leaderboard of each metric over the evaluated files.

    ``rows`` are the wide rows of ``pate evaluate`` (``series``, ``score``,
    one key per metric, ``constant``: the score column takes one value there).
    """
    fmt = "markdown" if fmt == "markdown" else "table"
    if not rows:
        return ""
    wide = pd.DataFrame(rows, columns=["series", "score", *metrics, "constant"])
    wide["constant"] = wide["constant"].fillna(False).astype(bool)
    results = compare.results_from_wide(wide)
    parts = []
    for metric in metrics:
        try:
            text, _ = report(results, metric=metric, missing="drop-series", fmt=fmt, err=err, full=False)
        except ValueError as exc:
            err.write(f"pate: warning: no leaderboard of {metric}: {exc}\n")
            continue
        parts.append(text)
    return "".join("\n" + p for p in parts)
