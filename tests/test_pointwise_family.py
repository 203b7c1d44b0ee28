"""Point-wise, AUC, point-adjusted, PA%K, event-based and best-F1 metrics.

Known values from baseline-metrics.md (sections 1-6 and 12), both modes, the
degenerate cases, and invariants as properties.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pate._warnings import undefined_metric_warning_class
from pate.metrics import (
    auc_pr_score,
    auc_pr_trapz_score,
    auc_roc_score,
    best_event_f1_score,
    best_pa_f1_score,
    best_point_f1_score,
    event_f1_score,
    get_metric,
    pak_f1_score,
    point_adjusted_precision_recall_fscore,
    point_precision_recall_fscore,
)

UndefinedMetricWarning = undefined_metric_warning_class()


def series(n, *ranges):
    y = np.zeros(n, dtype=int)
    for a, b in ranges:
        y[a : b + 1] = 1
    return y


Y10 = series(10, (2, 4), (7, 7))
P10 = series(10, (3, 3), (6, 8))
S11 = np.array([.1, .2, .3, .6, .9, .4, .5, .2, .1, .7, .3, 0])  # section 11 input
Y11 = series(12, (4, 5), (9, 9))


# ------------------------------------------------------------------ section 1
def test_point_wise_known_values():
    assert point_precision_recall_fscore(Y10, P10) == (0.5, 0.5, 0.5)
    with pytest.warns(UndefinedMetricWarning, match="recall is 0/0"):
        assert point_precision_recall_fscore(np.zeros(10, int), series(10, (3, 4))).fscore == 0.0
    with pytest.warns(UndefinedMetricWarning, match="precision is 0/0"):
        assert point_precision_recall_fscore(series(10, (2, 4)), np.zeros(10, int)).fscore == 0.0
    # the reference raises IndexError here; the definition gives 0 (warned) and 1
    with pytest.warns(UndefinedMetricWarning):
        assert point_precision_recall_fscore(np.zeros(10, int), np.zeros(10, int)) == (0.0, 0.0, 0.0)
    assert point_precision_recall_fscore([1], [1]) == (1.0, 1.0, 1.0)


# --------------------------------------------------------------- sections 2-3
@pytest.mark.parametrize(
    "y, s, roc, ap, trapz",
    [
        (series(6, (2, 3)), [.1, .85, .9, .8, .3, .1], 0.875, 0.8333333333333333, 0.7916666666666666),
        (series(5, (1, 1), (3, 3)), [.2, .2, .2, .9, .1], 0.8333333333333334, 0.75, 0.875),
        (series(10, (4, 5)), np.zeros(10), 0.5, 0.2, 0.6),
        (Y11, S11, 0.9259259259259259, 0.8666666666666667, 0.8500000000000001),
    ],
)
def test_auc_known_values(y, s, roc, ap, trapz):
    assert auc_roc_score(y, s) == pytest.approx(roc, abs=1e-15)
    assert auc_pr_score(y, s) == pytest.approx(ap, abs=1e-15)
    assert auc_pr_trapz_score(y, s) == pytest.approx(trapz, abs=1e-15)


def test_auc_undefined_cases_warn_and_return_nan():
    s = [.1, .2, .3, .4, .5]
    for f in (auc_roc_score, auc_pr_score, auc_pr_trapz_score):
        with pytest.warns(UndefinedMetricWarning, match="undefined"):
            assert math.isnan(f(np.zeros(5, int), s))
    with pytest.warns(UndefinedMetricWarning, match="only anomalies"):
        assert math.isnan(auc_roc_score(np.ones(5, int), s))


def test_auc_against_sklearn_on_random_ties():
    from sklearn.metrics import average_precision_score, precision_recall_curve, roc_auc_score
    from sklearn.metrics import auc as sk_auc

    rng = np.random.default_rng(1)
    for _ in range(50):
        n = int(rng.integers(2, 300))
        y = (rng.random(n) < 0.3).astype(int)
        if y.min() == y.max():
            continue
        s = rng.integers(0, 8, n) / 7.0
        assert auc_roc_score(y, s) == pytest.approx(roc_auc_score(y, s), abs=1e-12)
        assert auc_pr_score(y, s) == pytest.approx(average_precision_score(y, s), abs=1e-12)
        p, r, _ = precision_recall_curve(y, s)
        assert auc_pr_trapz_score(y, s) == pytest.approx(sk_auc(r, p), abs=1e-12)


# ------------------------------------------------------------------ section 4
@pytest.mark.parametrize(
    "y, p, f1_compat, f1_default",
    [
        (Y10, P10, 0.8, 0.8),
        (series(10, (0, 3)), series(10, (2, 2)), 0.8571428571428571, 1.0),
        (series(10, (0, 3)), series(10, (0, 0)), 1.0, 1.0),
        (series(10, (0, 9)), series(10, (3, 4)), 0.9473684210526315, 1.0),
    ],
)
def test_point_adjusted_known_values(y, p, f1_compat, f1_default):
    assert point_adjusted_precision_recall_fscore(y, p, compat=True).fscore == f1_compat
    assert point_adjusted_precision_recall_fscore(y, p).fscore == f1_default


def test_point_adjusted_precision_recall():
    assert point_adjusted_precision_recall_fscore(Y10, P10) == (0.6666666666666666, 1.0, 0.8)
    for compat in (False, True):
        with pytest.warns(UndefinedMetricWarning):
            assert point_adjusted_precision_recall_fscore(np.zeros(10, int), np.zeros(10, int), compat=compat).fscore == 0.0


# ------------------------------------------------------------------ section 5
@pytest.mark.parametrize(
    "y, p, k, value",
    [
        (Y10, P10, 0, 0.8), (Y10, P10, 20, 0.8), (Y10, P10, 50, 0.5), (Y10, P10, 67, 0.5), (Y10, P10, 100, 0.5),
        (series(10, (0, 3)), series(10, (2, 2)), 0, 1.0),
        (series(10, (0, 3)), series(10, (2, 2)), 25, 0.4),
        (series(10, (0, 3)), series(10, (2, 3)), 25, 1.0),
    ],
)
def test_pak_known_values(y, p, k, value):
    assert pak_f1_score(y, p, k=k) == pytest.approx(value, abs=1e-15)


def test_pak_bounds_on_k():
    with pytest.raises(ValueError, match=r"k must be in \[0.0, 100.0\]"):
        pak_f1_score(Y10, P10, k=120)


# ------------------------------------------------------------------ section 6
@pytest.mark.parametrize(
    "y, p, compat_value, default_value",
    [
        (Y10, P10, 0.6666666666666662, 2 / 3),
        (series(10, (7, 9)), series(10, (9, 9)), 0.0, 1.0),
        (series(10, (7, 9)), series(10, (8, 8)), 0.9999999999999996, 1.0),
        (series(10, (9, 9)), series(10, (9, 9)), 0.0, 1.0),
    ],
)
def test_event_f1_known_values(y, p, compat_value, default_value):
    assert event_f1_score(y, p, compat=True) == compat_value
    assert event_f1_score(y, p) == pytest.approx(default_value, abs=1e-15)


def test_event_f1_degenerate():
    for compat in (False, True):
        with pytest.warns(UndefinedMetricWarning, match="no event"):
            assert math.isnan(event_f1_score(np.zeros(10, int), series(10, (3, 3)), compat=compat))
        with pytest.warns(UndefinedMetricWarning, match="nothing predicted"):
            assert event_f1_score(series(10, (3, 4)), np.zeros(10, int), compat=compat) == 0.0


# ----------------------------------------------------------------- section 12
@pytest.mark.parametrize(
    "y, s, point, pa, event",
    [
        (Y11, S11, 0.7999952000287999, 1.0, 0.9999999999999996),
        (series(6, (2, 3)), [.1, .85, .9, .8, .3, .1], 0.7999952000287999, 1.0, 0.9999999999999996),
        (series(10, (4, 5)), np.zeros(10), 0.3333305555787035, 0.0, 0.0),
    ],
)
def test_best_f1_known_values(y, s, point, pa, event):
    assert best_point_f1_score(y, s, compat=True) == pytest.approx(point, abs=1e-15)
    assert best_pa_f1_score(y, s, compat=True) == pa
    assert best_event_f1_score(y, s, compat=True) == event
    assert best_point_f1_score(y, s) == pytest.approx(point, abs=1e-4)
    assert best_pa_f1_score(y, s) == pa
    assert best_event_f1_score(y, s) == pytest.approx(event, abs=1e-15)


def test_best_f1_equals_the_maximum_over_the_grid_one_threshold_at_a_time():
    from pate._oracle_grid import oracle_thresholds

    rng = np.random.default_rng(4)
    for _ in range(30):
        n = int(rng.integers(5, 120))
        y = (rng.random(n) < 0.25).astype(int)
        y[int(rng.integers(0, n))] = 1
        s = rng.integers(0, 6, n) / 5.0
        for compat in (False, True):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", UndefinedMetricWarning)
                grid = oracle_thresholds(s)
                pa = max(point_adjusted_precision_recall_fscore(y, s > t, compat=compat).fscore for t in grid)
                ev = max(event_f1_score(y, s > t, compat=compat) for t in grid)
                pt = max(point_precision_recall_fscore(y, s >= t).fscore for t in np.unique(s))
            assert best_pa_f1_score(y, s, compat=compat) == pytest.approx(pa, abs=1e-12)
            assert best_event_f1_score(y, s, compat=compat) == pytest.approx(ev, abs=1e-12)
        assert best_point_f1_score(y, s) == pytest.approx(pt, abs=1e-12)


def test_best_f1_without_labels_warns_nan():
    for f in (best_point_f1_score, best_pa_f1_score, best_event_f1_score):
        with pytest.warns(UndefinedMetricWarning):
            assert math.isnan(f(np.zeros(8, int), np.arange(8.0)))


# ------------------------------------------------------------------ invariants
BINARY = ["point_precision", "point_recall", "point_f1", "pa_precision", "pa_recall", "pa_f1", "pak_f1", "event_f1"]
SCORE = ["auc_roc", "auc_pr", "auc_pr_trapz", "best_point_f1", "best_pa_f1", "best_event_f1"]


@settings(max_examples=150)
@given(st.data())
def test_values_in_unit_interval_and_perfect_prediction(data):
    n = data.draw(st.integers(2, 50))
    y = np.array(data.draw(st.lists(st.sampled_from([0, 1]), min_size=n, max_size=n)))
    p = np.array(data.draw(st.lists(st.sampled_from([0, 1]), min_size=n, max_size=n)))
    s = np.array(data.draw(st.lists(st.sampled_from([0.0, 0.3, 0.6, 1.0]), min_size=n, max_size=n)))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UndefinedMetricWarning)
        for name in BINARY:
            v = get_metric(name)(y, p)
            assert math.isnan(v) or 0.0 <= v <= 1.0, name
        for name in SCORE:
            v = get_metric(name)(y, s)
            assert math.isnan(v) or 0.0 <= v <= 1.0, name
    if 0 < y.sum() < n:
        for name in BINARY:
            assert get_metric(name)(y, y) == 1.0, name
        for name in ("auc_roc", "auc_pr", "auc_pr_trapz", "best_point_f1", "best_event_f1", "best_pa_f1"):
            assert get_metric(name)(y, y.astype(float)) == 1.0, name


@pytest.mark.parametrize("convert", [list, pd.Series, lambda a: a.astype(bool), lambda a: a.astype(np.float32)])
def test_input_type_invariance_and_no_mutation(convert):
    y, p, s = Y11.copy(), (S11 > 0.45).astype(int), S11.copy()
    for name in BINARY:
        assert get_metric(name)(convert(y), convert(p)) == get_metric(name)(y, p), name
    for name in SCORE:
        assert get_metric(name)(convert(y), s) == get_metric(name)(y, s), name
    assert np.array_equal(y, Y11) and np.array_equal(s, S11)


def test_shared_validation_messages():
    for name in BINARY + SCORE:
        with pytest.raises(ValueError, match="same length"):
            get_metric(name)([0, 1, 1], [0, 1])
        with pytest.raises(ValueError, match="y_true must contain only 0 and 1"):
            get_metric(name)([0, 2, 1], [0, 1, 1])
