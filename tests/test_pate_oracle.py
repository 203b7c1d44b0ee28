"""Every engine against the slow exact oracle (tests/naive.py), with hypothesis.

As stumpy tests ``stump`` and ``gpu_stump`` against one ``naive`` module, each
backend runs against the oracle directly (not only against each other):
``numba``, ``numpy`` (the array-namespace engine, the GPU code path) and
``cupy`` (skipped, with the reason, where CuPy or a GPU is absent); the batch
functions too.

Small series with the structures that break implementations: events at both
ends, length-1 events, events one normal point apart, buffers of 0 and larger
than the series, ties and constant scores, binary scores in the continuous
mode, 1..3 splits, include_zero both ways, thinning on and off,
drop_intermediate on and off. The oracle runs in exact rational arithmetic;
the engine settles recall ties exactly, so the two agree to rounding.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from naive import naive_pate, naive_pate_f1

from pate import pate_f1_score, pate_f1_score_batch, pate_score, pate_score_batch
from pate._warnings import undefined_metric_warning_class


@st.composite
def labelled_series(draw, max_len=40):
    n = draw(st.integers(1, max_len))
    style = draw(st.sampled_from(["runs", "random", "dense", "edges"]))
    if style == "random":
        labels = draw(st.lists(st.booleans(), min_size=n, max_size=n))
    else:
        labels = [False] * n
        n_events = draw(st.integers(0, 4 if style != "dense" else 8))
        for _ in range(n_events):
            length = draw(st.integers(1, max(1, n // (2 if style == "dense" else 4))))
            start = draw(st.integers(0, n - 1))
            for i in range(start, min(n, start + length)):
                labels[i] = True
        if style == "edges":
            labels[0] = draw(st.booleans())
            labels[-1] = draw(st.booleans())
    return np.array(labels, dtype=int)


@st.composite
def scores_for(draw, labels):
    n = labels.size
    kind = draw(st.sampled_from(["ties", "float", "constant", "binary", "label_bump"]))
    if kind == "ties":
        values = draw(st.lists(st.sampled_from([0.0, 0.25, 0.5, 0.75, 1.0]), min_size=n, max_size=n))
    elif kind == "float":
        values = draw(st.lists(st.floats(0, 1, allow_nan=False), min_size=n, max_size=n))
    elif kind == "constant":
        values = [draw(st.sampled_from([0.0, 0.5, 3.0]))] * n
    elif kind == "binary":
        values = draw(st.lists(st.sampled_from([0.0, 1.0]), min_size=n, max_size=n))
    else:
        noise = draw(st.lists(st.sampled_from([0.0, 0.1, 0.2, 0.3]), min_size=n, max_size=n))
        values = [v + 0.5 * lab for v, lab in zip(noise, labels)]
    return np.array(values, dtype=float)


buffers = st.sampled_from([0, 1, 2, 3, 5, 100])
grid = st.fixed_dictionaries(
    {
        "early_buffer": buffers,
        "delay_buffer": buffers,
        "n_buffer_splits": st.integers(1, 3),
        "include_zero": st.booleans(),
    }
)


def _cupy_missing() -> str | None:
    """Why the cupy backend cannot run here, or None."""
    try:
        import cupy
    except ImportError:
        return "CuPy is not installed (GPU tests run on a machine with pate[gpu] and a GPU)"
    try:
        if cupy.cuda.runtime.getDeviceCount() == 0:
            return "CuPy is installed but this machine has no CUDA GPU"
    except Exception as exc:  # noqa: BLE001 - CUDA driver missing or broken
        return f"CuPy is installed but no CUDA GPU is usable ({exc})"
    return None


_NO_CUPY = _cupy_missing()
BACKENDS = [
    "numba",
    "numpy",
    pytest.param("cupy", marks=pytest.mark.skipif(_NO_CUPY is not None, reason=str(_NO_CUPY))),
]


def _quiet(func, *args, **kwargs):
    with warnings.catch_warnings():  # series without anomaly warn; that is tested elsewhere
        warnings.simplefilter("ignore", undefined_metric_warning_class())
        return func(*args, **kwargs)


@pytest.mark.parametrize("backend", BACKENDS)
@settings(max_examples=1000)
@given(data=st.data(), options=grid, n_thresholds=st.sampled_from([None, 2, 3, 5, 250]), drop=st.booleans())
def test_pate_equals_exact_oracle(backend, data, options, n_thresholds, drop):
    labels = data.draw(labelled_series())
    scores = data.draw(scores_for(labels))
    got = _quiet(
        pate_score, labels, scores, n_thresholds=n_thresholds, drop_intermediate=drop, backend=backend, **options
    )
    want = naive_pate(labels, scores, n_thresholds=n_thresholds, drop_intermediate=drop, exact=True, **options)
    assert abs(got - float(want)) <= 1e-12, (got, float(want))


@pytest.mark.parametrize("backend", BACKENDS)
@settings(max_examples=1000)
@given(data=st.data(), options=grid)
def test_pate_f1_equals_exact_oracle(backend, data, options):
    labels = data.draw(labelled_series())
    n = labels.size
    pred = np.array(data.draw(st.lists(st.sampled_from([0, 1]), min_size=n, max_size=n)), dtype=int)
    got = _quiet(pate_f1_score, labels, pred, backend=backend, **options)
    want = naive_pate_f1(labels, pred, exact=True, **options)
    assert abs(got - float(want)) <= 1e-12, (got, float(want))


@pytest.mark.parametrize("backend", BACKENDS)
@settings(max_examples=200)
@given(data=st.data(), options=grid, n_thresholds=st.sampled_from([None, 2, 5, 250]), n_series=st.integers(1, 4))
def test_batches_equal_exact_oracle(backend, data, options, n_thresholds, n_series):
    ys = [data.draw(labelled_series(max_len=25)) for _ in range(n_series)]
    ss = [data.draw(scores_for(y)) for y in ys]
    ps = [np.array(data.draw(st.lists(st.sampled_from([0, 1]), min_size=y.size, max_size=y.size))) for y in ys]
    got = _quiet(pate_score_batch, ys, ss, n_thresholds=n_thresholds, backend=backend, **options)
    want = [float(naive_pate(y, s, n_thresholds=n_thresholds, exact=True, **options)) for y, s in zip(ys, ss)]
    np.testing.assert_allclose(got, want, rtol=0, atol=1e-12)
    got = _quiet(pate_f1_score_batch, ys, ps, backend=backend, **options)
    want = [float(naive_pate_f1(y, p, exact=True, **options)) for y, p in zip(ys, ps)]
    np.testing.assert_allclose(got, want, rtol=0, atol=1e-12)
