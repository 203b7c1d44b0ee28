"""``pate evaluate`` through :func:`pate.benchmark.evaluate`: tidy output, cores, clusters, resume.

The flags here (``--tidy``, ``--jobs``, ``--scheduler``, ``--labels`` /
``--scores``, ``--resume``, ``--chance``) hand the run to the benchmark runner, which runs
the same task on each series as the plain run (:mod:`pate.benchmark._task`).
Options, paths and output are checked by the command's own steps
(:func:`pate.cli._options.resolve_options`, :func:`pate.cli._input.csv_sources`).
Read more in docs/evaluate.md.
"""

from __future__ import annotations

import argparse
import sys
import warnings
from pathlib import Path
from typing import Any

import pandas as pd

from pate.benchmark import EvaluationInterrupted, SeriesError, evaluate, read_label_score_trees
from pate.benchmark._evaluate import WorkerLostError
from pate.benchmark._files import OutputLockedError
from pate.benchmark._results_io import results_format
from pate.cli._common import EXIT_DATA, EXIT_OK, UsageError
from pate.cli._html_report import check_report_target, command_line, write_html_report
from pate.cli._input import check_output_not_input, csv_sources
from pate.cli._notes import Note, write_notes
from pate.cli._options import resolve_options
from pate.cli._output import format_rows, output_format, wide_rows, write_output

__all__ = ["add_arguments", "wanted", "run"]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the runner's flags to ``pate evaluate``."""
    group = parser.add_argument_group("many series (runs through pate.benchmark.evaluate, docs/evaluate.md)")
    group.add_argument(
        "--tidy",
        action="store_true",
        help="long output: one row per series, detector and metric (columns series, detector, metric, value, params)",
    )
    group.add_argument(
        "--jobs", type=int, metavar="N", help="evaluate N series at a time in worker processes (-1: every core)"
    )
    group.add_argument(
        "--scheduler",
        choices=("dask",),
        help='run on a dask.distributed cluster (pip install "pate-eval[dask]"): the one at '
        "--scheduler-address, or a local one of --jobs workers",
    )
    group.add_argument("--scheduler-address", metavar="HOST:PORT", help="the dask scheduler to use")
    group.add_argument(
        "--labels",
        metavar="DIR",
        help="a directory of label files, one per series (<series>.npy|.txt|.csv); with --scores",
    )
    group.add_argument(
        "--scores", metavar="DIR", help="a directory <detector>/<series>.npy|.txt|.csv of scores; with --labels"
    )
    chance = parser.add_argument_group("chance levels (tidy output; docs/chance.md)")
    chance.add_argument(
        "--chance",
        type=int,
        metavar="N",
        help="also compute each value's chance level from N resamples of the scores (e.g. 999): columns "
        "expected, adjusted ((value - expected) / (1 - expected)) and pvalue; implies --tidy",
    )
    chance.add_argument(
        "--null",
        choices=("shift", "permutation"),
        default="shift",
        help="the resamples: circular shifts of the scores (default; every shift when N >= length - 1) or "
        "shuffles (metrics of scores only)",
    )
    chance.add_argument(
        "--seed",
        type=int,
        default=0,
        metavar="S",
        help="seed of the resamples (default: 0): the same command gives the same numbers, with any --jobs",
    )
    group.add_argument(
        "--resume",
        action="store_true",
        help="keep the rows already in --output (a .csv or .parquet results file) and compute only the missing ones",
    )


def wanted(args: argparse.Namespace) -> bool:
    """Whether a flag of the runner was given."""
    return bool(
        args.tidy
        or args.jobs is not None
        or args.scheduler
        or args.scheduler_address
        or args.labels
        or args.scores
        or args.resume
        or args.chance is not None
        or args.null != "shift"
    )


def _results_file(path: str | None) -> bool:
    """Whether ``--output`` names a results file (.csv, .csv.gz, .parquet) that the runner writes as it goes."""
    if path is None:
        return False
    try:
        results_format(Path(path))
    except ValueError:
        return False
    return True


def _check(args: argparse.Namespace) -> None:
    if args.chance is not None:
        if args.chance < 1:
            raise UsageError(f"--chance {args.chance}: the number of resamples must be at least 1 (e.g. 999).")
        args.tidy = True  # the chance columns belong to the tidy table
    elif args.null != "shift":
        raise UsageError("--null sets the resamples of --chance N; give --chance too.")
    if getattr(args, "compare", False):
        raise UsageError(
            "--compare works without the runner's flags; run pate compare on the --tidy output "
            "instead (pate compare RESULTS.csv)."
        )
    if args.scheduler_address and not args.scheduler:
        raise UsageError("--scheduler-address needs --scheduler dask.")
    if args.jobs is not None and args.jobs == 0:
        raise UsageError("--jobs must be a positive number of processes, or -1 for every core.")
    if bool(args.labels) != bool(args.scores):
        raise UsageError(
            "--labels and --scores go together: label files in one directory, "
            "<detector>/<series> score files in the other."
        )
    if args.labels and args.paths:
        raise UsageError("give either FILE_OR_DIR arguments or --labels DIR --scores DIR, not both.")
    if args.labels and getattr(args, "intervals", None):
        raise UsageError("--intervals labels CSV files through their time column; --labels DIR has its own labels.")
    if args.labels and args.score is not None:
        raise UsageError("--score names columns of CSV files; with --scores DIR every detector directory is used.")
    if not args.labels and not args.paths:
        raise UsageError("the following arguments are required: FILE_OR_DIR (or --labels DIR --scores DIR).")
    if args.output and args.output.lower().endswith(".parquet") and not args.tidy:
        raise UsageError(f"--output {args.output}: a parquet file holds the tidy table; add --tidy.")
    if args.resume:
        if not (args.tidy and _results_file(args.output)):
            raise UsageError("--resume continues a results file: give --tidy and --output FILE.csv or FILE.parquet.")
    if args.tidy and _results_file(args.output):
        if args.format not in (None, "csv"):
            raise UsageError(f"--output {args.output}: the file's suffix sets its format; drop --format {args.format}.")
    else:  # text: the suffix says which (or --format)
        args.format = output_format(args.output, args.format, tidy_hint=True)


def _scheduler(args: argparse.Namespace) -> Any:
    if not args.scheduler:
        return None
    if args.scheduler_address:
        address = args.scheduler_address
        return address if "://" in address else f"tcp://{address}"
    return "dask"


def run(args: argparse.Namespace, err: Any) -> int:
    """Run ``pate evaluate`` with the runner's flags; returns the exit status."""
    _check(args)
    options = resolve_options(args)
    notes = list(options.notes)
    sources: list[Any]
    if args.labels:
        try:
            sources = read_label_score_trees(args.labels, args.scores, label=options.label)
        except (FileNotFoundError, ValueError) as exc:
            raise UsageError(str(exc)) from None
        check_output_not_input(args.output, sources)
    else:
        sources, _ = csv_sources(args.paths, args, options, notes)
    if getattr(args, "report", None):
        check_report_target(args.report, "--report", tuple(args.paths))
    streamed = args.tidy and _results_file(args.output)
    keep_going = bool(args.keep_going)
    table = None
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            table = evaluate(
                sources,
                metrics=options.metric_specs(),
                n_jobs=args.jobs,
                scheduler=_scheduler(args),
                progress=False if args.quiet else None,
                on_error="record" if keep_going else "raise",
                label=options.label,
                output=args.output if streamed else None,
                resume=args.resume,
                chance=args.chance,
                null=args.null,
                random_state=args.seed if args.chance is not None else None,
            )
        notes.extend(Note("warning", str(w.message), category=w.category.__name__) for w in caught)
    except EvaluationInterrupted as exc:
        write_notes(err, notes)
        where = (
            f"{exc.rows} rows are in {exc.output}; run the same command with --resume to continue"
            if exc.output
            else "nothing was written (give --tidy --output FILE.csv|.parquet to keep partial results)"
        )
        err.write(f"pate: interrupted after {exc.series_done} series: {where}.\n")
        return 130
    except SeriesError as exc:
        write_notes(err, notes)
        err.write(f"pate: error: {exc}\n")
        if streamed:
            err.write(f"pate: the series done before it are in {args.output} (--resume continues).\n")
        err.write("pate: stopped (use --keep-going to record errors and evaluate the rest).\n")
        return EXIT_DATA
    except (OutputLockedError, WorkerLostError) as exc:
        write_notes(err, notes)
        err.write(f"pate: error: {exc}\n")
        return EXIT_DATA
    except ImportError as exc:
        raise UsageError(str(exc)) from None
    except ValueError as exc:  # a metric option the registry refuses, a bad scheduler address, a damaged --resume file
        raise UsageError(str(exc)) from None
    except OSError as exc:
        raise UsageError(f"cannot connect to or use the scheduler: {exc}") from None
    write_notes(err, notes)
    failures = 0
    if "error" in table.columns:
        errors = [e for e in table["error"] if e]
        failures = len(errors)
        for message in dict.fromkeys(errors):
            err.write(f"pate: error: {message}\n")
    if not streamed:
        if args.tidy:
            columns = list(table.columns)
            rows = table.to_dict("records")
            text = format_rows(rows, columns, args.format, text_columns=3)
        else:
            names = [m.name for m in options.metrics]
            constant = None
            if "constant" in table.columns:
                constant = {
                    (s, d): (None if pd.isna(c) else bool(c))
                    for s, d, c in zip(table["series"], table["detector"], table["constant"])
                }
            text = format_rows(
                wide_rows(
                    zip(table["series"], table["detector"], table["metric"], table["value"]), names, None, constant
                ),
                ["series", "score", *names, *(["constant"] if constant is not None else [])],
                args.format,
            )
        write_output(text, args.output, sys.stdout)
    status = EXIT_OK
    if getattr(args, "report", None):  # the series data give the zones pictures and the constant flags
        status = write_html_report(table, args.report, err, command=command_line(args), series=sources)
    if failures:
        err.write(f"pate: {failures} of {len(table)} row(s) could not be evaluated (see the error column).\n")
        return EXIT_DATA
    return status
