"""``pate evaluate``: evaluate detectors' scores stored in CSV files.

One output row per file and score column, one column per metric: the wide
form of the results table. The steps:

1. :func:`pate.cli._options.resolve_options` checks the command line
   (metrics, options against their declarations, output path) before any
   file is read;
2. :func:`pate.cli._input.csv_sources` lists the files (the benchmark's
   directory rule) and standard input as series sources;
3. each series runs through the one task of every evaluation
   (:func:`pate.benchmark._task.evaluate_series`), warnings kept as
   :class:`~pate.cli._notes.Note` records;
4. the tidy rows are pivoted into the wide table, formatted, and the notes
   written once.

With the runner's flags (``--tidy``, ``--jobs``, ...) :mod:`pate.cli._runner`
takes over: the same task through :func:`pate.benchmark.evaluate`. Read more
in docs/cli.md.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

import pandas as pd

from pate.benchmark._evaluate import Progress, ResultRow, run_tasks, series_rows
from pate.benchmark._params import MetricRequest, metric_requests
from pate.benchmark._task import SeriesResult
from pate.cli import _runner
from pate.cli._common import EXIT_DATA, EXIT_OK, UsageError
from pate.cli._html_report import check_report_target, command_line, write_html_report
from pate.cli._input import csv_sources
from pate.cli._notes import Note, write_notes
from pate.cli._options import (
    AUTO,
    add_read_options,
    add_strict_option,
    buffer_size,
    contamination_value,
    resolve_options,
    threshold_value,
)
from pate.cli._output import FORMATS, format_rows, output_format, wide_rows, write_output
from pate.cli._report import leaderboards_of_rows

__all__ = ["add_parser", "run"]


# ----------------------------------------------------------------- parser
def add_parser(sub: Any) -> argparse.ArgumentParser:
    """Add the ``evaluate`` sub-command to the ``pate`` parser; returns it for other flags."""
    ev = sub.add_parser(
        "evaluate",
        help="evaluate score columns of CSV files against a label column",
        description=(
            "Evaluate each score column of each CSV file (.csv, compressed or not, a directory searched "
            "recursively for them, or - for standard input) against the label column; one output row per "
            "file and score column."
        ),
    )
    ev.add_argument("paths", nargs="*", metavar="FILE_OR_DIR")
    data = ev.add_argument_group("input")
    data.add_argument("--label", default="label", help="label column, 0/1 (default: label)")
    add_strict_option(data)
    data.add_argument(
        "--score",
        help="comma-separated score columns (default: every numeric column except the label, "
        "'value' and an index/timestamp column)",
    )
    add_read_options(data)
    data.add_argument(
        "--intervals",
        metavar="FILE",
        help="anomaly intervals instead of a label column: NAB's combined_windows.json layout (series key -> list "
        "of [start, end]; keys matched to files by relative path or file name) or a CSV of series,start,end; both "
        "ends included (docs/events.md)",
    )
    data.add_argument(
        "--time-column",
        metavar="COL",
        help="column of the times, read for --intervals and for options given as time spans (default: the one "
        "column called timestamp, time, date, datetime or ts)",
    )
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
        "--threshold, --thresholds or --contamination unless the score column is 0/1)",
    )
    metrics.add_argument(
        "--early-buffer",
        type=buffer_size,
        help="early_buffer option of the metrics that take it: a number of points, 'auto' for the "
        "period of each file's value column (pate.suggest_buffer_size; reported in the output), or a time "
        "span such as 30min (read through the time column)",
    )
    metrics.add_argument(
        "--delay-buffer",
        type=buffer_size,
        help="delay_buffer option, likewise (a number of points, 'auto' or a time span)",
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
        "nan, zero (0.0), or warn: 0.0 with a warning (the default; docs/undefined.md)",
    )
    strategy = ev.add_argument_group("thresholding (binary metrics on non-binary scores; one of)")
    strategy.add_argument(
        "--threshold",
        type=threshold_value,
        metavar="X|best",
        help="predict score >= X; 'best': the best F1 over TSB-AD's threshold grid (point_f1, pa_f1, event_f1, "
        "range_f1_tsb, affiliation_f1)",
    )
    strategy.add_argument(
        "--thresholds",
        metavar="FILE.json",
        help="one threshold per score column: NAB's config/thresholds.json ({detector: {profile: {threshold: X}}}, "
        "with --profile) or {column: X}",
    )
    strategy.add_argument(
        "--profile",
        help="the profile read from NAB's layout in --thresholds (default: standard; also reward_low_FP_rate, "
        "reward_low_FN_rate)",
    )
    strategy.add_argument(
        "--contamination",
        type=contamination_value,
        metavar="R",
        help="predict the top ceil(R * n) scores of each file (0 < R < 1; ties with the last one included)",
    )
    out = ev.add_argument_group("output")
    out.add_argument(
        "--format", choices=FORMATS, help="output format (default: what the --output suffix says, else table)"
    )
    out.add_argument(
        "--output",
        help="write the result to this file instead of standard output (.csv, .json, .md or .txt; "
        "with --tidy also .csv.gz and .parquet results files)",
    )
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
    out.add_argument(
        "--report",
        metavar="PAGE.html",
        help="at the end, write one self-contained HTML page of the results (leaderboards, tests, pictures; "
        "as pate report does; needs pate-eval[report])",
    )
    _runner.add_arguments(ev)
    ev.set_defaults(run=run)
    return ev


# ------------------------------------------------------------ one series
def _file_error(result: SeriesResult, requests: list[MetricRequest]) -> tuple[str, bool] | None:
    """The first problem of a file, as ``pate evaluate`` words it, and whether it is a usage error."""
    if result.error is not None:
        return result.error.reason, False
    for row in result.rows:
        if row.error is None:
            continue
        name = requests[row.request].name
        if row.error.kind == "predictions":
            return (
                f"metric {name!r} needs binary predictions, but column {row.detector!r} is not 0/1: "
                "pass --threshold X (prediction = score >= X), --thresholds FILE.json or --contamination R.",
                True,
            )
        if row.error.kind == "thresholds":
            given = requests[row.request].threshold
            named = list(given) if isinstance(given, dict) else []
            listed = ", ".join(map(repr, named[:8])) + (f" and {len(named) - 8} more" if len(named) > 8 else "")
            return (
                f"column {row.detector!r} has no threshold in --thresholds (it names {listed}): add one, or choose "
                "the columns with --score.",
                True,
            )
        if row.error.kind == "metric":
            return f"column {row.detector!r}, {row.error.reason}", False
        return row.error.reason, False
    return None


def _file_notes(result: SeriesResult, requests: list[MetricRequest], file: str) -> list[Note]:
    """What the file's evaluation says besides its values: text columns left out, automatic buffers, warnings."""
    notes = [
        Note("note", "not numbers, not evaluated (name it with --score to see why)", file, column)
        for column in result.ignored
    ]
    notes += [Note("note", text, file) for text in result.notes]
    notes += [
        Note("warning", w.message, file, w.detector, requests[w.request].name, w.category.__name__)
        for w in result.warnings
    ]
    return notes


# -------------------------------------------------------------------- run
def run(args: argparse.Namespace, err: Any) -> int:
    """Run ``pate evaluate``; returns the exit status."""
    if _runner.wanted(args):
        if AUTO in (args.early_buffer, args.delay_buffer):
            raise UsageError(
                "--early-buffer/--delay-buffer auto choose the buffers per file in the plain run; "
                "with the runner's flags (--tidy, --jobs, ...) give a number of points."
            )
        return _runner.run(args, err)
    if not args.paths:
        raise UsageError("the following arguments are required: FILE_OR_DIR (or --labels DIR --scores DIR).")
    args.format = output_format(args.output, args.format, tidy_hint=True)
    options = resolve_options(args)
    if args.compare and args.format in ("csv", "json") and not args.output:
        raise UsageError(
            f"--compare prints leaderboards after the table; with --format {args.format} give "
            "--output FILE for the table (or run pate compare on the CSV)."
        )
    if args.report:
        check_report_target(args.report, "--report", tuple(args.paths))
    notes = list(options.notes)
    try:
        requests = metric_requests(options.metric_specs())
    except (TypeError, ValueError) as exc:  # pragma: no cover - the options were checked above
        raise UsageError(str(exc)) from None
    sources, shown = csv_sources(args.paths, args, options, notes)
    tidy: list[ResultRow] = []
    extra: dict[str, dict[str, int]] = {}
    constants: dict[tuple[str, str], bool] = {}  # (series, detector): the wide table's constant column
    failures = 0
    bar = Progress(False if args.quiet else None, len(sources))
    try:
        for result in run_tasks(((source, frozenset()) for source in sources), requests):
            bar.advance()
            file = shown[result.name]
            problem = _file_error(result, requests)
            if problem is not None:
                message, usage = problem
                if usage and not args.keep_going:
                    raise UsageError(f"{file}: {message}")
                failures += 1
                err.write(f"pate: error: {file}: {message}\n")
                if not args.keep_going:
                    err.write("pate: stopped (use --keep-going to evaluate the other files).\n")
                    return EXIT_DATA
                continue
            tidy.extend(series_rows(result, requests, "raise"))
            extra[result.name] = {o: result.options[o] for o in options.auto_buffers}
            notes.extend(_file_notes(result, requests, file))
            constants.update({(result.name, d): flag for d, flag in result.constant.items()})
    finally:
        bar.close()
        write_notes(err, notes)
    names = [m.name for m in options.metrics]
    rows = wide_rows(((r.series, r.detector, r.metric, r.value) for r in tidy), names, extra, constants)
    columns = ["series", "score", *options.auto_buffers, *names, "constant"]
    write_output(format_rows(rows, columns, args.format), args.output, sys.stdout)
    if args.compare:  # constant score columns are trivial references: the leaderboard marks them
        sys.stdout.write(leaderboards_of_rows(rows, names, args.format, err))
    status = EXIT_OK
    if args.report:
        status = _report(tidy, constants, sources, args, err)
    if failures:
        err.write(f"pate: {failures} of {len(sources)} file(s) could not be evaluated.\n")
        return EXIT_DATA
    return status


def _report(
    tidy: list[ResultRow], constant: dict[tuple[str, str], bool], sources: list[Any], args: argparse.Namespace, err: Any
) -> int:
    """``--report``: the page of the tidy rows, constant columns marked, the files as its series."""
    table = pd.DataFrame(
        [
            (r.series, r.detector, r.metric, r.value, r.params, constant.get((r.series, r.detector), False))
            for r in tidy
        ],
        columns=["series", "detector", "metric", "value", "params", "constant"],
    )
    if table.empty:
        err.write("pate: error: --report: no file could be evaluated, so there is nothing to report.\n")
        return EXIT_DATA
    return write_html_report(table, args.report, err, command=command_line(args), series=sources)
