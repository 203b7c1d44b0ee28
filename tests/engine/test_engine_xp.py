"""The array-namespace engine (the GPU code path) against the numba engine.

With numpy as the namespace these run everywhere (CI included); the CuPy
tests run only where CuPy and a GPU are present and skip with the reason
otherwise.
"""

from __future__ import annotations

import gzip
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from naive.strategies import grid, labelled_series, scores_for

from pate import pate_curve, pate_f1_score, pate_score
from pate._engine import xp_batch
from pate._namespace import to_host
from pate._warnings import undefined_metric_warning_class


@settings(max_examples=600)
@given(data=st.data(), options=grid, n_thresholds=st.sampled_from([None, 2, 3, 5, 250]), drop=st.booleans())
def test_numpy_namespace_equals_numba(data, options, n_thresholds, drop):
    labels = data.draw(labelled_series())
    scores = data.draw(scores_for(labels))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", undefined_metric_warning_class())
        a = pate_score(labels, scores, n_thresholds=n_thresholds, drop_intermediate=drop, backend="numba", **options)
        b = pate_score(labels, scores, n_thresholds=n_thresholds, drop_intermediate=drop, backend="numpy", **options)
    assert abs(a - b) <= 1e-9


@settings(max_examples=400)
@given(data=st.data(), options=grid)
def test_numpy_namespace_f1_equals_numba(data, options):
    labels = data.draw(labelled_series())
    pred = np.array(data.draw(st.lists(st.sampled_from([0, 1]), min_size=labels.size, max_size=labels.size)))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", undefined_metric_warning_class())
        a = pate_f1_score(labels, pred, backend="numba", **options)
        b = pate_f1_score(labels, pred, backend="numpy", **options)
    assert abs(a - b) <= 1e-9


def test_curves_agree_between_engines():
    rng = np.random.default_rng(5)
    y = np.zeros(3000, dtype=int)
    for s in range(40, 3000, 250):
        y[s : s + rng.integers(1, 60)] = 1
    s = rng.random(3000) + 0.4 * y
    numba_curves = pate_curve(y, s, backend="numba", n_buffer_splits=2)
    for a, b in zip(numba_curves, pate_curve(y, s, backend="numpy", n_buffer_splits=2)):
        assert (a.early_buffer, a.delay_buffer) == (b.early_buffer, b.delay_buffer)
        np.testing.assert_array_equal(a.thresholds, b.thresholds)
        np.testing.assert_allclose(a.precision, b.precision, rtol=0, atol=1e-12)
        np.testing.assert_allclose(a.recall, b.recall, rtol=0, atol=1e-12)
        assert abs(a.area - b.area) <= 1e-12


def test_exact_tie_is_settled_exactly_by_the_numpy_namespace():
    y = np.zeros(18, dtype=int)
    y[0:12] = 1
    y[13:16] = 1
    s = np.full(18, 0.1)
    s[[*range(2, 8), 9, 13, 14, 15]] = 0.9
    s[[0, 17]] = 0.5
    assert pate_score(y, s, early_buffer=0, delay_buffer=0, backend="numpy") == pytest.approx(661 / 680, abs=1e-12)


def test_nab_series_agree_between_engines(nab_dir):
    nab = nab_dir
    files = sorted(nab.glob("realKnownCause/*.csv.gz"))[:3] + sorted(nab.glob("realTweets/*.csv.gz"))[:1]
    for path in files:
        with gzip.open(path, "rt") as f:
            frame = pd.read_csv(f)
        y = frame["label"].to_numpy()
        for detector in ("numenta", "ARTime", "skyline", "null"):
            s = frame[detector].to_numpy()
            for n_thr in (250, None):
                a = pate_score(y, s, n_thresholds=n_thr, backend="numba")
                b = pate_score(y, s, n_thresholds=n_thr, backend="numpy")
                assert abs(a - b) <= 1e-9, (path.name, detector, n_thr)
            assert pate_f1_score(y, s >= 0.5, backend="numpy") == pytest.approx(
                pate_f1_score(y, s >= 0.5, backend="numba"), abs=1e-9
            )


def test_auto_backend_stays_on_numba_for_host_arrays():
    from pate._engine import resolve_backend

    assert resolve_backend("auto", np.zeros(3), [0, 1]) == "numba"
    with pytest.raises(ValueError, match="backend must be one of"):
        resolve_backend("torch", np.zeros(3))


def test_cupy_backend_without_cupy_or_gpu_says_how_to_fix():
    try:
        import cupy  # noqa: F401
    except ImportError:
        with pytest.raises(ImportError, match=r'pip install "pate-eval\[gpu\]"'):
            pate_score([0, 1, 0], [0.1, 0.9, 0.2], backend="cupy")
        return
    pytest.skip("CuPy is installed here; the missing-CuPy message cannot be exercised")


def test_cupy_inputs_stay_on_the_device_and_agree(cupy):
    rng = np.random.default_rng(2)
    y = np.zeros(20000, dtype=int)
    for s in range(100, 20000, 500):
        y[s : s + 30] = 1
    s = rng.random(20000) + 0.5 * y
    for n_thr in (250, None):
        want = pate_score(y, s, n_thresholds=n_thr)
        assert abs(pate_score(cupy.asarray(y), cupy.asarray(s), n_thresholds=n_thr) - want) <= 1e-9
    assert abs(pate_f1_score(cupy.asarray(y), cupy.asarray(s > 0.9)) - pate_f1_score(y, s > 0.9)) <= 1e-9
    with pytest.raises(ValueError, match="y_score contains NaN at index 3"):
        bad = cupy.asarray(s)
        bad[3] = cupy.nan
        pate_score(cupy.asarray(y), bad)


_awkward = st.sampled_from([0.0, 0.1, 0.3, 1 / 3, 0.7, 1.0, 2.5, 1e-300, 7e300]) | st.floats(-1e6, 1e6)


@settings(max_examples=300)
@given(
    values=st.lists(st.lists(_awkward, min_size=1, max_size=30), min_size=1, max_size=5),
    n_thresholds=st.sampled_from([1, 2, 3, 7, 250]),
)
def test_packed_percentiles_equal_numpy_percentile_bit_for_bit(values, n_thresholds):
    from pate._engine.xp import percentiles_packed

    cands = [np.unique(np.asarray(v, dtype=np.float64))[::-1] for v in values]
    cand = np.concatenate(cands)
    cseg = np.repeat(np.arange(len(cands)), [c.size for c in cands])
    got, seg = percentiles_packed(np, cand, cseg, len(cands), n_thresholds)
    want = np.concatenate([np.percentile(c, np.linspace(100, 0, n_thresholds)) for c in cands])
    np.testing.assert_array_equal(got, want)
    np.testing.assert_array_equal(seg, np.repeat(np.arange(len(cands)), n_thresholds))


def test_nab_ragged_batch_packed_numpy_equals_numba(nab_dir):
    from pate import pate_score_batch

    nab = nab_dir
    ys, ss = [], []
    for path in sorted(nab.glob("*/*.csv.gz"))[::9][:6]:
        with gzip.open(path, "rt") as f:
            frame = pd.read_csv(f)
        for detector in ("numenta", "skyline"):
            ys.append(frame["label"].to_numpy())
            ss.append(frame[detector].to_numpy())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", undefined_metric_warning_class())
        for n_thr in (250, None):
            want = pate_score_batch(ys, ss, n_thresholds=n_thr, backend="numba")
            got = pate_score_batch(ys, ss, n_thresholds=n_thr, backend="numpy")
            np.testing.assert_allclose(got, want, rtol=0, atol=1e-9)


def _packed(ys, ss, n_thresholds, drop=True):
    from pate._engine import xp_batch

    lengths = np.array([len(y) for y in ys], dtype=np.int64)
    labels = np.concatenate([np.asarray(y, dtype=bool) for y in ys])
    scores = np.concatenate([np.asarray(s, dtype=np.float64) for s in ss])
    n_thr, join = xp_batch.join(
        labels, scores, xp_batch._segment_ids(np, lengths), len(ys), n_thresholds=n_thresholds, drop_intermediate=drop
    )
    return labels, lengths, join, n_thr


def _host_curves(labels, lengths, join, n_thr, pairs):
    """The reference form of the xp batch: one transfer of the tables, then the keep walk per series and pair.

    Per series, the curves of every distinct pair (list of dicts, input order);
    ``xp_batch.areas`` is the vectorised form checked against it.
    """
    stacked = xp_batch._batch_tables(labels, lengths, join, n_thr, pairs)
    host = xp_batch._HostCurves(labels, lengths, join, n_thr, pairs, to_host(stacked))
    return [{pair: host.curve(s, i) for i, pair in enumerate(host.pairs)} for s in range(int(lengths.size))]


@settings(max_examples=200)
@given(data=st.data(), options=grid, n_thresholds=st.sampled_from([None, 2, 5, 250]), n_series=st.integers(1, 5))
def test_vectorised_keep_walk_equals_the_host_keep_walk(data, options, n_thresholds, n_series):
    from pate._engine import xp_batch
    from pate._events import buffer_pairs

    ys = [data.draw(labelled_series()) for _ in range(n_series)]
    ss = [data.draw(scores_for(y)) for y in ys]
    pairs = buffer_pairs(
        options["early_buffer"], options["delay_buffer"], options["n_buffer_splits"], options["include_zero"]
    )
    packed = _packed(ys, ss, n_thresholds)
    areas = xp_batch.areas(*packed, pairs)
    curves = _host_curves(*packed, pairs)
    want = np.array([[c[p].area for p in dict.fromkeys(pairs)] for c in curves])
    np.testing.assert_allclose(areas, want, rtol=0, atol=1e-12)


def test_exact_tie_inside_a_packed_batch_is_settled_exactly():
    from pate import pate_score_batch

    y = np.zeros(18, dtype=int)
    y[0:12] = 1
    y[13:16] = 1
    s = np.full(18, 0.1)
    s[[*range(2, 8), 9, 13, 14, 15]] = 0.9
    s[[0, 17]] = 0.5
    got = pate_score_batch([y[:5], y, y], [s[:5], s, s], early_buffer=0, delay_buffer=0, backend="numpy")
    assert got[1] == pytest.approx(661 / 680, abs=1e-12) and got[2] == got[1]


def _bench_like(n_series: int, length: int, seed: int):
    """Series like benchmarks/bench_batch.py's: one event of 5-60 points per 500 points."""
    rng = np.random.default_rng(seed)
    ys, ss = [], []
    for _ in range(n_series):
        y = np.zeros(length, dtype=np.int64)
        for block in range(0, length - 60, 500):
            start = block + int(rng.integers(0, 440))
            y[start : start + int(rng.integers(5, 61))] = 1
        ys.append(y)
        ss.append(rng.random(length) + 0.5 * y)
    return ys, ss


@settings(max_examples=100)
@given(data=st.data(), options=grid, n_thresholds=st.sampled_from([None, 5, 250]), n_series=st.integers(1, 4))
def test_changed_table_flags_exactly_the_thresholds_where_tp_or_fn_move(data, options, n_thresholds, n_series):
    from pate._engine import xp_batch
    from pate._events import buffer_pairs

    ys = [data.draw(labelled_series()) for _ in range(n_series)]
    ss = [data.draw(scores_for(y)) for y in ys]
    pairs = buffer_pairs(
        options["early_buffer"], options["delay_buffer"], options["n_buffer_splits"], options["include_zero"]
    )
    labels, lengths, join, n_thr = _packed(ys, ss, n_thresholds)
    stacked, changed = xp_batch._batch_tables(labels, lengths, join, n_thr, pairs, changes=True)
    fn, tp = stacked[2], stacked[3:]
    for s, t in enumerate(n_thr.tolist()):
        moved = (tp[:, s, 1:t] != tp[:, s, : t - 1]) | (fn[None, s, 1:t] != fn[None, s, : t - 1])
        np.testing.assert_array_equal(changed[:, s, 1:t], moved)


def test_bench_shaped_batch_needs_no_host_keep_walk(monkeypatch):
    # 1,000-point series have fewer score candidates than 250 thresholds: many thresholds
    # repeat a state, and all those past the last event point have recall exactly 1. The
    # vectorised walk decides both; before, 3 of 4 (series, pair) cells went to the host.
    from pate import pate_score_batch
    from pate._engine import xp_batch

    ys, ss = _bench_like(40, 1000, seed=5)
    calls = []
    original = xp_batch._HostCurves.curve
    monkeypatch.setattr(xp_batch._HostCurves, "curve", lambda self, *a: calls.append(a) or original(self, *a))
    got = pate_score_batch(ys, ss, backend="numpy")
    assert calls == []
    np.testing.assert_allclose(got, pate_score_batch(ys, ss, backend="numba"), rtol=0, atol=1e-12)


def test_keep_walk_decides_repeated_states_from_counts_not_float_equality(monkeypatch):
    # On a GPU a parallel cumulative sum need not repeat a value across a zero increment:
    # perturb TP and FN by a few ulps wherever the state does not move, as such a scan
    # might, and the vectorised walk must still decide every cell without the host walk.
    from pate._engine import xp_batch
    from pate._events import buffer_pairs

    ys, ss = _bench_like(30, 1000, seed=6)
    pairs = buffer_pairs(100, 100, 1, True)
    packed = _packed(ys, ss, 250)
    want = xp_batch.areas(*packed, pairs)
    original = xp_batch._batch_tables
    rng = np.random.default_rng(0)

    def scan_like(*args, **kwargs):
        stacked, changed = original(*args, **kwargs)
        stacked = stacked.copy()
        for row in (2, *range(3, stacked.shape[0])):
            still = ~changed.any(axis=0) if row == 2 else ~changed[row - 3]
            ulps = rng.integers(-3, 4, size=still.shape) * np.finfo(float).eps
            stacked[row] = np.where(still & (stacked[row] != 0), stacked[row] * (1 + ulps), stacked[row])
        return stacked, changed

    calls = []
    original_curve = xp_batch._HostCurves.curve
    monkeypatch.setattr(xp_batch, "_batch_tables", scan_like)
    monkeypatch.setattr(xp_batch._HostCurves, "curve", lambda self, *a: calls.append(a) or original_curve(self, *a))
    got = xp_batch.areas(*packed, pairs)
    assert calls == []
    np.testing.assert_allclose(got, want, rtol=0, atol=1e-12)
