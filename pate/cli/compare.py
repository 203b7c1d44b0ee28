"""``pate compare``: leaderboard, Friedman test and post-hoc groups of a results file.

Reads a results file written by ``pate evaluate --format csv`` (one row per
file and score column) or a tidy results table (``series``, ``detector``,
``metric``, ``value``[, ``params``, ``constant``]); names stay strings (a
detector called ``null`` is not a missing value). With ``--against NAME`` the
file's detectors are ranked among a published table's (``tsb-ad-u``,
``tsb-ad-m``). Read more in docs/compare.md and docs/published.md.
"""

from __future__ import annotations

import argparse
import difflib
import io
import sys
import warnings
from pathlib import Path
from typing import Any

from pate import compare
from pate.benchmark._files import atomic_write, same_file
from pate.cli._common import EXIT_DATA, EXIT_OK, DataError, UsageError
from pate.cli._input import check_results_file, stdin_bytes
from pate.cli._options import check_alpha
from pate.cli._output import check_output_path, output_format, write_output
from pate.cli._report import TEST_NAMES, report
from pate.plot import CriticalDifferenceDisplay

__all__ = ["add_parser", "run"]


def add_parser(sub: Any) -> None:
    """Add the ``compare`` sub-command to the ``pate`` parser."""
    p = sub.add_parser(
        "compare",
        help="rank detectors over many series: leaderboard, Friedman test, post-hoc groups",
        description=(
            "Read a results file (the CSV of pate evaluate, or a tidy series,detector,metric,value table; "
            "- for standard input) and print the leaderboard of one metric, Friedman's test and the groups "
            "of detectors that the post-hoc test does not separate."
        ),
    )
    p.add_argument("results", metavar="RESULTS.csv")
    p.add_argument(
        "--against",
        metavar="NAME",
        help="rank the file's detectors among a published table's, on its series: "
        + ", ".join(f"{info.name} ({info.title})" for info in compare.list_published())
        + "; the file's series are named by the published file names, with or without .csv",
    )
    p.add_argument("--metric", help="the metric to compare (default: the file's only metric, else pate)")
    p.add_argument("--params", help="the metric's params string when the file holds it at several options")
    p.add_argument(
        "--test",
        choices=tuple(TEST_NAMES),
        default="wilcoxon-holm",
        help="post-hoc test that forms the groups (default: wilcoxon-holm)",
    )
    p.add_argument("--alpha", type=float, default=0.05, help="level of the post-hoc test (default: 0.05)")
    p.add_argument(
        "--missing",
        choices=("raise", "drop-series"),
        default="raise",
        help="a missing (series, detector) value is an error (default) or drops its series",
    )
    p.add_argument(
        "--value",
        choices=("value", "adjusted", "expected"),
        default="value",
        help="what to rank: the metric's values (default), or from a run with chance levels (pate evaluate "
        "--chance N) the chance-adjusted values or the chance levels (docs/chance.md)",
    )
    p.add_argument("--lower-is-better", action="store_true", help="the metric is an error or a loss")
    p.add_argument(
        "--format",
        choices=("table", "csv", "json", "markdown"),
        help="report format (default: what the --output suffix says, else table)",
    )
    p.add_argument("--plot", metavar="PATH", help="write the critical-difference diagram (.svg, .png or .pdf)")
    p.add_argument("--output", help="write the report to this file instead of standard output")
    p.set_defaults(run=run)


def _read(path: str):
    source: Any = io.BytesIO(stdin_bytes()) if path == "-" else path  # standard input: bounded
    check_results_file(path)
    try:
        return compare.read_results(source)
    except (ValueError, TypeError, OSError, UnicodeDecodeError) as exc:
        raise DataError(str(exc).replace("\n", " ")) from None


def _default_metric(results) -> str | None:
    metrics = list(dict.fromkeys(results["metric"]))
    if len(metrics) == 1:
        return None
    if "pate" in metrics:
        return "pate"
    raise UsageError(f"the results hold several metrics ({', '.join(metrics)}): choose one with --metric.")


def run(args: argparse.Namespace, err) -> int:
    """Run ``pate compare``; returns the exit status."""
    check_alpha(args.alpha)
    if args.plot and Path(args.plot).suffix.lower() not in (".svg", ".png", ".pdf"):
        raise UsageError(f"--plot {args.plot}: the file name must end in .svg, .png or .pdf.")
    against = _check_against(args)
    # both files checked before the work, not after it
    check_output_path(args.plot, "--plot")
    check_output_path(args.output)
    args.format = output_format(args.output, args.format)
    for flag, path in (("--output", args.output), ("--plot", args.plot)):
        if path and args.results != "-" and same_file(path, args.results):
            raise UsageError(f"{flag} {path} is the results file being read; write elsewhere.")
    shown = "<stdin>" if args.results == "-" else args.results
    joined = None
    try:
        results = _read(args.results)
        if args.value != "value" and against is not None:
            raise UsageError(f"--against ranks by the published values; drop --value {args.value}.")
        if against is not None:
            joined = _join(results, against, args, err, shown)
            results, metric, params = joined.results, None, None
        else:
            metric = args.metric if args.metric is not None else _default_metric(results)
            params = args.params
        text, _ = report(
            results,
            metric=metric,
            params=params,
            test=args.test,
            alpha=args.alpha,
            missing=args.missing,
            higher_is_better=not args.lower_is_better,
            fmt=args.format,
            err=err,
            against=joined,
            value=args.value,
        )
    except DataError as exc:
        err.write(f"pate: error: {shown}: {exc}\n")
        return EXIT_DATA
    except ValueError as exc:
        err.write(f"pate: error: {shown}: {exc}\n")
        return EXIT_DATA
    if args.plot:
        try:
            _plot(results, metric, params, args, joined.yours if joined is not None else ())
        except ImportError as exc:
            err.write(f"pate: error: {exc}\n")
            return EXIT_DATA
    write_output(text, args.output, sys.stdout)
    return EXIT_OK


def _check_against(args: argparse.Namespace) -> str | None:
    """``--against NAME``: a published name, and no option that contradicts it (usage errors)."""
    if args.against is None:
        return None
    names = [info.name for info in compare.list_published()]
    if args.against not in names:
        close = difflib.get_close_matches(args.against.lower(), names, n=2, cutoff=0.6)
        hint = f" (did you mean {' or '.join(close)}?)" if close else ""
        raise UsageError(f"--against {args.against}: no such published table{hint}; choose {', '.join(names)}.")
    if args.lower_is_better:
        raise UsageError(f"--lower-is-better: {args.against}'s metric is higher-is-better; drop the option.")
    return str(args.against)


def _join(results: Any, against: str, args: argparse.Namespace, err: Any, shown: str) -> compare.PublishedJoin:
    """The file's table joined with the published one; the join's warnings as notes and warnings."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        joined = compare.join_published(results, against, metric=args.metric, params=args.params, missing=args.missing)
    for message in dict.fromkeys(str(w.message) for w in caught):
        kind = "note" if message.startswith("compared on the") else "warning"  # dropping was asked for
        err.write(f"pate: {kind}: {shown}: {message}\n")
    return joined


def _plot(
    results: Any, metric: str | None, params: str | None, args: argparse.Namespace, yours: tuple[str, ...]
) -> None:
    fmt = Path(args.plot).suffix.lower()[1:]
    with warnings.catch_warnings():  # already reported with the table
        warnings.simplefilter("ignore")
        display = CriticalDifferenceDisplay.from_results(
            compare.results_with_value(results, args.value),
            metric=metric,
            params=params,
            test=args.test,
            alpha=args.alpha,
            missing=args.missing,
            higher_is_better=not args.lower_is_better,
            highlight=yours,
        )
    atomic_write(args.plot, lambda tmp: display.figure_.savefig(tmp, bbox_inches="tight", format=fmt))
    import matplotlib.pyplot as plt  # matplotlib: the optional plot extra (the display above imported it)

    plt.close(display.figure_)
