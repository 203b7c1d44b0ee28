"""One page to read a benchmark: a self-contained HTML report of a results table.

:func:`write_report` turns a results table (as :mod:`pate.compare` reads it)
into one HTML file: what was evaluated, a leaderboard with its tests and
critical-difference diagram per metric, the agreement between metrics,
detector x series heatmaps and, where the data allow, chance-adjusted
leaderboards, NAB's scoreboard and zones pictures of the series where the
metrics disagree most. Pictures are inline SVG; the page needs no network and
no JavaScript. ``pate report RESULTS`` does the same from the command line.

This module sits above :mod:`pate.compare` and :mod:`pate.plot`: it imports
them, nothing imports it. Jinja2 and matplotlib come from the ``report`` extra
(``pip install "pate-eval[report]"``) and are imported when a report is
written. Read more in docs/report.md.
"""

from pate.report._write import ReportResult, write_report

__all__ = ["ReportResult", "write_report"]
