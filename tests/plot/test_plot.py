"""pate.plot Displays: the data they hold, checked against the engine and the slow oracle.

Figures are drawn for real with matplotlib's Agg backend (root conftest.py);
the assertions are on the data the displays hold and on the files written,
never on pixels.
"""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

matplotlib = pytest.importorskip("matplotlib", reason="pate.plot needs the plot extra (matplotlib)")

import matplotlib.pyplot as plt  # noqa: E402
from naive.pate import _buffer_weight_ratios, _zone_map, naive_events, naive_tp_fp_fn, naive_zones  # noqa: E402

from pate import pate_curve, pate_f1_score, pate_score  # noqa: E402
from pate.plot import BufferSensitivityDisplay, PateCurveDisplay, ZonesDisplay  # noqa: E402


def test_backend_is_headless():
    assert matplotlib.get_backend().lower() == "agg"


# ---------------------------------------------------------------- ZonesDisplay
series = st.integers(min_value=1, max_value=60).flatmap(
    lambda n: st.tuples(
        st.lists(st.integers(0, 1), min_size=n, max_size=n),
        st.lists(st.integers(0, 1), min_size=n, max_size=n),
        st.integers(0, 8),
        st.integers(0, 8),
    )
)


@settings(max_examples=150)
@given(series)
def test_zones_weights_and_detections_match_the_oracle(case):
    y_true, y_pred, early, delay = case
    n = len(y_true)
    d = ZonesDisplay.from_predictions(np.array(y_true), np.array(y_pred), early_buffer=early, delay_buffer=delay)
    plt.close(d.figure_)

    events = naive_events(y_true)
    zones = naive_zones(events, n, early, delay)
    assert d.events.tolist() == [list(e) for e in events]
    assert d.early_zones.tolist() == [[z["pre_start"], z["s"] - 1] for z in zones]
    assert d.delay_zones.tolist() == [[z["e"] + 1, z["post_end"]] for z in zones]

    zone_of = _zone_map(zones, n)
    ratios = _buffer_weight_ratios(zones, zone_of, n)
    for x in range(n):
        kind, _ = zone_of[x]
        if kind == "in":
            assert d.weights[x] == 1.0
        elif kind == "out":
            assert np.isnan(d.weights[x])
        else:
            dd, m = ratios[x]
            assert d.weights[x] == pytest.approx(1 - dd / m, abs=1e-15)

    # Each predicted point's kind and weight give exactly the metric's TP.
    predicted = np.array(y_pred) == 1
    assert ((d.detections != "") == predicted).all()
    credit = np.select([d.detections == "true", np.isin(d.detections, ("early", "delayed"))], [1.0, d.weights], 0.0)
    tp, fp, _ = naive_tp_fp_fn(y_true, y_pred, early_buffer=early, delay_buffer=delay)
    assert credit.sum() == pytest.approx(tp, abs=1e-9)
    assert (1 - credit[predicted]).sum() == pytest.approx(fp, abs=1e-9)


def test_zones_kinds_on_a_hand_made_case():
    # Events [10, 14] and [20, 24]; buffers 4: POST_0 = [15, 18] wins over PRE_1 (only [19, 19] left).
    y_true = np.zeros(40, dtype=int)
    y_true[10:15] = 1
    y_true[20:25] = 1
    y_pred = np.zeros(40, dtype=int)
    y_pred[[7, 8, 12, 16, 19, 27, 35]] = 1
    d = ZonesDisplay.from_predictions(y_true, y_pred, early_buffer=4, delay_buffer=4)
    assert d.early_zones.tolist() == [[6, 9], [19, 19]]
    assert d.delay_zones.tolist() == [[15, 18], [25, 28]]
    kinds = {i: d.detections[i] for i in np.flatnonzero(y_pred)}
    # 19 is in the pre-buffer of event 1, which nothing detects: a false detection, as the metric counts it.
    assert kinds == {7: "early", 8: "early", 12: "true", 16: "delayed", 19: "false", 27: "delayed", 35: "false"}
    assert d.weights[6] == 0.0 and d.weights[28] == 0.0  # far edges
    assert np.isnan(d.weights[35])


def test_zones_threshold_and_continuous_scores():
    y_true = np.zeros(30, dtype=int)
    y_true[10:15] = 1
    score = np.linspace(0, 1, 30)
    d = ZonesDisplay.from_predictions(y_true, score, early_buffer=3, delay_buffer=3)
    assert (d.detections == "").all()  # continuous scores, no threshold: nothing predicted
    d = ZonesDisplay.from_predictions(y_true, score, early_buffer=3, delay_buffer=3, threshold=0.5)
    assert ((d.detections != "") == (score >= 0.5)).all()
    assert d.threshold == 0.5
    with pytest.raises(ValueError, match="threshold must be a finite number"):
        ZonesDisplay.from_predictions(y_true, score, threshold=float("nan"))


@pytest.mark.parametrize(
    "y_true, y_score, kwargs",
    [
        ([0, 2, 1], [0.1, 0.2, 0.3], {}),
        ([0, 1, 1], [0.1, np.nan, 0.3], {}),
        ([0, 1, 1], [0.1, 0.3], {}),
        ([0, 1, 1], [0.1, 0.2, 0.3], {"early_buffer": -1}),
    ],
)
def test_zones_and_curve_errors_are_the_metrics_own(y_true, y_score, kwargs):
    with pytest.raises((ValueError, TypeError)) as metric_error:
        pate_score(y_true, y_score, **kwargs)
    for display in (ZonesDisplay, PateCurveDisplay):
        with pytest.raises(type(metric_error.value)) as display_error:
            display.from_predictions(y_true, y_score, **kwargs)
        assert str(display_error.value) == str(metric_error.value)


def test_zones_stay_legible_on_100k_points(tmp_path):
    n = 100_000
    rng = np.random.default_rng(0)
    y_true = np.zeros(n, dtype=int)
    for s in range(5_000, n, 20_000):
        y_true[s : s + 300] = 1
    score = rng.random(n) * 0.3
    score[54_321] = 5.0  # one spike that a stride would lose
    d = ZonesDisplay.from_predictions(y_true, score, early_buffer=500, delay_buffer=500, threshold=0.25)
    x, y = d.line_.get_data()
    assert len(x) <= 5000  # decimated for drawing
    assert 54_321 in set(np.asarray(x).tolist()) and np.max(y) == 5.0
    assert d.y_score.size == n and d.weights.size == n  # the data held are not decimated
    d.figure_.savefig(tmp_path / "zones.png", dpi=60)
    assert (tmp_path / "zones.png").stat().st_size > 0


def test_zones_draw_on_given_axes():
    fig, (ax1, ax2) = plt.subplots(1, 2)
    d = ZonesDisplay.from_predictions([0, 1, 1, 0], [0, 1, 0, 1], early_buffer=1, delay_buffer=1, ax=ax2, name="det")
    assert d.ax_ is ax2 and d.figure_ is fig
    assert "det" in ax2.get_title()
    labels = [t.get_text() for t in ax2.get_legend().get_texts()]
    assert {"labelled anomaly", "true detection", "delayed detection"} <= set(labels)


# ------------------------------------------------------------ PateCurveDisplay
@pytest.mark.parametrize(
    "options",
    [
        {},
        {"early_buffer": 7, "delay_buffer": 3, "n_buffer_splits": 3},
        {"n_thresholds": None, "include_zero": False},
        {"interpolation": "step", "n_buffer_splits": 2},
    ],
)
def test_curve_display_holds_exactly_pate_curve(options, tmp_path):
    rng = np.random.default_rng(1)
    y_true = np.zeros(500, dtype=int)
    y_true[100:140] = 1
    y_true[300:310] = 1
    y_score = rng.random(500) + 0.5 * y_true
    d = PateCurveDisplay.from_predictions(y_true, y_score, **options)
    expected = pate_curve(y_true, y_score, **options)
    assert len(d.curves) == len(expected)
    for got, want in zip(d.curves, expected):
        assert (got.early_buffer, got.delay_buffer, got.area) == (want.early_buffer, want.delay_buffer, want.area)
        np.testing.assert_array_equal(got.precision, want.precision)
        np.testing.assert_array_equal(got.recall, want.recall)
        np.testing.assert_array_equal(got.thresholds, want.thresholds)
        x, y = d.lines_[(got.early_buffer, got.delay_buffer)].get_data()
        np.testing.assert_array_equal(x, want.recall)
        np.testing.assert_array_equal(y, want.precision)
        step = options.get("interpolation") == "step"
        assert d.lines_[(got.early_buffer, got.delay_buffer)].get_drawstyle() == ("steps-pre" if step else "default")
    assert d.pate == pate_score(y_true, y_score, **options)
    assert f"{d.pate:.4f}" in d.ax_.get_title()
    legend = [t.get_text() for t in d.ax_.get_legend().get_texts()]
    assert len(legend) == len({(c.early_buffer, c.delay_buffer) for c in expected}) + 1
    assert any(f"area {expected[0].area:.3f}" in t for t in legend)

    from sklearn.metrics import average_precision_score, precision_recall_curve

    p, r, _ = precision_recall_curve(y_true, y_score)
    np.testing.assert_array_equal(d.pointwise_precision, p)
    np.testing.assert_array_equal(d.pointwise_recall, r)
    assert d.average_precision == pytest.approx(average_precision_score(y_true, y_score))
    d.figure_.savefig(tmp_path / "curve.svg")
    assert (tmp_path / "curve.svg").read_text().startswith("<?xml")


def test_curve_display_without_pointwise_and_replot():
    d = PateCurveDisplay.from_predictions(
        [0, 1, 1, 0, 0], [0.1, 0.9, 0.3, 0.2, 0.1], early_buffer=1, delay_buffer=1, pointwise=False
    )
    assert d.pointwise_line_ is None and d.pointwise_precision is None
    fig, ax = plt.subplots()
    assert d.plot(ax=ax, name="again").ax_ is ax
    assert ax.get_title().startswith("again: PATE =")


def test_curve_display_without_anomaly_warns_like_the_metric():
    from sklearn.exceptions import UndefinedMetricWarning

    with pytest.warns(UndefinedMetricWarning):
        d = PateCurveDisplay.from_predictions([0, 0, 0], [0.1, 0.5, 0.2])
    assert d.pate == 0.0 and d.pointwise_precision is None


# ----------------------------------------------------- BufferSensitivityDisplay
def test_buffer_sensitivity_values_are_the_metric_at_each_size():
    rng = np.random.default_rng(2)
    y_true = np.zeros(400, dtype=int)
    y_true[150:170] = 1
    scores = {"a": rng.random(400) + y_true, "b": rng.random(400)}
    sizes = [0, 10, 40]
    d = BufferSensitivityDisplay.from_predictions(y_true, scores, buffer_sizes=sizes, n_buffer_splits=2)
    assert d.buffer_sizes.tolist() == sizes and list(d.values) == ["a", "b"]
    for name, s in scores.items():
        want = [pate_score(y_true, s, early_buffer=b, delay_buffer=b, n_buffer_splits=2) for b in sizes]
        assert d.values[name].tolist() == want
        np.testing.assert_array_equal(d.lines_[name].get_ydata(), want)

    pred = {"a": (scores["a"] > 1).astype(int)}
    d = BufferSensitivityDisplay.from_predictions(y_true, pred, buffer_sizes=sizes, metric="pate_f1")
    assert d.values["a"].tolist() == [pate_f1_score(y_true, pred["a"], early_buffer=b, delay_buffer=b) for b in sizes]
    assert d.ax_.get_ylabel() == "pate_f1"


def test_buffer_sensitivity_bad_input():
    y_true, s = [0, 1, 0], [0.1, 0.9, 0.2]
    with pytest.raises(ValueError, match="no buffer options"):
        BufferSensitivityDisplay.from_predictions(y_true, s, metric="auc_pr")
    with pytest.raises(ValueError, match="strictly increasing"):
        BufferSensitivityDisplay.from_predictions(y_true, s, buffer_sizes=[5, 5])
    with pytest.raises(ValueError, match="buffer_sizes"):
        BufferSensitivityDisplay.from_predictions(y_true, s, buffer_sizes=[-1])
    with pytest.raises(TypeError, match="set by buffer_sizes"):
        BufferSensitivityDisplay.from_predictions(y_true, s, early_buffer=3)
    with pytest.raises(TypeError, match="names must be strings"):
        BufferSensitivityDisplay.from_predictions(y_true, {1: s})


def test_buffer_sensitivity_takes_a_dataframe():
    import pandas as pd

    y_true = np.zeros(50, dtype=int)
    y_true[20:25] = 1
    frame = pd.DataFrame({"x": np.linspace(0, 1, 50), "y": np.linspace(1, 0, 50) + y_true})
    d = BufferSensitivityDisplay.from_predictions(y_true, frame, buffer_sizes=[0, 5])
    assert list(d.values) == ["x", "y"]


# ---------------------------------------------------------------- lazy import
def _python(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)


@pytest.mark.slow  # a fresh interpreter
def test_import_pate_plot_does_not_import_matplotlib():
    out = _python("import sys, pate.plot; print('matplotlib' in sys.modules)")
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "False"


@pytest.mark.slow  # a fresh interpreter
def test_missing_matplotlib_names_the_extra():
    # A None entry in sys.modules makes Python's import system refuse the module.
    out = _python(
        "import sys; sys.modules['matplotlib'] = None\n"
        "from pate.plot import ZonesDisplay\n"
        "try:\n    ZonesDisplay.from_predictions([0, 1], [0, 1], early_buffer=1, delay_buffer=1)\n"
        "except ImportError as e:\n    print(e)\n"
    )
    assert out.returncode == 0, out.stderr
    assert 'pip install "pate-eval[plot]"' in out.stdout and "pate.plot" in out.stdout


def test_buffer_sensitivity_from_results_draws_the_mean_over_series():
    import pandas as pd

    rng = np.random.default_rng(4)
    y_true = np.zeros(300, dtype=int)
    y_true[100:120] = 1
    rows = []
    for series in ("s1", "s2", "s3"):
        scores = {"a": rng.random(300) + y_true, "b": rng.random(300)}
        for b in (0, 10, 30):
            params = "" if b == 100 else f"delay_buffer={b};early_buffer={b}"
            for det, s in scores.items():
                rows.append((series, det, "pate", pate_score(y_true, s, early_buffer=b, delay_buffer=b), params))
    results = pd.DataFrame(rows, columns=["series", "detector", "metric", "value", "params"])
    d = BufferSensitivityDisplay.from_results(results)
    assert d.buffer_sizes.tolist() == [0, 10, 30]
    for det in ("a", "b"):
        want = results[results.detector == det].groupby("params", sort=False)["value"].mean().to_numpy()
        np.testing.assert_allclose(d.values[det], want, rtol=1e-15)
        np.testing.assert_array_equal(d.lines_[det].get_ydata(), d.values[det])
    assert d.result.metric == "pate"

    skewed = results.assign(params=results["params"].str.replace("early_buffer=10", "early_buffer=5"))
    with pytest.raises(ValueError, match="unequal buffers"):
        BufferSensitivityDisplay.from_results(skewed)
