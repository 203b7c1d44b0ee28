"""ZonesDisplay's per-event marks: detected or missed events and first alarms, as ``pate.event_table`` says."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

matplotlib = pytest.importorskip("matplotlib", reason="pate.plot needs the plot extra (matplotlib)")

import matplotlib.pyplot as plt  # noqa: E402
from naive.strategies import labelled_series  # noqa: E402

import pate  # noqa: E402
from pate.plot import ZonesDisplay  # noqa: E402


@settings(max_examples=40)
@given(data=st.data(), labels=labelled_series(), early=st.sampled_from([0, 2, 5]), delay=st.sampled_from([0, 3]))
def test_marks_equal_the_event_table(data, labels, early, delay):
    alarms = np.array(data.draw(st.lists(st.sampled_from([0, 0, 1]), min_size=labels.size, max_size=labels.size)))
    display = ZonesDisplay.from_predictions(labels, alarms, early_buffer=early, delay_buffer=delay, max_points=None)
    table = pate.event_table(labels, alarms, early_buffer=early, delay_buffer=delay)
    assert display.detected_events.tolist() == table["detected"].tolist()
    assert display.first_alarms.tolist() == table["first_alarm"].fillna(-1).tolist()
    plt.close(display.figure_)  # one figure per example, not per test


def test_missed_events_and_first_alarms_are_drawn():
    y = np.zeros(120, dtype=int)
    y[20:30] = 1
    y[60:70] = 1
    y[100:105] = 1
    score = np.zeros(120)
    score[25], score[64], score[90] = 0.9, 0.8, 0.95
    display = ZonesDisplay.from_predictions(y, score, early_buffer=5, delay_buffer=5, threshold=0.5)
    assert display.detected_events.tolist() == [True, True, False]
    assert display.first_alarms.tolist() == [25, 64, -1]
    legend = [t.get_text() for t in display.ax_.get_legend().get_texts()]
    assert "missed (1 of 3)" in legend and "first alarm of an event" in legend
    # continuous scores without a threshold: no alarms, so no marks
    plain = ZonesDisplay.from_predictions(y, score, early_buffer=5, delay_buffer=5)
    assert plain.detected_events is None and plain.first_alarms is None


def test_buffers_as_time_spans():
    y = np.zeros(60, dtype=int)
    y[20:30] = 1
    times = pd.date_range("2024-01-01", periods=60, freq="10min")
    display = ZonesDisplay.from_predictions(y, y, timestamps=times, early_buffer="1h", delay_buffer="30min")
    assert (display.early_buffer, display.delay_buffer) == (6, 3)
    with pytest.raises(ValueError, match="no timestamps were given"):
        ZonesDisplay.from_predictions(y, y, early_buffer="1h")
