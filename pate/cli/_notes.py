"""Warnings and notes of a run, kept as records and written once at the end.

Metrics warn through Python's ``warnings`` (``UndefinedMetricWarning`` for a
series without anomaly, ...). The task that evaluates a series records each
warning with where it came from (detector, metric); the command keeps it as
a :class:`Note` with the file instead of folding that into the text, and
:func:`write_notes` writes one line per message, listing the file(s),
columns and metrics it concerns.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence, TextIO

__all__ = ["Note", "write_notes"]


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


def _listing(label: str, values: Sequence[str]) -> str:
    return f"{label}{'s' if len(values) > 1 else ''} {', '.join(values)}" if values else ""


def write_notes(err: TextIO, notes: Sequence[Note]) -> None:
    """One line per (kind, message), in first-seen order, naming where it happened.

    In one file: ``FILE (columns a, b; metric pate): message``. In several
    files, one line for all of them, with how many files each column
    concerns: ``7 files (columns null x7, twitterADVec x2; metric pate): message``
    (a warning that holds for every NAB series must not take a screen).
    """
    grouped: dict[tuple[str, str], dict[str, Any]] = {}
    for note in notes:
        group = grouped.setdefault((note.kind, note.message), {"files": [], "columns": {}, "metrics": []})
        if note.file and note.file not in group["files"]:
            group["files"].append(note.file)
        if note.column:
            group["columns"].setdefault(note.column, set()).add(note.file)
        if note.metric and note.metric not in group["metrics"]:
            group["metrics"].append(note.metric)
    for (kind, message), group in grouped.items():
        files, columns = group["files"], group["columns"]
        if len(files) > 1:
            shown = [f"{c} x{len(f)}" if len(f) > 1 else c for c, f in columns.items()]
            head = f"{len(files)} files"
        else:
            shown = list(columns)
            head = files[0] if files else ""
        where = "; ".join(x for x in (_listing("column", shown), _listing("metric", group["metrics"])) if x)
        prefix = f"{head} ({where})" if head and where else head or (f"({where})" if where else "")
        err.write(f"pate: {kind}: {prefix + ': ' if prefix else ''}{message}\n")
