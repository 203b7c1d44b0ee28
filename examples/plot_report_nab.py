"""
One page for a whole benchmark: the NAB report
==============================================

:func:`pate.report.write_report` turns a results table into one self-contained
HTML page: what was evaluated, a leaderboard with its tests and
critical-difference diagram per metric, how far the metrics agree, a detector
x series heatmap per metric and, given the series themselves, the zones
pictures of the best and worst detector where the metrics disagree most.

Here the table holds the 16 published detectors of the Numenta Anomaly
Benchmark on its 58 series under four metrics (``docs/data/nab_results.csv``);
the two NAB series bundled with pate (``pate/data/``) give the zones pictures.
The page written by this example at the last build of this site:
`nab_report.html <nab_report.html>`_ (no network needed to read it; it prints).
The command line does the same: ``pate report RESULTS -o nab_report.html``.
"""

import warnings
from pathlib import Path

import matplotlib.pyplot as plt

import pate
from pate.compare import read_results
from pate.plot import CriticalDifferenceDisplay
from pate.report import write_report

repository = Path(pate.__file__).resolve().parents[1]
results = repository / "docs" / "data" / "nab_results.csv"
series = Path(pate.__file__).parent / "data"

# %%
# Write the page (a few seconds). The result says what the page shows and what
# it could not show (here, zones pictures only for the two series at hand).
report = write_report(results, "nab_report.html", series=series, title="NAB: 16 detectors on 58 series")
print(f"{report.path}: {report.n_bytes / 1e6:.1f} MB, {len(report.sections)} sections")
for title, why in report.not_shown:
    print(f"not shown: {title}: {why}")

# %%
# The page's first picture is the critical-difference diagram of PATE; the same
# Display draws it here. The constant detector ``null`` ranks first under
# PATE's published definition; the report flags it in every leaderboard.
with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # the series without anomalies are named on the page
    display = CriticalDifferenceDisplay.from_results(read_results(results), metric="pate", missing="drop-series")
display.figure_.set_size_inches(9, 3.6)
plt.show()
