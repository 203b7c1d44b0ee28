"""What ``pate evaluate`` and ``pate plot`` read: files, directories and standard input as series sources.

Files are listed by the benchmark's one directory rule
(:func:`pate.benchmark._readers.csv_files`: a directory is searched
recursively for ``.csv``, ``.csv.gz``, ``.csv.bz2`` and ``.csv.xz`` files,
sorted by relative path), so ``pate evaluate DIR`` and
``pate.benchmark.read_csv_series(DIR)`` see the same files. Each becomes a
:class:`~pate.benchmark.CsvSeriesFile`; standard input (``-``) is one too,
holding the bytes read once. Everything is read by the strict reader of
:mod:`pate.benchmark._tables`. With ``--intervals FILE`` the labels come from
the interval file and each file's time column (``--time-column``), and every
file must have a key in the interval file (checked before any is read).
"""

from __future__ import annotations

import argparse
import bz2
import gzip
import lzma
import sys
from pathlib import Path
from typing import Any, Callable, Sequence

import numpy as np

from pate._intervals import IntervalFile, read_intervals
from pate._validation import InvalidValuesError
from pate.benchmark import CsvSeriesFile
from pate.benchmark._files import check_not_an_input
from pate.benchmark._readers import csv_files, csv_labels, source_files
from pate.benchmark._tables import TableError, read_csv_table
from pate.cli._common import DataError, UsageError
from pate.cli._notes import Note

__all__ = [
    "STDIN",
    "SHOWN_STDIN",
    "MAX_STDIN_BYTES",
    "csv_sources",
    "read_columns",
    "read_time",
    "check_output_not_input",
    "check_results_file",
    "stdin_bytes",
    "interval_file",
]

STDIN = "-"
SHOWN_STDIN = "<stdin>"


def _header(path: Path, sep: str | None) -> list[str] | None:
    """The column names of a CSV file's first line (compressed or not); None where it cannot tell."""
    opener: dict[bytes, Callable[..., Any]] = {b"\x1f\x8b": gzip.open, b"BZ": bz2.open, b"\xfd7": lzma.open}
    try:
        with path.open("rb") as handle:
            magic = handle.read(2)
        with opener.get(magic, open)(path, "rb") as handle:
            line = handle.readline(1 << 16).decode("utf-8-sig").rstrip("\r\n")
    except (OSError, UnicodeDecodeError, EOFError, lzma.LZMAError):
        return None  # not readable as UTF-8 text here: the reader says why, naming the file
    if sep is None:
        sep = max((",", ";", "\t", "|"), key=lambda c: len(line.split(c)))
    return [name.strip().strip('"') for name in line.split(sep)]


def _listed(
    paths: Sequence[str], notes: list[Note], label: str | None = None, sep: str | None = None, strict: bool = True
) -> list[tuple[str, str]]:
    """``(file as shown, series name)`` of every file, ``-`` once; a file named twice is read once, with a note.

    Unless ``strict``, a CSV file found in a directory whose header has no
    ``label`` column is not a series (NAB's ``index.csv``): it is left out
    with a note naming it. A file named on the command line is always read.
    """
    out: list[tuple[str, str]] = []
    seen: set[Path] = set()
    stdin_seen = False
    for given in paths:
        if given == STDIN:
            if stdin_seen:
                raise UsageError("standard input (-) is named twice; it can be read once.")
            stdin_seen = True
            out.append((SHOWN_STDIN, SHOWN_STDIN))
            continue
        try:
            found = csv_files(given)
        except OSError as exc:
            raise UsageError(str(exc)) from None
        in_directory = Path(given).is_dir()
        for path, name in found:
            if in_directory and not strict and label is not None:
                header = _header(path, sep)
                if header is not None and label not in header:
                    notes.append(
                        Note("note", f"{path} skipped: no label column {label!r}, not a series (--strict: an error).")
                    )
                    continue
            key = path.resolve()
            if key in seen:
                notes.append(Note("note", f"{path} is named more than once; evaluated once."))
                continue
            seen.add(key)
            out.append((str(path), name))
    return out


#: The most standard input read (bytes): more is refused, so an endless stream cannot fill the memory.
MAX_STDIN_BYTES = 1 << 30


def stdin_bytes(stdin: Any = None) -> bytes:
    """Standard input's bytes, read in chunks, at most :data:`MAX_STDIN_BYTES` (a usage error beyond)."""
    stream = stdin if stdin is not None else sys.stdin
    raw = getattr(stream, "buffer", None)
    limit = MAX_STDIN_BYTES
    chunks: list[bytes] = []
    size = 0
    while True:
        chunk = raw.read(1 << 20) if raw is not None else stream.read(1 << 20).encode("utf-8")
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > limit:
            raise UsageError(
                f"standard input holds more than {limit:,} bytes (or never ends); write it to a file and "
                "give the file instead."
            )
        chunks.append(chunk)


def interval_file(args: argparse.Namespace) -> IntervalFile | None:
    """The interval file of ``--intervals``, read once; a usage error naming it when it cannot be read."""
    path = getattr(args, "intervals", None)
    if path is None:
        return None
    try:
        return read_intervals(path)
    except OSError as exc:
        raise UsageError(f"--intervals {path}: cannot be read: {exc.strerror or exc}.") from None
    except ValueError as exc:
        raise UsageError(f"--intervals {exc}") from None


def csv_sources(
    paths: Sequence[str], args: argparse.Namespace, options: Any, notes: list[Note]
) -> tuple[list[CsvSeriesFile], dict[str, str]]:
    """One source per file (standard input included) and each series' file as shown.

    A usage error for a path that does not exist, a directory without CSV
    files, or two files that would give the same series name.
    """
    sources: list[CsvSeriesFile] = []
    shown: dict[str, str] = {}
    scores = tuple(options.scores) if options.scores is not None else None
    intervals = interval_file(args)
    strict = bool(getattr(args, "strict", True))
    # labels from --intervals: a file without the label column is a series all the same
    label = options.label if intervals is None else None
    for file, name in _listed(paths, notes, label, args.sep, strict):
        if name in shown:
            raise UsageError(f"{shown[name]} and {file} give the same series name {name!r}; evaluate them separately.")
        shown[name] = file
        if intervals is not None:
            try:
                intervals.find(name, shown=file)
            except ValueError as exc:
                raise UsageError(f"--intervals: {exc}") from None
        data = stdin_bytes() if file == SHOWN_STDIN else None
        source = CsvSeriesFile(
            name,
            file,
            options.label,
            scores,
            args.sep,
            args.encoding,
            args.decimal,
            value=options.value_column,
            read_values=bool(options.auto_buffers),
            data=data,
            intervals=intervals,
            time_column=getattr(args, "time_column", None),
            read_times=bool(getattr(options, "time_spans", False)),
        )
        sources.append(source)
    check_output_not_input(getattr(args, "output", None), sources)
    return sources, shown


def check_results_file(path: str) -> None:
    """A usage error unless ``path`` is standard input (``-``) or a file (``pate compare`` and ``pate report``)."""
    if path == STDIN:
        return
    if Path(path).is_dir():
        raise UsageError(f"{path} is a directory; give a results file (pate evaluate's CSV or a tidy table).")
    if not Path(path).is_file():
        raise UsageError(f"{path}: no such file.")


def check_output_not_input(output: str | None, sources: Sequence[Any]) -> None:
    """A usage error, before any work, if ``--output`` is one of the files read."""
    if output is None:
        return
    try:
        check_not_an_input(output, (f for source in sources for f in source_files(source)), what="--output")
    except ValueError as exc:
        raise UsageError(str(exc)) from None


#: Columns whose text is shown as the time of each row (``pate plot zones``), first found wins.
TIME_COLUMNS = ("timestamp", "time", "datetime", "date")


def read_time(path: str) -> np.ndarray | None:
    """The text of a CSV file's time column (``timestamp``, ``time``, ...), one per row; None without one."""
    try:
        frame = read_csv_table(path).frame
    except (TableError, OSError):  # read_columns has said what is wrong with the file
        return None
    for name in TIME_COLUMNS:
        if name in frame.columns:
            return frame[name].astype(str).to_numpy()
    return None


def read_columns(path: str, label: str, score: str) -> tuple[np.ndarray, np.ndarray]:
    """The labels (int8) and one score column of a CSV file; a :class:`DataError` naming the line and column."""
    try:
        table = read_csv_table(path)
    except TableError as exc:
        raise DataError(str(exc)) from None
    except OSError as exc:
        raise DataError(f"cannot be read: {exc.strerror or exc}.") from None
    frame = table.frame
    for col, flag in ((label, "--label"), (score, "--score")):
        if col not in frame.columns:
            raise DataError(f"no column {col!r} (columns: {', '.join(map(str, frame.columns))}); pass {flag} COLUMN.")
    try:
        return csv_labels(table, label), table.numeric(score)
    except (TableError, InvalidValuesError) as exc:
        raise DataError(str(exc)) from None
