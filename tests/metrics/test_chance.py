"""Chance levels (``pate.chance_level``): null distributions, p-values and chance-adjusted values.

The oracle is a plain loop: the registered metric called on every
``np.roll(y_score, k)`` (or every shuffle, in the documented draw order), and
the summary written out from the definitions of docs/chance.md. The fast
paths (the resampling kernel for PATE, PATE-F1 and pate_ap; the packed numpy
batch) must give the same null values, expected value and p-value. The
closed forms of the permutation null are checked against exhaustive
enumeration in exact arithmetic and against a Monte Carlo of scikit-learn.
"""

from __future__ import annotations

import itertools
import math
import warnings
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from naive.strategies import grid, labelled_series, scores_for

import pate
from pate._engine import DENSE_THRESHOLDS
from pate._warnings import undefined_metric_warning_class
from pate.metrics._chance import _pvalue
from pate.metrics._null_moments import (
    auc_roc_permutation_moments,
    average_precision_permutation_mean,
    trapezoid_pr_permutation_mean,
)

UndefinedMetricWarning = undefined_metric_warning_class()
TOLERANCE = 100 * np.finfo(np.float64).eps  # the p-value's tie tolerance (docs/chance.md)


def oracle(quiet, metric, y, s, resamples, **options):
    """(observed, null values, expected, pvalue) by a plain loop over the resampled arrays."""
    f = pate.get_metric(metric)
    observed = quiet(f, y, s, **options)
    null = np.array([quiet(f, y, r, **options) for r in resamples], dtype=float)
    expected = math.fsum(null.tolist()) / null.size
    pvalue = (1 + sum(v >= observed - TOLERANCE * abs(observed) for v in null.tolist())) / (1 + null.size)
    return observed, null, expected, pvalue


def all_shifts(s):
    return [np.roll(s, k) for k in range(1, s.size)]


# --------------------------------------------------------------------------
# Every shift enumerated: equal to the loop


@st.composite
def series_and_scores(draw, min_len=2, max_len=40):
    y = draw(labelled_series(max_len=max_len))
    if y.size < min_len:
        y = np.concatenate([y, np.zeros(min_len - y.size, dtype=bool)])
    return y, draw(scores_for(y))


METRIC_OPTIONS = {
    "vus_pr": st.fixed_dictionaries({"window": st.integers(0, 4)}),
    "auc_pr": st.just({}),
    "auc_roc": st.just({}),
    "auc_pr_trapz": st.just({}),
    "best_point_f1": st.just({}),
    "range_auc_pr": st.fixed_dictionaries({"window": st.integers(0, 3)}),
}


@settings(max_examples=60)
@given(
    data=st.data(),
    options=grid,
    n_thresholds=st.sampled_from([None, 2, 7, 250]),
    drop=st.booleans(),
    metric=st.sampled_from(["pate", "pate_ap"]),
)
def test_pate_with_buffers_every_shift_equals_the_loop(data, options, n_thresholds, drop, metric, quiet):
    y, s = data.draw(series_and_scores())
    options = dict(options, n_thresholds=n_thresholds, drop_intermediate=drop)
    result = quiet(pate.chance_level, metric, y, s, n_resamples=10_000, **options)
    observed, null, expected, pvalue = oracle(quiet, metric, y, s, all_shifts(s), **options)
    assert result.exact and result.null == "shift"
    assert result.observed == observed
    np.testing.assert_allclose(result.null_values, null, rtol=0, atol=1e-9)
    assert abs(result.expected - expected) <= 1e-9
    assert abs(result.pvalue - pvalue) <= 1e-9
    assert abs(result.std - float(np.std(null))) <= 1e-9


@settings(max_examples=40)
@given(data=st.data(), options=grid)
def test_pate_f1_every_shift_equals_the_loop(data, options, quiet):
    y, s = data.draw(series_and_scores())
    pred = s >= np.median(s)
    result = quiet(pate.chance_level, "pate_f1", y, pred, n_resamples=10_000, **options)
    observed, null, expected, pvalue = oracle(quiet, "pate_f1", y, pred, all_shifts(pred), **options)
    assert result.exact
    np.testing.assert_allclose(result.null_values, null, rtol=0, atol=1e-9)
    assert abs(result.expected - expected) <= 1e-9 and abs(result.pvalue - pvalue) <= 1e-9


@settings(max_examples=40)
@given(data=st.data(), metric=st.sampled_from(sorted(METRIC_OPTIONS)))
def test_loop_metrics_every_shift_equals_the_loop(data, metric, quiet):
    y, s = data.draw(series_and_scores())
    options = data.draw(METRIC_OPTIONS[metric])
    result = quiet(pate.chance_level, metric, y, s, n_resamples=y.size - 1, **options)
    observed, null, expected, pvalue = oracle(quiet, metric, y, s, all_shifts(s), **options)
    assert result.exact
    np.testing.assert_allclose(result.null_values, null, rtol=0, atol=1e-9, equal_nan=True)
    if math.isnan(observed):
        assert math.isnan(result.expected) and math.isnan(result.pvalue)
    else:
        assert abs(result.expected - expected) <= 1e-9 and abs(result.pvalue - pvalue) <= 1e-9


def test_more_thresholds_than_the_packed_kernels_build_take_the_loop(quiet):
    # beyond DENSE_THRESHOLDS the single-series engine builds the curve from the scores reached
    rng = np.random.default_rng(2)
    y = np.zeros(40, dtype=bool)
    y[10:14] = y[30] = True
    s = np.round(rng.random(40), 2)
    options = {"n_thresholds": DENSE_THRESHOLDS + 1, "early_buffer": 3, "delay_buffer": 2}
    result = quiet(pate.chance_level, "pate", y, s, n_resamples=100, **options)
    _, null, expected, pvalue = oracle(quiet, "pate", y, s, all_shifts(s), **options)
    np.testing.assert_array_equal(result.null_values, null)
    assert result.expected == pytest.approx(expected, abs=1e-12) and result.pvalue == pvalue


@pytest.mark.parametrize("metric", ["pate", "pate_ap", "pate_f1"])
def test_the_numpy_batch_path_equals_the_numba_kernel(metric):
    rng = np.random.default_rng(3)
    y = np.zeros(300, dtype=bool)
    y[[40, 41, 42, 150, 151, 260]] = True
    s = rng.random(300) + 0.4 * y
    values = s > 0.8 if metric == "pate_f1" else s
    a = pate.chance_level(metric, y, values, n_resamples=60, random_state=1, early_buffer=7, delay_buffer=5)
    b = pate.chance_level(
        metric, y, values, n_resamples=60, random_state=1, early_buffer=7, delay_buffer=5, backend="numpy"
    )
    np.testing.assert_allclose(a.null_values, b.null_values, rtol=0, atol=1e-12)
    assert not a.exact and a.null_values.size == 60


@pytest.mark.parametrize("metric", ["pate", "pate_ap", "pate_f1"])
def test_a_long_series_with_many_shifts_equals_the_packed_batch(metric):
    # Past one chunk of the kernel's threads; the batch evaluates each shift as a new series.
    rng = np.random.default_rng(0)
    y = np.zeros(3000, dtype=bool)
    for start in rng.choice(2900, 12, replace=False):
        y[start : start + rng.integers(3, 40)] = True
    s = rng.random(3000) + 0.5 * y
    values = s > 0.9 if metric == "pate_f1" else s
    result = pate.chance_level(metric, y, values, n_resamples=200, random_state=5, n_jobs=2)
    shifts = 1 + np.random.default_rng(5).choice(2999, size=200, replace=False)  # the documented draw
    rolled = [np.roll(values, k) for k in shifts]
    if metric == "pate_f1":
        reference = pate.pate_f1_score_batch([y] * 200, rolled)
    else:
        reference = pate.pate_score_batch(
            [y] * 200, rolled, interpolation="step" if metric == "pate_ap" else "trapezoid"
        )
    assert np.array_equal(result.null_values, reference)


# --------------------------------------------------------------------------
# The permutation null


@pytest.mark.parametrize("metric", ["pate", "pate_ap", "auc_pr", "vus_pr"])
def test_permutations_follow_the_documented_draw(metric, quiet):
    rng = np.random.default_rng(11)
    y = np.zeros(80, dtype=bool)
    y[20:26] = y[60:63] = True
    s = np.round(rng.random(80) + 0.3 * y, 1)  # ties
    options = {"early_buffer": 4, "delay_buffer": 3} if metric.startswith("pate") else {}
    result = quiet(pate.chance_level, metric, y, s, null="permutation", n_resamples=30, random_state=7, **options)
    draw = np.random.default_rng(7)
    perms = [draw.permutation(80) for _ in range(30)]
    observed, null, expected, pvalue = oracle(quiet, metric, y, s, [s[p] for p in perms], **options)
    np.testing.assert_allclose(result.null_values, null, rtol=0, atol=1e-12)
    assert result.pvalue == pytest.approx(pvalue, abs=1e-12)
    if metric != "auc_pr":  # a Monte Carlo estimate; auc_pr's comes from the closed form
        assert result.expected == pytest.approx(expected, abs=1e-12) and not result.exact


@pytest.mark.parametrize("ties", [False, True])
def test_auc_roc_permutation_expected_is_one_half_exactly(ties):
    rng = np.random.default_rng(0)
    y = rng.random(500) < 0.1
    s = np.round(rng.random(500), 1) if ties else rng.random(500)
    result = pate.chance_level("auc_roc", y, s + 0.2 * y, null="permutation", n_resamples=199, random_state=0)
    assert result.expected == 0.5 and result.exact
    assert abs(float(np.mean(result.null_values)) - 0.5) < 4 * result.std / math.sqrt(199)


def _exhaustive(quiet, metric, y, s):
    """Mean and population std of a metric over every distinct assignment of the scores, in exact fractions."""
    values = [Fraction(quiet(pate.get_metric(metric), y, np.array(p))) for p in set(itertools.permutations(s))]
    mean = sum(values) / len(values)
    return mean, math.sqrt(sum((v - mean) ** 2 for v in values) / len(values))


@settings(max_examples=40)
@given(
    n=st.integers(2, 7),
    data=st.data(),
)
def test_closed_forms_equal_exhaustive_enumeration(n, data, quiet):
    y = np.array(data.draw(st.lists(st.booleans(), min_size=n, max_size=n)))
    s = np.array(data.draw(st.lists(st.sampled_from([0.0, 0.5, 1.0, 2.0]), min_size=n, max_size=n)))
    if not y.any():
        return
    mean, _ = _exhaustive(quiet, "auc_pr", y, s)
    assert abs(average_precision_permutation_mean(y, s) - float(mean)) <= 1e-12
    mean, _ = _exhaustive(quiet, "auc_pr_trapz", y, s)
    assert abs(trapezoid_pr_permutation_mean(y, s) - float(mean)) <= 1e-12
    if not y.all():
        mean, std = _exhaustive(quiet, "auc_roc", y, s)
        assert abs(mean - Fraction(1, 2)) <= 1e-12
        assert auc_roc_permutation_moments(y, s) == (0.5, pytest.approx(std, abs=1e-12))


@pytest.mark.parametrize("ties", [False, True])
def test_average_precision_expectation_agrees_with_a_monte_carlo_of_sklearn(ties):
    from sklearn.metrics import average_precision_score

    rng = np.random.default_rng(2024)
    n, n1 = 200, 13
    y = np.zeros(n, dtype=int)
    y[rng.choice(n, n1, replace=False)] = 1
    s = np.round(rng.random(n), 1) if ties else rng.random(n)
    draws = np.array([average_precision_score(y, s[rng.permutation(n)]) for _ in range(4000)])
    standard_error = draws.std(ddof=1) / math.sqrt(draws.size)
    exact = pate.chance_level("auc_pr", y, s, null="permutation", n_resamples=9, random_state=0).expected
    assert abs(draws.mean() - exact) <= 4 * standard_error
    if not ties:  # the harmonic-number form
        harmonic = math.fsum(1 / k for k in range(1, n + 1))
        assert exact == pytest.approx((n1 - 1) / (n - 1) + harmonic * (n - n1) / (n * (n - 1)), rel=1e-14)


# --------------------------------------------------------------------------
# Summary values


CONSTANT_CASES = [
    ("pate", {"early_buffer": 3, "delay_buffer": 2}),
    ("pate_ap", {}),
    ("auc_roc", {}),
    ("auc_pr", {}),
    ("auc_pr_trapz", {}),
    ("vus_pr", {"window": 2}),
    ("best_point_f1", {}),
]


@pytest.mark.parametrize("null", ["shift", "permutation"])
@pytest.mark.parametrize("metric, options", CONSTANT_CASES)
@pytest.mark.parametrize("value", [0.0, 0.3])
def test_a_constant_score_is_exactly_at_chance(metric, options, null, value, quiet):
    y = np.zeros(50, dtype=int)
    y[10:14] = y[30] = 1
    result = quiet(pate.chance_level, metric, y, np.full(50, value), null=null, n_resamples=20, **options)
    assert result.expected == result.observed
    assert result.adjusted == 0.0 and result.pvalue == 1.0 and result.std == 0.0 and result.exact
    assert np.all(result.null_values == result.observed)


@pytest.mark.parametrize("metric", ["pate_f1", "point_f1", "event_f1", "affiliation_f1"])
@pytest.mark.parametrize("value", [0, 1])
def test_a_constant_prediction_is_exactly_at_chance(metric, value, quiet):
    y = np.zeros(40, dtype=int)
    y[5:9] = 1
    result = quiet(pate.chance_level, metric, y, np.full(40, value), n_resamples=5)
    if math.isnan(result.observed):  # affiliation F1 of an empty prediction is undefined (nan): so is the rest
        assert (metric, value) == ("affiliation_f1", 0)
        assert math.isnan(result.expected) and math.isnan(result.adjusted) and math.isnan(result.pvalue)
    else:
        assert (result.expected, result.adjusted, result.pvalue) == (result.observed, 0.0, 1.0)


def test_adjusted_and_pvalue_follow_their_definitions():
    y = np.zeros(400, dtype=int)
    y[100:110] = y[300:305] = 1
    s = np.random.default_rng(4).random(400) + 0.6 * y
    result = pate.chance_level("auc_pr", y, s, n_resamples=150, random_state=3)
    assert result.adjusted == pytest.approx((result.observed - result.expected) / (1.0 - result.expected), rel=1e-15)
    assert result.pvalue == (1 + np.count_nonzero(result.null_values >= result.observed)) / 151
    assert 0 < result.adjusted < 1 and result.pvalue == 1 / 151


def test_the_pvalue_takes_the_lower_tail_for_a_metric_where_lower_is_better():
    null = np.array([0.1, 0.2, 0.3, 0.4])
    assert _pvalue(0.2, null, greater_is_better=False) == 3 / 5
    assert _pvalue(0.2, null, greater_is_better=True) == 4 / 5
    assert _pvalue(0.3 + 1e-17, np.array([0.3]), greater_is_better=True) == 1.0  # within rounding: a tie


def test_adjusted_is_undefined_when_chance_is_already_best():
    y = np.ones(30, dtype=int)  # every point an anomaly: every ranking has AP 1
    s = np.random.default_rng(0).random(30)
    with pytest.warns(UndefinedMetricWarning, match="adjusted value of 'auc_pr' is undefined"):
        assert pate.chance_level("auc_pr", y, s, n_resamples=5, random_state=0).adjusted == 0.0
    assert math.isnan(pate.chance_level("auc_pr", y, s, n_resamples=5, undefined="nan").adjusted)
    assert pate.chance_level("auc_pr", y, s, n_resamples=5, undefined=0.25).adjusted == 0.25


def test_an_undefined_metric_warns_once_not_once_per_resample():
    y = np.zeros(200, dtype=int)  # no anomaly: PATE is undefined on every resample
    s = np.random.default_rng(0).random(200)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = pate.chance_level("pate", y, s, n_resamples=50, random_state=0)
    assert [w.category for w in caught] == [UndefinedMetricWarning]
    assert result.observed == 0.0 and np.all(result.null_values == 0.0)
    nan = pate.chance_level("pate", y, s, n_resamples=50, undefined="nan")
    assert math.isnan(nan.observed) and math.isnan(nan.expected) and math.isnan(nan.pvalue)


def test_random_state_makes_it_reproducible_and_the_shifts_are_distinct(quiet):
    y = np.zeros(1000, dtype=int)
    y[400:420] = 1
    s = np.random.default_rng(0).random(1000)
    a = pate.chance_level("pate", y, s, n_resamples=300, random_state=42)
    b = pate.chance_level("pate", y, s, n_resamples=300, random_state=np.random.default_rng(42))
    assert np.array_equal(a.null_values, b.null_values) and a.expected == b.expected
    loop = quiet(pate.chance_level, "auc_roc", y, s, n_resamples=300, random_state=42)
    shifts = 1 + np.random.default_rng(42).choice(999, size=300, replace=False)
    assert np.unique(shifts).size == 300
    _, null, _, _ = oracle(quiet, "auc_roc", y, s, [np.roll(s, k) for k in shifts])
    np.testing.assert_allclose(loop.null_values, null, rtol=0, atol=1e-15)


def test_the_result_is_a_small_frozen_record():
    result = pate.chance_level("auc_roc", [0, 1, 1, 0, 0], [0.1, 0.9, 0.8, 0.3, 0.2])
    assert result.null_values.size == 4 and result.exact
    assert "null_values" not in repr(result) and "pvalue=" in repr(result)
    with pytest.raises(AttributeError):
        result.expected = 0.0  # type: ignore[misc]


# --------------------------------------------------------------------------
# Bad input


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"n_resamples": 0}, ValueError, "n_resamples must be >= 1"),
        ({"n_resamples": -5}, ValueError, "n_resamples must be >= 1"),
        ({"n_resamples": 2.5}, TypeError, "n_resamples must be an integer"),
        ({"null": "bootstrap"}, ValueError, "null must be 'shift' or 'permutation'; got 'bootstrap'"),
        ({"null": None}, ValueError, "null must be 'shift' or 'permutation'"),
        ({"random_state": "seed"}, TypeError, "random_state must be None, an int"),
        ({"random_state": np.random.RandomState(0)}, TypeError, "random_state .* legacy"),
        ({"random_state": -1}, ValueError, "random_state"),
        ({"undefined": "zero"}, ValueError, "undefined must be"),
        ({"windw": 3}, TypeError, "metric 'vus_pr' has no option 'windw'"),
        ({"window": -1}, ValueError, "metric 'vus_pr', option window"),
    ],
)
def test_bad_arguments_are_named(kwargs, error, match):
    with pytest.raises(error, match=match):
        pate.chance_level("vus_pr", [0, 1, 1, 0], [0.1, 0.9, 0.4, 0.2], **kwargs)


@pytest.mark.parametrize("metric", ["pate_f1", "point_f1", "range_f1"])
def test_permutation_needs_a_metric_of_scores(metric):
    with pytest.raises(ValueError, match=f"null='permutation' needs a metric of continuous scores; '{metric}'"):
        pate.chance_level(metric, [0, 1, 1, 0], [0, 1, 0, 0], null="permutation")


def test_unknown_metric_and_bad_arrays_are_named():
    with pytest.raises(ValueError, match="Unknown metric 'pat'. Did you mean 'pate'"):
        pate.chance_level("pat", [0, 1], [0.1, 0.2])
    with pytest.raises(ValueError, match="y_score contains NaN at index 1"):
        pate.chance_level("pate", [0, 1], [0.1, np.nan])
    with pytest.raises(ValueError, match="y_score must contain only 0 and 1"):
        pate.chance_level("pate_f1", [0, 1], [0.1, 0.2])
    with pytest.raises(ValueError, match="y_true and y_score must have the same length"):
        pate.chance_level("auc_roc", [0, 1, 0], [0.1, 0.2])


@pytest.mark.parametrize("info", [i for i in pate.list_metrics() if math.isfinite(i.best)], ids=lambda info: info.name)
def test_every_registered_metric_has_a_chance_level(info, quiet):
    rng = np.random.default_rng(1)
    y = np.zeros(120, dtype=int)
    y[30:36] = y[80:90] = 1
    s = rng.random(120) + 0.8 * y
    values = s > 0.9 if info.input == "binary" else s
    nulls = ["shift"] if info.input == "binary" else ["shift", "permutation"]
    for null in nulls:
        result = quiet(pate.chance_level, info.name, y, values, null=null, n_resamples=7, random_state=0)
        assert result.observed == quiet(info.func, y, values)
        assert result.null_values.shape == (7,) and np.isfinite(result.null_values).all()
        assert result.pvalue >= 1 / 8 and result.pvalue <= 1
        assert result.adjusted == pytest.approx((result.observed - result.expected) / (info.best - result.expected))


def test_a_metric_that_is_no_score_has_no_chance_level():
    # mean_time_to_detect is a time (lower is better, no best value): the only such registry metric
    assert [i.name for i in pate.list_metrics() if not math.isfinite(i.best)] == ["mean_time_to_detect"]
    assert not pate.metrics.get_metric_info("mean_time_to_detect").greater_is_better
    with pytest.raises(ValueError, match="'mean_time_to_detect' has no chance level: it is not a score"):
        pate.chance_level("mean_time_to_detect", [0, 1, 1, 0], [0, 1, 0, 0])
