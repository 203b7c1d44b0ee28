"""The command's words for what the library says: its flags, never Python keywords or functions.

Messages of the library (errors, warnings) name Python arguments
(``missing='drop-series'``, ``interpolation='step'``); the command writes
them through :class:`CommandWords`, which puts the command's spelling in
their place, so one message serves both and the command names its flags.
"""

from __future__ import annotations

from typing import Any, TextIO

__all__ = ["cli_words", "CommandWords"]

#: (the library's words, the command's), applied in order.
_WORDS = (
    (
        "rank detectors with interpolation='step' (the metric 'pate_ap'), or give binary predictions to pate_f1_score.",
        "rank detectors with --metric pate_ap (the step rule), or give binary predictions to --metric pate_f1 "
        "(with --threshold).",
    ),
    ("pate.metrics.list_metrics() lists every name.", "`pate metrics` lists every name."),
    ("null='permutation' needs", "--null permutation needs"),
    ("Use null='shift', or threshold='best'", "Use --null shift, or --threshold best"),
    ("pass missing='drop-series'", "pass --missing drop-series"),
    ("(missing='drop-series')", "(--missing drop-series)"),
    ("choose one with params= (or metric='name[params]')", "choose one with --params"),
    ("pass params= to choose one", "choose one with --params"),
    ("pass metric= to choose one", "choose one with --metric"),
    ("; or give the weights (A_tp, A_fp, A_fn).", "; or give the weights: --profile NAME=A_TP,A_FP,A_FN."),
    (" For a matrix (rows = series, columns = detectors) pass metric=NAME.", ""),
)


def cli_words(message: str) -> str:
    """``message`` with the command's spelling of the library's options.

    >>> cli_words("metric 'pate': 2 pairs are missing; pass missing='drop-series' to drop them.")
    "metric 'pate': 2 pairs are missing; pass --missing drop-series to drop them."
    """
    for library, command in _WORDS:
        message = message.replace(library, command)
    return message


class CommandWords:
    """A text stream that writes what it is given in the command's words (``pate``'s standard error)."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        return self._stream.write(cli_words(text))

    def __getattr__(self, name: str) -> Any:  # flush, isatty, encoding...: the stream's own
        return getattr(self._stream, name)
