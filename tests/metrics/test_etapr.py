"""eTaPR: spec values, a literal oracle on random cases, degenerate inputs."""

from __future__ import annotations

import math

import numpy as np
import pytest
from helpers import series
from hypothesis import given, settings
from hypothesis import strategies as st
from naive.etapr import naive_etapr

from pate._warnings import undefined_metric_warning_class
from pate.metrics import etapr_precision_recall_fscore, get_metric

UndefinedMetricWarning = undefined_metric_warning_class()


README_LABELS = [(1, 4), (59, 60), (62, 64), (67, 96)]


@pytest.mark.parametrize(
    "y, p, params, expected",
    [
        (
            series(100, *README_LABELS),
            series(100, (2, 57), (59, 60), (62, 64), (66, 69)),
            (0.5, 0.01, 0.0),
            (0.3876823062996395, 0.6375, 0.48215321069691597),
        ),
        (
            series(100, *README_LABELS),
            series(100, (2, 17), (59, 60), (62, 64), (66, 69)),
            (0.5, 0.01, 0.0),
            (0.535329416677799, 0.6375, 0.5819644328137645),
        ),
        (
            series(30, (5, 14), (20, 21)),
            series(30, (3, 6), (8, 8), (10, 20)),
            (0.5, 0.1, 0.0),
            (0.8015113445777636, 0.825, 0.8130860709715029),
        ),
        (
            series(30, (5, 14), (20, 21)),
            series(30, (3, 6), (8, 8), (10, 20)),
            (0.5, 0.1, 0.5),
            (0.8611775734944568, 0.875, 0.8680337637249816),
        ),
        (series(100, (10, 19), (50, 59)), series(100, (80, 85)), (0.5, 0.0, 0.0), (0.0, 0.5, 0.0)),
    ],
)
def test_spec_values(y, p, params, expected):
    theta_p, theta_r, delta = params
    got = etapr_precision_recall_fscore(y, p, theta_p=theta_p, theta_r=theta_r, delta=delta)
    assert got == pytest.approx(expected, abs=1e-15)


@settings(max_examples=200)
@given(
    data=st.data(),
    theta_p=st.sampled_from([0.0, 0.1, 0.5, 0.7, 1.0]),
    theta_r=st.sampled_from([0.0, 0.01, 0.1, 0.5]),
    delta=st.sampled_from([0.0, 0.2, 0.5, 1.0]),
)
def test_against_the_literal_oracle(data, theta_p, theta_r, delta):
    n = data.draw(st.integers(2, 40))
    y = np.array(data.draw(st.lists(st.sampled_from([0, 0, 1]), min_size=n, max_size=n)))
    p = np.array(data.draw(st.lists(st.sampled_from([0, 0, 1]), min_size=n, max_size=n)))
    if y.sum() == 0 or p.sum() == 0:
        y[0], p[-1] = 1, 1
    got = etapr_precision_recall_fscore(y, p, theta_p=theta_p, theta_r=theta_r, delta=delta)
    want = naive_etapr(list(y), list(p), theta_p=theta_p, theta_r=theta_r, delta=delta)
    assert got == pytest.approx(want, abs=1e-12)
    # recall is capped per event; precision is not (a zone may keep the next
    # event's first point, so a predicted point can count twice: see docs)
    assert 0.0 <= got.recall <= 1.0 and got.precision >= 0.0


def test_precision_can_exceed_one_where_a_zone_keeps_the_next_events_first_point():
    # zone after [2,4] with delta=1 is [5,7]; 7 is also the next event's first point
    y = np.array([0, 0, 1, 1, 1, 0, 0, 1])
    p = np.array([0, 0, 0, 0, 0, 0, 0, 1])
    got = etapr_precision_recall_fscore(y, p, theta_p=0.0, theta_r=0.0, delta=1.0)
    assert got.precision > 1.0
    assert got == pytest.approx(naive_etapr(list(y), list(p), theta_p=0.0, theta_r=0.0, delta=1.0), abs=1e-15)


def test_perfect_prediction():
    y = series(50, (3, 9), (20, 20), (30, 44))
    assert etapr_precision_recall_fscore(y, y) == (1.0, 1.0, 1.0)


def test_degenerate_inputs():
    with pytest.warns(UndefinedMetricWarning, match="no event"):
        got = etapr_precision_recall_fscore(np.zeros(10, int), series(10, (2, 3)))
    assert got.recall == 0.0 and got.fscore == 0.0
    with pytest.warns(UndefinedMetricWarning, match="no predicted event"):
        got = etapr_precision_recall_fscore(series(10, (2, 3)), np.zeros(10, int))
    assert got.precision == 0.0 and got.recall == 0.0
    got = etapr_precision_recall_fscore(series(10, (2, 3)), np.zeros(10, int), undefined="nan")
    assert math.isnan(got.precision) and got.recall == 0.0 and math.isnan(got.fscore)


def test_registry_and_options():
    y, p = series(30, (5, 14), (20, 21)), series(30, (3, 6), (8, 8), (10, 20))
    assert get_metric("etapr_f1")(y, p, delta=0.5) == pytest.approx(0.8680337637249816, abs=1e-15)
    with pytest.raises(ValueError, match=r"theta_p must be in \[0.0, 1.0\]"):
        get_metric("etapr_precision")(y, p, theta_p=2)
