"""``pate evaluate``: evaluate detectors' scores stored in CSV files.

One output row per file and score column. Read more in docs/cli.md.
"""

from __future__ import annotations

import argparse
import io
import json
import math
import re
import sys
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

from pate.cli._common import EXIT_DATA, EXIT_OK, DataError, UsageError

__all__ = ["add_parser", "run", "evaluate_frame"]

_INDEX_LIKE = {"timestamp", "time", "date", "datetime", "index", "ts"}
_CSV_SUFFIXES = (".csv", ".csv.gz")


@dataclass(frozen=True)
class _Options:
    label: str
    scores: list[str] | None
    metrics: list[Any]  # MetricInfo
    metric_options: dict[str, dict[str, Any]]
    threshold: float | None


# ----------------------------------------------------------------- parsing
def _parse_value(text: str) -> Any:
    lowered = text.strip().lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    if lowered == "none":
        return None
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text


def add_parser(sub: Any) -> None:
    """Add the ``evaluate`` sub-command to the ``pate`` parser."""
    ev = sub.add_parser(
        "evaluate",
        help="evaluate score columns of CSV files against a label column",
        description=(
            "Evaluate each score column of each CSV file (.csv, .csv.gz, a directory of them, "
            "or - for standard input) against the label column; one output row per file and "
            "score column."
        ),
    )
    ev.add_argument("paths", nargs="+", metavar="FILE_OR_DIR")
    ev.add_argument("--label", default="label", help="label column, 0/1 (default: label)")
    ev.add_argument(
        "--score",
        help="comma-separated score columns (default: every numeric column except the label, "
        "'value' and an index/timestamp column)",
    )
    ev.add_argument(
        "--metric", default="pate",
        help="comma-separated metric names (default: pate; binary metrics such as pate_f1 need "
        "--threshold unless the score column is 0/1)",
    )
    ev.add_argument("--early-buffer", type=int, help="early_buffer option of the metrics that take it")
    ev.add_argument("--delay-buffer", type=int, help="delay_buffer option of the metrics that take it")
    ev.add_argument("--n-buffer-splits", type=int, help="n_buffer_splits option")
    ev.add_argument("--n-thresholds", help="n_thresholds option (an integer, or 'none' for the exact curve)")
    ev.add_argument(
        "--option", action="append", default=[], metavar="NAME=VALUE",
        help="any other metric option, passed to every selected metric that accepts NAME (repeatable)",
    )
    ev.add_argument(
        "--threshold", type=float,
        help="binary metrics on non-binary score columns predict score >= THRESHOLD",
    )
    ev.add_argument("--format", choices=("table", "csv", "json", "markdown"), default="table")
    ev.add_argument("--output", help="write the result to this file instead of standard output")
    ev.add_argument("--keep-going", action="store_true", help="evaluate the other files when one fails")
    ev.add_argument("--quiet", action="store_true", help="no progress bar")
    ev.add_argument("--compare", action="store_true",
                    help="after the per-file table, print each metric's leaderboard of the score columns "
                    "over the files (as pate compare does)")
    ev.set_defaults(run=run)


def _resolve_options(args: argparse.Namespace) -> _Options:
    from pate.metrics import get_metric_info

    names = [m.strip() for m in args.metric.split(",") if m.strip()]
    if not names:
        raise UsageError("--metric is empty: name at least one metric (pate metrics lists them).")
    try:
        metrics = [get_metric_info(n) for n in names]
    except ValueError as exc:
        raise UsageError(str(exc)) from None

    given: dict[str, Any] = {}
    for flag, name in (("early_buffer", "early_buffer"), ("delay_buffer", "delay_buffer"),
                       ("n_buffer_splits", "n_buffer_splits")):
        value = getattr(args, flag)
        if value is not None:
            given[name] = value
    if args.n_thresholds is not None:
        given["n_thresholds"] = _parse_value(args.n_thresholds)
    for item in args.option:
        if "=" not in item:
            raise UsageError(f"--option {item!r}: expected NAME=VALUE, e.g. --option window=100.")
        key, value = item.split("=", 1)
        given[key.strip().replace("-", "_")] = _parse_value(value)

    per_metric = {m.name: {k: v for k, v in given.items() if k in m.params} for m in metrics}
    unused = [k for k in given if not any(k in m.params for m in metrics)]
    if unused:
        raise UsageError(
            f"option {unused[0]!r} is not accepted by any selected metric ({', '.join(names)}); "
            "pate metrics lists each metric's options."
        )
    scores = [c.strip() for c in args.score.split(",") if c.strip()] if args.score else None
    if args.score is not None and not scores:
        raise UsageError("--score is empty: name at least one column.")
    return _Options(args.label, scores, metrics, per_metric, args.threshold)


# ------------------------------------------------------------------- input
def _expand_paths(paths: Sequence[str]) -> list[str]:
    files: list[str] = []
    for p in paths:
        if p == "-":
            files.append(p)
            continue
        path = Path(p)
        if path.is_dir():
            found = sorted(str(f) for f in path.iterdir() if f.is_file() and f.name.endswith(_CSV_SUFFIXES))
            if not found:
                raise UsageError(f"{p}: directory holds no .csv or .csv.gz file.")
            files.extend(found)
        elif path.is_file():
            files.append(str(path))
        else:
            raise UsageError(f"{p}: no such file or directory.")
    return files


def _read_csv(name: str, stdin: io.TextIOBase | None = None):
    import pandas as pd

    source: Any = (stdin or sys.stdin) if name == "-" else name
    try:
        frame = pd.read_csv(source, low_memory=False)
    except pd.errors.EmptyDataError:
        raise DataError("the file is empty (no header row).") from None
    except (pd.errors.ParserError, UnicodeDecodeError, OSError, EOFError) as exc:
        raise DataError(f"cannot be read as CSV: {exc}".replace("\n", " ")) from None
    if frame.shape[0] == 0:
        raise DataError("the file has a header but no data rows.")
    return frame


def _line(row: int) -> int:
    """1-based line number in the file of 0-based data row ``row`` (line 1 is the header)."""
    return row + 2


def _numeric_column(frame, column: str):
    """The column as float64, or a DataError naming the first bad line."""
    import numpy as np
    import pandas as pd

    raw = frame[column]
    values = pd.to_numeric(raw, errors="coerce")
    bad = values.isna() & raw.notna()
    if bad.any():
        row = int(np.flatnonzero(bad.to_numpy())[0])
        raise DataError(f"line {_line(row)}, column {column!r}: {raw.iloc[row]!r} is not a number.")
    arr = values.to_numpy(dtype=float, na_value=np.nan)
    missing = ~np.isfinite(arr)
    if missing.any():
        row = int(np.flatnonzero(missing)[0])
        what = "empty (NaN)" if np.isnan(arr[row]) else "infinite"
        raise DataError(f"line {_line(row)}, column {column!r}: the value is {what}.")
    return arr


def _default_score_columns(frame, label: str) -> list[str]:
    import pandas as pd

    columns = []
    for i, col in enumerate(frame.columns):
        name = str(col)
        if name == label or name == "value" or name.lower() in _INDEX_LIKE or name.startswith("Unnamed: "):
            continue
        if pd.api.types.is_numeric_dtype(frame[col]) and not pd.api.types.is_bool_dtype(frame[col]):
            columns.append(name)
        elif pd.api.types.is_bool_dtype(frame[col]):
            columns.append(name)
    return columns


# -------------------------------------------------------------- evaluation
def evaluate_frame(frame, options: _Options) -> list[dict[str, Any]]:
    """Evaluate every score column of one frame; one dict per score column.

    Raises DataError (bad data) or UsageError (a binary metric on a
    non-binary column without a threshold).
    """
    import numpy as np

    if options.label not in frame.columns:
        raise DataError(f"no label column {options.label!r} (columns: {', '.join(map(str, frame.columns))}); "
                        "pass --label COLUMN.")
    labels = _numeric_column(frame, options.label)
    not01 = (labels != 0) & (labels != 1)
    if not01.any():
        row = int(np.flatnonzero(not01)[0])
        raise DataError(f"line {_line(row)}, column {options.label!r}: label {labels[row]:g} is not 0 or 1.")
    columns = options.scores if options.scores is not None else _default_score_columns(frame, options.label)
    if not columns:
        raise DataError("no score column found; pass --score COLUMN[,COLUMN...].")
    rows = []
    for col in columns:
        if col not in frame.columns:
            raise DataError(f"no score column {col!r} (columns: {', '.join(map(str, frame.columns))}).")
        scores = _numeric_column(frame, col)
        binary_column = bool(np.all((scores == 0) | (scores == 1)))
        row: dict[str, Any] = {"score": col}
        for info in options.metrics:
            kwargs = options.metric_options[info.name]
            if info.input == "binary":
                if options.threshold is not None:
                    y = (scores >= options.threshold).astype(np.int8)
                elif binary_column:
                    y = scores.astype(np.int8)
                else:
                    raise UsageError(
                        f"metric {info.name!r} needs binary predictions, but column {col!r} is not 0/1: "
                        "pass --threshold X (prediction = score >= X)."
                    )
            else:
                y = scores
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                try:
                    row[info.name] = float(info.func(labels.astype(np.int8), y, **kwargs))
                except (TypeError, ValueError) as exc:
                    raise UsageError(f"metric {info.name!r}: {exc}") from None
            for w in caught:  # re-issued with the column, so the caller can say where
                warnings.warn(f"column {col!r}, {info.name}: {w.message}", w.category, stacklevel=2)
        rows.append(row)
    return rows


# ------------------------------------------------------------------ output
def _format(rows: list[dict[str, Any]], columns: list[str], fmt: str) -> str:
    def cell(v: Any) -> str:
        if isinstance(v, float):
            return "nan" if math.isnan(v) else repr(v) if fmt == "csv" else f"{v:.6f}"
        return str(v)

    if fmt == "json":
        clean = [{k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in r.items()} for r in rows]
        return json.dumps(clean, indent=2) + "\n"
    if fmt == "csv":
        import csv

        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(columns)
        for r in rows:
            writer.writerow([cell(r[c]) for c in columns])
        return out.getvalue()
    table = [[cell(r[c]) for c in columns] for r in rows]
    if fmt == "markdown":
        lines = ["| " + " | ".join(columns) + " |", "|" + "|".join("---" for _ in columns) + "|"]
        lines += ["| " + " | ".join(t) + " |" for t in table]
        return "\n".join(lines) + "\n"
    widths = [max(len(c), *(len(t[i]) for t in table)) if table else len(c) for i, c in enumerate(columns)]
    numeric = [i >= 2 for i in range(len(columns))]
    def fmt_row(values):
        return "  ".join(v.rjust(w) if num else v.ljust(w) for v, w, num in zip(values, widths, numeric)).rstrip()
    return "\n".join([fmt_row(columns)] + [fmt_row(t) for t in table]) + "\n"


def _report_warnings(err, shown: str, messages: list[str]) -> None:
    """One line per distinct warning of a file, listing the columns it concerns."""
    grouped: dict[str, list[str]] = {}
    for message in messages:
        match = re.match(r"column '(.*?)', (.*)$", message, flags=re.S)
        column, text = (match.group(1), match.group(2)) if match else ("", message)
        grouped.setdefault(text, [])
        if column and column not in grouped[text]:
            grouped[text].append(column)
    for text, columns in grouped.items():
        where = f" (column{'s' if len(columns) > 1 else ''} {', '.join(columns)})" if columns else ""
        err.write(f"pate: warning: {shown}{where}: {text}\n")


# -------------------------------------------------------------------- run
def run(args: argparse.Namespace, err) -> int:
    """Run ``pate evaluate``; returns the exit status."""
    from pate._progress import ProgressBar

    options = _resolve_options(args)
    if args.compare and args.format in ("csv", "json") and not args.output:
        raise UsageError(f"--compare prints leaderboards after the table; with --format {args.format} give "
                         "--output FILE for the table (or run pate compare on the CSV).")
    files = _expand_paths(args.paths)
    rows: list[dict[str, Any]] = []
    constants: dict[tuple[str, str], bool] = {}
    failures = 0
    with ProgressBar(len(files), enabled=not args.quiet, stream=err) as bar:
        for name in files:
            shown = "<stdin>" if name == "-" else name
            try:
                frame = _read_csv(name)
                with warnings.catch_warnings(record=True) as caught:
                    warnings.simplefilter("always")
                    file_rows = evaluate_frame(frame, options)
                rows.extend({"file": shown, **r} for r in file_rows)
                if args.compare:  # constant score columns are trivial references: the leaderboard marks them
                    from pate.cli.compare import constant_columns

                    constants.update({(shown, c): f for c, f in
                                      constant_columns(frame, [r["score"] for r in file_rows]).items()})
                _report_warnings(err, shown, [str(w.message) for w in caught])
            except DataError as exc:
                failures += 1
                err.write(f"pate: error: {shown}: {exc}\n")
                if not args.keep_going:
                    err.write("pate: stopped (use --keep-going to evaluate the other files).\n")
                    return EXIT_DATA
            except UsageError as exc:
                raise UsageError(f"{shown}: {exc}") from None
            bar.advance(Path(shown).name)
    columns = ["file", "score"] + [m.name for m in options.metrics]
    text = _format(rows, columns, args.format)
    if args.output:
        Path(args.output).write_text(text)
    else:
        sys.stdout.write(text)
    if args.compare:
        from pate.cli.compare import leaderboards_of_rows

        sys.stdout.write(leaderboards_of_rows(rows, [m.name for m in options.metrics], constants, args.format, err))
    if failures:
        err.write(f"pate: {failures} of {len(files)} file(s) could not be evaluated.\n")
        return EXIT_DATA
    return EXIT_OK
