"""Point-adjusted precision/recall/F1 and PA%K (docs/spec/baseline-metrics.md, sections 4 and 5).

Known values from that page in both modes, the degenerate cases,
agreement with the PATE authors' ``get_adjust_F1PA``, TSB-AD's ``PA-F1`` and
tadpak 0.3.3 on the committed corpus (tests/data/pointwise_reference.json),
and invariants as properties.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from helpers import DATA, bits, close, series
from hypothesis import given, settings
from hypothesis import strategies as st

from pate._warnings import undefined_metric_warning_class
from pate.metrics import (
    pak_f1_score,
    point_adjusted_precision_recall_fscore,
    point_precision_recall_fscore,
)

UndefinedMetricWarning = undefined_metric_warning_class()
CORPUS = json.loads((DATA / "pointwise_reference.json").read_text())
TOL = 1e-9


Y10, P10 = series(10, (2, 4), (7, 7)), series(10, (3, 3), (6, 8))


# ------------------------------------------------------------------ section 4
@pytest.mark.parametrize(
    "y, p, f1_compat, f1_default",
    [
        (Y10, P10, 0.8, 0.8),
        (series(10, (0, 3)), series(10, (2, 2)), 0.8571428571428571, 1.0),  # index 0 stays missed in compat
        (series(10, (0, 3)), series(10, (0, 0)), 1.0, 1.0),
        (series(10, (0, 9)), series(10, (3, 4)), 0.9473684210526315, 1.0),
    ],
)
def test_point_adjusted_known_values(y, p, f1_compat, f1_default):
    assert point_adjusted_precision_recall_fscore(y, p, compat=True).fscore == f1_compat
    assert point_adjusted_precision_recall_fscore(y, p).fscore == f1_default


def test_point_adjusted_precision_recall_known_values():
    for compat in (False, True):
        assert point_adjusted_precision_recall_fscore(Y10, P10, compat=compat) == (0.6666666666666666, 1.0, 0.8)


@pytest.mark.parametrize("compat", [False, True])
def test_point_adjusted_degenerate_cases_give_zero_with_a_warning(compat):
    for y, p in [(series(10), series(10)), (series(10), series(10, (3, 3))), (series(10, (3, 4)), series(10))]:
        with pytest.warns(UndefinedMetricWarning):
            assert point_adjusted_precision_recall_fscore(y, p, compat=compat).fscore == 0.0


# ------------------------------------------------------------------ section 5
@pytest.mark.parametrize(
    "y, p, k, value",
    [
        (Y10, P10, 0, 0.8),
        (Y10, P10, 20, 0.8),
        (Y10, P10, 50, 0.5),
        (Y10, P10, 67, 0.5),
        (Y10, P10, 100, 0.5),
        (series(10, (0, 3)), series(10, (2, 2)), 0, 1.0),
        (series(10, (0, 3)), series(10, (2, 2)), 25, 0.4),  # 1 of 4 is not > 1.0
        (series(10, (0, 3)), series(10, (2, 3)), 25, 1.0),
    ],
)
def test_pak_known_values(y, p, k, value):
    assert pak_f1_score(y, p, k=k) == pytest.approx(value, abs=1e-15)


def test_pak_parameter_checks():
    with pytest.raises(ValueError, match=r"k must be in \[0.0, 100.0\]"):
        pak_f1_score(Y10, P10, k=120)
    with pytest.raises(ValueError, match=r"k must be in"):
        pak_f1_score(Y10, P10, k=-1)
    assert pak_f1_score(Y10, P10, k=np.float32(20)) == 0.8
    assert pak_f1_score(Y10, P10) == 0.8  # default k = 20


def test_pak_degenerate_cases_give_zero_with_a_warning():
    for y, p in [(series(10), series(10)), (series(10), series(10, (3, 3))), (series(10, (3, 4)), series(10))]:
        with pytest.warns(UndefinedMetricWarning):
            assert pak_f1_score(y, p) == 0.0


# --------------------------------------------------------- reference corpus
def test_corpus_point_adjusted_compat_equals_the_published_loop(quiet):
    for case in CORPUS["binary"]:
        y, p = bits(case["y_true"]), bits(case["y_pred"])
        ours = quiet(point_adjusted_precision_recall_fscore, y, p, compat=True)
        assert all(close(a, b) for a, b in zip(ours, case["pa"])), case
        assert close(ours.fscore, case["pa_tsb"]), case


def test_corpus_point_adjusted_default_equals_the_loop_without_its_quirk(quiet):
    for case in CORPUS["binary"]:
        y, p = bits(case["y_true"]), bits(case["y_pred"])
        ours = quiet(point_adjusted_precision_recall_fscore, y, p)
        assert all(close(a, b) for a, b in zip(ours, case["pa_default"])), case


def test_corpus_pak_equals_tadpak(quiet):
    for case in CORPUS["binary"]:
        y, p = bits(case["y_true"]), bits(case["y_pred"])
        for k, ref in zip(CORPUS["pak_k"], case["pak"]):
            assert close(quiet(pak_f1_score, y, p, k=k), ref), (case["y_true"], case["y_pred"], k)


# ---------------------------------------------------------------- properties
def literal_point_adjust(y, p):
    """The definition, one point at a time: every event with a predicted point is wholly predicted."""
    adjusted = list(p)
    t = 0
    while t < len(y):
        if y[t]:
            end = t
            while end + 1 < len(y) and y[end + 1]:
                end += 1
            if any(p[t : end + 1]):
                adjusted[t : end + 1] = [1] * (end + 1 - t)
            t = end + 1
        else:
            t += 1
    return np.array(adjusted)


pairs = st.integers(1, 60).flatmap(
    lambda n: st.tuples(
        st.lists(st.sampled_from([0, 1]), min_size=n, max_size=n),
        st.lists(st.sampled_from([0, 1]), min_size=n, max_size=n),
    )
)


@settings(max_examples=200, deadline=None)
@given(pairs)
def test_invariants(quiet, pair):
    y, p = (np.array(a) for a in pair)
    default = quiet(point_adjusted_precision_recall_fscore, y, p)
    compat = quiet(point_adjusted_precision_recall_fscore, y, p, compat=True)
    point = quiet(point_precision_recall_fscore, y, p)
    assert default == quiet(point_precision_recall_fscore, y, literal_point_adjust(y, p))
    for v in (*default, *compat):
        assert 0.0 <= v <= 1.0
    # adjustment only turns false negatives into true positives
    assert default.recall >= compat.recall >= point.recall
    assert default.precision >= compat.precision >= point.precision
    # PA%K: k = 0 is point adjustment (no index-0 quirk), k = 100 plain point F1, non-increasing in k
    pak = [quiet(pak_f1_score, y, p, k=k) for k in (0, 10, 33.3, 50, 90, 100)]
    assert pak[0] == default.fscore and pak[-1] == point.fscore
    assert all(a >= b for a, b in zip(pak, pak[1:]))
    if y.any():
        for k in (0, 50, 100):
            assert pak_f1_score(y, y, k=k) == 1.0
        assert point_adjusted_precision_recall_fscore(y, y, compat=True) == (1.0, 1.0, 1.0)
