"""``pate report``: one self-contained HTML page of a results file.

Reads any results file ``pate compare`` reads (the CSV of ``pate evaluate``,
a tidy table, parquet; ``-`` for standard input) and writes the page of
:func:`pate.report.write_report`: what was evaluated, leaderboards with their
tests and critical-difference diagrams, the agreement between metrics,
detector x series heatmaps and, with ``--series``, the zones pictures where
the metrics disagree most. Read more in docs/report.md.
"""

from __future__ import annotations

import argparse
import io
from pathlib import Path
from typing import Any

from pate import compare
from pate.cli._common import EXIT_DATA, UsageError
from pate.cli._html_report import check_report_target, command_line, write_html_report
from pate.cli._input import check_results_file, stdin_bytes
from pate.cli._options import check_alpha

__all__ = ["add_parser", "run"]


def add_parser(sub: Any) -> None:
    """Add the ``report`` sub-command to the ``pate`` parser."""
    p = sub.add_parser(
        "report",
        help="write one self-contained HTML page of a results file (needs pate-eval[report])",
        description=(
            "Read a results file (the CSV of pate evaluate, a tidy series,detector,metric,value table or "
            "parquet; - for standard input) and write one HTML page: leaderboards, tests, critical-difference "
            "diagrams, agreement between metrics, heatmaps; with --series, zones pictures. The page needs no "
            "network and no JavaScript."
        ),
    )
    p.add_argument("results", metavar="RESULTS")
    p.add_argument("-o", "--output", default="report.html", help="the HTML file to write (default: report.html)")
    p.add_argument(
        "--metric",
        action="append",
        metavar="NAME[,NAME...]",
        help="metrics to show, in this order (repeatable or comma-separated; NAME[params] for one setting; "
        "default: every metric of the file)",
    )
    p.add_argument(
        "--series",
        nargs="+",
        metavar="FILES|DIR",
        help="the CSV files (or a directory of them) the results were computed from: zones pictures, and "
        "constant detectors flagged when the file has no constant column",
    )
    p.add_argument("--title", help="the page's title (default: pate report and the file's name)")
    p.add_argument("--alpha", type=float, default=0.05, help="level of the tests (default: 0.05)")
    p.add_argument("--lower-is-better", action="store_true", help="the metrics are errors or losses")
    p.set_defaults(run=run)


def _metrics(values: list[str] | None) -> list[str] | None:
    if values is None:
        return None
    names = [name.strip() for value in values for name in value.split(",") if name.strip()]
    if not names:
        raise UsageError("--metric: name at least one metric.")
    return names


def run(args: argparse.Namespace, err: Any) -> int:
    """Run ``pate report``; returns the exit status."""
    check_alpha(args.alpha)
    metrics = _metrics(args.metric)
    for path in args.series or ():
        if not Path(path).exists():
            raise UsageError(f"--series {path}: no such file or directory.")
    results: Any = args.results
    check_results_file(args.results)
    check_report_target(args.output, "--output", (args.results,))
    shown = "<stdin>" if args.results == "-" else args.results
    if args.results == "-":
        try:
            results = compare.read_results(io.BytesIO(stdin_bytes()))
        except (ValueError, TypeError, UnicodeDecodeError) as exc:
            err.write(f"pate: error: {shown}: {exc}\n")
            return EXIT_DATA
    return write_html_report(
        results,
        args.output,
        err,
        command=command_line(args),
        metrics=metrics,
        series=args.series,
        title=args.title,
        alpha=args.alpha,
        higher_is_better=not args.lower_is_better,
        shown=shown,
    )
