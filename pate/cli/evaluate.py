"""``pate evaluate``: evaluate detectors' scores stored in CSV files.

One output row per file and score column, one column per metric. The steps,
each in its own function so that other flags can hook in:

1. :func:`resolve_options` checks the command line (metrics, options, output
   path) before any file is read;
2. :func:`expand_paths` lists the files;
3. :func:`read_table` reads one file strictly (:mod:`pate._tables`);
4. :func:`evaluate_table` evaluates its score columns, recording warnings
   as :class:`~pate.cli._notes.Note` records;
5. :func:`run` formats the rows and writes the notes once.

Read more in docs/cli.md.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, Sequence

from pate.cli import _runner
from pate.cli._common import EXIT_DATA, EXIT_OK, DataError, UsageError
from pate.cli._notes import Note, record_warnings, write_notes
from pate.cli._options import EvaluateOptions, check_read_options, parse_value, resolve_metric_options, split_names
from pate.cli._output import FORMATS, check_output_path, format_rows, write_output

__all__ = [
    "add_parser",
    "run",
    "resolve_options",
    "expand_paths",
    "read_table",
    "column_values",
    "evaluate_table",
    "evaluate_frame",
]

_CSV_SUFFIXES = (".csv", ".csv.gz", ".csv.bz2", ".csv.xz")
STDIN = "-"


# ----------------------------------------------------------------- parser
def add_parser(sub: Any) -> argparse.ArgumentParser:
    """Add the ``evaluate`` sub-command to the ``pate`` parser; returns it for other flags."""
    ev = sub.add_parser(
        "evaluate",
        help="evaluate score columns of CSV files against a label column",
        description=(
            "Evaluate each score column of each CSV file (.csv, .csv.gz, a directory of them, "
            "or - for standard input) against the label column; one output row per file and "
            "score column."
        ),
    )
    ev.add_argument("paths", nargs="*", metavar="FILE_OR_DIR")
    data = ev.add_argument_group("input")
    data.add_argument("--label", default="label", help="label column, 0/1 (default: label)")
    data.add_argument(
        "--score",
        help="comma-separated score columns (default: every numeric column except the label, "
        "'value' and an index/timestamp column)",
    )
    data.add_argument("--sep", help="field separator (default: detected from the header: , ; tab or |)")
    data.add_argument("--encoding", help="text encoding (default: UTF-8, or UTF-16 with a byte-order mark)")
    data.add_argument("--decimal", default=".", help="decimal mark of the numbers (default: .)")
    data.add_argument(
        "--value",
        default="value",
        help="column of the series' values, read by --early-buffer/--delay-buffer auto "
        "and never evaluated as a score (default: value)",
    )
    metrics = ev.add_argument_group("metrics")
    metrics.add_argument(
        "--metric",
        default="pate",
        help="comma-separated metric names (default: pate; binary metrics such as pate_f1 need "
        "--threshold unless the score column is 0/1)",
    )
    metrics.add_argument(
        "--early-buffer",
        type=_buffer_size,
        help="early_buffer option of the metrics that take it: a number of points, or 'auto' for the "
        "period of each file's value column (pate.suggest_buffer_size; reported in the output)",
    )
    metrics.add_argument(
        "--delay-buffer", type=_buffer_size, help="delay_buffer option, likewise (a number of points, or 'auto')"
    )
    metrics.add_argument("--n-buffer-splits", type=int, help="n_buffer_splits option")
    metrics.add_argument(
        "--n-thresholds",
        help="n_thresholds option (an integer, or 'none' for the exact curve: only metrics that accept it get it)",
    )
    metrics.add_argument(
        "--option",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="any other metric option, passed to every selected metric that accepts NAME (repeatable; "
        "VALUE is a Python literal, true/false/none, or else a string)",
    )
    metrics.add_argument(
        "--undefined",
        choices=("nan", "zero", "warn"),
        help="value of a metric where it is undefined (e.g. recall without any labelled anomaly): "
        "nan, zero (0.0), or warn: each metric's documented value with a warning (the default; "
        "docs/undefined.md)",
    )
    metrics.add_argument(
        "--threshold",
        type=float,
        help="binary metrics on non-binary score columns predict score >= THRESHOLD",
    )
    out = ev.add_argument_group("output")
    out.add_argument("--format", choices=FORMATS, default="table")
    out.add_argument("--output", help="write the result to this file instead of standard output")
    out.add_argument(
        "--keep-going",
        action="store_true",
        help="evaluate the other files when one fails (exit status 1 if any failed)",
    )
    out.add_argument("--quiet", action="store_true", help="no progress bar")
    out.add_argument(
        "--compare",
        action="store_true",
        help="after the per-file table, print each metric's leaderboard of the score columns "
        "over the files (as pate compare does)",
    )
    _runner.add_arguments(ev)
    ev.set_defaults(run=run)
    return ev


# ---------------------------------------------------------------- options
_AUTO = "auto"
_UNDEFINED = {"nan": "nan", "zero": 0.0, "warn": "warn"}


def _buffer_size(text: str) -> int | str:
    """``--early-buffer`` / ``--delay-buffer``: an integer >= 0, or ``auto``."""
    if text.strip().lower() == _AUTO:
        return _AUTO
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of points or 'auto'") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"{text!r}: a buffer cannot be negative")
    return value


def _given_options(args: argparse.Namespace, notes: list[Note]) -> dict[str, tuple[str, Any]]:
    """Metric options from the flags and ``--option``: name -> (flag, value)."""
    given: dict[str, tuple[str, Any]] = {}

    def add(name: str, flag: str, value: Any) -> None:
        if name in given:
            first_flag, first = given[name]
            if first != value or type(first) is not type(value):
                raise UsageError(
                    f"{name} is given twice with different values ({first_flag} {first!r}, {flag} {value!r})."
                )
            notes.append(Note("note", f"{name} is given twice ({first_flag}, {flag}); used once."))
            return
        given[name] = (flag, value)

    for attr in ("early_buffer", "delay_buffer", "n_buffer_splits"):
        value = getattr(args, attr)
        if value is not None and value != _AUTO:  # auto: chosen per file (evaluate_frame)
            add(attr, "--" + attr.replace("_", "-"), value)
    if getattr(args, "undefined", None) is not None:
        add("undefined", "--undefined", _UNDEFINED[args.undefined])
    if args.n_thresholds is not None:
        add("n_thresholds", "--n-thresholds", parse_value(args.n_thresholds))
    for item in args.option:
        if "=" not in item:
            raise UsageError(f"--option {item!r}: expected NAME=VALUE, e.g. --option window=100.")
        key, value = item.split("=", 1)
        name = key.strip().replace("-", "_")
        if not name.isidentifier():
            raise UsageError(f"--option {item!r}: {key.strip()!r} is not an option name.")
        add(name, f"--option {item}", parse_value(value))
    return given


def resolve_options(args: argparse.Namespace) -> EvaluateOptions:
    """Everything the command line says, checked before any file is read (usage errors)."""
    from pate.metrics import get_metric_info

    notes: list[Note] = []
    names = split_names(args.metric, "--metric", notes)
    try:
        metrics = [get_metric_info(n) for n in names]
    except ValueError as exc:
        raise UsageError(f"--metric: {exc}") from None
    per_metric = resolve_metric_options(metrics, _given_options(args, notes), notes)
    scores = split_names(args.score, "--score", notes) if args.score is not None else None
    args.sep = check_read_options(args.sep, args.encoding, args.decimal)
    check_output_path(args.output)
    auto = tuple(a for a in ("early_buffer", "delay_buffer") if getattr(args, a, None) == _AUTO)
    for option in auto:
        if not any(option in m.params for m in metrics):
            raise UsageError(
                f"--{option.replace('_', '-')} auto: no selected metric ({', '.join(m.name for m in metrics)}) "
                f"takes {option}."
            )
    value_column = getattr(args, "value", "value")
    return EvaluateOptions(args.label, scores, metrics, per_metric, args.threshold, notes, auto, value_column)


def _automatic_buffers(
    frame: Any, options: EvaluateOptions, lines: Sequence[int] | None, file: str, notes: list[Note]
) -> dict[str, int]:
    """``--early-buffer auto`` / ``--delay-buffer auto``: one size per file from its value column."""
    from pate._buffer_size import suggest_buffer_size

    if not options.auto_buffers:
        return {}
    column = options.value_column
    if column not in frame.columns:
        columns_list = ", ".join(map(str, frame.columns))
        flags = " and ".join(f"--{a.replace('_', '-')} auto" for a in options.auto_buffers)
        raise DataError(
            f"{flags} reads the series' values, but there is no column {column!r} "
            f"(columns: {columns_list}); pass --value COLUMN or a number of points."
        )
    suggestion = suggest_buffer_size(column_values(frame, column, lines=lines))
    if suggestion.fallback:
        notes.append(
            Note(
                "note",
                f"automatic buffer: {suggestion.reason}; the default {suggestion.buffer_size} points is used.",
                file,
            )
        )
    return {option: suggestion.buffer_size for option in options.auto_buffers}


# ------------------------------------------------------------------ input
def expand_paths(paths: Sequence[str], notes: list[Note] | None = None) -> list[str]:
    """Files to evaluate: files as given, directories' CSV files in name order, ``-`` once.

    A file named twice (or inside a directory also named) is evaluated once, with a note.
    """
    files: list[str] = []
    seen: dict[Path, str] = {}
    stdin_seen = False

    def add(name: str, path: Path | None) -> None:
        if path is not None:
            key = path.resolve()
            if key in seen:
                if notes is not None:
                    notes.append(Note("note", f"{name} is named more than once; evaluated once."))
                return
            seen[key] = name
        files.append(name)

    for p in paths:
        if p == STDIN:
            if stdin_seen:
                raise UsageError("standard input (-) is named twice; it can be read once.")
            stdin_seen = True
            add(p, None)
            continue
        path = Path(p)
        if path.is_dir():
            found = sorted(f for f in path.iterdir() if f.is_file() and f.name.endswith(_CSV_SUFFIXES))
            if not found:
                raise UsageError(f"{p}: directory holds no .csv or .csv.gz file.")
            for f in found:
                add(str(f), f)
        elif path.is_file():
            add(str(path), path)
        elif path.exists():
            raise UsageError(f"{p}: not a regular file or directory.")
        else:
            raise UsageError(f"{p}: no such file or directory.")
    return files


def read_table(name: str, args: argparse.Namespace, stdin: Any = None) -> Any:
    """One file read strictly (``-``: standard input); a :class:`DataError` says what is wrong."""
    from pate._tables import TableError, read_csv_table

    options = {
        "sep": getattr(args, "sep", None),
        "encoding": getattr(args, "encoding", None),
        "decimal": getattr(args, "decimal", "."),
    }
    try:
        if name == STDIN:
            stream = stdin if stdin is not None else sys.stdin
            source = getattr(stream, "buffer", None)
            return read_csv_table(source if source is not None else stream.read().encode("utf-8"), **options)
        return read_csv_table(name, **options)
    except TableError as exc:
        raise DataError(str(exc)) from None
    except OSError as exc:
        raise DataError(f"cannot be read: {exc.strerror or exc}.") from None


# -------------------------------------------------------------- evaluation
def column_values(frame: Any, column: Any, *, lines: Sequence[int] | None = None, labels: bool = False) -> Any:
    """One column as finite float64 values (``labels``: 0/1 only), or a :class:`DataError` naming the line."""
    import numpy as np

    from pate._tables import TableError, numeric_column

    try:
        values = numeric_column(frame, column, lines=lines)
    except TableError as exc:
        raise DataError(str(exc)) from None
    if labels:
        not01 = (values != 0) & (values != 1)
        if not01.any():
            row = int(np.flatnonzero(not01)[0])
            line = int(lines[row]) if lines is not None else row + 2
            raise DataError(f"line {line}, column {str(column)!r}: label {values[row]:g} is not 0 or 1.")
    return values


class NeedsThreshold(UsageError):
    """A binary metric on a column that is not 0/1 and no ``--threshold`` (a usage error of one file)."""


def evaluate_table(table: Any, options: EvaluateOptions, file: str = "") -> tuple[list[dict[str, Any]], list[Note]]:
    """Evaluate every score column of one table: one row per score column, and the notes.

    Raises :class:`DataError` (bad data) or :class:`NeedsThreshold`.
    """
    return evaluate_frame(table.frame, options, lines=table.lines, file=file)


def evaluate_frame(
    frame: Any, options: EvaluateOptions, *, lines: Sequence[int] | None = None, file: str = ""
) -> tuple[list[dict[str, Any]], list[Note]]:
    """Like :func:`evaluate_table` for a DataFrame (``lines``: file line of each row, default row + 2)."""
    import numpy as np

    from pate._tables import default_score_columns

    notes: list[Note] = []

    def numeric(column: str) -> Any:
        return column_values(frame, column, lines=lines)

    columns_list = ", ".join(map(str, frame.columns))
    if options.label not in frame.columns:
        raise DataError(f"no label column {options.label!r} (columns: {columns_list}); pass --label COLUMN.")
    labels = column_values(frame, options.label, lines=lines, labels=True)
    if options.scores is not None:
        columns = options.scores
    else:
        columns, text = default_score_columns(frame, options.label)
        columns = [c for c in columns if str(c) != options.value_column]
        for col in text:
            notes.append(Note("note", "not numbers, not evaluated (name it with --score to see why)", file, str(col)))
    if not columns:
        raise DataError(f"no score column found (columns: {columns_list}); pass --score COLUMN[,COLUMN...].")
    y_true = labels.astype(np.int8)
    automatic = _automatic_buffers(frame, options, lines, file, notes)
    rows = []
    for col in columns:
        if col not in frame.columns:
            raise DataError(f"no score column {col!r} (columns: {columns_list}).")
        scores = numeric(col)
        binary_column = bool(np.all((scores == 0) | (scores == 1)))
        row: dict[str, Any] = {"score": str(col), **automatic}
        for info in options.metrics:
            kwargs = options.metric_options[info.name]
            kwargs = {**kwargs, **{k: v for k, v in automatic.items() if k in info.params}}
            if info.input == "binary":
                if options.threshold is not None:
                    y = (scores >= options.threshold).astype(np.int8)
                elif binary_column:
                    y = scores.astype(np.int8)
                else:
                    raise NeedsThreshold(
                        f"metric {info.name!r} needs binary predictions, but column {str(col)!r} is not 0/1: "
                        "pass --threshold X (prediction = score >= X)."
                    )
            else:
                y = scores
            with record_warnings(notes, file=file, column=str(col), metric=info.name):
                try:
                    row[info.name] = float(info.func(y_true, y, **kwargs))
                except (TypeError, ValueError) as exc:
                    raise DataError(f"column {str(col)!r}, metric {info.name!r}: {exc}") from None
        rows.append(row)
    return rows, notes


# -------------------------------------------------------------------- run
def run(args: argparse.Namespace, err: Any) -> int:
    """Run ``pate evaluate``; returns the exit status."""
    from tqdm import tqdm

    if _runner.wanted(args):
        if _AUTO in (args.early_buffer, args.delay_buffer):
            raise UsageError(
                "--early-buffer/--delay-buffer auto choose the buffers per file in the plain run; "
                "with the runner's flags (--tidy, --jobs, ...) give a number of points."
            )
        return _runner.run(args, err)
    if not args.paths:
        raise UsageError("the following arguments are required: FILE_OR_DIR (or --labels DIR --scores DIR).")
    options = resolve_options(args)
    if args.compare and args.format in ("csv", "json") and not args.output:
        raise UsageError(
            f"--compare prints leaderboards after the table; with --format {args.format} give "
            "--output FILE for the table (or run pate compare on the CSV)."
        )
    notes = list(options.notes)
    files = expand_paths(args.paths, notes)
    rows: list[dict[str, Any]] = []
    constants: dict[tuple[str, str], bool] = {}
    failures = 0
    try:
        # On a terminal only (disable=None), after a second: quick runs and pipes stay clean.
        with tqdm(
            total=len(files),
            unit="file",
            file=err,
            disable=True if args.quiet else None,
            delay=1.0,
            leave=False,
            dynamic_ncols=True,
        ) as bar:
            for name in files:
                shown = "<stdin>" if name == STDIN else name
                try:
                    table = read_table(name, args)
                    file_rows, file_notes = evaluate_table(table, options, shown)
                except (DataError, NeedsThreshold) as exc:
                    if isinstance(exc, NeedsThreshold) and not args.keep_going:
                        raise UsageError(f"{shown}: {exc}") from None
                    failures += 1
                    err.write(f"pate: error: {shown}: {exc}\n")
                    if not args.keep_going:
                        err.write("pate: stopped (use --keep-going to evaluate the other files).\n")
                        return EXIT_DATA
                    continue
                finally:
                    bar.set_postfix_str(Path(shown).name, refresh=False)
                    bar.update()
                rows.extend({"file": shown, **r} for r in file_rows)
                notes.extend(file_notes)
                if args.compare:  # constant score columns are trivial references: the leaderboard marks them
                    from pate.cli.compare import constant_columns

                    constants.update(
                        {
                            (shown, c): f
                            for c, f in constant_columns(table.frame, [r["score"] for r in file_rows]).items()
                        }
                    )
    finally:
        write_notes(err, notes)
    columns = ["file", "score", *options.auto_buffers] + [m.name for m in options.metrics]
    write_output(format_rows(rows, columns, args.format), args.output, sys.stdout)
    if args.compare:
        from pate.cli.compare import leaderboards_of_rows

        sys.stdout.write(leaderboards_of_rows(rows, [m.name for m in options.metrics], constants, args.format, err))
    if failures:
        err.write(f"pate: {failures} of {len(files)} file(s) could not be evaluated.\n")
        return EXIT_DATA
    return EXIT_OK
