"""Event-based F1 (TSB-AD's ``Event-based-F1``, docs/spec/baseline-metrics.md, section 6).

Known values from that page in both modes, the degenerate cases,
agreement with TSB-AD 1.5 on the committed corpus
(tests/data/pointwise_reference.json), and invariants as properties.
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
from pate.metrics import event_f1_score, point_precision_recall_fscore

UndefinedMetricWarning = undefined_metric_warning_class()
CORPUS = json.loads((DATA / "pointwise_reference.json").read_text())
TOL = 1e-9


@pytest.mark.parametrize(
    "y, p, compat_value, default_value",
    [
        (series(10, (2, 4), (7, 7)), series(10, (3, 3), (6, 8)), 0.6666666666666662, 0.6666666666666666),
        (series(10, (7, 9)), series(10, (9, 9)), 0.0, 1.0),  # compat: the event is recorded as [7, 8]
        (series(10, (7, 9)), series(10, (8, 8)), 0.9999999999999996, 1.0),  # compat: + 1e-15
        (series(10, (9, 9)), series(10, (9, 9)), 0.0, 1.0),  # compat: a length-1 event at T-1 is never hit
    ],
)
def test_known_values(y, p, compat_value, default_value):
    assert event_f1_score(y, p, compat=True) == compat_value
    assert event_f1_score(y, p) == default_value


@pytest.mark.parametrize("compat", [False, True])
def test_degenerate_cases(compat):
    # undefined: 0.0 by the one rule; compat=True keeps TSB-AD's nan
    with pytest.warns(UndefinedMetricWarning, match="no event"):
        got = event_f1_score(series(10), series(10, (3, 3)), compat=compat)
    assert math.isnan(got) if compat else got == 0.0
    with pytest.warns(UndefinedMetricWarning, match="no event"):
        got = event_f1_score(series(10), series(10), compat=compat)
    assert math.isnan(got) if compat else got == 0.0
    with pytest.warns(UndefinedMetricWarning, match="nothing predicted"):
        assert event_f1_score(series(10, (3, 4)), series(10), compat=compat) == 0.0


def test_whole_series_event():
    y = np.ones(10, int)
    assert event_f1_score(y, series(10, (9, 9))) == 1.0
    assert event_f1_score(y, series(10, (9, 9)), compat=True) == 0.0  # recorded as [0, 8]
    assert event_f1_score(y, series(10, (0, 0)), compat=True) == 0.9999999999999996
    assert event_f1_score([1], [1]) == 1.0
    assert event_f1_score([1], [1], compat=True) == 0.0


def test_corpus_equals_tsb_ad(quiet):
    for case in CORPUS["binary"]:
        y, p = bits(case["y_true"]), bits(case["y_pred"])
        assert close(quiet(event_f1_score, y, p, compat=True), case["event"]), case
        # TSB-AD on the arrays with a trailing 0: its event list then ends each event where it ends
        # TSB-AD's nan without a label event is the undefined case, 0.0 by default
        policy = "nan" if not y.any() else "warn"
        assert close(quiet(event_f1_score, y, p, undefined=policy), case["event_default"]), case


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
    default = quiet(event_f1_score, y, p)
    compat = quiet(event_f1_score, y, p, compat=True)
    if not y.any():
        assert default == 0.0 and math.isnan(compat)  # the one rule; compat keeps TSB-AD's nan
        return
    assert 0.0 <= compat <= default <= 1.0
    # the definition: share of events hit, combined with point precision
    events = np.flatnonzero(np.diff(np.concatenate(([0], y))) == 1)
    ends = np.flatnonzero(np.diff(np.concatenate((y, [0]))) == -1)
    recall = np.mean([p[a : b + 1].any() for a, b in zip(events, ends)])
    precision = quiet(point_precision_recall_fscore, y, p).precision
    expected = 2 * recall * precision / (recall + precision) if recall + precision else 0.0
    assert default == pytest.approx(expected, abs=1e-15)
    # a 0 after the series makes the reference's event list exact: then only its 1e-15 differs
    assert default == pytest.approx(quiet(event_f1_score, np.append(y, 0), np.append(p, 0), compat=True), abs=1e-14)
    assert event_f1_score(y, y) == 1.0
