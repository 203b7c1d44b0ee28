"""``pate metrics``: list the metric names, their input kind and options."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from pate.cli._common import EXIT_OK

__all__ = ["add_parser", "run"]


def add_parser(sub: Any) -> None:
    """Add the ``metrics`` sub-command to the ``pate`` parser."""
    p = sub.add_parser("metrics", help="list the metric names, their input kind and options")
    p.set_defaults(run=run)


def run(args: argparse.Namespace, err) -> int:
    """Run ``pate metrics``; returns the exit status."""
    from pate.metrics import list_metrics

    out = sys.stdout
    for m in list_metrics():
        out.write(f"{m.name:<24} {m.input:<7} {', '.join(m.params) or '-'}\n")
    return EXIT_OK
