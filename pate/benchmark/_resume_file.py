"""Reading a results file to resume it: every line checked before a row is trusted.

``evaluate(..., output=F, resume=True)`` keeps the rows already in ``F`` and
computes only the missing ones, so a damaged ``F`` would silently become
part of the results: a value cut short (``0.102``), a series name cut short
(``Twitte``), a line of NUL bytes. :func:`read_resumable` reads the file
itself (not through a lenient table reader) and checks the header, the
number of fields of every line, that every value is a number (or ``nan``),
every metric a registry name, every ``params`` string canonical, that no
name is empty or holds control characters, that no row appears twice, and
that the last line is complete. A problem is a ``ValueError`` naming the
file, the line and what is wrong. One case is repaired instead, with a
warning: a last line without its line end (the file was cut short), whose
row is dropped and so computed again. Our own writes are atomic, so such
damage comes from elsewhere (a full disk while copying, an editor).
"""

from __future__ import annotations

import csv
import gzip
import io
import math
import os
import re
from pathlib import Path
from typing import Any

import pandas as pd

from pate.benchmark._results_io import (
    CHANCE_COLUMNS,
    RESULT_COLUMNS,
    format_params,
    parse_params,
    read_output,
    results_format,
    unescape_formula,
)
from pate.metrics import get_metric_info

__all__ = ["read_resumable"]

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_NAMES = ("series", "detector", "metric")


def _shown(text: str, limit: int = 40) -> str:
    text = repr(text)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _check_row(row: dict[str, Any], where: str) -> float:
    """The row's value; a ValueError saying what is wrong with it."""
    for column in _NAMES:
        name = row[column]
        if name == "":
            raise ValueError(f"{where}: the {column} name is empty.")
        if _CONTROL.search(name):
            raise ValueError(f"{where}: the {column} name {_shown(name)} holds control characters.")
    text = str(row["value"]).strip()
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"{where}: the value {_shown(text)} is not a number.") from None
    if math.isinf(value):
        raise ValueError(f"{where}: the value is {text}; a metric value is a finite number or nan.")
    try:
        get_metric_info(row["metric"])
    except (KeyError, ValueError):
        raise ValueError(f"{where}: {_shown(row['metric'])} is not a metric of this version of pate.") from None
    try:
        canonical = format_params(parse_params(row["params"]))
    except ValueError as exc:
        raise ValueError(f"{where}: the params {_shown(row['params'])} cannot be read ({exc}).") from None
    if canonical != row["params"]:
        raise ValueError(
            f"{where}: the params {_shown(row['params'])} are not written as pate writes them ({canonical!r})."
        )
    return value


def _chance_values(row: dict[str, Any], where: str) -> None:
    """The row's chance columns as floats (nan where the chance level was undefined)."""
    for column in CHANCE_COLUMNS:
        if column not in row:
            continue
        text = str(row[column]).strip()
        try:
            row[column] = float(text)
        except ValueError:
            raise ValueError(f"{where}: the {column} {_shown(text)} is not a number.") from None


def _csv_text(path: Path) -> str:
    raw = path.read_bytes()
    compressed = path.name.lower().endswith(".gz")
    if raw[:2] == b"\x1f\x8b" and not compressed:
        raise ValueError(f"{path}: the file is gzip-compressed but its name does not end in .gz.")
    if compressed:
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError) as exc:
            raise ValueError(f"{path}: cannot be decompressed ({exc}); the file is damaged.") from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ValueError(f"{path}, line {line}: not UTF-8 text (byte {raw[exc.start]:#04x}).") from None


def _read_csv(path: Path) -> tuple[pd.DataFrame, list[str]]:
    text = _csv_text(path)
    notes: list[str] = []
    if not text.strip():
        raise ValueError(f"{path}: the file is empty (no header line); a results file starts with the header.")
    lines = text.split("\n")
    if not text.endswith("\n"):
        last = len(lines)
        notes.append(
            f"{path}, line {last}: the last line is incomplete (the file was cut short); its row is computed again."
        )
        text = "\n".join(lines[:-1]) + "\n"
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:  # pragma: no cover - the text is not blank
        raise ValueError(f"{path}: the file has no header line.") from None
    expected = [
        [*RESULT_COLUMNS, *chance, *constant, *error]
        for chance in ((), CHANCE_COLUMNS)
        for constant in ((), ("constant",))
        for error in ((), ("error",))
    ]
    if header not in expected:
        raise ValueError(
            f"{path}, line 1: the header is {','.join(header)!r}; a results file has the columns "
            f"{','.join(RESULT_COLUMNS)} (then {','.join(CHANCE_COLUMNS)} with chance levels, constant, and error)."
        )
    rows: list[dict[str, Any]] = []
    seen: dict[tuple[str, str, str, str], int] = {}
    start = reader.line_num
    try:
        for fields in reader:
            where = f"{path}, line {start + 1}"
            if len(fields) != len(header):
                raise ValueError(f"{where}: {len(fields)} fields, expected {len(header)} ({','.join(header)}).")
            row: dict[str, Any] = dict(zip(header, map(unescape_formula, fields)))  # as write_results escaped them
            row["value"] = _check_row(row, where)
            _chance_values(row, where)
            key = (row["series"], row["detector"], row["metric"], row["params"])
            if key in seen:
                raise ValueError(f"{where}: the same row as line {seen[key]} (series, detector, metric, params).")
            seen[key] = start + 1
            rows.append(row)
            start = reader.line_num
    except csv.Error as exc:
        raise ValueError(f"{path}, line {reader.line_num}: {exc}.") from None
    frame = pd.DataFrame(rows, columns=header)
    for column in ("value", *CHANCE_COLUMNS):
        if column in frame.columns:
            frame[column] = frame[column].astype("float64")
    return frame, notes


def _read_parquet(path: Path) -> tuple[pd.DataFrame, list[str]]:
    try:
        frame = read_output(path)
    except Exception as exc:  # noqa: BLE001 - pyarrow's errors for a damaged file are many
        raise ValueError(f"{path}: cannot be read as a results table ({exc}).") from None
    extra = [c for c in frame.columns if c not in (*RESULT_COLUMNS, *CHANCE_COLUMNS, "constant", "error")]
    if extra:
        raise ValueError(f"{path}: unexpected column(s) {', '.join(map(repr, extra))} in a results file.")
    seen: dict[tuple[str, str, str, str], int] = {}
    for i, row in enumerate(frame.to_dict("records")):
        where = f"{path}, row {i + 1}"
        row["value"] = _check_row(row, where)
        _chance_values(row, where)
        key = (row["series"], row["detector"], row["metric"], row["params"])
        if key in seen:
            raise ValueError(f"{where}: the same row as row {seen[key]} (series, detector, metric, params).")
        seen[key] = i + 1
    return frame, []


def read_resumable(path: str | os.PathLike) -> tuple[pd.DataFrame, list[str]]:
    """The results table in ``path``, checked line by line, and what was repaired (messages).

    Raises
    ------
    ValueError
        The file, the line and what is wrong.

    Examples
    --------
    >>> import os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "results.csv")
    >>> _ = open(path, "w").write("series,detector,metric,value,params\\ns1,det,pate,abc,\\n")
    >>> try:
    ...     read_resumable(path)
    ... except ValueError as exc:
    ...     print(str(exc).replace(path, "results.csv"))
    results.csv, line 2: the value 'abc' is not a number.
    """
    target = Path(path)
    if results_format(target) == "parquet":
        return _read_parquet(target)
    return _read_csv(target)
