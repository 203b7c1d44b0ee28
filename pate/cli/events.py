"""``pate events FILE``: which labelled anomalies each detector caught, and how early or late.

    pate events FILE [--score COL[,COL...]] [--threshold X] [--intervals FILE] [--time-column COL]
                     [--early-buffer N|SPAN] [--delay-buffer N|SPAN] [--alarms] [--format ...] [--output PATH]

One row per labelled event and score column (:func:`pate.event_table`), or
with ``--alarms`` one row per run of alarms outside every event
(:func:`pate.alarm_table`). The file is read as by ``pate evaluate`` (the
same reader, the same errors naming line and column); the labels come from
its label column or from ``--intervals``; the times, when the file has a time
column, add the time columns. Read more in docs/events.md.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

import numpy as np

from pate._event_table import alarm_table, event_table
from pate._validation import InvalidValuesError
from pate.benchmark import CsvSeriesFile, SeriesError
from pate.benchmark._tables import TableError, read_csv_table, time_column
from pate.cli._common import EXIT_DATA, EXIT_OK, UsageError
from pate.cli._input import STDIN, check_output_not_input, interval_file, stdin_bytes
from pate.cli._notes import Note, write_notes
from pate.cli._options import AUTO, add_read_options, buffer_size, check_read_options, split_names
from pate.cli._output import FORMATS, check_output_path, format_rows, write_output

__all__ = ["add_parser", "run"]


def add_parser(sub: Any) -> argparse.ArgumentParser:
    """Add the ``events`` sub-command to the ``pate`` parser."""
    p = sub.add_parser(
        "events",
        help="one row per labelled anomaly: detected or missed, first alarm, delay (or --alarms: the false alarms)",
        description="For each score column of a CSV file, the labelled anomalies (runs of ones in the label "
        "column, or --intervals) with whether an alarm (score >= --threshold) falls in the event or its "
        "early/delay buffer, the first such alarm, its signed delay and the number of alarms; with a time column, "
        "their times too.",
    )
    p.add_argument("path", metavar="FILE", help="CSV file (.csv, compressed or not)")
    p.add_argument("--label", default="label", metavar="COL", help="label column, 0/1 (default: label)")
    p.add_argument(
        "--score",
        metavar="COL",
        help="comma-separated score columns (default: every numeric column except the label, 'value' and the time)",
    )
    p.add_argument(
        "--threshold",
        type=float,
        help="alarms are score >= THRESHOLD (needed unless the score columns are 0/1)",
    )
    p.add_argument(
        "--intervals",
        metavar="FILE",
        help="anomaly intervals instead of a label column (NAB's JSON layout or a CSV of series,start,end)",
    )
    p.add_argument(
        "--time-column",
        metavar="COL",
        help="column of the times (default: the one column called timestamp, time, date, datetime or ts, if any)",
    )
    p.add_argument(
        "--early-buffer",
        type=buffer_size,
        default=0,
        metavar="N|SPAN",
        help="alarms up to N points (or a time span such as 30min) before an event still detect it (default: 0)",
    )
    p.add_argument(
        "--delay-buffer",
        type=buffer_size,
        default=0,
        metavar="N|SPAN",
        help="alarms up to N points (or a time span) after an event still detect it (default: 0)",
    )
    p.add_argument("--alarms", action="store_true", help="list the runs of alarms outside every event instead")
    add_read_options(p)
    p.add_argument("--format", choices=FORMATS, default="table")
    p.add_argument("--output", help="write the table to this file instead of standard output")
    p.set_defaults(run=run)
    return p


def _time_column(args: argparse.Namespace, sep: str | None, data: bytes | None) -> str | None:
    """The time column: the one named, or the one time-like column of the file (none is fine here)."""
    if args.time_column is not None:
        return args.time_column
    try:
        table = read_csv_table(data if data is not None else args.path, sep=sep, encoding=args.encoding)
        return time_column(table.frame)
    except (TableError, OSError):
        return None  # no (single) time column: the table has no times; a bad file is reported by the real read


def _cell(value: Any) -> Any:
    """A table cell for the formatter: missing values empty, numpy scalars as Python values."""
    if value is None or value is getattr(value, "_na_value", object()):
        return None
    try:
        if value != value:  # NaN, NaT, pd.NA compare unequal (pd.NA raises)
            return None
    except TypeError:
        return None
    if isinstance(value, np.generic):
        return value.item()
    if hasattr(value, "isoformat") and not isinstance(value, float):
        return str(value)
    return value


def run(args: argparse.Namespace, err: Any) -> int:
    """Run ``pate events``; returns the exit status."""
    notes: list[Note] = []
    for option in ("early_buffer", "delay_buffer"):
        if getattr(args, option) == AUTO:
            raise UsageError(f"--{option.replace('_', '-')} auto is for pate evaluate; give a number of points.")
    sep = check_read_options(args.sep, args.encoding, args.decimal)
    check_output_path(args.output)
    scores = tuple(split_names(args.score, "--score", notes)) if args.score is not None else None
    intervals = interval_file(args)
    name = args.path if args.path != STDIN else "<stdin>"
    if intervals is not None:
        try:
            intervals.find(name)
        except ValueError as exc:
            raise UsageError(f"--intervals: {exc}") from None
    data = stdin_bytes() if args.path == STDIN else None
    times = _time_column(args, sep, data)
    source = CsvSeriesFile(
        name,
        name,
        args.label,
        scores,
        sep,
        args.encoding,
        args.decimal,
        data=data,
        intervals=intervals,
        time_column=times,
        read_times=times is not None,
    )
    check_output_not_input(args.output, [source])
    try:
        series = source.load()
    except SeriesError as exc:
        err.write(f"pate: error: {name}: {exc.reason}\n")
        return EXIT_DATA
    notes += [Note("note", text, name) for text in series.interval_warnings]
    notes += [
        Note("note", "not numbers, not listed (name it with --score to see why)", name, c) for c in series.ignored
    ]
    table_of = alarm_table if args.alarms else event_table
    rows: list[dict[str, Any]] = []
    columns: list[str] = []
    for detector in series.detectors:
        if detector in series.problems:
            err.write(f"pate: error: {name}: column {detector!r}: {series.problems[detector]}\n")
            return EXIT_DATA
        values = np.asarray(series.scores[detector], dtype=np.float64)
        binary = bool(np.all((values == 0) | (values == 1)))
        if args.threshold is None and not binary:
            raise UsageError(f"{name}: column {detector!r} is not 0/1: pass --threshold X (alarms are score >= X).")
        try:
            table = table_of(
                series.y_true,
                values >= args.threshold if args.threshold is not None else values,
                y_score=values,
                timestamps=series.timestamps,
                early_buffer=args.early_buffer,
                delay_buffer=args.delay_buffer,
            )
        except InvalidValuesError as exc:  # the data: times out of order or repeated
            err.write(f"pate: error: {name}: column {detector!r}: {exc}\n")
            return EXIT_DATA
        except (TypeError, ValueError) as exc:  # the options: a span without times, a bad span
            raise UsageError(f"{name}: column {detector!r}: {exc}") from None
        columns = ["score", *map(str, table.columns)]
        rows += [
            {"score": detector, **{str(k): _cell(v) for k, v in record.items()}} for record in table.to_dict("records")
        ]
    write_notes(err, notes)
    if not columns:  # no score column: nothing to list
        err.write(f"pate: error: {name}: no score column found; name them with --score.\n")
        return EXIT_DATA
    text = format_rows(rows, columns, args.format, text_columns=1, decimals=4)
    write_output(text, args.output, sys.stdout)
    return EXIT_OK
