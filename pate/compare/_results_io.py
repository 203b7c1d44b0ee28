"""Results tables on disk: CSV always, parquet through pyarrow (``pate[parquet]``).

Writes are atomic: the table goes to a temporary file in the same directory
that then replaces the target (``os.replace``), so a reader, a crash or a
Ctrl-C never sees half a table or half a row.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from pate.compare._results_table import RESULT_COLUMNS

__all__ = ["read_output", "write_results"]

_TEXT_COLUMNS = ("series", "detector", "metric", "params", "error")


def _format_of(path: Path) -> str:
    name = path.name.lower()
    if name.endswith((".parquet", ".pq")):
        return "parquet"
    if name.endswith((".csv", ".csv.gz")):
        return "csv"
    raise ValueError(f"{path}: a results file ends in .csv, .csv.gz or .parquet.")


def _pyarrow() -> Any:
    from pate._optional import import_optional

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
    kind = _format_of(target)
    if kind == "parquet":
        _pyarrow()
    directory = target.parent if str(target.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    os.close(fd)
    try:
        if kind == "parquet":
            frame.to_parquet(tmp, engine="pyarrow", index=False)
        else:
            frame.to_csv(
                tmp,
                index=False,
                float_format="%.17g",
                na_rep="nan",
                compression="gzip" if target.name.lower().endswith(".gz") else None,
            )
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


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
    import pandas as pd

    if isinstance(path, (str, os.PathLike)) and _format_of(Path(path)) == "parquet":
        _pyarrow()
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
    missing = [c for c in RESULT_COLUMNS if c not in frame.columns]
    if missing:
        raise ValueError(
            f"{path}: not a results table: no column {', '.join(map(repr, missing))} "
            f"(expected {', '.join(RESULT_COLUMNS)})."
        )
    frame["value"] = frame["value"].astype("float64")
    return frame
