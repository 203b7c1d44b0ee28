"""What every Display of pate.plot does, checked on each (as scikit-learn's test_common_curve_display).

A Display is made by a ``from_*`` constructor, which computes and draws;
it keeps the matplotlib objects as ``ax_`` and ``figure_`` (the axes'
figure), draws on axes it is given, and ``plot(ax=...)`` draws the same
data again on other axes.
"""

from __future__ import annotations

import inspect

import numpy as np
import pandas as pd
import pytest

matplotlib = pytest.importorskip("matplotlib", reason="the Displays need the plot extra (matplotlib)")

import matplotlib.pyplot as plt  # noqa: E402

import pate.plot  # noqa: E402
from pate.compare import buffer_sensitivity, results_from_matrix  # noqa: E402

rng = np.random.default_rng(0)
LABELS = np.zeros(300, dtype=int)
LABELS[100:130] = 1
SCORES = rng.random(300) + 0.5 * LABELS
RESULTS = results_from_matrix(
    pd.DataFrame(rng.random((8, 4)) + np.linspace(0, 1, 4), columns=["a", "b", "c", "d"]), metric="pate"
)
BUFFER_RESULTS = pd.DataFrame(
    [
        (f"s{s}", det, "pate", base + 0.01 * s + shift, params)
        for s in range(3)
        for det, base in (("a", 0.5), ("b", 0.3))
        for params, shift in (("delay_buffer=10;early_buffer=10", 0.0), ("", 0.1))
    ],
    columns=["series", "detector", "metric", "value", "params"],
)

#: One way to make each Display; every Display of pate.plot is here (checked below).
MAKERS = {
    "ZonesDisplay": lambda ax: pate.plot.ZonesDisplay.from_predictions(
        LABELS, SCORES, early_buffer=5, delay_buffer=5, threshold=0.9, ax=ax
    ),
    "PateCurveDisplay": lambda ax: pate.plot.PateCurveDisplay.from_predictions(
        LABELS, SCORES, early_buffer=5, delay_buffer=5, ax=ax
    ),
    "CriticalDifferenceDisplay": lambda ax: pate.plot.CriticalDifferenceDisplay.from_results(RESULTS, ax=ax),
    "BufferSensitivityDisplay": lambda ax: pate.plot.BufferSensitivityDisplay.from_result(
        buffer_sensitivity(BUFFER_RESULTS), ax=ax
    ),
    "NabDisplay": lambda ax: pate.plot.NabDisplay.from_predictions(LABELS, SCORES, threshold=0.9, ax=ax),
}


def test_every_display_is_covered():
    displays = {name for name in pate.plot.__all__ if name.endswith("Display")}
    assert displays == set(pate.plot.__all__) == set(MAKERS)


@pytest.mark.parametrize("name", sorted(MAKERS))
def test_constructors_are_classmethods_returning_the_display(name):
    cls = getattr(pate.plot, name)
    constructors = [m for m in vars(cls) if m.startswith("from_")]
    assert constructors
    for method in constructors:
        assert isinstance(vars(cls)[method], classmethod), method
        assert "ax" in inspect.signature(getattr(cls, method)).parameters, method
    assert "ax" in inspect.signature(cls.plot).parameters


@pytest.mark.parametrize("name", sorted(MAKERS))
def test_draws_on_a_new_figure_or_the_axes_given(name):
    display = MAKERS[name](None)
    assert isinstance(display, getattr(pate.plot, name))
    assert display.ax_.figure is display.figure_
    fig, ax = plt.subplots()
    given = MAKERS[name](ax)
    assert given.ax_ is ax and given.figure_ is fig


@pytest.mark.parametrize("name", sorted(MAKERS))
def test_plot_draws_the_same_data_again_on_other_axes(name):
    display = MAKERS[name](None)
    before = dict(vars(display))
    fig, ax = plt.subplots()
    assert display.plot(ax=ax) is display
    assert display.ax_ is ax and display.figure_ is fig
    data = [k for k in before if not k.endswith("_")]  # what was computed, not what was drawn
    assert data
    for key in data:
        assert vars(display)[key] is before[key], key
