"""The results table's contract, and results tables on disk.

A results table is tidy: one row per series x detector x metric x params,
columns :data:`RESULT_COLUMNS`. ``params`` is the canonical ``name=value;...``
string of the metric's non-default options (:func:`format_params`,
:func:`parse_params`); a column ``name[params]`` of a wide table names a
metric at such options (:func:`metric_key`).

On disk: CSV always, parquet through pyarrow (``pate-eval[parquet]``).
Writes are atomic: the table goes to a temporary file in the same directory
that then replaces the target (``os.replace``), so a reader, a crash or a
Ctrl-C never sees half a table or half a row; a symlink is written through,
and the file gets the umask's mode (:func:`pate.benchmark._files.atomic_write`).
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pandas as pd

from pate._optional import import_optional
from pate.benchmark._files import atomic_write

__all__ = [
    "RESULT_COLUMNS",
    "CHANCE_COLUMNS",
    "format_params",
    "parse_params",
    "metric_key",
    "split_metric_key",
    "read_output",
    "write_results",
    "results_format",
    "require_pyarrow",
    "escape_formula",
    "unescape_formula",
]

#: The columns of a results table, in order (the chance columns and an ``error`` column may follow).
RESULT_COLUMNS = ("series", "detector", "metric", "value", "params")

#: The columns of a run with chance levels (``evaluate(chance=N)``), after :data:`RESULT_COLUMNS`:
#: the null distribution's mean, the chance-adjusted value and the p-value (docs/chance.md).
CHANCE_COLUMNS = ("expected", "adjusted", "pvalue")

_KEY = re.compile(r"^(?P<metric>[^\[\]]+?)(?:\[(?P<params>[^\[\]]*)\])?$")


def metric_key(metric: str, params: str) -> str:
    """``"pate"`` for the default options, ``"pate[early_buffer=10]"`` otherwise."""
    return metric if params == "" else f"{metric}[{params}]"


def split_metric_key(key: str) -> tuple[str, str | None]:
    """``"pate[early_buffer=10]"`` -> ``("pate", "early_buffer=10")``; ``"pate"`` -> ``("pate", None)``."""
    match = _KEY.match(str(key).strip())
    if match is None:
        raise ValueError(f"{key!r} is not a metric name or 'name[params]'.")
    return match.group("metric").strip(), match.group("params")


def format_params(options: dict[str, Any]) -> str:
    """The canonical ``params`` string of metric options: ``name=value`` sorted by name, joined by ``;``.

    Pass only the non-default options (``{}`` gives ``""``).

    See Also
    --------
    parse_params : the inverse.

    Examples
    --------
    >>> from pate.benchmark import format_params
    >>> format_params({"early_buffer": 10, "delay_buffer": 20})
    'delay_buffer=20;early_buffer=10'
    """
    for name, value in options.items():
        if any(ch in f"{name}{value}" for ch in ";=[]"):
            raise ValueError(f"option {name}={value!r}: names and values may not contain ';', '=', '[' or ']'.")
    return ";".join(f"{name}={value}" for name, value in sorted(options.items()))


def parse_params(params: str) -> dict[str, Any]:
    """The options of a canonical ``params`` string; numbers, booleans and None are parsed.

    See Also
    --------
    format_params : the inverse.

    Examples
    --------
    >>> from pate.benchmark import parse_params
    >>> parse_params("delay_buffer=20;early_buffer=10;include_zero=False")
    {'delay_buffer': 20, 'early_buffer': 10, 'include_zero': False}
    """
    out: dict[str, Any] = {}
    for item in filter(None, (part.strip() for part in str(params).split(";"))):
        if "=" not in item:
            raise ValueError(f"params {params!r}: {item!r} is not name=value.")
        name, text = (part.strip() for part in item.split("=", 1))
        value: Any = text
        if text in ("True", "False"):
            value = text == "True"
        elif text == "None":
            value = None
        else:
            for kind in (int, float):
                try:
                    value = kind(text)
                    break
                except ValueError:
                    pass
        out[name] = value
    return out


_TEXT_COLUMNS = ("series", "detector", "metric", "params", "error")

#: First characters that make a spreadsheet read a CSV cell as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def escape_formula(text: str) -> str:
    """A CSV cell a spreadsheet shows as text: ``'`` before a leading ``=``, ``+``, ``-``, ``@``, tab or CR.

    Lossless with :func:`unescape_formula` (a name that already starts with
    quotes before such a character gets one more).

    >>> escape_formula("=HYPERLINK(1)"), escape_formula("isolation_forest"), unescape_formula("'=x")
    ("'=HYPERLINK(1)", 'isolation_forest', '=x')
    """
    return "'" + text if text.lstrip("'").startswith(_FORMULA_START) else text


def unescape_formula(text: str) -> str:
    """The name :func:`escape_formula` escaped."""
    return text[1:] if text.startswith("'") and text[1:].lstrip("'").startswith(_FORMULA_START) else text


def results_format(path: Path) -> str:
    """``"csv"`` or ``"parquet"`` from a results file's suffix; a ValueError for another suffix."""
    name = path.name.lower()
    if name.endswith((".parquet", ".pq")):
        return "parquet"
    if name.endswith((".csv", ".csv.gz")):
        return "csv"
    raise ValueError(f"{path}: a results file ends in .csv, .csv.gz or .parquet.")


def require_pyarrow() -> Any:
    """pyarrow, or an ImportError naming the ``parquet`` extra."""
    return import_optional("pyarrow", extra="parquet", feature="writing and reading results as parquet")


def write_results(frame: Any, path: str | os.PathLike) -> None:
    """Write a results table atomically (format from the suffix: .csv, .csv.gz, .parquet).

    Examples
    --------
    >>> import pandas as pd, tempfile, os
    >>> table = pd.DataFrame({"series": ["s"], "detector": ["null"], "metric": ["pate"],
    ...                       "value": [0.5], "params": [""]})
    >>> path = os.path.join(tempfile.mkdtemp(), "results.csv")
    >>> write_results(table, path)
    >>> read_output(path).equals(table)
    True
    """
    target = Path(path)
    kind = results_format(target)
    if kind == "parquet":
        require_pyarrow()

    def write(tmp: str) -> None:
        if kind == "parquet":
            frame.to_parquet(tmp, engine="pyarrow", index=False)
        else:
            text = [c for c in _TEXT_COLUMNS if c in frame.columns]
            frame.assign(**{c: frame[c].astype(str).map(escape_formula) for c in text}).to_csv(
                tmp,
                index=False,
                float_format="%.17g",
                na_rep="nan",
                compression="gzip" if target.name.lower().endswith(".gz") else None,
            )

    atomic_write(target, write)


def read_output(path: str | os.PathLike) -> Any:
    """Read back a table written by :func:`write_results`, ``error`` column included (for resuming).

    Names stay strings (a detector called ``null`` or ``NA`` is not a
    missing value); ``value`` is float64 with ``nan`` for missing values.
    :func:`pate.compare.read_results` is the reader for analyses.

    Raises
    ------
    ValueError
        The file lacks a column of the results table.

    Examples
    --------
    >>> import io
    >>> text = "series,detector,metric,value,params\\ns,null,pate,nan,\\n"
    >>> table = read_output(io.StringIO(text))
    >>> table["detector"].tolist(), table["value"].isna().tolist(), table["params"].tolist()
    (['null'], [True], [''])
    """
    if isinstance(path, (str, os.PathLike)) and results_format(Path(path)) == "parquet":
        require_pyarrow()
        frame = pd.read_parquet(path, engine="pyarrow")
        for column in _TEXT_COLUMNS:
            if column in frame.columns:
                frame[column] = frame[column].fillna("").astype(str)
    else:
        frame = pd.read_csv(
            path,
            keep_default_na=False,
            na_values={"value": ["nan", "NaN", ""]},
            dtype={c: str for c in _TEXT_COLUMNS},
            low_memory=False,
        )
        for column in _TEXT_COLUMNS:  # names a spreadsheet would read as formulas were escaped
            if column in frame.columns:
                frame[column] = frame[column].map(unescape_formula)
    missing = [c for c in RESULT_COLUMNS if c not in frame.columns]
    if missing:
        raise ValueError(
            f"{path}: not a results table: no column {', '.join(map(repr, missing))} "
            f"(expected {', '.join(RESULT_COLUMNS)})."
        )
    frame["value"] = frame["value"].astype("float64")
    return frame
