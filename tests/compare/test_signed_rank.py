"""All pairs' Wilcoxon signed-rank p-values at once, equal to scipy pair by pair (issue 29, item 13).

``wilcoxon_holm_test`` called ``scipy.stats.wilcoxon`` once per pair of
detectors: 800 s for 1,000 detectors x 20 series. It now computes every
pair's p-value in a few array operations (``pate.compare._signed_rank``);
benchmarks/bench_posthoc.py shows the timing (docs/benchmarks.md). Here:
the p-values equal scipy's, one call per pair, to 1e-12, through every
branch scipy's ``method="auto"`` takes (exact distribution, permutation
test with ties or zeros up to 13 series, normal approximation with the tie
correction, more than 50 series), for each ``zero_method``.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
import scipy.stats
from hypothesis import given, settings
from hypothesis import strategies as st

from pate.compare import results_from_matrix, wilcoxon_holm_test
from pate.compare._signed_rank import signed_rank_pvalues

ZERO_METHODS = ("wilcox", "pratt", "zsplit")


def scipy_pvalue(x, y, zero_method):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # scipy's warnings about ties and small samples
        return float(scipy.stats.wilcoxon(x, y, zero_method=zero_method).pvalue)


def assert_equal_to_scipy(values, zero_method):
    first, second = np.triu_indices(values.shape[1], 1)
    got = signed_rank_pvalues(values, first, second, zero_method)
    for p, i, j in zip(got, first, second):
        if not (values[:, i] != values[:, j]).any():
            assert np.isnan(p)  # no test: every difference is zero
            continue
        want = scipy_pvalue(values[:, i], values[:, j], zero_method)
        if np.isnan(want):
            assert np.isnan(p)
        else:
            assert p == pytest.approx(want, abs=1e-12, rel=0)


@st.composite
def tables(draw):
    n = draw(st.sampled_from([1, 2, 3, 4, 5, 7, 9, 12, 13, 14, 16, 20, 35, 50, 51, 64]))
    k = draw(st.integers(2, 4))
    kind = draw(st.sampled_from(["distinct", "coarse", "paired_ties", "zeros"]))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    if kind == "distinct":
        values = rng.random((n, k))
    elif kind == "coarse":  # many ties and zeros
        values = rng.integers(0, 4, (n, k)) / 4
    elif kind == "paired_ties":  # differences of equal size, either sign: tied absolute values
        values = rng.random((n, k))
        values[:, 1] = values[:, 0] + rng.choice([-1.0, 1.0], n) * rng.choice([0.5, 0.25], n)
    else:  # a few exact zero differences among distinct ones
        values = rng.random((n, k))
        same = rng.random(n) < 0.3
        values[same, 1] = values[same, 0]
    return values


@settings(max_examples=80)
@given(values=tables(), zero_method=st.sampled_from(ZERO_METHODS))
def test_every_pair_equals_scipy_wilcoxon(values, zero_method):
    assert_equal_to_scipy(values, zero_method)


@pytest.mark.parametrize("zero_method", ZERO_METHODS)
@pytest.mark.parametrize(
    "x, y",
    [
        ([1.0], [0.0]),  # one series
        ([1.0, 2.0, 3.0, 4.0, 5.0, 6.0], [0.0] * 6),  # exact, smallest p
        ([0.0, 1.0, 2.0, 3.0, 4.0, 5.0], [0.0] * 6),  # one zero: permutation test
        ([1.0, -1.0, 2.0, -2.0, 3.0, 3.0], [0.0] * 6),  # ties: permutation test
        ([-0.0, 1.0, 2.0], [0.0, 0.0, 0.0]),  # a negative zero is a zero
    ],
)
def test_edge_cases_equal_scipy(x, y, zero_method):
    assert_equal_to_scipy(np.column_stack([x, y]), zero_method)


def test_wilcoxon_holm_test_makes_no_per_pair_scipy_call(monkeypatch):
    # 1,000 detectors took 800 s as 499,500 scipy calls; now none is made.
    def refuse(*args, **kwargs):
        raise AssertionError("scipy.stats.wilcoxon called per pair")

    monkeypatch.setattr(scipy.stats, "wilcoxon", refuse)
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(rng.random((20, 300)), columns=[f"d{i:03d}" for i in range(300)])
    res = wilcoxon_holm_test(results_from_matrix(frame, metric="pate"))
    assert res.pvalues.shape == (300, 300)
    assert np.all(np.diag(res.pvalues.to_numpy()) == 1.0)


def test_wilcoxon_holm_test_keeps_scipy_pvalues_and_holm_per_pair():
    rng = np.random.default_rng(1)
    values = np.round(rng.random((15, 6)) + np.linspace(0, 0.6, 6), 1)  # ties and zeros
    frame = pd.DataFrame(values, columns=list("abcdef"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = wilcoxon_holm_test(results_from_matrix(frame, metric="pate"))
    for i, a in enumerate("abcdef"):
        for b in "abcdef"[i + 1 :]:
            want = 1.0 if (frame[a] == frame[b]).all() else scipy_pvalue(frame[a], frame[b], "wilcox")
            assert res.pvalues.loc[a, b] == pytest.approx(want, abs=1e-12, rel=0)
            assert res.pvalues.loc[b, a] == res.pvalues.loc[a, b]
