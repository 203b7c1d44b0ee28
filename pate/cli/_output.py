"""Tables as text (table, csv, json, markdown): the one formatter of ``pate evaluate`` and ``pate compare``.

Rows are dicts with the same keys, in the column order given. Checking
``--output`` happens before any work (:func:`check_output_path`), so a typo in
the directory does not cost a whole run.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from pate.benchmark._files import atomic_write
from pate.benchmark._results_io import escape_formula
from pate.cli._common import UsageError

__all__ = [
    "FORMATS",
    "SUFFIX_FORMATS",
    "format_rows",
    "wide_rows",
    "output_format",
    "check_output_path",
    "write_output",
]

FORMATS = ("table", "csv", "json", "markdown")
#: The format an ``--output`` file's suffix asks for (no suffix: ``--format``, else a table).
SUFFIX_FORMATS = {".csv": "csv", ".json": "json", ".md": "markdown", ".markdown": "markdown", ".txt": "table"}


def _cell(value: Any, fmt: str, decimals: int) -> str:
    if value is None or value is pd.NA:
        return ""
    if isinstance(value, (bool, np.bool_)):
        return str(bool(value)).lower()
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        return repr(value) if fmt == "csv" else f"{value:.{decimals}f}"
    text = str(value)
    return escape_formula(text) if fmt == "csv" else text


def format_rows(
    rows: Sequence[dict[str, Any]], columns: Sequence[str], fmt: str, *, text_columns: int = 2, decimals: int = 6
) -> str:
    """The rows as ``fmt`` text.

    In a table, the first ``text_columns`` columns are left-aligned and
    numbers have ``decimals`` decimals; csv writes numbers in full (``repr``)
    and json as numbers (NaN as ``null``). Booleans are ``true``/``false``,
    missing values empty.

    Examples
    --------
    >>> print(format_rows([{"detector": "a", "mean": 0.5, "constant": False}], ["detector", "mean", "constant"],
    ...                   "table", text_columns=1, decimals=4), end="")
    detector    mean  constant
    a         0.5000     false
    """
    columns = list(columns)
    if fmt == "json":
        clean = [{k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in r.items()} for r in rows]
        return json.dumps(clean, indent=2) + "\n"
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(columns)
        for r in rows:
            writer.writerow([_cell(r[c], fmt, decimals) for c in columns])
        return out.getvalue()
    table = [[_cell(r[c], fmt, decimals) for c in columns] for r in rows]
    if fmt == "markdown":

        def escape(v: str) -> str:
            return v.replace("|", "\\|")

        lines = ["| " + " | ".join(map(escape, columns)) + " |", "|" + "|".join("---" for _ in columns) + "|"]
        lines += ["| " + " | ".join(map(escape, t)) + " |" for t in table]
        return "\n".join(lines) + "\n"
    widths = [max([len(c), *(len(t[i]) for t in table)]) for i, c in enumerate(columns)]

    def line(values: Sequence[str]) -> str:
        return "  ".join(
            v.ljust(w) if i < text_columns else v.rjust(w) for i, (v, w) in enumerate(zip(values, widths))
        ).rstrip()

    return "\n".join([line(columns)] + [line(t) for t in table]) + "\n"


def wide_rows(
    tidy: Iterable[tuple[str, str, str, float]],
    names: Sequence[str],
    extra: Mapping[str, Mapping[str, Any]] | None = None,
    constant: Mapping[tuple[str, str], bool | None] | None = None,
) -> list[dict[str, Any]]:
    """The wide table of ``pate evaluate``: a pivot of tidy ``(series, detector, metric, value)`` rows.

    One row per series and detector, in order: ``series`` (its name, as the
    tidy table and ``pate.benchmark.read_csv_series`` name it: the path
    below the directory given, without the suffix), ``score`` (the
    detector), then ``extra[series]`` (per-series options such as automatic
    buffers), one value per metric in ``names``, and ``constant`` (whether
    the detector's scores take one value on the series) when ``constant``
    is given.

    >>> tidy = [("s", "a", "pate", 0.5), ("s", "a", "auc_pr", 0.25)]
    >>> wide_rows(tidy, ["pate", "auc_pr"], constant={("s", "a"): False})
    [{'series': 's', 'score': 'a', 'pate': 0.5, 'auc_pr': 0.25, 'constant': False}]
    """
    extra = extra or {}
    rows: dict[tuple[str, str], dict[str, Any]] = {}
    for series, detector, metric, value in tidy:
        key = (series, detector)
        if key not in rows:
            start = {"series": series, "score": detector, **extra.get(series, {})}
            rows[key] = {**start, **{m: float("nan") for m in names}}
        rows[key][metric] = float(value)
    if constant is not None:
        for key, row in rows.items():
            row["constant"] = constant.get(key)
    return list(rows.values())


#: Suffixes of files that are not text: never written with a text table inside.
_NOT_TEXT = (".parquet", ".pq", ".gz", ".bz2", ".xz", ".zip", ".xlsx", ".xls", ".feather", ".npy", ".pkl")


def output_format(path: str | None, given: str | None, flag: str = "--output", *, tidy_hint: bool = False) -> str:
    """The format of the text written to ``path``: what its suffix says, else ``given`` (``--format``), else a table.

    The file holds what its name says: a suffix that contradicts
    ``--format``, the suffix of a binary format, or a suffix this command
    does not know without ``--format`` is a usage error.

    >>> output_format("report.json", None), output_format("report", "markdown"), output_format(None, None)
    ('json', 'markdown', 'table')
    """
    if path is None or not Path(path).suffix:
        return given or "table"
    suffix = Path(path).suffix.lower()
    if tidy_hint and str(path).lower().endswith((".parquet", ".pq", ".csv.gz")):
        raise UsageError(f"{flag} {path}: a {suffix} file holds the tidy results table; add --tidy.")
    if suffix in _NOT_TEXT:
        raise UsageError(f"{flag} {path}: this command writes text, not a {suffix} file.")
    wanted = SUFFIX_FORMATS.get(suffix)
    if wanted is None:
        if given is not None:  # a name the user chose, in the format the user chose
            return given
        listed = ", ".join(SUFFIX_FORMATS)
        raise UsageError(f"{flag} {path}: the suffix {suffix} names no format; use {listed}, or give --format.")
    if given is not None and given != wanted:
        raise UsageError(f"{flag} {path}: the suffix {suffix} means --format {wanted}, not --format {given}.")
    return wanted


def check_output_path(path: str | None, flag: str = "--output") -> None:
    """A usage error now if ``--output`` cannot be written later (before any work is done)."""
    if path is None:
        return
    target = Path(path)
    if target.is_dir():
        raise UsageError(f"{flag} {path}: is a directory; give a file name inside it.")
    parent = Path(os.path.realpath(target)).parent
    if not parent.is_dir():
        shown = target.parent if str(target.parent) not in ("", ".") else parent
        raise UsageError(f"{flag} {path}: the directory {str(shown)!r} does not exist; create it first.")
    if not os.access(parent, os.W_OK) or (target.exists() and not os.access(target, os.W_OK)):
        raise UsageError(f"{flag} {path}: not writable.")


def write_output(text: str, path: str | None, stdout: Any, flag: str = "--output") -> None:
    """``text`` to the ``--output`` file (atomically, through a symlink, the umask's mode), or to standard output."""
    if path is None:
        stdout.write(text)
        return

    def write(tmp: str) -> None:
        with open(tmp, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)

    try:
        atomic_write(path, write)
    except OSError as exc:
        raise UsageError(f"{flag} {path}: cannot be written ({exc.strerror or exc}).") from None
