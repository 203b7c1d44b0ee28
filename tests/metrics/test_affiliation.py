"""Affiliation metrics: spec values, brute-force integration on random cases, degenerate inputs."""

from __future__ import annotations

import math

import numpy as np
import pytest
from helpers import series
from hypothesis import given, settings
from hypothesis import strategies as st
from naive.affiliation import naive_affiliation

from pate._warnings import undefined_metric_warning_class
from pate.metrics import affiliation_precision_recall_fscore, best_affiliation_f1_score, get_metric

UndefinedMetricWarning = undefined_metric_warning_class()


@pytest.mark.parametrize(
    "y, p, expected",
    [
        (
            series(10, (2, 4), (7, 7)),
            series(10, (3, 3), (6, 8)),
            (0.8333333333333333, 0.9444444444444444, 0.8854166666666661),
        ),
        (
            series(30, (5, 14), (20, 21)),
            series(30, (3, 6), (8, 8), (10, 20)),
            (0.7451428571428571, 0.9771428571428571, 0.8455171106265992),
        ),
        (series(10, (0, 0)), series(10, (9, 9)), (0.04999999999999993, 0.09999999999999998, 0.06666666666666617)),
        (series(100, (10, 19)), series(100, (30, 30)), (0.6950000000000001, 0.725, 0.7096830985915489)),
        (series(100, (10, 19), (60, 69)), series(100, (12, 15)), (1.0, 0.475, 0.6440677966101689)),
    ],
)
def test_spec_values(y, p, expected):
    got = affiliation_precision_recall_fscore(y, p, compat=True)
    assert got == pytest.approx(expected, abs=1e-12)
    default = affiliation_precision_recall_fscore(y, p)
    assert default[:2] == got[:2]
    assert default.fscore == pytest.approx(2 * got[0] * got[1] / (got[0] + got[1]), abs=1e-15)


@settings(max_examples=40)
@given(data=st.data())
def test_against_brute_force_integration(data):
    n = data.draw(st.integers(2, 16))
    y = np.array(data.draw(st.lists(st.sampled_from([0, 0, 1]), min_size=n, max_size=n)))
    p = np.array(data.draw(st.lists(st.sampled_from([0, 0, 1]), min_size=n, max_size=n)))
    if y.sum() == 0:
        y[data.draw(st.integers(0, n - 1))] = 1
    if p.sum() == 0:
        p[data.draw(st.integers(0, n - 1))] = 1
    got = affiliation_precision_recall_fscore(y, p)
    want = naive_affiliation(y, p)
    assert got.precision == pytest.approx(want[0], abs=2e-3)
    assert got.recall == pytest.approx(want[1], abs=2e-3)
    assert 0.0 <= got.precision <= 1.0 and 0.0 <= got.recall <= 1.0


@pytest.mark.parametrize(
    "y, s, expected",
    [
        (series(12, (4, 5), (9, 9)), [0.1, 0.2, 0.3, 0.6, 0.9, 0.4, 0.5, 0.2, 0.1, 0.7, 0.3, 0], 0.9830508474576265),
        (series(6, (2, 3)), [0.1, 0.85, 0.9, 0.8, 0.3, 0.1], 0.9565217391304343),
    ],
)
def test_best_affiliation_spec_values(y, s, expected):
    assert best_affiliation_f1_score(y, s, compat=True) == pytest.approx(expected, abs=1e-12)
    assert best_affiliation_f1_score(y, s) == pytest.approx(expected, abs=1e-12)


def test_best_affiliation_equals_the_maximum_over_the_grid():
    from pate.metrics._threshold_grid import tsb_threshold_grid

    rng = np.random.default_rng(3)
    for _ in range(20):
        n = int(rng.integers(5, 80))
        y = (rng.random(n) < 0.3).astype(int)
        y[0] = 1
        s = rng.integers(0, 5, n) / 4
        values = []
        for t in tsb_threshold_grid(s):
            if (s > t).any():
                values.append(affiliation_precision_recall_fscore(y, s > t).fscore)
        assert best_affiliation_f1_score(y, s) == pytest.approx(max(values), abs=1e-12)


def test_degenerate_inputs():
    with pytest.warns(UndefinedMetricWarning, match="no event"):
        assert affiliation_precision_recall_fscore(np.zeros(8, int), series(8, (2, 2))) == (0.0, 0.0, 0.0)
    with pytest.warns(UndefinedMetricWarning, match="predicts nothing"):
        got = affiliation_precision_recall_fscore(series(10, (3, 4)), np.zeros(10, int))
    assert got == (0.0, 0.0, 0.0)
    got = affiliation_precision_recall_fscore(series(10, (3, 4)), np.zeros(10, int), undefined="nan")
    assert math.isnan(got.precision) and got.recall == 0.0 and math.isnan(got.fscore)
    with pytest.warns(UndefinedMetricWarning, match="constant score"):
        assert best_affiliation_f1_score(series(10, (4, 5)), np.zeros(10)) == 0.0
    with pytest.warns(UndefinedMetricWarning, match="compat=True"):  # TSB-AD's nan kept
        assert math.isnan(best_affiliation_f1_score(series(10, (4, 5)), np.zeros(10), compat=True))


def test_registry():
    y, p = series(10, (2, 4), (7, 7)), series(10, (3, 3), (6, 8))
    assert get_metric("affiliation_f1")(y, p, compat=True) == pytest.approx(0.8854166666666661, abs=1e-15)
    assert get_metric("affiliation_precision")(y, p) == pytest.approx(0.8333333333333333, abs=1e-15)
