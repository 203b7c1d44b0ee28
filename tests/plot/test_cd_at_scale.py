"""The critical-difference diagram at scale and with odd names (issue 29, items 10 and 13, cosmetics).

The diagram of 1,000 detectors had not finished after 1,500 s (the post-hoc
test, then per-pair work and per-detector artists); the last two rank
labels of a 60-detector diagram overlapped; a blank name was drawn as
nothing; a name with two ``$`` was read as mathtext (a traceback at
``$\\x$``). The figures below check the drawing itself, not a timing
(benchmarks/bench_posthoc.py times it: docs/benchmarks.md).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

matplotlib = pytest.importorskip("matplotlib", reason="the diagram needs the plot extra (matplotlib)")

from matplotlib.collections import LineCollection  # noqa: E402

from pate.compare import results_from_matrix  # noqa: E402
from pate.plot import BufferSensitivityDisplay, CriticalDifferenceDisplay  # noqa: E402


def table(n_series, names, seed=0):
    rng = np.random.default_rng(seed)
    values = rng.random((n_series, len(names))) + np.linspace(0, 2, len(names))
    return results_from_matrix(pd.DataFrame(values, columns=names), metric="pate")


def rank_labels(display):
    """The rank labels above the axis, as (position, text)."""
    return sorted(
        (t.get_position()[0], t.get_text())
        for t in display.ax_.texts
        if t not in display.labels_.values() and t.get_text().isdigit()
    )


@pytest.mark.parametrize("k", [5, 21, 60, 61, 200])
def test_rank_labels_never_crowd_the_last_one(k):
    display = CriticalDifferenceDisplay.from_results(table(8, [f"d{i:03d}" for i in range(k)]))
    labels = rank_labels(display)
    positions = [x for x, _ in labels]
    assert labels[0] == (1, "1") and labels[-1] == (k, str(k))
    gaps = np.diff(positions)
    assert gaps.min() >= (1 if k <= 20 else 2)  # was 1 between the last two at k = 60
    assert len(labels) <= 26


def test_a_thousand_detectors_are_drawn_with_few_artists():
    k = 1000
    display = CriticalDifferenceDisplay.from_results(table(20, [f"d{i:04d}" for i in range(k)]), test="nemenyi")
    ax = display.ax_
    # one text per detector and per rank label, and a handful of lines: ticks and connectors are two collections
    assert len(display.labels_) == k
    assert len(ax.collections) == 2 and all(isinstance(c, LineCollection) for c in ax.collections)
    assert len(ax.collections[0].get_segments()) == k and len(ax.collections[1].get_segments()) == k
    assert len(ax.lines) <= 3 + len(display.groups) + 2  # axis, CD ruler and its ends, one bar per group


def test_blank_names_are_drawn_quoted():
    display = CriticalDifferenceDisplay.from_results(table(8, ["knn", " ", "iforest", ""]))
    texts = {name: label.get_text() for name, label in display.labels_.items()}
    assert texts[" "].startswith("' '") or texts[" "].endswith("' '")
    assert texts[""].startswith("''") or texts[""].endswith("''")
    assert all(t.strip("() .0123456789") for t in texts.values())  # every label shows a name


def test_names_with_dollars_are_drawn_as_given(tmp_path):
    names = ["a$b$c", "$\\x$", "$$", "plain"]
    display = CriticalDifferenceDisplay.from_results(table(8, names))
    display.figure_.savefig(tmp_path / "cd.png")  # mathtext raised on $\x$
    assert all(not t.get_parse_math() for t in display.labels_.values())
    assert {t.get_text().split(" (")[0].split(") ")[-1] for t in display.labels_.values()} == set(names)
    sensitivity = BufferSensitivityDisplay(
        buffer_sizes=np.array([0, 10]), values={"$\\x$": np.array([0.5, 0.6])}, metric="p$at$e"
    ).plot()
    sensitivity.figure_.savefig(tmp_path / "bs.png")
    assert not sensitivity.ax_.get_legend().get_texts()[0].get_parse_math()
