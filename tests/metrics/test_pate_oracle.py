"""Every engine against the slow exact oracle (tests/naive/pate.py), with hypothesis.

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

import numpy as np
import pytest
from helpers import BACKENDS
from hypothesis import given, settings
from hypothesis import strategies as st
from naive.pate import naive_pate, naive_pate_f1
from naive.strategies import grid, labelled_series, scores_for

from pate import pate_f1_score, pate_f1_score_batch, pate_score, pate_score_batch


@pytest.mark.parametrize("backend", BACKENDS)
@settings(max_examples=1000)
@given(data=st.data(), options=grid, n_thresholds=st.sampled_from([None, 2, 3, 5, 250]), drop=st.booleans())
def test_pate_equals_exact_oracle(quiet, backend, data, options, n_thresholds, drop):
    labels = data.draw(labelled_series())
    scores = data.draw(scores_for(labels))
    got = quiet(
        pate_score, labels, scores, n_thresholds=n_thresholds, drop_intermediate=drop, backend=backend, **options
    )
    want = naive_pate(labels, scores, n_thresholds=n_thresholds, drop_intermediate=drop, exact=True, **options)
    assert abs(got - float(want)) <= 1e-12, (got, float(want))


@pytest.mark.parametrize("backend", BACKENDS)
@settings(max_examples=1000)
@given(data=st.data(), options=grid)
def test_pate_f1_equals_exact_oracle(quiet, backend, data, options):
    labels = data.draw(labelled_series())
    n = labels.size
    pred = np.array(data.draw(st.lists(st.sampled_from([0, 1]), min_size=n, max_size=n)), dtype=int)
    got = quiet(pate_f1_score, labels, pred, backend=backend, **options)
    want = naive_pate_f1(labels, pred, exact=True, **options)
    assert abs(got - float(want)) <= 1e-12, (got, float(want))


@pytest.mark.parametrize("backend", BACKENDS)
@settings(max_examples=200)
@given(data=st.data(), options=grid, n_thresholds=st.sampled_from([None, 2, 5, 250]), n_series=st.integers(1, 4))
def test_batches_equal_exact_oracle(quiet, backend, data, options, n_thresholds, n_series):
    ys = [data.draw(labelled_series(max_len=25)) for _ in range(n_series)]
    ss = [data.draw(scores_for(y)) for y in ys]
    ps = [np.array(data.draw(st.lists(st.sampled_from([0, 1]), min_size=y.size, max_size=y.size))) for y in ys]
    got = quiet(pate_score_batch, ys, ss, n_thresholds=n_thresholds, backend=backend, **options)
    want = [float(naive_pate(y, s, n_thresholds=n_thresholds, exact=True, **options)) for y, s in zip(ys, ss)]
    np.testing.assert_allclose(got, want, rtol=0, atol=1e-12)
    got = quiet(pate_f1_score_batch, ys, ps, backend=backend, **options)
    want = [float(naive_pate_f1(y, p, exact=True, **options)) for y, p in zip(ys, ps)]
    np.testing.assert_allclose(got, want, rtol=0, atol=1e-12)
