"""NAB's score of one series (pate.metrics.nab_score) against its definition and the slow oracle.

The definition (docs/nab.md) on hand-made series, the kernels against
``tests/naive/nab.py`` with hypothesis, the options and the bad-input errors.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from helpers import series
from hypothesis import given
from hypothesis import strategies as st
from naive.nab import naive_nab_score, naive_probation, naive_sigmoid, naive_worth

from pate._warnings import undefined_metric_warning_class
from pate.metrics import NAB_PROFILES, NabProfile, NabScore, get_metric, get_metric_info, nab_score
from pate.metrics._nab import check_nab_profile, nab_probationary_length

UndefinedMetricWarning = undefined_metric_warning_class()
S1 = naive_sigmoid(-1.0)  # the worth of the earliest detection before scaling: 2 / (1 + e^-5) - 1


def at(n, *points):
    out = np.zeros(n, dtype=int)
    out[list(points)] = 1
    return out


# --- the definition, on hand-made series -------------------------------------------------------------


def test_the_scaled_sigmoid():
    from pate._kernels.nab import scaled_sigmoid

    assert scaled_sigmoid(0.0) == 0.0
    assert scaled_sigmoid(-1.0) == pytest.approx(0.98661429815143)  # 2 * sigmoid(5) - 1
    assert scaled_sigmoid(-0.5) == pytest.approx(2 / (1 + math.exp(-2.5)) - 1)
    assert scaled_sigmoid(1.0) == pytest.approx(-0.98661429815143)
    assert scaled_sigmoid(3.0) == pytest.approx(2 / (1 + math.exp(15)) - 1) and scaled_sigmoid(3.0) > -1.0
    assert scaled_sigmoid(3.0000001) == -1.0  # beyond 3: exactly -1


def test_the_earliest_detection_earns_a_tp_and_scores_100():
    y = series(40, (20, 29))
    r = nab_score(y, at(40, 20), probationary_percent=0)
    assert r == NabScore(100.0, 1.0, 1.0, -1.0, 1, 0, 9, 30)
    assert nab_score(y, at(40, 20), profile=(2.5, 0.1, 1.0), probationary_percent=0).raw == 2.5


def test_only_the_earliest_detection_of_a_window_counts():
    y = series(40, (20, 29))
    late = nab_score(y, at(40, 29), probationary_percent=0)
    both = nab_score(y, at(40, 25, 29), probationary_percent=0)
    assert late.raw == pytest.approx(naive_sigmoid(-1 / 10) / S1)  # the last point: S(-1/W) / S(-1)
    assert both.raw == pytest.approx(naive_sigmoid(-5 / 10) / S1)  # i = 25: -(29 - 25 + 1) / 10
    assert (both.tp, both.fn) == (2, 8)


def test_a_missed_window_costs_a_fn_and_nothing_detected_scores_0():
    y = series(60, (10, 19), (40, 49))
    r = nab_score(y, np.zeros(60, int), profile="reward_low_FN_rate", probationary_percent=0)
    assert (r.score, r.raw, r.perfect, r.null) == (0.0, -4.0, 2.0, -4.0)
    assert (r.tp, r.fp, r.fn, r.tn) == (0, 0, 20, 40)


def test_false_positives_cost_by_their_distance_after_the_nearest_window_to_their_left():
    y = series(100, (20, 29), (60, 69))  # W = 10, so the scale is W - 1 = 9
    for i, x in [(30, 1 / 9), (35, 6 / 9), (47, 18 / 9), (56, 27 / 9), (57, 28 / 9), (75, 6 / 9)]:
        r = nab_score(y, at(100, i), probationary_percent=0)
        assert r.raw == pytest.approx(-2.0 + 0.11 * naive_sigmoid(x)), i
    assert nab_score(y, at(100, 57), probationary_percent=0).raw == -2.11  # past 3 scales: -A_fp exactly
    # before every window: -A_fp
    assert nab_score(y, at(100, 5), profile="reward_low_FP_rate", probationary_percent=0).raw == -2.22


def test_a_one_point_window_has_no_scale_after_it():
    # NAB divides by W - 1 = 0 there (a ZeroDivisionError); we take the limit: -A_fp
    y = series(30, (10, 10))
    assert nab_score(y, at(30, 11), probationary_percent=0).raw == -1.11
    assert nab_score(y, at(30, 10), probationary_percent=0).score == 100.0


@pytest.mark.parametrize(
    "n, p, want",
    [
        (4032, 0.15, 604),
        (22695, 0.15, 750),
        (1127, 0.15, 169),
        (10, 0.0, 0),
        (10, 1.0, 10),
        (10000, 0.1234, 617),
        (10000, 0.12345, 618),
        (7, 0.5, 3),
    ],
)
def test_the_probationary_period(n, p, want):
    # the points i < min(floor(p n), p * 5000); p * 5000 = 617.25 leaves i = 617 inside
    assert nab_probationary_length(n, p) == want == naive_probation(n, p)


def test_the_probationary_period_is_not_scored_and_a_window_inside_it_not_counted():
    y = series(100, (2, 5), (12, 20), (60, 69))  # p = 0.15: points 0..14 are not scored
    r = nab_score(y, at(100, 3, 13, 14, 8), probationary_percent=0.15)
    assert (r.perfect, r.null) == (2.0, -2.0)  # the window (2, 5) is not counted; (12, 20) is
    assert (r.tp, r.fp, r.fn, r.tn) == (0, 0, 6 + 10, 85 - 16)  # detections before 15 are not counted
    assert r.raw == -2.0
    # the window's width stays 9 for the worth of its scored points
    assert nab_score(y, at(100, 15), probationary_percent=0.15).raw == pytest.approx(
        naive_sigmoid(-(20 - 15 + 1) / 9) / S1 - 1.0
    )
    # a window lying wholly in the probationary period still sets the scale of the false positives after it
    assert nab_score(series(100, (2, 5)), at(100, 20), undefined="nan").raw == pytest.approx(
        0.11 * naive_sigmoid(15 / 3)
    )


def test_the_counts_are_nab_point_counts_after_the_probationary_period():
    y = series(200, (50, 59), (120, 139))
    pred = at(200, 0, 10, 35, 50, 51, 100, 130, 199)
    r = nab_score(y, pred)
    assert r.tp + r.fp + r.fn + r.tn == 200 - 30
    assert (r.tp, r.fp) == (3, 3)  # 0 and 10 lie in the probationary period


def test_profiles_by_name_weights_and_mapping():
    y = series(50, (20, 29))
    pred = at(50, 10, 25, 40)
    for name, weights in NAB_PROFILES.items():
        by_name = nab_score(y, pred, profile=name)
        assert by_name == nab_score(y, pred, profile=tuple(weights))
        assert by_name == nab_score(y, pred, profile=dict(tp=weights.tp, fp=weights.fp, fn=weights.fn))
        assert by_name == nab_score(
            y, pred, profile={"tpWeight": weights.tp, "fpWeight": weights.fp, "fnWeight": weights.fn, "tnWeight": 1.0}
        )
    assert check_nab_profile(NabProfile(2, 1, 3)) == (2.0, 1.0, 3.0)
    assert check_nab_profile(np.array([1, 0.5, 1])) == (1.0, 0.5, 1.0)
    assert check_nab_profile("1,0.5, 1") == (1.0, 0.5, 1.0)
    with pytest.raises(ValueError, match="weights as text must be three numbers"):
        check_nab_profile("1,x,1")
    with pytest.raises(ValueError, match="three numbers"):
        check_nab_profile("1,1")
    with pytest.raises(ValueError, match="A_fp must be a positive finite number"):
        check_nab_profile("1,-1,1")


def test_the_registry_entry_is_the_score_field():
    y = series(50, (20, 29))
    pred = at(50, 10, 25, 40)
    f = get_metric("nab_score")
    assert f(y, pred, profile="reward_low_FP_rate") == nab_score(y, pred, profile="reward_low_FP_rate").score
    assert set(get_metric_info("nab_score").params) == {"profile", "probationary_percent", "undefined"}
    assert get_metric_info("nab_score").bounds == (-math.inf, 100.0)
    assert get_metric_info("nab_score").input == "binary"


# --- undefined: no window counted --------------------------------------------------------------------


def test_no_window_counted_is_undefined_with_a_warning():
    for y in (np.zeros(40, int), series(40, (1, 3))):  # no window; a window inside the probationary period
        with pytest.warns(UndefinedMetricWarning, match="no window is counted"):
            r = nab_score(y, at(40, 20))
        assert r.score == 0.0 and r.raw == -0.11 and (r.perfect, r.null) == (0.0, 0.0)
        assert math.isnan(nab_score(y, at(40, 20), undefined="nan").score)
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            assert nab_score(y, at(40, 20), undefined=0).score == 0.0
            nan = nab_score(y, at(40, 20), undefined="nan")
            assert math.isnan(nan.score) and nan.raw == -0.11  # only the score is replaced
            assert math.isnan(get_metric("nab_score")(y, at(40, 20), undefined="nan"))


# --- bad input ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "profile, exc, message",
    [
        ("standrad", ValueError, "Unknown NAB profile 'standrad'. Did you mean 'standard'"),
        ("low_fp", ValueError, "Known profiles: standard, reward_low_FP_rate, reward_low_FN_rate"),
        ((1, 0, 1), ValueError, "A_fp must be a positive finite number, got 0.0"),
        ((1, 0.11, -1), ValueError, "A_fn must be a positive finite number, got -1.0"),
        ((1, math.nan, 1), ValueError, "A_fp must be a positive finite number, got nan"),
        ((math.inf, 0.1, 1), ValueError, "A_tp must be a positive finite number"),
        ((1, 0.11), ValueError, "three numbers"),
        ((True, 0.11, 1), TypeError, "A_tp must be a positive number, got True"),
        (("1", 0.11, 1), TypeError, "A_tp must be a positive number"),
        ({"tp": 1, "fp": 0.1}, ValueError, "lacks the fn weight"),
        ({"tp": 1, "fp": 0.1, "fn": 1, "tn": 1}, ValueError, "unknown key 'tn'"),
        ({"tp": 1, "tpWeight": 1, "fp": 0.1, "fn": 1}, ValueError, "gives the tp weight twice"),
        ({"tp": 1, "fp": 0, "fn": 1}, ValueError, "weight fp must be a positive finite number"),
        (None, TypeError, "profile must be a NAB profile name"),
        (0.11, TypeError, "profile must be a NAB profile name"),
    ],
)
def test_bad_profiles_say_what_is_wrong(profile, exc, message):
    with pytest.raises(exc, match=message.replace("(", r"\(").replace(")", r"\)").replace(".", r"\.")):
        nab_score(series(30, (10, 14)), at(30, 12), profile=profile)


@pytest.mark.parametrize("p, exc", [(-0.1, ValueError), (1.5, ValueError), ("0.15", TypeError), (None, TypeError)])
def test_bad_probationary_percent(p, exc):
    with pytest.raises(exc, match="probationary_percent"):
        nab_score(series(30, (10, 14)), at(30, 12), probationary_percent=p)


def test_scores_instead_of_detections_are_refused_with_the_fix():
    with pytest.raises(ValueError, match="y_pred must contain only 0 and 1.*y_score >= threshold"):
        nab_score(series(30, (10, 14)), np.linspace(0, 1, 30))


# --- the kernels against the slow oracle -------------------------------------------------------------


@st.composite
def labelled_series(draw, max_n=80):
    n = draw(st.integers(1, max_n))
    y = draw(st.lists(st.sampled_from([0, 0, 0, 1]), min_size=n, max_size=n))
    # make runs: smear some ones so that windows are longer than one point
    y = np.array(y)
    for i in range(1, n):
        if y[i - 1] and draw(st.booleans()):
            y[i] = 1
    return y


weights = st.floats(0.05, 5.0, allow_nan=False)
profiles = st.one_of(st.sampled_from(list(NAB_PROFILES)), st.tuples(weights, weights, weights))
fractions = st.one_of(st.sampled_from([0.0, 0.15, 0.5, 1.0]), st.floats(0.0, 1.0))


@given(y=labelled_series(), data=st.data(), profile=profiles, p=fractions)
def test_nab_score_equals_the_oracle(y, data, profile, p):
    pred = np.array(data.draw(st.lists(st.booleans(), min_size=y.size, max_size=y.size)))
    weights_ = check_nab_profile(profile)
    want = naive_nab_score(y, pred, profile=tuple(weights_), probationary_percent=p)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UndefinedMetricWarning)
        got = nab_score(y, pred, profile=profile, probationary_percent=p, undefined="nan")
    assert got[4:] == want[4:]  # tp, fp, fn, tn exactly
    assert got.perfect == want[2] and got.null == want[3]
    assert got.raw == pytest.approx(want[1], rel=1e-12, abs=1e-12)
    if math.isnan(want[0]):
        assert math.isnan(got.score)
    else:
        assert got.score == pytest.approx(want[0], rel=1e-12, abs=1e-10)


@given(y=labelled_series(max_n=120))
def test_unit_worth_equals_the_oracle(y):
    from pate._events import label_events
    from pate._kernels.nab import unit_worth

    starts, ends = label_events(y.astype(bool))
    worth, inside = unit_worth(starts, ends, y.size)
    np.testing.assert_array_equal(inside, y == 1)
    want = naive_worth(y.tolist(), 1.0, 1.0)
    np.testing.assert_allclose(worth, want, rtol=1e-13, atol=1e-15)
