"""Best point, PA and event-based F1 over thresholds (TSB-AD's oracle, docs/spec/baseline-metrics.md, section 12).

Known values from that page in both modes, the degenerate cases,
agreement with TSB-AD 1.5 (and, for the default mode, with scikit-learn's
precision-recall curve and tadpak's adjustment) on the committed corpus
(tests/data/pointwise_reference.json), equality with the maximum of the
single-threshold metrics, and invariants as properties.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from helpers import DATA, bits, close, series
from hypothesis import given, settings
from hypothesis import strategies as st

from pate._warnings import undefined_metric_warning_class
from pate.metrics import (
    best_event_f1_score,
    best_pa_f1_score,
    best_point_f1_score,
    event_f1_score,
    point_adjusted_precision_recall_fscore,
    point_precision_recall_fscore,
)
from pate.metrics._threshold_grid import tsb_threshold_grid

UndefinedMetricWarning = undefined_metric_warning_class()
CORPUS = json.loads((DATA / "pointwise_reference.json").read_text())
TOL = 1e-9
BEST = {"best_point": best_point_f1_score, "best_pa": best_pa_f1_score, "best_event": best_event_f1_score}


S11 = [0.1, 0.2, 0.3, 0.6, 0.9, 0.4, 0.5, 0.2, 0.1, 0.7, 0.3, 0.0]


@pytest.mark.parametrize(
    "y, s, compat_values, default_values",
    [
        (series(12, (4, 5), (9, 9)), S11, (0.7999952000287999, 1.0, 0.9999999999999996), (0.8, 1.0, 1.0)),
        (
            series(6, (2, 3)),
            [0.1, 0.85, 0.9, 0.8, 0.3, 0.1],
            (0.7999952000287999, 1.0, 0.9999999999999996),
            (0.8, 1.0, 1.0),
        ),
        (series(10, (4, 5)), np.zeros(10), (0.3333305555787035, 0.0, 0.0), (0.3333333333333333, 0.0, 0.0)),
    ],
)
def test_known_values(y, s, compat_values, default_values):
    funcs = (best_point_f1_score, best_pa_f1_score, best_event_f1_score)
    assert tuple(f(y, s, compat=True) for f in funcs) == compat_values
    assert tuple(f(y, s) for f in funcs) == default_values


@pytest.mark.parametrize("compat", [False, True])
def test_no_labels(compat):
    s = np.arange(8.0)
    # the references: 0.0 (point and PA, with sklearn's warnings) and nan (event: recall 0/0), which
    # compat=True keeps; the one rule gives 0.0
    for f in (best_point_f1_score, best_pa_f1_score):
        with pytest.warns(UndefinedMetricWarning, match="no anomaly"):
            assert f(series(8), s, compat=compat) == 0.0
    with pytest.warns(UndefinedMetricWarning, match="no anomaly"):
        got = best_event_f1_score(series(8), s, compat=compat)
    assert math.isnan(got) if compat else got == 0.0


def test_index_zero_quirk_in_compat_mode():
    y, s = series(10, (0, 3)), [0.0, 0.2, 0.9, 0.3, 0.0, 0.0, 0.5, 0.0, 0.0, 0.0]
    assert best_pa_f1_score(y, s) == 1.0
    assert best_pa_f1_score(y, s, compat=True) == 0.8571428571428571
    # an event at T-1 hit only at T-1 is not seen by the compat event list
    y, s = series(10, (7, 9)), [0, 0, 0.5, 0, 0, 0, 0, 0, 0, 1.0]
    assert best_event_f1_score(y, s) == 1.0
    assert best_event_f1_score(y, s, compat=True) == 0.0


@pytest.mark.parametrize("key", sorted(BEST))
def test_corpus_equals_tsb_ad(quiet, key):
    for case in CORPUS["score"]:
        y, s = bits(case["y_true"]), case["y_score"]
        assert close(quiet(BEST[key], y, s, compat=True), case[key]), case
        # the references' nan without labels (event recall 0/0) is the undefined case: 0.0 by default
        policy = "nan" if key == "best_event" and not y.any() else "warn"
        assert close(quiet(BEST[key], y, s, undefined=policy), case[key + "_default"]), case


scored = st.integers(1, 50).flatmap(
    lambda n: st.tuples(
        st.lists(st.sampled_from([0, 1]), min_size=n, max_size=n),
        st.lists(st.sampled_from([0.0, 0.2, 0.5, 0.7, 1.0, 1.0 / 3.0]), min_size=n, max_size=n),
    )
)


@settings(max_examples=150, deadline=None)
@given(scored)
def test_equals_the_maximum_of_the_single_threshold_metrics(quiet, pair):
    y, s = np.array(pair[0]), np.array(pair[1])
    grid = tsb_threshold_grid(s)
    for compat in (False, True):
        pa = max(quiet(point_adjusted_precision_recall_fscore, y, s > t, compat=compat).fscore for t in grid)
        event = [quiet(event_f1_score, y, s > t, compat=compat) for t in grid]
        assert quiet(best_pa_f1_score, y, s, compat=compat) == pytest.approx(pa, abs=1e-12)
        if y.any():
            assert quiet(best_event_f1_score, y, s, compat=compat) == pytest.approx(max(event), abs=1e-12)
        else:
            got = quiet(best_event_f1_score, y, s, compat=compat)
            assert math.isnan(got) if compat else got == 0.0
    point = max(quiet(point_precision_recall_fscore, y, s >= t).fscore for t in np.unique(s))
    assert quiet(best_point_f1_score, y, s) == pytest.approx(point, abs=1e-12)
    for f in BEST.values():
        for compat in (False, True):
            v = quiet(f, y, s, compat=compat)
            assert math.isnan(v) or 0.0 <= v <= 1.0


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from([0, 1]), min_size=2, max_size=60))
def test_a_perfect_ranking_scores_one(labels):
    y = np.array(labels)
    if not y.any() or y.all():
        return
    s = y + 0.1 * np.arange(y.size) / y.size  # every anomaly above every normal point
    for f in BEST.values():
        assert f(y, s) == 1.0
    assert best_point_f1_score(y, s, compat=True) == pytest.approx(1.0, abs=1e-5)


def test_point_is_invariant_under_increasing_transforms():
    rng = np.random.default_rng(3)
    y = (rng.random(200) < 0.2).astype(int)
    s = np.round(rng.random(200), 2)
    for compat in (False, True):
        assert best_point_f1_score(y, np.exp(3 * s), compat=compat) == best_point_f1_score(y, s, compat=compat)
