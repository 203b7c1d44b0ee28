"""Warnings and notes of a run, kept as records and written once at the end.

Metrics warn through Python's ``warnings`` (``UndefinedMetricWarning`` for a
series without anomaly, ...). The command records each warning with where it
came from (file, score column, metric) instead of folding that into the
text; :func:`write_notes` then writes one line per file and message, listing
the columns and metrics it concerns.
"""

from __future__ import annotations

import warnings
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Iterator, Sequence, TextIO

__all__ = ["Note", "record_warnings", "write_notes"]


@dataclass(frozen=True)
class Note:
    """One warning or note of a run.

    Attributes
    ----------
    kind : {"warning", "note"}
        ``warning``: a metric value is questionable (undefined, ...);
        ``note``: the command did something the user may not expect (a
        duplicate name evaluated once, a text column left out).
    message : str
        The text, without the file or column.
    file : str
        The file as shown (``<stdin>`` for standard input); ``""`` for the run.
    column : str
        The score column, or ``""``.
    metric : str
        The metric's registry name, or ``""``.
    category : str
        The warning class name (``UndefinedMetricWarning``), or ``""``.
    """

    kind: str
    message: str
    file: str = ""
    column: str = ""
    metric: str = ""
    category: str = ""


@contextmanager
def record_warnings(sink: list[Note], *, file: str = "", column: str = "", metric: str = "") -> Iterator[None]:
    """Turn every warning raised inside the block into a :class:`Note` appended to ``sink``."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield
    for w in caught:
        sink.append(Note("warning", str(w.message), file, column, metric, w.category.__name__))


def _listing(label: str, values: Sequence[str]) -> str:
    return f"{label}{'s' if len(values) > 1 else ''} {', '.join(values)}" if values else ""


def write_notes(err: TextIO, notes: Sequence[Note]) -> None:
    """One line per (kind, file, message), naming the columns and metrics concerned, in first-seen order."""
    grouped: dict[tuple[str, str, str], tuple[list[str], list[str]]] = {}
    for note in notes:
        columns, metrics = grouped.setdefault((note.kind, note.file, note.message), ([], []))
        if note.column and note.column not in columns:
            columns.append(note.column)
        if note.metric and note.metric not in metrics:
            metrics.append(note.metric)
    for (kind, file, message), (columns, metrics) in grouped.items():
        where = "; ".join(x for x in (_listing("column", columns), _listing("metric", metrics)) if x)
        prefix = f"{file} ({where})" if file and where else file or (f"({where})" if where else "")
        err.write(f"pate: {kind}: {prefix + ': ' if prefix else ''}{message}\n")
