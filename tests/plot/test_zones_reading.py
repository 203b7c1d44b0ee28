"""ZonesDisplay as a reader reads it: aligned axes, a legend off the data, time stamps, a zoom."""

from __future__ import annotations

import numpy as np
import pytest

matplotlib = pytest.importorskip("matplotlib", reason="pate.plot needs the plot extra (matplotlib)")

import matplotlib.pyplot as plt  # noqa: E402

from pate.plot import ZonesDisplay  # noqa: E402


def _series(n: int = 400):
    y_true = np.zeros(n, dtype=int)
    y_true[150:200] = 1
    score = 0.1 + 0.5 * np.abs(np.sin(np.arange(n) / 7.0))  # in [0.1, 0.6]: below 1
    return y_true, score


def _overlap(a, b) -> bool:
    return a.x0 < b.x1 and b.x0 < a.x1 and a.y0 < b.y1 and b.y0 < a.y1


def test_score_and_credit_axes_are_aligned_when_the_scores_lie_in_0_1():
    y_true, score = _series()
    d = ZonesDisplay.from_predictions(y_true, score, early_buffer=30, delay_buffer=30, threshold=0.5)
    assert d.ax_.get_ylim() == pytest.approx(d.ax_weights_.get_ylim())
    # a score of 0.5 and a credit of 0.5 are drawn at the same height
    to_pixels = [a.transData.transform((0, 0.5))[1] for a in (d.ax_, d.ax_weights_)]
    assert to_pixels[0] == pytest.approx(to_pixels[1])


def test_scores_outside_0_1_keep_their_own_axis():
    y_true, score = _series()
    scaled = score * 40 - 3  # in [1, 21]
    d = ZonesDisplay.from_predictions(y_true, scaled, early_buffer=30, delay_buffer=30)
    low, high = d.ax_.get_ylim()
    assert low < scaled.min() and scaled.max() < high < 2 * scaled.max()
    assert d.ax_weights_.get_ylim() != pytest.approx((low, high))


def test_the_legend_never_covers_the_data():
    y_true, score = _series()
    d = ZonesDisplay.from_predictions(y_true, score, early_buffer=30, delay_buffer=30, threshold=0.5, name="det")
    renderer = d.figure_.canvas.get_renderer()
    legend = d.legend_.get_window_extent(renderer)
    assert not _overlap(legend, d.ax_.get_window_extent(renderer))
    assert not _overlap(legend, d.ax_.xaxis.get_tightbbox(renderer))  # nor the time axis
    assert legend.y0 >= 0  # inside the figure (the figure grew to hold it)
    labels = [t.get_text() for t in d.legend_.get_texts()]
    assert {"det", "threshold = 0.5", "labelled anomaly", "true detection"} <= set(labels)


def test_on_given_axes_the_legend_takes_the_room_below_them():
    y_true, score = _series()
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(8, 7), layout="constrained")
    d = ZonesDisplay.from_predictions(y_true, score, early_buffer=30, delay_buffer=30, threshold=0.5, ax=top)
    ZonesDisplay.from_predictions(y_true, score, early_buffer=30, delay_buffer=30, threshold=0.5, ax=bottom)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    legend = d.legend_.get_window_extent(renderer)
    assert not _overlap(legend, top.get_window_extent(renderer))
    assert not _overlap(legend, bottom.get_window_extent(renderer))


def test_time_stamps_label_the_x_axis():
    y_true, score = _series(48)
    y_true[:] = 0
    y_true[20:25] = 1
    stamps = np.arange("2014-03-01T00:00", 48 * 30, 30, dtype="datetime64[m]")
    texts = [str(t).replace("T", " ") for t in stamps]
    d = ZonesDisplay.from_predictions(y_true, score, early_buffer=5, delay_buffer=5, time=texts)
    d.figure_.canvas.draw()
    shown = [t.get_text() for t in d.ax_.get_xticklabels() if t.get_text()]
    assert shown and set(shown) <= set(texts)
    assert d.ax_.get_xlabel() == "time"
    # datetimes are written to the minute; text is shown as it is
    d = ZonesDisplay.from_predictions(y_true, score, early_buffer=5, delay_buffer=5, time=stamps)
    assert d.time[1] == "2014-03-01 00:30"
    d.figure_.canvas.draw()
    assert {t.get_text() for t in d.ax_.get_xticklabels() if t.get_text()} <= set(texts)
    with pytest.raises(ValueError, match="one value per point: 48 expected"):
        ZonesDisplay.from_predictions(y_true, score, time=texts[:-1])


def test_time_stamps_that_go_back_keep_the_points_in_their_order():
    # NAB: a repeated hour; the x axis stays the row position, labelled with the stamps
    y_true, score = _series(6)
    texts = ["02:00", "03:00", "03:00", "02:30", "04:00", "05:00"]
    d = ZonesDisplay.from_predictions(y_true, score, early_buffer=1, delay_buffer=1, time=texts)
    assert d.line_.get_xdata().tolist() == list(range(6))
    assert d.ax_.xaxis.get_major_formatter()(3, 0) == "02:30"


def test_a_span_zooms_on_part_of_the_series():
    y_true, score = _series()
    whole = ZonesDisplay.from_predictions(y_true, score, early_buffer=30, delay_buffer=30, threshold=0.5)
    part = ZonesDisplay.from_predictions(
        y_true, score, early_buffer=30, delay_buffer=30, threshold=0.5, span=(100, 249)
    )
    assert part.ax_.get_xlim() == pytest.approx((99.5, 249.5))
    x = np.asarray(part.line_.get_xdata())
    assert x.min() == 100 and x.max() == 249
    # zones and detections are those of the whole series
    np.testing.assert_array_equal(part.weights, whole.weights)
    np.testing.assert_array_equal(part.detections, whole.detections)
    for bad in [(250, 100), (-1, 10), (0, 400), ("a", 3)]:
        with pytest.raises(ValueError, match="span must"):
            ZonesDisplay.from_predictions(y_true, score, span=bad)
