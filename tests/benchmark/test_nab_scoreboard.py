"""pate.benchmark.nab_scoreboard on hand-made corpora: sums of nab_score, the exact optimum, layouts, bad input."""

from __future__ import annotations

import json
import math
import warnings

import numpy as np
import pytest
from helpers import series
from hypothesis import given, settings
from hypothesis import strategies as st
from naive.nab import naive_optimise

from pate._warnings import undefined_metric_warning_class
from pate.benchmark import NabThresholdWarning, Series, SeriesError, nab_scoreboard
from pate.metrics import NAB_PROFILES, nab_score

UndefinedMetricWarning = undefined_metric_warning_class()


def corpus():
    rng = np.random.default_rng(3)
    out = []
    for k, (n, windows) in enumerate([(300, [(100, 139)]), (200, [(60, 79), (150, 169)]), (120, [])]):
        y = series(n, *windows)
        out.append(Series(f"s{k}", y, {"a": np.round(rng.random(n) + 0.6 * y, 2), "b": np.round(rng.random(n), 2)}))
    return out


def test_at_given_thresholds_the_board_sums_nab_score_over_the_series():
    data = corpus()
    thresholds = {
        "a": {p: 0.9 for p in NAB_PROFILES},
        "b": {p: {"threshold": 0.95, "score": 0.0} for p in NAB_PROFILES},
    }
    board = nab_scoreboard(data, thresholds=thresholds)
    assert not board.optimised and board.n_windows == 3
    for detector, t in (("a", 0.9), ("b", 0.95)):
        for profile, w in NAB_PROFILES.items():
            parts = [nab_score(s.y_true, s.scores[detector] >= t, profile=profile, undefined="nan") for s in data]
            raw = math.fsum(r.raw for r in parts)
            assert board.raw.at[detector, profile] == pytest.approx(raw, abs=1e-12)
            assert board.scores.at[detector, profile] == pytest.approx(100 * (raw + 3 * w.fn) / (3 * (w.tp + w.fn)))
            rows = board.per_series[(board.per_series.detector == detector) & (board.per_series.profile == profile)]
            assert rows[["tp", "fp", "fn", "tn"]].values.tolist() == [[r.tp, r.fp, r.fn, r.tn] for r in parts]
            assert rows.series.tolist() == ["s0", "s1", "s2"] and (rows.threshold == t).all()
    assert board.perfect == {p: 3 * w.tp for p, w in NAB_PROFILES.items()}
    assert board.null == {p: -3 * w.fn for p, w in NAB_PROFILES.items()}
    assert list(board.per_series.columns) == [
        "series",
        "detector",
        "profile",
        "threshold",
        "raw",
        "tp",
        "fp",
        "fn",
        "tn",
    ]


def test_layouts_of_nab_files():
    board = nab_scoreboard(corpus(), profiles=["standard", "reward_low_FN_rate"])
    assert list(board.scores.columns) == ["standard", "reward_low_FN_rate"]
    final = board.to_dict()
    assert set(final) == {"a", "b"} and final["a"]["standard"] == board.scores.at["a", "standard"]
    layout = board.thresholds_dict()
    assert layout["b"]["reward_low_FN_rate"] == {
        "threshold": board.thresholds.at["b", "reward_low_FN_rate"],
        "score": board.raw.at["b", "reward_low_FN_rate"],
    }
    json.dumps(final), json.dumps(layout)  # plain floats
    # rows sorted by the first profile, best first
    assert board.scores["standard"].is_monotonic_decreasing


@st.composite
def corpora(draw):
    out = []
    for k in range(draw(st.integers(1, 3))):
        n = draw(st.integers(5, 30))
        y = np.zeros(n, dtype=int)
        for _ in range(draw(st.integers(0, 2))):
            a = draw(st.integers(0, n - 1))
            y[a : a + draw(st.integers(1, 8))] = 1
        s = np.array(draw(st.lists(st.integers(0, 5), min_size=n, max_size=n)), dtype=float) / 5
        out.append(Series(f"s{k}", y, {"det": s}))
    return out


@settings(max_examples=40)
@given(data=corpora(), p=st.sampled_from([0.0, 0.15]))
def test_the_optimum_is_brute_force_best(data, p):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UndefinedMetricWarning)  # corpora without windows: raw totals still exact
        board = nab_scoreboard(data, probationary_percent=p)
    labels = [s.y_true for s in data]
    scores = [s.scores["det"] for s in data]
    for profile, w in NAB_PROFILES.items():
        _, totals = naive_optimise(labels, scores, profile=tuple(w), probationary_percent=p)
        assert board.raw.at["det", profile] == pytest.approx(float(max(totals.values())), abs=1e-12)


def test_custom_profiles_by_name():
    board = nab_scoreboard(corpus(), profiles={"cheap_fp": (1, 0.01, 1), "standard": "standard"})
    assert list(board.scores.columns) == ["cheap_fp", "standard"]
    assert board.null["cheap_fp"] == -3.0


def test_threshold_outside_the_scores_warns_once_naming_them():
    data = corpus()
    thresholds = {"a": {"standard": 54.2}, "b": {"standard": -1}}
    with pytest.warns(NabThresholdWarning) as caught:
        board = nab_scoreboard(data, thresholds=thresholds, profiles=["standard"])
    assert len(caught) == 1
    message = str(caught[0].message)
    assert "a (standard): 54.2 lies above every scored point" in message and "nothing is detected" in message
    assert "b (standard): -1.0 lies below every scored point" in message and "every point is detected" in message
    assert board.scores.at["a", "standard"] == 0.0  # nothing detected: the null score
    assert (board.per_series.query("detector == 'b'").fn == 0).all()
    # the optimiser's own "detect nothing" threshold does not warn
    top = max(float(s.scores["b"][math.ceil(0.0) :].max()) for s in data)
    with warnings.catch_warnings():
        warnings.simplefilter("error", NabThresholdWarning)
        nab_scoreboard(
            data,
            thresholds={"a": {"standard": 0.5}, "b": {"standard": float(np.nextafter(top, 2))}},
            profiles=["standard"],
        )


@pytest.mark.parametrize(
    "thresholds, exc, message",
    [
        ({"a": {"standard": 0.5}}, ValueError, "thresholds has no detector 'b'"),
        ({"a": {"standard": 0.5}, "b": {"low": 0.5}}, ValueError, r"thresholds\['b'\] has no profile 'standard'"),
        ({"a": {"standard": 0.5}, "b": {"standard": math.nan}}, ValueError, "must be a finite number, got nan"),
        ({"a": {"standard": 0.5}, "b": {"standard": True}}, ValueError, "must be a finite number, got True"),
        ({"a": {"standard": 0.5}, "b": {"standard": "0.5"}}, ValueError, "must be a finite number"),
        ({"a": {"standard": 0.5}, "b": {"standard": {"score": 1}}}, ValueError, "has no 'threshold' key"),
        ({"a": {"standard": 0.5}, "b": 0.5}, TypeError, r"thresholds\['b'\] must map profile -> threshold"),
        ([0.5], TypeError, "thresholds must be a mapping, a path to a JSON file or None"),
    ],
)
def test_bad_thresholds(thresholds, exc, message):
    with pytest.raises(exc, match=message):
        nab_scoreboard(corpus(), thresholds=thresholds, profiles=["standard"])


def test_a_thresholds_file(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    with pytest.raises(ValueError, match="bad.json: not JSON"):
        nab_scoreboard(corpus(), thresholds=bad)
    flat = tmp_path / "flat.json"
    flat.write_text('{"a": 0.5}')
    with pytest.raises(ValueError, match=r"expected \{detector: \{profile: threshold\}\}"):
        nab_scoreboard(corpus(), thresholds=str(flat))


@pytest.mark.parametrize(
    "profiles, exc, message",
    [
        (["standrad"], ValueError, "Did you mean 'standard'"),
        ([], ValueError, "profiles is empty"),
        (["standard", "standard"], ValueError, "named twice"),
        ({"mine": (1, 0, 1)}, ValueError, "A_fp must be a positive finite number"),
        ([(1, 0.1, 1)], TypeError, "profiles must be names, or a mapping name -> weights"),
        (3, TypeError, "profiles must be profile names"),
    ],
)
def test_bad_profiles(profiles, exc, message):
    with pytest.raises(exc, match=message):
        nab_scoreboard(corpus(), profiles=profiles)


def test_bad_series_are_named():
    good = corpus()
    with pytest.raises(SeriesError, match="series 's1'.*has no scores of detector 'b'"):
        nab_scoreboard([good[0], Series("s1", good[1].y_true, {"a": good[1].scores["a"]})])
    with pytest.raises(SeriesError, match="series 'x', detector 'a'.*index 3"):
        scores = np.zeros(10)
        scores[3] = np.nan
        nab_scoreboard([Series("x", np.zeros(10, int), {"a": scores})])
    with pytest.raises(SeriesError, match="series 'x'.*index 2"):
        nab_scoreboard([Series("x", [0, 0, 2, 0], {"a": [0.1, 0.2, 0.3, 0.4]})])
    with pytest.raises(SeriesError, match="series 'x', detector 'a': 3 scores for 4 labels"):
        nab_scoreboard([Series("x", [0, 0, 1, 0], {"a": [0.1, 0.2, 0.3]})])
    with pytest.raises(SeriesError, match="series 'x', detector 'a'.*cannot be read"):
        nab_scoreboard([Series("x", [0, 1], {}, problems={"a": "cannot be read"})])
    with pytest.raises(ValueError, match="two series are named 's0'"):
        nab_scoreboard([good[0], good[0]])
    with pytest.raises(ValueError, match="no series"):
        nab_scoreboard([])
    with pytest.raises(ValueError, match="probationary_percent"):
        nab_scoreboard(good, probationary_percent=2)


def test_a_corpus_without_windows_is_undefined():
    data = [Series("s", np.zeros(50, int), {"a": np.linspace(0, 1, 50)})]
    with pytest.warns(UndefinedMetricWarning, match="no window of the corpus is counted"):
        board = nab_scoreboard(data, thresholds={"a": {p: 0.5 for p in NAB_PROFILES}})
    assert board.scores.isna().all().all() and (board.raw < 0).all().all()


def test_sources_are_loaded():
    class Source:
        def __init__(self, s):
            self.s = s

        def load(self):
            return self.s

    data = corpus()
    assert nab_scoreboard([Source(s) for s in data]).scores.equals(nab_scoreboard(data).scores)
