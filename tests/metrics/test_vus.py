"""Range-AUC and VUS (docs/spec/baseline-metrics.md, sections 10 and 11), current and legacy versions.

* the known values of the spec;
* the differential corpus ``tests/data/vus_reference.json`` (made with vus
  0.0.6 and TheDatumOrg/VUS@b708919 by ``tests/data/make_vus_reference.py``);
* a literal oracle written from the spec (``tests/naive/vus.py``) on random
  cases;
* degenerate inputs, option checks, input types, invariants (hypothesis).
"""

from __future__ import annotations

import json
import math
import warnings

import numpy as np
import pandas as pd
import pytest
from helpers import DATA
from hypothesis import given, settings
from hypothesis import strategies as st
from naive.vus import naive_range_auc, naive_vus, naive_vus_legacy

from pate._warnings import undefined_metric_warning_class
from pate.metrics import get_metric, get_metric_info, range_auc_score, vus_score

UndefinedMetricWarning = undefined_metric_warning_class()
DATA = DATA / "vus_reference.json"

Y = np.array([0, 0, 0, 0, 1, 1, 0, 0, 0, 1, 0, 0])
S = np.array([0.1, 0.2, 0.3, 0.6, 0.9, 0.4, 0.5, 0.2, 0.1, 0.7, 0.3, 0])
TABLE = {  # docs/spec/baseline-metrics.md section 11, windows 0, 2, 4, 6
    "vus_roc": [0.9259259259259259, 0.9459818856358219, 0.9648602965844895, 0.973916412599104],
    "vus_pr": [0.8666666666666666, 0.8978979463885173, 0.9301534404420335, 0.9468586169865054],
    "range_auc_roc": [0.9259259259259259, 0.9701361326839757, 0.9699668894213371, 0.983580527312977],
    "range_auc_pr": [0.85, 0.9427725383192076, 0.9629201901457616, 0.9824544355248261],
    "vus_roc_legacy": [0.9259259259259259, 0.9354760276131092, 0.9485171960661238, 0.9581633042758487],
    "vus_pr_legacy": [0.8500000000000001, 0.8707391963323939, 0.9004877107678825, 0.9226047412845199],
}
NAMES = (
    "range_auc_roc",
    "range_auc_pr",
    "vus_roc",
    "vus_pr",
    "range_auc_roc_legacy",
    "range_auc_pr_legacy",
    "vus_roc_legacy",
    "vus_pr_legacy",
)
# Reference quantity in the JSON file -> (our function, version).
REFERENCES = {
    "range_auc": (range_auc_score, "current"),
    "vus": (vus_score, "current"),
    "range_auc_legacy": (range_auc_score, "legacy"),
    "vus_legacy": (vus_score, "legacy"),
}


# --- known values -----------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(TABLE))
@pytest.mark.parametrize("i, window", list(enumerate([0, 2, 4, 6])))
def test_spec_values(name, i, window):
    assert get_metric(name)(Y, S, window=window) == pytest.approx(TABLE[name][i], abs=1e-14)


def test_spec_identities_at_window_zero():
    # At W = 0 VUS-ROC is the plain ROC on the rank grid, equal to Range-AUC-ROC.
    assert vus_score(Y, S, window=0).roc == range_auc_score(Y, S, window=0).roc == pytest.approx(0.9259259259259259)
    # ... but VUS-PR is a step sum (0.8667 = AP) and Range-AUC-PR a trapezoid (0.85).
    assert vus_score(Y, S, window=0).pr == pytest.approx(0.8666666666666667)
    assert range_auc_score(Y, S, window=0).pr == pytest.approx(0.85)


def test_the_pate_experiments_call():
    # PATE repository: get_range_vus_roc(score, labels, 20) -> Range-AUC with W = 20, VUS with W = 40.
    rng = np.random.default_rng(5)
    y = np.zeros(300, dtype=int)
    y[[40, 41, 42, 150, 151, 260]] = 1
    s = rng.random(300) + 0.3 * y
    legacy_vus = vus_score(y, s, window=40, version="legacy")
    per_window = [range_auc_score(y, s, window=w, version="legacy") for w in range(41)]
    assert legacy_vus.roc == pytest.approx(sum(r.roc for r in per_window) / 41, abs=1e-14)
    assert legacy_vus.pr == pytest.approx(sum(r.pr for r in per_window) / 41, abs=1e-14)


# --- differential corpus ------------------------------------------------------------------


def _corpus():
    payload = json.loads(DATA.read_text())
    params = []
    for i, case in enumerate(payload["cases"]):
        for key in REFERENCES:
            if key in case:
                params.append(pytest.param(case, key, id=f"{i}-{key}-w{case['window']}-n{case['n_thresholds']}"))
    return params


def _run(case, key):
    y = np.array([int(c) for c in case["y"]])
    s = np.array(case["s"], dtype=np.float64)
    func, version = REFERENCES[key]
    return func(y, s, window=case["window"], n_thresholds=case["n_thresholds"], version=version)


def test_corpus_is_small_and_covers_the_degenerate_cases():
    assert DATA.stat().st_size < 1_000_000
    cases = json.loads(DATA.read_text())["cases"]
    assert len(cases) > 300
    raised = {case[k] for case in cases for k in REFERENCES if isinstance(case.get(k), str)}
    assert raised == {"ZeroDivisionError", "IndexError"}


@pytest.mark.parametrize("case, key", _corpus())
def test_agrees_with_the_published_code(case, key):
    reference = case[key]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ours = _run(case, key)
    undefined = [w for w in caught if issubclass(w.category, UndefinedMetricWarning)]
    if isinstance(reference, str):
        # The reference raises (no labelled point): we warn and return 0.0, 0.0 (undefined="warn").
        assert "y" in case and "1" not in case["y"]
        assert len(undefined) == 1 and "no anomaly" in str(undefined[0].message)
        assert ours.roc == 0.0 and ours.pr == 0.0
    elif math.isnan(reference[0]):
        # Every point labelled: ROC is 0/0 in the reference too; PR is 1 (the
        # reference's sum of steps can land one ulp below it).
        assert "0" not in case["y"]
        assert len(undefined) == 1 and "every point is labelled" in str(undefined[0].message)
        assert ours.roc == 0.0 and ours.pr == 1.0 == pytest.approx(reference[1], abs=1e-12)
    else:
        assert not undefined
        assert ours.roc == pytest.approx(reference[0], abs=1e-12, rel=0)
        assert ours.pr == pytest.approx(reference[1], abs=1e-12, rel=0)


# --- literal oracle -----------------------------------------------------------------------


@st.composite
def case(draw, min_size=2):
    n = draw(st.integers(min_size, 30))
    y = np.array(draw(st.lists(st.sampled_from([0, 0, 1]), min_size=n, max_size=n)))
    if y.sum() == 0:
        y[draw(st.integers(0, n - 1))] = 1
    if y.sum() == n:
        y[draw(st.integers(0, n - 1))] = 0
    s = np.array(draw(st.lists(st.sampled_from([0.0, 0.2, 0.5, 0.7, 1.0]) | st.floats(0, 1), min_size=n, max_size=n)))
    return y, s


@settings(max_examples=120, deadline=None)
@given(c=case(), window=st.integers(0, 9), n_thr=st.sampled_from([2, 7, 250]))
def test_against_the_literal_oracle(c, window, n_thr):
    y, s = c
    r = range_auc_score(y, s, window=window, n_thresholds=n_thr)
    assert r == pytest.approx(naive_range_auc(list(y), list(s), window=window, n_thresholds=n_thr), abs=1e-12)
    rl = range_auc_score(y, s, window=window, n_thresholds=n_thr, version="legacy")
    assert rl == pytest.approx(
        naive_range_auc(list(y), list(s), window=window, n_thresholds=n_thr, legacy=True), abs=1e-12
    )
    v = vus_score(y, s, window=window, n_thresholds=n_thr)
    assert v == pytest.approx(naive_vus(list(y), list(s), window=window, n_thresholds=n_thr), abs=1e-12)
    vl = vus_score(y, s, window=min(window, 5), n_thresholds=n_thr, version="legacy")
    assert vl == pytest.approx(naive_vus_legacy(list(y), list(s), window=min(window, 5), n_thresholds=n_thr), abs=1e-12)


# --- invariants ---------------------------------------------------------------------------


@settings(max_examples=150, deadline=None)
@given(c=case(), window=st.integers(0, 40), n_thr=st.integers(2, 300))
def test_values_are_floats_in_the_unit_interval(c, window, n_thr):
    y, s = c
    for func in (range_auc_score, vus_score):
        for version in ("current", "legacy"):
            result = func(y, s, window=window, n_thresholds=n_thr, version=version)
            for value in result:
                assert type(value) is float
                assert -1e-12 <= value <= 1.0 + 1e-12


@settings(max_examples=100, deadline=None)
@given(c=case(), window=st.integers(0, 1))
def test_perfect_scores_score_one_without_buffer(c, window):
    # With buffers the top threshold misses the buffer weight, so 1 is only
    # reachable at windows 0 and 1 (no buffer).
    y, _ = c
    for func in (range_auc_score, vus_score):
        for version in ("current", "legacy"):
            assert func(y, y.astype(float), window=window, version=version) == (1.0, 1.0)


@settings(max_examples=100, deadline=None)
@given(c=case(), window=st.integers(0, 12), shift=st.floats(-5, 5), scale=st.floats(0.5, 4))
def test_invariant_under_increasing_affine_maps_of_the_scores(c, window, shift, scale):
    # Only the ranking enters: the thresholds are taken from the sorted scores.
    # (Scores on a 1/4 grid keep their ties and order exactly under the map.)
    y, s = c
    s = np.round(s * 4) / 4
    mapped = s * scale + shift
    assert np.all(np.argsort(mapped, kind="stable") == np.argsort(s, kind="stable"))
    assert np.array_equal(mapped[:, None] >= mapped[None, :], s[:, None] >= s[None, :])
    for func in (range_auc_score, vus_score):
        assert func(y, mapped, window=window) == func(y, s, window=window)


@settings(max_examples=100, deadline=None)
@given(c=case(), window=st.integers(0, 12))
def test_input_types_and_no_mutation(c, window):
    y, s = c
    expected_r = range_auc_score(y, s, window=window)
    expected_v = vus_score(y, s, window=window, version="legacy")
    y_copy, s_copy = y.copy(), s.copy()
    for yy, ss in (
        (list(y), list(s)),
        (y.astype(bool), s),
        (y.astype(float), s.astype(np.float64)),
        (y.astype(np.int8), s),
        (pd.Series(y), pd.Series(s)),
    ):
        assert range_auc_score(yy, ss, window=window) == expected_r
        assert vus_score(yy, ss, window=window, version="legacy") == expected_v
    assert np.array_equal(y, y_copy) and np.array_equal(s, s_copy)


def test_integer_scores_equal_float_scores():
    s_int = np.array([1, 2, 3, 6, 9, 4, 5, 2, 1, 7, 3, 0])
    assert vus_score(Y, s_int, window=4) == vus_score(Y, s_int / 10, window=4)


def test_events_at_both_ends_and_windows_longer_than_the_series():
    y = np.array([1, 0, 0, 1, 0, 1, 0, 0, 0, 1])
    s = np.array([0.9, 0.1, 0.3, 0.8, 0.8, 0.2, 0.5, 0.5, 0.1, 0.4])
    for window in (0, 3, 8, 25, 60):
        assert range_auc_score(y, s, window=window) == pytest.approx(naive_range_auc(list(y), list(s), window=window))
        assert vus_score(y, s, window=window) == pytest.approx(naive_vus(list(y), list(s), window=window))


# --- degenerate inputs, options, registry -------------------------------------------------


@pytest.mark.parametrize("version", ["current", "legacy"])
def test_degenerate_inputs(version):
    for f in (range_auc_score, vus_score):
        with pytest.warns(UndefinedMetricWarning, match="no anomaly"):
            assert tuple(f(np.zeros(10, int), np.arange(10.0), window=4, version=version)) == (0.0, 0.0)
        assert all(
            math.isnan(v) for v in f(np.zeros(10, int), np.arange(10.0), window=4, version=version, undefined="nan")
        )
        with pytest.warns(UndefinedMetricWarning, match="every point is labelled"):
            roc, pr = f(np.ones(10, int), np.arange(10.0), window=4, version=version)
        assert roc == 0.0 and pr == 1.0
        with pytest.warns(UndefinedMetricWarning, match="every point is labelled"):
            roc, pr = f([1], [0.3], window=4, version=version)  # T = 1 behaves like all labels
        assert roc == 0.0 and pr == 1.0


def test_warning_points_at_the_caller():
    with pytest.warns(UndefinedMetricWarning) as record:
        vus_score(np.zeros(5, int), np.arange(5.0))
    assert record[0].filename == __file__


def test_constant_scores():
    y = np.array([0, 0, 1, 1, 1, 0, 0, 0, 0, 1, 1, 0])
    s = np.full(12, 0.3)
    # A constant score predicts every point at every threshold: the ROC goes
    # straight from (0, 0) to (1, 1); the PR curve has one step to recall 1 at
    # precision 5/12, a trapezoid from precision 1 for Range-AUC-PR.
    assert range_auc_score(y, s, window=0) == pytest.approx((0.5, (1 + 5 / 12) / 2))
    assert vus_score(y, s, window=0) == pytest.approx((0.5, 5 / 12))


def test_options_are_validated():
    with pytest.raises(ValueError, match="window must be >= 0"):
        vus_score(Y, S, window=-1)
    with pytest.raises(TypeError, match="window must be an integer"):
        range_auc_score(Y, S, window=2.0)
    with pytest.raises(ValueError, match="n_thresholds must be >= 2"):
        range_auc_score(Y, S, n_thresholds=1)
    with pytest.raises(ValueError, match="version must be"):
        vus_score(Y, S, version="2022")
    with pytest.raises(ValueError, match="same length"):
        vus_score(Y, S[:-1])
    with pytest.raises(ValueError, match="NaN"):
        vus_score(Y, np.where(Y == 1, np.nan, S))
    with pytest.raises(ValueError, match="0 and 1"):
        range_auc_score(Y * 2, S)


@pytest.mark.parametrize("name", NAMES)
def test_registry(name):
    info = get_metric_info(name)
    assert info.input == "score"
    assert info.params == ("window", "n_thresholds", "undefined")
    func, version = REFERENCES[name.replace("_roc", "").replace("_pr", "")]
    field = "pr" if "_pr" in name else "roc"
    expected = getattr(func(Y, S, window=5, n_thresholds=30, version=version), field)
    assert info(Y, S, window=5, n_thresholds=30) == expected
    assert type(info(Y, S)) is float
