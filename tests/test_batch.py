"""Batched evaluation of ragged batches."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from pate import pate_f1_score, pate_f1_score_batch, pate_score, pate_score_batch
from pate._warnings import undefined_metric_warning_class

UndefinedMetricWarning = undefined_metric_warning_class()


def ragged(n_series=12, seed=0):
    rng = np.random.default_rng(seed)
    ys, ss = [], []
    for i in range(n_series):
        n = int(rng.integers(1, 800))
        y = np.zeros(n, dtype=int)
        for start in rng.integers(0, n, size=rng.integers(0, 4)):
            y[start : start + rng.integers(1, 40)] = 1
        ys.append(y)
        ss.append(rng.random(n) + 0.3 * y)
    return ys, ss


@pytest.mark.parametrize("backend", ["numba", "numpy"])
@pytest.mark.parametrize("n_jobs", [1, 2])
def test_batch_equals_single_series_calls_in_input_order(backend, n_jobs):
    ys, ss = ragged()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UndefinedMetricWarning)
        want = [pate_score(y, s, early_buffer=20, delay_buffer=10) for y, s in zip(ys, ss)]
        got = pate_score_batch(ys, ss, early_buffer=20, delay_buffer=10, backend=backend, n_jobs=n_jobs)
        want_f1 = [pate_f1_score(y, s > 0.8) for y, s in zip(ys, ss)]
        got_f1 = pate_f1_score_batch(ys, [s > 0.8 for s in ss], backend=backend, n_jobs=n_jobs)
    assert got.dtype == np.float64 and got.shape == (len(ys),)
    np.testing.assert_allclose(got, want, rtol=0, atol=1e-9)
    np.testing.assert_allclose(got_f1, want_f1, rtol=0, atol=1e-9)


def test_empty_batch_and_single_series_and_length_one():
    assert pate_score_batch([], []).shape == (0,)
    assert pate_f1_score_batch([], []).shape == (0,)
    assert pate_score_batch([[0, 1, 0]], [[0.1, 0.9, 0.1]]).tolist() == [1.0]
    assert pate_score_batch([[1]], [[0.3]]).tolist() == [1.0]


def test_series_without_anomaly_warn_once_with_a_count():
    ys = [np.zeros(50, dtype=int), np.array([0, 1, 1, 0]), np.zeros(9, dtype=int)]
    ss = [np.linspace(0, 1, 50), np.array([0.1, 0.9, 0.8, 0.2]), np.ones(9)]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        got = pate_score_batch(ys, ss)
    undefined = [w for w in caught if issubclass(w.category, UndefinedMetricWarning)]
    assert len(undefined) == 1
    assert "2 of 3 series" in str(undefined[0].message)
    assert got.tolist() == [0.0, 1.0, 0.0]


def test_batch_errors_name_the_series():
    with pytest.raises(ValueError, match="same number of series"):
        pate_score_batch([[0, 1]], [[0.1, 0.2], [0.3, 0.4]])
    with pytest.raises(ValueError, match="series 1: y_score contains NaN at index 0"):
        pate_score_batch([[0, 1], [1, 0]], [[0.1, 0.2], [np.nan, 0.4]])
    with pytest.raises(TypeError, match="list of series"):
        pate_score_batch(np.array([0, 1]), np.array([0.1, 0.2]))
    with pytest.raises(ValueError, match="n_jobs must be >= 1"):
        pate_score_batch([[0, 1]], [[0.1, 0.2]], n_jobs=0)
