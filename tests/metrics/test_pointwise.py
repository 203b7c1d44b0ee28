"""Point-wise precision/recall/F1, AUC-ROC and the two AUC-PR numbers (docs/spec/baseline-metrics.md, sections 1-3).

Known values from that page, the degenerate cases, agreement with
the published implementations on the committed corpus
(tests/data/pointwise_reference.json, made by make_pointwise_reference.py),
and invariants as properties.
"""

from __future__ import annotations

import json
import math
import warnings

import numpy as np
import pytest
from helpers import DATA, bits, close, series
from hypothesis import given, settings
from hypothesis import strategies as st

from pate._warnings import undefined_metric_warning_class
from pate.metrics import (
    auc_pr_score,
    auc_pr_trapz_score,
    auc_roc_score,
    get_metric,
    point_precision_recall_fscore,
)
from pate.metrics._results import PrecisionRecallFScore

UndefinedMetricWarning = undefined_metric_warning_class()
CORPUS = json.loads((DATA / "pointwise_reference.json").read_text())
TOL = 1e-9


# ------------------------------------------------------------------ section 1
def test_point_known_values():
    result = point_precision_recall_fscore(series(10, (2, 4), (7, 7)), series(10, (3, 3), (6, 8)))
    assert isinstance(result, PrecisionRecallFScore)
    assert result == (0.5, 0.5, 0.5)
    assert all(type(v) is float for v in result)


def test_point_degenerate_cases():
    with pytest.warns(UndefinedMetricWarning, match="recall is 0/0"):
        assert point_precision_recall_fscore(series(10), series(10, (3, 4))) == (0.0, 0.0, 0.0)
    with pytest.warns(UndefinedMetricWarning, match="precision is 0/0"):
        assert point_precision_recall_fscore(series(10, (2, 4)), series(10)) == (0.0, 0.0, 0.0)
    # the reference raises IndexError on the next two (one class in y and p together)
    with pytest.warns(UndefinedMetricWarning):
        assert point_precision_recall_fscore(series(10), series(10)) == (0.0, 0.0, 0.0)
    assert point_precision_recall_fscore([1], [1]) == (1.0, 1.0, 1.0)
    assert point_precision_recall_fscore(np.ones(5, int), np.ones(5, int)) == (1.0, 1.0, 1.0)


# --------------------------------------------------------------- sections 2-3
@pytest.mark.parametrize(
    "y, s, roc, ap, trapz",
    [
        (series(6, (2, 3)), [0.1, 0.85, 0.9, 0.8, 0.3, 0.1], 0.875, 0.8333333333333333, 0.7916666666666666),
        (series(5, (1, 1), (3, 3)), [0.2, 0.2, 0.2, 0.9, 0.1], 0.8333333333333334, 0.75, 0.875),
        (series(10, (4, 5)), np.zeros(10), 0.5, 0.2, 0.6),
        (
            series(12, (4, 5), (9, 9)),
            [0.1, 0.2, 0.3, 0.6, 0.9, 0.4, 0.5, 0.2, 0.1, 0.7, 0.3, 0.0],
            0.9259259259259259,
            0.8666666666666667,
            0.8500000000000001,
        ),
    ],
)
def test_auc_known_values(y, s, roc, ap, trapz):
    assert auc_roc_score(y, s) == pytest.approx(roc, abs=1e-15)
    assert auc_pr_score(y, s) == pytest.approx(ap, abs=1e-15)
    assert auc_pr_trapz_score(y, s) == pytest.approx(trapz, abs=1e-15)


def test_auc_one_class_warns_and_returns_zero():
    s = [0.1, 0.2, 0.3, 0.4, 0.5]
    # references: roc_auc_score raises ValueError (sklearn 1.5) or returns nan (1.9);
    # average precision returns -0.0 and the trapezoid 0.5 (recall set to 1 by sklearn): the one rule gives 0.0
    for f in (auc_roc_score, auc_pr_score, auc_pr_trapz_score):
        with pytest.warns(UndefinedMetricWarning, match="no anomaly"):
            assert f(series(5), s) == 0.0
        assert math.isnan(f(series(5), s, undefined="nan"))
    with pytest.warns(UndefinedMetricWarning, match="only anomalies"):
        assert auc_roc_score(np.ones(5, int), s) == 0.0
    # all labels: precision is 1 at every threshold, the AUC-PRs are defined
    assert auc_pr_score(np.ones(5, int), s) == 1.0
    assert auc_pr_trapz_score(np.ones(5, int), s) == 1.0


def test_trapezoid_of_a_constant_score_is_optimistic():
    for n, p in [(10, 2), (7, 1), (20, 15)]:
        y = np.zeros(n, int)
        y[:p] = 1
        assert auc_pr_trapz_score(y, np.full(n, 0.3)) == pytest.approx((1 + p / n) / 2, abs=1e-15)
        assert auc_pr_score(y, np.full(n, 0.3)) == pytest.approx(p / n, abs=1e-15)


# --------------------------------------------------------- reference corpus
def test_corpus_point_precision_recall_f1():
    checked = 0
    for case in CORPUS["binary"]:
        if case["point"] is None:  # the reference raises (one class in y and p together)
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UndefinedMetricWarning)
            ours = point_precision_recall_fscore(bits(case["y_true"]), bits(case["y_pred"]))
        assert all(close(a, b) for a, b in zip(ours, case["point"])), case
        checked += 1
    assert checked > 500


@pytest.mark.parametrize("key, func", [("roc", auc_roc_score), ("ap", auc_pr_score), ("trapz", auc_pr_trapz_score)])
def test_corpus_auc(key, func):
    checked = 0
    for case in CORPUS["score"]:
        y = bits(case["y_true"])
        if case[key] is None or not y.any() or (key == "roc" and y.all()):
            continue  # reference raises, or our documented nan (no anomaly; AUC-ROC also all anomalies)
        assert close(func(y, case["y_score"]), case[key]), case
        checked += 1
    assert checked > 100


@pytest.mark.parametrize("key, func", [("ap", auc_pr_score), ("trapz", auc_pr_trapz_score)])
def test_corpus_auc_pr_compat_on_label_free_series(key, func):
    # the reference returns numbers there (sklearn 1.5 sets recall to 1): compat=True returns them
    checked = 0
    for case in CORPUS["score"]:
        y = bits(case["y_true"])
        if y.any():
            continue
        with pytest.warns(UndefinedMetricWarning, match="no anomaly"):
            ours = func(y, case["y_score"], compat=True)
        ref = case[key]
        assert ours == ref and math.copysign(1.0, ours) == math.copysign(1.0, ref), case  # -0.0 keeps its sign
        with pytest.warns(UndefinedMetricWarning, match="no anomaly"):
            assert func(y, case["y_score"]) == 0.0  # the default: the one rule's 0.0
        checked += 1
    assert checked >= 20


@pytest.mark.parametrize("func", [auc_pr_score, auc_pr_trapz_score])
def test_auc_pr_compat_changes_nothing_where_defined(func):
    for case in CORPUS["score"]:
        y = bits(case["y_true"])
        if y.any():
            assert func(y, case["y_score"], compat=True) == func(y, case["y_score"])
    with pytest.raises(TypeError, match="compat must be True or False"):
        func([0, 1], [0.1, 0.2], compat="yes")


def test_roc_equals_the_pairwise_definition_on_the_corpus():
    for case in CORPUS["score"][:80]:
        y, s = bits(case["y_true"]).astype(bool), np.array(case["y_score"])
        if y.all() or not y.any():
            continue
        pos, neg = s[y][:, None], s[~y][None, :]
        pairwise = ((pos > neg) + 0.5 * (pos == neg)).mean()
        assert auc_roc_score(y, s) == pytest.approx(pairwise, abs=1e-12)


# ---------------------------------------------------------------- properties
binary_arrays = st.integers(1, 60).flatmap(
    lambda n: st.tuples(
        st.lists(st.sampled_from([0, 1]), min_size=n, max_size=n),
        st.lists(st.sampled_from([0, 1]), min_size=n, max_size=n),
        st.lists(st.sampled_from([0.0, 0.25, 0.5, 0.75, 1.0]), min_size=n, max_size=n),
    )
)


@settings(max_examples=200, deadline=None)
@given(binary_arrays)
def test_values_in_unit_interval_and_perfect_prediction(arrays):
    y, p, s = (np.array(a) for a in arrays)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UndefinedMetricWarning)
        for v in point_precision_recall_fscore(y, p):
            assert 0.0 <= v <= 1.0
        for f in (auc_roc_score, auc_pr_score, auc_pr_trapz_score):
            v = f(y, s)
            assert math.isnan(v) or 0.0 <= v <= 1.0
    if y.any():
        assert point_precision_recall_fscore(y, y) == (1.0, 1.0, 1.0)
        assert auc_pr_score(y, y.astype(float)) == 1.0
        assert auc_pr_trapz_score(y, y.astype(float)) == 1.0
        if not y.all():
            assert auc_roc_score(y, y.astype(float)) == 1.0
            # reversing the ranking mirrors AUC-ROC
            assert auc_roc_score(y, -s) == pytest.approx(1.0 - auc_roc_score(y, s), abs=1e-12)


def test_registry_and_results_are_python_floats():
    y, s = series(6, (2, 3)), [0.1, 0.85, 0.9, 0.8, 0.3, 0.1]
    p = [0, 1, 1, 0, 0, 0]
    for name in ("point_precision", "point_recall", "point_f1"):
        assert get_metric(name)(y, p) in (0.5,) and type(get_metric(name)(y, p)) is float
    for name in ("auc_roc", "auc_pr", "auc_pr_trapz"):
        assert type(get_metric(name)(y, s)) is float
