"""
What chance scores on NAB: PATE's leaderboard raw and chance-adjusted
=====================================================================

The published PATE ranks NAB's constant ``null`` detector first: a constant
score earns about ``(1 + anomaly ratio) / 2`` under its trapezoid rule. That
number is what the score earns by chance. :func:`pate.chance_level` measures
it for every detector and series: the mean of PATE over circular shifts of the
detector's own scores (its ``expected`` value), and the chance-adjusted value
``(PATE - expected) / (1 - expected)``: 0 at chance, 1 for a perfect detector.

The results table below holds the 16 published detectors on the 52 labelled
NAB series, made by ``pate.benchmark.evaluate(..., metrics=["pate"],
chance=99, random_state=0)`` (``benchmarks/bench_chance_nab.py --output
docs/data/nab_chance.csv``; about 16 s on 2 cores). Read more in the User
Guide's page on chance levels.
"""

import warnings
from pathlib import Path

import matplotlib.pyplot as plt

import pate
from pate.compare import leaderboard, read_results

# The table is committed in the repository, beside the documentation's sources.
repository = Path(pate.__file__).resolve().parents[1]
results = read_results(repository / "docs" / "data" / "nab_chance.csv")
print(results.head())

# %%
# Two leaderboards of the same runs: by raw PATE and by chance-adjusted PATE.
# ``beats_chance`` is the share of series where the detector beats chance
# (p < 0.05 over the 99 shifts); below 5 % the leaderboard marks it "no better
# than chance", whatever its rank.
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    raw = leaderboard(results, random_state=0, n_resamples=999)
    adjusted = leaderboard(results, value="adjusted", random_state=0, n_resamples=999)
print(raw[["mean", "average_rank"]].round(3).head(5))
print(adjusted[["mean", "average_rank", "beats_chance", "no_better_than_chance"]].round(3))
for name in ("null", "random"):
    print(f"{name}: {list(raw.index).index(name) + 1} of 16 raw, {list(adjusted.index).index(name) + 1} of 16 adjusted")

# %%
# The mean over the series, detectors in leaderboard order (best on top).
# ``null`` (constant) and ``random`` in orange; a hatched bar is "no better
# than chance".
fig, axes = plt.subplots(1, 2, figsize=(10, 5.5), sharey=False)
for ax, board, title in ((axes[0], raw, "raw PATE (published rule)"), (axes[1], adjusted, "chance-adjusted PATE")):
    names = list(board.index)[::-1]
    colours = ["tab:orange" if n in ("null", "random") else "tab:blue" for n in names]
    bars = ax.barh(names, board["mean"].loc[names], color=colours)
    if "no_better_than_chance" in board.columns:
        for bar, flag in zip(bars, board["no_better_than_chance"].loc[names]):
            if flag:
                bar.set_hatch("//")
                bar.set_edgecolor("white")
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_title(title, fontsize=10)
    ax.set_xlabel("mean over 52 series")
fig.suptitle("NAB, 16 detectors: what PATE gives by chance", fontsize=11)
fig.tight_layout()
