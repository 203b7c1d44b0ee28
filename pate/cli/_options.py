"""Command-line metric options: parse ``NAME=VALUE``, route each to the metrics that take it.

Everything here runs before any file is read, so a bad option costs no
work: names are checked against the registry, values are tried on a tiny
series with each metric (the metric's own validation says what is wrong).
"""

from __future__ import annotations

import ast
import codecs
import inspect
import warnings
from dataclasses import dataclass, field
from typing import Any, Sequence

from pate.cli._common import UsageError
from pate.cli._notes import Note

__all__ = ["EvaluateOptions", "parse_value", "split_names", "resolve_metric_options", "check_read_options"]

_WORDS = {"true": True, "false": False, "none": None, "null": None}


@dataclass(frozen=True)
class EvaluateOptions:
    """What ``pate evaluate`` needs to evaluate one table (files are read elsewhere)."""

    label: str
    scores: list[str] | None
    metrics: list[Any]  # MetricInfo, in the order given
    metric_options: dict[str, dict[str, Any]]
    threshold: float | None
    notes: list[Note] = field(default_factory=list)
    auto_buffers: tuple[str, ...] = ()  # "early_buffer" / "delay_buffer" chosen per file from the values
    value_column: str = "value"  # the series' values, for the automatic buffers


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


def _accepts_none(info: Any, option: str) -> bool:
    parameter = inspect.signature(info.func).parameters[option]
    annotation = parameter.annotation
    text = annotation if isinstance(annotation, str) else repr(annotation)
    return parameter.default is None or "None" in text or "Optional" in text


def resolve_metric_options(
    metrics: Sequence[Any], given: dict[str, tuple[str, Any]], notes: list[Note]
) -> dict[str, dict[str, Any]]:
    """Route each option to the metrics that accept it, then try them.

    ``given`` maps an option name to (the flag it came from, its value).
    ``None`` (``--n-thresholds none``) goes only to metrics that accept
    ``None``; the others keep their default and a note says so. An option no
    selected metric accepts, or a value a metric rejects, is a usage error.
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
            left = [m.name for m in takers if not _accepts_none(m, option)]
            takers = [m for m in takers if _accepts_none(m, option)]
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
    _try_options(metrics, per_metric)
    return per_metric


def _try_options(metrics: Sequence[Any], per_metric: dict[str, dict[str, Any]]) -> None:
    """Each metric with its options on a tiny series: option errors surface before any file is read."""
    y_true = [0, 0, 1, 1, 0, 0]
    for info in metrics:
        options = per_metric[info.name]
        if not options:
            continue
        y = [0, 0, 1, 1, 0, 0] if info.input == "binary" else [0.1, 0.2, 0.9, 0.8, 0.3, 0.1]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                info.func(y_true, y, **options)
            except Exception as exc:  # noqa: BLE001 - any failure here is the option's fault
                flags = ", ".join(f"{k}={v!r}" for k, v in options.items())
                raise UsageError(f"metric {info.name!r} with {flags}: {exc}") from None


def check_read_options(sep: str | None, encoding: str | None, decimal: str) -> str | None:
    """``--sep``, ``--encoding`` and ``--decimal`` checked up front; returns the separator (``\\t`` unescaped)."""
    if sep is not None:
        sep = {"\\t": "\t", "tab": "\t", "TAB": "\t"}.get(sep, sep)
        if len(sep) != 1:
            raise UsageError(f"--sep {sep!r}: give one character, e.g. --sep ';' or --sep tab.")
    if encoding is not None:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise UsageError(f"--encoding {encoding!r}: unknown encoding (e.g. utf-8, latin-1, cp1252).") from None
    if len(decimal) != 1 or decimal == sep:
        raise UsageError(f"--decimal {decimal!r}: give one character other than the separator, e.g. --decimal ,")
    return sep
