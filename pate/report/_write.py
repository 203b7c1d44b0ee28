"""``write_report``: a results table -> one self-contained HTML page."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable, Mapping

from pate import __version__
from pate._validation import short_repr
from pate.benchmark._files import atomic_write
from pate.report._disagreement import zones_section
from pate.report._extra_sections import chance_applies, chance_section, nab_applies, nab_section
from pate.report._render import render_page, require
from pate.report._section import Section
from pate.report._sections import agreement_section, direction_of, evaluated_section, heatmaps_section, metric_section
from pate.report._table import add_constant_flags, load_table, resolve_report_metrics, series_sources

__all__ = ["ReportResult", "write_report"]


@dataclass(frozen=True)
class ReportResult:
    """Result of :func:`write_report`.

    Attributes
    ----------
    path : Path
        The HTML file written.
    n_bytes : int
        Its size.
    sections : tuple of str
        The titles of the sections shown, in page order (sub-sections included).
    not_shown : tuple of (str, str)
        Each section the page could not show, and why (the page says the same).
    """

    path: Path
    n_bytes: int
    sections: tuple[str, ...]
    not_shown: tuple[tuple[str, str], ...]


def _call(results: Any, path: Any, metrics: Any, series: Any, title: Any) -> str:
    shown = repr(str(results)) if isinstance(results, (str, os.PathLike)) else "results"
    parts = [shown, repr(str(path))]
    for name, value in (("metrics", metrics), ("series", series), ("title", title)):
        if value is not None:
            parts.append(f"{name}={value!r}" if isinstance(value, (str, list, tuple)) else f"{name}=...")
    return f"pate.report.write_report({', '.join(parts)})"


def write_report(
    results: Any,
    path: str | os.PathLike[str],
    *,
    metrics: str | Iterable[str] | None = None,
    series: Any = None,
    title: str | None = None,
    alpha: float = 0.05,
    higher_is_better: bool | Mapping[str, bool] = True,
    command: str | None = None,
) -> ReportResult:
    """Write one self-contained HTML page that reads a results table: leaderboards, tests, pictures.

    The page holds, in this order: what was evaluated; per metric the
    leaderboard (mean, bootstrap interval, average rank, wins, with flags on
    constant detectors and, where the table has p-values against chance, on
    detectors no better than chance), Friedman's and Iman-Davenport's test,
    the critical-difference diagram and the Wilcoxon-Holm groups; the rank
    agreement between metrics; a detector x series heatmap per metric;
    where the table has them, chance-adjusted leaderboards and the NAB
    scoreboard; and with ``series``, the zones pictures of the best and worst
    detector on the series where the metrics disagree most. Each section says
    how to read it. Pictures are inline SVG, the styles inline, and the page
    makes no network request; it reads the same with JavaScript off (a small
    script only sorts the tables) and prints.

    Statistics use every series complete under the metric
    (``missing="drop-series"``); the page names the series left out. A
    section that cannot be computed (one detector, one series, one metric for
    the agreement) says so on the page instead of failing. Read more in the
    User Guide (``docs/report.md``).

    Parameters
    ----------
    results : DataFrame or path
        A results table in any form :func:`pate.compare.results_from_frame`
        accepts, or a results file that ``pate compare`` reads (CSV or parquet).
    path : path
        The HTML file to write (replaced atomically, through a symlink, with
        the umask's mode or the mode of the file it replaces).
    metrics : str or list of str, optional
        Metrics to show, in this order (``"name"`` takes every setting of the
        metric in the table, ``"name[params]"`` one); default every metric.
    series : path, list of paths, or list of Series/sources, optional
        The labelled series with the detectors' scores (CSV files or a
        directory of them, as ``pate evaluate`` reads, or the sources of
        :func:`pate.compare.read_csv_series`). With it, the page draws the
        zones pictures, and flags constant detectors when the table has no
        ``constant`` column. Series are matched by name, or by the last part
        of their path.
    title : str, optional
        The page's title; default ``"pate report"`` and the results file's name.
    alpha : float, default=0.05
        Level of the Friedman and Wilcoxon-Holm tests.
    higher_is_better : bool or dict, default=True
        Direction of the metrics (a dict maps metric names to it), as for
        :func:`pate.compare.leaderboard`.
    command : str, optional
        The command or call shown under "What was evaluated"; default this call.

    Returns
    -------
    ReportResult
        The path, its size, the sections shown and those that could not be.

    Raises
    ------
    ValueError
        An empty results table, or a metric that the table does not hold.
    ImportError
        Jinja2 or matplotlib missing: ``pip install "pate-eval[report]"``.

    See Also
    --------
    pate.compare.leaderboard : the leaderboard on its own.
    pate.plot.CriticalDifferenceDisplay : the diagram on its own.

    Examples
    --------
    >>> import os, tempfile
    >>> from pate.report import write_report
    >>> report = write_report("docs/data/nab_results.csv", os.path.join(tempfile.mkdtemp(), "nab.html"),
    ...                       metrics=["pate", "vus_pr"], title="NAB")
    >>> report.sections[:3]
    ('What was evaluated', 'Metric pate', 'Leaderboard')
    >>> report.n_bytes < 15_000_000, [what for what, why in report.not_shown]
    (True, ['Where the metrics disagree most'])
    """
    require("jinja2")
    require("matplotlib")
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must lie strictly between 0 and 1, got {short_repr(alpha)}.")
    target = Path(path)
    if target.is_dir():
        raise IsADirectoryError(
            f"{target}: is a directory; give the HTML file to write, e.g. {target / 'report.html'}."
        )
    if not target.parent.is_dir():
        raise FileNotFoundError(f"{target.parent}: the directory to write the report in does not exist.")
    table = load_table(results)
    keys = resolve_report_metrics(table.tidy, metrics)
    direction = direction_of(higher_is_better)
    sources = series_sources(series)

    constant_problem = None
    if table.constant_from == "" and sources:
        table, constant_problem = add_constant_flags(table, sources)
    constant_note = {
        "table": "flagged from the table's constant column",
        "series": "flagged from the series' scores (the table has no constant column)",
    }.get(
        table.constant_from,
        constant_problem or ("not flagged: the table has no constant column (give series= / --series to compute it)"),
    )

    now = datetime.now(timezone.utc).astimezone()
    tidy = table.tidy
    sections: list[Section] = []
    first = evaluated_section(
        tidy,
        keys,
        direction,
        source=table.source,
        command=command or _call(results, path, metrics, series, title),
        date=now.isoformat(timespec="seconds"),
        version=__version__,
        constant_note=constant_note,
    )
    sections.append(first)
    boards = {}
    for number, key in enumerate(keys):
        section, board = metric_section(tidy, key, direction, alpha=alpha, number=number)
        sections.append(section)
        if board is not None:
            boards[key] = board
    sections.append(agreement_section(tidy, keys, direction))
    sections.append(heatmaps_section(tidy, keys, direction, boards))
    with_chance = chance_applies(tidy, keys)
    if with_chance:
        sections.append(chance_section(tidy, with_chance))
    if nab_applies(tidy):
        sections.append(nab_section(tidy))
    if sources:
        sections.append(zones_section(tidy, keys, direction, sources))

    not_shown = [
        (s.title if s.key == top.key else f"{top.title}: {s.title}", s.unavailable)
        for top in sections
        for s in top.walk()
        if s.unavailable
    ]
    if not sources:
        not_shown.append(
            ("Where the metrics disagree most", "no series data given (series= / --series), so no zones pictures.")
        )
    n_series = tidy["series"].nunique()
    n_detectors = tidy["detector"].nunique()
    lead = (
        f"{n_detectors} detector{'s' if n_detectors != 1 else ''} on {n_series} series under "
        f"{len(keys)} metric{'s' if len(keys) != 1 else ''} ({', '.join(keys)})."
    )
    default_title = "pate report" + (f": {Path(str(results)).name}" if isinstance(results, (str, os.PathLike)) else "")
    html = render_page(
        sections,
        title=title or default_title,
        lead=lead,
        date=now.strftime("%Y-%m-%d %H:%M %Z"),
        version=__version__,
        not_shown=not_shown,
    )
    data = html.encode("utf-8")

    def write(tmp: str) -> None:
        Path(tmp).write_bytes(data)

    atomic_write(target, write)  # as every file pate writes: through a symlink, the umask's mode
    n_bytes = len(data)
    return ReportResult(
        target,
        n_bytes,
        tuple(s.title for top in sections for s in top.walk()),
        tuple((t, str(w)) for t, w in not_shown),
    )
