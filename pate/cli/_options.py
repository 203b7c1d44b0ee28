"""Command-line metric options: parse ``NAME=VALUE``, route each to the metrics that take it.

Everything here runs before any file is read, so a bad option costs no
work: names are checked against the registry, values against each metric's
declared options (:meth:`pate.metrics.MetricInfo.check_options`: the
metric's own check, without running it).
"""

from __future__ import annotations

import argparse
import ast
import codecs
from dataclasses import dataclass, field
from typing import Any, Sequence

from pate._time import is_time_span, span_ns
from pate.benchmark._params import AUTO, AUTO_OPTIONS, BEST_F1_BY_GRID
from pate.benchmark._thresholds import read_thresholds
from pate.cli._common import UsageError
from pate.cli._notes import Note
from pate.cli._output import check_output_path
from pate.metrics import get_metric_info

__all__ = [
    "EvaluateOptions",
    "AUTO",
    "buffer_size",
    "parse_value",
    "split_names",
    "resolve_options",
    "resolve_metric_options",
    "add_read_options",
    "add_strict_option",
    "check_read_options",
    "check_alpha",
    "threshold_value",
    "contamination_value",
]

_WORDS = {"true": True, "false": False, "none": None, "null": None}
_UNDEFINED = {"nan": "nan", "zero": 0.0, "warn": "warn"}


@dataclass(frozen=True)
class EvaluateOptions:
    """What ``pate evaluate`` needs to evaluate one table (files are read elsewhere)."""

    label: str
    scores: list[str] | None
    metrics: list[Any]  # MetricInfo, in the order given
    metric_options: dict[str, dict[str, Any]]
    threshold: float | str | dict[str, float] | None  # --threshold X|best, or --thresholds FILE per column
    notes: list[Note] = field(default_factory=list)
    auto_buffers: tuple[str, ...] = ()  # "early_buffer" / "delay_buffer" chosen per file from the values
    value_column: str = "value"  # the series' values, for the automatic buffers
    time_spans: bool = False  # an option is a time span ("30min"): the files' times are read
    contamination: float | None = None  # --contamination R

    def metric_specs(self) -> list[tuple[str, dict[str, Any]]]:
        """``(name, options)`` of each metric as :func:`pate.benchmark.metric_requests` takes them.

        ``--threshold``, ``--thresholds`` or ``--contamination`` is the
        thresholding strategy of the binary metrics; ``--early-buffer auto``
        the per-series strategy of the metrics that take ``early_buffer``.
        """
        specs = []
        for info in self.metrics:
            options = dict(self.metric_options[info.name])
            options.update({o: AUTO for o in self.auto_buffers if o in info.params})
            if info.input == "binary" and self.threshold is not None:
                options["threshold"] = self.threshold
            if info.input == "binary" and self.contamination is not None:
                options["contamination"] = self.contamination
            specs.append((info.name, options))
        return specs


def buffer_size(text: str) -> int | str:
    """``--early-buffer`` / ``--delay-buffer``: an integer >= 0, ``auto``, or a time span such as ``30min``.

    >>> buffer_size("12"), buffer_size("auto"), buffer_size("30min")
    (12, 'auto', '30min')
    """
    if text.strip().lower() == AUTO:
        return AUTO
    try:
        value = int(text)
    except ValueError:
        try:
            span_ns(text.strip(), "buffer")
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"{text!r} is not a whole number of points, 'auto' or a time span such as '30min'"
            ) from None
        return text.strip()
    if value < 0:
        raise argparse.ArgumentTypeError(f"{text!r}: a buffer cannot be negative")
    return value


def threshold_value(text: str) -> float | str:
    """``--threshold``: a finite number, or ``best``."""
    if text.strip().lower() == "best":
        return "best"
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number or 'best'") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise argparse.ArgumentTypeError(f"{text!r}: a threshold is a finite number")
    return value


def contamination_value(text: str) -> float:
    """``--contamination``: a number strictly between 0 and 1."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not 0 < value < 1:
        raise argparse.ArgumentTypeError(f"{text!r}: the share of points predicted lies strictly between 0 and 1")
    return value


def _strategy(args: argparse.Namespace, metrics: Sequence[Any]) -> tuple[Any, float | None]:
    """The thresholding strategy of the command line: (threshold, contamination), checked (usage errors)."""
    threshold = getattr(args, "threshold", None)
    thresholds = getattr(args, "thresholds", None)
    contamination = getattr(args, "contamination", None)
    profile = getattr(args, "profile", None)
    given = [
        f
        for f, v in (("--threshold", threshold), ("--thresholds", thresholds), ("--contamination", contamination))
        if v is not None
    ]
    if len(given) > 1:
        raise UsageError(f"{' and '.join(given)}: give one thresholding strategy.")
    if profile is not None and thresholds is None:
        raise UsageError(f"--profile {profile}: the profile is read from a --thresholds file in NAB's layout.")
    if not given:
        return None, None
    listed = ", ".join(m.name for m in metrics)
    if not any(m.input == "binary" for m in metrics):
        # never ignored silently: a strategy turns scores into predictions, which no score metric takes
        shown = {"--threshold": threshold, "--thresholds": thresholds, "--contamination": contamination}[given[0]]
        shown = f"{shown:g}" if isinstance(shown, float) else shown
        verb = "takes" if len(metrics) == 1 else "take"
        raise UsageError(
            f"{given[0]} {shown}: no selected metric takes binary predictions ({listed} {verb} "
            f"scores); drop {given[0]} or add a binary metric such as --metric pate,pate_f1."
        )
    if threshold == "best":
        without = [m.name for m in metrics if m.input == "binary" and m.name not in BEST_F1_BY_GRID]
        if without:
            raise UsageError(
                f"--threshold best: {', '.join(without)} {'has' if len(without) == 1 else 'have'} no best-F1 "
                f"metric in the registry (those that do: {', '.join(BEST_F1_BY_GRID)}); give --threshold X, "
                "--thresholds FILE.json or --contamination R."
            )
    if thresholds is not None:
        try:
            return read_thresholds(thresholds, profile=profile), None
        except ValueError as exc:
            raise UsageError(f"--thresholds {exc}") from None
    return threshold, contamination


def parse_value(text: str) -> Any:
    """An option value: a Python literal (``ast.literal_eval``), ``true``/``false``/``none``, else the string.

    Examples
    --------
    >>> [parse_value(v) for v in ["100", "0.5", "none", "True", "(1, 2)", "'flat'", "flat", "2**70"]]
    [100, 0.5, None, True, (1, 2), 'flat', 'flat', '2**70']
    """
    stripped = text.strip()
    if stripped.lower() in _WORDS:
        return _WORDS[stripped.lower()]
    try:
        return ast.literal_eval(stripped)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return stripped


def split_names(text: str, flag: str, notes: list[Note]) -> list[str]:
    """Comma-separated names, empty ones dropped, duplicates kept once with a note.

    Examples
    --------
    >>> notes = []
    >>> split_names("pate, pate_f1,pate", "--metric", notes), notes[0].message
    (['pate', 'pate_f1'], "--metric names 'pate' more than once; it is evaluated once.")
    """
    names: list[str] = []
    for part in text.split(","):
        name = part.strip()
        if not name:
            continue
        if name in names:
            message = f"{flag} names {name!r} more than once; it is evaluated once."
            if not any(n.message == message for n in notes):
                notes.append(Note("note", message))
            continue
        names.append(name)
    if not names:
        raise UsageError(f"{flag} is empty: name at least one.")
    return names


def resolve_metric_options(
    metrics: Sequence[Any], given: dict[str, tuple[str, Any]], notes: list[Note]
) -> dict[str, dict[str, Any]]:
    """Route each option to the metrics that accept it, then check them against the declarations.

    ``given`` maps an option name to (the flag it came from, its value).
    ``None`` (``--n-thresholds none``) goes only to metrics whose declaration
    accepts ``None``; the others keep their default and a note says so. An
    option no selected metric accepts, or a value a metric's declaration
    does not allow, is a usage error; no metric runs here.
    """
    names = ", ".join(m.name for m in metrics)
    per_metric: dict[str, dict[str, Any]] = {m.name: {} for m in metrics}
    for option, (flag, value) in given.items():
        takers = [m for m in metrics if option in m.params]
        if not takers:
            raise UsageError(
                f"{flag}: option {option!r} is not accepted by any selected metric ({names}); "
                "`pate metrics NAME` lists a metric's options."
            )
        if value is None:
            left = [m.name for m in takers if not m.options[option].accepts_none]
            takers = [m for m in takers if m.options[option].accepts_none]
            if not takers:
                raise UsageError(f"{flag}: none of the selected metrics ({names}) accepts {option}=None.")
            if left:
                notes.append(
                    Note(
                        "note",
                        f"{flag} none applies to {', '.join(m.name for m in takers)}; "
                        f"{', '.join(left)} keep{'s' if len(left) == 1 else ''} "
                        f"the default {option}.",
                    )
                )
        for m in takers:
            per_metric[m.name][option] = value
    for info in metrics:
        try:
            info.check_options(per_metric[info.name])
        except (TypeError, ValueError, ImportError, RuntimeError) as exc:
            raise UsageError(str(exc)) from None
    return per_metric


def add_read_options(group: Any) -> None:
    """Add ``--sep``, ``--encoding`` and ``--decimal`` (checked by :func:`check_read_options`) to a parser or group."""
    group.add_argument("--sep", help="field separator (default: detected from the header: , ; tab or |)")
    group.add_argument("--encoding", help="text encoding (default: UTF-8, or UTF-16 with a byte-order mark)")
    group.add_argument("--decimal", default=".", help="decimal mark of the numbers (default: .)")


def add_strict_option(group: Any) -> None:
    """Add ``--strict``: a CSV found in a directory without the label column fails instead of being skipped."""
    group.add_argument(
        "--strict",
        action="store_true",
        help="a CSV file found in a directory without the label column (NAB's index.csv) is an error "
        "(default: skipped with a note naming it)",
    )


def check_read_options(sep: str | None, encoding: str | None, decimal: str) -> str | None:
    """``--sep``, ``--encoding`` and ``--decimal`` checked up front; returns the separator (``\\t`` unescaped)."""
    if sep is not None:
        sep = {"\\t": "\t", "tab": "\t", "TAB": "\t"}.get(sep, sep)
        if len(sep) != 1:
            raise UsageError(f"--sep {shorten(sep)}: give one character, e.g. --sep ';' or --sep tab.")
    if encoding is not None:
        check_encoding(encoding)
    if sep is not None and sep == decimal:
        default = ", the default" if decimal == "." else ""
        raise UsageError(
            f"--sep {sep!r} is also the decimal mark (--decimal {decimal!r}{default}): give another separator, "
            "or another decimal mark (e.g. --decimal ,)."
        )
    if len(decimal) != 1:
        raise UsageError(f"--decimal {shorten(decimal)}: give one character, e.g. --decimal ,")
    return sep


def check_alpha(alpha: float) -> None:
    """A usage error unless ``--alpha`` (the level of the tests) lies strictly between 0 and 1."""
    if not 0 < alpha < 1:
        raise UsageError(f"--alpha {alpha}: must lie strictly between 0 and 1.")


def check_encoding(encoding: str, flag: str = "--encoding") -> None:
    """A usage error unless ``encoding`` names a text encoding (not rot13, hex, zlib, base64...)."""
    try:
        info = codecs.lookup(encoding)
    except LookupError:
        raise UsageError(f"{flag} {shorten(encoding)}: unknown encoding (e.g. utf-8, latin-1, cp1252).") from None
    if not getattr(info, "_is_text_encoding", True):  # codecs' own flag for bytes-to-bytes and str-to-str codecs
        raise UsageError(
            f"{flag} {shorten(encoding)}: {info.name} is a codec but not a text encoding (e.g. utf-8, latin-1)."
        )


def shorten(value: Any, limit: int = 60) -> str:
    """``repr(value)`` cut to ``limit`` characters: command-line values echoed in messages stay readable."""
    text = repr(value)
    return text if len(text) <= limit else f"{text[: limit - 20]}... ({len(str(value)):,} characters)"


def _given_options(args: argparse.Namespace, notes: list[Note]) -> dict[str, tuple[str, Any]]:
    """Metric options from the flags and ``--option``: name -> (flag, value)."""
    given: dict[str, tuple[str, Any]] = {}

    def add(name: str, flag: str, value: Any) -> None:
        if name in given:
            first_flag, first = given[name]
            if first != value or type(first) is not type(value):
                raise UsageError(
                    f"{name} is given twice with different values ({first_flag} {shorten(first)}, "
                    f"{flag} {shorten(value)})."
                )
            notes.append(Note("note", f"{name} is given twice ({first_flag}, {flag}); used once."))
            return
        given[name] = (flag, value)

    for attr in ("early_buffer", "delay_buffer", "n_buffer_splits"):
        value = getattr(args, attr)
        if value is not None and value != AUTO:  # auto: chosen per series from its values
            add(attr, "--" + attr.replace("_", "-"), value)
    if getattr(args, "undefined", None) is not None:
        add("undefined", "--undefined", _UNDEFINED[args.undefined])
    if args.n_thresholds is not None:
        add("n_thresholds", "--n-thresholds", parse_value(args.n_thresholds))
    for item in args.option:
        if "=" not in item:
            raise UsageError(f"--option {shorten(item)}: expected NAME=VALUE, e.g. --option window=100.")
        key, value = item.split("=", 1)
        name = key.strip().replace("-", "_")
        if not name.isidentifier():
            raise UsageError(f"--option {shorten(item)}: {shorten(key.strip())} is not an option name.")
        add(name, f"--option {item if len(item) <= 60 else item[:40] + '...'}", parse_value(value))
    return given


def resolve_options(args: argparse.Namespace) -> EvaluateOptions:
    """Everything the command line says, checked before any file is read (usage errors)."""
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
    auto = tuple(a for a in AUTO_OPTIONS if getattr(args, a, None) == AUTO)
    for option in auto:
        if not any(option in m.params for m in metrics):
            raise UsageError(
                f"--{option.replace('_', '-')} auto: no selected metric ({', '.join(m.name for m in metrics)}) "
                f"takes {option}."
            )
    threshold, contamination = _strategy(args, metrics)
    value_column = getattr(args, "value", "value")
    spans = any(
        is_time_span(value) and info.options[option].kind == "span"
        for info in metrics
        for option, value in per_metric[info.name].items()
    )
    return EvaluateOptions(
        args.label, scores, metrics, per_metric, threshold, notes, auto, value_column, spans, contamination
    )
