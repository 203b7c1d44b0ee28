"""``pate nab FILES|DIR``: NAB's scoreboard of the score columns of CSV files, one file per series.

Every score column is a detector, scored on every file with NAB's score
(:func:`pate.benchmark.nab_scoreboard`): at the thresholds of ``--thresholds``
(NAB's ``config/thresholds.json`` layout, or ``{detector: {profile: t}}``) or
at each detector's exactly optimal threshold per profile. The table is sorted
like NAB's README scoreboard; ``--format json`` writes NAB's
``results/final_results.json`` layout. Read more in docs/nab.md.
"""

from __future__ import annotations

import argparse
import json
import sys
import warnings
from types import SimpleNamespace
from typing import Any

from pate.benchmark import NabScoreboard, SeriesError, nab_scoreboard, read_nab_thresholds
from pate.cli._common import EXIT_DATA, EXIT_OK, UsageError
from pate.cli._input import csv_sources
from pate.cli._notes import Note, write_notes
from pate.cli._options import add_read_options, add_strict_option, check_read_options, split_names
from pate.cli._output import check_output_path, format_rows, write_output
from pate.metrics import NAB_PROFILES

__all__ = ["add_parser", "run"]

FORMATS = ("text", "json", "csv")


def add_parser(sub: Any) -> argparse.ArgumentParser:
    """Add the ``nab`` sub-command to the ``pate`` parser."""
    p = sub.add_parser(
        "nab",
        help="NAB's scoreboard (Numenta Anomaly Benchmark) of the score columns of many files",
        description=(
            "Score every score column of the CSV files (one file per series; a directory is searched "
            "recursively) with NAB's score, summed over all files and normalised: 100 perfect, 0 detecting "
            "nothing. Thresholds from --thresholds (NAB's config/thresholds.json), else each detector's exactly "
            "optimal threshold per profile. For NAB's own data: pate nab DATA/nab (its index.csv, not a series, is "
            "skipped with a note)."
        ),
    )
    p.add_argument("paths", nargs="+", metavar="FILE_OR_DIR")
    data = p.add_argument_group("input")
    data.add_argument("--label", default="label", help="label column, 0/1; each run of 1s is a window (default: label)")
    add_strict_option(data)
    data.add_argument(
        "--score",
        help="comma-separated score columns, the detectors (default: every numeric column except the label, "
        "'value' and an index/timestamp column)",
    )
    data.add_argument(
        "--value", default="value", help="column of the series' values, never a detector (default: value)"
    )
    add_read_options(data)
    score = p.add_argument_group("score")
    score.add_argument(
        "--thresholds",
        metavar="FILE.json",
        help="thresholds per detector and profile: NAB's config/thresholds.json layout or "
        "{detector: {profile: threshold}} (default: each detector's exactly optimal threshold)",
    )
    score.add_argument(
        "--profile",
        action="append",
        metavar="NAME[=A_TP,A_FP,A_FN]",
        help="a profile to score, repeatable: " + ", ".join(NAB_PROFILES) + ", or a name with custom weights "
        "(e.g. mine=1,0.5,1); default: NAB's three",
    )
    score.add_argument(
        "--probationary-percent",
        type=float,
        default=0.15,
        metavar="P",
        help="the first min(floor(P n), P 5000) points of each file are not scored (default: 0.15)",
    )
    out = p.add_argument_group("output")
    out.add_argument(
        "--format",
        choices=FORMATS,
        default="text",
        help="text: the scoreboard with the thresholds; json: {detector: {profile: score}} as NAB's "
        "final_results.json; csv: one row per detector and profile (default: text)",
    )
    out.add_argument("--output", help="write the scoreboard to this file instead of standard output")
    out.add_argument(
        "--save-thresholds",
        metavar="FILE.json",
        help="write the thresholds used, in NAB's config/thresholds.json layout (reusable with --thresholds)",
    )
    p.set_defaults(run=run)
    return p


def _profiles(given: list[str] | None) -> dict[str, Any]:
    if not given:
        return {name: name for name in NAB_PROFILES}
    out: dict[str, Any] = {}
    for text in given:
        name, _, weights = text.partition("=")
        name = name.strip()
        if not name:
            raise UsageError(f"--profile {text!r}: give a name (e.g. --profile standard or --profile mine=1,0.5,1).")
        if name in out:
            raise UsageError(f"--profile {name} is given twice.")
        if weights:
            parts = [w.strip() for w in weights.split(",")]
            try:
                out[name] = tuple(float(w) for w in parts)
            except ValueError:
                raise UsageError(f"--profile {text}: the weights must be three numbers A_tp,A_fp,A_fn.") from None
        else:
            out[name] = name
    return out


def _text(board: NabScoreboard, n_series: int) -> str:
    profiles = [str(p) for p in board.scores.columns]
    how = "at the thresholds given" if not board.optimised else "at each detector's exactly optimal threshold"
    head = (
        f"NAB scoreboard: {n_series} series, {board.n_windows} windows counted, {how}; "
        "100 is perfect, 0 detects nothing.\n\n"
    )
    rows = []
    for detector in board.scores.index:
        row: dict[str, Any] = {"detector": str(detector)}
        row.update({p: float(board.scores.at[detector, p]) for p in profiles})
        row.update({f"threshold {p}": f"{board.thresholds.at[detector, p]:.6g}" for p in profiles})
        rows.append(row)
    return head + format_rows(
        rows, ["detector", *profiles, *(f"threshold {p}" for p in profiles)], "table", text_columns=1, decimals=2
    )


def _csv(board: NabScoreboard) -> str:
    rows = [
        {
            "detector": str(d),
            "profile": str(p),
            "score": float(board.scores.at[d, p]),
            "raw": float(board.raw.at[d, p]),
            "threshold": float(board.thresholds.at[d, p]),
        }
        for d in board.scores.index
        for p in board.scores.columns
    ]
    return format_rows(rows, ["detector", "profile", "score", "raw", "threshold"], "csv")


def _json(board: NabScoreboard) -> str:
    scores = {d: {p: (None if v != v else v) for p, v in row.items()} for d, row in board.to_dict().items()}
    return json.dumps(scores, indent=4, sort_keys=True) + "\n"


def run(args: argparse.Namespace, err: Any) -> int:
    """Run ``pate nab``; returns the exit status."""
    args.sep = check_read_options(args.sep, args.encoding, args.decimal)
    check_output_path(args.output)
    check_output_path(args.save_thresholds, "--save-thresholds")
    profiles = _profiles(args.profile)
    thresholds = None
    if args.thresholds is not None:
        try:
            thresholds = read_nab_thresholds(args.thresholds)
        except OSError as exc:
            raise UsageError(f"--thresholds {args.thresholds}: cannot be read ({exc.strerror or exc}).") from None
        except ValueError as exc:
            raise UsageError(f"--thresholds {exc}") from None
    notes: list[Note] = []
    scores = split_names(args.score, "--score", notes) if args.score is not None else None
    options = SimpleNamespace(label=args.label, scores=scores, value_column=args.value, auto_buffers=())
    sources, _ = csv_sources(args.paths, args, options, notes)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            board = nab_scoreboard(
                sources, thresholds=thresholds, profiles=profiles, probationary_percent=args.probationary_percent
            )
    except SeriesError as exc:
        write_notes(err, notes)
        err.write(f"pate: error: {exc}\n")
        return EXIT_DATA
    except (TypeError, ValueError) as exc:  # a profile, threshold or probationary percent refused
        raise UsageError(str(exc)) from None
    notes.extend(Note("warning", str(w.message), category=w.category.__name__) for w in caught)
    write_notes(err, notes)
    if args.format == "json":
        text = _json(board)
    elif args.format == "csv":
        text = _csv(board)
    else:
        text = _text(board, len(sources))
    if args.save_thresholds is not None:
        write_output(
            json.dumps(board.thresholds_dict(), indent=4, sort_keys=True) + "\n",
            args.save_thresholds,
            sys.stdout,
            "--save-thresholds",
        )
    write_output(text, args.output, sys.stdout)
    return EXIT_OK
