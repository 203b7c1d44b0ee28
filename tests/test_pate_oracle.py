"""The fast engine against the slow exact oracle (tests/naive.py), with hypothesis.

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
from hypothesis import given, settings
from hypothesis import strategies as st

from naive import naive_pate, naive_pate_f1
from pate import pate_f1_score, pate_score
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


@settings(max_examples=1000)
@given(data=st.data(), options=grid,
       n_thresholds=st.sampled_from([None, 2, 3, 5, 250]), drop=st.booleans())
def test_pate_equals_exact_oracle(data, options, n_thresholds, drop):
    labels = data.draw(labelled_series())
    scores = data.draw(scores_for(labels))
    with warnings.catch_warnings():  # series without anomaly warn; that is tested elsewhere
        warnings.simplefilter("ignore", undefined_metric_warning_class())
        got = pate_score(labels, scores, n_thresholds=n_thresholds, drop_intermediate=drop, **options)
    want = naive_pate(labels, scores, n_thresholds=n_thresholds, drop_intermediate=drop, exact=True, **options)
    assert abs(got - float(want)) <= 1e-12, (got, float(want))


@settings(max_examples=1000)
@given(data=st.data(), options=grid)
def test_pate_f1_equals_exact_oracle(data, options):
    labels = data.draw(labelled_series())
    n = labels.size
    pred = np.array(data.draw(st.lists(st.sampled_from([0, 1]), min_size=n, max_size=n)), dtype=int)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", undefined_metric_warning_class())
        got = pate_f1_score(labels, pred, **options)
    want = naive_pate_f1(labels, pred, exact=True, **options)
    assert abs(got - float(want)) <= 1e-12, (got, float(want))
