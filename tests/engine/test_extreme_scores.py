"""Scores anywhere in the double range: thresholds without overflow (issue 29, item 1).

Finite scores near -1e308 and +1e308 made numpy's percentile interpolation
``a + (b - a) * gamma`` overflow: the numba engine raised "non-monotone
thresholds" and the numpy engine returned a wrong value. The thresholds are
now computed on the halves where ``b - a`` overflows, which is exact there,
so the result is the one of the same scores scaled by an exact power of two:
it depends only on what it should. The property tests draw scores spanning
the whole double range (subnormals to +-1.8e308).
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from naive.pate import naive_pate

from pate import get_metric, pate_score, pate_score_batch
from pate.metrics._threshold_grid import tsb_threshold_grid

LARGEST = np.finfo(np.float64).max


def _issue_case():
    """Scores taking 8 values between -1.7e308 and 1.79e308 (the break-it reproduction's shape)."""
    rng = np.random.default_rng(0)
    y = np.zeros(200, dtype=int)
    y[50:60] = 1
    y[120:125] = 1
    rank = rng.integers(0, 6, 200) + 2 * y
    values = np.array([-1.7e308, -1.5e308, -1e308, 1e308, 1.2e308, 1.5e308, 1.7e308, 1.79e308])
    return y, values[rank]


@pytest.mark.parametrize("backend", ["numba", "numpy"])
def test_scores_near_the_largest_double_give_the_value_of_the_rescaled_scores(backend):
    y, s = _issue_case()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        got = pate_score(y, s, backend=backend, early_buffer=5, delay_buffer=5)  # raised / returned 0.712 before
        rescaled = pate_score(y, s * 2.0**-10, backend=backend, early_buffer=5, delay_buffer=5)
        decimal = pate_score(y, s * 1e-10, backend=backend, early_buffer=5, delay_buffer=5)
    assert got == rescaled
    assert got == pytest.approx(decimal, abs=1e-12)


def test_the_batches_agree_on_scores_near_the_largest_double():
    y, s = _issue_case()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        want = pate_score(y, s * 2.0**-10, early_buffer=5, delay_buffer=5)
        for backend in ("numba", "numpy"):
            got = pate_score_batch([y, y], [s, s * 2.0**-10], backend=backend, early_buffer=5, delay_buffer=5)
            assert got == pytest.approx([want, want], abs=1e-12)


@pytest.mark.parametrize(
    "name", ["best_point_f1", "best_pa_f1", "best_event_f1", "best_range_f1", "best_affiliation_f1"]
)
def test_the_oracle_grid_metrics_do_not_overflow_either(name):
    # linspace(min, max, 100) overflowed its step: best_affiliation_f1 gave nan, the others 0.0
    y, s = _issue_case()
    metric = get_metric(name)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert metric(y, s) == metric(y, s * 2.0**-10)


def test_oracle_grid_of_a_range_wider_than_the_largest_double_is_finite_and_exact():
    scores = np.array([-1.5e308, 0.0, 1.5e308])
    grid = tsb_threshold_grid(scores)
    assert np.isfinite(grid).all() and np.all(np.diff(grid) > 0)
    np.testing.assert_array_equal(grid, tsb_threshold_grid(scores / 4) * 4)


def test_lerp_equals_numpy_where_numpy_does_not_overflow_and_scales_exactly_where_it_does():
    from pate._engine.percentiles import lerp

    rng = np.random.default_rng(1)
    a = np.sort(rng.normal(size=(2, 1000)), axis=0)
    gamma = rng.random(1000)
    numpy_lerp = np.where(gamma >= 0.5, a[1] - (a[1] - a[0]) * (1 - gamma), a[0] + (a[1] - a[0]) * gamma)
    np.testing.assert_array_equal(lerp(np, a[0], a[1], gamma), numpy_lerp)
    big = a * 1.5e307 / np.abs(a).max()  # differences up to ~3e307: no overflow yet
    wide = big * 8  # differences beyond the largest double
    with np.errstate(over="ignore"):
        assert not np.isfinite(wide[1] - wide[0]).all()
    np.testing.assert_array_equal(lerp(np, wide[0], wide[1], gamma), 8 * lerp(np, big[0], big[1], gamma))


# --------------------------------------------------------------- properties
def _doubles(min_exponent):
    """Finite doubles of either sign whose binary exponent is drawn uniformly (the whole range),
    and often one of the largest (two of opposite signs are more than the largest double apart)."""
    return (
        st.builds(
            lambda sign, mantissa, exponent: sign * min(np.ldexp(mantissa, exponent), LARGEST),
            st.sampled_from([-1.0, 1.0]),
            st.floats(0.5, 1.0, exclude_max=True),
            st.integers(min_exponent, 1024),
        )
        | st.builds(lambda sign, x: sign * x, st.sampled_from([-1.0, 1.0]), st.floats(1e308, LARGEST))
        | st.sampled_from([0.0, LARGEST, -LARGEST] + ([5e-324, -5e-324] if min_exponent < -1021 else []))
    )


@st.composite
def wide_series(draw, min_exponent):
    n = draw(st.integers(2, 30))
    labels = np.array(draw(st.lists(st.booleans(), min_size=n, max_size=n)), dtype=int)
    pool = draw(st.lists(_doubles(min_exponent), min_size=1, max_size=8))
    scores = np.array(draw(st.lists(st.sampled_from(pool), min_size=n, max_size=n)), dtype=np.float64)
    return labels, scores


options = st.fixed_dictionaries(
    {
        "early_buffer": st.sampled_from([0, 1, 3]),
        "delay_buffer": st.sampled_from([0, 2]),
        "n_thresholds": st.sampled_from([None, 2, 3, 7, 250]),
        "drop_intermediate": st.booleans(),
    }
)


@settings(max_examples=300)
@given(case=wide_series(-1074), opts=options)
def test_numba_and_numpy_agree_on_scores_spanning_the_whole_double_range(case, opts):
    y, s = case
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        got = pate_score(y, s, backend="numba", **opts)
        other = pate_score(y, s, backend="numpy", **opts)
        batch = pate_score_batch([y], [s], backend="numba", **opts)[0]
    assert 0.0 <= got <= 1.0
    assert got == pytest.approx(other, abs=1e-9)
    assert got == batch


@settings(max_examples=150)
@given(case=wide_series(-900), opts=options, backend=st.sampled_from(["numba", "numpy"]))
def test_scores_spanning_the_double_range_equal_the_exact_oracle_on_the_rescaled_scores(case, opts, backend):
    # Scaling by 1/4 is exact for these scores (no subnormal), keeps every
    # difference finite, and cannot move a threshold across a score; the
    # oracle (plain numpy.percentile) runs on the rescaled scores.
    y, s = case
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        got = pate_score(y, s, backend=backend, **opts)
        want = naive_pate(y, s / 4, **opts)
    assert got == pytest.approx(float(want), abs=1e-9)


@settings(max_examples=200)
@given(values=st.lists(_doubles(-1074), min_size=1, max_size=20), n_thresholds=st.sampled_from([2, 3, 7, 250]))
def test_percentile_thresholds_are_finite_and_never_increase(values, n_thresholds):
    from pate._engine.percentiles import percentiles_packed

    cand = np.unique(np.asarray(values, dtype=np.float64))[::-1]
    got, _ = percentiles_packed(np, cand, np.zeros(cand.size, dtype=np.int64), 1, n_thresholds)
    assert np.isfinite(got).all()
    assert np.all(got[1:] <= got[:-1])
    assert got[0] == cand[0] and got[-1] == cand[-1]
