"""The numba batch: one compiled parallel pass over a packed ragged batch.

Its values must equal a loop over ``pate_score`` / ``pate_f1_score`` (the
kernel repeats the single-series arithmetic in the same order, so equality is
tested bit for bit), agree with the exact oracle (tests/naive/pate.py), settle exact
recall ties like ``pate_score``, and do so on every NAB series x detector.
The kernel's pieces (thresholds without a sort, bucketed searches, numpy's
pairwise sum) are checked against the numpy functions they replace.
"""

from __future__ import annotations

import gzip
import warnings
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from naive.pate import naive_pate, naive_pate_f1
from naive.strategies import grid, labelled_series, scores_for

from pate import pate_f1_score, pate_f1_score_batch, pate_score, pate_score_batch
from pate._engine.thresholds import join_index, pate_thresholds
from pate._kernels import pate_batch as kernel
from pate._warnings import FewValuedScoreWarning, undefined_metric_warning_class

UndefinedMetricWarning = undefined_metric_warning_class()


def loop(ys, ss, **options):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UndefinedMetricWarning)
        warnings.simplefilter("ignore", FewValuedScoreWarning)
        return np.array([pate_score(y, s, backend="numba", **options) for y, s in zip(ys, ss)])


def batch(ys, ss, **options):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UndefinedMetricWarning)
        warnings.simplefilter("ignore", FewValuedScoreWarning)
        return pate_score_batch(ys, ss, backend="numba", **options)


# --------------------------------------------------------------------------
# kernel pieces against the numpy functions they replace

# Scores whose differences stay finite (beyond, numpy's percentile itself returns NaN thresholds).
awkward_scores = st.lists(
    st.one_of(
        st.floats(min_value=-1e307, max_value=1e307),
        st.sampled_from([0.0, -0.0, 5e-324, -5e-324, 1e-300, 1.0, 1.0 + 2**-52, 8e307, -8e307]),
    ),
    min_size=1,
    max_size=60,
)


@settings(max_examples=300)
@given(data=st.data(), n_thresholds=st.sampled_from([None, 1, 2, 3, 7, 250]), drop=st.booleans())
def test_thresholds_and_join_equal_numpy_bit_for_bit(data, n_thresholds, drop):
    scores = np.array(
        data.draw(st.one_of(awkward_scores, st.lists(st.sampled_from([0.0, 0.5, 1.0]), min_size=1, max_size=60)))
    )
    labels = np.array(data.draw(st.lists(st.booleans(), min_size=scores.size, max_size=scores.size)))
    want = pate_thresholds(labels, scores, n_thresholds=n_thresholds, drop_intermediate=drop)
    quantiles = np.true_divide(np.linspace(100, 0, n_thresholds or 2), 100)
    got = kernel.series_thresholds(labels, scores, quantiles, n_thresholds is not None, drop)
    assert got.tobytes() == want.tobytes() or np.array_equal(got, want)  # -0.0 and 0.0 join alike
    assert np.array_equal(kernel.join_indices(scores, got), join_index(scores, want))


@settings(max_examples=300)
@given(values=awkward_scores, probes=awkward_scores)
def test_bucketed_searches_equal_searchsorted(values, probes):
    ascending = np.unique(np.array(values))
    lo, scale, start = kernel.bucket_table(ascending)
    probes = np.concatenate((np.array(probes), ascending))
    thresholds = ascending[::-1].copy()
    want = ascending.size - np.searchsorted(ascending, probes, side="right")
    assert np.array_equal(kernel.join_indices(probes, thresholds), want)
    assert start[0] == 0 and start[-1] == ascending.size and np.all(np.diff(start) >= 0)


def test_bucketed_search_with_crowded_buckets():
    # one far outlier puts every other value into the first bucket
    ascending = np.concatenate((np.linspace(0, 1, 300), [1e300]))
    probes = np.random.default_rng(0).random(2000)
    want = ascending.size - np.searchsorted(ascending, probes, side="right")
    assert np.array_equal(kernel.join_indices(probes, ascending[::-1].copy()), want)


@pytest.mark.parametrize("n", [0, 1, 7, 8, 9, 127, 128, 129, 255, 256, 257, 1000, 4097, 100_003])
def test_numpy_sum_is_numpys_pairwise_sum(n):
    rng = np.random.default_rng(n)
    a = rng.standard_normal(n) * 10.0 ** rng.integers(-8, 8, size=n)
    assert kernel.numpy_sum(a) == np.sum(a)


# --------------------------------------------------------------------------
# the batch against a loop over the single-series functions, and the oracle


@settings(max_examples=200)
@given(
    data=st.data(),
    options=grid,
    n_thresholds=st.sampled_from([None, 2, 3, 250]),
    drop=st.booleans(),
    n_series=st.integers(1, 6),
    n_jobs=st.sampled_from([1, 2]),
    interpolation=st.sampled_from(["trapezoid", "step"]),
)
def test_batch_equals_loop_over_pate_score_bit_for_bit(
    data, options, n_thresholds, drop, n_series, n_jobs, interpolation
):
    ys = [data.draw(labelled_series()) for _ in range(n_series)]
    ss = [data.draw(scores_for(y)) for y in ys]
    options = dict(options, n_thresholds=n_thresholds, drop_intermediate=drop, interpolation=interpolation)
    want = loop(ys, ss, **options)
    got = batch(ys, ss, n_jobs=n_jobs, **options)
    assert got.dtype == np.float64 and got.shape == (n_series,)
    np.testing.assert_array_equal(got, want)


@settings(max_examples=100)
@given(data=st.data(), options=grid, n_series=st.integers(1, 6))
def test_f1_batch_equals_loop_over_pate_f1_score_bit_for_bit(data, options, n_series):
    ys = [data.draw(labelled_series()) for _ in range(n_series)]
    preds = [np.array(data.draw(st.lists(st.sampled_from([0, 1]), min_size=y.size, max_size=y.size))) for y in ys]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UndefinedMetricWarning)
        want = [pate_f1_score(y, p, backend="numba", **options) for y, p in zip(ys, preds)]
        got = pate_f1_score_batch(ys, preds, backend="numba", **options)
    np.testing.assert_array_equal(got, want)


@settings(max_examples=100)
@given(data=st.data(), options=grid, n_thresholds=st.sampled_from([None, 2, 5, 250]), drop=st.booleans())
def test_batch_equals_exact_oracle(data, options, n_thresholds, drop):
    ys = [data.draw(labelled_series()) for _ in range(3)]
    ss = [data.draw(scores_for(y)) for y in ys]
    preds = [s >= 0.5 for s in ss]
    got = batch(ys, ss, n_thresholds=n_thresholds, drop_intermediate=drop, **options)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UndefinedMetricWarning)
        got_f1 = pate_f1_score_batch(ys, preds, **options)
    for i, (y, s, p) in enumerate(zip(ys, ss, preds)):
        want = naive_pate(y, s, n_thresholds=n_thresholds, drop_intermediate=drop, exact=True, **options)
        assert abs(got[i] - float(want)) <= 1e-12, (i, got[i], float(want))
        assert abs(got_f1[i] - float(naive_pate_f1(y, p, exact=True, **options))) <= 1e-12


def tie_series():
    """docs/spec/pate-definition.md, section 8, last row: two predicted sets with exactly equal recall (66/85)."""
    y = np.zeros(18, dtype=int)
    y[0:12] = 1
    y[13:16] = 1
    s = np.full(18, 0.1)
    s[2:8] = 0.9
    s[9] = 0.9
    s[13:16] = 0.9
    s[[0, 17]] = 0.5
    return y, s


def test_exact_tie_is_flagged_by_the_kernel_and_settled_like_pate_score():
    y, s = tie_series()
    rng = np.random.default_rng(5)
    ys = [rng.integers(0, 2, 30), y, rng.integers(0, 2, 50), y]
    ss = [rng.random(30), s, rng.random(50), s]
    options = dict(early_buffer=0, delay_buffer=0)

    offsets = np.array([0, 30, 48, 98, 116], dtype=np.int64)
    _, _, unsettled, _ = kernel.pate_batch(
        np.concatenate(ys).astype(bool),
        np.concatenate(ss),
        offsets,
        np.arange(4),
        2,
        np.true_divide(np.linspace(100, 0, 250), 100),
        True,
        True,
        np.array([0]),
        np.array([0]),
        np.array([0, 0, 0, 0]),
        1e-12,
        kernel.TRAPEZOID,
    )
    assert unsettled[:, 0].tolist() == [False, True, False, True]

    for n_thresholds in (250, None):
        got = batch(ys, ss, n_thresholds=n_thresholds, **options)
        np.testing.assert_array_equal(got, loop(ys, ss, n_thresholds=n_thresholds, **options))
        assert got[1] == got[3] == float(Fraction(661, 680))  # the exact-arithmetic value, spec 8 and 11
        step = batch(ys, ss, n_thresholds=n_thresholds, interpolation="step", **options)
        np.testing.assert_array_equal(step, loop(ys, ss, n_thresholds=n_thresholds, interpolation="step", **options))


def test_nab_every_series_and_detector_equals_the_loop(nab_dir):
    import pandas as pd

    nab = nab_dir
    index = pd.read_csv(nab / "index.csv", keep_default_na=False)
    ys, ss = [], []
    for category, series in zip(index["category"], index["series"]):
        with gzip.open(nab / category / f"{series}.csv.gz", "rt") as f:
            frame = pd.read_csv(f)
        detectors = [c for c in frame.columns if c not in ("timestamp", "value", "label")]
        assert len(detectors) == 16
        for detector in detectors:
            ys.append(frame["label"].to_numpy())
            ss.append(frame[detector].to_numpy(dtype=float))
    assert len(ys) == 16 * len(index)
    for options in (
        dict(),
        dict(n_thresholds=None, early_buffer=50, delay_buffer=20, n_buffer_splits=2),
        dict(interpolation="step"),
    ):
        np.testing.assert_array_equal(batch(ys, ss, **options), loop(ys, ss, **options))
    preds = [s >= 0.5 for s in ss]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UndefinedMetricWarning)
        want_f1 = [pate_f1_score(y, p) for y, p in zip(ys, preds)]
        np.testing.assert_array_equal(pate_f1_score_batch(ys, preds), want_f1)


# --------------------------------------------------------------------------
# threads


def test_threads_from_n_jobs_and_numba_setting_restored():
    import numba

    rng = np.random.default_rng(2)
    ys = [rng.integers(0, 2, int(n)) for n in rng.integers(1, 500, 40)]
    ss = [rng.random(y.size) for y in ys]
    want = loop(ys, ss)
    before = numba.get_num_threads()
    for n_jobs in (None, 1, 2, -1, 10_000):
        np.testing.assert_array_equal(batch(ys, ss, n_jobs=n_jobs), want)
        assert numba.get_num_threads() == before
    numba.set_num_threads(1)
    try:
        np.testing.assert_array_equal(batch(ys, ss), want)  # n_jobs=None: numba's own setting
        assert numba.get_num_threads() == 1
    finally:
        numba.set_num_threads(before)


def test_thread_count_is_capped_at_the_cores():
    from pate.metrics._batch import _available_cores, _thread_count

    assert _thread_count(10_000) == _available_cores()
    assert _thread_count(-1) == _available_cores()
    assert _thread_count(1) == 1 and _thread_count(None) is None
    for bad, error in ((0, ValueError), (-2, ValueError), (1.5, TypeError), (True, TypeError)):
        with pytest.raises(error, match="n_jobs"):
            pate_score_batch([[0, 1]], [[0.1, 0.2]], n_jobs=bad)


# --------------------------------------------------------------------------
# bad input, warnings, inputs untouched


@pytest.mark.parametrize(
    "ys, ss, error, message",
    [
        ([[0, 1], [1, 0]], [[0.1, 0.2], [np.inf, 0.4]], ValueError, "series 1: y_score contains infinity at index 0"),
        ([[0, 1], [1, 2]], [[0.1, 0.2], [0.3, 0.4]], ValueError, "series 1: y_true must contain only 0 and 1"),
        ([[0, 1], [1.0, np.nan]], [[0.1, 0.2], [0.3, 0.4]], ValueError, "series 1: y_true contains NaN at index 1"),
        ([[0, 1], [1, 0, 1]], [[0.1, 0.2], [0.3, 0.4]], ValueError, "series 1: y_true and y_score must have the same"),
        ([[0, 1], []], [[0.1, 0.2], []], ValueError, "series 1: y_score is empty"),
        ([[0, 1], [[1, 0]]], [[0.1, 0.2], [[0.3, 0.4]]], ValueError, "series 1: y_score must be 1-D"),
        ([[0, 1], [1, 0]], [[0.1, 0.2], "ab"], TypeError, "series 1: y_score must be an array-like of numbers"),
        (
            [[0, 1], [1, 0]],
            [[0.1, 0.2], np.array([2**60 + 1, 1])],
            ValueError,
            "series 1: y_score holds the integer 1152921504606846977 at index 0",
        ),
        # the first bad series in input order, whichever check finds it
        ([[0, 1], [1, 2], [0]], [[0.1, 0.2], [0.3, 0.4], [[1.0]]], ValueError, "series 1: y_true must contain"),
        (
            [[0, 1], [1, 0], [1, 1]],
            [[[0.1, 0.2]], [0.3, 0.4], [np.nan, 1]],
            ValueError,
            "series 0: y_score must be 1-D",
        ),
        ([[0, 1], [1, 0], [1, 1]], [[0.1, np.nan], "ab", [0, 1]], ValueError, "series 0: y_score contains NaN"),
    ],
)
def test_errors_name_the_first_bad_series(ys, ss, error, message):
    with pytest.raises(error, match=message.replace("(", r"\(")):
        pate_score_batch(ys, ss, backend="numba")


def test_f1_errors_name_the_series():
    with pytest.raises(ValueError, match="series 2: y_pred must contain only 0 and 1"):
        pate_f1_score_batch([[0, 1]] * 3, [[0, 1], [1, 1], [0.5, 1]])


def test_mixed_dtypes_lists_and_pandas_series_pack_like_the_loop():
    import pandas as pd

    ys = [np.array([0, 1, 1, 0], dtype=bool), [0, 0, 1, 1], np.array([0.0, 1.0, 0.0]), pd.Series([1, 0, 0, 1])]
    ss = [
        np.array([1, 5, 3, 2], dtype=np.int32),
        [0.1, 0.2, 0.9, 0.8],
        np.array([0.5, 0.5, 0.2], np.float32),
        pd.Series([0.9, 0.1, 0.2, 0.7]),
    ]
    np.testing.assert_array_equal(
        batch(ys, ss, early_buffer=1, delay_buffer=1), loop(ys, ss, early_buffer=1, delay_buffer=1)
    )


def test_inputs_are_never_modified():
    rng = np.random.default_rng(3)
    ys = [rng.integers(0, 2, 100).astype(float), rng.integers(0, 2, 70).astype(bool)]
    ss = [rng.random(100), rng.integers(0, 5, 70)]
    copies = [a.copy() for a in ys + ss]
    for a in ys + ss:
        a.flags.writeable = False  # writing would raise
    batch(ys, ss)
    pate_f1_score_batch(ys, [s > 0.5 for s in ss])
    for a, b in zip(ys + ss, copies):
        assert a.dtype == b.dtype and np.array_equal(a, b)


def test_empty_batch_is_empty_but_options_are_still_checked():
    assert pate_score_batch([], []).shape == (0,)
    assert pate_f1_score_batch([], [], n_jobs=1).shape == (0,)
    with pytest.raises(ValueError, match="n_thresholds must be >= 2"):
        pate_score_batch([], [], n_thresholds=1)
    with pytest.raises(ValueError, match="early_buffer must be >= 0"):
        pate_f1_score_batch([], [], early_buffer=-1)


@pytest.mark.parametrize("backend", ["numba", "numpy"])
def test_one_warning_with_the_count_and_the_indices(backend):
    ys = [np.zeros(50, dtype=int), np.array([0, 1, 1, 0]), np.zeros(9, dtype=int)] + [np.zeros(3, int)] * 10
    ss = [np.linspace(0, 1, 50), np.array([0.1, 0.9, 0.8, 0.2]), np.ones(9)] + [np.ones(3)] * 10
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        got = pate_score_batch(ys, ss, backend=backend)
    assert [w.category for w in caught] == [UndefinedMetricWarning]
    message = str(caught[0].message)
    assert caught[0].filename == __file__
    assert "12 of 13 series" in message and "12 without anomaly" in message
    assert "(series 0, 2, 3, 4, 5, 6, 7, 8, 9, 10, ...)" in message
    assert got[1] == 1.0 and not got[[0, 2]].any()

    preds = [np.zeros(4, dtype=int), np.array([0, 0, 0, 0]), np.array([0, 1, 1, 0])]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        pate_f1_score_batch([np.zeros(4, int), np.array([0, 1, 1, 0]), np.array([0, 1, 1, 0])], preds, backend=backend)
    assert len(caught) == 1 and caught[0].filename == __file__
    message = str(caught[0].message)
    assert "2 of 3 series" in message and "(series 0, 1)" in message
    assert "1 without anomaly" in message and "1 whose y_pred predicts no point" in message


def test_no_warning_when_every_series_is_defined():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        pate_score_batch([[0, 1, 0]] * 3, [[0.1, 0.9, 0.2]] * 3)
        pate_score_batch([[0, 1, 0]] * 3, [[0.1, 0.9, 0.1]] * 3, interpolation="step")


@pytest.mark.parametrize("backend", ["numba", "numpy"])
def test_one_few_valued_warning_with_the_count(backend):
    ys = [[0, 1, 0, 0]] * 3 + [[0, 0, 0, 0]]
    ss = [[0.1, 0.9, 0.1, 0.1], [0.1, 0.9, 0.2, 0.3], [0.5] * 4, [0.5] * 4]  # the last has no anomaly
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        pate_score_batch(ys, ss, backend=backend)
    few = [w for w in caught if w.category is FewValuedScoreWarning]
    assert len(few) == 1 and few[0].filename == __file__
    assert str(few[0].message).startswith("2 of 4 series: PATE: y_score takes only two distinct values")


def test_undefined_policy_replaces_exactly_the_undefined_series():
    ys = [np.array([0, 1, 1, 0]), np.zeros(4, dtype=int), np.array([1, 0, 0, 1])]
    ss = [np.array([0.1, 0.9, 0.8, 0.2]), np.array([0.1, 0.9, 0.8, 0.2]), np.array([0.3, 0.1, 0.2, 0.4])]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = pate_score_batch(ys, ss, undefined="nan")
        got_f1 = pate_f1_score_batch(ys, [s > 0.5 for s in ss], undefined=-1.0)
    assert got[0] == 1.0 and np.isnan(got[1]) and got[2] == loop(ys[2:], ss[2:])[0]
    assert got_f1.tolist()[1:] == [-1.0, -1.0]  # no anomaly; predicts nothing


def test_work_order_deals_the_longest_series_first():
    from pate._engine.numba_batch import work_order

    assert work_order(np.array([0, 3, 13, 16, 23])).tolist() == [1, 3, 0, 2]
    assert work_order(np.array([0])).tolist() == []


@settings(max_examples=200)
@given(
    series=st.lists(
        st.lists(st.sampled_from([0.0, -0.0, 0.5, 1.0, 2.0]), min_size=1, max_size=8), min_size=1, max_size=5
    )
)
def test_distinct_score_counts_kernel_and_numpy(series):
    from pate.metrics._batch import _distinct_up_to_three

    want = [min(len(set(s)), 3) for s in series]  # -0.0 == 0.0, as for the thresholds
    assert [kernel.distinct_up_to_three(np.array(s)) for s in series] == want
    offsets = np.concatenate(([0], np.cumsum([len(s) for s in series])))
    assert _distinct_up_to_three(np.concatenate([np.array(s) for s in series]), offsets).tolist() == want


@pytest.mark.parametrize("dtype", [np.int8, np.int16, np.int64, np.uint8, np.uint64, np.float32, np.float64])
def test_binary_flags_find_every_value_other_than_0_and_1(dtype):
    from pate.metrics._batch import _binary_flags

    good = np.array([0, 1, 1, 0], dtype=dtype)
    flags, bad = _binary_flags(good)
    assert flags.dtype == bool and flags.tolist() == [False, True, True, False] and bad is None
    values = [0, 1, 2, 1, 3] + ([-1, -2] if np.dtype(dtype).kind != "u" else [255])
    flags, bad = _binary_flags(np.array(values, dtype=dtype))
    assert bad.tolist() == [i for i, v in enumerate(values) if v not in (0, 1)]
