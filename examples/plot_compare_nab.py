"""
Comparing 16 detectors on NAB: leaderboards and critical-difference diagrams
============================================================================

A results table (series x detector x metric) of the 16 published detectors
on the Numenta Anomaly Benchmark, made by ``docs/_scripts/compare_nab.py``
with ``pate.compare``. The critical-difference diagram
(:class:`~pate.plot.CriticalDifferenceDisplay`) places the detectors by
average rank (1 = best, left) and joins those the Wilcoxon-Holm test does not
separate. Under PATE with the published defaults, the constant detector
``null`` ranks near the top: a constant score earns the trapezoid from
(recall 0, precision 1) to the full-recall point. The leaderboard flags such
detectors in its ``constant`` column.
"""

import warnings
from pathlib import Path

import matplotlib.pyplot as plt

import pate
from pate.compare import leaderboard, read_results
from pate.plot import CriticalDifferenceDisplay

# The table is committed in the repository, beside the documentation's sources.
repository = Path(pate.__file__).resolve().parents[1]
results = read_results(repository / "docs" / "data" / "nab_results.csv")

# %%
# Leaderboards under PATE and under VUS-PR (VUS-PR is undefined on the series
# without anomalies, which are dropped for it).
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    for metric, missing in (("pate", "raise"), ("vus_pr", "drop-series")):
        board = leaderboard(results, metric=metric, missing=missing, random_state=0)
        print(f"--- {metric}")
        print(board[["mean", "average_rank", "constant"]].round(3).head(6))

# %%
fig, axes = plt.subplots(2, 1, figsize=(9, 7))
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    for ax, metric, missing in zip(axes, ("pate", "vus_pr"), ("raise", "drop-series")):
        CriticalDifferenceDisplay.from_results(results, metric=metric, missing=missing, ax=ax)
        ax.set_title(f"{metric}: average rank over series (Wilcoxon-Holm, alpha = 0.05)", fontsize=10)
fig.tight_layout()
