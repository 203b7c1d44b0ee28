"""The work is bounded by the data, and absurd options are refused at once (issue 29, item 9, metric part).

``n_thresholds=10**9`` on a 200-point series used all memory (the percentile
grid was built in full); ``n_buffer_splits=10**5`` failed with an empty
MemoryError; ``make_anomaly_scorer("pate", early_buffer=-1)`` was accepted
until the first fold was scored.

Beyond ``DENSE_THRESHOLDS`` percentile thresholds (and more thresholds than
points), most thresholds repeat a predicted set, and a repeated set repeats
a curve point that adds nothing to the area; PATE then evaluates the
distinct scores the thresholds reach, found without building the
thresholds. The tests check that this gives the value of the full grid.
"""

from __future__ import annotations

import bisect
import tracemalloc
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from naive.pate import _buffer_pairs, _pate_from_thresholds, naive_thresholds

from pate import get_metric, list_metrics, pate_f1_score, pate_f1_score_batch, pate_score, pate_score_batch
from pate.sklearn import make_anomaly_scorer


def _series(n=200, seed=0):
    rng = np.random.default_rng(seed)
    y = np.zeros(n, dtype=int)
    y[n // 4 : n // 4 + 10] = 1
    y[2 * n // 3 : 2 * n // 3 + 4] = 1
    return y, np.round(rng.random(n) + 0.4 * y, 2)


def _peak_bytes(func):
    tracemalloc.start()
    try:
        value = func()
        return value, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("backend", ["numba", "numpy"])
def test_a_billion_thresholds_on_200_points_use_little_memory(backend):
    y, s = _series()
    pate_score(y, s, backend=backend)  # warm up (numba cache)
    value, peak = _peak_bytes(lambda: pate_score(y, s, n_thresholds=10**9, backend=backend))
    assert peak < 20e6  # the full grid would take 8 GB per array
    assert value == pytest.approx(pate_score(y, s, n_thresholds=2**53, backend=backend), abs=1e-12)


def _oracle_with_many_thresholds(y, s, n_thresholds, early, delay):
    """The oracle on the full percentile grid (numpy.percentile), each threshold replaced by the
    smallest score it predicts (the same set, so the same curve point)."""
    thresholds = naive_thresholds(y, s, n_thresholds=n_thresholds)
    distinct = sorted(set(float(v) for v in s))
    reached = [distinct[bisect.bisect_left(distinct, t)] for t in thresholds]
    kept = [t for i, t in enumerate(reached) if i == 0 or t != reached[i - 1]]
    return _pate_from_thresholds(y, s, kept, _buffer_pairs(early, delay, 1, True), exact=False)


@pytest.mark.parametrize("backend", ["numba", "numpy"])
def test_beyond_the_dense_limit_the_value_is_that_of_the_full_percentile_grid(backend):
    y, s = _series(60, seed=3)
    n_thresholds = 300_001  # three times DENSE_THRESHOLDS
    got = pate_score(y, s, n_thresholds=n_thresholds, early_buffer=3, delay_buffer=3, backend=backend)
    assert got == pytest.approx(_oracle_with_many_thresholds(y, s, n_thresholds, 3, 3), abs=1e-9)


@st.composite
def small_series(draw):
    n = draw(st.integers(2, 40))
    y = np.array(draw(st.lists(st.booleans(), min_size=n, max_size=n)), dtype=int)
    kind = draw(st.sampled_from(["ties", "float", "ulps"]))
    if kind == "ties":
        s = draw(st.lists(st.sampled_from([0.0, 0.25, 0.5, 1.0]), min_size=n, max_size=n))
    elif kind == "float":
        s = draw(st.lists(st.floats(-1, 1), min_size=n, max_size=n))
    else:  # scores a few ulps apart: thresholds may round onto them
        s = [1.0 + k * np.spacing(1.0) for k in draw(st.lists(st.integers(0, 4), min_size=n, max_size=n))]
    return y, np.array(s, dtype=np.float64)


@settings(max_examples=200)
@given(
    case=small_series(),
    n_thresholds=st.sampled_from([2, 3, 41, 250, 1000]),
    drop=st.booleans(),
    backend=st.sampled_from(["numba", "numpy"]),
)
def test_the_reached_scores_give_the_value_of_the_full_grid(case, n_thresholds, drop, backend):
    y, s = case
    options = dict(n_thresholds=n_thresholds, drop_intermediate=drop, early_buffer=2, delay_buffer=1, backend=backend)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        full = pate_score(y, s, **options)
        import pate._engine as engine

        limit = engine.DENSE_THRESHOLDS
        engine.DENSE_THRESHOLDS = 0  # every grid with more thresholds than points
        try:
            reached = pate_score(y, s, **options)
        finally:
            engine.DENSE_THRESHOLDS = limit
    assert reached == pytest.approx(full, abs=1e-12)


@pytest.mark.parametrize("backend", ["numba", "numpy"])
def test_a_batch_with_a_billion_thresholds_equals_the_loop(backend):
    cases = [_series(n, seed) for n, seed in ((200, 0), (50, 1), (120, 2))]
    ys, ss = [c[0] for c in cases], [c[1] for c in cases]
    got = pate_score_batch(ys, ss, n_thresholds=10**9, backend=backend)
    assert got.tolist() == [pate_score(y, s, n_thresholds=10**9, backend=backend) for y, s in cases]


@pytest.mark.parametrize("name", ["vus_pr", "vus_roc", "range_auc_pr", "vus_pr_legacy", "range_auc_roc_legacy"])
def test_vus_thresholds_beyond_four_per_point_change_nothing_and_cost_nothing(name):
    y, s = _series(150, seed=4)
    metric = get_metric(name)
    metric(y, s)  # warm up (numba cache)
    value, peak = _peak_bytes(lambda: metric(y, s, n_thresholds=10**9))
    assert peak < 20e6
    assert value == metric(y, s, n_thresholds=3 * 150)  # uncapped: every sorted position already present


@pytest.mark.parametrize(
    "call",
    [
        lambda y, s: pate_score(y, s, n_buffer_splits=10**5),
        lambda y, s: pate_f1_score(y, s > 0.5, n_buffer_splits=10**5),
        lambda y, s: pate_score_batch([y], [s], n_buffer_splits=10**5),
        lambda y, s: pate_f1_score_batch([y], [s > 0.5], n_buffer_splits=10**5),
    ],
)
def test_an_absurd_number_of_buffer_splits_is_refused_naming_it(call):
    y, s = _series(50)
    with pytest.raises(ValueError, match=r"n_buffer_splits must be at most 1000, got 100000: .*10,000,200,001"):
        call(y, s)


def test_the_largest_number_of_buffer_splits_is_accepted():
    y, s = _series(30)
    assert 0.0 <= pate_score(y, s, early_buffer=2, delay_buffer=2, n_buffer_splits=1000, n_thresholds=5) <= 1.0


@pytest.mark.parametrize(
    "metric, options, match",
    [
        ("pate", {"early_buffer": -1}, "early_buffer must be >= 0, got -1"),
        ("pate", {"n_thresholds": 1}, "n_thresholds must be >= 2"),
        ("pate", {"n_buffer_splits": 10**5}, "n_buffer_splits must be at most 1000"),
        ("pate", {"interpolation": "simpson"}, "interpolation must be 'trapezoid' or 'step'"),
        ("pate_f1", {"delay_buffer": 2.5}, "delay_buffer"),
        ("vus_pr", {"window": -3}, "window must be >= 0"),
    ],
)
def test_make_anomaly_scorer_checks_option_values_at_construction(metric, options, match):
    with pytest.raises((TypeError, ValueError), match=rf"metric '{metric}', option .*{match}"):
        make_anomaly_scorer(metric, **options)


def test_every_metric_accepts_its_own_defaults_at_construction():
    import inspect

    for info in list_metrics():
        signature = inspect.signature(info.func)
        defaults = {p: signature.parameters[p].default for p in info.params if p in signature.parameters}
        defaults = {k: v for k, v in defaults.items() if v is not inspect.Parameter.empty}
        assert make_anomaly_scorer(info.name, **defaults).options == defaults
