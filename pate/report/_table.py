"""The report's input: a results table, the metrics to show, and optional series data.

The table is read and validated by :mod:`pate.compare` (``results_from_frame``);
this module only keeps what the report needs beside it:

* columns that later analyses add to the tidy table (chance levels, NAB's
  scoreboard counts, see :mod:`pate.report._extra_sections`), which the
  tidy converter does not carry;
* the ``constant`` flag computed from the series' scores when the table has
  no such column and ``series=`` was given (the table alone cannot tell a
  constant detector; guessing from the values would be wrong);
* the metric keys to show, checked against the table.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Iterator

import numpy as np
import pandas as pd

from pate.benchmark import read_csv_series
from pate.benchmark._results_io import metric_key, split_metric_key
from pate.compare import read_results, results_from_frame

__all__ = ["ReportTable", "load_table", "resolve_report_metrics", "series_sources", "add_constant_flags"]

# Optional per-row columns of a tidy table that sections read when present (see _extra_sections).
EXTRA_COLUMNS = ("expected", "adjusted", "pvalue", "nab_raw", "nab_perfect", "nab_null")


@dataclass(frozen=True)
class ReportTable:
    """A validated tidy results table and where it came from (internal)."""

    tidy: pd.DataFrame  # series, detector, metric, value, params[, constant][, EXTRA_COLUMNS]
    source: str  # the file, or a description of the DataFrame
    constant_from: str  # "table", "series" or "" (no constant flags)


def _extra_columns(path: Path, tidy: pd.DataFrame) -> pd.DataFrame:
    """``EXTRA_COLUMNS`` of a tidy results file, read beside ``read_results`` (which keeps the contract only)."""
    tidy_form = ("series", "detector", "metric", "value")
    if path.name.lower().endswith((".parquet", ".pq")):
        frame = pd.read_parquet(path, engine="pyarrow")  # read_results has checked that pyarrow is there
    else:
        frame = pd.read_csv(
            path, usecols=lambda c: c in EXTRA_COLUMNS + tidy_form, keep_default_na=False, na_values=[""], dtype=str
        )
    columns = set(map(str, frame.columns))
    if not set(tidy_form) <= columns or not columns & set(EXTRA_COLUMNS) or len(frame) != len(tidy):
        return pd.DataFrame(index=tidy.index)
    return frame.set_axis(tidy.index)  # read_results keeps a tidy file's rows, in order


def _with_extras(tidy: pd.DataFrame, frame: pd.DataFrame, source: str, first_line: int) -> pd.DataFrame:
    """``tidy`` with the numeric ``EXTRA_COLUMNS`` of ``frame`` (same rows, same order)."""
    for column in EXTRA_COLUMNS:
        if column not in frame.columns:
            continue
        raw = frame[column]
        values = pd.to_numeric(raw.replace("", np.nan), errors="coerce")
        bad = values.isna().to_numpy() & raw.notna().to_numpy() & (raw.astype(str) != "").to_numpy()
        if bad.any():
            row = int(np.flatnonzero(bad)[0])
            where = f"line {row + first_line}" if first_line else f"row {row}"
            raise ValueError(f"{source}: column {column!r}, {where} holds {raw.iloc[row]!r}, which is not a number.")
        tidy[column] = values.to_numpy(dtype=float)
    return tidy


def load_table(results: Any) -> ReportTable:
    """The tidy table of ``results`` (a DataFrame in any accepted form, or a results file)."""
    if isinstance(results, (str, os.PathLike)):
        path = Path(results)
        if not path.exists():
            raise FileNotFoundError(f"{path}: no such results file.")
        tidy = read_results(path)
        source = str(path)
        tidy = _with_extras(tidy, _extra_columns(path, tidy), source, first_line=2)
    elif isinstance(results, pd.DataFrame):
        tidy = results_from_frame(results)
        source = f"a DataFrame of {len(results)} rows"
        if {"series", "detector", "metric", "value"} <= set(map(str, results.columns)):
            # results_from_frame keeps a tidy frame's rows in order (index 0..n-1), so extras line up
            tidy = _with_extras(tidy, results.set_axis(tidy.index), source, first_line=0)
    else:
        raise TypeError(
            f"results must be a results table (a pandas DataFrame) or the path of a results file, "
            f"got {type(results).__name__}."
        )
    if len(tidy) == 0:
        raise ValueError(f"the results table ({source}) is empty: there is nothing to report.")
    return ReportTable(tidy, source, "table" if "constant" in tidy.columns else "")


def resolve_report_metrics(tidy: pd.DataFrame, metrics: str | Iterable[str] | None) -> list[str]:
    """The metric keys (``name`` or ``name[params]``) to show, in the order asked for.

    ``None`` gives every metric of the table in its order. A name without
    ``[params]`` takes every setting of that metric the table holds. A metric
    the table does not hold is a ValueError that lists those it does.
    """
    keys = list(dict.fromkeys(metric_key(m, p) for m, p in zip(tidy["metric"], tidy["params"], strict=True)))
    if metrics is None:
        return keys
    asked = [metrics] if isinstance(metrics, str) else list(metrics)
    if not asked:
        raise ValueError("metrics= is empty: name at least one metric, or pass None for all of them.")
    out: list[str] = []
    for item in asked:
        if not isinstance(item, str):
            raise TypeError(f"metrics= holds {item!r}; metric names are strings such as 'pate'.")
        name, params = split_metric_key(item)
        found = [
            k for k in keys if split_metric_key(k)[0] == name and (params is None or k == metric_key(name, params))
        ]
        if not found:
            raise ValueError(f"metric {item!r} is not in the results table; it holds {', '.join(map(repr, keys))}.")
        out.extend(k for k in found if k not in out)
    return out


def series_sources(series: Any) -> list[Any]:
    """Series sources (objects with ``name`` and ``load()``) from paths, sources or ``Series``."""
    if series is None:
        return []
    items = [series] if isinstance(series, (str, os.PathLike)) or hasattr(series, "load") else list(series)
    out: list[Any] = []
    for position, item in enumerate(items):
        if isinstance(item, (str, os.PathLike)):
            out.extend(read_csv_series(item))
        elif hasattr(item, "load") and hasattr(item, "name"):
            out.append(item)
        else:
            raise TypeError(
                f"series item {position}: expected a path (a CSV file or a directory of them), a Series or a "
                f"source from pate.compare.read_csv_series, got {type(item).__name__}."
            )
    return out


def match_sources(names: Iterable[str], sources: list[Any]) -> dict[str, Any]:
    """Table series name -> its source: the same name, else the one source whose last path part matches.

    ``pate evaluate DIR`` names a series by its path below ``DIR``; a report
    given the parent directory sees ``category/name``; both are matched.
    """
    by_name = {s.name: s for s in sources}
    by_tail: dict[str, list[Any]] = {}
    for s in sources:
        by_tail.setdefault(s.name.rsplit("/", 1)[-1], []).append(s)
    out = {}
    for name in names:
        if name in by_name:
            out[name] = by_name[name]
        elif len(by_tail.get(name.rsplit("/", 1)[-1], [])) == 1:
            out[name] = by_tail[name.rsplit("/", 1)[-1]][0]
    return out


def _constant_pairs(sources: dict[str, Any]) -> Iterator[tuple[str, str, bool]]:
    for name, source in sources.items():
        loaded = source.load()
        for detector, scores in loaded.scores.items():
            values = np.asarray(scores, dtype=float)
            finite = values[np.isfinite(values)]
            yield name, str(detector), bool(finite.size == 0 or np.all(finite == finite[0]))


def add_constant_flags(table: ReportTable, sources: list[Any]) -> tuple[ReportTable, str | None]:
    """The table with a ``constant`` column computed from the series' scores, or why not.

    Only when the table has no ``constant`` column; every (series, detector)
    pair of the table must be found in the series data, else nothing is
    flagged and the reason is returned.
    """
    tidy = table.tidy
    if "constant" in tidy.columns or not sources:
        return table, None
    names = list(dict.fromkeys(tidy["series"]))
    found = match_sources(names, sources)
    lost = [n for n in names if n not in found]
    if lost:
        return table, (
            f"{len(lost)} series of the table are not in the series data ({', '.join(map(repr, lost[:5]))}"
            + (" ..." if len(lost) > 5 else "")
            + "), so constant detectors are not flagged."
        )
    flags = {(s, d): c for s, d, c in _constant_pairs(found)}
    keys = list(zip(tidy["series"], tidy["detector"], strict=True))
    lost_pairs = [k for k in dict.fromkeys(keys) if k not in flags]
    if lost_pairs:
        s, d = lost_pairs[0]
        return table, (
            f"detector {d!r} of series {s!r} (and {len(lost_pairs) - 1} more pairs) has no score column in the "
            "series data, so constant detectors are not flagged."
        )
    tidy = tidy.assign(constant=[flags[k] for k in keys])
    return ReportTable(tidy, table.source, "series"), None
