"""The results table: one tidy form, converters to and from the others, and selection.

Every analysis in :mod:`pate.compare` reads one *results table*: a pandas
DataFrame in tidy (long) form with columns ``series``, ``detector``,
``metric``, ``value`` and ``params`` (a canonical ``name=value;...`` string of
the metric's non-default options, sorted by name; ``""`` for the defaults), one
row per series x detector x metric x params. An optional boolean column
``constant`` says that the detector's scores on that series are constant (a
trivial reference); the leaderboard uses it to mark such detectors. The
optional chance columns ``expected``, ``adjusted`` and ``pvalue``
(``pate.benchmark.evaluate(..., chance=N)``, docs/chance.md) are kept: a
leaderboard ranks by ``adjusted`` with ``value="adjusted"`` and marks the
detectors that beat chance on too few series.

Two other forms are accepted and converted:

* the *wide* form written by ``pate evaluate --format csv``: one row per file
  (``file`` or ``series``) and score column (``score`` or ``detector``), one
  column per metric; a column ``name[params]`` holds a metric at non-default
  options;
* a plain *matrix* of one metric: rows are series, columns are detectors.

Names are strings, always: a detector called ``null`` (one of NAB's baselines)
must not become a missing value, so files are read with ``keep_default_na=False``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Literal

import numpy as np
import pandas as pd

from pate._validation import check_choice, short_repr
from pate._warnings import warn_at_caller
from pate.benchmark._results_io import (
    CHANCE_COLUMNS,
    metric_key,
    require_pyarrow,
    split_metric_key,
    unescape_formula,
)

__all__ = [
    "read_results",
    "results_with_value",
    "results_from_frame",
    "results_from_matrix",
    "results_from_wide",
    "results_to_matrix",
    "results_to_wide",
]

_NAME_COLUMNS = ("series", "detector", "metric", "params")
_WIDE_SERIES = ("series", "file")
_WIDE_DETECTOR = ("detector", "score")

Missing = Literal["raise", "drop-series"]

#: The columns a leaderboard or a test can rank by (``value=``): the metric, or its chance level and adjusted value.
VALUE_COLUMNS = ("value", "adjusted", "expected")
#: A detector beats chance on a series when the p-value is below this.
CHANCE_ALPHA = 0.05
#: A detector that beats chance on a smaller share of its series is "no better than chance".
CHANCE_SHARE = 0.05


# ------------------------------------------------------------------ helpers
def _names(column: pd.Series, what: str) -> pd.Series:
    """A name column as strings; a missing name is an error with the fix."""
    missing = column.isna().to_numpy()
    if missing.any():
        row = int(np.flatnonzero(missing)[0])
        raise ValueError(
            f"column {what!r} has a missing name at row {row} ({int(missing.sum())} in all). Names must "
            "be strings: if the table was read with pandas.read_csv, pass keep_default_na=False so that "
            "names such as 'null', 'NA' or 'nan' stay strings (pate.compare.read_results does this)."
        )
    return column.astype(str)


def _values(column: pd.Series, where: str) -> np.ndarray:
    """A value column as float64; a non-number is an error naming the row."""
    values = pd.to_numeric(column, errors="coerce")
    raw = column.astype(object)
    empty = raw.map(
        lambda v: (
            v is None
            or (isinstance(v, str) and v.strip().lower() in ("", "nan", "na", "none"))
            or (isinstance(v, float) and np.isnan(v))
        )
    )
    bad = values.isna().to_numpy() & ~empty.to_numpy().astype(bool)
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        raise ValueError(f"{where}: row {row} holds {raw.iloc[row]!r}, which is not a number.")
    out = values.to_numpy(dtype=float, na_value=np.nan)
    infinite = np.isinf(out)
    if infinite.any():  # a metric value is finite; inf would rank and average as a number
        row = int(np.flatnonzero(infinite)[0])
        raise ValueError(f"{where}: row {row} holds {raw.iloc[row]!r}; a metric value is a finite number or missing.")
    return out


def _constant(column: pd.Series) -> pd.Series:
    """The optional ``constant`` column as booleans (``True``/``False``, 1/0, or their text)."""
    mapping = {"true": True, "false": False, "1": True, "0": False, "1.0": True, "0.0": False}
    out = column.map(lambda v: v if isinstance(v, (bool, np.bool_)) else mapping.get(str(v).strip().lower()))
    if out.isna().any():
        row = int(np.flatnonzero(out.isna().to_numpy())[0])
        raise ValueError(f"column 'constant': row {row} holds {column.iloc[row]!r}; expected True or False.")
    return out.astype(bool)


# --------------------------------------------------------------- converters
def results_from_frame(frame: pd.DataFrame, *, metric: str | None = None) -> pd.DataFrame:
    """Any accepted form of results as the tidy results table.

    Parameters
    ----------
    frame : DataFrame
        A tidy table (columns ``series``, ``detector``, ``metric``, ``value``,
        optionally ``params`` and ``constant``), the wide form of
        ``pate evaluate`` (``file``/``series``, ``score``/``detector``, one
        column per metric) or a matrix of one metric (rows = series, columns =
        detectors; then ``metric`` is required).
    metric : str, optional
        The metric's name for a matrix; must not be given for the other forms.

    Returns
    -------
    DataFrame
        Columns ``series``, ``detector``, ``metric``, ``value``, ``params``
        (and ``constant`` when given), names as strings, values as float64,
        rows in the input's order.

    Raises
    ------
    ValueError
        A missing name, a value that is not a number, or a duplicated
        (series, detector, metric, params) row, named.

    See Also
    --------
    read_results : the same from a file.
    results_to_wide : back to one row per series and detector.

    Examples
    --------
    >>> import pandas as pd
    >>> from pate.compare import results_from_frame
    >>> wide = pd.DataFrame({"file": ["a.csv", "b.csv"], "score": ["null", "null"],
    ...                      "pate": [0.5, 0.6], "pa_f1": [0.1, 0.2]})
    >>> results_from_frame(wide)
      series detector metric  value params
    0  a.csv     null   pate    0.5
    1  a.csv     null  pa_f1    0.1
    2  b.csv     null   pate    0.6
    3  b.csv     null  pa_f1    0.2
    """
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"results must be a pandas DataFrame, got {type(frame).__name__}.")
    columns = set(map(str, frame.columns))
    if {"series", "detector", "metric", "value"} <= columns:
        if metric is not None:
            raise ValueError("metric= is only for a matrix; this table already has a 'metric' column.")
        return _tidy(frame)
    if columns & set(_WIDE_SERIES) and columns & set(_WIDE_DETECTOR):
        if metric is not None:
            raise ValueError("metric= is only for a matrix; this wide table names its metrics in its columns.")
        return results_from_wide(frame)
    if metric is None:
        raise ValueError(
            "results is neither a tidy table (columns series, detector, metric, value) nor the wide form of "
            f"pate evaluate (series or file, score, one column per metric); its columns are "
            f"{', '.join(map(str, frame.columns))}. For a matrix (rows = series, columns = detectors) pass metric=NAME."
        )
    return results_from_matrix(frame, metric=metric)


def _tidy(frame: pd.DataFrame) -> pd.DataFrame:
    out = pd.DataFrame(index=range(len(frame)))
    for name in ("series", "detector", "metric"):
        out[name] = _names(frame[name], name).to_numpy()
    out["value"] = _values(frame["value"], "column 'value'")
    out["params"] = _names(frame["params"], "params").to_numpy() if "params" in frame.columns else ""
    if "constant" in frame.columns:
        out["constant"] = _constant(frame["constant"]).to_numpy()
    for column in CHANCE_COLUMNS:
        if column in frame.columns:
            out[column] = _values(frame[column], f"column {column!r}")
    dup = out.duplicated(list(_NAME_COLUMNS), keep=False)
    if dup.any():
        first = out.loc[dup, list(_NAME_COLUMNS)].iloc[0]
        raise ValueError(
            f"{int(dup.sum())} rows repeat a (series, detector, metric, params) key, e.g. "
            f"series={first['series']!r}, detector={first['detector']!r}, metric={first['metric']!r}, "
            f"params={first['params']!r}; each key may appear once."
        )
    return out


def results_from_wide(frame: pd.DataFrame, *, series: str | None = None, detector: str | None = None) -> pd.DataFrame:
    """The wide form (``pate evaluate --format csv``) as the tidy results table.

    Parameters
    ----------
    frame : DataFrame
        One row per series and detector, one column per metric. A metric
        column named ``name[params]`` holds the metric at those options.
        An optional ``params`` column applies to every metric of its row;
        an optional ``constant`` column is kept.
    series, detector : str, optional
        The columns naming the series and the detector; default ``series`` or
        ``file``, and ``detector`` or ``score``.

    See Also
    --------
    results_to_wide : the inverse.

    Examples
    --------
    >>> import pandas as pd
    >>> from pate.compare import results_from_wide
    >>> wide = pd.DataFrame({"series": ["s1"], "detector": ["d"], "pate[early_buffer=10]": [0.7]})
    >>> results_from_wide(wide)
      series detector metric  value           params
    0     s1        d   pate    0.7  early_buffer=10
    """
    cols = [str(c) for c in frame.columns]
    series = series or next((c for c in _WIDE_SERIES if c in cols), None)
    detector = detector or next((c for c in _WIDE_DETECTOR if c in cols), None)
    if series is None or detector is None or series not in cols or detector not in cols:
        raise ValueError(
            f"the wide form needs a series column (series or file) and a detector column (detector or "
            f"score); the columns are {cols}."
        )
    keep = {series, detector, "params", "constant"}
    metric_cols = [c for c in frame.columns if str(c) not in keep]
    if not metric_cols:
        raise ValueError("the wide table has no metric column.")
    names_s = _names(frame[series], series).to_numpy()
    names_d = _names(frame[detector], detector).to_numpy()
    row_params = _names(frame["params"], "params").to_numpy() if "params" in frame.columns else None
    constant = _constant(frame["constant"]).to_numpy() if "constant" in frame.columns else None
    parts = []
    for col in metric_cols:
        name, params = split_metric_key(str(col))
        if params is not None and row_params is not None:
            raise ValueError(f"column {col!r} names its params, but the table also has a 'params' column.")
        part = pd.DataFrame(
            {
                "series": names_s,
                "detector": names_d,
                "metric": name,
                "value": _values(frame[col], f"column {col!r}"),
                "params": row_params if row_params is not None else (params or ""),
                "_row": np.arange(len(frame)),
            }
        )
        if constant is not None:
            part["constant"] = constant
        parts.append(part)
    out = pd.concat(parts, ignore_index=True)
    # row-major, as the file reads: each input row's metrics in column order
    out = out.sort_values("_row", kind="stable").drop(columns="_row").reset_index(drop=True)
    return _tidy(out)


def results_from_matrix(matrix: pd.DataFrame, *, metric: str, params: str = "") -> pd.DataFrame:
    """A matrix of one metric (rows = series, columns = detectors) as the tidy results table.

    The index labels become the series names and the column labels the
    detector names, both as strings (``str(label)``).

    See Also
    --------
    results_to_matrix : the inverse.

    Examples
    --------
    >>> import pandas as pd
    >>> from pate.compare import results_from_matrix
    >>> m = pd.DataFrame({"a": [0.9, 0.8], "b": [0.5, 0.7]}, index=["s1", "s2"])
    >>> results_from_matrix(m, metric="auc_pr")
      series detector  metric  value params
    0     s1        a  auc_pr    0.9
    1     s1        b  auc_pr    0.5
    2     s2        a  auc_pr    0.8
    3     s2        b  auc_pr    0.7
    """
    if not isinstance(matrix, pd.DataFrame):
        raise TypeError(f"matrix must be a pandas DataFrame, got {type(matrix).__name__}.")
    if not isinstance(metric, str) or not metric:
        raise ValueError("metric= must name the matrix's metric, e.g. metric='pate'.")
    idx = pd.Series(matrix.index)
    cols = pd.Series(matrix.columns)
    n, k = matrix.shape
    values = (
        np.column_stack([_values(matrix.iloc[:, j], f"column {matrix.columns[j]!r}") for j in range(k)])
        if k
        else np.empty((n, 0))
    )
    out = pd.DataFrame(
        {
            "series": np.repeat(_names(idx, "series (index)").to_numpy(), k),
            "detector": np.tile(_names(cols, "detector (columns)").to_numpy(), n),
            "metric": metric,
            "value": values.reshape(-1),
            "params": params,
        }
    )
    return _tidy(out)


def results_to_wide(results: pd.DataFrame) -> pd.DataFrame:
    """The tidy results table in wide form: one row per series and detector, one column per metric.

    A metric at non-default options becomes a column ``name[params]``, so
    :func:`results_from_wide` gives the tidy table back.

    See Also
    --------
    results_from_wide : the inverse.

    Examples
    --------
    >>> import pandas as pd
    >>> from pate.compare import results_from_wide, results_to_wide
    >>> tidy = pd.DataFrame({"series": ["s1", "s1"], "detector": ["d", "d"], "metric": ["pate", "pate"],
    ...                      "value": [0.7, 0.6], "params": ["", "early_buffer=10"]})
    >>> wide = results_to_wide(tidy)
    >>> wide
      series detector  pate  pate[early_buffer=10]
    0     s1        d   0.7                    0.6
    >>> results_from_wide(wide).equals(results_from_frame(tidy))
    True
    """
    tidy = results_from_frame(results)
    tidy = tidy.assign(_key=[metric_key(m, p) for m, p in zip(tidy["metric"], tidy["params"])])
    order_keys = list(dict.fromkeys(tidy["_key"]))
    wide = tidy.pivot_table(
        index=["series", "detector"], columns="_key", values="value", sort=False, dropna=False, aggfunc="first"
    )
    wide = wide.reindex(columns=order_keys).reset_index()
    wide.columns.name = None
    if "constant" in tidy.columns:
        const = tidy.groupby(["series", "detector"], sort=False)["constant"].first().reset_index()
        wide = wide.merge(const, on=["series", "detector"], how="left", sort=False)
    return wide


def results_to_matrix(
    results: pd.DataFrame,
    *,
    metric: str | None = None,
    params: str | None = None,
    missing: Missing = "raise",
) -> pd.DataFrame:
    """One metric of the results table as a matrix: rows = series, columns = detectors.

    Rows and columns keep the order in which the table first names them.
    Missing pairs raise (or drop their series, see ``missing``).

    See Also
    --------
    results_from_matrix : the inverse.
    friedman_test : the test on such a matrix.

    Examples
    --------
    >>> import pandas as pd
    >>> from pate.compare import results_from_matrix, results_to_matrix
    >>> m = pd.DataFrame({"a": [0.9, 0.8], "b": [0.5, 0.7]}, index=["s1", "s2"])
    >>> results_to_matrix(results_from_matrix(m, metric="auc_pr"))
    detector    a    b
    series
    s1        0.9  0.5
    s2        0.8  0.7
    """
    return select(results, metric=metric, params=params, missing=missing).matrix


def read_results(path: str | Path | Any) -> pd.DataFrame:
    """Read a results file (CSV in any accepted form, or parquet) as the tidy results table.

    Names stay strings (``keep_default_na=False``): a detector called
    ``null``, ``NA`` or ``nan`` keeps its name. An empty value cell is a
    missing value.

    See Also
    --------
    results_from_frame : the same for a DataFrame already in memory.

    Examples
    --------
    >>> import io
    >>> from pate.compare import read_results
    >>> text = "file,score,pate\\na.csv,null,0.5\\na.csv,NA,\\n"
    >>> read_results(io.StringIO(text))
      series detector metric  value params
    0  a.csv     null   pate    0.5
    1  a.csv       NA   pate    NaN
    """
    if isinstance(path, (str, Path)) and str(path).lower().endswith((".parquet", ".pq")):
        require_pyarrow()
        return results_from_frame(pd.read_parquet(path, engine="pyarrow"))
    if isinstance(path, (str, Path)) and Path(path).is_dir():
        raise ValueError(f"{path} is a directory; give a results file (a tidy table or pate evaluate's CSV).")
    # every cell as text, only the empty cell missing; the converters parse the values
    try:
        frame = pd.read_csv(path, keep_default_na=False, na_values=[""], dtype=str)
    except pd.errors.EmptyDataError:
        raise ValueError("the file is empty; a results file starts with a header line.") from None
    except pd.errors.ParserError as exc:
        found = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(exc))
        if found is None:
            raise ValueError(f"the file cannot be read as CSV ({str(exc).strip()}).") from None
        expected, line, saw = found.groups()
        raise ValueError(f"line {line} has {saw} fields, the header line {expected}.") from None
    if frame.empty:
        raise ValueError(f"the file holds a header line ({', '.join(map(str, frame.columns))}) and no rows.")
    if "params" in frame.columns:  # an empty params cell is the defaults, not a missing name
        frame["params"] = frame["params"].fillna("")
    for column in dict.fromkeys(_NAME_COLUMNS + _WIDE_SERIES + _WIDE_DETECTOR):
        if column in frame.columns:  # names that pate's CSV writers escaped against spreadsheet formulas
            named = frame[column].notna()
            frame.loc[named, column] = frame.loc[named, column].map(unescape_formula)
    try:
        return results_from_frame(frame)
    except ValueError as exc:  # the converters count rows from 0; a file has a header line first
        raise ValueError(re.sub(r"\brow (\d+)\b", lambda m: f"line {int(m.group(1)) + 2}", str(exc))) from None


def results_with_value(results: pd.DataFrame, value: str) -> pd.DataFrame:
    """The tidy results table whose ``value`` column holds another column: ``"adjusted"`` or ``"expected"``.

    Every analysis reads ``value``; this is how it reads the chance-adjusted
    values (or the chance levels) instead. The chance columns come from
    ``pate.benchmark.evaluate(..., chance=N)`` (docs/chance.md); the other
    columns, ``pvalue`` included, are kept.

    Parameters
    ----------
    results : DataFrame
        A results table (any form :func:`results_from_frame` takes).
    value : {"value", "adjusted", "expected"}
        The column to analyse (``"value"``: the table as it is, tidy).

    Raises
    ------
    ValueError
        An unknown column, or a table without it (the message says how to make it).

    Examples
    --------
    >>> import pandas as pd
    >>> from pate.compare import results_with_value
    >>> table = pd.DataFrame({"series": ["s"], "detector": ["d"], "metric": ["pate"], "value": [0.6],
    ...                       "params": [""], "expected": [0.5], "adjusted": [0.2], "pvalue": [0.01]})
    >>> results_with_value(table, "adjusted")[["detector", "value", "pvalue"]]
      detector  value  pvalue
    0        d    0.2    0.01
    """
    check_choice(value, "value", VALUE_COLUMNS)
    tidy = results_from_frame(results)
    if value == "value":
        return tidy
    if value not in tidy.columns:
        raise ValueError(
            f"value={value!r}: the results table has no {value!r} column. It comes with the chance levels: "
            "pate.benchmark.evaluate(..., chance=999) (pate evaluate --chance 999); see docs/chance.md."
        )
    return tidy.assign(value=tidy[value])


# ---------------------------------------------------------------- selection
@dataclass(frozen=True)
class Selection:
    """One metric of a results table as a complete matrix (internal)."""

    matrix: pd.DataFrame  # rows = series, columns = detectors, raw values
    metric: str
    params: str
    higher_is_better: bool
    dropped_series: tuple[str, ...]
    constant: pd.Series | None  # per detector: share of its series with constant scores
    beats_chance: pd.Series | None = None  # per detector: share of its series with p-value < CHANCE_ALPHA

    def ranks(self) -> np.ndarray:
        """Ranks within each series, 1 = best, ties averaged."""
        from scipy.stats import rankdata  # scipy.stats: heavy, loaded when an analysis runs

        values = self.matrix.to_numpy()
        return rankdata(-values if self.higher_is_better else values, axis=1)

    def average_ranks(self) -> pd.Series:
        """Average rank per detector, sorted best first (ties by name)."""
        avg = pd.Series(self.ranks().mean(axis=0), index=self.matrix.columns, name="average_rank")
        return sort_by_rank(avg)


def sort_by_rank(avg: pd.Series) -> pd.Series:
    """Sorted by value, ties broken by name."""
    frame = pd.DataFrame({"r": avg.to_numpy(), "n": [str(i) for i in avg.index]}, index=avg.index)
    return avg.loc[frame.sort_values(["r", "n"], kind="stable").index]


def _choose(options: list[str], given: str | None, what: str, context: str) -> str:
    if given is not None:
        if given not in options:
            listed = ", ".join(repr(o) for o in options) or "none"
            raise ValueError(f"{what} {given!r} is not in the results table{context}; it holds {listed}.")
        return given
    if len(options) == 1:
        return options[0]
    listed = ", ".join(repr(o) for o in options)
    plural = {"metric": "metrics", "params": "params strings"}.get(what, f"{what} values")
    raise ValueError(f"the results table holds several {plural}{context} ({listed}): pass {what}= to choose one.")


def select(
    results: pd.DataFrame,
    *,
    metric: str | None = None,
    params: str | None = None,
    missing: Missing = "raise",
    higher_is_better: bool = True,
    min_detectors: int = 2,
    min_series: int = 2,
) -> Selection:
    """The complete (series x detector) matrix of one metric, validated.

    ``metric`` may be ``"name"`` or ``"name[params]"``. A missing or NaN
    (series, detector) pair is a ValueError naming the pairs, unless
    ``missing="drop-series"``, which drops those series with a warning.
    """
    check_choice(missing, "missing", ("raise", "drop-series"))
    if not isinstance(higher_is_better, (bool, np.bool_)):
        raise TypeError(f"higher_is_better must be True or False, got {short_repr(higher_is_better)}.")
    tidy = results_from_frame(results)
    if len(tidy) == 0:
        raise ValueError("the results table is empty.")
    if metric is not None:
        metric, key_params = split_metric_key(metric)
        if key_params is not None:
            if params is not None and params != key_params:
                raise ValueError(f"metric {metric}[{key_params}] and params={params!r} disagree.")
            params = key_params
    metric = _choose(list(dict.fromkeys(tidy["metric"])), metric, "metric", "")
    sub = tidy[tidy["metric"] == metric]
    params = _choose(list(dict.fromkeys(sub["params"])), params, "params", f" for metric {metric!r}")
    sub = sub[sub["params"] == params]

    series = list(dict.fromkeys(tidy["series"]))
    detectors = list(dict.fromkeys(sub["detector"]))
    matrix = sub.pivot(index="series", columns="detector", values="value")
    present = set(sub["series"])  # once: a set built per series made this quadratic (8 s at 350 x 33)
    matrix = matrix.reindex(index=[s for s in series if s in present], columns=detectors)
    # a series of the table without any row for this metric is missing too
    absent = [s for s in series if s not in matrix.index]
    if absent:
        matrix = pd.concat([matrix, pd.DataFrame(np.nan, index=absent, columns=detectors)])
        matrix = matrix.reindex(index=series)
    matrix.index.name, matrix.columns.name = "series", "detector"
    holes = matrix.isna()
    dropped: tuple[str, ...] = ()
    if holes.to_numpy().any():
        pairs = [(s, d) for s, d in zip(*np.nonzero(holes.to_numpy()))]
        named = ", ".join(f"({matrix.index[s]!r}, {matrix.columns[d]!r})" for s, d in pairs[:10])
        more = f" and {len(pairs) - 10} more" if len(pairs) > 10 else ""
        if missing == "raise":
            raise ValueError(
                f"metric {metric_key(metric, params)!r}: {len(pairs)} (series, detector) pair(s) are missing "
                f"or NaN: {named}{more}. Fix the table, or pass missing='drop-series' to compute every "
                "statistic on the complete series only."
            )
        bad_rows = holes.any(axis=1)
        dropped = tuple(str(s) for s in matrix.index[bad_rows.to_numpy()])
        warn_at_caller(
            f"metric {metric_key(metric, params)!r}: dropped {len(dropped)} series with missing or NaN values "
            f"(missing='drop-series'): {', '.join(map(repr, dropped))}.",
            UserWarning,
        )
        matrix = matrix.loc[~bad_rows]
    if matrix.shape[1] < min_detectors:
        raise ValueError(
            f"metric {metric_key(metric, params)!r}: {matrix.shape[1]} detector(s); comparing needs at least "
            f"{min_detectors}."
        )
    if matrix.shape[0] < min_series:
        extra = f" after dropping {len(dropped)} incomplete series" if dropped else ""
        raise ValueError(
            f"metric {metric_key(metric, params)!r}: {matrix.shape[0]} series{extra}; comparing needs at "
            f"least {min_series}."
        )
    constant = None
    if "constant" in sub.columns:
        flags = sub.pivot(index="series", columns="detector", values="constant").reindex(
            index=matrix.index, columns=matrix.columns
        )
        constant = flags.astype(float).mean(axis=0)
    beats_chance = None
    if "pvalue" in sub.columns:  # an undefined p-value (nan) does not beat chance
        pvalues = sub.pivot(index="series", columns="detector", values="pvalue").reindex(
            index=matrix.index, columns=matrix.columns
        )
        beats_chance = (pvalues < CHANCE_ALPHA).astype(float).mean(axis=0)
    return Selection(matrix.astype(float), metric, params, bool(higher_is_better), dropped, constant, beats_chance)


def resolve_metrics(results: pd.DataFrame, metrics: Iterable[str] | str | None) -> list[str]:
    """The metric keys (``name`` or ``name[params]``) to analyse; all of the table's when None."""
    if isinstance(metrics, str):
        return [metrics]
    if metrics is not None:
        out = list(metrics)
        if not out:
            raise ValueError("metrics= is empty: name at least one metric.")
        return out
    tidy = results_from_frame(results)
    return list(dict.fromkeys(metric_key(m, p) for m, p in zip(tidy["metric"], tidy["params"])))
