"""Checks of the literal oracle ``tests/naive/pate.py`` against the known values of
the published package (docs/spec/pate-definition.md, sections 5 and 8)."""

from fractions import Fraction

import pytest

from naive.pate import (
    _buffer_pairs,
    _pate_f1_on_pairs,
    _pate_from_thresholds,
    naive_buffer_sizes,
    naive_events,
    naive_pate,
    naive_pate_f1,
    naive_thresholds,
    naive_tp_fp_fn,
    naive_zones,
)


def _series(T, ranges):
    """0/1 list of length T with ones on the inclusive ranges."""
    y = [0] * T
    for a, b in ranges:
        for i in range(a, b + 1):
            y[i] = 1
    return y


# ---------------------------------------------------------------------------
# Section 5: buffer grid
# ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    "M, n, include_zero, expected",
    [
        (3, 9, False, [0, 0, 1, 1, 1, 1, 2, 2, 3]),  # float step, not exact floors
        (1, 3, True, [0, 0, 0, 1]),
        (100, 1, True, [0, 100]),
        (20, 1, False, [20]),
        (7, 0, True, [0]),
    ],
)
def test_buffer_sizes(M, n, include_zero, expected):
    assert naive_buffer_sizes(M, n, include_zero) == expected


def test_buffer_sizes_zero_splits_without_zero_raises():
    with pytest.raises(ZeroDivisionError):
        naive_buffer_sizes(5, 0, False)


def test_buffer_pairs_counts():
    assert _buffer_pairs(100, 100, 1, True) == [(0, 0), (0, 100), (100, 0), (100, 100)]
    pairs = _buffer_pairs(1, 1, 3, True)
    assert len(pairs) == 16 and pairs.count((0, 0)) == 9


# ---------------------------------------------------------------------------
# Sections 1, 2, 4: small building blocks
# ---------------------------------------------------------------------------
def test_events():
    assert naive_events([0, 1, 1, 0, 0, 1, 0, 1]) == [(1, 2), (5, 5), (7, 7)]
    assert naive_events([1, 1, 0]) == [(0, 1)]
    assert naive_events([0, 0]) == []
    assert naive_events([]) == []
    assert naive_events([0.5, -1, 2]) == [(0, 0), (2, 2)]


def test_zones_post_buffer_wins():
    # Events [10,14] and [16,19], gap of one point, buffers 5, T=40.
    zones = naive_zones([(10, 14), (16, 19)], 40, 5, 5)
    assert zones[0] == {"pre_start": 5, "s": 10, "e": 14, "post_end": 15}
    # PRE_1 = [16, 15] is empty: the post-buffer of event 0 took index 15.
    assert zones[1] == {"pre_start": 16, "s": 16, "e": 19, "post_end": 24}


def test_zones_clipped_by_series_ends():
    zones = naive_zones([(0, 2), (8, 9)], 11, 4, 4)
    assert zones[0]["pre_start"] == 0  # PRE_0 empty
    assert zones[0]["post_end"] == 6
    assert zones[1]["pre_start"] == 7
    assert zones[1]["post_end"] == 10


def test_fn_earliest_run_not_longest():
    # Section 4: earliest run sets delta; FN can grow when P grows.
    y = _series(60, [(10, 29)])
    p_short_first = _series(60, [(12, 13), (16, 27)])
    p_long_first = _series(60, [(12, 23), (26, 27)])
    tp1, fp1, fn1 = naive_tp_fp_fn(y, p_short_first, early_buffer=0, delay_buffer=0, exact=True)
    tp2, fp2, fn2 = naive_tp_fp_fn(y, p_long_first, early_buffer=0, delay_buffer=0, exact=True)
    assert tp1 == tp2 == 14 and fp1 == fp2 == 0
    assert fn1 > fn2
    # A missed event costs its full length, and undetected pre-buffer points are FP.
    y = _series(40, [(20, 24)])
    tp, fp, fn = naive_tp_fp_fn(y, _series(40, [(14, 19)]), early_buffer=6, delay_buffer=4, exact=True)
    assert (tp, fp, fn) == (0, 6, 5)


def test_thresholds_steps_1_to_3():
    y_true = [0, 1, 1, 0, 0, 1, 0, 0]
    y_score = [0.1, 0.9, 0.3, 0.2, 0.8, 0.4, 0.1, 0.05]
    # Candidates 0.9 .8 .4 .3 .2 .1 .05 with tps 1 1 2 3 3 3 3: 0.2 and 0.1
    # have the same tps on both sides and are dropped.
    assert naive_thresholds(y_true, y_score, n_thresholds=None) == [0.9, 0.8, 0.4, 0.3, 0.05]
    assert naive_thresholds(y_true, y_score, n_thresholds=None, drop_intermediate=False) == [
        0.9,
        0.8,
        0.4,
        0.3,
        0.2,
        0.1,
        0.05,
    ]
    thinned = naive_thresholds(y_true, y_score, n_thresholds=250)
    assert len(thinned) == 250 and thinned[0] == 0.9 and thinned[-1] == 0.05
    assert naive_thresholds(y_true, y_score, n_thresholds=1) == [0.9]


# ---------------------------------------------------------------------------
# Section 8: values of the published package
# ---------------------------------------------------------------------------
T500_LABEL = _series(500, [(40, 59)])
T500_PRED = _series(500, [(30, 49)])
T18_LABEL = _series(18, [(0, 11), (13, 15)])
T18_SCORE = [0.1] * 18
for _i in list(range(2, 8)) + [9, 13, 14, 15]:
    T18_SCORE[_i] = 0.9
for _i in (0, 17):
    T18_SCORE[_i] = 0.5

# (function, y_true, y, kwargs, package float value, exact Fraction or None)
SECTION_8 = [
    pytest.param(naive_pate, [0, 1, 0, 1, 0], [0.1, 0.8, 0.1, 0.9, 0.2], {}, 1.0, Fraction(1), id="row1-defaults"),
    pytest.param(
        naive_pate,
        T500_LABEL,
        T500_PRED,
        dict(early_buffer=20, delay_buffer=20, include_zero=False, n_thresholds=None),
        0.7593424904335389,
        None,
        id="row2-T500-continuous",
    ),
    pytest.param(
        naive_pate_f1,
        T500_LABEL,
        T500_PRED,
        dict(early_buffer=20, delay_buffer=20, include_zero=False),
        0.7513087240782763,
        None,
        id="row3-T500-f1",
    ),
    pytest.param(
        naive_pate_f1,
        _series(40, [(20, 24)]),
        _series(40, [(14, 19)]),
        dict(early_buffer=6, delay_buffer=4),
        0.0,
        Fraction(0),
        id="row4-pre-only-missed",
    ),
    pytest.param(
        naive_pate_f1,
        _series(40, [(20, 24)]),
        _series(40, [(14, 19), (23, 23)]),
        dict(early_buffer=6, delay_buffer=4),
        0.3142100617828773,
        Fraction(356, 1133),
        id="row5-pre-detected",
    ),
    pytest.param(
        naive_pate_f1,
        _series(60, [(10, 29)]),
        _series(60, [(12, 13), (16, 27)]),
        dict(early_buffer=0, delay_buffer=0),
        0.839911588253868,
        Fraction(2660, 3167),
        id="row6-earliest-run-2",
    ),
    pytest.param(
        naive_pate_f1,
        _series(60, [(10, 29)]),
        _series(60, [(12, 23), (26, 27)]),
        dict(early_buffer=0, delay_buffer=0),
        0.8995603652350355,
        Fraction(2660, 2957),
        id="row7-earliest-run-12",
    ),
    pytest.param(
        naive_pate_f1,
        _series(40, [(10, 14), (16, 19)]),
        _series(40, [(12, 17)]),
        dict(early_buffer=5, delay_buffer=5),
        0.7142857142857143,
        Fraction(5, 7),
        id="row8-gap-of-one",
    ),
    pytest.param(
        naive_pate_f1,
        _series(40, [(10, 14), (25, 25)]),
        _series(40, [(7, 12), (26, 28)]),
        dict(early_buffer=1, delay_buffer=1, n_buffer_splits=3),
        0.42857142857142855,
        Fraction(3, 7),
        id="row9-splits-3",
    ),
    pytest.param(
        naive_pate,
        [0, 1, 1, 0, 0, 1, 0, 0],
        [0.1, 0.9, 0.3, 0.2, 0.8, 0.4, 0.1, 0.05],
        dict(early_buffer=2, delay_buffer=2, n_thresholds=None),
        0.7807539682539683,
        None,
        id="row10-continuous-small",
    ),
    pytest.param(
        naive_pate_f1,
        _series(30, [(10, 14)]),
        _series(30, [(9, 9), (12, 12), (15, 15)]),
        dict(early_buffer=3, delay_buffer=3, n_buffer_splits=9, include_zero=False),
        0.3414181748908424,
        None,
        id="row12-float-grid",
    ),
    pytest.param(
        naive_pate,
        T18_LABEL,
        T18_SCORE,
        dict(early_buffer=0, delay_buffer=0),
        0.9813725490196079,
        Fraction(661, 680),
        id="row13-recall-tie",
    ),
]


@pytest.mark.parametrize("fn, y_true, y, kwargs, value, exact_value", SECTION_8)
def test_section_8_float(fn, y_true, y, kwargs, value, exact_value):
    got = fn(y_true, y, **kwargs)
    assert isinstance(got, float)
    assert got == pytest.approx(value, abs=1e-12, rel=0)


@pytest.mark.parametrize("fn, y_true, y, kwargs, value, exact_value", SECTION_8)
def test_section_8_exact(fn, y_true, y, kwargs, value, exact_value):
    got = fn(y_true, y, exact=True, **kwargs)
    assert isinstance(got, Fraction)
    if exact_value is not None:
        assert got == exact_value
    else:
        # Away from ties, exact arithmetic agrees with the package to ~1e-15.
        assert float(got) == pytest.approx(value, abs=1e-12, rel=0)


def test_section_8_last_row_exact_vs_float():
    # Section 11: the package (float) drops the 0.5 point on a one-ulp recall
    # difference; exact arithmetic keeps it.
    assert naive_pate(T18_LABEL, T18_SCORE, early_buffer=0, delay_buffer=0) == 0.9813725490196079
    exact = naive_pate(T18_LABEL, T18_SCORE, early_buffer=0, delay_buffer=0, exact=True)
    assert exact == Fraction(661, 680)
    assert Fraction(0.9813725490196079) - exact == pytest.approx(Fraction(19, 2040), abs=1e-15)


def test_section_8_sample_weight_row():
    # Row 11: sample_weight 0 at index 4 removes the score 0.8 from the
    # candidate thresholds (section 7 step 1); index 4 is unlabelled, so the
    # remaining candidates are those of the series without index 4.
    y_true = [0, 1, 1, 0, 0, 1, 0, 0]
    y_score = [0.1, 0.9, 0.3, 0.2, 0.8, 0.4, 0.1, 0.05]
    keep = [i for i in range(8) if i != 4]
    thresholds = naive_thresholds([y_true[i] for i in keep], [y_score[i] for i in keep], n_thresholds=None)
    assert 0.8 not in thresholds
    pairs = _buffer_pairs(2, 2, 1, True)
    got = _pate_from_thresholds(y_true, y_score, thresholds, pairs, exact=False)
    assert got == pytest.approx(0.8670634920634921, abs=1e-12, rel=0)
    got_exact = _pate_from_thresholds(y_true, y_score, thresholds, pairs, exact=True)
    assert float(got_exact) == pytest.approx(0.8670634920634921, abs=1e-12, rel=0)


def test_section_8_exact_floor_grid_differs():
    # Row 12: exact flooring of (i+1)*M/n would give 0,0,1,1,1,2,2,2,3.
    y_true = _series(30, [(10, 14)])
    y_pred = _series(30, [(9, 9), (12, 12), (15, 15)])
    sizes = [0, 0, 1, 1, 1, 2, 2, 2, 3]
    pairs = [(E, D) for E in sizes for D in sizes]
    got = _pate_f1_on_pairs(y_true, y_pred, pairs, exact=False)
    assert got == pytest.approx(0.35444642476565297, abs=1e-12, rel=0)


def test_no_anomaly_gives_zero():
    assert naive_pate([0, 0, 0], [0.1, 0.5, 0.2]) == 0
    assert naive_pate_f1([0, 0, 0], [1, 0, 1]) == 0
    assert naive_pate([0, 0, 0], [0.1, 0.5, 0.2], exact=True) == Fraction(0)


# ---------------------------------------------------------------------------
# Section 7b: the step rule
# ---------------------------------------------------------------------------
def test_step_rule_of_a_constant_score_is_recall_times_precision():
    # one effective threshold: every point predicted; the trapezoid earns R (1 + P) / 2, the step R * P
    y_true = _series(20, [(5, 8), (14, 14)])
    for E, D in [(0, 0), (2, 3), (10, 10)]:
        tp, fp, fn = naive_tp_fp_fn(y_true, [True] * 20, early_buffer=E, delay_buffer=D, exact=True)
        precision, recall = tp / (tp + fp), tp / (tp + fn)
        step = naive_pate(
            y_true,
            [0.3] * 20,
            early_buffer=E,
            delay_buffer=D,
            n_buffer_splits=1,
            include_zero=False,
            exact=True,
            interpolation="step",
        )
        trap = naive_pate(
            y_true, [0.3] * 20, early_buffer=E, delay_buffer=D, n_buffer_splits=1, include_zero=False, exact=True
        )
        assert step == recall * precision
        assert trap == recall * (1 + precision) / 2


def test_step_rule_worked_example():
    # buffers 0, every threshold kept: (0, 1), (1/2, 1), (1/2, 1/2), (1, 2/3), (1, 2/5)
    # step: 1/2 * 1 + 1/2 * 2/3 = 5/6; trapezoid: 1/2 * (1 + 1)/2 + 1/2 * (1/2 + 2/3)/2 = 19/24
    y_true, y_score = [0, 1, 1, 0, 0], [0.1, 0.9, 0.2, 0.3, 0.1]
    kw = dict(early_buffer=0, delay_buffer=0, n_buffer_splits=1, include_zero=False, n_thresholds=None)
    assert naive_pate(y_true, y_score, exact=True, interpolation="step", **kw) == Fraction(5, 6)
    assert naive_pate(y_true, y_score, exact=True, **kw) == Fraction(19, 24)
    assert naive_pate(y_true, y_score, interpolation="step", **kw) == pytest.approx(5 / 6, abs=1e-15)


def test_step_rule_gives_one_for_labels_as_scores():
    y_true = _series(30, [(3, 6), (12, 12), (20, 25)])
    for E, D in [(0, 0), (3, 3), (8, 2)]:
        got = naive_pate(
            y_true, [float(v) for v in y_true], early_buffer=E, delay_buffer=D, exact=True, interpolation="step"
        )
        assert got == 1
