"""``pate plot zones|curve``: draw a detector's zones or PATE curves from a CSV file.

    pate plot zones FILE --score COL [--threshold X] [--early-buffer N] [--delay-buffer N] -o out.png
    pate plot curve FILE --score COL [--early-buffer N] [--delay-buffer N] [--n-buffer-splits N] -o out.svg

The file is read as by ``pate evaluate`` (same errors, naming line and
column); the picture is :class:`pate.plot.ZonesDisplay` or
:class:`pate.plot.PateCurveDisplay`, written in the format the output's
suffix names (png, svg, pdf, ...). Needs the ``plot`` extra (matplotlib).
Read more in docs/cli.md.
"""

from __future__ import annotations

import argparse
import math
import warnings
from pathlib import Path
from typing import Any

from pate._optional import import_optional
from pate.benchmark._files import atomic_write
from pate.cli._common import EXIT_DATA, EXIT_OK, DataError, UsageError
from pate.cli._input import read_columns, read_time
from pate.plot import PateCurveDisplay, ZonesDisplay

__all__ = ["add_parser", "run"]


def add_parser(sub: Any) -> None:
    """Add the ``plot`` sub-command (with ``zones`` and ``curve``) to the ``pate`` parser."""
    p = sub.add_parser(
        "plot",
        help="draw a detector's PATE zones or curves from a CSV file (needs pate-eval[plot])",
        description="Draw a picture of one score column of a CSV file (.csv or .csv.gz).",
    )
    kinds = p.add_subparsers(dest="picture", metavar="PICTURE")
    kinds.required = True
    zones = kinds.add_parser(
        "zones",
        help="the series, its anomalies, the buffer zones and the detections at a threshold",
        description="Draw the score column over time with the labelled anomalies, PATE's early and "
        "delay buffer zones (their weight profile) and the detections at --threshold.",
    )
    curve = kinds.add_parser(
        "curve",
        help="PATE's precision-recall curve of every buffer pair, and the point-wise one",
        description="Draw PATE's precision-recall curve of every buffer pair of the grid with its area, "
        "next to the point-wise precision-recall curve.",
    )
    for q in (zones, curve):
        q.add_argument("path", metavar="FILE", help="CSV file (.csv, .csv.gz) with a label and a score column")
        q.add_argument("--score", required=True, metavar="COL", help="the score column to draw")
        q.add_argument("--label", default="label", metavar="COL", help="label column, 0/1 (default: label)")
        q.add_argument("--early-buffer", type=int, default=100, metavar="N", help="early buffer (default: 100)")
        q.add_argument("--delay-buffer", type=int, default=100, metavar="N", help="delay buffer (default: 100)")
        q.add_argument(
            "-o",
            "--output",
            required=True,
            metavar="PATH",
            help="picture to write; its suffix sets the format (png, svg, pdf, ...)",
        )
        q.add_argument("--title", help="name shown in the title and legend (default: the score column)")
        q.add_argument("--width", type=float, default=None, metavar="INCHES", help="figure width")
        q.add_argument("--height", type=float, default=None, metavar="INCHES", help="figure height")
        q.add_argument("--dpi", type=float, default=100, help="resolution of raster formats (default: 100)")
    zones.add_argument(
        "--threshold", type=float, help="detections are score >= THRESHOLD (default: the score itself when it is 0/1)"
    )
    zones.add_argument(
        "--start",
        metavar="ROW|TIME",
        help="first row drawn: a row position (0 is the first data row) or a time stamp of the file's "
        "timestamp column, or its beginning (2014-03-18); default: the first row",
    )
    zones.add_argument("--end", metavar="ROW|TIME", help="last row drawn, as --start; default: the last row")
    curve.add_argument("--n-buffer-splits", type=int, default=1, metavar="N", help="n_buffer_splits (default: 1)")
    curve.add_argument(
        "--n-thresholds",
        default="250",
        metavar="N",
        help="n_thresholds (an integer, or 'none' for the exact curve; default: 250)",
    )
    zones.set_defaults(run=run, size=(12.0, 4.0))
    curve.set_defaults(run=run, size=(6.4, 4.8))


def run(args: argparse.Namespace, err) -> int:
    """Run ``pate plot``; returns the exit status."""
    if not Path(args.path).is_file():
        raise UsageError(f"{args.path}: no such file.")
    _check_size(args)
    out = Path(args.output)
    if not out.suffix:
        raise UsageError(f"--output {args.output!r} has no suffix; name the format, e.g. {args.output}.png.")
    if not out.parent.is_dir():
        raise UsageError(f"--output {args.output!r}: directory {str(out.parent)!r} does not exist.")
    try:
        plt = import_optional("matplotlib.pyplot", extra="plot", feature="pate plot")
    except ImportError as exc:
        raise UsageError(str(exc)) from None
    try:
        labels, scores = read_columns(args.path, args.label, args.score)
    except DataError as exc:
        err.write(f"pate: error: {args.path}: {exc}\n")
        return EXIT_DATA
    time = read_time(args.path) if args.picture == "zones" else None
    span = _span(args, time, labels.size) if args.picture == "zones" else None

    width, height = args.size
    fig, ax = plt.subplots(figsize=(args.width or width, args.height or height))
    name = args.title if args.title is not None else args.score
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            if args.picture == "zones":
                ZonesDisplay.from_predictions(
                    labels,
                    scores,
                    early_buffer=args.early_buffer,
                    delay_buffer=args.delay_buffer,
                    threshold=args.threshold,
                    name=name,
                    time=time,
                    span=span,
                    ax=ax,
                )
            else:
                n_thr = None if args.n_thresholds.strip().lower() == "none" else _int(args.n_thresholds)
                PateCurveDisplay.from_predictions(
                    labels,
                    scores,
                    early_buffer=args.early_buffer,
                    delay_buffer=args.delay_buffer,
                    n_buffer_splits=args.n_buffer_splits,
                    n_thresholds=n_thr,
                    name=name,
                    ax=ax,
                )
        except (TypeError, ValueError) as exc:
            plt.close(fig)
            raise UsageError(str(exc)) from None
    for w in caught:
        err.write(f"pate: warning: {args.path} (column {args.score}): {w.message}\n")
    fig.tight_layout()
    try:
        fmt = out.suffix.lower()[1:]
        atomic_write(out, lambda tmp: fig.savefig(tmp, dpi=args.dpi, format=fmt))
    except ValueError as exc:  # an unknown format
        raise UsageError(f"--output {args.output!r}: {exc}") from None
    finally:
        plt.close(fig)
    return EXIT_OK


def _row(flag: str, text: str | None, time: Any, n: int, last: bool) -> int | None:
    """The row ``--start``/``--end`` names: a position, or the first (last) row whose time stamp starts so."""
    if text is None:
        return None
    if text.strip().lstrip("-").isdigit():
        row = int(text)
        if not 0 <= row < n:
            raise UsageError(f"{flag} {text}: the file has rows 0 to {n - 1}.")
        return row
    if time is None:
        raise UsageError(f"{flag} {text}: not a row number, and the file has no timestamp column to find it in.")
    hits = [i for i, stamp in enumerate(time) if str(stamp).startswith(text.strip())]
    if not hits:
        raise UsageError(f"{flag} {text}: no time stamp starts so (the first is {time[0]}, the last {time[-1]}).")
    return hits[-1] if last else hits[0]


def _span(args: argparse.Namespace, time: Any, n: int) -> tuple[int, int] | None:
    """``--start``/``--end`` as the rows to draw; None for the whole series."""
    start = _row("--start", args.start, time, n, last=False)
    end = _row("--end", args.end, time, n, last=True)
    if start is None and end is None:
        return None
    start, end = (0 if start is None else start), (n - 1 if end is None else end)
    if start > end:
        raise UsageError(f"--start {args.start} comes after --end {args.end} (rows {start} and {end}).")
    return start, end


#: Matplotlib's raster backend draws at most 2**16 pixels a side.
_MAX_PIXELS = 2**16 - 1


def _check_size(args: argparse.Namespace) -> None:
    """``--width``, ``--height`` and ``--dpi``: finite, positive and a picture matplotlib can draw."""
    width, height = args.size
    for flag, value in (("--width", args.width), ("--height", args.height)):
        if value is not None and not (math.isfinite(value) and 0 < value <= 200):
            raise UsageError(f"{flag} {value:g}: give the size in inches, more than 0 and at most 200.")
    if not (math.isfinite(args.dpi) and 1 <= args.dpi <= 2400):
        raise UsageError(f"--dpi {args.dpi:g}: give a resolution from 1 to 2400 dots per inch.")
    width, height = args.width or width, args.height or height
    largest = max(width, height) * args.dpi
    if largest > _MAX_PIXELS and Path(args.output).suffix.lower() not in (".svg", ".pdf", ".eps", ".ps"):
        raise UsageError(
            f"--width/--height {max(width, height):g} inches at --dpi {args.dpi:g} make {largest:,.0f} pixels a "
            f"side; a raster picture has at most {_MAX_PIXELS:,}: lower one of them (or write .svg or .pdf)."
        )


def _int(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise UsageError(f"--n-thresholds {text!r}: expected an integer or 'none'.") from None
