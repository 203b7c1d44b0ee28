"""PATE's public API: invariants, input types, bad input, undefined cases, compat."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import pate
from pate import pate_curve, pate_f1_score, pate_score
from pate._warnings import undefined_metric_warning_class

UndefinedMetricWarning = undefined_metric_warning_class()

rng = np.random.default_rng(0)
Y = np.zeros(300, dtype=int)
Y[[*range(20, 35), *range(120, 121), *range(200, 260)]] = 1
S = rng.random(300) + 0.4 * Y
PRED = (S > 0.9).astype(int)


# ---------------------------------------------------------------- invariants
@settings(max_examples=150)
@given(
    labels=st.lists(st.sampled_from([0, 1]), min_size=1, max_size=60).filter(any),
    early=st.integers(0, 8),
    delay=st.integers(0, 8),
    splits=st.integers(1, 3),
)
def test_scores_equal_to_the_labels_give_one(labels, early, delay, splits):
    y = np.array(labels)
    opts = dict(early_buffer=early, delay_buffer=delay, n_buffer_splits=splits)
    assert pate_score(y, y.astype(float), **opts) == 1.0
    assert pate_score(y, y.astype(float), n_thresholds=None, **opts) == 1.0
    assert pate_f1_score(y, y, **opts) == 1.0


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.UndefinedMetricWarning")
@settings(max_examples=150)
@given(
    labels=st.lists(st.sampled_from([0, 1]), min_size=1, max_size=60).filter(any),
    seed=st.integers(0, 2**32 - 1),
    early=st.integers(0, 10),
    delay=st.integers(0, 10),
)
def test_scores_lie_in_unit_interval(labels, seed, early, delay):
    y = np.array(labels)
    s = np.random.default_rng(seed).random(y.size)
    v = pate_score(y, s, early_buffer=early, delay_buffer=delay)
    f = pate_f1_score(y, s > 0.5, early_buffer=early, delay_buffer=delay)
    assert 0.0 <= v <= 1.0 and 0.0 <= f <= 1.0


@pytest.mark.parametrize(
    "convert",
    [
        list,
        lambda a: np.asarray(a, dtype=np.int8),
        lambda a: np.asarray(a, dtype=np.float32),
        lambda a: np.asarray(a, dtype=np.uint64),
        pd.Series,
        lambda a: pd.Series(a, index=np.arange(len(a)) * 7),
        lambda a: pd.Series(a, dtype="Int64"),
    ],
    ids=["list", "int8", "float32", "uint64", "series", "series-index", "nullable-int"],
)
def test_results_identical_across_label_input_types(convert):
    base = pate_score(Y, S, early_buffer=10, delay_buffer=5)
    assert pate_score(convert(Y), S, early_buffer=10, delay_buffer=5) == base
    assert pate_score(Y.astype(bool), S, early_buffer=10, delay_buffer=5) == base
    f1 = pate_f1_score(Y, PRED, early_buffer=10, delay_buffer=5)
    assert pate_f1_score(convert(Y), convert(PRED), early_buffer=10, delay_buffer=5) == f1
    assert pate_f1_score(Y.astype(bool), PRED.astype(bool), early_buffer=10, delay_buffer=5) == f1


@pytest.mark.parametrize("convert", [list, pd.Series, lambda a: np.asarray(a, dtype=np.float64)])
def test_results_identical_across_score_input_types(convert):
    assert pate_score(Y, convert(S)) == pate_score(Y, S)
    ints = (S * 1000).astype(np.int64)
    assert pate_score(Y, convert(ints)) == pate_score(Y, ints.astype(np.float64))


def test_inputs_are_not_modified_and_read_only_inputs_work():
    y, s, p = Y.copy(), S.copy(), PRED.copy()
    for a in (y, s, p):
        a.flags.writeable = False
    pate_score(y, s)
    pate_curve(y, s)
    pate_f1_score(y, p)
    assert np.array_equal(y, Y) and np.array_equal(s, S) and np.array_equal(p, PRED)


def test_curve_areas_average_to_the_score():
    curves = pate_curve(Y, S, early_buffer=30, delay_buffer=10, n_buffer_splits=2)
    assert len(curves) == 9
    assert np.mean([c.area for c in curves]) == pate_score(Y, S, early_buffer=30, delay_buffer=10, n_buffer_splits=2)
    for c in curves:
        assert c.precision.size == c.recall.size == c.thresholds.size + 1
        assert (c.precision[0], c.recall[0]) == (1.0, 0.0)
        assert np.all(np.diff(c.recall) >= 0)  # the kept points only
        assert np.all(np.diff(c.thresholds) <= 0)


def test_exact_mode_uses_every_kept_threshold():
    curves = pate_curve(Y, S, n_thresholds=None, drop_intermediate=False)
    assert curves[0].thresholds.size <= np.unique(S).size
    assert curves[0].thresholds[0] == S.max()


def test_metrics_module_and_top_level_are_the_same_functions():
    assert pate.metrics.pate_score is pate.pate_score
    assert pate.metrics.get_metric("pate") is pate_score
    assert pate.metrics.get_metric("pate_f1") is pate_f1_score


# ------------------------------------------------------------ undefined cases
def test_no_anomaly_warns_and_returns_zero():
    y = np.zeros(50, dtype=int)
    with pytest.warns(UndefinedMetricWarning, match="no anomaly"):
        assert pate_score(y, rng.random(50)) == 0.0
    with pytest.warns(UndefinedMetricWarning, match="no anomaly"):
        assert pate_f1_score(y, y) == 0.0


def test_no_prediction_warns_and_returns_zero():
    with pytest.warns(UndefinedMetricWarning, match="predicts no point"):
        assert pate_f1_score(Y, np.zeros_like(Y)) == 0.0


def test_defined_cases_do_not_warn():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        pate_score(Y, S)
        pate_f1_score(Y, PRED)


# ------------------------------------------------------------------ bad input
@pytest.mark.parametrize(
    "call, error, match",
    [
        (lambda: pate_score(Y[:-1], S), ValueError, "same length"),
        (lambda: pate_score(Y.reshape(-1, 1), S), ValueError, "y_true must be 1-D"),
        (lambda: pate_score(Y, S.reshape(3, -1)), ValueError, "y_score must be 1-D"),
        (lambda: pate_score([], []), ValueError, "y_true is empty|y_score is empty"),
        (
            lambda: pate_score(Y, np.where(np.arange(300) == 7, np.nan, S)),
            ValueError,
            "y_score contains NaN at index 7",
        ),
        (lambda: pate_score(Y, np.where(np.arange(300) == 9, np.inf, S)), ValueError, "infinity at index 9"),
        (
            lambda: pate_score(np.where(np.arange(300) == 3, 2, Y), S),
            ValueError,
            "y_true must contain only 0 and 1.*index 3",
        ),
        (lambda: pate_score(Y * 0.5, S), ValueError, "y_true must contain only 0 and 1"),
        (lambda: pate_score(Y, S.astype(str)), TypeError, "y_score must hold numbers"),
        (lambda: pate_score(Y, S, early_buffer=-1), ValueError, "early_buffer must be >= 0"),
        (lambda: pate_score(Y, S, delay_buffer=2.5), TypeError, "delay_buffer"),
        (lambda: pate_score(Y, S, early_buffer=10.0), TypeError, "early_buffer.*pass 10"),
        (lambda: pate_score(Y, S, n_buffer_splits=0), ValueError, "n_buffer_splits must be >= 1"),
        (lambda: pate_score(Y, S, n_thresholds=1), ValueError, "n_thresholds must be >= 2"),
        (lambda: pate_score(Y, S, include_zero="yes"), TypeError, "include_zero must be True or False"),
        (lambda: pate_score(Y, S, backend="gpu"), ValueError, "backend must be one of"),
        (lambda: pate_f1_score(Y, S), ValueError, "y_pred must contain only 0 and 1"),
        (lambda: pate_f1_score(Y, PRED, early_buffer=None), TypeError, "early_buffer"),
        (lambda: pate_score(Y, "abc"), TypeError, "y_score must be an array-like"),
    ],
)
def test_bad_input_raises_a_clear_error(call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_options_are_keyword_only():
    with pytest.raises(TypeError):
        pate_score(Y, S, 10)  # type: ignore[misc]


# --------------------------------------------------------------------- compat
def test_compat_drop_in_matches_the_public_functions():
    from pate.compat import PATE
    from pate.PATE_metric import PATE as PATE2

    assert PATE2 is PATE
    assert PATE(Y, S, e_buffer=10, d_buffer=5) == pate_score(Y, S, early_buffer=10, delay_buffer=5)
    assert PATE(
        Y, S, Big_Data=False, drop_intermediate=False, num_splits_MaxBuffer=2, include_zero=False
    ) == pate_score(Y, S, n_thresholds=None, drop_intermediate=False, n_buffer_splits=2, include_zero=False)
    assert PATE(Y, S, num_desired_thresholds=17, n_jobs=4) == pate_score(Y, S, n_thresholds=17)
    # binary mode predicts values > 0, as published
    assert PATE(Y, PRED * 3.0, binary_scores=True) == pate_f1_score(Y, PRED)


@pytest.mark.parametrize(
    "kwargs, match", [(dict(sample_weight=np.ones(300)), "sample_weight"), (dict(pos_label=0), "pos_label")]
)
def test_compat_refuses_what_it_cannot_honour(kwargs, match):
    from pate.compat import PATE

    with pytest.raises(NotImplementedError, match=match):
        PATE(Y, S, **kwargs)


@pytest.mark.filterwarnings("ignore::UserWarning")  # FewValuedScoreWarning: these scores are few-valued on purpose
def test_curve_of_a_constant_score_has_one_point_per_threshold_value():
    # issue 18: the 250-point grid over a constant score used to give 250 copies of one point
    from pate import pate_curve

    y = np.zeros(60, dtype=int)
    y[20:26] = 1
    for scores in (np.full(60, 0.3), np.where(np.arange(60) < 30, 0.3, 0.7)):
        for n_thresholds in (250, None):
            for c in pate_curve(y, scores, early_buffer=3, delay_buffer=2, n_thresholds=n_thresholds):
                assert np.unique(c.thresholds).size == c.thresholds.size
                assert c.precision.size == c.recall.size == c.thresholds.size + 1
            areas = [c.area for c in pate_curve(y, scores, early_buffer=3, delay_buffer=2, n_thresholds=n_thresholds)]
            assert np.mean(areas) == pytest.approx(
                pate_score(y, scores, early_buffer=3, delay_buffer=2, n_thresholds=n_thresholds), abs=0
            )
    (c, *_) = pate_curve(y, np.full(60, 0.3), early_buffer=3, delay_buffer=2)
    assert c.thresholds.tolist() == [0.3]
