"""The HTML report from the command line: ``pate report`` and ``pate evaluate --report``.

The target is checked before any work (a missing extra, a bad directory, a
name that is not ``.html``), so a long evaluation never ends in a report that
cannot be written. The page itself is :func:`pate.report.write_report`.
"""

from __future__ import annotations

import argparse
import shlex
import warnings
from pathlib import Path
from typing import Any

from pate.benchmark._files import same_file
from pate.cli._common import EXIT_DATA, EXIT_OK, UsageError
from pate.cli._output import check_output_path
from pate.report import write_report
from pate.report._render import require

__all__ = ["command_line", "check_report_target", "write_html_report"]

SUFFIXES = (".html", ".htm")


def command_line(args: argparse.Namespace) -> str:
    """The command as typed (``pate`` and its arguments), for the report's "What was evaluated"."""
    argv = getattr(args, "argv", None)
    return "pate " + shlex.join(argv) if argv is not None else "pate"


def check_report_target(path: str, flag: str, inputs: tuple[str, ...] = ()) -> None:
    """A usage error now if the report cannot be written later: suffix, directory, an input, the extra."""
    if Path(path).suffix.lower() not in SUFFIXES:
        raise UsageError(f"{flag} {path}: the report is an HTML file; give a name ending in .html.")
    check_output_path(path, flag)
    for source in inputs:
        if source != "-" and same_file(path, source):
            raise UsageError(f"{flag} {path} is a file being read; write the report elsewhere.")
    for module in ("jinja2", "matplotlib"):
        try:
            require(module)
        except ImportError as exc:
            raise UsageError(f"{flag}: {exc}") from None


def write_html_report(
    results: Any,
    path: str,
    err: Any,
    *,
    command: str,
    metrics: list[str] | None = None,
    series: Any = None,
    title: str | None = None,
    alpha: float = 0.05,
    higher_is_better: bool = True,
    shown: str = "",
) -> int:
    """Write the page; one line on standard error says where, one note per section it could not show.

    Returns the exit status: a table the report cannot read (empty, a metric it
    lacks) is a data error, in one line.
    """
    where = f"{shown}: " if shown else ""
    try:
        with warnings.catch_warnings():  # what the statistics warn about is written on the page
            warnings.simplefilter("ignore", UserWarning)
            result = write_report(
                results,
                path,
                metrics=metrics,
                series=series,
                title=title,
                alpha=alpha,
                higher_is_better=higher_is_better,
                command=command,
            )
    except (ValueError, TypeError) as exc:
        err.write(f"pate: error: {where}{str(exc).strip()}\n")
        return EXIT_DATA
    except FileNotFoundError as exc:
        raise UsageError(str(exc)) from None
    except OSError as exc:
        raise UsageError(f"{path}: cannot be written ({exc.strerror or exc}).") from None
    for section, why in result.not_shown:
        err.write(f"pate: note: the report does not show {section}: {why}\n")
    err.write(f"pate: wrote {result.path} ({result.n_bytes / 1e6:.1f} MB).\n")
    return EXIT_OK
