"""``pate compare``: leaderboard, Friedman test and post-hoc groups of a results file.

Reads a results file written by ``pate evaluate --format csv`` (one row per
file and score column) or a tidy results table (``series``, ``detector``,
``metric``, ``value``[, ``params``, ``constant``]); names stay strings (a
detector called ``null`` is not a missing value). Read more in docs/compare.md.
"""

from __future__ import annotations

import argparse
import io
import json
import math
import sys
import warnings
from pathlib import Path
from typing import Any

from pate.cli._common import EXIT_DATA, EXIT_OK, DataError, UsageError

__all__ = ["add_parser", "run", "report", "constant_columns"]

_TEST_NAMES = {"wilcoxon-holm": "Wilcoxon signed-rank, Holm", "nemenyi": "Nemenyi"}
_TABLE_COLUMNS = ("mean", "std", "median", "ci_low", "ci_high", "average_rank", "wins", "n_series", "constant")


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
    p.add_argument("--metric", help="the metric to compare (default: the file's only metric, else pate)")
    p.add_argument("--params", help="the metric's params string when the file holds it at several options")
    p.add_argument(
        "--test",
        choices=tuple(_TEST_NAMES),
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
    p.add_argument("--lower-is-better", action="store_true", help="the metric is an error or a loss")
    p.add_argument("--format", choices=("table", "csv", "json", "markdown"), default="table")
    p.add_argument("--plot", metavar="PATH", help="write the critical-difference diagram (.svg, .png or .pdf)")
    p.add_argument("--output", help="write the report to this file instead of standard output")
    p.set_defaults(run=run)


def constant_columns(frame: Any, columns: list[str]) -> dict[str, bool]:
    """Whether each score column of a frame is constant (a trivial reference detector)."""
    import numpy as np
    import pandas as pd

    out = {}
    for col in columns:
        values = pd.to_numeric(frame[col], errors="coerce").to_numpy(dtype=float)
        finite = values[np.isfinite(values)]
        out[col] = bool(finite.size == 0 or np.all(finite == finite[0]))
    return out


def _read(path: str):
    from pate.compare import read_results

    source: Any = sys.stdin if path == "-" else path
    if path != "-" and not Path(path).is_file():
        raise UsageError(f"{path}: no such file.")
    try:
        return read_results(source)
    except (ValueError, TypeError, OSError, UnicodeDecodeError) as exc:
        raise DataError(str(exc).replace("\n", " ")) from None


def _default_metric(results) -> str | None:
    metrics = list(dict.fromkeys(results["metric"]))
    if len(metrics) == 1:
        return None
    if "pate" in metrics:
        return "pate"
    raise UsageError(f"the results hold several metrics ({', '.join(metrics)}): choose one with --metric.")


def _ordinal(n: int) -> str:
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


def _cell(value: Any, fmt: str) -> str:
    if isinstance(value, bool) or value is None:
        return "" if value is None else str(value).lower()
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        return repr(value) if fmt == "csv" else f"{value:.4f}"
    try:
        import pandas as pd

        if value is pd.NA:
            return ""
    except ImportError:  # pragma: no cover
        pass
    return str(value)


def _board_rows(board) -> list[list[Any]]:
    rows = []
    for detector, row in board.iterrows():
        cells = [detector]
        for col in _TABLE_COLUMNS:
            v = row[col]
            if col in ("wins", "n_series"):
                v = int(v)
            elif col == "constant":
                v = None if v is None or str(v) == "<NA>" else bool(v)
            else:
                v = float(v)
            cells.append(v)
        rows.append(cells)
    return rows


def _text_table(header: list[str], rows: list[list[Any]], fmt: str) -> str:
    table = [[_cell(v, fmt) for v in r] for r in rows]
    if fmt == "markdown":
        lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
        lines += ["| " + " | ".join(t) + " |" for t in table]
        return "\n".join(lines) + "\n"
    widths = [max(len(h), *(len(t[i]) for t in table)) for i, h in enumerate(header)]

    def line(values):
        return "  ".join(v.ljust(w) if i == 0 else v.rjust(w) for i, (v, w) in enumerate(zip(values, widths))).rstrip()

    return "\n".join([line(header)] + [line(t) for t in table]) + "\n"


def report(
    results,
    *,
    metric: str | None,
    params: str | None = None,
    test: str = "wilcoxon-holm",
    alpha: float = 0.05,
    missing: str = "raise",
    higher_is_better: bool = True,
    fmt: str = "table",
    err=None,
    full: bool = True,
) -> tuple[str, Any]:
    """The report text of one metric, and the leaderboard; warns on ``err`` about trivial detectors.

    ``full=False`` gives the leaderboard only (``pate evaluate --compare``).
    """
    from pate.compare import friedman_test, leaderboard, nemenyi_test, wilcoxon_holm_test

    err = err or sys.stderr
    kwargs = dict(metric=metric, params=params, missing=missing, higher_is_better=higher_is_better)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        board = leaderboard(results, random_state=0, **kwargs)
        if full:
            fried = friedman_test(results, **kwargs)
            post = (nemenyi_test if test == "nemenyi" else wilcoxon_holm_test)(results, alpha=alpha, **kwargs)
    for message in dict.fromkeys(str(w.message) for w in caught):
        err.write(f"pate: warning: {message}\n")
    name = board.attrs["metric"] + (f"[{board.attrs['params']}]" if board.attrs["params"] else "")
    dropped = board.attrs["dropped_series"]
    k = len(board)
    if board["constant"].isna().all():
        # A table without the column (e.g. `pate evaluate --format csv`) cannot tell: say so, never guess.
        err.write(
            f"pate: note: {name}: the results table has no 'constant' column, so trivial constant detectors "
            "cannot be flagged (pate evaluate --compare marks them, and so does a True/False constant column; "
            "see docs/compare.md).\n"
        )
    constant = board["constant"].fillna(False).astype(bool)
    for place, (detector, flag) in enumerate(zip(board.index, constant), start=1):
        if place <= 3 and flag:
            err.write(
                f"pate: warning: detector {detector!r} ranks {_ordinal(place)} of {k} under {name}, but its scores "
                "are constant on most series: it is a trivial reference, not a detector (see docs/compare.md).\n"
            )
    direction = "higher is better" if board.attrs["higher_is_better"] else "lower is better"
    header = ["detector", *_TABLE_COLUMNS]
    rows = _board_rows(board)
    if fmt == "json":
        doc: dict[str, Any] = {
            "metric": board.attrs["metric"],
            "params": board.attrs["params"],
            "higher_is_better": board.attrs["higher_is_better"],
            "n_series": board.attrs["n_series"],
            "dropped_series": list(dropped),
            "leaderboard": [
                {h: (None if isinstance(v, float) and math.isnan(v) else v) for h, v in zip(header, r)} for r in rows
            ],
        }
        if full:
            doc["friedman"] = {f: _json_float(getattr(fried, f)) for f in fried.__dataclass_fields__}
            doc["test"] = {"name": test, "alpha": alpha, "groups": post.groups}
            if test == "nemenyi":
                doc["test"]["critical_difference"] = post.critical_difference
        return json.dumps(doc, indent=2) + "\n", board
    if fmt == "csv":
        return _csv(header, rows), board
    lines = [
        f"metric {name} ({direction}): {board.attrs['n_series']} series, {k} detectors; "
        f"dropped series: {', '.join(dropped) if dropped else 'none'}",
        "",
        _text_table(header, rows, fmt).rstrip("\n"),
    ]
    if full:
        lines += ["", _friedman_line(fried), "", _groups_text(post, test, alpha, fmt)]
    return "\n".join(lines) + "\n", board


def _json_float(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None if math.isnan(value) else ("inf" if value > 0 else "-inf")
    return value


def _csv(header: list[str], rows: list[list[Any]]) -> str:
    import csv

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for r in rows:
        writer.writerow([_cell(v, "csv") for v in r])
    return out.getvalue()


def _friedman_line(fried) -> str:
    return (
        f"Friedman: chi2 = {fried.statistic:.4g}, p = {fried.pvalue:.3g}; Iman-Davenport F = "
        f"{fried.iman_davenport_statistic:.4g}, p = {fried.iman_davenport_pvalue:.3g} "
        f"(N = {fried.n_series} series, k = {fried.n_detectors} detectors)"
    )


def _groups_text(post, test: str, alpha: float, fmt: str) -> str:
    title = f"Groups not significantly different ({_TEST_NAMES[test]}, alpha = {alpha:g}"
    if test == "nemenyi":
        title += f", critical difference = {post.critical_difference:.4g}"
    title += "):"
    bullet = "- " if fmt == "markdown" else "  "
    if not post.groups:
        return title + f"\n{bullet}none: every pair of neighbours in rank order differs significantly"
    return "\n".join([title] + [f"{bullet}{', '.join(g)}" for g in post.groups])


def run(args: argparse.Namespace, err) -> int:
    """Run ``pate compare``; returns the exit status."""
    if not 0 < args.alpha < 1:
        raise UsageError(f"--alpha {args.alpha}: must lie strictly between 0 and 1.")
    if args.plot and Path(args.plot).suffix.lower() not in (".svg", ".png", ".pdf"):
        raise UsageError(f"--plot {args.plot}: the file name must end in .svg, .png or .pdf.")
    shown = "<stdin>" if args.results == "-" else args.results
    try:
        results = _read(args.results)
        metric = args.metric if args.metric is not None else _default_metric(results)
        text, _ = report(
            results,
            metric=metric,
            params=args.params,
            test=args.test,
            alpha=args.alpha,
            missing=args.missing,
            higher_is_better=not args.lower_is_better,
            fmt=args.format,
            err=err,
        )
    except DataError as exc:
        err.write(f"pate: error: {shown}: {exc}\n")
        return EXIT_DATA
    except ValueError as exc:
        message = str(exc).replace("pass missing='drop-series'", "pass --missing drop-series")
        err.write(f"pate: error: {shown}: {message}\n")
        return EXIT_DATA
    if args.plot:
        try:
            _plot(results, metric, args)
        except ImportError as exc:
            err.write(f"pate: error: {exc}\n")
            return EXIT_DATA
    if args.output:
        Path(args.output).write_text(text)
    else:
        sys.stdout.write(text)
    return EXIT_OK


def _plot(results, metric: str | None, args: argparse.Namespace) -> None:
    from pate.compare import critical_difference_diagram

    with warnings.catch_warnings():  # already reported with the table
        warnings.simplefilter("ignore")
        display = critical_difference_diagram(
            results,
            metric=metric,
            params=args.params,
            test=args.test,
            alpha=args.alpha,
            missing=args.missing,
            higher_is_better=not args.lower_is_better,
        )
    display.figure_.savefig(args.plot, bbox_inches="tight")
    import matplotlib.pyplot as plt

    plt.close(display.figure_)


def leaderboards_of_rows(
    rows: list[dict[str, Any]], metrics: list[str], constants: dict[tuple[str, str], bool], fmt: str, err
) -> str:
    """``pate evaluate --compare``: the leaderboard of each metric over the evaluated files.

    ``rows`` are the per-file rows of ``pate evaluate`` (``file``, ``score``,
    one key per metric); ``constants`` marks constant score columns per (file, column).
    """
    import pandas as pd

    from pate.compare import results_from_wide

    fmt = "markdown" if fmt == "markdown" else "table"
    if not rows:
        return ""
    wide = pd.DataFrame(rows, columns=["file", "score", *metrics])
    wide["constant"] = [constants.get((f, s), False) for f, s in zip(wide["file"], wide["score"])]
    results = results_from_wide(wide)
    parts = []
    for metric in metrics:
        try:
            text, _ = report(results, metric=metric, missing="drop-series", fmt=fmt, err=err, full=False)
        except ValueError as exc:
            err.write(f"pate: warning: no leaderboard of {metric}: {exc}\n")
            continue
        parts.append(text)
    return "".join("\n" + p for p in parts)
