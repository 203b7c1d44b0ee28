"""``pate metrics [NAME]``: the metrics, their input kind and options; one metric's details."""

from __future__ import annotations

import argparse
import inspect
import sys
from typing import Any

from pate.cli._common import EXIT_OK, UsageError
from pate.metrics import get_metric_info, list_metrics

__all__ = ["add_parser", "run", "PAGES"]

#: The User Guide page and the publication of each metric family (by module).
PAGES: dict[str, tuple[str, str]] = {
    "_pate": ("docs/pate.md", "Ghorbani, Reinders and Tax, PATE, KDD 2024; the published package PATE 0.1.1"),
    "_pointwise": ("docs/metrics/pointwise.md", "point-wise precision/recall/F1 and AUCs as in scikit-learn"),
    "_best_f1": (
        "docs/metrics/best_f1.md",
        "the oracle-threshold F1 scores of TSB-AD (Liu and Paparrizos, NeurIPS 2024)",
    ),
    "_point_adjust": (
        "docs/metrics/point_adjust.md",
        "point adjustment (Xu et al., WWW 2018); PA%K (Kim et al., AAAI 2022)",
    ),
    "_event_based": ("docs/metrics/event_based.md", "event-based F1 of TSB-AD (Liu and Paparrizos, NeurIPS 2024)"),
    "_range_based": (
        "docs/metrics/range_based.md",
        "range-based precision/recall (Tatbul et al., NeurIPS 2018); TSB-AD's R-based-F1",
    ),
    "_vus": ("docs/metrics/vus.md", "Range-AUC and VUS (Paparrizos et al., VLDB 2022)"),
    "_etapr": ("docs/metrics/etapr.md", "eTaPR (Hwang et al., SAC 2022)"),
    "_affiliation": ("docs/metrics/affiliation.md", "affiliation metrics (Huet et al., KDD 2022)"),
    "_nab": (
        "docs/nab.md",
        "the Numenta Anomaly Benchmark's score (Lavin and Ahmad 2015; Ahmad et al., Neurocomputing 2017), "
        "NAB's scorer at commit ea702d7",
    ),
    "_rpa": (
        "docs/events.md",
        "revised point-adjusted metrics and mean time to detect of salesforce-merlion 2.0.4 "
        "(Bhatnagar et al., Merlion, 2021)",
    ),
}


def add_parser(sub: Any) -> argparse.ArgumentParser:
    """Add the ``metrics`` sub-command to the ``pate`` parser."""
    p = sub.add_parser(
        "metrics",
        help="list the metrics with their input kind, options and a one-line description",
        description="Without NAME: every metric, one line each. With NAME: its options with their "
        "defaults, its User Guide page and its reference.",
    )
    p.add_argument("name", nargs="?", metavar="NAME", help="one metric's details")
    p.set_defaults(run=run)
    return p


def _family(info: Any) -> tuple[str, str]:
    module = info.func.__module__.rsplit(".", 1)[-1]
    return PAGES.get(module, ("docs/", ""))


def _details(info: Any) -> str:
    page, reference = _family(info)
    lines = [f"{info.name}: {info.description}", f"  input:     {info.input}"]
    parameters = inspect.signature(info.func).parameters
    if info.params:
        lines.append("  options:")
        for name in info.params:
            default = parameters[name].default
            lines.append(f"    {name} (default {default!r}): {info.options[name].allowed}")
    else:
        lines.append("  options:   none")
    lines.append(f"  guide:     {page}")
    if reference:
        lines.append(f"  reference: {reference}")
    return "\n".join(lines) + "\n"


def run(args: argparse.Namespace, err: Any) -> int:
    """Run ``pate metrics``; returns the exit status."""
    out = sys.stdout
    if args.name is not None:
        try:
            info = get_metric_info(args.name)
        except ValueError as exc:
            raise UsageError(str(exc)) from None
        out.write(_details(info))
        return EXIT_OK
    infos = list_metrics()
    width = max(len(m.name) for m in infos)
    for m in infos:
        options = ", ".join(m.params) or "-"
        out.write(f"{m.name:<{width}}  {m.input:<6}  {m.description}  [options: {options}]\n")
    return EXIT_OK
