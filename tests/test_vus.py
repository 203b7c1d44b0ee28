"""Range-AUC and VUS: spec values, a literal oracle on random cases, degenerate inputs."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from naive_vus import naive_range_auc, naive_vus, naive_vus_legacy
from pate._warnings import undefined_metric_warning_class
from pate.metrics import get_metric, range_auc_score, vus_score

UndefinedMetricWarning = undefined_metric_warning_class()
Y = np.array([0, 0, 0, 0, 1, 1, 0, 0, 0, 1, 0, 0])
S = np.array([.1, .2, .3, .6, .9, .4, .5, .2, .1, .7, .3, 0])
TABLE = {  # baseline-metrics.md section 11, windows 0, 2, 4, 6
    "vus_roc": [0.9259259259259259, 0.9459818856358219, 0.9648602965844895, 0.973916412599104],
    "vus_pr": [0.8666666666666666, 0.8978979463885173, 0.9301534404420335, 0.9468586169865054],
    "range_auc_roc": [0.9259259259259259, 0.9701361326839757, 0.9699668894213371, 0.983580527312977],
    "range_auc_pr": [0.85, 0.9427725383192076, 0.9629201901457616, 0.9824544355248261],
    "vus_roc_legacy": [0.9259259259259259, 0.9354760276131092, 0.9485171960661238, 0.9581633042758487],
    "vus_pr_legacy": [0.8500000000000001, 0.8707391963323939, 0.9004877107678825, 0.9226047412845199],
}


@pytest.mark.parametrize("name", sorted(TABLE))
@pytest.mark.parametrize("i, window", list(enumerate([0, 2, 4, 6])))
def test_spec_values(name, i, window):
    assert get_metric(name)(Y, S, window=window) == pytest.approx(TABLE[name][i], abs=1e-14)


@st.composite
def case(draw):
    n = draw(st.integers(2, 30))
    y = np.array(draw(st.lists(st.sampled_from([0, 0, 1]), min_size=n, max_size=n)))
    if y.sum() == 0:
        y[draw(st.integers(0, n - 1))] = 1
    if y.sum() == n:
        y[draw(st.integers(0, n - 1))] = 0
    s = np.array(draw(st.lists(st.sampled_from([0.0, 0.2, 0.5, 0.7, 1.0]) | st.floats(0, 1), min_size=n, max_size=n)))
    return y, s


@settings(max_examples=120)
@given(c=case(), window=st.integers(0, 9), n_thr=st.sampled_from([2, 7, 250]))
def test_against_the_literal_oracle(c, window, n_thr):
    y, s = c
    r = range_auc_score(y, s, window=window, n_thresholds=n_thr)
    assert r == pytest.approx(naive_range_auc(list(y), list(s), window, n_thr), abs=1e-12)
    rl = range_auc_score(y, s, window=window, n_thresholds=n_thr, version="legacy")
    assert rl == pytest.approx(naive_range_auc(list(y), list(s), window, n_thr, legacy=True), abs=1e-12)
    v = vus_score(y, s, window=window, n_thresholds=n_thr)
    assert v == pytest.approx(naive_vus(list(y), list(s), window, n_thr), abs=1e-12)
    vl = vus_score(y, s, window=min(window, 5), n_thresholds=n_thr, version="legacy")
    assert vl == pytest.approx(naive_vus_legacy(list(y), list(s), min(window, 5), n_thr), abs=1e-12)
    for value in (*r, *rl, *v, *vl):
        assert 0.0 <= value <= 1.0 + 1e-12


def test_degenerate_inputs():
    for f in (range_auc_score, vus_score):
        with pytest.warns(UndefinedMetricWarning, match="no anomaly"):
            assert all(math.isnan(v) for v in f(np.zeros(10, int), np.arange(10.0), window=4))
        with pytest.warns(UndefinedMetricWarning, match="every point is labelled"):
            roc, pr = f(np.ones(10, int), np.arange(10.0), window=4)
        assert math.isnan(roc) and pr == 1.0


def test_options_are_validated():
    with pytest.raises(ValueError, match="window must be >= 0"):
        vus_score(Y, S, window=-1)
    with pytest.raises(ValueError, match="n_thresholds must be >= 2"):
        range_auc_score(Y, S, n_thresholds=1)
    with pytest.raises(ValueError, match="version must be"):
        vus_score(Y, S, version="2022")


@pytest.mark.parametrize("convert", [list, pd.Series, lambda a: a.astype(bool)])
def test_input_types(convert):
    assert vus_score(convert(Y), S, window=4) == vus_score(Y, S, window=4)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        range_auc_score(convert(Y), list(S), window=3)
