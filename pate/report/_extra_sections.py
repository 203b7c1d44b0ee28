"""Sections that appear only where the results table has their data.

Each is a hook: ``applies(tidy)`` says whether the table holds what the
section needs, and the builder makes it. A table without those columns or
metrics gets no such section (and nothing else changes).

* **Chance-adjusted leaderboards** read the per-row columns ``expected``
  (the metric's value under the null, e.g. circular shifts of the scores),
  ``adjusted`` (``(observed - expected) / (best - expected)``: 0 at chance,
  1 perfect) and ``pvalue`` (of the observed value under the null) of the
  tidy table. ``adjusted`` is what the section needs; ``pvalue`` also sets
  the "no better than chance" flag of every leaderboard (set by
  :func:`pate.compare.leaderboard` itself).
* **NAB scoreboard** reads the rows of the metric ``nab_score`` (one
  setting per ``profile=`` option). NAB's own scoreboard normalises sums over
  the series; it is computed exactly when the table has the per-row columns
  ``nab_raw``, ``nab_perfect`` and ``nab_null`` (the series' raw score and its
  perfect and do-nothing scores), and otherwise the section shows the mean
  of the per-series scores and says that this is not NAB's figure.
"""

from __future__ import annotations

import pandas as pd

from pate.benchmark import CHANCE_COLUMNS, parse_params
from pate.benchmark._results_io import metric_key, split_metric_key
from pate.compare import leaderboard
from pate.compare._results_table import CHANCE_ALPHA
from pate.report._section import Section, collect_notes, slug
from pate.report._sections import leaderboard_rows, metric_rows

__all__ = [
    "CHANCE_COLUMNS",
    "NAB_METRIC",
    "NAB_COLUMNS",
    "chance_applies",
    "chance_section",
    "nab_applies",
    "nab_section",
]

NAB_METRIC = "nab_score"
NAB_COLUMNS = ("nab_raw", "nab_perfect", "nab_null")
NAB_PROFILES = ("standard", "reward_low_FP_rate", "reward_low_FN_rate")


# ------------------------------------------------------------------- chance
def chance_applies(tidy: pd.DataFrame, keys: list[str]) -> list[str]:
    """The metric keys that have chance-adjusted values in the table."""
    if "adjusted" not in tidy.columns:
        return []
    return [k for k in keys if metric_rows(tidy, k)["adjusted"].notna().any()]


def chance_section(tidy: pd.DataFrame, keys: list[str]) -> Section:
    section = Section(
        "chance",
        "Chance-adjusted leaderboards",
        "The same detectors ranked by how far each is above what chance scores on the same series (0 = chance "
        "level, 1 = perfect, below 0 = worse than chance): a detector that only looked good because the metric "
        "rewards any score falls here.",
    )
    for key in keys:
        child = Section(
            f"chance-{slug(key)}",
            key,
            f"Ranked by the mean chance-adjusted {key}; 'expected' is the mean value chance gets, and "
            f"'beats chance' the share of series where the detector's p-value is below {CHANCE_ALPHA:g}.",
            kind="chance_board",
        )
        section.children.append(child)
        rows = metric_rows(tidy, key)
        with collect_notes(child):
            try:
                board = leaderboard(tidy, metric=key, value="adjusted", missing="drop-series", random_state=0)
            except ValueError as exc:
                child.unavailable = str(exc)
                continue
        board_rows = leaderboard_rows(board)
        by_detector = rows.groupby("detector", sort=False)
        observed = by_detector["value"].mean()
        expected = by_detector["expected"].mean() if "expected" in rows.columns else None
        for row in board_rows:
            d = row["detector"]
            row["observed"] = float(observed.get(d, float("nan")))
            row["expected"] = float(expected.get(d, float("nan"))) if expected is not None else float("nan")
        child.context = {
            "rows": board_rows,
            "metric": key,
            "n_series": int(board.attrs["n_series"]),
            "dropped": list(board.attrs["dropped_series"]),
            "has_chance": "beats_chance" in board.columns,
            "has_expected": expected is not None,
        }
    return section


# ---------------------------------------------------------------------- NAB
def nab_applies(tidy: pd.DataFrame) -> bool:
    """Whether the table holds NAB scores."""
    return bool((tidy["metric"] == NAB_METRIC).any())


def nab_section(tidy: pd.DataFrame) -> Section:
    rows = tidy[tidy["metric"] == NAB_METRIC]
    exact = all(c in rows.columns for c in NAB_COLUMNS) and rows[list(NAB_COLUMNS)].notna().all().all()
    section = Section(
        "nab",
        "NAB scoreboard",
        "NAB's score per detector and profile: 100 is a perfect detector, 0 one that detects nothing, and "
        "a negative score is worse than doing nothing.",
        kind="nab_board",
    )
    profiles: dict[str, str] = {}
    for params in dict.fromkeys(rows["params"]):
        options = parse_params(params)
        profiles[metric_key(NAB_METRIC, params)] = str(options.get("profile", "standard"))
    keys = sorted(
        profiles,
        key=lambda k: (NAB_PROFILES.index(profiles[k]) if profiles[k] in NAB_PROFILES else len(NAB_PROFILES), k),
    )
    table: dict[str, dict[str, float]] = {}
    for key in keys:
        _, params = split_metric_key(key)
        sub = rows[rows["params"] == (params or "")]
        for detector, part in sub.groupby("detector", sort=False):
            if exact:
                raw, perfect, null = (float(part[c].sum()) for c in NAB_COLUMNS)
                score = 100.0 * (raw - null) / (perfect - null) if perfect != null else float("nan")
            else:
                score = float(part["value"].mean())
            table.setdefault(str(detector), {})[key] = score
    first = keys[0]
    order = sorted(table, key=lambda d: (-table[d].get(first, float("-inf")), d))
    section.context = {
        "columns": [{"key": k, "profile": profiles[k], "params": split_metric_key(k)[1] or ""} for k in keys],
        "rows": [{"detector": d, "scores": [table[d].get(k, float("nan")) for k in keys]} for d in order],
        "exact": exact,
    }
    if not exact:
        section.notes.append(
            "The table holds per-series NAB scores only, so these are their means over series. NAB's scoreboard "
            "normalises the sums of the raw scores over all series (columns nab_raw, nab_perfect, nab_null), "
            "which can differ; it is not shown."
        )
    return section
