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
    for _ in range(n_series):
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


# --- the packed array-namespace batch (numpy here; the same code runs on CuPy)

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from naive.strategies import grid, labelled_series, scores_for  # noqa: E402


@settings(max_examples=150)
@given(
    data=st.data(),
    options=grid,
    n_thresholds=st.sampled_from([None, 2, 3, 250]),
    drop=st.booleans(),
    n_series=st.integers(1, 6),
)
def test_packed_numpy_batch_equals_numba_per_series(data, options, n_thresholds, drop, n_series):
    ys = [data.draw(labelled_series()) for _ in range(n_series)]
    ss = [data.draw(scores_for(y)) for y in ys]
    preds = [data.draw(st.lists(st.booleans(), min_size=y.size, max_size=y.size)) for y in ys]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UndefinedMetricWarning)
        want = [
            pate_score(y, s, n_thresholds=n_thresholds, drop_intermediate=drop, backend="numba", **options)
            for y, s in zip(ys, ss)
        ]
        got = pate_score_batch(ys, ss, n_thresholds=n_thresholds, drop_intermediate=drop, backend="numpy", **options)
        want_f1 = [pate_f1_score(y, p, backend="numba", **options) for y, p in zip(ys, preds)]
        got_f1 = pate_f1_score_batch(ys, preds, backend="numpy", **options)
    np.testing.assert_allclose(got, want, rtol=0, atol=1e-9)
    np.testing.assert_allclose(got_f1, want_f1, rtol=0, atol=1e-9)


@pytest.mark.parametrize("n_thresholds", [250, None, 4])
@pytest.mark.parametrize("drop", [True, False])
def test_packed_numpy_batch_on_a_larger_ragged_batch(n_thresholds, drop):
    ys, ss = ragged(n_series=25, seed=3)
    ss = [np.round(s, 2) for s in ss]  # ties between scores
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UndefinedMetricWarning)
        want = pate_score_batch(
            ys, ss, n_thresholds=n_thresholds, drop_intermediate=drop, n_buffer_splits=3, backend="numba"
        )
        got = pate_score_batch(
            ys, ss, n_thresholds=n_thresholds, drop_intermediate=drop, n_buffer_splits=3, backend="numpy"
        )
    np.testing.assert_allclose(got, want, rtol=0, atol=1e-9)


def test_packed_batch_edge_cases_and_one_warning():
    assert pate_score_batch([], [], backend="numpy").shape == (0,)
    assert pate_score_batch([[1]], [[0.3]], backend="numpy").tolist() == [1.0]
    assert pate_score_batch([[0, 1, 0]], [[0.1, 0.9, 0.1]], backend="numpy").tolist() == [1.0]
    assert pate_score_batch([[1, 1, 1]], [[0.1, 0.2, 0.3]], backend="numpy", n_thresholds=None).tolist() == [1.0]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UndefinedMetricWarning)
        assert pate_score_batch([[0, 0, 0], [0]], [[0.1, 0.2, 0.3], [0.5]], backend="numpy").tolist() == [0.0, 0.0]
        assert pate_f1_score_batch([[0, 0, 0], [0]], [[0, 1, 1], [0]], backend="numpy").tolist() == [0.0, 0.0]
    ys = [np.zeros(50, dtype=int), np.array([0, 1, 1, 0]), np.zeros(9, dtype=int), [0], [1]]
    ss = [np.linspace(0, 1, 50), np.array([0.1, 0.9, 0.8, 0.2]), np.ones(9), [0.5], [0.5]]
    for batch, values in ((pate_score_batch, ss), (pate_f1_score_batch, [np.asarray(s) > 0.5 for s in ss])):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            got = batch(ys, values, backend="numpy")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UndefinedMetricWarning)
            want = batch(ys, values, backend="numba")
        undefined = [w for w in caught if issubclass(w.category, UndefinedMetricWarning)]
        assert len(undefined) == 1, [str(w.message) for w in caught]
        assert undefined[0].filename == __file__
        np.testing.assert_allclose(got, want, rtol=0, atol=1e-12)
    assert "4 of 5 series" in str(undefined[0].message)  # F1: 3 without anomaly + 1 predicting nothing


def test_packed_batch_errors_name_the_series():
    with pytest.raises(ValueError, match="series 1: y_score contains NaN at index 0"):
        pate_score_batch([[0, 1], [1, 0]], [[0.1, 0.2], [np.nan, 0.4]], backend="numpy")
    with pytest.raises(ValueError, match="series 0: y_true and y_score must have the same length"):
        pate_score_batch([[0, 1, 1]], [[0.1, 0.2]], backend="numpy")
    with pytest.raises(ValueError, match="backend must be one of"):
        pate_score_batch([], [], backend="torch")


def test_cupy_packed_batch_agrees(cupy):
    ys, ss = ragged(n_series=20, seed=4)
    want = pate_score_batch(ys, ss, backend="numba")
    got = pate_score_batch([cupy.asarray(y) for y in ys], [cupy.asarray(s) for s in ss])  # auto -> cupy
    np.testing.assert_allclose(got, want, rtol=0, atol=1e-9)
    got_host_inputs = pate_score_batch(ys, ss, backend="cupy", n_thresholds=None)
    np.testing.assert_allclose(got_host_inputs, pate_score_batch(ys, ss, n_thresholds=None), rtol=0, atol=1e-9)


def test_device_batch_validation_logic_with_numpy_as_the_namespace():
    # the CuPy-input validation (two synchronisations per batch), run with numpy
    from pate.metrics._batch import _validate_device_batch

    ys = [np.array([0, 1, 1]), np.array([True, False])]
    labels, values, sizes = _validate_device_batch(np, ys, [np.array([0.1, 0.5, 0.2]), np.array([3, 4])], "score")
    assert sizes == [3, 2] and labels.dtype == bool and labels.tolist() == [False, True, True, True, False]
    assert values.dtype == np.float64
    with pytest.raises(ValueError, match="series 1: y_score contains NaN at index 1"):
        _validate_device_batch(np, ys, [np.array([0.1, 0.5, 0.2]), np.array([3, np.nan])], "score")
    with pytest.raises(ValueError, match="series 0: y_true must contain only 0 and 1"):
        _validate_device_batch(np, [np.array([0, 2, 1]), ys[1]], [np.zeros(3), np.zeros(2)], "score")
    with pytest.raises(ValueError, match="series 1: y_true and y_pred must have the same length"):
        _validate_device_batch(np, ys, [np.array([0, 1, 1]), np.array([1])], "binary")
    with pytest.raises(ValueError, match="series 1: y_pred must contain only 0 and 1"):
        _validate_device_batch(np, ys, [np.array([0, 1, 1]), np.array([1, 0.5])], "binary")


def test_table_chunks_bound_the_padding():
    from pate.metrics._batch import _table_chunks

    assert _table_chunks(np.array([250] * 1000)) == [(0, 1000)]
    assert _table_chunks(np.array([], dtype=np.int64)) == []
    t = np.array([10, 10, 200_000, 10, 10, 10, 150_000, 150_000])
    chunks = _table_chunks(t)
    assert chunks[0][0] == 0 and chunks[-1][1] == t.size
    assert all(a < b and b == c for (a, b), (c, _) in zip(chunks, chunks[1:]))
    for a, b in chunks:
        assert (b - a) * (t[a:b].max() + 1) <= 2 * (t[a:b] + 1).sum() + (1 << 16)


def test_exact_mode_ragged_batch_in_chunks_equals_numba():
    rng = np.random.default_rng(9)
    ys, ss = [], []
    for n in (30, 70_000, 40, 25, 80_000, 60):
        y = np.zeros(n, dtype=int)
        y[n // 3 : n // 3 + max(1, n // 50)] = 1
        ys.append(y)
        ss.append(rng.random(n) + 0.2 * y)
    from pate.metrics._batch import _table_chunks

    assert len(_table_chunks(np.array([n for n in (30, 70_000, 40, 25, 80_000, 60)]))) > 1
    # drop_intermediate=False: T_s = number of distinct scores, so T_s is ragged too
    want = pate_score_batch(ys, ss, n_thresholds=None, drop_intermediate=False, backend="numba")
    got = pate_score_batch(ys, ss, n_thresholds=None, drop_intermediate=False, backend="numpy")
    np.testing.assert_allclose(got, want, rtol=0, atol=1e-9)


def test_a_batch_may_be_a_2d_array_or_a_dataframe():
    # issue 18: pate_score_batch(ys, dataframe) raised a traceback from deep inside
    import pandas as pd

    rng = np.random.default_rng(5)
    labels = np.zeros((3, 80), dtype=int)
    labels[:, 30:38] = 1
    scores = rng.random((3, 80)) + 0.4 * labels
    want = pate_score_batch(list(labels), list(scores), early_buffer=5, delay_buffer=5)
    frame = pd.DataFrame(scores.T, columns=["a", "b", "c"])
    assert pate_score_batch(labels, scores, early_buffer=5, delay_buffer=5).tolist() == want.tolist()
    assert pate_score_batch(list(labels), frame, early_buffer=5, delay_buffer=5).tolist() == want.tolist()
    assert pate_score_batch(pd.DataFrame(labels.T), frame, early_buffer=5, delay_buffer=5).tolist() == want.tolist()
    assert pate_f1_score_batch(labels, scores > 0.9, early_buffer=5, delay_buffer=5).tolist() == [
        pate_f1_score(labels[i], scores[i] > 0.9, early_buffer=5, delay_buffer=5) for i in range(3)
    ]
    with pytest.raises(TypeError, match="single pandas Series"):
        pate_score_batch(list(labels), frame["a"])
    with pytest.raises(TypeError, match="2-D array with one row per series, or a DataFrame"):
        pate_score_batch(list(labels), {"a": scores[0]})
    with pytest.raises(ValueError, match="3-D array"):
        pate_score_batch(labels[None], scores[None])
    with pytest.raises(ValueError, match="same number of series, got 3 and 80"):
        pate_score_batch(labels, scores.T)
