"""The ``pate`` command: ``evaluate``, ``events``, ``compare``, ``report``, ``nab``, ``metrics`` and ``plot``.

``pate --help`` and ``pate COMMAND --help`` list every flag (the API pages
show the same text, generated from the parser: docs/api/cli.rst).

One module per sub-command (``pate/cli/<command>.py``), each with
``add_parser(subparsers)`` and ``run(args, err) -> exit status``; this module
only assembles the parser and turns :class:`UsageError` into exit status 2.

Exit status: 0 success, 1 data errors (a file that cannot be evaluated), 2
usage errors. Every metric is reached through the registry
(:func:`pate.metrics.get_metric_info`). Read more in docs/cli.md.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Sequence

from pate import __version__
from pate._numba_startup import skip_blas_probe
from pate.cli import compare, evaluate, events, metrics, nab, plot, report
from pate.cli._common import EXIT_DATA, EXIT_OK, EXIT_USAGE, DataError, UsageError
from pate.cli._words import CommandWords

__all__ = ["main", "command", "DataError", "UsageError", "EXIT_OK", "EXIT_DATA", "EXIT_USAGE"]

# Sub-commands in the order ``pate --help`` lists them.
_COMMANDS = (evaluate, events, compare, report, nab, metrics, plot)


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pate",
        description="Evaluate time-series anomaly detectors with PATE and baseline metrics.",
    )
    parser.add_argument("--version", action="version", version=f"pate {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for command in _COMMANDS:
        command.add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``pate`` command; returns the exit status.

    See Also
    --------
    pate.benchmark.evaluate : the runner ``pate evaluate`` hands many series to.

    Examples
    --------
    >>> import contextlib, io
    >>> from pate.cli import main
    >>> listing = io.StringIO()
    >>> with contextlib.redirect_stdout(listing):
    ...     status = main(["metrics"])
    >>> status, [line.split()[:2] for line in listing.getvalue().splitlines() if line.startswith("pate")]
    (0, [['pate', 'score'], ['pate_ap', 'score'], ['pate_f1', 'binary']])
    """
    parser = _build_parser()
    args = parser.parse_args(argv)  # exits with status 2 on malformed command lines
    args.argv = list(sys.argv[1:] if argv is None else argv)  # the command as typed, for pate report's page
    err = CommandWords(sys.stderr)  # the library's messages in the command's words (its flags)
    try:
        return args.run(args, err)
    except UsageError as exc:
        err.write(f"pate: usage error: {exc}\n")
        return EXIT_USAGE
    except KeyboardInterrupt:
        err.write("pate: interrupted.\n")
        return 130
    except BrokenPipeError:  # `pate evaluate ... | head`: the reader left, nothing more to say
        try:
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - keeps the interpreter's final flush quiet
        except OSError:  # pragma: no cover
            pass
        return EXIT_DATA


def command() -> int:
    """The ``pate`` executable and ``python -m pate``: :func:`main` in a process of its own.

    The process is the command's, so it starts faster: numba skips importing
    scipy.linalg to probe for BLAS, which no pate kernel uses
    (:mod:`pate._numba_startup`). :func:`main` called from a user's Python
    leaves their process as it is.
    """
    skip_blas_probe()
    return main()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(command())
